/*
 * sys_signal.c - signal state: dispositions, the blocked mask and the
 * alternate stack, kept and reported back exactly, and signals sent to
 * oneself.  Delivery is signal.c's.
 */
#include "lx.h"

#define SIG_BIT(sig) (1ull << ((sig)-1))
#define UNBLOCKABLE (SIG_BIT(LX_SIGKILL) | SIG_BIT(LX_SIGSTOP))

static const char *const signal_names[LX_SIGSYS + 1] = {
    [LX_SIGHUP] = "SIGHUP",	  [LX_SIGINT] = "SIGINT",	[LX_SIGQUIT] = "SIGQUIT",
    [LX_SIGILL] = "SIGILL",	  [LX_SIGTRAP] = "SIGTRAP",	[LX_SIGABRT] = "SIGABRT",
    [LX_SIGBUS] = "SIGBUS",	  [LX_SIGFPE] = "SIGFPE",	[LX_SIGKILL] = "SIGKILL",
    [LX_SIGUSR1] = "SIGUSR1",	  [LX_SIGSEGV] = "SIGSEGV",	[LX_SIGUSR2] = "SIGUSR2",
    [LX_SIGPIPE] = "SIGPIPE",	  [LX_SIGALRM] = "SIGALRM",	[LX_SIGTERM] = "SIGTERM",
    [LX_SIGSTKFLT] = "SIGSTKFLT", [LX_SIGCHLD] = "SIGCHLD",	[LX_SIGCONT] = "SIGCONT",
    [LX_SIGSTOP] = "SIGSTOP",	  [LX_SIGTSTP] = "SIGTSTP",	[LX_SIGTTIN] = "SIGTTIN",
    [LX_SIGTTOU] = "SIGTTOU",	  [LX_SIGURG] = "SIGURG",	[LX_SIGXCPU] = "SIGXCPU",
    [LX_SIGXFSZ] = "SIGXFSZ",	  [LX_SIGVTALRM] = "SIGVTALRM", [LX_SIGPROF] = "SIGPROF",
    [LX_SIGWINCH] = "SIGWINCH",	  [LX_SIGIO] = "SIGIO",		[LX_SIGPWR] = "SIGPWR",
    [LX_SIGSYS] = "SIGSYS",
};

const char *lx_signal_name(int sig)
{
	if (sig > 0 && sig <= LX_SIGSYS)
		return signal_names[sig];
	return "SIGRT";
}

void lx_signal_init(void)
{
	memset(lx_proc.sigaction, 0, sizeof(lx_proc.sigaction));
	/* execve keeps SIG_IGN (signal(7)): what rvkvm inherited ignored, the
	 * guest starts with ignored, as under qemu-riscv64. */
	for (int sig = 1; sig <= LX_NSIG; sig++)
		if ((lx_proc.start->ignored_signals & SIG_BIT(sig)) && !(UNBLOCKABLE & SIG_BIT(sig)))
			lx_proc.sigaction[sig - 1].handler = LX_SIG_IGN;
	lx_proc.sigmask = 0;
	lx_proc.pending = 0;
	lx_proc.altstack = (struct lx_stack){0, LX_SS_DISABLE, 0, 0};
}

long lx_sys_rt_sigaction(const uint64_t a[6])
{
	int sig = (int)a[0];
	struct lx_sigaction act;

	if (a[3] != sizeof(uint64_t) || sig < 1 || sig > LX_NSIG)
		return -LX_EINVAL;
	if (a[1] && (sig == LX_SIGKILL || sig == LX_SIGSTOP))
		return -LX_EINVAL;
	if (a[1] && lx_copy_in(&act, a[1], sizeof(act)))
		return -LX_EFAULT;
	if (a[2] && lx_copy_out(a[2], &lx_proc.sigaction[sig - 1], sizeof(act)))
		return -LX_EFAULT;
	if (a[1]) {
		act.mask &= ~UNBLOCKABLE;
		lx_proc.sigaction[sig - 1] = act;
	}
	return 0;
}

