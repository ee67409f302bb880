/*
 * string_test.c - the freestanding monitor's memory and string primitives
 * (monitor/lib/string.c), built here under mon_* names, against byte-at-a-
 * time references: every length to 300 at every source and destination
 * alignment to 15, overlapping moves at every distance to 80 either way,
 * and nothing written outside the destination.  On kvm and multiboot they
 * are what the guest's memcpy, memset and strlen become
 * (monitor/linux/routines.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void *mon_memcpy(void *dst, const void *src, size_t n);
void *mon_memmove(void *dst, const void *src, size_t n);
void *mon_memset(void *dst, int c, size_t n);
int mon_memcmp(const void *a, const void *b, size_t n);
void *mon_memchr(const void *s, int c, size_t n);
size_t mon_strnlen(const char *s, size_t max);

#define MAX_LEN 300
#define MAX_ALIGN 16
#define MAX_SHIFT 80
#define AREA (MAX_LEN + 2 * MAX_SHIFT + 2 * MAX_ALIGN + 64)
#define GUARD 0xa5

static unsigned char area[AREA], expect[AREA], source[AREA];
static int failures;

static void fail(const char *what, size_t n, int x, int y)
{
	if (failures++ < 10)
		printf("FAIL string.%s: length %zu, %d/%d\n", what, n, x, y);
}

/* PASS with what was covered where the test added no failure. */
static void report(const char *what, int failures_before, const char *covered)
{
	if (failures == failures_before)
		printf("PASS string.%s: %s\n", what, covered);
}

static void fill_pattern(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed * 131 + i * 7 + (i >> 3));
}

static void test_copies(void)
{
	int before = failures;
	fill_pattern(source, AREA, 1);
	for (size_t n = 0; n <= MAX_LEN; n++)
		for (int da = 0; da < MAX_ALIGN; da++)
			for (int sa = 0; sa < MAX_ALIGN; sa++) {
				memset(area, GUARD, AREA);
				memcpy(expect, area, AREA);
				memcpy(expect + 64 + da, source + sa, n);
				if (mon_memcpy(area + 64 + da, source + sa, n) != area + 64 + da ||
				    memcmp(area, expect, AREA))
					fail("memcpy", n, da, sa);
			}
	report("memcpy", before, "lengths 0..300, alignments 0..15 both sides");
}

static void test_moves(void)
{
	int before = failures;
	for (size_t n = 0; n <= MAX_LEN; n++)
		for (int shift = -MAX_SHIFT; shift <= MAX_SHIFT; shift++)
			for (int a = 0; a < 8; a++) {
				unsigned char *from = area + MAX_SHIFT + MAX_ALIGN + a;
				fill_pattern(area, AREA, (unsigned)n);
				memcpy(expect, area, AREA);
				memmove(expect + (from - area) + shift, expect + (from - area), n);
				if (mon_memmove(from + shift, from, n) != from + shift ||
				    memcmp(area, expect, AREA))
					fail("memmove", n, shift, a);
			}
	report("memmove", before, "lengths 0..300, overlaps -80..80");
}

static void test_fills(void)
{
	static const int values[] = {0, 0x5a, 0xff, 0x80, 0x1ff};
	int before = failures;
	for (size_t n = 0; n <= MAX_LEN; n++)
		for (int da = 0; da < MAX_ALIGN; da++)
			for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
				memset(area, GUARD, AREA);
				memcpy(expect, area, AREA);
				memset(expect + 64 + da, values[v], n);
				if (mon_memset(area + 64 + da, values[v], n) != area + 64 + da ||
				    memcmp(area, expect, AREA))
					fail("memset", n, da, values[v]);
			}
	report("memset", before, "lengths 0..300, alignments 0..15");
}

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void test_searches(void)
{
	int before = failures;
	for (size_t n = 0; n <= MAX_LEN; n++)
		for (int a = 0; a < MAX_ALIGN; a++) {
			unsigned char *p = area + 64 + a;
			fill_pattern(area, AREA, 3);
			for (size_t i = 0; i < n; i++)
				p[i] = p[i] ? p[i] : 1;
			p[n] = 0;
			if (mon_strnlen((char *)p, MAX_LEN + 1) != n ||
			    mon_strnlen((char *)p, n / 2) != n / 2)
				fail("strnlen", n, a, 0);
			if (mon_memchr(p, p[n / 2], n) != memchr(p, p[n / 2], n) ||
			    mon_memchr(p, 0, n) != NULL)
				fail("memchr", n, a, 0);
			memcpy(expect, p, n);
			if (n && (expect[n - 1] ^= 0x81, 1) &&
			    sign(mon_memcmp(p, expect, n)) != sign(memcmp(p, expect, n)))
				fail("memcmp", n, a, 0);
		}
	report("searches", before, "strnlen, memchr, memcmp at lengths 0..300");
}

int main(void)
{
	test_copies();
	test_moves();
	test_fills();
	test_searches();
	if (failures)
		printf("FAIL string.all: %d cases differ from the C library\n", failures);
	return failures != 0;
}
