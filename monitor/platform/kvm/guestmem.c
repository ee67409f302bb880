/*
 * guestmem.c - guest memory on x86 paging (platform.h plat_mem_*): guest
 * virtual address == monitor virtual address, supervisor pages (translated
 * code runs at CPL0), never executable (guest code is translated, not run).
 *
 * plat_mem_map only records a region; frames arrive on the first #PF, in
 * runs of up to POPULATE_RUN pages or as one 2 MiB page when the region
 * holds the whole aligned 2 MiB, because a guest #PF is the dearest event on
 * every host (12-23 us on emulated KVM, DESIGN.md section 2).  Commitment is
 * checked up front instead: plat_mem_map fails with -ENOMEM when the
 * accessible pages not yet populated would exceed the free frames, so a
 * later fault never runs out.
 */
#include "dbt.h"
#include "mm.h"
#include "platform.h"
#include "rt.h"
#include "x86.h"

#define ENOMEM 12
#define EFAULT 14
#define EINVAL 22

#define POPULATE_RUN 16
#define GUEST_HALF_END 0x0000800000000000ull
#define FLUSH_PAGES_MAX 32 /* beyond this one CR3 reload beats invlpg per page */
#define RESERVE_FRAMES 256 /* kept back for page tables and the heap */

#define PF_P    (1u << 0)
#define PF_W    (1u << 1)
#define PF_RSVD (1u << 3)
#define PF_I    (1u << 4)

struct gregion {
	uint64_t start, end;
	int prot;
};

/* Guest memory state: owned by this file, one vCPU, no interrupts. */
static struct gregion *regions; /* sorted, disjoint */
static unsigned nregions, capacity;
static uint64_t committed; /* accessible pages not populated yet */

static uint64_t pte_flags(int prot)
{
	if (!prot)
		return PTE_KEPT;
	return PTE_P | PTE_NX | (prot & PLAT_PROT_WRITE ? PTE_W : 0);
}

static int prot_allows(int prot, int access)
{
	if (access == DBT_ACCESS_WRITE)
		return prot & PLAT_PROT_WRITE;
	if (access == DBT_ACCESS_READ)
		return prot & (PLAT_PROT_READ | PLAT_PROT_EXEC);
	return 0; /* the monitor never executes guest memory */
}

static struct gregion *region_find(uint64_t va)
{
	unsigned lo = 0, hi = nregions;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (va < regions[mid].start)
			hi = mid;
		else if (va >= regions[mid].end)
			lo = mid + 1;
		else
			return &regions[mid];
	}
	return NULL;
}

static int region_reserve(unsigned extra)
{
	if (nregions + extra <= capacity)
		return 0;
	unsigned cap = capacity ? capacity * 2 : 64;
	while (cap < nregions + extra)
		cap *= 2;
	struct gregion *n = plat_alloc(cap * sizeof(*n));
	if (!n)
		return -1;
	if (regions)
		memcpy(n, regions, nregions * sizeof(*n));
	plat_free(regions);
	regions = n;
	capacity = cap;
	return 0;
}

static void region_insert_at(unsigned i, struct gregion r)
{
	memmove(&regions[i + 1], &regions[i], (nregions - i) * sizeof(r));
	regions[i] = r;
	nregions++;
}

/* Remove [start, end) from the list; needs one free slot for a split. */
static void region_carve(uint64_t start, uint64_t end)
{
	for (unsigned i = 0; i < nregions; i++) {
		struct gregion *r = &regions[i];
		if (r->end <= start || r->start >= end)
			continue;
		if (r->start < start && r->end > end) {
			struct gregion tail = { end, r->end, r->prot };
			r->end = start;
			region_insert_at(i + 1, tail);
			return;
		}
		if (r->start < start) {
			r->end = start;
		} else if (r->end > end) {
			r->start = end;
		} else {
			memmove(r, r + 1, (nregions - i - 1) * sizeof(*r));
			nregions--;
			i--;
		}
	}
}

