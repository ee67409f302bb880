/*
 * hugepages - madvise(2)'s huge-page advice on anonymous memory.
 *
 * Without arguments it prints what Linux answers, and qemu-riscv64 too,
 * which takes the advice and ignores it: 0 for MADV_HUGEPAGE and
 * MADV_NOHUGEPAGE over a mapping, EINVAL for an unaligned start, and the
 * memory's contents kept across both.
 *
 * "hugepages report" also prints how much more of the process the host
 * backs with huge pages (AnonHugePages in /proc/self/smaps_rollup) after
 * touching memory with each advice.  On rvkvm's proc platform guest memory
 * is the process's own, so the guest's advice must show there as it would
 * for a native program (tests/guest/run-guest.sh checks the figures).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

#define HUGE (2ul << 20)
#define PAGE 4096ul

/* AnonHugePages of the whole process, in KiB; -1 where the file says nothing. */
static long anon_huge_kib(void)
{
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	char line[256];
	long kib = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "AnonHugePages: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* len bytes at a 2 MiB boundary, so whole huge pages fit. */
static uint8_t *map_aligned(size_t len)
{
	uint8_t *p =
	    mmap(NULL, len + HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	return (uint8_t *)(((uintptr_t)p + HUGE - 1) & ~(HUGE - 1));
}

static void touch(uint8_t *p, size_t len, uint8_t value)
{
	for (size_t i = 0; i < len; i += PAGE)
		p[i] = value;
}

/* Huge-page memory gained by touching len bytes at p after `advice`. */
static void report(const char *what, size_t len, int advice, int after_touch)
{
	uint8_t *p = map_aligned(len);
	long before = anon_huge_kib();
	int r = 0;

	if (!p) {
		printf("%s: mmap failed\n", what);
		return;
	}
	if (!after_touch)
		r = madvise(p, len, advice);
	touch(p, len, 1);
	if (after_touch)
		r = madvise(p, len, advice);
	printf("%s: madvise %d (%s), AnonHugePages +%ld kB\n", what, r, r ? strerror(errno) : "ok",
	       anon_huge_kib() - before);
}

int main(int argc, char **argv)
{
	size_t len = 4 * HUGE;
	uint8_t *p = map_aligned(len);

	if (!p)
		return 1;
	memset(p, 0x5a, len);
	printf("MADV_HUGEPAGE: %d\n", madvise(p, len, MADV_HUGEPAGE));
	printf("MADV_NOHUGEPAGE: %d\n", madvise(p + HUGE, HUGE, MADV_NOHUGEPAGE));
	errno = 0;
	printf("unaligned MADV_HUGEPAGE: %d errno=%s\n", madvise(p + 1, HUGE, MADV_HUGEPAGE),
	       errno == EINVAL ? "EINVAL" : strerror(errno));
	int kept = 1;
	for (size_t i = 0; i < len; i++)
		kept &= p[i] == 0x5a;
	touch(p, len, 0x5a);
	printf("contents kept: %d\n", kept);

	if (argc > 1 && !strcmp(argv[1], "report")) {
		report("advised", 8 * HUGE, MADV_HUGEPAGE, 0);
		report("forbidden", 8 * HUGE, MADV_NOHUGEPAGE, 0);
		report("collapsed", 2 * HUGE, MADV_COLLAPSE, 1);
	}
	return 0;
}
