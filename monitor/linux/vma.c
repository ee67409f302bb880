/*
 * vma.c - the guest's memory map: a sorted array of page-aligned areas, each
 * with its protection, kept in step with the platform's page tables.  Every
 * change of a mapping goes through here, so this file is also where stale
 * translations are dropped (a range that held executable pages is
 * invalidated before its pages change).
 */
#include "lx.h"

struct lx_mm lx_mm;

void lx_vma_init(uint64_t limit)
{
	if (lx_mm.vma)
		plat_free(lx_mm.vma);
	memset(&lx_mm, 0, sizeof(lx_mm));
	lx_mm.limit = limit ? limit : ~0ull;
}

/* Index of the first area ending above addr (lower bound on end). */
static unsigned first_above(uint64_t addr)
{
	unsigned lo = 0, hi = lx_mm.count;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (lx_mm.vma[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct lx_vma *lx_vma_find(uint64_t addr)
{
	unsigned i = first_above(addr);

	if (i < lx_mm.count && lx_mm.vma[i].start <= addr)
		return &lx_mm.vma[i];
	return NULL;
}

int dbt_guest_page_prot(uint64_t gva)
{
	const struct lx_vma *v = lx_vma_find(gva);

	return v ? v->prot : -1;
}

int lx_vma_intersects(uint64_t start, uint64_t end)
{
	unsigned i = first_above(start);

	return i < lx_mm.count && lx_mm.vma[i].start < end;
}

/* [start, end) is mapped without holes, each area allowing at least prot. */
static int covered_with(uint64_t start, uint64_t end, int prot)
{
	unsigned i = first_above(start);
	uint64_t at = start;

	while (at < end) {
		if (i >= lx_mm.count || lx_mm.vma[i].start > at ||
		    (lx_mm.vma[i].prot & prot) != prot)
			return 0;
		at = lx_mm.vma[i++].end;
	}
	return 1;
}

int lx_vma_covered(uint64_t start, uint64_t end)
{
	return covered_with(start, end, 0);
}

int lx_vma_access_ok(uint64_t gva, uint64_t len, int prot)
{
	if (len == 0)
		return 1;
	if (gva + len < gva || gva + len > GUEST_VA_LIMIT)
		return 0;
	return covered_with(gva, gva + len, prot);
}

static uint64_t mapped_in(uint64_t start, uint64_t end, int *exec)
{
	uint64_t bytes = 0;

	*exec = 0;
	for (unsigned i = first_above(start); i < lx_mm.count && lx_mm.vma[i].start < end; i++) {
		uint64_t lo = lx_mm.vma[i].start > start ? lx_mm.vma[i].start : start;
		uint64_t hi = lx_mm.vma[i].end < end ? lx_mm.vma[i].end : end;

		bytes += hi - lo;
		if (lx_mm.vma[i].prot & LX_PROT_EXEC)
			*exec = 1;
	}
	return bytes;
}

/* Room for `more` new areas (a split at each end of a range, plus one). */
static int reserve(unsigned more)
{
	if (lx_mm.count + more <= lx_mm.capacity)
		return 0;
	if (lx_mm.count + more > LX_MAX_VMAS)
		return -LX_ENOMEM;
	unsigned cap = lx_mm.capacity ? lx_mm.capacity * 2 : 64;
	struct lx_vma *v = plat_alloc(cap * sizeof(*v));

	if (!v)
		return -LX_ENOMEM;
	if (lx_mm.count)
		memcpy(v, lx_mm.vma, lx_mm.count * sizeof(*v));
	if (lx_mm.vma)
		plat_free(lx_mm.vma);
	lx_mm.vma = v;
	lx_mm.capacity = cap;
	return 0;
}

/* Make addr an area boundary; reserve() has made room. */
static void split_at(uint64_t addr)
{
	unsigned i = first_above(addr);

	if (i >= lx_mm.count || lx_mm.vma[i].start >= addr)
		return;
	memmove(&lx_mm.vma[i + 1], &lx_mm.vma[i], (lx_mm.count - i) * sizeof(lx_mm.vma[0]));
	lx_mm.count++;
	lx_mm.vma[i].end = addr;
	lx_mm.vma[i + 1].start = addr;
}

/* Join equal neighbours among indices [lo, hi], keeping the array short. */
static void merge(unsigned lo, unsigned hi)
{
	if (lo > 0)
		lo--;
	for (unsigned i = lo; i + 1 < lx_mm.count && i <= hi;) {
		struct lx_vma *a = &lx_mm.vma[i], *b = &lx_mm.vma[i + 1];

		if (a->end == b->start && a->prot == b->prot && a->flags == b->flags) {
			a->end = b->end;
			memmove(b, b + 1, (lx_mm.count - i - 2) * sizeof(*b));
			lx_mm.count--;
			if (hi > 0)
				hi--;
		} else {
			i++;
		}
	}
}

/* Drop the areas inside [start, end), whose ends are boundaries already. */
static void remove_range(uint64_t start, uint64_t end)
{
	unsigned i = first_above(start), j = i;

	while (j < lx_mm.count && lx_mm.vma[j].start < end) {
		lx_mm.mapped -= lx_mm.vma[j].end - lx_mm.vma[j].start;
		j++;
	}
	memmove(&lx_mm.vma[i], &lx_mm.vma[j], (lx_mm.count - j) * sizeof(lx_mm.vma[0]));
	lx_mm.count -= j - i;
}

/* Write access needs read access on RISC-V (W without R is reserved, priv spec 4.3.1). */
static int normal_prot(int prot)
{
	prot &= LX_PROT_READ | LX_PROT_WRITE | LX_PROT_EXEC;
	if (prot & LX_PROT_WRITE)
		prot |= LX_PROT_READ;
	return prot;
}

int lx_vma_map(uint64_t start, uint64_t end, int prot, int flags)
{
	int exec, r;
	uint64_t old = mapped_in(start, end, &exec);

	if (lx_mm.mapped - old + (end - start) > lx_mm.limit)
		return -LX_ENOMEM;
	r = reserve(3);
	if (r)
		return r;
	prot = normal_prot(prot);
	if (exec)
		dbt_invalidate_range(start, end - start);
	split_at(start);
	split_at(end);
	remove_range(start, end);
	r = plat_mem_map(start, end - start, prot);
	if (r < 0) {
		/* Whatever the platform left there is no longer the guest's. */
		plat_mem_unmap(start, end - start);
		return r;
	}
	unsigned i = first_above(start);

	memmove(&lx_mm.vma[i + 1], &lx_mm.vma[i], (lx_mm.count - i) * sizeof(lx_mm.vma[0]));
	lx_mm.vma[i] = (struct lx_vma){ start, end, prot, flags };
	lx_mm.count++;
	lx_mm.mapped += end - start;
	merge(i, i + 1);
	return 0;
}

int lx_vma_unmap(uint64_t start, uint64_t end)
{
	int exec, r;

	if (!lx_vma_intersects(start, end))
		return 0;
	r = reserve(2);
	if (r)
		return r;
	mapped_in(start, end, &exec);
	if (exec)
		dbt_invalidate_range(start, end - start);
	split_at(start);
	split_at(end);
	for (unsigned i = first_above(start); i < lx_mm.count && lx_mm.vma[i].start < end; i++)
		plat_mem_unmap(lx_mm.vma[i].start, lx_mm.vma[i].end - lx_mm.vma[i].start);
	remove_range(start, end);
	return 0;
}

int lx_vma_protect(uint64_t start, uint64_t end, int prot)
{
	int exec, r;
	unsigned i;

	r = reserve(2);
	if (r)
		return r;
	prot = normal_prot(prot);
	mapped_in(start, end, &exec);
	if (exec)
		dbt_invalidate_range(start, end - start);
	split_at(start);
	split_at(end);
	unsigned first = first_above(start);

	for (i = first; i < lx_mm.count && lx_mm.vma[i].start < end; i++) {
		struct lx_vma *v = &lx_mm.vma[i];

		if (v->prot == prot)
			continue;
		r = plat_mem_protect(v->start, v->end - v->start, prot);
		if (r < 0)
			break;
		v->prot = prot;
		lx_mm.prot_changes++;
	}
	merge(first, i);
	return r < 0 ? r : 0;
}

/*
 * A free range of len bytes: the hint if it is free (page-aligned up), else
 * the highest gap below mmap_base, as arch_get_unmapped_area_topdown()
 * does.  0 when there is none.
 */
uint64_t lx_vma_find_free(uint64_t len, uint64_t hint)
{
	if (len == 0 || len > GUEST_VA_LIMIT)
		return 0;
	if (hint) {
		hint = LX_PAGE_UP(hint);
		if (hint >= LX_MMAP_MIN_ADDR && hint <= GUEST_VA_LIMIT - len &&
		    !lx_vma_intersects(hint, hint + len))
			return hint;
	}
	uint64_t top = lx_mm.mmap_base;

	for (unsigned i = lx_mm.count; i-- > 0;) {
		const struct lx_vma *v = &lx_mm.vma[i];

		if (v->start >= top)
			continue;
		if (v->end <= top && top - v->end >= len)
			return top - len;
		top = v->start;
	}
	if (top >= LX_MMAP_MIN_ADDR + len)
		return top - len;
	return 0;
}
