/*
 * sys_fs.c - file system calls, forwarded to the host as host calls
 * (rvkvm_abi.h section 5).  Data buffers go to the host in place; paths and
 * small structures are copied through the monitor.  The riscv64 and x86-64
 * Linux ABIs agree on open flags, AT_* flags, struct statx, linux_dirent64
 * and struct termios; struct stat comes back from the host already in the
 * asm-generic layout (struct rvkvm_stat).
 */
#include "lx.h"

/* Owned by the single guest thread; valid for the duration of one call. */
static char path0[LX_PATH_MAX], path1[LX_PATH_MAX], candidate[LX_PATH_MAX];
static struct lx_iovec iovs[LX_UIO_MAXIOV];

RT_SYSCALL_PATH static int fd_arg(uint64_t v)
{
	return (int)(int32_t)v;
}

/*
 * The host path for a path the guest looks up.  /proc/self/exe names the
 * launcher on the host; the guest means its own program, which the host
 * still holds open as program_fd.  With a sysroot, an absolute path that
 * exists under it means that file, else the host's own (qemu's -L rule).
 */
static void host_path(char *path)
{
	const char *root = lx_proc.start->sysroot;

	if (strcmp(path, "/proc/self/exe") == 0) {
		rt_snprintf(path, LX_PATH_MAX, "/proc/self/fd/%d", lx_proc.start->program_fd);
		return;
	}
	if (!root || path[0] != '/')
		return;
	if (rt_snprintf(candidate, sizeof(candidate), "%s%s", root, path) >= LX_PATH_MAX)
		return;
	int64_t arg[6] = {LX_AT_FDCWD, 0, 0, 0};
	struct plat_iov iov = {candidate, strlen(candidate) + 1};

	if (plat_hostcall(HC_FACCESSAT, arg, &iov, 1) == 0)
		memcpy(path, candidate, iov.len);
}

long lx_open_guest_path(int dirfd, const char *path, int flags)
{
	size_t len = strnlen(path, LX_PATH_MAX);
	struct plat_iov iov = {path0, 0};
	int64_t arg[6] = {dirfd, 0, flags, 0};

	if (len == LX_PATH_MAX)
		return -LX_ENAMETOOLONG;
	memcpy(path0, path, len + 1);
	host_path(path0);
	iov.len = strlen(path0) + 1;
	return plat_hostcall(HC_OPENAT, arg, &iov, 1);
}

static long path_iov(char *buf, uint64_t gva, struct plat_iov *iov)
{
	long n = lx_copy_path(buf, gva);

	if (n < 0)
		return n;
	iov->base = buf;
	iov->len = (uint64_t)n + 1;
	return 0;
}

/* A path the guest looks up (not one it creates): into path0, as the host names it. */
static long lookup_iov(uint64_t gva, struct plat_iov *iov)
{
	long r = path_iov(path0, gva, iov);

	if (r)
		return r;
	host_path(path0);
	iov->len = strlen(path0) + 1;
	return 0;
}

static long call0(uint32_t op, int64_t a0, int64_t a1, int64_t a2)
{
	int64_t arg[6] = {a0, a1, a2};

	return plat_hostcall(op, arg, NULL, 0);
}

RT_SYSCALL_PATH static long data_call(uint32_t op, int fd, uint64_t gva, uint64_t len, int64_t off, int into_guest)
{
	struct plat_iov iov;
	int64_t arg[6] = {fd, off};
	long r;

	if (len > LX_MAX_RW_COUNT)
		len = LX_MAX_RW_COUNT;
	r = lx_user_buf(gva, len, into_guest, &iov);
	if (r)
		return r;
	return plat_hostcall(op, arg, &iov, 1);
}

/*
 * A write to a pipe or socket with no reader: Linux sends the writer
 * SIGPIPE besides returning EPIPE (fs/pipe.c pipe_write, send_sig with
 * SI_USER), so an ignoring guest sees only the error and any other dies
 * or runs its handler.  The launcher itself ignores SIGPIPE, so the host
 * call comes back as -EPIPE instead of killing rvkvm.
 */
static long sigpipe_on_epipe(long r)
{
	if (r == -LX_EPIPE)
		lx_signal_raise(LX_SIGPIPE, LX_SI_USER);
	return r;
}

