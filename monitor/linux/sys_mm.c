/*
 * sys_mm.c - brk, mmap, munmap, mprotect, mremap, madvise, with the argument
 * checks and error numbers of mm/mmap.c, mm/mprotect.c, mm/mremap.c and
 * mm/madvise.c.  The areas themselves live in vma.c.
 */
#include "lx.h"

#define PAGE_OFFSET(x) ((x) & (LX_PAGE - 1))
#define RW (LX_PROT_READ | LX_PROT_WRITE)
#define PROT_RWX (LX_PROT_READ | LX_PROT_WRITE | LX_PROT_EXEC)

long lx_sys_brk(const uint64_t a[6])
{
	uint64_t want = a[0];
	uint64_t old_top = LX_PAGE_UP(lx_mm.brk), new_top = LX_PAGE_UP(want);

	if (want < lx_mm.start_brk || want > GUEST_VA_LIMIT - LX_PAGE)
		return (long)lx_mm.brk;
	if (new_top > old_top) {
		/* mm/mmap.c brk(): the new top must keep a page of gap to the next mapping. */
		if (lx_vma_intersects(old_top, new_top + LX_PAGE) ||
		    lx_vma_map(old_top, new_top, RW, LX_VMA_HEAP) < 0)
			return (long)lx_mm.brk;
	} else if (new_top < old_top) {
		lx_vma_unmap(new_top, old_top);
	}
	lx_mm.brk = want;
	return (long)want;
}

/*
 * Fill [addr, addr+len), just mapped with its final protection prot, from the
 * file at off; EOF leaves zeros.  The pages are writable for the host only
 * while it reads.
 */
static long fill_from_file(int fd, uint64_t addr, uint64_t len, uint64_t off, int prot)
{
	uint64_t done = 0;
	long r = 0;

	if (!(prot & LX_PROT_WRITE))
		plat_mem_protect(addr, len, RW);
	while (done < len) {
		int64_t arg[6] = {fd, (int64_t)(off + done)};
		struct plat_iov iov = {plat_g2h(addr + done), len - done};

		r = plat_hostcall(HC_PREAD, arg, &iov, 1);
		if (r <= 0)
			break;
		done += (uint64_t)r;
		r = 0;
	}
	if (!(prot & LX_PROT_WRITE))
		plat_mem_protect(addr, len, prot & PROT_RWX);
	if (r < 0)
		return r == -LX_EISDIR || r == -LX_EINVAL ? -LX_ENODEV : r;
	return 0;
}

/* The file's access mode for a mapping of it, or -errno (mm/mmap.c do_mmap()). */
static long check_file(int fd, int shared, int prot)
{
	int64_t arg[6] = {fd, LX_F_GETFL};
	long fl = plat_hostcall(HC_FCNTL, arg, NULL, 0);

	/* A platform that cannot tell (multiboot modules) serves read-only files. */
	if (fl == -LX_ENOSYS)
		fl = LX_O_RDONLY;
	if (fl < 0)
		return fl;
	fl &= LX_O_ACCMODE;
	if (fl == LX_O_WRONLY)
		return -LX_EACCES;
	if (shared && (prot & LX_PROT_WRITE) && fl != LX_O_RDWR)
		return -LX_EACCES;
	return fl;
}

/*
 * A shared file mapping keeps its own host descriptor (the guest may close
 * its own), placed high so the guest's descriptor numbers stay as Linux
 * would give them.
 */
#define SHARED_FD_BASE 512

static long own_descriptor(int fd)
{
	int64_t arg[6] = {fd, LX_F_DUPFD_CLOEXEC, SHARED_FD_BASE};
	long r = plat_hostcall(HC_FCNTL, arg, NULL, 0);

	if (r == -LX_EINVAL) {
		arg[2] = 0;
		r = plat_hostcall(HC_FCNTL, arg, NULL, 0);
	}
	return r;
}

/*
 * Map a shared file area not yet writable (so a failed fill is never
 * written back), fill it, then give it its protection.
 */
