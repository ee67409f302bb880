/*
 * host.c - runs every test vector through fpu_exec and prints the lines
 * ref.c prints under qemu-riscv64; `--bench` times fpu_exec instead.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fpu.h"
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
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ns per fpu_exec for a few representative instructions, best of 5 runs. */
static void bench(void)
{
	static const struct { const char *name; uint32_t insn; } cases[] = {
		{"fadd.d dyn", 0x02c5f553}, {"fmul.s dyn", 0x10c5f553},
		{"fdiv.d dyn", 0x1ac5f553}, {"fmadd.d dyn", 0x6ac5f543},
		{"fadd.d rmm", 0x02c5c553}, {"fmadd.d rmm", 0x6ac5c543},
		{"fcvt.w.d rtz", 0xc2059553}, {"fcvt.d.l dyn", 0xd225f553},
		{"feq.d", 0xa2c5a553},      {"fmin.d", 0x2ac58553},
		{"fsgnj.d", 0x22c58553},
	};
	struct dbt_cpu cpu;
	const long iters = 2000000;
	unsigned c;

	memset(&cpu, 0, sizeof(cpu));
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		double best = 1e9;
		int rep;

		for (rep = 0; rep < 5; rep++) {
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

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--bench")) {
		bench();
		return 0;
	}
	vectors_generate(run);
	return 0;
}