RT_SYSCALL_PATH long lx_sys_read(const uint64_t a[6])
{
	return data_call(HC_READ, fd_arg(a[0]), a[1], a[2], 0, 1);
}

RT_SYSCALL_PATH long lx_sys_write(const uint64_t a[6])
{
	return sigpipe_on_epipe(data_call(HC_WRITE, fd_arg(a[0]), a[1], a[2], 0, 0));
}

long lx_sys_pread64(const uint64_t a[6])
{
	if ((int64_t)a[3] < 0)
		return -LX_EINVAL;
	return data_call(HC_PREAD, fd_arg(a[0]), a[1], a[2], (int64_t)a[3], 1);
}

long lx_sys_pwrite64(const uint64_t a[6])
{
	if ((int64_t)a[3] < 0)
		return -LX_EINVAL;
	return sigpipe_on_epipe(data_call(HC_PWRITE, fd_arg(a[0]), a[1], a[2], (int64_t)a[3], 0));
}

/*
 * readv/writev: one host call per iovec (the ring carries at most
 * RVKVM_MAX_BUFS buffers), stopping at the first short transfer, so the
 * result is what a single vectored call would have returned.
 */
static long vector_call(uint32_t op, int fd, uint64_t uiov, uint64_t cnt, int64_t off,
			int into_guest)
{
	uint64_t total = 0;

	if (cnt > LX_UIO_MAXIOV)
		return -LX_EINVAL;
	if (lx_copy_in(iovs, uiov, cnt * sizeof(iovs[0])))
		return -LX_EFAULT;
	for (uint64_t i = 0; i < cnt; i++) {
		if ((int64_t)iovs[i].len < 0 || total + iovs[i].len > (uint64_t)INT64_MAX)
			return -LX_EINVAL;
		total += iovs[i].len;
	}
	/*
	 * A bad buffer after a good one ends the transfer there, short, as
	 * Linux's copy stops at the first fault and qemu-riscv64's lock_iovec
	 * zeroes the rest; only a bad first buffer is -EFAULT.
	 */
	for (uint64_t i = 0; i < cnt; i++) {
		if (!lx_vma_access_ok(iovs[i].base, iovs[i].len,
				      into_guest ? LX_PROT_WRITE : LX_PROT_READ)) {
			if (i == 0)
				return -LX_EFAULT;
			cnt = i;
			break;
		}
	}
	uint64_t done = 0;

	for (uint64_t i = 0; i < cnt && done < LX_MAX_RW_COUNT; i++) {
		uint64_t want = iovs[i].len;

		if (want == 0)
			continue;
		if (want > LX_MAX_RW_COUNT - done)
			want = LX_MAX_RW_COUNT - done;
		long r = data_call(op, fd, iovs[i].base, want, off + (int64_t)done, into_guest);

		if (r < 0)
			return done ? (long)done : r;
		done += (uint64_t)r;
		if ((uint64_t)r < want)
			break;
	}
	return (long)done;
}

long lx_sys_readv(const uint64_t a[6])
{
	return vector_call(HC_READ, fd_arg(a[0]), a[1], a[2], 0, 1);
}

long lx_sys_writev(const uint64_t a[6])
{
	return sigpipe_on_epipe(vector_call(HC_WRITE, fd_arg(a[0]), a[1], a[2], 0, 0));
}

long lx_sys_preadv(const uint64_t a[6])
{
	if ((int64_t)a[3] < 0)
		return -LX_EINVAL;
	return vector_call(HC_PREAD, fd_arg(a[0]), a[1], a[2], (int64_t)a[3], 1);
}

long lx_sys_pwritev(const uint64_t a[6])
{
	if ((int64_t)a[3] < 0)
		return -LX_EINVAL;
	return sigpipe_on_epipe(vector_call(HC_PWRITE, fd_arg(a[0]), a[1], a[2], (int64_t)a[3], 0));
}

long lx_sys_openat(const uint64_t a[6])
{
	struct plat_iov iov;
	long r = path_iov(path0, a[1], &iov);
	int64_t arg[6] = {fd_arg(a[0]), 0, (int32_t)a[2], (int64_t)(uint32_t)a[3]};

	if (r)
		return r;
	r = lx_procfs_open(path0, (int32_t)a[2]);
	if (r != LX_PROCFS_NOT_OURS)
		return r;
	host_path(path0);
	iov.len = strlen(path0) + 1;
	return plat_hostcall(HC_OPENAT, arg, &iov, 1);
}

