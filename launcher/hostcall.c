/*
 * hostcall.c - the host calls of rvkvm_abi.h section 5, run as real system
 * calls on this process's descriptors.  The kvm ring server and the proc
 * platform both come here with the buffers already turned into host iovecs.
 *
 * Nothing arriving here is trusted: op, argument and buffer shape are
 * checked, paths are copied into a bounded string, and structures are
 * written back only when the buffer is large enough for all of them.
 * Raw syscall(2) is used where glibc's wrapper would change the kernel's
 * answer (getcwd's length, termios layout, faccessat2, renameat2).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "gdbserve.h"
#include "launcher.h"
#include "rt.h"
#include "trace.h"

/* Linux's kernel termios (asm-generic/termbits.h, NCCS 19): the same on
 * x86-64 and riscv64, unlike glibc's struct termios. */
#define KERNEL_TERMIOS_SIZE 36
#define KERNEL_WINSIZE_SIZE 8
#define TIMESPEC_PAIR_SIZE 32
/* getdents64 output gathered in one piece when the guest's buffer is not. */
#define DIRENT_BOUNCE_MAX (64 * 1024)

struct reserved_fd {
	int fd;
	int access;
};

/*
 * Written only while the launcher sets itself up (before a guest runs or a
 * ring thread starts), read-only afterwards.
 */
#define RESERVED_FD_MAX 16
static struct reserved_fd reserved_fds[RESERVED_FD_MAX];
static unsigned reserved_count;

