/*
 * cpu.c - the monitor's own GDT, TSS and IDT, and the SSE/AVX state the FPU
 * helpers need.  One CPU, so all of it is static and set once by
 * x86_cpu_init() before anything can fault.
 */
#include "rt.h"
#include "x86.h"

#define GDT_CODE64 0x08
#define GDT_DATA   0x10
#define GDT_TSS    0x18

#define IDT_VECTORS 32 /* exceptions, from entry.S */
#define IDT_GATES 256  /* every vector: interrupts get gates from x86_idt_set */
#define IST_STACK_SIZE 8192

/* Exceptions that must not run on a possibly broken stack (SDM vol. 3 6.14.5). */
#define IST_DOUBLE_FAULT 1
#define IST_NMI          2
#define IST_MACHINE_CHECK 3

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss64) == 104, "TSS layout (SDM vol. 3 figure 8-11)");

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
};
_Static_assert(sizeof(struct idt_gate) == 16, "64-bit IDT gate (SDM vol. 3 figure 6-8)");

struct table_desc {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

extern const uint64_t x86_trap_stubs[IDT_VECTORS]; /* entry.S */

static uint64_t gdt[5];
static struct tss64 tss;
static struct idt_gate idt[IDT_GATES];
static uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));

static void gdt_init(void)
{
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;

	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffull; /* code: L=1, P, DPL 0, execute/read */
	gdt[2] = 0x00cf92000000ffffull; /* data: P, DPL 0, read/write */
	/* 64-bit available TSS, 16-byte descriptor (SDM vol. 3 figure 8-4). */
	gdt[3] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89ull << 40 |
		 ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	gdt[4] = base >> 32;

	tss.ist[IST_DOUBLE_FAULT - 1] = (uint64_t)&ist_stacks[0][IST_STACK_SIZE];
	tss.ist[IST_NMI - 1] = (uint64_t)&ist_stacks[1][IST_STACK_SIZE];
	tss.ist[IST_MACHINE_CHECK - 1] = (uint64_t)&ist_stacks[2][IST_STACK_SIZE];
	tss.iomap_base = sizeof(tss); /* no I/O bitmap: CPL0 needs none */

	struct table_desc desc = { sizeof(gdt) - 1, (uint64_t)gdt };
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movl %2, %%eax\n\t"
			 "movl %%eax, %%ds\n\t"
			 "movl %%eax, %%es\n\t"
			 "movl %%eax, %%ss\n\t"
			 "xorl %%eax, %%eax\n\t"
			 "movl %%eax, %%fs\n\t"
			 "movl %%eax, %%gs\n\t"
			 "ltr %w3"
			 :
			 : "m"(desc), "i"(GDT_CODE64), "i"(GDT_DATA), "r"(GDT_TSS)
			 : "rax", "memory");
}

static void idt_gate_set(unsigned v, uint64_t handler, uint8_t ist)
{
	struct idt_gate *g = &idt[v];

	g->offset_low = handler & 0xffff;
	g->selector = GDT_CODE64;
	g->ist = ist;
	g->type_attr = 0x8e; /* present, DPL 0, interrupt gate: IF stays clear */
	g->offset_mid = (handler >> 16) & 0xffff;
	g->offset_high = handler >> 32;
	g->reserved = 0;
}

/* Vectors without a gate stay not present: one arriving is a #NP crash report. */
void x86_idt_set(unsigned vector, uint64_t handler)
{
	if (vector >= IDT_VECTORS && vector < IDT_GATES)
		idt_gate_set(vector, handler, 0);
}

