/*
 * F/D results that are still only in a host register when the block
 * faults: the signal frame, and so the registers after sigreturn, must
 * hold them.  A hardware fault (a load from the unmapped page 0), a
 * bounds failure (an address past the guest's range), a fault inside a
 * loop that accumulates, and the NaN slow path of an arithmetic
 * instruction whose rd is also an operand not yet written back.  The handler
 * resumes at s10 and counts faults in s11.
 */
#include "isa.h"

#define SIGSEGV 11
#define PROT_NONE 0
#define SYS_mprotect 226

#define D_3 0x4008000000000000		/* 3.0 */
#define D_5 0x4014000000000000		/* 5.0 */
#define D_8 0x4020000000000000		/* 3 + 5 */
#define D_24 0x4038000000000000		/* 8 * 3 */
#define D_MINUS_8 0xc020000000000000	/* -(3 + 5) */
#define D_QNAN 0x7ff8000000000000	/* RISC-V's canonical NaN */

	ISA_BEGIN
	SIGINFO_HANDLER SIGSEGV, on_segv
	CHECK sigaction, a0, 0
	li t0, 3
	fcvt.d.l fs1, t0
	li t0, 5
	fcvt.d.l fs2, t0

	/* Page 0 is never mapped: the load faults in hardware. */
	la s10, after_load
	fadd.d fs0, fs1, fs2
	fmul.d fs3, fs0, fs1
	fsgnjn.d fs4, fs0, fs0
	ld t1, 16(zero)
after_load:
	fmv.x.d s1, fs0
	CHECK hw-fault-sum, s1, D_8
	fmv.x.d s1, fs3
	CHECK hw-fault-product, s1, D_24
	fmv.x.d s1, fs4
	CHECK hw-fault-negated, s1, D_MINUS_8

	/* 2^40 is past every guest address: the bounds check's stub. */
	la s10, after_bounds
	li t2, 1
	slli t2, t2, 40
	fmul.d fs5, fs1, fs2
	fadd.d fs6, fs5, fs1
	sd t1, 0(t2)
after_bounds:
	fmv.x.d s1, fs5
	CHECK bounds-product, s1, 0x402e000000000000	/* 15.0 */
	fmv.x.d s1, fs6
	CHECK bounds-sum, s1, 0x4032000000000000	/* 18.0 */

	/*
	 * A loop adding 1.0 per element read, over a page whose second half
	 * is taken away: it faults after 512 elements with the sum dirty.
	 */
	MMAP_ANON 8192
	mv s2, a0
	li t0, 4096
	add a0, s2, t0
	li a1, 4096
	li a2, PROT_NONE
	li a7, SYS_mprotect
	ecall
	CHECK mprotect, a0, 0
	li t0, 1
	fcvt.d.l fs7, t0
	fmv.d.x fs8, zero
	mv t3, s2
	li t4, 1000
	la s10, after_loop
sum_loop:
	ld t1, 0(t3)
	fadd.d fs8, fs8, fs7
	addi t3, t3, 8
	addi t4, t4, -1
	bnez t4, sum_loop
after_loop:
	fcvt.l.d s1, fs8, rtz
	CHECK loop-sum-at-fault, s1, 512

	/*
	 * inf - inf is a NaN, computed where its dirty operand lives: the
	 * slow path makes it the canonical NaN, and NV is raised.
	 */
	li t0, 0x7ff0000000000000
	fmv.d.x fs9, t0
	fmv.d.x fs10, t0
	csrw fflags, zero
	fadd.d fs9, fs9, fs1		/* inf, dirty */
	fsub.d fs9, fs9, fs10		/* NaN, in place */
	fmv.x.d s1, fs9
	CHECK nan-in-place, s1, D_QNAN
	frflags s1
	CHECK nan-in-place-nv, s1, 0x10

	CHECK faults, s11, 3
	ISA_END

/* a2 = ucontext (uc_mcontext at 176: pc, then x1..x31, then f0..f31). */
#define UC_PC 176
#define UC_S11 (UC_PC + 27 * 8)
on_segv:
	ld t2, UC_S11(a2)
	addi t2, t2, 1
	sd t2, UC_S11(a2)
	sd s10, UC_PC(a2)
	ret
