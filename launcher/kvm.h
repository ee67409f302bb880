/*
 * kvm.h - the launcher's KVM platform, inside launcher/: one VM with one
 * vCPU running monitor.elf.  kvm_vm.c opens and configures the VM,
 * kvm_image.c loads the monitor and writes the boot structures, kvm_ring.c
 * serves the I/O ring, kvm.c runs the vCPU; hostcheck.c boots the CALIBRATE
 * payload through kvm_boot().
 */
#ifndef RVKVM_LAUNCHER_KVM_H
#define RVKVM_LAUNCHER_KVM_H

#include <linux/kvm.h>
#include <stddef.h>
#include <stdint.h>

#include "launcher.h"

#define KVM_MAX_MARKS 16
#define KVM_EXIT_REASON_MAX 64

/* Host CLOCK_MONOTONIC at each `out RVKVM_PORT_MARK` (calibration). */
struct kvm_marks {
	unsigned count;
	uint32_t id[KVM_MAX_MARKS];
	uint64_t ns[KVM_MAX_MARKS];
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

	/* --stats / --verbose counters. */
	uint64_t exits[KVM_EXIT_REASON_MAX];
	uint64_t doorbells, requests, failed;

	char error[256];              /* what failed, for the one-line message */
};

/* Boot options that are not on the command line. */
struct kvm_boot_opts {
	uint32_t payload;             /* enum rvkvm_payload */
	int quiet;
	struct kvm_marks *marks;
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

/* kvm_ring.c: serve sq_head..sq_tail.  Returns -1 to go on, or an exit status. */
int kvm_ring_serve(struct kvm_vm *vm);

int kvm_fail(struct kvm_vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
uint64_t kvm_now_ns(void);

#endif
