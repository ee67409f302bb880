/*
 * routines.c - the C library's string and memory routines run as host code.
 *
 * Programs spend much of their time in memcpy, strlen and their kin, and a
 * riscv64 libc's scalar loops, translated an instruction at a time, run
 * several times the host instructions of x86-64 glibc's vector versions
 * (docs/translator.md).  The C standard reserves these names for the
 * functions it defines, and compilers already rely on what they mean, so
 * where the program's symbol table names one the translator calls the host
 * routine at its entry instead (dbt_guest_routine).
 *
 * A routine first checks the guest memory it will touch against the
 * guest's mappings; where anything is amiss (an unmapped or protected
 * page, a file page past the file's end, a string that runs into either)
 * it declines before touching anything, and the guest's own code runs and
 * faults, or not, where it would have.  Results are the riscv64 glibc's:
 * comparisons return the difference of the first differing bytes, as
 * unsigned chars.  routine_entries.c finds where each starts.
 */
#include "lx.h"

/* The routines, below; each answers DBT_ROUTINE_*. */
static dbt_routine_fn r_memcpy, r_memset, r_memchr, r_rawmemchr, r_memcmp, r_strlen, r_strnlen,
    r_strchr, r_strchrnul, r_strrchr, r_strcmp, r_strncmp, r_strcpy, r_stpcpy, r_strcat, r_strstr;

const struct lx_routine_name lx_routine_names[] = {
    /* memmove too: overlap is undefined for memcpy, so it may copy as memmove does. */
    {"memcpy", r_memcpy},     {"memmove", r_memcpy},	  {"memset", r_memset},
    {"memchr", r_memchr},     {"memcmp", r_memcmp},	  {"bcmp", r_memcmp},
    {"__memcmpeq", r_memcmp}, {"strlen", r_strlen},	  {"strnlen", r_strnlen},
    {"strchr", r_strchr},     {"strrchr", r_strrchr},	  {"strcmp", r_strcmp},
    {"strncmp", r_strncmp},   {"strcpy", r_strcpy},	  {"stpcpy", r_stpcpy},
    {"strstr", r_strstr},     {"strchrnul", r_strchrnul}, {"rawmemchr", r_rawmemchr},
    {"strcat", r_strcat},
};
const unsigned lx_routine_count = sizeof(lx_routine_names) / sizeof(lx_routine_names[0]);

/* Longest needle strstr takes: the search is a two-byte scan and a compare per hit. */
#define NEEDLE_MAX 64
/*
 * Comparisons and strchr go a chunk at a time, so strings that end early
 * in a long mapping (two zeroed buffers compare equal past their NULs) stop
 * near their end.
 */
#define CHUNK 256

/* Bytes from gva on, up to want, the host may read in place; 0: none. */
static uint64_t readable_run(uint64_t gva, uint64_t want)
{
	const struct lx_vma *v = lx_vma_find(gva);

	if (!v || !(v->prot & LX_PROT_READ))
		return 0;
	uint64_t n = v->end - gva < want ? v->end - gva : want;
	if (v->file) {
		/* Filled from the file a page at a time, as touching it would. */
		uint64_t in_page = LX_PAGE - (gva & (LX_PAGE - 1));
		n = n < in_page ? n : in_page;
		if (lx_filemap_prepare(gva, n))
			return 0;
	}
	return n;
}

/* [gva, gva + len) may be touched in place with prot. */
static int accessible(uint64_t gva, uint64_t len, int prot)
{
	if (!len)
		return 1;
	const struct lx_vma *v = lx_vma_find(gva);
	if (v && len <= v->end - gva && (v->prot & prot) == prot)
		return !v->file || !lx_filemap_prepare(gva, len);
	return lx_vma_access_ok(gva, len, prot) && !lx_filemap_prepare(gva, len);
}

static int readable(uint64_t gva, uint64_t len)
{
	return accessible(gva, len, LX_PROT_READ);
}

/*
 * Checked for writing, and cleared of translations; *dropped is set where
 * some were (the routine then leaves through the dispatcher: done()).
 */
