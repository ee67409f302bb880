/*
 * platform.h - the only seam between the platform-free core (monitor/dbt/,
 * monitor/linux/) and a platform (kvm and multiboot in monitor.elf, proc in
 * the rvkvm process).  The core includes this header and nothing else of a
 * platform; each platform implements every function here.
 */
#ifndef RVKVM_PLATFORM_H
#define RVKVM_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#include "rvkvm_abi.h"

/*
 * Guest virtual addresses run from 0 to GUEST_VA_LIMIT (the low half of
 * Sv39).  The host address of guest address A is plat_guest_base + A:
 * 0 on kvm/multiboot (guest VA == monitor VA), the reserved region's base on
 * proc.  Translated code adds the base and checks the limit on every access.
 */
#define GUEST_VA_LIMIT (1ull << 38)
#define GUEST_PAGE_SIZE 4096ull

/*
 * Every platform keeps PLAT_GUEST_GUARD bytes below guest address 0
 * (wrapping to the top of the host address space on kvm) and above
 * GUEST_VA_LIMIT unmapped, and reports a fault there as the guest's at
 * the wrapped address.  So once x[r] + imm passed the limit check, any
 * access to x[r] + imm' with |imm' - imm| small lands in guest memory or
 * in a guard: one check covers a block's accesses through one base
 * register (docs/translator.md).
 */
#define PLAT_GUEST_GUARD (64ull << 10)

extern uintptr_t plat_guest_base;

/*
 * Non-zero when translated code may use SSE, AVX and FMA (the translator
 * then computes common F/D operations inline and keeps f registers in xmm
 * registers); set before anything is translated, fixed after.  proc: 1.
 * kvm and multiboot: where the VM runs code at hardware speed and the CPU
 * has them (x86_vector_fp_choose), since the emulated-KVM hosts of
 * DESIGN.md section 2 stop the VM on any SSE instruction.  The monitor's
 * own code never touches vector registers, so its trap paths need not save
 * them; a fault in translated code reads the f registers it caches from
 * the xmm registers themselves.
 */
extern int plat_has_sse;

static inline void *plat_g2h(uint64_t gva)
{
	return (void *)(plat_guest_base + (uintptr_t)gva);
}

/* ---- guest memory: page-granular, gva and len multiples of 4 KiB ---- */
#define PLAT_PROT_READ  1
#define PLAT_PROT_WRITE 2
#define PLAT_PROT_EXEC  4

/*
 * Map fresh zero-filled pages at [gva, gva+len), replacing whatever was
 * there.  Frames may be allocated lazily on first touch.  -ENOMEM when the
 * platform is out of memory.
 */
int plat_mem_map(uint64_t gva, uint64_t len, int prot);
int plat_mem_protect(uint64_t gva, uint64_t len, int prot);
int plat_mem_unmap(uint64_t gva, uint64_t len);

/*
 * Transparent huge pages for [gva, gva+len), as a guest's madvise(2) asks:
 * PLAT_HUGE_ALLOW (MADV_HUGEPAGE), PLAT_HUGE_FORBID (MADV_NOHUGEPAGE) or
 * PLAT_HUGE_COLLAPSE (MADV_COLLAPSE, now).  0 or -errno.  proc: the host's
 * answer, guest memory being the process's own.  kvm and multiboot: guest
 * memory is the monitor's 4 KiB frames, so the two hints are taken and do
 * nothing and a collapse is -EINVAL, as on a kernel without huge pages.
 */
#define PLAT_HUGE_ALLOW 1
#define PLAT_HUGE_FORBID 2
#define PLAT_HUGE_COLLAPSE 3
int plat_mem_huge_pages(uint64_t gva, uint64_t len, int how);

/*
 * Guest-memory faults.  A platform that takes a hardware fault (kvm: #PF,
 * proc: SIGSEGV/SIGBUS) on a guest address it cannot resolve itself (lazy
 * population is its own business) calls dbt_fault() (dbt.h), and on
 * DBT_FAULT_UNWIND resumes execution at dbt_fault_exit with any stack.
 */

/* ---- host I/O ---- */
struct plat_iov {
	void *base;      /* monitor-visible address (guest memory: plat_g2h) */
	uint64_t len;
};

/*
 * Run host call `op` (enum rvkvm_hostcall, rvkvm_abi.h) with its arguments
 * and buffers.  kvm: over the ring, buffers as guest-physical scatter lists;
 * multiboot: COM1 and the multiboot modules; proc: directly.
 * Returns the result or -errno.
 */
long plat_hostcall(uint32_t op, const int64_t arg[6], const struct plat_iov *buf,
		   unsigned nbuf);

/* ---- time, randomness, identity ---- */
uint64_t plat_clock_monotonic_ns(void);
uint64_t plat_clock_realtime_ns(void);
void plat_random(void *buf, size_t len);
/*
 * Page faults so far (--stats): where the monitor owns the page tables
 * (kvm, multiboot), the #PFs it took on guest addresses; on proc, the
 * host's minor and major faults of the whole process, its own included.
 */
uint64_t plat_page_faults(void);

/* ---- memory for the core itself ---- */
void *plat_alloc(size_t size);           /* zeroed, 16-byte aligned; NULL when out */
void plat_free(void *ptr);
/*
 * Executable memory for translated code, within 2 GiB of the core's own
 * code so translated blocks can `call rel32` into helpers.
 */
void *plat_code_alloc(size_t size);

/* ---- diagnostics and the end ---- */
void plat_log(const char *text, size_t len);   /* to the user's stderr */
_Noreturn void plat_exit(int status);          /* 0..255, the guest's status */
_Noreturn void plat_panic(const char *why);    /* monitor bug: crash report */

#endif
