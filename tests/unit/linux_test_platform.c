/*
 * linux_test_platform.c - a stand-in platform and translator for the unit
 * test of the Linux personality (linux_test.c).  Guest memory is a reserved
 * region of this process, as on the proc platform; host calls are the few
 * the loader and the tested calls make; plat_exit() returns to the test
 * through a longjmp; the translator hooks only record what they were told.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "linux_test.h"

uintptr_t plat_guest_base;
struct dbt_stats dbt_stats;

struct fake_state fake;

static int host_prot(int prot)
{
	return (prot & PLAT_PROT_READ ? PROT_READ : 0) | (prot & PLAT_PROT_WRITE ? PROT_WRITE : 0) |
	       (prot & PLAT_PROT_EXEC ? PROT_EXEC : 0);
}

int fake_init(void)
{
	void *base = mmap(NULL, GUEST_VA_LIMIT, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (base == MAP_FAILED)
		return -1;
	plat_guest_base = (uintptr_t)base;
	return 0;
}

void fake_reset(void)
{
	munmap((void *)plat_guest_base, GUEST_VA_LIMIT);
	mmap((void *)plat_guest_base, GUEST_VA_LIMIT, PROT_NONE,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
	memset(&fake, 0, sizeof(fake));
}

/* The protection the platform was last given for gva, -1 unmapped or never mapped. */
int fake_host_prot(uint64_t gva)
{
	for (int i = fake.nprot - 1; i >= 0; i--)
		if (gva >= fake.prot[i].start && gva < fake.prot[i].end)
			return fake.prot[i].prot;
	return -1;
}

static void record(uint64_t gva, uint64_t len, int prot)
{
	if (fake.nprot < FAKE_MAX_PROT)
		fake.prot[fake.nprot++] = (struct fake_range){gva, gva + len, prot};
}

int plat_mem_map(uint64_t gva, uint64_t len, int prot)
{
	if (fake.fail_map)
		return -ENOMEM;
	if (mmap(plat_g2h(gva), len, host_prot(prot), MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
		 0) == MAP_FAILED)
		return -errno;
	fake.maps++;
	record(gva, len, prot);
	return 0;
}

int plat_mem_protect(uint64_t gva, uint64_t len, int prot)
{
	if (mprotect(plat_g2h(gva), len, host_prot(prot)) < 0)
		return -errno;
	record(gva, len, prot);
	return 0;
}

int plat_mem_unmap(uint64_t gva, uint64_t len)
{
	if (mmap(plat_g2h(gva), len, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0) == MAP_FAILED)
		return -errno;
	record(gva, len, -1);
	return 0;
}

int plat_mem_huge_pages(uint64_t gva, uint64_t len, int how)
{
	fake.huge = (struct fake_range){gva, gva + len, how};
	return 0;
}

static void to_rvkvm_stat(const struct stat *st, struct rvkvm_stat *out)
{
	memset(out, 0, sizeof(*out));
	out->st_dev = st->st_dev;
	out->st_ino = st->st_ino;
	out->st_mode = st->st_mode;
	out->st_size = st->st_size;
}

long plat_hostcall(uint32_t op, const int64_t arg[6], const struct plat_iov *buf, unsigned nbuf)
{
	struct stat st;
	long r;

	fake.hostcalls++;
	switch (op) {
	case HC_PREAD:
		r = pread((int)arg[0], buf[0].base, buf[0].len, arg[1]);
		break;
	case HC_PWRITE:
		r = pwrite((int)arg[0], buf[0].base, buf[0].len, arg[1]);
		break;
	case HC_READ:
		r = read((int)arg[0], buf[0].base, buf[0].len);
		break;
	case HC_WRITE:
		r = write((int)arg[0], buf[0].base, buf[0].len);
		break;
	case HC_FSTAT:
		r = fstat((int)arg[0], &st);
		if (r == 0)
			to_rvkvm_stat(&st, buf[0].base);
		break;
	case HC_FCNTL:
		r = fcntl((int)arg[0], (int)arg[1], (long)arg[2]);
		break;
	case HC_OPENAT:
		r = openat((int)arg[0], buf[0].base, (int)arg[2], (mode_t)arg[3]);
		break;
	case HC_FACCESSAT:
		r = faccessat((int)arg[0], buf[0].base, (int)arg[2], (int)arg[3]);
		break;
	case HC_CLOSE:
		r = close((int)arg[0]);
		break;
	default:
		return -ENOSYS;
	}
	return r < 0 ? -errno : r;
}

uint64_t plat_clock_monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t plat_clock_realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t plat_page_faults(void)
{
	return 0;
}

void plat_random(void *buf, size_t len)
{
	memset(buf, 0xa5, len);
}

void *plat_alloc(size_t size)
{
	void *p = aligned_alloc(16, (size + 15) & ~(size_t)15);

	if (p)
		memset(p, 0, size);
	return p;
}

void plat_free(void *ptr)
{
	free(ptr);
}

void *plat_code_alloc(size_t size)
{
	return NULL;
}

void plat_log(const char *text, size_t len)
{
	if (fake.log_len + len < sizeof(fake.log)) {
		memcpy(fake.log + fake.log_len, text, len);
		fake.log_len += len;
		fake.log[fake.log_len] = 0;
	}
}

void plat_exit(int status)
{
	fake.exit_status = status;
	longjmp(fake.exit_jump, 1);
}

void plat_panic(const char *why)
{
	fprintf(stderr, "panic: %s\n", why);
	abort();
}

int dbt_init(void)
{
	return 0;
}

int dbt_run(struct dbt_cpu *cpu)
{
	return fake.dbt_run ? fake.dbt_run(cpu) : DBT_EXIT_ILLEGAL;
}

int dbt_prepare_write(uint64_t gva, uint64_t len)
{
	fake.prepare_writes++;
	return 0;
}

void dbt_flush(void)
{
}

void dbt_invalidate_range(uint64_t gva, uint64_t len)
{
	fake.invalidations++;
}

/* -d exec and -g change the translator's mode; nothing is translated here. */
unsigned dbt_mode;

void dbt_set_mode(unsigned mode)
{
	dbt_mode = mode;
}

/* --profile's tick (profile.c): no translated code here, so no pc at any rip. */
struct dbt_cpu *dbt_current_cpu;

uint64_t dbt_guest_pc_at(uint64_t host_rip)
{
	return 0;
}