static void region_insert(uint64_t start, uint64_t end, int prot)
{
	unsigned i = 0;

	while (i < nregions && regions[i].start < start)
		i++;
	region_insert_at(i, (struct gregion){ start, end, prot });
}

/*
 * Visit every leaf entry holding a frame (present, or kept under PROT_NONE)
 * in [start, end).  A 2 MiB leaf only partly inside is split first.  The
 * visitor returns the number of 4 KiB pages the entry held.
 */
typedef uint64_t (*leaf_visit)(uint64_t *entry, uint64_t va, int large, void *ctx);

static uint64_t walk(uint64_t start, uint64_t end, leaf_visit visit, void *ctx)
{
	uint64_t va = start, pages = 0;

	while (va < end) {
		uint64_t *e = mm_entry(va, 4, 0);
		if (!(*e & PTE_P)) {
			va = RT_ALIGN_DOWN(va, 1ull << 39) + (1ull << 39);
			continue;
		}
		e = mm_entry(va, 3, 0);
		if (!(*e & PTE_P)) {
			va = RT_ALIGN_DOWN(va, 1ull << 30) + (1ull << 30);
			continue;
		}
		uint64_t big = RT_ALIGN_DOWN(va, X86_LARGE_PAGE_SIZE);
		uint64_t *pde = mm_entry(va, 2, 0);
		if (*pde & PTE_PS && *pde & (PTE_P | PTE_KEPT)) {
			if (big >= start && big + X86_LARGE_PAGE_SIZE <= end) {
				pages += visit(pde, big, 1, ctx);
				va = big + X86_LARGE_PAGE_SIZE;
				continue;
			}
			if (mm_split_large(pde))
				x86_crash(NULL, "out of frames splitting a guest 2 MiB page");
		}
		if (!(*pde & PTE_P)) {
			va = big + X86_LARGE_PAGE_SIZE;
			continue;
		}
		uint64_t *pt = x86_phys_to_virt(*pde & PTE_ADDR);
		uint64_t stop = big + X86_LARGE_PAGE_SIZE < end ? big + X86_LARGE_PAGE_SIZE : end;
		for (; va < stop; va += X86_PAGE_SIZE) {
			uint64_t *pte = &pt[(va >> 12) & 511];
			if (*pte & (PTE_P | PTE_KEPT))
				pages += visit(pte, va, 0, ctx);
		}
	}
	return pages;
}

static void flush_range(uint64_t start, uint64_t end)
{
	if ((end - start) / X86_PAGE_SIZE > FLUSH_PAGES_MAX) {
		mm_flush_all();
		return;
	}
	for (uint64_t va = start; va < end; va += X86_PAGE_SIZE)
		mm_invlpg(va);
}

static uint64_t visit_free(uint64_t *entry, uint64_t va, int large, void *ctx)
{
	uint64_t pa = *entry & PTE_ADDR;

	*entry = 0;
	if (large) {
		x86_frame_free_large(pa & ~(X86_LARGE_PAGE_SIZE - 1));
		return X86_LARGE_PAGE_SIZE / X86_PAGE_SIZE;
	}
	x86_frame_free(pa);
	return 1;
}

static uint64_t visit_protect(uint64_t *entry, uint64_t va, int large, void *ctx)
{
	int prot = *(const int *)ctx;

	*entry = (*entry & (PTE_ADDR | (large ? PTE_PS : 0))) | pte_flags(prot);
	return large ? X86_LARGE_PAGE_SIZE / X86_PAGE_SIZE : 1;
}

static uint64_t visit_count(uint64_t *entry, uint64_t va, int large, void *ctx)
{
	return large ? X86_LARGE_PAGE_SIZE / X86_PAGE_SIZE : 1;
}

static int range_ok(uint64_t gva, uint64_t len)
{
	return len && !((gva | len) & (GUEST_PAGE_SIZE - 1)) && gva < GUEST_VA_LIMIT &&
	       len <= GUEST_VA_LIMIT - gva;
}

