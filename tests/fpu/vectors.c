/*
 * vectors.c - every F/D instruction over edge operands (signed zeros,
 * infinities, quiet and signalling NaNs, subnormals, extreme normals, values
 * at the integer conversion limits, rounding ties, singles that are not
 * NaN-boxed) in every rounding mode, plus random operands from a fixed seed
 * and the reserved rounding modes.
 */
#include <stdio.h>

#include "vectors.h"

enum kind { K_S, K_D, K_X };

struct op {
	const char *name;
	uint32_t insn; /* rd/rs fields filled, rm 0 */
	int nsrc;      /* fp sources, or 1 integer source for K_X */
	enum kind src;
	int has_rm;
};

#define R(f7, rs2, f3, opc)                                                                        \
	((uint32_t)(f7) << 25 | (rs2) << 20 | 11 << 15 | (f3) << 12 | 10 << 7 | (opc))
#define OPFP(f5, fmt, rs2, f3) R((f5) << 2 | (fmt), rs2, f3, 0x53)
#define RD_X0 (~(31u << 7))
#define FUSED(opc, fmt) ((uint32_t)13 << 27 | (fmt) << 25 | 12 << 20 | 11 << 15 | 10 << 7 | (opc))

static const struct op ops[] = {
    {"fadd.s", OPFP(0x00, 0, 12, 0), 2, K_S, 1},
    {"fadd.d", OPFP(0x00, 1, 12, 0), 2, K_D, 1},
    {"fsub.s", OPFP(0x01, 0, 12, 0), 2, K_S, 1},
    {"fsub.d", OPFP(0x01, 1, 12, 0), 2, K_D, 1},
    {"fmul.s", OPFP(0x02, 0, 12, 0), 2, K_S, 1},
    {"fmul.d", OPFP(0x02, 1, 12, 0), 2, K_D, 1},
    {"fdiv.s", OPFP(0x03, 0, 12, 0), 2, K_S, 1},
    {"fdiv.d", OPFP(0x03, 1, 12, 0), 2, K_D, 1},
    {"fsqrt.s", OPFP(0x0b, 0, 0, 0), 1, K_S, 1},
    {"fsqrt.d", OPFP(0x0b, 1, 0, 0), 1, K_D, 1},
    {"fsgnj.s", OPFP(0x04, 0, 12, 0), 2, K_S, 0},
    {"fsgnj.d", OPFP(0x04, 1, 12, 0), 2, K_D, 0},
    {"fsgnjn.s", OPFP(0x04, 0, 12, 1), 2, K_S, 0},
    {"fsgnjn.d", OPFP(0x04, 1, 12, 1), 2, K_D, 0},
    {"fsgnjx.s", OPFP(0x04, 0, 12, 2), 2, K_S, 0},
    {"fsgnjx.d", OPFP(0x04, 1, 12, 2), 2, K_D, 0},
    {"fmin.s", OPFP(0x05, 0, 12, 0), 2, K_S, 0},
    {"fmin.d", OPFP(0x05, 1, 12, 0), 2, K_D, 0},
    {"fmax.s", OPFP(0x05, 0, 12, 1), 2, K_S, 0},
    {"fmax.d", OPFP(0x05, 1, 12, 1), 2, K_D, 0},
    {"fcvt.s.d", OPFP(0x08, 0, 1, 0), 1, K_D, 1},
    {"fcvt.d.s", OPFP(0x08, 1, 0, 0), 1, K_S, 1},
    {"feq.s", OPFP(0x14, 0, 12, 2), 2, K_S, 0},
    {"feq.d", OPFP(0x14, 1, 12, 2), 2, K_D, 0},
    {"flt.s", OPFP(0x14, 0, 12, 1), 2, K_S, 0},
    {"flt.d", OPFP(0x14, 1, 12, 1), 2, K_D, 0},
    {"fle.s", OPFP(0x14, 0, 12, 0), 2, K_S, 0},
    {"fle.d", OPFP(0x14, 1, 12, 0), 2, K_D, 0},
    {"fcvt.w.s", OPFP(0x18, 0, 0, 0), 1, K_S, 1},
    {"fcvt.w.d", OPFP(0x18, 1, 0, 0), 1, K_D, 1},
    {"fcvt.wu.s", OPFP(0x18, 0, 1, 0), 1, K_S, 1},
    {"fcvt.wu.d", OPFP(0x18, 1, 1, 0), 1, K_D, 1},
    {"fcvt.l.s", OPFP(0x18, 0, 2, 0), 1, K_S, 1},
    {"fcvt.l.d", OPFP(0x18, 1, 2, 0), 1, K_D, 1},
    {"fcvt.lu.s", OPFP(0x18, 0, 3, 0), 1, K_S, 1},
    {"fcvt.lu.d", OPFP(0x18, 1, 3, 0), 1, K_D, 1},
    {"fcvt.s.w", OPFP(0x1a, 0, 0, 0), 1, K_X, 1},
    {"fcvt.d.w", OPFP(0x1a, 1, 0, 0), 1, K_X, 1},
    {"fcvt.s.wu", OPFP(0x1a, 0, 1, 0), 1, K_X, 1},
    {"fcvt.d.wu", OPFP(0x1a, 1, 1, 0), 1, K_X, 1},
    {"fcvt.s.l", OPFP(0x1a, 0, 2, 0), 1, K_X, 1},
    {"fcvt.d.l", OPFP(0x1a, 1, 2, 0), 1, K_X, 1},
    {"fcvt.s.lu", OPFP(0x1a, 0, 3, 0), 1, K_X, 1},
    {"fcvt.d.lu", OPFP(0x1a, 1, 3, 0), 1, K_X, 1},
    {"fmv.x.w", OPFP(0x1c, 0, 0, 0), 1, K_S, 0},
    {"fmv.x.d", OPFP(0x1c, 1, 0, 0), 1, K_D, 0},
    {"fclass.s", OPFP(0x1c, 0, 0, 1), 1, K_S, 0},
    {"fclass.d", OPFP(0x1c, 1, 0, 1), 1, K_D, 0},
    {"fmv.w.x", OPFP(0x1e, 0, 0, 0), 1, K_X, 0},
    {"fmv.d.x", OPFP(0x1e, 1, 0, 0), 1, K_X, 0},
    /* Integer results aimed at x0: nothing may change. */
    {"feq.d.x0", OPFP(0x14, 1, 12, 2) & RD_X0, 2, K_D, 0},
    {"fcvt.w.d.x0", OPFP(0x18, 1, 0, 0) & RD_X0, 1, K_D, 1},
    {"fclass.s.x0", OPFP(0x1c, 0, 0, 1) & RD_X0, 1, K_S, 0},
    {"fmv.x.d.x0", OPFP(0x1c, 1, 0, 0) & RD_X0, 1, K_D, 0},
    {"fmadd.s", FUSED(0x43, 0), 3, K_S, 1},
    {"fmadd.d", FUSED(0x43, 1), 3, K_D, 1},
    {"fmsub.s", FUSED(0x47, 0), 3, K_S, 1},
    {"fmsub.d", FUSED(0x47, 1), 3, K_D, 1},
    {"fnmsub.s", FUSED(0x4b, 0), 3, K_S, 1},
    {"fnmsub.d", FUSED(0x4b, 1), 3, K_D, 1},
    {"fnmadd.s", FUSED(0x4f, 0), 3, K_S, 1},
    {"fnmadd.d", FUSED(0x4f, 1), 3, K_D, 1},
};

