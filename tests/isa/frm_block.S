/*
 * The dynamic rounding mode over whole blocks: straight-line F/D code
 * and a loop, first run (and translated) with frm = RNE, then run again
 * under every other mode.  Each result must be what the same operations
 * give with that mode as a static rm, for the first instruction of a
 * block and for every one after it.
 */
#include "isa.h"

#define ITERATIONS 20

/* ft0..ft3 from fa0 = 1, fa1 = 3, fa2 = 7; every step inexact. */
	.macro CHAIN rm
	fdiv.d ft0, fa0, fa1, \rm
	fdiv.d ft1, ft0, fa1, \rm
	fadd.d ft2, ft0, ft1, \rm
	fmul.d ft3, ft2, fa2, \rm
	fsub.d ft3, ft3, ft1, \rm
	fmadd.d ft3, ft3, ft0, fa1, \rm
	fcvt.d.l ft4, s9, \rm
	fadd.d ft3, ft3, ft4, \rm
	.endm

/* ft5 = ITERATIONS turns of (ft5 + fa2) / fa1 from 1. */
	.macro LOOP rm
	fmv.d ft5, fa0
	li t0, ITERATIONS
1:
	fadd.d ft5, ft5, fa2, \rm
	fdiv.d ft5, ft5, fa1, \rm
	addi t0, t0, -1
	bnez t0, 1b
	.endm

/* The dynamic results of mode \mode against the static ones. */
	.macro MODE name, mode, rm
	li s0, \mode
	fsrm s0
	call dyn_chain
	call dyn_loop
	fsrm zero
	fmv.x.d s2, ft3
	fmv.x.d s3, ft5
	CHAIN \rm
	LOOP \rm
	fmv.x.d s4, ft3
	fmv.x.d s5, ft5
	sub s2, s2, s4
	CHECK \name-chain, s2, 0
	sub s3, s3, s5
	CHECK \name-loop, s3, 0
	.endm

	ISA_BEGIN
	la s4, values
	fld fa0, 0(s4)
	fld fa1, 8(s4)
	fld fa2, 16(s4)
	li s9, 0x20000000000001		/* 2^53 + 1: fcvt.d.l rounds it */
	fsrm zero
	call dyn_chain
	call dyn_loop
	MODE rne, 0, rne
	MODE rtz, 1, rtz
	MODE rdn, 2, rdn
	MODE rup, 3, rup
	MODE rmm, 4, rmm
	MODE rne-again, 0, rne
	ISA_END

dyn_chain:
	CHAIN dyn
	ret

dyn_loop:
	LOOP dyn
	ret

	.data
	.balign 8
values:
	.dword 0x3ff0000000000000	/* 1 */
	.dword 0x4008000000000000	/* 3 */
	.dword 0x401c000000000000	/* 7 */
