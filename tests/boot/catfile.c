/*
 * catfile.c - reads the file named by argv[1] three ways (read to the end,
 * pread at an offset, lseek from the end) and prints what it saw, so that
 * under a multiboot loader the read-only module file system answers as a
 * Linux file system does under qemu-riscv64.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char buf[256];
	struct stat st;
	ssize_t n;
	int fd;

	if (argc < 2)
		return 2;
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		printf("open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (fstat(fd, &st) == 0)
		printf("size %lld regular %d\n", (long long)st.st_size, S_ISREG(st.st_mode));
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	n = pread(fd, buf, 5, 3);
	printf("pread(5, 3) = %zd \"%.*s\"\n", n, (int)(n > 0 ? n : 0), buf);
	printf("lseek(-4, SEEK_END) = %lld\n", (long long)lseek(fd, -4, SEEK_END));
	printf("open missing: %s\n",
	       open("no-such-file", O_RDONLY) < 0 ? strerror(errno) : "opened");
	close(fd);
	return 0;
}
