/*
 * filemap.c - private file mappings, filled from their file on first touch.
 *
 * mmap(MAP_PRIVATE) of a file records the file (a host descriptor of its
 * own), and the pages stay inaccessible in the platform until something
 * touches them: translated code (a hardware fault: dbt_fault() asks
 * dbt_guest_page_fill()), the translator fetching code (it asks the same
 * hook), or the monitor and host on the guest's behalf (uaccess.c calls
 * lx_filemap_prepare()).  Each fill reads an aligned window of up to
 * FILL_AROUND pages with one HC_PREAD, like Linux's fault-around, since on
 * kvm every host call is a VM exit (~7.5 us on an emulated host) and every
 * guest #PF another 12-23 us.
 *
 * As in Linux, the file's size at fill time decides: the bytes past EOF in
 * the last page read as zero, a page wholly past EOF cannot be filled and
 * its access raises SIGBUS (BUS_ADRERR), as does an I/O error.  Once filled,
 * a page is private memory: later writes to the file are not seen, and
 * stores to it never reach the file.
 *
 * An area's fill state is a bitmap shared by every area split from the same
 * mmap (struct lx_filemap, reference counted), so splits and merges in
 * vma.c need no bookkeeping beyond the count.
 */
#include "lx.h"

#define FILL_AROUND 16 /* pages per fill: 64 KiB, Linux's fault_around_bytes */
#define RW (LX_PROT_READ | LX_PROT_WRITE)
#define BITS 64

struct lx_filemap {
	unsigned refs;	 /* areas pointing here */
	int fd;		 /* the host descriptor, owned: closed with the last reference */
	uint64_t base;	 /* guest address of bit 0 */
	uint64_t offset; /* file offset of base */
	uint64_t pages;
	uint64_t filled[]; /* a bit per page from base */
};

/*
 * Maps alive: while there are none the hooks return at once.  The fill
 * that could not be done, for run.c to turn into SIGBUS or an
 * out-of-memory end once dbt_fault() has unwound (the hook runs in fault
 * context, where no signal can be delivered).  Owned by the guest thread.
 */
static unsigned live_maps;
static uint64_t failed_page = ~0ull;
static long failed_err;

struct lx_filemap *lx_filemap_new(int fd, uint64_t base, uint64_t offset, uint64_t len)
{
	uint64_t pages = len / LX_PAGE;
	struct lx_filemap *m =
	    plat_alloc(sizeof(*m) + (pages + BITS - 1) / BITS * sizeof(m->filled[0]));

	if (!m)
		return NULL;
	m->refs = 1;
	m->fd = fd;
	m->base = base;
	m->offset = offset;
	m->pages = pages;
	live_maps++;
	return m;
}

void lx_filemap_get(struct lx_filemap *m)
{
	m->refs++;
}

void lx_filemap_put(struct lx_filemap *m)
{
	if (--m->refs)
		return;
	int64_t arg[6] = {m->fd};

	plat_hostcall(HC_CLOSE, arg, NULL, 0);
	plat_free(m);
	live_maps--;
}

int lx_filemap_fd(const struct lx_filemap *m)
{
	return m->fd;
}

uint64_t lx_filemap_offset(const struct lx_filemap *m, uint64_t gva)
{
	return m->offset + (gva - m->base);
}

int lx_filemap_is_filled(const struct lx_filemap *m, uint64_t gva)
{
	uint64_t i = (gva - m->base) / LX_PAGE;

	return (m->filled[i / BITS] >> (i % BITS)) & 1;
}

static void set_filled(struct lx_filemap *m, uint64_t lo, uint64_t hi, int on)
{
	for (uint64_t i = (lo - m->base) / LX_PAGE; i < (hi - m->base) / LX_PAGE; i++) {
		if (on)
			m->filled[i / BITS] |= 1ull << (i % BITS);
		else
			m->filled[i / BITS] &= ~(1ull << (i % BITS));
	}
}

/* Next boundary at or after `at` (< end) where the fill state changes, or end. */
static uint64_t run_end(const struct lx_filemap *m, uint64_t at, uint64_t end)
{
	int state = lx_filemap_is_filled(m, at);

	while (at < end && lx_filemap_is_filled(m, at) == state)
		at += LX_PAGE;
	return at;
}

int lx_filemap_protect(const struct lx_vma *v, int prot)
{
	for (uint64_t at = v->start; at < v->end;) {
		uint64_t end = run_end(v->file, at, v->end);

		if (lx_filemap_is_filled(v->file, at)) {
			int r = plat_mem_protect(at, end - at, prot);

			if (r < 0)
				return r;
		}
		at = end;
	}
	return 0;
}

void lx_filemap_mark(const struct lx_vma *v, uint64_t lo, uint64_t hi)
{
	set_filled(v->file, lo, hi, 1);
}

