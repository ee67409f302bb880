/*
 * Self-checking instruction tests: shared harness (included by each .S).
 *
 * Each check prints "ok <name>" or "not ok <name>" through write(2); the
 * program exits 0 only if every check passed.  CHECK compares a register
 * with a 64-bit constant; the harness clobbers only a0, a1, a2, a7, t6 and
 * ra, so tests keep their values in other registers.  No libc: _start is
 * the test, so the same binary is cheap on every platform.
 */
#define SYS_write 64
#define SYS_exit 93
#define SYS_mmap 222

	.macro CHECK name:req, reg:req, expect:req
	.pushsection .rodata.str, "aMS", @progbits, 1
.Lname\@:
	.asciz "\name"
	.popsection
	li t6, \expect
	xor t6, t6, \reg
	mv a0, t6
	la a1, .Lname\@
	jal ra, isa_report
	.endm

/*
 * rt_sigaction(\sig, {\handler, SA_SIGINFO | \flags}): the handler gets
 * siginfo in a1 and the ucontext in a2; a0 is 0 afterwards if it was
 * installed.
 */
	.macro SIGINFO_HANDLER sig:req, handler:req, flags=0
	.pushsection .data
	.balign 8
.Laction\@:
	.dword 0, 0, 0
	.popsection
	la t0, .Laction\@
	la t1, \handler
	sd t1, 0(t0)
	li t1, 4 | \flags		/* SA_SIGINFO */
	sd t1, 8(t0)
	li a0, \sig
	mv a1, t0
	li a2, 0
	li a3, 8
	li a7, 134			/* rt_sigaction */
	ecall
	.endm

/* a0 = mmap(NULL, \len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0). */
	.macro MMAP_ANON len:req
	li a0, 0
	li a1, \len
	li a2, 3
	li a3, 0x22
	li a4, -1
	li a5, 0
	li a7, SYS_mmap
	ecall
	.endm

/* a0 = mmap(\addr, \len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0). */
	.macro MMAP_FIXED addr:req, len:req
	li a0, \addr
	li a1, \len
	li a2, 3
	li a3, 0x32
	li a4, -1
	li a5, 0
	li a7, SYS_mmap
	ecall
	.endm

/* A register-register operation on two constants. */
	.macro TEST_RR name:req, op:req, a:req, b:req, expect:req
	li s0, \a
	li s1, \b
	\op s2, s0, s1
	CHECK \name, s2, \expect
	.endm

/* A register-immediate operation. */
	.macro TEST_RI name:req, op:req, a:req, imm:req, expect:req
	li s0, \a
	\op s2, s0, \imm
	CHECK \name, s2, \expect
	.endm

	.macro ISA_BEGIN
	.text
	.globl _start
_start:
	.option push
	.option norelax
	la gp, __global_pointer$
	.option pop
	.endm

	.macro ISA_END
	la t0, isa_failures
	ld a0, 0(t0)
	snez a0, a0
	li a7, SYS_exit
	ecall

/* a0 = 0 if the check passed, a1 = its name: one write of "ok name\n". */
isa_report:
	la a7, isa_save
	sd ra, 0(a7)
	la a2, isa_line
	beqz a0, 1f
	ld t6, 8(a7)
	addi t6, t6, 1
	sd t6, 8(a7)
	la a0, isa_not_ok
	j 2f
1:	la a0, isa_ok
2:	lbu t6, 0(a0)
	beqz t6, 3f
	sb t6, 0(a2)
	addi a0, a0, 1
	addi a2, a2, 1
	j 2b
3:	lbu t6, 0(a1)
	beqz t6, 4f
	sb t6, 0(a2)
	addi a1, a1, 1
	addi a2, a2, 1
	j 3b
4:	li t6, 10
	sb t6, 0(a2)
	addi a2, a2, 1
	la a1, isa_line
	sub a2, a2, a1
	li a0, 1
	li a7, SYS_write
	ecall
	la a7, isa_save
	ld ra, 0(a7)
	ret

	.section .rodata
isa_ok:	.asciz "ok "
isa_not_ok: .asciz "not ok "
	.data
	.balign 8
isa_save: .dword 0
isa_failures: .dword 0
isa_line: .skip 256
	.text
	.endm
