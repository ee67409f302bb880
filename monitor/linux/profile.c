/*
 * profile.c - `--profile`: the platform's profiling timer hands us the
 * guest pc of each sample (linux_profile_sample, from a signal handler or an
 * interrupt), and at exit the samples are summed by the program's function
 * symbols (symbols.c) into a flat profile on stderr.
 *
 * The sample table is filled asynchronously, so it is a fixed array with
 * open addressing and no allocation after start; a pc that finds no free
 * slot within a few probes is counted as lost rather than waited for.
 */
#include "lx.h"

#define PROF_SLOTS 8192u /* distinct sampled pcs; power of two */
#define PROF_PROBES 32u
#define PROF_TOP 25u /* functions listed */
#define PROF_NAME_MAX 64u

struct prof_slot {
	uint64_t pc;
	uint64_t count;
};

struct prof_func {
	uint32_t name;
	uint64_t samples;
};

/* Owned by the single guest thread; the timer only adds, and stops adding
 * once `frozen` is set at exit. */
static struct {
	struct prof_slot *slot;
	uint64_t total, lost;
	volatile int frozen;
} prof;

void lx_profile_init(void)
{
	prof.slot = plat_alloc(PROF_SLOTS * sizeof(*prof.slot));
	if (!prof.slot)
		lx_log("rvkvm: profile: no memory for the sample table; not profiling\n");
}

void linux_profile_sample(uint64_t guest_pc)
{
	if (!prof.slot || prof.frozen)
		return;
	prof.total++;
	/* Fibonacci hashing of the instruction address (halfword aligned). */
	uint32_t h = (uint32_t)(((guest_pc >> 1) * 0x9e3779b97f4a7c15ull) >> 51);
	for (uint32_t i = 0; i < PROF_PROBES; i++) {
		struct prof_slot *s = &prof.slot[(h + i) & (PROF_SLOTS - 1)];

		if (s->count && s->pc != guest_pc)
			continue;
		s->pc = guest_pc;
		s->count++;
		return;
	}
	prof.lost++;
}

/* Shell sort: no libc in the monitor, and at most PROF_SLOTS items. */
static void sort_slots(struct prof_slot *a, unsigned n)
{
	for (unsigned gap = n / 2; gap; gap /= 2)
		for (unsigned i = gap; i < n; i++)
			for (unsigned j = i; j >= gap && a[j - gap].pc > a[j].pc; j -= gap) {
				struct prof_slot t = a[j];
				a[j] = a[j - gap];
				a[j - gap] = t;
			}
}

static void sort_funcs(struct prof_func *a, unsigned n)
{
	for (unsigned gap = n / 2; gap; gap /= 2)
		for (unsigned i = gap; i < n; i++)
			for (unsigned j = i; j >= gap && a[j - gap].samples < a[j].samples;
			     j -= gap) {
				struct prof_func t = a[j];
				a[j] = a[j - gap];
				a[j - gap] = t;
			}
}

struct prof_sum {
	struct prof_slot *pcs; /* sorted by pc */
	unsigned npcs;
	struct prof_func *funcs;
	unsigned nfuncs;
};

/* Sum the samples inside one function; each pc counts once (aliases). */
static int prof_attribute(void *ctx, uint64_t value, uint64_t size, uint32_t name)
{
	struct prof_sum *p = ctx;
	uint64_t start = value + lx_proc.image_bias, end = start + size, samples = 0;
	unsigned lo = 0, hi = p->npcs;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (p->pcs[mid].pc < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (unsigned i = lo; i < p->npcs && p->pcs[i].pc < end; i++) {
		samples += p->pcs[i].count;
		p->pcs[i].count = 0;
	}
	if (samples && p->nfuncs < p->npcs)
		p->funcs[p->nfuncs++] = (struct prof_func){name, samples};
	return 0;
}

static unsigned percent_tenths(uint64_t part, uint64_t total)
{
	return total ? (unsigned)((part * 1000 + total / 2) / total) : 0;
}

void lx_profile_report(void)
{
	struct prof_sum sum = {0};
	struct lx_symtab t;
	uint64_t attributed = 0;
	char name[PROF_NAME_MAX];

	if (!prof.slot)
		return;
	prof.frozen = 1;
	for (unsigned i = 0; i < PROF_SLOTS; i++)
		if (prof.slot[i].count)
			prof.slot[sum.npcs++] = prof.slot[i];
	sum.pcs = prof.slot;
	sort_slots(sum.pcs, sum.npcs);
	sum.funcs = plat_alloc((sum.npcs + 1) * sizeof(*sum.funcs));
	int have_symbols = lx_symtab_open(lx_proc.start->program_fd, &t) == 0;
	if (sum.funcs && have_symbols)
		lx_symtab_each(&t, prof_attribute, &sum);
	sort_funcs(sum.funcs, sum.nfuncs);

	lx_log("rvkvm: profile: %llu samples (timer asked for %u Hz), by function of %s\n",
	       (unsigned long long)prof.total, LINUX_PROFILE_HZ, lx_proc.start->execfn);
	lx_log("rvkvm: profile:   self%%   samples  function\n");
	for (unsigned i = 0; i < sum.nfuncs; i++) {
		unsigned pt = percent_tenths(sum.funcs[i].samples, prof.total);

		attributed += sum.funcs[i].samples;
		if (i >= PROF_TOP)
			continue;
		if (lx_symtab_name(&t, sum.funcs[i].name, name, sizeof(name)))
			rt_snprintf(name, sizeof(name), "?");
		lx_log("rvkvm: profile: %3u.%u%% %9llu  %s\n", pt / 10, pt % 10,
		       (unsigned long long)sum.funcs[i].samples, name);
	}
	if (sum.nfuncs > PROF_TOP)
		lx_log("rvkvm: profile:   (%u more functions)\n", sum.nfuncs - PROF_TOP);
	uint64_t rest = prof.total - prof.lost - attributed;
	if (rest) {
		unsigned pt = percent_tenths(rest, prof.total);
		lx_log("rvkvm: profile: %3u.%u%% %9llu  (outside the program's functions%s)\n",
		       pt / 10, pt % 10, (unsigned long long)rest,
		       have_symbols ? ": ld.so, shared libraries, rvkvm itself"
				    : "; it has no symbol table");
	}
	if (prof.lost)
		lx_log("rvkvm: profile: %llu samples lost (more than %u distinct pcs)\n",
		       (unsigned long long)prof.lost, PROF_SLOTS);
}
