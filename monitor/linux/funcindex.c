/*
 * funcindex.c - the program's function symbols in memory, sorted by
 * address, for lookups by pc: the profile's report (every sampled pc and
 * stack frame) and the perf map (every translated block).  symbols.c reads
 * the file a batch at a time, which suits one summary; a lookup per block
 * needs the table at hand.
 *
 * Loaded once, on first use, from the program file with HC_PREAD; the
 * file is guest input, so the sizes read are bounded.
 */
#include "lx.h"

#define FUNCS_MAX (1u << 18)	    /* function symbols kept */
#define FUNCS_NAMES_MAX (16u << 20) /* bytes of string table read */

/* Owned by the single guest thread; written once by lx_funcs_get(). */
static struct lx_funcs funcs;
static int funcs_state; /* 0 not tried, 1 loaded, -1 no table */

static int collect(void *ctx, uint64_t value, uint64_t size, uint32_t name)
{
	(void)ctx;
	if (funcs.count == funcs.capacity || name >= funcs.names_size)
		return 0;
	funcs.f[funcs.count++] = (struct lx_func){
	    .start = value + lx_proc.image_bias,
	    .end = value + lx_proc.image_bias + size,
	    .name = name,
	};
	return 0;
}

/* Shell sort by start: no libc in the monitor. */
static void sort_funcs(struct lx_func *a, unsigned n)
{
	for (unsigned gap = n / 2; gap; gap /= 2)
		for (unsigned i = gap; i < n; i++)
			for (unsigned j = i; j >= gap && a[j - gap].start > a[j].start; j -= gap) {
				struct lx_func t = a[j];
				a[j] = a[j - gap];
				a[j - gap] = t;
			}
}

static int load(void)
{
	struct lx_symtab t;

	if (lx_symtab_open(lx_proc.start->program_fd, &t) ||
	    !(funcs.names = lx_symtab_names(&t, FUNCS_NAMES_MAX)))
		return -1;
	funcs.names_size = t.str_size;
	funcs.capacity = t.count < FUNCS_MAX ? (unsigned)t.count : FUNCS_MAX;
	funcs.f = plat_alloc((funcs.capacity + 1) * sizeof(*funcs.f));
	if (!funcs.f || lx_symtab_each(&t, collect, NULL) < 0)
		return -1;
	sort_funcs(funcs.f, funcs.count);
	return 0;
}

const struct lx_funcs *lx_funcs_get(void)
{
	if (!funcs_state)
		funcs_state = load() ? -1 : 1;
	return funcs_state > 0 ? &funcs : NULL;
}

const struct lx_func *lx_funcs_find(const struct lx_funcs *t, uint64_t pc)
{
	unsigned lo = 0, hi;

	if (!t)
		return NULL;
	hi = t->count;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (t->f[mid].start <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Aliases share a start; a nested symbol may hide a wider one. */
	for (unsigned i = lo; i-- > 0 && lo - i <= 4;)
		if (pc < t->f[i].end)
			return &t->f[i];
	return NULL;
}

const char *lx_funcs_name(const struct lx_funcs *t, const struct lx_func *f)
{
	return t->names + f->name;
}