static long map_shared_file(uint64_t addr, uint64_t len, int prot, int fd, int own_fd, uint64_t off,
			    int maywrite)
{
	long r = lx_vma_map_shared(addr, addr + len, prot & ~LX_PROT_WRITE, own_fd, off, maywrite);

	if (r < 0)
		return r;
	r = fill_from_file(fd, addr, len, off, prot & ~LX_PROT_WRITE);
	if (r == 0 && (prot & LX_PROT_WRITE))
		r = lx_vma_protect(addr, addr + len, prot);
	if (r < 0)
		lx_vma_unmap(addr, addr + len);
	return r;
}

/*
 * A MAP_PRIVATE file area filled on first touch (filemap.c), with its own
 * descriptor.  A one-byte read refuses what Linux cannot map (a directory:
 * EISDIR, a pipe: ESPIPE) with ENODEV now rather than SIGBUS later (a
 * zero-length one would not: preadv of nothing succeeds on a directory).
 * Without a descriptor of its own (multiboot modules, or out of
 * descriptors) the file is read in whole now.
 */
static long map_private_file(uint64_t addr, uint64_t len, int prot, int fd, uint64_t off)
{
	int64_t arg[6] = {fd, (int64_t)off};
	char byte;
	struct plat_iov probe = {&byte, 1};
	struct lx_filemap *m;
	long own, r = plat_hostcall(HC_PREAD, arg, &probe, 1);

	if (r < 0)
		return r == -LX_EISDIR || r == -LX_EINVAL || r == -LX_ESPIPE ? -LX_ENODEV : r;
	own = own_descriptor(fd);
	if (own < 0) {
		r = lx_vma_map(addr, addr + len, prot, 0);
		if (r == 0)
			r = fill_from_file(fd, addr, len, off, prot);
		if (r < 0)
			lx_vma_unmap(addr, addr + len);
		return r;
	}
	m = lx_filemap_new((int)own, addr, off, len);
	if (!m) {
		int64_t close_arg[6] = {own};

		plat_hostcall(HC_CLOSE, close_arg, NULL, 0);
		return -LX_ENOMEM;
	}
	return lx_vma_map_file(addr, addr + len, prot, m);
}

long lx_sys_mmap(const uint64_t a[6])
{
	uint64_t addr = a[0], len = a[1], off = a[5];
	int prot = (int)a[2], flags = (int)a[3], fd = (int)a[4];
	int type = flags & LX_MAP_TYPE, shared = type != LX_MAP_PRIVATE;
	long r, mode = 0;

	if (type == LX_MAP_SHARED_VALIDATE) {
		if (flags & ~(LX_MAP_LEGACY_MASK | LX_MAP_SYNC | LX_MAP_FIXED_NOREPLACE))
			return -LX_EOPNOTSUPP;
	} else if (type != LX_MAP_SHARED && type != LX_MAP_PRIVATE) {
		return -LX_EINVAL;
	}
	if (len == 0 || PAGE_OFFSET(off))
		return -LX_EINVAL;
	len = LX_PAGE_UP(len);
	if (len == 0 || len > GUEST_VA_LIMIT)
		return -LX_ENOMEM;
	if (!(flags & LX_MAP_ANONYMOUS)) {
		mode = check_file(fd, shared, prot);
		if (mode < 0)
			return mode;
	}
	if (flags & (LX_MAP_FIXED | LX_MAP_FIXED_NOREPLACE)) {
		if (PAGE_OFFSET(addr))
			return -LX_EINVAL;
		if (addr > GUEST_VA_LIMIT - len)
			return -LX_ENOMEM;
		if (addr < LX_MMAP_MIN_ADDR)
			return -LX_EPERM;
		if ((flags & LX_MAP_FIXED_NOREPLACE) && lx_vma_intersects(addr, addr + len))
			return -LX_EEXIST;
	} else {
		addr = lx_vma_find_free(len, addr);
		if (!addr)
			return -LX_ENOMEM;
	}
	/* One process: anonymous shared memory is private memory nobody else sees. */
	if (flags & LX_MAP_ANONYMOUS) {
		r = lx_vma_map(addr, addr + len, prot, 0);
		return r < 0 ? r : (long)addr;
	}
	if (shared) {
		long own = own_descriptor(fd);

		if (own < 0)
			return own;
		r = map_shared_file(addr, len, prot, fd, (int)own, off, mode == LX_O_RDWR);
		return r < 0 ? r : (long)addr;
	}
	r = map_private_file(addr, len, prot, fd, off);
	return r < 0 ? r : (long)addr;
}