static int writable(uint64_t gva, uint64_t len, int *dropped)
{
	if (!accessible(gva, len, LX_PROT_WRITE))
		return 0;
	*dropped |= dbt_prepare_write(gva, len);
	return 1;
}

/* A routine that wrote is done: back at ra, by the dispatcher if it wrote over code. */
static uint32_t done(struct dbt_cpu *cpu, int dropped)
{
	if (!dropped)
		return DBT_ROUTINE_RETURN;
	cpu->pc = cpu->x[1] & ~1ull;
	return DBT_ROUTINE_LEAVE;
}

/* The string's length, at most max; -1 where it runs into memory the host may not read. */
static int64_t guest_strnlen(uint64_t gva, uint64_t max)
{
	uint64_t done = 0;

	while (done < max) {
		uint64_t run = readable_run(gva + done, max - done);

		if (!run)
			return -1;
		uint64_t n = strnlen(plat_g2h(gva + done), run);
		done += n;
		if (n < run)
			break;
	}
	return (int64_t)done;
}

/* Index of the first byte that differs, n if none; little-endian words. */
static size_t first_difference(const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t x, y;

		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			return i + (size_t)__builtin_ctzll(x ^ y) / 8;
	}
	for (; i < n && a[i] == b[i]; i++)
		;
	return i;
}

#define ONES 0x0101010101010101ull

/* Bytes of w that are 0 get their top bit set, and some above one such may too. */
static uint64_t zero_bytes(uint64_t w)
{
	return (w - ONES) & ~w & (ONES << 7);
}

/*
 * The first i in [from, to) where h[i] == a and h[i + 1] == b, else to;
 * h[from, to] may be read.  Eight places a step: a needle's first byte
 * alone is common in text, and a call per candidate costs more than the
 * search.
 */
static uint64_t find_pair(const uint8_t *h, uint64_t from, uint64_t to, uint8_t a, uint8_t b)
{
	uint64_t i = from;

	for (; i + 8 <= to; i += 8) {
		uint64_t x, y;

		memcpy(&x, h + i, 8);
		memcpy(&y, h + i + 1, 8);
		for (uint64_t m = zero_bytes(x ^ ONES * a) & zero_bytes(y ^ ONES * b); m;
		     m &= m - 1) {
			uint64_t k = i + (uint64_t)__builtin_ctzll(m) / 8;
			if (h[k] == a && h[k + 1] == b)
				return k;
		}
	}
	for (; i < to; i++)
		if (h[i] == a && h[i + 1] == b)
			return i;
	return to;
}

/* Results are C ints: sign-extended into the 64-bit register, as the psABI has them. */
static void set_int(struct dbt_cpu *cpu, int value)
{
	cpu->x[10] = (uint64_t)(int64_t)value;
}

/* strcmp and strncmp (at most max bytes). */
static uint32_t compare_strings(struct dbt_cpu *cpu, uint64_t a, uint64_t b, uint64_t max)
{
	for (uint64_t done = 0; done < max;) {
		uint64_t want = max - done < CHUNK ? max - done : CHUNK;
		uint64_t run = readable_run(a + done, want);

		run = readable_run(b + done, run);
		if (!run)
			return DBT_ROUTINE_DECLINED;
		const uint8_t *x = plat_g2h(a + done), *y = plat_g2h(b + done);
		size_t d = first_difference(x, y, run);
		/* Equal up to d: a NUL before it ends both strings alike. */
		if (strnlen((const char *)x, d) < d) {
			set_int(cpu, 0);
			return DBT_ROUTINE_RETURN;
		}
		if (d < run) {
			set_int(cpu, x[d] - y[d]);
			return DBT_ROUTINE_RETURN;
		}
		done += run;
	}
	set_int(cpu, 0);
	return DBT_ROUTINE_RETURN;
}

/* memchr over [gva, gva + len): 1 found (*at), 0 not found, -1 to decline. */
static int find_byte(uint64_t gva, uint64_t len, int c, uint64_t *at)
{
	for (uint64_t done = 0; done < len;) {
		uint64_t run = readable_run(gva + done, len - done);

		if (!run)
			return -1;
		const uint8_t *p = plat_g2h(gva + done);
		const uint8_t *hit = memchr(p, c, run);
		if (hit) {
			*at = gva + done + (uint64_t)(hit - p);
			return 1;
		}
		done += run;
	}
	return 0;
}

