/*
 * rvfuzz - differential fuzzing of the translator against qemu-riscv64.
 *
 *   rvfuzz gen SEED COUNT [FIRST]       riscv64 assembly for sequences
 *                                       FIRST..FIRST+COUNT-1 of SEED
 *   rvfuzz diff FILE.S EXPECTED GOT     compare two runs of FILE.S's binary
 *
 * Every sequence is independent: it starts from a register, fcsr and memory
 * state drawn from (SEED, index), runs random RV64GC instructions (with
 * forward branches and short counted loops), and writes one record: the
 * scratch memory it may touch, x0-x31, f0-f31 and fcsr.  Sequences never
 * make a system call and never address memory outside the scratch region:
 * the scratch pointers (sp = x2 and s1 = x9, which compressed loads and
 * stores need as bases) are never written.
 * `diff` names the first sequences whose records differ, each differing
 * register or memory word, and prints the sequence's instructions.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCRATCH 1024  /* bytes a sequence may load from and store to */
#define X_OFF SCRATCH /* x0..x31 follow the scratch bytes in a record */
#define F_OFF (X_OFF + 256)
#define FCSR_OFF (F_OFF + 256)
#define RECORD (FCSR_OFF + 8)
#define MID (SCRATCH / 2) /* s1 points here, sp at the start */
#define BASE_SP 2
#define BASE_S1 9

/* ---- pseudo-random numbers: splitmix64, so a seed means the same everywhere ---- */

static uint64_t rng;

static uint64_t next(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned below(unsigned n)
{
	return (unsigned)(next() % n);
}

static int chance(unsigned percent)
{
	return below(100) < percent;
}

static int64_t range(int64_t lo, int64_t hi)
{
	return lo + (int64_t)(next() % (uint64_t)(hi - lo + 1));
}

/* ---- values: edge cases first, they are where translators go wrong ---- */

static uint64_t int_value(void)
{
	static const uint64_t edge[] = {
	    0,
	    1,
	    2,
	    3,
	    (uint64_t)-1,
	    (uint64_t)-2,
	    0x8000000000000000ull,
	    0x7fffffffffffffffull,
	    0x7fffffff,
	    0x80000000,
	    0xffffffff80000000ull,
	    0xffffffff,
	    0x100000000ull,
	    0xffffffff7fffffffull,
	    63,
	    64,
	    31,
	    32,
	    0x8000,
	    0xffff,
	};
	switch (below(4)) {
	case 0:
		return edge[below(sizeof edge / sizeof edge[0])];
	case 1:
		return (uint64_t)range(-300, 300);
	case 2:
		return (uint64_t)(int64_t)(int32_t)next();
	default:
		return next();
	}
}

static uint32_t single_value(void)
{
	static const uint32_t edge[] = {
	    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000,
	    0x7fc00000, 0xffc00000, 0x7f800001, 0x7fa00000, 0x00000001, 0x807fffff,
	    0x00800000, 0x7f7fffff, 0xff7fffff, 0x4f000000, 0xcf000000, 0x5f000000,
	    0x4f800000, 0x3f000000, 0x40490fdb, 0x33800000, 0x3fc00000, 0xc0200000,
	};
	if (chance(50))
		return edge[below(sizeof edge / sizeof edge[0])];
	if (chance(50)) /* a moderate number: conversions stay in range */
	{
		uint32_t exponent = (uint32_t)range(110, 150);
		return (uint32_t)(next() & 0x807fffff) | exponent << 23;
	}
	return (uint32_t)next();
}

static uint64_t double_value(void)
{
	static const uint64_t edge[] = {
	    0,
	    0x8000000000000000ull,
	    0x3ff0000000000000ull,
	    0xbff0000000000000ull,
	    0x7ff0000000000000ull,
	    0xfff0000000000000ull,
	    0x7ff8000000000000ull,
	    0xfff8000000000000ull,
	    0x7ff0000000000001ull,
	    0x7ff4000000000000ull,
	    1,
	    0x800fffffffffffffull,
	    0x0010000000000000ull,
	    0x7fefffffffffffffull,
	    0xffefffffffffffffull,
	    0x41e0000000000000ull,
	    0xc1e0000000000000ull,
	    0x43e0000000000000ull,
	    0xc3e0000000000000ull,
	    0x41f0000000000000ull,
	    0x43f0000000000000ull,
	    0x3fe0000000000000ull,
	    0x4004000000000000ull,
	    0xc004000000000000ull,
	    0x3ca0000000000000ull,
	    0x47efffffe0000000ull,
	    0x36a0000000000000ull,
	};
	if (chance(50))
		return edge[below(sizeof edge / sizeof edge[0])];
	if (chance(50)) {
		uint64_t exponent = (uint64_t)range(990, 1090);
		return (next() & 0x800fffffffffffffull) | exponent << 52;
	}
	return next();
}

static uint64_t fp_reg_value(void)
{
	switch (below(8)) {
	case 0:
	case 1:
	case 2:
		return 0xffffffff00000000ull | single_value(); /* NaN-boxed single */
	case 3: {
		uint64_t high = next() << 32; /* a single that is not boxed */
		return high | single_value();
	}
	default:
		return double_value();
	}
}

/* ---- output ---- */

static FILE *out;
static char *seqbuf;
static size_t seqlen, seqcap;

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void emit(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof line - 2) {
		fprintf(stderr, "rvfuzz: line too long\n");
		exit(2);
	}
	line[n++] = '\n';
	if (seqlen + n > seqcap) {
		seqcap = (seqlen + n) * 2;
		seqbuf = realloc(seqbuf, seqcap);
		if (!seqbuf) {
			perror("rvfuzz");
			exit(2);
		}
	}
	memcpy(seqbuf + seqlen, line, n);
	seqlen += n;
}

