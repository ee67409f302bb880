/*
 * fpu_soft.c - integer implementations of the IEEE 754 operations the x86
 * hardware cannot give RISC-V results for.  Rounding follows IEEE 754-2008
 * section 4.3; the exception rules are the RISC-V ISA manual's ("F" chapter):
 * canonical NaNs, tininess after rounding, saturating conversions.
 */
#include "fpu.h"
#include "fpu_soft.h"

typedef unsigned __int128 u128;

const struct fpu_format fpu_single = {32, 24, 127, 0x7fc00000ull};
const struct fpu_format fpu_double = {64, 53, 1023, 0x7ff8000000000000ull};

enum fpu_class { CLASS_ZERO, CLASS_FINITE, CLASS_INF, CLASS_NAN };

/* A finite nonzero number is sign * sig * 2^(exp - 63), bit 63 of sig set. */
struct fpu_num {
	int sign;
	int exp;
	uint64_t sig;
};

static int unpack(const struct fpu_format *f, uint64_t x, struct fpu_num *n)
{
	int emask = 2 * f->bias + 1;
	uint64_t frac = x & ((1ull << (f->prec - 1)) - 1);
	int e = (int)(x >> (f->prec - 1)) & emask;

	n->sign = (int)(x >> (f->width - 1)) & 1;
	if (e == emask)
		return frac ? CLASS_NAN : CLASS_INF;
	if (e == 0) {
		int lz;

		if (!frac)
			return CLASS_ZERO;
		lz = __builtin_clzll(frac);
		n->sig = frac << lz;
		n->exp = (1 - f->bias) - (f->prec - 1) - lz + 63;
		return CLASS_FINITE;
	}
	n->sig = (frac | 1ull << (f->prec - 1)) << (64 - f->prec);
	n->exp = e - f->bias;
	return CLASS_FINITE;
}

static uint64_t shift_right_jam(uint64_t x, int n)
{
	if (n <= 0)
		return x;
	if (n >= 64)
		return x != 0;
	return x >> n | ((x << (64 - n)) != 0);
}

static u128 shift_right_jam128(u128 x, int n)
{
	if (n <= 0)
		return x;
	if (n >= 128)
		return x != 0;
	return x >> n | ((x << (128 - n)) != 0);
}

/* Whether dropping `rem` (the bits below the kept lsb, half == its midpoint) rounds up. */
static int round_up(int rm, int sign, uint64_t lsb, uint64_t rem, uint64_t half)
{
	switch (rm) {
	case FPU_RNE:
		return rem > half || (rem == half && lsb);
	case FPU_RDN:
		return sign && rem;
	case FPU_RUP:
		return !sign && rem;
	case FPU_RMM:
		return rem >= half;
	default:
		return 0;
	}
}

static uint64_t signed_zero(const struct fpu_format *f, int sign)
{
	return sign ? fpu_sign_bit(f) : 0;
}

static uint64_t signed_inf(const struct fpu_format *f, int sign)
{
	return signed_zero(f, sign) | (uint64_t)(2 * f->bias + 1) << (f->prec - 1);
}

uint64_t fpu_round_pack(const struct fpu_format *f, int sign, int exp, uint64_t sig, int rm,
			uint32_t *flags)
{
	int shift = 64 - f->prec, emin = 1 - f->bias, tiny = 0;
	uint64_t mask = (1ull << shift) - 1, half = 1ull << (shift - 1), m, rem;

	if (exp < emin) {
		/*
		 * Tiny after rounding: the result rounded to full precision with
		 * an unbounded exponent is still below 2^emin.
		 */
		tiny = 1;
		if (exp == emin - 1 && (sig >> shift) == (1ull << f->prec) - 1 &&
		    round_up(rm, sign, 1, sig & mask, half))
			tiny = 0;
		sig = shift_right_jam(sig, emin - exp);
		exp = emin;
	}
	m = sig >> shift;
	rem = sig & mask;
	if (round_up(rm, sign, m & 1, rem, half) && ++m >> f->prec) {
		m >>= 1;
		exp++;
	}
	if (exp > f->bias) {
		int to_inf = rm == FPU_RNE || rm == FPU_RMM || (rm == FPU_RUP && !sign) ||
			     (rm == FPU_RDN && sign);
		*flags |= FPU_OF | FPU_NX;
		return to_inf ? signed_inf(f, sign) : signed_inf(f, sign) - 1;
	}
	if (rem) {
		*flags |= FPU_NX;
		if (tiny)
			*flags |= FPU_UF;
	}
	if (m >> (f->prec - 1))
		m += (uint64_t)(exp + f->bias - 1) << (f->prec - 1);
	return signed_zero(f, sign) | m;
}

