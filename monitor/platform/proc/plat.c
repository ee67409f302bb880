/*
 * plat.c - time, randomness, host calls and the end, for the proc platform:
 * each is the plain host facility, called directly.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "../../../launcher/launcher.h"
#include "proc.h"
#include "rt.h"

#define NS_PER_SEC 1000000000ull

/* The rvkvm process is an ordinary x86-64 process: SSE2 is baseline. */
int plat_has_sse = 1;

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

uint64_t plat_clock_monotonic_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

uint64_t plat_clock_realtime_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

uint64_t plat_page_faults(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) < 0)
		return 0;
	return (uint64_t)ru.ru_minflt + (uint64_t)ru.ru_majflt;
}

void plat_random(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = getrandom(p, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			plat_panic("getrandom failed");
		}
		p += n;
		len -= (size_t)n;
	}
}

/* Each platform buffer is one host segment: guest memory is contiguous here. */
RT_SYSCALL_PATH long plat_hostcall(uint32_t op, const int64_t arg[6], const struct plat_iov *buf, unsigned nbuf)
{
	struct iovec iov[RVKVM_MAX_BUFS];
	const struct iovec *bufs[RVKVM_MAX_BUFS];
	unsigned nseg[RVKVM_MAX_BUFS];

	if (nbuf > RVKVM_MAX_BUFS)
		return -EINVAL;
	for (unsigned i = 0; i < nbuf; i++) {
		iov[i].iov_base = buf[i].base;
		iov[i].iov_len = buf[i].len;
		bufs[i] = &iov[i];
		nseg[i] = 1;
	}
	return hostcall_execute(op, arg, bufs, nseg, nbuf);
}

void plat_log(const char *text, size_t len)
{
	while (len) {
		ssize_t n = write(STDERR_FILENO, text, len);
		if (n <= 0)
			return;
		text += n;
		len -= (size_t)n;
	}
}

void plat_exit(int status)
{
	fflush(NULL);
	_exit(status & 0xff);
}

void plat_panic(const char *why)
{
	char line[256];
	int n = rt_snprintf(line, sizeof(line), "rvkvm: internal error: %s\n", why);

	fflush(NULL);
	plat_log(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	_exit(PROC_STATUS_INTERNAL);
}
