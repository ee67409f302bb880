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
 * unsigned chars.  The names are looked up in the program's symbol table
 * (a static program's libc) and in those of the shared objects whose code
 * it runs (libc.so.6); none under --no-host-strings or a debugger.
 */
#include "lx.h"

enum routine {
	R_NONE,
	R_MEMCPY, /* and memmove: overlap is undefined for memcpy, so copy as memmove does */
	R_MEMSET,
	R_MEMCHR,
	R_MEMCMP,
	R_STRLEN,
	R_STRNLEN,
	R_STRCHR,
	R_STRRCHR,
	R_STRCMP,
	R_STRNCMP,
	R_STRCPY,
	R_STPCPY,
	R_STRSTR,
};

static const struct {
	const char *name;
	enum routine routine;
} known[] = {
    {"memcpy", R_MEMCPY},   {"memmove", R_MEMCPY}, {"memset", R_MEMSET},     {"memchr", R_MEMCHR},
    {"memcmp", R_MEMCMP},   {"bcmp", R_MEMCMP},	   {"__memcmpeq", R_MEMCMP}, {"strlen", R_STRLEN},
    {"strnlen", R_STRNLEN}, {"strchr", R_STRCHR},  {"strrchr", R_STRRCHR},   {"strcmp", R_STRCMP},
    {"strncmp", R_STRNCMP}, {"strcpy", R_STRCPY},  {"stpcpy", R_STPCPY},     {"strstr", R_STRSTR},
};

#define KNOWN (sizeof(known) / sizeof(known[0]))
#define ENTRIES_MAX 64	     /* the program's and its shared objects' */
#define OBJECTS_MAX 16	     /* shared objects whose symbols were read */
#define NAMES_MAX (4u << 20) /* bytes of string table read */
#define PHDRS_MAX 64

/* Owned by the single guest thread. */
static struct {
	int state; /* 0: the program's symbols not read yet, 1: read, -1: routines off */
	unsigned count;
	uint64_t pc[ENTRIES_MAX];
	enum routine routine[ENTRIES_MAX];
	unsigned objects;
	uint64_t object_start[OBJECTS_MAX], object_end[OBJECTS_MAX]; /* executable areas read */
} table;

/* Longest needle strstr takes: the search is a first-byte scan and a compare per hit. */
#define NEEDLE_MAX 64
/*
 * Comparisons and strchr go a chunk at a time, so strings that end early
 * in a long mapping (two zeroed buffers compare equal past their NULs) stop
 * near their end.
 */
#define CHUNK 256

struct reading {
	uint64_t bias, lo, hi; /* symbol value + bias = guest address, kept if in [lo, hi) */
	const char *names;
	uint64_t names_size;
};

static int collect(void *ctx, uint64_t value, uint64_t size, uint32_t name)
{
	const struct reading *r = ctx;
	uint64_t pc = value + r->bias;

	(void)size;
	if (name >= r->names_size || pc < r->lo || pc >= r->hi)
		return 0;
	for (unsigned k = 0; k < KNOWN && table.count < ENTRIES_MAX; k++)
		if (!strcmp(r->names + name, known[k].name)) {
			table.pc[table.count] = pc;
			table.routine[table.count++] = known[k].routine;
		}
	return 0;
}

/* The routines among the function symbols of the ELF file fd. */
static void read_symbols(int fd, struct reading r)
{
	struct lx_symtab t;
	char *names;

	if (lx_symtab_open(fd, &t) || !(names = lx_symtab_names(&t, NAMES_MAX)))
		return;
	r.names = names;
	r.names_size = t.str_size;
	lx_symtab_each(&t, collect, &r);
	plat_free(names);
}

/*
 * A shared object's executable area (libc.so.6, mapped by ld.so): its
 * load bias from the segment that holds the area's first byte, then its
 * symbols (.dynsym where it is stripped).  Read once per area, found or
 * not; munmap forgets it (lx_routines_forget).
 */
static void read_shared_object(const struct lx_vma *v)
{
	struct lx_elf_ehdr eh;
	struct lx_elf_phdr ph[PHDRS_MAX];
	int fd = lx_filemap_fd(v->file);
	uint64_t off = lx_filemap_offset(v->file, v->start);

	if (table.objects == OBJECTS_MAX)
		return;
	table.object_start[table.objects] = v->start;
	table.object_end[table.objects++] = v->end;
	if (lx_read_at(fd, &eh, sizeof(eh), 0) || memcmp(eh.ident, "\177ELF", 4) ||
	    eh.phentsize != sizeof(ph[0]) || eh.phnum > PHDRS_MAX ||
	    lx_read_at(fd, ph, eh.phnum * sizeof(ph[0]), eh.phoff))
		return;
	for (unsigned i = 0; i < eh.phnum; i++)
		if (ph[i].type == LX_PT_LOAD && ph[i].offset <= off &&
		    off - ph[i].offset < ph[i].filesz) {
			uint64_t bias = v->start - (ph[i].vaddr + (off - ph[i].offset));
			read_symbols(fd,
				     (struct reading){.bias = bias, .lo = v->start, .hi = v->end});
			return;
		}
}

static int object_read(uint64_t pc)
{
	for (unsigned i = 0; i < table.objects; i++)
		if (table.object_start[i] <= pc && pc < table.object_end[i])
			return 1;
	return 0;
}

static int entry_at(uint64_t pc)
{
	for (unsigned i = 0; i < table.count; i++)
		if (table.pc[i] == pc)
			return (int)table.routine[i];
	return R_NONE;
}

uint32_t dbt_guest_routine(uint64_t pc)
{
	if (!table.state) {
		table.state = lx_proc.start->gdb || lx_proc.start->guest_strings ? -1 : 1;
		if (table.state > 0)
			read_symbols(lx_proc.start->program_fd,
				     (struct reading){.bias = lx_proc.image_bias, .hi = ~0ull});
	}
	if (table.state < 0)
		return R_NONE;
	int r = entry_at(pc);
	if (r || object_read(pc))
		return (uint32_t)r;
	/* Code in a file mapped by the program (ld.so's libraries): its symbols, once. */
	const struct lx_vma *v = lx_vma_find(pc);
	if (!v || !v->file || !(v->prot & LX_PROT_EXEC))
		return R_NONE;
	read_shared_object(v);
	return (uint32_t)entry_at(pc);
}

/* [start, end) was unmapped or mapped over: what was read there no longer holds. */
void lx_routines_forget(uint64_t start, uint64_t end)
{
	unsigned n = 0;

	for (unsigned i = 0; i < table.count; i++)
		if (table.pc[i] < start || table.pc[i] >= end) {
			table.pc[n] = table.pc[i];
			table.routine[n++] = table.routine[i];
		}
	table.count = n;
	n = 0;
	for (unsigned i = 0; i < table.objects; i++)
		if (table.object_end[i] <= start || table.object_start[i] >= end) {
			table.object_start[n] = table.object_start[i];
			table.object_end[n++] = table.object_end[i];
		}
	table.objects = n;
}

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

/*
 * [gva, gva + len) may be touched in place with prot.  Nearly always it
 * lies in the area the last question found (one heap, one stack): no
 * search of the area array then.
 */
static int accessible(uint64_t gva, uint64_t len, int prot)
{
	const struct lx_vma *v = lx_vma_find(gva);

	if (v && len <= v->end - gva && (v->prot & prot) == prot)
		return !v->file || !lx_filemap_prepare(gva, len);
	return lx_vma_access_ok(gva, len, prot) && !lx_filemap_prepare(gva, len);
}

static int readable(uint64_t gva, uint64_t len)
{
	return accessible(gva, len, LX_PROT_READ);
}

/* Checked for writing, and cleared of translations. */
static int writable(uint64_t gva, uint64_t len)
{
	if (!accessible(gva, len, LX_PROT_WRITE))
		return 0;
	dbt_prepare_write(gva, len);
	return 1;
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

/*
 * strcmp and strncmp (at most max bytes): 1 with the result in a0, 0 to
 * decline.
 */
static int compare_strings(struct dbt_cpu *cpu, uint64_t a, uint64_t b, uint64_t max)
{
	for (uint64_t done = 0; done < max;) {
		uint64_t want = max - done < CHUNK ? max - done : CHUNK;
		uint64_t run = readable_run(a + done, want);

		run = readable_run(b + done, run);
		if (!run)
			return 0;
		const uint8_t *x = plat_g2h(a + done), *y = plat_g2h(b + done);
		size_t d = first_difference(x, y, run);
		/* Equal up to d: a NUL before it ends both strings alike. */
		if (strnlen((const char *)x, d) < d) {
			set_int(cpu, 0);
			return 1;
		}
		if (d < run) {
			set_int(cpu, x[d] - y[d]);
			return 1;
		}
		done += run;
	}
	set_int(cpu, 0);
	return 1;
}

/* memchr over [gva, gva + len): found (*at), not found, or -1 to decline. */
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

/* strchr (last = 0) and strrchr (last = 1): the address or 0; -1 to decline. */
static int64_t find_in_string(uint64_t s, int c, int last)
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
			if (!last)
				return (int64_t)found;
		}
		if (len < run)
			return (int64_t)found;
		done += run;
	}
}

