/*
 * Exits that leave registers unwritten which the guest code past them
 * overwrites before reading (docs/translator.md, "Dead registers past the
 * block"): each case here has a path that does read the register, so its
 * value must have been written back: on one side of a branch only, in a
 * callee, in a callee's callee, in a system call, and past a `ret` whose
 * callee aimed ra elsewhere.  Each read is followed by an overwrite
 * before any system call, so a scan that missed the read would find the
 * register dead.
 */
#include "isa.h"

	ISA_BEGIN
	/* Read on the taken side of the branch after the jump, overwritten on the other. */
	li s6, 11
	li t1, 0
	j 1f
1:	beqz t1, 2f
	li s6, 0
2:	mv s3, s6
	li s6, 0
	CHECK read-one-side, s3, 11

	/* Read by the callee. */
	li s7, 3
	jal ra, read_s7
	li s7, 0
	CHECK read-in-callee, s8, 3

	/* Read by the callee's callee, which the scan does not follow. */
	li s9, 5
	jal ra, call_read_s9
	li s9, 0
	CHECK read-two-deep, s10, 5

	/* Read by the kernel: write(1, "ok\n", 3) with the length set before the jump. */
	li a0, 1
	la a1, line
	li a2, 9
	li t2, 0
	beqz t2, 3f		/* taken: a side exit to 3 */
	li a2, 1
3:	li a7, SYS_write
	ecall
	mv s11, a0
	CHECK write-length, s11, 9

	/* A callee that aims ra past its caller's overwrite. */
	li s5, 7
	jal ra, return_elsewhere
	li s5, 0
after_rewritten_ra:
	CHECK ra-rewritten, s5, 7

	/* The same register dead on every path: no read, nothing to see but the result. */
	li s4, 13
	li t2, 1
	j 5f
5:	beqz t2, 6f
	li s4, 1
	j 7f
6:	li s4, 2
7:	CHECK dead-both-sides, s4, 1
	ISA_END

read_s7:
	mv s8, s7
	ret

call_read_s9:
	addi sp, sp, -16
	sd ra, 8(sp)
	jal ra, read_s9
	ld ra, 8(sp)
	addi sp, sp, 16
	li s9, 1
	ret

read_s9:
	mv s10, s9
	ret

return_elsewhere:
	la ra, after_rewritten_ra
	ret

	.section .rodata
line:
	.ascii "ok write\n"
