/*
 * translate.c - one guest basic block to x86-64: fetch (including
 * instructions that straddle a page boundary), decode, the per-instruction
 * handlers, and the shared pieces of emitted code (guest register access,
 * block exits, bounds checks, out-of-line fault paths).
 */
#include "translate.h"

#include "cpu_offsets.h"
#include "fpu.h"
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
 * (tr_sync) before a helper call or an exit, so every block is entered
 * with the cache empty.  Guest memory accesses do not sync: the side
 * table and the fault stubs record which pool register holds which dirty
 * guest register there, and a fault writes them back (dbt_fault, the
 * stubs), which keeps faults precise.  Handlers use rax as scratch; one
 * that needs rcx (a shift count in cl, a second scratch) or rdx (mul,
 * div, the jump cache probe) claims it first (tr_claim): those two are
 * the last pool registers handed out before r14.  Handlers must leave the
 * cache alike on every path that merges (read operands before branching,
 * write results after).
 */
const int8_t dbt_cache_pool[DBT_CACHE_SLOTS] = {EMIT_RBX, EMIT_R12, EMIT_R8,  EMIT_R9,
						EMIT_R10, EMIT_R11, EMIT_RDI, EMIT_RSI,
						EMIT_RCX, EMIT_RDX, EMIT_R14};

/*
 * The guest stack pointer lives in TR_SP (rbp) for the whole of
 * translated code, not in the pool: nearly every block addresses memory
 * through it, and reloading it at each block's entry put a load, still in
 * flight from the previous block's write-back, at the head of every
 * stack access chain (fib's hottest block spent a sixth of its samples
 * there).  struct dbt_cpu's copy is current only outside translated code:
 * dbt_enter loads it, the exits to the dispatcher store it (enter.S),
 * helper calls store and reload it, and dbt_fault takes it from the
 * faulting context.  In the cache it is always mapped and never dirty.
 */
#define TR_SP_BIT (1u << TR_SP_GUEST)

/*
 * How many of the pool registers blocks may use: all of them where guest
 * address A is host address A (kvm, multiboot, and proc when its region
 * could be reserved at 0), else all but r14, which then holds the base.
 * Each register is worth it: the rounds of sha256 and the unrolled
 * recursion of fib keep more guest registers live than the pool holds
 * (docs/translator.md, "Measurements of the fourth and fifth rounds").
 */
unsigned tr_pool_slots(void)
{
	return plat_guest_base ? DBT_CACHE_SLOTS - 1 : DBT_CACHE_SLOTS;
}

/* The host operand for guest address reg + disp (reg holds a checked guest address). */
struct emit_mem tr_guest_at(int reg, int32_t disp)
{
	if (!plat_guest_base)
		return emit_mem_bd(reg, disp);
	return (struct emit_mem){TR_BASE, reg, 1, disp};
}

/* Which pool slot holds which dirty guest register, for a fault at this point. */
static void dirty_snapshot(const struct dbt_tb *tb, uint8_t dirty[DBT_CACHE_SLOTS])
{
	for (unsigned k = 0; k < DBT_CACHE_SLOTS; k++) {
		int g = tb->guest_of[dbt_cache_pool[k]];
		dirty[k] = g > 0 && (tb->dirty & (1u << g)) ? (uint8_t)g : 0;
	}
}

void tr_cache_reset(struct dbt_tb *tb)
{
	memset(tb->host_of, -1, sizeof(tb->host_of));
	memset(tb->guest_of, -1, sizeof(tb->guest_of));
	tb->host_of[TR_SP_GUEST] = TR_SP;
	tb->guest_of[TR_SP] = TR_SP_GUEST;
	tb->dirty = 0;
	memset(tb->last_use, 0, sizeof(tb->last_use));
	tb->use_clock = 0;
	tb->insn_clock = 0;
	tr_fcache_reset(tb);
}

void tr_sync(struct dbt_tb *tb)
{
	tr_fsync(tb);
	tb->dirty &= ~TR_SP_BIT;
	for (unsigned r = 1; r < 32 && tb->dirty; r++) {
		if (tb->dirty & (1u << r)) {
			emit_mov_m64_r64(&tb->b, tr_x(r), tb->host_of[r]);
			tb->dirty &= ~(1u << r);
		}
	}
}

/* Index of the first pre-scanned instruction from `from` on that names guest r. */
static unsigned next_use_from(const struct dbt_tb *tb, int r, unsigned from)
{
	for (unsigned i = from; i < tb->insn_scanned; i++)
		if (tb->insn_named[i] & (1u << r))
			return i;
	return DBT_BLOCK_MAX_INSNS;
}

/*
 * ... that reads it; none (DBT_BLOCK_MAX_INSNS) when one overwrites r
 * first, from where its value is dead in the block.  For an operand, not
 * for eviction: a dirty register kept until it is overwritten is never
 * stored at all, which evicting it early would throw away.
 */
static unsigned next_read_from(const struct dbt_tb *tb, int r, unsigned from)
{
	for (unsigned i = from; i < tb->insn_scanned; i++) {
		if (tb->insn_read[i] & (1u << r))
			return i;
		if (tb->insn_named[i] & (1u << r))
			return DBT_BLOCK_MAX_INSNS;
	}
	return DBT_BLOCK_MAX_INSNS;
}

/* ... from the current instruction on. */
static unsigned next_use(const struct dbt_tb *tb, int r)
{
	return next_use_from(tb, r, tb->insn_index);
}

/*
 * Whether guest r, not cached, is better read from memory as an operand
 * than given a pool register: the block does not read it again before it
 * is overwritten (caching it would cost a copy, as in a `mv` from it, and
 * a pool register for nothing: a prologue's `sd s5, 8(sp)` before
 * `slli s5, a1, 5`), or its next use after this instruction comes no sooner than
 * that of every register eviction could pick (Belady's choice with
 * bypass): caching it would throw out a register needed earlier, to be
 * reloaded, and maybe stored first.
 */
int tr_bypass_x(const struct dbt_tb *tb, unsigned r)
{
	if (r == 0 || tb->host_of[r] >= 0)
		return 0;
	unsigned later = next_read_from(tb, (int)r, tb->insn_index + 1);
	if (later == DBT_BLOCK_MAX_INSNS)
		return 1;
	for (unsigned k = 0; k < tr_pool_slots(); k++) {
		int h = dbt_cache_pool[k], g = tb->guest_of[h];
		if (tb->claimed & (1u << h))
			continue;
		if (g < 0)
			return 0;
		if (!(tb->insn_regs & (1u << g)) && next_use(tb, g) >= later)
			return 0;
	}
	return 1;
}

/* Whether pre-scanned instruction i is a shift or the or of a folded rotate (fold.c). */
static int in_fold(const struct dbt_tb *tb, unsigned i)
{
	return (tb->fold_skip >> i & 1) || tb->rotate[i].source;
}

/*
 * The instruction `k` after the current one as the pre-scan decoded it
 * (and none fused before it), or NULL (also when folded).
 */
const struct dbt_insn *tr_insn_after(const struct dbt_tb *tb, unsigned k)
{
	unsigned i = tb->insn_index + k;
	if (i >= tb->insn_scanned || !tb->insn_ahead[i].op || in_fold(tb, i))
		return NULL;
	return &tb->insn_ahead[i];
}

const struct dbt_insn *tr_next_insn(const struct dbt_tb *tb)
{
	return tr_insn_after(tb, 1);
}

/*
 * Called before the handler touches the cache, once per instruction it
 * takes in after the current one: their registers are held too.
 */
void tr_fuse_next(struct dbt_tb *tb)
{
	tb->fused++;
	tb->insn_regs |= tb->insn_named[tb->insn_index + tb->fused];
}

int tr_is_sext32(const struct dbt_tb *tb, unsigned r)
{
	return r == 0 || (tb->x_sext32 & (1u << r));
}

/* For a W handler: the sign extension of its result can be left out. */
int tr_upper_unused(const struct dbt_tb *tb)
{
	return (tb->upper_unused >> tb->insn_index) & 1;
}

/*
 * Whether evicting host register a is better than evicting b: the one
 * whose guest register is needed latest in the block (Belady's choice,
 * known from the pre-scan: sha256 keeps some 25 guest registers live in
 * its rounds, where least-recently-used eviction threw out the ones about
 * to be read), then a clean one (no store), then the least recently used.
 * The current instruction's registers are never chosen (cache_assign):
 * handlers hold their operands' registers while they assign rd's.
 */
static int better_victim(const struct dbt_tb *tb, int a, int b)
{
	unsigned na = next_use(tb, tb->guest_of[a]), nb = next_use(tb, tb->guest_of[b]);
	if (na != nb)
		return na > nb;
	int ca = !(tb->dirty & (1u << tb->guest_of[a])),
	    cb = !(tb->dirty & (1u << tb->guest_of[b]));
	if (ca != cb)
		return ca;
	return tb->last_use[a] < tb->last_use[b];
}

/* Takes host out of the cache (written back if dirty) for a handler's own use. */
void tr_cache_release(struct dbt_tb *tb, int host)
{
	int g = tb->guest_of[host];
	if (g < 0)
		return;
	if (tb->dirty & (1u << g))
		emit_mov_m64_r64(&tb->b, tr_x((unsigned)g), host);
	tb->dirty &= ~(1u << g);
	tb->host_of[g] = -1;
	tb->guest_of[host] = -1;
}

