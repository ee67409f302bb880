/*
 * launcher.h - what the pieces of the host launcher share: the parsed
 * command line and the entry point of each platform.
 */
#ifndef RVKVM_LAUNCHER_H
#define RVKVM_LAUNCHER_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "rvkvm_abi.h"

enum platform_choice { PLATFORM_AUTO, PLATFORM_KVM, PLATFORM_PROC };

struct launch_config {
	enum platform_choice platform;
	const char *kvm_device;      /* default /dev/kvm */
	const char *monitor_path;    /* default: monitor.elf next to the binary */
	uint64_t ram_size;           /* -m, default 1 GiB */
	int ram_size_given;          /* -m was on the command line */
	uint32_t payload;            /* enum rvkvm_payload */
	uint32_t crash_kind;
	uint32_t garbage_requests;   /* --ring-garbage=N; 0 = the payload's default */
	int verbose, strace, stats;
	int guest_strings;	     /* --no-host-strings */
	int soft_fp;		     /* --soft-fp */
	int program_fd;              /* open riscv64 ELF, -1 for non-Linux payloads */
	const char *execfn;
	int argc;                    /* guest argv (argv[0] possibly from -0) */
	char **argv;
	int envc;
	char **envp;
	uint64_t stack_size;
	const char *sysroot;         /* -L or RVKVM_LD_PREFIX; NULL = none */
	int profile;                 /* --profile: samples per second, 0 = off */
	const char *test_seccomp;    /* test only: proc tries a forbidden syscall */
	int test_high_base;          /* test only: proc's guest region away from 0, r14 its base */
	uint64_t timeout_ms;         /* --timeout: end the run after this; 0 = never */
	const char *timeout_text;    /* --timeout as given, for the message */
	uint32_t trace_mask;         /* -d: RVKVM_TRACE_* */
	const char *trace_file;      /* -D: where -d output goes; NULL = stderr */
	int gdb_port;                /* -g PORT; 0 = no debugger */
	const char *perf_map;        /* --perf-map FILE; NULL = none */
	const char *profile_file;    /* --profile=FILE: folded stacks written here */
	const char *root;            /* --root DIR: the guest's file system view; NULL = host's */
	int io_thread;               /* --io-thread: kvm polls the ring from a thread; -1 auto */
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

/*
 * The launcher's own descriptors (/dev/kvm, VM and vCPU fds, the monitor
 * image, the program) are not the guest's: host calls naming one fail with
 * -EBADF, as they would in a process that never opened it.  Reserving moves
 * the descriptor above the range a guest's opens normally take, so the
 * guest's descriptor numbers match qemu-riscv64's; use the returned number
 * from then on.  HOSTCALL_FD_PREAD still lets HC_PREAD and HC_FSTAT through
 * (the monitor loads the program that way).  Returns the new fd or -errno.
 */
#define HOSTCALL_FD_HIDDEN 0
#define HOSTCALL_FD_PREAD  1
#define HOSTCALL_FD_WRITE  2 /* HC_WRITE only: the monitor's output files */
int hostcall_reserve_fd(int fd, int access);

/*
 * profile_files.c: open --perf-map and --profile=FILE for the platform
 * (kvm: the perf map starts with monitor.elf's own symbols, in kallsyms
 * format; proc: perf's JIT map, `auto` = /tmp/perf-PID.map), reserved
 * HOSTCALL_FD_WRITE.  Each fd is 0 when not asked for; dies with one line
 * when a file cannot be opened.
 */
struct profile_files {
	int perf_map_fd;
	int profile_fd;
};
void profile_files_open(const struct launch_config *cfg, int kvm, struct profile_files *out);

/*
 * rootfs.c: --root DIR confines every path a host call takes to DIR
 * (docs/security.md).  rootfs_init opens DIR (0 or -errno); until then
 * rootfs_active() is 0 and rootfs_at() hands dirfd and path back as given.
 * rootfs_at() gives the descriptor and name a *at() call works on: with
 * ROOTFS_OBJECT the object itself, symlinks followed inside the root (name
 * "", flags AT_EMPTY_PATH); with ROOTFS_PARENT its parent and the last
 * name, not followed.  Close it with rootfs_done().
 */
#define ROOTFS_OBJECT 0
#define ROOTFS_PARENT 1
struct rootfs_at {
	int fd;
	int flags; /* to OR into the call's flags */
	int owned; /* fd is ours to close */
	char name[PATH_MAX];
};
int rootfs_init(const char *dir);
int rootfs_active(void);
int rootfs_at(int dirfd, const char *path, int how, struct rootfs_at *at);
void rootfs_done(struct rootfs_at *at);
long rootfs_openat(int dirfd, const char *path, int64_t flags, int64_t mode);
long rootfs_chdir(const char *path);
long rootfs_getcwd(char *buf, size_t len);

/*
 * stop.c: ignore SIGPIPE (a write to a closed pipe is the guest's EPIPE),
 * catch the signals a process can be sent and hand them to the guest, and
 * print "rvkvm: timeout after N s" and ask for status 124 when --timeout
 * runs out.  Call before any platform starts.
 */
void launcher_stop_install(const struct launch_config *cfg);

/*
 * How a platform takes host signals.  forward() runs in a signal handler
 * (async-signal-safe): sigs has bit n-1 for signal n (x86-64 and riscv64
 * number them alike), stop is a status to end the run with after the
 * guest's file mappings are written back (124 for --timeout), 0 for none.
 * untaken() says which forwarded signals the monitor has not yet taken;
 * one still there 2 s later ends the process with 128 + its number.
 * Attach before the guest runs and detach (NULL) before the platform's
 * shared memory goes away; signals that come while none is attached wait.
 */
struct launcher_stop_ops {
	void (*forward)(uint64_t sigs, int stop);
	uint64_t (*untaken)(void);
};
void launcher_stop_attach(const struct launcher_stop_ops *ops);

/*
 * Interrupt a thread of this process (its blocking system call returns
 * EINTR, KVM_RUN returns to user space) with a marked SIGURG that the stop
 * handler recognises and does not forward.  Async-signal-safe.
 */
void launcher_kick_thread(int tid);

/* Signals that were SIG_IGN when rvkvm started (bit n-1: signal n), for
 * bootinfo.ignored_signals / linux_start.ignored_signals. */
uint64_t launcher_ignored_signals(void);

/* One-line fatal error: "rvkvm: <what>" and exit status. */
_Noreturn void die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
