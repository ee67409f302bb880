/*
 * fpu.c - decoding and execution of the RISC-V F and D instructions.
 *
 * Arithmetic in RNE, RTZ, RDN and RUP runs on the host's SSE/FMA units with
 * the rounding mode in MXCSR and the flags read back from it; x86 differs
 * from RISC-V only in the NaN it returns and in one flag (inf * 0 + qNaN),
 * fixed up below.  RMM, which x86 lacks, and the conversions, whose
 * saturation and unsigned forms x86 lacks, are exact integer code in
 * fpu_soft.c.  Sign injection, min/max, compares and fclass are integer
 * operations on the bit patterns.
 */
#include "fpu.h"
#include "fpu_soft.h"

/* The first four equal their funct5, so OP-FP arithmetic indexes by it. */
enum fpu_op { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_SQRT, OP_FMADD, OP_FMSUB, OP_FNMSUB, OP_FNMADD };

#define BOX_MASK 0xffffffff00000000ull

/*
 * The hardware path: SSE for add, sub, mul, div and sqrt (and FMA3 for the
 * fused operations where the build has it), with fix-ups.  The monitor is
 * built without any vector instructions (-mgeneral-regs-only leaves __SSE2__
 * undefined) and does everything in fpu_soft.c: the emulated-KVM hosts of
 * DESIGN.md section 2 stop the VM with an internal error on SSE instructions,
 * and trap handlers need not save vector state.
 */
#ifdef __SSE2__
#define FPU_HW 1

/*
 * MXCSR with every exception masked and DAZ/FTZ clear (IEEE behaviour for
 * subnormals), plus the rounding control for RNE, RTZ, RDN, RUP.
 */
#define MXCSR_IEEE 0x1f80u
static const uint32_t mxcsr_of_rm[4] = {
    MXCSR_IEEE | 0x0000,
    MXCSR_IEEE | 0x6000,
    MXCSR_IEEE | 0x2000,
    MXCSR_IEEE | 0x4000,
};

/* MXCSR IE, ZE, OE, UE, PE -> fflags NV, DZ, OF, UF, NX; DE (bit 1) has no RISC-V twin. */
static inline uint32_t fflags_of_mxcsr(uint32_t m)
{
	return (m & 0x01) << 4 | (m & 0x04) << 1 | (m & 0x08) >> 1 | (m & 0x10) >> 3 |
	       (m & 0x20) >> 5;
}

/*
 * One SSE instruction under `ctl`, the host MXCSR saved before and restored
 * after, all in one asm statement so the compiler can neither move nor fold
 * the arithmetic across the MXCSR accesses.  Measured on the AMD EPYC host:
 * stmxcsr costs ~6 ns, ldmxcsr ~0.5 ns, so the two reads (host value, our
 * flags) are the price of leaving the host MXCSR intact.
 */
#ifdef __FMA__
#define FPU_HW_FMA 1
#define HW_V "v"
#define HW_OPERANDS2 " %[b], %[a], %[r]"
#else
#define FPU_HW_FMA 0
#define HW_V ""
#define HW_OPERANDS2 " %[b], %[r]"
#endif

#define HW_SEQ(body)                                                                               \
	HW_V "stmxcsr %[save]\n\t" HW_V "ldmxcsr %[ctl]\n\t" body "\n\t" HW_V                      \
	     "stmxcsr %[st]\n\t" HW_V "ldmxcsr %[save]"

/* Legacy SSE is destructive (r = r op b), so r starts out as a. */
#define HW_OP2(name, type, insn)                                                                   \
	static inline type name(type a, type b, uint32_t ctl, uint32_t *st)                        \
	{                                                                                          \
		uint32_t save;                                                                     \
		type r = a;                                                                        \
		__asm__ volatile(HW_SEQ(HW_V insn HW_OPERANDS2)                                    \
				 : [r] "+x"(r), [save] "=m"(save), [st] "=m"(*st)                  \
				 : [a] "x"(a), [b] "x"(b), [ctl] "m"(ctl));                        \
		return r;                                                                          \
	}

