/* D: double-precision arithmetic, conversions (to and from single too), compares, classes, rounding. */
#include "isa.h"
#define W d
#define P d
#include "fp.h"

#define ONE 0x3ff0000000000000
#define TWO 0x4000000000000000
#define THREE 0x4008000000000000
#define NONE_ 0xbff0000000000000
#define PINF 0x7ff0000000000000
#define NINF 0xfff0000000000000
#define QNAN 0x7ff8000000000000
#define SNAN 0x7ff0000000000001
#define NZERO 0x8000000000000000
#define DMAX 0x7fefffffffffffff
#define DMIN 0x0010000000000000
#define SUB 0x0000000000000001

	ISA_BEGIN
	fsrm zero
	FOP2 fadd.d, fadd.d, ONE, TWO, THREE, 0
	FOP2 fadd.d-inf-inf, fadd.d, PINF, NINF, QNAN, NV
	FOP2 fadd.d-snan, fadd.d, SNAN, ONE, QNAN, NV
	FOP2 fadd.d-payload-nan, fadd.d, 0xfff8000000001234, ONE, QNAN, 0
	FOP2 fsub.d-zero-rdn, fsub.d, ONE, ONE, NZERO, 0, rdn
	FOP2 fmul.d-overflow, fmul.d, DMAX, TWO, PINF, OF|NX
	FOP2 fmul.d-overflow-rdn, fmul.d, DMAX, TWO, DMAX, OF|NX, rdn
	FOP2 fmul.d-underflow, fmul.d, DMIN, DMIN, 0, UF|NX
	FOP2 fmul.d-underflow-rup, fmul.d, DMIN, DMIN, SUB, UF|NX, rup
	FOP2 fdiv.d-by-zero, fdiv.d, ONE, NZERO, NINF, DZ
	FOP2 fdiv.d-third, fdiv.d, ONE, THREE, 0x3fd5555555555555, NX
	FOP2 fdiv.d-third-rup, fdiv.d, ONE, THREE, 0x3fd5555555555556, NX, rup
	FOP2 fadd.d-tie-rne, fadd.d, ONE, 0x3ca0000000000000, ONE, NX, rne
	FOP2 fadd.d-tie-rmm, fadd.d, ONE, 0x3ca0000000000000, 0x3ff0000000000001, NX, rmm
	FOP2 fadd.d-tie-rtz, fadd.d, ONE, 0x3ca0000000000000, ONE, NX, rtz
	FOP1 fsqrt.d, fsqrt.d, 0x4010000000000000, TWO, 0
	FOP1 fsqrt.d-two, fsqrt.d, TWO, 0x3ff6a09e667f3bcd, NX
	FOP1 fsqrt.d-neg-inf, fsqrt.d, NINF, QNAN, NV
	FOP2 fmin.d-zeros, fmin.d, 0, NZERO, NZERO, 0, none
	FOP2 fmax.d-zeros, fmax.d, NZERO, 0, 0, 0, none
	FOP2 fmax.d-qnan, fmax.d, QNAN, NONE_, NONE_, 0, none
	FOP2 fmin.d-snan, fmin.d, SNAN, NONE_, NONE_, NV, none
	FOP2 fmax.d-both-nan, fmax.d, QNAN, QNAN, QNAN, 0, none
	FOP2 fsgnj.d, fsgnj.d, ONE, NZERO, NONE_, 0, none
	FOP2 fsgnjn.d, fsgnjn.d, NONE_, NONE_, ONE, 0, none
	FOP2 fsgnjx.d, fsgnjx.d, NONE_, ONE, NONE_, 0, none
	FOP3 fmadd.d, fmadd.d, TWO, THREE, ONE, 0x401c000000000000, 0
	FOP3 fmsub.d, fmsub.d, TWO, THREE, ONE, 0x4014000000000000, 0
	FOP3 fnmadd.d, fnmadd.d, TWO, THREE, ONE, 0xc01c000000000000, 0
	FOP3 fnmsub.d, fnmsub.d, TWO, THREE, ONE, 0xc014000000000000, 0
	/* Fused: (1+2^-26)^2 - 1 keeps the 2^-52 term a separate multiply would round away. */
	FOP3 fmadd.d-fused, fmadd.d, 0x3ff0000004000000, 0x3ff0000004000000, NONE_, 0x3e60000002000000, 0

	FTOI fcvt.w.d, fcvt.w.d, 0xc004000000000000, -2, NX, rtz
	FTOI fcvt.w.d-rmm, fcvt.w.d, 0x4004000000000000, 3, NX, rmm
	FTOI fcvt.w.d-big, fcvt.w.d, 0x41e0000000000000, 0x7fffffff, NV, rtz
	FTOI fcvt.w.d-nan, fcvt.w.d, QNAN, 0x7fffffff, NV, rtz
	FTOI fcvt.wu.d-big, fcvt.wu.d, 0x41f0000000000000, -1, NV, rtz
	FTOI fcvt.wu.d-neg, fcvt.wu.d, NONE_, 0, NV, rtz
	FTOI fcvt.l.d, fcvt.l.d, 0xc004000000000000, -3, NX, rdn
	FTOI fcvt.l.d-big, fcvt.l.d, 0x43e0000000000000, 0x7fffffffffffffff, NV, rtz
	FTOI fcvt.l.d-nbig, fcvt.l.d, 0xc3e0000000000000, 0x8000000000000000, 0, rtz
	FTOI fcvt.l.d-ninf, fcvt.l.d, NINF, 0x8000000000000000, NV, rtz
	FTOI fcvt.l.d-nan, fcvt.l.d, SNAN, 0x7fffffffffffffff, NV, rtz
	FTOI fcvt.lu.d, fcvt.lu.d, 0x43e0000000000000, 0x8000000000000000, 0, rtz
	FTOI fcvt.lu.d-neg, fcvt.lu.d, NONE_, 0, NV, rtz
	FTOI fcvt.lu.d-nan, fcvt.lu.d, QNAN, -1, NV, rtz
	ITOF fcvt.d.w, fcvt.d.w, -3, 0xc008000000000000, 0, none
	ITOF fcvt.d.wu, fcvt.d.wu, -1, 0x41efffffffe00000, 0, none
	ITOF fcvt.d.l, fcvt.d.l, 0x7fffffffffffffff, 0x43e0000000000000, NX
	ITOF fcvt.d.l-rtz, fcvt.d.l, 0x7fffffffffffffff, 0x43dfffffffffffff, NX, rtz
	ITOF fcvt.d.lu, fcvt.d.lu, -1, 0x43f0000000000000, NX

	/* Between precisions. */
	li s0, DMAX
	fmv.d.x fs0, s0
	csrw fflags, zero
	fcvt.s.d fs2, fs0
	fmv.x.d s2, fs2
	CHECK fcvt.s.d-overflow, s2, 0xffffffff7f800000
	csrr s3, fflags
	CHECK fcvt.s.d-overflow-flags, s3, OF|NX
	li s0, SNAN
	fmv.d.x fs0, s0
	csrw fflags, zero
	fcvt.s.d fs2, fs0
	fmv.x.d s2, fs2
	CHECK fcvt.s.d-snan, s2, 0xffffffff7fc00000
	csrr s3, fflags
	CHECK fcvt.s.d-snan-flags, s3, NV
	li s0, 0xffffffff7f800001
	fmv.d.x fs0, s0
	csrw fflags, zero
	fcvt.d.s fs2, fs0
	fmv.x.d s2, fs2
	CHECK fcvt.d.s-snan, s2, QNAN
	csrr s3, fflags
	CHECK fcvt.d.s-snan-flags, s3, NV
	li s0, 0x3ff0000000000000
	fmv.d.x fs0, s0
	fcvt.d.s fs2, fs0
	fmv.x.d s2, fs2
	CHECK fcvt.d.s-unboxed, s2, QNAN

	FCMP feq.d, feq.d, ONE, ONE, 1, 0
	FCMP feq.d-snan, feq.d, SNAN, SNAN, 0, NV
	FCMP flt.d, flt.d, NINF, NONE_, 1, 0
	FCMP flt.d-zeros, flt.d, NZERO, 0, 0, 0
	FCMP fle.d-qnan, fle.d, ONE, QNAN, 0, NV

	FCLASS fclass.d-ninf, NINF, 1 << 0
	FCLASS fclass.d-nnormal, NONE_, 1 << 1
	FCLASS fclass.d-nsub, 0x8000000000000001, 1 << 2
	FCLASS fclass.d-nzero, NZERO, 1 << 3
	FCLASS fclass.d-zero, 0, 1 << 4
	FCLASS fclass.d-sub, SUB, 1 << 5
	FCLASS fclass.d-normal, ONE, 1 << 6
	FCLASS fclass.d-inf, PINF, 1 << 7
	FCLASS fclass.d-snan, SNAN, 1 << 8
	FCLASS fclass.d-qnan, QNAN, 1 << 9

	la s4, ddata
	fld fs2, 0(s4)
	fsd fs2, 8(s4)
	ld s2, 8(s4)
	CHECK fld-fsd, s2, 0x400921fb54442d18
	fld fs3, 3(s4)
	fsd fs3, 17(s4)
	ld s2, 17(s4)
	ld s3, 3(s4)
	sub s2, s2, s3
	CHECK fld-fsd-misaligned, s2, 0

	li s0, 4
	fsrm s0
	FTOI fcvt.l.d-dyn-rmm, fcvt.l.d, 0xc004000000000000, -3, NX
	li s0, 1
	fsrm s0
	FOP2 fdiv.d-dyn-rtz, fdiv.d, TWO, THREE, 0x3fe5555555555555, NX
	fsrm zero
	ISA_END

	.data
	.balign 8
ddata:	.dword 0x400921fb54442d18, 0, 0, 0, 0