/*
 * The haystack is measured a chunk at a time, only as far as the search
 * has got: a needle found early (strings' "qu") does not pay for the rest.
 */
static int strstr_routine(struct dbt_cpu *cpu)
{
	uint64_t hay = cpu->x[10], needle = cpu->x[11];
	int64_t nlen = guest_strnlen(needle, NEEDLE_MAX + 1);

	if (nlen < 0 || nlen > NEEDLE_MAX)
		return 0;
	if (!nlen)
		return 1;
	const uint8_t *h = plat_g2h(hay), *n = plat_g2h(needle);
	uint64_t known = 0, need = (uint64_t)nlen; /* h[0, known) has no NUL */
	int ended = 0;
	for (uint64_t pos = 0;;) {
		while (!ended && known < pos + need) {
			uint64_t run = readable_run(hay + known, CHUNK);
			if (!run)
				return 0;
			uint64_t len = strnlen((const char *)h + known, run);
			known += len;
			ended = len < run;
		}
		if (known < pos + need) {
			cpu->x[10] = 0;
			return 1;
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
			return 1;
		}
		pos = at + 1;
	}
}

static int copy_string(struct dbt_cpu *cpu, int to_end)
{
	uint64_t dst = cpu->x[10], src = cpu->x[11];
	int64_t len = guest_strnlen(src, ~0ull);

	if (len < 0 || !writable(dst, (uint64_t)len + 1))
		return 0;
	memmove(plat_g2h(dst), plat_g2h(src), (size_t)len + 1);
	cpu->x[10] = to_end ? dst + (uint64_t)len : dst;
	return 1;
}

