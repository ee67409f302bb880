/*
 * cache.c - code cache, block table and invalidation.
 *
 * Code, block records and side tables are bump-allocated in address order,
 * so a host address maps back to its block by binary search.  Invalidation
 * (self-modifying code, munmap) only unhooks blocks from the pc hash: their
 * code may still be running (the faulting store's own block) and stays in
 * place until dbt_flush(), which only the dispatcher and the personality
 * call.  A system call runs below the block of its ecall (dbt_helper_ecall);
 * if it unhooked or flushed anything, dbt_cache_generation tells the block
 * to leave through the dispatcher instead of jumping on.
 */
#include "cache.h"

#include "cpu_offsets.h"
#include "platform.h"
#include "rt.h"
#include "smc.h"

_Static_assert(__builtin_offsetof(struct dbt_cpu, x) == DBT_CPU_X, "x");
_Static_assert(__builtin_offsetof(struct dbt_cpu, f) == DBT_CPU_F, "f");
_Static_assert(__builtin_offsetof(struct dbt_cpu, pc) == DBT_CPU_PC, "pc");
_Static_assert(__builtin_offsetof(struct dbt_cpu, reservation) == DBT_CPU_RESERVATION, "resv");
_Static_assert(__builtin_offsetof(struct dbt_cpu, reservation_value) == DBT_CPU_RESERVATION_VAL,
	       "resv value");
_Static_assert(__builtin_offsetof(struct dbt_cpu, instret) == DBT_CPU_INSTRET, "instret");
_Static_assert(__builtin_offsetof(struct dbt_cpu, fault_access) == DBT_CPU_FAULT_ACCESS, "acc");
_Static_assert(__builtin_offsetof(struct dbt_cpu, fault_addr) == DBT_CPU_FAULT_ADDR, "addr");
_Static_assert(__builtin_offsetof(struct dbt_cpu, fault_insn) == DBT_CPU_FAULT_INSN, "insn");
_Static_assert(__builtin_offsetof(struct dbt_cpu, interrupt_request) == DBT_CPU_INTERRUPT, "interrupt");
_Static_assert(__builtin_offsetof(struct dbt_cpu, host_sp) == DBT_CPU_HOST_SP, "host_sp");
_Static_assert(__builtin_offsetof(struct dbt_cpu, frm) == DBT_CPU_FRM, "frm");
_Static_assert(__builtin_offsetof(struct dbt_cpu, fflags) == DBT_CPU_FFLAGS, "fflags");
_Static_assert(__builtin_offsetof(struct dbt_cpu, scratch) == DBT_CPU_SCRATCH, "scratch");
_Static_assert(__builtin_offsetof(struct dbt_cpu, fbox_mask) == DBT_CPU_FBOX_MASK, "fbox_mask");
_Static_assert(__builtin_offsetof(struct dbt_cpu, fcanon_d) == DBT_CPU_FCANON_D, "fcanon_d");
_Static_assert(__builtin_offsetof(struct dbt_cpu, fcanon_s) == DBT_CPU_FCANON_S, "fcanon_s");
_Static_assert(__builtin_offsetof(struct dbt_cpu, fnan_bound) == DBT_CPU_FNAN_BOUND, "fnan_bound");
_Static_assert(__builtin_offsetof(struct dbt_cpu, jump_cache) == DBT_CPU_JUMP_CACHE, "jump_cache");
_Static_assert(__builtin_offsetof(struct dbt_cpu, indirect_jumps) == DBT_CPU_INDIRECT_JUMPS,
	       "indirect_jumps");
_Static_assert(__builtin_offsetof(struct dbt_cpu, indirect_missed) == DBT_CPU_INDIRECT_MISSED,
	       "indirect_missed");
_Static_assert(__builtin_offsetof(struct dbt_cpu, returns) == DBT_CPU_RETURNS, "returns");
_Static_assert(__builtin_offsetof(struct dbt_cpu, returns_missed) == DBT_CPU_RETURNS_MISSED,
	       "returns_missed");
