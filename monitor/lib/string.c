/*
 * string.c - memory and string primitives for the freestanding monitor.
 * GCC emits calls to memcpy/memset/memmove/memcmp for struct copies and
 * loops it recognises, so these must exist under their standard names.
 *
 * Copies and fills take the C library's shape without vector registers:
 * up to 16 bytes as two overlapping loads and stores of the widest size
 * that fits, up to 64 as 16-byte steps and an overlapping last one, beyond
 * that `rep movsq`/`rep stosq` with a byte tail.  The library routines the
 * guest's memcpy and memset become (linux/routines.c) are mostly short,
 * where a `rep` prologue cost four times the guest's own code; 8 bytes per
 * `rep` iteration because an emulated-KVM host emulates each iteration
 * on its own.
 */
#include "rt.h"

#define ONES 0x0101010101010101ull /* a byte repeated: ONES * byte */
#define HIGHS 0x8080808080808080ull

static inline uint64_t load64(const unsigned char *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, 8);
	return v;
}

static inline void store64(unsigned char *p, uint64_t v)
{
	__builtin_memcpy(p, &v, 8);
}

static inline uint32_t load32(const unsigned char *p)
{
	uint32_t v;

	__builtin_memcpy(&v, p, 4);
	return v;
}

static inline void store32(unsigned char *p, uint32_t v)
{
	__builtin_memcpy(p, &v, 4);
}

/* n <= 16: every load before any store, so an overlap is copied right too. */
static void copy_short(unsigned char *d, const unsigned char *s, size_t n)
{
	if (n >= 8) {
		uint64_t head = load64(s), tail = load64(s + n - 8);
		store64(d, head);
		store64(d + n - 8, tail);
	} else if (n >= 4) {
		uint32_t head = load32(s), tail = load32(s + n - 4);
		store32(d, head);
		store32(d + n - 4, tail);
	} else if (n) {
		unsigned char first = s[0], middle = s[n / 2], last = s[n - 1];
		d[0] = first;
		d[n / 2] = middle;
		d[n - 1] = last;
	}
}

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (n <= 16) {
		copy_short(d, s, n);
	} else if (n <= 64) {
		uint64_t last0 = load64(s + n - 16), last1 = load64(s + n - 8);
		for (size_t i = 0; i + 16 < n; i += 16) {
			store64(d + i, load64(s + i));
			store64(d + i + 8, load64(s + i + 8));
		}
		store64(d + n - 16, last0);
		store64(d + n - 8, last1);
	} else {
		size_t words = n / 8, tail = n % 8;
		__asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(words) : : "memory");
		__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(tail) : : "memory");
	}
	return dst;
}

/*
 * Forward copying is right unless the destination starts inside the
 * source; then words go from the end down, each loaded before the store
 * that could overwrite it, and the bytes below the last whole word last.
 */
void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (n <= 16) {
		copy_short(d, s, n);
		return dst;
	}
	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	for (; n >= 8; n -= 8)
		store64(d + n - 8, load64(s + n - 8));
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t pattern = ONES * (unsigned char)c;

	if (n >= 8 && n <= 64) {
		for (size_t i = 0; i + 8 < n; i += 8)
			store64(d + i, pattern);
		store64(d + n - 8, pattern);
	} else if (n > 64) {
		size_t words = n / 8, tail = n % 8;
		__asm__ volatile("rep stosq" : "+D"(d), "+c"(words) : "a"(pattern) : "memory");
		__asm__ volatile("rep stosb" : "+D"(d), "+c"(tail) : "a"(pattern) : "memory");
	} else if (n >= 4) {
		store32(d, (uint32_t)pattern);
		store32(d + n - 4, (uint32_t)pattern);
	} else {
		for (size_t i = 0; i < n; i++)
			d[i] = (unsigned char)c;
	}
	return dst;
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
	for (; end - p >= 8; p += 8)
		if (has_zero_byte(load64(p) ^ pattern))
			break;
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
