/*
 * AMOs and SC on a page the program may only read: the store half faults
 * (SIGSEGV at the instruction's pc and address), memory keeps its value
 * and rd is not written, whatever the load half read; an AMO on a
 * writable page right before still completes.  The handler checks and
 * moves on to the next case by its address in s10.
 */
#include "isa.h"

#define SYS_mprotect 226
#define SIGSEGV 11
#define PROT_READ 1
#define RD_UNTOUCHED 0x5555
#define SEEN 7

	ISA_BEGIN
	MMAP_ANON 8192
	mv s0, a0			/* page 0 writable, page 1 read-only */
	li t0, 4096
	add s3, s0, t0
	li t0, SEEN
	sw t0, 0(s0)
	sd t0, 0(s3)
	mv a0, s3
	li a1, 4096
	li a2, PROT_READ
	li a7, SYS_mprotect
	ecall
	CHECK mprotect, a0, 0

	SIGINFO_HANDLER SIGSEGV, on_segv
	CHECK sigaction, a0, 0

	li t1, 5
	amoadd.w s1, t1, (s0)		/* writable: completes */
	CHECK amoadd-writable-old, s1, SEEN
	lw s2, 0(s0)
	CHECK amoadd-writable-new, s2, SEEN + 5

	li s4, RD_UNTOUCHED
	la s10, after_amoswap
amoswap_at:
	amoswap.d s4, t1, (s3)
after_amoswap:
	CHECK amoswap-rd, s4, RD_UNTOUCHED
	ld s2, 0(s3)
	CHECK amoswap-memory, s2, SEEN

	la s10, after_amoswap_x0
	amoswap.w zero, t1, (s3)
after_amoswap_x0:
	ld s2, 0(s3)
	CHECK amoswap-x0-memory, s2, SEEN

	la s10, after_amomax
amomax_at:
	amomaxu.d s4, t1, (s3)
after_amomax:
	CHECK amomax-rd, s4, RD_UNTOUCHED

	lr.d s5, (s3)
	CHECK lr-read-only, s5, SEEN
	la s10, after_sc
sc_at:
	sc.d s4, t1, (s3)
after_sc:
	CHECK sc-rd, s4, RD_UNTOUCHED
	ld s2, 0(s3)
	CHECK sc-memory, s2, SEEN
	CHECK faults, s11, 4
	ISA_END

/*
 * a1 = siginfo (si_addr at 16), a2 = ucontext (uc_mcontext at 176: pc,
 * then x1..x31).  The interrupted registers come back from the ucontext:
 * the count is kept in its s11 (x27), the pc set to s10's.
 */
#define UC_PC 176
#define UC_S11 (UC_PC + 27 * 8)
on_segv:
	ld t2, 16(a1)
	bne t2, s3, 1f
	ld t2, UC_S11(a2)
	addi t2, t2, 1
	sd t2, UC_S11(a2)
1:	sd s10, UC_PC(a2)
	ret
