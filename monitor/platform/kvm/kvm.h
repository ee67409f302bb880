/*
 * kvm.h - the launcher-ring backend inside platform/kvm, for the test and
 * measurement payloads that drive the ring below plat_hostcall.
 */
#ifndef RVKVM_KVM_H
#define RVKVM_KVM_H

#include <stdint.h>

#include "rvkvm_abi.h"

/* ring.c: remember the ring (early), then reach it through the direct map. */
void kvm_ring_setup(uint64_t ring_gpa, uint64_t tsc_khz);
void kvm_ring_start(void);

/* NULL until kvm_start (and always under multiboot). */
struct rvkvm_ring *kvm_ring(void);
/* One VM exit: the launcher serves sq_head..sq_tail before resuming us. */
static inline void kvm_doorbell(void)
{
	__asm__ volatile("outl %0, %1" : : "a"(0u), "Nd"((uint16_t)RVKVM_PORT_DOORBELL) : "memory");
}
static inline void kvm_mark(uint32_t id)
{
	__asm__ volatile("outl %0, %1" : : "a"(id), "Nd"((uint16_t)RVKVM_PORT_MARK) : "memory");
}


/* cpu.c: drop the IDT and fault (the CRASH payload's triple fault). */
_Noreturn void x86_cpu_triple_fault(void);

#endif
