/*
 * sys_proc.c - calls about the process itself, served in the monitor:
 * identity, resource limits, uname, randomness, CPU affinity, sysinfo and
 * futexes.  The guest is one process with one thread.
 */
#include "lx.h"

long lx_sys_exit(const uint64_t a[6])
{
	/* Guest writes went to the host synchronously: nothing to flush. */
	lx_exit((int)(a[0] & 0xff));
}

long lx_sys_getpid(const uint64_t a[6])
{
	return lx_proc.start->pid;
}

long lx_sys_getppid(const uint64_t a[6])
{
	return lx_proc.start->ppid;
}

long lx_sys_getuid(const uint64_t a[6])
{
	return lx_proc.start->uid;
}

long lx_sys_geteuid(const uint64_t a[6])
{
	return lx_proc.start->euid;
}

long lx_sys_getgid(const uint64_t a[6])
{
	return lx_proc.start->gid;
}

long lx_sys_getegid(const uint64_t a[6])
{
	return lx_proc.start->egid;
}

/* The only thread never exits alone, so the clear-child-tid address is never used. */
long lx_sys_set_tid_address(const uint64_t a[6])
{
	return lx_proc.start->pid;
}

long lx_sys_zero(const uint64_t a[6])
{
	return 0;
}

/*
 * The thread name PR_SET_NAME/PR_GET_NAME keep, the program's base name at
 * first.  Owned by the single guest thread.
 */
#define TASK_COMM_LEN 16
static char comm[TASK_COMM_LEN];
static int comm_known;

static void init_comm(void)
{
	const char *name = lx_proc.start->execfn;

	for (const char *p = name; *p; p++)
		if (*p == '/' && p[1])
			name = p + 1;
	memset(comm, 0, sizeof(comm));
	memcpy(comm, name, strnlen(name, TASK_COMM_LEN - 1));
}

long lx_sys_prctl(const uint64_t a[6])
{
	if (!comm_known) {
		init_comm();
		comm_known = 1;
	}
	switch (a[0]) {
	case LX_PR_SET_NAME: {
		char name[TASK_COMM_LEN];
		size_t n = 0;

		/* strncpy_from_user of at most 15 bytes, always terminated. */
		for (; n < TASK_COMM_LEN - 1; n++) {
			if (lx_copy_in(&name[n], a[1] + n, 1))
				return -LX_EFAULT;
			if (!name[n])
				break;
		}
		name[n] = 0;
		memset(comm, 0, sizeof(comm));
		memcpy(comm, name, n);
		return 0;
	}
	case LX_PR_GET_NAME:
		return lx_copy_out(a[1], comm, sizeof(comm));
	default:
		return -LX_EINVAL;
	}
}

long lx_sys_getrusage(const uint64_t a[6])
{
	int64_t who = (int32_t)a[0];
	uint64_t ns = plat_clock_monotonic_ns() - lx_proc.boot_ns;
	int64_t ru[18] = {0}; /* struct rusage: two timevals, then fourteen longs */

	if (who != LX_RUSAGE_SELF && who != LX_RUSAGE_CHILDREN && who != LX_RUSAGE_THREAD)
		return -LX_EINVAL;
	if (who != LX_RUSAGE_CHILDREN) {
		ru[0] = (int64_t)(ns / LX_NSEC_PER_SEC);
		ru[1] = (int64_t)(ns % LX_NSEC_PER_SEC / 1000);
		ru[4] = (int64_t)(lx_mm.committed >> 10); /* ru_maxrss in KiB: an upper bound */
	}
	return lx_copy_out(a[1], ru, sizeof(ru));
}

/* Defaults of a Debian login shell; the stack limit is the one asked for. */
void lx_limits_init(uint64_t stack_size)
{
	for (int i = 0; i < LX_RLIM_NLIMITS; i++)
		lx_proc.rlim[i] = (struct lx_rlimit){LX_RLIM_INFINITY, LX_RLIM_INFINITY};
	lx_proc.rlim[LX_RLIMIT_STACK].cur = stack_size;
	lx_proc.rlim[LX_RLIMIT_CORE].cur = 0;
	lx_proc.rlim[LX_RLIMIT_NPROC] = (struct lx_rlimit){63423, 63423};
	lx_proc.rlim[LX_RLIMIT_NOFILE] = (struct lx_rlimit){1024, 524288};
	lx_proc.rlim[LX_RLIMIT_MEMLOCK] = (struct lx_rlimit){8ull << 20, 8ull << 20};
	lx_proc.rlim[LX_RLIMIT_SIGPENDING] = (struct lx_rlimit){63423, 63423};
	lx_proc.rlim[LX_RLIMIT_MSGQUEUE] = (struct lx_rlimit){819200, 819200};
	lx_proc.rlim[LX_RLIMIT_NICE] = (struct lx_rlimit){0, 0};
	lx_proc.rlim[LX_RLIMIT_RTPRIO] = (struct lx_rlimit){0, 0};
}

