/*
 * trace.c - `-d in_asm,out_asm,exec,int,page`: what the translator and the
 * personality do, sent to the launcher one HC_TRACE record at a time
 * (rvkvm_abi.h).  The launcher disassembles and formats; this side only
 * gathers bytes and names, so the monitor carries no disassembler.
 *
 * Records name the guest function holding their pc, from the program's
 * own symbols in memory (funcindex.c): a lookup per translated block must
 * not cost host calls.
 */
#include "lx.h"

/*
 * Guest pc -> host code of its block, so exec records can name the code
 * (the dispatcher reports only the pc).  Open addressing; a pc not found
 * within the probes is reported with host 0.  Every block is translated,
 * and so entered here, before it first runs, so no entry is ever stale
 * when it is read.
 */
#define TRACE_HOST_SLOTS 16384u /* power of two */
#define TRACE_HOST_PROBES 8u

#define TRACE_BUF_SIZE                                                                             \
	(sizeof(struct rvkvm_trace_record) + RVKVM_TRACE_NAME_MAX + RVKVM_TRACE_GUEST_MAX +        \
	 RVKVM_TRACE_HOST_MAX)
_Static_assert(RVKVM_TRACE_MAP_MAX * sizeof(struct rvkvm_trace_map) <=
		   RVKVM_TRACE_GUEST_MAX + RVKVM_TRACE_HOST_MAX,
	       "a full map record fits the record buffer");

struct trace_host_slot {
	uint64_t pc, host;
};

/* Owned by the single guest thread. */
static struct {
	uint32_t mask; /* RVKVM_TRACE_*; 0 once the launcher refuses a record */
	int started;   /* lx_trace_start() ran: map changes are reported from then on */
	uint8_t *buf;  /* the record being built, TRACE_BUF_SIZE bytes */
	const struct lx_funcs *funcs; /* NULL: no symbols, records carry no names */
	struct trace_host_slot *host;
} trace;

/* The name of the function holding pc, into dst (no NUL); its length, 0 for none. */
static uint32_t trace_lookup(uint64_t pc, uint8_t *dst)
{
	const struct lx_func *f = lx_funcs_find(trace.funcs, pc);
	const char *name;
	size_t n;

	if (!f)
		return 0;
	name = lx_funcs_name(trace.funcs, f);
	n = strnlen(name, RVKVM_TRACE_NAME_MAX);
	memcpy(dst, name, n);
	return (uint32_t)n;
}

/*
 * Start a record of `kind` about pc in trace.buf: the header with the name
 * filled in.  Returns where the kind's data goes.
 */
static uint8_t *trace_begin(struct rvkvm_trace_record *rec, uint32_t kind, uint64_t pc, int named)
{
	memset(rec, 0, sizeof(*rec));
	rec->kind = kind;
	rec->pc = pc;
	rec->name_len = named ? trace_lookup(pc, trace.buf + sizeof(*rec)) : 0;
	return trace.buf + sizeof(*rec) + rec->name_len;
}

static void trace_send(const struct rvkvm_trace_record *rec, const uint8_t *end)
{
	int64_t arg[6] = {0};
	struct plat_iov iov = {trace.buf, (uint64_t)(end - trace.buf)};
	long r;

	memcpy(trace.buf, rec, sizeof(*rec));
	r = plat_hostcall(HC_TRACE, arg, &iov, 1);
	if (r < 0) {
		trace.mask = 0;
		lx_log("rvkvm: -d: the host refused a trace record (error %ld); tracing stops\n",
		       -r);
	}
}

static void trace_map(uint32_t why, uint64_t start, uint64_t end, uint64_t pc)
{
	struct rvkvm_trace_record rec;
	uint8_t *p = trace_begin(&rec, RVKVM_TREC_MAP, pc, 0);
	unsigned n = lx_mm.count < RVKVM_TRACE_MAP_MAX ? lx_mm.count : RVKVM_TRACE_MAP_MAX;

	rec.why = why;
	rec.addr = start;
	rec.end = end;
	rec.count = n;
	rec.total = lx_mm.count;
	for (unsigned i = 0; i < n; i++) {
		const struct lx_vma *v = &lx_mm.vma[i];
		struct rvkvm_trace_map e = {v->start, v->end, (uint32_t)v->prot, 0};

		memcpy(p, &e, sizeof(e));
		p += sizeof(e);
	}
	trace_send(&rec, p);
}