HW_OP2(hw_add_d, double, "addsd")
HW_OP2(hw_sub_d, double, "subsd")
HW_OP2(hw_mul_d, double, "mulsd")
HW_OP2(hw_div_d, double, "divsd")
HW_OP2(hw_sqrt_d, double, "sqrtsd")
HW_OP2(hw_add_s, float, "addss")
HW_OP2(hw_sub_s, float, "subss")
HW_OP2(hw_mul_s, float, "mulss")
HW_OP2(hw_div_s, float, "divss")
HW_OP2(hw_sqrt_s, float, "sqrtss")

#if FPU_HW_FMA
#define HW_OP3(name, type, insn)                                                                   \
	static inline type name(type a, type b, type c, uint32_t ctl, uint32_t *st)                \
	{                                                                                          \
		uint32_t save;                                                                     \
		__asm__ volatile(HW_SEQ(insn " %[c], %[b], %[a]")                                  \
				 : [a] "+x"(a), [save] "=m"(save), [st] "=m"(*st)                  \
				 : [b] "x"(b), [c] "x"(c), [ctl] "m"(ctl));                        \
		return a;                                                                          \
	}

/* x86 vfnmadd is -(a*b)+c (RISC-V fnmsub), vfnmsub is -(a*b)-c (RISC-V fnmadd). */
HW_OP3(hw_fmadd_d, double, "vfmadd213sd")
HW_OP3(hw_fmsub_d, double, "vfmsub213sd")
HW_OP3(hw_fnmsub_d, double, "vfnmadd213sd")
HW_OP3(hw_fnmadd_d, double, "vfnmsub213sd")
HW_OP3(hw_fmadd_s, float, "vfmadd213ss")
HW_OP3(hw_fmsub_s, float, "vfmsub213ss")
HW_OP3(hw_fnmsub_s, float, "vfnmadd213ss")
HW_OP3(hw_fnmadd_s, float, "vfnmsub213ss")
#endif

static inline double as_double(uint64_t x)
{
	union {
		uint64_t u;
		double d;
	} v = {.u = x};
	return v.d;
}

static inline uint64_t double_bits(double x)
{
	union {
		double d;
		uint64_t u;
	} v = {.d = x};
	return v.u;
}

static inline float as_float(uint64_t x)
{
	union {
		uint32_t u;
		float f;
	} v = {.u = (uint32_t)x};
	return v.f;
}

static inline uint64_t float_bits(float x)
{
	union {
		float f;
		uint32_t u;
	} v = {.f = x};
	return v.u;
}

static uint64_t hw_double(int op, uint64_t a, uint64_t b, uint64_t c, uint32_t ctl, uint32_t *st)
{
	double x = as_double(a), y = as_double(b), z = as_double(c), r;

	(void)z; /* the fused operations only, where FPU_HW_FMA */

	switch (op) {
	case OP_ADD:
		r = hw_add_d(x, y, ctl, st);
		break;
	case OP_SUB:
		r = hw_sub_d(x, y, ctl, st);
		break;
	case OP_MUL:
		r = hw_mul_d(x, y, ctl, st);
		break;
	case OP_DIV:
		r = hw_div_d(x, y, ctl, st);
		break;
	case OP_SQRT:
		r = hw_sqrt_d(x, x, ctl, st);
		break;
#if FPU_HW_FMA
	case OP_FMADD:
		r = hw_fmadd_d(x, y, z, ctl, st);
		break;
	case OP_FMSUB:
		r = hw_fmsub_d(x, y, z, ctl, st);
		break;
	case OP_FNMSUB:
		r = hw_fnmsub_d(x, y, z, ctl, st);
		break;
	case OP_FNMADD:
		r = hw_fnmadd_d(x, y, z, ctl, st);
		break;
#endif
	default:
		r = 0;
		break;
	}
	return double_bits(r);
}