/* Drop every page in [start, end) and its region pieces, settling commitment. */
static void unmap_range(uint64_t start, uint64_t end)
{
	for (unsigned i = 0; i < nregions; i++) {
		struct gregion *r = &regions[i];
		if (r->end <= start || r->start >= end)
			continue;
		uint64_t a = r->start > start ? r->start : start;
		uint64_t b = r->end < end ? r->end : end;
		uint64_t populated = walk(a, b, visit_free, NULL);
		if (r->prot)
			committed -= (b - a) / X86_PAGE_SIZE - populated;
	}
	flush_range(start, end);
	region_carve(start, end);
}

static int can_commit(uint64_t pages)
{
	uint64_t want = committed + pages;

	/* Page tables cost one frame per 512 pages; round generously. */
	return want + want / 256 + RESERVE_FRAMES <= x86_frames_free();
}

int plat_mem_map(uint64_t gva, uint64_t len, int prot)
{
	if (!range_ok(gva, len))
		return -EINVAL;
	if (region_reserve(2))
		return -ENOMEM;
	unmap_range(gva, gva + len);
	if (prot && !can_commit(len / X86_PAGE_SIZE))
		return -ENOMEM;
	region_insert(gva, gva + len, prot);
	if (prot)
		committed += len / X86_PAGE_SIZE;
	return 0;
}

int plat_mem_unmap(uint64_t gva, uint64_t len)
{
	if (!range_ok(gva, len))
		return -EINVAL;
	if (region_reserve(1))
		return -ENOMEM;
	unmap_range(gva, gva + len);
	return 0;
}

int plat_mem_huge_pages(uint64_t gva, uint64_t len, int how)
{
	if (!range_ok(gva, len))
		return -EINVAL;
	return how == PLAT_HUGE_COLLAPSE ? -EINVAL : 0;
}

int plat_mem_protect(uint64_t gva, uint64_t len, int prot)
{
	uint64_t end = gva + len, covered = 0, gain = 0, loss = 0;

	if (!range_ok(gva, len))
		return -EINVAL;
	for (unsigned i = 0; i < nregions; i++) {
		struct gregion *r = &regions[i];
		if (r->end <= gva || r->start >= end)
			continue;
		uint64_t a = r->start > gva ? r->start : gva;
		uint64_t b = r->end < end ? r->end : end;
		covered += b - a;
		if (!r->prot != !prot) {
			uint64_t unpopulated = (b - a) / X86_PAGE_SIZE - walk(a, b, visit_count, NULL);
			if (prot)
				gain += unpopulated;
			else
				loss += unpopulated;
		}
	}
	/* mprotect(2): ENOMEM when part of the range is not mapped. */
	if (covered != len || region_reserve(2))
		return -ENOMEM;
	if (gain && !can_commit(gain))
		return -ENOMEM;
	committed += gain - loss;
	walk(gva, end, visit_protect, &prot);
	flush_range(gva, end);
	region_carve(gva, end);
	region_insert(gva, end, prot);
	return 0;
}

/* Give the page at va (inside r, not populated) a frame, and its neighbours. */
static int populate(uint64_t va, const struct gregion *r)
{
	uint64_t flags = pte_flags(r->prot);
	uint64_t page = RT_ALIGN_DOWN(va, X86_PAGE_SIZE);
	uint64_t big = RT_ALIGN_DOWN(va, X86_LARGE_PAGE_SIZE);
	uint64_t *pde = mm_entry(va, 2, 1);

	if (!pde)
		return -1;
	if (!(*pde & PTE_P) && big >= r->start && big + X86_LARGE_PAGE_SIZE <= r->end) {
		uint64_t pa = x86_frame_alloc_large();
		if (pa) {
			*pde = pa | flags | PTE_PS;
			committed -= X86_LARGE_PAGE_SIZE / X86_PAGE_SIZE;
			return 0;
		}
	}
	if (*pde & PTE_PS)
		return 0; /* populated meanwhile: a spurious fault */

	/* One walk for the whole run: it never leaves this page table. */
	uint64_t *pte = mm_entry(page, 1, 1);
	if (!pte)
		return -1;
	uint64_t lo = r->start > big ? r->start : big, hi = r->end;
	if (hi > big + X86_LARGE_PAGE_SIZE)
		hi = big + X86_LARGE_PAGE_SIZE;
	/*
	 * Runs go up from the fault, except when they could not: at the top of
	 * the region, or below a page already there.  That is a stack growing
	 * down, and the run goes down.
	 */
	int down = page + X86_PAGE_SIZE >= hi || pte[1] & (PTE_P | PTE_KEPT);
	for (unsigned n = 0; n < POPULATE_RUN; n++) {
		uint64_t p = down ? page - n * X86_PAGE_SIZE : page + n * X86_PAGE_SIZE;
		uint64_t *e = down ? pte - n : pte + n;
		if (p < lo || p >= hi || *e & (PTE_P | PTE_KEPT))
			break;
		uint64_t pa = x86_frame_alloc();
		if (!pa)
			return n ? 0 : -1;
		*e = pa | flags;
		committed--;
	}
	return 0;
}

