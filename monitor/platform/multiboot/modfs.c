/*
 * modfs.c - the files a program sees under a multiboot loader: descriptors
 * 0, 1 and 2 are the console (COM1; reading it gives end of file), and every
 * module is a read-only regular file named by the first word of its module
 * string.  Host calls follow x86-64 Linux semantics (rvkvm_abi.h section 5);
 * what makes no sense on a serial line answers as Linux does for a character
 * device (ESPIPE for positioned I/O, ENOTTY for terminal ioctls).
 */
#include <asm-generic/errno.h>
#include <linux/fcntl.h>
#include <linux/stat.h>

#include "dbt.h"
#include "mb.h"
#include "platform/kvm/x86.h"
#include "rt.h"

#define MB_MAX_FILES 32
#define CONSOLE_FDS 3

enum mb_file_kind { MB_FILE_CLOSED, MB_FILE_CONSOLE_IN, MB_FILE_CONSOLE_OUT, MB_FILE_MODULE };

struct mb_file {
	enum mb_file_kind kind;
	unsigned module;
	uint64_t offset;
};

/*
 * The descriptor table of the only process there is; used from the one
 * vCPU with interrupts off, so it needs no lock.
 */
static struct mb_file mb_files[MB_MAX_FILES];

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define SEEK_DATA 3
#define SEEK_HOLE 4
#define ACCESS_W_OK 2 /* <unistd.h> W_OK */

/* Linux's ttyS0: major 4, minor 64, in the kernel's new_encode_dev() layout. */
#define TTYS0_RDEV ((4u << 8) | 64u)
#define MODFS_DEV 0x2a /* any constant: the modules form one device */

void mb_fs_init(void)
{
	mb_files[0].kind = MB_FILE_CONSOLE_IN;
	mb_files[1].kind = MB_FILE_CONSOLE_OUT;
	mb_files[2].kind = MB_FILE_CONSOLE_OUT;
}

int mb_buffer_ready(const struct plat_iov *iov, int access)
{
	uint64_t va = (uintptr_t)iov->base, gva = va - plat_guest_base;

	if (iov->len == 0)
		return 0;
	if (va + iov->len < va)
		return -EFAULT;
	if (va >= plat_guest_base && gva < GUEST_VA_LIMIT) {
		if (iov->len > GUEST_VA_LIMIT - gva)
			return -EFAULT;
		return x86_guest_populate(gva, iov->len, access) < 0 ? -EFAULT : 0;
	}
	/* Monitor memory: a bad pointer there is a monitor bug, but answer it as the ring does. */
	for (uint64_t p = RT_ALIGN_DOWN(va, X86_PAGE_SIZE); p < va + iov->len; p += X86_PAGE_SIZE)
		if (x86_virt_to_phys(p) == ~0ull)
			return -EFAULT;
	return 0;
}

static struct mb_file *file_of(int64_t fd)
{
	if (fd < 0 || fd >= MB_MAX_FILES || mb_files[fd].kind == MB_FILE_CLOSED)
		return NULL;
	return &mb_files[fd];
}

static long new_fd(unsigned module)
{
	for (int fd = CONSOLE_FDS; fd < MB_MAX_FILES; fd++) {
		if (mb_files[fd].kind == MB_FILE_CLOSED) {
			mb_files[fd] = (struct mb_file){MB_FILE_MODULE, module, 0};
			return fd;
		}
	}
	return -EMFILE;
}

long mb_fs_open_module(unsigned index)
{
	return index < mb_module_count ? new_fd(index) : -ENOENT;
}

/* "./a/b", "/a/b" and "a/b" name the same module: every path starts at "/". */
static const char *strip_root(const char *path, size_t *len)
{
	for (;;) {
		if (*len >= 1 && path[0] == '/') {
			path++, (*len)--;
		} else if (*len >= 2 && path[0] == '.' && path[1] == '/') {
			path += 2, *len -= 2;
		} else {
			return path;
		}
	}
}

static const char *last_component(const char *path, size_t len)
{
	const char *base = path + len;

	while (base > path && base[-1] != '/')
		base--;
	return base;
}

/*
 * The modules form one flat directory.  A path names the module of the same
 * name or, failing that, the module whose last component is the path's: so
 * "data" finds a module loaded as tests/files/data, and the ELF interpreter's
 * /lib/ld-linux-riscv64-lp64d.so.1 finds it loaded from the cross sysroot.
 */
