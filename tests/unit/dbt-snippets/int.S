# RV64I: arithmetic, W forms, shifts, compares, branches, jumps, loads/stores.
	.include "check.inc"
	.globl	_start
_start:
	li	a0, 0x7fffffff
	addiw	a1, a0, 1
	CHECK	1, a1, -0x80000000
	addi	a1, a0, 1
	CHECK	2, a1, 0x80000000
	li	a0, -1
	srli	a1, a0, 60
	CHECK	3, a1, 15
	srai	a1, a0, 60
	CHECK	4, a1, -1
	li	a0, 0x80000000
	sraiw	a1, a0, 4
	CHECK	5, a1, 0xfffffffff8000000
	srliw	a1, a0, 4
	CHECK	6, a1, 0x08000000
	slliw	a1, a0, 1
	CHECK	7, a1, 0
	li	a2, 65
	li	a0, 1
	sll	a1, a0, a2              # count masked to 6 bits: 1 << 1
	CHECK	8, a1, 2
	li	a2, 33
	sllw	a1, a0, a2              # count masked to 5 bits: 1 << 1
	CHECK	9, a1, 2
	li	a0, -16
	li	a2, 2
	sraw	a1, a0, a2
	CHECK	10, a1, -4
	srlw	a1, a0, a2
	CHECK	11, a1, 0x3ffffffc
	li	a0, 0x100000000
	addw	a1, a0, a0
	CHECK	12, a1, 0
	li	a0, 5
	li	a2, 7
	subw	a1, a0, a2
	CHECK	13, a1, -2
	slt	a1, a0, a2
	CHECK	14, a1, 1
	li	a3, -1
	sltu	a1, a3, a0
	CHECK	15, a1, 0
	slt	a1, a3, a0
	CHECK	16, a1, 1
	sltiu	a1, a0, -1              # imm sign-extends, compare unsigned
	CHECK	17, a1, 1
	slti	a1, a0, -1
	CHECK	18, a1, 0
	xori	a1, a0, -1
	CHECK	19, a1, -6
	andi	a1, a3, 0x7f0
	CHECK	20, a1, 0x7f0
	ori	a1, zero, -2048
	CHECK	21, a1, -2048
	lui	a1, 0x80000
	CHECK	22, a1, 0xffffffff80000000
1:	auipc	a1, 0
	la	a2, 1b
	sub	a1, a1, a2
	CHECK	23, a1, 0
	addi	zero, a0, 5             # writes to x0 vanish
	CHECK	24, zero, 0

	# branches, both ways
	li	a0, -3
	li	a2, 2
	blt	a0, a2, 2f
	li	a0, 1
	j	fail
2:	bltu	a0, a2, 3f              # -3 is huge unsigned: not taken
	bge	a0, a2, fail
	bgeu	a0, a2, 4f
3:	li	a0, 2
	j	fail
4:	beq	a0, a0, 5f
	li	a0, 3
	j	fail
5:	bne	a0, a0, fail

	# jal/jalr: link value, target with the low bit cleared, rd == rs1
	jal	ra, 6f
9:	j	fail                    # ra points here
6:	la	a2, 9b
	sub	a1, ra, a2
	CHECK	25, a1, 0
	la	t0, 8f
	addi	t0, t0, 1
	jalr	t0, 0(t0)               # low bit cleared; rd == rs1
7:	j	fail                    # t0 points here
8:	la	t1, 7b
	sub	t0, t0, t1
	CHECK	26, t0, 0

	# loads and stores on the stack, signed and unsigned, misaligned
	addi	sp, sp, -64
	li	a0, 0x8899aabbccddeeff
	sd	a0, 0(sp)
	lb	a1, 0(sp)
	CHECK	27, a1, -1
	lbu	a1, 0(sp)
	CHECK	28, a1, 0xff
	lh	a1, 6(sp)
	CHECK	29, a1, 0xffffffffffff8899
	lhu	a1, 6(sp)
	CHECK	30, a1, 0x8899
	lw	a1, 4(sp)
	CHECK	31, a1, 0xffffffff8899aabb
	lwu	a1, 4(sp)
	CHECK	32, a1, 0x8899aabb
	ld	a1, 0(sp)
	CHECK	33, a1, 0x8899aabbccddeeff
	sd	a0, 9(sp)               # misaligned works
	ld	a1, 9(sp)
	CHECK	34, a1, 0x8899aabbccddeeff
	sw	zero, 9(sp)
	sh	a0, 9(sp)
	sb	a0, 12(sp)
	ld	a1, 9(sp)
	CHECK	35, a1, 0x8899aabbff00eeff
	lw	zero, 0(sp)             # a load to x0 still happens, leaves x0 alone
	CHECK	36, zero, 0
	addi	sp, sp, 64
	j	pass
	FINISH
