/*
 * emit.h - an x86-64 instruction emitter.  Each function appends the bytes of
 * one instruction form (Intel SDM vol. 2 encodings) and nothing else: no
 * knowledge of guests, blocks or registers' meaning lives here.
 */
#ifndef RVKVM_DBT_EMIT_H
#define RVKVM_DBT_EMIT_H

#include <stddef.h>
#include <stdint.h>

enum emit_reg {
	EMIT_RAX,
	EMIT_RCX,
	EMIT_RDX,
	EMIT_RBX,
	EMIT_RSP,
	EMIT_RBP,
	EMIT_RSI,
	EMIT_RDI,
	EMIT_R8,
	EMIT_R9,
	EMIT_R10,
	EMIT_R11,
	EMIT_R12,
	EMIT_R13,
	EMIT_R14,
	EMIT_R15,
};
#define EMIT_NO_INDEX (-1)

/* Condition codes, the low nibble of Jcc/SETcc/CMOVcc (SDM vol. 2, B.1.4.7). */
enum emit_cc {
	EMIT_CC_O,
	EMIT_CC_NO,
	EMIT_CC_B,
	EMIT_CC_AE,
	EMIT_CC_E,
	EMIT_CC_NE,
	EMIT_CC_BE,
	EMIT_CC_A,
	EMIT_CC_S,
	EMIT_CC_NS,
	EMIT_CC_P,
	EMIT_CC_NP,
	EMIT_CC_L,
	EMIT_CC_GE,
	EMIT_CC_LE,
	EMIT_CC_G,
};

/* Group-1 ALU operations: the /digit of opcodes 81/83 and op*8+1 / op*8+3. */
enum emit_alu { EMIT_ADD, EMIT_OR, EMIT_ADC, EMIT_SBB, EMIT_AND, EMIT_SUB, EMIT_XOR, EMIT_CMP };

/* Group-2 shifts and rotates: the /digit of opcodes C1/D3. */
enum emit_shift { EMIT_ROR = 1, EMIT_SHL = 4, EMIT_SHR = 5, EMIT_SAR = 7 };

/* A memory operand [base + index*scale + disp]; index may be EMIT_NO_INDEX. */
struct emit_mem {
	int base;
	int index;
	int scale; /* 1, 2, 4 or 8 */
	int32_t disp;
};

static inline struct emit_mem emit_mem_bd(int base, int32_t disp)
{
	return (struct emit_mem){base, EMIT_NO_INDEX, 1, disp};
}

static inline struct emit_mem emit_mem_bi(int base, int index)
{
	return (struct emit_mem){base, index, 1, 0};
}

/*
 * Output buffer.  Writing past `end` sets `overflow` and drops the bytes, so
 * callers check once per block instead of once per instruction.
 */
struct emit_buf {
	uint8_t *start;
	uint8_t *p;
	uint8_t *end;
	int overflow;
};

static inline size_t emit_offset(const struct emit_buf *b)
{
	return (size_t)(b->p - b->start);
}

void emit_bytes(struct emit_buf *b, const void *bytes, size_t n);

