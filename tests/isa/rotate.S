/*
 * Rotates spelled as two shifts and an or (rv64gc has no Zbb), which the
 * translator folds into one x86 ror when the shifts' results are never
 * observed, and the near misses where they are, or where the shape is
 * not a rotate.  x = 0x9abcdef087654321 throughout (s0, restored after
 * the checks that change it).  CHECK ends a block, so a folded case
 * overwrites the shifts' results before it.
 */
#include "isa.h"

#define X 0x9abcdef087654321

	/* s4 = x rotated right by 7, five times over, in a loop of its own. */
	.macro ROTATE_5_TIMES
	li s5, 5
	mv s4, s0
1:	srliw t1, s4, 7
	slliw t2, s4, 25
	or s4, t1, t2
	addi s5, s5, -1
	bnez s5, 1b
	.endm

	ISA_BEGIN
	li s0, X

	/* W: srliw + slliw = 32, both orders, both operand orders. */
	srliw t1, s0, 7
	slliw t2, s0, 25
	or t0, t1, t2
	li t1, 0
	li t2, 0
	CHECK rotw-7, t0, 0x430eca86

	slliw t2, s0, 25
	srliw t1, s0, 7
	or t0, t2, t1
	li t1, 0
	li t2, 0
	CHECK rotw-7-left-first-swapped, t0, 0x430eca86

	srliw t1, s0, 1
	slliw t2, s0, 31
	or t0, t1, t2
	li t2, 0
	li t1, 0
	CHECK rotw-1-negative, t0, 0xffffffffc3b2a190

	srliw t1, s0, 31
	slliw t2, s0, 1
	or t0, t2, t1
	li t1, 0
	li t2, 0
	CHECK rotw-31, t0, 0x0eca8643

	/* 64-bit: srli + slli = 64. */
	srli t1, s0, 24
	slli t2, s0, 40
	or t0, t1, t2
	li t1, 0
	li t2, 0
	CHECK rot64-24, t0, 0x6543219abcdef087

	slli t2, s0, 63
	srli t1, s0, 1
	or t0, t2, t1
	li t1, 0
	li t2, 0
	CHECK rot64-1-left-first-swapped, t0, 0xcd5e6f7843b2a190

	srli t1, s0, 63
	slli t2, s0, 1
	or t0, t1, t2
	li t1, 0
	li t2, 0
	CHECK rot64-63, t0, 0x3579bde10eca8643

	/* Interleaved with unrelated instructions, as a scheduler leaves them. */
	li s5, 0x1234
	li s6, 0x10000
	srliw s2, s0, 13
	addw s4, s5, s6
	slliw s3, s0, 19
	xor s7, s4, s5
	or s8, s3, s2
	li s2, 0
	li s3, 0
	CHECK rotw-interleaved, s8, 0x190c3b2a
	CHECK rotw-interleaved-other, s4, 0x11234
	CHECK rotw-interleaved-other-2, s7, 0x10000

	/* The or writes one of the shifts' results, or the source itself. */
	srliw t1, s0, 7
	slliw t0, s0, 25
	or t0, t0, t1
	li t1, 0
	CHECK rotw-rd-is-shift, t0, 0x430eca86

	mv s9, s0
	srli t1, s9, 24
	slli t2, s9, 40
	or s9, t2, t1
	li t1, 0
	li t2, 0
	CHECK rot64-rd-is-source, s9, 0x6543219abcdef087

	/* Two rotates of one value, interleaved (sha256's sigma1 shape). */
	srliw s2, s0, 19
	slliw s3, s0, 13
	srliw s4, s0, 17
	slliw s5, s0, 15
	srliw s6, s0, 10
	or s3, s3, s2
	or s5, s5, s4
	xor s3, s3, s5
	xor s3, s3, s6
	li s2, 0
	li s4, 0
	li s5, 0
	CHECK rotw-sigma, s3, 0x09d52a0e

	/* A W rotate whose upper half nothing reads: no sign extension needed. */
	li s3, 0x11111111
	srliw t1, s0, 7
	slliw t2, s0, 25
	or t0, t1, t2
	addw s2, t0, s3
	li t0, 0
	li t1, 0
	li t2, 0
	CHECK rotw-then-addw, s2, 0x541fdb97

	/* Folded in a loop block (translated twice), and before a side exit. */
	mv s4, s0
	li s5, 3
1:	srliw t1, s4, 5
	slliw t2, s4, 27
	or s4, t1, t2
	li t1, 0
	li t2, 0
	addi s5, s5, -1
	bnez s5, 1b
	CHECK rotw-loop, s4, 0xffffffff86430eca

	srli t1, s0, 24
	slli t2, s0, 40
	or t0, t1, t2
	li t1, 0
	li t2, 0
	bnez s0, 2f
	li t0, 0
