/*
 * vectors.h - the FPU test vectors, generated identically on riscv64 (run on
 * the real instructions under qemu-riscv64) and on the host (run through
 * fpu_exec), so the two outputs can be compared line by line.
 */
#ifndef FPU_VECTORS_H
#define FPU_VECTORS_H

#include <stdint.h>

/* Register use of every vector: rd f10/x10, rs1 f11/x11, rs2 f12, rs3 f13. */
struct fpu_vector {
	const char *name;
	uint32_t insn;
	uint32_t frm;
	uint64_t f11, f12, f13, x11;
};

/* Sentinels that rd holds before the instruction, to catch stray writes. */
#define VEC_F10_INIT 0x5555aaaa5555aaaaull
#define VEC_X10_INIT 0x6666999966669999ull

/* Calls `run` for every vector, in a fixed order; returns the count. */
long vectors_generate(void (*run)(const struct fpu_vector *v));

/* A random operand from the same weighted generator (singles NaN-boxed). */
uint64_t vectors_random(int is_double);

/* One result line, the format both sides print. */
int vectors_format(char *buf, int size, const struct fpu_vector *v, int illegal, uint64_t f10,
		   uint64_t x10, uint32_t fflags);

#endif