long lx_sys_close(const uint64_t a[6])
{
	return call0(HC_CLOSE, fd_arg(a[0]), 0, 0);
}

long lx_sys_lseek(const uint64_t a[6])
{
	return call0(HC_LSEEK, fd_arg(a[0]), (int64_t)a[1], (int32_t)a[2]);
}

long lx_sys_fstat(const uint64_t a[6])
{
	struct plat_iov iov;
	int64_t arg[6] = {fd_arg(a[0])};
	long r = lx_user_buf(a[1], sizeof(struct rvkvm_stat), 1, &iov);

	return r ? r : plat_hostcall(HC_FSTAT, arg, &iov, 1);
}

long lx_sys_newfstatat(const uint64_t a[6])
{
	struct plat_iov iov[2];
	int64_t arg[6] = {fd_arg(a[0]), 0, 0, (int32_t)a[3]};
	long r = lookup_iov(a[1], &iov[0]);

	if (!r)
		r = lx_user_buf(a[2], sizeof(struct rvkvm_stat), 1, &iov[1]);
	return r ? r : plat_hostcall(HC_NEWFSTATAT, arg, iov, 2);
}

long lx_sys_statx(const uint64_t a[6])
{
	struct plat_iov iov[2];
	int64_t arg[6] = {fd_arg(a[0]), 0, (int32_t)a[2], (int64_t)(uint32_t)a[3]};
	long r = lookup_iov(a[1], &iov[0]);

	if (!r)
		r = lx_user_buf(a[4], LX_STATX_SIZE, 1, &iov[1]);
	return r ? r : plat_hostcall(HC_STATX, arg, iov, 2);
}

long lx_sys_getdents64(const uint64_t a[6])
{
	struct plat_iov iov;
	int64_t arg[6] = {fd_arg(a[0])};
	uint64_t len = (uint32_t)a[2];
	long r = lx_user_buf(a[1], len, 1, &iov);

	return r ? r : plat_hostcall(HC_GETDENTS64, arg, &iov, 1);
}

long lx_sys_readlinkat(const uint64_t a[6])
{
	struct plat_iov iov[2];
	int64_t arg[6] = {fd_arg(a[0])};
	long r;

	if ((int32_t)a[3] <= 0)
		return -LX_EINVAL;
	r = lookup_iov(a[1], &iov[0]);
	if (!r)
		r = lx_user_buf(a[2], (uint32_t)a[3], 1, &iov[1]);
	return r ? r : plat_hostcall(HC_READLINKAT, arg, iov, 2);
}

static long faccess(int dirfd, uint64_t path, int mode, int flags)
{
	struct plat_iov iov;
	int64_t arg[6] = {dirfd, 0, mode, flags};
	long r = lookup_iov(path, &iov);

	return r ? r : plat_hostcall(HC_FACCESSAT, arg, &iov, 1);
}

long lx_sys_faccessat(const uint64_t a[6])
{
	return faccess(fd_arg(a[0]), a[1], (int32_t)a[2], 0);
}

long lx_sys_faccessat2(const uint64_t a[6])
{
	return faccess(fd_arg(a[0]), a[1], (int32_t)a[2], (int32_t)a[3]);
}

static long path_call(uint32_t op, int dirfd, uint64_t path, int64_t arg2)
{
	struct plat_iov iov;
	int64_t arg[6] = {dirfd, 0, arg2};
	long r = path_iov(path0, path, &iov);

	return r ? r : plat_hostcall(op, arg, &iov, 1);
}

long lx_sys_unlinkat(const uint64_t a[6])
{
	return path_call(HC_UNLINKAT, fd_arg(a[0]), a[1], (int32_t)a[2]);
}

long lx_sys_mkdirat(const uint64_t a[6])
{
	return path_call(HC_MKDIRAT, fd_arg(a[0]), a[1], (int64_t)(uint32_t)a[2]);
}

long lx_sys_chdir(const uint64_t a[6])
{
	return path_call(HC_CHDIR, 0, a[0], 0);
}

