/*
 * memory.c - guest memory and code memory of the proc platform.
 *
 * The guest's whole address space is one PROT_NONE reservation, kept whole
 * for the life of the process: mapping replaces pages inside it with
 * MAP_FIXED, and unmapping maps PROT_NONE back instead of munmap(), so no
 * other allocation of the process (malloc, a library) can ever land inside
 * the region and become reachable from guest addresses.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "proc.h"
#include "rt.h"

/* Set once by proc_memory_init() before any guest code; read-only after. */
uintptr_t plat_guest_base;

/* The code region and its bump pointer; owned by the core's one thread. */
static uint8_t *code_region;
static size_t code_used;

#define REGION_ALIGN (1ull << 30)
/* rel32 reach, less the region itself: every block stays within 2 GiB
 * of every function of the launcher. */
#define CODE_REACH ((1ull << 31) - PROC_CODE_REGION_SIZE - (64ull << 20))
#define CODE_SEARCH_STEP (64ull << 20)

static int host_prot(int prot)
{
	int p = PROT_NONE;

	/* Guest code is read by the translator, never executed in place. */
	if (prot & (PLAT_PROT_READ | PLAT_PROT_EXEC))
		p |= PROT_READ;
	if (prot & PLAT_PROT_WRITE)
		p |= PROT_WRITE | PROT_READ;
	return p;
}

static int range_ok(uint64_t gva, uint64_t len)
{
	return !(gva & (GUEST_PAGE_SIZE - 1)) && !(len & (GUEST_PAGE_SIZE - 1)) &&
	       gva <= GUEST_VA_LIMIT && len <= GUEST_VA_LIMIT - gva;
}

int plat_mem_map(uint64_t gva, uint64_t len, int prot)
{
	if (!range_ok(gva, len))
		return -EINVAL;
	if (!len)
		return 0;
	if (mmap(plat_g2h(gva), len, host_prot(prot), MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
		 0) == MAP_FAILED)
		return -errno;
	return 0;
}

int plat_mem_protect(uint64_t gva, uint64_t len, int prot)
{
	if (!range_ok(gva, len))
		return -EINVAL;
	if (len && mprotect(plat_g2h(gva), len, host_prot(prot)) < 0)
		return -errno;
	return 0;
}

int plat_mem_unmap(uint64_t gva, uint64_t len)
{
	if (!range_ok(gva, len))
		return -EINVAL;
	if (len &&
	    mmap(plat_g2h(gva), len, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0) == MAP_FAILED)
		return -errno;
	return 0;
}

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25 /* Linux 6.1; older headers lack it */
#endif

int plat_mem_huge_pages(uint64_t gva, uint64_t len, int how)
{
	int advice = how == PLAT_HUGE_ALLOW    ? MADV_HUGEPAGE
		     : how == PLAT_HUGE_FORBID ? MADV_NOHUGEPAGE
					       : MADV_COLLAPSE;

	if (!range_ok(gva, len))
		return -EINVAL;
	if (len && madvise(plat_g2h(gva), len, advice) < 0)
		return -errno;
	return 0;
}

int proc_in_guest_region(uintptr_t host_addr)
{
	return host_addr + PROC_GUARD_SIZE - plat_guest_base < GUEST_VA_LIMIT + 2 * PROC_GUARD_SIZE;
}

/*
 * Guest address A at host address A: translated code then needs no base
 * register, and r14 joins the register cache (tr_pool_slots).  The low
 * 2^38 bytes of an x86-64 process are free in practice (a PIE, its heap,
 * the libraries and the stack all lie near 2^46-2^47); the kernel keeps
 * the lowest pages (vm.mmap_min_addr) unmapped for all but privileged
 * callers, so the region starts at 0 where that is allowed, else just
 * above them, and nothing ever sits below it: the guard below guest
 * address 0 is the kernel half the address wraps into.  MAP_FIXED_NOREPLACE
 * fails rather than take over anything already there.
 */
