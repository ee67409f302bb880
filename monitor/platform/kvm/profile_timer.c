/*
 * profile_timer.c - --profile's sampling timer in monitor.elf, for both
 * boots: the local APIC timer in periodic mode (SDM vol. 3 11.5.4) at
 * X86_VECTOR_PROFILE.  Each tick hands the interrupted rip to the
 * personality (linux_profile_tick), which finds the guest pc.
 *
 * x2APIC (MSRs) where CPUID offers it, which KVM's in-kernel APIC does;
 * else xAPIC MMIO at the base IA32_APIC_BASE names, which QEMU TCG 7.2
 * provides (it has no x2APIC).  The launcher creates the in-kernel irqchip
 * only for --profile (launcher/kvm_vm.c), so other runs take no
 * interrupts at all.  Under a multiboot loader the legacy PICs still
 * deliver the BIOS's PIT tick to vector 8 (the #DF gate): they are masked
 * before interrupts are enabled.
 *
 * The APIC timer's rate is not architectural (KVM and QEMU both count at
 * 1 GHz before the divider, hardware at its bus or crystal clock), so it
 * is measured against the TSC clock for CALIBRATE_NS first.
 */
#include "linux.h"
#include "mm.h"
#include "rt.h"
#include "x86.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_EXTD (1ull << 10) /* x2APIC mode */
#define APIC_BASE_EN (1ull << 11)
#define APIC_BASE_ADDR 0x000ffffffffff000ull
#define CPUID1_ECX_X2APIC (1u << 21)
#define CPUID1_EDX_APIC (1u << 9)

/* xAPIC register offsets; the x2APIC MSR is 0x800 + offset / 16 (SDM vol. 3 11.12.1.2). */
#define APIC_EOI 0x0b0
#define APIC_SVR 0x0f0
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_TIMER_INITIAL 0x380
#define APIC_TIMER_CURRENT 0x390
#define APIC_TIMER_DIVIDE 0x3e0
#define X2APIC_MSR_BASE 0x800

#define APIC_SVR_ENABLE (1u << 8)
#define APIC_LVT_MASKED (1u << 16)
#define APIC_TIMER_PERIODIC (1u << 17)
#define APIC_DIVIDE_BY_16 0x3 /* SDM vol. 3 figure 11-10 */

/* Uncached (PCD|PWT) and not executable: APIC registers are MMIO. */
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
/* Between the code region and the heap (mm.h): 2 GiB unused by anything else. */
#define MM_APIC_VA (RVKVM_IMAGE_VIRT_BASE + 0x80000000ull)

#define PIC1_DATA 0x21
#define PIC2_DATA 0xa1

#define CALIBRATE_NS 10000000ull /* 10 ms: enough for 0.1% at any tested rate */

/* Set once by x86_profile_timer_start, read by every tick. */
static struct {
	int x2apic;
	volatile uint32_t *mmio;
} apic;

static void say(const char *text)
{
	plat_log(text, strlen(text));
}

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "memory");
}

static uint32_t apic_read(unsigned reg)
{
	if (apic.x2apic)
		return (uint32_t)rdmsr(X2APIC_MSR_BASE + reg / 16);
	return apic.mmio[reg / 4];
}

static void apic_write(unsigned reg, uint32_t v)
{
	if (apic.x2apic)
		wrmsr(X2APIC_MSR_BASE + reg / 16, v);
	else
		apic.mmio[reg / 4] = v;
}

void x86_profile_tick(struct x86_trap_frame *tf)
{
	/* Only an address in the code region can be translated code; the
	 * translator's own tables are not looked at for any other. */
	int in_code = tf->rip >= MM_CODE_BASE && tf->rip < MM_CODE_BASE + MM_CODE_SIZE;

	linux_profile_tick(in_code ? tf->rip : 0);
	apic_write(APIC_EOI, 0);
}

static int apic_enable(void)
{
	uint32_t eax = 1, ebx, ecx, edx;
	uint64_t base;

	__asm__("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
	if (!(edx & CPUID1_EDX_APIC)) {
		say("rvkvm: --profile: this CPU has no local APIC for the sampling timer; "
		    "not profiling\n");
		return -1;
	}
	apic.x2apic = !!(ecx & CPUID1_ECX_X2APIC);
	base = rdmsr(MSR_APIC_BASE);
	if (apic.x2apic) {
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_EN | APIC_BASE_EXTD);
		return 0;
	}
	wrmsr(MSR_APIC_BASE, (base | APIC_BASE_EN) & ~APIC_BASE_EXTD);
	if (mm_map(MM_APIC_VA, base & APIC_BASE_ADDR, PTE_W | PTE_PCD | PTE_PWT | PTE_NX)) {
		say("rvkvm: --profile: no frame for the APIC's page table; not profiling\n");
		return -1;
	}
	mm_invlpg(MM_APIC_VA);
	apic.mmio = (volatile uint32_t *)MM_APIC_VA;
	return 0;
}

/* APIC timer counts per second after the divider, measured against the TSC clock. */
static uint64_t apic_timer_rate(void)
{
	uint64_t t0, t1;
	uint32_t left;

	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | X86_VECTOR_PROFILE);
	t0 = plat_clock_monotonic_ns();
	apic_write(APIC_TIMER_INITIAL, 0xffffffffu);
	while ((t1 = plat_clock_monotonic_ns()) - t0 < CALIBRATE_NS)
		;
	left = apic_read(APIC_TIMER_CURRENT);
	t1 = plat_clock_monotonic_ns();
	apic_write(APIC_TIMER_INITIAL, 0);
	return (uint64_t)(0xffffffffu - left) * 1000000000ull / (t1 - t0);
}

int x86_profile_timer_start(uint32_t hz)
{
	uint64_t rate, period;

	if (!hz || apic_enable())
		return -1;
	x86_outb(PIC1_DATA, 0xff);
	x86_outb(PIC2_DATA, 0xff);
	x86_idt_set(X86_VECTOR_PROFILE, x86_irq_stubs[0]);
	x86_idt_set(X86_VECTOR_SPURIOUS, x86_irq_stubs[1]);
	apic_write(APIC_SVR, APIC_SVR_ENABLE | X86_VECTOR_SPURIOUS);
	apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
	apic_write(APIC_LVT_LINT1, APIC_LVT_MASKED);
	apic_write(APIC_TIMER_DIVIDE, APIC_DIVIDE_BY_16);
	rate = apic_timer_rate();
	period = rate / hz;
	if (!period || period > 0xffffffffu) {
		say("rvkvm: --profile: the APIC timer did not count; not profiling\n");
		return -1;
	}
	apic_write(APIC_LVT_TIMER, APIC_TIMER_PERIODIC | X86_VECTOR_PROFILE);
	apic_write(APIC_TIMER_INITIAL, (uint32_t)period);
	__asm__ volatile("sti" ::: "memory");
	return 0;
}
