/*
 * syscall.c - the system call table (riscv64 asm-generic numbers,
 * include/uapi/asm-generic/unistd.h) and the dispatcher.  A row names the
 * call, its handler, and how --strace shows its arguments and result
 * (letters explained in strace.c).  A named row without a handler is a call
 * we know but do not provide: it returns -ENOSYS under its own name.
 */
#include "lx.h"
#include "lx_strace.h"

#define NR_MAX 452

static const struct lx_syscall table[NR_MAX] = {
    [17] = {"getcwd", lx_sys_getcwd, "pu", 'd'},
    [23] = {"dup", lx_sys_dup, "d", 'd'},
    [24] = {"dup3", lx_sys_dup3, "ddx", 'd'},
    [25] = {"fcntl", lx_sys_fcntl, "ddx", 'd'},
    [29] = {"ioctl", lx_sys_ioctl, "dxp", 'd'},
    [34] = {"mkdirat", lx_sys_mkdirat, "fso", 'd'},
    [35] = {"unlinkat", lx_sys_unlinkat, "fsx", 'd'},
    [46] = {"ftruncate", lx_sys_ftruncate, "dl", 'd'},
    [48] = {"faccessat", lx_sys_faccessat, "fso", 'd'},
    [49] = {"chdir", lx_sys_chdir, "s", 'd'},
    [56] = {"openat", lx_sys_openat, "fsOo", 'd'},
    [57] = {"close", lx_sys_close, "d", 'd'},
    [59] = {"pipe2", lx_sys_pipe2, "px", 'd'},
    [61] = {"getdents64", lx_sys_getdents64, "dpu", 'd'},
    [62] = {"lseek", lx_sys_lseek, "dld", 'd'},
    [63] = {"read", lx_sys_read, "dpu", 'd'},
    [64] = {"write", lx_sys_write, "dpu", 'd'},
    [65] = {"readv", lx_sys_readv, "dpu", 'd'},
    [66] = {"writev", lx_sys_writev, "dpu", 'd'},
    [67] = {"pread64", lx_sys_pread64, "dpul", 'd'},
    [68] = {"pwrite64", lx_sys_pwrite64, "dpul", 'd'},
    [69] = {"preadv", lx_sys_preadv, "dpul", 'd'},
    [70] = {"pwritev", lx_sys_pwritev, "dpul", 'd'},
    [78] = {"readlinkat", lx_sys_readlinkat, "fspu", 'd'},
    [79] = {"newfstatat", lx_sys_newfstatat, "fspx", 'd'},
    [80] = {"fstat", lx_sys_fstat, "dp", 'd'},
    [82] = {"fsync", lx_sys_fsync, "d", 'd'},
    [83] = {"fdatasync", lx_sys_fsync, "d", 'd'},
    [88] = {"utimensat", lx_sys_utimensat, "fspx", 'd'},
    [93] = {"exit", lx_sys_exit, "d", 'n'},
    [94] = {"exit_group", lx_sys_exit, "d", 'n'},
    [96] = {"set_tid_address", lx_sys_set_tid_address, "p", 'd'},
    [98] = {"futex", lx_sys_futex, "pdupud", 'd'},
    [99] = {"set_robust_list", lx_sys_zero, "pu", 'd'},
    [101] = {"nanosleep", lx_sys_nanosleep, "pp", 'd'},
    [113] = {"clock_gettime", lx_sys_clock_gettime, "dp", 'd'},
    [114] = {"clock_getres", lx_sys_clock_getres, "dp", 'd'},
    [115] = {"clock_nanosleep", lx_sys_clock_nanosleep, "ddpp", 'd'},
    [123] = {"sched_getaffinity", lx_sys_sched_getaffinity, "dup", 'd'},
    [124] = {"sched_yield", lx_sys_zero, "", 'd'},
    [129] = {"kill", lx_sys_kill, "dS", 'd'},
    [130] = {"tkill", lx_sys_tkill, "dS", 'd'},
    [131] = {"tgkill", lx_sys_tgkill, "ddS", 'd'},
    [132] = {"sigaltstack", lx_sys_sigaltstack, "pp", 'd'},
    [134] = {"rt_sigaction", lx_sys_rt_sigaction, "Sppu", 'd'},
    [135] = {"rt_sigprocmask", lx_sys_rt_sigprocmask, "dppu", 'd'},
    [139] = {"rt_sigreturn", lx_sys_rt_sigreturn, "", 'd'},
    [153] = {"times", lx_sys_times, "p", 'd'},
    [160] = {"uname", lx_sys_uname, "p", 'd'},
    [163] = {"getrlimit", lx_sys_getrlimit, "dp", 'd'},
    [164] = {"setrlimit", lx_sys_setrlimit, "dp", 'd'},
    [165] = {"getrusage", lx_sys_getrusage, "dp", 'd'},
    [167] = {"prctl", lx_sys_prctl, "dxxxx", 'd'},
    [168] = {"getcpu", lx_sys_getcpu, "ppp", 'd'},
    [169] = {"gettimeofday", lx_sys_gettimeofday, "pp", 'd'},
    [172] = {"getpid", lx_sys_getpid, "", 'd'},
    [173] = {"getppid", lx_sys_getppid, "", 'd'},
    [174] = {"getuid", lx_sys_getuid, "", 'd'},
    [175] = {"geteuid", lx_sys_geteuid, "", 'd'},
    [176] = {"getgid", lx_sys_getgid, "", 'd'},
    [177] = {"getegid", lx_sys_getegid, "", 'd'},
    [178] = {"gettid", lx_sys_getpid, "", 'd'},
    [179] = {"sysinfo", lx_sys_sysinfo, "p", 'd'},
    [214] = {"brk", lx_sys_brk, "p", 'p'},
    [215] = {"munmap", lx_sys_munmap, "pu", 'd'},
    [216] = {"mremap", lx_sys_mremap, "puuxp", 'p'},
    [222] = {"mmap", lx_sys_mmap, "puPMdl", 'p'},
    [226] = {"mprotect", lx_sys_mprotect, "puP", 'd'},
    [227] = {"msync", lx_sys_msync, "pux", 'd'},
    [233] = {"madvise", lx_sys_madvise, "pud", 'd'},
    [261] = {"prlimit64", lx_sys_prlimit64, "ddpp", 'd'},
    [276] = {"renameat2", lx_sys_renameat2, "fsfsx", 'd'},
    [278] = {"getrandom", lx_sys_getrandom, "pux", 'd'},
    [291] = {"statx", lx_sys_statx, "fsxxp", 'd'},
    [439] = {"faccessat2", lx_sys_faccessat2, "fsox", 'd'},

    /*
     * Known, not provided (-ENOSYS under their names): processes and threads
     * come later; the rest need host calls the ABI does not have yet.
     */
    [220] = {"clone", NULL, NULL, 'd'},
    [221] = {"execve", NULL, NULL, 'd'},
    [260] = {"wait4", NULL, NULL, 'd'},
    [281] = {"execveat", NULL, NULL, 'd'},
    [283] = {"membarrier", NULL, NULL, 'd'},
    [293] = {"rseq", NULL, NULL, 'd'},
    [435] = {"clone3", NULL, NULL, 'd'},
    [22] = {"epoll_pwait", NULL, NULL, 'd'},
    [32] = {"flock", NULL, NULL, 'd'},
    [33] = {"mknodat", NULL, NULL, 'd'},
    [36] = {"symlinkat", NULL, NULL, 'd'},
    [37] = {"linkat", NULL, NULL, 'd'},
    [43] = {"statfs", NULL, NULL, 'd'},
    [44] = {"fstatfs", NULL, NULL, 'd'},
    [45] = {"truncate", NULL, NULL, 'd'},
    [47] = {"fallocate", NULL, NULL, 'd'},
    [50] = {"fchdir", NULL, NULL, 'd'},
    [52] = {"fchmod", NULL, NULL, 'd'},
    [53] = {"fchmodat", NULL, NULL, 'd'},
    [54] = {"fchownat", NULL, NULL, 'd'},
    [55] = {"fchown", NULL, NULL, 'd'},
    [71] = {"sendfile", NULL, NULL, 'd'},
    [72] = {"pselect6", NULL, NULL, 'd'},
    [73] = {"ppoll", NULL, NULL, 'd'},
    [81] = {"sync", NULL, NULL, 'd'},
    [92] = {"personality", NULL, NULL, 'd'},
    [100] = {"get_robust_list", NULL, NULL, 'd'},
    [102] = {"getitimer", NULL, NULL, 'd'},
    [103] = {"setitimer", NULL, NULL, 'd'},
    [122] = {"sched_setaffinity", NULL, NULL, 'd'},
    [133] = {"rt_sigsuspend", NULL, NULL, 'd'},
    [136] = {"rt_sigpending", NULL, NULL, 'd'},
    [137] = {"rt_sigtimedwait", NULL, NULL, 'd'},
    [140] = {"setpriority", NULL, NULL, 'd'},
    [141] = {"getpriority", NULL, NULL, 'd'},
    [154] = {"setpgid", NULL, NULL, 'd'},
    [155] = {"getpgid", NULL, NULL, 'd'},
    [156] = {"getsid", NULL, NULL, 'd'},
    [157] = {"setsid", NULL, NULL, 'd'},
    [158] = {"getgroups", NULL, NULL, 'd'},
    [166] = {"umask", NULL, NULL, 'd'},
    [198] = {"socket", NULL, NULL, 'd'},
    [228] = {"mlock", NULL, NULL, 'd'},
    [229] = {"munlock", NULL, NULL, 'd'},
    [232] = {"mincore", NULL, NULL, 'd'},
    [279] = {"memfd_create", NULL, NULL, 'd'},
    [285] = {"copy_file_range", NULL, NULL, 'd'},
    [436] = {"close_range", NULL, NULL, 'd'},
    [437] = {"openat2", NULL, NULL, 'd'},
};