static uint64_t hw_single(int op, uint64_t a, uint64_t b, uint64_t c, uint32_t ctl, uint32_t *st)
{
	float x = as_float(a), y = as_float(b), z = as_float(c), r;

	(void)z;

	switch (op) {
	case OP_ADD:
		r = hw_add_s(x, y, ctl, st);
		break;
	case OP_SUB:
		r = hw_sub_s(x, y, ctl, st);
		break;
	case OP_MUL:
		r = hw_mul_s(x, y, ctl, st);
		break;
	case OP_DIV:
		r = hw_div_s(x, y, ctl, st);
		break;
	case OP_SQRT:
		r = hw_sqrt_s(x, x, ctl, st);
		break;
#if FPU_HW_FMA
	case OP_FMADD:
		r = hw_fmadd_s(x, y, z, ctl, st);
		break;
	case OP_FMSUB:
		r = hw_fmsub_s(x, y, z, ctl, st);
		break;
	case OP_FNMSUB:
		r = hw_fnmsub_s(x, y, z, ctl, st);
		break;
	case OP_FNMADD:
		r = hw_fnmadd_s(x, y, z, ctl, st);
		break;
#endif
	default:
		r = 0;
		break;
	}
	return float_bits(r);
}

static int is_inf_times_zero(const struct fpu_format *f, uint64_t a, uint64_t b)
{
	uint64_t inf = (uint64_t)(2 * f->bias + 1) << (f->prec - 1), m = ~fpu_sign_bit(f);

	return ((a & m) == inf && !(b & m)) || (!(a & m) && (b & m) == inf);
}

#else
#define FPU_HW 0
#define FPU_HW_FMA 0
#endif

/*
 * Exact integer arithmetic: everything where the build has no SSE, RMM
 * (x86 has no such rounding mode) and the fused operations where the build
 * has no FMA3.
 */
static uint64_t soft_arith(const struct fpu_format *f, int op, uint64_t a, uint64_t b, uint64_t c,
			   int rm, uint32_t *flags)
{
	uint64_t one = (uint64_t)f->bias << (f->prec - 1), sign = fpu_sign_bit(f);

	switch (op) {
	case OP_ADD:
		return fpu_soft_muladd(f, a, one, b, 1, rm, flags);
	case OP_SUB:
		return fpu_soft_muladd(f, a, one, b ^ sign, 1, rm, flags);
	case OP_MUL:
		return fpu_soft_muladd(f, a, b, 0, 0, rm, flags);
	case OP_DIV:
		return fpu_soft_div(f, a, b, rm, flags);
	case OP_SQRT:
		return fpu_soft_sqrt(f, a, rm, flags);
	case OP_FMADD:
		return fpu_soft_muladd(f, a, b, c, 1, rm, flags);
	case OP_FMSUB:
		return fpu_soft_muladd(f, a, b, c ^ sign, 1, rm, flags);
	case OP_FNMSUB:
		return fpu_soft_muladd(f, a ^ sign, b, c, 1, rm, flags);
	default:
		return fpu_soft_muladd(f, a ^ sign, b, c ^ sign, 1, rm, flags);
	}
}

static uint64_t arith(const struct fpu_format *f, int op, uint64_t a, uint64_t b, uint64_t c,
		      int rm, uint32_t *flags)
{
	if (!FPU_HW || rm == FPU_RMM || (!FPU_HW_FMA && op >= OP_FMADD))
		return soft_arith(f, op, a, b, c, rm, flags);
#if FPU_HW
	uint32_t st;
	uint64_t r;

	if (f == &fpu_double)
		r = hw_double(op, a, b, c, mxcsr_of_rm[rm], &st);
	else
		r = hw_single(op, a, b, c, mxcsr_of_rm[rm], &st);
	*flags |= fflags_of_mxcsr(st);
	if (fpu_is_nan(f, r)) {
		/* x86 returns a quieted operand or its negative default NaN. */
		r = f->qnan;
		if (op >= OP_FMADD && is_inf_times_zero(f, a, b))
			*flags |= FPU_NV;
	}
	return r;
#endif
}

/* Unsigned keys that order every non-NaN value, -0 below +0 (fmin/fmax). */
static inline uint64_t order_key(const struct fpu_format *f, uint64_t x)
{
	uint64_t sign = fpu_sign_bit(f);

	return x & sign ? ~x & (sign | (sign - 1)) : x | sign;
}

