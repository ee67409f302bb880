/*
 * monitor_copies - what a copy costs the monitor's freestanding memcpy
 * (monitor/lib/string.c, built under mon_* names with the monitor's
 * -mgeneral-regs-only) against this host's C library, in ns a call.  On
 * kvm and multiboot the guest's memcpy runs as that code
 * (monitor/linux/routines.c).  A measurement, not a test: it prints.
 *
 * usage: monitor-copies [rounds]   default 5000 rounds of 4096 copies
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void *mon_memcpy(void *dst, const void *src, size_t n);

#define CALLS 4096

static char dst[1 << 16], src[1 << 16];
static unsigned lens[CALLS];

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* ns a call of copy over the lengths in lens, at shifting alignments. */
static double time_copies(void *(*copy)(void *, const void *, size_t), long rounds)
{
	double start = now();

	for (long r = 0; r < rounds; r++)
		for (int i = 0; i < CALLS; i++) {
			copy(dst + (i & 63), src + (i & 127), lens[i]);
			__asm__ volatile("" ::: "memory");
		}
	return (now() - start) * 1e9 / ((double)rounds * CALLS);
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 5000;
	static const unsigned ranges[][2] = {{1, 40}, {512, 2047}};
	uint32_t x = 1;

	for (size_t k = 0; k < sizeof(ranges) / sizeof(ranges[0]); k++) {
		for (int i = 0; i < CALLS; i++) {
			x = x * 1103515245u + 12345u;
			lens[i] = ranges[k][0] + (x >> 16) % (ranges[k][1] - ranges[k][0] + 1);
		}
		double mon = time_copies(mon_memcpy, rounds);
		double libc = time_copies(memcpy, rounds);
		printf("%u-%u bytes: monitor %.2f ns a call, C library %.2f ns\n", ranges[k][0],
		       ranges[k][1], mon, libc);
	}
	return 0;
}
