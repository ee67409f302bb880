/*
 * x86.h - the x86-64 ring-0 machine shared by the two boots of monitor.elf,
 * and the seam between it and an I/O backend.
 *
 * monitor.elf boots two ways (docs/boot.md): from the rvkvm launcher in KVM
 * (rdi = RVKVM_BOOT_MAGIC_KVM) or from a multiboot loader such as QEMU -kernel
 * or GRUB (rdi = 0x2badb002).  Both boots share everything here: GDT/IDT/TSS,
 * exception entry, page tables, frame allocator, heap, code region, guest
 * memory (platform.h plat_mem_*), the TSC clock, the PRNG.  They differ only
 * in where I/O goes: the launcher's ring (platform/kvm/ring.c) or COM1,
 * multiboot modules and isa-debug-exit (platform/multiboot/).  That half is a
 * struct x86_io_ops, chosen by main.c from the boot magic.
 *
 * Boot sequence (monitor/main.c), and what a backend may do at each step:
 *
 *   1. x86_cpu_init(): GDT, TSS, IDT, SSE/AVX.  Exceptions now produce a
 *      crash report through the selected io->crash.
 *   2. backend early phase (kvm_early / mb_early): hand over RAM with
 *      x86_ram_add() and protect what must survive with x86_ram_reserve()
 *      (the mbi, the command line, module images, the ring).  Only the boot
 *      identity map exists: physical addresses below RVKVM_BOOT_MAP_SIZE are
 *      readable at the same virtual address.  No allocation, no heap.
 *      io->log, io->exit and io->crash must already work here.
 *   3. x86_mem_init(): the monitor's own page tables, the direct map of all
 *      RAM given in step 2, frame allocator, heap, code region.  From here
 *      physical memory is read through x86_phys_to_virt() (RAM beyond the
 *      first GiB may be mapped on first touch, transparently); the identity
 *      map of low memory is gone (the guest half starts empty).
 *   4. x86_clock_init(io->tsc_khz()): the monotonic clock starts at 0.
 *   5. backend start phase (kvm_start / mb_start): fill struct x86_boot
 *      (payload, command line, random seed, realtime base, the Linux start
 *      block when the payload is RVKVM_PAYLOAD_LINUX).  The heap works.
 *   6. main.c prints the banner through io->log and runs the payload.
 */
#ifndef RVKVM_X86_H
#define RVKVM_X86_H

#include <stddef.h>
#include <stdint.h>

#include "linux.h"
#include "platform.h"
#include "rvkvm_abi.h"

/* ---- the I/O backend ---------------------------------------------------- */

struct x86_io_ops {
	const char *name; /* "kvm" or "multiboot", for the banner */
	/* plat_hostcall() lands here: same contract as platform.h. */
	long (*hostcall)(uint32_t op, const int64_t arg[6], const struct plat_iov *buf,
			 unsigned nbuf);
	/* plat_exit(): status 0..255; must not return. */
	void (*exit)(int status) __attribute__((noreturn));
	/* plat_log() and the banner: text to the user's stderr (or console). */
	void (*log)(const char *text, size_t len);
	/*
	 * A monitor crash: deliver the report (already filled, message included)
	 * and stop.  kvm: out RVKVM_PORT_CRASH; multiboot: print it on COM1 and
	 * exit through isa-debug-exit with a non-zero status.
	 */
	void (*crash)(const struct rvkvm_crash *report) __attribute__((noreturn));
	/*
	 * TSC rate in kHz for the monotonic clock.  kvm: bootinfo tsc_khz;
	 * multiboot: x86_pit_tsc_khz().  Called once, after step 3.
	 */
	uint64_t (*tsc_khz)(void);
};

/* The backend in use; set by main.c before step 1, never changed after. */
extern const struct x86_io_ops *x86_io;

/* The two backends. */
extern const struct x86_io_ops kvm_io_ops;  /* platform/kvm/ring.c */
extern const struct x86_io_ops mb_io_ops;   /* platform/multiboot/ */

/* What the start phase hands to main.c. */
struct x86_boot {
	uint32_t payload;           /* enum rvkvm_payload */
	uint32_t crash_kind;        /* enum rvkvm_crash_kind, for the CRASH payload */
	uint32_t garbage_requests;  /* RING_GARBAGE: random forged requests; 0 = default */
	uint32_t flags;             /* RVKVM_BOOT_* */
	const char *cmdline;        /* kernel command line ("" on kvm), heap or RAM */
	uint64_t random[2];         /* PRNG seed: bootinfo, or RDRAND/TSC mixed */
	uint64_t realtime_ns;       /* CLOCK_REALTIME at monotonic 0, 0 if unknown */
	struct linux_start program; /* when payload == RVKVM_PAYLOAD_LINUX */
};

/* kvm backend (platform/kvm/kvmboot.c). */
void kvm_early(uint64_t bootinfo_pa);
void kvm_start(struct x86_boot *boot);

/* multiboot backend (platform/multiboot/): mbi_pa from the loader's ebx. */
void mb_early(uint64_t mbi_pa);
void mb_start(struct x86_boot *boot);

