/*
 * profile_stack.c - the call stacks of `--profile=FILE`, written at exit in
 * the folded format flame graph tools read (`main;work;leaf 42`, root
 * first), to the file the launcher opened (profile_fd), or on the console
 * between two marker lines when there is none (multiboot).
 *
 * Stacks come from the guest's frame-pointer chain, as perf's fp mode
 * does: riscv64 code built with -fno-omit-frame-pointer keeps s0 at the
 * frame's top with the return address at s0-8 and the caller's s0 at
 * s0-16; a leaf function that saves no ra keeps the caller's s0 at s0-8
 * and its return address in ra (the same rule Linux's riscv
 * walk_stackframe applies).  Code without frame pointers gives short or
 * wrong stacks; the leaf is always right.
 *
 * Which registers: a tick lands anywhere in a translated block, where s0,
 * ra and sp may live in host registers of the register cache, unknown at
 * that point (only memory accesses have side-table entries).  The walk
 * uses struct dbt_cpu's copies instead: what the last block boundary (or
 * a write-back) left there.  That is stale but safe, and right except in
 * the block that sets up a frame.  Every read is bounded to the initial
 * stack and checked with lx_vma_access_ok; samples outside translated
 * code (system calls, the translator) record the leaf alone, because the
 * memory map may be in the middle of a change there.
 */
#include "lx.h"

#define STACK_DEPTH 32u
#define STACK_SLOTS 2048u /* distinct stacks; power of two */
#define STACK_PROBES 16u
#define STACK_OUT_BUF 8192u
#define STACK_NAME_MAX 96u
#define STACK_UNKNOWN (~0ull)
#define RISCV_S0 8
#define RISCV_RA 1
#define RISCV_SP 2

struct stack_slot {
	uint32_t count;
	uint32_t depth;
	uint64_t pc[STACK_DEPTH]; /* leaf first; then return addresses */
};

/* Owned by the single guest thread; the timer only adds (profile.c stops it). */
static struct {
	struct stack_slot *slot;
	uint64_t lost;
} st;

void lx_profile_stack_init(void)
{
	st.slot = plat_alloc(STACK_SLOTS * sizeof(*st.slot));
	if (!st.slot)
		lx_log("rvkvm: profile: no memory for call stacks; flat profile only\n");
}

/* A frame pointer of the initial stack, above the frame below it. */
static int frame_ok(uint64_t fp, uint64_t below)
{
	return !(fp & 7) && fp >= below + 16 && fp <= LX_STACK_TOP && fp - 16 >= lx_mm.stack_low;
}

static int read_pair(uint64_t gva, uint64_t pair[2])
{
	if (!lx_vma_access_ok(gva, 16, PLAT_PROT_READ))
		return -1;
	memcpy(pair, plat_g2h(gva), 16);
	return 0;
}

static unsigned walk(const struct dbt_cpu *cpu, uint64_t *pc, unsigned n)
{
	uint64_t fp = cpu->x[RISCV_S0], below = cpu->x[RISCV_SP];

	for (int first = 1; n < STACK_DEPTH; first = 0) {
		uint64_t pair[2], next, ret; /* pair: [fp-16] caller's s0, [fp-8] ra */

		if (!frame_ok(fp, below) || read_pair(fp - 16, pair))
			break;
		if (first && pair[1] > fp && pair[1] <= LX_STACK_TOP && !(pair[1] & 7)) {
			next = pair[1];
			ret = cpu->x[RISCV_RA];
		} else {
			next = pair[0];
			ret = pair[1];
		}
		if (!ret || ret >= GUEST_VA_LIMIT)
			break;
		pc[n++] = ret;
		if (next <= fp)
			break;
		below = fp;
		fp = next;
	}
	return n;
}

void lx_profile_stack_sample(uint64_t leaf_pc, const struct dbt_cpu *cpu)
{
	uint64_t pc[STACK_DEPTH], h = 0;
	unsigned n = 1;

	if (!st.slot)
		return;
	pc[0] = leaf_pc;
	if (cpu)
		n = walk(cpu, pc, n);
	for (unsigned i = 0; i < n; i++)
		h = (h ^ pc[i]) * 0x100000001b3ull;
	h = (h * 0x9e3779b97f4a7c15ull) >> 53;
	for (uint32_t i = 0; i < STACK_PROBES; i++) {
		struct stack_slot *s = &st.slot[(h + i) & (STACK_SLOTS - 1)];

		if (s->count && (s->depth != n || memcmp(s->pc, pc, n * sizeof(pc[0]))))
			continue;
		if (!s->count) {
			s->depth = n;
			memcpy(s->pc, pc, n * sizeof(pc[0]));
		}
		s->count++;
		return;
	}
	st.lost++;
}