static uint64_t minmax(const struct fpu_format *f, uint64_t a, uint64_t b, int is_max,
		       uint32_t *flags)
{
	int an = fpu_is_nan(f, a), bn = fpu_is_nan(f, b);

	/* ISA 2.2: a NaN operand yields the other; sNaN raises NV; -0 < +0. */
	if (fpu_is_snan(f, a) || fpu_is_snan(f, b))
		*flags |= FPU_NV;
	if (an && bn)
		return f->qnan;
	if (an)
		return b;
	if (bn)
		return a;
	return (order_key(f, a) < order_key(f, b)) ^ is_max ? a : b;
}

/* feq (quiet: NV on sNaN only), flt and fle (signalling: NV on any NaN). */
static uint64_t compare(const struct fpu_format *f, uint64_t a, uint64_t b, int funct3,
			uint32_t *flags)
{
	uint64_t mag = fpu_sign_bit(f) - 1, ka, kb;

	if (fpu_is_nan(f, a) || fpu_is_nan(f, b)) {
		if (funct3 != 2 || fpu_is_snan(f, a) || fpu_is_snan(f, b))
			*flags |= FPU_NV;
		return 0;
	}
	if (!(a & mag) && !(b & mag))
		a = b = 0;
	ka = order_key(f, a);
	kb = order_key(f, b);
	switch (funct3) {
	case 0:
		return ka <= kb;
	case 1:
		return ka < kb;
	default:
		return ka == kb;
	}
}

/* fclass result bits (ISA "F" chapter, FCLASS): -inf .. +inf, sNaN, qNaN. */
static uint64_t classify(const struct fpu_format *f, uint64_t x)
{
	int sign = (x & fpu_sign_bit(f)) != 0, emask = 2 * f->bias + 1;
	int e = (int)(x >> (f->prec - 1)) & emask;
	uint64_t frac = x & ((1ull << (f->prec - 1)) - 1);

	if (e == emask) {
		if (!frac)
			return sign ? 1u << 0 : 1u << 7;
		return fpu_is_snan(f, x) ? 1u << 8 : 1u << 9;
	}
	if (e == 0)
		return frac ? (sign ? 1u << 2 : 1u << 5) : (sign ? 1u << 3 : 1u << 4);
	return sign ? 1u << 1 : 1u << 6;
}

static uint64_t sign_inject(const struct fpu_format *f, uint64_t a, uint64_t b, int funct3)
{
	uint64_t sign = fpu_sign_bit(f);

	switch (funct3) {
	case 0:
		return (a & ~sign) | (b & sign);
	case 1:
		return (a & ~sign) | (~b & sign);
	default:
		return a ^ (b & sign);
	}
}

/* A single operand that is not NaN-boxed reads as the canonical NaN. */
static inline uint64_t read_f(const struct dbt_cpu *cpu, int reg, int is_double)
{
	uint64_t v = cpu->f[reg];

	if (is_double)
		return v;
	return (v & BOX_MASK) == BOX_MASK ? (uint32_t)v : fpu_single.qnan;
}

static inline void write_f(struct dbt_cpu *cpu, int reg, int is_double, uint64_t v)
{
	cpu->f[reg] = is_double ? v : v | BOX_MASK;
}

static inline void write_x(struct dbt_cpu *cpu, int reg, uint64_t v)
{
	if (reg)
		cpu->x[reg] = v;
}

/* The effective rounding mode: rm 5 and 6, or frm 5..7 under DYN, are reserved. */
static inline int rounding_mode(const struct dbt_cpu *cpu, int rm)
{
	if (rm == FPU_DYN)
		rm = (int)cpu->frm;
	return rm <= FPU_RMM ? rm : -1;
}

