/*
 * emit.c - x86-64 encodings (Intel SDM vol. 2, chapter 2: REX, ModRM, SIB).
 */
#include "emit.h"

#include "rt.h"

#define REX_W 8
#define REX_R 4
#define REX_X 2
#define REX_B 1

/* Room for the longest instruction (15 bytes, SDM vol. 2, 2.3.11). */
#define EMIT_MAX_INSN 15

void emit_bytes(struct emit_buf *b, const void *bytes, size_t n)
{
	if (b->overflow || (size_t)(b->end - b->p) < n) {
		b->overflow = 1;
		return;
	}
	memcpy(b->p, bytes, n);
	b->p += n;
}

/* Instructions are assembled in a small local buffer, then appended. */
struct insn {
	uint8_t bytes[EMIT_MAX_INSN];
	unsigned n;
};

static void put8(struct insn *i, uint8_t v)
{
	i->bytes[i->n++] = v;
}

static void put32(struct insn *i, uint32_t v)
{
	for (int k = 0; k < 4; k++)
		put8(i, (uint8_t)(v >> (8 * k)));
}

static void flush(struct emit_buf *b, const struct insn *i)
{
	emit_bytes(b, i->bytes, i->n);
}

static int fits8(int32_t v)
{
	return v >= -128 && v <= 127;
}

/*
 * REX is needed for W, for any of r8-r15, and for byte access to
 * spl/bpl/sil/dil (without REX those encodings mean ah/ch/dh/bh).
 */
static void rex(struct insn *i, int w, int reg, int index, int base, int byte_regs)
{
	uint8_t r = 0x40;
	if (w)
		r |= REX_W;
	if (reg >= 8)
		r |= REX_R;
	if (index >= 8)
		r |= REX_X;
	if (base >= 8)
		r |= REX_B;
	if (r != 0x40 || (byte_regs && ((reg >= 4 && reg < 8) || (base >= 4 && base < 8))))
		put8(i, r);
}

/* ModRM (+SIB, +disp) for a memory operand; rsp/r12 as base need a SIB, rbp/r13 a disp. */
static void modrm_mem(struct insn *i, int reg, struct emit_mem m)
{
	int need_disp = (m.base & 7) == EMIT_RBP;
	int mod = (m.disp == 0 && !need_disp) ? 0 : fits8(m.disp) ? 1 : 2;
	if (m.index == EMIT_NO_INDEX && (m.base & 7) != EMIT_RSP) {
		put8(i, (uint8_t)(mod << 6 | (reg & 7) << 3 | (m.base & 7)));
	} else {
		int ss = m.scale == 8 ? 3 : m.scale == 4 ? 2 : m.scale == 2 ? 1 : 0;
		int index = m.index == EMIT_NO_INDEX ? EMIT_RSP : m.index;
		put8(i, (uint8_t)(mod << 6 | (reg & 7) << 3 | 4));
		put8(i, (uint8_t)(ss << 6 | (index & 7) << 3 | (m.base & 7)));
	}
	if (mod == 1)
		put8(i, (uint8_t)m.disp);
	else if (mod == 2)
		put32(i, (uint32_t)m.disp);
}

/* One instruction with a register and a memory operand. */
static void op_mem(struct emit_buf *b, int prefix, int w, const uint8_t *opc, int nopc, int reg,
		   struct emit_mem m, int byte_regs)
{
	struct insn i = {.n = 0};
	if (prefix)
		put8(&i, (uint8_t)prefix);
	rex(&i, w, reg, m.index == EMIT_NO_INDEX ? 0 : m.index, m.base, byte_regs);
	for (int k = 0; k < nopc; k++)
		put8(&i, opc[k]);
	modrm_mem(&i, reg, m);
	flush(b, &i);
}

/* One instruction with two register operands (ModRM mod=11). */
static void op_reg(struct emit_buf *b, int w, const uint8_t *opc, int nopc, int reg, int rm,
		   int byte_regs)
{
	struct insn i = {.n = 0};
	rex(&i, w, reg, 0, rm, byte_regs);
	for (int k = 0; k < nopc; k++)
		put8(&i, opc[k]);
	put8(&i, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7)));
	flush(b, &i);
}

#define OPC(...) (const uint8_t[]){__VA_ARGS__}, (int)sizeof((const uint8_t[]){__VA_ARGS__})

void emit_mov_r64_r64(struct emit_buf *b, int dst, int src)
{
	op_reg(b, 1, OPC(0x89), src, dst, 0);
}

void emit_mov_r32_r32(struct emit_buf *b, int dst, int src)
{
	op_reg(b, 0, OPC(0x89), src, dst, 0);
}