static long find_module(const char *path, size_t len)
{
	const char *base;
	size_t base_len;

	path = strip_root(path, &len);
	/* The root directory itself is no file here (no getdents), and "" names nothing. */
	if (len == 0)
		return -ENOENT;
	for (unsigned i = 0; i < mb_module_count; i++) {
		size_t nlen = mb_modules[i].name_len;
		const char *name = strip_root(mb_modules[i].name, &nlen);

		if (nlen == len && memcmp(name, path, len) == 0)
			return i;
	}
	base = last_component(path, len);
	base_len = path + len - base;
	for (unsigned i = 0; i < mb_module_count && base_len; i++) {
		const char *name = mb_modules[i].name;
		const char *mbase = last_component(name, mb_modules[i].name_len);

		if ((size_t)(name + mb_modules[i].name_len - mbase) == base_len &&
		    memcmp(mbase, base, base_len) == 0)
			return i;
	}
	return -ENOENT;
}

/* Path buffers are NUL-terminated (rvkvm_abi.h section 5). */
static long path_of(const struct plat_iov *buf, unsigned nbuf, size_t *len)
{
	if (nbuf < 1)
		return -EFAULT;
	if (mb_buffer_ready(&buf[0], DBT_ACCESS_READ) < 0)
		return -EFAULT;
	*len = strnlen(buf[0].base, buf[0].len);
	if (*len == buf[0].len)
		return -ENAMETOOLONG;
	return 0;
}

static long fs_openat(const int64_t arg[6], const struct plat_iov *buf, unsigned nbuf)
{
	int flags = (int)arg[2];
	size_t len;
	long r = path_of(buf, nbuf, &len), module;

	if (r < 0)
		return r;
	module = find_module(buf[0].base, len);
	if (module < 0)
		return (flags & O_CREAT) ? -EROFS : module;
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
		return -EROFS;
	if (flags & O_DIRECTORY)
		return -ENOTDIR;
	return new_fd(module);
}

static long fs_read(struct mb_file *f, uint64_t offset, const struct plat_iov *buf, unsigned nbuf,
		    int advance)
{
	const struct mb_module *m;
	uint64_t n;

	if (nbuf < 1 || mb_buffer_ready(&buf[0], DBT_ACCESS_WRITE) < 0)
		return -EFAULT;
	if (f->kind == MB_FILE_CONSOLE_IN)
		return 0;
	if (f->kind != MB_FILE_MODULE)
		return -EBADF;
	m = &mb_modules[f->module];
	n = offset < m->size ? m->size - offset : 0;
	if (n > buf[0].len)
		n = buf[0].len;
	memcpy(buf[0].base, x86_phys_to_virt(m->pa + offset), n);
	if (advance)
		f->offset += n;
	return n;
}

static long fs_write(struct mb_file *f, const struct plat_iov *buf, unsigned nbuf)
{
	if (f->kind != MB_FILE_CONSOLE_OUT)
		return -EBADF;
	if (nbuf < 1 || mb_buffer_ready(&buf[0], DBT_ACCESS_READ) < 0)
		return -EFAULT;
	mb_com1_write(buf[0].base, buf[0].len);
	return buf[0].len;
}

static long fs_lseek(struct mb_file *f, int64_t offset, int64_t whence)
{
	int64_t size, to;

	if (f->kind != MB_FILE_MODULE)
		return -ESPIPE;
	size = mb_modules[f->module].size;
	switch (whence) {
	case SEEK_SET:
		to = offset;
		break;
	case SEEK_CUR:
		to = (int64_t)f->offset + offset;
		break;
	case SEEK_END:
		to = size + offset;
		break;
	case SEEK_DATA:
	case SEEK_HOLE:
		if (offset < 0 || offset >= size)
			return -ENXIO;
		to = whence == SEEK_DATA ? offset : size;
		break;
	default:
		return -EINVAL;
	}
	if (to < 0)
		return -EINVAL;
	f->offset = to;
	return to;
}

