/*
 * Private file mappings, as ld.so uses them: contents at page boundaries and
 * at EOF (zeros to the end of the last page), SIGBUS (BUS_ADRERR) for a page
 * wholly past EOF, code run from a mapping, stores that never reach the
 * file, a file's bytes seen by write(2) and read(2) through an untouched
 * mapping, mprotect / munmap / MAP_FIXED / mremap / madvise of a partly
 * touched mapping, ENODEV for a directory and a pipe.  Compared with
 * qemu-riscv64.
 *
 *   filemap          the checks above, in the current directory
 *   filemap touch N  map a 4 MiB file, touch page N only (rvkvm --stats
 *                    then shows how many pages were read in)
 *   filemap walk N   map an N-page file and read a byte of every page (the
 *                    cost of filling, for docs/linux.md's measurements)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <unistd.h>

#define PG 4096L
#define BIG_PAGES 1024L
#define ODD_SIZE (5 * PG + 123) /* ends inside its sixth page */

static sigjmp_buf back;
static volatile int got_sig, got_code;

static void on_signal(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	got_sig = sig;
	got_code = si->si_code;
	siglongjmp(back, 1);
}

static unsigned char pattern(long i)
{
	return (unsigned char)(i * 131 + (i >> 12) * 7 + 1);
}

static int make_file(const char *name, long size)
{
	int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
	unsigned char *buf = malloc((size_t)size);

	for (long i = 0; i < size; i++)
		buf[i] = pattern(i);
	if (fd < 0 || write(fd, buf, (size_t)size) != size) {
		perror(name);
		exit(1);
	}
	free(buf);
	return fd;
}

/* Read one byte at p: its value, or -signal. */
static int probe(volatile unsigned char *p)
{
	got_sig = 0;
	if (sigsetjmp(back, 1))
		return -got_sig;
	return *p;
}

static int check_bytes(const unsigned char *p, long from, long to)
{
	for (long i = from; i < to; i++)
		if (p[i] != pattern(i))
			return 0;
	return 1;
}

static struct timespec mapped_at; /* when map_big() called mmap */

/*
 * An N-page file, sparse but for the first bytes of each page and all of
 * page `full` (so a run inside an emulated VM does not spend its time
 * writing the file), privately mapped.
 */