/* Moves. */
void emit_mov_r64_r64(struct emit_buf *b, int dst, int src);
void emit_mov_r32_r32(struct emit_buf *b, int dst, int src); /* zero-extends */
void emit_mov_r64_imm64(struct emit_buf *b, int dst, uint64_t imm);
void emit_mov_r32_imm32(struct emit_buf *b, int dst, uint32_t imm);
void emit_mov_r64_simm32(struct emit_buf *b, int dst, int32_t imm);
void emit_mov_r64_m64(struct emit_buf *b, int dst, struct emit_mem m);
void emit_mov_r32_m32(struct emit_buf *b, int dst, struct emit_mem m);
void emit_mov_m64_r64(struct emit_buf *b, struct emit_mem m, int src);
void emit_mov_m32_r32(struct emit_buf *b, struct emit_mem m, int src);
void emit_mov_m16_r16(struct emit_buf *b, struct emit_mem m, int src);
void emit_mov_m8_r8(struct emit_buf *b, struct emit_mem m, int src);
void emit_mov_m64_simm32(struct emit_buf *b, struct emit_mem m, int32_t imm);
void emit_mov_m32_imm32(struct emit_buf *b, struct emit_mem m, uint32_t imm);
void emit_movzx_r32_m8(struct emit_buf *b, int dst, struct emit_mem m);
void emit_movzx_r32_m16(struct emit_buf *b, int dst, struct emit_mem m);
void emit_movsx_r64_m8(struct emit_buf *b, int dst, struct emit_mem m);
void emit_movsx_r64_m16(struct emit_buf *b, int dst, struct emit_mem m);
void emit_movsxd_r64_m32(struct emit_buf *b, int dst, struct emit_mem m);
void emit_movsxd_r64_r32(struct emit_buf *b, int dst, int src);
void emit_movzx_r32_r8(struct emit_buf *b, int dst, int src);
void emit_movzx_r32_r16(struct emit_buf *b, int dst, int src);
void emit_movsx_r64_r8(struct emit_buf *b, int dst, int src);
void emit_movsx_r64_r16(struct emit_buf *b, int dst, int src);
void emit_lea_r64_m(struct emit_buf *b, int dst, struct emit_mem m);

/* Arithmetic. */
void emit_alu_r64_r64(struct emit_buf *b, enum emit_alu op, int dst, int src);
void emit_alu_r32_r32(struct emit_buf *b, enum emit_alu op, int dst, int src);
void emit_alu_r64_imm32(struct emit_buf *b, enum emit_alu op, int dst, int32_t imm);
void emit_alu_r32_imm32(struct emit_buf *b, enum emit_alu op, int dst, int32_t imm);
void emit_alu_r64_m64(struct emit_buf *b, enum emit_alu op, int dst, struct emit_mem m);
void emit_alu_r32_m32(struct emit_buf *b, enum emit_alu op, int dst, struct emit_mem m);
void emit_alu_m64_imm32(struct emit_buf *b, enum emit_alu op, struct emit_mem m, int32_t imm);
void emit_alu_m32_imm32(struct emit_buf *b, enum emit_alu op, struct emit_mem m, int32_t imm);
void emit_test_r64_r64(struct emit_buf *b, int a, int c);
void emit_test_r32_imm32(struct emit_buf *b, int dst, uint32_t imm);
void emit_shift_r64_cl(struct emit_buf *b, enum emit_shift op, int dst);
void emit_shift_r32_cl(struct emit_buf *b, enum emit_shift op, int dst);
void emit_shift_r64_imm8(struct emit_buf *b, enum emit_shift op, int dst, uint8_t count);
void emit_shift_r32_imm8(struct emit_buf *b, enum emit_shift op, int dst, uint8_t count);
void emit_neg_r64(struct emit_buf *b, int dst);
void emit_neg_r32(struct emit_buf *b, int dst);
void emit_imul_r64_r64(struct emit_buf *b, int dst, int src);
void emit_imul_r32_r32(struct emit_buf *b, int dst, int src);
void emit_mul_r64(struct emit_buf *b, int src);	  /* rdx:rax = rax * src, unsigned */
void emit_imul1_r64(struct emit_buf *b, int src); /* rdx:rax = rax * src, signed */
void emit_div_r64(struct emit_buf *b, int src);
void emit_idiv_r64(struct emit_buf *b, int src);
void emit_div_r32(struct emit_buf *b, int src);
void emit_idiv_r32(struct emit_buf *b, int src);
void emit_cqo(struct emit_buf *b);
void emit_cdq(struct emit_buf *b);
void emit_setcc_r8(struct emit_buf *b, enum emit_cc cc, int dst);
void emit_cmovcc_r64_r64(struct emit_buf *b, enum emit_cc cc, int dst, int src);
void emit_cmovcc_r32_r32(struct emit_buf *b, enum emit_cc cc, int dst, int src);

