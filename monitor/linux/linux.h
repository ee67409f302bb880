/*
 * linux.h - entry to the guest Linux personality.  A platform collects what
 * the user asked for into a struct linux_start and calls linux_run(), which
 * never returns: it ends in plat_exit() with the guest's status.
 */
#ifndef RVKVM_LINUX_H
#define RVKVM_LINUX_H

#include <stdint.h>

struct linux_start {
	int program_fd;	    /* host fd of the riscv64 ELF, read with HC_PREAD */
	const char *execfn; /* AT_EXECFN: the path as given by the user */
	int argc;
	const char *const *argv; /* argv[0] already replaced by -0 if given */
	int envc;
	const char *const *envp;
	uint64_t stack_size; /* RLIMIT_STACK for the guest (-s) */
	uint64_t ram_limit;  /* bytes of guest memory allowed, 0 = platform's */
	uint32_t pid, ppid, uid, gid, euid, egid;
	const char *sysroot; /* -L, as qemu's: where ld.so and libraries are; NULL = none */
	int strace;	     /* --strace: log every syscall */
	int stats;	     /* --stats: counters at exit */
	int verbose;	     /* --verbose: name the guest pc and address of a fatal signal */
	int profile;	     /* --profile: the platform samples at LINUX_PROFILE_HZ */
	uint32_t trace_mask; /* -d: RVKVM_TRACE_* */
	int gdb;	     /* -g: wait for the debugger before the first instruction */
	uint32_t profile_flags; /* RVKVM_PROFILE_* */
	uint64_t ignored_signals; /* bit n-1: signal n inherited as SIG_IGN */
	int perf_map_fd;	  /* --perf-map: host fd to write the map to, 0 = none */
	int profile_fd;		  /* --profile=FILE: host fd for folded stacks, 0 = none */
};

_Noreturn void linux_run(const struct linux_start *start);

/*
 * --profile: the platform's profiling timer calls this with the guest pc it
 * interrupted (from a signal handler or an interrupt: it only counts), and
 * the personality prints a flat profile by guest function at exit.
 */
#define LINUX_PROFILE_HZ 1000
void linux_profile_sample(uint64_t guest_pc);

#endif
