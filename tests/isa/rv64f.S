/* F: single-precision arithmetic, conversions, compares, classes, NaN-boxing, rounding modes. */
#include "isa.h"
#define W w
#define P s
#include "fp.h"

#define ONE 0x3f800000
#define TWO 0x40000000
#define THREE 0x40400000
#define NONE_ 0xbf800000
#define PINF 0x7f800000
#define NINF 0xff800000
#define QNAN 0x7fc00000
#define SNAN 0x7f800001
#define NZERO 0x80000000
#define FMAX 0x7f7fffff
#define FMIN 0x00800000
#define SUB 0x00000001

	ISA_BEGIN
	fsrm zero
	FOP2 fadd.s, fadd.s, ONE, TWO, THREE, 0
	FOP2 fadd.s-inf-inf, fadd.s, PINF, NINF, QNAN, NV
	FOP2 fadd.s-snan, fadd.s, SNAN, ONE, QNAN, NV
	FOP2 fadd.s-payload-nan, fadd.s, 0x7fc01234, ONE, QNAN, 0
	FOP2 fsub.s-zero, fsub.s, ONE, ONE, 0, 0
	FOP2 fsub.s-zero-rdn, fsub.s, ONE, ONE, NZERO, 0, rdn
	FOP2 fmul.s-overflow, fmul.s, FMAX, TWO, PINF, OF|NX
	FOP2 fmul.s-overflow-rtz, fmul.s, FMAX, TWO, FMAX, OF|NX, rtz
	FOP2 fmul.s-underflow, fmul.s, FMIN, FMIN, 0, UF|NX
	FOP2 fmul.s-zero-inf, fmul.s, 0, PINF, QNAN, NV
	FOP2 fdiv.s-by-zero, fdiv.s, NONE_, 0, NINF, DZ
	FOP2 fdiv.s-zero-zero, fdiv.s, 0, 0, QNAN, NV
	FOP2 fdiv.s-third, fdiv.s, ONE, THREE, 0x3eaaaaab, NX
	FOP2 fdiv.s-third-rdn, fdiv.s, ONE, THREE, 0x3eaaaaaa, NX, rdn
	FOP2 fdiv.s-third-rup, fdiv.s, ONE, THREE, 0x3eaaaaab, NX, rup
	FOP2 fadd.s-tie-rne, fadd.s, ONE, 0x33800000, ONE, NX, rne
	FOP2 fadd.s-tie-rmm, fadd.s, ONE, 0x33800000, 0x3f800001, NX, rmm
	FOP2 fadd.s-tie-rup, fadd.s, ONE, 0x33800000, 0x3f800001, NX, rup
	FOP2 fadd.s-subnormal, fadd.s, SUB, SUB, 2, 0
	FOP1 fsqrt.s, fsqrt.s, 0x40800000, TWO, 0
	FOP1 fsqrt.s-neg, fsqrt.s, NONE_, QNAN, NV
	FOP1 fsqrt.s-nzero, fsqrt.s, NZERO, NZERO, 0
	FOP2 fmin.s-zeros, fmin.s, 0, NZERO, NZERO, 0, none
	FOP2 fmax.s-zeros, fmax.s, NZERO, 0, 0, 0, none
	FOP2 fmin.s-qnan, fmin.s, QNAN, ONE, ONE, 0, none
	FOP2 fmax.s-snan, fmax.s, ONE, SNAN, ONE, NV, none
	FOP2 fmin.s-both-nan, fmin.s, QNAN, SNAN, QNAN, NV, none
	FOP2 fsgnj.s, fsgnj.s, ONE, NZERO, NONE_, 0, none
	FOP2 fsgnjn.s, fsgnjn.s, ONE, NZERO, ONE, 0, none
	FOP2 fsgnjx.s, fsgnjx.s, NONE_, NONE_, ONE, 0, none
	FOP2 fsgnj.s-nan, fsgnj.s, SNAN, NONE_, 0xff800001, 0, none
	FOP3 fmadd.s, fmadd.s, TWO, THREE, ONE, 0x40e00000, 0
	FOP3 fmsub.s, fmsub.s, TWO, THREE, ONE, 0x40a00000, 0
	FOP3 fnmadd.s, fnmadd.s, TWO, THREE, ONE, 0xc0e00000, 0
	FOP3 fnmsub.s, fnmsub.s, TWO, THREE, ONE, 0xc0a00000, 0
	FOP3 fmadd.s-inf-zero-nan, fmadd.s, PINF, 0, QNAN, QNAN, NV

	FTOI fcvt.w.s, fcvt.w.s, 0xc0200000, -2, NX, rtz
	FTOI fcvt.w.s-rne, fcvt.w.s, 0x40200000, 2, NX, rne
	FTOI fcvt.w.s-rmm, fcvt.w.s, 0x40200000, 3, NX, rmm
	FTOI fcvt.w.s-rdn, fcvt.w.s, 0xc0200000, -3, NX, rdn
	FTOI fcvt.w.s-rup, fcvt.w.s, 0xc0200000, -2, NX, rup
	FTOI fcvt.w.s-big, fcvt.w.s, 0x4f000000, 0x7fffffff, NV, rtz
	FTOI fcvt.w.s-nan, fcvt.w.s, QNAN, 0x7fffffff, NV, rtz
	FTOI fcvt.w.s-ninf, fcvt.w.s, NINF, -0x80000000, NV, rtz
	FTOI fcvt.wu.s-neg, fcvt.wu.s, NONE_, 0, NV, rtz
	FTOI fcvt.wu.s-big, fcvt.wu.s, 0x4f800000, -1, NV, rtz
	FTOI fcvt.wu.s-sext, fcvt.wu.s, 0x4f000000, 0xffffffff80000000, 0, rtz
	FTOI fcvt.l.s-nan, fcvt.l.s, QNAN, 0x7fffffffffffffff, NV, rtz
	FTOI fcvt.l.s-ninf, fcvt.l.s, NINF, 0x8000000000000000, NV, rtz
	FTOI fcvt.lu.s-neg-small, fcvt.lu.s, 0xbf000000, 0, NX, rtz
	FTOI fcvt.lu.s-inf, fcvt.lu.s, PINF, -1, NV, rtz
	ITOF fcvt.s.w, fcvt.s.w, -1, NONE_, 0
	ITOF fcvt.s.w-ignores-high, fcvt.s.w, 0x1234567800000003, THREE, 0
	ITOF fcvt.s.wu, fcvt.s.wu, 0xffffffff, 0x4f800000, NX
	ITOF fcvt.s.wu-rtz, fcvt.s.wu, 0xffffffff, 0x4f7fffff, NX, rtz
	ITOF fcvt.s.l, fcvt.s.l, 0x8000000000000000, 0xdf000000, 0
	ITOF fcvt.s.lu, fcvt.s.lu, -1, 0x5f800000, NX

	FCMP feq.s, feq.s, ONE, ONE, 1, 0
	FCMP feq.s-zeros, feq.s, 0, NZERO, 1, 0
	FCMP feq.s-qnan, feq.s, QNAN, QNAN, 0, 0
	FCMP feq.s-snan, feq.s, SNAN, ONE, 0, NV
	FCMP flt.s, flt.s, NONE_, ONE, 1, 0
	FCMP flt.s-qnan, flt.s, QNAN, ONE, 0, NV
	FCMP fle.s, fle.s, ONE, ONE, 1, 0
	FCMP fle.s-zeros, fle.s, NZERO, 0, 1, 0

	FCLASS fclass.s-ninf, NINF, 1 << 0
	FCLASS fclass.s-nnormal, NONE_, 1 << 1
	FCLASS fclass.s-nsub, 0x80000001, 1 << 2
	FCLASS fclass.s-nzero, NZERO, 1 << 3
	FCLASS fclass.s-zero, 0, 1 << 4
	FCLASS fclass.s-sub, SUB, 1 << 5
	FCLASS fclass.s-normal, ONE, 1 << 6
	FCLASS fclass.s-inf, PINF, 1 << 7
	FCLASS fclass.s-snan, SNAN, 1 << 8
	FCLASS fclass.s-qnan, QNAN, 1 << 9

	/* fmv.x.w sign-extends; fmv.w.x and single results are NaN-boxed. */
	li s0, NZERO
	fmv.w.x fs0, s0
	fmv.x.w s2, fs0
	CHECK fmv.x.w-sext, s2, 0xffffffff80000000
	fmv.x.d s2, fs0
	CHECK fmv.w.x-boxed, s2, 0xffffffff80000000
	li s0, ONE
	fmv.w.x fs0, s0
	fadd.s fs2, fs0, fs0
	fmv.x.d s2, fs2
	CHECK fadd.s-result-boxed, s2, 0xffffffff40000000
	li s0, 0x000000003f800000
	fmv.d.x fs0, s0
	fclass.s s2, fs0
	CHECK fclass.s-unboxed-is-qnan, s2, 1 << 9
	fadd.s fs2, fs0, fs0
	fmv.x.d s2, fs2
	CHECK fadd.s-unboxed-operand, s2, 0xffffffff7fc00000
	la s4, fdata
	flw fs2, 0(s4)
	fmv.x.d s2, fs2
	CHECK flw-boxes, s2, 0xffffffffc0490fdb
	fsw fs2, 4(s4)
	lwu s2, 4(s4)
	CHECK fsw, s2, 0xc0490fdb
	fsgnjn.s fs3, fs2, fs2
	fsw fs3, 8(s4)
	lwu s2, 8(s4)
	CHECK fneg.s-store, s2, 0x40490fdb

	/* Dynamic rounding from frm, set by fsrm. */
	li s0, 2
	fsrm s0
	FOP2 fdiv.s-dyn-rdn, fdiv.s, ONE, THREE, 0x3eaaaaaa, NX
	li s0, 3
	fsrm s0
	FTOI fcvt.w.s-dyn-rup, fcvt.w.s, 0xc0200000, -2, NX
	fsrm zero
	ISA_END

	.data
	.balign 8
fdata:	.word 0xc0490fdb, 0, 0, 0