uint64_t fpu_to_int(const struct fpu_format *f, uint64_t x, int is_signed, int bits, int rm,
		    uint32_t *flags)
{
	uint64_t max = is_signed ? (1ull << (bits - 1)) - 1 : ~0ull >> (64 - bits);
	uint64_t min = is_signed ? -(1ull << (bits - 1)) : 0;
	uint64_t ipart = 0, r, s, result;
	struct fpu_num n;
	int cls = unpack(f, x, &n), shift;

	switch (cls) {
	case CLASS_ZERO:
		return 0;
	case CLASS_NAN:
		*flags |= FPU_NV;
		result = max;
		goto out;
	case CLASS_INF:
		*flags |= FPU_NV;
		result = n.sign ? min : max;
		goto out;
	}
	if (n.exp >= 64) {
		*flags |= FPU_NV;
		result = n.sign ? min : max;
		goto out;
	}
	shift = 63 - n.exp;
	if (shift == 0) {
		ipart = n.sig;
		r = s = 0;
	} else if (shift < 64) {
		ipart = n.sig >> shift;
		r = n.sig >> (shift - 1) & 1;
		s = (n.sig & ((1ull << (shift - 1)) - 1)) != 0;
	} else {
		r = shift == 64;
		s = shift > 64 || (n.sig << 1) != 0;
	}
	ipart += round_up(rm, n.sign, ipart & 1, r << 1 | s, 2);

	/* Out of range: NV alone, the inexact flag of the rounding dropped. */
	if (n.sign) {
		uint64_t limit = is_signed ? 1ull << (bits - 1) : 0;
		if (ipart > limit) {
			*flags |= FPU_NV;
			result = min;
			goto out;
		}
		result = -ipart;
	} else {
		if (ipart > max) {
			*flags |= FPU_NV;
			result = max;
			goto out;
		}
		result = ipart;
	}
	if (r | s)
		*flags |= FPU_NX;
out:
	return bits == 32 ? (uint64_t)(int64_t)(int32_t)result : result;
}

uint64_t fpu_from_int(const struct fpu_format *f, uint64_t mag, int sign, int rm, uint32_t *flags)
{
	int lz;

	if (!mag)
		return 0;
	lz = __builtin_clzll(mag);
	return fpu_round_pack(f, sign, 63 - lz, mag << lz, rm, flags);
}

uint64_t fpu_convert(const struct fpu_format *to, const struct fpu_format *from, uint64_t x, int rm,
		     uint32_t *flags)
{
	struct fpu_num n;

	switch (unpack(from, x, &n)) {
	case CLASS_ZERO:
		return signed_zero(to, n.sign);
	case CLASS_INF:
		return signed_inf(to, n.sign);
	case CLASS_NAN:
		if (fpu_is_snan(from, x))
			*flags |= FPU_NV;
		return to->qnan;
	}
	return fpu_round_pack(to, n.sign, n.exp, n.sig, rm, flags);
}

uint64_t fpu_soft_muladd(const struct fpu_format *f, uint64_t a, uint64_t b, uint64_t c,
			 int has_addend, int rm, uint32_t *flags)
{
	struct fpu_num na, nb, nc;
	int ca = unpack(f, a, &na), cb = unpack(f, b, &nb), cc = unpack(f, c, &nc);
	int psign = na.sign ^ nb.sign, exp, sign, lz;
	int inf_zero =
	    (ca == CLASS_INF && cb == CLASS_ZERO) || (ca == CLASS_ZERO && cb == CLASS_INF);
	u128 p, q, sum;

	if (!has_addend)
		cc = CLASS_ZERO;
	/* ISA "F" chapter: inf * 0 + qNaN still raises NV. */
	if (ca == CLASS_NAN || cb == CLASS_NAN || (has_addend && cc == CLASS_NAN) || inf_zero) {
		if (fpu_is_snan(f, a) || fpu_is_snan(f, b) || (has_addend && fpu_is_snan(f, c)) ||
		    inf_zero)
			*flags |= FPU_NV;
		return f->qnan;
	}
	if (ca == CLASS_INF || cb == CLASS_INF) {
		if (cc == CLASS_INF && nc.sign != psign) {
			*flags |= FPU_NV;
			return f->qnan;
		}
		return signed_inf(f, psign);
	}
	if (cc == CLASS_INF)
		return c;
	if (ca == CLASS_ZERO || cb == CLASS_ZERO) {
		if (!has_addend)
			return signed_zero(f, psign);
		if (cc != CLASS_ZERO)
			return c;
		/* IEEE 754 section 6.3: an exact zero sum of opposite signs is +0 but in RDN. */
		return signed_zero(f, psign == nc.sign ? psign : rm == FPU_RDN);
	}
	if (cc == CLASS_ZERO) {
		p = (u128)na.sig * nb.sig;
		lz = !(p >> 127);
		p <<= lz;
		return fpu_round_pack(f, psign, na.exp + nb.exp + 1 - lz,
				      (uint64_t)(p >> 64) | ((uint64_t)p != 0), rm, flags);
	}

	/* Both terms as M * 2^(E - 126), top bit at 125 or 126, so the sum fits. */
	p = ((u128)na.sig * nb.sig) >> 1;
	q = ((u128)nc.sig << 64) >> 1;
	exp = na.exp + nb.exp + 1;
	if (exp >= nc.exp) {
		q = shift_right_jam128(q, exp - nc.exp);
	} else {
		p = shift_right_jam128(p, nc.exp - exp);
		exp = nc.exp;
	}
	if (psign == nc.sign) {
		sum = p + q;
		sign = psign;
	} else if (p >= q) {
		sum = p - q;
		sign = psign;
	} else {
		sum = q - p;
		sign = nc.sign;
	}
	if (!sum)
		return signed_zero(f, rm == FPU_RDN);
	lz = (uint64_t)(sum >> 64) ? __builtin_clzll((uint64_t)(sum >> 64))
				   : 64 + __builtin_clzll((uint64_t)sum);
	sum <<= lz;
	return fpu_round_pack(f, sign, exp - lz + 1, (uint64_t)(sum >> 64) | ((uint64_t)sum != 0),
			      rm, flags);
}

