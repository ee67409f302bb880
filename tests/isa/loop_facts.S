/*
 * Facts a loop translation assumes at its head (docs/translator.md,
 * "Facts at a loop's head"): a register sign-extended, a single NaN-boxed,
 * frm RNE.  Each loop runs twice: entered with the fact true, and with
 * it false, which must drop the loop's translation on the way in and
 * give what the instructions say (run-isa.sh checks the drops happen).
 * Each loop is entered by an indirect jump to its start (a direct one
 * would let the block before it run on into its first turn), so the
 * loop's own translation meets the values set up before it.
 */
#include "isa.h"

#define S_1 0xffffffff3f800000       /* 1.0f, NaN-boxed */
#define S_HALF 0xffffffff3f000000    /* 0.5f */
#define S_TINY 0xffffffff33c00000    /* 1.5 * 2^-24: 1 + it rounds up under RNE only */
#define D_1 0x3ff0000000000000       /* 1.0: as a single, not boxed, so the canonical NaN */
#define S_3_5 0x40600000
#define S_QNAN 0x7fc00000
#define S_1_RNE2 0x3f800002          /* 1 + 2 * 2^-23 */

	/* a5 = sum of sext.w(a3) while addw steps a3 up to 8 */
	.macro SEXT_LOOP name:req, start:req, expect:req
	li a3, \start
	li a6, 8
	li a5, 0
	la t0, 1f
	jr t0
1:	sext.w a4, a3
	add a5, a5, a4
	addw a3, a3, 1
	bne a3, a6, 1b
	CHECK \name, a5, \expect
	.endm

	/* fa0 = start, then fa0 += addend `turns` times under rounding mode rm (dynamic) */
	.macro F_LOOP name:req, rm:req, start:req, addend:req, turns:req, expect:req
	fsrmi \rm
	li t0, \start
	fmv.d.x fa0, t0
	li t0, \addend
	fmv.d.x fa1, t0
	li a6, \turns
	li a3, 0
	la t0, 1f
	jr t0
1:	fadd.s fa0, fa0, fa1
	addiw a3, a3, 1
	bne a3, a6, 1b
	fsrmi 0
	fmv.x.w a5, fa0
	CHECK \name, a5, \expect
	.endm

	ISA_BEGIN
	SEXT_LOOP sext-held, 5, 18
	SEXT_LOOP sext-not-held, 0x100000005, 18
	F_LOOP boxed-held, 0, S_HALF, S_1, 3, S_3_5
	F_LOOP boxed-not-held, 0, D_1, S_1, 3, S_QNAN
	F_LOOP frm-rne, 0, S_1, S_TINY, 2, S_1_RNE2
	F_LOOP frm-rtz, 1, S_1, S_TINY, 2, 0x3f800000
	ISA_END
