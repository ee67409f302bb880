/*
 * Instruction pairs the translator folds into one host instruction
 * (scaled add, zero/sign extension) and sext.w of values whose sign
 * extension it tracks, with the near misses that must not be folded.
 */
#include "isa.h"

	.macro SCALED name:req, k:req, expect:req
	li s0, 0x123
	li s1, 0x1000
	slli s2, s0, \k
	add s2, s2, s1
	CHECK \name, s2, \expect
	.endm

	.macro EXTEND name:req, k:req, right:req, value:req, expect:req
	li s0, \value
	slli s2, s0, \k
	\right s2, s2, \k
	CHECK \name, s2, \expect
	CHECK \name-source-kept, s0, \value
	.endm

	ISA_BEGIN
	SCALED scaled-add-1, 1, 0x1246
	SCALED scaled-add-2, 2, 0x148c
	SCALED scaled-add-3, 3, 0x1918

	li s0, 0x123
	li s1, 0x1000
	slli s2, s0, 3
	add s2, s1, s2
	CHECK scaled-add-rd-second, s2, 0x1918

	slli s0, s0, 1
	add s0, s0, s1
	CHECK scaled-add-in-place, s0, 0x1246

	slli s2, s1, 2
	add s2, s2, s1
	CHECK scaled-add-source-is-other, s2, 0x5000

	li s0, 0x123
	slli s2, s0, 2
	add s2, s2, s2
	CHECK scaled-add-doubled, s2, 0x918

	slli s2, zero, 2
	add s2, s2, s1
	CHECK scaled-add-x0-index, s2, 0x1000

	slli s2, s0, 3
	add s2, s2, zero
	CHECK scaled-add-x0-other, s2, 0x918

	slli s2, s0, 3
	sub s2, s2, s1
	CHECK scaled-sub-not-folded, s2, -0x6e8

	slli s2, s0, 4
	add s2, s2, s1
	CHECK scaled-add-k4, s2, 0x2230

	slli s3, s0, 2
	add s2, s3, s1
	CHECK scaled-add-other-rd, s2, 0x148c
	CHECK scaled-add-other-rd-shift-kept, s3, 0x48c

	li s0, 0x4000000000000001
	slli s2, s0, 2
	add s2, s2, s1
	CHECK scaled-add-wraps, s2, 0x1004

	/* lui/auipc and the instruction completing the value: one mov or lea. */
	lui s2, 0x12345
	addi s2, s2, 0x678
	CHECK upper-addi, s2, 0x12345678
	lui s2, 0x12345
	addi s2, s2, -1
	CHECK upper-addi-negative, s2, 0x12344fff
	lui s2, 0x80000
	addi s2, s2, -1
	CHECK upper-addi-64, s2, 0xffffffff7fffffff
	lui s2, 0x80000
	addiw s2, s2, -1
	CHECK upper-addiw-wraps, s2, 0x7fffffff
	lui s2, 0x7ffff
	addiw s2, s2, 0x7ff
	CHECK upper-addiw, s2, 0x7ffff7ff
	lui s2, 0x400
	add s2, s2, s1
	CHECK upper-add, s2, 0x401000
	lui s2, 0x400
	add s2, s1, s2
	CHECK upper-add-second, s2, 0x401000
	lui s2, 0x80000
	add s2, s2, s1
	CHECK upper-add-negative, s2, 0xffffffff80001000
	lui s2, 0x400
	add s2, s2, zero
	CHECK upper-add-x0, s2, 0x400000
	lui s2, 0x400
	add s2, s2, s2
	CHECK upper-add-doubled, s2, 0x800000
	lui s2, 0x400
	sub s2, s2, s1
	CHECK upper-sub-not-folded, s2, 0x3ff000
	lui s3, 0x400
	addi s2, s3, 1
	CHECK upper-other-rd, s2, 0x400001
	CHECK upper-other-rd-kept, s3, 0x400000
	jal s4, 1f
1:	auipc s2, 0
	addi s2, s2, 16
	sub s2, s2, s4
	CHECK auipc-addi, s2, 16
	jal s4, 2f
