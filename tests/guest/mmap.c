/*
 * Anonymous memory management: mmap with each protection, reading zeroes,
 * MAP_FIXED over an existing mapping, MAP_FIXED_NOREPLACE refusing, munmap of
 * a middle page (the hole must fault), mprotect to read-only and back,
 * mremap growing a mapping with its contents, madvise(DONTNEED) zeroing a
 * private page, brk growth.  Addresses are never printed (qemu and rvkvm may
 * place mappings differently), only facts about them.  Ends with a
 * deliberate store to a read-only page: SIGSEGV, exit status 139.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

int main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	printf("page size %ld\n", pg);

	unsigned char *p =
	    mmap(NULL, 8 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap ok: %d aligned: %d\n", p != MAP_FAILED, ((uintptr_t)p & (pg - 1)) == 0);
	unsigned zero = 0;
	for (long i = 0; i < 8 * pg; i++)
		zero |= p[i];
	printf("fresh memory zero: %d\n", zero == 0);
	for (long i = 0; i < 8 * pg; i++)
		p[i] = (unsigned char)(i * 7);

	printf("munmap middle page: %d\n", munmap(p + 3 * pg, pg));
	void *q = mmap(p + 3 * pg, pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	printf("refill hole with NOREPLACE: %s, first byte %d\n",
	       q == p + 3 * pg ? "same address" : "elsewhere",
	       q != MAP_FAILED ? ((unsigned char *)q)[0] : -1);
	void *r = mmap(p, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	/* Linux refuses with EEXIST; qemu-riscv64 7.2 maps elsewhere: both leave p alone. */
	printf("NOREPLACE over a mapping lands on it: %d\n", r == p);
	if (r != MAP_FAILED && r != p)
		munmap(r, pg);
	r = mmap(p + pg, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
		 0);
	printf("MAP_FIXED replaces: %d, byte now %d\n", r == p + pg, p[pg + 5]);

	printf("mprotect read-only: %d\n", mprotect(p + 4 * pg, 2 * pg, PROT_READ));
	printf("still readable: %d\n", p[4 * pg + 1]);
	printf("mprotect back: %d\n", mprotect(p + 4 * pg, pg, PROT_READ | PROT_WRITE));
	p[4 * pg + 1] = 99;
	printf("written after mprotect: %d\n", p[4 * pg + 1]);

	printf("madvise dontneed: %d\n", madvise(p + 6 * pg, pg, MADV_DONTNEED));
	printf("after dontneed byte: %d\n", p[6 * pg + 10]);

	unsigned char *m =
	    mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(m, 0x5a, 2 * pg);
	unsigned char *g = mremap(m, 2 * pg, 64 * pg, MREMAP_MAYMOVE);
	printf("mremap: %d keeps contents: %d new tail zero: %d\n", g != MAP_FAILED,
	       g != MAP_FAILED && g[2 * pg - 1] == 0x5a, g != MAP_FAILED && g[63 * pg] == 0);
	printf("munmap remapped: %d\n", munmap(g, 64 * pg));
	printf("munmap unaligned: %d errno=%d\n", munmap(p + 1, pg), errno);
	printf("mmap zero length: %s errno=%d\n",
	       mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED
		   ? "failed"
		   : "mapped",
	       errno);

	char *b0 = sbrk(0);
	char *b1 = sbrk(5 * pg);
	printf("sbrk grows: %d\n", b1 == b0);
	memset(b1, 1, 5 * pg);
	printf("sbrk memory usable: %d\n", b1[5 * pg - 1]);
	printf("brk shrink: %d\n", brk(b0));

	unsigned char *ro = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("about to write to a read-only page\n");
	fflush(stdout);
	*(volatile unsigned char *)ro = 1;
	printf("write to read-only page did not fault\n");
	return 0;
}