/* Atomics: the memory operand is the guest location. */
void emit_mfence(struct emit_buf *b);

/*
 * SSE scalar arithmetic (emitted only where plat_has_sse).
 * `reg` is an xmm number; for CVTSI2 the rm is a general register (w: 64-bit
 * source), for CVTT2SI the reg is a general register (w: 64-bit result).
 */
enum emit_sse_prefix { EMIT_SSE_NONE = 0, EMIT_SSE_PD = 0x66, EMIT_SSE_SD = 0xf2, EMIT_SSE_SS = 0xf3 };
enum emit_sse_op {
	EMIT_SSE_LOAD = 0x10,  /* movsd/movss xmm, m */
	EMIT_SSE_STORE = 0x11, /* movsd/movss m, xmm */
	EMIT_SSE_MOVAPS = 0x28, /* register to register, whole xmm (no prefix) */
	EMIT_SSE_CVTSI2 = 0x2a,
	EMIT_SSE_CVTT2SI = 0x2c,
	EMIT_SSE_UCOMI = 0x2e,
	EMIT_SSE_COMI = 0x2f,
	EMIT_SSE_SQRT = 0x51,
	EMIT_SSE_ADD = 0x58,
	EMIT_SSE_MUL = 0x59,
	EMIT_SSE_CVTF2F = 0x5a, /* cvtsd2ss (F2) / cvtss2sd (F3) */
	EMIT_SSE_SUB = 0x5c,
	EMIT_SSE_DIV = 0x5e,
	EMIT_SSE_OR = 0x56, /* orpd (prefix PD); a memory operand must be 16-byte aligned */
	EMIT_SSE_XOR = 0x57, /* xorps (no prefix): with itself, a zero that depends on nothing */
	EMIT_SSE_MOVQ_TO_GPR = 0x7e, /* movq r64, xmm (prefix PD, w): the rm is a general register */
};
void emit_sse_r_m(struct emit_buf *b, enum emit_sse_prefix prefix, enum emit_sse_op op, int xmm,
		  struct emit_mem m);
void emit_sse_r_r(struct emit_buf *b, enum emit_sse_prefix prefix, enum emit_sse_op op, int w,
		  int reg, int rm);
/* x86 vfnmadd is -(a*b)+c, vfnmsub is -(a*b)-c. */
enum emit_fma { EMIT_FMADD231 = 0xb9, EMIT_FMSUB231 = 0xbb, EMIT_FNMADD231 = 0xbd, EMIT_FNMSUB231 = 0xbf };
void emit_fma231_r_r_r(struct emit_buf *b, enum emit_fma op, int w, int dst, int src1, int src2);
/* AVX forms that set no EFLAGS (the NaN canonicalisation of translate_fcache.c). */
void emit_vcmpunord_self(struct emit_buf *b, int single, int dst, int src);
void emit_vblendv_r_r_m(struct emit_buf *b, int single, int dst, int src, struct emit_mem m,
			int mask);

/*
 * Control flow.  The rel32 forms take an absolute target address; they
 * return the offset of their rel32 field so a caller can re-aim it later
 * with emit_patch_rel32() (forward labels, block chaining).
 */
size_t emit_jcc_rel32(struct emit_buf *b, enum emit_cc cc, const void *target);
size_t emit_jmp_rel32(struct emit_buf *b, const void *target);
size_t emit_call_rel32(struct emit_buf *b, const void *target);
void emit_call_r64(struct emit_buf *b, int src);
void emit_push_r64(struct emit_buf *b, int src);
void emit_push_simm32(struct emit_buf *b, int32_t imm);
void emit_ret(struct emit_buf *b);
void emit_jmp_r64(struct emit_buf *b, int src);
void emit_patch_rel32(uint8_t *rel32_field, const void *target);
int emit_rel32_reaches(const void *from_next, const void *target);

#endif