void emit_mov_r64_imm64(struct emit_buf *b, int dst, uint64_t imm)
{
	struct insn i = {.n = 0};
	put8(&i, (uint8_t)(0x48 | (dst >= 8 ? REX_B : 0)));
	put8(&i, (uint8_t)(0xb8 + (dst & 7)));
	put32(&i, (uint32_t)imm);
	put32(&i, (uint32_t)(imm >> 32));
	flush(b, &i);
}

void emit_mov_r32_imm32(struct emit_buf *b, int dst, uint32_t imm)
{
	struct insn i = {.n = 0};
	if (dst >= 8)
		put8(&i, 0x40 | REX_B);
	put8(&i, (uint8_t)(0xb8 + (dst & 7)));
	put32(&i, imm);
	flush(b, &i);
}

void emit_mov_r64_simm32(struct emit_buf *b, int dst, int32_t imm)
{
	struct insn i = {.n = 0};
	put8(&i, (uint8_t)(0x48 | (dst >= 8 ? REX_B : 0)));
	put8(&i, 0xc7);
	put8(&i, (uint8_t)(0xc0 | (dst & 7)));
	put32(&i, (uint32_t)imm);
	flush(b, &i);
}

void emit_mov_r64_m64(struct emit_buf *b, int dst, struct emit_mem m)
{
	op_mem(b, 0, 1, OPC(0x8b), dst, m, 0);
}

void emit_mov_r32_m32(struct emit_buf *b, int dst, struct emit_mem m)
{
	op_mem(b, 0, 0, OPC(0x8b), dst, m, 0);
}

void emit_mov_m64_r64(struct emit_buf *b, struct emit_mem m, int src)
{
	op_mem(b, 0, 1, OPC(0x89), src, m, 0);
}

void emit_mov_m32_r32(struct emit_buf *b, struct emit_mem m, int src)
{
	op_mem(b, 0, 0, OPC(0x89), src, m, 0);
}

void emit_mov_m16_r16(struct emit_buf *b, struct emit_mem m, int src)
{
	op_mem(b, 0x66, 0, OPC(0x89), src, m, 0);
}

void emit_mov_m8_r8(struct emit_buf *b, struct emit_mem m, int src)
{
	op_mem(b, 0, 0, OPC(0x88), src, m, 1);
}

static void mov_m_imm32(struct emit_buf *b, int w, struct emit_mem m, uint32_t imm)
{
	uint8_t le[4] = {(uint8_t)imm, (uint8_t)(imm >> 8), (uint8_t)(imm >> 16),
			 (uint8_t)(imm >> 24)};
	op_mem(b, 0, w, OPC(0xc7), 0, m, 0);
	emit_bytes(b, le, 4);
}

void emit_mov_m64_simm32(struct emit_buf *b, struct emit_mem m, int32_t imm)
{
	mov_m_imm32(b, 1, m, (uint32_t)imm);
}

void emit_mov_m32_imm32(struct emit_buf *b, struct emit_mem m, uint32_t imm)
{
	mov_m_imm32(b, 0, m, imm);
}

void emit_movzx_r32_m8(struct emit_buf *b, int dst, struct emit_mem m)
{
	op_mem(b, 0, 0, OPC(0x0f, 0xb6), dst, m, 0);
}

void emit_movzx_r32_m16(struct emit_buf *b, int dst, struct emit_mem m)
{
	op_mem(b, 0, 0, OPC(0x0f, 0xb7), dst, m, 0);
}

void emit_movsx_r64_m8(struct emit_buf *b, int dst, struct emit_mem m)
{
	op_mem(b, 0, 1, OPC(0x0f, 0xbe), dst, m, 0);
}

void emit_movsx_r64_m16(struct emit_buf *b, int dst, struct emit_mem m)
{
	op_mem(b, 0, 1, OPC(0x0f, 0xbf), dst, m, 0);
}

void emit_movsxd_r64_m32(struct emit_buf *b, int dst, struct emit_mem m)
{
	op_mem(b, 0, 1, OPC(0x63), dst, m, 0);
}

void emit_movsxd_r64_r32(struct emit_buf *b, int dst, int src)
{
	op_reg(b, 1, OPC(0x63), dst, src, 0);
}

/* A byte source needs a REX prefix to mean spl/bpl/sil/dil, not ah..bh. */
void emit_movzx_r32_r8(struct emit_buf *b, int dst, int src)
{
	op_reg(b, 0, OPC(0x0f, 0xb6), dst, src, 1);
}

