/*
 * calibrate.c - the CALIBRATE payload behind `rvkvm --host-check`: three
 * measurements, each bracketed by `out RVKVM_PORT_MARK` so the launcher
 * times them with its own clock (one exit each, 5-7.5 us, small against
 * what they bracket on an emulated host and stated in the table).
 *
 *   marks 1-2: CALIBRATE_LOOPS iterations of a 3-instruction loop
 *   marks 3-4: CALIBRATE_NOPS ring round trips (HC_NOP)
 *   marks 5-6: CALIBRATE_FAULTS guest #PFs, each populating one 4 KiB run
 *
 * Hardware KVM runs the loop at native speed (a few us for 10000
 * iterations, about one mark exit); emulated KVM at 0.7-2 us per iteration
 * (7-20 ms): three orders of magnitude apart, so 10000 iterations decide
 * the kind while keeping `--platform=auto`'s calibration boot short.
 */
#include "kvm.h"
#include "platform.h"
#include "x86.h"

#define CALIBRATE_LOOPS 10000
#define CALIBRATE_NOPS 32
#define CALIBRATE_FAULTS 16
#define FAULT_GVA 0x50000000ull
/* One fault per populate run (guestmem.c POPULATE_RUN pages of 4 KiB), in a
 * region smaller than 2 MiB so no fault is served with a large page. */
#define FAULT_STRIDE (16 * X86_PAGE_SIZE)

_Noreturn void x86_payload_calibrate(void)
{
	uint64_t n = CALIBRATE_LOOPS, acc = 0;

	kvm_mark(1);
	__asm__ volatile("1: addq $1, %1\n\t"
			 "decq %0\n\t"
			 "jnz 1b"
			 : "+r"(n), "+r"(acc));
	kvm_mark(2);

	kvm_mark(3);
	for (int i = 0; i < CALIBRATE_NOPS; i++)
		if (plat_hostcall(HC_NOP, NULL, NULL, 0))
			plat_panic("calibrate: HC_NOP failed");
	kvm_mark(4);

	if (plat_mem_map(FAULT_GVA, CALIBRATE_FAULTS * FAULT_STRIDE, PLAT_PROT_READ | PLAT_PROT_WRITE))
		plat_panic("calibrate: no memory for the fault test");
	kvm_mark(5);
	for (int i = 0; i < CALIBRATE_FAULTS; i++)
		*(volatile uint8_t *)plat_g2h(FAULT_GVA + i * FAULT_STRIDE) = 1;
	kvm_mark(6);
	plat_mem_unmap(FAULT_GVA, CALIBRATE_FAULTS * FAULT_STRIDE);
	plat_exit(acc == CALIBRATE_LOOPS ? 0 : 1);
}

_Noreturn void x86_payload_crash(uint32_t kind)
{
	if (kind == RVKVM_CRASH_TRIPLE_FAULT)
		x86_cpu_triple_fault();
	/* Inside the monitor's slot, never mapped: a #PF the monitor cannot own. */
	*(volatile uint64_t *)(RVKVM_IMAGE_VIRT_BASE + 0x7f00000000ull) = 0xdead;
	plat_panic("crash payload: the deliberate page fault did not fault");
}
