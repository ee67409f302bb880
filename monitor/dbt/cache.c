/*
 * cache.c - code cache, block table and invalidation.
 *
 * Code, block records and side tables are bump-allocated in address order,
 * so a host address maps back to its block by binary search.  Invalidation
 * (self-modifying code, munmap) only unhooks blocks from the pc hash: their
 * code may still be running (the faulting store's own block) and stays in
 * place until dbt_flush(), which only the dispatcher and the personality
 * call, never while translated code is on the stack.
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
_Static_assert(__builtin_offsetof(struct dbt_cpu, host_sp) == DBT_CPU_HOST_SP, "host_sp");
_Static_assert(DBT_EXIT_FAULT == DBT_EXIT_FAULT_VALUE, "fault exit value");
_Static_assert(GUEST_VA_LIMIT == DBT_GUEST_VA_LIMIT_VALUE, "guest va limit");

#define CODE_CACHE_SIZE (16u << 20)
#define MAX_BLOCKS      32768
#define MAX_SIDE        (MAX_BLOCKS * 8)
#define HASH_BUCKETS    8192          /* power of two */
#define CODE_ALIGN      16

/* Owned by the translator (one guest hart); the dispatcher is its only writer. */
static struct {
	uint8_t *code;
	uint8_t *code_top;
	struct dbt_block *blocks;
	unsigned block_count;
	struct dbt_side_entry *side;
	unsigned side_used;
	struct dbt_block **hash;
	struct dbt_tb tb;
} cache;

int dbt_cache_init(void)
{
	cache.code = plat_code_alloc(CODE_CACHE_SIZE);
	cache.blocks = plat_alloc(MAX_BLOCKS * sizeof(*cache.blocks));
	cache.side = plat_alloc(MAX_SIDE * sizeof(*cache.side));
	cache.hash = plat_alloc(HASH_BUCKETS * sizeof(*cache.hash));
	if (!cache.code || !cache.blocks || !cache.side || !cache.hash)
		return -12;   /* -ENOMEM */
	cache.code_top = cache.code;
	return 0;
}

/* Instructions are 2-byte aligned, so bit 0 carries nothing. */
static unsigned bucket(uint64_t pc)
{
	return (unsigned)((pc >> 1) ^ (pc >> 13)) & (HASH_BUCKETS - 1);
}

struct dbt_block *dbt_cache_lookup(uint64_t pc)
{
	for (struct dbt_block *b = cache.hash[bucket(pc)]; b; b = b->hash_next)
		if (b->pc == pc)
			return b;
	return NULL;
}

void dbt_flush(void)
{
	smc_release_all();
	memset(cache.hash, 0, HASH_BUCKETS * sizeof(*cache.hash));
	cache.block_count = 0;
	cache.side_used = 0;
	cache.code_top = cache.code;
	dbt_stats.flushes++;
}

static void unhook(struct dbt_block *blk)
{
	struct dbt_block **link = &cache.hash[bucket(blk->pc)];
	while (*link && *link != blk)
		link = &(*link)->hash_next;
	if (*link)
		*link = blk->hash_next;
	blk->valid = 0;
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

void dbt_prepare_write(uint64_t gva, uint64_t len)
{
	if (len && smc_overlaps(gva, len))
		dbt_invalidate_range(gva, len);
}

static int room_for_block(void)
{
	return cache.block_count < MAX_BLOCKS && cache.side_used + DBT_MAX_SIDE <= MAX_SIDE;
}

struct dbt_block *dbt_cache_translate(uint64_t pc, uint64_t *fault_addr)
{
	struct dbt_tb *tb = &cache.tb;
	uint64_t pc_end;

	for (int attempt = 0; attempt < 2; attempt++) {
		if (!room_for_block())
			dbt_flush();
		tb->b = (struct emit_buf){ cache.code_top, cache.code_top,
					   cache.code + CODE_CACHE_SIZE, 0 };
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
		};
		memcpy(blk->side, tb->side, tb->side_count * sizeof(*tb->side));
		cache.side_used += tb->side_count;
		cache.code_top = (uint8_t *)RT_ALIGN_UP((uintptr_t)tb->b.p, CODE_ALIGN);
		unsigned h = bucket(pc);
		blk->hash_next = cache.hash[h];
		cache.hash[h] = blk;
		dbt_stats.blocks_translated++;
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
