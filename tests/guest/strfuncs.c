/*
 * strfuncs - glibc's string and memory routines on the inputs where a
 * host-code stand-in could go wrong: every alignment and length near a
 * word, bytes above 0x7f (comparisons return differences of unsigned
 * bytes), strings that end exactly where a mapping ends, strings and
 * copies that run into an unmapped or read-only page (SIGSEGV at the
 * guest's own address), overlapping moves, and a copy over code that ran
 * already.  Every result is printed, so a run compares with qemu-riscv64's
 * byte for byte.  Calls go through volatile pointers too, so the compiler
 * cannot fold them.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void *(*volatile p_memcpy)(void *, const void *, size_t) = memcpy;
static void *(*volatile p_memmove)(void *, const void *, size_t) = memmove;
static void *(*volatile p_memset)(void *, int, size_t) = memset;
static void *(*volatile p_memchr)(const void *, int, size_t) = memchr;
static int (*volatile p_memcmp)(const void *, const void *, size_t) = memcmp;
static size_t (*volatile p_strlen)(const char *) = strlen;
static size_t (*volatile p_strnlen)(const char *, size_t) = strnlen;
static char *(*volatile p_strchr)(const char *, int) = strchr;
static char *(*volatile p_strrchr)(const char *, int) = strrchr;
static int (*volatile p_strcmp)(const char *, const char *) = strcmp;
static int (*volatile p_strncmp)(const char *, const char *, size_t) = strncmp;
static char *(*volatile p_strcpy)(char *, const char *) = strcpy;
static char *(*volatile p_stpcpy)(char *, const char *) = stpcpy;
static char *(*volatile p_strstr)(const char *, const char *) = strstr;
static char *(*volatile p_strchrnul)(const char *, int) = strchrnul;
static void *(*volatile p_rawmemchr)(const void *, int) = rawmemchr;
static char *(*volatile p_strcat)(char *, const char *) = strcat;

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)rng_state;
}

static uint64_t sum;

static void mix(uint64_t v)
{
	sum = (sum ^ v) * 1000003u;
}

static long offset(const void *p, const void *base)
{
	return p ? (long)((const char *)p - (const char *)base) : -1;
}

/* Random text over a small alphabet with high bytes, so matches and differences are common. */
static void fill(char *s, size_t n)
{
	static const char alphabet[] = "abcq,u\x80\xff";
	for (size_t i = 0; i < n; i++)
		s[i] = alphabet[rng() % 8];
}

static void random_cases(void)
{
	static char a[600], b[600], c[700];

	for (int round = 0; round < 4000; round++) {
		size_t la = rng() % 80, lb = rng() % 80, oa = rng() % 16, ob = rng() % 16;
		if (round % 50 == 0)
			la = 300 + rng() % 250;
		fill(a + oa, la);
		a[oa + la] = 0;
		if (rng() % 2) {
			memcpy(b + ob, a + oa, la + 1);
			lb = la;
			if (la && rng() % 2)
				b[ob + rng() % la] ^= (char)(1 + rng() % 255);
		} else {
			fill(b + ob, lb);
			b[ob + lb] = 0;
		}
		const char *x = a + oa, *y = b + ob;
		size_t n = rng() % 100;
		int ch = "abq,\x80\xff\0z"[rng() % 8];
		char needle[8];
		size_t nl = rng() % 4;
		if (la >= nl && rng() % 2) {
			memcpy(needle, x + rng() % (la - nl + 1), nl);
		} else {
			fill(needle, nl);
		}
		needle[nl] = 0;

		mix(p_strlen(x));
		mix(p_strnlen(x, n));
		mix((uint64_t)(int64_t)p_strcmp(x, y));
		mix((uint64_t)(int64_t)p_strncmp(x, y, n));
		mix((uint64_t)(int64_t)p_memcmp(x, y, la < lb ? la : lb));
		mix((uint64_t)offset(p_strchr(x, ch), x));
		mix((uint64_t)offset(p_strrchr(x, ch), x));
		mix((uint64_t)offset(p_memchr(x, ch, la), x));
		mix((uint64_t)offset(p_strstr(x, needle), x));
		mix((uint64_t)offset(p_strchrnul(x, ch), x));
		mix((uint64_t)offset(p_rawmemchr(x, la ? x[rng() % la] : 0), x));
		mix((uint64_t)offset(p_strcpy(c + oa, x), c));
		mix((uint64_t)offset(p_stpcpy(c + ob, y), c));
		mix((uint64_t)offset(p_strcat(c + ob, x + la / 2), c));
		mix((uint64_t)offset(p_memset(c + oa, ch, n), c));
		mix((uint64_t)offset(p_memmove(c + ob, c + oa, n + 20), c));
		mix((uint64_t)offset(p_memcpy(c + oa + 100, x, la), c));
		for (size_t i = 0; i < sizeof c; i += 8) {
			uint64_t w;
			memcpy(&w, c + i, 8);
			mix(w);
		}
	}
	printf("random cases: %016llx\n", (unsigned long long)sum);
}

