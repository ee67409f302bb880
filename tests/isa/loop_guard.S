/*
 * Bounds checks a loop translation leaves out (docs/translator.md,
 * "Facts at a loop's head"): a pointer the loop steps past its access is
 * checked once on the way in, and each turn's access then lands in guest
 * memory or in a guard.  Every loop below walks or starts out of the
 * guest address space and must fault where qemu-riscv64 faults, with the
 * registers of the turns before it; the handler resumes after the loop.
 * The loops are entered by an indirect jump, so their own translation
 * meets the pointer set up before them.
 */
#include "isa.h"

#define SIGSEGV 11
#define TOP 0x4000000000
#define MAPPED (128 * 1024)
#define UC_PC 176
#define SA_NODEFER 0x40000000

/* a5 steps by \step (addi's of at most 2047) from \start; s2 counts the turns. */
	.macro STEP_LOOP name:req, start:req, addis:req, imm:req, turns:req, fault:req
	la t0, 2f
	la t1, resume_pc
	sd t0, 0(t1)
	li a5, \start
	li s2, 0
	la t0, 1f
	jr t0
1:	ld t1, 0(a5)
	.rept \addis
	addi a5, a5, \imm
	.endr
	addi s2, s2, 1
	j 1b
2:	la t0, fault_at
	ld s3, 0(t0)
	CHECK \name-addr, s3, \fault
	CHECK \name-pointer, a5, \fault
	CHECK \name-turns, s2, \turns
	.endm

	ISA_BEGIN
	MMAP_FIXED TOP - MAPPED, MAPPED
	CHECK mmap-top, a0, TOP - MAPPED

	SIGINFO_HANDLER SIGSEGV, on_segv, SA_NODEFER
	CHECK sigaction, a0, 0

	/* 8 bytes a turn over the last page, into the guard above 2^38. */
	STEP_LOOP step8, TOP - 4096, 1, 8, 512, TOP
	/* 16376 bytes a turn: still near the checked address, so unchecked. */
	STEP_LOOP step16k, TOP + 8 - 5 * 16376, 8, 2047, 5, TOP + 8
	/* 34799 bytes a turn: too far from the last check, checked each turn. */
	STEP_LOOP step34k, TOP + 16 - 3 * 34799, 17, 2047, 3, TOP + 16
	/* Entered far above the guard: the check on the way in must fail. */
	STEP_LOOP far-entry, TOP + 0x10000000, 1, 8, 0, TOP + 0x10000000
	/* Stepping down from -8: the fact on the way in holds, the access wraps below 0. */
	STEP_LOOP wrapped, -8, 1, -8, 0, -8

	/* Entered out of range but left before any access: no fault at all. */
	li a5, TOP + 0x100000
	mv a6, a5
	li s2, 0
	la t3, 3f
	la t0, 1f
	jr t0
1:	beq a5, a6, 2f
	ld t1, 0(a5)
	addi a5, a5, 8
	addi s2, s2, 1
	j 1b
2:	jr t3
3:	CHECK left-before-access, s2, 0
	/* The same loop again, over guest memory. */
	li a6, TOP - 64
	li a5, TOP - 128
	la t3, 4f
	la t0, 1b
	jr t0
4:	CHECK second-entry-turns, s2, 8
	ISA_END

/*
 * a1 = siginfo (si_addr at 16), a2 = ucontext (pc, then x1..x31): record
 * the address, take a5, s2 and sp from the fault and jump after the loop.
 * No sigreturn: the test maps the top of the address space, where rvkvm
 * keeps its signal trampoline (SA_NODEFER, so SIGSEGV stays unblocked).
 */
on_segv:
	ld t0, 16(a1)
	la t1, fault_at
	sd t0, 0(t1)
	ld a5, UC_PC + 15 * 8(a2)
	ld s2, UC_PC + 18 * 8(a2)
	ld sp, UC_PC + 2 * 8(a2)
	la t1, resume_pc
	ld t0, 0(t1)
	jr t0

	.data
	.balign 8
resume_pc:
	.dword 0
fault_at:
	.dword 0