void emit_movzx_r32_r16(struct emit_buf *b, int dst, int src)
{
	op_reg(b, 0, OPC(0x0f, 0xb7), dst, src, 0);
}

void emit_movsx_r64_r8(struct emit_buf *b, int dst, int src)
{
	op_reg(b, 1, OPC(0x0f, 0xbe), dst, src, 1);
}

void emit_movsx_r64_r16(struct emit_buf *b, int dst, int src)
{
	op_reg(b, 1, OPC(0x0f, 0xbf), dst, src, 0);
}

void emit_lea_r64_m(struct emit_buf *b, int dst, struct emit_mem m)
{
	op_mem(b, 0, 1, OPC(0x8d), dst, m, 0);
}

void emit_alu_r64_r64(struct emit_buf *b, enum emit_alu op, int dst, int src)
{
	op_reg(b, 1, OPC((uint8_t)(op * 8 + 1)), src, dst, 0);
}

void emit_alu_r32_r32(struct emit_buf *b, enum emit_alu op, int dst, int src)
{
	op_reg(b, 0, OPC((uint8_t)(op * 8 + 1)), src, dst, 0);
}

/* 83 /op ib when the immediate fits a sign-extended byte, else 81 /op id. */
static void alu_imm(struct emit_buf *b, int w, enum emit_alu op, int dst, int32_t imm)
{
	struct insn i = {.n = 0};
	rex(&i, w, 0, 0, dst, 0);
	put8(&i, fits8(imm) ? 0x83 : 0x81);
	put8(&i, (uint8_t)(0xc0 | op << 3 | (dst & 7)));
	if (fits8(imm))
		put8(&i, (uint8_t)imm);
	else
		put32(&i, (uint32_t)imm);
	flush(b, &i);
}

void emit_alu_r64_imm32(struct emit_buf *b, enum emit_alu op, int dst, int32_t imm)
{
	alu_imm(b, 1, op, dst, imm);
}

void emit_alu_r32_imm32(struct emit_buf *b, enum emit_alu op, int dst, int32_t imm)
{
	alu_imm(b, 0, op, dst, imm);
}

void emit_alu_r64_m64(struct emit_buf *b, enum emit_alu op, int dst, struct emit_mem m)
{
	op_mem(b, 0, 1, OPC((uint8_t)(op * 8 + 3)), dst, m, 0);
}

void emit_alu_r32_m32(struct emit_buf *b, enum emit_alu op, int dst, struct emit_mem m)
{
	op_mem(b, 0, 0, OPC((uint8_t)(op * 8 + 3)), dst, m, 0);
}

static void alu_m_imm32(struct emit_buf *b, int w, enum emit_alu op, struct emit_mem m, int32_t imm)
{
	if (fits8(imm)) {
		op_mem(b, 0, w, OPC(0x83), (int)op, m, 0);
		emit_bytes(b, &(uint8_t){(uint8_t)imm}, 1);
	} else {
		op_mem(b, 0, w, OPC(0x81), (int)op, m, 0);
		uint32_t v = (uint32_t)imm;
		uint8_t le[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
				 (uint8_t)(v >> 24)};
		emit_bytes(b, le, 4);
	}
}

void emit_alu_m64_imm32(struct emit_buf *b, enum emit_alu op, struct emit_mem m, int32_t imm)
{
	alu_m_imm32(b, 1, op, m, imm);
}

void emit_alu_m32_imm32(struct emit_buf *b, enum emit_alu op, struct emit_mem m, int32_t imm)
{
	alu_m_imm32(b, 0, op, m, imm);
}

void emit_test_r64_r64(struct emit_buf *b, int a, int c)
{
	op_reg(b, 1, OPC(0x85), c, a, 0);
}

void emit_test_r32_imm32(struct emit_buf *b, int dst, uint32_t imm)
{
	uint8_t le[4] = {(uint8_t)imm, (uint8_t)(imm >> 8), (uint8_t)(imm >> 16),
			 (uint8_t)(imm >> 24)};
	op_reg(b, 0, OPC(0xf7), 0, dst, 0);
	emit_bytes(b, le, 4);
}

void emit_shift_r64_cl(struct emit_buf *b, enum emit_shift op, int dst)
{
	op_reg(b, 1, OPC(0xd3), (int)op, dst, 0);
}

void emit_shift_r32_cl(struct emit_buf *b, enum emit_shift op, int dst)
{
	op_reg(b, 0, OPC(0xd3), (int)op, dst, 0);
}

