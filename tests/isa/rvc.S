/* C: every RV64 compressed form, written as c.* mnemonics, and a 32-bit instruction straddling a page boundary. */
#include "isa.h"

	ISA_BEGIN
	.option push
	.option rvc
	c.li s0, -32
	CHECK c.li, s0, -32
	c.li s0, 31
	c.addi s0, -1
	CHECK c.addi, s0, 30
	li s0, 0x7fffffff
	c.addiw s0, 1
	CHECK c.addiw, s0, -0x80000000
	c.lui s0, 0xfffff
	CHECK c.lui-sext, s0, -4096
	c.lui s0, 1
	CHECK c.lui, s0, 4096
	li s0, -16
	c.srli s0, 60
	CHECK c.srli, s0, 15
	li s0, -256
	c.srai s0, 4
	CHECK c.srai, s0, -16
	li s0, 0xff
	c.andi s0, -16
	CHECK c.andi, s0, 0xf0
	li s0, 1
	c.slli s0, 63
	CHECK c.slli, s0, 0x8000000000000000
	li s0, 10
	li s1, 3
	c.sub s0, s1
	CHECK c.sub, s0, 7
	c.xor s0, s1
	CHECK c.xor, s0, 4
	c.or s0, s1
	CHECK c.or, s0, 7
	c.and s0, s1
	CHECK c.and, s0, 3
	li s0, 0x7fffffff
	c.addw s0, s1
	CHECK c.addw, s0, -0x7ffffffe
	li s0, 0x100000000
	c.subw s0, s1
	CHECK c.subw, s0, -3
	li s2, 99
	c.mv s3, s2
	CHECK c.mv, s3, 99
	c.add s3, s2
	CHECK c.add, s3, 198
	c.nop

	/* Stack-relative forms, on a private stack area. */
	mv s5, sp
	la sp, cstack_top
	c.addi16sp sp, -64
	la s0, cstack_top
	sub s0, s0, sp
	CHECK c.addi16sp, s0, 64
	c.addi4spn s1, sp, 16
	sub s1, s1, sp
	CHECK c.addi4spn, s1, 16
	li s2, 0x123456789abcdef0
	c.sdsp s2, 8(sp)
	c.ldsp s3, 8(sp)
	CHECK c.sdsp-c.ldsp, s3, 0x123456789abcdef0
	li s2, 0x80000001
	c.swsp s2, 20(sp)
	c.lwsp s3, 20(sp)
	CHECK c.lwsp-sext, s3, 0xffffffff80000001
	li s2, 0x4000000000000000
	fmv.d.x fs2, s2
	c.fsdsp fs2, 32(sp)
	c.fldsp fs3, 32(sp)
	fmv.x.d s3, fs3
	CHECK c.fsdsp-c.fldsp, s3, 0x4000000000000000
	c.addi16sp sp, 64
	mv sp, s5

	/* Register-relative forms (x8-x15). */
	la s0, cdata
	li a3, 0x0102030405060708
	c.sd a3, 8(s0)
	c.ld a4, 8(s0)
	CHECK c.sd-c.ld, a4, 0x0102030405060708
	li a3, -2
	c.sw a3, 16(s0)
	c.lw a4, 16(s0)
	CHECK c.sw-c.lw, a4, -2
	li a3, 0x3ff0000000000000
	fmv.d.x fa3, a3
	c.fsd fa3, 24(s0)
	c.fld fa4, 24(s0)
	fmv.x.d a4, fa4
	CHECK c.fsd-c.fld, a4, 0x3ff0000000000000

	/* Control transfer. */
	li s2, 0
	c.j 1f
	li s2, 1
1:	CHECK c.j, s2, 0
	li a4, 0
	c.beqz a4, 2f
	li s2, 1
2:	CHECK c.beqz-taken, s2, 0
	li a4, 5
	c.beqz a4, 3f
	li s2, 2
3:	CHECK c.beqz-not-taken, s2, 2
	c.bnez a4, 4f
	li s2, 3
4:	CHECK c.bnez-taken, s2, 2
	la a5, 5f
	c.jr a5
	li s2, 4
5:	CHECK c.jr, s2, 2
	la a5, 6f
	c.jalr a5
7:	j 8f
6:	la s3, 7b
	sub s3, ra, s3
	CHECK c.jalr-link, s3, 0
	la a5, 7b
	jr a5
8:	.option pop

	/* A 4-byte instruction whose halves lie on two pages. */
	la s4, straddle
	li s2, 0
	jalr ra, s4
	CHECK straddling-instruction, s2, 1234
	li s0, 4095
	and s0, s4, s0
	CHECK straddling-offset, s0, 4094
	ISA_END

	.text
	.balign 4096
	.skip 4094
	.option push
	.option norvc
straddle:
	li s2, 1234
	ret
	.option pop

	.data
	.balign 16
cdata:	.skip 64
cstack:	.skip 256
cstack_top:
