/*
 * cache.h - the code cache: translated blocks by guest pc, and by host
 * address for the fault path.
 */
#ifndef RVKVM_DBT_CACHE_H
#define RVKVM_DBT_CACHE_H

#include <stdint.h>

#include "translate.h"

int dbt_cache_init(void);
struct dbt_block *dbt_cache_lookup(uint64_t pc);
/*
 * Translates the block at pc and enters it in the cache.  NULL when pc
 * cannot be fetched (*fault_addr: the first address that cannot).  May
 * flush the whole cache first, so call it only from the dispatcher.
 */
struct dbt_block *dbt_cache_translate(uint64_t pc, uint64_t *fault_addr);
/* The block whose code contains host address rip, valid or not; NULL if none. */
const struct dbt_block *dbt_cache_find_host(uintptr_t rip);

#endif
