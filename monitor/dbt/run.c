/*
 * run.c - the dispatcher loop and the fault entry.
 */
#include "dbt.h"

#include "cache.h"
#include "cpu_offsets.h"
#include "platform.h"
#include "rt.h"
#include "smc.h"
#include "translate.h"

struct dbt_cpu *dbt_current_cpu;
struct dbt_stats dbt_stats;
unsigned dbt_mode;

void dbt_set_mode(unsigned mode)
{
	if (mode == dbt_mode)
		return;
	dbt_mode = mode;
	dbt_flush();
}

int dbt_init(void)
{
	return dbt_cache_init();
}

static struct dbt_block *find_or_translate(struct dbt_cpu *cpu)
{
	struct dbt_block *blk = dbt_cache_lookup(cpu->pc);
	dbt_stats.dispatcher_lookups++;
	if (blk)
		return blk;
	uint64_t start = plat_clock_monotonic_ns();
	uint64_t fault_addr = 0;
	blk = dbt_cache_translate(cpu->pc, &fault_addr);
	dbt_stats.translate_ns += plat_clock_monotonic_ns() - start;
	if (!blk) {
		cpu->fault_addr = fault_addr;
		cpu->fault_access = DBT_ACCESS_EXEC;
	}
	return blk;
}

int dbt_run(struct dbt_cpu *cpu)
{
	int reason;

	dbt_current_cpu = cpu;
	dbt_jump_cache_attach(cpu);
	cpu->x[0] = 0;
	cpu->fbox_mask[0] = 0xffffffff00000000ull;
	cpu->fbox_mask[1] = 0;
	cpu->fcanon_d[0] = DBT_CANON_NAN_D;
	cpu->fcanon_d[1] = 0;
	cpu->fcanon_s[0] = DBT_CANON_NAN_S;
	cpu->fcanon_s[1] = 0;
	cpu->fnan_bound = DBT_INF_BITS_D << 1;
	dbt_fp_begin();
	for (;;) {
		if (cpu->interrupt_request) {
			reason = DBT_EXIT_INTERRUPT;
			break;
		}
		struct dbt_block *blk = find_or_translate(cpu);
		if (!blk) {
			reason = DBT_EXIT_FETCH_FAULT;
			break;
		}
		if (dbt_mode & DBT_MODE_NOCHAIN)
			dbt_observe_exec(cpu);
		uint32_t r = dbt_enter(cpu, blk->code);
		if (r == DBT_EXIT_FENCE_I) {
			dbt_flush();
			r = DBT_EXIT_CONTINUE;
		}
		if (r == DBT_EXIT_LOOP_FACTS) {
			dbt_loop_facts_failed(cpu->pc);
			dbt_cache_drop(cpu->pc);
			dbt_stats.loop_facts_dropped++;
			r = DBT_EXIT_CONTINUE;
		}
		if (r == DBT_EXIT_CONTINUE && !(dbt_mode & DBT_MODE_STEP))
			continue;
		reason = r == DBT_EXIT_CONTINUE ? DBT_EXIT_STEP : (int)r;
		break;
	}
	dbt_fp_fold(cpu);
	cpu->exit_reason = (uint32_t)reason;
	dbt_current_cpu = NULL;
	return reason;
}

/*
 * ecall, called from its block with cpu->pc at the ecall and every
 * register written back.  0: go on at the next instruction by the block's
 * chained exit.  1: leave through the dispatcher, which looks cpu->pc up:
 * a signal handler was entered or rt_sigreturn restored another pc, a host
 * signal wants cpu->interrupt_request seen now (as the dispatcher's loop
 * would at once), or translations were dropped, maybe the calling block's
 * or the next one's.  The return into the calling block is safe even
 * then (an unhooked block's code stays until a flush, a flush only resets
 * the allocator, and nothing is translated during a system call), but its
 * chained jump may aim at a dropped block.  MXCSR's accrued flags go to fflags
 * first, since signal delivery saves fcsr and rt_sigreturn restores it;
 * afterwards MXCSR is reset as at dbt_run's start, dropping flags host
 * code in the system call may have raised.
 */