void emit_shift_r64_imm8(struct emit_buf *b, enum emit_shift op, int dst, uint8_t count)
{
	op_reg(b, 1, OPC(0xc1), (int)op, dst, 0);
	emit_bytes(b, &count, 1);
}

void emit_shift_r32_imm8(struct emit_buf *b, enum emit_shift op, int dst, uint8_t count)
{
	op_reg(b, 0, OPC(0xc1), (int)op, dst, 0);
	emit_bytes(b, &count, 1);
}

void emit_neg_r64(struct emit_buf *b, int dst)
{
	op_reg(b, 1, OPC(0xf7), 3, dst, 0);
}

void emit_neg_r32(struct emit_buf *b, int dst)
{
	op_reg(b, 0, OPC(0xf7), 3, dst, 0);
}

void emit_imul_r64_r64(struct emit_buf *b, int dst, int src)
{
	op_reg(b, 1, OPC(0x0f, 0xaf), dst, src, 0);
}

void emit_imul_r32_r32(struct emit_buf *b, int dst, int src)
{
	op_reg(b, 0, OPC(0x0f, 0xaf), dst, src, 0);
}

void emit_mul_r64(struct emit_buf *b, int src)
{
	op_reg(b, 1, OPC(0xf7), 4, src, 0);
}

void emit_imul1_r64(struct emit_buf *b, int src)
{
	op_reg(b, 1, OPC(0xf7), 5, src, 0);
}

void emit_div_r64(struct emit_buf *b, int src)
{
	op_reg(b, 1, OPC(0xf7), 6, src, 0);
}

void emit_idiv_r64(struct emit_buf *b, int src)
{
	op_reg(b, 1, OPC(0xf7), 7, src, 0);
}

void emit_div_r32(struct emit_buf *b, int src)
{
	op_reg(b, 0, OPC(0xf7), 6, src, 0);
}

void emit_idiv_r32(struct emit_buf *b, int src)
{
	op_reg(b, 0, OPC(0xf7), 7, src, 0);
}

void emit_cqo(struct emit_buf *b)
{
	emit_bytes(b, (const uint8_t[]){0x48, 0x99}, 2);
}

void emit_cdq(struct emit_buf *b)
{
	emit_bytes(b, (const uint8_t[]){0x99}, 1);
}

void emit_setcc_r8(struct emit_buf *b, enum emit_cc cc, int dst)
{
	op_reg(b, 0, OPC(0x0f, (uint8_t)(0x90 + cc)), 0, dst, 1);
}

void emit_cmovcc_r64_r64(struct emit_buf *b, enum emit_cc cc, int dst, int src)
{
	op_reg(b, 1, OPC(0x0f, (uint8_t)(0x40 + cc)), dst, src, 0);
}

void emit_cmovcc_r32_r32(struct emit_buf *b, enum emit_cc cc, int dst, int src)
{
	op_reg(b, 0, OPC(0x0f, (uint8_t)(0x40 + cc)), dst, src, 0);
}

void emit_mfence(struct emit_buf *b)
{
	emit_bytes(b, (const uint8_t[]){0x0f, 0xae, 0xf0}, 3);
}

int emit_rel32_reaches(const void *from_next, const void *target)
{
	int64_t d = (int64_t)((uintptr_t)target - (uintptr_t)from_next);
	return d >= INT32_MIN && d <= INT32_MAX;
}

void emit_patch_rel32(uint8_t *field, const void *target)
{
	int64_t d = (int64_t)((uintptr_t)target - (uintptr_t)(field + 4));
	uint32_t v = (uint32_t)(int32_t)d;
	memcpy(field, &v, 4);
}

/* Emits opcode bytes plus a rel32 aimed at target (0 when target is NULL). */
static size_t rel32(struct emit_buf *b, const uint8_t *opc, int nopc, const void *target)
{
	uint8_t bytes[6] = {0};
	memcpy(bytes, opc, (size_t)nopc);
	emit_bytes(b, bytes, (size_t)nopc + 4);
	if (b->overflow)
		return 0;
	size_t field = emit_offset(b) - 4;
	if (target)
		emit_patch_rel32(b->start + field, target);
	return field;
}

size_t emit_jcc_rel32(struct emit_buf *b, enum emit_cc cc, const void *target)
{
	return rel32(b, OPC(0x0f, (uint8_t)(0x80 + cc)), target);
}

size_t emit_jmp_rel32(struct emit_buf *b, const void *target)
{
	return rel32(b, OPC(0xe9), target);
}

size_t emit_call_rel32(struct emit_buf *b, const void *target)
{
	return rel32(b, OPC(0xe8), target);
}

