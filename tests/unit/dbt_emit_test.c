/*
 * dbt_emit_test.c - the x86-64 emitter against GNU objdump.  Writes every
 * instruction form the translator uses to DIR/emit.bin, and what objdump
 * -M intel must read back, one instruction a line, to DIR/emit.expect;
 * run-dbt.sh does the comparison.
 */
#include <stdio.h>
#include <stdlib.h>

#include "emit.h"

#define BUF_SIZE 8192

static uint8_t code[BUF_SIZE];
static struct emit_buf buf = {code, code, code + BUF_SIZE, 0};
static FILE *expect;

/* Each case must emit exactly one instruction: its text goes to the expect file. */
#define CASE(text, stmt)                                                                           \
	do {                                                                                       \
		stmt;                                                                              \
		fprintf(expect, "%s\n", text);                                                     \
	} while (0)

static struct emit_mem bd(int base, int32_t disp)
{
	return emit_mem_bd(base, disp);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	char path[4096];
	snprintf(path, sizeof(path), "%s/emit.expect", argv[1]);
	expect = fopen(path, "w");
	if (!expect) {
		perror(path);
		return 1;
	}
	struct emit_buf *b = &buf;

	CASE("mov rax,rcx", emit_mov_r64_r64(b, EMIT_RAX, EMIT_RCX));
	CASE("mov r15,rdi", emit_mov_r64_r64(b, EMIT_R15, EMIT_RDI));
	CASE("mov rdi,r15", emit_mov_r64_r64(b, EMIT_RDI, EMIT_R15));
	CASE("movabs rcx,0x123456789abcdef0",
	     emit_mov_r64_imm64(b, EMIT_RCX, 0x123456789abcdef0ull));
	CASE("movabs r13,0x4000000000", emit_mov_r64_imm64(b, EMIT_R13, 0x4000000000ull));
	CASE("mov esi,0x12345678", emit_mov_r32_imm32(b, EMIT_RSI, 0x12345678));
	CASE("mov r10d,0x1", emit_mov_r32_imm32(b, EMIT_R10, 1));
	CASE("mov rax,0xffffffffffffffff", emit_mov_r64_simm32(b, EMIT_RAX, -1));
	CASE("mov r11,0x7fffffff", emit_mov_r64_simm32(b, EMIT_R11, 0x7fffffff));
	CASE("mov rax,QWORD PTR [r15+0x200]", emit_mov_r64_m64(b, EMIT_RAX, bd(EMIT_R15, 512)));
	CASE("mov rcx,QWORD PTR [r15+0x8]", emit_mov_r64_m64(b, EMIT_RCX, bd(EMIT_R15, 8)));
	CASE("mov rdx,QWORD PTR [r15]", emit_mov_r64_m64(b, EMIT_RDX, bd(EMIT_R15, 0)));
	CASE("mov r8,QWORD PTR [r13+0x0]", emit_mov_r64_m64(b, EMIT_R8, bd(EMIT_R13, 0)));
	CASE("mov rax,QWORD PTR [rbp+0x0]", emit_mov_r64_m64(b, EMIT_RAX, bd(EMIT_RBP, 0)));
	CASE("mov rax,QWORD PTR [rsp+0x10]", emit_mov_r64_m64(b, EMIT_RAX, bd(EMIT_RSP, 16)));
	CASE("mov rax,QWORD PTR [r12-0x8]", emit_mov_r64_m64(b, EMIT_RAX, bd(EMIT_R12, -8)));
	CASE("mov rcx,QWORD PTR [r14+rax*1]",
	     emit_mov_r64_m64(b, EMIT_RCX, emit_mem_bi(EMIT_R14, EMIT_RAX)));
	CASE("mov rcx,QWORD PTR [r14+rdx*1]",
	     emit_mov_r64_m64(b, EMIT_RCX, emit_mem_bi(EMIT_R14, EMIT_RDX)));
	CASE("mov r9,QWORD PTR [r13+r12*1+0x0]",
	     emit_mov_r64_m64(b, EMIT_R9, emit_mem_bi(EMIT_R13, EMIT_R12)));
	CASE("mov rax,QWORD PTR [rbx+r9*8+0x40]",
	     emit_mov_r64_m64(b, EMIT_RAX, ((struct emit_mem){EMIT_RBX, EMIT_R9, 8, 64})));
	CASE("mov ecx,DWORD PTR [r14+rax*1]",
	     emit_mov_r32_m32(b, EMIT_RCX, emit_mem_bi(EMIT_R14, EMIT_RAX)));
	CASE("mov QWORD PTR [r15+0xf8],rax", emit_mov_m64_r64(b, bd(EMIT_R15, 248), EMIT_RAX));
	CASE("mov DWORD PTR [r14+rax*1],ecx",
	     emit_mov_m32_r32(b, emit_mem_bi(EMIT_R14, EMIT_RAX), EMIT_RCX));
	CASE("mov WORD PTR [r14+rax*1],cx",
	     emit_mov_m16_r16(b, emit_mem_bi(EMIT_R14, EMIT_RAX), EMIT_RCX));
	CASE("mov BYTE PTR [r14+rax*1],cl",
	     emit_mov_m8_r8(b, emit_mem_bi(EMIT_R14, EMIT_RAX), EMIT_RCX));
	CASE("mov BYTE PTR [rax],sil", emit_mov_m8_r8(b, bd(EMIT_RAX, 0), EMIT_RSI));
	CASE("mov BYTE PTR [r14+rax*1],r9b",
	     emit_mov_m8_r8(b, emit_mem_bi(EMIT_R14, EMIT_RAX), EMIT_R9));
	CASE("mov QWORD PTR [r15+0x200],0xffffffffffffff80",
	     emit_mov_m64_simm32(b, bd(EMIT_R15, 512), -128));
	CASE("mov QWORD PTR [r15+0x8],0x12345", emit_mov_m64_simm32(b, bd(EMIT_R15, 8), 0x12345));
	CASE("mov DWORD PTR [r15+0x238],0x73", emit_mov_m32_imm32(b, bd(EMIT_R15, 0x238), 0x73));
	CASE("movzx ecx,BYTE PTR [r14+rax*1]",
	     emit_movzx_r32_m8(b, EMIT_RCX, emit_mem_bi(EMIT_R14, EMIT_RAX)));
	CASE("movzx ecx,WORD PTR [r14+rax*1]",
	     emit_movzx_r32_m16(b, EMIT_RCX, emit_mem_bi(EMIT_R14, EMIT_RAX)));
	CASE("movsx rcx,BYTE PTR [r14+rax*1]",
	     emit_movsx_r64_m8(b, EMIT_RCX, emit_mem_bi(EMIT_R14, EMIT_RAX)));
	CASE("movsx rcx,WORD PTR [r14+rax*1]",
	     emit_movsx_r64_m16(b, EMIT_RCX, emit_mem_bi(EMIT_R14, EMIT_RAX)));
	CASE("movsxd rcx,DWORD PTR [r14+rax*1]",
	     emit_movsxd_r64_m32(b, EMIT_RCX, emit_mem_bi(EMIT_R14, EMIT_RAX)));
	CASE("movsxd rax,eax", emit_movsxd_r64_r32(b, EMIT_RAX, EMIT_RAX));
	CASE("movsxd r8,r11d", emit_movsxd_r64_r32(b, EMIT_R8, EMIT_R11));
	CASE("movzx ebx,dil", emit_movzx_r32_r8(b, EMIT_RBX, EMIT_RDI));
	CASE("movzx r9d,bpl", emit_movzx_r32_r8(b, EMIT_R9, EMIT_RBP));
	CASE("movzx ebp,r12w", emit_movzx_r32_r16(b, EMIT_RBP, EMIT_R12));
	CASE("movsx rdi,bl", emit_movsx_r64_r8(b, EMIT_RDI, EMIT_RBX));
	CASE("movsx r10,r11b", emit_movsx_r64_r8(b, EMIT_R10, EMIT_R11));
	CASE("movsx r8,di", emit_movsx_r64_r16(b, EMIT_R8, EMIT_RDI));
	CASE("lea rbx,[rbp+r12*4+0x0]",
	     emit_lea_r64_m(b, EMIT_RBX, (struct emit_mem){EMIT_RBP, EMIT_R12, 4, 0}));
	CASE("lea rax,[rcx+0x7ff]", emit_lea_r64_m(b, EMIT_RAX, bd(EMIT_RCX, 0x7ff)));