/* Encodings next to real ones that the decoder must refuse. */
static const struct op illegal_ops[] = {
    {"ill.fsqrt.rs2", OPFP(0x0b, 1, 1, 0), 1, K_D, 0},
    {"ill.fsgnj.f3", OPFP(0x04, 0, 12, 3), 2, K_S, 0},
    {"ill.fmin.f3", OPFP(0x05, 1, 12, 2), 2, K_D, 0},
    {"ill.feq.f3", OPFP(0x14, 1, 12, 3), 2, K_D, 0},
    {"ill.fcvt.s.s", OPFP(0x08, 0, 0, 0), 1, K_S, 0},
    {"ill.fcvt.d.d", OPFP(0x08, 1, 1, 0), 1, K_D, 0},
    {"ill.fcvt.w.rs2", OPFP(0x18, 1, 4, 0), 1, K_D, 0},
    {"ill.fmv.x.w.f3", OPFP(0x1c, 0, 0, 2), 1, K_S, 0},
    {"ill.fmv.x.w.rs2", OPFP(0x1c, 0, 1, 0), 1, K_S, 0},
    {"ill.fmv.w.x.f3", OPFP(0x1e, 0, 0, 1), 1, K_X, 0},
    {"ill.funct5", OPFP(0x06, 1, 12, 0), 2, K_D, 0},
    {"ill.fmt.h", OPFP(0x00, 2, 12, 0), 2, K_D, 0},
    {"ill.fmt.q", OPFP(0x00, 3, 12, 0), 2, K_D, 0},
    {"ill.fcvt.s.h", OPFP(0x08, 0, 2, 0), 1, K_D, 0},
    {"ill.fmadd.q", FUSED(0x43, 3), 3, K_D, 0},
};