/* What find_in_string answers where c is not in the string, and whether it wants the last c. */
enum string_search { FIRST_OR_NULL, FIRST_OR_END, LAST_OR_NULL };

/* strchr, strchrnul and strrchr: the address (or 0); -1 to decline. */
static int64_t find_in_string(uint64_t s, int c, enum string_search how)
{
	uint64_t found = 0;

	for (uint64_t done = 0;;) {
		uint64_t run = readable_run(s + done, CHUNK);

		if (!run)
			return -1;
		const uint8_t *p = plat_g2h(s + done);
		size_t len = strnlen((const char *)p, run);
		if (!c && len < run)
			return (int64_t)(s + done + len);
		for (const uint8_t *q = p; c && (q = memchr(q, c, len - (size_t)(q - p))); q++) {
			found = s + done + (uint64_t)(q - p);
			if (how != LAST_OR_NULL)
				return (int64_t)found;
		}
		if (len < run)
			return how == FIRST_OR_END ? (int64_t)(s + done + len) : (int64_t)found;
		done += run;
	}
}

/*
 * The haystack is measured a chunk at a time, only as far as the search
 * has got: a needle found early (strings' "qu") does not pay for the rest.
 */
static uint32_t r_strstr(struct dbt_cpu *cpu)
{
	uint64_t hay = cpu->x[10], needle = cpu->x[11];
	int64_t nlen = guest_strnlen(needle, NEEDLE_MAX + 1);

	if (nlen < 0 || nlen > NEEDLE_MAX)
		return DBT_ROUTINE_DECLINED;
	if (!nlen)
		return DBT_ROUTINE_RETURN;
	const uint8_t *h = plat_g2h(hay), *n = plat_g2h(needle);
	uint64_t known = 0, need = (uint64_t)nlen; /* h[0, known) has no NUL */
	int ended = 0;
	for (uint64_t pos = 0;;) {
		while (!ended && known < pos + need) {
			uint64_t run = readable_run(hay + known, CHUNK);
			if (!run)
				return DBT_ROUTINE_DECLINED;
			uint64_t len = strnlen((const char *)h + known, run);
			known += len;
			ended = len < run;
		}
		if (known < pos + need) {
			cpu->x[10] = 0;
			return DBT_ROUTINE_RETURN;
		}
		uint64_t end = known - need + 1, at;
		if (need == 1) {
			const uint8_t *p = memchr(h + pos, n[0], end - pos);
			at = p ? (uint64_t)(p - h) : end;
		} else {
			at = find_pair(h, pos, end, n[0], n[1]);
		}
		if (at == end) {
			pos = end;
			continue;
		}
		if (!memcmp(h + at + 2, n + 2, need < 2 ? 0 : need - 2)) {
			cpu->x[10] = hay + at;
			return DBT_ROUTINE_RETURN;
		}
		pos = at + 1;
	}
}

static uint32_t copy_string(struct dbt_cpu *cpu, int to_end)
{
	uint64_t dst = cpu->x[10], src = cpu->x[11];
	int64_t len = guest_strnlen(src, ~0ull);
	int dropped = 0;

	if (len < 0 || !writable(dst, (uint64_t)len + 1, &dropped))
		return DBT_ROUTINE_DECLINED;
	memmove(plat_g2h(dst), plat_g2h(src), (size_t)len + 1);
	cpu->x[10] = to_end ? dst + (uint64_t)len : dst;
	return done(cpu, dropped);
}

static uint32_t r_strcat(struct dbt_cpu *cpu)
{
	uint64_t dst = cpu->x[10], src = cpu->x[11];
	int64_t end = guest_strnlen(dst, ~0ull), len = guest_strnlen(src, ~0ull);
	int dropped = 0;

	if (end < 0 || len < 0 || !writable(dst + (uint64_t)end, (uint64_t)len + 1, &dropped))
		return DBT_ROUTINE_DECLINED;
	memmove(plat_g2h(dst + (uint64_t)end), plat_g2h(src), (size_t)len + 1);
	return done(cpu, dropped);
}