/*
 * For a handler that needs host itself (rdx for mul, div, the jump cache
 * probe): out of the cache, and not handed to any guest register until
 * the next instruction.  Called before the handler reads its operands.
 */
void tr_claim(struct dbt_tb *tb, int host)
{
	tr_cache_release(tb, host);
	tb->claimed |= (uint16_t)(1u << host);
}

/* A pool register for guest r: a free one, else the best victim. */
static int cache_assign(struct dbt_tb *tb, unsigned r)
{
	if (tb->host_of[r] >= 0) {
		tb->last_use[tb->host_of[r]] = ++tb->use_clock;
		return tb->host_of[r];
	}
	int host = -1;
	for (unsigned k = 0; k < tr_pool_slots(); k++) {
		int h = dbt_cache_pool[k];
		if (tb->claimed & (1u << h))
			continue;
		if (tb->guest_of[h] < 0) {
			host = h;
			break;
		}
		if (tb->insn_regs & (1u << tb->guest_of[h]))
			continue;
		if (host < 0 || better_victim(tb, h, host))
			host = h;
	}
	tb->last_use[host] = ++tb->use_clock;
	tr_cache_release(tb, host);
	tb->guest_of[host] = (int8_t)r;
	tb->host_of[r] = (int8_t)host;
	return host;
}

/* A pool register for guest r (r != 0) that the caller fills, then marks dirty. */
int tr_cache_assign_x(struct dbt_tb *tb, unsigned r)
{
	return cache_assign(tb, r);
}

void tr_mark_dirty(struct dbt_tb *tb, unsigned r)
{
	tb->dirty |= 1u << r;
}