_Static_assert(__builtin_offsetof(struct dbt_cpu, routine_calls) == DBT_CPU_ROUTINE_CALLS,
	       "routine_calls");
_Static_assert(__builtin_offsetof(struct dbt_cpu, routine_declined) == DBT_CPU_ROUTINE_DECLINED,
	       "routine_declined");
_Static_assert(__builtin_offsetof(struct dbt_cpu, ras_limit) == DBT_CPU_RAS_LIMIT, "ras_limit");
_Static_assert(DBT_EXIT_FAULT == DBT_EXIT_FAULT_VALUE, "fault exit value");
_Static_assert(GUEST_VA_LIMIT == DBT_GUEST_VA_LIMIT_VALUE, "guest va limit");

#define CODE_CACHE_SIZE (16u << 20)
#define MAX_BLOCKS 32768
#define MAX_SIDE (MAX_BLOCKS * 8)
#define MAX_LINKS (MAX_BLOCKS * 4) /* most blocks have one or two exits */
#define CODE_ALIGN 16
#define DBT_ENOMEM 12 /* Linux errno value, as dbt.h promises */

/*
 * A direct exit of some block towards guest pc `target`, filed in a hash by
 * target so that translating or invalidating the target finds every jump
 * to re-aim.
 */
struct dbt_link {
	uint8_t *field; /* the rel32 of the exit's jmp */
	uint8_t *stub;	/* where it points while unchained */
	uint64_t from;	/* the pc of the block it leaves */
	uint64_t target;
	struct dbt_link *next;
};

struct dbt_block **dbt_cache_hash;
uint64_t dbt_cache_generation;
struct dbt_jump_entry *dbt_jump_cache;

static struct dbt_jump_entry *jump_slot(uint64_t pc)
{
	return &dbt_jump_cache[(pc >> 1) & (DBT_JUMP_ENTRIES - 1)];
}

/* A flush before any cpu ran has no entries to empty. */
static void jump_cache_clear(void)
{
	if (!dbt_jump_cache)
		return;
	for (unsigned k = 0; k < DBT_JUMP_ENTRIES; k++)
		dbt_jump_cache[k] = (struct dbt_jump_entry){DBT_JUMP_EMPTY, NULL};
}

void dbt_jump_cache_attach(struct dbt_cpu *cpu)
{
	if (dbt_jump_cache == cpu->jump_cache && cpu->jump_cache_ready)
		return;
	dbt_jump_cache = cpu->jump_cache;
	jump_cache_clear();
	cpu->jump_cache_ready = 1;
}

/* Owned by the translator (one guest hart); the dispatcher is its only writer. */
static struct {
	uint8_t *code;
	uint8_t *code_top;
	struct dbt_block *blocks;
	unsigned block_count;
	struct dbt_side_entry *side;
	unsigned side_used;
	struct dbt_link *links;
	unsigned link_count;
	struct dbt_link **link_hash;
	struct dbt_tb tb;
} cache;

int dbt_cache_init(void)
{
	cache.code = plat_code_alloc(CODE_CACHE_SIZE);
	cache.blocks = plat_alloc(MAX_BLOCKS * sizeof(*cache.blocks));
	cache.side = plat_alloc(MAX_SIDE * sizeof(*cache.side));
	cache.links = plat_alloc(MAX_LINKS * sizeof(*cache.links));
	cache.link_hash = plat_alloc(DBT_HASH_BUCKETS * sizeof(*cache.link_hash));
	dbt_cache_hash = plat_alloc(DBT_HASH_BUCKETS * sizeof(*dbt_cache_hash));
	if (!cache.code || !cache.blocks || !cache.side || !cache.links || !cache.link_hash ||
	    !dbt_cache_hash)
		return -DBT_ENOMEM;
	cache.code_top = cache.code;
	return 0;
}