/* ---- CPU ------------------------------------------------------------------ */

void x86_cpu_init(void);
/*
 * plat_has_sse: where the CPU has SSE2, AVX and FMA enabled and this VM
 * runs a timed loop at hardware speed, unless `refused` (--soft-fp).
 */
void x86_vector_fp_choose(int refused);
/* The low 64 bits of xmm0-15, as the interrupted code left them. */
void x86_read_xmm_low(uint64_t out[16]);

/*
 * Register state saved by the exception entry stubs (platform/kvm/entry.S),
 * lowest address first.  The handler may change rip (and any register);
 * the stub restores them all and iretq's.
 */
struct x86_trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

/*
 * Interrupts.  Only --profile enables them (profile_timer.c): the local
 * APIC timer at X86_VECTOR_PROFILE; the APIC's spurious vector is ignored.
 * entry.S has stubs for exactly these (x86_irq_stubs, in this order).
 */
#define X86_VECTOR_PROFILE 32
#define X86_VECTOR_SPURIOUS 255
extern const uint64_t x86_irq_stubs[2];
void x86_idt_set(unsigned vector, uint64_t handler);
/* Start sampling at hz (after step 3 and the clock); 0, or -1 with a logged reason. */
int x86_profile_timer_start(uint32_t hz);
void x86_profile_tick(struct x86_trap_frame *tf);

/* Fill a crash report from a trap frame (cr2 read here) and deliver it. */
_Noreturn void x86_crash(const struct x86_trap_frame *tf, const char *message);

static inline void x86_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}
static inline uint8_t x86_inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline void x86_outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port) : "memory");
}
/* rdtsc is emulated at ~0.7 us on emulated KVM hosts: read it sparingly. */
static inline uint64_t x86_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}
static inline uint64_t x86_read_cr2(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

/* ---- physical memory -------------------------------------------------------- */

#define X86_PAGE_SIZE 4096ull
#define X86_LARGE_PAGE_SIZE 0x200000ull

/* Step 2 only.  Ranges are trimmed to whole pages; at most 32 ranges. */
void x86_ram_add(uint64_t pa, uint64_t len);
void x86_ram_reserve(uint64_t pa, uint64_t len);
/* The loader zero-filled all RAM (the launcher's fresh anonymous mapping):
 * never-used frames need no clearing, which saves a 4 KiB store loop per
 * page on emulated hosts. */
void x86_ram_is_zero(void);
/* End of the highest RAM range handed over. */
uint64_t x86_ram_top(void);

void x86_mem_init(void);

/* Any RAM handed over in step 2, from step 3 on. */
static inline void *x86_phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)(RVKVM_DIRECT_MAP_BASE + pa);
}

/*
 * Physical address behind a monitor virtual address (direct map, image,
 * heap, code region, or a populated guest page); ~0 when not mapped.
 */
uint64_t x86_virt_to_phys(uint64_t va);

/* Frames: physical addresses of zeroed 4 KiB (or 2 MiB) frames, 0 when out. */
uint64_t x86_frame_alloc(void);
uint64_t x86_frame_alloc_large(void);
void x86_frame_free(uint64_t pa);
uint64_t x86_frames_free(void);   /* 4 KiB frames left */
uint64_t x86_frames_total(void);  /* 4 KiB frames handed over, after reserves */

/*
 * Guest memory: make [gva, gva+len) present so its physical pages can be
 * handed to the host (ring scatter lists).  -EFAULT when part of the range is
 * not mapped for `access` (DBT_ACCESS_READ/WRITE) by plat_mem_map.
 */
int x86_guest_populate(uint64_t gva, uint64_t len, int access);

/* #PF entry from the trap dispatcher. */
void x86_page_fault(struct x86_trap_frame *tf);

/* ---- time and randomness -------------------------------------------------- */

void x86_clock_init(uint64_t tsc_khz);
/* Called by main.c with x86_boot.realtime_ns after step 5. */
void x86_clock_set_realtime(uint64_t realtime_ns_at_zero);

/* TSC rate measured against PIT channel 2 (about 10 ms), for the multiboot boot. */
uint64_t x86_pit_tsc_khz(void);

void x86_random_seed(const uint64_t seed[2]);

/* ---- built-in payloads (enum rvkvm_payload), on either boot ------------ */

/*
 * SELFTEST: one line per check on stdout, exit 0 only if all pass.
 * CALIBRATE: timed loop, ring round trips and guest #PF cost, bracketed by
 * RVKVM_PORT_MARK outs for the launcher's --host-check (kvm only).
 * CRASH: the deliberate fault named by enum rvkvm_crash_kind.
 * RING_GARBAGE: forged ring requests, a full ring, 1 MiB in order (kvm only).
 */
_Noreturn void x86_payload_selftest(void);
_Noreturn void x86_payload_calibrate(void);
_Noreturn void x86_payload_crash(uint32_t kind);
_Noreturn void x86_payload_ring_test(uint32_t garbage_requests);

/* printf to the log (plat_log): the payloads' report lines. */
void x86_logf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
