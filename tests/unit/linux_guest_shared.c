/*
 * Shared file mappings (monitor/linux/vma.c write-back), compared with
 * qemu-riscv64: stores reach the file through msync, munmap, mremap and
 * exit; a mapping never extends the file; a read-only descriptor refuses
 * writable shared mappings.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void show(const char *when)
{
	char buf[64] = {0};
	int fd = open("data", O_RDONLY);
	struct stat st;

	fstat(fd, &st);
	pread(fd, buf, sizeof(buf) - 1, 0);
	printf("%s: %lld bytes \"%s\"\n", when, (long long)st.st_size, buf);
	close(fd);
}

int main(void)
{
	int fd = open("data", O_CREAT | O_RDWR | O_TRUNC, 0644);

	write(fd, "0123456789abcdef", 16);
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	p[0] = 'A';
	p[100] = 'Z'; /* past the end of the file: never written */
	msync(p, 4096, MS_SYNC);
	show("after msync");
	p[1] = 'B';
	p = mremap(p, 4096, 8192, MREMAP_MAYMOVE);
	p[2] = 'C';
	munmap(p, 8192);
	show("after munmap");

	fd = open("data", O_RDONLY);
	printf("writable shared mapping of a read-only file refused %d\n",
	       mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED);
	char *r = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	printf("read-only shared mapping reads %c, mprotect to write refused %d\n", r[0],
	       mprotect(r, 4096, PROT_READ | PROT_WRITE) != 0);
	close(fd);

	fd = open("data", O_RDWR);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	p[3] = 'D'; /* written back at exit */
	return 0;
}
