/*
 * Floating-point edge cases, printed exactly (%a) with the exception flags
 * each operation raised: NaN propagation (RISC-V returns the canonical NaN),
 * signed zeroes, infinities, subnormals, fmin/fmax with -0.0 and NaN,
 * saturating float->integer conversions, rounding modes, fused multiply-add,
 * single precision and its NaN-boxing, and the 128-bit long double of the
 * riscv64 ABI (soft-float in glibc).
 */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void flags(void)
{
	int f = fetestexcept(FE_ALL_EXCEPT);
	printf(" [%s%s%s%s%s]\n", f & FE_INVALID ? "NV" : "", f & FE_DIVBYZERO ? "DZ" : "",
	       f & FE_OVERFLOW ? "OF" : "", f & FE_UNDERFLOW ? "UF" : "",
	       f & FE_INEXACT ? "NX" : "");
	feclearexcept(FE_ALL_EXCEPT);
}

static uint64_t bits(double d)
{
	uint64_t u;
	memcpy(&u, &d, 8);
	return u;
}

static uint32_t fbits(float f)
{
	uint32_t u;
	memcpy(&u, &f, 4);
	return u;
}

#define OP2(name, insn, a, b)                                                                      \
	do {                                                                                       \
		double r;                                                                          \
		__asm__ volatile(insn " %0, %1, %2" : "=f"(r) : "f"(a), "f"(b));                   \
		printf("%-8s %a %a = %a (%016llx)", name, a, b, r, (unsigned long long)bits(r));   \
		flags();                                                                           \
	} while (0)

#define OP2S(name, insn, a, b)                                                                     \
	do {                                                                                       \
		float r;                                                                           \
		__asm__ volatile(insn " %0, %1, %2" : "=f"(r) : "f"(a), "f"(b));                   \
		printf("%-8s %a %a = %a (%08x)", name, (double)a, (double)b, (double)r, fbits(r)); \
		flags();                                                                           \
	} while (0)

#define CVT(name, insn, type, a)                                                                   \
	do {                                                                                       \
		type r;                                                                            \
		__asm__ volatile(insn : "=r"(r) : "f"(a));                                         \
		printf("%-16s %a = %lld", name, (double)a, (long long)r);                          \
		flags();                                                                           \
	} while (0)

