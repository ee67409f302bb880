/* Zicsr: every CSR instruction form on fflags/frm/fcsr, and the user counters (readable, monotonic). */
#include "isa.h"

	ISA_BEGIN
	csrwi fcsr, 0
	li s0, 0x1f
	csrrw s2, fflags, s0
	CHECK csrrw-old, s2, 0
	csrr s2, fflags
	CHECK csrrw-new, s2, 0x1f
	csrr s2, fcsr
	CHECK fcsr-holds-fflags, s2, 0x1f
	li s0, 0x3
	csrrc s2, fflags, s0
	CHECK csrrc-old, s2, 0x1f
	csrr s2, fflags
	CHECK csrrc-new, s2, 0x1c
	li s0, 0x1
	csrrs s2, fflags, s0
	CHECK csrrs-old, s2, 0x1c
	csrr s2, fflags
	CHECK csrrs-new, s2, 0x1d
	csrrwi s2, fflags, 2
	CHECK csrrwi-old, s2, 0x1d
	csrrsi s2, fflags, 4
	CHECK csrrsi-old, s2, 2
	csrrci s2, fflags, 2
	CHECK csrrci-old, s2, 6
	csrr s2, fflags
	CHECK csrrci-new, s2, 4
	csrrwi s2, frm, 3
	CHECK frm-old, s2, 0
	csrr s2, fcsr
	CHECK fcsr-frm-field, s2, (3 << 5) | 4
	li s0, 0xff
	csrrw s2, fcsr, s0
	CHECK fcsr-write-old, s2, (3 << 5) | 4
	csrr s2, frm
	CHECK fcsr-sets-frm, s2, 7
	csrr s2, fcsr
	CHECK fcsr-width, s2, 0xff
	li s0, -1
	csrw fcsr, s0
	csrr s2, fcsr
	CHECK fcsr-upper-bits-zero, s2, 0xff
	csrwi fcsr, 0
	/* csrrs with rs1 = x0 reads without writing. */
	csrrs s2, frm, zero
	CHECK csrrs-x0-read, s2, 0
	/* fflags accrue from arithmetic. */
	li s0, 0x3ff0000000000000
	fmv.d.x fs0, s0
	fmv.d.x fs1, zero
	fdiv.d fs2, fs0, fs1
	csrr s2, fflags
	CHECK fflags-accrue-dz, s2, 8
	frflags s2
	CHECK frflags, s2, 8
	fsflags s3, zero
	CHECK fsflags-old, s3, 8
	frcsr s2
	CHECK frcsr, s2, 0

	/*
	 * Counters: readable from user mode and never going backwards.  qemu
	 * (and rvkvm without --stats) read a host clock for cycle and instret,
	 * so the loop is long enough to move any clock by 1000 ticks.
	 */
	rdcycle s0
	rdtime s1
	rdinstret s2
	li s3, 200000
1:	addi s3, s3, -1
	bnez s3, 1b
	rdcycle s4
	rdtime s5
	rdinstret s6
	sltu s4, s4, s0
	CHECK cycle-monotonic, s4, 0
	sltu s5, s5, s1
	CHECK time-monotonic, s5, 0
	sub s6, s6, s2
	sltiu s6, s6, 1000
	CHECK instret-counts-the-loop, s6, 0
	csrr s2, instret
	snez s2, s2
	CHECK csrr-instret-nonzero, s2, 1
	ISA_END
