/*
 * vma.c - the guest's memory map: a sorted array of page-aligned areas, each
 * with its protection, kept in step with the platform's page tables.  Every
 * change of a mapping goes through here, so this file is also where stale
 * translations are dropped (a range that held executable pages is
 * invalidated before its pages change) and where shared file mappings are
 * written back to their file when they go.  A private file area (filemap.c)
 * is mapped inaccessible in the platform and its protection reaches only
 * the pages filled so far; its pieces share one fill map, counted here.
 */
#include "lx.h"

struct lx_mm lx_mm;

void lx_vma_init(uint64_t limit)
{
	for (unsigned i = 0; i < lx_mm.count; i++)
		if (lx_mm.vma[i].file)
			lx_filemap_put(lx_mm.vma[i].file);
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

static int slot_holds(unsigned i, uint64_t addr)
{
	return i < lx_mm.count && lx_mm.vma[i].start <= addr && addr < lx_mm.vma[i].end;
}

const struct lx_vma *lx_vma_find(uint64_t addr)
{
	/*
	 * The translator asks about every page it fetches from, nearly always
	 * the page it asked about last, and the host string routines
	 * (routines.c) go between two areas (a string in the heap, another
	 * in .rodata): try the last two answers' slots first.  Any area there
	 * that holds addr is the right answer, so array changes need not
	 * reset them.
	 */
	unsigned i = lx_mm.last_found[0];

	if (slot_holds(i, addr))
		return &lx_mm.vma[i];
	i = lx_mm.last_found[1];
	if (!slot_holds(i, addr)) {
		i = first_above(addr);
		if (i >= lx_mm.count || lx_mm.vma[i].start > addr)
			return NULL;
	}
	lx_mm.last_found[1] = lx_mm.last_found[0];
	lx_mm.last_found[0] = i;
	return &lx_mm.vma[i];
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
RT_SYSCALL_PATH static int covered_with(uint64_t start, uint64_t end, int prot)
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

/*
 * Committed bytes in [start, end), those with prot equal to
 * (want_none ? none : some) access; *exec tells whether any page there is
 * executable (and so may have translations).
 */
static uint64_t committed_in(uint64_t start, uint64_t end, int want_none, int *exec)
{
	uint64_t bytes = 0;

	*exec = 0;
	for (unsigned i = first_above(start); i < lx_mm.count && lx_mm.vma[i].start < end; i++) {
		uint64_t lo = lx_mm.vma[i].start > start ? lx_mm.vma[i].start : start;
		uint64_t hi = lx_mm.vma[i].end < end ? lx_mm.vma[i].end : end;

		if (!lx_mm.vma[i].prot == !!want_none)
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
	if (lx_mm.vma[i].flags & LX_VMA_SHARED)
		lx_mm.vma[i + 1].offset += addr - lx_mm.vma[i].start;
	if (lx_mm.vma[i].file)
		lx_filemap_get(lx_mm.vma[i].file);
}

static int joinable(const struct lx_vma *a, const struct lx_vma *b)
{
	if (a->end != b->start || a->prot != b->prot || a->flags != b->flags || a->file != b->file)
		return 0;
	return !(a->flags & LX_VMA_SHARED) ||
	       (a->fd == b->fd && b->offset == a->offset + (a->end - a->start));
}

/* Join equal neighbours among indices [lo, hi], keeping the array short. */
static void merge(unsigned lo, unsigned hi)
{
	if (lo > 0)
		lo--;
	for (unsigned i = lo; i + 1 < lx_mm.count && i <= hi;) {
		struct lx_vma *a = &lx_mm.vma[i], *b = &lx_mm.vma[i + 1];

		if (joinable(a, b)) {
			if (b->file)
				lx_filemap_put(b->file);
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

static long file_call(uint32_t op, int fd, int64_t arg1, void *buf, uint64_t len)
{
	int64_t arg[6] = {fd, arg1};
	struct plat_iov iov = {buf, len};

	return plat_hostcall(op, arg, &iov, buf ? 1 : 0);
}

/*
 * Write [lo, hi) of a dirty shared file area back to its file, up to the
 * file's end (Linux never extends a file through a mapping: pages past EOF
 * raise SIGBUS there).  The host is handed the guest pages in place.
 */
static int write_back(const struct lx_vma *v, uint64_t lo, uint64_t hi)
{
	struct rvkvm_stat st;
	uint64_t off = v->offset + (lo - v->start), done = 0, len;
	long r = file_call(HC_FSTAT, v->fd, 0, &st, sizeof(st));

	if (r < 0)
		return (int)r;
	if ((uint64_t)st.st_size <= off)
		return 0;
	len = (uint64_t)st.st_size - off < hi - lo ? (uint64_t)st.st_size - off : hi - lo;
	if (!(v->prot & LX_PROT_READ))
		plat_mem_protect(lo, hi - lo, v->prot | LX_PROT_READ);
	while (done < len) {
		r = file_call(HC_PWRITE, v->fd, (int64_t)(off + done), plat_g2h(lo + done),
			      len - done);
		if (r <= 0)
			break;
		done += (uint64_t)r;
	}
	if (!(v->prot & LX_PROT_READ))
		plat_mem_protect(lo, hi - lo, v->prot);
	return r < 0 ? (int)r : 0;
}

/* Write back every dirty shared file area in [start, end). */
int lx_vma_sync(uint64_t start, uint64_t end)
{
	int err = 0;

	for (unsigned i = first_above(start); i < lx_mm.count && lx_mm.vma[i].start < end; i++) {
		const struct lx_vma *v = &lx_mm.vma[i];

		if ((v->flags & LX_VMA_DIRTY) && !err) {
			uint64_t lo = v->start > start ? v->start : start;
			uint64_t hi = v->end < end ? v->end : end;

			err = write_back(v, lo, hi);
		}
	}
	return err;
}

static int fd_in_use(int fd)
{
	for (unsigned i = 0; i < lx_mm.count; i++)
		if ((lx_mm.vma[i].flags & LX_VMA_SHARED) && lx_mm.vma[i].fd == fd)
			return 1;
	return 0;
}

/*
 * Drop the areas inside [start, end), whose ends are boundaries already:
 * shared file areas are written back first, the pages are unmapped if asked,
 * and a file descriptor no area uses any more is closed.
 */
static void remove_range(uint64_t start, uint64_t end, int unmap_pages)
{
	unsigned i = first_above(start), j = i;

	lx_vma_sync(start, end);
	lx_routines_forget(start, end);
	lx_procfs_forget(start, end);
	for (; j < lx_mm.count && lx_mm.vma[j].start < end; j++) {
		const struct lx_vma *v = &lx_mm.vma[j];

		if (unmap_pages)
			plat_mem_unmap(v->start, v->end - v->start);
		if (v->prot)
			lx_mm.committed -= v->end - v->start;
	}
	for (unsigned k = i; k < j; k++) {
		struct lx_vma v = lx_mm.vma[k];

		if (v.file)
			lx_filemap_put(v.file);
		if (!(v.flags & LX_VMA_SHARED))
			continue;
		lx_mm.vma[k].flags &= ~LX_VMA_SHARED;
		if (!fd_in_use(v.fd))
			file_call(HC_CLOSE, v.fd, 0, NULL, 0);
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

/*
 * Every change to a range starts here: room for `more` new entries, the
 * range cut into whole areas at both ends, and the translations of any
 * executable page in it dropped.
 */
static int carve(uint64_t start, uint64_t end, unsigned more)
{
	int exec, r = reserve(more);

	if (r)
		return r;
	committed_in(start, end, 0, &exec);
	if (exec)
		dbt_invalidate_range(start, end - start);
	split_at(start);
	split_at(end);
	return 0;
}

static int map_area(struct lx_vma area)
{
	uint64_t start = area.start, end = area.end;
	int exec, r, prot = area.prot;
	uint64_t old = committed_in(start, end, 0, &exec);

	if (prot && lx_mm.committed - old + (end - start) > lx_mm.limit)
		return -LX_ENOMEM;
	r = carve(start, end, 3);
	if (r)
		return r;
	remove_range(start, end, 0);
	/* A private file area's pages stay inaccessible until filled (filemap.c). */
	r = plat_mem_map(start, end - start, area.file ? 0 : prot);
	if (r < 0) {
		/* Whatever the platform left there is no longer the guest's. */
		plat_mem_unmap(start, end - start);
		return r;
	}
	unsigned i = first_above(start);

	memmove(&lx_mm.vma[i + 1], &lx_mm.vma[i], (lx_mm.count - i) * sizeof(lx_mm.vma[0]));
	lx_mm.vma[i] = area;
	lx_mm.count++;
	if (prot)
		lx_mm.committed += end - start;
	merge(i, i + 1);
	lx_trace_map_changed(RVKVM_TMAP_MMAP, start, end);
	return 0;
}

int lx_vma_map(uint64_t start, uint64_t end, int prot, int flags)
{
	prot = normal_prot(prot);
	return map_area(
	    (struct lx_vma){start, end, prot, flags & (LX_VMA_HEAP | LX_VMA_STACK), -1, 0, NULL});
}

/* A MAP_PRIVATE file area; the reference to file is the area's (dropped if it fails). */
int lx_vma_map_file(uint64_t start, uint64_t end, int prot, struct lx_filemap *file)
{
	int r = map_area((struct lx_vma){start, end, normal_prot(prot), 0, -1, 0, file});

	if (r < 0)
		lx_filemap_put(file);
	return r;
}

/*
 * A MAP_SHARED file area, owning host descriptor fd (closed here when the
 * last area using it goes, or at once if the mapping fails).
 */
int lx_vma_map_shared(uint64_t start, uint64_t end, int prot, int fd, uint64_t offset, int maywrite)
{
	int flags = LX_VMA_SHARED | (maywrite ? LX_VMA_MAYWRITE : 0);
	int r;

	prot = normal_prot(prot);
	if (prot & LX_PROT_WRITE)
		flags |= LX_VMA_DIRTY;
	r = map_area((struct lx_vma){start, end, prot, flags, fd, offset, NULL});
	if (r < 0 && !fd_in_use(fd))
		file_call(HC_CLOSE, fd, 0, NULL, 0);
	return r;
}

int lx_vma_unmap(uint64_t start, uint64_t end)
{
	int r;

	if (!lx_vma_intersects(start, end))
		return 0;
	r = carve(start, end, 2);
	if (r)
		return r;
	remove_range(start, end, 1);
	lx_trace_map_changed(RVKVM_TMAP_MUNMAP, start, end);
	return 0;
}

int lx_vma_protect(uint64_t start, uint64_t end, int prot)
{
	int exec, r;
	unsigned i;

	prot = normal_prot(prot);
	for (i = first_above(start); i < lx_mm.count && lx_mm.vma[i].start < end; i++)
		if ((prot & LX_PROT_WRITE) && (lx_mm.vma[i].flags & LX_VMA_SHARED) &&
		    !(lx_mm.vma[i].flags & LX_VMA_MAYWRITE))
			return -LX_EACCES;
	/* Only accessible pages count against the limit (PROT_NONE reserves are free). */
	if (prot && lx_mm.committed + committed_in(start, end, 1, &exec) > lx_mm.limit)
		return -LX_ENOMEM;
	r = carve(start, end, 2);
	if (r)
		return r;
	unsigned first = first_above(start);

	for (i = first; i < lx_mm.count && lx_mm.vma[i].start < end; i++) {
		struct lx_vma *v = &lx_mm.vma[i];

		if (v->prot == prot)
			continue;
		r = v->file ? lx_filemap_protect(v, prot)
			    : plat_mem_protect(v->start, v->end - v->start, prot);
		if (r < 0)
			break;
		if (!v->prot != !prot)
			lx_mm.committed += prot ? v->end - v->start : -(v->end - v->start);
		v->prot = prot;
		if ((prot & LX_PROT_WRITE) && (v->flags & LX_VMA_SHARED))
			v->flags |= LX_VMA_DIRTY;
		lx_mm.prot_changes++;
	}
	merge(first, i);
	lx_trace_map_changed(RVKVM_TMAP_MPROTECT, start, end);
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
