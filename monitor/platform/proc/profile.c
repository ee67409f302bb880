/*
 * profile.c - the proc platform's profiling timer for --profile: ITIMER_PROF
 * (process CPU time, so a guest blocked in read(2) is not sampled) delivers
 * SIGPROF at the rate asked for; the handler hands the host rip it
 * interrupted to the personality (linux_profile_tick), which finds the
 * guest pc and, for folded stacks, walks the guest's frame pointers.
 */
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <ucontext.h>

#include "linux.h"
#include "proc.h"

static void on_profile_tick(int sig, siginfo_t *si, void *ctx)
{
	const ucontext_t *uc = ctx;

	linux_profile_tick((uint64_t)uc->uc_mcontext.gregs[REG_RIP]);
}

void proc_profile_start(int hz)
{
	struct sigaction sa;
	long usec = 1000000 / hz;
	struct itimerval tick = {
	    .it_interval = {usec / 1000000, usec % 1000000},
	    .it_value = {usec / 1000000, usec % 1000000},
	};

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_profile_tick;
	/* SA_RESTART: a host call interrupted by a tick resumes, so the guest
	 * never sees an EINTR that profiling caused.  SA_ONSTACK: the fault
	 * handler's stack (fault.c), so a tick adds nothing to whatever stack
	 * the interrupted code was using. */
	sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGPROF, &sa, NULL) < 0 || setitimer(ITIMER_PROF, &tick, NULL) < 0)
		plat_panic("--profile: cannot start the profiling timer");
}