static void flush_seq(void)
{
	fwrite(seqbuf, 1, seqlen, out);
	seqlen = 0;
}

/* ---- registers ---- */

static const char *const xname[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};
static const char *const fname[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4",	"ft5",	"ft6", "ft7", "fs0",  "fs1",  "fa0",
    "fa1", "fa2", "fa3", "fa4", "fa5",	"fa6",	"fa7", "fs2", "fs3",  "fs4",  "fs5",
    "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

/* Bit r: a loop's counter or walking pointer, which the loop body must leave alone. */
static uint32_t avoid;

static int writable(int r)
{
	return r != 0 && r != BASE_SP && r != BASE_S1 && !(avoid >> r & 1);
}

/* A destination: never a scratch base; x0 now and then (writes are dropped). */
static int dst(void)
{
	if (chance(4))
		return 0;
	int r;
	do
		r = (int)below(32);
	while (!writable(r));
	return r;
}

static int src(void)
{
	return (int)below(32);
}

/* Registers x8-x15, the compressed set; writable ones for a destination. */
static int cdst(void)
{
	int r;
	do
		r = 8 + (int)below(8);
	while (r == BASE_S1 || avoid >> r & 1);
	return r;
}

static int csrc(void)
{
	return 8 + (int)below(8);
}

static const char *X(int r)
{
	return xname[r];
}
static const char *F(int r)
{
	return fname[r];
}
static const char *FR(void)
{
	return fname[below(32)];
}

static const char *rm(void)
{
	static const char *const m[] = {"rne", "rtz", "rdn", "rup", "rmm", "dyn"};
	return m[below(6)];
}

#define PICK(arr) (arr[below(sizeof arr / sizeof arr[0])])

/*
 * ---- instruction classes ----
 *
 * Random operands are drawn into locals one statement at a time, never as
 * several arguments of one call: C leaves the order in which arguments are
 * evaluated unspecified, and a seed must name the same sequence whichever
 * compiler built rvfuzz.
 */

static void gen_alu(void)
{
	static const char *const rr[] = {"add", "sub", "sll",  "slt",  "sltu", "xor",  "srl", "sra",
					 "or",	"and", "addw", "subw", "sllw", "srlw", "sraw"};
	static const char *const ri[] = {"addi", "slti", "sltiu", "xori", "ori", "andi", "addiw"};
	static const char *const sh[] = {"slli", "srli", "srai"};
	static const char *const shw[] = {"slliw", "srliw", "sraiw"};
	switch (below(6)) {
	case 0:
	case 1: {
		const char *a = PICK(rr);
		const char *b = X(dst());
		const char *c = X(src());
		const char *d = X(src());
		emit("\t%s %s, %s, %s", a, b, c, d);
	} break;
	case 2: {
		const char *a = PICK(ri);
		const char *b = X(dst());
		const char *c = X(src());
		int d = (int)range(-2048, 2047);
		emit("\t%s %s, %s, %d", a, b, c, d);
	} break;
	case 3: {
		const char *a = PICK(sh);
		const char *b = X(dst());
		const char *c = X(src());
		int d = (int)below(64);
		emit("\t%s %s, %s, %d", a, b, c, d);
	} break;
	case 4: {
		const char *a = PICK(shw);
		const char *b = X(dst());
		const char *c = X(src());
		int d = (int)below(32);
		emit("\t%s %s, %s, %d", a, b, c, d);
	} break;
	default:
		if (chance(50)) {
			const char *a = X(dst());
			unsigned b = (unsigned)below(1 << 20);
			emit("\tlui %s, 0x%x", a, b);
		} else {
			const char *a = X(dst());
			unsigned b = (unsigned)below(1 << 20);
			emit("\tauipc %s, 0x%x", a, b);
		}
	}
}

/*
 * Pairs the translator folds into one host instruction, and sext.w after
 * what may or may not be sign-extended already: operands drawn so that
 * the near misses (other registers, other shift counts) come up too.
 */
static void gen_idiom(void)
{
	static const char *const right[] = {"srli", "srai"};
	static const char *const before[] = {"addw", "add", "xor", "and", "mulw", "sllw", "or"};
	int rd = dst();
	switch (below(3)) {
	case 0: {
		int k = (int)range(1, 4);
		int index = src();
		int other = chance(20) ? rd : src();
		emit("	slli %s, %s, %d", X(rd), X(index), k);
		if (chance(50))
			emit("	add %s, %s, %s", X(rd), X(rd), X(other));
		else
			emit("	add %s, %s, %s", X(rd), X(other), X(rd));
	} break;
	case 1: {
		static const int counts[] = {32, 48, 56, 40};
		int k = PICK(counts);
		int source = src();
		const char *a = PICK(right);
		emit("	slli %s, %s, %d", X(rd), X(source), k);
		emit("	%s %s, %s, %d", a, X(rd), X(rd), chance(80) ? k : (int)below(64));
	} break;
	default: {
		const char *a = PICK(before);
		int x = src();
		int y = src();
		int to = chance(50) ? rd : dst();
		emit("	%s %s, %s, %s", a, X(rd), X(x), X(y));
		emit("	sext.w %s, %s", X(to), X(rd));
	}
	}
}

static void gen_li(void)
{
	{
		const char *a = X(dst());
		uint64_t b = int_value();
		emit("\tli %s, 0x%" PRIx64, a, b);
	}
}

static void gen_muldiv(void)
{
	static const char *const m[] = {"mul", "mulh", "mulhsu", "mulhu", "mulw", "div",  "divu",
					"rem", "remu", "divw",	 "divuw", "remw", "remuw"};
	const char *op = PICK(m);
	int d = dst(), a = src(), b = src();
	if (chance(25))
		b = 0; /* division by zero, which RISC-V defines */
	emit("\t%s %s, %s, %s", op, X(d), X(a), X(b));
}

/* An offset from one scratch base such that [off, off+size) stays inside the region. */
static void mem_operand(int size, int aligned, int *base, int *off)
{
	*base = chance(50) ? BASE_SP : BASE_S1;
	int lo = *base == BASE_SP ? 0 : -MID;
	int hi = (*base == BASE_SP ? SCRATCH : SCRATCH - MID) - size;
	int o = (int)range(lo, hi);
	if (aligned)
		o &= ~(size - 1);
	*off = o;
}

static void gen_loadstore(void)
{
	static const struct {
		const char *name;
		int size, store;
	} ops[] = {
	    {"lb", 1, 0}, {"lbu", 1, 0}, {"lh", 2, 0}, {"lhu", 2, 0}, {"lw", 4, 0}, {"lwu", 4, 0},
	    {"ld", 8, 0}, {"sb", 1, 1},	 {"sh", 2, 1}, {"sw", 4, 1},  {"sd", 8, 1},
	};
	int i = (int)below(sizeof ops / sizeof ops[0]), base, off;
	/* Misaligned accesses work under qemu-riscv64 and must under rvkvm: a few of them. */
	mem_operand(ops[i].size, !chance(10), &base, &off);
	{
		const char *a = X(ops[i].store ? src() : dst());
		emit("\t%s %s, %d(%s)", ops[i].name, a, off, X(base));
	}
}

/*
 * One plain instruction inside a rotate: its registers are now and then
 * the rotate's own (x written, a or b read or written: the near misses),
 * and now and then it is a memory access, which no fold may span.
 */
static void rotate_filler(int x, int a, int b)
{
	static const char *const op[] = {"add", "xor", "and", "sub", "addw", "sltu", "or"};
	if (chance(10)) {
		gen_loadstore();
		return;
	}
	int own[3] = {x, a, b};
	int rd = chance(20) ? own[below(3)] : dst();
	if (!writable(rd))
		rd = dst();
	int rs = chance(20) ? own[below(3)] : src();
	int rt = src();
	emit("\t%s %s, %s, %s", PICK(op), X(rd), X(rs), X(rt));
}

/*
 * Rotates as rv64gc spells them (srliw/slliw/or by k and 32-k, srli/slli/or
 * by k and 64-k), which the translator folds into one ror when the shifts'
 * results are never observed: random interleaving, operand orders and
 * overwrites of the shifts' results, and near misses (other amounts, an
 * arithmetic shift, mixed widths, results still live or read after).
 */
static void gen_rotate(void)
{
	int w = chance(50), bits = w ? 32 : 64;
	int x = src(), a = dst(), b = dst();
	if (chance(5))
		a = writable(x) ? x : a;
	int k = (int)range(chance(3) ? 0 : 1, bits - 1);
	int left = chance(10) ? (int)below(bits) : (bits - k) % bits;
	const char *right_op = chance(8) ? (w ? "sraiw" : "srai") : (w ? "srliw" : "srli");
	const char *left_op = w ? "slliw" : "slli";
	if (chance(5)) {
		left_op = w ? "slli" : "slliw";
		left %= 32;
	}
	int right_first = chance(50);
	for (int n = 0; n < 2; n++) {
		if (n == 1)
			for (unsigned f = below(3); f > 0; f--)
				rotate_filler(x, a, b);
		if (n == right_first)
			emit("\t%s %s, %s, %d", left_op, X(b), X(x), left);
		else
			emit("\t%s %s, %s, %d", right_op, X(a), X(x), k);
	}
	for (unsigned f = below(3); f > 0; f--)
		rotate_filler(x, a, b);
	int d = chance(25) ? a : chance(25) ? b : dst();
	if (chance(50))
		emit("\tor %s, %s, %s", X(d), X(a), X(b));
	else
		emit("\tor %s, %s, %s", X(d), X(b), X(a));
	if (chance(20))
		return; /* a and b stay live */
	int first = chance(50) ? a : b, second = first == a ? b : a;
	for (int n = 0; n < 2; n++) {
		int r = n ? second : first;
		for (unsigned f = below(2); f > 0; f--)
			rotate_filler(x, a, b);
		if (!writable(r))
			continue;
		if (chance(15)) {
			emit("\taddi %s, %s, 1", X(r), X(r)); /* reads it first */
		} else {
			int v = (int)range(-2048, 2047);
			emit("\tli %s, %d", X(r), v);
		}
	}
}

/*
 * RVFUZZ_CLASS=rotate or fp: mostly rotates, or mostly F/D instructions
 * (tests/fuzz/fuzz.sh), for a long run on one class.
 */
static const char *only_class = "";

static void gen_fp_loadstore(void)
{
	static const char *const ops[] = {"flw", "fsw", "fld", "fsd"};
	const char *op = PICK(ops);
	int base, off;
	mem_operand(op[2] == 'w' ? 4 : 8, !chance(10), &base, &off);
	emit("\t%s %s, %d(%s)", op, FR(), off, X(base));
}

/* The address of an aligned scratch slot, in a fresh register. */
static int scratch_address(int size)
{
	int t;
	do
		t = dst();
	while (t == 0);
	int off = (int)range(-MID, SCRATCH - MID - size) & ~(size - 1);
	emit("\taddi %s, %s, %d", X(t), X(BASE_S1), off);
	return t;
}

static const char *ordering(void)
{
	static const char *const o[] = {"", "", ".aq", ".rl", ".aqrl"};
	return PICK(o);
}

static void gen_amo(void)
{
	static const char *const ops[] = {"amoswap", "amoadd", "amoxor",  "amoand", "amoor",
					  "amomin",  "amomax", "amominu", "amomaxu"};
	int d = chance(50);
	int t = scratch_address(d ? 8 : 4);
	const char *op = PICK(ops), *order = ordering();
	int rd = dst(), rs = src();
	emit("\t%s.%s%s %s, %s, (%s)", op, d ? "d" : "w", order, X(rd), X(rs), X(t));
}

static void gen_lrsc(void)
{
	const char *w = chance(50) ? "d" : "w";
	int t = scratch_address(*w == 'd' ? 8 : 4);
	if (chance(15)) { /* no reservation: the sc must fail and store nothing */
		const char *a = ordering();
		const char *b = X(dst());
		const char *c = X(src());
		emit("\tsc.%s%s %s, %s, (%s)", w, a, b, c, X(t));
		return;
	}
	int v;
	do
		v = dst();
	while (v == t);
	emit("\tlr.%s%s %s, (%s)", w, ordering(), X(v), X(t));
	if (v != 0 && chance(70))
		emit("\taddi %s, %s, %d", X(v), X(v), (int)range(-100, 100));
	int r;
	do
		r = dst();
	while (r == t);
	emit("\tsc.%s%s %s, %s, (%s)", w, ordering(), X(r), X(v), X(t));
}

static void gen_fp_arith(void)
{
	static const char *const bin[] = {"fadd", "fsub", "fmul", "fdiv"};
	static const char *const nr[] = {"fmin", "fmax", "fsgnj", "fsgnjn", "fsgnjx"};
	static const char *const fma[] = {"fmadd", "fmsub", "fnmadd", "fnmsub"};
	const char *p = chance(50) ? "s" : "d";
	switch (below(5)) {
	case 0:
	case 1: {
		const char *a = PICK(bin);
		const char *b = FR();
		const char *c = FR();
		const char *d = FR();
		const char *e = rm();
		emit("\t%s.%s %s, %s, %s, %s", a, p, b, c, d, e);
	} break;
	case 2: {
		const char *a = PICK(nr);
		const char *b = FR();
		const char *c = FR();
		const char *d = FR();
		emit("\t%s.%s %s, %s, %s", a, p, b, c, d);
	} break;
	case 3: {
		const char *a = PICK(fma);
		const char *b = FR();
		const char *c = FR();
		const char *d = FR();
		const char *e = FR();
		const char *f = rm();
		emit("\t%s.%s %s, %s, %s, %s, %s", a, p, b, c, d, e, f);
	} break;
	default: {
		const char *a = FR();
		const char *b = FR();
		const char *c = rm();
		emit("\tfsqrt.%s %s, %s, %s", p, a, b, c);
	}
	}
}

static void gen_fp_convert(void)
{
	static const char *const ints[] = {"w", "wu", "l", "lu"};
	const char *p = chance(50) ? "s" : "d";
	const char *i = PICK(ints);
	switch (below(7)) {
	case 0:
	case 1: {
		const char *a = X(dst());
		const char *b = FR();
		const char *c = rm();
		emit("\tfcvt.%s.%s %s, %s, %s", i, p, a, b, c);
	} break;
	case 2:
		/* int -> double from 32 bits is exact and takes no rounding mode */
		if (*p == 'd' && i[0] == 'w') {
			const char *a = FR();
			const char *b = X(src());
			emit("\tfcvt.d.%s %s, %s", i, a, b);
		} else {
			const char *a = FR();
			const char *b = X(src());
			const char *c = rm();
			emit("\tfcvt.%s.%s %s, %s, %s", p, i, a, b, c);
		}
		break;
	case 3: {
		const char *a = FR();
		const char *b = FR();
		const char *c = rm();
		emit("\tfcvt.s.d %s, %s, %s", a, b, c);
	} break;
	case 4: {
		const char *a = FR();
		const char *b = FR();
		emit("\tfcvt.d.s %s, %s", a, b);
	} break;
	case 5:
		if (chance(50)) {
			const char *a = X(dst());
			const char *b = FR();
			emit("\tfmv.x.%s %s, %s", *p == 's' ? "w" : "d", a, b);
		} else {
			const char *a = FR();
			const char *b = X(src());
			emit("\tfmv.%s.x %s, %s", *p == 's' ? "w" : "d", a, b);
		}
		break;
	default: {
		const char *a = X(dst());
		const char *b = FR();
		emit("\tfclass.%s %s, %s", p, a, b);
	}
	}
}

static void gen_fp_compare(void)
{
	static const char *const cmp[] = {"feq", "flt", "fle"};
	{
		const char *a = PICK(cmp);
		const char *b = chance(50) ? "s" : "d";
		const char *c = X(dst());
		const char *d = FR();
		const char *e = FR();
		emit("\t%s.%s %s, %s, %s", a, b, c, d, e);
	}
}

/* RVFUZZ_CLASS=fp: arithmetic most, and the loads, stores, compares and conversions around it. */
static void gen_fp(void)
{
	unsigned r = below(100);
	if (r < 50)
		gen_fp_arith();
	else if (r < 70)
		gen_fp_loadstore();
	else if (r < 85)
		gen_fp_compare();
	else
		gen_fp_convert();
}

/* An fcsr value: any accrued flags, a valid rounding mode. */
static unsigned fcsr_value(void)
{
	unsigned frm = below(5);
	return frm << 5 | below(32);
}

/* fcsr traffic.  frm only ever holds a valid mode (0-4): a dynamic-rounding
 * instruction with frm 5-7 is illegal, and that is not what this tests. */
static void gen_csr(void)
{
	static const char *const reads[] = {"fflags", "frm", "fcsr"};
	switch (below(7)) {
	case 0: {
		const char *a = X(dst());
		const char *b = PICK(reads);
		emit("\tcsrr %s, %s", a, b);
	} break;
	case 1: {
		const char *a = X(dst());
		int b = (int)below(5);
		emit("\tfsrmi %s, %d", a, b);
	} break;
	case 2: {
		const char *a = X(dst());
		const char *b = X(src());
		emit("\tcsrrw %s, fflags, %s", a, b);
	} break;
	case 3: {
		const char *a = chance(50) ? "csrrs" : "csrrc";
		const char *b = X(dst());
		const char *c = X(src());
		emit("\t%s %s, fflags, %s", a, b, c);
	} break;
	case 4: {
		const char *a = chance(50) ? "csrrsi" : "csrrci";
		const char *b = X(dst());
		int c = (int)below(32);
		emit("\t%s %s, fcsr, %d", a, b, c);
	} break;
	case 5: {
		const char *a = X(dst());
		int b = (int)below(32);
		emit("\tcsrrwi %s, fflags, %d", a, b);
	} break;
	default: {
		int t;
		do
			t = dst();
		while (t == 0);
		emit("\tli %s, %u", X(t), fcsr_value());
		emit("\tfscsr %s, %s", X(dst()), X(t));
	}
	}
}

static void gen_compressed(void)
{
	int rd;
	do
		rd = dst();
	while (rd == 0);
	switch (below(14)) {
	case 0: {
		int a = chance(50) ? (int)range(1, 31) : (int)range(-32, -1);
		emit("\tc.addi %s, %d", X(rd), a);
	} break;
	case 1:
		emit("\tc.addiw %s, %d", X(rd), (int)range(-32, 31));
		break;
	case 2:
		emit("\tc.li %s, %d", X(rd), (int)range(-32, 31));
		break;
	case 3: {
		unsigned a =
		    chance(50) ? (unsigned)range(1, 31) : (unsigned)range(0xfffe0, 0xfffff);
		emit("\tc.lui %s, 0x%x", X(rd), a);
	} break;
	case 4: {
		static const char *const ops[] = {"c.srli", "c.srai"};
		{
			const char *a = PICK(ops);
			const char *b = X(cdst());
			int c = (int)range(1, 63);
			emit("\t%s %s, %d", a, b, c);
		}
		break;
	}
	case 5: {
		const char *a = X(cdst());
		int b = (int)range(-32, 31);
		emit("\tc.andi %s, %d", a, b);
	} break;
	case 6:
		emit("\tc.slli %s, %d", X(rd), (int)range(1, 63));
		break;
	case 7: {
		int s;
		do
			s = src();
		while (s == 0);
		emit("\t%s %s, %s", chance(50) ? "c.mv" : "c.add", X(rd), X(s));
		break;
	}
	case 8: {
		static const char *const ops[] = {"c.sub", "c.xor",  "c.or",
						  "c.and", "c.subw", "c.addw"};
		{
			const char *a = PICK(ops);
			const char *b = X(cdst());
			const char *c = X(csrc());
			emit("\t%s %s, %s", a, b, c);
		}
		break;
	}
	case 9: { /* loads and stores off s1 */
		static const struct {
			const char *name;
			int size, store, fp;
		} ops[] = {
		    {"c.lw", 4, 0, 0}, {"c.ld", 8, 0, 0},  {"c.sw", 4, 1, 0},
		    {"c.sd", 8, 1, 0}, {"c.fld", 8, 0, 1}, {"c.fsd", 8, 1, 1},
		};
		int i = (int)below(sizeof ops / sizeof ops[0]);
		int off = (int)below(32) * ops[i].size; /* c.lw: 0..124, c.ld: 0..248 */
		if (ops[i].fp)
			emit("\t%s %s, %d(%s)", ops[i].name, F(8 + (int)below(8)), off, X(BASE_S1));
		else {
			const char *a = X(ops[i].store ? csrc() : cdst());
			emit("\t%s %s, %d(%s)", ops[i].name, a, off, X(BASE_S1));
		}
		break;
	}
	case 10: { /* loads and stores off sp */
		static const struct {
			const char *name;
			int size, store, fp;
		} ops[] = {
		    {"c.lwsp", 4, 0, 0}, {"c.ldsp", 8, 0, 0},  {"c.swsp", 4, 1, 0},
		    {"c.sdsp", 8, 1, 0}, {"c.fldsp", 8, 0, 1}, {"c.fsdsp", 8, 1, 1},
		};
		int i = (int)below(sizeof ops / sizeof ops[0]);
		int off = (int)below(64) * ops[i].size; /* c.lwsp: 0..252, c.ldsp: 0..504 */
		if (ops[i].fp)
			emit("\t%s %s, %d(sp)", ops[i].name, FR(), off);
		else
			emit("\t%s %s, %d(sp)", ops[i].name, X(ops[i].store ? src() : rd), off);
		break;
	}
	case 11: {
		const char *a = X(cdst());
		int b = (int)range(1, 255) * 4;
		emit("\tc.addi4spn %s, sp, %d", a, b);
	} break;
	case 12:
		emit("\tc.nop");
		break;
	default:
		emit("\tc.add %s, %s", X(rd), X(rd));
	}
}

static void gen_straight(void);

/* Forward control flow only, so a sequence always ends. */
static void gen_branch(unsigned seq, unsigned *label)
{
	static const char *const br[] = {"beq", "bne", "blt", "bge", "bltu", "bgeu"};
	unsigned l = (*label)++;
	switch (below(6)) {
	case 0:
	case 1: {
		int a = src(), c = src();
		if (chance(20))
			c = a; /* equal operands: the taken side of beq/bge */
		emit("\t%s %s, %s, .Lf%u_%u", PICK(br), X(a), X(c), seq, l);
		break;
	}
	case 2: {
		const char *a = chance(50) ? "c.beqz" : "c.bnez";
		const char *b = X(csrc());
		emit("\t%s %s, .Lf%u_%u", a, b, seq, l);
	} break;
	case 3:
		emit("\tjal %s, .Lf%u_%u", X(dst()), seq, l);
		break;
	case 4:
		emit("\tc.j .Lf%u_%u", seq, l);
		break;
	default: {
		int t;
		do
			t = dst();
		while (t == 0);
		emit("\tla %s, .Lf%u_%u", X(t), seq, l);
		emit("\tjalr %s, %d(%s)", X(dst()), 0, X(t));
	}
	}
	for (unsigned k = below(4); k > 0; k--)
		gen_straight();
	emit(".Lf%u_%u:", seq, l);
}

/* A short counted loop: backward branches, and blocks run more than once. */
static void gen_loop(unsigned seq, unsigned *label)
{
	int c;
	do
		c = dst();
	while (c == 0);
	unsigned l = (*label)++;
	emit("\tli %s, %d", X(c), (int)range(1, 5));
	emit(".Lb%u_%u:", seq, l);
	avoid = 1u << c;
	for (unsigned k = 1 + below(6); k > 0; k--)
		gen_straight();
	avoid = 0;
	if (chance(50)) {
		emit("\taddi %s, %s, -1", X(c), X(c));
		emit("\tbnez %s, .Lb%u_%u", X(c), seq, l);
	} else {
		emit("\taddiw %s, %s, -1", X(c), X(c));
		emit("\tblt zero, %s, .Lb%u_%u", X(c), seq, l);
	}
}

/*
 * A loop that walks a pointer over the scratch region, an access through
 * it each turn and an addi past it: the bounds check a loop translation
 * moves to the way in (docs/translator.md, "Facts at a loop's head").
 * p starts at the region's middle; at most 5 turns of at most 64 bytes
 * either way, and an offset below 64, keep every access inside it.
 */
static void gen_walk(unsigned seq, unsigned *label)
{
	static const struct {
		const char *name;
		int size;
	} ops[] = {{"lbu", 1}, {"lh", 2}, {"lw", 4}, {"ld", 8}, {"sb", 1}, {"sw", 4}, {"sd", 8}};
	int c = dst(), p;
	while (c == 0)
		c = dst();
	avoid = 1u << c;
	do
		p = dst();
	while (p == 0);
	unsigned l = (*label)++;
	int step = (int)range(1, 64) * (chance(50) ? 1 : -1);
	int i = (int)below(sizeof ops / sizeof ops[0]);
	int off = (int)range(0, 63 - ops[i].size) & ~(ops[i].size - 1);
	emit("	li %s, %d", X(c), (int)range(1, 5));
	emit("	addi %s, %s, 0", X(p), X(BASE_S1));
	emit(".Lw%u_%u:", seq, l);
	avoid |= 1u << p;
	for (unsigned k = below(4); k > 0; k--)
		gen_straight();
	emit("	%s %s, %d(%s)", ops[i].name, X(ops[i].name[0] == 's' ? src() : dst()), off, X(p));
	emit("	addi %s, %s, %d", X(p), X(p), step);
	for (unsigned k = below(3); k > 0; k--)
		gen_straight();
	avoid = 0;
	emit("	addi %s, %s, -1", X(c), X(c));
	emit("	bnez %s, .Lw%u_%u", X(c), seq, l);
}

static void gen_straight(void)
{
	unsigned r = below(100);
	if (!strcmp(only_class, "rotate") && chance(60))
		gen_rotate();
	else if (!strcmp(only_class, "fp") && chance(60))
		gen_fp();
	else if (r < 14)
		gen_alu();
	else if (r < 18)
		gen_rotate();
	else if (r < 22)
		gen_idiom();
	else if (r < 26)
		gen_li();
	else if (r < 36)
		gen_muldiv();
	else if (r < 46)
		gen_loadstore();
	else if (r < 51)
		gen_amo();
	else if (r < 55)
		gen_lrsc();
	else if (r < 69)
		gen_fp_arith();
	else if (r < 78)
		gen_fp_convert();
	else if (r < 82)
		gen_fp_compare();
	else if (r < 85)
		gen_fp_loadstore();
	else if (r < 89)
		gen_csr();
	else
		gen_compressed();
}

/* ---- one file ---- */

static uint64_t sequence_seed(uint64_t seed, unsigned index)
{
	return seed * 0x100000001b3ull ^ ((uint64_t)index * 0x9e3779b97f4a7c15ull + 1);
}

static void gen_initial_state(unsigned index)
{
	emit("\t.balign 8");
	emit("fz_init_%u:", index);
	for (unsigned i = 0; i < SCRATCH / 8; i++) {
		uint64_t v = chance(50) ? fp_reg_value() : int_value();
		emit("\t.dword 0x%016" PRIx64, v);
	}
	for (int r = 0; r < 32; r++)
		emit("\t.dword 0x%016" PRIx64, writable(r) ? int_value() : 0);
	for (int r = 0; r < 32; r++)
		emit("\t.dword 0x%016" PRIx64, fp_reg_value());
	emit("\t.dword 0x%x", fcsr_value());
}

static void gen_file(uint64_t seed, unsigned count, unsigned first)
{
	fprintf(out, "# rvfuzz seed %" PRIu64 " first %u count %u\n", seed, first, count);
	fprintf(out, "# generated by: %s%s%srvfuzz gen %" PRIu64 " %u %u\n",
		*only_class ? "RVFUZZ_CLASS=" : "", only_class, *only_class ? " " : "", seed, count,
		first);
	fputs("\t.option norelax\n"
	      "\t.text\n"
	      "\t.globl _start\n"
	      "_start:\n",
	      out);
	fprintf(out, "\tj fz_seq_%u\n\n", first);

	/* fz_load: t6 = initial state, t5 = where to go; loads everything but t5/t6. */
	fputs("fz_load:\n"
	      "\tla sp, fz_area\n"
	      "\taddi s1, sp, 512\n"
	      "\tmv t0, t6\n"
	      "\tmv t1, sp\n"
	      "\tli t2, 128\n"
	      "1:\tld t3, 0(t0)\n"
	      "\tsd t3, 0(t1)\n"
	      "\taddi t0, t0, 8\n"
	      "\taddi t1, t1, 8\n"
	      "\taddi t2, t2, -1\n"
	      "\tbnez t2, 1b\n",
	      out);
	for (int r = 0; r < 32; r++)
		fprintf(out, "\tfld %s, %d(t6)\n", fname[r], F_OFF + 8 * r);
	fprintf(out, "\tld t0, %d(t6)\n\tfscsr t0\n", FCSR_OFF);
	for (int r = 1; r < 30; r++)
		if (writable(r))
			fprintf(out, "\tld %s, %d(t6)\n", xname[r], X_OFF + 8 * r);
	fputs("\tjr t5\n\n", out);

	/* fz_dump: the sequence has saved t6; t6 = where to go next. */
	fputs("fz_dump:\n", out);
	for (int r = 0; r < 31; r++)
		fprintf(out, "\tsd %s, %d(sp)\n", xname[r], X_OFF + 8 * r);
	for (int r = 0; r < 32; r++)
		fprintf(out, "\tfsd %s, %d(sp)\n", fname[r], F_OFF + 8 * r);
	fprintf(out, "\tfrcsr t0\n\tsd t0, %d(sp)\n", FCSR_OFF);
	fprintf(out, "\tli a0, 1\n\tmv a1, sp\n\tli a2, %d\n\tli a7, 64\n\tecall\n\tjr t6\n\n",
		RECORD);
	fputs("fz_done:\n\tli a0, 0\n\tli a7, 93\n\tecall\n\n", out);

	for (unsigned i = first; i < first + count; i++) {
		rng = sequence_seed(seed, i);
		emit("# seq %u begin", i);
		emit("fz_seq_%u:", i);
		emit("\tla t6, fz_init_%u", i);
		emit("\tla t5, fz_body_%u", i);
		emit("\tj fz_load");
		emit("fz_body_%u:", i);
		emit("\tld t5, %d(t6)", X_OFF + 8 * 30);
		emit("\tld t6, %d(t6)", X_OFF + 8 * 31);
		/* The body proper: what a mismatch report prints. */
		unsigned n = 20 + below(40), label = 0;
		for (unsigned k = 0; k < n; k++) {
			if (chance(8))
				gen_branch(i, &label);
			else if (chance(3))
				gen_loop(i, &label);
			else if (chance(3))
				gen_walk(i, &label);
			else
				gen_straight();
		}
		emit("\tsd t6, %d(sp)", X_OFF + 8 * 31);
		if (i + 1 < first + count)
			emit("\tla t6, fz_seq_%u", i + 1);
		else
			emit("\tla t6, fz_done");
		emit("\tj fz_dump");
		emit("# seq %u end", i);
		flush_seq();
	}

	fputs("\n\t.data\n\t.balign 4096\nfz_area:\n", out);
	fprintf(out, "\t.skip %d\n", RECORD);
	for (unsigned i = first; i < first + count; i++) {
		rng = sequence_seed(seed, i) ^ 0x5555555555555555ull;
		gen_initial_state(i);
		flush_seq();
	}
}

/* ---- diff ---- */

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(2);
	}
	size_t cap = 1 << 16, n = 0;
	unsigned char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	if (!buf) {
		perror("rvfuzz");
		exit(2);
	}
	*len = n;
	return buf;
}

