/*
 * smc.c - write protection of pages holding translated code.  A guest page
 * that is writable gets its write permission removed when code on it is
 * first translated; a store then faults, dbt_fault() drops the page's
 * translations, gives the permission back (from dbt_guest_page_prot(),
 * the personality's record, which stays the truth) and retries the store.
 * Pages the guest cannot write are never in the set: only munmap/mprotect
 * can change them, and the personality invalidates on those.
 *
 * The set is a small unsorted array: it is consulted on translation, on
 * write faults and on host writes, and ordinary programs (code not
 * writable) leave it empty.
 */
#include "smc.h"

#include "dbt.h"
#include "platform.h"
#include "rt.h"

#define SMC_MAX_PAGES 1024

/* Owned by the translator; touched only by the dispatcher and dbt_fault(). */
static uint64_t smc_pages[SMC_MAX_PAGES];
static unsigned smc_count;

static int find(uint64_t page)
{
	for (unsigned k = 0; k < smc_count; k++)
		if (smc_pages[k] == page)
			return (int)k;
	return -1;
}

int smc_protect(uint64_t pc, uint64_t pc_end)
{
	uint64_t first = RT_ALIGN_DOWN(pc, GUEST_PAGE_SIZE);
	for (uint64_t page = first; page < pc_end; page += GUEST_PAGE_SIZE) {
		if (find(page) >= 0)
			continue;
		int prot = dbt_guest_page_prot(page);
		if (prot < 0 || !(prot & PLAT_PROT_WRITE))
			continue;
		if (smc_count == SMC_MAX_PAGES)
			return -1;
		if (plat_mem_protect(page, GUEST_PAGE_SIZE, prot & ~PLAT_PROT_WRITE) < 0)
			plat_panic("dbt: cannot write-protect a guest code page");
		smc_pages[smc_count++] = page;
	}
	return 0;
}

int smc_is_protected(uint64_t gva)
{
	return find(RT_ALIGN_DOWN(gva, GUEST_PAGE_SIZE)) >= 0;
}

int smc_overlaps(uint64_t gva, uint64_t len)
{
	for (unsigned k = 0; k < smc_count; k++)
		if (smc_pages[k] + GUEST_PAGE_SIZE > gva && smc_pages[k] < gva + len)
			return 1;
	return 0;
}

static void release(unsigned k)
{
	uint64_t page = smc_pages[k];
	int prot = dbt_guest_page_prot(page);
	if (prot >= 0)
		plat_mem_protect(page, GUEST_PAGE_SIZE, prot);
	smc_pages[k] = smc_pages[--smc_count];
}

void smc_release_range(uint64_t gva, uint64_t len)
{
	unsigned k = 0;
	while (k < smc_count) {
		if (smc_pages[k] + GUEST_PAGE_SIZE > gva && smc_pages[k] < gva + len)
			release(k);
		else
			k++;
	}
}

void smc_release_all(void)
{
	while (smc_count)
		release(smc_count - 1);
}
