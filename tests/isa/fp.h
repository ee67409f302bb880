/*
 * Floating-point checks shared by rv64f.S and rv64d.S, which define W ("w"
 * or "d", as in fmv.x.W) and P ("s" or "d", as in fclass.P).  Operands are
 * bit patterns moved in with fmv.W.x, results moved out with fmv.x.W and compared as bit patterns (a single result is
 * compared zero-extended), and every check also compares fflags (NV=16,
 * DZ=8, OF=4, UF=2, NX=1) after clearing them.
 */
#define NV 16
#define DZ 8
#define OF 4
#define UF 2
#define NX 1

	.macro FRES name, expect, flags
	fmv.x.W s2, fs2
	.ifc W, w
	slli s2, s2, 32
	srli s2, s2, 32
	.endif
	CHECK \name, s2, \expect
	csrr s3, fflags
	CHECK \name-flags, s3, \flags
	.endm

	.macro FOP2 name, op, a, b, expect, flags, rm=dyn
	li s0, \a
	fmv.W.x fs0, s0
	li s1, \b
	fmv.W.x fs1, s1
	csrw fflags, zero
	.ifc \rm, none
	\op fs2, fs0, fs1
	.else
	\op fs2, fs0, fs1, \rm
	.endif
	FRES \name, \expect, \flags
	.endm

	.macro FOP1 name, op, a, expect, flags, rm=dyn
	li s0, \a
	fmv.W.x fs0, s0
	csrw fflags, zero
	\op fs2, fs0, \rm
	FRES \name, \expect, \flags
	.endm

	.macro FOP3 name, op, a, b, c, expect, flags, rm=dyn
	li s0, \a
	fmv.W.x fs0, s0
	li s1, \b
	fmv.W.x fs1, s1
	li s1, \c
	fmv.W.x fs3, s1
	csrw fflags, zero
	\op fs2, fs0, fs1, fs3, \rm
	FRES \name, \expect, \flags
	.endm

/* Float to integer: the integer result is compared as the full register. */
	.macro FTOI name, op, a, expect, flags, rm=dyn
	li s0, \a
	fmv.W.x fs0, s0
	csrw fflags, zero
	\op s2, fs0, \rm
	CHECK \name, s2, \expect
	csrr s3, fflags
	CHECK \name-flags, s3, \flags
	.endm

	.macro ITOF name, op, a, expect, flags, rm=dyn
	li s0, \a
	csrw fflags, zero
	.ifc \rm, none
	\op fs2, s0
	.else
	\op fs2, s0, \rm
	.endif
	FRES \name, \expect, \flags
	.endm

	.macro FCMP name, op, a, b, expect, flags
	li s0, \a
	fmv.W.x fs0, s0
	li s1, \b
	fmv.W.x fs1, s1
	csrw fflags, zero
	\op s2, fs0, fs1
	CHECK \name, s2, \expect
	csrr s3, fflags
	CHECK \name-flags, s3, \flags
	.endm

	.macro FCLASS name, a, expect
	li s0, \a
	fmv.W.x fs0, s0
	fclass.P s2, fs0
	CHECK \name, s2, \expect
	.endm