2:	auipc s2, 0x1
	add s2, s2, s1
	sub s2, s2, s4
	CHECK auipc-add, s2, 0x2000

	EXTEND zext-w, 32, srli, 0x8899aabbccddeeff, 0xccddeeff
	EXTEND sext-w, 32, srai, 0x8899aabbccddeeff, 0xffffffffccddeeff
	EXTEND zext-h, 48, srli, 0x8899aabbccddeeff, 0xeeff
	EXTEND sext-h, 48, srai, 0x8899aabbccddeeff, 0xffffffffffffeeff
	EXTEND zext-b, 56, srli, 0x8899aabbccddeeff, 0xff
	EXTEND sext-b, 56, srai, 0x8899aabbccddeeff, -1
	EXTEND sext-h-positive, 48, srai, 0x8899aabbcc007f6f, 0x7f6f
	EXTEND sext-b-positive, 56, srai, 0x8899aabbccddee6f, 0x6f
	EXTEND sext-w-positive, 32, srai, 0x8899aabb7cddeeff, 0x7cddeeff
	EXTEND shift-40-not-folded, 40, srli, 0x8899aabbccddeeff, 0xddeeff

	li s0, 0x8899aabbccddeeff
	slli s2, s0, 48
	srli s2, s2, 32
	CHECK extend-uneven-not-folded, s2, 0xeeff0000

	slli s2, s0, 32
	srli s3, s2, 32
	CHECK extend-other-rd, s3, 0xccddeeff
	CHECK extend-other-rd-shift-kept, s2, 0xccddeeff00000000

	slli s0, s0, 56
	srai s0, s0, 56
	CHECK sext-b-in-place, s0, -1

	/* Byte and halfword sources in every pool register the cache may pick. */
	li s3, 0x80
	li s4, 0x8000
	li s5, 0x1ff
	li s6, 0xfffe
	li s7, 0x7f
	slli s8, s3, 56
	srai s8, s8, 56
	slli s9, s4, 48
	srai s9, s9, 48
	slli s10, s5, 56
	srli s10, s10, 56
	slli s11, s6, 48
	srai s11, s11, 48
	slli t0, s7, 56
	srai t0, t0, 56
	CHECK many-sext-b, s8, -0x80
	CHECK many-sext-h, s9, -0x8000
	CHECK many-zext-b, s10, 0xff
	CHECK many-sext-h-2, s11, -2
	CHECK many-sext-b-positive, t0, 0x7f

	/* sext.w of what is already sign-extended, and of what is not. */
	li s0, 0x7fffffff
	addiw s2, s0, 1
	sext.w s3, s2
	CHECK sext-after-addiw, s3, 0xffffffff80000000

	li s0, 1
	slli s0, s0, 31
	sext.w s3, s0
	CHECK sext-after-slli, s3, 0xffffffff80000000

	li s0, 0x180000000
	andi s2, s0, -16
	sext.w s3, s2
	CHECK sext-after-andi-negative, s3, 0xffffffff80000000

	li s0, 0x180000000
	andi s2, s0, 0x7f0
	sext.w s3, s2
	CHECK sext-after-andi-positive, s3, 0

	li s0, -1
	srli s2, s0, 32
	sext.w s3, s2
	CHECK sext-after-srli-32, s3, -1

	srli s2, s0, 33
	sext.w s3, s2
	CHECK sext-after-srli-33, s3, 0x7fffffff

	li s0, 0x100000000
	srai s2, s0, 32
	sext.w s3, s2
	CHECK sext-after-srai-32, s3, 1

	la s0, words
	lw s1, 0(s0)
	lw s2, 4(s0)
	xor s4, s1, s2
	sext.w s3, s4
	CHECK sext-after-xor-of-lw, s3, 0xffffffff80000001

	lwu s1, 0(s0)
	sext.w s3, s1
	CHECK sext-after-lwu, s3, 0xffffffff80000000

	lwu s1, 0(s0)
	xor s4, s1, s2
	sext.w s3, s4
	CHECK sext-after-xor-of-lwu, s3, 0xffffffff80000001

	lui s1, 0x80000
	or s4, s1, s2
	sext.w s4, s4
	CHECK sext-in-place, s4, 0xffffffff80000001

	li s1, 0x7fffffff
	li s2, 0x7fffffff
	add s4, s1, s2
	sext.w s3, s4
	CHECK sext-after-add, s3, -2

	ld s1, 8(s0)
	sext.w s3, s1
	CHECK sext-after-ld, s3, 0x12345678

	/* A known value is forgotten when rd is written by anything else. */
	lw s1, 0(s0)
	addi s1, s1, -1
	sext.w s3, s1
	CHECK sext-after-addi, s3, 0x7fffffff

	li s1, 3
	li s2, 0x80000000
	mul s4, s2, s1
	sext.w s3, s4
	CHECK sext-after-mul, s3, 0xffffffff80000000

	li s2, 0x7fffffff
	mulw s4, s2, s1
	sext.w s3, s4
	CHECK sext-after-mulw, s3, 0x7ffffffd

	li s1, 33
	li s2, 0x200000001
	srl s4, s2, s1
	sext.w s3, s4
	CHECK srl-register, s3, 1

	li s1, 4
	sll s1, s1, s1
	CHECK sll-register-rd-is-count, s1, 64

	li s1, 4
	li s2, -3
	mul s1, s2, s1
	CHECK mul-rd-is-rs2, s1, -12

	mul s2, s2, zero
	CHECK mul-by-x0, s2, 0

	/* W results read only by W operations, sums and logic, then overwritten. */
	li s0, 0x9abcdef087654321
	li s1, 0x11111111
	slliw t0, s0, 7
	srliw t1, s0, 25
	or t0, t0, t1
	addw s2, t0, s1
	li t0, 0
	li t1, 0
	CHECK rotate-then-addw, s2, 0xffffffffc3b2a1d4

	slliw t0, s0, 7
	srliw t1, s0, 25
	or t0, t0, t1
	addw s2, t0, s1
	CHECK rotate-kept, t0, 0xffffffffb2a190c3
	CHECK rotate-kept-low, t1, 0x43

	addw t0, s0, s1
	add t2, t0, t0
	sext.w s2, t2
	li t0, 0
	li t2, 0
	CHECK addw-add-sext, s2, 0x30eca864

	addw t0, s0, s1
	srli s2, t0, 16
	li t0, 0
	CHECK addw-then-srli, s2, 0xffffffff9876

	/* A loop whose way round is a forward branch to a jump back (strlen's shape). */
	la s0, bytes
	li s1, 0
	li s2, 0
1:	lbu t0, 0(s0)
	beqz t0, 3f
	add s1, s1, t0
	andi t1, t0, 1
	bnez t1, 2f
	addi s2, s2, 1
	addi s0, s0, 1
	j 1b
2:	addi s0, s0, 1
	slli s2, s2, 1
	j 1b
3:	CHECK closing-loop-sum, s1, 15
	CHECK closing-loop-both-sides, s2, 6
	ISA_END

	.data
bytes:
	.byte 5, 4, 3, 2, 1, 0
	.balign 8
words:
	.word 0x80000000, 0x00000001
	.dword 0xffffffff12345678
