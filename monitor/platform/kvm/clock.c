/*
 * clock.c - the monotonic clock (TSC scaled by a calibrated rate), the
 * realtime clock (the boot's realtime base plus monotonic time), PIT
 * calibration for boots without a launcher, and plat_random.
 *
 * On emulated KVM rdtsc costs ~0.7 us (DESIGN.md section 2), so the TSC is
 * read only when someone asks for the time, never to poll.
 */
#include "platform.h"
#include "rt.h"
#include "x86.h"

/* Set once by x86_clock_init / x86_clock_set_realtime. */
static uint64_t tsc_at_zero;
static uint64_t ns_per_tsc_q32; /* nanoseconds per TSC tick, 32.32 fixed point */
static uint64_t realtime_at_zero;

void x86_clock_init(uint64_t tsc_khz)
{
	if (!tsc_khz)
		x86_crash(NULL, "no TSC rate to run the clock on");
	ns_per_tsc_q32 = (1000000ull << 32) / tsc_khz;
	tsc_at_zero = x86_rdtsc();
}

void x86_clock_set_realtime(uint64_t realtime_ns_at_zero)
{
	realtime_at_zero = realtime_ns_at_zero;
}

uint64_t plat_clock_monotonic_ns(void)
{
	uint64_t ticks = x86_rdtsc() - tsc_at_zero;

	return (uint64_t)(((unsigned __int128)ticks * ns_per_tsc_q32) >> 32);
}

uint64_t plat_clock_realtime_ns(void)
{
	return realtime_at_zero + plat_clock_monotonic_ns();
}

/*
 * PIT channel 2 as a one-shot of PIT_TICKS at 1.193182 MHz, gated through
 * port 0x61 bit 0 and polled on bit 5 (OUT2): the classic calibration that
 * works under every PC-compatible hypervisor.
 */
#define PIT_HZ 1193182ull
#define PIT_TICKS 11932u /* 10 ms */
/* Far beyond 10 ms at any TSC rate: a machine without a PIT must not hang. */
#define PIT_GIVE_UP_TSC (1ull << 34)
/* Used only when neither the PIT nor CPUID leaf 0x16 gives the rate. */
#define TSC_KHZ_GUESS 2000000ull

/* CPUID 0x16 EAX: the processor's base frequency in MHz, 0 if not reported. */
static uint64_t cpuid_base_khz(void)
{
	uint32_t eax, ebx, ecx, edx;

	__asm__ volatile("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(0));
	if (eax < 0x16)
		return 0;
	__asm__ volatile("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(0x16), "c"(0));
	return (uint64_t)(eax & 0xffff) * 1000;
}

uint64_t x86_pit_tsc_khz(void)
{
	uint8_t gate = x86_inb(0x61);

	x86_outb(0x61, (gate & ~0x02) | 0x01); /* speaker off, gate on */
	x86_outb(0x43, 0xb0);                  /* channel 2, lobyte/hibyte, mode 0 */
	x86_outb(0x42, PIT_TICKS & 0xff);
	x86_outb(0x42, PIT_TICKS >> 8);
	uint64_t t0 = x86_rdtsc(), t1 = t0;
	while (!(x86_inb(0x61) & 0x20) && (t1 = x86_rdtsc()) - t0 < PIT_GIVE_UP_TSC)
		;
	t1 = x86_rdtsc();
	x86_outb(0x61, gate);
	if (t1 - t0 < PIT_GIVE_UP_TSC)
		return (t1 - t0) * PIT_HZ / PIT_TICKS / 1000;
	uint64_t khz = cpuid_base_khz();
	return khz ? khz : TSC_KHZ_GUESS;
}

/* xoshiro256** (Blackman and Vigna), seeded through splitmix64. */
static uint64_t rng[4]; /* owned here; one CPU */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t next(void)
{
	uint64_t result = rotl(rng[1] * 5, 7) * 9, t = rng[1] << 17;

	rng[2] ^= rng[0];
	rng[3] ^= rng[1];
	rng[1] ^= rng[2];
	rng[0] ^= rng[3];
	rng[2] ^= t;
	rng[3] = rotl(rng[3], 45);
	return result;
}

void x86_random_seed(const uint64_t seed[2])
{
	uint64_t x = seed[0];

	rng[0] = splitmix64(&x);
	rng[1] = splitmix64(&x);
	x ^= seed[1];
	rng[2] = splitmix64(&x);
	rng[3] = splitmix64(&x);
}

void plat_random(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		uint64_t v = next();
		size_t n = len < 8 ? len : 8;
		memcpy(p, &v, n);
		p += n;
		len -= n;
	}
}
