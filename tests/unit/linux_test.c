/*
 * linux_test.c - unit test of the Linux personality (monitor/linux/) on a
 * stand-in platform: the memory map, the memory system calls, guest pointer
 * checks, ELF checks and loading, the initial stack, signals to oneself, the
 * run loop's exits and the --strace format.
 *
 *   linux-test SAMPLE_EXEC SAMPLE_PIE SAMPLE_DYNAMIC
 *
 * SAMPLE_EXEC and SAMPLE_PIE are static riscv64 programs built as ET_EXEC
 * and as static-PIE, SAMPLE_DYNAMIC a dynamically linked one; bad images
 * are made from the first by editing bytes.
 * Prints PASS/FAIL lines (tests/run.sh protocol).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linux_test.h"

static int failures;

#define CHECK(name, cond, ...)                                                                     \
	do {                                                                                       \
		if (cond) {                                                                        \
			printf("PASS linux-%s\n", name);                                           \
		} else {                                                                           \
			failures++;                                                                \
			printf("FAIL linux-%s: ", name);                                           \
			printf(__VA_ARGS__);                                                       \
			printf("\n");                                                              \
		}                                                                                  \
	} while (0)

static const char *sample_exec, *sample_pie, *sample_dyn;

/* Debian's riscv64 cross libc, where ld.so lives as /lib/ld-linux-riscv64-lp64d.so.1. */
#define RISCV_SYSROOT "/usr/riscv64-linux-gnu"

static uint64_t img_entry_of_sample(void);

static const char *const test_argv[] = {"prog", "arg1"};
static const char *const test_envp[] = {"X=1", "PATH=/bin"};

static struct linux_start start = {
    .program_fd = -1,
    .execfn = "./prog",
    .argc = 2,
    .argv = test_argv,
    .envc = 2,
    .envp = test_envp,
    .pid = 4242,
    .ppid = 1,
    .uid = 1000,
    .gid = 1000,
    .euid = 1000,
    .egid = 1000,
};

static long sys(lx_handler *fn, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		uint64_t a5)
{
	const uint64_t a[6] = {a0, a1, a2, a3, a4, a5};

	return fn(a);
}

/* A fresh address space laid out as linux_run() lays it out (8 MiB stack). */
static void fresh_mm(uint64_t limit)
{
	fake_reset();
	lx_vma_init(limit);
	lx_proc.start = &start;
	lx_mm.stack_low = LX_STACK_TOP - (8ull << 20);
	lx_mm.mmap_base = LX_PAGE_DOWN(LX_STACK_TOP - (128ull << 20));
	lx_mm.start_brk = lx_mm.brk = 0x100000;
}

static void test_vma(void)
{
	const uint64_t P = LX_PAGE, base = 0x10000000;

	fresh_mm(0);
	lx_vma_map(base, base + 10 * P, LX_PROT_READ | LX_PROT_WRITE, 0);
	CHECK("vma-map", lx_mm.count == 1 && lx_mm.committed == 10 * P, "count %u mapped %llu",
	      lx_mm.count, (unsigned long long)lx_mm.committed);
	lx_vma_protect(base + 2 * P, base + 4 * P, LX_PROT_READ);
	CHECK("vma-protect-splits",
	      lx_mm.count == 3 && lx_vma_find(base + 3 * P)->prot == LX_PROT_READ &&
		  fake_host_prot(base + 3 * P) == LX_PROT_READ,
	      "count %u", lx_mm.count);
	lx_vma_protect(base + 2 * P, base + 4 * P, LX_PROT_READ | LX_PROT_WRITE);
	CHECK("vma-protect-merges", lx_mm.count == 1, "count %u", lx_mm.count);
	lx_vma_unmap(base + 4 * P, base + 5 * P);
	CHECK("vma-unmap-hole",
	      lx_mm.count == 2 && !lx_vma_find(base + 4 * P) && lx_mm.committed == 9 * P &&
		  fake_host_prot(base + 4 * P) == -1,
	      "count %u mapped %llu", lx_mm.count, (unsigned long long)lx_mm.committed);
	CHECK("vma-covered",
	      lx_vma_covered(base, base + 4 * P) && !lx_vma_covered(base, base + 6 * P),
	      "covered() wrong around a hole");
	CHECK("vma-page-prot",
	      dbt_guest_page_prot(base) == (PLAT_PROT_READ | PLAT_PROT_WRITE) &&
		  dbt_guest_page_prot(base + 4 * P) == -1,
	      "got %d and %d", dbt_guest_page_prot(base), dbt_guest_page_prot(base + 4 * P));
	lx_vma_map(base + 20 * P, base + 21 * P, LX_PROT_READ | LX_PROT_EXEC, 0);
	unsigned before = fake.invalidations;

	lx_vma_unmap(base + 20 * P, base + 21 * P);
	CHECK("vma-unmap-code-invalidates", fake.invalidations == before + 1,
	      "invalidations %u -> %u", before, fake.invalidations);
	CHECK("vma-write-implies-read",
	      lx_vma_map(base + 30 * P, base + 31 * P, LX_PROT_WRITE, 0) == 0 &&
		  lx_vma_find(base + 30 * P)->prot == (LX_PROT_READ | LX_PROT_WRITE),
	      "prot %d", lx_vma_find(base + 30 * P)->prot);

	/* Many alternating areas: the array grows and stays sorted. */
	for (int i = 0; i < 300; i++)
		lx_vma_map(0x20000000 + (uint64_t)i * 2 * P, 0x20000000 + (uint64_t)i * 2 * P + P,
			   i & 1 ? LX_PROT_READ : LX_PROT_READ | LX_PROT_WRITE, 0);
	int sorted = 1;

	for (unsigned i = 1; i < lx_mm.count; i++)
		if (lx_mm.vma[i - 1].end > lx_mm.vma[i].start)
			sorted = 0;
	CHECK("vma-many", sorted && lx_mm.count >= 300, "count %u sorted %d", lx_mm.count, sorted);

	fresh_mm(16 * P);
	CHECK("vma-ram-limit",
	      lx_vma_map(base, base + 16 * P, LX_PROT_READ, 0) == 0 &&
		  lx_vma_map(base + 16 * P, base + 17 * P, LX_PROT_READ, 0) == -LX_ENOMEM &&
		  lx_vma_map(base, base + 16 * P, LX_PROT_READ, 0) == 0,
	      "limit of 16 pages not enforced as expected");
	fresh_mm(16 * P);
	CHECK("vma-prot-none-free",
	      lx_vma_map(base, base + 64 * P, 0, 0) == 0 &&
		  lx_vma_protect(base, base + 8 * P, LX_PROT_READ) == 0 &&
		  lx_vma_protect(base, base + 32 * P, LX_PROT_READ) == -LX_ENOMEM &&
		  lx_mm.committed == 8 * P && lx_vma_protect(base, base + 8 * P, 0) == 0 &&
		  lx_mm.committed == 0,
	      "committed %llu", (unsigned long long)lx_mm.committed);
	fresh_mm(0);
	fake.fail_map = 1;
	CHECK("vma-platform-enomem",
	      lx_vma_map(base, base + P, LX_PROT_READ, 0) == -LX_ENOMEM && lx_mm.count == 0,
	      "count %u", lx_mm.count);
}

