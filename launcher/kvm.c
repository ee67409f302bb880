/*
 * kvm.c - kvm_run(): boot monitor.elf in a VM and run its vCPU until the
 * monitor exits or crashes; host signals reach it as an NMI.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "gdbserve.h"
#include "kvm.h"

#define STATUS_MONITOR_CRASH 70 /* EX_SOFTWARE */

/*
 * Host signals for the guest (launcher/stop.c) reach the monitor through
 * the ring header and an NMI (rvkvm_abi.h section 4).  forward_signals runs
 * in the signal handler: it sets the words and immediate_exit, which makes
 * the current or next KVM_RUN return EINTR at once (KVM API 4.10), so a
 * signal that lands just before KVM_RUN is not lost; the vCPU loop then
 * queues the NMI with KVM_NMI, a vCPU ioctl that belongs to the loop, not
 * to a handler.  signal_vm is set while a vCPU runs (one VM per process at
 * a time); nmi_wanted is set by the handler and cleared by the loop.
 */
static struct kvm_vm *volatile signal_vm;
static volatile sig_atomic_t nmi_wanted;

static void forward_signals(uint64_t sigs, int stop)
{
	struct kvm_vm *vm = signal_vm;

	if (!vm)
		return;
	__atomic_or_fetch(&kvm_vm_ring(vm)->host_signals, sigs, __ATOMIC_SEQ_CST);
	if (stop)
		__atomic_store_n(&kvm_vm_ring(vm)->host_stop, (uint32_t)stop, __ATOMIC_SEQ_CST);
	nmi_wanted = 1;
	vm->run->immediate_exit = 1;
	/*
	 * The process's signal reaches one thread.  KVM_RUN returns only for a
	 * signal to the vCPU thread, and a host call blocked in the I/O thread
	 * (a read of stdin) returns only for one to that thread: kick the one
	 * this is not.  The I/O thread's -EINTR completion may reach the
	 * monitor before the NMI: it takes the words itself then (ring.c).
	 */
	pid_t self = gettid(), io_tid = __atomic_load_n(&vm->io.tid, __ATOMIC_SEQ_CST);
	if (self != vm->vcpu_tid)
		launcher_kick_thread(vm->vcpu_tid);
	if (io_tid && self != io_tid)
		launcher_kick_thread(io_tid);
}

static uint64_t untaken_signals(void)
{
	struct kvm_vm *vm = signal_vm;

	return vm ? __atomic_load_n(&kvm_vm_ring(vm)->host_signals, __ATOMIC_SEQ_CST) : 0;
}

static const struct launcher_stop_ops host_signals = {
	.forward = forward_signals,
	.untaken = untaken_signals,
};

static const char *vector_name(uint64_t v)
{
	static const char *const names[32] = {
		"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "-",  "#TS",
		"#NP", "#SS", "#GP", "#PF", "-",   "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
	};
	if (v == ~0ull)
		return "panic";
	return v < 32 && names[v] ? names[v] : "?";
}

static int report_crash(struct kvm_vm *vm, uint32_t gpa)
{
	struct rvkvm_crash c;

	if (gpa > vm->ram_size || sizeof(c) > vm->ram_size - gpa) {
		fprintf(stderr, "rvkvm: monitor crashed (report at %#x is outside RAM)\n", gpa);
		return STATUS_MONITOR_CRASH;
	}
	memcpy(&c, vm->ram + gpa, sizeof(c));
	if (c.magic != RVKVM_CRASH_MAGIC) {
		fprintf(stderr, "rvkvm: monitor crashed (report at %#x has a bad magic)\n", gpa);
		return STATUS_MONITOR_CRASH;
	}
	c.message[sizeof(c.message) - 1] = 0;
	fprintf(stderr,
		"rvkvm: monitor crash: %s\n"
		"  vector %lld (%s)  error code %#llx  cr2 0x%016llx\n"
		"  rip 0x%016llx  cs %#llx  rflags %#llx  rsp 0x%016llx  ss %#llx\n"
		"  rax 0x%016llx  rbx 0x%016llx  rcx 0x%016llx  rdx 0x%016llx\n"
		"  rsi 0x%016llx  rdi 0x%016llx  rbp 0x%016llx\n"
		"  r8  0x%016llx  r9  0x%016llx  r10 0x%016llx  r11 0x%016llx\n"
		"  r12 0x%016llx  r13 0x%016llx  r14 0x%016llx  r15 0x%016llx\n"
		"  guest pc %#llx\n",
		c.message, c.vector == ~0ull ? -1ll : (long long)c.vector, vector_name(c.vector),
		(unsigned long long)c.error_code, (unsigned long long)c.cr2,
		(unsigned long long)c.rip, (unsigned long long)c.cs, (unsigned long long)c.rflags,
		(unsigned long long)c.rsp, (unsigned long long)c.ss, (unsigned long long)c.rax,
		(unsigned long long)c.rbx, (unsigned long long)c.rcx, (unsigned long long)c.rdx,
		(unsigned long long)c.rsi, (unsigned long long)c.rdi, (unsigned long long)c.rbp,
		(unsigned long long)c.r8, (unsigned long long)c.r9, (unsigned long long)c.r10,
		(unsigned long long)c.r11, (unsigned long long)c.r12, (unsigned long long)c.r13,
		(unsigned long long)c.r14, (unsigned long long)c.r15,
		(unsigned long long)c.guest_pc);
	return STATUS_MONITOR_CRASH;
}

