/*
 * sigpipe-bare.S MODE - sigpipe.c's default and ignore modes without the C
 * library, for the kvm runs of run-security.sh (glibc's start-up takes
 * seconds inside an emulated-KVM VM).  Writes 4 KiB blocks to stdout until
 * the reader has gone: with no argument SIGPIPE ends it (status 141); with
 * any argument SIGPIPE is ignored first and it exits with the negated
 * error of the write that failed (EPIPE: 32).
 */
	.globl	_start
_start:
	ld	t0, 0(sp)	/* argc (the ELF ABI's initial stack) */
	li	t1, 1
	ble	t0, t1, 1f
	li	a0, 13		/* SIGPIPE */
	la	a1, ignore
	li	a2, 0
	li	a3, 8		/* sizeof the kernel's sigset_t */
	li	a7, 134		/* rt_sigaction */
	ecall
1:	li	a0, 1
	la	a1, buf
	li	a2, 4096
	li	a7, 64		/* write */
	ecall
	bgt	a0, zero, 1b
	neg	a0, a0
	li	a7, 93		/* exit */
	ecall

	.section .rodata
	.balign	8
ignore:	.dword	1, 0, 0		/* SIG_IGN, no flags, empty mask */

	.bss
buf:	.space	4096
