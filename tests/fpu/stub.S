/*
 * The template the riscv64 reference program copies once per instruction
 * word: load the operands, set frm, clear fflags, run the instruction under
 * test (the word at fpu_stub_insn is patched), store rd and fflags.
 * a0 points at struct ref_state (ref.c).
 */
	.option norvc
	.section .rodata
	.balign 4
	.globl fpu_stub_start, fpu_stub_insn, fpu_stub_end
fpu_stub_start:
	mv	t1, a0
	fld	f11, 0(t1)
	fld	f12, 8(t1)
	fld	f13, 16(t1)
	ld	a1, 24(t1)
	fld	f10, 32(t1)
	ld	a0, 40(t1)
	ld	t0, 48(t1)
	csrw	frm, t0
	csrwi	fflags, 0
fpu_stub_insn:
	nop
	frflags	t0
	sd	t0, 56(t1)
	fsd	f10, 64(t1)
	sd	a0, 72(t1)
	ret
fpu_stub_end:
	.section .note.GNU-stack,"",@progbits
