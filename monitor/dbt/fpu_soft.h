/*
 * fpu_soft.h - exact IEEE 754 binary32/binary64 arithmetic in integers, for
 * what x86 cannot do in hardware: rounding to nearest with ties to max
 * magnitude (RISC-V RMM), and the conversions whose RISC-V results differ
 * from x86's (saturating float -> integer, unsigned integers).  Tininess is
 * detected after rounding, as the RISC-V ISA manual requires.
 */
#ifndef RVKVM_FPU_SOFT_H
#define RVKVM_FPU_SOFT_H

#include <stdint.h>

struct fpu_format {
	int width;     /* 32 or 64 */
	int prec;      /* significand bits, the hidden one included */
	int bias;      /* exponent bias; emax == bias, emin == 1 - bias */
	uint64_t qnan; /* the RISC-V canonical NaN */
};

extern const struct fpu_format fpu_single, fpu_double;

static inline uint64_t fpu_sign_bit(const struct fpu_format *f)
{
	return 1ull << (f->width - 1);
}

static inline int fpu_is_nan(const struct fpu_format *f, uint64_t x)
{
	uint64_t inf = (uint64_t)(2 * f->bias + 1) << (f->prec - 1);
	return (x & ~fpu_sign_bit(f)) > inf;
}

/* A NaN whose most significant fraction bit is clear (ISA: signalling). */
static inline int fpu_is_snan(const struct fpu_format *f, uint64_t x)
{
	return fpu_is_nan(f, x) && !(x >> (f->prec - 2) & 1);
}

/* Round sign * sig * 2^(exp - 63), sig normalized (bit 63 set), and pack. */
uint64_t fpu_round_pack(const struct fpu_format *f, int sign, int exp, uint64_t sig, int rm,
			uint32_t *flags);

/* Float -> integer: bits (is64 ? 64 : 32), saturating, 32-bit results sign-extended. */
uint64_t fpu_to_int(const struct fpu_format *f, uint64_t x, int is_signed, int bits, int rm,
		    uint32_t *flags);
/* Integer -> float: the magnitude and sign of the integer. */
uint64_t fpu_from_int(const struct fpu_format *f, uint64_t mag, int sign, int rm, uint32_t *flags);
/* Float -> float of another format. */
uint64_t fpu_convert(const struct fpu_format *to, const struct fpu_format *from, uint64_t x, int rm,
		     uint32_t *flags);

/* a * b + c (c absent: has_addend 0) rounded once; a / b. */
uint64_t fpu_soft_muladd(const struct fpu_format *f, uint64_t a, uint64_t b, uint64_t c,
			 int has_addend, int rm, uint32_t *flags);
uint64_t fpu_soft_div(const struct fpu_format *f, uint64_t a, uint64_t b, int rm, uint32_t *flags);
uint64_t fpu_soft_sqrt(const struct fpu_format *f, uint64_t a, int rm, uint32_t *flags);

#endif