static unsigned char *map_big(long pages, long full)
{
	int fd = open("filemap-big.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
	unsigned char buf[PG];

	if (fd < 0 || ftruncate(fd, pages * PG) < 0) {
		perror("filemap-big.dat");
		exit(1);
	}
	for (long i = 0; i < pages; i++) {
		long n = i == full ? PG : 8;

		for (long j = 0; j < n; j++)
			buf[j] = pattern(i * PG + j);
		if (pwrite(fd, buf, (size_t)n, i * PG) != n) {
			perror("filemap-big.dat");
			exit(1);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &mapped_at);
	unsigned char *m = mmap(NULL, pages * PG, PROT_READ, MAP_PRIVATE, fd, 0);

	close(fd);
	unlink("filemap-big.dat");
	if (m == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	return m;
}

static int touch_one(long page)
{
	unsigned char *m = map_big(BIG_PAGES, page);

	printf("page %ld byte %d expected %d\n", page, m[page * PG + 1000],
	       pattern(page * PG + 1000));
	return 0;
}

static int walk(long pages)
{
	unsigned char *m = map_big(pages, -1);
	long sum = 0, want = 0;

	for (long i = 0; i < pages; i++) {
		sum += m[i * PG];
		want += pattern(i * PG);
	}
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	printf("walked %ld pages: %s, %ld us from mmap\n", pages, sum == want ? "right" : "WRONG",
	       (now.tv_sec - mapped_at.tv_sec) * 1000000 +
		   (now.tv_nsec - mapped_at.tv_nsec) / 1000);
	return sum != want;
}

int main(int argc, char **argv)
{
	struct sigaction sa;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 3 && strcmp(argv[1], "touch") == 0)
		return touch_one(atol(argv[2]));
	if (argc == 3 && strcmp(argv[1], "walk") == 0)
		return walk(atol(argv[2]));
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);

	int fd = make_file("filemap-odd.dat", ODD_SIZE);
	/* Eight pages over a file of five and a bit. */
	unsigned char *m = mmap(NULL, 8 * PG, PROT_READ, MAP_PRIVATE, fd, 0);

	printf("mmap: %d\n", m != MAP_FAILED);
	for (long k = 1; k < 6; k++)
		printf("page %ld boundary: %d %d\n", k, m[k * PG - 1] == pattern(k * PG - 1),
		       m[k * PG] == pattern(k * PG));
	printf("whole file: %d\n", check_bytes(m, 0, ODD_SIZE));
	int zero = 1;

	for (long i = ODD_SIZE; i < 6 * PG; i++)
		zero &= m[i] == 0;
	printf("past EOF in the last page reads zero: %d\n", zero);
	int r = probe(m + 6 * PG);

	printf("page past EOF: %d code %d\n", r, r < 0 ? got_code : 0);
	r = probe(m + 7 * PG + 100);
	printf("next page past EOF: %d code %d\n", r, r < 0 ? got_code : 0);

	/* write(2) from pages nobody touched yet. */
	unsigned char *u = mmap(NULL, 8 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	int out = open("filemap-copy.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);

	printf("write from untouched mapping: %zd\n", write(out, u + PG + 10, 3 * PG));
	unsigned char *copy = malloc(3 * PG);

	printf("copied bytes right: %d\n",
	       pread(out, copy, 3 * PG, 0) == 3 * PG && memcmp(copy, u + PG + 10, 3 * PG) == 0);
	printf("write from the tail of the last page: %zd\n", write(out, u + 5 * PG + 200, 10));
	errno = 0;
	printf("write from a page past EOF: %zd errno %d\n", write(out, u + 6 * PG, 10), errno);

	/* read(2) into a writable private mapping not touched yet: the rest keeps the file. */
	unsigned char *w = mmap(NULL, 6 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);

	printf("read into mapping: %zd\n", pread(out, w + 2 * PG + 100, 50, 0));
	printf("around it: %d %d, read bytes: %d\n", check_bytes(w, 0, 2 * PG + 100),
	       check_bytes(w, 2 * PG + 150, ODD_SIZE), memcmp(w + 2 * PG + 100, copy, 50) == 0);
	/* Stores stay private. */
	memset(w, 0xee, PG);
	unsigned char head[16];

	printf("file unchanged after store: %d\n",
	       pread(fd, head, sizeof(head), 0) == sizeof(head) && head[0] == pattern(0));

	/* mprotect and munmap of a partly touched mapping. */
	unsigned char *p = mmap(NULL, 6 * PG, PROT_READ, MAP_PRIVATE, fd, 0);

	printf("touch page 1: %d\n", p[PG + 1] == pattern(PG + 1));
	printf("mprotect pages 0-2 rw: %d\n", mprotect(p, 3 * PG, PROT_READ | PROT_WRITE));
	p[2 * PG + 7] = 0x5a;
	printf("page 2 store: %d, rest of page 2: %d\n", p[2 * PG + 7] == 0x5a,
	       check_bytes(p, 2 * PG + 8, 3 * PG));
	printf("page 0 after mprotect: %d\n", check_bytes(p, 0, PG));
	printf("munmap page 3: %d\n", munmap(p + 3 * PG, PG));
	r = probe(p + 3 * PG);
	printf("unmapped page: %d\n", r);
	printf("page 4 after munmap: %d\n", check_bytes(p, 4 * PG, 5 * PG));
	unsigned char *f = mmap(p + 4 * PG, PG, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	printf("MAP_FIXED anonymous over page 4: %d, reads %d\n", f == p + 4 * PG, p[4 * PG + 3]);
	printf("page 5 still the file: %d\n", check_bytes(p, 5 * PG, ODD_SIZE));

	/* madvise(DONTNEED) reads the file again. */
	printf("madvise: %d\n", madvise(p + 2 * PG, PG, MADV_DONTNEED));
	printf("page 2 after DONTNEED: %d\n", check_bytes(p, 2 * PG, 3 * PG));

	/* mremap: move a partly touched mapping, then grow it. */
	unsigned char *q = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);

	q[10] = 0x77;
	unsigned char *moved = mremap(q, 2 * PG, 4 * PG, MREMAP_MAYMOVE);

	printf("mremap: %d\n", moved != MAP_FAILED);
	printf("moved store kept: %d, untouched page: %d, grown part: %d\n", moved[10] == 0x77,
	       check_bytes(moved, PG, 2 * PG), check_bytes(moved, 2 * PG, 4 * PG));

	/* Code run from a file mapping. */
	static const uint32_t code[] = {0x02a00513, 0x00008067}; /* li a0, 42; ret */
	int cfd = open("filemap-code.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (pwrite(cfd, code, sizeof(code), 3 * PG) != sizeof(code))
		return 1;
	unsigned char *x = mmap(NULL, 5 * PG, PROT_READ | PROT_EXEC, MAP_PRIVATE, cfd, 0);
	int (*fn)(void) = (int (*)(void))(x + 3 * PG);

	printf("code from file: %d\n", fn());
	got_sig = 0;
	if (!sigsetjmp(back, 1)) {
		fn = (int (*)(void))(x + 4 * PG);
		fn();
	}
	printf("code past EOF: signal %d code %d\n", got_sig, got_code);

	/* What has no pages to map. */
	int dfd = open(".", O_RDONLY | O_DIRECTORY), pfd[2];

	errno = 0;
	printf("mmap of a directory: %d errno %d\n",
	       mmap(NULL, PG, PROT_READ, MAP_PRIVATE, dfd, 0) == MAP_FAILED, errno);
	errno = 0;
	printf("mmap of a pipe: %d errno %d\n",
	       pipe(pfd) == 0 && mmap(NULL, PG, PROT_READ, MAP_PRIVATE, pfd[0], 0) == MAP_FAILED,
	       errno);

	close(cfd);
	close(out);
	close(fd);
	unlink("filemap-code.dat");
	unlink("filemap-copy.dat");
	unlink("filemap-odd.dat");
	return 0;
}
