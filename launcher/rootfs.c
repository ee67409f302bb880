/*
 * rootfs.c - `--root DIR`: the guest's file system view is DIR.  Every path
 * a host call takes is resolved inside DIR as if DIR were `/`: absolute
 * paths start at DIR, `..` stops at it, and symlinks (absolute or relative)
 * are followed inside it.  The kernel does the confining: openat2(2) with
 * RESOLVE_IN_ROOT on a descriptor of DIR, so there is no window between a
 * check and a use for a rename or a new symlink to slip through.
 *
 * Calls that have no openat2 form get a descriptor from it instead: the
 * object itself (O_PATH, symlinks followed inside the root) used with
 * AT_EMPTY_PATH, or, where the last component must not be followed (lstat,
 * unlink, mkdir, rename, readlink), its parent directory and the name.
 *
 * Relative paths are made root-relative before they reach the kernel: the
 * guest's working directory is kept here as a root-relative string, and a
 * guest dirfd is turned into its root-relative path through
 * /proc/self/fd.  Resolving from the dirfd itself would make it the root
 * of the lookup and `..` from a subdirectory would stop too early.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "launcher.h"

/* magic links (/proc/self/root, /proc/<pid>/cwd ...) name places outside
 * DIR whatever DIR holds: never followed. */
#define ROOT_RESOLVE (RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)

#define ROOT_RETRIES 8

/* The flags open(2) knows; openat2 refuses others where openat ignores them. */
#define OPEN_FLAGS_KNOWN                                                                           \
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_SYNC |      \
	 O_DSYNC | O_ASYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME |       \
	 O_CLOEXEC | O_PATH | O_TMPFILE)

/*
 * Set once by rootfs_init() before any guest runs; afterwards owned by the
 * one thread that serves host calls.  root_host is DIR's canonical host
 * path, "" for `/` itself; cwd is the guest's working directory, relative
 * to DIR and always starting with '/'.
 */
static int root_fd = -1;
static char root_host[PATH_MAX];
static size_t root_host_len;
static char cwd[PATH_MAX] = "/";

int rootfs_active(void)
{
	return root_fd >= 0;
}

/* The host path a descriptor names, from /proc/self/fd. */
static int fd_host_path(int fd, char out[PATH_MAX])
{
	char link[32];
	long n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = syscall(SYS_readlinkat, AT_FDCWD, link, out, PATH_MAX - 1);
	if (n < 0)
		return -errno;
	out[n] = 0;
	return 0;
}

int rootfs_init(const char *dir)
{
	int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int e;

	if (fd < 0)
		return -errno;
	if ((e = fd_host_path(fd, root_host)) < 0) {
		close(fd);
		return e;
	}
	root_host_len = strcmp(root_host, "/") ? strlen(root_host) : 0;
	fd = hostcall_reserve_fd(fd, HOSTCALL_FD_HIDDEN);
	if (fd < 0)
		return fd;
	root_fd = fd;
	strcpy(cwd, "/");
	return 0;
}

