/*
 * Map argv[1] MiB of anonymous memory, touch every page, read it all back.
 * The test runs a small size on every platform; the 2 GiB case runs where
 * the host has the memory for it (see docs/testing.md).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 16;
	size_t size = mib << 20;
	unsigned char *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		printf("mmap of %zu MiB failed\n", mib);
		return 1;
	}
	for (size_t off = 0; off < size; off += 4096)
		p[off] = (unsigned char)(off >> 12);
	uint64_t sum = 0;
	for (size_t off = 0; off < size; off += 4096)
		sum += p[off];
	printf("touched %zu MiB (%zu pages), sum %llu\n", mib, size >> 12, (unsigned long long)sum);
	printf("munmap: %d\n", munmap(p, size));
	return 0;
}