int main(void)
{
	volatile double zero = 0.0, one = 1.0, three = 3.0;
	double inf = INFINITY, nan_ = NAN, nzero = -0.0;
	double snan;
	uint64_t snan_bits = 0x7ff4000000000001ull;
	memcpy(&snan, &snan_bits, 8);
	double payload_nan;
	uint64_t pl = 0xfff8000000001234ull;
	memcpy(&payload_nan, &pl, 8);
	double sub = DBL_MIN / 4, big = DBL_MAX;
	float fs = 1.5f, fnan = NAN, finf = INFINITY, fsub = FLT_MIN / 8;

	feclearexcept(FE_ALL_EXCEPT);
	OP2("fadd.d", "fadd.d", one, three);
	OP2("fadd.d", "fadd.d", inf, -inf);
	OP2("fadd.d", "fadd.d", payload_nan, one);
	OP2("fadd.d", "fadd.d", snan, one);
	OP2("fadd.d", "fadd.d", nzero, nzero);
	OP2("fadd.d", "fadd.d", nzero, 0.0);
	OP2("fsub.d", "fsub.d", 0.0, 0.0);
	OP2("fmul.d", "fmul.d", big, three);
	OP2("fmul.d", "fmul.d", sub, sub);
	OP2("fmul.d", "fmul.d", zero, inf);
	OP2("fdiv.d", "fdiv.d", one, zero);
	OP2("fdiv.d", "fdiv.d", -one, zero);
	OP2("fdiv.d", "fdiv.d", zero, zero);
	OP2("fdiv.d", "fdiv.d", one, three);
	OP2("fmin.d", "fmin.d", nzero, 0.0);
	OP2("fmin.d", "fmin.d", 0.0, nzero);
	OP2("fmax.d", "fmax.d", nzero, 0.0);
	OP2("fmin.d", "fmin.d", nan_, one);
	OP2("fmax.d", "fmax.d", one, snan);
	OP2("fmin.d", "fmin.d", nan_, nan_);
	OP2("fsgnj.d", "fsgnj.d", one, nzero);
	OP2("fsgnjn.d", "fsgnjn.d", one, nzero);
	OP2("fsgnjx.d", "fsgnjx.d", -one, nzero);
	OP2("fsgnj.d", "fsgnj.d", payload_nan, -one);

	double r;
	__asm__ volatile("fsqrt.d %0, %1" : "=f"(r) : "f"(-one));
	printf("fsqrt.d -1 = %a", r);
	flags();
	__asm__ volatile("fsqrt.d %0, %1" : "=f"(r) : "f"(nzero));
	printf("fsqrt.d -0 = %a", r);
	flags();
	__asm__ volatile("fsqrt.d %0, %1" : "=f"(r) : "f"(three));
	printf("fsqrt.d 3 = %a", r);
	flags();
	__asm__ volatile("fmadd.d %0, %1, %2, %3" : "=f"(r) : "f"(inf), "f"(zero), "f"(nan_));
	printf("fmadd.d inf*0+nan = %a", r);
	flags();
	__asm__ volatile("fmadd.d %0, %1, %2, %3"
			 : "=f"(r)
			 : "f"(0x1.0000001p0), "f"(0x1.0000001p0), "f"(-1.0));
	printf("fmadd.d exact = %a", r);
	flags();
	__asm__ volatile("fnmsub.d %0, %1, %2, %3" : "=f"(r) : "f"(three), "f"(three), "f"(one));
	printf("fnmsub.d 3*3-1 neg = %a", r);
	flags();
	__asm__ volatile("fnmadd.d %0, %1, %2, %3" : "=f"(r) : "f"(three), "f"(nzero), "f"(nzero));
	printf("fnmadd.d -(3*-0+-0) = %a", r);
	flags();

	CVT("fcvt.w.d nan", "fcvt.w.d %0, %1, rtz", int32_t, nan_);
	CVT("fcvt.w.d inf", "fcvt.w.d %0, %1, rtz", int32_t, inf);
	CVT("fcvt.w.d -inf", "fcvt.w.d %0, %1, rtz", int32_t, -inf);
	CVT("fcvt.w.d 3e9", "fcvt.w.d %0, %1, rtz", int32_t, 3e9);
	CVT("fcvt.wu.d -1", "fcvt.wu.d %0, %1, rtz", int32_t, -one);
	CVT("fcvt.wu.d -0.5", "fcvt.wu.d %0, %1, rtz", int32_t, -0.5);
	CVT("fcvt.wu.d 5e9", "fcvt.wu.d %0, %1, rtz", int32_t, 5e9);
	CVT("fcvt.l.d nan", "fcvt.l.d %0, %1, rtz", int64_t, nan_);
	CVT("fcvt.l.d 1e19", "fcvt.l.d %0, %1, rtz", int64_t, 1e19);
	CVT("fcvt.l.d -1e19", "fcvt.l.d %0, %1, rtz", int64_t, -1e19);
	CVT("fcvt.lu.d -inf", "fcvt.lu.d %0, %1, rtz", int64_t, -inf);
	CVT("fcvt.lu.d 2e19", "fcvt.lu.d %0, %1, rtz", int64_t, 2e19);
	CVT("fcvt.l.d 2.5 rne", "fcvt.l.d %0, %1, rne", int64_t, 2.5);
	CVT("fcvt.l.d 2.5 rmm", "fcvt.l.d %0, %1, rmm", int64_t, 2.5);
	CVT("fcvt.l.d -2.5 rdn", "fcvt.l.d %0, %1, rdn", int64_t, -2.5);
	CVT("fcvt.l.d -2.5 rup", "fcvt.l.d %0, %1, rup", int64_t, -2.5);
	CVT("fcvt.w.s nan", "fcvt.w.s %0, %1, rtz", int32_t, fnan);
	CVT("fcvt.l.s inf", "fcvt.l.s %0, %1, rtz", int64_t, finf);

	static const int modes[] = {FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD};
	static const char *const mname[] = {"nearest", "towardzero", "downward", "upward"};
	for (int m = 0; m < 4; m++) {
		fesetround(modes[m]);
		volatile double a = 1.0, b = 3.0, c = -2.0;
		double q = a / b, s = c / b;
		volatile float fa = 1.0f, fb = 3.0f;
		float fq = fa / fb;
		long rl = lrint(2.5), rn = lrint(-3.5);
		printf("round %-10s 1/3=%a -2/3=%a 1/3f=%a lrint(2.5)=%ld lrint(-3.5)=%ld "
		       "rint(-0.5)=%a",
		       mname[m], q, s, (double)fq, rl, rn, rint(-0.5));
		flags();
	}
	fesetround(FE_TONEAREST);

	OP2S("fadd.s", "fadd.s", fs, fsub);
	OP2S("fmul.s", "fmul.s", fsub, fsub);
	OP2S("fdiv.s", "fdiv.s", fs, (float)zero);
	OP2S("fmin.s", "fmin.s", fnan, fs);
	OP2S("fmax.s", "fmax.s", -0.0f, 0.0f);

	/* A single read from a register that does not hold a NaN-boxed value is the canonical NaN.
	 */
	double unboxed = 1.0;
	float fr;
	__asm__ volatile("fadd.s %0, %1, %1" : "=f"(fr) : "f"(unboxed));
	printf("fadd.s of unboxed = %08x", fbits(fr));
	flags();
	uint64_t boxed;
	__asm__ volatile("fadd.s ft0, %1, %1\n\tfmv.x.d %0, ft0" : "=r"(boxed) : "f"(fs) : "ft0");
	printf("fadd.s result boxed = %016llx", (unsigned long long)boxed);
	flags();
	double dconv;
	__asm__ volatile("fcvt.d.s %0, %1" : "=f"(dconv) : "f"(fnan));
	printf("fcvt.d.s nan = %016llx", (unsigned long long)bits(dconv));
	flags();
	__asm__ volatile("fcvt.s.d %0, %1" : "=f"(fr) : "f"(big));
	printf("fcvt.s.d DBL_MAX = %a", (double)fr);
	flags();
	__asm__ volatile("fcvt.s.d %0, %1" : "=f"(fr) : "f"(sub));
	printf("fcvt.s.d subnormal = %a", (double)fr);
	flags();

	double cls[] = {-inf, -one, -sub, nzero, 0.0, sub, one, inf, snan, nan_};
	printf("fclass.d:");
	for (unsigned i = 0; i < sizeof cls / sizeof cls[0]; i++) {
		long c;
		__asm__ volatile("fclass.d %0, %1" : "=r"(c) : "f"(cls[i]));
		printf(" %#lx", c);
	}
	printf("\n");
	long feq, flt, fle;
	__asm__ volatile("feq.d %0, %1, %2" : "=r"(feq) : "f"(snan), "f"(one));
	printf("feq.d snan = %ld", feq);
	flags();
	__asm__ volatile("flt.d %0, %1, %2" : "=r"(flt) : "f"(nan_), "f"(one));
	printf("flt.d qnan = %ld", flt);
	flags();
	__asm__ volatile("fle.d %0, %1, %2" : "=r"(fle) : "f"(nzero), "f"(0.0));
	printf("fle.d -0 0 = %ld", fle);
	flags();

	long double la = 1.0L, lb = 3.0L;
	volatile long double lq = la / lb;
	printf("long double 1/3 = %La\n", (long double)lq);
	printf("libm: exp(1)=%a log(10)=%a sin(1e22)=%a pow(2,0.5)=%a\n", exp(1.0), log(10.0),
	       sin(1e22), pow(2.0, 0.5));
	printf("printf: %.17g %.3e %g %f %g %g\n", 0.1, 12345.678, 1e-320, -0.0, nan_, -inf);
	return 0;
}