static uint32_t r_strcpy(struct dbt_cpu *cpu)
{
	return copy_string(cpu, 0);
}

static uint32_t r_stpcpy(struct dbt_cpu *cpu)
{
	return copy_string(cpu, 1);
}

static uint32_t r_memcpy(struct dbt_cpu *cpu)
{
	uint64_t dst = cpu->x[10], src = cpu->x[11], len = cpu->x[12];
	int dropped = 0;

	if (!readable(src, len) || !writable(dst, len, &dropped))
		return DBT_ROUTINE_DECLINED;
	if (len)
		memmove(plat_g2h(dst), plat_g2h(src), len);
	return done(cpu, dropped);
}

static uint32_t r_memset(struct dbt_cpu *cpu)
{
	uint64_t dst = cpu->x[10], len = cpu->x[12];
	int dropped = 0;

	if (!writable(dst, len, &dropped))
		return DBT_ROUTINE_DECLINED;
	if (len)
		memset(plat_g2h(dst), (int)cpu->x[11], len);
	return done(cpu, dropped);
}

static uint32_t r_memchr(struct dbt_cpu *cpu)
{
	uint64_t at;
	int r = find_byte(cpu->x[10], cpu->x[12], (uint8_t)cpu->x[11], &at);

	if (r < 0)
		return DBT_ROUTINE_DECLINED;
	cpu->x[10] = r ? at : 0;
	return DBT_ROUTINE_RETURN;
}

/* memchr without a bound: as far as memory goes, and declined where it stops. */
static uint32_t r_rawmemchr(struct dbt_cpu *cpu)
{
	uint64_t s = cpu->x[10], at;

	if (s >= GUEST_VA_LIMIT || find_byte(s, GUEST_VA_LIMIT - s, (uint8_t)cpu->x[11], &at) <= 0)
		return DBT_ROUTINE_DECLINED;
	cpu->x[10] = at;
	return DBT_ROUTINE_RETURN;
}

static uint32_t r_memcmp(struct dbt_cpu *cpu)
{
	uint64_t a = cpu->x[10], b = cpu->x[11], len = cpu->x[12];

	if (!readable(a, len) || !readable(b, len))
		return DBT_ROUTINE_DECLINED;
	const uint8_t *x = plat_g2h(a), *y = plat_g2h(b);
	size_t d = len ? first_difference(x, y, len) : 0;
	set_int(cpu, d < len ? x[d] - y[d] : 0);
	return DBT_ROUTINE_RETURN;
}

static uint32_t string_length(struct dbt_cpu *cpu, uint64_t max)
{
	int64_t len = guest_strnlen(cpu->x[10], max);

	if (len < 0)
		return DBT_ROUTINE_DECLINED;
	cpu->x[10] = (uint64_t)len;
	return DBT_ROUTINE_RETURN;
}

static uint32_t r_strlen(struct dbt_cpu *cpu)
{
	return string_length(cpu, ~0ull);
}

static uint32_t r_strnlen(struct dbt_cpu *cpu)
{
	return string_length(cpu, cpu->x[11]);
}

static uint32_t search_string(struct dbt_cpu *cpu, enum string_search how)
{
	int64_t at = find_in_string(cpu->x[10], (uint8_t)cpu->x[11], how);

	if (at < 0)
		return DBT_ROUTINE_DECLINED;
	cpu->x[10] = (uint64_t)at;
	return DBT_ROUTINE_RETURN;
}

static uint32_t r_strchr(struct dbt_cpu *cpu)
{
	return search_string(cpu, FIRST_OR_NULL);
}

static uint32_t r_strchrnul(struct dbt_cpu *cpu)
{
	return search_string(cpu, FIRST_OR_END);
}

static uint32_t r_strrchr(struct dbt_cpu *cpu)
{
	return search_string(cpu, LAST_OR_NULL);
}

static uint32_t r_strcmp(struct dbt_cpu *cpu)
{
	return compare_strings(cpu, cpu->x[10], cpu->x[11], ~0ull);
}

static uint32_t r_strncmp(struct dbt_cpu *cpu)
{
	return compare_strings(cpu, cpu->x[10], cpu->x[11], cpu->x[12]);
}
