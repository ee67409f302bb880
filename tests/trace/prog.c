/*
 * The -d test program (run-trace.sh): prints a line, changes its memory
 * map with mmap, mprotect and munmap (for -d page) and exits with status 3;
 * with the argument "segv" it stores through a null pointer in fault_here
 * (for -d int).
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

__attribute__((noinline)) void fault_here(volatile int *p)
{
	*p = 1;
}

int main(int argc, char **argv)
{
	size_t len = 16 * 4096;
	char *m;

	if (argc > 1 && !strcmp(argv[1], "segv")) {
		printf("faulting\n");
		fflush(stdout);
		fault_here(NULL);
		return 0;
	}
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return 1;
	m[0] = 1;
	if (mprotect(m, len / 2, PROT_READ) || munmap(m, len))
		return 2;
	printf("trace test\n");
	return 3;
}