static void test_mmap(void)
{
	const uint64_t P = LX_PAGE;
	const uint64_t RW = LX_PROT_READ | LX_PROT_WRITE, ANON = LX_MAP_PRIVATE | LX_MAP_ANONYMOUS;

	fresh_mm(0);
	long a = sys(lx_sys_mmap, 0, 3 * P, RW, ANON, -1, 0);
	long b = sys(lx_sys_mmap, 0, P, RW, ANON, -1, 0);

	CHECK("mmap-topdown", a == (long)(lx_mm.mmap_base - 3 * P) && b == a - (long)P,
	      "a 0x%lx b 0x%lx base 0x%llx", a, b, (unsigned long long)lx_mm.mmap_base);
	CHECK("mmap-len0", sys(lx_sys_mmap, 0, 0, RW, ANON, -1, 0) == -LX_EINVAL, "not EINVAL");
	CHECK("mmap-badtype", sys(lx_sys_mmap, 0, P, RW, LX_MAP_ANONYMOUS, -1, 0) == -LX_EINVAL,
	      "not EINVAL");
	CHECK("mmap-noreplace",
	      sys(lx_sys_mmap, (uint64_t)a, P, RW, ANON | LX_MAP_FIXED_NOREPLACE, -1, 0) ==
		  -LX_EEXIST,
	      "not EEXIST");
	CHECK("mmap-fixed-unaligned",
	      sys(lx_sys_mmap, (uint64_t)a + 1, P, RW, ANON | LX_MAP_FIXED, -1, 0) == -LX_EINVAL,
	      "not EINVAL");
	CHECK("mmap-hint", sys(lx_sys_mmap, 0x50000000, P, RW, ANON, -1, 0) == 0x50000000,
	      "hint not taken");
	CHECK("mmap-badfd",
	      sys(lx_sys_mmap, 0, P, LX_PROT_READ, LX_MAP_PRIVATE, 12345, 0) == -LX_EBADF,
	      "not EBADF");

	memset(plat_g2h((uint64_t)a), 0x5a, 3 * P);
	CHECK("munmap-middle",
	      sys(lx_sys_munmap, (uint64_t)a + P, P, 0, 0, 0, 0) == 0 &&
		  !lx_vma_find((uint64_t)a + P) && lx_vma_find((uint64_t)a + 2 * P),
	      "middle page still mapped or neighbours lost");
	CHECK("munmap-unaligned", sys(lx_sys_munmap, (uint64_t)a + 1, P, 0, 0, 0, 0) == -LX_EINVAL,
	      "not EINVAL");
	CHECK("mprotect-hole",
	      sys(lx_sys_mprotect, (uint64_t)a, 3 * P, LX_PROT_READ, 0, 0, 0) == -LX_ENOMEM,
	      "not ENOMEM");
	CHECK("mprotect-badprot", sys(lx_sys_mprotect, (uint64_t)a, P, 0x40, 0, 0, 0) == -LX_EINVAL,
	      "not EINVAL");

	/* mremap: grow in place, then grow into a taken neighbour, which moves. */
	long m = sys(lx_sys_mmap, 0x60000000, 2 * P, RW, ANON, -1, 0);

	memset(plat_g2h((uint64_t)m), 0x77, 2 * P);
	CHECK("mremap-grow-in-place",
	      sys(lx_sys_mremap, (uint64_t)m, 2 * P, 4 * P, 0, 0, 0) == m &&
		  lx_vma_covered((uint64_t)m, (uint64_t)m + 4 * P),
	      "did not grow in place");
	sys(lx_sys_mmap, (uint64_t)m + 4 * P, P, RW, ANON | LX_MAP_FIXED, -1, 0);
	CHECK("mremap-no-move",
	      sys(lx_sys_mremap, (uint64_t)m, 4 * P, 8 * P, 0, 0, 0) == -LX_ENOMEM, "not ENOMEM");
	long n = sys(lx_sys_mremap, (uint64_t)m, 4 * P, 8 * P, LX_MREMAP_MAYMOVE, 0, 0);

	CHECK("mremap-move",
	      n > 0 && n != m && *(uint8_t *)plat_g2h((uint64_t)n + P) == 0x77 &&
		  *(uint8_t *)plat_g2h((uint64_t)n + 5 * P) == 0 && !lx_vma_find((uint64_t)m),
	      "moved to 0x%lx", n);
	CHECK("mremap-shrink",
	      sys(lx_sys_mremap, (uint64_t)n, 8 * P, P, 0, 0, 0) == n &&
		  !lx_vma_find((uint64_t)n + P),
	      "tail still mapped");
	CHECK("mremap-unmapped", sys(lx_sys_mremap, 0x70000000, P, 2 * P, 1, 0, 0) == -LX_EFAULT,
	      "not EFAULT");

	long d = sys(lx_sys_mmap, 0, 2 * P, RW, ANON, -1, 0);

	memset(plat_g2h((uint64_t)d), 0x11, 2 * P);
	CHECK("madvise-dontneed-zeroes",
	      sys(lx_sys_madvise, (uint64_t)d, 2 * P, LX_MADV_DONTNEED, 0, 0, 0) == 0 &&
		  *(uint8_t *)plat_g2h((uint64_t)d) == 0 &&
		  *(uint8_t *)plat_g2h((uint64_t)d + 2 * P - 1) == 0,
	      "memory not zero after MADV_DONTNEED");
	CHECK("madvise-bad", sys(lx_sys_madvise, (uint64_t)d, P, 77, 0, 0, 0) == -LX_EINVAL,
	      "not EINVAL");
	memset(plat_g2h((uint64_t)d), 0x22, 2 * P);
	CHECK("madvise-dontneed-locked-zeroes",
	      sys(lx_sys_madvise, (uint64_t)d, P, LX_MADV_DONTNEED_LOCKED, 0, 0, 0) == 0 &&
		  *(uint8_t *)plat_g2h((uint64_t)d) == 0 &&
		  *(uint8_t *)plat_g2h((uint64_t)d + P) == 0x22,
	      "MADV_DONTNEED_LOCKED did not zero exactly its page");
	CHECK("madvise-hugepage-to-platform",
	      sys(lx_sys_madvise, (uint64_t)d, 2 * P, LX_MADV_HUGEPAGE, 0, 0, 0) == 0 &&
		  fake.huge.start == (uint64_t)d && fake.huge.end == (uint64_t)d + 2 * P &&
		  fake.huge.prot == PLAT_HUGE_ALLOW,
	      "MADV_HUGEPAGE not passed on: [0x%lx, 0x%lx) how %d", fake.huge.start, fake.huge.end,
	      fake.huge.prot);
	CHECK("madvise-nohugepage-to-platform",
	      sys(lx_sys_madvise, (uint64_t)d, P, LX_MADV_NOHUGEPAGE, 0, 0, 0) == 0 &&
		  fake.huge.end == (uint64_t)d + P && fake.huge.prot == PLAT_HUGE_FORBID,
	      "MADV_NOHUGEPAGE not passed on: how %d", fake.huge.prot);
	CHECK("madvise-collapse-to-platform",
	      sys(lx_sys_madvise, (uint64_t)d + P, P, LX_MADV_COLLAPSE, 0, 0, 0) == 0 &&
		  fake.huge.start == (uint64_t)d + P && fake.huge.prot == PLAT_HUGE_COLLAPSE,
	      "MADV_COLLAPSE not passed on: how %d", fake.huge.prot);
	CHECK("madvise-past-6.1", sys(lx_sys_madvise, (uint64_t)d, P, 26, 0, 0, 0) == -LX_EINVAL,
	      "advice 26 not EINVAL");

	/* A private file mapping reads the file in when first used, not before. */
	char tmpl[] = "/tmp/rvkvm-linux-test-XXXXXX";
	int fd = mkstemp(tmpl);

	if (fd >= 0) {
		(void)!write(fd, "file-contents", 13);
		long f = sys(lx_sys_mmap, 0, 2 * P, LX_PROT_READ, LX_MAP_PRIVATE, (uint64_t)fd, 0);
		int lazy = f > 0 && fake_host_prot((uint64_t)f) == 0;
		char got[14] = {1};

		CHECK("mmap-file",
		      lazy && lx_copy_in(got, (uint64_t)f, sizeof(got)) == 0 &&
			  memcmp(got, "file-contents", 14) == 0 &&
			  fake_host_prot((uint64_t)f) == LX_PROT_READ &&
			  lx_copy_in(got, (uint64_t)f + P, 1) == -LX_EFAULT,
		      "result 0x%lx, inaccessible before use %d", f, lazy);
		sys(lx_sys_munmap, (uint64_t)f, 2 * P, 0, 0, 0, 0);
		/* Areas split from one mapping share its descriptor until the last goes. */
		unsigned areas = lx_mm.count;
		long g = sys(lx_sys_mmap, 0, 4 * P, LX_PROT_READ, LX_MAP_PRIVATE, (uint64_t)fd, 0);
		int split = sys(lx_sys_mprotect, (uint64_t)g + P, P, RW, 0, 0, 0) == 0 &&
			    lx_mm.count == areas + 3;
		int merged = sys(lx_sys_mprotect, (uint64_t)g + P, P, LX_PROT_READ, 0, 0, 0) == 0 &&
			     lx_mm.count == areas + 1;
		int held = sys(lx_sys_munmap, (uint64_t)g, P, 0, 0, 0, 0) == 0 &&
			   fcntl(512, F_GETFD) >= 0;

		sys(lx_sys_munmap, (uint64_t)g + P, 3 * P, 0, 0, 0, 0);
		CHECK("mmap-file-split-merge",
		      g > 0 && split && merged && held && fcntl(512, F_GETFD) < 0,
		      "split %d merged %d descriptor held %d, closed at the end %d", split, merged,
		      held, fcntl(512, F_GETFD) < 0);
		long sh = sys(lx_sys_mmap, 0, 2 * P, RW, LX_MAP_SHARED, (uint64_t)fd, 0);
		char back[32] = {0};

		CHECK("mmap-shared-file",
		      sh > 0 && memcmp(plat_g2h((uint64_t)sh), "file", 4) == 0 &&
			  fcntl(512, F_GETFD) >= 0,
		      "result %ld, own descriptor %d", sh, fcntl(512, F_GETFD));
		memcpy(plat_g2h((uint64_t)sh), "FILE", 4);
		memset(plat_g2h((uint64_t)sh + 13), 'x', 100);
		CHECK("msync-writes-back",
		      sys(lx_sys_msync, (uint64_t)sh, P, 4, 0, 0, 0) == 0 &&
			  pread(fd, back, sizeof(back), 0) == 13 &&
			  memcmp(back, "FILE-contents", 13) == 0,
		      "file holds \"%s\"", back);
		memcpy(plat_g2h((uint64_t)sh + 5), "CONT", 4);
		CHECK("munmap-writes-back",
		      sys(lx_sys_munmap, (uint64_t)sh, 2 * P, 0, 0, 0, 0) == 0 &&
			  pread(fd, back, sizeof(back), 0) == 13 &&
			  memcmp(back, "FILE-CONTents", 13) == 0 && fcntl(512, F_GETFD) < 0,
		      "file holds \"%s\", own descriptor %d", back, fcntl(512, F_GETFD));
		int ro = open(tmpl, O_RDONLY);
		long rsh = sys(lx_sys_mmap, 0, P, LX_PROT_READ, LX_MAP_SHARED, (uint64_t)ro, 0);

		CHECK("mprotect-shared-readonly-file",
		      rsh > 0 &&
			  sys(lx_sys_mprotect, (uint64_t)rsh, P, RW, 0, 0, 0) == -LX_EACCES &&
			  sys(lx_sys_mmap, 0, P, RW, LX_MAP_SHARED, (uint64_t)ro, 0) == -LX_EACCES,
		      "writable shared mapping of a read-only file allowed");
		close(ro);
		close(fd);
		fd = open(tmpl, O_WRONLY);
		CHECK("mmap-file-wronly",
		      sys(lx_sys_mmap, 0, P, LX_PROT_READ, LX_MAP_PRIVATE, (uint64_t)fd, 0) ==
			  -LX_EACCES,
		      "not EACCES");
		close(fd);
		unlink(tmpl);
	}

	/* brk */
	fresh_mm(0);
	lx_mm.start_brk = lx_mm.brk = 0x200000;
	CHECK("brk-query", sys(lx_sys_brk, 0, 0, 0, 0, 0, 0) == 0x200000, "wrong brk");
	CHECK("brk-grow",
	      sys(lx_sys_brk, 0x203456, 0, 0, 0, 0, 0) == 0x203456 &&
		  lx_vma_covered(0x200000, 0x204000) && lx_vma_find(0x200000)->flags == LX_VMA_HEAP,
	      "heap not mapped");
	*(uint8_t *)plat_g2h(0x203000) = 1;
	CHECK("brk-shrink",
	      sys(lx_sys_brk, 0x201000, 0, 0, 0, 0, 0) == 0x201000 && !lx_vma_find(0x202000),
	      "pages above brk still mapped");
	CHECK("brk-below-start", sys(lx_sys_brk, 0x1000, 0, 0, 0, 0, 0) == 0x201000, "moved");
	sys(lx_sys_mmap, 0x300000, P, RW, ANON | LX_MAP_FIXED, -1, 0);
	CHECK("brk-collision", sys(lx_sys_brk, 0x300000, 0, 0, 0, 0, 0) == 0x201000,
	      "grew into a mapping");
}

