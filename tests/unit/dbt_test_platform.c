/*
 * dbt_test_platform.c - a test-only implementation of platform.h (and of
 * the personality's dbt_guest_page_prot) for the translator harness: guest
 * memory is a PROT_NONE reservation of GUEST_VA_LIMIT plus a guard, faults
 * arrive as SIGSEGV and go through dbt_fault() like on the proc platform.
 */
#include "dbt_test.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "dbt.h"
#include "platform.h"

#define GUARD_SIZE (1u << 20)
#define MAX_PAGES 4096
/* x86 #PF error code bit 1: the access was a write (SDM vol. 3, 4.7). */
#define PF_ERR_WRITE 2

uintptr_t plat_guest_base;
/* Hosted like proc: the inline F/D paths run here too. */
int plat_has_sse = 1;

/* Guest protection of the pages the harness mapped; index = page number order of mapping. */
static struct {
	uint64_t page;
	int prot;
} pages[MAX_PAGES];
static unsigned page_count;

static int host_prot(int prot)
{
	int p = 0;
	if (prot & (PLAT_PROT_READ | PLAT_PROT_EXEC))
		p |= PROT_READ;
	if (prot & PLAT_PROT_WRITE)
		p |= PROT_WRITE;
	return p;
}

static int *page_slot(uint64_t page, int create)
{
	for (unsigned k = 0; k < page_count; k++)
		if (pages[k].page == page)
			return &pages[k].prot;
	if (!create || page_count == MAX_PAGES)
		return NULL;
	pages[page_count].page = page;
	return &pages[page_count++].prot;
}

int dbt_guest_page_prot(uint64_t gva)
{
	int *slot = page_slot(gva & ~(GUEST_PAGE_SIZE - 1), 0);
	return slot ? *slot : -1;
}

/* The harness observes nothing: tracing and profiling are the personality's. */
void dbt_observe_translate(uint64_t guest_pc, uint64_t guest_end, const void *host,
			   uint32_t host_size)
{
	(void)guest_pc;
	(void)guest_end;
	(void)host;
	(void)host_size;
}

void dbt_observe_exec(const struct dbt_cpu *cpu)
{
	(void)cpu;
}

/*
 * With DBT_MODE_ECALL_EXIT off, ecall calls this from its block: the
 * harness's handler (test_ecall_handler) plays the personality.
 */
void (*test_ecall_handler)(struct dbt_cpu *cpu);

void dbt_guest_ecall(struct dbt_cpu *cpu)
{
	if (test_ecall_handler)
		test_ecall_handler(cpu);
	else
		cpu->pc += 4;
}

/* The harness maps every page up front: nothing is ever filled late. */
int dbt_guest_page_fill(uint64_t gva, int access)
{
	(void)gva;
	(void)access;
	return 0;
}

int test_set_prot(uint64_t gva, uint64_t len, int prot)
{
	for (uint64_t a = gva; a < gva + len; a += GUEST_PAGE_SIZE) {
		int *slot = page_slot(a, 1);
		if (!slot)
			return -ENOMEM;
		*slot = prot;
	}
	return plat_mem_protect(gva, len, prot);
}

int plat_mem_map(uint64_t gva, uint64_t len, int prot)
{
	void *want = plat_g2h(gva);
	if (mmap(want, len, host_prot(prot), MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) !=
	    want)
		return -errno;
	for (uint64_t a = gva; a < gva + len; a += GUEST_PAGE_SIZE) {
		int *slot = page_slot(a, 1);
		if (!slot)
			return -ENOMEM;
		*slot = prot;
	}
	return 0;
}

int plat_mem_protect(uint64_t gva, uint64_t len, int prot)
{
	return mprotect(plat_g2h(gva), len, host_prot(prot)) ? -errno : 0;
}

int plat_mem_unmap(uint64_t gva, uint64_t len)
{
	void *at = plat_g2h(gva);
	if (mmap(at, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1,
		 0) != at)
		return -errno;
	for (unsigned k = 0; k < page_count;) {
		if (pages[k].page >= gva && pages[k].page < gva + len)
			pages[k] = pages[--page_count];
		else
			k++;
	}
	return 0;
}

long plat_hostcall(uint32_t op, const int64_t arg[6], const struct plat_iov *buf, unsigned nbuf)
{
	return -ENOSYS;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t plat_clock_monotonic_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

uint64_t plat_clock_realtime_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

void plat_random(void *buf, size_t len)
{
	memset(buf, 0x5a, len);
}

void *plat_alloc(size_t size)
{
	return calloc(1, size);
}

void plat_free(void *ptr)
{
	free(ptr);
}

/* Near the harness's own code, so blocks reach the trampolines with rel32. */
void *plat_code_alloc(size_t size)
{
	uintptr_t hint = ((uintptr_t)&dbt_run & ~(uintptr_t)0xfffff) + (256u << 20);
	void *p = mmap((void *)hint, size, PROT_READ | PROT_WRITE | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void plat_log(const char *text, size_t len)
{
	fwrite(text, 1, len, stderr);
}

void plat_exit(int status)
{
	exit(status);
}

void plat_panic(const char *why)
{
	fprintf(stderr, "panic: %s\n", why);
	abort();
}

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	uint64_t rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
	uint64_t gva = (uint64_t)((uintptr_t)si->si_addr - plat_guest_base);
	int access =
	    (uc->uc_mcontext.gregs[REG_ERR] & PF_ERR_WRITE) ? DBT_ACCESS_WRITE : DBT_ACCESS_READ;
	const greg_t *g = uc->uc_mcontext.gregs;
	const uint64_t gpr[DBT_GPRS] = {
	    g[REG_RAX], g[REG_RCX], g[REG_RDX], g[REG_RBX], g[REG_RSP], g[REG_RBP],
	    g[REG_RSI], g[REG_RDI], g[REG_R8],	g[REG_R9],  g[REG_R10], g[REG_R11],
	    g[REG_R12], g[REG_R13], g[REG_R14], g[REG_R15],
	};
	uint64_t xmm[16];
	for (int i = 0; i < 16; i++)
		xmm[i] = (uint64_t)uc->uc_mcontext.fpregs->_xmm[i].element[1] << 32 |
			 uc->uc_mcontext.fpregs->_xmm[i].element[0];
	switch (dbt_fault(rip, gva, access, gpr, xmm)) {
	case DBT_FAULT_RETRY:
		return;
	case DBT_FAULT_UNWIND:
		uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)dbt_fault_exit;
		return;
	default: {
		static const char msg[] = "harness: fault outside translated code\n";
		write(2, msg, sizeof(msg) - 1);
		signal(sig, SIG_DFL);
		return;
	}
	}
}

int test_platform_init(void)
{
	void *base = mmap(NULL, GUEST_VA_LIMIT + GUARD_SIZE, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return -errno;
	plat_guest_base = (uintptr_t)base;
	struct sigaction sa = {0};
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL) || sigaction(SIGBUS, &sa, NULL))
		return -errno;
	return 0;
}

void test_platform_reset(void)
{
	plat_mem_unmap(0, GUEST_VA_LIMIT);
	page_count = 0;
}

uint64_t test_routine_pc;
dbt_routine_fn *test_routine_run;

dbt_routine_fn *dbt_guest_routine(uint64_t pc)
{
	return pc == test_routine_pc ? test_routine_run : NULL;
}