	CASE("add rax,rcx", emit_alu_r64_r64(b, EMIT_ADD, EMIT_RAX, EMIT_RCX));
	CASE("sub rdx,rax", emit_alu_r64_r64(b, EMIT_SUB, EMIT_RDX, EMIT_RAX));
	CASE("cmp rax,r13", emit_alu_r64_r64(b, EMIT_CMP, EMIT_RAX, EMIT_R13));
	CASE("xor eax,eax", emit_alu_r32_r32(b, EMIT_XOR, EMIT_RAX, EMIT_RAX));
	CASE("and r8d,r15d", emit_alu_r32_r32(b, EMIT_AND, EMIT_R8, EMIT_R15));
	CASE("add rax,0xfffffffffffff800", emit_alu_r64_imm32(b, EMIT_ADD, EMIT_RAX, -2048));
	CASE("and rax,0xfffffffffffffffe", emit_alu_r64_imm32(b, EMIT_AND, EMIT_RAX, -2));
	CASE("or r9,0x7ff", emit_alu_r64_imm32(b, EMIT_OR, EMIT_R9, 0x7ff));
	CASE("cmp ecx,0xffffffff", emit_alu_r32_imm32(b, EMIT_CMP, EMIT_RCX, -1));
	CASE("add eax,0x12345", emit_alu_r32_imm32(b, EMIT_ADD, EMIT_RAX, 0x12345));
	CASE("xor rax,QWORD PTR [r15+0x50]",
	     emit_alu_r64_m64(b, EMIT_XOR, EMIT_RAX, bd(EMIT_R15, 80)));
	CASE("cmp rdx,QWORD PTR [r15+0x210]",
	     emit_alu_r64_m64(b, EMIT_CMP, EMIT_RDX, bd(EMIT_R15, 0x210)));
	CASE("add QWORD PTR [r15+0x220],0x7fffffff",
	     emit_alu_m64_imm32(b, EMIT_ADD, bd(EMIT_R15, 0x220), 0x7fffffff));
	CASE("add QWORD PTR [r15+0x220],0x3",
	     emit_alu_m64_imm32(b, EMIT_ADD, bd(EMIT_R15, 0x220), 3));
	CASE("test rcx,rcx", emit_test_r64_r64(b, EMIT_RCX, EMIT_RCX));
	CASE("test eax,0x7", emit_test_r32_imm32(b, EMIT_RAX, 7));
	CASE("test r9d,0x3", emit_test_r32_imm32(b, EMIT_R9, 3));
	CASE("shl rax,cl", emit_shift_r64_cl(b, EMIT_SHL, EMIT_RAX));
	CASE("sar eax,cl", emit_shift_r32_cl(b, EMIT_SAR, EMIT_RAX));
	CASE("shr rax,0x3f", emit_shift_r64_imm8(b, EMIT_SHR, EMIT_RAX, 63));
	CASE("shl r10d,0x1f", emit_shift_r32_imm8(b, EMIT_SHL, EMIT_R10, 31));
	CASE("ror r10d,0x13", emit_shift_r32_imm8(b, EMIT_ROR, EMIT_R10, 19));
	CASE("ror ebx,0x7", emit_shift_r32_imm8(b, EMIT_ROR, EMIT_RBX, 7));
	CASE("ror rsi,0x1c", emit_shift_r64_imm8(b, EMIT_ROR, EMIT_RSI, 28));
	CASE("ror r12,0x3f", emit_shift_r64_imm8(b, EMIT_ROR, EMIT_R12, 63));
	CASE("neg rax", emit_neg_r64(b, EMIT_RAX));
	CASE("neg eax", emit_neg_r32(b, EMIT_RAX));
	CASE("imul rax,rcx", emit_imul_r64_r64(b, EMIT_RAX, EMIT_RCX));
	CASE("imul eax,ecx", emit_imul_r32_r32(b, EMIT_RAX, EMIT_RCX));
	CASE("mul rcx", emit_mul_r64(b, EMIT_RCX));
	CASE("imul rcx", emit_imul1_r64(b, EMIT_RCX));
	CASE("div rcx", emit_div_r64(b, EMIT_RCX));
	CASE("idiv rcx", emit_idiv_r64(b, EMIT_RCX));
	CASE("div ecx", emit_div_r32(b, EMIT_RCX));
	CASE("idiv r8d", emit_idiv_r32(b, EMIT_R8));
	CASE("cqo", emit_cqo(b));
	CASE("cdq", emit_cdq(b));
	CASE("setl al", emit_setcc_r8(b, EMIT_CC_L, EMIT_RAX));
	CASE("setb dil", emit_setcc_r8(b, EMIT_CC_B, EMIT_RDI));
	CASE("setne r9b", emit_setcc_r8(b, EMIT_CC_NE, EMIT_R9));
	CASE("cmovg rcx,rsi", emit_cmovcc_r64_r64(b, EMIT_CC_G, EMIT_RCX, EMIT_RSI));
	CASE("cmovb ecx,esi", emit_cmovcc_r32_r32(b, EMIT_CC_B, EMIT_RCX, EMIT_RSI));

