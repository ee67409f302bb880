/*
 * profile.c - the proc platform's profiling timer for --profile: ITIMER_PROF
 * (process CPU time, so a guest blocked in read(2) is not sampled) delivers
 * SIGPROF at LINUX_PROFILE_HZ; the handler finds the guest pc it interrupted
 * and hands it to the personality.
 *
 * In translated code the side table gives the exact guest pc
 * (dbt_guest_pc_at); anywhere else (the translator, helpers, host calls made
 * for a guest system call) the sample goes to the guest pc the vCPU state
 * last recorded, which is the ecall's during a system call.
 */
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <ucontext.h>

#include "dbt.h"
#include "linux.h"
#include "proc.h"

static void on_profile_tick(int sig, siginfo_t *si, void *ctx)
{
	const ucontext_t *uc = ctx;
	uint64_t pc = dbt_guest_pc_at((uint64_t)uc->uc_mcontext.gregs[REG_RIP]);

	if (!pc && dbt_current_cpu)
		pc = dbt_current_cpu->pc;
	linux_profile_sample(pc);
}

void proc_profile_start(void)
{
	struct sigaction sa;
	struct itimerval tick = {
	    .it_interval = {0, 1000000 / LINUX_PROFILE_HZ},
	    .it_value = {0, 1000000 / LINUX_PROFILE_HZ},
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
