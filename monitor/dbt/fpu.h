/*
 * fpu.h - RISC-V F and D instruction semantics for the translator.
 *
 * Results, fflags and NaNs are bit-for-bit those of the RISC-V ISA manual
 * ("F" and "D" chapters), as qemu-riscv64 implements them; docs/fpu.md says
 * how each rule is met on x86-64.
 */
#ifndef RVKVM_FPU_H
#define RVKVM_FPU_H

#include <stdint.h>

#include "dbt.h"

/* fcsr.fflags bits (ISA manual, "F" chapter, accrued exception flags). */
#define FPU_NX 0x01u /* inexact */
#define FPU_UF 0x02u /* underflow */
#define FPU_OF 0x04u /* overflow */
#define FPU_DZ 0x08u /* divide by zero */
#define FPU_NV 0x10u /* invalid operation */

/* Major opcodes: FMADD, FMSUB, FNMSUB, FNMADD are 0x43 + 4k, k in insn[3:2]. */
enum {
	OPC_FUSED = 0x43,
	OPC_FUSED_MASK = 0x73,
	OPC_OP_FP = 0x53,
};

/* OP-FP funct5 (ISA manual, RV32/64G instruction listings). */
enum {
	F5_ADD = 0x00,
	F5_SUB = 0x01,
	F5_MUL = 0x02,
	F5_DIV = 0x03,
	F5_SGNJ = 0x04,
	F5_MINMAX = 0x05,
	F5_CVT_FF = 0x08,
	F5_SQRT = 0x0b,
	F5_CMP = 0x14,
	F5_CVT_IF = 0x18, /* float -> integer */
	F5_CVT_FI = 0x1a, /* integer -> float */
	F5_MV_XF = 0x1c,  /* fmv.x.w / fmv.x.d, fclass */
	F5_MV_FX = 0x1e,
};

/* Rounding modes, the rm instruction field and fcsr.frm. */
enum fpu_rm {
	FPU_RNE = 0, /* nearest, ties to even */
	FPU_RTZ = 1, /* towards zero */
	FPU_RDN = 2, /* down */
	FPU_RUP = 3, /* up */
	FPU_RMM = 4, /* nearest, ties to max magnitude */
	FPU_DYN = 7, /* instruction field only: use fcsr.frm */
};

/*
 * Execute one OP-FP (0x53) or FMADD/FMSUB/FNMSUB/FNMADD (0x43/0x47/0x4b/0x4f)
 * instruction of the S or D format on cpu->f[], cpu->x[], cpu->fflags
 * (accrued) and cpu->frm.  Returns 0, or -1 for an illegal encoding (a
 * reserved rounding mode included), leaving the state untouched.
 */
int fpu_exec(struct dbt_cpu *cpu, uint32_t insn);

#endif
