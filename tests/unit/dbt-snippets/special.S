# Entry points for the harness's own checks (dbt_harness.c), which look at
# the exit reason, pc and fault details rather than at a self-check.  Each
# t_NAME_at label marks the instruction expected to stop the run.
	.globl	_start
_start:
	li	a7, 93
	ecall

	.globl	t_bounds, t_bounds_at
t_bounds:
	li	a2, 5
	li	t0, 0x4000000000        # GUEST_VA_LIMIT
t_bounds_at:
	ld	a0, 0(t0)
	j	t_bounds

	.globl	t_cross, t_cross_at
t_cross:
	li	a2, 6
	li	t0, 0x3ffffffffc        # 8 bytes from here cross the limit
t_cross_at:
	ld	a0, 0(t0)
	j	t_cross

	.globl	t_high, t_high_at
t_high:
	li	t0, -8
t_high_at:
	sd	zero, 0(t0)
	j	t_high

	.globl	t_unmapped, t_unmapped_at
t_unmapped:
	li	t0, 0x20000000
	li	a2, 7
	addi	a3, a2, 1
t_unmapped_at:
	sw	a2, 4(t0)
	li	a2, 99
	j	t_unmapped

	.globl	t_amo, t_amo_at
t_amo:
	li	t0, 0x20000000
t_amo_at:
	amoadd.d a0, a2, (t0)
	j	t_amo

	.globl	t_amo_misaligned, t_amo_misaligned_at
t_amo_misaligned:
	addi	t0, sp, -13
t_amo_misaligned_at:
	amoadd.w a0, a2, (t0)
	j	t_amo_misaligned

	.globl	t_illegal, t_illegal_at
t_illegal:
	li	a2, 1
t_illegal_at:
	.2byte	0
	j	t_illegal

	.globl	t_csr_ro, t_csr_ro_at
t_csr_ro:
t_csr_ro_at:
	csrw	cycle, a0
	j	t_csr_ro

	.globl	t_csr_unknown, t_csr_unknown_at
t_csr_unknown:
t_csr_unknown_at:
	csrr	a0, 0x7c0
	j	t_csr_unknown

	.globl	t_ecall, t_ecall_at
t_ecall:
	li	a7, 64
t_ecall_at:
	ecall
	li	a0, 42
	li	a7, 93
	ecall

	# a call to a routine the personality may run as host code
	.globl	t_routine, t_routine_fn, t_routine_ecall
t_routine:
	li	a0, 5
	jal	ra, t_routine_fn
t_routine_ecall:
	ecall
t_routine_fn:
	addi	a0, a0, 1
	ret

	.globl	t_ebreak, t_ebreak_at
t_ebreak:
t_ebreak_at:
	c.ebreak
	j	t_ebreak

	.globl	t_fetch
t_fetch:
	li	t0, 0x30000000
	jr	t0

	# self-modifying code: the patched function, and its replacement
	.option	push
	.option	norvc
	.globl	smc_f, smc_new
smc_f:
	addi	a0, zero, 1
	ret
smc_new:
	addi	a0, zero, 2
smc_new3:
	addi	a0, zero, 3
	.option	pop

	# a store to translated code, no fence.i: write protection catches it
	.globl	t_smc
t_smc:
	call	smc_f
	mv	s1, a0
	la	t0, smc_f
	lw	t1, smc_new
	sw	t1, 0(t0)
	call	smc_f
	mv	s2, a0
	la	t0, smc_f
	lw	t1, smc_new3
	sw	t1, 0(t0)
	fence.i
	call	smc_f
	mv	s3, a0
	li	a7, 93
	ecall

	.globl	t_call_f
t_call_f:
	call	smc_f
	li	a7, 93
	ecall

	# A chained jump into a page that is then written: the jump must be
	# unchained (the caller's page is not written, so its block stays).
	.globl	t_chain
t_chain:
	li	s1, 0
	li	s4, 2
	j	1f                      # the loop head starts its own block
1:	jal	ra, chain_f
	add	s1, s1, a0
	la	t0, chain_f
	lw	t1, smc_new
	sw	t1, 0(t0)
	addi	s4, s4, -1
	bnez	s4, 1b
	li	a7, 93
	ecall


	# a 4-byte instruction across the page boundary at 0x11000
	.globl	t_straddle, straddle
t_straddle:
	li	a0, 1
	j	straddle
	.org	0xffe
	.option	push
	.option	norvc
straddle:
	addi	a0, a0, 41
	.option	pop
	li	a7, 93
	ecall

	.option	push
	.option	norvc
	.balign	4
	.globl	chain_f
chain_f:
	addi	a0, zero, 1
	ret
	.option	pop