static void stat_of(const struct mb_file *f, struct rvkvm_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_nlink = 1;
	if (f->kind == MB_FILE_MODULE) {
		const struct mb_module *m = &mb_modules[f->module];

		st->st_dev = MODFS_DEV;
		st->st_ino = f->module + 1;
		st->st_mode = S_IFREG | 0444;
		st->st_size = m->size;
		st->st_blksize = X86_PAGE_SIZE;
		st->st_blocks = (m->size + 511) / 512;
	} else {
		st->st_mode = S_IFCHR | 0620;
		st->st_rdev = TTYS0_RDEV;
		st->st_blksize = 1024;
	}
}

static long copy_stat(const struct mb_file *f, const struct plat_iov *out)
{
	struct rvkvm_stat st;

	if (out->len < sizeof(st) || mb_buffer_ready(out, DBT_ACCESS_WRITE) < 0)
		return -EFAULT;
	stat_of(f, &st);
	memcpy(out->base, &st, sizeof(st));
	return 0;
}

/* glibc's fstat() is newfstatat(fd, "", AT_EMPTY_PATH) on riscv64, so both forms matter. */
static long fs_newfstatat(const int64_t arg[6], const struct plat_iov *buf, unsigned nbuf)
{
	struct mb_file pseudo = {MB_FILE_MODULE, 0, 0};
	const struct mb_file *f;
	size_t len;
	long r = path_of(buf, nbuf, &len);

	if (r < 0)
		return r;
	if (nbuf < 2)
		return -EFAULT;
	if (len == 0) {
		if (!(arg[3] & AT_EMPTY_PATH))
			return -ENOENT;
		f = file_of(arg[0]);
		if (!f)
			return -EBADF;
	} else {
		r = find_module(buf[0].base, len);
		if (r < 0)
			return r;
		pseudo.module = r;
		f = &pseudo;
	}
	return copy_stat(f, &buf[1]);
}

static long fs_faccessat(const int64_t arg[6], const struct plat_iov *buf, unsigned nbuf)
{
	size_t len;
	long r = path_of(buf, nbuf, &len);

	if (r < 0)
		return r;
	r = find_module(buf[0].base, len);
	if (r < 0)
		return r;
	return (arg[2] & ACCESS_W_OK) ? -EROFS : 0;
}

static long fs_getcwd(const struct plat_iov *buf, unsigned nbuf)
{
	if (nbuf < 1 || mb_buffer_ready(&buf[0], DBT_ACCESS_WRITE) < 0)
		return -EFAULT;
	if (buf[0].len < 2)
		return -ERANGE;
	memcpy(buf[0].base, "/", 2);
	return 2;
}

long mb_fs_hostcall(uint32_t op, const int64_t arg[6], const struct plat_iov *buf, unsigned nbuf)
{
	struct mb_file *f = NULL;

	switch (op) {
	case HC_OPENAT:
		return fs_openat(arg, buf, nbuf);
	case HC_NEWFSTATAT:
		return fs_newfstatat(arg, buf, nbuf);
	case HC_FACCESSAT:
		return fs_faccessat(arg, buf, nbuf);
	case HC_GETCWD:
		return fs_getcwd(buf, nbuf);
	case HC_READ:
	case HC_WRITE:
	case HC_PREAD:
	case HC_PWRITE:
	case HC_CLOSE:
	case HC_LSEEK:
	case HC_FSTAT:
	case HC_IOCTL:
		f = file_of(arg[0]);
		if (!f)
			return -EBADF;
		break;
	default:
		return -ENOSYS;
	}

	switch (op) {
	case HC_READ:
		return fs_read(f, f->offset, buf, nbuf, 1);
	case HC_PREAD:
		if (f->kind != MB_FILE_MODULE)
			return f->kind == MB_FILE_CONSOLE_IN ? -ESPIPE : -EBADF;
		if (arg[1] < 0)
			return -EINVAL;
		return fs_read(f, arg[1], buf, nbuf, 0);
	case HC_WRITE:
		return fs_write(f, buf, nbuf);
	case HC_PWRITE:
		return f->kind == MB_FILE_CONSOLE_OUT ? -ESPIPE : -EBADF;
	case HC_CLOSE:
		f->kind = MB_FILE_CLOSED;
		return 0;
	case HC_LSEEK:
		return fs_lseek(f, arg[1], arg[2]);
	case HC_FSTAT:
		return nbuf < 1 ? -EFAULT : copy_stat(f, &buf[0]);
	default: /* HC_IOCTL: no termios on a bare serial line, and modules are no ttys */
		return -ENOTTY;
	}
}