static int reserve_guest_region_at_zero(void)
{
	static const uintptr_t starts[] = {0, PLAT_GUEST_GUARD};
	size_t end = GUEST_VA_LIMIT + PROC_GUARD_SIZE;

	for (size_t i = 0; i < RT_ARRAY_SIZE(starts); i++) {
		void *want = (void *)starts[i];
		void *p =
		    mmap(want, end - starts[i], PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
		if (p == want) {
			plat_guest_base = 0;
			return 0;
		}
		/* A kernel without MAP_FIXED_NOREPLACE takes the address as a hint. */
		if (p != MAP_FAILED)
			munmap(p, end - starts[i]);
	}
	return -1;
}

/* Elsewhere, with a base register: guard, region, guard, 1 GiB-aligned. */
static int reserve_guest_region(void)
{
	size_t want = PROC_GUARD_SIZE + GUEST_VA_LIMIT + PROC_GUARD_SIZE + REGION_ALIGN;
	uint8_t *p =
	    mmap(NULL, want, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uintptr_t base, end;

	if (p == MAP_FAILED)
		return -errno;
	/* A 1 GiB-aligned base keeps guest 2 MiB runs host-2 MiB-aligned
	 * (transparent huge pages can back them). */
	base = RT_ALIGN_UP((uintptr_t)p + PROC_GUARD_SIZE, REGION_ALIGN);
	end = base + GUEST_VA_LIMIT + PROC_GUARD_SIZE;
	if (base - PROC_GUARD_SIZE > (uintptr_t)p)
		munmap(p, base - PROC_GUARD_SIZE - (uintptr_t)p);
	if ((uintptr_t)p + want > end)
		munmap((void *)end, (uintptr_t)p + want - end);
	plat_guest_base = base;
	return 0;
}

static int code_in_reach(uintptr_t at)
{
	uintptr_t text = (uintptr_t)&plat_code_alloc;
	uintptr_t lo = at < text ? at : text;
	uintptr_t hi = at < text ? text : at + PROC_CODE_REGION_SIZE;

	return hi - lo < CODE_REACH;
}

static void *code_try(uintptr_t hint, int flags)
{
	void *p = mmap((void *)hint, PROC_CODE_REGION_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | flags, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (!code_in_reach((uintptr_t)p)) {
		munmap(p, PROC_CODE_REGION_SIZE);
		return NULL;
	}
	return p;
}

/*
 * Below our text first: a PIE's brk heap grows upward from just above it.
 * The kernel takes a free hint as given; when it is not free, probe fixed
 * places without replacing anything.
 */
static int reserve_code_region(void)
{
	uintptr_t text = RT_ALIGN_DOWN((uintptr_t)&plat_code_alloc, CODE_SEARCH_STEP);
	uintptr_t at;

	code_region = code_try(text - PROC_CODE_REGION_SIZE - CODE_SEARCH_STEP, 0);
	for (at = text - PROC_CODE_REGION_SIZE; !code_region && code_in_reach(at);
	     at -= CODE_SEARCH_STEP)
		code_region = code_try(at, MAP_FIXED_NOREPLACE);
	for (at = text + CODE_SEARCH_STEP; !code_region && code_in_reach(at);
	     at += CODE_SEARCH_STEP)
		code_region = code_try(at, MAP_FIXED_NOREPLACE);
	return code_region ? 0 : -ENOMEM;
}

int proc_memory_init(int at_zero)
{
	int r = at_zero && reserve_guest_region_at_zero() == 0 ? 0 : reserve_guest_region();

	return r < 0 ? r : reserve_code_region();
}

void *plat_code_alloc(size_t size)
{
	void *p;

	size = RT_ALIGN_UP(size, GUEST_PAGE_SIZE);
	if (!code_region || size > PROC_CODE_REGION_SIZE - code_used)
		return NULL;
	p = code_region + code_used;
	code_used += size;
	return p;
}

void *plat_alloc(size_t size)
{
	/* glibc's malloc aligns to 16 bytes on x86-64. */
	return calloc(1, size ? size : 1);
}

void plat_free(void *ptr)
{
	free(ptr);
}