static long rlimit(uint64_t resource, uint64_t new_gva, uint64_t old_gva)
{
	struct lx_rlimit nl;

	if (resource >= LX_RLIM_NLIMITS)
		return -LX_EINVAL;
	if (new_gva) {
		if (lx_copy_in(&nl, new_gva, sizeof(nl)))
			return -LX_EFAULT;
		if (nl.cur > nl.max)
			return -LX_EINVAL;
		if (nl.max > lx_proc.rlim[resource].max && lx_proc.start->euid != 0)
			return -LX_EPERM;
	}
	if (old_gva && lx_copy_out(old_gva, &lx_proc.rlim[resource], sizeof(nl)))
		return -LX_EFAULT;
	if (new_gva)
		lx_proc.rlim[resource] = nl;
	return 0;
}

long lx_sys_prlimit64(const uint64_t a[6])
{
	if ((int32_t)a[0] != 0 && (uint32_t)a[0] != lx_proc.start->pid)
		return -LX_ESRCH;
	return rlimit((uint32_t)a[1], a[2], a[3]);
}

long lx_sys_getrlimit(const uint64_t a[6])
{
	return rlimit((uint32_t)a[0], 0, a[1]);
}

long lx_sys_setrlimit(const uint64_t a[6])
{
	return rlimit((uint32_t)a[0], a[1], 0);
}

long lx_sys_uname(const uint64_t a[6])
{
	static const struct lx_utsname uts = {
	    .sysname = "Linux",
	    .nodename = "rvkvm",
	    .release = "6.1.0",
	    .version = "#1 SMP rvkvm",
	    .machine = "riscv64",
	    .domainname = "(none)",
	};

	return lx_copy_out(a[0], &uts, sizeof(uts));
}

long lx_sys_getrandom(const uint64_t a[6])
{
	uint64_t len = a[1] > LX_MAX_RW_COUNT ? LX_MAX_RW_COUNT : a[1];
	uint32_t flags = (uint32_t)a[2];
	struct plat_iov iov;
	long r;

	if (flags & ~(uint32_t)(LX_GRND_NONBLOCK | LX_GRND_RANDOM | LX_GRND_INSECURE))
		return -LX_EINVAL;
	if ((flags & LX_GRND_INSECURE) && (flags & LX_GRND_RANDOM))
		return -LX_EINVAL;
	r = lx_user_buf(a[0], len, 1, &iov);
	if (r)
		return r;
	plat_random(iov.base, len);
	return (long)len;
}

static int is_self(uint64_t pid)
{
	return (int32_t)pid == 0 || (uint32_t)pid == lx_proc.start->pid;
}

long lx_sys_sched_getaffinity(const uint64_t a[6])
{
	uint64_t mask = 1; /* one CPU */

	if (!is_self(a[0]))
		return -LX_ESRCH;
	if (a[1] < sizeof(mask) || (a[1] & (sizeof(mask) - 1)))
		return -LX_EINVAL;
	if (lx_copy_out(a[2], &mask, sizeof(mask)))
		return -LX_EFAULT;
	return sizeof(mask);
}

long lx_sys_getcpu(const uint64_t a[6])
{
	uint32_t zero = 0;

	if (a[0] && lx_copy_out(a[0], &zero, sizeof(zero)))
		return -LX_EFAULT;
	if (a[1] && lx_copy_out(a[1], &zero, sizeof(zero)))
		return -LX_EFAULT;
	return 0;
}

