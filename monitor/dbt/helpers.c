/*
 * helpers.c - C code called from translated blocks for the rare, wide
 * instructions: CSR access and F/D computation.  Neither touches guest
 * memory, so no fault can arise inside them.
 */
#include "translate.h"

#include "cpu_offsets.h"
#include "fpu.h"
#include "platform.h"
#include "rt.h"

/* CSR numbers: privileged spec, table 2.2 (user-level CSRs); CSR_FFLAGS in translate.h. */
#define CSR_FRM 0x002
#define CSR_FCSR 0x003
#define CSR_CYCLE 0xc00
#define CSR_TIME 0xc01
#define CSR_INSTRET 0xc02

#define FFLAGS_MASK 0x1f
#define FRM_MASK 0x7

/* The time CSR ticks at 10 MHz, the timebase of QEMU's riscv virt board. */
#define TIME_NS_PER_TICK 100

static int csr_read(struct dbt_cpu *cpu, unsigned csr, uint64_t *value)
{
	switch (csr) {
	case CSR_FFLAGS:
		*value = cpu->fflags & FFLAGS_MASK;
		return 0;
	case CSR_FRM:
		*value = cpu->frm & FRM_MASK;
		return 0;
	case CSR_FCSR:
		*value = (cpu->frm & FRM_MASK) << 5 | (cpu->fflags & FFLAGS_MASK);
		return 0;
	case CSR_CYCLE:
	case CSR_INSTRET:
		*value = dbt_mode & DBT_MODE_COUNT ? cpu->instret : plat_clock_monotonic_ns();
		return 0;
	case CSR_TIME:
		*value = plat_clock_monotonic_ns() / TIME_NS_PER_TICK;
		return 0;
	}
	return -1;
}

static int csr_write(struct dbt_cpu *cpu, unsigned csr, uint64_t value)
{
	switch (csr) {
	case CSR_FFLAGS:
		cpu->fflags = (uint32_t)value & FFLAGS_MASK;
		return 0;
	case CSR_FRM:
		cpu->frm = (uint32_t)value & FRM_MASK;
		return 0;
	case CSR_FCSR:
		cpu->fflags = (uint32_t)value & FFLAGS_MASK;
		cpu->frm = (uint32_t)(value >> 5) & FRM_MASK;
		return 0;
	}
	return -1; /* the counters are read-only: writing one is illegal */
}

/*
 * Zicsr (spec chapter 9): csrrw with rd=x0 does not read; csrrs/csrrc with
 * rs1=x0 (or uimm=0) do not write, so they may target read-only CSRs.
 */
uint32_t dbt_helper_csr(struct dbt_cpu *cpu, uint32_t insn)
{
	dbt_fp_fold(cpu);
	unsigned csr = insn >> 20;
	unsigned rd = (insn >> 7) & 0x1f;
	unsigned rs1 = (insn >> 15) & 0x1f;
	unsigned funct3 = (insn >> 12) & 7;
	unsigned kind = funct3 & 3;
	uint64_t src = (funct3 & CSR_FUNCT3_IMM) ? rs1 : cpu->x[rs1];
	int writes = kind == CSR_FUNCT3_RW || rs1 != 0;
	int reads = kind != CSR_FUNCT3_RW || rd != 0;
	uint64_t old = 0;

	if (csr_read(cpu, csr, &old) < 0)
		return 1;
	if (writes) {
		uint64_t value = kind == CSR_FUNCT3_RW	 ? src
				 : kind == CSR_FUNCT3_RS ? old | src
							 : old & ~src;
		if (csr_write(cpu, csr, value) < 0)
			return 1;
	}
	if (reads && rd != 0)
		cpu->x[rd] = old;
	return 0;
}

#define MXCSR_FLAGS 0x3fu

/*
 * The asm names no vector register, so this builds under
 * -mgeneral-regs-only too; it only runs where plat_has_sse.
 */
RT_SYSCALL_PATH void dbt_fp_begin(void)
{
	uint32_t now, m = DBT_MXCSR_RNE_MASKED;
	if (!plat_has_sse)
		return;
	/*
	 * Usually already so (dbt_fp_fold left it so at the last exit); a
	 * load of MXCSR costs far more than a store of it, once per system call.
	 */
	__asm__ volatile("stmxcsr %0" : "=m"(now));
	if (now != m)
		__asm__ volatile("ldmxcsr %0" : : "m"(m));
}

/* MXCSR IE, ZE, OE, UE, PE -> fflags NV, DZ, OF, UF, NX (fflags.S); DE has no RISC-V twin. */
RT_SYSCALL_PATH void dbt_fp_fold(struct dbt_cpu *cpu)
{
	uint32_t m;
	if (!plat_has_sse)
		return;
	__asm__ volatile("stmxcsr %0" : "=m"(m));
	if (!(m & MXCSR_FLAGS & ~2u))
		return;
	cpu->fflags |= dbt_fflags_of_mxcsr[m & MXCSR_FLAGS];
	m &= ~MXCSR_FLAGS;
	__asm__ volatile("ldmxcsr %0" : : "m"(m));
}

uint32_t dbt_helper_fp(struct dbt_cpu *cpu, uint32_t insn)
{
	return fpu_exec(cpu, insn) < 0;
}