static void test_uaccess(void)
{
	const uint64_t P = LX_PAGE, base = 0x40000000;
	char buf[16];
	static char path[LX_PATH_MAX];

	fresh_mm(0);
	lx_vma_map(base, base + 3 * P, LX_PROT_READ | LX_PROT_WRITE, 0);
	memcpy(plat_g2h(base + P - 4), "abc", 4);
	memset(plat_g2h(base + P), 'a', 2 * P);
	lx_vma_protect(base + P, base + 3 * P, LX_PROT_READ);
	lx_vma_unmap(base + 2 * P, base + 3 * P);
	CHECK("uaccess-null", lx_copy_in(buf, 0, 1) == -LX_EFAULT, "NULL not EFAULT");
	CHECK("uaccess-ok", lx_copy_in(buf, base + P - 8, 16) == 0,
	      "straddling mapped pages refused");
	CHECK("uaccess-straddle", lx_copy_in(buf, base + 2 * P - 8, 16) == -LX_EFAULT,
	      "read into unmapped page allowed");
	CHECK("uaccess-readonly", lx_copy_out(base + P, buf, 1) == -LX_EFAULT,
	      "write to read-only page allowed");
	CHECK("uaccess-wrap", lx_copy_in(buf, ~0ull - 4, 16) == -LX_EFAULT,
	      "wrapping range allowed");
	CHECK("uaccess-limit", lx_copy_in(buf, GUEST_VA_LIMIT - 4, 8) == -LX_EFAULT,
	      "range past the guest limit allowed");
	unsigned before = fake.prepare_writes;

	CHECK("uaccess-copy-out-prepares",
	      lx_copy_out(base, "x", 1) == 0 && fake.prepare_writes == before + 1,
	      "dbt_prepare_write not called");
	CHECK("uaccess-path", lx_copy_path(path, base + P - 4) == 3 && strcmp(path, "abc") == 0,
	      "path across pages not read");
	CHECK("uaccess-path-unterminated", lx_copy_path(path, base + P + 100) == -LX_EFAULT,
	      "unterminated path at the end of the mapping not EFAULT");
	lx_vma_map(base + 2 * P, base + 3 * P, LX_PROT_READ | LX_PROT_WRITE, 0);
	memset(plat_g2h(base + 2 * P), 'a', P);
	CHECK("uaccess-path-too-long", lx_copy_path(path, base + P) == -LX_ENAMETOOLONG,
	      "not ENAMETOOLONG");
}

