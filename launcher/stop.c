/*
 * stop.c - what reaches a run from outside the guest: host signals sent to
 * rvkvm, `--timeout`, and a reader that goes away (SIGPIPE).  Installed
 * once, before either platform starts: on proc the seccomp filter forbids
 * rt_sigaction afterwards, so nothing of this can be changed by a guest
 * that gets control of the process.
 *
 * A host signal is the guest's (docs/security.md, "Host signals"): the
 * handler hands it to the platform, which makes the monitor act on it at
 * the next block boundary or host call return, as the guest's disposition
 * says (handler, ignore, or the default, which ends the run through the
 * personality's exit path so shared file mappings are written back).  The
 * timeout asks the monitor to end the same way with status 124.  If the
 * monitor has not taken a request within BACKSTOP_NS (a monitor stuck in a
 * bug of its own), the handler ends the process itself.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "launcher.h"

/* timeout(1)'s status when the time runs out, so scripts read it the same. */
#define STATUS_TIMEOUT 124
#define STATUS_SIGNALLED 128
#define BACKSTOP_NS 2000000000ull
#define NS_PER_SEC 1000000000ull
#define SIG_BIT(sig) (1ull << ((sig)-1))
#define HOST_SIGRTMIN 34 /* glibc keeps 32 and 33 for itself */
#define HOST_NSIG 64

/*
 * Signals that stay with the launcher: faults and SIGSYS are its own bugs
 * or the sandbox's (proc/fault.c, proc/sandbox.c), SIGPROF is --profile's
 * clock, SIGPIPE is ignored so a write to a closed pipe is the guest's
 * EPIPE, and job control (stop, continue, SIGCHLD) acts on the process.
 */
static int launcher_keeps(int sig)
{
	switch (sig) {
	case SIGILL:
	case SIGTRAP:
	case SIGABRT:
	case SIGBUS:
	case SIGFPE:
	case SIGKILL:
	case SIGSEGV:
	case SIGPIPE:
	case SIGCHLD:
	case SIGCONT:
	case SIGSTOP:
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
	case SIGPROF:
	case SIGSYS:
		return 1;
	}
	return sig == 32 || sig == 33;
}

/* Signals whose default is to be ignored: nothing to end if nobody takes them. */
static int default_ignored(int sig)
{
	return sig == SIGURG || sig == SIGWINCH;
}

/*
 * Written before the handlers are installed; afterwards only by the
 * handler, which runs with every signal blocked, and by
 * launcher_stop_attach() with the signals blocked around it.
 */
static struct {
	const struct launcher_stop_ops *ops; /* the platform taking host signals; NULL = none yet */
	uint64_t held;			     /* arrived before a platform attached */
	int stop_status;		     /* a requested end (124), 0 = none */
	uint64_t watched;		     /* signals the backstop checks were taken */
	uint64_t timeout_at, backstop_at;    /* CLOCK_MONOTONIC ns, 0 = not armed */
	uint64_t ignored;		     /* SIG_IGN at start: bit n-1 for signal n */
	pid_t pid;			     /* ours: proc's seccomp filter forbids getpid later */
	char timeout_message[64];
	size_t timeout_message_len;
} stop;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* One ITIMER_REAL serves the timeout and the backstop: the earlier of the two. */
static void arm_timer(uint64_t now)
{
	uint64_t at = stop.timeout_at;
	struct itimerval it;

	if (stop.backstop_at && (!at || stop.backstop_at < at))
		at = stop.backstop_at;
	memset(&it, 0, sizeof(it));
	if (at) {
		uint64_t left = at > now ? at - now : 1000;
		it.it_value.tv_sec = (time_t)(left / NS_PER_SEC);
		it.it_value.tv_usec = (suseconds_t)(left % NS_PER_SEC / 1000);
		if (!it.it_value.tv_sec && !it.it_value.tv_usec)
			it.it_value.tv_usec = 1;
	}
	setitimer(ITIMER_REAL, &it, NULL);
}

static void forward(uint64_t sigs, int stop_status)
{
	if (stop.ops)
		stop.ops->forward(sigs, stop_status);
	else
		stop.held |= sigs;
}

static uint64_t untaken(void)
{
	return stop.ops ? stop.ops->untaken() : stop.held;
}

