/*
 * main.c - rvkvm: check the program, pick the platform, run it, and exit
 * with the guest's status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "launcher.h"
#include "options.h"

/* The room host_kvm_is_hardware() gets to explain its verdict. */
#define WHY_LEN 256

static const char *payload_option(const struct launch_config *cfg)
{
	switch (cfg->payload) {
	case RVKVM_PAYLOAD_SELFTEST:
		return "--selftest";
	case RVKVM_PAYLOAD_RING_GARBAGE:
		return "--ring-garbage";
	case RVKVM_PAYLOAD_CRASH:
		return cfg->crash_kind == RVKVM_CRASH_TRIPLE_FAULT ? "--crash=triple"
								   : "--crash=pagefault";
	}
	return "a monitor payload";
}

/* What the proc platform can run: programs, and its own crash path. */
static int proc_can_run(const struct launch_config *cfg)
{
	return cfg->payload == RVKVM_PAYLOAD_LINUX ||
	       (cfg->payload == RVKVM_PAYLOAD_CRASH && cfg->crash_kind == RVKVM_CRASH_PAGE_FAULT);
}

/*
 * DESIGN.md section 2: auto means kvm only where KVM runs guest code in
 * hardware, decided by measurement; an explicit choice always stands, with
 * one warning line when kvm is chosen on an emulated host.
 */
static enum platform_choice choose_platform(struct options *opt)
{
	struct launch_config *cfg = &opt->cfg;
	char why[WHY_LEN] = "";
	int hw;

	if (cfg->platform == PLATFORM_PROC) {
		if (!proc_can_run(cfg))
			die(1, "%s runs the monitor in a VM: use --platform=kvm or auto",
			    payload_option(cfg));
		if (cfg->verbose)
			fprintf(stderr, "rvkvm: platform proc (--platform=proc)\n");
		return PLATFORM_PROC;
	}

	hw = host_kvm_is_hardware(cfg, why, sizeof(why));
	/*
	 * The I/O thread pays where a VM exit is the cost to avoid; on an
	 * emulated KVM, on a busy host, its spinning took the vCPU thread's
	 * CPU and syscall-bound guests ran up to 2.6x slower
	 * (docs/performance.md, "The I/O thread on the kvm platform").
	 */
	if (cfg->io_thread < 0)
		cfg->io_thread = hw == 1;

	if (cfg->platform == PLATFORM_KVM) {
		if (hw == 0)
			fprintf(stderr,
				"rvkvm: warning: KVM on this host is emulated (%s); "
				"--platform=proc runs the same program much faster\n",
				why);
		if (cfg->verbose)
			fprintf(stderr, "rvkvm: platform kvm (--platform=kvm)\n");
		return PLATFORM_KVM;
	}

	if (cfg->payload != RVKVM_PAYLOAD_LINUX) {
		if (hw < 0)
			die(1, "%s needs KVM: %s", payload_option(cfg), why);
		if (cfg->verbose)
			fprintf(stderr,
				"rvkvm: platform kvm: %s tests the monitor, which runs "
				"in a VM (%s)\n",
				payload_option(cfg), why);
		return PLATFORM_KVM;
	}
	if (cfg->verbose)
		fprintf(stderr, "rvkvm: platform %s: %s%s\n", hw == 1 ? "kvm" : "proc",
			hw < 0 ? "no usable KVM: " : "", why);
	return hw == 1 ? PLATFORM_KVM : PLATFORM_PROC;
}

int main(int argc, char **argv)
{
	struct options opt;
	int fd;

	options_parse(argc, argv, &opt);
	switch (opt.action) {
	case ACTION_HELP:
		options_usage();
		return 0;
	case ACTION_VERSION:
		printf("rvkvm version %s (riscv64 Linux programs on x86-64; ABI %u)\n",
		       RVKVM_VERSION, RVKVM_ABI_VERSION);
		return 0;
	case ACTION_HOST_CHECK:
		return host_check(&opt.cfg);
	case ACTION_BINFMT:
		return binfmt_main(opt.binfmt_verb, opt.binfmt_fix_binary);
	case ACTION_RUN:
		break;
	}

	if (opt.cfg.root && (fd = rootfs_init(opt.cfg.root)) < 0)
		die(1, "--root %s: %s", opt.cfg.root, strerror(-fd));
	if (opt.cfg.payload == RVKVM_PAYLOAD_LINUX) {
		fd = elfcheck_open(opt.program, &opt.cfg.sysroot);
		fd = hostcall_reserve_fd(fd, HOSTCALL_FD_PREAD);
		if (fd < 0)
			die(1, "%s: cannot keep the program open: error %d", opt.program, -fd);
		opt.cfg.program_fd = fd;
	}

	opt.cfg.platform = choose_platform(&opt);
	launcher_stop_install(&opt.cfg);
	if (opt.cfg.platform == PLATFORM_KVM)
		return kvm_run(&opt.cfg);
	proc_run(&opt.cfg);
}