/* Root-first order of function indexes; shorter first on a common prefix. */
static int stack_cmp(const struct stack_slot *a, const struct stack_slot *b)
{
	for (unsigned i = 0; i < a->depth && i < b->depth; i++) {
		uint64_t x = a->pc[a->depth - 1 - i], y = b->pc[b->depth - 1 - i];

		if (x != y)
			return x < y ? -1 : 1;
	}
	return a->depth < b->depth ? -1 : a->depth > b->depth;
}

static void sort_stacks(struct stack_slot *a, unsigned n)
{
	for (unsigned gap = n / 2; gap; gap /= 2)
		for (unsigned i = gap; i < n; i++)
			for (unsigned j = i; j >= gap && stack_cmp(&a[j - gap], &a[j]) > 0;
			     j -= gap) {
				struct stack_slot t = a[j];
				a[j] = a[j - gap];
				a[j - gap] = t;
			}
}

/* The output: the profile file, or the console (plat_log) without one. */
static struct {
	char buf[STACK_OUT_BUF];
	size_t used;
	int fd, failed;
} out;

static void out_flush(void)
{
	if (!out.used)
		return;
	if (!out.fd)
		plat_log(out.buf, out.used);
	else if (!out.failed && lx_host_write_all(out.fd, out.buf, out.used) < 0)
		out.failed = 1;
	out.used = 0;
}

static void out_put(const char *s, size_t len)
{
	while (len) {
		size_t n = STACK_OUT_BUF - out.used < len ? STACK_OUT_BUF - out.used : len;

		memcpy(out.buf + out.used, s, n);
		out.used += n;
		s += n;
		len -= n;
		if (out.used == STACK_OUT_BUF)
			out_flush();
	}
}

static void put_line(const struct lx_funcs *t, const struct stack_slot *s)
{
	char tail[32];

	for (unsigned i = s->depth; i-- > 0;) {
		const char *name =
		    s->pc[i] == STACK_UNKNOWN ? "[unknown]" : lx_funcs_name(t, &t->f[s->pc[i]]);

		out_put(name, strnlen(name, STACK_NAME_MAX));
		if (i)
			out_put(";", 1);
	}
	int n = rt_snprintf(tail, sizeof(tail), " %u\n", s->count);
	out_put(tail, (size_t)n);
}

void lx_profile_stack_report(void)
{
	const struct lx_funcs *t = lx_funcs_get();
	unsigned n = 0;

	if (!st.slot)
		return;
	for (unsigned i = 0; i < STACK_SLOTS; i++) {
		struct stack_slot *s = &st.slot[i];

		if (!s->count)
			continue;
		/* Return addresses point after the call: look up the call itself. */
		for (unsigned k = 0; k < s->depth; k++) {
			const struct lx_func *f = lx_funcs_find(t, k ? s->pc[k] - 2 : s->pc[k]);

			s->pc[k] = f ? (uint64_t)(f - t->f) : STACK_UNKNOWN;
		}
		st.slot[n++] = *s;
	}
	sort_stacks(st.slot, n);

	out.fd = lx_proc.start->profile_fd;
	if (!out.fd)
		lx_log("rvkvm: profile: folded stacks (function;function;leaf samples) follow, "
		       "up to \"rvkvm: profile: end of folded stacks\"\n");
	for (unsigned i = 0; i < n;) {
		unsigned j = i + 1;

		while (j < n && !stack_cmp(&st.slot[i], &st.slot[j]))
			st.slot[i].count += st.slot[j++].count;
		put_line(t, &st.slot[i]);
		i = j;
	}
	out_flush();
	if (!out.fd)
		lx_log("rvkvm: profile: end of folded stacks\n");
	if (out.failed)
		lx_log(
		    "rvkvm: profile: writing the folded stacks failed; the file is incomplete\n");
	if (st.lost)
		lx_log("rvkvm: profile: %llu stacks lost (more than %u distinct)\n",
		       (unsigned long long)st.lost, STACK_SLOTS);
}
