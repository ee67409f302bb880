/* A: LR/SC (success, failure without a reservation) and every AMO in both widths. */
#include "isa.h"

	.macro AMO name, op, init, operand, old, new
	la s0, cell
	li s1, \init
	sd s1, 0(s0)
	li s1, \operand
	\op s2, s1, (s0)
	CHECK \name-old, s2, \old
	ld s3, 0(s0)
	CHECK \name-new, s3, \new
	.endm

	ISA_BEGIN
	AMO amoswap.d, amoswap.d, 5, -1, 5, -1
	AMO amoadd.d, amoadd.d, 5, -1, 5, 4
	AMO amoxor.d, amoxor.d.aq, 0xff, 0x0f, 0xff, 0xf0
	AMO amoand.d, amoand.d.rl, 0xff, 0x0f, 0xff, 0x0f
	AMO amoor.d, amoor.d.aqrl, 0xf0, 0x0f, 0xf0, 0xff
	AMO amomin.d, amomin.d, 1, -1, 1, -1
	AMO amomax.d, amomax.d, 1, -1, 1, 1
	AMO amominu.d, amominu.d, 1, -1, 1, 1
	AMO amomaxu.d, amomaxu.d, 1, -1, 1, -1
	/* The .w forms touch the low word only and sign-extend the old value. */
	AMO amoswap.w, amoswap.w, 0x1111111180000000, 7, 0xffffffff80000000, 0x1111111100000007
	/* rd = x0: only the store half (a lock's release). */
	la s0, cell
	li s1, 0x1111111122222222
	sd s1, 0(s0)
	li s1, 0x3333333344444444
	amoswap.w zero, s1, (s0)
	ld s3, 0(s0)
	CHECK amoswap.w-x0-new, s3, 0x1111111144444444
	amoswap.d.aqrl zero, s1, (s0)
	ld s3, 0(s0)
	CHECK amoswap.d-x0-new, s3, 0x3333333344444444
	AMO amoadd.w, amoadd.w, 0x22222222ffffffff, 1, -1, 0x2222222200000000
	AMO amoxor.w, amoxor.w, 0x0f, 0xff, 0x0f, 0xf0
	AMO amoand.w, amoand.w.aq, 0x33333333ffffffff, 0x80000001, -1, 0x3333333380000001
	AMO amoor.w, amoor.w.rl, 0x10, 0x01, 0x10, 0x11
	AMO amomin.w, amomin.w, 0x7fffffff, 0x80000000, 0x7fffffff, 0x80000000
	AMO amomax.w, amomax.w, 0x7fffffff, 0x80000000, 0x7fffffff, 0x7fffffff
	AMO amominu.w, amominu.w, 0x7fffffff, 0x80000000, 0x7fffffff, 0x7fffffff
	AMO amomaxu.w, amomaxu.w.aqrl, 0x7fffffff, 0x80000000, 0x7fffffff, 0x80000000

	/* An amo with rd = x0 still writes memory. */
	la s0, cell
	sd zero, 0(s0)
	li s1, 9
	amoadd.d zero, s1, (s0)
	ld s2, 0(s0)
	CHECK amoadd-rd-x0, s2, 9

	/* lr/sc: success returns 0 and stores. */
	li s1, 100
	sd s1, 0(s0)
	lr.d s2, (s0)
	addi s2, s2, 1
	sc.d s3, s2, (s0)
	CHECK sc.d-succeeds, s3, 0
	ld s2, 0(s0)
	CHECK sc.d-stored, s2, 101
	li s1, -5
	sw s1, 8(s0)
	addi s4, s0, 8
	lr.w s2, (s4)
	CHECK lr.w-sext, s2, -5
	sc.w.rl s3, zero, (s4)
	CHECK sc.w-succeeds, s3, 0
	lw s2, 8(s0)
	CHECK sc.w-stored, s2, 0
	/* The successful sc above consumed the reservation: this one must fail. */
	li s1, 77
	sc.d s3, s1, (s0)
	snez s3, s3
	CHECK sc.d-no-reservation-fails, s3, 1
	ld s2, 0(s0)
	CHECK sc.d-failed-no-store, s2, 101

	/* An increment loop of the kind compilers emit. */
	sd zero, 0(s0)
	li s5, 50
1:	lr.d.aq s2, (s0)
	addi s2, s2, 2
	sc.d.rl s3, s2, (s0)
	bnez s3, 1b
	addi s5, s5, -1
	bnez s5, 1b
	ld s2, 0(s0)
	CHECK lr-sc-loop, s2, 100
	ISA_END

	.data
	.balign 16
cell:	.dword 0, 0