_Static_assert(MM_HEAP_BASE + MM_HEAP_SIZE <= -(1ull << 39),
	       "PML4 slot 511 stays unmapped: the guard below guest address 0");

static uint64_t guest_page_faults;

uint64_t plat_page_faults(void)
{
	return guest_page_faults;
}

void x86_page_fault(struct x86_trap_frame *tf)
{
	uint64_t cr2 = x86_read_cr2(), err = tf->error_code;
	int access = err & PF_I ? DBT_ACCESS_EXEC : err & PF_W ? DBT_ACCESS_WRITE : DBT_ACCESS_READ;

	/* The guard below guest address 0 (platform.h): PML4 slot 511, never mapped. */
	int below_zero = cr2 >= -PLAT_GUEST_GUARD;
	if (cr2 >= GUEST_HALF_END && !below_zero) {
		if (!(err & PF_P) && x86_direct_map_fault(cr2))
			return;
		x86_crash(tf, "#PF page fault on a monitor address");
	}
	guest_page_faults++;
	if (err & PF_RSVD)
		x86_crash(tf, "#PF reserved bit set in a guest page table entry");
	if (!(err & PF_P)) {
		struct gregion *r = region_find(cr2);
		if (r && prot_allows(r->prot, access)) {
			if (populate(cr2, r))
				x86_crash(tf, "#PF out of frames for committed guest memory");
			return;
		}
	}
	const uint64_t gpr[DBT_GPRS] = {
	    tf->rax, tf->rcx, tf->rdx, tf->rbx, tf->rsp, tf->rbp, tf->rsi, tf->rdi,
	    tf->r8,  tf->r9,  tf->r10, tf->r11, tf->r12, tf->r13, tf->r14, tf->r15,
	};
	uint64_t xmm[16];
	if (plat_has_sse)
		x86_read_xmm_low(xmm);
	switch (dbt_fault(tf->rip, cr2, access, gpr, plat_has_sse ? xmm : NULL)) {
	case DBT_FAULT_RETRY:
		return;
	case DBT_FAULT_UNWIND:
		tf->rip = (uint64_t)dbt_fault_exit;
		return;
	default:
		x86_crash(tf, "#PF on guest memory outside translated code");
	}
}

int x86_guest_populate(uint64_t gva, uint64_t len, int access)
{
	uint64_t end = gva + len;

	if (end < gva || end > GUEST_VA_LIMIT)
		return -EFAULT;
	for (uint64_t va = RT_ALIGN_DOWN(gva, X86_PAGE_SIZE); va < end;) {
		uint64_t *e = mm_entry(va, 1, 0);
		uint64_t step = e && *e & PTE_PS ? X86_LARGE_PAGE_SIZE : X86_PAGE_SIZE;
		if (e && *e & PTE_P) {
			if (access == DBT_ACCESS_WRITE && !(*e & PTE_W))
				return -EFAULT;
			va = RT_ALIGN_DOWN(va, step) + step;
			continue;
		}
		struct gregion *r = region_find(va);
		if (!r || !prot_allows(r->prot, access))
			return -EFAULT;
		if (populate(va, r))
			return -EFAULT;
	}
	return 0;
}
