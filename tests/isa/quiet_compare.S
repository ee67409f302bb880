/*
 * frflags; flt.d/fle.d/feq.d; fsflags: the quiet comparison glibc makes
 * of a signaling one, which rvkvm translates as one unit.  The saved
 * flags, the result and fflags afterwards, for ordered operands, a quiet
 * NaN (flt would raise NV) and a signaling one (every compare would);
 * and flt alone, which does raise NV.
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

	ISA_BEGIN
	QUIET flt-less, flt.d, D_1, D_2, 1
	QUIET flt-greater, flt.d, D_2, D_1, 0
	QUIET fle-equal, fle.d, D_2, D_2, 1
	QUIET feq-equal, feq.d, D_1, D_1, 1
	QUIET flt-qnan, flt.d, D_QNAN, D_1, 0
	QUIET fle-qnan, fle.d, D_1, D_QNAN, 0
	QUIET feq-snan, feq.d, D_SNAN, D_1, 0
	QUIET flt-snan, flt.d, D_1, D_SNAN, 0

	/* Alone, flt raises NV on a quiet NaN. */
	li t0, D_QNAN
	fmv.d.x fa0, t0
	csrw fflags, zero
	flt.d a5, fa0, fa1
	frflags s1
	CHECK flt-alone-flags, s1, NV
	ISA_END