static uint64_t word(const unsigned char *rec, int off)
{
	uint64_t v;
	memcpy(&v, rec + off, 8);
	return v;
}

/* The "# seq N begin" .. "# seq N end" lines of the assembly, minus the harness lines. */
static void print_sequence(const char *text, unsigned index)
{
	char begin[64], end[64];
	snprintf(begin, sizeof begin, "# seq %u begin\n", index);
	snprintf(end, sizeof end, "# seq %u end\n", index);
	const char *b = strstr(text, begin), *e = b ? strstr(b, end) : NULL;
	if (!b || !e)
		return;
	char body[32];
	snprintf(body, sizeof body, "fz_body_%u:\n", index);
	const char *s = strstr(b, body);
	if (s && s < e)
		b = s + strlen(body);
	printf("  instructions of sequence %u (after loading its state):\n", index);
	for (const char *p = b; p < e;) {
		const char *nl = strchr(p, '\n');
		printf("    %.*s\n", (int)(nl - p), p);
		p = nl + 1;
	}
}

static int diff_records(const unsigned char *a, const unsigned char *b)
{
	int diffs = 0;
	for (int r = 0; r < 32; r++) {
		uint64_t x = word(a, X_OFF + 8 * r), y = word(b, X_OFF + 8 * r);
		if (x != y) {
			printf("  x%-2d %-4s expected 0x%016" PRIx64 " got 0x%016" PRIx64 "\n", r,
			       xname[r], x, y);
			diffs++;
		}
	}
	for (int r = 0; r < 32; r++) {
		uint64_t x = word(a, F_OFF + 8 * r), y = word(b, F_OFF + 8 * r);
		if (x != y) {
			printf("  f%-2d %-4s expected 0x%016" PRIx64 " got 0x%016" PRIx64 "\n", r,
			       fname[r], x, y);
			diffs++;
		}
	}
	uint64_t x = word(a, FCSR_OFF), y = word(b, FCSR_OFF);
	if (x != y) {
		printf("  fcsr     expected 0x%02" PRIx64 " got 0x%02" PRIx64
		       " (frm<<5 | NV DZ OF UF NX)\n",
		       x, y);
		diffs++;
	}
	for (int off = 0; off < SCRATCH; off += 8) {
		uint64_t m = word(a, off), n = word(b, off);
		if (m != n) {
			printf("  memory sp+%-4d expected 0x%016" PRIx64 " got 0x%016" PRIx64 "\n",
			       off, m, n);
			diffs++;
		}
	}
	return diffs;
}