/* The host register holding guest r (r != 0), loading it on a miss. */
int tr_cached_x(struct dbt_tb *tb, unsigned r)
{
	if (tb->host_of[r] >= 0) {
		tb->last_use[tb->host_of[r]] = ++tb->use_clock;
		return tb->host_of[r];
	}
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

/* Through rax, which every caller is about to set (exit reason, helper result). */
static void store_imm(struct dbt_tb *tb, struct emit_mem m, uint64_t value)
{
	if ((int64_t)value == (int32_t)value) {
		emit_mov_m64_simm32(&tb->b, m, (int32_t)value);
	} else {
		emit_mov_r64_imm64(&tb->b, EMIT_RAX, value);
		emit_mov_m64_r64(&tb->b, m, EMIT_RAX);
	}
}

void tr_store_pc(struct dbt_tb *tb, uint64_t pc)
{
	store_imm(tb, tr_cpu(DBT_CPU_PC), pc);
}

/* An unchained exit's stub: the dispatcher goes on at pc. */
static void exit_stub(struct dbt_tb *tb, uint64_t pc)
{
	tr_store_pc(tb, pc);
	tr_jump(tb, dbt_exit_continue);
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
 * (plat_code_alloc promises it), an absolute jump through rcx otherwise,
 * which no trampoline entry reads: every such jump leaves translated code
 * with the cache written back, so rcx holds nothing that is lost.
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

/* Calls code outside the code cache: rel32 when in reach, else through rax. */
void tr_call(struct dbt_tb *tb, const void *fn)
{
	if (emit_rel32_reaches(tb->b.p + 5, fn)) {
		emit_call_rel32(&tb->b, fn);
	} else {
		emit_mov_r64_imm64(&tb->b, EMIT_RAX, (uint64_t)(uintptr_t)fn);
		emit_call_r64(&tb->b, EMIT_RAX);
	}
}

/*
 * Of the dirty registers, those no path from target (a callee returning
 * to ret_pc, or 0) reads before overwriting them (tr_x_dead_set): an exit
 * there need not write them back.  None under a debugger, which reads
 * every register at every stop (DBT_MODE_STEP).  Never s0: as the frame
 * pointer it is read by what walks the stack from outside the code (an
 * unwinder in a signal handler, whose CFA it is until the epilogue
 * reloads it; --profile's call stacks), though the code itself may only
 * overwrite it.
 */
#define TR_FP_BIT (1u << 8)

uint32_t tr_dead_past_exit(const struct dbt_tb *tb, uint64_t target, uint64_t ret_pc,
			   uint32_t dirty)
{
	if (dbt_mode & (DBT_MODE_NOCHAIN | DBT_MODE_STEP))
		return 0;
	return tr_x_dead_set(tb, target, ret_pc, dirty & ~1u & ~TR_SP_BIT & ~TR_FP_BIT);
}

/*
 * A direct exit, chainable: the jmp first goes to the stub right after it;
 * the cache re-aims it at the target block once that exists, so a chained
 * exit costs one jump and skips the pc store.
 */
void tr_exit_to(struct dbt_tb *tb, uint64_t pc)
{
	tb->dirty &= ~tr_dead_past_exit(tb, pc, 0, tb->dirty);
	tr_sync(tb);
	size_t field = emit_jmp_rel32(&tb->b, NULL);
	tr_here(tb, field);
	size_t stub = emit_offset(&tb->b);
	exit_stub(tb, pc);
	if (tb->exit_count < DBT_MAX_EXITS)
		tb->exit[tb->exit_count++] = (struct dbt_direct_exit){field, stub, pc};
}

/*
 * Superblocks: a conditional branch with room left in the block becomes a
 * jcc to a side exit, and translation continues with the cache as it is,
 * so a loop body with forward branches stays one block (and can become a
 * loop block).  Returns 0 when the block should end here instead: no room
 * for another exit, or a mode that wants plain blocks.
 */
int tr_side_exit_jcc(struct dbt_tb *tb, enum emit_cc cc, uint64_t target)
{
	if ((dbt_mode & (DBT_MODE_NOCHAIN | DBT_MODE_STEP)) ||
	    tb->exit_count + tb->side_exit_count + 3 > DBT_MAX_EXITS)
		return 0;
	struct dbt_side_exit *e = &tb->side_exit[tb->side_exit_count++];
	e->jcc_field = emit_jcc_rel32(&tb->b, cc, NULL);
	e->insn_count = tb->insn_index + 1;
	e->target = target;
	dirty_snapshot(tb, e->dirty);
	tr_fdirty_snapshot(tb, e->fdirty);
	return 1;
}

/*
 * The return-address stack.  A guest call (jal with ra or t0 as link)
 * becomes a host call, after pushing the guest return address, so that
 * the guest's return can be a host `ret`, which the processor's own
 * return predictor gets right, where an indirect jump through the block
 * hash mispredicts whenever a function has several callers.  A return
 * checks that the entry on top names its target (a longjmp, a tail call
 * or a deeper-than-the-stack recursion leaves entries that do not) and
 * otherwise takes the hash probe.  Entries are 16 bytes, so blocks keep
 * rsp 16-byte aligned; every exit to the dispatcher resets rsp, which
 * drops the stack, and pushes stop at cpu->ras_limit.
 */
int tr_ras_enabled(void)
{
	return !(dbt_mode & (DBT_MODE_NOCHAIN | DBT_MODE_STEP));
}

/*
 * Pushes the guest return address (as an immediate, or through `scratch`
 * beyond 2^31) unless the stack is at cpu->ras_limit; returns the jcc
 * taken then, for the caller to aim at its plain jump.  The caller's host
 * call follows at once.
 */
size_t tr_ras_push(struct dbt_tb *tb, uint64_t ret_pc, int scratch)
{
	struct emit_buf *b = &tb->b;
	emit_alu_r64_m64(b, EMIT_CMP, EMIT_RSP, tr_cpu(DBT_CPU_RAS_LIMIT));
	size_t full = emit_jcc_rel32(b, EMIT_CC_BE, NULL);
	if ((int64_t)ret_pc == (int32_t)ret_pc) {
		emit_push_simm32(b, (int32_t)ret_pc);
	} else {
		emit_mov_r64_imm64(b, scratch, ret_pc);
		emit_push_r64(b, scratch);
	}
	return full;
}

/* Right after the host call: the callee's matching return lands here. */
void tr_ras_landing(struct dbt_tb *tb, uint64_t ret_pc)
{
	emit_alu_r64_imm32(&tb->b, EMIT_ADD, EMIT_RSP, 8);
	tr_exit_to(tb, ret_pc);
}

void tr_call_to(struct dbt_tb *tb, uint64_t target, uint64_t ret_pc)
{
	struct emit_buf *b = &tb->b;
	tb->dirty &= ~tr_dead_past_exit(tb, target, ret_pc, tb->dirty);
	tr_sync(tb);
	size_t full = tr_ras_push(tb, ret_pc, EMIT_RAX);
	size_t field = emit_call_rel32(b, NULL);
	tr_ras_landing(tb, ret_pc);
	/* Until the call is chained it comes here; the dispatcher drops the stack. */
	tr_here(tb, field);
	size_t stub = emit_offset(b);
	exit_stub(tb, target);
	if (tb->exit_count < DBT_MAX_EXITS)
		tb->exit[tb->exit_count++] = (struct dbt_direct_exit){field, stub, target};
	tr_here(tb, full);
	tr_exit_to(tb, target);
}

/*
 * A return with its target in rax, the cache synced: `ret` when the top
 * entry is for that target; falls through if not.  An empty stack's top
 * is dbt_enter's bottom entry (enter.S), whose pc, 0, sends a return to
 * 0 to the dispatcher.
 */
void tr_return_probe(struct dbt_tb *tb)
{
	struct emit_buf *b = &tb->b;
	emit_alu_r64_m64(b, EMIT_CMP, EMIT_RAX, emit_mem_bd(EMIT_RSP, 8));
	size_t other = emit_jcc_rel32(b, EMIT_CC_NE, NULL);
	emit_ret(b);
	tr_here(tb, other);
	tr_count(tb, DBT_CPU_RETURNS_MISSED);
}

void tr_count(struct dbt_tb *tb, int32_t counter)
{
	if (dbt_mode & DBT_MODE_COUNT)
		emit_alu_m64_imm32(&tb->b, EMIT_ADD, tr_cpu(counter), 1);
}

void tr_exit_reason(struct dbt_tb *tb, uint64_t pc, uint32_t reason)
{
	tr_sync(tb);
	tr_store_pc(tb, pc);
	emit_mov_r32_imm32(&tb->b, EMIT_RAX, reason);
	tr_jump(tb, dbt_exit_reason);
}

void tr_exit_illegal(struct dbt_tb *tb)
{
	emit_mov_m32_imm32(&tb->b, tr_cpu(DBT_CPU_FAULT_INSN), tb->in->raw);
	tr_exit_reason(tb, tb->in->pc, DBT_EXIT_ILLEGAL);
}

/*
 * Loop blocks.  A block that branches back to its own start is translated
 * a second time with the registers it names (a pool's worth at most,
 * loop_registers) loaded into the cache before the loop head (the
 * interrupt test) and counted dirty.  A block that names no more than the
 * pool never evicts, and its back edge jumps to the head with every
 * register in place: no write-back and reload per iteration.  A larger one
 * (sha256's round) puts the head's registers back in place at the back
 * edge, restore_loop_head: a move for each that moved, a store and a load
 * only for what left the cache.
 * Exits write them all back.  Not on pages the guest may write: a store
 * into the loop must end it at the next iteration (dbt_fault unchains
 * jumps to invalidated blocks, but not a block's jump to itself).
 * Measured in docs/translator.md.
 */

/*
 * Makes the cache what it was at the loop head, with moves only (the back
 * edge's flags are set already): first stores of the dirty registers the
 * head does not hold, then the head's registers that are cached elsewhere
 * moved into place (a parallel move; rax breaks cycles), then loads of
 * those not cached, whose memory copy is current.
 */
static void restore_loop_head(struct dbt_tb *tb)
{
	struct emit_buf *b = &tb->b;
	int8_t head_guest_of[16], move_from[16];
	uint32_t head_regs = 0;
	memset(head_guest_of, -1, sizeof(head_guest_of));
	memset(move_from, -1, sizeof(move_from));
	for (unsigned r = 1; r < 32; r++)
		if (tb->loop_host_of[r] >= 0) {
			head_guest_of[tb->loop_host_of[r]] = (int8_t)r;
			head_regs |= 1u << r;
		}
	for (unsigned k = 0; k < DBT_CACHE_SLOTS; k++) {
		int h = dbt_cache_pool[k], g = tb->guest_of[h];
		if (g > 0 && tb->loop_host_of[g] < 0 && (tb->dirty & (1u << g)))
			emit_mov_m64_r64(b, tr_x((unsigned)g), h);
	}
	unsigned pending = 0;
	for (unsigned k = 0; k < DBT_CACHE_SLOTS; k++) {
		int h = dbt_cache_pool[k], g = head_guest_of[h];
		if (g > 0 && tb->host_of[g] >= 0 && tb->host_of[g] != h) {
			move_from[h] = tb->host_of[g];
			pending++;
		}
	}
	while (pending) {
		int progress = 0;
		for (int d = 0; d < 16; d++) {
			if (move_from[d] < 0)
				continue;
			int needed = 0;
			for (int o = 0; o < 16; o++)
				needed |= move_from[o] == d;
			if (needed)
				continue;
			emit_mov_r64_r64(b, d, move_from[d]);
			move_from[d] = -1;
			pending--;
			progress = 1;
		}
		if (progress)
			continue;
		/* Only cycles are left: park one destination's value in rax. */
		for (int d = 0; d < 16; d++) {
			if (move_from[d] < 0)
				continue;
			emit_mov_r64_r64(b, EMIT_RAX, d);
			for (int o = 0; o < 16; o++)
				if (move_from[o] == d)
					move_from[o] = EMIT_RAX;
			break;
		}
	}
	for (unsigned k = 0; k < DBT_CACHE_SLOTS; k++) {
		int h = dbt_cache_pool[k], g = head_guest_of[h];
		if (g > 0 && tb->host_of[g] < 0)
			emit_mov_r64_m64(b, h, tr_x((unsigned)g));
	}
	memcpy(tb->host_of, tb->loop_host_of, sizeof(tb->host_of));
	memcpy(tb->guest_of, head_guest_of, sizeof(tb->guest_of));
	tb->dirty = head_regs & tb->loop_dirty;
}

/*
 * F/D instructions name f registers in their register fields, except the
 * moves and conversions between the files and the compares and classes,
 * which read (fcvt.*.w/l, fmv.*.x) or write (fcvt.w/l.*, fmv.x.*,
 * fclass, feq/flt/fle) one integer register.
 */
#define F5_INT_TO_F(f5) ((f5) == F5_CVT_FI || (f5) == F5_MV_FX)
#define F5_F_TO_INT(f5) ((f5) == F5_CMP || (f5) == F5_CVT_IF || (f5) == F5_MV_XF)

static int is_fma(unsigned opcode)
{
	return (opcode & OPC_FUSED_MASK) == OPC_FUSED;
}

/*
 * The integer registers a decoded instruction reads, and writes, from its
 * format: immediates in the rs2 field (I-type, shifts) are not registers,
 * F/D loads and stores name only their base, and other F/D instructions
 * only the integer register they move, convert or compare into or out of.
 */
uint32_t dbt_insn_reads(const struct dbt_insn *in)
{
	unsigned opcode = in->word & 0x7f;
	if (!in->op || is_fma(opcode))
		return 0;
	if (opcode == OPC_OP_FP)
		return F5_INT_TO_F(in->word >> 27) ? 1u << in->rs1 : 0;
	if (opcode == 0x07 || opcode == 0x27)
		return 1u << in->rs1;
	switch (in->op->fmt) {
	case DBT_FMT_R:
	case DBT_FMT_S:
	case DBT_FMT_B:
		return 1u << in->rs1 | 1u << in->rs2;
	case DBT_FMT_U:
	case DBT_FMT_J:
		return 0;
	default:
		return 1u << in->rs1;
	}
}

uint32_t dbt_insn_writes(const struct dbt_insn *in)
{
	unsigned opcode = in->word & 0x7f;
	if (!in->op || opcode == 0x07 || opcode == 0x27 || is_fma(opcode) ||
	    in->op->fmt == DBT_FMT_S || in->op->fmt == DBT_FMT_B)
		return 0;
	if (opcode == OPC_OP_FP && !F5_F_TO_INT(in->word >> 27))
		return 0;
	return 1u << in->rd;
}

/* The f register an instruction writes, as a mask: F/D loads and results in an f register. */
static uint32_t f_writes(const struct dbt_insn *in)
{
	unsigned opcode = in->word & 0x7f;
	if (!in->op)
		return 0;
	if (opcode == 0x07 || is_fma(opcode) ||
	    (opcode == OPC_OP_FP && !F5_F_TO_INT(in->word >> 27)))
		return 1u << in->rd;
	return 0;
}

/*
 * The f registers an instruction reads, over-approximated from its
 * fields: F/D operands, and what FSW/FSD store.
 */
static uint32_t f_reads(const struct dbt_insn *in)
{
	unsigned opcode = in->word & 0x7f;
	if (!in->op)
		return 0;
	if (opcode == 0x27)
		return 1u << in->rs2;
	if (is_fma(opcode))
		return 1u << in->rs1 | 1u << in->rs2 | 1u << (in->word >> 27);
	if (opcode == OPC_OP_FP && !F5_INT_TO_F(in->word >> 27))
		return 1u << in->rs1 | 1u << in->rs2;
	return 0;
}

/* Registers the pre-scanned block reads before it writes them: what it takes from its head. */
static void live_in(const struct dbt_tb *tb, uint32_t *x, uint32_t *f)
{
	uint32_t xw = 0, fw = 0;
	*x = *f = 0;
	for (unsigned i = 0; i < tb->insn_scanned; i++) {
		const struct dbt_insn *in = &tb->insn_ahead[i];
		*x |= dbt_insn_reads(in) & ~xw;
		*f |= f_reads(in) & ~fw;
		xw |= dbt_insn_writes(in);
		fw |= f_writes(in);
	}
}

/* The f registers the F/D cache holds and knows NaN-boxed. */
static uint32_t known_boxed(const struct dbt_tb *tb)
{
	uint32_t boxed = 0;
	for (unsigned r = 0; r < 32; r++)
		if (tr_fis_boxed(tb, r))
			boxed |= 1u << r;
	return boxed;
}

int tr_loop_back(struct dbt_tb *tb, uint64_t target)
{
	if (target != tb->block_pc)
		return 0;
	int first_back_edge = !tb->back_edge;
	tb->back_edge = 1;
	if (!tb->loop) {
		if (first_back_edge)
			memcpy(tb->back_checked_imm, tb->checked_imm, sizeof(tb->checked_imm));
		uint32_t same = 0;
		for (unsigned r = 0; r < 32; r++)
			if (tb->checked_imm[r] == tb->back_checked_imm[r])
				same |= 1u << r;
		tb->back_checked &= tb->x_checked & same;
		tb->back_sext &= tb->x_sext32;
		tb->back_fboxed &= known_boxed(tb);
		tb->back_frm &= tb->frm_rne;
		tb->back_fraw_d |= tb->fraw & ~tb->fraw_s;
		tb->back_fraw_s |= tb->fraw_s;
	}
	return tb->loop;
}

/*
 * A back edge of a loop translation must bring what the head assumes:
 * else the loop is translated once more without its facts.  An f
 * register no instruction before here wrote is still what the head had.
 */
static void check_facts_at_back_edge(struct dbt_tb *tb)
{
	for (unsigned r = 0; r < 32; r++)
		if (tb->facts_checked & (1u << r) &&
		    (!(tb->x_checked & (1u << r)) || tb->checked_imm[r] != tb->back_checked_imm[r]))
			tb->facts_broken = 1;
	if ((tb->facts_sext & ~tb->x_sext32) ||
	    ((tb->facts_fboxed | tb->facts_fraw_s) & tb->fwritten & ~known_boxed(tb)) ||
	    (tb->facts_frm && !tb->frm_rne))
		tb->facts_broken = 1;
}

/*
 * Which pcs had their loop facts found false on the way in
 * (DBT_EXIT_LOOP_FACTS): their loops are translated without.  A few
 * suffice: a fact fails only where a loop is entered with a value of
 * another kind than the one it carries round (a double's bits in a
 * register the loop uses as a single).  Entries hold pc + 1, so the
 * zeroed array names no pc.
 */
static uint64_t facts_failed[16];
static unsigned facts_failed_next;

void dbt_loop_facts_failed(uint64_t pc)
{
	facts_failed[facts_failed_next++ % RT_ARRAY_SIZE(facts_failed)] = pc + 1;
}

static int facts_failed_at(uint64_t pc)
{
	for (unsigned k = 0; k < RT_ARRAY_SIZE(facts_failed); k++)
		if (facts_failed[k] == pc + 1)
			return 1;
	return 0;
}

/*
 * The facts a loop translation assumes at its head, from the first
 * translation's back edges, and the checks of them on the way in: x
 * registers sign-extended (sha256's loop-carried 32-bit values need no
 * sext.w), f registers read as singles NaN-boxed (no test per operand
 * per turn), frm RNE (no test per turn), and the f registers a back edge
 * brings raw (translate.h) raw at the head too, so no turn makes them
 * canonical: those must not hold a NaN on the way in, whose bits (a
 * payload loaded from memory) the raw mark would lose.  An f register
 * the loop never writes is checked only here.
 */
static void check_facts_on_entry(struct dbt_tb *tb, uint32_t fwritten)
{
	struct emit_buf *b = &tb->b;
	if (!tb->facts_allowed)
		return;
	uint32_t fcached = 0;
	for (unsigned r = 0; r < 32; r++)
		if (tb->fxmm_of[r] >= 0)
			fcached |= 1u << r;
	uint32_t x_in, f_in;
	live_in(tb, &x_in, &f_in);
	tb->facts_sext = tb->back_sext & x_in & ~1u & ~TR_SP_BIT;
	tb->facts_fboxed = tb->fsingle_read & fcached & f_in & (tb->back_fboxed | ~fwritten);
	tb->facts_frm = tb->frm_tested && tb->back_frm;
	tb->facts_checked = tb->back_checked & x_in & ~1u;
	/* One width at every back edge, and in an xmm at the head. */
	tb->facts_fraw_s = tb->back_fraw_s & ~tb->back_fraw_d & fcached;
	tb->facts_fraw = (tb->back_fraw_d & ~tb->back_fraw_s & fcached) | tb->facts_fraw_s;
	for (unsigned r = 1; r < 32; r++) {
		if (!(tb->facts_sext & (1u << r)))
			continue;
		if (tb->host_of[r] >= 0) {
			emit_movsxd_r64_r32(b, EMIT_RAX, tb->host_of[r]);
			emit_alu_r64_r64(b, EMIT_CMP, EMIT_RAX, tb->host_of[r]);
		} else {
			emit_movsxd_r64_m32(b, EMIT_RAX, tr_x(r));
			emit_alu_r64_m64(b, EMIT_CMP, EMIT_RAX, tr_x(r));
		}
		tb->facts_jcc[tb->facts_jcc_count++] = emit_jcc_rel32(b, EMIT_CC_NE, NULL);
	}
	for (unsigned r = 1; r < 32; r++) {
		if (!(tb->facts_checked & (1u << r)))
			continue;
		int32_t imm = tb->back_checked_imm[r];
		int reg = tb->host_of[r];
		if (reg < 0) {
			emit_mov_r64_m64(b, EMIT_RAX, tr_x(r));
			reg = EMIT_RAX;
		}
		if (imm) {
			emit_lea_r64_m(b, EMIT_RAX, emit_mem_bd(reg, imm));
			reg = EMIT_RAX;
		}
		emit_alu_r64_r64(b, EMIT_CMP, reg, TR_LIMIT);
		tb->facts_jcc[tb->facts_jcc_count++] = emit_jcc_rel32(b, EMIT_CC_AE, NULL);
	}
	for (unsigned r = 0; r < 32; r++) {
		if (!((tb->facts_fboxed | tb->facts_fraw_s) & (1u << r)))
			continue;
		tr_fbox_test(tb, r);
		tb->facts_jcc[tb->facts_jcc_count++] = emit_jcc_rel32(b, EMIT_CC_NE, NULL);
	}
	/* Not a NaN. */
	for (unsigned r = 0; r < 32; r++) {
		if (!(tb->facts_fraw & (1u << r)))
			continue;
		tr_fnan_test(tb, tb->fxmm_of[r], (tb->facts_fraw_s >> r) & 1, EMIT_RAX);
		tb->facts_jcc[tb->facts_jcc_count++] = emit_jcc_rel32(b, EMIT_CC_A, NULL);
	}
	if (tb->facts_frm) {
		emit_alu_m32_imm32(b, EMIT_CMP, tr_cpu(DBT_CPU_FRM), 0);
		tb->facts_jcc[tb->facts_jcc_count++] = emit_jcc_rel32(b, EMIT_CC_NE, NULL);
	}
}

/* At the loop head: what the checks on the way in and every back edge make true. */
static void assume_facts(struct dbt_tb *tb)
{
	tb->x_sext32 = tb->facts_sext;
	tb->x_checked = tb->facts_checked;
	memcpy(tb->checked_imm, tb->back_checked_imm, sizeof(tb->checked_imm));
	tb->fboxed |= tb->facts_fboxed | tb->facts_fraw_s;
	tb->frm_rne = tb->facts_frm;
	tb->fraw = tb->loop_fraw = tb->facts_fraw;
	tb->fraw_s = tb->loop_fraw_s = tb->facts_fraw_s;
}

/*
 * After tr_loop_back said yes, and after the branch's compare: the head's
 * cache mapping back (moves only, the flags survive), then jcc (or jmp,
 * cc < 0) to the loop head.
 */
void tr_loop_jcc(struct dbt_tb *tb, enum emit_cc cc)
{
	check_facts_at_back_edge(tb);
	restore_loop_head(tb);
	/*
	 * The F/D cache's head mapping is restored through cpu->f: what sits
	 * elsewhere than the head has it is written back if dirty, then the
	 * head's registers that moved are reloaded and what the head does
	 * not expect is forgotten.  The flags of the back edge's compare
	 * survive the stores and loads.
	 */
	int8_t head_guest_of[16];
	memset(head_guest_of, -1, sizeof(head_guest_of));
	for (unsigned r = 0; r < 32; r++)
		if (tb->loop_fxmm_of[r] >= 0)
			head_guest_of[tb->loop_fxmm_of[r]] = (int8_t)r;
	for (int x = TR_FPOOL_FIRST; x <= TR_FPOOL_LAST; x++) {
		int g = tb->fguest_of[x];
		if (g < 0)
			continue;
		/* Raw where the head does not take it raw, as the same width: canonical now. */
		uint32_t bit = 1u << g;
		if (g != head_guest_of[x] || !(tb->loop_fraw & bit) ||
		    (tb->fraw_s & bit) != (tb->loop_fraw_s & bit))
			tr_fcanon(tb, (unsigned)g);
		if (g != head_guest_of[x] && (tb->fdirty & bit))
			emit_sse_r_m(&tb->b, EMIT_SSE_SD, EMIT_SSE_STORE, x, tr_f((unsigned)g));
	}
	for (int x = 0; x < 16; x++)
		if (head_guest_of[x] >= 0 && tb->fguest_of[x] != head_guest_of[x])
			emit_sse_r_m(&tb->b, EMIT_SSE_SD, EMIT_SSE_LOAD, x,
				     tr_f((unsigned)head_guest_of[x]));
	uint32_t fnamed = tb->fnamed;
	tr_fcache_reset(tb);
	memcpy(tb->fxmm_of, tb->loop_fxmm_of, sizeof(tb->fxmm_of));
	memcpy(tb->fguest_of, head_guest_of, sizeof(tb->fguest_of));
	tb->fdirty = tb->loop_fdirty;
	tb->fraw = tb->loop_fraw;
	tb->fraw_s = tb->loop_fraw_s;
	tb->fnamed = fnamed;
	if ((int)cc < 0)
		emit_jmp_rel32(&tb->b, tb->b.start + tb->loop_head);
	else
		emit_jcc_rel32(&tb->b, cc, tb->b.start + tb->loop_head);
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
	struct dbt_side_entry *e = &tb->side[tb->side_count++];
	e->host_offset = (uint32_t)emit_offset(&tb->b);
	e->pc_offset = (uint16_t)(tb->in->pc - tb->block_pc);
	e->as_store = 0;
	dirty_snapshot(tb, e->dirty);
	tr_fdirty_snapshot(tb, e->fdirty);
}

/* As tr_side_mark, for a load that stands for a store (the AMOs, SC). */
void tr_side_mark_as_store(struct dbt_tb *tb)
{
	tr_side_mark(tb);
	if (tb->side_count)
		tb->side[tb->side_count - 1].as_store = 1;
}

static void add_stub(struct dbt_tb *tb, size_t jcc_field, int access, int addr_reg,
		     int32_t addr_disp)
{
	if (tb->stub_count == RT_ARRAY_SIZE(tb->stub)) {
		tb->b.overflow = 1;
		return;
	}
	struct dbt_stub *s = &tb->stub[tb->stub_count++];
	*s = (struct dbt_stub){.jcc_field = jcc_field,
			       .pc = tb->in->pc,
			       .access = access,
			       .addr_reg = (int8_t)addr_reg,
			       .addr_disp = addr_disp};
	dirty_snapshot(tb, s->dirty);
	tr_fdirty_snapshot(tb, s->fdirty);
}

/*
 * The isolation check of DESIGN.md section 5 on host register reg, which
 * holds the guest address less disp: unsigned reg >= GUEST_VA_LIMIT
 * leaves through an out-of-line stub that reports a fault at reg + disp
 * at this instruction.  Afterwards x[rs1] + checked (rs1 != 0) is known
 * to have passed.
 */
static void check_limit(struct dbt_tb *tb, int reg, int32_t disp, int access, unsigned rs1,
			int32_t checked)
{
#ifndef DBT_MEASURE_UNCHECKED /* only for measuring what the check costs (docs/translator.md) */
	emit_alu_r64_r64(&tb->b, EMIT_CMP, reg, TR_LIMIT);
	add_stub(tb, emit_jcc_rel32(&tb->b, EMIT_CC_AE, NULL), access, reg, disp);
	if (rs1 != 0) {
		tb->x_checked |= 1u << rs1;
		tb->checked_imm[rs1] = checked;
	}
#endif
}

/*
 * rax = x[rs1] + imm, checked (check_limit).  An access that starts below
 * the limit and crosses it lands in the platform's guard and faults in
 * hardware, which the side table makes precise.
 */
static int guest_addr_reg(struct dbt_tb *tb, unsigned rs1, int64_t imm, int access)
{
	int reg = EMIT_RAX;
	if (rs1 != 0 && imm)
		emit_lea_r64_m(&tb->b, EMIT_RAX, emit_mem_bd(tr_cached_x(tb, rs1), (int32_t)imm));
	else if (rs1 != 0)
		reg = tr_cached_x(tb, rs1);
	else
		emit_mov_r64_simm32(&tb->b, EMIT_RAX, (int32_t)imm);
	check_limit(tb, reg, 0, access, rs1, (int32_t)imm);
	return reg;
}

void tr_guest_addr(struct dbt_tb *tb, unsigned rs1, int64_t imm, int access)
{
	int reg = guest_addr_reg(tb, rs1, imm, access);
	if (reg != EMIT_RAX)
		emit_mov_r64_r64(&tb->b, EMIT_RAX, reg);
}

/*
 * The guest memory operand of x[rs1] + imm for one access of at most 8
 * bytes.  When x[rs1] + imm' passed the check since rs1 was written and
 * imm is near imm', the access lands in guest memory or in a guard
 * (PLAT_GUEST_GUARD): no check, and the offset goes into the addressing
 * mode, one host instruction for the access (a stack frame's saves and
 * restores, a structure's fields).  Otherwise the check as tr_guest_addr,
 * and then the access still goes through rs1's cache register and the
 * offset, not through the checked copy in rax: the compare's branch is
 * predicted, so the access does not wait for the lea (a table lookup's or
 * a list walk's dependency chain is one instruction shorter).
 */
struct emit_mem tr_guest_mem(struct dbt_tb *tb, unsigned rs1, int64_t imm, int access)
{
	int64_t near = (int64_t)(PLAT_GUEST_GUARD / 2);
	if (rs1 == 0)
		return tr_guest_at(guest_addr_reg(tb, rs1, imm, access), 0);
	if (tb->x_checked & (1u << rs1) && imm - tb->checked_imm[rs1] < near &&
	    tb->checked_imm[rs1] - imm < near) {
		/*
		 * Past this access, x[rs1] + imm is in guest memory (a guard
		 * would have faulted, and nothing is mapped below
		 * LX_MMAP_MIN_ADDR, so with a positive imm x[rs1] itself is):
		 * the fact a check here would leave.  A pointer a loop steps past
		 * its access then brings to the back edge the fact the head
		 * assumed ("Facts at a loop's head").
		 */
		tb->checked_imm[rs1] = imm <= 0 ? (int32_t)imm : 0;
		return tr_guest_at(tr_cached_x(tb, rs1), (int32_t)imm);
	}
	if (imm <= 0) {
		guest_addr_reg(tb, rs1, imm, access);
		return tr_guest_at(tr_cached_x(tb, rs1), (int32_t)imm);
	}
	/*
	 * A positive offset: the base alone is compared, no lea.  A base
	 * below the limit puts the access in guest memory or in the guard
	 * above it (a fault made precise by the side table).  A base at or
	 * above the limit puts it above the limit too, or wraps it below
	 * 2048, where nothing is ever mapped: a fault either way, at base +
	 * imm, which the stub computes.
	 */
	int reg = tr_cached_x(tb, rs1);
	check_limit(tb, reg, (int32_t)imm, access, rs1, 0);
	return tr_guest_at(reg, (int32_t)imm);
}

/*
 * After tr_guest_addr: LR/SC/AMOs must be naturally aligned (spec 8.2,
 * 8.4); Linux does not emulate misaligned atomics and sends SIGBUS.
 */
void tr_check_aligned(struct dbt_tb *tb, unsigned size, int access)
{
	emit_test_r32_imm32(&tb->b, EMIT_RAX, size - 1);
	add_stub(tb, emit_jcc_rel32(&tb->b, EMIT_CC_NE, NULL), access | DBT_ACCESS_MISALIGNED,
		 EMIT_RAX, 0);
}

/* Calls fn(cpu, arg) with the System V ABI; rsp is 16-byte aligned in blocks. */
void tr_call_helper(struct dbt_tb *tb, const void *fn, uint32_t arg)
{
	tr_sync(tb);
	emit_mov_m64_r64(&tb->b, tr_x(TR_SP_GUEST), TR_SP);
	emit_mov_r64_r64(&tb->b, EMIT_RDI, TR_CPU);
	emit_mov_r32_imm32(&tb->b, EMIT_RSI, arg);
	tr_call(tb, fn);
	/* The call clobbers r8-r11, and the helper may write any guest register, or frm. */
	tr_cache_reset(tb);
	emit_mov_r64_m64(&tb->b, TR_SP, tr_x(TR_SP_GUEST));
	tb->frm_rne = 0;
}

/* An F/D slow path for tb->in, with the cache as it is now. */
struct dbt_slow *tr_slow_begin(struct dbt_tb *tb)
{
	if (tb->slow_count == RT_ARRAY_SIZE(tb->slow)) {
		tb->b.overflow = 1;
		return NULL;
	}
	tr_fslow_room(tb);
	struct dbt_slow *s = &tb->slow[tb->slow_count++];
	*s = (struct dbt_slow){.pc = tb->in->pc, .word = tb->in->word, .raw = tb->in->raw};
	dirty_snapshot(tb, s->dirty);
	tr_fdirty_snapshot(tb, s->fdirty);
	tb->slow_open = 1;
	return s;
}

void tr_slow_jcc(struct dbt_tb *tb, struct dbt_slow *s, enum emit_cc cc)
{
	size_t field = emit_jcc_rel32(&tb->b, cc, NULL);
	if (!s || s->jcc_count == DBT_SLOW_JUMPS) {
		tb->b.overflow = 1;
		return;
	}
	s->jcc[s->jcc_count++] = field;
}

void tr_slow_end(struct dbt_tb *tb, struct dbt_slow *s)
{
	tb->slow_open = 0;
	if (!s)
		return;
	s->back = emit_offset(&tb->b);
	memcpy(s->fguest_of, tb->fguest_of, sizeof(s->fguest_of));
}

/*
 * An exit after insn_done of the block's instructions (a side exit, a
 * slow path that leaves): the head counted the whole block in instret,
 * this exit skipped the rest.
 */
static void exit_part_way(struct dbt_tb *tb, unsigned insn_done, uint64_t pc)
{
	if (dbt_mode & DBT_MODE_COUNT)
		emit_alu_m64_imm32(&tb->b, EMIT_SUB, tr_cpu(DBT_CPU_INSTRET),
				   (int32_t)(tb->insn_count - insn_done));
	tr_exit_to(tb, pc);
}

/*
 * The helper call of a slow path.  r8-r11, rdi, rsi, rcx and rdx are
 * caller-saved and may hold cached guest registers: they wait in
 * cpu->scratch (rbx, rbp, r12, r14 survive the call).  rsp is 16-byte
 * aligned inside blocks.
 */
static void emit_slow(struct dbt_tb *tb, const struct dbt_slow *s)
{
	static const int8_t saved[] = {EMIT_R8,	 EMIT_R9,  EMIT_R10, EMIT_R11,
				       EMIT_RDI, EMIT_RSI, EMIT_RCX, EMIT_RDX};
	struct emit_buf *b = &tb->b;

	for (unsigned j = 0; j < s->jcc_count; j++)
		tr_here(tb, s->jcc[j]);
	for (unsigned slot = 0; slot < DBT_CACHE_SLOTS; slot++)
		if (s->dirty[slot])
			emit_mov_m64_r64(b, tr_x(s->dirty[slot]), dbt_cache_pool[slot]);
	tr_fwrite_back(tb, s->fdirty);
	for (unsigned k = 0; k < RT_ARRAY_SIZE(saved); k++)
		emit_mov_m64_r64(b, tr_cpu(DBT_CPU_SCRATCH + 8 * (int32_t)k), saved[k]);
	emit_mov_r64_r64(b, EMIT_RDI, TR_CPU);
	emit_mov_r32_imm32(b, EMIT_RSI, s->word);
	tr_call(tb, (const void *)dbt_helper_fp);
	if (s->leave_pc) {
		/* Every register is in struct dbt_cpu: leave as a side exit does. */
		emit_alu_r32_imm32(b, EMIT_CMP, EMIT_RAX, 0);
		size_t illegal = emit_jcc_rel32(b, EMIT_CC_NE, NULL);
		exit_part_way(tb, s->insn_done, s->leave_pc);
		tr_here(tb, illegal);
		emit_mov_m32_imm32(b, tr_cpu(DBT_CPU_FAULT_INSN), s->raw);
		tr_exit_reason(tb, s->pc, DBT_EXIT_ILLEGAL);
		return;
	}
	for (unsigned k = 0; k < RT_ARRAY_SIZE(saved); k++)
		emit_mov_r64_m64(b, saved[k], tr_cpu(DBT_CPU_SCRATCH + 8 * (int32_t)k));
	tr_freload(tb, s->fguest_of);
	if (s->reload)
		emit_mov_r64_m64(b, s->reload_host, tr_x(s->reload));
	emit_alu_r32_imm32(b, EMIT_CMP, EMIT_RAX, 0);
	emit_jcc_rel32(b, EMIT_CC_E, b->start + s->back);
	emit_mov_m32_imm32(b, tr_cpu(DBT_CPU_FAULT_INSN), s->raw);
	tr_exit_reason(tb, s->pc, DBT_EXIT_ILLEGAL);
}

/*
 * A stub writes back what was dirty at its check, then leaves.  What the
 * cache says at the block's end is no stub's state: most blocks end in an
 * exit, which synced, but a loop block whose last instruction jumps back
 * ends with the head's mapping and dirty set, which the exits below must
 * not store a second time.
 */
static void emit_stubs(struct dbt_tb *tb)
{
	tb->dirty = 0;
	tb->fdirty = 0;
	tb->fraw = tb->fraw_s = 0;
	if (tb->facts_jcc_count) {
		/* The loads before the head changed nothing: there is nothing to write back. */
		for (unsigned k = 0; k < tb->facts_jcc_count; k++)
			tr_here(tb, tb->facts_jcc[k]);
		tr_exit_reason(tb, tb->block_pc, DBT_EXIT_LOOP_FACTS);
	}
	tr_here(tb, tb->interrupt_field);
	if (tb->body_offset)
		tr_here(tb, tb->body_interrupt_field);
	for (unsigned slot = 0; slot < DBT_CACHE_SLOTS; slot++)
		if (tb->interrupt_dirty[slot])
			emit_mov_m64_r64(&tb->b, tr_x(tb->interrupt_dirty[slot]),
					 dbt_cache_pool[slot]);
	tr_fwrite_back(tb, tb->interrupt_fdirty);
	tr_exit_reason(tb, tb->block_pc, DBT_EXIT_INTERRUPT);
	for (unsigned k = 0; k < tb->side_exit_count; k++) {
		const struct dbt_side_exit *e = &tb->side_exit[k];
		uint32_t dirty = 0;
		for (unsigned slot = 0; slot < DBT_CACHE_SLOTS; slot++)
			dirty |= e->dirty[slot] ? 1u << e->dirty[slot] : 0;
		uint32_t dead = tr_dead_past_exit(tb, e->target, 0, dirty);
		tr_here(tb, e->jcc_field);
		for (unsigned slot = 0; slot < DBT_CACHE_SLOTS; slot++)
			if (e->dirty[slot] && !(dead & (1u << e->dirty[slot])))
				emit_mov_m64_r64(&tb->b, tr_x(e->dirty[slot]),
						 dbt_cache_pool[slot]);
		tr_fwrite_back(tb, e->fdirty);
		exit_part_way(tb, e->insn_count, e->target);
	}
	for (unsigned k = 0; k < tb->stub_count; k++) {
		const struct dbt_stub *s = &tb->stub[k];
		tr_here(tb, s->jcc_field);
		for (unsigned slot = 0; slot < DBT_CACHE_SLOTS; slot++)
			if (s->dirty[slot])
				emit_mov_m64_r64(&tb->b, tr_x(s->dirty[slot]),
						 dbt_cache_pool[slot]);
		tr_fwrite_back(tb, s->fdirty);
		emit_mov_m64_r64(&tb->b, tr_cpu(DBT_CPU_FAULT_ADDR), s->addr_reg);
		if (s->addr_disp)
			emit_alu_m64_imm32(&tb->b, EMIT_ADD, tr_cpu(DBT_CPU_FAULT_ADDR),
					   s->addr_disp);
		emit_mov_m32_imm32(&tb->b, tr_cpu(DBT_CPU_FAULT_ACCESS), (uint32_t)s->access);
		tr_exit_reason(tb, s->pc, DBT_EXIT_FAULT);
	}
	for (unsigned k = 0; k < tb->slow_count; k++)
		emit_slow(tb, &tb->slow[k]);
}

/* ---- fetch ---- */

static int page_executable(uint64_t gva)
{
	if (gva >= GUEST_VA_LIMIT)
		return 0;
	int prot = dbt_guest_page_prot(RT_ALIGN_DOWN(gva, GUEST_PAGE_SIZE));
	return prot >= 0 && (prot & PLAT_PROT_EXEC) &&
	       dbt_guest_page_fill(gva, DBT_ACCESS_EXEC) >= 0;
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

/* The monitor links no libgcc, so no __builtin_popcount. */
static unsigned count_bits(uint32_t v)
{
	unsigned n = 0;
	for (; v; v &= v - 1)
		n++;
	return n;
}

static uint32_t int_regs_named(const struct dbt_insn *in)
{
	return dbt_insn_reads(in) | dbt_insn_writes(in);
}

/* Ends a block in the pre-scan: jumps, ecall/ebreak, fence.i (superblocks go on past branches). */
static int scan_ends_block(uint32_t word)
{
	unsigned opcode = word & 0x7f, funct3 = (word >> 12) & 7;
	return opcode == 0x6f || opcode == 0x67 || (opcode == 0x73 && funct3 == 0) ||
	       (opcode == 0x0f && funct3 == 1);
}

/*
 * Which registers each instruction of the block at pc names, read ahead of
 * translation for the register cache's eviction choice.  A heuristic
 * only: it may stop early (a fault, the page end) or name immediates as
 * registers; neither affects correctness.
 */
static void prescan(struct dbt_tb *tb, unsigned first, uint64_t pc, unsigned max_insns)
{
	struct dbt_insn in;
	uint64_t page = RT_ALIGN_DOWN(pc, GUEST_PAGE_SIZE);
	uint64_t unused;
	tb->insn_scanned = first;
	while (tb->insn_scanned < max_insns && RT_ALIGN_DOWN(pc, GUEST_PAGE_SIZE) == page) {
		if (fetch(pc, tb->insn_scanned == 0, &in, &unused) < 0)
			break;
		uint32_t w = in.word;
		if (w == 0 || !dbt_decode(&in))
			break;
		tb->insn_ahead[tb->insn_scanned] = in;
		tb->insn_read[tb->insn_scanned] = dbt_insn_reads(&in);
		tb->insn_named[tb->insn_scanned++] = int_regs_named(&in);
		if (scan_ends_block(w))
			break;
		pc += in.len;
	}
	uint64_t before = first ? tb->upper_unused & (~0ull >> (64 - first)) : 0;
	tb->upper_unused =
	    before | dbt_upper_half_unused(tb->insn_ahead + first, tb->insn_scanned - first)
			 << first;
	/*
	 * A re-scan starts after a jump or branch, which no fold spans: what was
	 * found before `first` stands.
	 */
	before = first ? tb->fold_skip & (~0ull >> (64 - first)) : 0;
	uint64_t skip =
	    dbt_fold_rotates(tb, tb->insn_ahead + first, tb->insn_scanned - first, tb->rotate + first);
	tb->fold_skip = before | skip << first;
}

/*
 * Decodes the instruction at pc if it lies wholly on the guest page at
 * page, the block's own, which the block's first fetch checked and whose
 * rewriting drops the block: 0 if it does not, or does not decode.
 */
static int decode_on_page(uint64_t page, uint64_t pc, struct dbt_insn *in)
{
	uint64_t unused;
	return RT_ALIGN_DOWN(pc, GUEST_PAGE_SIZE) == page &&
	       RT_ALIGN_DOWN(pc + 2, GUEST_PAGE_SIZE) == page && fetch(pc, 0, in, &unused) == 0 &&
	       in->word != 0 && dbt_decode(in);
}

/*
 * Whether the code at target (after a forward conditional branch to it)
 * runs a few plain instructions and jumps back to the block's start: the
 * taken side is the loop's way round (a loop with its latch at the end,
 * as compilers lay out loops with several exits: glibc's strlen), worth
 * following instead of leaving the block on it.
 */
#define CLOSING_PATH_MAX 4
int tr_closes_loop(struct dbt_tb *tb, uint64_t target)
{
	uint64_t page = RT_ALIGN_DOWN(tb->block_pc, GUEST_PAGE_SIZE);
	struct dbt_insn in;
	for (unsigned n = 0; n <= CLOSING_PATH_MAX; n++) {
		if (!decode_on_page(page, target, &in))
			return 0;
		dbt_translate_fn fn = in.op->translate;
		if (fn == tr_jal)
			return in.rd == 0 && in.pc + (uint64_t)in.imm == tb->block_pc;
		if (fn != tr_alu && fn != tr_alu_imm && fn != tr_alu_w && fn != tr_alu_imm_w &&
		    fn != tr_shift_imm && fn != tr_shift_imm_w && fn != tr_lui && fn != tr_load &&
		    fn != tr_store)
			return 0;
		target += in.len;
	}
	return 0;
}

/*
 * Which of the guest x registers in mask are dead at pc: every path from
 * there overwrites them before anything reads them.  The paths are
 * followed through branches, jumps, and calls one level deep (a `ret`
 * inside the callee goes back to the caller, unless the callee set ra
 * itself), all on the block's page, so a store that changes any of that
 * code invalidates this block too.  Anything else (another page, an
 * indirect jump, ecall/ebreak, an instruction that does not decode, more
 * than DEAD_SCAN_MAX places to visit) counts as a read.  A scan that
 * starts inside a callee says where its `ret` goes (ret_pc), else 0.
 *
 * A path is a (pc, return pc) pair, each kept as its offset in the page
 * plus one (0: no call pending), so one visit of a callee does not stand
 * for another call site's; each is followed once for each register still
 * undecided on some way there.  One scan at a time (translation is), so
 * the tables are static, and a generation number empties them.
 */
#define DEAD_SCAN_MAX 512
#define DEAD_SCAN_SLOTS 1024 /* open addressing, at most half full */
static struct {
	uint64_t page;
	uint32_t generation;
	uint32_t seen[DEAD_SCAN_SLOTS], seen_mask[DEAD_SCAN_SLOTS],
	    seen_generation[DEAD_SCAN_SLOTS];
	uint32_t todo[DEAD_SCAN_MAX], todo_mask[DEAD_SCAN_MAX];
	unsigned seen_count, todo_count;
} scan;

/*
 * Queues the path at pc (returning to ret) for the registers in mask not
 * followed there yet; 0 when it leaves the page or the scan is full.
 */
static int dead_scan_push(uint64_t pc, uint64_t ret, uint32_t mask)
{
	if (RT_ALIGN_DOWN(pc, GUEST_PAGE_SIZE) != scan.page ||
	    (ret && RT_ALIGN_DOWN(ret, GUEST_PAGE_SIZE) != scan.page))
		return 0;
	uint32_t key =
	    (uint32_t)(pc - scan.page + 1) << 16 | (ret ? (uint32_t)(ret - scan.page + 1) : 0);
	unsigned slot = (key * 2654435761u) >> 22;
	for (; scan.seen_generation[slot] == scan.generation; slot = (slot + 1) % DEAD_SCAN_SLOTS)
		if (scan.seen[slot] == key)
			break;
	if (scan.seen_generation[slot] != scan.generation) {
		if (scan.seen_count == DEAD_SCAN_MAX)
			return 0;
		scan.seen_generation[slot] = scan.generation;
		scan.seen[slot] = key;
		scan.seen_mask[slot] = 0;
		scan.seen_count++;
	}
	mask &= ~scan.seen_mask[slot];
	if (!mask)
		return 1;
	if (scan.todo_count == DEAD_SCAN_MAX)
		return 0;
	scan.seen_mask[slot] |= mask;
	scan.todo[scan.todo_count] = key;
	scan.todo_mask[scan.todo_count++] = mask;
	return 1;
}

/* Where the path after `in` (at at, in a callee returning to ret or none) goes on. */
static int dead_scan_next(const struct dbt_insn *in, uint64_t at, uint64_t ret, uint32_t m)
{
	uint64_t next = at + in->len, target = at + (uint64_t)in->imm;
	switch (in->word & 0x7f) {
	case 0x63: /* branch */
		return dead_scan_push(target, ret, m) && dead_scan_push(next, ret, m);
	case 0x6f: /* jal: a jump, or a call whose ret comes back to next */
		return in->rd == 0 ? dead_scan_push(target, ret, m)
				   : !ret && dead_scan_push(target, next, m);
	case 0x67: /* jalr: only a callee's ret is followed */
		return ret && in->rd == 0 && in->rs1 == 1 && in->imm == 0 &&
		       dead_scan_push(ret, 0, m);
	case 0x73: /* ecall and ebreak: the kernel or a debugger may read them */
		return ((in->word >> 12) & 7) != 0 && dead_scan_push(next, ret, m);
	default:
		return dead_scan_push(next, ret, m);
	}
}

uint32_t tr_x_dead_set(const struct dbt_tb *tb, uint64_t pc, uint64_t ret_pc, uint32_t mask)
{
	struct dbt_insn in;
	uint32_t live = 0;
	scan.page = RT_ALIGN_DOWN(tb->block_pc, GUEST_PAGE_SIZE);
	if (++scan.generation == 0) {
		memset(scan.seen_generation, 0, sizeof(scan.seen_generation));
		scan.generation = 1;
	}
	scan.seen_count = scan.todo_count = 0;
	if (!mask || !dead_scan_push(pc, ret_pc, mask))
		return 0;
	while (scan.todo_count && (mask & ~live)) {
		scan.todo_count--;
		uint32_t key = scan.todo[scan.todo_count];
		uint32_t m = scan.todo_mask[scan.todo_count] & ~live;
		uint64_t at = scan.page + (key >> 16) - 1;
		uint64_t ret = key & 0xffff ? scan.page + (key & 0xffff) - 1 : 0;
		if (!m)
			continue;
		if (!decode_on_page(scan.page, at, &in)) {
			live |= m;
			continue;
		}
		uint32_t reads = dbt_insn_reads(&in), writes = dbt_insn_writes(&in);
		live |= m & reads;
		m &= ~reads & ~writes;
		if (m && ((ret && (writes & 2)) || !dead_scan_next(&in, at, ret, m)))
			live |= m;
	}
	return mask & ~live;
}

int tr_x_dead_at(const struct dbt_tb *tb, uint64_t pc, unsigned r)
{
	return tr_x_dead_set(tb, pc, 0, 1u << r) != 0;
}

/* Translation goes on at pc (on the block's page) after this instruction. */
void tr_continue_at(struct dbt_tb *tb, uint64_t pc)
{
	tb->continue_at = pc;
}

/*
 * Whether translation may go on at target instead of leaving the block: a
 * later pc on the block's page (the block's guest range stays one page,
 * what write protection and invalidation work with), chaining allowed.
 */
int tr_may_follow(const struct dbt_tb *tb, uint64_t target)
{
	return target > tb->in->pc && !(dbt_mode & (DBT_MODE_NOCHAIN | DBT_MODE_STEP)) &&
	       RT_ALIGN_DOWN(target, GUEST_PAGE_SIZE) ==
		   RT_ALIGN_DOWN(tb->block_pc, GUEST_PAGE_SIZE);
}

#define CHECK_CARRY_MAX (1 << 20)

/*
 * What a handler said of the integer rd it wrote.  Whatever may write one
 * drops what was known of it (an F/D rd field names an f register:
 * dropping an x register's fact then is merely conservative).
 */
static void note_result(struct dbt_tb *tb, const struct dbt_insn *in)
{
	uint32_t written = dbt_insn_writes(in);
	int base = tb->result_base;
	int carried = base > 0 && in->rd && (tb->x_checked & (1u << base));
	int64_t checked = carried ? (int64_t)tb->checked_imm[base] - tb->result_offset : 0;
	tb->x_sext32 &= ~written;
	tb->x_checked &= ~written;
	if (tb->result_sext && in->rd)
		tb->x_sext32 |= written & ~1u;
	/*
	 * rd + (c - offset) is the address x[base] + c that passed the check:
	 * a pointer stepped by addi (a loop's a5 += 8, then fsd -8(a5)) needs
	 * no check of its own.  The bound keeps the sums far from overflow.
	 */
	if (carried && checked > -CHECK_CARRY_MAX && checked < CHECK_CARRY_MAX) {
		tb->x_checked |= 1u << in->rd;
		tb->checked_imm[in->rd] = (int32_t)checked;
	}
	tb->result_base = -1;
}

/*
 * What a loop block loads before its head: every register the block names
 * (tb->named, from the first translation) when they fit the pool, so
 * nothing moves; else a pool's worth, first those read before the block
 * writes them (in the order the pre-scan meets them), then others.
 */
static uint32_t loop_registers(const struct dbt_tb *tb)
{
	uint32_t named = tb->named & ~1u & ~TR_SP_BIT;
	if (count_bits(named) <= tr_pool_slots())
		return named;
	uint32_t set = 0, written = 0;
	unsigned n = 0;
	for (unsigned pass = 0; pass < 2; pass++)
		for (unsigned i = 0; i < tb->insn_scanned; i++) {
			const struct dbt_insn *a = &tb->insn_ahead[i];
			uint32_t regs = pass ? tb->insn_named[i] : dbt_insn_reads(a) & ~written;
			if (!pass)
				written |= dbt_insn_writes(a) & ~dbt_insn_reads(a);
			regs &= named;
			for (unsigned r = 1; r < 32 && n < tr_pool_slots(); r++)
				if ((regs & (1u << r)) && !(set & (1u << r))) {
					set |= 1u << r;
					n++;
				}
		}
	return set;
}

static int translate_once(struct dbt_tb *tb, uint64_t pc, uint64_t *pc_end, uint64_t *fault_addr)
{
	struct dbt_insn in;
	uint64_t page = RT_ALIGN_DOWN(pc, GUEST_PAGE_SIZE);
	unsigned count = 0;

	tb->block_pc = pc;
	tb->side_count = 0;
	tb->stub_count = 0;
	tb->exit_count = 0;
	tb->side_exit_count = 0;
	tb->slow_count = 0;
	tb->back_edge = 0;
	tb->in = &in;
	tb->insn_regs = 0;
	tb->x_sext32 = 0;
	tb->x_checked = 0;
	tb->frm_rne = 0;
	tb->slow_open = 0;
	tb->facts_jcc_count = 0;
	tb->facts_sext = tb->facts_fboxed = tb->facts_fraw = tb->facts_fraw_s = 0;
	tb->facts_checked = 0;
	tb->loop_fraw = tb->loop_fraw_s = 0;
	tb->facts_frm = tb->facts_broken = 0;
	tr_cache_reset(tb);
	unsigned max_insns = dbt_mode & DBT_MODE_STEP ? 1 : DBT_BLOCK_MAX_INSNS;
	prescan(tb, 0, pc, max_insns);
	if (tb->loop) {
		uint32_t preload = loop_registers(tb);
		for (unsigned r = 1; r < 32; r++)
			if (preload & (1u << r))
				tr_cached_x(tb, r);
		/*
		 * Dirty at the head: what the body may write (the back edge
		 * brings it changed).  The rest stay clean on both ways in, so
		 * the exits store only those: lz77's match loop, entered and
		 * left for every candidate, reads seven registers and writes
		 * four.
		 */
		tb->loop_dirty = preload & tb->written & ~TR_SP_BIT;
		tb->dirty = tb->loop_dirty;
		memcpy(tb->loop_host_of, tb->host_of, sizeof(tb->host_of));
		if (plat_has_sse && count_bits(tb->fnamed) <= TR_FPOOL_SLOTS)
			tr_fpreload(tb, tb->fnamed);
		/* As the integer registers: dirty at the head, so exits write them back. */
		tb->loop_fdirty = 0;
		for (unsigned r = 0; r < 32; r++)
			if (tb->fxmm_of[r] >= 0)
				tb->loop_fdirty |= 1u << r;
		tb->fdirty = tb->loop_fdirty;
		memcpy(tb->loop_fxmm_of, tb->fxmm_of, sizeof(tb->fxmm_of));
		check_facts_on_entry(tb, tb->fwritten);
		tb->loop_head = emit_offset(&tb->b);
		assume_facts(tb);
	}
	tb->named = 0;
	tb->written = 0;
	tb->fwritten = 0;
	tb->fnamed = 0;
	if (!tb->loop) {
		tb->back_sext = tb->back_fboxed = tb->back_checked = ~0u;
		tb->back_fraw_d = tb->back_fraw_s = 0;
		tb->back_frm = 1;
		tb->fsingle_read = 0;
		tb->frm_tested = 0;
	}

	/*
	 * Every way into a block, and every turn of a loop block, passes here:
	 * a set interrupt_request leaves before the first instruction, so the
	 * guest state is that of a block boundary.  A load and a predicted
	 * branch, no dependency on guest data.
	 */
	emit_alu_m32_imm32(&tb->b, EMIT_CMP, tr_cpu(DBT_CPU_INTERRUPT), 0);
	tb->interrupt_field = emit_jcc_rel32(&tb->b, EMIT_CC_NE, NULL);
	dirty_snapshot(tb, tb->interrupt_dirty);
	tr_fdirty_snapshot(tb, tb->interrupt_fdirty);
	tb->unchecked_offset = tb->loop ? 0 : emit_offset(&tb->b);

	/*
	 * A routine's entry: the call, then the guest's own code, which the
	 * block's jumps to itself enter (cache.c), through a check of its own.
	 */
	tb->body_offset = 0;
	if (tb->routine) {
		tr_routine_call(tb, tb->routine);
		tb->body_offset = emit_offset(&tb->b);
		emit_alu_m32_imm32(&tb->b, EMIT_CMP, tr_cpu(DBT_CPU_INTERRUPT), 0);
		tb->body_interrupt_field = emit_jcc_rel32(&tb->b, EMIT_CC_NE, NULL);
	}

	/* instret counts whole blocks (docs/translator.md): patched below. */
	uint8_t instret_unused[4];
	uint8_t *instret_imm = instret_unused;
	if (dbt_mode & DBT_MODE_COUNT) {
		emit_alu_m64_imm32(&tb->b, EMIT_ADD, tr_cpu(DBT_CPU_INSTRET), 0x7fffffff);
		instret_imm = tb->b.p - 4;
	}
	for (;;) {
		tb->insn_index = count;
		if (fetch(pc, count == 0, &in, fault_addr) < 0) {
			if (count == 0)
				return DBT_EXIT_FETCH_FAULT;
			tr_exit_to(tb, pc);
			break;
		}
		count++;
		/* Raw fields, a superset: the registers a handler may hold while it assigns. */
		tb->insn_clock = tb->use_clock;
		tb->insn_regs = 1u << ((in.word >> 7) & 31) | 1u << ((in.word >> 15) & 31) |
				1u << ((in.word >> 20) & 31);
		tb->claimed = 0;
		int ends;
		tb->fused = 0;
		tb->result_sext = 0;
		tb->result_base = -1;
		tb->continue_at = 0;
		if (in.word == 0 || !dbt_decode(&in)) {
			tr_exit_illegal(tb);
			ends = 1;
		} else {
			tb->named |= int_regs_named(&in);
			tb->written |= dbt_insn_writes(&in);
			tb->fwritten |= f_writes(&in);
			/* A shift folded into a later rotate (fold.c) emits nothing, but counts. */
			ends = tb->fold_skip >> tb->insn_index & 1 ? 0 : in.op->translate(tb, &in);
			note_result(tb, &in);
		}
		pc += in.len;
		for (int k = 0; k < tb->fused; k++) {
			const struct dbt_insn *next = &tb->insn_ahead[count];
			tb->named |= int_regs_named(next);
			tb->written |= dbt_insn_writes(next);
			tb->fwritten |= f_writes(next);
			note_result(tb, next);
			pc += next->len;
			count++;
		}
		if (tb->continue_at) {
			pc = tb->continue_at;
			prescan(tb, count, pc, max_insns);
		}
		if (ends)
			break;
		if (count == max_insns || RT_ALIGN_DOWN(pc, GUEST_PAGE_SIZE) != page) {
			tr_exit_to(tb, pc);
			break;
		}
	}
	tb->insn_count = count;
	emit_stubs(tb);
	if (tb->b.overflow)
		return -1;
	uint32_t n = count;
	memcpy(instret_imm, &n, 4);
	*pc_end = pc;
	dbt_stats.guest_insns_translated += count;
	return 0;
}

int dbt_translate(struct dbt_tb *tb, uint64_t pc, uint64_t *pc_end, uint64_t *fault_addr)
{
	uint8_t *start = tb->b.p;
	int plain = dbt_mode & (DBT_MODE_NOCHAIN | DBT_MODE_STEP);
	tb->loop = 0;
	/*
	 * A routine's entry is no loop block even where its code loops back
	 * to it (glibc's strcmp): the call stays at its head, and its jumps
	 * to itself enter past the call (cache.c).
	 */
	tb->routine = plain ? 0 : dbt_guest_routine(pc);
	int r = translate_once(tb, pc, pc_end, fault_addr);
	if (r != 0 || !tb->back_edge || plain || tb->routine ||
	    (dbt_guest_page_prot(RT_ALIGN_DOWN(pc, GUEST_PAGE_SIZE)) & PLAT_PROT_WRITE))
		return r;
	tb->b.p = start;
	tb->loop = 1;
	tb->facts_allowed = !facts_failed_at(pc);
	r = translate_once(tb, pc, pc_end, fault_addr);
	if (r != 0 || !tb->facts_broken)
		return r;
	tb->b.p = start;
	tb->facts_allowed = 0;
	return translate_once(tb, pc, pc_end, fault_addr);
}
