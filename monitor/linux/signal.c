/*
 * signal.c - delivering signals to the guest: signals sent to itself wait in
 * a pending set and are acted on when the system call that raised or
 * unblocked them returns; faults are acted on at once.  A handler runs on an
 * rt_sigframe built as riscv64 Linux builds it and returns through a
 * trampoline page that calls rt_sigreturn (Linux uses its vDSO for this).
 */
#include "lx.h"

#define SIG_BIT(sig) (1ull << ((sig)-1))
#define UNBLOCKABLE (SIG_BIT(LX_SIGKILL) | SIG_BIT(LX_SIGSTOP))

/* The trampoline page: the page above the stack, below TASK_SIZE. */
#define SIGPAGE LX_STACK_TOP
static const uint32_t sigreturn_code[] = {
    0x08b00893, /* addi a7, zero, 139 (rt_sigreturn) */
    0x00000073, /* ecall */
};

/*
 * Host signals (linux_host_signals): set from a host signal handler or the
 * NMI handler at any moment, taken with atomic exchanges at safe points.
 */
static uint64_t host_pending;
static int host_stop;

/*
 * A system call that a host signal interrupted (-EINTR from the host call):
 * Linux's -ERESTARTSYS.  It restarts unless a handler without SA_RESTART
 * runs, which sees -EINTR (arch/riscv/kernel/signal.c handle_signal()).
 */
static int restart_pending;
static uint64_t restart_a0;

/* Where a fatal signal hit, for the --strace diagnostic line. */
struct where {
	uint64_t pc, addr;
};

int lx_signal_map_trampoline(void)
{
	int r = lx_vma_map(SIGPAGE, SIGPAGE + LX_PAGE, LX_PROT_READ | LX_PROT_WRITE, 0);

	if (r < 0)
		return r;
	memcpy(plat_g2h(SIGPAGE), sigreturn_code, sizeof(sigreturn_code));
	return lx_vma_protect(SIGPAGE, SIGPAGE + LX_PAGE, LX_PROT_READ | LX_PROT_EXEC);
}

static int default_ignored(int sig)
{
	return sig == LX_SIGCHLD || sig == LX_SIGCONT || sig == LX_SIGURG || sig == LX_SIGWINCH;
}

/* A stop signal has nobody to continue the process: it is dropped. */
static int default_stops(int sig)
{
	return sig == LX_SIGSTOP || sig == LX_SIGTSTP || sig == LX_SIGTTIN || sig == LX_SIGTTOU;
}

static void trace(int sig, const struct lx_siginfo *info)
{
	const char *name = lx_signal_name(sig);

	lx_trace_signal(sig, info);
	if (!lx_proc.start->strace)
		return;
	if (info->code == LX_SI_USER || info->code == LX_SI_TKILL)
		lx_log("--- %s {si_signo=%s, si_code=%s, si_pid=%u, si_uid=%u} ---\n", name, name,
		       info->code == LX_SI_USER ? "SI_USER" : "SI_TKILL", info->fields.kill.pid,
		       info->fields.kill.uid);
	else
		lx_log("--- %s {si_signo=%s, si_code=%d, si_addr=0x%016llx} ---\n", name, name,
		       info->code, (unsigned long long)info->fields.addr);
}

int lx_signal_on_altstack(uint64_t sp)
{
	const struct lx_stack *ss = &lx_proc.altstack;

	return ss->size && sp > ss->sp && sp - ss->sp <= ss->size;
}

/* What sigaltstack() reports: sas_ss_flags(sp) plus the SS_AUTODISARM bit. */
int32_t lx_signal_altstack_flags(uint64_t sp)
{
	int32_t mode = !lx_proc.altstack.size	   ? LX_SS_DISABLE
		       : lx_signal_on_altstack(sp) ? LX_SS_ONSTACK
						   : 0;

	return mode | (lx_proc.altstack.flags & (int32_t)LX_SS_AUTODISARM);
}

/*
 * Build the frame and enter the handler (arch/riscv/kernel/signal.c
 * setup_rt_frame()): a0 = sig, a1 = &info, a2 = &uc, ra = the trampoline.
 * -EFAULT when the stack cannot take the frame.
 */
