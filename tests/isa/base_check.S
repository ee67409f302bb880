/*
 * The first access through a base register with a positive offset: the
 * translator compares the base alone with the top of the guest address
 * space (2^38), and the access lands in guest memory, in the guard above
 * the top, or (a base at or above the top) faults at base + offset,
 * wrapped below 2048 where the base is near 2^64.  Each case must be
 * SIGSEGV at exactly base + offset, as under qemu-riscv64 and Linux.
 * The handler puts si_addr in s9 and resumes at s10.
 */
#include "isa.h"

#define SIGSEGV 11
#define TOP 0x4000000000

	.macro FAULT name:req, base:req, access:req
	li t2, \base
	la s10, 1f
	li s9, 0
	j 2f
2:	\access
1:
	.endm

	ISA_BEGIN
	SIGINFO_HANDLER SIGSEGV, on_segv
	CHECK sigaction, a0, 0

	/* In guest memory: the access happens. */
	la t2, buffer
	li t1, 0x5678
	j 3f
3:	sd t1, 56(t2)
	ld t3, 56(t2)
	CHECK in-memory, t3, 0x5678

	FAULT guard, TOP - 8, "ld t1, 16(t2)"
	CHECK guard-addr, s9, TOP + 8
	FAULT at-top, TOP, "ld t1, 8(t2)"
	CHECK at-top-addr, s9, TOP + 8
	FAULT far, 0x10000000000, "ld t1, 8(t2)"
	CHECK far-addr, s9, 0x10000000008
	FAULT far-store, 0x10000000000, "sd t1, 24(t2)"
	CHECK far-store-addr, s9, 0x10000000018
	FAULT wraps, -8, "ld t1, 16(t2)"
	CHECK wraps-addr, s9, 8
	FAULT wraps-byte, -1, "lbu t1, 2047(t2)"
	CHECK wraps-byte-addr, s9, 2046
	ISA_END

/* a1 = siginfo (si_addr at 16), a2 = ucontext (uc_mcontext at 176: pc, x1..x31). */
#define UC_PC 176
#define UC_S9 (UC_PC + 25 * 8)
on_segv:
	ld t0, 16(a1)
	sd t0, UC_S9(a2)
	sd s10, UC_PC(a2)
	ret

	.data
	.balign 8
buffer:
	.skip 64
