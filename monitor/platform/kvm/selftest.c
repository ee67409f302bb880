/*
 * selftest.c - the SELFTEST payload: the monitor checks its own machinery
 * on whichever boot it is on, one line per check on stdout (through the
 * host-call path, so the ring or COM1 is the first thing checked), and
 * exits 0 only if every check passed.
 */
#include "dbt.h"
#include "mm.h"
#include "platform.h"
#include "rt.h"
#include "x86.h"

#define TEST_GVA 0x40000000ull /* 1 GiB: clear of anything a payload maps */
#define TEST_PAGES 16

static unsigned passed, failed;

static void check(const char *name, int ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void check(const char *name, int ok, const char *fmt, ...)
{
	char line[200], detail[140] = "";
	va_list ap;

	va_start(ap, fmt);
	rt_vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	int n = rt_snprintf(line, sizeof(line), "selftest: %s: %s%s%s\n", name, ok ? "ok" : "FAIL",
			    detail[0] ? " " : "", detail);
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	struct plat_iov iov = { line, (uint64_t)n };
	int64_t arg[6] = { 1 };
	long written = plat_hostcall(HC_WRITE, arg, &iov, 1);
	if (written != n) {
		ok = 0;
		x86_logf("selftest: write to stdout returned %ld for %d bytes\n", written, n);
	}
	if (ok)
		passed++;
	else
		failed++;
}

static void check_ring(void)
{
	long r = plat_hostcall(HC_NOP, NULL, NULL, 0);
	check("hostcall-nop", r == 0, "result %ld", r);
}

static int frame_is_zero(uint64_t pa)
{
	const uint64_t *p = x86_phys_to_virt(pa);

	for (unsigned i = 0; i < X86_PAGE_SIZE / 8; i++)
		if (p[i])
			return 0;
	return 1;
}

static void check_frames(void)
{
	uint64_t before = x86_frames_free();
	uint64_t a = x86_frame_alloc(), b = x86_frame_alloc();
	int ok = a && b && a != b && !(a & 0xfff) && !(b & 0xfff) && frame_is_zero(a) &&
		 frame_is_zero(b) && x86_frames_free() == before - 2;

	if (a)
		*(uint64_t *)x86_phys_to_virt(a) = 0x5a5a5a5a;
	x86_frame_free(a);
	x86_frame_free(b);
	uint64_t again = x86_frame_alloc();
	ok = ok && again == b && frame_is_zero(again) && x86_frames_free() == before - 1;
	x86_frame_free(again);
	check("frames", ok && x86_frames_free() == before,
	      "%llu of %llu frames free, got %#llx %#llx", (unsigned long long)before,
	      (unsigned long long)x86_frames_total(), (unsigned long long)a, (unsigned long long)b);
}

/* The last RAM page through the direct map (above 1 GiB: filled on a #PF). */
static void check_direct_map(void)
{
	uint64_t last = x86_ram_top() - X86_PAGE_SIZE;
	volatile uint64_t *p = x86_phys_to_virt(last);
	uint64_t before = *p;

	*p = before ^ 0x5a5a;
	int ok = *p == (before ^ 0x5a5a) && x86_virt_to_phys((uint64_t)p) == last;
	*p = before;
	check("direct-map", ok, "RAM top %#llx", (unsigned long long)(last + X86_PAGE_SIZE));
}

static void check_guest_fault(void)
{
	volatile uint64_t *p = plat_g2h(TEST_GVA);
	uint64_t before = x86_frames_free();
	int r = plat_mem_map(TEST_GVA, TEST_PAGES * X86_PAGE_SIZE, PLAT_PROT_READ | PLAT_PROT_WRITE);
	int lazy = x86_virt_to_phys(TEST_GVA) == ~0ull;
	uint64_t t0 = plat_clock_monotonic_ns();

	p[0] = 0x1122334455667788ull; /* the #PF: populated by the handler, then retried */
	uint64_t t1 = plat_clock_monotonic_ns();
	int ok = r == 0 && lazy && p[0] == 0x1122334455667788ull && p[1] == 0 &&
		 x86_virt_to_phys(TEST_GVA) != ~0ull &&
		 x86_virt_to_phys(TEST_GVA + (TEST_PAGES - 1) * X86_PAGE_SIZE) != ~0ull;
	int u = plat_mem_unmap(TEST_GVA, TEST_PAGES * X86_PAGE_SIZE);
	ok = ok && u == 0 && x86_virt_to_phys(TEST_GVA) == ~0ull;
	check("guest-page-fault", ok, "map %d, lazy %d, unmap %d, fault+retry %llu ns, frames %lld", r,
	      lazy, u, (unsigned long long)(t1 - t0),
	      (long long)(x86_frames_free() - before));

	uint64_t huge = x86_frames_free() * X86_PAGE_SIZE * 2;
	r = plat_mem_map(TEST_GVA, RT_ALIGN_UP(huge, X86_PAGE_SIZE), PLAT_PROT_READ);
	check("guest-overcommit", r == -12, "map of %llu MiB returned %d",
	      (unsigned long long)(huge >> 20), r);
}

/* mprotect semantics: read-only refuses host writes, PROT_NONE keeps data. */
static void check_guest_protect(void)
{
	volatile uint64_t *p = plat_g2h(TEST_GVA);
	uint64_t len = TEST_PAGES * X86_PAGE_SIZE;
	int rw = PLAT_PROT_READ | PLAT_PROT_WRITE;
	int m = plat_mem_map(TEST_GVA, len, rw);

	p[0] = 42;
	int ro = plat_mem_protect(TEST_GVA, len, PLAT_PROT_READ);
	int host_write = x86_guest_populate(TEST_GVA, 8, DBT_ACCESS_WRITE);
	int host_read = x86_guest_populate(TEST_GVA, 8, DBT_ACCESS_READ);
	int none = plat_mem_protect(TEST_GVA, len, 0);
	int gone = x86_virt_to_phys(TEST_GVA) == ~0ull;
	int back = plat_mem_protect(TEST_GVA, len, rw);
	int kept = p[0] == 42;
	int hole = plat_mem_protect(TEST_GVA, len * 2, rw);
	plat_mem_unmap(TEST_GVA, len);
	check("guest-protect", !m && !ro && host_write == -14 && !host_read && !none && gone && !back && kept &&
				       hole == -12,
	      "map %d, read-only %d (host write %d, read %d), none %d (unmapped %d), back %d (data kept %d), beyond %d",
	      m, ro, host_write, host_read, none, gone, back, kept, hole);
}

/* A stack touched top-down gets its frames in runs going down. */
static void check_guest_stack(void)
{
	uint64_t top = TEST_GVA + 64 * X86_PAGE_SIZE;
	int m = plat_mem_map(TEST_GVA, 64 * X86_PAGE_SIZE, PLAT_PROT_READ | PLAT_PROT_WRITE);

	*(volatile uint8_t *)plat_g2h(top - 1) = 1;
	*(volatile uint8_t *)plat_g2h(top - 1 - 16 * X86_PAGE_SIZE) = 1;
	int below = x86_virt_to_phys(top - 31 * X86_PAGE_SIZE) != ~0ull;
	int not_yet = x86_virt_to_phys(top - 33 * X86_PAGE_SIZE) == ~0ull;
	plat_mem_unmap(TEST_GVA, 64 * X86_PAGE_SIZE);
	check("guest-stack-run", !m && below && not_yet, "map %d, run below the fault %d, stops %d", m,
	      below, not_yet);
}

static void check_heap(void)
{
	char *a = plat_alloc(24), *b = plat_alloc(5000), *c = plat_alloc(24);
	int ok = a && b && c && a != c && !((uintptr_t)a & 15) && !((uintptr_t)b & 15);

	for (int i = 0; ok && i < 5000; i++)
		ok = b[i] == 0;
	if (a)
		memset(a, 0xff, 24);
	plat_free(a);
	char *d = plat_alloc(20);
	ok = ok && d == a && d[0] == 0;
	plat_free(b);
	plat_free(c);
	plat_free(d);
	check("heap", ok, "%p %p %p", (void *)a, (void *)b, (void *)c);
}

static void check_code(void)
{
	extern char _image_start[];
	uint8_t *code = plat_code_alloc(16);
	int64_t distance = code ? (int64_t)((uint64_t)code - (uint64_t)_image_start) : 0;
	int ok = code && distance > 0 && distance < 0x7fffffffll;
	int result = 0;

	if (ok) {
		static const uint8_t mov_eax_42_ret[] = { 0xb8, 42, 0, 0, 0, 0xc3 };
		memcpy(code, mov_eax_42_ret, sizeof(mov_eax_42_ret));
		result = ((int (*)(void))code)();
	}
	check("code-region", ok && result == 42, "at %p (+%#llx from the image), ran: %d",
	      (void *)code, (unsigned long long)distance, result);
}

static void check_clock(void)
{
	uint64_t t0 = plat_clock_monotonic_ns();
	uint64_t spin = 2000;

	__asm__ volatile("1: decq %0; jnz 1b" : "+r"(spin));
	uint64_t t1 = plat_clock_monotonic_ns();
	uint64_t rt = plat_clock_realtime_ns();
	/* Realtime is known only where the loader told us (kvm boot). */
	int rt_ok = rt == t1 || rt > 1600000000ull * 1000000000ull;
	check("clock", t1 > t0 && t1 - t0 < 10000000000ull && rt_ok,
	      "2000-iteration spin took %llu ns, realtime %llu s", (unsigned long long)(t1 - t0),
	      (unsigned long long)(rt / 1000000000ull));
}

static void check_random(void)
{
	uint64_t a[2] = { 0 }, b[2] = { 0 };

	plat_random(a, sizeof(a));
	plat_random(b, sizeof(b));
	check("random", (a[0] | a[1]) && (a[0] != b[0] || a[1] != b[1]), "%#llx %#llx",
	      (unsigned long long)a[0], (unsigned long long)b[0]);
}

_Noreturn void x86_payload_selftest(void)
{
	uint64_t t0 = plat_clock_monotonic_ns();

	check_ring();
	check_frames();
	check_direct_map();
	check_guest_fault();
	check_guest_protect();
	check_guest_stack();
	check_heap();
	check_code();
	check_clock();
	check_random();
	check("summary", failed == 0, "%u passed, %u failed, %llu us", passed, failed,
	      (unsigned long long)((plat_clock_monotonic_ns() - t0) / 1000));
	plat_exit(failed ? 1 : 0);
}
