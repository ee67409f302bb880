/*
 * translate.c - one guest basic block to x86-64: fetch (including
 * instructions that straddle a page boundary), decode, the per-instruction
 * handlers, and the shared pieces of emitted code (guest register access,
 * block exits, bounds checks, out-of-line fault paths).
 */
#include "translate.h"

#include "cpu_offsets.h"
#include "platform.h"
#include "rt.h"
#include "rvc.h"

struct emit_mem tr_x(unsigned r)
{
	return emit_mem_bd(TR_CPU, (int32_t)(DBT_CPU_X + 8 * r));
}

struct emit_mem tr_f(unsigned r)
{
	return emit_mem_bd(TR_CPU, (int32_t)(DBT_CPU_F + 8 * r));
}

struct emit_mem tr_cpu(int32_t offset)
{
	return emit_mem_bd(TR_CPU, offset);
}

/*
 * The register cache.  Within a block, guest registers once read or written
 * live in host registers from this pool, so dependent instructions do not
 * wait on store-to-load round trips through struct dbt_cpu, and most
 * results are never stored at all.  Dirty registers are written back
 * (tr_sync) before anything that can fault or leave the block: a guest
 * memory access, a helper call, an exit.  So struct dbt_cpu holds the
 * precise guest state wherever the side table or an exit can stop the
 * block, and every block is entered with the cache empty.  Handlers use
 * only rax, rcx, rdx, rsi and rdi, and must leave the cache alike on every
 * path that merges (read operands before branching, write results after).
 */
static const int8_t cache_pool[] = {EMIT_RBX, EMIT_RBP, EMIT_R12, EMIT_R8,
				    EMIT_R9,  EMIT_R10, EMIT_R11};

void tr_cache_reset(struct dbt_tb *tb)
{
	memset(tb->host_of, -1, sizeof(tb->host_of));
	memset(tb->guest_of, -1, sizeof(tb->guest_of));
	tb->dirty = 0;
	tb->next_victim = 0;
}

void tr_sync(struct dbt_tb *tb)
{
	for (unsigned r = 1; r < 32 && tb->dirty; r++) {
		if (tb->dirty & (1u << r)) {
			emit_mov_m64_r64(&tb->b, tr_x(r), tb->host_of[r]);
			tb->dirty &= ~(1u << r);
		}
	}
}

/* A pool register for guest r, evicting the oldest mapping when none is free. */
static int cache_assign(struct dbt_tb *tb, unsigned r)
{
	if (tb->host_of[r] >= 0)
		return tb->host_of[r];
	int host = cache_pool[tb->next_victim];
	tb->next_victim = (tb->next_victim + 1) % RT_ARRAY_SIZE(cache_pool);
	int old = tb->guest_of[host];
	if (old >= 0) {
		if (tb->dirty & (1u << old)) {
			emit_mov_m64_r64(&tb->b, tr_x((unsigned)old), host);
			tb->dirty &= ~(1u << old);
		}
		tb->host_of[old] = -1;
	}
	tb->guest_of[host] = (int8_t)r;
	tb->host_of[r] = (int8_t)host;
	return host;
}

/* The host register holding guest r (r != 0), loading it on a miss. */
int tr_cached_x(struct dbt_tb *tb, unsigned r)
{
	if (tb->host_of[r] >= 0)
		return tb->host_of[r];
	int host = cache_assign(tb, r);
	emit_mov_r64_m64(&tb->b, host, tr_x(r));
	return host;
}

void tr_load_x(struct dbt_tb *tb, int host, unsigned r)
{
	if (r == 0)
		emit_alu_r32_r32(&tb->b, EMIT_XOR, host, host);
	else
		emit_mov_r64_r64(&tb->b, host, tr_cached_x(tb, r));
}

/* host = host op x[r] */
void tr_alu_x(struct dbt_tb *tb, enum emit_alu op, int host, unsigned r)
{
	if (r == 0)
		emit_alu_r64_imm32(&tb->b, op, host, 0);
	else
		emit_alu_r64_r64(&tb->b, op, host, tr_cached_x(tb, r));
}

/* x0 is hard-wired to zero: writes to it are dropped (spec 2.1). */
void tr_store_x(struct dbt_tb *tb, unsigned r, int host)
{
	if (r == 0)
		return;
	emit_mov_r64_r64(&tb->b, cache_assign(tb, r), host);
	tb->dirty |= 1u << r;
}

static void store_imm(struct dbt_tb *tb, struct emit_mem m, uint64_t value)
{
	if ((int64_t)value == (int32_t)value) {
		emit_mov_m64_simm32(&tb->b, m, (int32_t)value);
	} else {
		emit_mov_r64_imm64(&tb->b, EMIT_RCX, value);
		emit_mov_m64_r64(&tb->b, m, EMIT_RCX);
	}
}

