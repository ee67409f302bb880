/*
 * sys_time.c - clocks and sleeping, served from the platform's clocks with
 * no host call.  CPU-time clocks count wall time since the program started:
 * the guest has the CPU to itself while it runs.
 */
#include "lx.h"

static int clock_now(int64_t clock, uint64_t *ns)
{
	switch (clock) {
	case LX_CLOCK_REALTIME:
	case LX_CLOCK_REALTIME_COARSE:
	case LX_CLOCK_REALTIME_ALARM:
	case LX_CLOCK_TAI:
		*ns = plat_clock_realtime_ns();
		return 0;
	case LX_CLOCK_MONOTONIC:
	case LX_CLOCK_MONOTONIC_RAW:
	case LX_CLOCK_MONOTONIC_COARSE:
	case LX_CLOCK_BOOTTIME:
	case LX_CLOCK_BOOTTIME_ALARM:
		*ns = plat_clock_monotonic_ns();
		return 0;
	case LX_CLOCK_PROCESS_CPUTIME_ID:
	case LX_CLOCK_THREAD_CPUTIME_ID:
		*ns = plat_clock_monotonic_ns() - lx_proc.boot_ns;
		return 0;
	default:
		return -LX_EINVAL;
	}
}

static struct lx_timespec to_timespec(uint64_t ns)
{
	return (struct lx_timespec){(int64_t)(ns / LX_NSEC_PER_SEC),
				    (int64_t)(ns % LX_NSEC_PER_SEC)};
}

long lx_sys_clock_gettime(const uint64_t a[6])
{
	uint64_t ns;
	int r = clock_now((int32_t)a[0], &ns);
	struct lx_timespec ts = to_timespec(ns);

	return r ? r : lx_copy_out(a[1], &ts, sizeof(ts));
}

long lx_sys_clock_getres(const uint64_t a[6])
{
	uint64_t ns;
	int32_t clock = (int32_t)a[0];
	int r = clock_now(clock, &ns);
	int coarse = clock == LX_CLOCK_REALTIME_COARSE || clock == LX_CLOCK_MONOTONIC_COARSE;
	struct lx_timespec res = {0, coarse ? LX_COARSE_RES_NS : 1};

	if (r)
		return r;
	return a[1] ? lx_copy_out(a[1], &res, sizeof(res)) : 0;
}

long lx_sys_gettimeofday(const uint64_t a[6])
{
	uint64_t ns = plat_clock_realtime_ns();
	struct lx_timeval tv = {(int64_t)(ns / LX_NSEC_PER_SEC),
				(int64_t)(ns % LX_NSEC_PER_SEC / 1000)};
	const int32_t tz[2] = {0, 0}; /* UTC, no DST: the kernel's sys_tz default */

	if (a[0] && lx_copy_out(a[0], &tv, sizeof(tv)))
		return -LX_EFAULT;
	if (a[1] && lx_copy_out(a[1], tz, sizeof(tz)))
		return -LX_EFAULT;
	return 0;
}

long lx_sys_times(const uint64_t a[6])
{
	uint64_t now = plat_clock_monotonic_ns();
	const uint64_t ns_per_tick = LX_NSEC_PER_SEC / LX_USER_HZ;
	struct lx_tms tms = {(int64_t)((now - lx_proc.boot_ns) / ns_per_tick), 0, 0, 0};

	if (a[0] && lx_copy_out(a[0], &tms, sizeof(tms)))
		return -LX_EFAULT;
	return (long)(now / ns_per_tick);
}

/*
 * Sleep by watching the clock: the platform interface has no blocking wait,
 * and a sleeping guest has nothing else to run.  A host signal ends the
 * sleep early with -EINTR, as it ends a sleeping Linux task's.
 */
int lx_sleep_until(const struct lx_timespec *ts, int absolute, int clock)
{
	uint64_t now, deadline;
	uint64_t span = (uint64_t)ts->tv_sec * LX_NSEC_PER_SEC + (uint64_t)ts->tv_nsec;

	if (clock_now(clock, &now))
		return 0;
	deadline = absolute ? span : now + span;
	while (now < deadline && !clock_now(clock, &now))
		if (lx_signal_host_waiting())
			return -LX_EINTR;
	return 0;
}

static long sleep_call(int clock, int flags, uint64_t req_gva)
{
	struct lx_timespec ts;

	if (lx_copy_in(&ts, req_gva, sizeof(ts)))
		return -LX_EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || (uint64_t)ts.tv_nsec >= LX_NSEC_PER_SEC)
		return -LX_EINVAL;
	return lx_sleep_until(&ts, flags & LX_TIMER_ABSTIME, clock);
}

long lx_sys_nanosleep(const uint64_t a[6])
{
	return sleep_call(LX_CLOCK_MONOTONIC, 0, a[0]);
}

long lx_sys_clock_nanosleep(const uint64_t a[6])
{
	int32_t clock = (int32_t)a[0];

	switch (clock) {
	case LX_CLOCK_REALTIME:
	case LX_CLOCK_MONOTONIC:
	case LX_CLOCK_BOOTTIME:
	case LX_CLOCK_TAI:
	case LX_CLOCK_PROCESS_CPUTIME_ID:
		return sleep_call(clock, (int)a[1], a[2]);
	case LX_CLOCK_THREAD_CPUTIME_ID:
		return -LX_EINVAL;
	default:
		return -LX_EOPNOTSUPP;
	}
}
