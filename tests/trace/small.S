/*
 * The kvm check of the -d suite: a few blocks, no C library, so a traced
 * run on an emulated-KVM host stays short.  Writes one line, exits 5.
 */
	.section .rodata
message:
	.ascii "small trace test\n"
	.set MESSAGE_LEN, . - message

	.text
	.globl _start
	.type _start, @function
_start:
	li	a0, 1
	lla	a1, message
	li	a2, MESSAGE_LEN
	call	say
	li	a0, 5
	li	a7, 93		/* exit */
	ecall
	.size _start, . - _start

	.type say, @function
say:
	li	a7, 64		/* write */
	ecall
	ret
	.size say, . - say