struct dbt_block *dbt_cache_lookup(uint64_t pc)
{
	struct dbt_block **head = &dbt_cache_hash[dbt_cache_bucket(pc)];
	for (struct dbt_block **link = head; *link; link = &(*link)->hash_next) {
		struct dbt_block *blk = *link;
		if (blk->pc != pc)
			continue;
		*link = blk->hash_next;
		blk->hash_next = *head;
		*head = blk;
		*jump_slot(pc) = (struct dbt_jump_entry){pc, blk->code};
		return blk;
	}
	return NULL;
}

void dbt_flush(void)
{
	smc_release_all();
	memset(dbt_cache_hash, 0, DBT_HASH_BUCKETS * sizeof(*dbt_cache_hash));
	memset(cache.link_hash, 0, DBT_HASH_BUCKETS * sizeof(*cache.link_hash));
	jump_cache_clear();
	cache.link_count = 0;
	cache.block_count = 0;
	cache.side_used = 0;
	cache.code_top = cache.code;
	dbt_stats.flushes++;
	dbt_cache_generation++;
}

/* Every jump chained to pc goes back to its stub. */
static void unchain(uint64_t pc)
{
	for (struct dbt_link *l = cache.link_hash[dbt_cache_bucket(pc)]; l; l = l->next)
		if (l->target == pc)
			emit_patch_rel32(l->field, l->stub);
}

/*
 * Where a chained jump enters the block `to`.  A jump to a higher pc
 * skips the interrupt check at its head: a cycle of such jumps cannot
 * exist, so every loop still passes a check (a backward or self jump, an
 * indirect jump or the dispatcher, which all enter at the head).  Loop
 * blocks keep the check after their register loads: entered at the head.
 * A block at a C library routine's entry jumps to itself past the routine
 * call: glibc's strcmp loops back to its own entry, and a turn of the
 * loop is no new call (a declined routine asked again every turn would
 * scan the rest of the string each time).
 */
static uint8_t *entry(const struct dbt_block *to, uint64_t from)
{
	if (to->body_offset && from == to->pc)
		return to->code + to->body_offset;
	if (to->pc > from && to->unchecked_offset)
		return to->code + to->unchecked_offset;
	return to->code;
}

/* Every exit towards blk->pc, and every exit of blk whose target exists, jumps straight there. */
static void chain(struct dbt_block *blk, const struct dbt_tb *tb)
{
	if (dbt_mode & (DBT_MODE_NOCHAIN | DBT_MODE_STEP))
		return;
	for (unsigned k = 0; k < tb->exit_count; k++) {
		struct dbt_link *l = &cache.links[cache.link_count++];
		unsigned h = dbt_cache_bucket(tb->exit[k].target);
		*l = (struct dbt_link){blk->code + tb->exit[k].field, blk->code + tb->exit[k].stub,
				       blk->pc, tb->exit[k].target, cache.link_hash[h]};
		cache.link_hash[h] = l;
		struct dbt_block *target =
		    l->target == blk->pc ? NULL : dbt_cache_lookup(l->target);
		if (target) {
			emit_patch_rel32(l->field, entry(target, l->from));
			dbt_stats.chained_exits++;
		}
	}
	for (struct dbt_link *l = cache.link_hash[dbt_cache_bucket(blk->pc)]; l; l = l->next) {
		if (l->target == blk->pc) {
			emit_patch_rel32(l->field, entry(blk, l->from));
			dbt_stats.chained_exits++;
		}
	}
}

/*
 * Only one valid block exists per pc, so the jumps to its pc are exactly
 * the jumps chained to it.
 */
static void unhook(struct dbt_block *blk)
{
	struct dbt_block **link = &dbt_cache_hash[dbt_cache_bucket(blk->pc)];
	while (*link && *link != blk)
		link = &(*link)->hash_next;
	if (*link)
		*link = blk->hash_next;
	if (jump_slot(blk->pc)->code == blk->code)
		*jump_slot(blk->pc) = (struct dbt_jump_entry){DBT_JUMP_EMPTY, NULL};
	blk->valid = 0;
	unchain(blk->pc);
	dbt_cache_generation++;
}