static const uint32_t single_edges[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00001,
    0x7f800001, 0xff800001, 0x7fa00000, 0x00000001, 0x807fffff, 0x00800000, 0x80800000, 0x7f7fffff,
    0xff7fffff, 0x3f000000, 0x3fc00000, 0x40200000, 0xbfc00000, 0xc0200000, 0x4f000000, 0xcf000000,
    0x4effffff, 0xcf000001, 0x4f800000, 0x4f7fffff, 0x5f000000, 0xdf000000, 0x5effffff, 0x5f800000,
    0x3f800001, 0x34000000, 0x33800000, 0x00400000, 0x40490fdb, 0x3effffff, 0x00800001, 0x7f000000,
};

static const uint64_t double_edges[] = {
    0x0000000000000000, 0x8000000000000000, 0x3ff0000000000000, 0xbff0000000000000,
    0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000, 0xfff8000000000001,
    0x7ff0000000000001, 0xfff4000000000000, 0x0000000000000001, 0x800fffffffffffff,
    0x0010000000000000, 0x8010000000000000, 0x7fefffffffffffff, 0xffefffffffffffff,
    0x3fe0000000000000, 0x3ff8000000000000, 0x4004000000000000, 0xc004000000000000,
    0xbfe0000000000000, 0x41e0000000000000, 0x41dfffffffc00000, 0x41dfffffffe00000,
    0xc1e0000000000000, 0xc1e0000000100000, 0xc1e0000000200000, 0x41f0000000000000,
    0x41efffffffe00000, 0x43e0000000000000, 0x43dfffffffffffff, 0xc3e0000000000000,
    0xc3e0000000000001, 0x43f0000000000000, 0x43efffffffffffff, 0x3ff0000000000001,
    0x3ca0000000000000, 0x400921fb54442d18, 0x47efffffe0000000, 0x47effffff0000000,
    0x3810000000000000, 0x380fffffffffffff, 0x36a0000000000000, 0x3690000000000000,
    0x36a8000000000000, 0x0008000000000000, 0x7fe0000000000000, 0x3fdfffffffffffff,
};

static const uint64_t int_edges[] = {
    0,
    1,
    0xffffffffffffffff,
    0x7fffffff,
    0xffffffff80000000,
    0xffffffff,
    0x80000000,
    0x7fffffffffffffff,
    0x8000000000000000,
    0x20000000000001,
    0x1000001,
    0x100000001,
    0x7fffff80,
    0x7fffffc0,
    0xfffffffffeffffff,
    0x7ffffffffffffc00,
    0xfffffffffffff801,
    0x8000000000000400,
    0xfffffff8,
    0x123456789abcdef0,
    0x1000003,
    0xffffffff7fffffff,
};

