/*
 * sandbox.c - the seccomp filter of the proc platform (docs/security.md
 * gives the reason for every entry).  Installed before the program is even
 * loaded, it lets through only the host system calls that the host calls
 * of rvkvm_abi.h section 5, guest memory, malloc and the clock need.
 *
 * Anything else traps (SIGSYS) instead of running: the system call is not
 * executed, and the handler reports its number and ends with status 70.
 * rt_sigaction is not allowed, so nothing can replace that handler.
 */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../../../launcher/gdbserve.h"
#include "proc.h"
#include "rt.h"

static const int allowed[] = {
    /* host calls (launcher/hostcall.c) */
    SCMP_SYS(read),
    SCMP_SYS(readv),
    SCMP_SYS(writev),
    SCMP_SYS(preadv),
    SCMP_SYS(pwritev),
    SCMP_SYS(openat),
    SCMP_SYS(close),
    SCMP_SYS(lseek),
    SCMP_SYS(fstat),
    SCMP_SYS(newfstatat),
    SCMP_SYS(statx),
    SCMP_SYS(getdents64),
    SCMP_SYS(readlinkat),
    SCMP_SYS(faccessat),
    SCMP_SYS(faccessat2),
    SCMP_SYS(unlinkat),
    SCMP_SYS(mkdirat),
    SCMP_SYS(renameat2),
    SCMP_SYS(ftruncate),
    SCMP_SYS(fsync),
    SCMP_SYS(dup),
    SCMP_SYS(dup3),
    SCMP_SYS(pipe2),
    SCMP_SYS(getcwd),
    SCMP_SYS(chdir),
    SCMP_SYS(utimensat),
    SCMP_SYS(fstatfs),
    /* --root: every guest path resolved inside the root (launcher/rootfs.c) */
    SCMP_SYS(openat2),
    /* diagnostics and the end */
    SCMP_SYS(write),
    SCMP_SYS(exit_group),
    /* guest memory and malloc (PROT_EXEC refused below) */
    SCMP_SYS(munmap),
    SCMP_SYS(mremap),
    SCMP_SYS(brk),
    SCMP_SYS(madvise),
    /* returning from the fault handler and launcher/stop.c's handler */
    SCMP_SYS(rt_sigreturn),
    /* launcher/stop.c: the --timeout and backstop timer, re-armed by its handler */
    SCMP_SYS(setitimer),
    /* clock and randomness (vDSO fallbacks; getrandom for plat_random) */
    SCMP_SYS(clock_gettime),
    SCMP_SYS(gettimeofday),
    SCMP_SYS(getrandom),
};

/* fcntl commands of HC_FCNTL: none takes a pointer. */
static const int fcntl_cmds[] = {
    F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_GETPIPE_SZ, F_SETPIPE_SZ,
};

static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
	char line[160];
	int n = rt_snprintf(line, sizeof(line),
			    "rvkvm: internal error: host system call %d refused by the proc "
			    "sandbox (not executed)\n",
			    si->si_syscall);

	write(STDERR_FILENO, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	_exit(PROC_STATUS_INTERNAL);
}

static int add_rules(scmp_filter_ctx ctx)
{
	int r = 0;

	for (size_t i = 0; i < RT_ARRAY_SIZE(allowed) && !r; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0);
	for (size_t i = 0; i < RT_ARRAY_SIZE(fcntl_cmds) && !r; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(fcntl), 1,
				     SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)fcntl_cmds[i]));
	/* --stats: the process's own page faults (plat_page_faults) */
	if (!r)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(getrusage), 1,
				     SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)RUSAGE_SELF));
	/* HC_IOCTL: the request is an unsigned int to the kernel. */
	if (!r)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
				     SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TCGETS));
	if (!r)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
				     SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCGWINSZ));
	/* -g: the debugger's connection, and no other socket (launcher/gdbserve.c) */
	if (!r && gdbserve_socket() >= 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(recvmsg), 1,
				     SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)gdbserve_socket()));
	if (!r && gdbserve_socket() >= 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(sendmsg), 1,
				     SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)gdbserve_socket()));
	/* No new executable memory once guest input is being read: the code
	 * region was reserved before. */
	if (!r)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
				     SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	if (!r)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
				     SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	return r;
}

/*
 * The kernel runs the filter on every host system call, and libseccomp
 * tests the numbers from the highest down: write(2) and read(2), the
 * calls a guest doing small I/O makes most, came last, after some forty
 * comparisons.  They go first.
 */
static int order_rules(scmp_filter_ctx ctx)
{
	static const int hot[] = {SCMP_SYS(write), SCMP_SYS(read), SCMP_SYS(writev),
				  SCMP_SYS(readv), SCMP_SYS(lseek)};
	int r = 0;

	for (size_t i = 0; i < RT_ARRAY_SIZE(hot) && !r; i++)
		r = seccomp_syscall_priority(ctx, hot[i], (uint8_t)(255 - i));
	return r;
}

void proc_sandbox_enter(void)
{
	struct sigaction sa;
	scmp_filter_ctx ctx;
	int r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) < 0)
		plat_panic("cannot install the SIGSYS handler");

	ctx = seccomp_init(SCMP_ACT_TRAP);
	if (!ctx)
		plat_panic("seccomp_init failed");
	r = add_rules(ctx);
	if (!r)
		r = order_rules(ctx);
	if (!r)
		r = seccomp_load(ctx);
	seccomp_release(ctx);
	if (r) {
		char why[120];
		rt_snprintf(why, sizeof(why), "cannot install the seccomp filter: error %d", -r);
		plat_panic(why);
	}
}

void proc_sandbox_test(const char *marker)
{
	char *const argv[] = {"touch", (char *)marker, NULL};
	char *const envp[] = {NULL};

	execve("/usr/bin/touch", argv, envp);
	plat_panic("--test-seccomp: execve returned instead of being refused");
}