void emit_push_r64(struct emit_buf *b, int src)
{
	uint8_t op[2] = {0x41, (uint8_t)(0x50 | (src & 7))};
	if (src >= 8)
		emit_bytes(b, op, 2);
	else
		emit_bytes(b, op + 1, 1);
}

/* push of an immediate, sign-extended to 64 bits. */
void emit_push_simm32(struct emit_buf *b, int32_t imm)
{
	struct insn i = {.n = 0};
	put8(&i, 0x68);
	put32(&i, (uint32_t)imm);
	flush(b, &i);
}

void emit_ret(struct emit_buf *b)
{
	emit_bytes(b, &(uint8_t){0xc3}, 1);
}

void emit_call_r64(struct emit_buf *b, int src)
{
	op_reg(b, 0, OPC(0xff), 2, src, 0);
}

void emit_jmp_r64(struct emit_buf *b, int src)
{
	op_reg(b, 0, OPC(0xff), 4, src, 0);
}

/*
 * SSE scalar forms: a mandatory prefix (F2 double, F3 single, 66 or none
 * for ucomis/comis), then REX, then 0F op (SDM vol. 2, 2.1.1: the
 * mandatory prefix goes before REX).
 */
void emit_sse_r_m(struct emit_buf *b, enum emit_sse_prefix prefix, enum emit_sse_op op, int xmm,
		  struct emit_mem m)
{
	op_mem(b, prefix, 0, OPC(0x0f, (uint8_t)op), xmm, m, 0);
}

void emit_sse_r_r(struct emit_buf *b, enum emit_sse_prefix prefix, enum emit_sse_op op, int w,
		  int reg, int rm)
{
	struct insn i = {.n = 0};
	if (prefix)
		put8(&i, (uint8_t)prefix);
	rex(&i, w, reg, 0, rm, 0);
	put8(&i, 0x0f);
	put8(&i, (uint8_t)op);
	put8(&i, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7)));
	flush(b, &i);
}

/*
 * The three-byte VEX prefix (SDM vol. 2, 2.3.5), 128-bit: map 1 = 0F,
 * 2 = 0F38, 3 = 0F3A; pp 0 = none, 1 = 66, 2 = F3, 3 = F2; `vvvv` the
 * extra source register; reg, index and base as in the ModRM/SIB bytes.
 */
static void vex3(struct insn *i, int map, int pp, int w, int reg, int index, int base, int vvvv)
{
	put8(i, 0xc4);
	put8(i, (uint8_t)((reg >= 8 ? 0 : 0x80) | (index >= 8 ? 0 : 0x40) | (base >= 8 ? 0 : 0x20) |
			  map));
	put8(i, (uint8_t)((w ? 0x80 : 0) | (~vvvv & 15) << 3 | pp));
}

/*
 * FMA3 scalar, 231 form (map 0F38, pp = 66): xmm `dst` = +-(xmm `src1` *
 * src2) +- dst.  w selects double.
 */
void emit_fma231_r_r_r(struct emit_buf *b, enum emit_fma op, int w, int dst, int src1, int src2)
{
	struct insn i = {.n = 0};
	vex3(&i, 2, 1, w, dst, 0, src2, src1);
	put8(&i, (uint8_t)op);
	put8(&i, (uint8_t)(0xc0 | (dst & 7) << 3 | (src2 & 7)));
	flush(b, &i);
}

/* vcmpunordsd/ss dst, src, src: dst's low lane all ones where src is a NaN; no EFLAGS. */
void emit_vcmpunord_self(struct emit_buf *b, int single, int dst, int src)
{
	struct insn i = {.n = 0};
	vex3(&i, 1, single ? 2 : 3, 0, dst, 0, src, src);
	put8(&i, 0xc2);
	put8(&i, (uint8_t)(0xc0 | (dst & 7) << 3 | (src & 7)));
	put8(&i, 3); /* UNORD_Q */
	flush(b, &i);
}

/*
 * vblendvpd/ps dst, src, m, mask (map 0F3A, pp = 66): each 64-bit (32-bit)
 * lane from m where the mask's lane has its top bit set, else from src.
 */
void emit_vblendv_r_r_m(struct emit_buf *b, int single, int dst, int src, struct emit_mem m,
			int mask)
{
	struct insn i = {.n = 0};
	int index = m.index == EMIT_NO_INDEX ? 0 : m.index;
	vex3(&i, 3, 1, 0, dst, index, m.base, src);
	put8(&i, single ? 0x4a : 0x4b);
	modrm_mem(&i, dst, m);
	put8(&i, (uint8_t)(mask << 4));
	flush(b, &i);
}