void tr_set_x_imm(struct dbt_tb *tb, unsigned r, uint64_t value)
{
	if (r == 0)
		return;
	int host = cache_assign(tb, r);
	if ((int64_t)value == (int32_t)value)
		emit_mov_r64_simm32(&tb->b, host, (int32_t)value);
	else
		emit_mov_r64_imm64(&tb->b, host, value);
	tb->dirty |= 1u << r;
}

/*
 * Jumps to trampoline code outside the code cache: rel32 when in reach
 * (plat_code_alloc promises it), an absolute jump through rax otherwise.
 * The far case clobbers rcx, which no trampoline entry reads.
 */
void tr_jump(struct dbt_tb *tb, const void *target)
{
	if (emit_rel32_reaches(tb->b.p + 5, target)) {
		emit_jmp_rel32(&tb->b, target);
	} else {
		emit_mov_r64_imm64(&tb->b, EMIT_RCX, (uint64_t)(uintptr_t)target);
		emit_jmp_r64(&tb->b, EMIT_RCX);
	}
}

/*
 * A direct exit, chainable: the jmp first goes to the stub right after it;
 * the cache re-aims it at the target block once that exists, so a chained
 * exit costs one jump and skips the pc store.
 */
void tr_exit_to(struct dbt_tb *tb, uint64_t pc)
{
	tr_sync(tb);
	size_t field = emit_jmp_rel32(&tb->b, NULL);
	tr_here(tb, field);
	size_t stub = emit_offset(&tb->b);
	store_imm(tb, tr_cpu(DBT_CPU_PC), pc);
	tr_jump(tb, dbt_exit_continue);
	if (tb->exit_count < DBT_MAX_EXITS)
		tb->exit[tb->exit_count++] = (struct dbt_direct_exit){field, stub, pc};
}

void tr_exit_reason(struct dbt_tb *tb, uint64_t pc, uint32_t reason)
{
	tr_sync(tb);
	store_imm(tb, tr_cpu(DBT_CPU_PC), pc);
	emit_mov_r32_imm32(&tb->b, EMIT_RAX, reason);
	tr_jump(tb, dbt_exit_reason);
}

void tr_exit_illegal(struct dbt_tb *tb)
{
	emit_mov_m32_imm32(&tb->b, tr_cpu(DBT_CPU_FAULT_INSN), tb->in->raw);
	tr_exit_reason(tb, tb->in->pc, DBT_EXIT_ILLEGAL);
}

/* Aims the rel32 at `field` (from emit_jcc_rel32 & co.) at the current position. */
void tr_here(struct dbt_tb *tb, size_t field)
{
	if (!tb->b.overflow)
		emit_patch_rel32(tb->b.start + field, tb->b.p);
}

/* The next host instruction touches guest memory on behalf of tb->in. */
void tr_side_mark(struct dbt_tb *tb)
{
	if (tb->side_count == DBT_MAX_SIDE) {
		tb->b.overflow = 1;
		return;
	}
	tb->side[tb->side_count++] = (struct dbt_side_entry){
	    .host_offset = (uint32_t)emit_offset(&tb->b),
	    .pc_offset = (uint32_t)(tb->in->pc - tb->block_pc),
	};
}

static void add_stub(struct dbt_tb *tb, size_t jcc_field, int access)
{
	if (tb->stub_count == RT_ARRAY_SIZE(tb->stub)) {
		tb->b.overflow = 1;
		return;
	}
	tb->stub[tb->stub_count++] = (struct dbt_stub){jcc_field, tb->in->pc, access};
}

/*
 * rax = x[rs1] + imm, then the isolation check of DESIGN.md section 5:
 * unsigned rax >= GUEST_VA_LIMIT leaves through an out-of-line stub that
 * reports a fault at this instruction.  An access that starts below the
 * limit and crosses it lands in the platform's guard and faults in
 * hardware, which the side table makes precise.
 */
void tr_guest_addr(struct dbt_tb *tb, unsigned rs1, int64_t imm, int access)
{
	tr_sync(tb);
	if (rs1 != 0 && imm)
		emit_lea_r64_m(&tb->b, EMIT_RAX, emit_mem_bd(tr_cached_x(tb, rs1), (int32_t)imm));
	else if (rs1 != 0)
		tr_load_x(tb, EMIT_RAX, rs1);
	else
		emit_mov_r64_simm32(&tb->b, EMIT_RAX, (int32_t)imm);
#ifdef DBT_MEASURE_UNCHECKED
	/* Only for measuring what the check costs (docs/translator.md): never shipped. */
	return;
#endif
	emit_alu_r64_r64(&tb->b, EMIT_CMP, EMIT_RAX, TR_LIMIT);
	add_stub(tb, emit_jcc_rel32(&tb->b, EMIT_CC_AE, NULL), access);
}

/*
 * After tr_guest_addr: LR/SC/AMOs must be naturally aligned (spec 8.2,
 * 8.4); Linux does not emulate misaligned atomics and sends SIGBUS.
 */