int lx_filemap_drop(const struct lx_vma *v, uint64_t lo, uint64_t hi)
{
	int r;

	if (v->prot & LX_PROT_EXEC)
		dbt_invalidate_range(lo, hi - lo);
	/* Fresh inaccessible pages: the frames go, and the next touch reads the file. */
	r = plat_mem_map(lo, hi - lo, 0);
	if (r == 0)
		set_filled(v->file, lo, hi, 0);
	return r;
}

/*
 * Read [lo, hi) of area v, none of it filled, from the file.  Returns the
 * bytes of whole pages now filled (0 at EOF), or -errno when none could be
 * (-ENOMEM: the platform cannot back the pages).  The pages are writable
 * for the host only while it reads; those the file does not reach go back
 * to fresh inaccessible pages.
 */
static long fill(const struct lx_vma *v, uint64_t lo, uint64_t hi)
{
	struct lx_filemap *m = v->file;
	uint64_t len = hi - lo, done = 0, filled;
	long r = plat_mem_protect(lo, len, RW);

	if (r < 0)
		return r;
	while (done < len) {
		int64_t arg[6] = {m->fd, (int64_t)lx_filemap_offset(m, lo + done)};
		struct plat_iov iov = {plat_g2h(lo + done), len - done};

		r = plat_hostcall(HC_PREAD, arg, &iov, 1);
		if (r <= 0)
			break;
		done += (uint64_t)r;
	}
	lx_mm.file_reads++;
	filled = LX_PAGE_UP(done);
	if (filled < len)
		plat_mem_map(lo + filled, len - filled, 0);
	if (filled == 0)
		return r < 0 ? r : 0;
	plat_mem_protect(lo, filled, v->prot);
	set_filled(m, lo, lo + filled, 1);
	lx_mm.file_pages_filled += filled / LX_PAGE;
	return (long)filled;
}

/*
 * Fill the page at `page` of area v and unfilled neighbours, FILL_AROUND
 * pages in all: upward first, since code and tables are mostly read
 * upward, and downward for what the area's end or a filled page leaves
 * over, so that a walk down (a stack of sections read backwards) is served
 * as well.  0 when the page is filled now, -LX_EFAULT past EOF, or -errno.
 */
static long fill_around(const struct lx_vma *v, uint64_t page)
{
	uint64_t want = FILL_AROUND * LX_PAGE;
	uint64_t hi = v->end - page < want ? v->end : page + want, lo = page;

	hi = run_end(v->file, page, hi);
	while (hi - lo < want && lo > v->start && !lx_filemap_is_filled(v->file, lo - LX_PAGE))
		lo -= LX_PAGE;
	long r = fill(v, lo, hi);

	if (r < 0)
		return r;
	return page < lo + (uint64_t)r ? 0 : -LX_EFAULT;
}

static int allows(int prot, int access)
{
	if (access & DBT_ACCESS_WRITE)
		return prot & LX_PROT_WRITE;
	if (access & DBT_ACCESS_EXEC)
		return prot & LX_PROT_EXEC;
	return prot & (LX_PROT_READ | LX_PROT_EXEC);
}

/* The guest's page at gva is not filled yet and its area allows it: the area, else NULL. */
static const struct lx_vma *unfilled(uint64_t gva)
{
	if (!live_maps || gva >= GUEST_VA_LIMIT)
		return NULL;
	const struct lx_vma *v = lx_vma_find(gva);

	return v && v->file && !lx_filemap_is_filled(v->file, gva) ? v : NULL;
}

int dbt_guest_page_fill(uint64_t gva, int access)
{
	const struct lx_vma *v = unfilled(gva);

	if (!v || !allows(v->prot, access))
		return 0;
	long r = fill_around(v, LX_PAGE_DOWN(gva));

	if (r == 0)
		return 1;
	failed_page = LX_PAGE_DOWN(gva);
	failed_err = r;
	return -1;
}

/* What the Linux OOM killer would do: SIGKILL, after saying why. */
static _Noreturn void out_of_memory(uint64_t gva)
{
	lx_log("rvkvm: out of guest memory filling a file mapping at %#llx (see -m): killed\n",
	       (unsigned long long)gva);
	lx_exit_signal(LX_SIGKILL);
}

int lx_filemap_fault(struct dbt_cpu *cpu, uint64_t addr)
{
	if (failed_page != LX_PAGE_DOWN(addr))
		return 0;
	long err = failed_err;

	failed_page = ~0ull;
	if (err == -LX_ENOMEM)
		out_of_memory(addr);
	lx_signal_fault(cpu, LX_SIGBUS, LX_BUS_ADRERR, addr);
	return 1;
}

int lx_filemap_prepare(uint64_t gva, uint64_t len)
{
	if (!live_maps || len == 0)
		return 0;
	for (uint64_t page = LX_PAGE_DOWN(gva); page < gva + len; page += LX_PAGE) {
		const struct lx_vma *v = unfilled(page);

		if (!v)
			continue;
		long r = fill_around(v, page);

		if (r == -LX_ENOMEM)
			out_of_memory(page);
		if (r < 0)
			return -LX_EFAULT;
	}
	return 0;
}
