/*
 * iothread.S - many small host calls in a row, without the C library (whose
 * start-up alone takes seconds in an emulated-KVM VM), for run-iothread.sh:
 * 260 one-byte write(2)s of a rotating alphabet, a newline after each 26,
 * then the file named by argv[1] copied to stdout 37 bytes per read(2).
 * Any lost, repeated or reordered request shows in stdout; the exit status
 * is 7, or 1 if the file cannot be opened.
 */
	.equ	AT_FDCWD, -100
	.equ	SYS_openat, 56
	.equ	SYS_close, 57
	.equ	SYS_read, 63
	.equ	SYS_write, 64
	.equ	SYS_exit, 93
	.equ	LETTERS, 260
	.equ	CHUNK, 37

	.globl	_start
_start:
	ld	s1, 16(sp)		/* argv[1] (the ELF ABI's initial stack) */
	la	s2, buf
	li	s3, 0			/* letters written */
	li	s4, 0			/* position in the alphabet */
1:	addi	t0, s4, 'a'
	sb	t0, 0(s2)
	li	a0, 1
	mv	a1, s2
	li	a2, 1
	li	a7, SYS_write
	ecall
	addi	s3, s3, 1
	addi	s4, s4, 1
	li	t0, 26
	bne	s4, t0, 2f
	li	s4, 0
	li	a0, 1
	la	a1, newline
	li	a2, 1
	li	a7, SYS_write
	ecall
2:	li	t0, LETTERS
	blt	s3, t0, 1b

	li	a0, AT_FDCWD
	mv	a1, s1
	li	a2, 0			/* O_RDONLY */
	li	a3, 0
	li	a7, SYS_openat
	ecall
	bltz	a0, 9f
	mv	s5, a0
3:	mv	a0, s5
	mv	a1, s2
	li	a2, CHUNK
	li	a7, SYS_read
	ecall
	blez	a0, 4f
	mv	a2, a0
	li	a0, 1
	mv	a1, s2
	li	a7, SYS_write
	ecall
	j	3b
4:	mv	a0, s5
	li	a7, SYS_close
	ecall
	li	a0, 7
	li	a7, SYS_exit
	ecall
9:	li	a0, 1
	li	a7, SYS_exit
	ecall

	.section .rodata
newline: .ascii	"\n"

	.bss
buf:	.space	64
