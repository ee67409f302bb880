/*
 * trap.c - where exceptions go.  A #PF is guest memory's business
 * (guestmem.c); every other exception is a monitor bug and ends in a crash
 * report to the launcher (or COM1 under multiboot).
 */
#include "dbt.h"
#include "kvm.h"
#include "linux.h"
#include "rt.h"
#include "x86.h"

#define X86_VECTOR_NMI 2 /* SDM vol. 3 table 6-1 */

static const char *const exception_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
	"#BR bound range", "#UD invalid opcode", "#NM device not available",
	"#DF double fault", "coprocessor overrun", "#TS invalid TSS", "#NP segment not present",
	"#SS stack fault", "#GP general protection", "#PF page fault", "reserved 15",
	"#MF x87 error", "#AC alignment check", "#MC machine check", "#XM SIMD exception",
	"#VE virtualization", "#CP control protection", "reserved 22", "reserved 23",
	"reserved 24", "reserved 25", "reserved 26", "reserved 27",
	"#HV hypervisor injection", "#VC VMM communication", "#SX security", "reserved 31",
};

/*
 * The report lives in the image so it can be handed over by physical
 * address without the page tables or heap being trustworthy.  Owned by the
 * first crash; a fault while reporting goes straight to a halt.
 */
static struct rvkvm_crash crash_report;
static int crashing;

/*
 * dbt_guest_pc_at (dbt.h) is referenced weakly so the monitor links, and
 * reports guest_pc 0, in a build whose translator does not provide it.
 */
#pragma weak dbt_guest_pc_at

_Noreturn void x86_crash(const struct x86_trap_frame *tf, const char *message)
{
	struct rvkvm_crash *c = &crash_report;

	if (crashing++) {
		for (;;)
			__asm__ volatile("cli; hlt");
	}
	c->magic = RVKVM_CRASH_MAGIC;
	c->cr2 = x86_read_cr2();
	if (tf) {
		c->vector = tf->vector;
		c->error_code = tf->error_code;
		c->rip = tf->rip;
		c->cs = tf->cs;
		c->rflags = tf->rflags;
		c->rsp = tf->rsp;
		c->ss = tf->ss;
		c->rax = tf->rax;
		c->rbx = tf->rbx;
		c->rcx = tf->rcx;
		c->rdx = tf->rdx;
		c->rsi = tf->rsi;
		c->rdi = tf->rdi;
		c->rbp = tf->rbp;
		c->r8 = tf->r8;
		c->r9 = tf->r9;
		c->r10 = tf->r10;
		c->r11 = tf->r11;
		c->r12 = tf->r12;
		c->r13 = tf->r13;
		c->r14 = tf->r14;
		c->r15 = tf->r15;
		uint64_t (*guest_pc_at)(uint64_t) = dbt_guest_pc_at;
		/* Keep the call indirect: a rel32 call cannot reach address 0. */
		__asm__("" : "+r"(guest_pc_at));
		if (guest_pc_at)
			c->guest_pc = guest_pc_at(tf->rip);
	} else {
		/* plat_panic: no exception; vector ~0 says so, rip is the caller. */
		c->vector = ~0ull;
		c->rip = (uint64_t)__builtin_return_address(0);
		__asm__ volatile("mov %%rsp, %0; mov %%rbp, %1" : "=r"(c->rsp), "=r"(c->rbp));
	}
	size_t n = strnlen(message, sizeof(c->message) - 1);
	memcpy(c->message, message, n);
	c->message[n] = 0;
	x86_io->crash(c);
}

/*
 * The launcher's NMI (KVM_NMI): host signals or an end it wants, waiting in
 * the ring header (rvkvm_abi.h section 4).  It can land anywhere in the
 * monitor: taking them is two atomic exchanges, the rest waits for a
 * block boundary (linux_host_signals).  Under multiboot there is no ring
 * and no launcher to send one.
 */
static void host_nmi(void)
{
	struct rvkvm_ring *ring = kvm_ring();

	if (!ring)
		return;
	uint64_t sigs = __atomic_exchange_n(&ring->host_signals, 0, __ATOMIC_SEQ_CST);
	uint32_t stop = __atomic_exchange_n(&ring->host_stop, 0, __ATOMIC_SEQ_CST);

	if (sigs || stop)
		linux_host_signals(sigs, (int)stop);
}

void x86_trap_dispatch(struct x86_trap_frame *tf)
{
	if (tf->vector == X86_VECTOR_NMI) {
		host_nmi();
		return;
	}
	if (tf->vector == 14) {
		x86_page_fault(tf);
		return;
	}
	if (tf->vector == X86_VECTOR_PROFILE) {
		x86_profile_tick(tf);
		return;
	}
	/* A spurious APIC interrupt needs no EOI (SDM vol. 3 11.9). */
	if (tf->vector == X86_VECTOR_SPURIOUS)
		return;
	x86_crash(tf, exception_names[tf->vector & 31]);
}
