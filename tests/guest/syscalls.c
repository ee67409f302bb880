/*
 * The system calls the monitor serves itself, checked for what qemu and a
 * correct rvkvm must agree on (not values that depend on the moment or the
 * host): uname's sysname and machine, an unknown number giving ENOSYS,
 * clocks that do not go backwards and agree with each other, nanosleep,
 * getrandom's length, ioctl on a pipe (ENOTTY), rt_sigaction and
 * rt_sigprocmask round trips, sigaltstack, sched_yield, prlimit64 of the
 * stack, the set_tid_address/gettid/getpid relation.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static void handler(int sig)
{
	(void)sig;
}

int main(void)
{
	struct utsname u;
	printf("uname: %d sysname=%s machine=%s\n", uname(&u), u.sysname, u.machine);

	long r = syscall(9999, 1, 2, 3);
	printf("syscall 9999: %ld errno=%d\n", r, errno);
	r = syscall(SYS_clone3, NULL, 0);
	printf("clone3(NULL): %ld errno=%s\n", r,
	       r < 0 && (errno == ENOSYS || errno == EFAULT || errno == EINVAL) ? "refused"
										: "other");

	struct timespec a, b, res;
	clock_gettime(CLOCK_MONOTONIC, &a);
	struct timespec nap = {0, 2000000};
	printf("nanosleep 2ms: %d\n", nanosleep(&nap, NULL));
	clock_gettime(CLOCK_MONOTONIC, &b);
	long long ns = (b.tv_sec - a.tv_sec) * 1000000000ll + (b.tv_nsec - a.tv_nsec);
	printf("monotonic advanced at least 2ms: %d\n", ns >= 2000000);
	printf("clock_getres monotonic: %d positive: %d\n", clock_getres(CLOCK_MONOTONIC, &res),
	       res.tv_sec > 0 || res.tv_nsec > 0);
	struct timespec rt;
	struct timeval tv;
	clock_gettime(CLOCK_REALTIME, &rt);
	gettimeofday(&tv, NULL);
	time_t t = time(NULL);
	printf("realtime after 2020: %d\n", rt.tv_sec > 1577836800);
	printf("gettimeofday and time agree with realtime: %d %d\n", tv.tv_sec - rt.tv_sec <= 1,
	       t - rt.tv_sec <= 1);
	struct timespec cpu;
	printf("clock_gettime process cputime: %d\n",
	       clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu));

	unsigned char rnd[64];
	memset(rnd, 0, sizeof rnd);
	ssize_t got = getrandom(rnd, sizeof rnd, 0);
	int nonzero = 0;
	for (unsigned i = 0; i < sizeof rnd; i++)
		nonzero |= rnd[i];
	printf("getrandom: %zd bytes, not all zero: %d\n", got, nonzero != 0);

	int p[2];
	pipe(p);
	struct termios tio;
	printf("TCGETS on a pipe: %d errno=%d\n", ioctl(p[0], TCGETS, &tio), errno);
	struct winsize ws;
	printf("TIOCGWINSZ on a pipe: %d errno=%d\n", ioctl(p[1], TIOCGWINSZ, &ws), errno);
	close(p[0]);
	close(p[1]);

	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	printf("sigaction set: %d\n", sigaction(SIGUSR1, &sa, NULL));
	memset(&old, 0, sizeof old);
	printf("sigaction get: %d handler kept: %d restart: %d mask has USR2: %d\n",
	       sigaction(SIGUSR1, NULL, &old), old.sa_handler == handler,
	       (old.sa_flags & SA_RESTART) != 0, sigismember(&old.sa_mask, SIGUSR2));
	printf("sigaction SIGKILL: %d errno=%d\n", sigaction(SIGKILL, &sa, NULL), errno);
	sigset_t set, cur;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigprocmask(SIG_SETMASK, NULL, &cur);
	printf("SIGTERM blocked: %d SIGINT blocked: %d\n", sigismember(&cur, SIGTERM),
	       sigismember(&cur, SIGINT));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	sigprocmask(SIG_SETMASK, NULL, &cur);
	printf("SIGTERM after unblock: %d\n", sigismember(&cur, SIGTERM));

	static char altstack[65536];
	stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0}, oss;
	printf("sigaltstack set: %d\n", sigaltstack(&ss, NULL));
	printf("sigaltstack get: %d same size: %d\n", sigaltstack(NULL, &oss),
	       oss.ss_size == sizeof altstack);

	printf("sched_yield: %d\n", sched_yield());
	struct rlimit rl;
	printf("getrlimit stack: %d soft<=hard: %d\n", getrlimit(RLIMIT_STACK, &rl),
	       rl.rlim_cur <= rl.rlim_max);
	printf("gettid == getpid (one thread): %d\n", (pid_t)syscall(SYS_gettid) == getpid());
	printf("getppid positive: %d\n", getppid() > 0);
	printf("uid matches euid: %d\n", getuid() == geteuid());
	return 0;
}
