/*
 * spin-bare.S - spin.c without the C library, for the kvm runs of
 * run-security.sh: glibc's start-up alone takes seconds inside an
 * emulated-KVM VM, this reaches its loop at once.  One line, then a loop
 * with no system call, so only a signal or a timer from outside ends it.
 * With any argument (spin.c's --once) it exits 0 after the line instead:
 * the normal guest run after a hostile one.
 */
	.globl	_start
_start:
	li	a0, 1
	la	a1, line
	li	a2, 9
	li	a7, 64		/* write */
	ecall
	ld	t1, 0(sp)	/* argc (the ELF ABI's initial stack) */
	li	t2, 1
	bgt	t1, t2, 2f
1:	addi	t0, t0, 1
	j	1b
2:	li	a0, 0
	li	a7, 93		/* exit */
	ecall

	.section .rodata
line:	.ascii	"spinning\n"
