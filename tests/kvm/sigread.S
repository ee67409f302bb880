/*
 * sigread.S - a read(2) of stdin that a host signal interrupts, without the
 * C library (its start-up takes seconds in an emulated-KVM VM), for
 * tests/security/run-hostsignals.sh.  SIGUSR1 gets a handler that writes
 * "sig"; without an argument it has no SA_RESTART (the read ends with
 * -EINTR), with one it has (the read goes on until stdin closes: 0).
 * Prints "ready" before the read and "read=<result>" after it.
 */
	.equ	SIGUSR1, 10
	.equ	SA_RESTART, 0x10000000
	.equ	SYS_read, 63
	.equ	SYS_write, 64
	.equ	SYS_exit, 93
	.equ	SYS_rt_sigaction, 134

	.globl	_start
_start:
	ld	t0, 0(sp)		/* argc (the ELF ABI's initial stack) */
	li	t1, 1
	la	a1, action
	ble	t0, t1, 1f
	li	t2, SA_RESTART
	sd	t2, 8(a1)		/* sa_flags */
1:	li	a0, SIGUSR1
	li	a2, 0
	li	a3, 8			/* sizeof(sigset_t) for the kernel */
	li	a7, SYS_rt_sigaction
	ecall
	bnez	a0, 9f

	li	a0, 1
	la	a1, ready
	li	a2, 6
	li	a7, SYS_write
	ecall

	li	a0, 0
	la	a1, buf
	li	a2, 16
	li	a7, SYS_read
	ecall
	/* "read=" then the result as -N or N, one digit (0, -4 expected). */
	la	t0, result
	li	t1, '-'
	bgez	a0, 2f
	sb	t1, 5(t0)
	neg	a0, a0
	j	3f
2:	li	t1, ' '
	sb	t1, 5(t0)
3:	li	t1, 9
	ble	a0, t1, 4f
	li	a0, 9			/* anything larger shows as 9 */
4:	addi	a0, a0, '0'
	sb	a0, 6(t0)
	li	a0, 1
	la	a1, result
	li	a2, 8
	li	a7, SYS_write
	ecall
	li	a0, 0
	li	a7, SYS_exit
	ecall
9:	li	a0, 2
	li	a7, SYS_exit
	ecall

on_usr1:
	li	a0, 1
	la	a1, sig
	li	a2, 4
	li	a7, SYS_write
	ecall
	ret

	.section .rodata
ready:	.ascii	"ready\n"
sig:	.ascii	"sig\n"

	.data
	.balign	8
action:	.dword	on_usr1			/* struct sigaction: handler, flags, mask */
	.dword	0
	.dword	0
result:	.ascii	"read=??\n"

	.bss
buf:	.space	16