static int enter_handler(struct dbt_cpu *cpu, int sig, const struct lx_siginfo *info)
{
	struct lx_sigaction *sa = &lx_proc.sigaction[sig - 1];
	static struct lx_rt_sigframe frame; /* one at a time, copied out at once */
	uint64_t sp = cpu->x[2];

	if ((sa->flags & LX_SA_ONSTACK) && lx_proc.altstack.size && !lx_signal_on_altstack(sp))
		sp = lx_proc.altstack.sp + lx_proc.altstack.size;
	sp = RT_ALIGN_DOWN(sp - sizeof(frame), 16);

	memset(&frame, 0, sizeof(frame));
	frame.info = *info;
	frame.uc.stack = lx_proc.altstack;
	frame.uc.sigmask = lx_proc.sigmask;
	frame.uc.mcontext.regs[0] = cpu->pc;
	for (int i = 1; i < 32; i++)
		frame.uc.mcontext.regs[i] = cpu->x[i];
	memcpy(frame.uc.mcontext.f, cpu->f, sizeof(frame.uc.mcontext.f));
	frame.uc.mcontext.fcsr = (cpu->frm << 5) | cpu->fflags;
	if (lx_copy_out(sp, &frame, sizeof(frame)))
		return -LX_EFAULT;

	if ((lx_proc.altstack.flags & (int32_t)LX_SS_AUTODISARM) && lx_signal_on_altstack(sp))
		lx_proc.altstack = (struct lx_stack){0, LX_SS_DISABLE, 0, 0};
	cpu->x[1] = SIGPAGE;
	cpu->x[2] = sp;
	cpu->x[10] = (uint64_t)sig;
	cpu->x[11] = sp + __builtin_offsetof(struct lx_rt_sigframe, info);
	cpu->x[12] = sp + __builtin_offsetof(struct lx_rt_sigframe, uc);
	cpu->pc = sa->handler;
	cpu->reservation = ~0ull;
	lx_proc.sigmask |= sa->mask;
	if (!(sa->flags & LX_SA_NODEFER))
		lx_proc.sigmask |= SIG_BIT(sig);
	lx_proc.sigmask &= ~UNBLOCKABLE;
	if (sa->flags & LX_SA_RESETHAND)
		*sa = (struct lx_sigaction){LX_SIG_DFL, 0, 0};
	return 0;
}

static _Noreturn void die_by(int sig, const struct where *where)
{
	if ((lx_proc.start->strace || lx_proc.start->verbose) && where)
		lx_log("rvkvm: %s at guest pc 0x%llx, address 0x%llx\n", lx_signal_name(sig),
		       (unsigned long long)where->pc, (unsigned long long)where->addr);
	if (lx_proc.start->verbose && where)
		lx_crash_summary(lx_proc.cpu, where->pc);
	lx_exit_signal(sig);
}

/* The interrupted call goes back to its ecall with its first argument. */
static void restart_syscall(struct dbt_cpu *cpu)
{
	restart_pending = 0;
	cpu->x[10] = restart_a0;
	cpu->pc -= 4;
}

/* Run a handler for sig, or die by SIGSEGV when its frame does not fit. */
static void run_handler(struct dbt_cpu *cpu, int sig, const struct lx_siginfo *info)
{
	struct where where = {cpu->pc, cpu->x[2]};

	if (restart_pending) {
		if (lx_proc.sigaction[sig - 1].flags & LX_SA_RESTART)
			restart_syscall(cpu);
		restart_pending = 0;
	}

	if (enter_handler(cpu, sig, info) == 0)
		return;
	struct lx_siginfo segv = {.signo = LX_SIGSEGV, .code = LX_SEGV_MAPERR};

	segv.fields.addr = cpu->x[2];
	trace(LX_SIGSEGV, &segv);
	die_by(LX_SIGSEGV, &where);
}

void lx_signal_fault(struct dbt_cpu *cpu, int sig, int code, uint64_t addr)
{
	struct lx_siginfo info = {.signo = sig, .code = code};
	uint64_t handler = lx_proc.sigaction[sig - 1].handler;
	struct where where = {cpu->pc, addr};

	info.fields.addr = addr;
	trace(sig, &info);
	/* force_sig_fault(): blocked or ignored, the fault kills (kernel/signal.c). */
	if (handler == LX_SIG_DFL || handler == LX_SIG_IGN || (lx_proc.sigmask & SIG_BIT(sig)))
		die_by(sig, &where);
	run_handler(cpu, sig, &info);
}

void lx_signal_raise(int sig, int code)
{
	uint64_t handler = lx_proc.sigaction[sig - 1].handler;

	if (handler == LX_SIG_IGN || (handler == LX_SIG_DFL && default_ignored(sig)))
		return;
	lx_proc.pending |= SIG_BIT(sig);
	lx_proc.pending_code[sig - 1] = code;
}

/*
 * Act on every pending, unblocked signal, lowest number first, as Linux picks
 * among signals that are not synchronous faults (faults never wait here).
 */
