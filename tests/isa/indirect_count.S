/*
 * Indirect jumps of every kind, in counts run-isa.sh checks against
 * `rvkvm --stats`: 1000 calls and returns, 1000 indirect calls through a
 * register (each with its return), 1000 jumps through a register to two
 * alternating targets, and last 100 returns to somewhere other than the
 * caller, which the return stack cannot serve.  With the four checks'
 * returns: 4104 indirect jumps, 2104 of them returns.
 */
#include "isa.h"

#define TURNS 1000
#define WRONG_RETURNS 100

	ISA_BEGIN
	li s2, 0

	li s0, TURNS
1:	call add_one
	addi s0, s0, -1
	bnez s0, 1b
	CHECK calls, s2, TURNS

	la s1, add_one
	li s0, TURNS
2:	jalr ra, 0(s1)
	addi s0, s0, -1
	bnez s0, 2b
	CHECK indirect-calls, s2, 2 * TURNS

	la s3, even
	la s4, odd
	li s0, TURNS
3:	andi t0, s0, 1
	mv t1, s3
	beqz t0, 4f
	mv t1, s4
4:	jr t1
back:
	addi s0, s0, -1
	bnez s0, 3b
	CHECK alternating, s2, 2 * TURNS + TURNS / 2

	li s0, WRONG_RETURNS
5:	call elsewhere
	j fail
landed:
	addi s0, s0, -1
	bnez s0, 5b
	CHECK wrong-returns, s2, 2 * TURNS + TURNS / 2 + WRONG_RETURNS
	ISA_END

add_one:
	addi s2, s2, 1
	ret

even:
	addi s2, s2, 1
	j back
odd:
	j back

/* Returns to `landed`, not to its caller. */
elsewhere:
	addi s2, s2, 1
	la ra, landed
	ret

fail:
	li a0, 2
	li a7, SYS_exit
	ecall
