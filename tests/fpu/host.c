/*
 * host.c - runs every test vector through fpu_exec and prints the lines
 * ref.c prints under qemu-riscv64.  `--soft` checks the integer engine
 * behind RMM (fpu_soft.c) against the hardware path in the four modes x86
 * has, over many more random operands than the reference run can afford;
 * `--bench` times fpu_exec.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fpu.h"
#include "fpu_soft.h"
#include "vectors.h"

static void run(const struct fpu_vector *v)
{
	struct dbt_cpu cpu;
	char line[256];
	int illegal;

	memset(&cpu, 0, sizeof(cpu));
	cpu.f[11] = v->f11;
	cpu.f[12] = v->f12;
	cpu.f[13] = v->f13;
	cpu.x[11] = v->x11;
	cpu.f[10] = VEC_F10_INIT;
	cpu.x[10] = VEC_X10_INIT;
	cpu.frm = v->frm;
	illegal = fpu_exec(&cpu, v->insn) != 0;
	vectors_format(line, sizeof(line), v, illegal, cpu.f[10], cpu.x[10], cpu.fflags);
	fputs(line, stdout);
	/* Lines the reference never prints, so the comparison fails on them. */
	if (cpu.x[0])
		printf("%s %08x: x0 written\n", v->name, v->insn);
	if (illegal && (cpu.f[10] != VEC_F10_INIT || cpu.x[10] != VEC_X10_INIT || cpu.fflags))
		printf("%s %08x: state changed by an illegal instruction\n", v->name, v->insn);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ns per fpu_exec for a few representative instructions, best of 15 runs. */
static void bench(void)
{
	static const struct {
		const char *name;
		uint32_t insn;
	} cases[] = {
	    {"fadd.d dyn", 0x02c5f553},	  {"fmul.s dyn", 0x10c5f553},	{"fdiv.d dyn", 0x1ac5f553},
	    {"fmadd.d dyn", 0x6ac5f543},  {"fadd.d rmm", 0x02c5c553},	{"fmadd.d rmm", 0x6ac5c543},
	    {"fcvt.w.d rtz", 0xc2059553}, {"fcvt.d.l dyn", 0xd225f553}, {"feq.d", 0xa2c5a553},
	    {"fmin.d", 0x2ac58553},	  {"fsgnj.d", 0x22c58553},
	};
	struct dbt_cpu cpu;
	const long iters = 500000;
	unsigned c;

	memset(&cpu, 0, sizeof(cpu));
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		double best = 1e9;
		int rep;

		for (rep = 0; rep < 15; rep++) {
			double t0;
			long i;

			cpu.f[11] = 0x3ff8000000000000ull;
			cpu.f[12] = 0x4004000000000000ull;
			cpu.f[13] = 0x3fe0000000000000ull;
			cpu.x[11] = 12345;
			t0 = now();
			for (i = 0; i < iters; i++) {
				fpu_exec(&cpu, cases[c].insn);
				__asm__ volatile("" ::: "memory");
			}
			t0 = (now() - t0) / iters;
			if (t0 < best)
				best = t0;
		}
		printf("%-14s %6.1f ns/call\n", cases[c].name, best * 1e9);
	}
}

#define SOFT_RUNS 500000

/* fpu_exec (hardware in RNE/RTZ/RDN/RUP) against fpu_soft_* on the same operands. */
static void soft_check(void)
{
	static const struct {
		const char *name;
		uint32_t f5, opcode;
	} ops[] = {
	    {"fadd", 0x00, 0x53}, {"fsub", 0x01, 0x53}, {"fmul", 0x02, 0x53},
	    {"fdiv", 0x03, 0x53}, {"fmadd", 0, 0x43},	{"fnmadd", 0, 0x4f},
	};
	unsigned o, dbl;

	for (o = 0; o < sizeof(ops) / sizeof(ops[0]); o++)
		for (dbl = 0; dbl < 2; dbl++) {
			const struct fpu_format *f = dbl ? &fpu_double : &fpu_single;
			uint64_t sign = fpu_sign_bit(f), one = (uint64_t)f->bias << (f->prec - 1);
			uint64_t low = dbl ? ~0ull : 0xffffffffull;
			long i, bad = 0;
			char first[256] = "";

			for (i = 0; i < SOFT_RUNS; i++) {
				uint64_t a = vectors_random(dbl), b = vectors_random(dbl);
				uint64_t c = vectors_random(dbl), want, got;
				uint32_t rm = (uint32_t)i & 3, wflags = 0, gflags;
				struct dbt_cpu cpu;
				uint32_t insn =
				    12u << 20 | 11u << 15 | rm << 12 | 10u << 7 | dbl << 25;

				insn |= ops[o].opcode == 0x53 ? ops[o].f5 << 27 | 0x53
							      : 13u << 27 | ops[o].opcode;
				memset(&cpu, 0, sizeof(cpu));
				cpu.f[11] = a;
				cpu.f[12] = b;
				cpu.f[13] = c;
				fpu_exec(&cpu, insn);
				want = cpu.f[10] & low;
				wflags = cpu.fflags;
				a &= low;
				b &= low;
				c &= low;
				gflags = 0;
				switch (o) {
				case 0:
					got = fpu_soft_muladd(f, a, one, b, 1, rm, &gflags);
					break;
				case 1:
					got = fpu_soft_muladd(f, a, one, b ^ sign, 1, rm, &gflags);
					break;
				case 2:
					got = fpu_soft_muladd(f, a, b, 0, 0, rm, &gflags);
					break;
				case 3:
					got = fpu_soft_div(f, a, b, rm, &gflags);
					break;
				case 4:
					got = fpu_soft_muladd(f, a, b, c, 1, rm, &gflags);
					break;
				default:
					got = fpu_soft_muladd(f, a ^ sign, b, c ^ sign, 1, rm,
							      &gflags);
					break;
				}
				if (got != want || gflags != wflags) {
					if (!bad++)
						snprintf(first, sizeof(first),
							 "rm=%u a=%llx b=%llx c=%llx: hardware "
							 "%llx/%02x, soft %llx/%02x",
							 rm, (unsigned long long)a,
							 (unsigned long long)b,
							 (unsigned long long)c,
							 (unsigned long long)want, wflags,
							 (unsigned long long)got, gflags);
				}
			}
			if (bad)
				printf("FAIL fpu.soft.%s.%c: %ld of %d differ, first: %s\n",
				       ops[o].name, dbl ? 'd' : 's', bad, SOFT_RUNS, first);
			else
				printf("PASS fpu.soft.%s.%c (%d random operand sets, "
				       "RNE/RTZ/RDN/RUP)\n",
				       ops[o].name, dbl ? 'd' : 's', SOFT_RUNS);
		}
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--soft")) {
		soft_check();
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "--bench")) {
		bench();
		return 0;
	}
	vectors_generate(run);
	return 0;
}