static int read_file(const char *path, unsigned char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");

	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	*data = malloc(*len);
	if (fread(*data, 1, *len, f) != *len) {
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

/* Load an image held in memory; the exit status lx_elf_load gives (0 = loaded). */
static int load_image(const unsigned char *data, size_t len, struct lx_image *img)
{
	char tmpl[] = "/tmp/rvkvm-linux-elf-XXXXXX";
	int fd = mkstemp(tmpl), r;

	unlink(tmpl);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		return -1;
	fresh_mm(0);
	start.program_fd = fd;
	r = lx_elf_load(&start, img);
	close(fd);
	start.program_fd = -1;
	return r;
}

static unsigned lines_logged(void)
{
	unsigned n = 0;

	for (size_t i = 0; i < fake.log_len; i++)
		n += fake.log[i] == '\n';
	return n;
}

static void bad_image(const char *name, const unsigned char *good, size_t len, size_t cut,
		      void (*edit)(unsigned char *), int want)
{
	unsigned char *copy = malloc(len);
	struct lx_image img;
	char full[64];

	memcpy(copy, good, len);
	if (edit)
		edit(copy);
	int r = load_image(copy, cut ? cut : len, &img);

	snprintf(full, sizeof(full), "elf-bad-%s", name);
	CHECK(full,
	      r == want && lines_logged() == 1 && strncmp(fake.log, "rvkvm: ./prog: ", 15) == 0,
	      "status %d (want %d), log \"%s\"", r, want, fake.log);
	free(copy);
}

static struct lx_elf_phdr *phdrs(unsigned char *d)
{
	return (struct lx_elf_phdr *)(d + ((struct lx_elf_ehdr *)d)->phoff);
}

static struct lx_elf_phdr *nth_load(unsigned char *d, int n)
{
	struct lx_elf_ehdr *eh = (struct lx_elf_ehdr *)d;

	for (int i = 0; i < eh->phnum; i++)
		if (phdrs(d)[i].type == LX_PT_LOAD && n-- == 0)
			return &phdrs(d)[i];
	return NULL;
}

static void edit_magic(unsigned char *d)
{
	d[1] = 'X';
}
static void edit_class(unsigned char *d)
{
	d[4] = 1;
}
static void edit_endian(unsigned char *d)
{
	d[5] = 2;
}
static void edit_machine(unsigned char *d)
{
	((struct lx_elf_ehdr *)d)->machine = 62;
}
static void edit_type(unsigned char *d)
{
	((struct lx_elf_ehdr *)d)->type = 4;
}
static void edit_phentsize(unsigned char *d)
{
	((struct lx_elf_ehdr *)d)->phentsize = 32;
}
static void edit_phnum(unsigned char *d)
{
	((struct lx_elf_ehdr *)d)->phnum = 0xffff;
}
static void edit_phoff(unsigned char *d)
{
	((struct lx_elf_ehdr *)d)->phoff = 1ull << 40;
}
static void edit_filesz(unsigned char *d)
{
	nth_load(d, 1)->filesz = nth_load(d, 1)->memsz + 1;
}
static void edit_offset(unsigned char *d)
{
	nth_load(d, 0)->offset = 1ull << 40;
}
static void edit_overlap(unsigned char *d)
{
	nth_load(d, 1)->vaddr = nth_load(d, 0)->vaddr;
}
static void edit_absurd(unsigned char *d)
{
	nth_load(d, 1)->vaddr = 1ull << 40;
}
static void edit_misaligned(unsigned char *d)
{
	nth_load(d, 1)->vaddr += 8;
}
/* Turn a note header into a PT_INTERP naming a missing file, kept in ELF padding. */
static size_t interp_at;

static void edit_interp(unsigned char *d)
{
	struct lx_elf_ehdr *eh = (struct lx_elf_ehdr *)d;
	static const char path[] = "/nonexistent/ld.so";

	for (int i = 0; i < eh->phnum; i++)
		if (phdrs(d)[i].type != LX_PT_LOAD && phdrs(d)[i].type != LX_PT_PHDR) {
			phdrs(d)[i].type = LX_PT_INTERP;
			phdrs(d)[i].offset = interp_at;
			phdrs(d)[i].filesz = sizeof(path);
			memcpy(d + interp_at, path, sizeof(path));
			return;
		}
}

static void edit_interp_unterminated(unsigned char *d)
{
	edit_interp(d);
	d[interp_at + 18] = 'x';
}

static uint64_t auxv_get(uint64_t sp, uint64_t tag)
{
	uint64_t *w = plat_g2h(sp);
	uint64_t argc = w[0];
	uint64_t *p = w + 1 + argc + 1;

	while (*p)
		p++;
	for (p++; p[0] != LX_AT_NULL; p += 2)
		if (p[0] == tag)
			return p[1];
	return ~0ull;
}

static void test_elf(void)
{
	unsigned char *data;
	size_t len;
	struct lx_image img;

	if (read_file(sample_exec, &data, &len) < 0) {
		printf("FAIL linux-elf: cannot read %s\n", sample_exec);
		failures++;
		return;
	}
	struct lx_elf_ehdr *eh = (struct lx_elf_ehdr *)data;
	int r = load_image(data, len, &img);
	struct lx_elf_phdr *text = nth_load(data, 0), *rw = nth_load(data, 1);

	CHECK("elf-load-exec",
	      r == 0 && img.entry == eh->entry && img.bias == 0 && img.phnum == eh->phnum,
	      "status %d entry 0x%llx log \"%s\"", r, (unsigned long long)img.entry, fake.log);
	CHECK("elf-text-prot",
	      lx_vma_find(text->vaddr) &&
		  lx_vma_find(text->vaddr)->prot == (LX_PROT_READ | LX_PROT_EXEC) &&
		  fake_host_prot(text->vaddr) == (LX_PROT_READ | LX_PROT_EXEC),
	      "text prot %d", lx_vma_find(text->vaddr) ? lx_vma_find(text->vaddr)->prot : -1);
	CHECK("elf-text-bytes",
	      memcmp(plat_g2h(text->vaddr), data + text->offset, text->filesz) == 0,
	      "text differs from the file");
	uint64_t bss = rw->vaddr + rw->filesz;

	CHECK("elf-bss-zero",
	      rw->memsz > rw->filesz && *(uint8_t *)plat_g2h(bss) == 0 &&
		  *(uint8_t *)plat_g2h(rw->vaddr + rw->memsz - 1) == 0,
	      "bss not zero");
	CHECK("elf-brk", img.brk == LX_PAGE_UP(rw->vaddr + rw->memsz), "brk 0x%llx",
	      (unsigned long long)img.brk);
	CHECK("elf-phdr",
	      img.phdr && memcmp(plat_g2h(img.phdr), data + eh->phoff,
				 eh->phnum * sizeof(struct lx_elf_phdr)) == 0,
	      "AT_PHDR 0x%llx does not hold the program headers", (unsigned long long)img.phdr);

	/* The stack on top of this image. */
	uint64_t sp;

	lx_mm.start_brk = lx_mm.brk = img.brk;
	r = lx_stack_build(&start, &img, &sp);
	uint64_t *w = plat_g2h(sp);

	CHECK("stack-aligned", r == 0 && sp % 16 == 0 && sp < LX_STACK_TOP && sp > lx_mm.stack_low,
	      "sp 0x%llx", (unsigned long long)sp);
	CHECK("stack-argv",
	      w[0] == 2 && strcmp(plat_g2h(w[1]), "prog") == 0 &&
		  strcmp(plat_g2h(w[2]), "arg1") == 0 && w[3] == 0,
	      "argc %llu", (unsigned long long)w[0]);
	CHECK("stack-envp",
	      strcmp(plat_g2h(w[4]), "X=1") == 0 && strcmp(plat_g2h(w[5]), "PATH=/bin") == 0 &&
		  w[6] == 0,
	      "envp wrong");
	uint64_t rnd = auxv_get(sp, LX_AT_RANDOM);

	CHECK("stack-auxv",
	      auxv_get(sp, LX_AT_PAGESZ) == 4096 && auxv_get(sp, LX_AT_HWCAP) == 0x112d &&
		  auxv_get(sp, LX_AT_ENTRY) == img.entry && auxv_get(sp, LX_AT_PHDR) == img.phdr &&
		  auxv_get(sp, LX_AT_PHNUM) == eh->phnum && auxv_get(sp, LX_AT_PHENT) == 56 &&
		  auxv_get(sp, LX_AT_CLKTCK) == 100 && auxv_get(sp, LX_AT_SECURE) == 0 &&
		  auxv_get(sp, LX_AT_UID) == 1000 && auxv_get(sp, LX_AT_BASE) == 0,
	      "auxv values wrong");
	CHECK("stack-random",
	      rnd != ~0ull && rnd % 16 == 0 && *(uint8_t *)plat_g2h(rnd) == 0xa5 &&
		  *(uint8_t *)plat_g2h(rnd + 15) == 0xa5,
	      "AT_RANDOM 0x%llx", (unsigned long long)rnd);
	CHECK("stack-execfn", strcmp(plat_g2h(auxv_get(sp, LX_AT_EXECFN)), "./prog") == 0,
	      "AT_EXECFN wrong");
	CHECK("stack-not-exec", !(lx_vma_find(sp)->prot & LX_PROT_EXEC), "stack executable");

	bad_image("empty", data, len, 10, NULL, 126);
	bad_image("magic", data, len, 0, edit_magic, 126);
	bad_image("class", data, len, 0, edit_class, 126);
	bad_image("endian", data, len, 0, edit_endian, 126);
	bad_image("machine", data, len, 0, edit_machine, 126);
	bad_image("type", data, len, 0, edit_type, 126);
	bad_image("phentsize", data, len, 0, edit_phentsize, 126);
	bad_image("phnum", data, len, 0, edit_phnum, 126);
	bad_image("phoff", data, len, 0, edit_phoff, 126);
	bad_image("truncated-headers", data, len, 100, NULL, 126);
	bad_image("truncated-data", data, len, len / 2, NULL, 126);
	bad_image("filesz", data, len, 0, edit_filesz, 126);
	bad_image("offset", data, len, 0, edit_offset, 126);
	bad_image("overlap", data, len, 0, edit_overlap, 126);
	bad_image("absurd-vaddr", data, len, 0, edit_absurd, 126);
	bad_image("misaligned", data, len, 0, edit_misaligned, 126);
	/* The last bytes of the file are the section header table: room for a path. */
	interp_at = len - 64;
	bad_image("interp-missing", data, len, 0, edit_interp, 127);
	bad_image("interp-path", data, len, 0, edit_interp_unterminated, 126);
	free(data);

	if (read_file(sample_pie, &data, &len) < 0) {
		printf("FAIL linux-elf-pie: cannot read %s\n", sample_pie);
		failures++;
		return;
	}
	eh = (struct lx_elf_ehdr *)data;
	r = load_image(data, len, &img);
	CHECK("elf-load-static-pie",
	      r == 0 && eh->type == LX_ET_DYN && img.bias == LX_ET_DYN_BASE &&
		  img.entry == eh->entry + img.bias && lx_vma_find(img.entry) &&
		  (lx_vma_find(img.entry)->prot & LX_PROT_EXEC),
	      "status %d type %d bias 0x%llx", r, eh->type, (unsigned long long)img.bias);
	free(data);

	/* A dynamically linked program: ld.so from the sysroot loads at a free place. */
	if (read_file(sample_dyn, &data, &len) < 0) {
		printf("FAIL linux-elf-dynamic: cannot read %s\n", sample_dyn);
		failures++;
		return;
	}
	eh = (struct lx_elf_ehdr *)data;
	start.sysroot = RISCV_SYSROOT;
	r = load_image(data, len, &img);
	start.sysroot = NULL;
	CHECK("elf-load-dynamic",
	      r == 0 && img.base > 0 && img.start_pc != img.entry &&
		  img.entry == eh->entry + img.bias && lx_vma_find(img.start_pc) &&
		  (lx_vma_find(img.start_pc)->prot & LX_PROT_EXEC) && img.base < lx_mm.mmap_base,
	      "status %d base 0x%llx start 0x%llx log \"%s\"", r, (unsigned long long)img.base,
	      (unsigned long long)img.start_pc, fake.log);
	r = load_image(data, len, &img);
	CHECK("elf-dynamic-no-sysroot", r == 127 && lines_logged() == 1, "status %d log \"%s\"", r,
	      fake.log);
	free(data);
}

static void test_signals(void)
{
	struct lx_sigaction act = {0x1234, 0x4, 1ull << (LX_SIGKILL - 1)}, old;
	const uint64_t base = 0x40000000;

	fresh_mm(0);
	lx_signal_init();
	lx_vma_map(base, base + LX_PAGE, LX_PROT_READ | LX_PROT_WRITE, 0);
	memcpy(plat_g2h(base), &act, sizeof(act));
	CHECK("sigaction-set", sys(lx_sys_rt_sigaction, LX_SIGUSR1, base, 0, 8, 0, 0) == 0,
	      "failed");
	CHECK("sigaction-get",
	      sys(lx_sys_rt_sigaction, LX_SIGUSR1, 0, base + 64, 8, 0, 0) == 0 &&
		  lx_copy_in(&old, base + 64, sizeof(old)) == 0 && old.handler == 0x1234 &&
		  old.flags == 4 && old.mask == 0,
	      "handler 0x%llx mask 0x%llx", (unsigned long long)old.handler,
	      (unsigned long long)old.mask);
	CHECK("sigaction-kill",
	      sys(lx_sys_rt_sigaction, LX_SIGKILL, base, 0, 8, 0, 0) == -LX_EINVAL, "not EINVAL");
	CHECK("sigaction-size", sys(lx_sys_rt_sigaction, LX_SIGUSR1, 0, 0, 4, 0, 0) == -LX_EINVAL,
	      "not EINVAL");
	uint64_t set = 1ull << (LX_SIGINT - 1), got = 0;

	memcpy(plat_g2h(base + 128), &set, 8);
	sys(lx_sys_rt_sigprocmask, LX_SIG_BLOCK, base + 128, 0, 8, 0, 0);
	sys(lx_sys_rt_sigprocmask, LX_SIG_BLOCK, 0, base + 136, 8, 0, 0);
	memcpy(&got, plat_g2h(base + 136), 8);
	CHECK("sigprocmask", got == set, "mask 0x%llx", (unsigned long long)got);
	CHECK("sigprocmask-how",
	      sys(lx_sys_rt_sigprocmask, 7, base + 128, 0, 8, 0, 0) == -LX_EINVAL, "not EINVAL");
	CHECK("kill-blocked", sys(lx_sys_kill, start.pid, LX_SIGINT, 0, 0, 0, 0) == 0,
	      "not ignored");
	CHECK("kill-default-ignored",
	      sys(lx_sys_tgkill, start.pid, start.pid, LX_SIGCHLD, 0, 0, 0) == 0, "not ignored");
	CHECK("kill-other", sys(lx_sys_kill, 999999, LX_SIGTERM, 0, 0, 0, 0) == -LX_ESRCH,
	      "not ESRCH");
	static struct dbt_cpu cpu;

	/* Unblocking the pending SIGINT acts on it when the call returns: the default kills. */
	memset(&cpu, 0, sizeof(cpu));
	cpu.x[17] = 135;
	cpu.x[10] = LX_SIG_UNBLOCK;
	cpu.x[11] = base + 128;
	cpu.x[13] = 8;
	fake.exit_status = -1;
	if (setjmp(fake.exit_jump) == 0)
		lx_syscall(&cpu);
	CHECK("kill-pending-then-unblocked", fake.exit_status == 128 + LX_SIGINT, "status %d",
	      fake.exit_status);
	lx_signal_init();
	memset(&cpu, 0, sizeof(cpu));
	cpu.x[17] = 131;
	cpu.x[10] = start.pid;
	cpu.x[11] = start.pid;
	cpu.x[12] = LX_SIGABRT;
	fake.exit_status = -1;
	if (setjmp(fake.exit_jump) == 0)
		lx_syscall(&cpu);
	CHECK("kill-abort", fake.exit_status == 134 && fake.log_len == 0, "status %d log \"%s\"",
	      fake.exit_status, fake.log);
}

/* The scripted translator for the run-loop tests. */
static int script_step;
static int script_exit;
static uint32_t script_access;
static uint64_t seen_sp, seen_pc;

static int run_script(struct dbt_cpu *cpu)
{
	if (script_step++ == 0) {
		seen_sp = cpu->x[2];
		seen_pc = cpu->pc;
		cpu->x[17] = 172; /* getpid */
		return DBT_EXIT_ECALL;
	}
	if (script_exit == DBT_EXIT_ECALL) {
		cpu->x[10] = cpu->x[10] == start.pid ? 0x107 : 1; /* exit_group: status & 0xff */
		cpu->x[17] = 94;
	}
	cpu->fault_addr = 8;
	cpu->fault_access = script_access;
	return script_exit;
}

/*
 * A guest that installs a SIGSEGV handler, faults, and returns from the
 * handler through the trampoline: every step is checked from inside.
 */
static int handler_ok, return_ok;
#define HANDLER_PC 0x10200ull
#define FAULT_PC 0x10100ull

static int run_handler_script(struct dbt_cpu *cpu)
{
	uint64_t act_at = RT_ALIGN_DOWN(cpu->x[2], 16) - 4096;
	struct lx_sigaction act = {HANDLER_PC, LX_SA_SIGINFO, 0};
	struct lx_rt_sigframe frame;

	switch (script_step++) {
	case 0:
		memcpy(plat_g2h(act_at), &act, sizeof(act));
		cpu->x[17] = 134;
		cpu->x[10] = LX_SIGSEGV;
		cpu->x[11] = act_at;
		cpu->x[12] = 0;
		cpu->x[13] = 8;
		return DBT_EXIT_ECALL;
	case 1:
		cpu->pc = FAULT_PC;
		cpu->x[9] = 0x5555;
		cpu->fault_addr = 8;
		return DBT_EXIT_FAULT;
	case 2:
		memcpy(&frame, plat_g2h(cpu->x[2]), sizeof(frame));
		handler_ok =
		    cpu->pc == HANDLER_PC && cpu->x[10] == LX_SIGSEGV &&
		    cpu->x[1] == LX_STACK_TOP && cpu->x[2] % 16 == 0 && cpu->x[11] == cpu->x[2] &&
		    cpu->x[12] == cpu->x[2] + 128 && frame.info.signo == LX_SIGSEGV &&
		    frame.info.code == LX_SEGV_MAPERR && frame.info.fields.addr == 8 &&
		    frame.uc.mcontext.regs[0] == FAULT_PC && frame.uc.mcontext.regs[9] == 0x5555 &&
		    lx_proc.sigmask == (1ull << (LX_SIGSEGV - 1)) &&
		    dbt_guest_page_prot(cpu->x[1]) == (PLAT_PROT_READ | PLAT_PROT_EXEC) &&
		    memcmp(plat_g2h(cpu->x[1]), "\x93\x08\xb0\x08\x73\x00\x00\x00", 8) == 0;
		/* The handler moves the saved pc on and returns into the trampoline. */
		frame.uc.mcontext.regs[0] = FAULT_PC + 4;
		memcpy(plat_g2h(cpu->x[2]), &frame, sizeof(frame));
		cpu->x[9] = 0;
		cpu->pc = cpu->x[1];
		cpu->x[17] = 139;
		return DBT_EXIT_ECALL;
	default:
		return_ok = cpu->pc == FAULT_PC + 4 && cpu->x[9] == 0x5555 && lx_proc.sigmask == 0;
		cpu->x[10] = 0;
		cpu->x[17] = 94;
		return DBT_EXIT_ECALL;
	}
}

static int run_program(int exit_reason, int strace)
{
	volatile int fd = open(sample_exec, O_RDONLY);

	fake_reset();
	start.program_fd = fd;
	start.strace = strace;
	script_step = 0;
	script_exit = exit_reason;
	fake.dbt_run = exit_reason < 0 ? run_handler_script : run_script;
	if (setjmp(fake.exit_jump) == 0)
		linux_run(&start);
	close(fd);
	start.program_fd = -1;
	start.strace = 0;
	return fake.exit_status;
}

static void test_run(void)
{
	CHECK("run-exit-status",
	      run_program(DBT_EXIT_ECALL, 0) == 7 && seen_sp % 16 == 0 &&
		  seen_pc == img_entry_of_sample(),
	      "status %d sp 0x%llx pc 0x%llx", fake.exit_status, (unsigned long long)seen_sp,
	      (unsigned long long)seen_pc);
	CHECK("run-segv", run_program(DBT_EXIT_FAULT, 0) == 139 && fake.log_len == 0,
	      "status %d log \"%s\"", fake.exit_status, fake.log);
	CHECK(
	    "run-segv-strace",
	    run_program(DBT_EXIT_FAULT, 1) == 139 &&
		strstr(fake.log,
		       "--- SIGSEGV {si_signo=SIGSEGV, si_code=1, si_addr=0x0000000000000008} ---"),
	    "log \"%s\"", fake.log);
	start.verbose = 1;
	CHECK("run-segv-verbose",
	      run_program(DBT_EXIT_FAULT, 0) == 139 &&
		  strstr(fake.log, "rvkvm: SIGSEGV at guest pc 0x") &&
		  strstr(fake.log, ", address 0x8\n"),
	      "log \"%s\"", fake.log);
	start.verbose = 0;
	script_access = DBT_ACCESS_WRITE | DBT_ACCESS_MISALIGNED;
	CHECK("run-sigbus-misaligned-atomic", run_program(DBT_EXIT_FAULT, 0) == 135, "status %d",
	      fake.exit_status);
	script_access = 0;
	CHECK("run-fetch-fault", run_program(DBT_EXIT_FETCH_FAULT, 0) == 139, "status %d",
	      fake.exit_status);
	CHECK("run-sigill", run_program(DBT_EXIT_ILLEGAL, 0) == 132, "status %d", fake.exit_status);
	CHECK("run-sigtrap", run_program(DBT_EXIT_EBREAK, 0) == 133, "status %d", fake.exit_status);
	CHECK("run-signal-handler", run_program(-1, 0) == 0 && handler_ok && return_ok,
	      "status %d, in handler %d, after return %d", fake.exit_status, handler_ok, return_ok);
	run_program(DBT_EXIT_ECALL, 1);
	CHECK("strace-format",
	      strstr(fake.log, "4242 getpid() = 4242\n4242 exit_group(263)\n") != NULL,
	      "log \"%s\"", fake.log);
}

static void test_strace_calls(void)
{
	struct dbt_cpu cpu;
	const uint64_t base = 0x40000000;

	fresh_mm(0);
	start.strace = 1;
	lx_vma_map(base, base + LX_PAGE, LX_PROT_READ | LX_PROT_WRITE, 0);
	strcpy(plat_g2h(base), "/nonexistent/rvkvm");
	memset(&cpu, 0, sizeof(cpu));
	cpu.x[17] = 56;
	cpu.x[10] = (uint64_t)LX_AT_FDCWD;
	cpu.x[11] = base;
	cpu.x[12] = 0;
	cpu.pc = 0x1000;
	lx_syscall(&cpu);
	CHECK("strace-openat",
	      strcmp(fake.log, "4242 openat(AT_FDCWD,\"/nonexistent/rvkvm\",O_RDONLY,00)"
			       " = -1 errno=2 (No such file or directory)\n") == 0 &&
		  cpu.x[10] == (uint64_t)-LX_ENOENT && cpu.pc == 0x1004,
	      "log \"%s\"", fake.log);
	fake.log_len = 0;
	memset(&cpu, 0, sizeof(cpu));
	cpu.x[17] = 400;
	lx_syscall(&cpu);
	CHECK("strace-unknown",
	      strcmp(fake.log, "4242 Unknown syscall 400\n") == 0 &&
		  cpu.x[10] == (uint64_t)-LX_ENOSYS,
	      "log \"%s\"", fake.log);
	fake.log_len = 0;
	cpu.x[17] = 222;
	cpu.x[10] = 0;
	cpu.x[11] = 8192;
	cpu.x[12] = LX_PROT_READ | LX_PROT_WRITE;
	cpu.x[13] = LX_MAP_PRIVATE | LX_MAP_ANONYMOUS;
	cpu.x[14] = (uint64_t)-1;
	cpu.x[15] = 0;
	lx_syscall(&cpu);
	char want[200];

	snprintf(want, sizeof(want),
		 "4242 mmap(NULL,8192,PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0) = "
		 "0x%016llx\n",
		 (unsigned long long)cpu.x[10]);
	CHECK("strace-mmap", strcmp(fake.log, want) == 0, "log \"%s\"", fake.log);
	start.strace = 0;
}

static uint64_t img_entry_of_sample(void)
{
	unsigned char *data;
	size_t len;
	uint64_t e;

	if (read_file(sample_exec, &data, &len) < 0)
		return 0;
	e = ((struct lx_elf_ehdr *)data)->entry;
	free(data);
	return e;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: linux-test SAMPLE_EXEC SAMPLE_PIE SAMPLE_DYNAMIC\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	sample_exec = argv[1];
	sample_pie = argv[2];
	sample_dyn = argv[3];
	if (fake_init() < 0) {
		printf("FAIL linux-unit: cannot reserve the guest region\n");
		return 0;
	}
	test_vma();
	test_mmap();
	test_uaccess();
	test_elf();
	test_signals();
	test_run();
	test_strace_calls();
	return 0;
}