uint64_t fpu_soft_div(const struct fpu_format *f, uint64_t a, uint64_t b, int rm, uint32_t *flags)
{
	struct fpu_num na, nb;
	int ca = unpack(f, a, &na), cb = unpack(f, b, &nb), sign = na.sign ^ nb.sign, exp, i;
	uint64_t r, d, q = 0;

	if (ca == CLASS_NAN || cb == CLASS_NAN) {
		if (fpu_is_snan(f, a) || fpu_is_snan(f, b))
			*flags |= FPU_NV;
		return f->qnan;
	}
	if ((ca == CLASS_INF && cb == CLASS_INF) || (ca == CLASS_ZERO && cb == CLASS_ZERO)) {
		*flags |= FPU_NV;
		return f->qnan;
	}
	if (ca == CLASS_INF)
		return signed_inf(f, sign);
	if (cb == CLASS_INF || ca == CLASS_ZERO)
		return signed_zero(f, sign);
	if (cb == CLASS_ZERO) {
		*flags |= FPU_DZ;
		return signed_inf(f, sign);
	}

	/* Restoring division on 53-bit significands: r < 2d < 2^54 never overflows. */
	r = na.sig >> 11;
	d = nb.sig >> 11;
	exp = na.exp - nb.exp;
	if (r < d) {
		r <<= 1;
		exp--;
	}
	for (i = 0; i < 64; i++) {
		q <<= 1;
		if (r >= d) {
			r -= d;
			q |= 1;
		}
		r <<= 1;
	}
	return fpu_round_pack(f, sign, exp, q | (r != 0), rm, flags);
}

/* floor(sqrt(x)) one result bit at a time: no division, no libgcc. */
static uint64_t isqrt128(u128 x, int *inexact)
{
	u128 rem = 0, root = 0;

	for (int i = 0; i < 64; i++) {
		rem = rem << 2 | x >> 126;
		x <<= 2;
		root <<= 1;
		u128 trial = root << 1 | 1;
		if (rem >= trial) {
			rem -= trial;
			root |= 1;
		}
	}
	*inexact = rem != 0;
	return (uint64_t)root;
}

uint64_t fpu_soft_sqrt(const struct fpu_format *f, uint64_t a, int rm, uint32_t *flags)
{
	struct fpu_num n;
	int c = unpack(f, a, &n), inexact;

	if (c == CLASS_NAN) {
		if (fpu_is_snan(f, a))
			*flags |= FPU_NV;
		return f->qnan;
	}
	if (c == CLASS_ZERO)
		return a;
	if (n.sign) {
		*flags |= FPU_NV;
		return f->qnan;
	}
	if (c == CLASS_INF)
		return a;

	/*
	 * a = sig * 2^(exp - 63) with sig's top bit set.  Make the exponent
	 * even so it halves exactly, then take the root of sig scaled to 127
	 * or 128 bits: the 64-bit root keeps far more than 53 bits, and a
	 * non-zero remainder becomes the sticky bit.
	 */
	int e = n.exp - 63;
	u128 m = (u128)n.sig << 64;
	if (e & 1) {
		m >>= 1;
		e += 1;
	}
	uint64_t root = isqrt128(m, &inexact);
	int lz = __builtin_clzll(root);
	root <<= lz;
	/* sqrt(m * 2^-64 * 2^e) = root * 2^(e/2 - 32 - lz)  ==  root * 2^(exp - 63) */
	return fpu_round_pack(f, 0, e / 2 - 32 - lz + 63, root | inexact, rm, flags);
}
