/*
 * kvm_probe.c - the quick measurement behind --platform=auto: is this KVM
 * running guest code in hardware, or emulating every instruction?
 *
 * A throw-away VM with one page of RAM runs a two-instruction real-mode loop
 * twice, with zero and with PROBE_LOOPS iterations; the difference in wall
 * time is the loop alone, free of VM creation and entry costs.  Hardware KVM
 * runs an iteration in about a nanosecond, the emulated hosts of DESIGN.md
 * section 2 in hundreds, so the verdict does not depend on a fine threshold,
 * and the whole probe costs a few milliseconds even where KVM is emulated
 * (the full monitor boot that --host-check does costs a quarter of a second
 * there).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "launcher.h"

#define PROBE_LOOPS 2000u
#define PROBE_CODE_GPA 0x1000u
/* Hardware: ~1 ns per iteration; emulated hosts: >= 480 ns. */
#define PROBE_HARDWARE_NS 50.0

static uint64_t probe_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Run `mov ecx, loops; 1: dec ecx; jnz 1b; hlt` in real mode; ns or -1. */
static int64_t probe_run(int vm_fd, int vcpu_fd, struct kvm_run *run, uint32_t loops)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs = { .rip = PROBE_CODE_GPA, .rflags = 2, .rcx = loops };

	if (ioctl(vcpu_fd, KVM_GET_SREGS, &sregs) < 0)
		return -1;
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(vcpu_fd, KVM_SET_SREGS, &sregs) < 0 || ioctl(vcpu_fd, KVM_SET_REGS, &regs) < 0)
		return -1;
	uint64_t start = probe_now_ns();
	if (ioctl(vcpu_fd, KVM_RUN, 0) < 0 || run->exit_reason != KVM_EXIT_HLT)
		return -1;
	return (int64_t)(probe_now_ns() - start);
}

int host_kvm_is_hardware(const struct launch_config *cfg, char *why, int whylen)
{
	/* 66 49 = dec ecx (operand-size prefix in real mode); 75 fc = jnz -4; f4 = hlt. */
	static const uint8_t code[] = { 0x66, 0x49, 0x75, 0xfc, 0xf4 };
	const char *dev = cfg->kvm_device ? cfg->kvm_device : "/dev/kvm";
	int kvm_fd = -1, vm_fd = -1, vcpu_fd = -1, verdict = -1;
	struct kvm_run *run = MAP_FAILED;
	long run_size = 0;
	uint8_t *ram = MAP_FAILED;

	kvm_fd = open(dev, O_RDWR | O_CLOEXEC);
	if (kvm_fd < 0) {
		snprintf(why, (size_t)whylen, "%s: %s", dev, strerror(errno));
		return -1;
	}
	vm_fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	ram = mmap(NULL, 2 * PROBE_CODE_GPA, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		   -1, 0);
	if (vm_fd < 0 || ram == MAP_FAILED) {
		snprintf(why, (size_t)whylen, "%s: cannot create a VM: %s", dev, strerror(errno));
		goto out;
	}
	memcpy(ram + PROBE_CODE_GPA, code, sizeof(code));
	struct kvm_userspace_memory_region region = {
		.slot = 0, .guest_phys_addr = 0, .memory_size = 2 * PROBE_CODE_GPA,
		.userspace_addr = (uintptr_t)ram,
	};
	vcpu_fd = ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0
			  ? -1 : ioctl(vm_fd, KVM_CREATE_VCPU, 0);
	run_size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vcpu_fd >= 0 && run_size > 0)
		run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu_fd, 0);
	if (run == MAP_FAILED) {
		snprintf(why, (size_t)whylen, "%s: cannot create a vCPU: %s", dev, strerror(errno));
		goto out;
	}
	int64_t base = probe_run(vm_fd, vcpu_fd, run, 1);
	int64_t timed = probe_run(vm_fd, vcpu_fd, run, PROBE_LOOPS + 1);
	if (base < 0 || timed < 0) {
		snprintf(why, (size_t)whylen, "%s: the probe VM did not run its loop", dev);
		goto out;
	}
	double per_loop = timed > base ? (double)(timed - base) / PROBE_LOOPS : 0.0;
	verdict = per_loop < PROBE_HARDWARE_NS;
	snprintf(why, (size_t)whylen, "measured %.1f ns per loop iteration in a probe VM: %s",
		 per_loop, verdict ? "hardware KVM" : "emulated KVM, hundreds of times slower than native");
out:
	if (run != MAP_FAILED)
		munmap(run, (size_t)run_size);
	if (ram != MAP_FAILED)
		munmap(ram, 2 * PROBE_CODE_GPA);
	if (vcpu_fd >= 0)
		close(vcpu_fd);
	if (vm_fd >= 0)
		close(vm_fd);
	close(kvm_fd);
	return verdict;
}