int hostcall_reserve_fd(int fd, int access)
{
	struct rlimit rl;
	long floor = 1024;
	int moved;

	if (reserved_count == RESERVED_FD_MAX)
		return -EMFILE;
	/* Just under the usual soft limit of 1024: far above the descriptors
	 * a program opens, and without growing the fd table past its size. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    (long)rl.rlim_cur < floor)
		floor = (long)rl.rlim_cur;
	floor = floor > 64 + 3 ? floor - 64 : 3;
	moved = fcntl(fd, F_DUPFD_CLOEXEC, (int)floor);
	if (moved < 0)
		return -errno;
	close(fd);
	reserved_fds[reserved_count].fd = moved;
	reserved_fds[reserved_count].access = access;
	reserved_count++;
	return moved;
}

/* -EBADF if the guest may not use fd for op; AT_FDCWD and other negatives
 * are left for the kernel to judge. */
RT_SYSCALL_PATH static int fd_check(int64_t fd, uint32_t op)
{
	for (unsigned i = 0; i < reserved_count; i++) {
		if (reserved_fds[i].fd != fd)
			continue;
		if (reserved_fds[i].access == HOSTCALL_FD_PREAD &&
		    (op == HC_PREAD || op == HC_FSTAT))
			return 0;
		if (reserved_fds[i].access == HOSTCALL_FD_WRITE && op == HC_WRITE)
			return 0;
		return -EBADF;
	}
	return 0;
}

/* A host fd argument as the kernel takes it: an int; anything wider is a
 * descriptor that cannot exist. */
static int fd_arg(int64_t v)
{
	return v == (int)v ? (int)v : -1;
}

static uint64_t buf_len(const struct iovec *iov, unsigned nseg)
{
	uint64_t total = 0;

	for (unsigned i = 0; i < nseg; i++)
		total += iov[i].iov_len;
	return total;
}

/* Copy len bytes out of a buffer; the buffer must hold at least len. */
static int gather(const struct iovec *iov, unsigned nseg, void *dst, size_t len)
{
	char *d = dst;

	for (unsigned i = 0; i < nseg && len; i++) {
		size_t n = iov[i].iov_len < len ? iov[i].iov_len : len;
		memcpy(d, iov[i].iov_base, n);
		d += n;
		len -= n;
	}
	return len ? -EFAULT : 0;
}

static int scatter(const struct iovec *iov, unsigned nseg, const void *src, size_t len)
{
	const char *s = src;

	if (buf_len(iov, nseg) < len)
		return -EFAULT;
	for (unsigned i = 0; i < nseg && len; i++) {
		size_t n = iov[i].iov_len < len ? iov[i].iov_len : len;
		memcpy(iov[i].iov_base, s, n);
		s += n;
		len -= n;
	}
	return 0;
}

/*
 * A NUL-terminated path from a buffer into out[PATH_MAX].  A string that
 * runs off the end of its buffer is -EFAULT (the kernel would have read
 * past the mapping); one that does not fit PATH_MAX is -ENAMETOOLONG.
 */
static int path_in(const struct iovec *iov, unsigned nseg, char out[PATH_MAX])
{
	size_t have = 0;

	for (unsigned i = 0; i < nseg; i++) {
		const char *p = iov[i].iov_base;
		for (size_t j = 0; j < iov[i].iov_len; j++) {
			if (have == PATH_MAX)
				return -ENAMETOOLONG;
			out[have++] = p[j];
			if (!p[j])
				return 0;
		}
	}
	return -EFAULT;
}

RT_SYSCALL_PATH static long ret(long r)
{
	return r < 0 ? -errno : r;
}

static void stat_to_rvkvm(const struct stat *st, struct rvkvm_stat *out)
{
	memset(out, 0, sizeof(*out));
	out->st_dev = st->st_dev;
	out->st_ino = st->st_ino;
	out->st_mode = st->st_mode;
	out->st_nlink = (uint32_t)st->st_nlink;
	out->st_uid = st->st_uid;
	out->st_gid = st->st_gid;
	out->st_rdev = st->st_rdev;
	out->st_size = st->st_size;
	out->st_blksize = (int32_t)st->st_blksize;
	out->st_blocks = st->st_blocks;
	out->st_atime_sec = st->st_atim.tv_sec;
	out->st_atime_nsec = (uint64_t)st->st_atim.tv_nsec;
	out->st_mtime_sec = st->st_mtim.tv_sec;
	out->st_mtime_nsec = (uint64_t)st->st_mtim.tv_nsec;
	out->st_ctime_sec = st->st_ctim.tv_sec;
	out->st_ctime_nsec = (uint64_t)st->st_ctim.tv_nsec;
}

static long stat_out(long r, const struct stat *st, const struct iovec *iov, unsigned nseg)
{
	struct rvkvm_stat rs;

	if (r < 0)
		return -errno;
	stat_to_rvkvm(st, &rs);
	return scatter(iov, nseg, &rs, sizeof(rs));
}

/* Output the kernel writes in one piece: straight into a single segment,
 * else through a bounce buffer of at most `cap` bytes. */
struct out_area {
	void *ptr;
	size_t len;
	int bounced;
};

static int out_begin(struct out_area *a, const struct iovec *iov, unsigned nseg, size_t cap)
{
	uint64_t total = buf_len(iov, nseg);

	if (nseg == 1) {
		a->ptr = iov[0].iov_base;
		a->len = iov[0].iov_len;
		a->bounced = 0;
		return 0;
	}
	a->len = total < cap ? total : cap;
	a->ptr = malloc(a->len ? a->len : 1);
	a->bounced = 1;
	return a->ptr ? 0 : -ENOMEM;
}

static long out_end(struct out_area *a, const struct iovec *iov, unsigned nseg, long r)
{
	if (a->bounced) {
		if (r > 0)
			scatter(iov, nseg, a->ptr, (size_t)r);
		free(a->ptr);
	}
	return r;
}

/*
 * /proc/<pid>/mem of this process is the launcher's memory (translated
 * code, the translator's state, the VM's RAM on kvm): opening it would let
 * a guest write where its own loads and stores are kept from.  Judged on
 * the opened descriptor, so no path spelling (symlinks, dirfds, task/N/)
 * gets around it.
 */
static int is_proc_mem(int fd)
{
	char link[32], target[PATH_MAX];
	struct statfs sfs;
	const char *base;
	long n;

	if (fstatfs(fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)
		return 0;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = syscall(SYS_readlinkat, AT_FDCWD, link, target, sizeof(target) - 1);
	if (n < 0)
		return 1;
	target[n] = 0;
	base = strrchr(target, '/');
	return base && !strcmp(base, "/mem");
}

static long do_openat(int dirfd, const char *path, int64_t flags, int64_t mode)
{
	long fd = rootfs_active() ? rootfs_openat(dirfd, path, flags, mode)
				  : syscall(SYS_openat, dirfd, path, (int)flags, (unsigned)mode);

	if (fd < 0)
		return rootfs_active() ? fd : -errno;
	if (is_proc_mem((int)fd)) {
		close((int)fd);
		return -EACCES;
	}
	return fd;
}

static long do_ioctl(int fd, int64_t request, const struct iovec *iov, unsigned nseg)
{
	unsigned char data[KERNEL_TERMIOS_SIZE];
	size_t size;

	if (request == TCGETS)
		size = KERNEL_TERMIOS_SIZE;
	else if (request == TIOCGWINSZ)
		size = KERNEL_WINSIZE_SIZE;
	else
		return -ENOTTY;
	if (syscall(SYS_ioctl, fd, (unsigned long)request, data) < 0)
		return -errno;
	return scatter(iov, nseg, data, size);
}

static long do_fcntl(int fd, int64_t cmd, int64_t arg)
{
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
	case F_GETFD:
	case F_SETFD:
	case F_GETFL:
	case F_SETFL:
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ:
		return ret(syscall(SYS_fcntl, fd, (int)cmd, (long)arg));
	default:
		/* Locks, owners and leases take pointers or reach other
		 * processes: not offered (rvkvm_abi.h, HC_FCNTL). */
		return -EINVAL;
	}
}

/* Under --root, the follow-or-not choice of an *at() call decides how its path is confined. */
static int how(int64_t flags)
{
	return (flags & AT_SYMLINK_NOFOLLOW) ? ROOTFS_PARENT : ROOTFS_OBJECT;
}

static long path_call(uint32_t op, const int64_t a[6], const struct iovec *const buf[],
		      const unsigned nseg[], struct rootfs_at *at)
{
	char path2[PATH_MAX];
	struct rootfs_at at2;
	struct stat st;
	long r;
	int e;

	switch (op) {
	case HC_NEWFSTATAT:
		return stat_out(syscall(SYS_newfstatat, at->fd, at->name, &st, (int)a[3] | at->flags),
				&st, buf[1], nseg[1]);
	case HC_STATX: {
		struct statx stx;
		_Static_assert(sizeof(stx) == 256, "struct statx is the same on every arch");
		if (buf_len(buf[1], nseg[1]) < sizeof(stx))
			return -EFAULT;
		if (syscall(SYS_statx, at->fd, at->name, (int)a[2] | at->flags, (unsigned)a[3],
			    &stx) < 0)
			return -errno;
		return scatter(buf[1], nseg[1], &stx, sizeof(stx));
	}
	case HC_READLINKAT: {
		char target[PATH_MAX];
		uint64_t want = buf_len(buf[1], nseg[1]);
		if (want == 0)
			return -EINVAL;
		r = syscall(SYS_readlinkat, at->fd, at->name, target,
			    want < sizeof(target) ? (size_t)want : sizeof(target));
		if (r < 0)
			return -errno;
		e = scatter(buf[1], nseg[1], target, (size_t)r);
		return e < 0 ? e : r;
	}
	case HC_FACCESSAT:
		if (a[3] | at->flags)
			return ret(syscall(SYS_faccessat2, at->fd, at->name, (int)a[2],
					   (int)a[3] | at->flags));
		return ret(syscall(SYS_faccessat, at->fd, at->name, (int)a[2]));
	case HC_UNLINKAT:
		return ret(syscall(SYS_unlinkat, at->fd, at->name, (int)a[2]));
	case HC_MKDIRAT:
		return ret(syscall(SYS_mkdirat, at->fd, at->name, (unsigned)a[2]));
	case HC_RENAMEAT2:
		if ((e = path_in(buf[1], nseg[1], path2)) < 0)
			return e;
		if ((e = rootfs_at(fd_arg(a[1]), path2, ROOTFS_PARENT, &at2)) < 0)
			return e;
		r = ret(syscall(SYS_renameat2, at->fd, at->name, at2.fd, at2.name, (unsigned)a[2]));
		rootfs_done(&at2);
		return r;
	}
	return -ENOSYS;
}

static long do_path_op(uint32_t op, const int64_t a[6], const struct iovec *const buf[],
		       const unsigned nseg[], unsigned nbuf)
{
	char path[PATH_MAX];
	struct rootfs_at at;
	int dirfd = fd_arg(a[0]);
	int e, mode = ROOTFS_PARENT;
	long r;

	(void)nbuf;
	if ((e = path_in(buf[0], nseg[0], path)) < 0)
		return e;

	switch (op) {
	case HC_OPENAT:
		return do_openat(dirfd, path, a[2], a[3]);
	case HC_CHDIR:
		if (rootfs_active())
			return rootfs_chdir(path);
		return ret(syscall(SYS_chdir, path));
	case HC_NEWFSTATAT:
	case HC_FACCESSAT:
		mode = how(a[3]);
		break;
	case HC_STATX:
		mode = how(a[2]);
		break;
	}
	if ((e = rootfs_at(dirfd, path, mode, &at)) < 0)
		return e;
	r = path_call(op, a, buf, nseg, &at);
	rootfs_done(&at);
	return r;
}

/* utimensat: an empty buf0 is a NULL pathname (futimens on dirfd). */
static long do_utimensat(const int64_t a[6], const struct iovec *const buf[], const unsigned nseg[],
			 unsigned nbuf)
{
	char path[PATH_MAX];
	struct timespec times[2];
	struct rootfs_at at;
	const char *p = NULL;
	long r;
	int e;

	if (buf_len(buf[0], nseg[0]) > 0) {
		if ((e = path_in(buf[0], nseg[0], path)) < 0)
			return e;
		p = path;
	}
	if (a[4]) {
		if (nbuf < 2)
			return -EINVAL;
		_Static_assert(sizeof(times) == TIMESPEC_PAIR_SIZE, "riscv64 timespec[2]");
		if ((e = gather(buf[1], nseg[1], times, sizeof(times))) < 0)
			return e;
	}
	if (!p)
		return ret(syscall(SYS_utimensat, fd_arg(a[0]), p, a[4] ? times : NULL, (int)a[3]));
	if ((e = rootfs_at(fd_arg(a[0]), p, how(a[3]), &at)) < 0)
		return e;
	r = ret(syscall(SYS_utimensat, at.fd, at.name, a[4] ? times : NULL, (int)a[3] | at.flags));
	rootfs_done(&at);
	return r;
}

/* Buffers each op takes (rvkvm_abi.h section 5); UTIMENSAT takes 1 or 2. */
static const unsigned char op_nbuf[HC_COUNT] = {
    [HC_READ] = 1,	 [HC_WRITE] = 1,      [HC_PREAD] = 1,	   [HC_PWRITE] = 1,
    [HC_OPENAT] = 1,	 [HC_FSTAT] = 1,      [HC_NEWFSTATAT] = 2, [HC_STATX] = 2,
    [HC_GETDENTS64] = 1, [HC_READLINKAT] = 2, [HC_FACCESSAT] = 1,  [HC_UNLINKAT] = 1,
    [HC_MKDIRAT] = 1,	 [HC_RENAMEAT2] = 2,  [HC_IOCTL] = 1,	   [HC_PIPE2] = 1,
    [HC_GETCWD] = 1,	 [HC_CHDIR] = 1,      [HC_UTIMENSAT] = 2,  [HC_LOG] = 1,
    [HC_TRACE] = 1,	 [HC_GDB_RECV] = 1,   [HC_GDB_SEND] = 1,
};

/* The ops whose arg0 is a descriptor (or dirfd) the guest names. */
RT_SYSCALL_PATH static int op_takes_fd(uint32_t op)
{
	switch (op) {
	case HC_PIPE2:
	case HC_GETCWD:
	case HC_CHDIR:
	case HC_EXIT:
	case HC_LOG:
	case HC_NOP:
	case HC_TRACE:
	case HC_GDB_RECV:
	case HC_GDB_SEND:
	case HC_STATS:
		return 0;
	}
	return 1;
}

RT_SYSCALL_PATH long hostcall_execute(uint32_t op, const int64_t arg[6], const struct iovec *const buf[],
		      const unsigned nseg[], unsigned nbuf)
{
	struct out_area area;
	struct stat st;
	int fd, e;

	if (op == HC_INVALID || op >= HC_COUNT)
		return -ENOSYS;
	if (nbuf > RVKVM_MAX_BUFS || (nbuf != op_nbuf[op] && !(op == HC_UTIMENSAT && nbuf == 1)))
		return -EINVAL;
	for (unsigned i = 0; i < nbuf; i++)
		if (nseg[i] > IOV_MAX)
			return -EINVAL;

	fd = fd_arg(arg[0]);
	if (op_takes_fd(op) && (e = fd_check(arg[0], op)) < 0)
		return e;
	if (op == HC_RENAMEAT2 && (e = fd_check(arg[1], op)) < 0)
		return e;

	switch (op) {
	/*
	 * One segment (most requests) as plain read/write: the kernel's
	 * iovec import is a tenth of a 1-byte write's cost (perf, syswrite).
	 */
	case HC_READ:
		if (nseg[0] == 1)
			return ret(read(fd, buf[0][0].iov_base, buf[0][0].iov_len));
		return ret(readv(fd, buf[0], (int)nseg[0]));
	case HC_WRITE:
		if (nseg[0] == 1)
			return ret(write(fd, buf[0][0].iov_base, buf[0][0].iov_len));
		return ret(writev(fd, buf[0], (int)nseg[0]));
	case HC_PREAD:
		return ret(preadv(fd, buf[0], (int)nseg[0], arg[1]));
	case HC_PWRITE:
		return ret(pwritev(fd, buf[0], (int)nseg[0], arg[1]));
	case HC_CLOSE:
		return ret(close(fd));
	case HC_LSEEK:
		return ret(lseek(fd, arg[1], (int)arg[2]));
	case HC_FSTAT:
		return stat_out(syscall(SYS_fstat, fd, &st), &st, buf[0], nseg[0]);
	case HC_GETDENTS64:
		if ((e = out_begin(&area, buf[0], nseg[0], DIRENT_BOUNCE_MAX)) < 0)
			return e;
		return out_end(&area, buf[0], nseg[0],
			       ret(syscall(SYS_getdents64, fd, area.ptr, area.len)));
	case HC_FTRUNCATE:
		return ret(ftruncate(fd, arg[1]));
	case HC_FSYNC:
		return ret(fsync(fd));
	case HC_IOCTL:
		return do_ioctl(fd, arg[1], buf[0], nseg[0]);
	case HC_FCNTL:
		return do_fcntl(fd, arg[1], arg[2]);
	case HC_DUP:
		return ret(dup(fd));
	case HC_DUP3:
		if ((e = fd_check(arg[1], op)) < 0)
			return e;
		return ret(dup3(fd, fd_arg(arg[1]), (int)arg[2]));
	case HC_PIPE2: {
		int fds[2];
		if (buf_len(buf[0], nseg[0]) < sizeof(fds))
			return -EFAULT;
		if (pipe2(fds, (int)arg[1]) < 0)
			return -errno;
		return scatter(buf[0], nseg[0], fds, sizeof(fds));
	}
	case HC_GETCWD:
		if ((e = out_begin(&area, buf[0], nseg[0], PATH_MAX)) < 0)
			return e;
		return out_end(&area, buf[0], nseg[0],
			       rootfs_active() ? rootfs_getcwd(area.ptr, area.len)
					       : ret(syscall(SYS_getcwd, area.ptr, area.len)));
	case HC_UTIMENSAT:
		return do_utimensat(arg, buf, nseg, nbuf);
	case HC_EXIT:
		fflush(NULL);
		_exit((int)(arg[0] & 0xff));
	case HC_LOG:
		return ret(writev(STDERR_FILENO, buf[0], (int)nseg[0]));
	case HC_NOP:
	case HC_STATS: /* proc makes no exits to count them against */
		return 0;
	case HC_TRACE:
		return trace_record(buf[0], nseg[0]);
	case HC_GDB_RECV:
		return gdbserve_recv(arg[0] == 1, buf[0], nseg[0]);
	case HC_GDB_SEND:
		return gdbserve_send(buf[0], nseg[0]);
	default:
		return do_path_op(op, arg, buf, nseg, nbuf);
	}
}
