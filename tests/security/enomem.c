/*
 * A guest that asks for memory until it is refused (tests/security/run-enomem.sh):
 *
 *   enomem mmap     anonymous 1 MiB mappings, each page touched
 *   enomem brk      sbrk 1 MiB at a time, each page touched
 *   enomem malloc   malloc 256 KiB blocks, each filled
 *   enomem reserve  anonymous 1 MiB mappings, never touched
 *   enomem file     a private mapping of a 256 MiB (sparse) file, every
 *                   page touched: where mapping it cost nothing (rvkvm on
 *                   kvm, where file pages are backed when first touched),
 *                   the platform runs out and the guest is killed instead
 *
 * Each ends with the error the refusal gave (ENOMEM; malloc's NULL), then
 * shows the process still works: memory given back can be had again.  Only
 * facts are printed, never counts or addresses, so runs under different
 * limits compare.  A run that is never refused stops at CAP_MIB and says so.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MIB (1L << 20)
#define CAP_MIB 16384L
#define PG 4096L

static void touch(char *p, long len)
{
	for (long i = 0; i < len; i += PG)
		p[i] = 1;
}

static int by_mmap(int touching)
{
	static char *maps[CAP_MIB];
	long n = 0;
	char *p = MAP_FAILED;

	for (; n < CAP_MIB; n++) {
		p = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			break;
		if (touching)
			touch(p, MIB);
		maps[n] = p;
	}
	if (p != MAP_FAILED) {
		printf("mmap: never refused\n");
		return 1;
	}
	printf("mmap refused: %s, after some: %d\n", strerror(errno), n > 0);
	munmap(maps[--n], MIB);
	p = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap after munmap: %d\n", p != MAP_FAILED);
	return 0;
}

static int by_brk(void)
{
	long n = 0;
	void *p = NULL;

	for (; n < CAP_MIB; n++) {
		errno = 0;
		p = sbrk(MIB);
		if (p == (void *)-1)
			break;
		touch(p, MIB);
	}
	if (p != (void *)-1) {
		printf("brk: never refused\n");
		return 1;
	}
	printf("sbrk refused: %s, after some: %d\n", strerror(errno), n > 0);
	printf("sbrk shrink: %d\n", sbrk(-MIB) != (void *)-1);
	printf("sbrk again: %d\n", sbrk(MIB / 2) != (void *)-1);
	return 0;
}

static int by_malloc(void)
{
	static char *blocks[CAP_MIB * 4];
	const long size = MIB / 4;
	long n = 0;
	char *p = NULL;

	for (; n < CAP_MIB * 4; n++) {
		p = malloc(size);
		if (!p)
			break;
		memset(p, 0x5a, size);
		blocks[n] = p;
	}
	if (p) {
		printf("malloc: never refused\n");
		return 1;
	}
	printf("malloc returned NULL: %s, after some: %d\n", strerror(errno), n > 0);
	for (long i = 0; i < n; i++)
		free(blocks[i]);
	p = malloc(size);
	printf("malloc after free: %d\n", p != NULL);
	return 0;
}

static int by_file(void)
{
	const long size = 256 * MIB;
	FILE *f = tmpfile();
	char *p;
	long sum = 0;

	if (!f || ftruncate(fileno(f), size) < 0) {
		perror("tmpfile");
		return 1;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fileno(f), 0);
	if (p == MAP_FAILED) {
		printf("file mapping refused: %s\n", strerror(errno));
		return 0;
	}
	for (long i = 0; i < size; i += PG)
		sum += p[i]++;
	printf("file mapping touched: sum %ld\n", sum);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 2 && strcmp(argv[1], "mmap") == 0)
		return by_mmap(1);
	if (argc == 2 && strcmp(argv[1], "reserve") == 0)
		return by_mmap(0);
	if (argc == 2 && strcmp(argv[1], "file") == 0)
		return by_file();
	if (argc == 2 && strcmp(argv[1], "brk") == 0)
		return by_brk();
	if (argc == 2 && strcmp(argv[1], "malloc") == 0)
		return by_malloc();
	fprintf(stderr, "usage: enomem mmap|brk|malloc|reserve|file\n");
	return 2;
}