long lx_sys_renameat2(const uint64_t a[6])
{
	struct plat_iov iov[2];
	int64_t arg[6] = {fd_arg(a[0]), fd_arg(a[2]), (int64_t)(uint32_t)a[4]};
	long r = path_iov(path0, a[1], &iov[0]);

	if (!r)
		r = path_iov(path1, a[3], &iov[1]);
	return r ? r : plat_hostcall(HC_RENAMEAT2, arg, iov, 2);
}

long lx_sys_ftruncate(const uint64_t a[6])
{
	if ((int64_t)a[1] < 0)
		return -LX_EINVAL;
	return call0(HC_FTRUNCATE, fd_arg(a[0]), (int64_t)a[1], 0);
}

long lx_sys_fsync(const uint64_t a[6])
{
	return call0(HC_FSYNC, fd_arg(a[0]), 0, 0);
}

long lx_sys_ioctl(const uint64_t a[6])
{
	uint64_t size;
	struct plat_iov iov;
	int64_t arg[6] = {fd_arg(a[0]), (int64_t)(uint32_t)a[1]};
	long r;

	switch ((uint32_t)a[1]) {
	case LX_TCGETS:
		size = LX_TERMIOS_SIZE;
		break;
	case LX_TIOCGWINSZ:
		size = LX_WINSIZE_SIZE;
		break;
	default:
		return -LX_ENOTTY;
	}
	r = lx_user_buf(a[2], size, 1, &iov);
	return r ? r : plat_hostcall(HC_IOCTL, arg, &iov, 1);
}

long lx_sys_fcntl(const uint64_t a[6])
{
	switch ((int32_t)a[1]) {
	case LX_F_DUPFD:
	case LX_F_GETFD:
	case LX_F_SETFD:
	case LX_F_GETFL:
	case LX_F_SETFL:
	case LX_F_SETOWN:
	case LX_F_GETOWN:
	case LX_F_SETSIG:
	case LX_F_GETSIG:
	case LX_F_SETLEASE:
	case LX_F_GETLEASE:
	case LX_F_NOTIFY:
	case LX_F_DUPFD_CLOEXEC:
	case LX_F_SETPIPE_SZ:
	case LX_F_GETPIPE_SZ:
	case LX_F_ADD_SEALS:
	case LX_F_GET_SEALS:
		return call0(HC_FCNTL, fd_arg(a[0]), (int32_t)a[1], (int64_t)a[2]);
	default:
		/* Locks and owner structures are pointer commands: not forwarded. */
		return -LX_EINVAL;
	}
}

long lx_sys_dup(const uint64_t a[6])
{
	return call0(HC_DUP, fd_arg(a[0]), 0, 0);
}

long lx_sys_dup3(const uint64_t a[6])
{
	return call0(HC_DUP3, fd_arg(a[0]), fd_arg(a[1]), (int32_t)a[2]);
}

long lx_sys_pipe2(const uint64_t a[6])
{
	struct plat_iov iov;
	int64_t arg[6] = {0, (int32_t)a[1]};
	long r = lx_user_buf(a[0], 2 * sizeof(int32_t), 1, &iov);

	return r ? r : plat_hostcall(HC_PIPE2, arg, &iov, 1);
}

long lx_sys_getcwd(const uint64_t a[6])
{
	struct plat_iov iov;
	int64_t arg[6] = {0};
	long r = lx_user_buf(a[0], a[1] > LX_PATH_MAX ? LX_PATH_MAX : a[1], 1, &iov);

	return r ? r : plat_hostcall(HC_GETCWD, arg, &iov, 1);
}

long lx_sys_utimensat(const uint64_t a[6])
{
	struct plat_iov iov[2];
	struct lx_timespec times[2];
	int flags = (int32_t)a[3];
	long r;

	if (a[1]) {
		r = path_iov(path0, a[1], &iov[0]);
		if (r)
			return r;
	} else {
		/* A NULL path means dirfd itself: the host's AT_EMPTY_PATH form. */
		path0[0] = 0;
		iov[0] = (struct plat_iov){path0, 1};
		flags |= LX_AT_EMPTY_PATH;
	}
	if (a[2]) {
		r = lx_copy_in(times, a[2], sizeof(times));
		if (r)
			return r;
		iov[1] = (struct plat_iov){times, sizeof(times)};
	}
	int64_t arg[6] = {fd_arg(a[0]), 0, 0, flags, a[2] ? 1 : 0};

	return plat_hostcall(HC_UTIMENSAT, arg, iov, a[2] ? 2 : 1);
}
