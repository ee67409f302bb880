/*
 * Accesses through one base register after a checked one, or through a
 * register made from a checked one by addi or mv: an access that steps
 * past the top of the guest address space (2^38 on rvkvm, unmapped under
 * qemu-riscv64) must still be SIGSEGV at the right address, with the
 * registers of the instructions before it written, sp included.
 */
#include "isa.h"

#define SIGSEGV 11
#define TOP 0x4000000000

	ISA_BEGIN
	MMAP_FIXED TOP - 4096, 4096
	CHECK mmap-last-page, a0, TOP - 4096

	SIGINFO_HANDLER SIGSEGV, on_segv
	CHECK sigaction, a0, 0

	li s0, TOP - 8
	addi sp, sp, -64		/* in the faulting block: the fault must see this sp */
	mv s10, sp
	li s1, 0x1234
	sd s1, 0(s0)
	ld s2, 0(s0)
	addi s3, s2, 1
	mv s7, s0
	addi s5, s7, -8
	ld s8, 8(s5)
	addi s5, s5, 16
	ld s4, -8(s5)
	addi s9, s4, 1
	ld s4, 0(s5)
	CHECK not-reached, zero, 1
	ISA_END

/* a2 = ucontext: uc_mcontext at 176, pc then x1..x31. */
#define UC_SP (176 + 2 * 8)

/*
 * a1 = siginfo: si_addr at 16 (the generic Linux layout).  si_code is not
 * compared: qemu-riscv64 says SEGV_ACCERR there, Linux SEGV_MAPERR.
 */
on_segv:
	ld s11, UC_SP(a2)		/* before CHECK, which clobbers a0-a2 */
	ld s6, 16(a1)
	CHECK si-addr, s6, TOP
	CHECK loaded-before, s2, 0x1234
	CHECK computed-before, s3, 0x1235
	CHECK stepped-load-before, s9, 0x1235
	CHECK stepped-pointer, s5, TOP
	sub s11, s11, s10
	CHECK sp-at-fault, s11, 0
	la t0, isa_failures
	ld a0, 0(t0)
	snez a0, a0
	li a7, SYS_exit
	ecall
