/*
 * NaN results wherever their bits can be seen.  x86 makes a negative
 * NaN for an invalid operation and keeps an operand NaN's payload;
 * RISC-V's result is the canonical NaN (spec 13.3).  The translator
 * keeps x86's NaN in its register ("raw", docs/translator.md) until the
 * bits are seen: a store, a move to an integer register, sign
 * injection, a single's box test, a block's exit, a fault's signal
 * frame, a loop that carries it round.  A NaN loaded from memory is not
 * a result: its payload must survive moves and stores.
 */
#include "isa.h"

#define SIGSEGV 11

#define D_INF 0x7ff0000000000000
#define D_QNAN 0x7ff8000000000000	/* canonical */
#define D_NEG_QNAN 0xfff8000000000000
#define D_PAYLOAD 0x7ff8000000001234	/* quiet, with a payload */
#define D_1 0x3ff0000000000000
#define S_1 0xffffffff3f800000		/* 1.0f, NaN-boxed */
#define S_PAYLOAD 0xffffffff7fc01234	/* a single quiet NaN with a payload, boxed */
#define S_QNAN 0xffffffff7fc00000	/* canonical, boxed */

	ISA_BEGIN
	SIGINFO_HANDLER SIGSEGV, on_segv
	CHECK sigaction, a0, 0
	la s9, scratch
	li t0, D_INF
	fmv.d.x fs1, t0
	li t0, D_1
	fmv.d.x fs2, t0
	li t0, D_PAYLOAD
	fmv.d.x fs3, t0

	/* inf - inf, stored. */
	fsub.d fa0, fs1, fs1
	fsd fa0, 0(s9)
	ld s1, 0(s9)
	CHECK store-invalid, s1, D_QNAN

	/* A payload through fmul, stored. */
	fmul.d fa1, fs3, fs2
	fsd fa1, 8(s9)
	ld s1, 8(s9)
	CHECK store-payload, s1, D_QNAN

	/* Moved to an integer register; negated; absolute value. */
	fadd.d fa2, fs3, fs2
	fmv.x.d s1, fa2
	CHECK fmv-x-d, s1, D_QNAN
	fadd.d fa3, fs3, fs2
	fneg.d fa4, fa3
	fmv.x.d s1, fa4
	CHECK fneg, s1, D_NEG_QNAN
	fsub.d fa3, fs1, fs1
	fsgnjx.d fa4, fa3, fs1
	fmv.x.d s1, fa4
	CHECK fsgnjx, s1, D_QNAN

	/* A loaded NaN is not a result: its payload survives a move and a store. */
	fmv.d fa5, fs3
	fsd fa5, 16(s9)
	ld s1, 16(s9)
	CHECK loaded-payload-kept, s1, D_PAYLOAD

	/* Singles: stored as a word and as a double word. */
	li t0, S_PAYLOAD
	fmv.d.x fs4, t0
	li t0, S_1
	fmv.d.x fs5, t0
	fadd.s fa6, fs4, fs5
	fsw fa6, 24(s9)
	lwu s1, 24(s9)
	CHECK store-single, s1, 0x7fc00000
	fmul.s fa7, fs4, fs5
	fsd fa7, 32(s9)
	ld s1, 32(s9)
	CHECK store-single-boxed, s1, S_QNAN

	/*
	 * A double NaN whose payload is a boxed single's (1.0f read as a
	 * double): read as a single, it is the canonical NaN, not 1.0f.
	 */
	li t0, S_1
	fmv.d.x ft0, t0
	fmul.d ft1, ft0, fs2
	fadd.s ft2, ft1, fs5
	fmv.x.w s1, ft2
	CHECK double-payload-as-single, s1, 0x7fc00000

	/* Still raw at the block's end: the next block stores it. */
	fdiv.d ft3, fs3, fs2
	la t0, 1f
	jr t0
1:	fsd ft3, 40(s9)
	ld s1, 40(s9)
	CHECK across-blocks, s1, D_QNAN

	/*
	 * A loop carrying a NaN it made (-inf + inf on the first turn), with
	 * a store per turn: each store canonical.
	 */
	li t0, 0xfff0000000000000
	fmv.d.x ft4, t0
	li a3, 4
	mv a4, s9
	la t0, 2f
	jr t0
2:	fadd.d ft4, ft4, fs1
	fsd ft4, 48(a4)
	addi a4, a4, 8
	addi a3, a3, -1
	bnez a3, 2b
	ld s1, 48(s9)
	CHECK loop-first-turn, s1, D_QNAN
	ld s1, 72(s9)
	CHECK loop-last-turn, s1, D_QNAN
	fmv.x.d s1, ft4
	CHECK loop-after, s1, D_QNAN

	/*
	 * A loop whose back edge brings its accumulator raw, entered first
	 * with a number, then with a loaded payload NaN, which its first
	 * turn must store unchanged: the loop's translation takes the
	 * register as raw at its head only after checking it is no NaN.
	 */
	li t0, D_1
	fmv.d.x ft5, t0
	call store_turns
	ld s1, 80(s9)
	CHECK number-entry, s1, D_1
	ld s1, 88(s9)
	CHECK number-entry-second, s1, 0x4000000000000000
	fmv.d ft5, fs3
	call store_turns
	ld s1, 80(s9)
	CHECK payload-entry, s1, D_PAYLOAD
	ld s1, 88(s9)
	CHECK payload-entry-second, s1, D_QNAN

	/*
	 * A fault with a raw NaN dirty: the signal frame holds the
	 * canonical NaN (the handler copies f25 from it), and so does the
	 * register after sigreturn.
	 */
	la s10, after_fault
	fsub.d fs9, fs1, fs1
	ld t1, 16(zero)
after_fault:
	ld s1, 96(s9)
	CHECK fault-frame, s1, D_QNAN
	fmv.x.d s1, fs9
	CHECK fault-register, s1, D_QNAN

	/* The same through a bounds check's stub (2^40 is past every guest address). */
	la s10, after_bounds
	li t2, 1
	slli t2, t2, 40
	fmul.d fs9, fs3, fs2
	sd t1, 0(t2)
after_bounds:
	ld s1, 96(s9)
	CHECK bounds-frame, s1, D_QNAN
	fmv.x.d s1, fs9
	CHECK bounds-register, s1, D_QNAN
	ISA_END

/* Two turns of ft5 += 1.0, storing ft5 at 80(s9), 88(s9) before each add. */
store_turns:
	li a3, 2
	mv a4, s9
	la t0, 3f
	jr t0
3:	fsd ft5, 80(a4)
	fadd.d ft5, ft5, fs2
	addi a4, a4, 8
	addi a3, a3, -1
	bnez a3, 3b
	ret

/* a2 = ucontext (uc_mcontext at 176: pc, x1..x31, f0..f31): keep f25, resume at s10. */
#define UC_PC 176
#define UC_F25 (UC_PC + 32 * 8 + 25 * 8)
on_segv:
	ld t2, UC_F25(a2)
	sd t2, 96(s9)
	sd s10, UC_PC(a2)
	ret

	.data
	.balign 8
scratch:
	.skip 128