long lx_sys_sysinfo(const uint64_t a[6])
{
	struct lx_sysinfo si;
	uint64_t total = lx_mm.limit != ~0ull ? lx_mm.limit : 1ull << 30;

	memset(&si, 0, sizeof(si));
	si.uptime = (int64_t)((plat_clock_monotonic_ns() - lx_proc.boot_ns) / LX_NSEC_PER_SEC);
	si.totalram = total;
	si.freeram = total > lx_mm.committed ? total - lx_mm.committed : 0;
	si.procs = 1;
	si.mem_unit = 1;
	return lx_copy_out(a[0], &si, sizeof(si));
}

/* FUTEX_WAKE_OP's operation on *uaddr2 (uapi/linux/futex.h FUTEX_OP()). */
static long futex_wake_op(uint64_t uaddr2, uint32_t encoded)
{
	uint32_t old, val;
	unsigned op = (encoded >> 28) & 7;
	uint32_t oparg = (uint32_t)((int32_t)(encoded << 8) >> 20);

	if ((encoded >> 31) & 1)
		oparg = 1u << (oparg & 31);
	if (uaddr2 & 3)
		return -LX_EINVAL;
	if (lx_copy_in(&old, uaddr2, sizeof(old)))
		return -LX_EFAULT;
	switch (op) {
	case 0:
		val = oparg;
		break;
	case 1:
		val = old + oparg;
		break;
	case 2:
		val = old | oparg;
		break;
	case 3:
		val = old & ~oparg;
		break;
	case 4:
		val = old ^ oparg;
		break;
	default:
		return -LX_ENOSYS;
	}
	return lx_copy_out(uaddr2, &val, sizeof(val)) ? -LX_EFAULT : 0;
}

/*
 * One thread: nobody else can wake a waiter, so a wait whose value matches
 * runs out its timeout (or returns at once without one) with -ETIMEDOUT,
 * and a wake finds no waiter.
 */
long lx_sys_futex(const uint64_t a[6])
{
	uint64_t uaddr = a[0];
	int op = (int)a[1];
	int cmd = op & ~(LX_FUTEX_PRIVATE_FLAG | LX_FUTEX_CLOCK_REALTIME);
	uint32_t cur;
	struct lx_timespec ts;

	if ((op & LX_FUTEX_CLOCK_REALTIME) && cmd != LX_FUTEX_WAIT && cmd != LX_FUTEX_WAIT_BITSET)
		return -LX_ENOSYS;
	switch (cmd) {
	case LX_FUTEX_WAIT:
	case LX_FUTEX_WAIT_BITSET:
		if (cmd == LX_FUTEX_WAIT_BITSET && (uint32_t)a[5] == 0)
			return -LX_EINVAL;
		if (uaddr & 3)
			return -LX_EINVAL;
		if (lx_copy_in(&cur, uaddr, sizeof(cur)))
			return -LX_EFAULT;
		if (cur != (uint32_t)a[2])
			return -LX_EAGAIN;
		if (a[3]) {
			if (lx_copy_in(&ts, a[3], sizeof(ts)))
				return -LX_EFAULT;
			if (ts.tv_sec < 0 || ts.tv_nsec < 0 ||
			    (uint64_t)ts.tv_nsec >= LX_NSEC_PER_SEC)
				return -LX_EINVAL;
			/* FUTEX_WAIT times out relatively, FUTEX_WAIT_BITSET at an absolute time.
			 */
			lx_sleep_until(&ts, cmd == LX_FUTEX_WAIT_BITSET,
				       (op & LX_FUTEX_CLOCK_REALTIME) ? LX_CLOCK_REALTIME
								      : LX_CLOCK_MONOTONIC);
		}
		return -LX_ETIMEDOUT;
	case LX_FUTEX_WAKE:
	case LX_FUTEX_WAKE_BITSET:
		if (cmd == LX_FUTEX_WAKE_BITSET && (uint32_t)a[5] == 0)
			return -LX_EINVAL;
		return 0;
	case LX_FUTEX_REQUEUE:
		return 0;
	case LX_FUTEX_CMP_REQUEUE:
		if (lx_copy_in(&cur, uaddr, sizeof(cur)))
			return -LX_EFAULT;
		return cur == (uint32_t)a[5] ? 0 : -LX_EAGAIN;
	case LX_FUTEX_WAKE_OP:
		return futex_wake_op(a[4], (uint32_t)a[5]);
	default:
		return -LX_ENOSYS;
	}
}