	CASE("cmp eax,DWORD PTR [r14+rdx*1]",
	     emit_alu_r32_m32(b, EMIT_CMP, EMIT_RAX, emit_mem_bi(EMIT_R14, EMIT_RDX)));
	CASE("cmp r9d,DWORD PTR [rdx+0x8]",
	     emit_alu_r32_m32(b, EMIT_CMP, EMIT_R9, bd(EMIT_RDX, 8)));
	CASE("mfence", emit_mfence(b));
	CASE("movq rax,xmm3", emit_sse_r_r(b, EMIT_SSE_PD, EMIT_SSE_MOVQ_TO_GPR, 1, 3, EMIT_RAX));
	CASE("movq rax,xmm12", emit_sse_r_r(b, EMIT_SSE_PD, EMIT_SSE_MOVQ_TO_GPR, 1, 12, EMIT_RAX));
	CASE("xorps xmm5,xmm5", emit_sse_r_r(b, EMIT_SSE_NONE, EMIT_SSE_XOR, 0, 5, 5));
	CASE("cvtsi2sd xmm12,r9d", emit_sse_r_r(b, EMIT_SSE_SD, EMIT_SSE_CVTSI2, 0, 12, EMIT_R9));
	CASE("vfmadd231sd xmm0,xmm1,xmm9", emit_fma231_r_r_r(b, EMIT_FMADD231, 1, 0, 1, 9));
	CASE("vfnmsub231ss xmm10,xmm1,xmm2", emit_fma231_r_r_r(b, EMIT_FNMSUB231, 0, 10, 1, 2));
	CASE("vcmpunordsd xmm1,xmm2,xmm2", emit_vcmpunord_self(b, 0, 1, 2));
	CASE("vcmpunordss xmm1,xmm14,xmm14", emit_vcmpunord_self(b, 1, 1, 14));
	CASE("vblendvpd xmm2,xmm2,XMMWORD PTR [r15+0x2a0],xmm1",
	     emit_vblendv_r_r_m(b, 0, 2, 2, bd(EMIT_R15, 0x2a0), 1));
	CASE("vblendvps xmm13,xmm13,XMMWORD PTR [r15+0x2b0],xmm1",
	     emit_vblendv_r_r_m(b, 1, 13, 13, bd(EMIT_R15, 0x2b0), 1));