static int exec_fused(struct dbt_cpu *cpu, uint32_t insn, const struct fpu_format *f, int dbl)
{
	static const uint8_t ops[4] = {OP_FMADD, OP_FMSUB, OP_FNMSUB, OP_FNMADD};
	int rm = rounding_mode(cpu, insn >> 12 & 7);
	uint32_t flags = 0;
	uint64_t r;

	if (rm < 0)
		return -1;
	r = arith(f, ops[(insn >> 2) & 3], read_f(cpu, insn >> 15 & 31, dbl),
		  read_f(cpu, insn >> 20 & 31, dbl), read_f(cpu, insn >> 27, dbl), rm, &flags);
	write_f(cpu, insn >> 7 & 31, dbl, r);
	cpu->fflags |= flags;
	return 0;
}

int fpu_exec(struct dbt_cpu *cpu, uint32_t insn)
{
	int rd = insn >> 7 & 31, funct3 = insn >> 12 & 7, rs1 = insn >> 15 & 31;
	int rs2 = insn >> 20 & 31, dbl = insn >> 25 & 3, rm = rounding_mode(cpu, funct3);
	const struct fpu_format *f = dbl ? &fpu_double : &fpu_single;
	uint32_t flags = 0;
	uint64_t a, b, r;

	if (dbl > 1)
		return -1;
	if ((insn & 0x7f) != OPC_OP_FP) {
		if ((insn & OPC_FUSED_MASK) != OPC_FUSED)
			return -1;
		return exec_fused(cpu, insn, f, dbl);
	}
	a = read_f(cpu, rs1, dbl);
	b = read_f(cpu, rs2, dbl);

	switch (insn >> 27) {
	case F5_ADD:
	case F5_SUB:
	case F5_MUL:
	case F5_DIV:
		if (rm < 0)
			return -1;
		r = arith(f, (int)(insn >> 27), a, b, 0, rm, &flags);
		break;
	case F5_SQRT:
		if (rm < 0 || rs2)
			return -1;
		r = arith(f, OP_SQRT, a, 0, 0, rm, &flags);
		break;
	case F5_SGNJ:
		if (funct3 > 2)
			return -1;
		r = sign_inject(f, a, b, funct3);
		break;
	case F5_MINMAX:
		if (funct3 > 1)
			return -1;
		r = minmax(f, a, b, funct3, &flags);
		break;
	case F5_CVT_FF: {
		/* fcvt.s.d (fmt S, rs2 1) and fcvt.d.s (fmt D, rs2 0). */
		const struct fpu_format *from = dbl ? &fpu_single : &fpu_double;
		if (rm < 0 || rs2 != !dbl)
			return -1;
		r = fpu_convert(f, from, read_f(cpu, rs1, !dbl), rm, &flags);
		break;
	}
	case F5_CMP:
		if (funct3 > 2)
			return -1;
		write_x(cpu, rd, compare(f, a, b, funct3, &flags));
		cpu->fflags |= flags;
		return 0;
	case F5_CVT_IF:
		if (rm < 0 || rs2 > 3)
			return -1;
		write_x(cpu, rd, fpu_to_int(f, a, !(rs2 & 1), rs2 & 2 ? 64 : 32, rm, &flags));
		cpu->fflags |= flags;
		return 0;
	case F5_CVT_FI: {
		uint64_t v = cpu->x[rs1];
		int sign = 0;
		if (rm < 0 || rs2 > 3)
			return -1;
		if (!(rs2 & 2))
			v = rs2 & 1 ? (uint32_t)v : (uint64_t)(int64_t)(int32_t)v;
		if (!(rs2 & 1) && (int64_t)v < 0) {
			v = -v;
			sign = 1;
		}
		r = fpu_from_int(f, v, sign, rm, &flags);
		break;
	}
	case F5_MV_XF:
		if (rs2 || funct3 > 1)
			return -1;
		if (funct3 == 1)
			r = classify(f, a);
		else
			r = dbl ? cpu->f[rs1] : (uint64_t)(int64_t)(int32_t)cpu->f[rs1];
		write_x(cpu, rd, r);
		return 0;
	case F5_MV_FX:
		if (rs2 || funct3)
			return -1;
		r = dbl ? cpu->x[rs1] : (uint32_t)cpu->x[rs1];
		break;
	default:
		return -1;
	}
	write_f(cpu, rd, dbl, r);
	cpu->fflags |= flags;
	return 0;
}
