/* RV64I: ALU, immediates, shifts, W forms, lui/auipc, jumps, branches, loads and stores. */
#include "isa.h"

	ISA_BEGIN
	TEST_RR add, add, 5, 7, 12
	TEST_RR add-wrap, add, 0x7fffffffffffffff, 1, 0x8000000000000000
	TEST_RR sub, sub, 5, 7, -2
	TEST_RR sll, sll, 1, 63, 0x8000000000000000
	TEST_RR sll-mask, sll, 1, 65, 2
	TEST_RR slt, slt, -1, 1, 1
	TEST_RR slt-eq, slt, 3, 3, 0
	TEST_RR sltu, sltu, -1, 1, 0
	TEST_RR sltu-x0, sltu, 0, 5, 1
	TEST_RR xor, xor, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xf0f0f0f0f0f0f0f0
	TEST_RR srl, srl, 0x8000000000000000, 63, 1
	TEST_RR sra, sra, 0x8000000000000000, 63, -1
	TEST_RR sra-mask, sra, -256, 68, -16
	TEST_RR or, or, 0x0f0f, 0xf000, 0xff0f
	TEST_RR and, and, 0x0f0f, 0xff00, 0x0f00
	TEST_RI addi, addi, 10, -11, -1
	TEST_RI addi-max, addi, 0, 2047, 2047
	TEST_RI addi-min, addi, 0, -2048, -2048
	TEST_RI slti, slti, -5, -4, 1
	TEST_RI sltiu, sltiu, 5, -1, 1
	TEST_RI xori-not, xori, 0x1234, -1, -0x1235
	TEST_RI ori, ori, 0x100, 0x0ff, 0x1ff
	TEST_RI andi, andi, -1, 0x7ff, 0x7ff
	TEST_RI andi-neg, andi, 0x12345678, -16, 0x12345670
	TEST_RI slli, slli, 3, 62, 0xc000000000000000
	TEST_RI srli, srli, -1, 60, 15
	TEST_RI srai, srai, 0xf000000000000000, 60, -1
	TEST_RR addw, addw, 0x7fffffff, 1, -0x80000000
	TEST_RR addw-high, addw, 0x1234567800000001, 0x100000001, 2
	TEST_RR subw, subw, 0, 1, -1
	TEST_RR sllw, sllw, 1, 31, -0x80000000
	TEST_RR sllw-mask, sllw, 1, 33, 2
	TEST_RR srlw, srlw, 0x80000000, 31, 1
	TEST_RR srlw-sext, srlw, -1, 0, -1
	TEST_RR sraw, sraw, 0x80000000, 4, -0x8000000
	TEST_RI addiw, addiw, 0x7fffffff, 1, -0x80000000
	TEST_RI addiw-sext, addiw, 0xffffffff00000000, 0, 0
	TEST_RI slliw, slliw, 0x1, 31, -0x80000000
	TEST_RI srliw, srliw, 0xffffffff80000000, 31, 1
	TEST_RI sraiw, sraiw, 0x80000000, 31, -1

	lui s2, 0x80000
	CHECK lui-sext, s2, 0xffffffff80000000
	lui s2, 0x12345
	CHECK lui, s2, 0x12345000

	/* auipc: the distance to a label is what the assembler says. */
1:	auipc s2, 0
	la s3, 1b
	sub s2, s2, s3
	CHECK auipc, s2, 0
8:	auipc s2, 1
	la s3, 8b
	sub s2, s2, s3
	CHECK auipc-imm, s2, 4096

	/* jal and jalr: link values and targets. */
	jal s4, 2f
3:	li s5, 0
	j 4f
2:	la s3, 3b
	sub s2, s4, s3
	CHECK jal-link, s2, 0
	la s3, 5f
	jalr s4, 1(s3)
5:	nop
	j 6f
	/* jalr clears bit 0 of the target: 5f + 1 lands on 5f. */
6:	la s3, 5b
	sub s2, s4, s3
	CHECK jalr-link-lowbit, s2, 0
4:
	/*
	 * An odd target, three times through one jalr (the later ones meet
	 * the translator's jump cache filled for the even pc), and a return
	 * to an odd ra (the return-address stack holds the even one).
	 */
	li s6, 0
	li s7, 3
	la s3, 7f
7:	addi s6, s6, 1
	addi s7, s7, -1
	beqz s7, 8f
	jalr zero, 1(s3)
8:	CHECK jalr-odd-repeated, s6, 3
	call 9f
	j 10f
9:	addi ra, ra, 1
	ret
10:

	/* Branches: each taken and not taken; a miss sets s2. */
	.macro BR name, op, a, b, taken
	li s0, \a
	li s1, \b
	li s2, 1
	\op s0, s1, 7f
	li s2, 0
7:	CHECK \name, s2, \taken
	.endm
	BR beq-taken, beq, -3, -3, 1
	BR beq-not, beq, 3, -3, 0
	BR bne-taken, bne, 3, -3, 1
	BR bne-not, bne, 3, 3, 0
	BR blt-taken, blt, -3, 2, 1
	BR blt-not, blt, 2, -3, 0
	BR bge-taken, bge, 2, 2, 1
	BR bge-not, bge, -3, 2, 0
	BR bltu-taken, bltu, 2, -3, 1
	BR bltu-not, bltu, -3, 2, 0
	BR bgeu-taken, bgeu, -3, 2, 1
	BR bgeu-not, bgeu, 2, -3, 0

	/* Loads and stores. */
	la s0, data
	lb s2, 0(s0)
	CHECK lb, s2, -128
	lbu s2, 0(s0)
	CHECK lbu, s2, 0x80
	lh s2, 2(s0)
	CHECK lh, s2, -0x7ffe
	lhu s2, 2(s0)
	CHECK lhu, s2, 0x8002
	lw s2, 4(s0)
	CHECK lw, s2, -0x7ffffffc
	lwu s2, 4(s0)
	CHECK lwu, s2, 0x80000004
	ld s2, 8(s0)
	CHECK ld, s2, 0x0123456789abcdef
	lw s2, 9(s0)
	CHECK lw-misaligned, s2, 0x6789abcd
	ld s2, -8(s0)
	CHECK ld-negative-offset, s2, 0x1122334455667788
	la s1, scratch
	li s3, 0x1122334455667788
	sd s3, 0(s1)
	sb zero, 1(s1)
	sh zero, 4(s1)
	ld s2, 0(s1)
	CHECK sb-sh, s2, 0x1122000055660088
	sw s3, 3(s1)
	ld s2, 0(s1)
	CHECK sw-misaligned, s2, 0x1155667788660088
	sd s3, 9(s1)
	ld s2, 9(s1)
	CHECK sd-misaligned, s2, 0x1122334455667788

	/* x0 ignores writes; fence is harmless. */
	li zero, 5
	addi s2, zero, 0
	CHECK x0-hardwired, s2, 0
	fence
	fence rw, rw
	CHECK fence, s2, 0

	ISA_END

	.data
	.balign 8
	.dword 0x1122334455667788
data:	.byte 0x80, 0x01
	.half 0x8002
	.word 0x80000004
	.dword 0x0123456789abcdef
	.dword 0
scratch: .skip 32
