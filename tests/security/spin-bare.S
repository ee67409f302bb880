/*
 * spin-bare.S - spin.c without the C library, for the kvm runs of
 * run-security.sh: glibc's start-up alone takes seconds inside an
 * emulated-KVM VM, this reaches its loop at once.  One line, then a loop
 * with no system call, so only a signal or a timer from outside ends it.
 */
	.globl	_start
_start:
	li	a0, 1
	la	a1, line
	li	a2, 9
	li	a7, 64		/* write */
	ecall
1:	addi	t0, t0, 1
	j	1b

	.section .rodata
line:	.ascii	"spinning\n"
