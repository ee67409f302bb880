/*
 * rootprobe.c - tries to leave the directory given to `rvkvm --root`
 * (tests/security/run-root.sh builds the tree).  One line per case:
 * "ok NAME" or "bad NAME: what happened"; the script turns them into
 * PASS/FAIL lines and checks the host side (nothing created or touched
 * outside the root).
 *
 * The tree inside the root:  /in/file.txt ("inside\n"), /etc/passwd
 * ("fake\n"), /link-etc -> /etc, /rel-up -> ../../../../secret,
 * /wlink -> ../../created, /tlink -> argv[1] (the secret's host path).
 * Outside, next to the root: secret.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void result(const char *name, int ok, const char *fmt, long v)
{
	if (ok) {
		printf("ok %s\n", name);
	} else {
		printf("bad %s: ", name);
		printf(fmt, v);
		printf("\n");
	}
}

/* open must fail with ENOENT: the path names nothing inside the root. */
static void absent(const char *name, int dirfd, const char *path)
{
	int fd = openat(dirfd, path, O_RDONLY);

	result(name, fd < 0 && errno == ENOENT, "opened or errno %ld, expected ENOENT",
	       fd < 0 ? errno : 0);
	if (fd >= 0)
		close(fd);
}

/* The file's content must be want. */
static void reads(const char *name, int dirfd, const char *path, const char *want)
{
	char buf[64] = "";
	int fd = openat(dirfd, path, O_RDONLY);
	long n = fd < 0 ? -errno : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	if (n < 0) {
		result(name, 0, "errno %ld", -n);
		return;
	}
	buf[n] = 0;
	result(name, !strcmp(buf, want), "read %ld bytes, not the file inside the root", n);
}

static ino_t inode(const char *path, int flags)
{
	struct stat st;

	return fstatat(AT_FDCWD, path, &st, flags) ? 0 : st.st_ino;
}

int main(int argc, char **argv)
{
	char cwd[256], link[64];
	struct timespec t[2] = {{12345, 0}, {12345, 0}};
	struct stat st;
	int dir, fd;
	long n;

	if (argc != 2) {
		fprintf(stderr, "usage: rootprobe SECRET-HOST-PATH\n");
		return 2;
	}
	absent("dotdot", AT_FDCWD, "../secret");
	absent("dotdot-deep", AT_FDCWD, "/../../../../secret");
	absent("absolute-host-path", AT_FDCWD, argv[1]);
	reads("symlink-absolute", AT_FDCWD, "/link-etc/passwd", "fake\n");
	absent("symlink-relative", AT_FDCWD, "rel-up");
	dir = open("/in", O_RDONLY | O_DIRECTORY);
	absent("dirfd-dotdot", dir, "../../secret");
	reads("dirfd-inside", dir, "../in/file.txt", "inside\n");
	close(dir);

	result("stat-root-dotdot", inode("/..", 0) == inode("/", 0) && inode("/", 0),
	       "inode of /.. differs from /'s (%ld)", (long)inode("/..", 0));
	result("stat-escape", inode("/link-etc/../../secret", 0) == 0 && errno == ENOENT,
	       "stat found the secret (errno %ld)", errno);
	result("lstat-symlink",
	       fstatat(AT_FDCWD, "/link-etc", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode),
	       "mode %lo", (long)st.st_mode);
	n = readlink("/link-etc", link, sizeof(link) - 1);
	result("readlink", n == 4 && !memcmp(link, "/etc", 4), "length %ld", n);
	result("lstat-trailing-slash",
	       fstatat(AT_FDCWD, "/link-etc/", &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		   S_ISDIR(st.st_mode) && st.st_ino == inode("/etc", 0),
	       "not the root's /etc (mode %lo)", (long)st.st_mode);
	result("access-inside", access("/link-etc/passwd", R_OK) == 0, "errno %ld", errno);
	result("access-escape", access("/in/../../secret", F_OK) < 0 && errno == ENOENT,
	       "errno %ld", errno);

	result("chdir", chdir("/in/../link-etc/../in/.") == 0, "errno %ld", errno);
	result("getcwd", getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, "/in"), "length %ld",
	       (long)strlen(cwd));
	reads("relative-after-chdir", AT_FDCWD, "file.txt", "inside\n");
	absent("relative-escape", AT_FDCWD, "../../secret");
	result("empty-path-is-cwd",
	       fstatat(AT_FDCWD, "", &st, AT_EMPTY_PATH) == 0 && st.st_ino == inode("/in", 0),
	       "errno %ld", errno);
	result("chdir-dotdot",
	       chdir("../../..") == 0 && getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, "/"),
	       "length %ld", (long)strlen(cwd));

	fd = open("/wlink", O_WRONLY | O_CREAT, 0644);
	result("create-through-symlink", fd >= 0 && write(fd, "made\n", 5) == 5, "errno %ld",
	       errno);
	close(fd);
	result("utimensat-through-symlink",
	       utimensat(AT_FDCWD, "/tlink", t, 0) < 0 && errno == ENOENT,
	       "errno %ld, expected ENOENT", errno);

	result("mkdir", mkdir("/in/new", 0755) == 0, "errno %ld", errno);
	fd = open("/in/new/a", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	result("write", fd >= 0 && write(fd, "written\n", 8) == 8, "errno %ld", errno);
	close(fd);
	result("rename", rename("/in/new/a", "/in/new/b") == 0, "errno %ld", errno);
	result("unlink", unlink("/in/file.txt") == 0, "errno %ld", errno);
	result("mkdir-dot", mkdir("/in/.", 0755) < 0 && errno == EEXIST, "errno %ld", errno);
	result("rename-root", rename("/", "/x") < 0 && errno == EBUSY, "errno %ld", errno);
	return 0;
}