#define BOX 0xffffffff00000000ull

/* Singles that are not properly NaN-boxed: they must read as the canonical NaN. */
static const uint64_t unboxed[] = {
    0x000000003f800000,
    0x7ff0000000000000,
    0xfffffffe3f800000,
    0x7fffffff7f800001,
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	/* xorshift64*: a fixed seed, so every run sees the same vectors. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

/* Random operands weighted towards the interesting corners of each format. */
static uint64_t random_single(void)
{
	uint64_t r = rng();
	uint32_t sign = (uint32_t)(r >> 63) << 31, mant = (uint32_t)r & 0x7fffff, e;

	switch ((r >> 32) & 7) {
	case 0:
		return BOX | (uint32_t)(r >> 8);
	case 1:
		e = 127 + (int)((r >> 40) % 16) - 8;
		break;
	case 2:
		e = 127 + (int)((r >> 40) % 16) - 8;
		mant &= 0x7f0000;
		break;
	case 3:
		e = (r >> 40) % 3;
		break;
	case 4:
		e = 253 + (r >> 40) % 3;
		break;
	case 5:
		return BOX | single_edges[(r >> 40) % (sizeof(single_edges) / 4)];
	case 6:
		e = 150 + (r >> 40) % 40;
		break;
	default:
		e = (r >> 40) & 0xff;
		mant &= 0x7fe000;
		break;
	}
	return BOX | sign | e << 23 | mant;
}

static uint64_t random_double(void)
{
	uint64_t r = rng(), sign = r & 1ull << 63, mant = rng() & 0xfffffffffffffull, e;

	switch (r & 7) {
	case 0:
		return rng();
	case 1:
		e = 1023 + (r >> 8) % 32 - 16;
		break;
	case 2:
		e = 1023 + (r >> 8) % 32 - 16;
		mant &= 0xff00000000000ull;
		break;
	case 3:
		e = (r >> 8) % 3;
		break;
	case 4:
		e = 2045 + (r >> 8) % 3;
		break;
	case 5:
		return double_edges[(r >> 8) % (sizeof(double_edges) / 8)];
	case 6:
		e = 1023 + 20 + (r >> 8) % 50;
		break;
	default:
		e = 896 + (r >> 8) % 256;
		mant &= 0xfffffff000000ull;
		break;
	}
	return sign | e << 52 | mant;
}

static uint64_t random_int(void)
{
	uint64_t r = rng();

	switch (r & 3) {
	case 0:
		return rng();
	case 1:
		return rng() >> ((r >> 8) % 64);
	case 2:
		return (uint64_t)(int64_t)(int32_t)rng() >> ((r >> 8) % 2 ? 0 : (r >> 16) % 32);
	default:
		return int_edges[(r >> 8) % (sizeof(int_edges) / 8)];
	}
}

#define RANDOM_PER_OP 1000

uint64_t vectors_random(int is_double)
{
	return is_double ? random_double() : random_single();
}

/* The callback and the running count of the one vectors_generate() in progress. */
static void (*emit)(const struct fpu_vector *v);
static long count;

static void one(const struct op *op, uint32_t rm, uint32_t frm, const uint64_t *src)
{
	struct fpu_vector v = {op->name, op->insn | rm << 12, frm, 0, 0, 0, 0};

	if (op->src == K_X) {
		v.x11 = src[0];
	} else {
		v.f11 = src[0];
		v.f12 = op->nsrc > 1 ? src[1] : 0;
		v.f13 = op->nsrc > 2 ? src[2] : 0;
	}
	emit(&v);
	count++;
}

/* Every static mode, and DYN with one frm per vector (cycling). */
static void all_modes(const struct op *op, const uint64_t *src)
{
	static uint32_t dyn;
	uint32_t rm;

	if (!op->has_rm) {
		one(op, (op->insn >> 12) & 7, dyn++ % 5, src);
		return;
	}
	for (rm = 0; rm <= 4; rm++)
		one(op, rm, 0, src);
	one(op, 7, dyn++ % 5, src);
}

static uint64_t edge(enum kind k, unsigned i)
{
	if (k == K_S)
		return BOX | single_edges[i];
	if (k == K_D)
		return double_edges[i];
	return int_edges[i];
}

static unsigned edge_count(enum kind k)
{
	if (k == K_S)
		return sizeof(single_edges) / 4;
	if (k == K_D)
		return sizeof(double_edges) / 8;
	return sizeof(int_edges) / 8;
}

static uint64_t random_of(enum kind k)
{
	return k == K_S ? random_single() : k == K_D ? random_double() : random_int();
}

/* Indices into the edge tables of +0, -0, 1, -1, +inf, -inf, qNaN, -qNaN, sNaN, a subnormal. */
static const unsigned special_index[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 11};

/* Fused multiply-add over every triple of specials: inf * 0 + qNaN and friends. */
static void special_triples(const struct op *op)
{
	unsigned n = sizeof(special_index) / sizeof(special_index[0]), i, j, k;
	uint64_t src[3];

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			for (k = 0; k < n; k++) {
				src[0] = edge(op->src, special_index[i]);
				src[1] = edge(op->src, special_index[j]);
				src[2] = edge(op->src, special_index[k]);
				all_modes(op, src);
			}
}

long vectors_generate(void (*run)(const struct fpu_vector *v))
{
	unsigned o, i, j, n;
	uint64_t src[3];

	emit = run;
	count = 0;
	for (o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
		const struct op *op = &ops[o];
		unsigned ne = edge_count(op->src);

		if (op->nsrc == 1) {
			for (i = 0; i < ne; i++) {
				src[0] = edge(op->src, i);
				all_modes(op, src);
			}
		} else {
			for (i = 0; i < ne; i++)
				for (j = 0; j < ne; j++) {
					src[0] = edge(op->src, i);
					src[1] = edge(op->src, j);
					src[2] = edge(op->src, (i * 7 + j * 3) % ne);
					all_modes(op, src);
				}
		}
		if (op->src == K_S)
			for (i = 0; i < sizeof(unboxed) / 8; i++) {
				src[0] = unboxed[i];
				src[1] = i & 1 ? unboxed[i] : BOX | 0x3f800000;
				src[2] = unboxed[(i + 1) % 4];
				all_modes(op, src);
			}
		if (op->nsrc == 3)
			special_triples(op);
		for (n = 0; n < RANDOM_PER_OP; n++) {
			src[0] = random_of(op->src);
			src[1] = random_of(op->src);
			src[2] = random_of(op->src);
			all_modes(op, src);
		}
		if (op->has_rm) {
			/* Reserved modes: rm 5, 6 and DYN with frm 5, 6, 7. */
			src[0] = src[1] = src[2] = edge(op->src, 2);
			one(op, 5, 0, src);
			one(op, 6, 0, src);
			for (i = 5; i < 8; i++)
				one(op, 7, i, src);
		}
	}
	for (o = 0; o < sizeof(illegal_ops) / sizeof(illegal_ops[0]); o++) {
		src[0] = src[1] = src[2] = edge(illegal_ops[o].src, 2);
		one(&illegal_ops[o], (illegal_ops[o].insn >> 12) & 7, 0, src);
	}
	return count;
}

int vectors_format(char *buf, int size, const struct fpu_vector *v, int illegal, uint64_t f10,
		   uint64_t x10, uint32_t fflags)
{
	int n =
	    snprintf(buf, size, "%s %08x frm=%u in=%016llx,%016llx,%016llx,%016llx -> ", v->name,
		     v->insn, v->frm, (unsigned long long)v->f11, (unsigned long long)v->f12,
		     (unsigned long long)v->f13, (unsigned long long)v->x11);

	if (illegal)
		return n + snprintf(buf + n, size - n, "illegal\n");
	return n + snprintf(buf + n, size - n, "f=%016llx x=%016llx fflags=%02x\n",
			    (unsigned long long)f10, (unsigned long long)x10, fflags);
}