RT_SYSCALL_PATH uint32_t dbt_helper_ecall(struct dbt_cpu *cpu, uint32_t unused)
{
	uint64_t next = cpu->pc + 4; /* ecall has no compressed form */
	uint64_t generation = dbt_cache_generation;

	(void)unused;
	dbt_fp_fold(cpu);
	dbt_guest_ecall(cpu);
	dbt_fp_begin();
	cpu->x[0] = 0;
	return cpu->pc != next || cpu->interrupt_request || dbt_cache_generation != generation;
}

/*
 * An f register's bits from the faulting context: a raw one (translate.h,
 * TR_FDIRTY_RAW) that is a NaN becomes the canonical NaN of its width.
 */
static uint64_t written_back(uint64_t bits, uint8_t fdirty)
{
	if (!(fdirty & TR_FDIRTY_RAW))
		return bits;
	if (fdirty & TR_FDIRTY_SINGLE)
		return (uint32_t)bits << 1 > (uint32_t)DBT_INF_BITS_S << 1 ? DBT_CANON_NAN_S : bits;
	return bits << 1 > DBT_INF_BITS_D << 1 ? DBT_CANON_NAN_D : bits;
}

static const struct dbt_side_entry *side_lookup(const struct dbt_block *blk, uintptr_t rip)
{
	uint32_t offset = (uint32_t)(rip - (uintptr_t)blk->code);
	for (uint32_t k = 0; k < blk->side_count; k++)
		if (blk->side[k].host_offset == offset)
			return &blk->side[k];
	return NULL;
}

/*
 * Exact for guest memory accesses (the side table); elsewhere in a block,
 * the pc of the closest access before host_rip, or of the block's start.
 */
uint64_t dbt_guest_pc_at(uint64_t host_rip)
{
	const struct dbt_block *blk = dbt_cache_find_host((uintptr_t)host_rip);
	if (!blk)
		return 0;
	uint32_t offset = (uint32_t)((uintptr_t)host_rip - (uintptr_t)blk->code);
	uint64_t pc = blk->pc;
	for (uint32_t k = 0; k < blk->side_count; k++)
		if (blk->side[k].host_offset <= offset)
			pc = blk->pc + blk->side[k].pc_offset;
	return pc;
}

int dbt_fault(uint64_t host_rip, uint64_t gva, int access, const uint64_t gpr[DBT_GPRS],
	      const uint64_t *xmm)
{
	if (dbt_guest_page_fill(gva, access) > 0)
		return DBT_FAULT_RETRY;
	if ((access & DBT_ACCESS_WRITE) && smc_is_protected(gva)) {
		dbt_invalidate_range(RT_ALIGN_DOWN(gva, GUEST_PAGE_SIZE), GUEST_PAGE_SIZE);
		dbt_stats.smc_invalidations++;
		return DBT_FAULT_RETRY;
	}
	struct dbt_cpu *cpu = dbt_current_cpu;
	if (!cpu)
		return DBT_FAULT_NOT_GUEST;
	const struct dbt_block *blk = dbt_cache_find_host((uintptr_t)host_rip);
	const struct dbt_side_entry *e = blk ? side_lookup(blk, (uintptr_t)host_rip) : NULL;
	if (!e)
		return DBT_FAULT_NOT_GUEST;
	cpu->x[TR_SP_GUEST] = gpr[TR_SP];
	for (unsigned slot = 0; slot < DBT_CACHE_SLOTS; slot++)
		if (e->dirty[slot])
			cpu->x[e->dirty[slot]] = gpr[dbt_cache_pool[slot]];
	for (unsigned k = 0; k < TR_FPOOL_SLOTS && xmm; k++)
		if (e->fdirty[k])
			cpu->f[TR_FDIRTY_REG(e->fdirty[k])] =
			    written_back(xmm[TR_FPOOL_FIRST + k], e->fdirty[k]);
	cpu->pc = blk->pc + e->pc_offset;
	cpu->fault_addr = gva;
	cpu->fault_access = e->as_store ? DBT_ACCESS_WRITE : (uint32_t)access;
	return DBT_FAULT_UNWIND;
}