void lx_signal_dispatch(struct dbt_cpu *cpu)
{
	uint64_t ready;

	while ((ready = lx_proc.pending & ~lx_proc.sigmask) != 0) {
		int sig = __builtin_ctzll(ready) + 1;
		struct lx_siginfo info = {.signo = sig, .code = lx_proc.pending_code[sig - 1]};
		uint64_t handler = lx_proc.sigaction[sig - 1].handler;

		lx_proc.pending &= ~SIG_BIT(sig);
		info.fields.kill.pid = lx_proc.start->pid;
		info.fields.kill.uid = lx_proc.start->uid;
		if (handler == LX_SIG_IGN)
			continue;
		if (handler == LX_SIG_DFL && (default_ignored(sig) || default_stops(sig)))
			continue;
		trace(sig, &info);
		if (handler == LX_SIG_DFL)
			die_by(sig, NULL);
		run_handler(cpu, sig, &info);
	}
	if (restart_pending)
		restart_syscall(cpu);
}

void linux_host_signals(uint64_t sigs, int stop)
{
	__atomic_or_fetch(&host_pending, sigs, __ATOMIC_SEQ_CST);
	if (stop)
		__atomic_store_n(&host_stop, stop, __ATOMIC_SEQ_CST);
	if (lx_proc.cpu)
		lx_proc.cpu->interrupt_request = 1;
}

uint64_t linux_host_signals_untaken(void)
{
	return __atomic_load_n(&host_pending, __ATOMIC_SEQ_CST);
}

/*
 * Host signals become the guest's own, sent by kill(2) (SI_USER); an
 * asked-for end (--timeout) ends the run as exit_group would, shared file
 * mappings written back.
 */
static void host_intake(void)
{
	uint64_t sigs;
	int stop;

	if (lx_proc.cpu)
		lx_proc.cpu->interrupt_request = 0;
	stop = __atomic_load_n(&host_stop, __ATOMIC_SEQ_CST);
	if (stop)
		lx_exit(stop);
	sigs = __atomic_exchange_n(&host_pending, 0, __ATOMIC_SEQ_CST);
	for (; sigs; sigs &= sigs - 1)
		lx_signal_raise(__builtin_ctzll(sigs) + 1, LX_SI_USER);
}

int lx_signal_host_waiting(void)
{
	return __atomic_load_n(&host_pending, __ATOMIC_SEQ_CST) ||
	       __atomic_load_n(&host_stop, __ATOMIC_SEQ_CST);
}

void lx_signal_interrupted(uint64_t a0)
{
	restart_pending = 1;
	restart_a0 = a0;
}

RT_SYSCALL_PATH int lx_signal_pending(void)
{
	if (lx_signal_host_waiting())
		host_intake();
	return restart_pending || (lx_proc.pending & ~lx_proc.sigmask) != 0;
}

/* rt_sigreturn(): the handler's frame is at sp; restore what it saved. */
long lx_sys_rt_sigreturn(const uint64_t a[6])
{
	struct dbt_cpu *cpu = lx_proc.cpu;
	static struct lx_rt_sigframe frame; /* one at a time */
	uint64_t frame_sp = cpu->x[2];
	struct where where = {cpu->pc, frame_sp};

	if (lx_copy_in(&frame, cpu->x[2], sizeof(frame))) {
		struct lx_siginfo segv = {.signo = LX_SIGSEGV, .code = LX_SI_KERNEL};

		trace(LX_SIGSEGV, &segv);
		die_by(LX_SIGSEGV, &where);
	}
	cpu->pc = frame.uc.mcontext.regs[0];
	for (int i = 1; i < 32; i++)
		cpu->x[i] = frame.uc.mcontext.regs[i];
	memcpy(cpu->f, frame.uc.mcontext.f, sizeof(cpu->f));
	cpu->fflags = frame.uc.mcontext.fcsr & 0x1f;
	cpu->frm = (frame.uc.mcontext.fcsr >> 5) & 7;
	cpu->reservation = ~0ull;
	lx_proc.sigmask = frame.uc.sigmask & ~UNBLOCKABLE;
	/* restore_altstack(): as sigaltstack() would take it, errors ignored. */
	if (!lx_signal_on_altstack(frame_sp)) {
		int32_t mode = frame.uc.stack.flags & ~(int32_t)LX_SS_AUTODISARM;

		if (mode == LX_SS_DISABLE)
			lx_proc.altstack = (struct lx_stack){0, LX_SS_DISABLE, 0, 0};
		else if (frame.uc.stack.size >= LX_MINSIGSTKSZ)
			lx_proc.altstack = (struct lx_stack){
			    frame.uc.stack.sp, frame.uc.stack.flags, 0, frame.uc.stack.size};
	}
	lx_proc.regs_restored = 1;
	return 0;
}
