/*
 * Returns to address 0: SIGSEGV with si_addr 0 and the pc at 0.  Right
 * after fence.i (every translation dropped, so the block is entered from
 * the dispatcher and the translator's return-address stack is empty: its
 * bottom entry holds pc 0) and from inside a call (the stack's top is the
 * caller's return address).  The handler records si_addr in s9 and the
 * faulting pc in s8, and resumes at s10.
 */
#include "isa.h"

#define SIGSEGV 11

	ISA_BEGIN
	SIGINFO_HANDLER SIGSEGV, on_segv
	CHECK sigaction, a0, 0

	li s9, -1
	li s8, -1
	la s10, 1f
	fence.i
	li ra, 0
	ret
1:	CHECK empty-stack-addr, s9, 0
	CHECK empty-stack-pc, s8, 0

	li s9, -1
	li s8, -1
	la s10, 2f
	call to_zero
2:	CHECK in-call-addr, s9, 0
	CHECK in-call-pc, s8, 0
	ISA_END

to_zero:
	li ra, 0
	ret

/* a1 = siginfo (si_addr at 16), a2 = ucontext (uc_mcontext at 176: pc, x1..x31). */
#define UC_PC 176
#define UC_S8 (UC_PC + 24 * 8)
#define UC_S9 (UC_PC + 25 * 8)
on_segv:
	ld t0, 16(a1)
	sd t0, UC_S9(a2)
	ld t0, UC_PC(a2)
	sd t0, UC_S8(a2)
	sd s10, UC_PC(a2)
	ret
