/*
 * uaccess.c - the only way the personality touches guest memory on the
 * guest's behalf.  Each helper checks the whole range against the guest's
 * mappings first, so a bad pointer is -EFAULT, as Linux gives, and never a
 * fault inside the monitor.  Pages of private file mappings not read yet are
 * filled from their file first (filemap.c): the host reads and writes
 * guest memory in place and cannot take that fault itself; past the file's
 * end it is -EFAULT, as Linux's copy gives where the guest would get SIGBUS.
 */
#include "lx.h"

int lx_copy_in(void *dst, uint64_t gva, size_t len)
{
	if (!lx_vma_access_ok(gva, len, LX_PROT_READ) || lx_filemap_prepare(gva, len))
		return -LX_EFAULT;
	memcpy(dst, plat_g2h(gva), len);
	return 0;
}

int lx_copy_out(uint64_t gva, const void *src, size_t len)
{
	if (!lx_vma_access_ok(gva, len, LX_PROT_WRITE) || lx_filemap_prepare(gva, len))
		return -LX_EFAULT;
	if (len) {
		dbt_prepare_write(gva, len);
		memcpy(plat_g2h(gva), src, len);
	}
	return 0;
}

/*
 * A NUL-terminated path into dst (LX_PATH_MAX bytes): its length, -EFAULT,
 * or -ENAMETOOLONG.  Checked a page at a time, since a path may end just
 * before an unmapped page.
 */
long lx_copy_path(char *dst, uint64_t gva)
{
	size_t n = 0;

	while (n < LX_PATH_MAX) {
		uint64_t at = gva + n;
		size_t chunk = LX_PAGE - (at & (LX_PAGE - 1));

		if (chunk > LX_PATH_MAX - n)
			chunk = LX_PATH_MAX - n;
		if (at < gva || !lx_vma_access_ok(at, chunk, LX_PROT_READ) ||
		    lx_filemap_prepare(at, chunk))
			return -LX_EFAULT;
		const char *src = plat_g2h(at);
		size_t len = strnlen(src, chunk);

		memcpy(dst + n, src, len);
		n += len;
		if (len < chunk) {
			dst[n] = 0;
			return (long)n;
		}
	}
	return -LX_ENAMETOOLONG;
}

/*
 * A guest buffer handed to a host call in place (no bounce copy): checked,
 * and for a buffer the host writes, cleared of translations first.
 */
RT_SYSCALL_PATH int lx_user_buf(uint64_t gva, uint64_t len, int writable, struct plat_iov *iov)
{
	if (!lx_vma_access_ok(gva, len, writable ? LX_PROT_WRITE : LX_PROT_READ) ||
	    lx_filemap_prepare(gva, len))
		return -LX_EFAULT;
	if (writable && len)
		dbt_prepare_write(gva, len);
	iov->base = plat_g2h(gva);
	iov->len = len;
	return 0;
}