int dbt_guest_routine_run(struct dbt_cpu *cpu, uint32_t routine)
{
	uint64_t a0 = cpu->x[10], a1 = cpu->x[11], a2 = cpu->x[12];
	int64_t r;
	uint64_t at;

	switch ((enum routine)routine) {
	case R_MEMCPY:
		if (!readable(a1, a2) || !writable(a0, a2))
			return 0;
		if (a2)
			memmove(plat_g2h(a0), plat_g2h(a1), a2);
		return 1;
	case R_MEMSET:
		if (!writable(a0, a2))
			return 0;
		if (a2)
			memset(plat_g2h(a0), (int)a1, a2);
		return 1;
	case R_MEMCHR:
		r = find_byte(a0, a2, (uint8_t)a1, &at);
		if (r < 0)
			return 0;
		cpu->x[10] = r ? at : 0;
		return 1;
	case R_MEMCMP: {
		if (!readable(a0, a2) || !readable(a1, a2))
			return 0;
		const uint8_t *x = plat_g2h(a0), *y = plat_g2h(a1);
		size_t d = a2 ? first_difference(x, y, a2) : 0;
		set_int(cpu, d < a2 ? x[d] - y[d] : 0);
		return 1;
	}
	case R_STRLEN:
	case R_STRNLEN:
		r = guest_strnlen(a0, routine == R_STRLEN ? ~0ull : a1);
		if (r < 0)
			return 0;
		cpu->x[10] = (uint64_t)r;
		return 1;
	case R_STRCHR:
	case R_STRRCHR:
		r = find_in_string(a0, (uint8_t)a1, routine == R_STRRCHR);
		if (r < 0)
			return 0;
		cpu->x[10] = (uint64_t)r;
		return 1;
	case R_STRCMP:
		return compare_strings(cpu, a0, a1, ~0ull);
	case R_STRNCMP:
		return compare_strings(cpu, a0, a1, a2);
	case R_STRCPY:
	case R_STPCPY:
		return copy_string(cpu, routine == R_STPCPY);
	case R_STRSTR:
		return strstr_routine(cpu);
	case R_NONE:
		break;
	}
	return 0;
}
