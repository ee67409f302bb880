/*
 * proc.h - what the files of the proc platform share.  The platform runs
 * the core inside the rvkvm process: guest memory is one reserved region of
 * it, faults are signals, host calls are direct system calls.
 */
#ifndef RVKVM_PROC_H
#define RVKVM_PROC_H

#include <stddef.h>
#include <stdint.h>

#include "platform.h"

/*
 * Never mapped, directly above and below the guest region: an access that
 * a bounds check on the start address lets through (an 8-byte access at
 * GUEST_VA_LIMIT - 1, or one near a checked one: PLAT_GUEST_GUARD) faults
 * here instead of reaching other memory.
 */
#define PROC_GUARD_SIZE (1ull << 20)
_Static_assert(PROC_GUARD_SIZE >= PLAT_GUEST_GUARD, "the guard the translator relies on");

/* Translated code: one RWX region, reserved before the sandbox closes. */
#define PROC_CODE_REGION_SIZE (512ull << 20)

/* All the address space the platform reserves at start-up. */
#define PROC_ADDRESS_SPACE (GUEST_VA_LIMIT + 2 * PROC_GUARD_SIZE + PROC_CODE_REGION_SIZE)

/* Exit status for a fault or bug of rvkvm itself (sysexits.h EX_SOFTWARE). */
#define PROC_STATUS_INTERNAL 70

/*
 * memory.c: reserve the guest region (at guest address 0 = host address 0
 * when at_zero and the host allows it) and the code region; 0 or -errno.
 */
int proc_memory_init(int at_zero);
int proc_in_guest_region(uintptr_t host_addr);

/* fault.c: SIGSEGV/SIGBUS on an alternate stack. */
void proc_fault_init(void);
/* A one-line internal error from a signal handler, then exit 70. */
_Noreturn void proc_internal_error(const char *what, uintptr_t rip, uintptr_t addr);

/* profile.c: --profile's SIGPROF sampling at hz, started before the sandbox closes. */
void proc_profile_start(int hz);

/* sandbox.c: the seccomp filter; dies if it cannot be installed. */
void proc_sandbox_enter(void);
/* Test only: attempt a system call the sandbox forbids (see docs/security.md). */
void proc_sandbox_test(const char *marker);

#endif