void lx_trace_start(const struct lx_image *img)
{
	trace.mask =
	    lx_proc.start->trace_mask & (RVKVM_TRACE_IN_ASM | RVKVM_TRACE_OUT_ASM |
					 RVKVM_TRACE_EXEC | RVKVM_TRACE_INT | RVKVM_TRACE_PAGE);
	if (!trace.mask)
		return;
	trace.buf = plat_alloc(TRACE_BUF_SIZE);
	if (trace.mask & RVKVM_TRACE_EXEC)
		trace.host = plat_alloc(TRACE_HOST_SLOTS * sizeof(*trace.host));
	if (!trace.buf || ((trace.mask & RVKVM_TRACE_EXEC) && !trace.host)) {
		lx_log("rvkvm: -d: out of memory for tracing; not tracing\n");
		trace.mask = 0;
		return;
	}
	if (trace.mask & ~RVKVM_TRACE_PAGE)
		trace.funcs = lx_funcs_get();
	/* As qemu's -d exec,nochain: every block comes back to the dispatcher to be reported. */
	if (trace.mask & RVKVM_TRACE_EXEC)
		dbt_set_mode(dbt_mode | DBT_MODE_NOCHAIN);
	trace.started = 1;
	if (trace.mask & RVKVM_TRACE_PAGE)
		trace_map(RVKVM_TMAP_LOAD, 0, 0, img->entry);
}

static struct trace_host_slot *trace_host_slot(uint64_t pc)
{
	/* Fibonacci hashing of the instruction address (halfword aligned). */
	uint32_t h = (uint32_t)(((pc >> 1) * 0x9e3779b97f4a7c15ull) >> 50);
	struct trace_host_slot *first = &trace.host[h & (TRACE_HOST_SLOTS - 1)];

	for (uint32_t i = 0; i < TRACE_HOST_PROBES; i++) {
		struct trace_host_slot *s = &trace.host[(h + i) & (TRACE_HOST_SLOTS - 1)];

		if (s->pc == pc || !s->host)
			return s;
	}
	return first;
}

void lx_trace_block(uint64_t guest_pc, uint64_t guest_end, const void *host, uint32_t host_size)
{
	struct rvkvm_trace_record rec;
	uint8_t *p;

	if (trace.host)
		*trace_host_slot(guest_pc) =
		    (struct trace_host_slot){guest_pc, (uint64_t)(uintptr_t)host};
	if (!(trace.mask & (RVKVM_TRACE_IN_ASM | RVKVM_TRACE_OUT_ASM)))
		return;
	p = trace_begin(&rec, RVKVM_TREC_BLOCK, guest_pc, 1);
	rec.host = (uint64_t)(uintptr_t)host;
	if ((trace.mask & RVKVM_TRACE_IN_ASM) && guest_end > guest_pc &&
	    guest_end - guest_pc <= RVKVM_TRACE_GUEST_MAX &&
	    lx_vma_access_ok(guest_pc, guest_end - guest_pc, LX_PROT_EXEC)) {
		rec.guest_len = (uint32_t)(guest_end - guest_pc);
		memcpy(p, plat_g2h(guest_pc), rec.guest_len);
		p += rec.guest_len;
	}
	if (trace.mask & RVKVM_TRACE_OUT_ASM) {
		rec.host_len = host_size < RVKVM_TRACE_HOST_MAX ? host_size : RVKVM_TRACE_HOST_MAX;
		memcpy(p, host, rec.host_len);
		p += rec.host_len;
	}
	trace_send(&rec, p);
}

void lx_trace_exec(const struct dbt_cpu *cpu)
{
	struct rvkvm_trace_record rec;
	uint8_t *p;

	if (!(trace.mask & RVKVM_TRACE_EXEC))
		return;
	p = trace_begin(&rec, RVKVM_TREC_EXEC, cpu->pc, 1);
	const struct trace_host_slot *s = trace_host_slot(cpu->pc);

	if (s->pc == cpu->pc)
		rec.host = s->host;
	trace_send(&rec, p);
}

void lx_trace_signal(int sig, const struct lx_siginfo *info)
{
	struct rvkvm_trace_record rec;
	uint8_t *p;

	if (!(trace.mask & RVKVM_TRACE_INT) || sig < 1 || sig > LX_NSIG)
		return;
	p = trace_begin(&rec, RVKVM_TREC_SIGNAL, lx_proc.cpu->pc, 1);
	rec.signal = sig;
	rec.code = info->code;
	/* Positive codes are the kernel's own (faults): only those carry an address. */
	rec.addr = info->code > 0 ? info->fields.addr : 0;
	rec.handler = lx_proc.sigaction[sig - 1].handler;
	rec.blocked = (lx_proc.sigmask >> (sig - 1)) & 1;
	trace_send(&rec, p);
}

void lx_trace_map_changed(uint32_t why, uint64_t start, uint64_t end)
{
	if (trace.started && (trace.mask & RVKVM_TRACE_PAGE))
		trace_map(why, start, end, 0);
}
