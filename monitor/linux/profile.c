/*
 * profile.c - `--profile`: the platform's profiling timer hands us each
 * tick (linux_profile_tick, from a signal handler or an interrupt), and at
 * exit the samples are summed by the program's function symbols
 * (funcindex.c) into a flat profile on stderr (the console under
 * multiboot).  Call stacks for --profile=FILE are profile_stack.c's.
 *
 * The sample table is filled asynchronously, so it is a fixed array with
 * open addressing and no allocation after start; a pc that finds no free
 * slot within a few probes is counted as lost rather than waited for.
 */
#include "lx.h"

#define PROF_SLOTS 8192u /* distinct sampled pcs; power of two */
#define PROF_PROBES 32u
#define PROF_TOP 25u /* functions listed */

struct prof_slot {
	uint64_t pc;
	uint64_t count;
};

struct prof_func {
	const struct lx_func *f;
	uint64_t samples;
};

/* Owned by the single guest thread; the timer only adds, and stops adding
 * once `frozen` is set at exit. */
static struct {
	struct prof_slot *slot;
	uint64_t total, lost;
	int folded;
	volatile int frozen;
} prof;

void lx_profile_init(void)
{
	prof.slot = plat_alloc(PROF_SLOTS * sizeof(*prof.slot));
	if (!prof.slot) {
		lx_log("rvkvm: profile: no memory for the sample table; not profiling\n");
		return;
	}
	prof.folded = !!(lx_proc.start->profile_flags & RVKVM_PROFILE_FOLDED);
	if (prof.folded)
		lx_profile_stack_init();
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

/*
 * In translated code the side table gives the guest pc (dbt_guest_pc_at),
 * and nothing in the personality is half-changed, so the stack may be
 * walked.  Anywhere else (the translator, helpers, a host call made for a
 * system call) the sample goes to the pc the vCPU state last recorded:
 * during a system call that is the ecall's.
 */
void linux_profile_tick(uint64_t host_rip)
{
	uint64_t pc = host_rip ? dbt_guest_pc_at(host_rip) : 0;
	const struct dbt_cpu *cpu = dbt_current_cpu;

	if (!prof.slot || prof.frozen)
		return;
	if (!pc || !cpu) {
		pc = lx_proc.cpu ? lx_proc.cpu->pc : 0;
		cpu = NULL;
	}
	if (prof.folded)
		lx_profile_stack_sample(pc, cpu);
	linux_profile_sample(pc);
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

static unsigned percent_tenths(uint64_t part, uint64_t total)
{
	return total ? (unsigned)((part * 1000 + total / 2) / total) : 0;
}

/* Sum the samples by function into funcs[] (one entry per function sampled). */
static unsigned sum_by_function(const struct lx_funcs *t, struct prof_func *funcs,
				uint64_t *attributed)
{
	uint64_t *per = plat_alloc((t->count + 1) * sizeof(*per));
	unsigned n = 0;

	if (!per)
		return 0;
	for (unsigned i = 0; i < PROF_SLOTS; i++) {
		const struct lx_func *f;

		if (prof.slot[i].count && (f = lx_funcs_find(t, prof.slot[i].pc))) {
			per[f - t->f] += prof.slot[i].count;
			*attributed += prof.slot[i].count;
		}
	}
	for (unsigned k = 0; k < t->count && n < PROF_SLOTS; k++)
		if (per[k])
			funcs[n++] = (struct prof_func){&t->f[k], per[k]};
	plat_free(per);
	return n;
}

void lx_profile_report(void)
{
	const struct lx_funcs *t;
	struct prof_func *funcs;
	uint64_t attributed = 0;
	unsigned nfuncs = 0;

	if (!prof.slot)
		return;
	prof.frozen = 1;
	t = lx_funcs_get();
	funcs = plat_alloc(PROF_SLOTS * sizeof(*funcs));
	if (funcs && t)
		nfuncs = sum_by_function(t, funcs, &attributed);
	sort_funcs(funcs, nfuncs);

	lx_log("rvkvm: profile: %llu samples (timer asked for %u Hz), by function of %s\n",
	       (unsigned long long)prof.total, (unsigned)lx_proc.start->profile,
	       lx_proc.start->execfn);
	lx_log("rvkvm: profile:   self%%   samples  function\n");
	for (unsigned i = 0; i < nfuncs && i < PROF_TOP; i++) {
		unsigned pt = percent_tenths(funcs[i].samples, prof.total);

		lx_log("rvkvm: profile: %3u.%u%% %9llu  %.80s\n", pt / 10, pt % 10,
		       (unsigned long long)funcs[i].samples, lx_funcs_name(t, funcs[i].f));
	}
	if (nfuncs > PROF_TOP)
		lx_log("rvkvm: profile:   (%u more functions)\n", nfuncs - PROF_TOP);
	uint64_t rest = prof.total - prof.lost - attributed;
	if (rest) {
		unsigned pt = percent_tenths(rest, prof.total);
		lx_log("rvkvm: profile: %3u.%u%% %9llu  (outside the program's functions%s)\n",
		       pt / 10, pt % 10, (unsigned long long)rest,
		       t ? ": ld.so, shared libraries, rvkvm itself" : "; it has no symbol table");
	}
	if (prof.lost)
		lx_log("rvkvm: profile: %llu samples lost (more than %u distinct pcs)\n",
		       (unsigned long long)prof.lost, PROF_SLOTS);
	if (prof.folded)
		lx_profile_stack_report();
}
