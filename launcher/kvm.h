/*
 * kvm.h - the launcher's KVM platform, inside launcher/: one VM with one
 * vCPU running monitor.elf.  kvm_vm.c opens and configures the VM,
 * kvm_image.c loads the monitor and writes the boot structures, kvm_ring.c
 * serves the I/O ring, kvm_iothread.c polls it from a second thread, kvm.c
 * runs the vCPU; hostcheck.c boots the CALIBRATE payload through kvm_boot().
 */
#ifndef RVKVM_LAUNCHER_KVM_H
#define RVKVM_LAUNCHER_KVM_H

#include <linux/kvm.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "launcher.h"

#define KVM_MAX_MARKS 16
#define KVM_EXIT_REASON_MAX 64

/* Host CLOCK_MONOTONIC at each `out RVKVM_PORT_MARK` (calibration). */
struct kvm_marks {
	unsigned count;
	uint32_t id[KVM_MAX_MARKS];
	uint64_t ns[KVM_MAX_MARKS];
};

/*
 * The I/O thread (kvm_iothread.c, --io-thread=on).  The vCPU thread owns
 * the struct and writes misses and the probe counts under serve_lock; the
 * I/O thread writes tid, sleeping and sleeps, and the counters and gaps of
 * struct kvm_vm under serve_lock.
 */
struct kvm_iothread {
	int started;                  /* this run used it (--stats) */
	int running;                  /* started, not yet joined */
	pthread_t thread;
	pid_t tid;                    /* 0 until the thread runs (signal kicks) */
	int stop;                     /* set by the vCPU thread to end it */
	uint32_t wake_seq;            /* futex word: bumped to wake the thread */
	int sleeping;                 /* the thread is in (or entering) its futex wait */
	uint64_t sleeps;              /* times it stopped polling and slept */
	uint64_t misses;              /* doorbells rung while it was meant to be awake */
	unsigned doorbells_idle;      /* doorbells since it last tried, while it does not pay */
	unsigned probe_after;         /* ... before it tries again */
};

struct kvm_vm {
	int kvm_fd, vm_fd, vcpu_fd;
	struct kvm_run *run;
	size_t run_size;
	uint8_t *ram;
	uint64_t ram_size;

	/* From the image's multiboot and rvkvm headers (kvm_image.c). */
	uint64_t load_addr, load_end, bss_end, entry64;

	int quiet;                    /* drop HC_LOG text (calibration boots) */
	struct kvm_marks *marks;      /* NULL: marks are ignored */
	uint64_t start_ns;            /* launcher's clock at kvm_boot entry */
	uint64_t first_request_ns;    /* ... at the first ring request */

	/* --stats / --verbose counters, written under serve_lock. */
	uint64_t exits[KVM_EXIT_REASON_MAX];
	uint64_t doorbells, requests, failed;
	uint64_t requests_by_iothread; /* the rest were served on doorbell exits */
	uint64_t guest_syscalls;       /* the monitor's count, from HC_STATS at exit */
	/*
	 * Moving averages of the time from one request to the next: [0] with
	 * the I/O thread asleep (each a doorbell exit), [1] with it awake.
	 * That time is what the guest spends per host call, exit included.
	 */
	uint64_t gap_ns[2];
	unsigned gap_samples[2];
	uint64_t last_request_ns;     /* when the last request was taken */
	int last_poller_awake;        /* ... and whether the I/O thread was awake */

	/* One server of the ring at a time: the vCPU thread on a doorbell, or the I/O thread */
	pthread_mutex_t serve_lock;
	pid_t vcpu_tid;               /* the thread in KVM_RUN (signal kicks) */
	struct kvm_iothread io;

	char error[256];              /* what failed, for the one-line message */
};

/* Boot options that are not on the command line. */
struct kvm_boot_opts {
	uint32_t payload;             /* enum rvkvm_payload */
	int quiet;
	struct kvm_marks *marks;
	int io_thread;                /* poll the ring from a launcher thread */
};

/*
 * Boot the monitor and run it to the end.  Returns the exit status (the
 * guest's, 70 for a monitor crash, 128+signal when stopped), or -1 with
 * vm->error set when the VM could not be set up; the VM is torn down
 * either way.
 */
int kvm_boot(const struct launch_config *cfg, const struct kvm_boot_opts *opts, struct kvm_vm *vm);

/* kvm_vm.c: device, VM, vCPU, RAM.  -1 with vm->error on failure. */
int kvm_vm_create(const struct launch_config *cfg, struct kvm_vm *vm);
int kvm_vcpu_setup(struct kvm_vm *vm);
void kvm_vm_destroy(struct kvm_vm *vm);

/* kvm_image.c: load monitor.elf, write boot info, args, ring, page tables. */
int kvm_image_load(const struct launch_config *cfg, struct kvm_vm *vm);
int kvm_boot_structures(const struct launch_config *cfg, uint32_t payload, struct kvm_vm *vm);

/*
 * kvm_ring.c: serve sq_head..sq_tail under serve_lock.  Returns -1 to go
 * on, or an exit status.  The I/O thread (by_iothread) leaves HC_EXIT and
 * a broken ring to the doorbell, which the monitor rings for both.
 */
int kvm_ring_serve(struct kvm_vm *vm, int by_iothread);

/* kvm_iothread.c: start and stop the poller; a doorbell wakes it. */
int kvm_iothread_start(struct kvm_vm *vm);
void kvm_iothread_stop(struct kvm_vm *vm);
void kvm_iothread_doorbell(struct kvm_vm *vm, int poller_was_awake);

int kvm_fail(struct kvm_vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
uint64_t kvm_now_ns(void);

/* The ring the launcher and the monitor share, in VM memory. */
static inline struct rvkvm_ring *kvm_vm_ring(const struct kvm_vm *vm)
{
	return (struct rvkvm_ring *)(vm->ram + RVKVM_GPA_RING);
}

#endif
