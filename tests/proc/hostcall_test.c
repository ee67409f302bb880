/*
 * hostcall_test.c - hostcall_execute() (launcher/hostcall.c) against the
 * host system calls it stands for: every op of rvkvm_abi.h section 5,
 * buffers split into several segments, bad shapes, the riscv64 stat layout
 * byte by byte, and the launcher's reserved descriptors.
 *
 * Run from run-proc.sh in a scratch directory; prints PASS/FAIL lines.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "launcher.h"

static int failures;

static void check(const char *name, int ok, const char *fmt, long expected, long got)
{
	if (ok) {
		printf("PASS hostcall/%s\n", name);
		return;
	}
	printf("FAIL hostcall/%s: ", name);
	printf(fmt, expected, got);
	printf("\n");
	failures++;
}

#define EXPECT_EQ(name, exp, got)                                                                  \
	do {                                                                                       \
		long e_ = (long)(exp), g_ = (long)(got);                                           \
		check(name, e_ == g_, "expected %ld got %ld", e_, g_);                             \
	} while (0)

/* A call with up to two buffers, each given as a list of segments. */
struct call {
	int64_t arg[6];
	struct iovec seg[2][8];
	unsigned nseg[2];
	unsigned nbuf;
};

static void add_seg(struct call *c, unsigned b, void *p, size_t len)
{
	c->seg[b][c->nseg[b]].iov_base = p;
	c->seg[b][c->nseg[b]].iov_len = len;
	c->nseg[b]++;
	if (c->nbuf < b + 1)
		c->nbuf = b + 1;
}

/* Buffer b as `pieces` segments of one contiguous area. */
static void add_split(struct call *c, unsigned b, void *p, size_t len, unsigned pieces)
{
	size_t step = len / pieces, done = 0;

	for (unsigned i = 0; i < pieces; i++) {
		size_t n = i + 1 == pieces ? len - done : step;
		add_seg(c, b, (char *)p + done, n);
		done += n;
	}
}

static long run(uint32_t op, struct call *c)
{
	const struct iovec *bufs[2] = {c->seg[0], c->seg[1]};

	return hostcall_execute(op, c->arg, bufs, c->nseg, c->nbuf);
}

static struct call mk(int64_t a0, int64_t a1, int64_t a2, int64_t a3)
{
	struct call c;

	memset(&c, 0, sizeof(c));
	c.arg[0] = a0;
	c.arg[1] = a1;
	c.arg[2] = a2;
	c.arg[3] = a3;
	return c;
}

static void test_shapes(void)
{
	struct call c = mk(0, 0, 0, 0);
	char b[8];

	EXPECT_EQ("op-invalid-enosys", -ENOSYS, run(HC_INVALID, &c));
	EXPECT_EQ("op-count-enosys", -ENOSYS, run(HC_COUNT, &c));
	EXPECT_EQ("op-huge-enosys", -ENOSYS, run(0xffffffffu, &c));
	EXPECT_EQ("nop", 0, run(HC_NOP, &c));
	EXPECT_EQ("read-without-buffer-einval", -EINVAL, run(HC_READ, &c));
	c = mk(0, 0, 0, 0);
	add_seg(&c, 0, b, sizeof(b));
	EXPECT_EQ("close-with-buffer-einval", -EINVAL, run(HC_CLOSE, &c));
	c.nbuf = 3;
	EXPECT_EQ("three-buffers-einval", -EINVAL, run(HC_READ, &c));
}

