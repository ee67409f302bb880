# Zicsr on the user CSRs, and the F/D loads and stores with NaN-boxing.
	.include "check.inc"
	.globl	_start
_start:
	csrwi	fcsr, 0
	csrrwi	a1, frm, 3
	CHECK	1, a1, 0
	csrr	a1, fcsr
	CHECK	2, a1, 0x60
	csrrsi	a1, fflags, 0x11
	CHECK	3, a1, 0
	csrr	a1, fcsr
	CHECK	4, a1, 0x71
	csrrci	a1, fcsr, 0x1
	CHECK	5, a1, 0x71
	csrr	a1, fflags
	CHECK	6, a1, 0x10
	li	a0, 0xffff
	csrw	fcsr, a0                # only 8 bits exist
	csrr	a1, fcsr
	CHECK	7, a1, 0xff
	csrr	a1, frm
	CHECK	8, a1, 7
	csrrs	a1, fflags, zero        # rs1 = x0: read only
	CHECK	9, a1, 0x1f
	csrw	fcsr, zero
	rdcycle	a0                      # counters are readable and move forward
	rdinstret a1
	rdtime	a2
	nop
	rdtime	a3
	bltu	a3, a2, fail

	addi	sp, sp, -32
	li	a0, 0x3f800000          # 1.0f
	sw	a0, 0(sp)
	flw	fa0, 0(sp)
	fmv.x.d	a1, fa0                 # NaN-boxed: upper 32 bits all ones
	CHECK	10, a1, 0xffffffff3f800000
	li	a0, 0x4000000000000000  # 2.0
	sd	a0, 8(sp)
	fld	fa1, 8(sp)
	fmv.x.d	a1, fa1
	CHECK	11, a1, 0x4000000000000000
	fsw	fa1, 16(sp)             # the low 32 bits of the register
	lwu	a1, 16(sp)
	CHECK	12, a1, 0
	fsd	fa0, 16(sp)
	ld	a1, 16(sp)
	CHECK	13, a1, 0xffffffff3f800000
	fadd.d	fa2, fa1, fa1
	fsd	fa2, 24(sp)
	ld	a1, 24(sp)
	CHECK	14, a1, 0x4010000000000000
	c.fldsp	fa3, 24(sp)
	fmv.x.d	a1, fa3
	CHECK	15, a1, 0x4010000000000000
	addi	sp, sp, 32
	j	pass
	FINISH