static void idt_init(void)
{
	for (int v = 0; v < IDT_VECTORS; v++)
		idt_gate_set(v, x86_trap_stubs[v],
			     v == 8 ? IST_DOUBLE_FAULT : v == 2 ? IST_NMI : v == 18 ? IST_MACHINE_CHECK : 0);
	struct table_desc desc = { sizeof(idt) - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" : : "m"(desc) : "memory");
}

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

/*
 * Translated code may use SSE, AVX and FMA (x86_vector_fp_choose): CR0.EM
 * clear, MP set, CR4.OSFXSR|OSXMMEXCPT, and XCR0 with the AVX bit because
 * FMA instructions are VEX-encoded (SDM vol. 1 14.3, 13.3).  Setting them
 * executes no vector instruction, so an emulated KVM takes it too.
 * SMEP/SMAP stay off: translated code runs at CPL0 on supervisor guest
 * pages.
 */
/* The XCR0 fpu_init set; 0 where the CPU has no XSAVE. */
static uint64_t xcr0_enabled;

static void fpu_init(void)
{
	uint32_t r[4];
	uint64_t cr0, cr4;

	cpuid(1, 0, r);
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	cr0 = (cr0 & ~(1ull << 2 | 1ull << 3)) | 1ull << 1; /* EM=0, TS=0, MP=1 */
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= 1ull << 9 | 1ull << 10;
	if (r[2] & (1u << 26))
		cr4 |= 1ull << 18; /* OSXSAVE */
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
	if (r[2] & (1u << 26)) {
		uint64_t xcr0 = 3; /* x87 | SSE */
		if (r[2] & (1u << 28))
			xcr0 |= 4; /* AVX, which VEX-encoded FMA needs */
		__asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)xcr0), "d"((uint32_t)(xcr0 >> 32)));
		xcr0_enabled = xcr0;
	}
	__asm__ volatile("fninit");
}

void x86_cpu_init(void)
{
	gdt_init();
	idt_init();
	fpu_init();
}

#define CPUID1_EDX_SSE2 (1u << 26)
#define CPUID1_ECX_FMA (1u << 12)
#define CPUID1_ECX_OSXSAVE (1u << 27)
#define CPUID1_ECX_AVX (1u << 28)
#define XCR0_SSE_AVX 6ull

/*
 * A turn of this loop takes about 1 TSC tick in hardware, a few under QEMU
 * TCG, and some 2,000 on an emulated KVM (DESIGN.md section 2: 719 ns).
 * One fast try is enough: the first may pay for TCG translating the loop,
 * any may lose the host CPU for a while.
 */
#define SPEED_TURNS 1000u
#define SPEED_TICKS_PER_TURN 100u
#define SPEED_TRIES 5

static int runs_at_hardware_speed(void)
{
	for (int try = 0; try < SPEED_TRIES; try++) {
		uint32_t turns = SPEED_TURNS;
		uint64_t start = x86_rdtsc();

		__asm__ volatile("1: dec %0\n\tjnz 1b" : "+r"(turns));
		if (x86_rdtsc() - start < (uint64_t)SPEED_TURNS * SPEED_TICKS_PER_TURN)
			return 1;
	}
	return 0;
}

static int has_sse_avx_fma(void)
{
	uint32_t r[4];

	cpuid(1, 0, r);
	return (r[3] & CPUID1_EDX_SSE2) && (r[2] & CPUID1_ECX_FMA) && (r[2] & CPUID1_ECX_AVX) &&
	       (r[2] & CPUID1_ECX_OSXSAVE) && (xcr0_enabled & XCR0_SSE_AVX) == XCR0_SSE_AVX;
}

/* The speed first: on an emulated KVM nothing past rdtsc and a loop runs. */
void x86_vector_fp_choose(int refused)
{
	plat_has_sse = !refused && runs_at_hardware_speed() && has_sse_avx_fma();
}

/*
 * Nothing in the monitor writes a vector register (-mgeneral-regs-only),
 * so in a trap handler they still hold what the interrupted code left.
 */
void x86_read_xmm_low(uint64_t out[16])
{
	__asm__ volatile("movq %%xmm0, 0(%0)\n\tmovq %%xmm1, 8(%0)\n\t"
			 "movq %%xmm2, 16(%0)\n\tmovq %%xmm3, 24(%0)\n\t"
			 "movq %%xmm4, 32(%0)\n\tmovq %%xmm5, 40(%0)\n\t"
			 "movq %%xmm6, 48(%0)\n\tmovq %%xmm7, 56(%0)\n\t"
			 "movq %%xmm8, 64(%0)\n\tmovq %%xmm9, 72(%0)\n\t"
			 "movq %%xmm10, 80(%0)\n\tmovq %%xmm11, 88(%0)\n\t"
			 "movq %%xmm12, 96(%0)\n\tmovq %%xmm13, 104(%0)\n\t"
			 "movq %%xmm14, 112(%0)\n\tmovq %%xmm15, 120(%0)"
			 :
			 : "r"(out)
			 : "memory");
}

/* The TRIPLE_FAULT crash payload: no IDT, so the next fault shuts the VM down. */
_Noreturn void x86_cpu_triple_fault(void)
{
	struct table_desc none = { 0, 0 };

	__asm__ volatile("lidt %0\n\t"
			 "ud2"
			 :
			 : "m"(none)
			 : "memory");
	__builtin_unreachable();
}