long lx_sys_msync(const uint64_t a[6])
{
	uint64_t addr = a[0], len = LX_PAGE_UP(a[1]);
	uint64_t flags = a[2];

	if (PAGE_OFFSET(addr) ||
	    (flags & ~(uint64_t)(LX_MS_ASYNC | LX_MS_INVALIDATE | LX_MS_SYNC)) ||
	    ((flags & LX_MS_ASYNC) && (flags & LX_MS_SYNC)))
		return -LX_EINVAL;
	if (a[1] && len == 0)
		return -LX_ENOMEM;
	if (len == 0)
		return 0;
	if (addr + len < addr || addr + len > GUEST_VA_LIMIT || !lx_vma_covered(addr, addr + len))
		return -LX_ENOMEM;
	return lx_vma_sync(addr, addr + len);
}

long lx_sys_munmap(const uint64_t a[6])
{
	uint64_t addr = a[0], len = LX_PAGE_UP(a[1]);

	if (PAGE_OFFSET(addr) || len == 0 || addr > GUEST_VA_LIMIT - len)
		return -LX_EINVAL;
	return lx_vma_unmap(addr, addr + len);
}

long lx_sys_mprotect(const uint64_t a[6])
{
	uint64_t addr = a[0], len = LX_PAGE_UP(a[1]);
	int prot = (int)a[2];

	if (PAGE_OFFSET(addr))
		return -LX_EINVAL;
	if (prot &
	    ~(LX_PROT_READ | LX_PROT_WRITE | LX_PROT_EXEC | LX_PROT_GROWSDOWN | LX_PROT_GROWSUP))
		return -LX_EINVAL;
	if ((prot & LX_PROT_GROWSDOWN) && (prot & LX_PROT_GROWSUP))
		return -LX_EINVAL;
	if (a[1] == 0)
		return 0;
	if (len == 0 || addr + len < addr || addr + len > GUEST_VA_LIMIT ||
	    !lx_vma_covered(addr, addr + len))
		return -LX_ENOMEM;
	return lx_vma_protect(addr, addr + len, prot);
}

/*
 * A private file area at [dst, dst+len) continuing the file of area v from
 * its address `at` (mremap growing or moving it), with a descriptor of its own.
 */
static long map_file_like(const struct lx_vma *v, uint64_t at, uint64_t dst, uint64_t len, int prot)
{
	long own = own_descriptor(lx_filemap_fd(v->file));
	struct lx_filemap *m;

	if (own < 0)
		return own;
	m = lx_filemap_new((int)own, dst, lx_filemap_offset(v->file, at), len);
	if (!m) {
		int64_t arg[6] = {own};

		plat_hostcall(HC_CLOSE, arg, NULL, 0);
		return -LX_ENOMEM;
	}
	return lx_vma_map_file(dst, dst + len, prot, m);
}

/*
 * The pages of private file area v in [old, old+len) that are filled, copied
 * to the same place in the area at dst made by map_file_like(); the rest
 * will be read from the file there, as they would have been here.  Both
 * are made readable for the copy.
 */