long lx_sys_rt_sigprocmask(const uint64_t a[6])
{
	uint64_t set, old = lx_proc.sigmask;

	if (a[3] != sizeof(uint64_t))
		return -LX_EINVAL;
	if (a[1]) {
		if (lx_copy_in(&set, a[1], sizeof(set)))
			return -LX_EFAULT;
		set &= ~UNBLOCKABLE;
		switch ((int)a[0]) {
		case LX_SIG_BLOCK:
			lx_proc.sigmask |= set;
			break;
		case LX_SIG_UNBLOCK:
			lx_proc.sigmask &= ~set;
			break;
		case LX_SIG_SETMASK:
			lx_proc.sigmask = set;
			break;
		default:
			return -LX_EINVAL;
		}
	}
	if (a[2] && lx_copy_out(a[2], &old, sizeof(old)))
		return -LX_EFAULT;
	return 0;
}

/* kernel/signal.c do_sigaltstack(), with sp the guest's stack pointer at the call. */
long lx_sys_sigaltstack(const uint64_t a[6])
{
	uint64_t sp = lx_proc.cpu ? lx_proc.cpu->x[2] : 0;
	struct lx_stack ss, old = lx_proc.altstack;

	old.flags = lx_signal_altstack_flags(sp);
	old.pad = 0;
	if (a[0]) {
		if (lx_copy_in(&ss, a[0], sizeof(ss)))
			return -LX_EFAULT;
		if (lx_signal_on_altstack(sp))
			return -LX_EPERM;
		int mode = (int)((uint32_t)ss.flags & ~LX_SS_AUTODISARM);

		if (mode != 0 && mode != LX_SS_DISABLE && mode != LX_SS_ONSTACK)
			return -LX_EINVAL;
		if (mode == LX_SS_DISABLE) {
			ss.sp = 0;
			ss.size = 0;
		} else if (ss.size < LX_MINSIGSTKSZ) {
			return -LX_ENOMEM;
		}
		ss.pad = 0;
	}
	if (a[1] && lx_copy_out(a[1], &old, sizeof(old)))
		return -LX_EFAULT;
	if (a[0])
		lx_proc.altstack = ss;
	return 0;
}

/*
 * A signal to ourselves: it waits in the pending set until the call returns
 * (signal.c acts on it there, or when it is unblocked).
 */
static long send_self(int sig, int code)
{
	if (sig < 0 || sig > LX_NSIG)
		return -LX_EINVAL;
	if (sig)
		lx_signal_raise(sig, code);
	return 0;
}

long lx_sys_kill(const uint64_t a[6])
{
	int32_t pid = (int32_t)a[0];
	int sig = (int)a[1];

	if (sig < 0 || sig > LX_NSIG)
		return -LX_EINVAL;
	/* pid -1 reaches every process but the caller: nothing we can see. */
	if (pid == -1)
		return 0;
	if (pid == 0 || (uint32_t)pid == lx_proc.start->pid || -pid == (int32_t)lx_proc.start->pid)
		return send_self(sig, LX_SI_USER);
	return -LX_ESRCH;
}

long lx_sys_tkill(const uint64_t a[6])
{
	int32_t tid = (int32_t)a[0];

	if (tid <= 0)
		return -LX_EINVAL;
	if ((uint32_t)tid != lx_proc.start->pid)
		return -LX_ESRCH;
	return send_self((int)a[1], LX_SI_TKILL);
}

long lx_sys_tgkill(const uint64_t a[6])
{
	int32_t tgid = (int32_t)a[0], tid = (int32_t)a[1];

	if (tgid <= 0 || tid <= 0)
		return -LX_EINVAL;
	if ((uint32_t)tgid != lx_proc.start->pid || (uint32_t)tid != lx_proc.start->pid)
		return -LX_ESRCH;
	return send_self((int)a[2], LX_SI_TKILL);
}