static void fixed_cases(void)
{
	static const char hi[] = "a\x80z", lo[] = "a\x01z";
	printf("strcmp high byte: %d %d\n", p_strcmp(hi, lo), p_strcmp(lo, hi));
	printf("memcmp high byte: %d %d\n", p_memcmp(hi, lo, 3), p_memcmp(lo, hi, 3));
	printf("strncmp prefix: %d %d %d\n", p_strncmp("abcd", "abce", 3),
	       p_strncmp("abcd", "abce", 4), p_strncmp("ab", "abc", 9));
	printf("strcmp prefix: %d %d\n", p_strcmp("ab", "abc"), p_strcmp("abc", "ab"));
	const char *hello = "hello";
	printf("strchr NUL: %ld, strrchr NUL: %ld, strrchr l: %ld\n",
	       offset(p_strchr(hello, 0), hello), offset(p_strrchr(hello, 0), hello),
	       offset(p_strrchr(hello, 'l'), hello));
	const char *text = "the quick brown fox quacks";
	printf("strstr: %ld %ld %ld %ld\n", offset(p_strstr(text, "qu"), text),
	       offset(p_strstr(text, "quacks"), text), offset(p_strstr(text, ""), text),
	       offset(p_strstr(text, "quacks!"), text));
	/* A needle longer than the host routine takes: the guest's own strstr. */
	static char hay[400], needle[100];
	memset(hay, 'a', sizeof hay - 1);
	memset(needle, 'a', sizeof needle - 1);
	hay[300] = 'b';
	needle[98] = 'b';
	printf("long needle: %ld\n", offset(p_strstr(hay, needle), hay));
	printf("memchr n=0: %ld\n", offset(p_memchr(text, 't', 0), text));
	char buf[32] = "0123456789abcdefghij";
	p_memmove(buf + 3, buf, 10);
	p_memmove(buf + 12, buf + 14, 5);
	printf("overlapping moves: %s\n", buf);
}

static sigjmp_buf back;
static volatile uintptr_t fault_addr;

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	fault_addr = (uintptr_t)si->si_addr;
	siglongjmp(back, 1);
}

/* Runs what, reporting the fault address relative to edge, or that none came. */
#define TRY(label, what, edge)                                                                     \
	do {                                                                                       \
		if (sigsetjmp(back, 1) == 0) {                                                     \
			long r_ = (long)(what);                                                    \
			printf("%s: %ld, no fault\n", label, r_);                                  \
		} else {                                                                           \
			printf("%s: SIGSEGV at edge%+ld\n", label,                                 \
			       (long)(fault_addr - (uintptr_t)(edge)));                            \
		}                                                                                  \
	} while (0)

