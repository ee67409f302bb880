/*
 * writefile.c BYTES HOW - write BYTES to ./data in odd-sized chunks, taking
 * turns through write, pwrite and writev (two buffers), then end HOW:
 *   return       return from main
 *   exit_group   exit_group(2) from a nested call, stdio never flushed
 *   signal       a store to address 0 (SIGSEGV, status 139)
 * Every byte a system call accepted is the file's, whatever the end: the
 * file must equal the one written under qemu-riscv64.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_CHUNK 65537

static unsigned char buf[2 * MAX_CHUNK];

static void fill(unsigned char *p, size_t n, uint64_t *x)
{
	for (size_t i = 0; i < n; i++) {
		*x = *x * 6364136223846793005ull + 1442695040888963407ull;
		p[i] = (unsigned char)(*x >> 56);
	}
}

static void fail(const char *what)
{
	perror(what);
	exit(2);
}

static __attribute__((noinline)) void end_deep(int depth, const char *how)
{
	if (depth > 0) {
		end_deep(depth - 1, how);
		return;
	}
	if (!strcmp(how, "exit_group"))
		syscall(SYS_exit_group, 7);
	if (!strcmp(how, "signal"))
		*(volatile int *)(uintptr_t)(depth * 8) = 1;
}

int main(int argc, char **argv)
{
	uint64_t total = argc > 1 ? strtoull(argv[1], NULL, 0) : 1000000;
	const char *how = argc > 2 ? argv[2] : "return";
	uint64_t done = 0, x = 12345;
	unsigned turn = 0, chunk = 1;
	int fd = open("data", O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		fail("open");
	/* Unflushed stdio text: lost on exit_group and on the signal, as in Linux. */
	printf("writing %llu bytes, then %s\n", (unsigned long long)total, how);
	while (done < total) {
		size_t n = chunk;
		ssize_t r;

		if (n > total - done)
			n = (size_t)(total - done);
		fill(buf, n, &x);
		switch (turn++ % 3) {
		case 0:
			r = write(fd, buf, n);
			break;
		case 1:
			r = pwrite(fd, buf, n, (off_t)done);
			if (r > 0 && lseek(fd, r, SEEK_CUR) < 0)
				fail("lseek");
			break;
		default: {
			struct iovec v[2] = {{buf, n / 3}, {buf + n / 3, n - n / 3}};
			r = writev(fd, v, 2);
		}
		}
		if (r != (ssize_t)n)
			fail("write");
		done += n;
		/* Odd sizes from 1 to 65537 bytes, crossing every page boundary. */
		chunk = (chunk * 7 + 2) % MAX_CHUNK | 1;
	}
	end_deep(3, how);
	return 0;
}