/* A stop KVM itself saw (triple fault, bad state): the vCPU's registers. */
static int report_vcpu_stop(struct kvm_vm *vm, const char *what)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;

	fprintf(stderr, "rvkvm: monitor stopped: %s\n", what);
	if (!ioctl(vm->vcpu_fd, KVM_GET_REGS, &regs) && !ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sregs))
		fprintf(stderr,
			"  rip 0x%016llx  rsp 0x%016llx  rflags %#llx\n"
			"  cr0 %#llx  cr2 0x%016llx  cr3 %#llx  cr4 %#llx  efer %#llx\n"
			"  idt base %#llx limit %#x  gdt base %#llx limit %#x\n",
			(unsigned long long)regs.rip, (unsigned long long)regs.rsp,
			(unsigned long long)regs.rflags, (unsigned long long)sregs.cr0,
			(unsigned long long)sregs.cr2, (unsigned long long)sregs.cr3,
			(unsigned long long)sregs.cr4, (unsigned long long)sregs.efer,
			(unsigned long long)sregs.idt.base, sregs.idt.limit,
			(unsigned long long)sregs.gdt.base, sregs.gdt.limit);
	return STATUS_MONITOR_CRASH;
}

static void record_mark(struct kvm_vm *vm, uint32_t id)
{
	struct kvm_marks *m = vm->marks;

	if (m && m->count < KVM_MAX_MARKS) {
		m->id[m->count] = id;
		m->ns[m->count++] = kvm_now_ns();
	}
}

/* Returns -1 to resume the vCPU, else the run's exit status. */
static int handle_io(struct kvm_vm *vm)
{
	struct kvm_run *run = vm->run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	uint32_t value = 0;

	if (run->io.direction != KVM_EXIT_IO_OUT) {
		fprintf(stderr, "rvkvm: monitor read I/O port %#x, which does not exist\n",
			run->io.port);
		return STATUS_MONITOR_CRASH;
	}
	memcpy(&value, data, run->io.size < 4 ? run->io.size : 4);
	switch (run->io.port) {
	case RVKVM_PORT_DOORBELL: {
		int awake = __atomic_load_n(&kvm_vm_ring(vm)->io_poller_awake, __ATOMIC_SEQ_CST);
		int status = kvm_ring_serve(vm, 0);
		if (vm->io.running)
			kvm_iothread_doorbell(vm, awake);
		return status;
	}
	case RVKVM_PORT_EXIT:
		return (int)(value & 0xff);
	case RVKVM_PORT_CRASH:
		return report_crash(vm, value);
	case RVKVM_PORT_CONSOLE:
		if (!vm->quiet && write(STDERR_FILENO, data, 1) < 0)
			return -1;
		return -1;
	case RVKVM_PORT_MARK:
		record_mark(vm, value);
		return -1;
	default:
		fprintf(stderr, "rvkvm: monitor wrote %#x to I/O port %#x, which does not exist\n",
			value, run->io.port);
		return STATUS_MONITOR_CRASH;
	}
}

static int vcpu_loop(struct kvm_vm *vm)
{
	char what[128];

	for (;;) {
		if (ioctl(vm->vcpu_fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN) {
				vm->run->immediate_exit = 0;
				if (nmi_wanted) {
					nmi_wanted = 0;
					if (ioctl(vm->vcpu_fd, KVM_NMI, 0) < 0) {
						snprintf(what, sizeof(what), "KVM_NMI: %s",
							 strerror(errno));
						return report_vcpu_stop(vm, what);
					}
				}
				continue;
			}
			snprintf(what, sizeof(what), "KVM_RUN: %s", strerror(errno));
			return report_vcpu_stop(vm, what);
		}
		uint32_t reason = vm->run->exit_reason;
		vm->exits[reason < KVM_EXIT_REASON_MAX ? reason : 0]++;
		int status;
		switch (reason) {
		case KVM_EXIT_IO:
			status = handle_io(vm);
			if (status >= 0)
				return status;
			break;
		case KVM_EXIT_SHUTDOWN:
			return report_vcpu_stop(vm, "triple fault (KVM_EXIT_SHUTDOWN)");
		case KVM_EXIT_HLT:
			return report_vcpu_stop(vm, "hlt with interrupts off");
		case KVM_EXIT_MMIO:
			snprintf(what, sizeof(what), "access to %#llx, outside RAM",
				 (unsigned long long)vm->run->mmio.phys_addr);
			return report_vcpu_stop(vm, what);
		case KVM_EXIT_FAIL_ENTRY:
			snprintf(what, sizeof(what), "VM entry failed, reason %#llx",
				 (unsigned long long)vm->run->fail_entry.hardware_entry_failure_reason);
			return report_vcpu_stop(vm, what);
		case KVM_EXIT_INTERNAL_ERROR:
			snprintf(what, sizeof(what), "KVM internal error, suberror %u",
				 vm->run->internal.suberror);
			return report_vcpu_stop(vm, what);
		default:
			snprintf(what, sizeof(what), "unexpected exit reason %u", reason);
			return report_vcpu_stop(vm, what);
		}
	}
}

