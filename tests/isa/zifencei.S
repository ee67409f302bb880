/*
 * Zifencei: code written into an executable mapping runs only after
 * fence.i, and a rewrite followed by fence.i runs the new code (a stale
 * translation would return the old value).
 */
#include "isa.h"

#define PROT_RWX 7
#define MAP_PRIVATE_ANON 0x22

/* Store "addi a0, zero, imm ; ret" at s0. */
	.macro EMIT imm
	li s1, ((\imm & 0xfff) << 20) | (10 << 7) | 0x13
	sw s1, 0(s0)
	li s1, 0x00008067
	sw s1, 4(s0)
	.endm

	ISA_BEGIN
	li a0, 0
	li a1, 4096
	li a2, PROT_RWX
	li a3, MAP_PRIVATE_ANON
	li a4, -1
	li a5, 0
	li a7, SYS_mmap
	ecall
	mv s0, a0
	srli s2, a0, 63
	CHECK mmap-rwx, s2, 0

	EMIT 11
	fence.i
	jalr ra, s0
	mv s2, a0
	CHECK first-code, s2, 11
	EMIT 22
	fence.i
	jalr ra, s0
	mv s2, a0
	CHECK rewritten-code, s2, 22

	/* One hundred rewrites, each run once. */
	li s3, 0
	li s4, 0
1:	slli s1, s4, 20
	li s5, (10 << 7) | 0x13
	or s1, s1, s5
	sw s1, 0(s0)
	fence.i
	jalr ra, s0
	add s3, s3, a0
	addi s4, s4, 1
	li s5, 100
	bne s4, s5, 1b
	CHECK hundred-rewrites, s3, 4950

	/* A negative immediate replacing a positive one. */
	EMIT 5
	fence.i
	jalr ra, s0
	mv s6, a0
	li s1, ((-5 & 0xfff) << 20) | (10 << 7) | 0x13
	sw s1, 0(s0)
	fence.i
	jalr ra, s0
	add s2, s6, a0
	CHECK rewrite-sign, s2, 0
	ISA_END