static void edge_cases(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		perror("mmap");
		return;
	}
	munmap(m + page, page); /* a hole after the first page */
	mprotect(m + 2 * page, page, PROT_READ);
	char *edge = m + page, *ro = m + 2 * page;
	struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_NODEFER};
	sigaction(SIGSEGV, &sa, NULL);

	/* A string ending on the mapping's last byte. */
	memset(m, 'x', page);
	edge[-1] = 0;
	TRY("strlen to the edge", p_strlen(m), edge);
	TRY("strchr to the edge", offset(p_strchr(m, 'y'), m), edge);
	TRY("strchrnul to the edge", offset(p_strchrnul(m, 'y'), m), edge);
	TRY("rawmemchr to the edge", offset(p_rawmemchr(m, 0), m), edge);
	TRY("strcmp to the edge", p_strcmp(m, m), edge);
	TRY("strcpy from the edge", offset(p_strcpy(edge - 64, edge - 10), m), edge);
	/* Running into the hole. */
	edge[-1] = 'x';
	TRY("strlen into the hole", p_strlen(edge - 5), edge);
	TRY("strchrnul into the hole", offset(p_strchrnul(edge - 5, 'y'), m), edge);
	TRY("rawmemchr into the hole", offset(p_rawmemchr(edge - 5, 'y'), m), edge);
	TRY("strcat from the hole", offset(p_strcat(m, edge - 5), m), edge);
	TRY("strnlen stops short", p_strnlen(edge - 5, 5), edge);
	TRY("memchr into the hole", offset(p_memchr(edge - 5, 'y', 100), m), edge);
	TRY("memchr finds first", offset(p_memchr(edge - 5, 'x', 100), m), edge);
	TRY("strcmp into the hole", p_strcmp(edge - 5, edge - 5), edge);
	TRY("strcmp differs first", p_strcmp(edge - 5, "xxy"), edge);
	TRY("strstr into the hole", offset(p_strstr(edge - 20, "xy"), m), edge);
	TRY("strstr found first", offset(p_strstr(edge - 20, "xx"), m), edge);
	TRY("memcpy from the hole", offset(p_memcpy(m, edge - 8, 64), m), edge);
	TRY("memcpy into the hole", offset(p_memcpy(edge - 8, m, 64), m), edge);
	TRY("memset into the hole", offset(p_memset(edge - 8, 1, 64), m), edge);
	TRY("memcpy to read-only", offset(p_memcpy(ro, m, 16), m), ro);
	TRY("strcpy to read-only", offset(p_strcpy(ro, "abc"), m), ro);
	TRY("strcat to read-only", offset(p_strcat(ro, "abc"), m), ro);
	TRY("memcmp into the hole", p_memcmp(edge - 8, m, 64), edge);
	printf("bytes before the hole: %d %d\n", edge[-8], edge[-1]);
	TRY("strlen of NULL", p_strlen(NULL), 0);

	/*
	 * 64 KiB of equal bytes, then a hole: glibc's strcmp loops back to
	 * its own entry, and each turn must not ask the host routine again
	 * (run-guest.sh bounds the declines).
	 */
	char *big =
	    mmap(NULL, 17 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (big != MAP_FAILED) {
		munmap(big + 16 * page, page);
		memset(big, 'x', 16 * page);
		TRY("strcmp 64 KiB into the hole", p_strcmp(big, big), big + 16 * page);
	}
	signal(SIGSEGV, SIG_DFL);
}

/* Code copied over code that ran already: the next call runs the new. */
static void copy_over_code(void)
{
	uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (code == MAP_FAILED) {
		perror("mmap");
		return;
	}
	/* li a0, N; ret */
	uint32_t first[] = {0x00700513, 0x00008067}, second[] = {0x02a00513, 0x00008067};
	long (*fn)(void) = (long (*)(void))(uintptr_t)code;
	p_memcpy(code, first, sizeof first);
	__asm__ volatile("fence.i" ::: "memory");
	long a = fn();
	p_memcpy(code, second, sizeof second);
	__asm__ volatile("fence.i" ::: "memory");
	long b = fn();
	/* Without fence.i too: Linux and qemu-riscv64 run what is in memory. */
	p_memcpy(code, first, sizeof first);
	long c = fn();
	printf("copy over code: %ld then %ld then %ld\n", a, b, c);
}

int main(void)
{
	random_cases();
	fixed_cases();
	edge_cases();
	copy_over_code();
	return 0;
}