static int hide_fd(struct kvm_vm *vm, int *fd)
{
	int moved = hostcall_reserve_fd(*fd, HOSTCALL_FD_HIDDEN);

	if (moved < 0)
		return kvm_fail(vm, "cannot reserve a descriptor: %s", strerror(-moved));
	*fd = moved;
	return 0;
}

int kvm_boot(const struct launch_config *cfg, const struct kvm_boot_opts *opts, struct kvm_vm *vm)
{
	int status = -1;

	memset(vm, 0, sizeof(*vm));
	pthread_mutex_init(&vm->serve_lock, NULL);
	vm->vcpu_tid = gettid();
	vm->kvm_fd = vm->vm_fd = vm->vcpu_fd = -1;
	vm->quiet = opts->quiet;
	vm->marks = opts->marks;
	vm->start_ns = kvm_now_ns();
	if (kvm_vm_create(cfg, vm) || hide_fd(vm, &vm->kvm_fd) || hide_fd(vm, &vm->vm_fd) ||
	    hide_fd(vm, &vm->vcpu_fd) || kvm_image_load(cfg, vm) ||
	    kvm_boot_structures(cfg, opts->payload, vm) || kvm_vcpu_setup(vm))
		goto out;

	if (opts->io_thread && kvm_iothread_start(vm))
		goto out;
	nmi_wanted = 0;
	signal_vm = vm;
	launcher_stop_attach(&host_signals);
	status = vcpu_loop(vm);
	kvm_iothread_stop(vm);
	launcher_stop_attach(NULL);
	signal_vm = NULL;
out:
	kvm_vm_destroy(vm);
	pthread_mutex_destroy(&vm->serve_lock);
	return status;
}

static void print_stats(const struct kvm_vm *vm, uint64_t end_ns)
{
	static const char *const names[] = {
		[KVM_EXIT_IO] = "io", [KVM_EXIT_HLT] = "hlt", [KVM_EXIT_MMIO] = "mmio",
		[KVM_EXIT_SHUTDOWN] = "shutdown", [KVM_EXIT_FAIL_ENTRY] = "fail_entry",
		[KVM_EXIT_INTR] = "intr", [KVM_EXIT_INTERNAL_ERROR] = "internal_error",
	};
	fprintf(stderr, "rvkvm: kvm: %.3f ms to the first ring request, %.3f ms to exit; exits:",
		vm->first_request_ns ? (vm->first_request_ns - vm->start_ns) / 1e6 : 0.0,
		(end_ns - vm->start_ns) / 1e6);
	uint64_t exits = 0;
	for (unsigned r = 0; r < KVM_EXIT_REASON_MAX; r++) {
		exits += vm->exits[r];
		if (vm->exits[r])
			fprintf(stderr, " %s %llu", r < sizeof(names) / sizeof(names[0]) && names[r] ?
							   names[r] : "other",
				(unsigned long long)vm->exits[r]);
	}
	fprintf(stderr, "; %llu doorbells, %llu ring requests (%llu failed)\n",
		(unsigned long long)vm->doorbells, (unsigned long long)vm->requests,
		(unsigned long long)vm->failed);
	fprintf(stderr,
		"rvkvm: kvm: I/O thread %s: %llu requests served by it, %llu on doorbell exits "
		"(%llu doorbells, %llu while it polled, %llu sleeps); %.3f exits per host call\n",
		vm->io.started ? "on" : "off",
		(unsigned long long)vm->requests_by_iothread,
		(unsigned long long)(vm->requests - vm->requests_by_iothread),
		(unsigned long long)vm->doorbells, (unsigned long long)vm->io.misses,
		(unsigned long long)vm->io.sleeps,
		vm->requests ? (double)exits / (double)vm->requests : 0.0);
	if (vm->guest_syscalls)
		fprintf(stderr,
			"rvkvm: kvm: %llu guest system calls, %.3f VM exits per system call\n",
			(unsigned long long)vm->guest_syscalls,
			(double)exits / (double)vm->guest_syscalls);
}

int kvm_run(const struct launch_config *cfg)
{
	struct kvm_boot_opts opts = { .payload = cfg->payload, .io_thread = cfg->io_thread };
	struct kvm_vm vm;
	int status;

	/*
	 * Bound now, so a bad port fails at once; listening waits for the
	 * monitor's first HC_GDB_* call, so the debugger, whose connect retries
	 * while refused, never waits on a slow boot with a packet outstanding.
	 */
	if (cfg->gdb_port && cfg->payload == RVKVM_PAYLOAD_LINUX)
		gdbserve_open(cfg->gdb_port);
	status = kvm_boot(cfg, &opts, &vm);

	if (status < 0)
		die(1, "%s", vm.error);
	if (cfg->stats || cfg->verbose)
		print_stats(&vm, kvm_now_ns());
	fflush(stdout);
	return status;
}