RT_SYSCALL_PATH void lx_syscall(struct dbt_cpu *cpu)
{
	uint64_t nr = cpu->x[17];
	const uint64_t a[6] = {cpu->x[10], cpu->x[11], cpu->x[12],
			       cpu->x[13], cpu->x[14], cpu->x[15]};
	const struct lx_syscall *sc = nr < NR_MAX && table[nr].name ? &table[nr] : NULL;
	int trace = lx_proc.start->strace;
	long r;

	lx_proc.syscalls++;
	if (!sc) {
		if (trace)
			lx_strace_unknown(lx_proc.start->pid, nr);
		r = -LX_ENOSYS;
	} else {
		if (trace)
			lx_strace_enter(lx_proc.start->pid, sc, a);
		r = sc->fn ? sc->fn(a) : -LX_ENOSYS;
		if (trace)
			lx_strace_exit(sc, r);
	}
	if (lx_proc.regs_restored) {
		lx_proc.regs_restored = 0;
	} else {
		cpu->x[10] = (uint64_t)r;
		/* ecall has no compressed form: the next instruction is 4 bytes on. */
		cpu->pc += 4;
	}
	if (r == -LX_EINTR)
		lx_signal_interrupted(a[0]);
	if (lx_signal_pending())
		lx_signal_dispatch(cpu);
}

/*
 * The translator's hook: an ecall in translated code (DBT_MODE_ECALL_EXIT
 * off) calls this from its block instead of leaving dbt_run.
 */
RT_SYSCALL_PATH void dbt_guest_ecall(struct dbt_cpu *cpu)
{
	lx_syscall(cpu);
}
