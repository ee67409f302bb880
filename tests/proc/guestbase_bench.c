/*
 * guestbase_bench.c - how should translated code on the proc platform add
 * the guest base to a guest address: a base register (mov rax, [r14+rdx])
 * or a segment base (mov rax, gs:[rdx], base set with arch_prctl)?
 *
 * Each loop does what a translated load or store does: form a guest
 * address, bounds-check it against the limit in r13, access memory through
 * the base.  A loop without base or check is the native floor.  Prints
 * ns per access, median of several runs; results in docs/performance.md.
 */
#include <asm/prctl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define ITERS 200000000ull
#define RUNS 9
/* 32 KiB: the data stays in L1, so addressing is what is measured. */
#define AREA 32768ull
#define MASK (AREA - 8)

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Four dependent-free loads per iteration, as in a block of guest loads. */
static uint64_t load_native(uint8_t *area)
{
	uint64_t sum = 0, i = ITERS / 4;
	__asm__ volatile("1:\n\t"
			 "lea (%%rcx,%%rcx,2), %%rdx\n\t"
			 "shl $3, %%rdx\n\t"
			 "and %[mask], %%rdx\n\t"
			 "add (%[base],%%rdx), %[sum]\n\t"
			 "add 8(%[base],%%rdx), %[sum]\n\t"
			 "add 16(%[base],%%rdx), %[sum]\n\t"
			 "add 24(%[base],%%rdx), %[sum]\n\t"
			 "dec %%rcx\n\t"
			 "jnz 1b"
			 : [sum] "+r"(sum), "+c"(i)
			 : [base] "r"(area), [mask] "r"(MASK - 24)
			 : "rdx", "memory", "cc");
	return sum;
}

static uint64_t load_r14(uint8_t *area)
{
	uint64_t sum = 0, i = ITERS / 4;
	__asm__ volatile("mov %[base], %%r14\n\t"
			 "mov %[limit], %%r13\n\t"
			 "1:\n\t"
			 "lea (%%rcx,%%rcx,2), %%rdx\n\t"
			 "shl $3, %%rdx\n\t"
			 "and %[mask], %%rdx\n\t"
			 "cmp %%r13, %%rdx\n\t"
			 "jae 2f\n\t"
			 "add (%%r14,%%rdx), %[sum]\n\t"
			 "lea 8(%%rdx), %%rax\n\t"
			 "cmp %%r13, %%rax\n\t"
			 "jae 2f\n\t"
			 "add (%%r14,%%rax), %[sum]\n\t"
			 "lea 16(%%rdx), %%rax\n\t"
			 "cmp %%r13, %%rax\n\t"
			 "jae 2f\n\t"
			 "add (%%r14,%%rax), %[sum]\n\t"
			 "lea 24(%%rdx), %%rax\n\t"
			 "cmp %%r13, %%rax\n\t"
			 "jae 2f\n\t"
			 "add (%%r14,%%rax), %[sum]\n\t"
			 "dec %%rcx\n\t"
			 "jnz 1b\n\t"
			 "2:"
			 : [sum] "+r"(sum), "+c"(i)
			 : [base] "r"(area), [mask] "r"(MASK - 24), [limit] "r"(AREA)
			 : "rax", "rdx", "r13", "r14", "memory", "cc");
	return sum;
}

static uint64_t load_gs(uint8_t *area)
{
	uint64_t sum = 0, i = ITERS / 4;
	__asm__ volatile("mov %[limit], %%r13\n\t"
			 "1:\n\t"
			 "lea (%%rcx,%%rcx,2), %%rdx\n\t"
			 "shl $3, %%rdx\n\t"
			 "and %[mask], %%rdx\n\t"
			 "cmp %%r13, %%rdx\n\t"
			 "jae 2f\n\t"
			 "add %%gs:(%%rdx), %[sum]\n\t"
			 "lea 8(%%rdx), %%rax\n\t"
			 "cmp %%r13, %%rax\n\t"
			 "jae 2f\n\t"
			 "add %%gs:(%%rax), %[sum]\n\t"
			 "lea 16(%%rdx), %%rax\n\t"
			 "cmp %%r13, %%rax\n\t"
			 "jae 2f\n\t"
			 "add %%gs:(%%rax), %[sum]\n\t"
			 "lea 24(%%rdx), %%rax\n\t"
			 "cmp %%r13, %%rax\n\t"
			 "jae 2f\n\t"
			 "add %%gs:(%%rax), %[sum]\n\t"
			 "dec %%rcx\n\t"
			 "jnz 1b\n\t"
			 "2:"
			 : [sum] "+r"(sum), "+c"(i)
			 : [mask] "r"(MASK - 24), [limit] "r"(AREA)
			 : "rax", "rdx", "r13", "memory", "cc");
	(void)area;
	return sum;
}

