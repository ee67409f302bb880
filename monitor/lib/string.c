/*
 * string.c - memory and string primitives for the freestanding monitor.
 * GCC emits calls to memcpy/memset/memmove/memcmp for struct copies and
 * loops it recognises, so these must exist under their standard names.
 *
 * The bulk of each copy moves 8 bytes per `rep` iteration: on an emulated-KVM
 * host every iteration of a string instruction is emulated on its own, so
 * byte-wide `rep movsb` costs eight times as much there.
 */
#include "rt.h"

void *memcpy(void *dst, const void *src, size_t n)
{
	void *ret = dst;
	size_t words = n / 8, tail = n % 8;

	__asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(words) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(tail) : : "memory");
	return ret;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *ret = dst;
	uint64_t pattern = 0x0101010101010101ull * (unsigned char)c;
	size_t words = n / 8, tail = n % 8;

	__asm__ volatile("rep stosq" : "+D"(dst), "+c"(words) : "a"(pattern) : "memory");
	__asm__ volatile("rep stosb" : "+D"(dst), "+c"(tail) : "a"(pattern) : "memory");
	return ret;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

/*
 * A word holds a byte equal to c's where (w ^ c-repeated) has a zero byte:
 * Mycroft's test.  Whole aligned words only, so a scan never reads beyond
 * the last page it may touch, whatever the bound: the host routines
 * (linux/routines.c) scan guest strings up to the end of their mapping.
 */
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

static int has_zero_byte(uint64_t w)
{
	return ((w - ONES) & ~w & HIGHS) != 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s, *end = p + n;
	uint64_t pattern = ONES * (unsigned char)c;

	for (; p < end && ((uintptr_t)p & 7); p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	for (; end - p >= 8; p += 8) {
		uint64_t w;

		__builtin_memcpy(&w, p, 8);
		if (has_zero_byte(w ^ pattern))
			break;
	}
	for (; p < end; p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t strnlen(const char *s, size_t max)
{
	const char *end = memchr(s, 0, max);

	return end ? (size_t)(end - s) : max;
}

size_t strlen(const char *s)
{
	return strnlen(s, (size_t)-1 - (uintptr_t)s);
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}