static int diff_main(const char *asm_path, const char *expected, const char *got)
{
	size_t alen, blen, tlen;
	unsigned char *a = slurp(expected, &alen), *b = slurp(got, &blen);
	char *text = (char *)slurp(asm_path, &tlen);
	text = realloc(text, tlen + 1);
	text[tlen] = 0;
	uint64_t seed;
	unsigned first, count;
	if (sscanf(text, "# rvfuzz seed %" SCNu64 " first %u count %u", &seed, &first, &count) !=
	    3) {
		fprintf(stderr, "rvfuzz: %s has no rvfuzz header\n", asm_path);
		return 2;
	}
	if (alen != (size_t)count * RECORD) {
		printf("reference run gave %zu bytes, expected %u records of %d\n", alen, count,
		       RECORD);
		return 2;
	}
	unsigned bad = 0;
	for (unsigned i = 0; i < count; i++) {
		size_t off = (size_t)i * RECORD;
		if (off + RECORD > blen) {
			printf("seed %" PRIu64
			       " sequence %u: rvkvm output ends here (%zu of %u records)\n",
			       seed, first + i, blen / RECORD, count);
			print_sequence(text, first + i);
			return 1;
		}
		if (memcmp(a + off, b + off, RECORD) == 0)
			continue;
		if (bad < 3) {
			printf("seed %" PRIu64
			       " sequence %u differs (reproduce: rvfuzz gen %" PRIu64 " 1 %u)\n",
			       seed, first + i, seed, first + i);
			diff_records(a + off, b + off);
			print_sequence(text, first + i);
		}
		bad++;
	}
	if (blen > alen)
		printf("rvkvm wrote %zu bytes more than the reference\n", blen - alen);
	if (bad)
		printf("%u of %u sequences differ\n", bad, count);
	return bad || blen != alen;
}

int main(int argc, char **argv)
{
	out = stdout;
	const char *class = getenv("RVFUZZ_CLASS");
	if (class && (!strcmp(class, "rotate") || !strcmp(class, "fp")))
		only_class = class;
	if (argc >= 4 && !strcmp(argv[1], "gen")) {
		uint64_t seed = strtoull(argv[2], NULL, 0);
		unsigned count = (unsigned)strtoul(argv[3], NULL, 0);
		unsigned first = argc > 4 ? (unsigned)strtoul(argv[4], NULL, 0) : 0;
		if (count == 0) {
			fprintf(stderr, "rvfuzz: count must be at least 1\n");
			return 2;
		}
		gen_file(seed, count, first);
		return ferror(out) ? 2 : 0;
	}
	if (argc == 5 && !strcmp(argv[1], "diff"))
		return diff_main(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: rvfuzz gen SEED COUNT [FIRST]\n"
			"       rvfuzz diff FILE.S EXPECTED GOT\n");
	return 2;
}
