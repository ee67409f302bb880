/*
 * run.c - proc_run(): the core in this process.  Memory and the fault
 * handler are set up, then the sandbox closes, and only then does the
 * personality read the program: from its first byte on, guest input meets
 * a process that can make nothing but the allowed system calls.
 */
#include <string.h>
#include <unistd.h>

#include "../../../launcher/gdbserve.h"
#include "../../../launcher/launcher.h"
#include "linux.h"
#include "proc.h"

/* --crash=pagefault on proc: a store to the null page, outside the guest
 * region, so the report path of fault.c runs as for a real bug. */
static volatile uintptr_t crash_address = 16;

static _Noreturn void crash_page_fault(void)
{
	*(volatile uint64_t *)crash_address = 0;
	plat_panic("--crash=pagefault: the store did not fault");
}

void proc_run(const struct launch_config *cfg)
{
	struct linux_start start = {
	    .program_fd = cfg->program_fd,
	    .execfn = cfg->execfn,
	    .argc = cfg->argc,
	    .argv = (const char *const *)cfg->argv,
	    .envc = cfg->envc,
	    .envp = (const char *const *)cfg->envp,
	    .stack_size = cfg->stack_size,
	    /* Unbounded unless asked, as under qemu-riscv64: a process has
	     * no RAM size of its own. */
	    .ram_limit = cfg->ram_size_given ? cfg->ram_size : 0,
	    .pid = (uint32_t)getpid(),
	    .ppid = (uint32_t)getppid(),
	    .uid = getuid(),
	    .gid = getgid(),
	    .euid = geteuid(),
	    .egid = getegid(),
	    .sysroot = cfg->sysroot,
	    .strace = cfg->strace,
	    .stats = cfg->stats,
	    .guest_strings = cfg->guest_strings,
	    .verbose = cfg->verbose,
	    .profile = cfg->profile,
	    .trace_mask = cfg->trace_mask,
	    .gdb = cfg->gdb_port != 0,
	    .ignored_signals = launcher_ignored_signals(),
	};
	/* Host signals go straight to the personality (launcher/stop.c). */
	static const struct launcher_stop_ops host_signals = {
	    .forward = linux_host_signals,
	    .untaken = linux_host_signals_untaken,
	};
	struct profile_files files;
	int r;

	/* Before the sandbox closes: it allows no open(2). */
	profile_files_open(cfg, 0, &files);
	start.profile_flags = cfg->profile_file ? RVKVM_PROFILE_FOLDED : 0;
	start.perf_map_fd = files.perf_map_fd;
	start.profile_fd = files.profile_fd;
	start.perf_map_jit = 1;
	plat_has_sse = !cfg->soft_fp;
	r = proc_memory_init(!cfg->test_high_base);

	/* The host's limits, not a bug: say which and what to change. */
	if (r < 0)
		die(1, "cannot reserve %llu GiB of address space for guest memory: %s (ulimit -v?)",
		    (unsigned long long)(PROC_ADDRESS_SPACE >> 30), strerror(-r));
	proc_fault_init();
	if (cfg->profile)
		proc_profile_start(cfg->profile);
	/* The sandbox allows no listen or accept: the debugger connects first. */
	if (cfg->gdb_port && cfg->payload == RVKVM_PAYLOAD_LINUX) {
		gdbserve_open(cfg->gdb_port);
		gdbserve_accept();
	}
	/* rt_sigprocmask, which attaching uses, is outside the sandbox. */
	launcher_stop_attach(&host_signals);
	proc_sandbox_enter();

	if (cfg->test_seccomp)
		proc_sandbox_test(cfg->test_seccomp);
	if (cfg->payload == RVKVM_PAYLOAD_CRASH)
		crash_page_fault();
	linux_run(&start);
}
