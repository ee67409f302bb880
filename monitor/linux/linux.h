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
	int guest_strings;   /* --no-host-strings: no C library routine runs as host code */
	int profile;	     /* --profile: samples per second the platform takes, 0 = off */
	uint32_t trace_mask; /* -d: RVKVM_TRACE_* */
	int gdb;	     /* -g: wait for the debugger before the first instruction */
	uint32_t profile_flags; /* RVKVM_PROFILE_* */
	uint64_t ignored_signals; /* bit n-1: signal n inherited as SIG_IGN */
	int perf_map_fd;	  /* --perf-map: host fd to write the map to, 0 = none */
	int profile_fd;		  /* --profile=FILE: host fd for folded stacks, 0 = none */
	int perf_map_jit;	  /* the perf map in perf's JIT format (proc), else kallsyms */
};

_Noreturn void linux_run(const struct linux_start *start);

/*
 * --profile: the platform's profiling timer calls this with the guest pc it
 * interrupted (from a signal handler or an interrupt: it only counts), and
 * the personality prints a flat profile by guest function at exit.
 */
#define LINUX_PROFILE_HZ 1000
void linux_profile_sample(uint64_t guest_pc);
/*
 * The same, from the host rip the timer interrupted: the personality finds
 * the guest pc (translated code: exact; elsewhere: the pc the vCPU state
 * last recorded) and, for --profile=FILE, the guest's call stack.
 */
void linux_profile_tick(uint64_t host_rip);

/*
 * Host signals for the guest (docs/security.md, "Host signals").  The
 * platform calls linux_host_signals from its signal or interrupt handler
 * (it only sets words): sigs has bit n-1 for signal n, stop is a status to
 * end the run with (124 for --timeout; shared file mappings are written
 * back first), 0 for none.  The personality acts on them at the next block
 * boundary (cpu->interrupt_request) or host call return, as the guest's
 * dispositions say.  linux_host_signals_untaken: the signals not acted on
 * yet, for the launcher's backstop.
 */
void linux_host_signals(uint64_t sigs, int stop);
uint64_t linux_host_signals_untaken(void);

#endif
