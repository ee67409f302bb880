# RV64A: LR/SC and every AMO, .w results sign-extended.
	.include "check.inc"
	.globl	_start
_start:
	addi	sp, sp, -64
	mv	s0, sp
	li	a0, -5
	sd	a0, 0(s0)
	li	a2, 3
	amoadd.d a1, a2, (s0)
	CHECK	1, a1, -5
	ld	a1, 0(s0)
	CHECK	2, a1, -2
	amoswap.d a1, a2, (s0)
	CHECK	3, a1, -2
	ld	a1, 0(s0)
	CHECK	4, a1, 3
	li	a2, 6
	amoand.d a1, a2, (s0)
	ld	a1, 0(s0)
	CHECK	5, a1, 2
	amoor.d	a1, a2, (s0)
	ld	a1, 0(s0)
	CHECK	6, a1, 6
	li	a2, 5
	amoxor.d a1, a2, (s0)
	CHECK	7, a1, 6
	ld	a1, 0(s0)
	CHECK	8, a1, 3
	li	a2, -1
	amomin.d a1, a2, (s0)
	ld	a1, 0(s0)
	CHECK	9, a1, -1
	li	a2, 7
	amomax.d a1, a2, (s0)
	ld	a1, 0(s0)
	CHECK	10, a1, 7
	li	a2, -1
	amominu.d a1, a2, (s0)
	ld	a1, 0(s0)
	CHECK	11, a1, 7
	amomaxu.d a1, a2, (s0)
	ld	a1, 0(s0)
	CHECK	12, a1, -1

	# .w forms on a word; the neighbour word must not change
	li	a0, 0x7fffffff
	sw	a0, 8(s0)
	sw	zero, 12(s0)
	addi	s1, s0, 8
	li	a2, 1
	amoadd.w a1, a2, (s1)
	CHECK	13, a1, 0x7fffffff
	lw	a1, 0(s1)
	CHECK	14, a1, -0x80000000
	amoswap.w a1, a2, (s1)
	CHECK	15, a1, -0x80000000
	li	a2, -3
	amomin.w a1, a2, (s1)
	lw	a1, 0(s1)
	CHECK	16, a1, -3
	li	a2, 2
	amomax.w a1, a2, (s1)
	CHECK	17, a1, -3
	lw	a1, 0(s1)
	CHECK	18, a1, 2
	li	a2, -1
	amomaxu.w a1, a2, (s1)
	lw	a1, 0(s1)
	CHECK	19, a1, -1
	li	a2, 9
	amominu.w a1, a2, (s1)
	CHECK	20, a1, -1
	lw	a1, 0(s1)
	CHECK	21, a1, 9
	li	a2, 0xf0
	amoor.w	a1, a2, (s1)
	amoand.w a1, a2, (s1)
	CHECK	22, a1, 0xf9
	amoxor.w a1, a2, (s1)
	lw	a1, 0(s1)
	CHECK	23, a1, 0x00
	lw	a1, 12(s0)
	CHECK	24, a1, 0

	# LR/SC: success, then failure after the reservation is used
	li	a0, 10
	sd	a0, 16(s0)
	addi	s1, s0, 16
	lr.d	a1, (s1)
	CHECK	25, a1, 10
	addi	a1, a1, 1
	sc.d	a3, a1, (s1)
	CHECK	26, a3, 0
	ld	a1, 0(s1)
	CHECK	27, a1, 11
	sc.d	a3, a1, (s1)            # no reservation any more
	CHECK	28, a3, 1
	li	a0, -1
	sw	a0, 24(s0)
	addi	s1, s0, 24
	lr.w	a1, (s1)
	CHECK	29, a1, -1
	sc.w	a3, zero, (s1)
	CHECK	30, a3, 0
	lw	a1, 0(s1)
	CHECK	31, a1, 0
	lr.w	a1, (s1)
	addi	s2, s0, 16
	sc.w	a3, a1, (s2)            # another address: fails
	CHECK	32, a3, 1
	addi	sp, sp, 64
	j	pass
	FINISH
