/*
 * smc.h - guest pages the translator write-protected because they hold
 * translated code (self-modifying code detection).
 */
#ifndef RVKVM_DBT_SMC_H
#define RVKVM_DBT_SMC_H

#include <stdint.h>

/*
 * Write-protects the writable pages under [pc, pc_end); 0, or -1 when the
 * set is full (the caller flushes, which releases every page, and retries).
 */
int smc_protect(uint64_t pc, uint64_t pc_end);
int smc_is_protected(uint64_t gva);
/* Does any protected page intersect [gva, gva+len)? */
int smc_overlaps(uint64_t gva, uint64_t len);
/* Gives back the guest's own protection to the protected pages in the range. */
void smc_release_range(uint64_t gva, uint64_t len);
void smc_release_all(void);

#endif