static void test_rw(void)
{
	int p[2];
	char out[] = "hello, scattered world", in[64] = {0};
	struct call c;
	long r;

	pipe(p);
	c = mk(p[1], 0, 0, 0);
	add_split(&c, 0, out, strlen(out), 3);
	EXPECT_EQ("write-3-segments", (long)strlen(out), run(HC_WRITE, &c));
	c = mk(p[0], 0, 0, 0);
	add_seg(&c, 0, in, 5);
	add_seg(&c, 0, in + 5, sizeof(in) - 5);
	r = run(HC_READ, &c);
	check("read-2-segments", r == (long)strlen(out) && !strcmp(in, out),
	      "expected %ld bytes, got %ld (or different data)", (long)strlen(out), r);
	close(p[0]);
	close(p[1]);

	int fd = open("rw.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
	c = mk(fd, 100, 0, 0);
	add_split(&c, 0, out, strlen(out), 4);
	EXPECT_EQ("pwrite-offset", (long)strlen(out), run(HC_PWRITE, &c));
	memset(in, 0, sizeof(in));
	c = mk(fd, 107, 0, 0);
	add_split(&c, 0, in, 9, 2);
	r = run(HC_PREAD, &c);
	check("pread-offset", r == 9 && !memcmp(in, "scattered", 9), "expected %ld got %ld", 9, r);
	c = mk(fd, 0, SEEK_END, 0);
	EXPECT_EQ("lseek-end", 100 + (long)strlen(out), run(HC_LSEEK, &c));
	c = mk(fd, 10, 0, 0);
	EXPECT_EQ("ftruncate", 0, run(HC_FTRUNCATE, &c));
	EXPECT_EQ("ftruncate-size", 10, lseek(fd, 0, SEEK_END));
	c = mk(fd, 0, 0, 0);
	EXPECT_EQ("fsync", 0, run(HC_FSYNC, &c));
	c = mk(fd, -5, 0, 0);
	add_seg(&c, 0, in, 4);
	EXPECT_EQ("pread-negative-offset-einval", -EINVAL, run(HC_PREAD, &c));
	c = mk(fd, 0, 0, 0);
	EXPECT_EQ("close", 0, run(HC_CLOSE, &c));
	EXPECT_EQ("close-again-ebadf", -EBADF, run(HC_CLOSE, &c));
	c = mk(1ll << 40, 0, 0, 0);
	EXPECT_EQ("close-wide-fd-ebadf", -EBADF, run(HC_CLOSE, &c));
}

static void test_paths(void)
{
	static char longpath[PATH_MAX + 16];
	char name[] = "rw.dat";
	struct call c;
	long r;

	c = mk(AT_FDCWD, 0, O_RDONLY, 0);
	add_seg(&c, 0, name, 3);
	add_seg(&c, 0, name + 3, sizeof(name) - 3);
	r = run(HC_OPENAT, &c);
	check("openat-split-path", r >= 0, "expected an fd (%ld), got %ld", 0, r);
	close((int)r);

	c = mk(AT_FDCWD, 0, O_RDONLY, 0);
	add_seg(&c, 0, name, strlen(name));
	EXPECT_EQ("path-unterminated-efault", -EFAULT, run(HC_OPENAT, &c));

	memset(longpath, 'a', sizeof(longpath));
	c = mk(AT_FDCWD, 0, O_RDONLY, 0);
	add_seg(&c, 0, longpath, sizeof(longpath));
	EXPECT_EQ("path-too-long-enametoolong", -ENAMETOOLONG, run(HC_OPENAT, &c));
	longpath[PATH_MAX] = 0;
	EXPECT_EQ("path-4096-chars-enametoolong", -ENAMETOOLONG, run(HC_OPENAT, &c));
	c = mk(AT_FDCWD, 0, O_RDONLY, 0);
	add_seg(&c, 0, "nonexistent", 12);
	EXPECT_EQ("openat-enoent", -ENOENT, run(HC_OPENAT, &c));

	const char *mems[] = {"/proc/self/mem", "/proc/thread-self/mem", "/proc/self/task/../mem"};
	for (unsigned i = 0; i < 3; i++) {
		c = mk(AT_FDCWD, 0, O_RDWR, 0);
		add_seg(&c, 0, (void *)mems[i], strlen(mems[i]) + 1);
		EXPECT_EQ(i == 0   ? "openat-proc-self-mem-eacces"
			  : i == 1 ? "openat-thread-self-mem-eacces"
				   : "openat-proc-mem-dotdot-eacces",
			  -EACCES, run(HC_OPENAT, &c));
	}
	c = mk(AT_FDCWD, 0, O_RDONLY, 0);
	add_seg(&c, 0, "/proc/self/status", 18);
	r = run(HC_OPENAT, &c);
	check("openat-other-proc-files-allowed", r >= 0, "expected an fd (%ld) got %ld", 0, r);
	close((int)r);

	c = mk(AT_FDCWD, 0, 0755, 0);
	add_seg(&c, 0, "d1", 3);
	EXPECT_EQ("mkdirat", 0, run(HC_MKDIRAT, &c));
	EXPECT_EQ("mkdirat-eexist", -EEXIST, run(HC_MKDIRAT, &c));
	c = mk(AT_FDCWD, 0, W_OK, 0);
	add_seg(&c, 0, "d1", 3);
	EXPECT_EQ("faccessat", 0, run(HC_FACCESSAT, &c));
	c.arg[3] = AT_EACCESS;
	EXPECT_EQ("faccessat2-flags", 0, run(HC_FACCESSAT, &c));
	c = mk(AT_FDCWD, AT_FDCWD, 0, 0);
	add_seg(&c, 0, "d1", 3);
	add_seg(&c, 1, "d2", 3);
	EXPECT_EQ("renameat2", 0, run(HC_RENAMEAT2, &c));
	c = mk(AT_FDCWD, 0, AT_REMOVEDIR, 0);
	add_seg(&c, 0, "d2", 3);
	EXPECT_EQ("unlinkat-dir", 0, run(HC_UNLINKAT, &c));
	EXPECT_EQ("unlinkat-gone", -1, access("d2", F_OK));

	symlink("rw.dat", "link");
	char target[64] = {0};
	c = mk(AT_FDCWD, 0, 0, 0);
	add_seg(&c, 0, "link", 5);
	add_split(&c, 1, target, sizeof(target), 2);
	r = run(HC_READLINKAT, &c);
	check("readlinkat", r == 6 && !memcmp(target, "rw.dat", 6), "expected %ld got %ld", 6, r);
	memset(target, 0, sizeof(target));
	c = mk(AT_FDCWD, 0, 0, 0);
	add_seg(&c, 0, "link", 5);
	add_seg(&c, 1, target, 2);
	r = run(HC_READLINKAT, &c);
	check("readlinkat-truncates", r == 2 && !memcmp(target, "rw", 2) && !target[2],
	      "expected %ld got %ld", 2, r);
	c = mk(AT_FDCWD, 0, 0, 0);
	add_seg(&c, 0, "link", 5);
	add_seg(&c, 1, target, 0);
	EXPECT_EQ("readlinkat-empty-einval", -EINVAL, run(HC_READLINKAT, &c));
}

/* asm-generic struct stat, by byte offset (include/uapi/asm-generic/stat.h). */
static uint64_t at64(const unsigned char *b, size_t off)
{
	uint64_t v;
	memcpy(&v, b + off, 8);
	return v;
}

static uint32_t at32(const unsigned char *b, size_t off)
{
	uint32_t v;
	memcpy(&v, b + off, 4);
	return v;
}

static void check_stat_layout(const char *name, const unsigned char *b, const struct stat *st)
{
	int ok = at64(b, 0) == st->st_dev && at64(b, 8) == st->st_ino &&
		 at32(b, 16) == st->st_mode && at32(b, 20) == st->st_nlink &&
		 at32(b, 24) == st->st_uid && at32(b, 28) == st->st_gid &&
		 at64(b, 32) == st->st_rdev && (int64_t)at64(b, 48) == st->st_size &&
		 (int32_t)at32(b, 56) == st->st_blksize && (int64_t)at64(b, 64) == st->st_blocks &&
		 (int64_t)at64(b, 72) == st->st_atim.tv_sec &&
		 at64(b, 80) == (uint64_t)st->st_atim.tv_nsec &&
		 (int64_t)at64(b, 88) == st->st_mtim.tv_sec &&
		 at64(b, 96) == (uint64_t)st->st_mtim.tv_nsec &&
		 (int64_t)at64(b, 104) == st->st_ctim.tv_sec &&
		 at64(b, 112) == (uint64_t)st->st_ctim.tv_nsec;

	check(name, ok, "fields differ from stat(2): size expected %ld got %ld", (long)st->st_size,
	      (long)at64(b, 48));
}

static void test_stat(void)
{
	unsigned char buf[128 + 8];
	struct stat st;
	struct call c;
	int fd = open("rw.dat", O_RDWR);

	write(fd, "0123456789abcdef", 16);
	fstat(fd, &st);
	memset(buf, 0xee, sizeof(buf));
	c = mk(fd, 0, 0, 0);
	add_split(&c, 0, buf, 128, 3);
	EXPECT_EQ("fstat", 0, run(HC_FSTAT, &c));
	check_stat_layout("fstat-layout-vs-stat2", buf, &st);
	c = mk(fd, 0, 0, 0);
	add_seg(&c, 0, buf, 100);
	EXPECT_EQ("fstat-short-buffer-efault", -EFAULT, run(HC_FSTAT, &c));

	lstat("link", &st);
	c = mk(AT_FDCWD, 0, 0, AT_SYMLINK_NOFOLLOW);
	add_seg(&c, 0, "link", 5);
	add_seg(&c, 1, buf, 128);
	EXPECT_EQ("newfstatat", 0, run(HC_NEWFSTATAT, &c));
	check_stat_layout("newfstatat-nofollow-layout", buf, &st);

	struct statx stx;
	memset(&stx, 0, sizeof(stx));
	c = mk(AT_FDCWD, 0, 0, STATX_BASIC_STATS);
	add_seg(&c, 0, "rw.dat", 7);
	add_split(&c, 1, &stx, sizeof(stx), 2);
	EXPECT_EQ("statx", 0, run(HC_STATX, &c));
	EXPECT_EQ("statx-size", 16, (long)stx.stx_size);
	c = mk(AT_FDCWD, 0, 0, STATX_BASIC_STATS);
	add_seg(&c, 0, "rw.dat", 7);
	add_seg(&c, 1, &stx, 200);
	EXPECT_EQ("statx-short-buffer-efault", -EFAULT, run(HC_STATX, &c));

	struct timespec times[2] = {{1000000000, 5}, {1234567890, 123456789}};
	c = mk(AT_FDCWD, 0, 0, 0);
	c.arg[4] = 1;
	add_seg(&c, 0, "rw.dat", 7);
	add_split(&c, 1, times, sizeof(times), 2);
	EXPECT_EQ("utimensat", 0, run(HC_UTIMENSAT, &c));
	stat("rw.dat", &st);
	check("utimensat-mtime", st.st_mtim.tv_sec == 1234567890 && st.st_mtim.tv_nsec == 123456789,
	      "expected mtime %ld got %ld", 1234567890L, (long)st.st_mtim.tv_sec);
	c = mk(fd, 0, 0, 0);
	c.arg[4] = 1;
	add_seg(&c, 0, "", 0);
	add_seg(&c, 1, times, sizeof(times));
	times[1].tv_sec = 1500000000;
	EXPECT_EQ("utimensat-null-path-on-fd", 0, run(HC_UTIMENSAT, &c));
	fstat(fd, &st);
	EXPECT_EQ("utimensat-null-path-mtime", 1500000000, st.st_mtim.tv_sec);
	close(fd);
}

static void test_dirs(void)
{
	char buf[4096];
	struct call c;
	int fd, found = 0;
	long r;

	mkdir("dir", 0755);
	close(open("dir/alpha", O_CREAT | O_WRONLY, 0644));
	close(open("dir/beta", O_CREAT | O_WRONLY, 0644));
	fd = open("dir", O_RDONLY | O_DIRECTORY);
	c = mk(fd, 0, 0, 0);
	add_split(&c, 0, buf, sizeof(buf), 3);
	r = run(HC_GETDENTS64, &c);
	for (long off = 0; off < r;) {
		struct dirent64 *d = (struct dirent64 *)(buf + off);
		found += !strcmp(d->d_name, "alpha") || !strcmp(d->d_name, "beta");
		off += d->d_reclen;
	}
	check("getdents64-split-buffer", r > 0 && found == 2, "expected %ld names, found %ld", 2,
	      found);
	close(fd);

	char cwd[PATH_MAX], got[PATH_MAX];
	getcwd(cwd, sizeof(cwd));
	c = mk(0, 0, 0, 0);
	add_seg(&c, 0, "dir", 4);
	EXPECT_EQ("chdir", 0, run(HC_CHDIR, &c));
	c = mk(0, 0, 0, 0);
	add_split(&c, 0, got, sizeof(got), 2);
	r = run(HC_GETCWD, &c);
	check("getcwd",
	      r == (long)strlen(cwd) + 5 && !strncmp(got, cwd, strlen(cwd)) &&
		  !strcmp(got + strlen(cwd), "/dir"),
	      "expected length %ld got %ld", (long)strlen(cwd) + 5, r);
	c = mk(0, 0, 0, 0);
	add_seg(&c, 0, got, 3);
	EXPECT_EQ("getcwd-small-erange", -ERANGE, run(HC_GETCWD, &c));
	chdir(cwd);
}

static void test_fds(void)
{
	struct call c;
	int fds[4] = {-1, -1, -1, -1};
	long r;

	c = mk(0, O_CLOEXEC, 0, 0);
	add_split(&c, 0, fds, 2 * sizeof(int), 2);
	EXPECT_EQ("pipe2", 0, run(HC_PIPE2, &c));
	check("pipe2-fds", fds[0] >= 0 && fds[1] >= 0 && (fcntl(fds[0], F_GETFD) & FD_CLOEXEC),
	      "expected %ld, got fd %ld", 0, fds[0]);
	int next = dup(0);
	close(next);
	c = mk(0, 0, 0, 0);
	add_seg(&c, 0, fds + 2, 4);
	EXPECT_EQ("pipe2-short-buffer-efault", -EFAULT, run(HC_PIPE2, &c));
	r = dup(0);
	EXPECT_EQ("pipe2-efault-leaks-no-fd", next, r);
	close((int)r);

	c = mk(fds[0], F_GETFL, 0, 0);
	EXPECT_EQ("fcntl-getfl", O_RDONLY, run(HC_FCNTL, &c));
	c = mk(fds[0], F_GETLK, 0, 0);
	EXPECT_EQ("fcntl-pointer-cmd-einval", -EINVAL, run(HC_FCNTL, &c));
	c = mk(fds[0], 0, 0, 0);
	r = run(HC_DUP, &c);
	check("dup", r >= 0, "expected an fd (%ld), got %ld", 0, r);
	c = mk(fds[0], r, O_CLOEXEC, 0);
	EXPECT_EQ("dup3", r, run(HC_DUP3, &c));
	close((int)r);

	unsigned char tio[64];
	c = mk(fds[0], TCGETS, 0, 0);
	add_seg(&c, 0, tio, sizeof(tio));
	EXPECT_EQ("ioctl-tcgets-pipe-enotty", -ENOTTY, run(HC_IOCTL, &c));
	c = mk(fds[0], FIONREAD, 0, 0);
	add_seg(&c, 0, tio, sizeof(tio));
	EXPECT_EQ("ioctl-other-request-enotty", -ENOTTY, run(HC_IOCTL, &c));

	int pty = posix_openpt(O_RDWR | O_NOCTTY);
	if (pty >= 0) {
		struct termios t;
		struct winsize ws = {24, 80, 0, 0}, got_ws;
		tcgetattr(pty, &t);
		ioctl(pty, TIOCSWINSZ, &ws);
		memset(tio, 0, sizeof(tio));
		c = mk(pty, TCGETS, 0, 0);
		add_split(&c, 0, tio, 36, 2);
		r = run(HC_IOCTL, &c);
		check("ioctl-tcgets-pty",
		      r == 0 && at32(tio, 12) == t.c_lflag && tio[17] == t.c_cc[0],
		      "expected %ld got %ld (or termios fields differ)", 0, r);
		c = mk(pty, TCGETS, 0, 0);
		add_seg(&c, 0, tio, 20);
		EXPECT_EQ("ioctl-tcgets-short-efault", -EFAULT, run(HC_IOCTL, &c));
		c = mk(pty, TIOCGWINSZ, 0, 0);
		add_seg(&c, 0, &got_ws, sizeof(got_ws));
		r = run(HC_IOCTL, &c);
		check("ioctl-tiocgwinsz", r == 0 && got_ws.ws_row == 24 && got_ws.ws_col == 80,
		      "expected %ld got %ld", 0, r);
		close(pty);
	} else {
		printf("SKIP hostcall/ioctl-tcgets-pty: no pseudo-terminal here\n");
	}
	close(fds[0]);
	close(fds[1]);
}

static void test_reserved(void)
{
	int hidden = hostcall_reserve_fd(open("rw.dat", O_RDONLY), HOSTCALL_FD_HIDDEN);
	int prog = hostcall_reserve_fd(open("rw.dat", O_RDONLY), HOSTCALL_FD_PREAD);
	char b[4];
	struct call c;

	check("reserve-moves-fd-high", hidden >= 900 && prog >= 900 && hidden != prog,
	      "expected fds >= %ld, got %ld", 900, hidden);
	check("reserve-frees-low-fd", dup(0) < 100, "expected a low fd (< %ld), got %ld", 100, 0);

	c = mk(hidden, 0, 0, 0);
	EXPECT_EQ("reserved-close-ebadf", -EBADF, run(HC_CLOSE, &c));
	check("reserved-close-kept-open", fcntl(hidden, F_GETFD) >= 0, "expected %ld got %ld", 0,
	      -1);
	c = mk(hidden, 0, 0, 0);
	add_seg(&c, 0, b, sizeof(b));
	EXPECT_EQ("reserved-read-ebadf", -EBADF, run(HC_READ, &c));
	EXPECT_EQ("reserved-pread-hidden-ebadf", -EBADF, run(HC_PREAD, &c));
	c = mk(hidden, 0, 0, 0);
	EXPECT_EQ("reserved-dup-ebadf", -EBADF, run(HC_DUP, &c));
	c = mk(1, hidden, 0, 0);
	EXPECT_EQ("dup3-onto-reserved-ebadf", -EBADF, run(HC_DUP3, &c));
	c = mk(hidden, F_DUPFD, 0, 0);
	EXPECT_EQ("reserved-fcntl-ebadf", -EBADF, run(HC_FCNTL, &c));
	c = mk(hidden, 0, 0, 0);
	add_seg(&c, 0, "x", 2);
	EXPECT_EQ("reserved-as-dirfd-ebadf", -EBADF, run(HC_OPENAT, &c));
	c = mk(AT_FDCWD, hidden, 0, 0);
	add_seg(&c, 0, "x", 2);
	add_seg(&c, 1, "y", 2);
	EXPECT_EQ("reserved-as-newdirfd-ebadf", -EBADF, run(HC_RENAMEAT2, &c));

	c = mk(prog, 2, 0, 0);
	add_seg(&c, 0, b, sizeof(b));
	EXPECT_EQ("program-fd-pread-allowed", 4, run(HC_PREAD, &c));
	EXPECT_EQ("program-fd-write-ebadf", -EBADF, run(HC_WRITE, &c));
	c = mk(prog, 0, 0, 0);
	EXPECT_EQ("program-fd-close-ebadf", -EBADF, run(HC_CLOSE, &c));
}

static void test_log_exit(void)
{
	int p[2], saved = dup(2);
	char got[32] = {0};
	struct call c;
	pid_t pid;
	int status;

	pipe(p);
	dup2(p[1], 2);
	c = mk(0, 0, 0, 0);
	add_split(&c, 0, "log line\n", 9, 2);
	EXPECT_EQ("log", 9, run(HC_LOG, &c));
	dup2(saved, 2);
	read(p[0], got, sizeof(got) - 1);
	check("log-reaches-stderr", !strcmp(got, "log line\n"), "expected %ld bytes, got %ld", 9,
	      (long)strlen(got));

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		c = mk(300, 0, 0, 0);
		run(HC_EXIT, &c);
		_exit(99);
	}
	waitpid(pid, &status, 0);
	check("exit-status-low-byte", WIFEXITED(status) && WEXITSTATUS(status) == (300 & 0xff),
	      "expected %ld got %ld", 300 & 0xff, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

int main(void)
{
	test_shapes();
	test_rw();
	test_paths();
	test_stat();
	test_dirs();
	test_fds();
	test_reserved();
	test_log_exit();
	return 0;
}