static uint64_t store_r14(uint8_t *area)
{
	uint64_t i = ITERS / 4;
	__asm__ volatile("mov %[base], %%r14\n\t"
			 "mov %[limit], %%r13\n\t"
			 "1:\n\t"
			 "lea (%%rcx,%%rcx,2), %%rdx\n\t"
			 "shl $3, %%rdx\n\t"
			 "and %[mask], %%rdx\n\t"
			 "cmp %%r13, %%rdx\n\t"
			 "jae 2f\n\t"
			 "mov %%rcx, (%%r14,%%rdx)\n\t"
			 "mov %%rcx, 8(%%r14,%%rdx)\n\t"
			 "mov %%rcx, 16(%%r14,%%rdx)\n\t"
			 "mov %%rcx, 24(%%r14,%%rdx)\n\t"
			 "dec %%rcx\n\t"
			 "jnz 1b\n\t"
			 "2:"
			 : "+c"(i)
			 : [base] "r"(area), [mask] "r"(MASK - 24), [limit] "r"(AREA)
			 : "rdx", "r13", "r14", "memory", "cc");
	return i;
}

static uint64_t store_gs(uint8_t *area)
{
	uint64_t i = ITERS / 4;
	__asm__ volatile("mov %[limit], %%r13\n\t"
			 "1:\n\t"
			 "lea (%%rcx,%%rcx,2), %%rdx\n\t"
			 "shl $3, %%rdx\n\t"
			 "and %[mask], %%rdx\n\t"
			 "cmp %%r13, %%rdx\n\t"
			 "jae 2f\n\t"
			 "mov %%rcx, %%gs:(%%rdx)\n\t"
			 "mov %%rcx, %%gs:8(%%rdx)\n\t"
			 "mov %%rcx, %%gs:16(%%rdx)\n\t"
			 "mov %%rcx, %%gs:24(%%rdx)\n\t"
			 "dec %%rcx\n\t"
			 "jnz 1b\n\t"
			 "2:"
			 : "+c"(i)
			 : [mask] "r"(MASK - 24), [limit] "r"(AREA)
			 : "rdx", "r13", "memory", "cc");
	(void)area;
	return i;
}

/*
 * Pointer chasing: each guest address is loaded from the previous access,
 * so address generation is on the critical path (load-to-use latency).
 */
static uint64_t chase_native(uint8_t *area)
{
	uint64_t p = 0, i = ITERS;
	__asm__ volatile("1:\n\t"
			 "mov (%[base],%[p]), %[p]\n\t"
			 "dec %%rcx\n\t"
			 "jnz 1b"
			 : [p] "+r"(p), "+c"(i)
			 : [base] "r"(area)
			 : "memory", "cc");
	return p;
}

static uint64_t chase_r14(uint8_t *area)
{
	uint64_t p = 0, i = ITERS;
	__asm__ volatile("mov %[base], %%r14\n\t"
			 "mov %[limit], %%r13\n\t"
			 "1:\n\t"
			 "cmp %%r13, %[p]\n\t"
			 "jae 2f\n\t"
			 "mov (%%r14,%[p]), %[p]\n\t"
			 "dec %%rcx\n\t"
			 "jnz 1b\n\t"
			 "2:"
			 : [p] "+r"(p), "+c"(i)
			 : [base] "r"(area), [limit] "r"(AREA)
			 : "r13", "r14", "memory", "cc");
	return p;
}

static uint64_t chase_gs(uint8_t *area)
{
	uint64_t p = 0, i = ITERS;
	__asm__ volatile("mov %[limit], %%r13\n\t"
			 "1:\n\t"
			 "cmp %%r13, %[p]\n\t"
			 "jae 2f\n\t"
			 "mov %%gs:(%[p]), %[p]\n\t"
			 "dec %%rcx\n\t"
			 "jnz 1b\n\t"
			 "2:"
			 : [p] "+r"(p), "+c"(i)
			 : [limit] "r"(AREA)
			 : "r13", "memory", "cc");
	(void)area;
	return p;
}

/* A single cycle through every 8-byte slot, in a scattered order. */
static void make_chain(uint8_t *area)
{
	uint64_t *slot = (uint64_t *)area, n = AREA / 8, at = 0;

	for (uint64_t k = 1; k <= n; k++) {
		uint64_t next = (k * 2654435761ull) % n;
		slot[at] = next * 8;
		at = next;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void measure(const char *name, uint64_t (*fn)(uint8_t *), uint8_t *area)
{
	uint64_t t[RUNS];
	volatile uint64_t sink;

	for (int r = 0; r < RUNS; r++) {
		uint64_t t0 = now_ns();
		sink = fn(area);
		t[r] = now_ns() - t0;
	}
	(void)sink;
	qsort(t, RUNS, sizeof(t[0]), cmp_u64);
	printf("%-28s %.3f ns/access (median of %d, %llu accesses each)\n", name,
	       (double)t[RUNS / 2] / ITERS, RUNS, ITERS);
}

int main(void)
{
	uint8_t *area = aligned_alloc(4096, AREA);

	for (uint64_t i = 0; i < AREA; i++)
		area[i] = (uint8_t)i;
	if (syscall(SYS_arch_prctl, ARCH_SET_GS, (unsigned long)area) < 0) {
		perror("arch_prctl(ARCH_SET_GS)");
		return 1;
	}
	measure("load, no base, no check", load_native, area);
	measure("load, r14 base + check", load_r14, area);
	measure("load, gs base + check", load_gs, area);
	measure("store, r14 base + check", store_r14, area);
	measure("store, gs base + check", store_gs, area);
	make_chain(area);
	measure("chase, no base, no check", chase_native, area);
	measure("chase, r14 base + check", chase_r14, area);
	measure("chase, gs base + check", chase_gs, area);
	return 0;
}