static void on_timer(void)
{
	/* A millisecond of slack: the timer was armed in whole microseconds. */
	uint64_t now = now_ns() + 1000000;

	if (stop.timeout_at && now >= stop.timeout_at) {
		ssize_t r = write(STDERR_FILENO, stop.timeout_message, stop.timeout_message_len);

		(void)r;
		stop.timeout_at = 0;
		stop.stop_status = STATUS_TIMEOUT;
		forward(0, STATUS_TIMEOUT);
		stop.backstop_at = now + BACKSTOP_NS;
	} else if (stop.backstop_at && now >= stop.backstop_at) {
		uint64_t left = untaken() & stop.watched;

		stop.backstop_at = 0;
		if (stop.stop_status)
			_exit(stop.stop_status);
		if (left)
			_exit(STATUS_SIGNALLED + __builtin_ctzll(left) + 1);
		stop.watched = 0;
	}
	arm_timer(now_ns());
}

/*
 * A kick is SIGURG, queued to one thread with this marker: SIGURG because
 * its default is to be ignored, so one that reached the launcher without
 * the handler (there is none) would do nothing; the guest still gets every
 * SIGURG sent to the process by someone else.
 */
#define KICK_SIGNAL SIGURG
#define KICK_MARK 0x6b69636b /* "kick" */

void launcher_kick_thread(int tid)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_signo = KICK_SIGNAL;
	si.si_code = SI_QUEUE;
	si.si_pid = stop.pid;
	si.si_uid = getuid();
	si.si_value.sival_int = KICK_MARK;
	syscall(SYS_rt_tgsigqueueinfo, stop.pid, tid, KICK_SIGNAL, &si);
}

static int is_kick(int sig, const siginfo_t *si)
{
	return sig == KICK_SIGNAL && si->si_code == SI_QUEUE && si->si_pid == stop.pid &&
	       si->si_value.sival_int == KICK_MARK;
}

static void on_signal(int sig, siginfo_t *si, void *ctx)
{
	int saved = errno;

	(void)ctx;
	/* A kick has done its work by interrupting the thread it reached. */
	if (is_kick(sig, si))
		return;
	/* The kernel's SIGALRM is our timer; kill(1)'s is the guest's. */
	if (sig == SIGALRM && si->si_code == SI_KERNEL) {
		on_timer();
	} else {
		forward(SIG_BIT(sig), 0);
		if (!default_ignored(sig)) {
			stop.watched |= SIG_BIT(sig);
			if (!stop.backstop_at) {
				stop.backstop_at = now_ns() + BACKSTOP_NS;
				arm_timer(now_ns());
			}
		}
	}
	errno = saved;
}

static void handle(int sig, void (*fn)(int, siginfo_t *, void *))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	/*
	 * No SA_RESTART: a host call blocked in the kernel (a read on stdin)
	 * comes back with EINTR and the monitor decides, as Linux does, whether
	 * the guest's call restarts.  SA_ONSTACK: proc's fault-handler stack,
	 * so a signal that lands in translated code does not use the guest's.
	 */
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigfillset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) < 0)
		die(70, "sigaction(%s): %s", strsignal(sig), strerror(errno));
}

void launcher_stop_install(const struct launch_config *cfg)
{
	struct sigaction old;

	stop.pid = getpid();
	/* What execve left us: SIG_IGN stays ignored in the guest, as it would
	 * in any program this one executed (signal(7)). */
	for (int sig = 1; sig <= HOST_NSIG; sig++)
		if (sig != 32 && sig != 33 && sigaction(sig, NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			stop.ignored |= SIG_BIT(sig);

	signal(SIGPIPE, SIG_IGN);
	for (int sig = 1; sig <= HOST_NSIG; sig++)
		if (!launcher_keeps(sig) && (sig < 32 || sig >= HOST_SIGRTMIN))
			handle(sig, on_signal);
	if (cfg->timeout_ms == 0)
		return;

	int n = snprintf(stop.timeout_message, sizeof(stop.timeout_message),
			 "rvkvm: timeout after %s s\n", cfg->timeout_text);

	stop.timeout_message_len =
	    n > 0 && (size_t)n < sizeof(stop.timeout_message) ? (size_t)n : 0;
	stop.timeout_at = now_ns() + cfg->timeout_ms * 1000000ull;
	arm_timer(now_ns());
}

uint64_t launcher_ignored_signals(void)
{
	return stop.ignored;
}

void launcher_stop_attach(const struct launcher_stop_ops *ops)
{
	sigset_t all, old;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	stop.ops = ops;
	if (ops && (stop.held || stop.stop_status))
		ops->forward(stop.held, stop.stop_status);
	stop.held = 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
}