	/* Branch targets are offsets into the buffer, as objdump -b binary prints them. */
	CASE("jae 0x0", emit_jcc_rel32(b, EMIT_CC_AE, code));
	CASE("jne 0x1000", emit_jcc_rel32(b, EMIT_CC_NE, code + 0x1000));
	CASE("jmp 0x10", emit_jmp_rel32(b, code + 0x10));
	CASE("call 0x1800", emit_call_rel32(b, code + 0x1800));
	size_t field;
	CASE("je 0x20", (field = emit_jcc_rel32(b, EMIT_CC_E, NULL),
			 emit_patch_rel32(code + field, code + 0x20)));
	CASE("push 0x10abc", emit_push_simm32(b, 0x10abc));
	CASE("push 0xffffffffffffff80", emit_push_simm32(b, -128));
	CASE("call rax", emit_call_r64(b, EMIT_RAX));
	CASE("jmp rcx", emit_jmp_r64(b, EMIT_RCX));
	CASE("jmp r11", emit_jmp_r64(b, EMIT_R11));

	fclose(expect);
	if (buf.overflow) {
		fprintf(stderr, "emit buffer overflow\n");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/emit.bin", argv[1]);
	FILE *out = fopen(path, "wb");
	if (!out || fwrite(code, 1, emit_offset(&buf), out) != emit_offset(&buf) || fclose(out)) {
		perror(path);
		return 1;
	}
	return 0;
}