2:	CHECK rot64-side-exit, t0, 0x6543219abcdef087

	/* Near misses: the shifts' results are live after the or. */
	srliw t1, s0, 7
	slliw t2, s0, 25
	or t0, t1, t2
	CHECK live-rot, t0, 0x430eca86
	CHECK live-right, t1, 0x010eca86
	CHECK live-left, t2, 0x42000000

	srli t1, s0, 24
	slli t2, s0, 40
	or t0, t1, t2
	add s2, t2, zero
	li t1, 0
	li t2, 0
	CHECK read-after-rot, t0, 0x6543219abcdef087
	CHECK read-after-left, s2, 0x6543210000000000

	srliw t1, s0, 7
	slliw t2, s0, 25
	or t0, t1, t2
	addi t2, t2, 1
	li t1, 0
	CHECK overwrite-reads, t2, 0x42000001
	CHECK overwrite-reads-rot, t0, 0x430eca86

	/* x written between the shifts and the or, and between the shifts. */
	srliw t1, s0, 7
	slliw t2, s0, 25
	addi s0, s0, 1
	or t0, t1, t2
	li t1, 0
	li t2, 0
	CHECK x-written-before-or, t0, 0x430eca86
	li s0, X

	srliw t1, s0, 7
	addi s0, s0, 1
	slliw t2, s0, 25
	or t0, t1, t2
	li t1, 0
	li t2, 0
	CHECK x-written-between-shifts, t0, 0x450eca86
	li s0, X

	/* A load between (it may fault: the shift before it must be visible). */
	la s1, word
	srliw t1, s0, 7
	lw s2, 0(s1)
	slliw t2, s0, 25
	or t0, t1, t2
	li t1, 0
	li t2, 0
	CHECK load-between, t0, 0x430eca86
	CHECK load-between-value, s2, 0x5a5a5a5a

	/* Not rotates: amounts not summing to 32 or 64, sraiw, a == x, x0. */
	srliw t1, s0, 7
	slliw t2, s0, 24
	or t0, t1, t2
	li t1, 0
	li t2, 0
	CHECK w-7-24, t0, 0x210eca86

	srli t1, s0, 24
	slli t2, s0, 41
	or t0, t1, t2
	li t1, 0
	li t2, 0
	CHECK d-24-41, t0, 0xca86429abcdef087

	sraiw t1, s0, 7
	slliw t2, s0, 25
	or t0, t1, t2
	li t1, 0
	li t2, 0
	CHECK sraiw-not-rotate, t0, 0xffffffffff0eca86

	mv s2, s0
	srliw s2, s2, 7
	slliw t2, s2, 25
	or t0, s2, t2
	li t2, 0
	CHECK a-is-x, t0, 0x0d0eca86
	CHECK a-is-x-shifted, s2, 0x010eca86

	srliw t1, zero, 7
	slliw t2, zero, 25
	or t0, t1, t2
	li t1, 0
	li t2, 0
	CHECK x0-source, t0, 0

	srliw t1, s0, 7
	slliw t2, s0, 25
	or t0, t1, t1
	li t1, 0
	li t2, 0
	CHECK same-operand, t0, 0x010eca86

	/*
	 * Past the block: the shifts' results are dead when every path
	 * overwrites them before reading them (a branch's two sides, a load
	 * on the way, a loop's next turn and its exit), live when one path
	 * reads one.
	 */
	srliw t1, s0, 7
	slliw t2, s0, 25
	or t0, t1, t2
	la a3, word
	lw s3, 0(a3)
	bnez s3, 1f
	li t2, 1
1:	li t1, 0
	li t2, 0
	CHECK dead-past-load-and-branch, t0, 0x430eca86

	srliw t1, s0, 7
	slliw t2, s0, 25
	or t0, t1, t2
	bnez s0, 1f
	li t1, 0
1:	mv s4, t1
	li t1, 0
	li t2, 0
	CHECK live-on-one-side, s4, 0x010eca86
	CHECK live-on-one-side-rotate, t0, 0x430eca86

	srliw t1, s0, 7
	slliw t2, s0, 25
	or t0, t1, t2
	lw s3, 0(a3)
	mv s4, t2
	li t1, 0
	li t2, 0
	CHECK live-past-load, s4, 0x42000000

	ROTATE_5_TIMES
	li t1, 0
	li t2, 0
	CHECK dead-next-turn, s4, 0x30eca864

	ROTATE_5_TIMES
	mv s6, t1
	li t1, 0
	li t2, 0
	CHECK live-after-loop, s6, 0xeca864
	ISA_END

	.data
	.balign 4
word:
	.word 0x5a5a5a5a
