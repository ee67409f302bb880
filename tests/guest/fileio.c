/*
 * File system round trip through the forwarded system calls: write and read
 * back, lseek, pread/pwrite, fstat and fstatat fields that do not depend on
 * the host (type, size, link count, a timestamp we set), mkdir, getdents64
 * (sorted: directory order is the file system's), rename, unlink, rmdir,
 * ftruncate, dup, fcntl, pipe2, chdir/getcwd, faccessat, utimensat.  The
 * files left behind are compared with qemu's by the test runner.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		if (!(x)) {                                                                        \
			printf("check failed line %d: %s (errno %d)\n", __LINE__, #x, errno);      \
		}                                                                                  \
	} while (0)

static void show_stat(const char *what, const struct stat *st)
{
	printf("%s: type=%s mode=%o size=%lld nlink=%lu blksize>0=%d\n", what,
	       S_ISREG(st->st_mode)   ? "reg"
	       : S_ISDIR(st->st_mode) ? "dir"
				      : "other",
	       st->st_mode & 07777, (long long)st->st_size, (unsigned long)st->st_nlink,
	       st->st_blksize > 0);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0);
	char buf[512];
	char *names[64];
	int n = 0;
	for (;;) {
		long got = syscall(SYS_getdents64, fd, buf, sizeof buf);
		CHECK(got >= 0);
		if (got <= 0)
			break;
		for (long off = 0; off < got;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			if (n < 64)
				names[n++] = strdup(d->d_name);
			off += d->d_reclen;
		}
	}
	close(fd);
	qsort(names, n, sizeof names[0], cmp_str);
	printf("listing %s:", path);
	for (int i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
}

int main(void)
{
	umask(022);
	const char msg[] = "The quick brown fox jumps over the lazy dog.\n";
	int fd = open("data.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
	CHECK(fd >= 0);
	for (int i = 0; i < 100; i++)
		CHECK(write(fd, msg, sizeof msg - 1) == (ssize_t)(sizeof msg - 1));
	printf("offset after writes=%lld\n", (long long)lseek(fd, 0, SEEK_CUR));
	printf("seek end=%lld\n", (long long)lseek(fd, 0, SEEK_END));
	printf("seek set 10=%lld\n", (long long)lseek(fd, 10, SEEK_SET));
	char b[32] = {0};
	CHECK(read(fd, b, 9) == 9);
	printf("read at 10: \"%s\"\n", b);
	printf("seek cur -5=%lld\n", (long long)lseek(fd, -5, SEEK_CUR));
	printf("seek bad whence: %lld errno=%d\n", (long long)lseek(fd, 0, 42), errno);
	CHECK(pwrite(fd, "XYZ", 3, 4) == 3);
	memset(b, 0, sizeof b);
	CHECK(pread(fd, b, 12, 0) == 12);
	printf("pread: \"%s\"\n", b);
	struct stat st;
	CHECK(fstat(fd, &st) == 0);
	show_stat("fstat data.txt", &st);
	CHECK(ftruncate(fd, 100) == 0);
	CHECK(fstat(fd, &st) == 0);
	printf("size after ftruncate=%lld\n", (long long)st.st_size);
	int fd2 = dup(fd);
	CHECK(fd2 > fd);
	printf("dup shares offset: %lld\n", (long long)lseek(fd2, 0, SEEK_CUR));
	printf("fcntl getfd=%d\n", fcntl(fd2, F_GETFD));
	CHECK(fcntl(fd2, F_SETFD, FD_CLOEXEC) == 0);
	printf("fcntl getfd after set=%d\n", fcntl(fd2, F_GETFD));
	printf("fcntl getfl accmode=%d\n", fcntl(fd2, F_GETFL) & O_ACCMODE);
	close(fd2);
	CHECK(fsync(fd) == 0);
	close(fd);
	printf("read on closed fd: %zd errno=%d\n", read(fd, b, 1), errno);

	/* Reading the whole file back in odd-sized pieces. */
	fd = open("data.txt", O_RDONLY);
	unsigned sum = 0;
	ssize_t got, total = 0;
	while ((got = read(fd, b, 7)) > 0) {
		for (ssize_t i = 0; i < got; i++)
			sum = sum * 31 + (unsigned char)b[i];
		total += got;
	}
	close(fd);
	printf("read back %zd bytes, hash %08x\n", total, sum);
	printf("open missing: %d errno=%d\n", open("missing", O_RDONLY), errno);

	CHECK(mkdir("dir", 0755) == 0);
	printf("mkdir existing: %d errno=%d\n", mkdir("dir", 0755), errno);
	for (int i = 0; i < 12; i++) {
		char name[32];
		snprintf(name, sizeof name, "dir/file%02d", i);
		int f = open(name, O_CREAT | O_WRONLY, 0600 + i % 2 * 040);
		CHECK(f >= 0);
		CHECK(write(f, name, i) == i);
		close(f);
	}
	CHECK(mkdir("dir/sub", 0700) == 0);
	list_dir("dir");
	CHECK(stat("dir", &st) == 0);
	show_stat("stat dir", &st);
	CHECK(fstatat(AT_FDCWD, "dir/file07", &st, 0) == 0);
	show_stat("fstatat dir/file07", &st);
	CHECK(rename("dir/file03", "dir/renamed") == 0);
	CHECK(unlink("dir/file04") == 0);
	printf("unlink missing: %d errno=%d\n", unlink("dir/file04"), errno);
	printf("rmdir non-empty: %d errno=%d\n", rmdir("dir"), errno);
	CHECK(rmdir("dir/sub") == 0);
	list_dir("dir");
	printf("access dir/file05 R_OK: %d\n", faccessat(AT_FDCWD, "dir/file05", R_OK, 0));
	printf("access missing: %d errno=%d\n", faccessat(AT_FDCWD, "dir/nothing", F_OK, 0), errno);

	struct timespec times[2] = {{1000000000, 0}, {1234567890, 500}};
	CHECK(utimensat(AT_FDCWD, "dir/file05", times, 0) == 0);
	CHECK(stat("dir/file05", &st) == 0);
	printf("mtime=%lld.%09ld atime=%lld\n", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
	       (long long)st.st_atim.tv_sec);

	CHECK(chdir("dir") == 0);
	char cwd[4096];
	CHECK(getcwd(cwd, sizeof cwd) != NULL);
	const char *tail = strrchr(cwd, '/');
	printf("getcwd ends with: %s\n", tail ? tail : "(none)");
	fd = open("made-in-dir", O_CREAT | O_WRONLY, 0644);
	CHECK(write(fd, "in dir\n", 7) == 7);
	close(fd);
	CHECK(chdir("..") == 0);

	int p[2];
	CHECK(pipe2(p, O_CLOEXEC) == 0);
	CHECK(write(p[1], "through a pipe", 14) == 14);
	memset(b, 0, sizeof b);
	CHECK(read(p[0], b, sizeof b - 1) == 14);
	printf("pipe: \"%s\"\n", b);
	close(p[0]);
	close(p[1]);

	FILE *f = fopen("stdio.txt", "w");
	for (int i = 0; i < 50; i++)
		fprintf(f, "line %d %x\n", i, i * i);
	fclose(f);
	f = fopen("stdio.txt", "r");
	char line[64];
	int lines = 0;
	while (fgets(line, sizeof line, f))
		lines++;
	fclose(f);
	printf("stdio lines=%d\n", lines);
	return 0;
}
