/*
 * launcher.h - what the pieces of the host launcher share: the parsed
 * command line and the entry point of each platform.
 */
#ifndef RVKVM_LAUNCHER_H
#define RVKVM_LAUNCHER_H

#include <stdint.h>
#include <sys/uio.h>

#include "rvkvm_abi.h"

enum platform_choice { PLATFORM_AUTO, PLATFORM_KVM, PLATFORM_PROC };

struct launch_config {
	enum platform_choice platform;
	const char *kvm_device;      /* default /dev/kvm */
	const char *monitor_path;    /* default: monitor.elf next to the binary */
	uint64_t ram_size;           /* -m, default 1 GiB */
	uint32_t payload;            /* enum rvkvm_payload */
	uint32_t crash_kind;
	int verbose, strace, stats;
	int program_fd;              /* open riscv64 ELF, -1 for non-Linux payloads */
	const char *execfn;
	int argc;                    /* guest argv (argv[0] possibly from -0) */
	char **argv;
	int envc;
	char **envp;
	uint64_t stack_size;
};

/* kvm platform: boot the monitor and run the payload; returns the exit status. */
int kvm_run(const struct launch_config *cfg);

/* proc platform: run the translator in this process; never returns. */
_Noreturn void proc_run(const struct launch_config *cfg);

/* --host-check: measure this host's KVM, print the table, return status. */
int host_check(const struct launch_config *cfg);

/* What the measurement said: 1 hardware, 0 emulated, -1 no usable KVM. */
int host_kvm_is_hardware(const struct launch_config *cfg, char *why, int whylen);

/*
 * Host calls (rvkvm_abi.h section 5) on this process's own descriptors, with
 * buffers already turned into host iovecs.  Shared by the kvm ring server
 * and the proc platform.  Returns the result or -errno.
 */
long hostcall_execute(uint32_t op, const int64_t arg[6], const struct iovec *const buf[],
		      const unsigned nseg[], unsigned nbuf);

/* One-line fatal error: "rvkvm: <what>" and exit status. */
_Noreturn void die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