void tr_check_aligned(struct dbt_tb *tb, unsigned size, int access)
{
	emit_test_r32_imm32(&tb->b, EMIT_RAX, size - 1);
	add_stub(tb, emit_jcc_rel32(&tb->b, EMIT_CC_NE, NULL), access | DBT_ACCESS_MISALIGNED);
}

/* Calls fn(cpu, arg) with the System V ABI; rsp is 16-byte aligned in blocks. */
void tr_call_helper(struct dbt_tb *tb, const void *fn, uint32_t arg)
{
	tr_sync(tb);
	emit_mov_r64_r64(&tb->b, EMIT_RDI, TR_CPU);
	emit_mov_r32_imm32(&tb->b, EMIT_RSI, arg);
	if (emit_rel32_reaches(tb->b.p + 5, fn)) {
		emit_call_rel32(&tb->b, fn);
	} else {
		emit_mov_r64_imm64(&tb->b, EMIT_RAX, (uint64_t)(uintptr_t)fn);
		emit_call_r64(&tb->b, EMIT_RAX);
	}
	/* The call clobbers r8-r11, and the helper may write any guest register. */
	tr_cache_reset(tb);
}

/* Every block ends in an exit, which synced: the stubs write back nothing. */
static void emit_stubs(struct dbt_tb *tb)
{
	for (unsigned k = 0; k < tb->stub_count; k++) {
		const struct dbt_stub *s = &tb->stub[k];
		tr_here(tb, s->jcc_field);
		emit_mov_m64_r64(&tb->b, tr_cpu(DBT_CPU_FAULT_ADDR), EMIT_RAX);
		emit_mov_m32_imm32(&tb->b, tr_cpu(DBT_CPU_FAULT_ACCESS), (uint32_t)s->access);
		tr_exit_reason(tb, s->pc, DBT_EXIT_FAULT);
	}
}

/* ---- fetch ---- */

static int page_executable(uint64_t gva)
{
	if (gva >= GUEST_VA_LIMIT)
		return 0;
	int prot = dbt_guest_page_prot(RT_ALIGN_DOWN(gva, GUEST_PAGE_SIZE));
	return prot >= 0 && (prot & PLAT_PROT_EXEC);
}

static uint16_t read_half(uint64_t gva)
{
	uint16_t v;
	memcpy(&v, plat_g2h(gva), sizeof(v));
	return v;
}

/*
 * Fetches the instruction at pc in two halves, so one that straddles a page
 * boundary checks both pages.  A block stays on its first page, so only its
 * first instruction needs pc's page checked.  Returns 0, or -1 with
 * *fault_addr set.
 */
static int fetch(uint64_t pc, int check_page, struct dbt_insn *in, uint64_t *fault_addr)
{
	if (check_page && !page_executable(pc)) {
		*fault_addr = pc;
		return -1;
	}
	uint16_t lo = read_half(pc);
	in->pc = pc;
	if ((lo & 3) != 3) {
		in->len = 2;
		in->raw = lo;
		in->word = rvc_expand(lo);
		return 0;
	}
	uint64_t hi_pc = pc + 2;
	if (hi_pc % GUEST_PAGE_SIZE == 0 && !page_executable(hi_pc)) {
		*fault_addr = hi_pc;
		return -1;
	}
	in->len = 4;
	in->raw = lo | (uint32_t)read_half(hi_pc) << 16;
	in->word = in->raw;
	return 0;
}

int dbt_translate(struct dbt_tb *tb, uint64_t pc, uint64_t *pc_end, uint64_t *fault_addr)
{
	struct dbt_insn in;
	uint64_t page = RT_ALIGN_DOWN(pc, GUEST_PAGE_SIZE);
	unsigned count = 0;

	tb->block_pc = pc;
	tb->side_count = 0;
	tb->stub_count = 0;
	tb->exit_count = 0;
	tb->in = &in;
	tr_cache_reset(tb);

	/* instret counts whole blocks (docs/translator.md): patched below. */
	emit_alu_m64_imm32(&tb->b, EMIT_ADD, tr_cpu(DBT_CPU_INSTRET), 0x7fffffff);
	uint8_t *instret_imm = tb->b.p - 4;

	for (;;) {
		if (fetch(pc, count == 0, &in, fault_addr) < 0) {
			if (count == 0)
				return DBT_EXIT_FETCH_FAULT;
			tr_exit_to(tb, pc);
			break;
		}
		count++;
		int ends;
		if (in.word == 0 || !dbt_decode(&in)) {
			tr_exit_illegal(tb);
			ends = 1;
		} else {
			ends = in.op->translate(tb, &in);
		}
		pc += in.len;
		if (ends)
			break;
		if (count == DBT_BLOCK_MAX_INSNS || RT_ALIGN_DOWN(pc, GUEST_PAGE_SIZE) != page) {
			tr_exit_to(tb, pc);
			break;
		}
	}
	emit_stubs(tb);
	if (tb->b.overflow)
		return -1;
	uint32_t n = count;
	memcpy(instret_imm, &n, 4);
	*pc_end = pc;
	dbt_stats.guest_insns_translated += count;
	return 0;
}