static long open_in_root(const char *path, int64_t flags, int64_t mode)
{
	struct open_how how = {
	    .flags = (uint64_t)flags & OPEN_FLAGS_KNOWN,
	    .resolve = ROOT_RESOLVE,
	};

	long fd;

	/* openat2 wants mode 0 unless a file can be created; openat ignores it. */
	if (how.flags & (O_CREAT | __O_TMPFILE))
		how.mode = (uint64_t)mode & 07777;
	/* EAGAIN: a rename elsewhere raced a `..` of this lookup (openat2(2));
	 * the kernel asks for a retry. */
	for (int tries = 0; tries < ROOT_RETRIES; tries++) {
		fd = syscall(SYS_openat2, root_fd, path, &how, sizeof(how));
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	return fd;
}

/*
 * The root-relative path of a guest directory descriptor.  -EXDEV for one
 * outside DIR (inherited from the parent, say): a lookup from there would
 * be a lookup outside the root.
 */
static int dirfd_path(int dirfd, char out[PATH_MAX])
{
	char host[PATH_MAX];
	struct stat st;
	int e;

	if (fstat(dirfd, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if ((e = fd_host_path(dirfd, host)) < 0)
		return e;
	if (strncmp(host, root_host, root_host_len) ||
	    (host[root_host_len] != '/' && host[root_host_len] != 0))
		return -EXDEV;
	snprintf(out, PATH_MAX, "%s", host[root_host_len] ? host + root_host_len : "/");
	return 0;
}

/* dirfd and path as one root-relative path in out. */
static int full_path(int dirfd, const char *path, char out[PATH_MAX])
{
	char base[PATH_MAX];
	int e, n;

	if (path[0] == '/')
		base[0] = 0;
	else if (dirfd == AT_FDCWD)
		strcpy(base, cwd);
	else if ((e = dirfd_path(dirfd, base)) < 0)
		return e;
	n = snprintf(out, PATH_MAX, "%s/%s", base, path);
	return n < PATH_MAX ? 0 : -ENAMETOOLONG;
}

long rootfs_openat(int dirfd, const char *path, int64_t flags, int64_t mode)
{
	char full[PATH_MAX];
	int e;

	if (!path[0])
		return -ENOENT;
	if ((e = full_path(dirfd, path, full)) < 0)
		return e;
	long fd = open_in_root(full, flags, mode);
	return fd < 0 ? -errno : fd;
}

static int at_object(const char *full, struct rootfs_at *at)
{
	long fd = open_in_root(full, O_PATH | O_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	at->fd = (int)fd;
	at->name[0] = 0;
	at->flags = AT_EMPTY_PATH;
	at->owned = 1;
	return 0;
}

static int at_dir(const char *full, const char *name, struct rootfs_at *at)
{
	long fd = open_in_root(full, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	at->fd = (int)fd;
	snprintf(at->name, sizeof(at->name), "%s", name);
	at->flags = 0;
	at->owned = 1;
	return 0;
}

/*
 * The last component in its parent.  `.`, `..` and the root itself have no
 * parent entry to work on: they become "." in the directory they name, which
 * gives the errors Linux gives for them (mkdir EEXIST, rename EBUSY, unlink
 * EISDIR).  A trailing slash makes the kernel follow a symlink, so a symlink
 * named with one is resolved here, inside the root, instead.
 */
static int at_parent(char *full, struct rootfs_at *at)
{
	size_t end = strlen(full), start;
	int slashes = 0, e;
	struct stat st;

	while (end > 1 && full[end - 1] == '/') {
		end--;
		slashes = 1;
	}
	start = end;
	while (start > 0 && full[start - 1] != '/')
		start--;
	size_t len = end - start;
	if (len == 0 || (len == 1 && full[start] == '.') ||
	    (len == 2 && full[start] == '.' && full[start + 1] == '.'))
		return at_dir(full, ".", at);

	char name[PATH_MAX];
	memcpy(name, full + start, len);
	name[len] = 0;
	full[start] = 0;
	if ((e = at_dir(full, name, at)) < 0)
		return e;
	if (!slashes)
		return 0;
	if (fstatat(at->fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
		rootfs_done(at);
		memcpy(full + start, name, len + 1);
		return at_object(full, at);
	}
	/* len < PATH_MAX - 1: full held at least a '/' before the name. */
	memcpy(at->name, name, len);
	memcpy(at->name + len, "/", 2);
	return 0;
}

int rootfs_at(int dirfd, const char *path, int how, struct rootfs_at *at)
{
	char full[PATH_MAX];
	int e;

	at->fd = dirfd;
	at->flags = 0;
	at->owned = 0;
	snprintf(at->name, sizeof(at->name), "%s", path);
	if (!rootfs_active())
		return 0;
	/* An empty path (with AT_EMPTY_PATH) is the descriptor itself, which
	 * was opened inside the root; AT_FDCWD means our cwd, not the host's. */
	if (!path[0]) {
		if (dirfd != AT_FDCWD)
			return 0;
		if ((e = at_dir(cwd, "", at)) < 0)
			return e;
		return 0;
	}
	if ((e = full_path(dirfd, path, full)) < 0)
		return e;
	return how == ROOTFS_OBJECT ? at_object(full, at) : at_parent(full, at);
}

void rootfs_done(struct rootfs_at *at)
{
	if (at->owned)
		close(at->fd);
	at->owned = 0;
}

long rootfs_chdir(const char *path)
{
	char full[PATH_MAX], host[PATH_MAX];
	long fd;
	int e;

	if (!path[0])
		return -ENOENT;
	if ((e = full_path(AT_FDCWD, path, full)) < 0)
		return e;
	fd = open_in_root(full, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* chdir(2) needs search permission, which O_PATH does not check. */
	if (syscall(SYS_faccessat2, (int)fd, "", X_OK, AT_EMPTY_PATH | AT_EACCESS) < 0) {
		e = -errno;
		close((int)fd);
		return e;
	}
	/* The canonical name, symlinks and `..` resolved, as getcwd reports it. */
	e = dirfd_path((int)fd, host);
	close((int)fd);
	if (e < 0)
		return e;
	strcpy(cwd, host);
	return 0;
}

/* getcwd(2): the length with the NUL, -ERANGE when it does not fit. */
long rootfs_getcwd(char *buf, size_t len)
{
	size_t n = strlen(cwd) + 1;

	if (n > len)
		return -ERANGE;
	memcpy(buf, cwd, n);
	return (long)n;
}