void dbt_cache_drop(uint64_t pc)
{
	struct dbt_block *blk = dbt_cache_lookup(pc);
	if (blk)
		unhook(blk);
}

/*
 * Whole pages: a page's write protection goes away with its translations,
 * so every block on it must go too, not just those covering the bytes.
 */
void dbt_invalidate_range(uint64_t gva, uint64_t len)
{
	uint64_t start = RT_ALIGN_DOWN(gva, GUEST_PAGE_SIZE);
	uint64_t end = RT_ALIGN_UP(gva + len, GUEST_PAGE_SIZE);
	for (unsigned k = 0; k < cache.block_count; k++) {
		struct dbt_block *blk = &cache.blocks[k];
		if (blk->valid && blk->pc < end && blk->pc_end > start)
			unhook(blk);
	}
	smc_release_range(start, end - start);
}

int dbt_prepare_write(uint64_t gva, uint64_t len)
{
	if (!len || !smc_overlaps(gva, len))
		return 0;
	dbt_invalidate_range(gva, len);
	return 1;
}

static int room_for_block(void)
{
	return cache.block_count < MAX_BLOCKS && cache.side_used + DBT_MAX_SIDE <= MAX_SIDE &&
	       cache.link_count + DBT_MAX_EXITS <= MAX_LINKS;
}

struct dbt_block *dbt_cache_translate(uint64_t pc, uint64_t *fault_addr)
{
	struct dbt_tb *tb = &cache.tb;
	uint64_t pc_end;

	for (int attempt = 0; attempt < 2; attempt++) {
		if (!room_for_block())
			dbt_flush();
		tb->b = (struct emit_buf){cache.code_top, cache.code_top,
					  cache.code + CODE_CACHE_SIZE, 0};
		int r = dbt_translate(tb, pc, &pc_end, fault_addr);
		if (r == DBT_EXIT_FETCH_FAULT)
			return NULL;
		if (r < 0 || smc_protect(pc, pc_end) < 0) {
			dbt_flush();
			continue;
		}
		struct dbt_block *blk = &cache.blocks[cache.block_count++];
		*blk = (struct dbt_block){
		    .pc = pc,
		    .pc_end = pc_end,
		    .code = tb->b.start,
		    .code_size = (uint32_t)emit_offset(&tb->b),
		    .side_count = tb->side_count,
		    .side = &cache.side[cache.side_used],
		    .valid = 1,
		    .unchecked_offset = (uint32_t)tb->unchecked_offset,
		    .body_offset = (uint32_t)tb->body_offset,
		};
		memcpy(blk->side, tb->side, tb->side_count * sizeof(*tb->side));
		cache.side_used += tb->side_count;
		cache.code_top = (uint8_t *)RT_ALIGN_UP((uintptr_t)tb->b.p, CODE_ALIGN);
		unsigned h = dbt_cache_bucket(pc);
		blk->hash_next = dbt_cache_hash[h];
		dbt_cache_hash[h] = blk;
		*jump_slot(pc) = (struct dbt_jump_entry){pc, blk->code};
		chain(blk, tb);
		dbt_stats.blocks_translated++;
		dbt_observe_translate(pc, pc_end, blk->code, blk->code_size);
		return blk;
	}
	plat_panic("dbt: one block does not fit the empty code cache");
}

const struct dbt_block *dbt_cache_find_host(uintptr_t rip)
{
	unsigned lo = 0, hi = cache.block_count;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if ((uintptr_t)cache.blocks[mid].code <= rip)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const struct dbt_block *blk = &cache.blocks[lo - 1];
	if (rip >= (uintptr_t)blk->code + blk->code_size)
		return NULL;
	return blk;
}
