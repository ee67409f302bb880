/*
 * frflags; flt.d/fle.d/feq.d; fsflags: the quiet comparison glibc makes
 * of a signaling one, which rvkvm translates as one unit.  The saved
 * flags, the result and fflags afterwards, for ordered operands, a quiet
 * NaN (flt would raise NV) and a signaling one (every compare would);
 * and flt alone, which does raise NV.  Where the saved flags are
 * overwritten before anything reads them, on every path (QUIET_DEAD, a
 * call whose callee overwrites them), the unit reads no flags at all:
 * the result and fflags must come out the same, from fflags clear as
 * well as set; where a path does read them (a callee, one side of a
 * branch), they must be there.
 */
#include "isa.h"

#define D_1 0x3ff0000000000000
#define D_2 0x4000000000000000
#define D_QNAN 0x7ff8000000000000
#define D_SNAN 0x7ff4000000000000
#define NX 0x01
#define NV 0x10

	.macro QUIET name:req, op:req, a:req, b:req, expect:req
	li t0, \a
	fmv.d.x fa0, t0
	li t0, \b
	fmv.d.x fa1, t0
	li t0, NX
	csrw fflags, t0
	frflags a4
	\op a5, fa0, fa1
	fsflags a4
	CHECK \name-result, a5, \expect
	CHECK \name-saved, a4, NX
	frflags s1
	CHECK \name-flags, s1, NX
	.endm

	.macro QUIET_DEAD name:req, op:req, a:req, b:req, expect:req, flags:req
	li t0, \a
	fmv.d.x fa0, t0
	li t0, \b
	fmv.d.x fa1, t0
	li t0, \flags
	csrw fflags, t0
	frflags a4
	\op a5, fa0, fa1
	fsflags a4
	li a4, 0
	CHECK \name-result, a5, \expect
	frflags s1
	CHECK \name-flags, s1, \flags
	.endm

	/* fa0 < fa1 into a5 with the flags saved in a4, from fflags = NX. */
	.macro QUIET_LT_NX
	li t0, NX
	csrw fflags, t0
	frflags a4
	flt.d a5, fa0, fa1
	fsflags a4
	.endm

	ISA_BEGIN
	QUIET flt-less, flt.d, D_1, D_2, 1
	QUIET flt-greater, flt.d, D_2, D_1, 0
	QUIET fle-equal, fle.d, D_2, D_2, 1
	QUIET feq-equal, feq.d, D_1, D_1, 1
	QUIET flt-qnan, flt.d, D_QNAN, D_1, 0
	QUIET fle-qnan, fle.d, D_1, D_QNAN, 0
	QUIET feq-snan, feq.d, D_SNAN, D_1, 0
	QUIET flt-snan, flt.d, D_1, D_SNAN, 0

	QUIET_DEAD dead-flt-less, flt.d, D_1, D_2, 1, NX
	QUIET_DEAD dead-fle-greater, fle.d, D_2, D_1, 0, 0
	QUIET_DEAD dead-feq-equal, feq.d, D_2, D_2, 1, NX
	QUIET_DEAD dead-flt-qnan, flt.d, D_QNAN, D_1, 0, 0
	QUIET_DEAD dead-fle-qnan-right, fle.d, D_1, D_QNAN, 0, NX
	QUIET_DEAD dead-feq-snan, feq.d, D_SNAN, D_1, 0, 0
	QUIET_DEAD dead-flt-snan-right, flt.d, D_1, D_SNAN, 0, 0
	QUIET_DEAD dead-fle-same-snan, fle.d, D_SNAN, D_SNAN, 0, 0

	li t0, D_1
	fmv.d.x fa0, t0
	li t0, D_2
	fmv.d.x fa1, t0
	QUIET_LT_NX
	jal ra, overwrite_a4
	CHECK call-dead-result, a5, 1
	CHECK call-dead-a4, a4, 7

	QUIET_LT_NX
	jal ra, read_a4
	CHECK call-live-saved, s2, NX

	QUIET_LT_NX
	beqz a5, 1f
	mv s3, a4
1:	li a4, 0
	CHECK branch-live-saved, s3, NX

	/* Alone, flt raises NV on a quiet NaN. */
	li t0, D_QNAN
	fmv.d.x fa0, t0
	csrw fflags, zero
	flt.d a5, fa0, fa1
	frflags s1
	CHECK flt-alone-flags, s1, NV
	ISA_END

overwrite_a4:
	li a4, 7
	ret

read_a4:
	mv s2, a4
	li a4, 0
	ret
