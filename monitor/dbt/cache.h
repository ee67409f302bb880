/*
 * cache.h - the code cache: translated blocks by guest pc, and by host
 * address for the fault path.
 */
#ifndef RVKVM_DBT_CACHE_H
#define RVKVM_DBT_CACHE_H

#include <stdint.h>

#include "translate.h"

/* The pc hash: DBT_HASH_BUCKETS chains of blocks, the dispatcher's map. */
#define DBT_HASH_BUCKETS 8192 /* power of two */
#define DBT_HASH_SHIFT_LO 1   /* instructions are 2-byte aligned */
#define DBT_HASH_SHIFT_HI 13

static inline unsigned dbt_cache_bucket(uint64_t pc)
{
	return (unsigned)((pc >> DBT_HASH_SHIFT_LO) ^ (pc >> DBT_HASH_SHIFT_HI)) &
	       (DBT_HASH_BUCKETS - 1);
}

/* The bucket array; its address never changes after dbt_init(). */
extern struct dbt_block **dbt_cache_hash;

/*
 * The jump cache, what an indirect jump (jalr) probes inline: one entry
 * per (pc >> 1) mod DBT_JUMP_ENTRIES, direct-mapped, holding the last
 * block the dispatcher found or made for such a pc.  A probe is one load
 * and compare, and the jump through the entry's code pointer (a hash
 * chain's first block was two dependent loads and twice the
 * instructions).  An empty entry's pc is odd, which no jump target is.
 * 64 KiB: the hot targets of an interpreter's dispatch rarely collide.
 */
#define DBT_JUMP_EMPTY (~0ull)
_Static_assert(sizeof(struct dbt_jump_entry) == 16, "the probe scales the index by 16");
/* The entries: struct dbt_cpu's of the cpu dbt_run runs (dbt_jump_cache_attach). */
extern struct dbt_jump_entry *dbt_jump_cache;
void dbt_jump_cache_attach(struct dbt_cpu *cpu);

int dbt_cache_init(void);
/*
 * Translates the block at pc and enters it in the cache.  NULL when pc
 * cannot be fetched (*fault_addr: the first address that cannot).  May
 * flush the whole cache first, so call it only from the dispatcher.
 */
struct dbt_block *dbt_cache_translate(uint64_t pc, uint64_t *fault_addr);
/*
 * Looks pc up, moves its block to the front of its chain (the next lookup
 * of a hot pc is one compare) and enters it in the jump cache.
 */
struct dbt_block *dbt_cache_lookup(uint64_t pc);
/* Drops the block at pc, if any: the next lookup translates it again. */
void dbt_cache_drop(uint64_t pc);

/*
 * Bumped whenever a block is unhooked or the cache flushed: a helper that
 * may have changed either (a system call) compares it before and after.
 */
extern uint64_t dbt_cache_generation;
/* The block whose code contains host address rip, valid or not; NULL if none. */
const struct dbt_block *dbt_cache_find_host(uintptr_t rip);

#endif