static void copy_filled(struct lx_vma v, uint64_t old, uint64_t len, uint64_t dst)
{
	const struct lx_vma *to = lx_vma_find(dst);
	struct lx_vma copy = *to;

	for (uint64_t at = 0; at < len; at += LX_PAGE) {
		if (!lx_filemap_is_filled(v.file, old + at))
			continue;
		plat_mem_protect(old + at, LX_PAGE, RW);
		plat_mem_protect(dst + at, LX_PAGE, RW);
		memcpy(plat_g2h(dst + at), plat_g2h(old + at), LX_PAGE);
		plat_mem_protect(dst + at, LX_PAGE, copy.prot);
		lx_filemap_mark(&copy, dst + at, dst + at + LX_PAGE);
	}
}

/*
 * Move [old, old+old_len) to [dst, dst+new_len): map, copy, unmap.  The
 * source is made readable first so the copy cannot fault in the monitor.  A
 * shared file area is written back and the new area read from the file
 * instead, which keeps it tied to the file.  A private file area moves its
 * filled pages and keeps the rest to be read from the file.
 */
static long move_area(const struct lx_vma *v, uint64_t old, uint64_t old_len, uint64_t dst,
		      uint64_t new_len, int keep_old)
{
	int prot = v->prot, flags = v->flags, fd = v->fd;
	uint64_t off = v->offset + (old - v->start);
	long r;

	if (flags & LX_VMA_SHARED) {
		r = lx_vma_sync(old, old + old_len);
		if (r == 0)
			r = map_shared_file(dst, new_len, prot, fd, fd, off,
					    flags & LX_VMA_MAYWRITE);
		if (r < 0)
			return r;
	} else if (v->file) {
		r = map_file_like(v, old, dst, new_len, prot);
		if (r < 0)
			return r;
		copy_filled(*v, old, old_len < new_len ? old_len : new_len, dst);
		if (keep_old)
			return lx_filemap_drop(lx_vma_find(old), old, old + old_len) < 0
				   ? -LX_ENOMEM
				   : (long)dst;
	} else {
		r = lx_vma_map(dst, dst + new_len, RW, flags);
		if (r < 0)
			return r;
		if (!(prot & LX_PROT_READ))
			lx_vma_protect(old, old + old_len, prot | LX_PROT_READ);
		memcpy(plat_g2h(dst), plat_g2h(old), old_len < new_len ? old_len : new_len);
		if ((prot & PROT_RWX) != RW)
			lx_vma_protect(dst, dst + new_len, prot);
	}
	if (keep_old && !(flags & LX_VMA_SHARED))
		lx_vma_map(old, old + old_len, prot, flags);
	else if (!keep_old)
		lx_vma_unmap(old, old + old_len);
	return (long)dst;
}

/* Grow [old, old+old_len) in place to new_len, if the pages above are free. */
static int grow_in_place(const struct lx_vma *v, uint64_t old, uint64_t old_len, uint64_t new_len)
{
	uint64_t end = old + old_len;
	struct lx_vma a = *v;

	if (old + new_len > GUEST_VA_LIMIT || lx_vma_intersects(end, old + new_len))
		return -LX_ENOMEM;
	if (a.flags & LX_VMA_SHARED)
		return (int)map_shared_file(end, new_len - old_len, a.prot, a.fd, a.fd,
					    a.offset + (end - a.start), a.flags & LX_VMA_MAYWRITE);
	if (a.file)
		return (int)map_file_like(&a, end, end, new_len - old_len, a.prot);
	return lx_vma_map(end, old + new_len, a.prot, a.flags);
}

