# RV64M: high products and every division corner (spec 7.2: no traps).
	.include "check.inc"
	.globl	_start
_start:
	li	a0, -1
	li	a2, -1
	mulh	a1, a0, a2
	CHECK	1, a1, 0
	mulhu	a1, a0, a2
	CHECK	2, a1, -2
	mulhsu	a1, a0, a2              # -1 * (2^64-1): high half is -1
	CHECK	3, a1, -1
	li	a0, 0x7fffffffffffffff
	li	a2, 4
	mulhsu	a1, a0, a2
	CHECK	4, a1, 1
	mul	a1, a0, a2
	CHECK	5, a1, -4
	li	a0, 0x10000
	mulw	a1, a0, a0              # 2^32 truncates to 0
	CHECK	6, a1, 0
	li	a0, 0x8000
	li	a2, 0x10000
	mulw	a1, a0, a2              # 2^31 sign-extends
	CHECK	7, a1, -0x80000000
	li	a0, -7
	li	a2, 2
	div	a1, a0, a2
	CHECK	8, a1, -3
	rem	a1, a0, a2
	CHECK	9, a1, -1
	divu	a1, a0, a2
	CHECK	10, a1, 0x7ffffffffffffffc
	remu	a1, a0, a2
	CHECK	11, a1, 1
	div	a1, a0, zero
	CHECK	12, a1, -1
	divu	a1, a0, zero
	CHECK	13, a1, -1
	rem	a1, a0, zero
	CHECK	14, a1, -7
	remu	a1, a0, zero
	CHECK	15, a1, -7
	li	a0, 0x8000000000000000
	li	a2, -1
	div	a1, a0, a2
	CHECK	16, a1, 0x8000000000000000
	rem	a1, a0, a2
	CHECK	17, a1, 0
	li	a0, -0x80000000
	divw	a1, a0, a2
	CHECK	18, a1, -0x80000000
	remw	a1, a0, a2
	CHECK	19, a1, 0
	li	a0, 0x1fffffff9             # low word -7
	li	a2, 0x500000002             # low word 2
	divw	a1, a0, a2
	CHECK	20, a1, -3
	remw	a1, a0, a2
	CHECK	21, a1, -1
	divuw	a1, a0, a2
	CHECK	22, a1, 0x7ffffffc
	remuw	a1, a0, a2
	CHECK	23, a1, 1
	divw	a1, a0, zero
	CHECK	24, a1, -1
	divuw	a1, a0, zero
	CHECK	25, a1, -1
	remw	a1, a0, zero
	CHECK	26, a1, -7
	remuw	a1, a0, zero
	CHECK	27, a1, -7
	li	a0, 0x80000000
	li	a2, 1
	divuw	a1, a0, a2              # 32-bit result sign-extends
	CHECK	28, a1, -0x80000000
	j	pass
	FINISH