long lx_sys_mremap(const uint64_t a[6])
{
	uint64_t old = a[0], old_len = LX_PAGE_UP(a[1]), new_len = LX_PAGE_UP(a[2]);
	uint64_t flags = a[3], dst = a[4];
	const struct lx_vma *found;
	struct lx_vma v;

	if (flags & ~(uint64_t)(LX_MREMAP_MAYMOVE | LX_MREMAP_FIXED | LX_MREMAP_DONTUNMAP))
		return -LX_EINVAL;
	if ((flags & (LX_MREMAP_FIXED | LX_MREMAP_DONTUNMAP)) && !(flags & LX_MREMAP_MAYMOVE))
		return -LX_EINVAL;
	if ((flags & LX_MREMAP_DONTUNMAP) && old_len != new_len)
		return -LX_EINVAL;
	if (PAGE_OFFSET(old) || new_len == 0 || old_len == 0)
		return -LX_EINVAL;
	found = lx_vma_find(old);
	if (!found || old_len > found->end - old)
		return -LX_EFAULT;
	/* A copy: the calls below change the array found points into. */
	v = *found;
	if ((flags & LX_MREMAP_DONTUNMAP) && (v.flags & LX_VMA_SHARED))
		return -LX_EINVAL;

	if (flags & LX_MREMAP_FIXED) {
		if (PAGE_OFFSET(dst) || dst > GUEST_VA_LIMIT - new_len ||
		    (dst < old + old_len && old < dst + new_len))
			return -LX_EINVAL;
		lx_vma_unmap(dst, dst + new_len);
		return move_area(&v, old, old_len, dst, new_len, !!(flags & LX_MREMAP_DONTUNMAP));
	}
	if (flags & LX_MREMAP_DONTUNMAP) {
		dst = lx_vma_find_free(new_len, 0);
		return dst ? move_area(&v, old, old_len, dst, new_len, 1) : -LX_ENOMEM;
	}
	if (new_len <= old_len) {
		if (new_len < old_len)
			lx_vma_unmap(old + new_len, old + old_len);
		return (long)old;
	}
	if (grow_in_place(&v, old, old_len, new_len) == 0)
		return (long)old;
	if (!(flags & LX_MREMAP_MAYMOVE))
		return -LX_ENOMEM;
	dst = lx_vma_find_free(new_len, 0);
	return dst ? move_area(&v, old, old_len, dst, new_len, 0) : -LX_ENOMEM;
}

static int known_advice(uint64_t advice)
{
	/* uapi/asm-generic/mman-common.h as of 6.1: 0..4, 8..25, and MADV_HWPOISON (100). */
	return advice <= 4 || (advice >= 8 && advice <= 25) || advice == 100;
}

/* Huge-page advice goes to the platform, which has the pages; -1: not such advice. */
static long huge_page_advice(uint64_t addr, uint64_t len, uint64_t advice)
{
	switch (advice) {
	case LX_MADV_HUGEPAGE:
		return plat_mem_huge_pages(addr, len, PLAT_HUGE_ALLOW);
	case LX_MADV_NOHUGEPAGE:
		return plat_mem_huge_pages(addr, len, PLAT_HUGE_FORBID);
	case LX_MADV_COLLAPSE:
		return plat_mem_huge_pages(addr, len, PLAT_HUGE_COLLAPSE);
	}
	return -1;
}

long lx_sys_madvise(const uint64_t a[6])
{
	uint64_t addr = a[0], len = LX_PAGE_UP(a[1]), advice = a[2];

	if (PAGE_OFFSET(addr) || !known_advice(advice) || (a[1] && len == 0))
		return -LX_EINVAL;
	if (len == 0)
		return 0;
	if (addr + len < addr || addr + len > GUEST_VA_LIMIT || !lx_vma_covered(addr, addr + len))
		return -LX_ENOMEM;
	long huge = huge_page_advice(addr, len, advice);
	if (huge != -1)
		return huge;
	if (advice != LX_MADV_DONTNEED && advice != LX_MADV_DONTNEED_LOCKED)
		return 0;
	/*
	 * Private memory reads back as zeros after DONTNEED: map it afresh.  A
	 * private file area reads the file again on the next touch.  A shared
	 * file area reads back the file, whose contents the area holds.
	 */
	for (uint64_t at = addr; at < addr + len;) {
		const struct lx_vma *v = lx_vma_find(at);
		uint64_t end = v->end < addr + len ? v->end : addr + len;
		long r = v->flags & LX_VMA_SHARED ? 0
			 : v->file		  ? lx_filemap_drop(v, at, end)
						  : lx_vma_map(at, end, v->prot, v->flags);

		if (r < 0)
			return r;
		at = end;
	}
	return 0;
}
