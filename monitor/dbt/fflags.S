/*
 * fflags.S - frflags and fsflags for translated code, without a helper
 * call: with plat_has_sse the accrued flags are cpu->fflags together with
 * the flags inline SSE code has raised in MXCSR since they were last
 * folded (helpers.c), and these read and write that pair in place.  glibc
 * brackets a signaling compare with frflags/fsflags for every quiet one
 * (isless, and sqrt's domain test): as helper calls, which write back
 * and reload the register caches, they took 40% of nbody's time.
 *
 * Called with r15 = struct dbt_cpu *; they change nothing but eax (the
 * read) and the arithmetic flags.
 */
#include "cpu_offsets.h"

	.text
/* eax = the guest's fflags. */
	.globl	dbt_fflags_read
	.type	dbt_fflags_read, @function
dbt_fflags_read:
	push	%rcx
	sub	$8, %rsp
	stmxcsr	(%rsp)
	mov	(%rsp), %eax
	and	$0x3f, %eax
	lea	dbt_fflags_of_mxcsr(%rip), %rcx
	movzbl	(%rcx,%rax), %eax
	or	DBT_CPU_FFLAGS(%r15), %eax
	add	$8, %rsp
	pop	%rcx
	ret
	.size	dbt_fflags_read, . - dbt_fflags_read

/*
 * The guest's fflags become ecx & 0x1f: MXCSR's flags are cleared, by a
 * load of the one value its other fields have in translated code.
 */
	.globl	dbt_fflags_write
	.type	dbt_fflags_write, @function
dbt_fflags_write:
	push	%rcx
	and	$0x1f, %ecx
	mov	%ecx, DBT_CPU_FFLAGS(%r15)
	ldmxcsr	mxcsr_clear(%rip)
	pop	%rcx
	ret
	.size	dbt_fflags_write, . - dbt_fflags_write

/*
 * MXCSR's flags (IE DE ZE OE UE PE, bits 0-5) as fflags (NV DZ OF UF NX,
 * bits 4-0): IE -> NV, ZE -> DZ, OE -> OF, UE -> UF, PE -> NX; DE, a
 * denormal operand, has no RISC-V twin.
 */
	.section .rodata
	.balign	4
mxcsr_clear:
	.long	DBT_MXCSR_RNE_MASKED
	.globl	dbt_fflags_of_mxcsr
	.type	dbt_fflags_of_mxcsr, @object
	.size	dbt_fflags_of_mxcsr, 64
dbt_fflags_of_mxcsr:
	.irp m, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
	.byte	((\m & 1) << 4) | ((\m & 4) << 1) | ((\m & 8) >> 1) | ((\m & 16) >> 3) | ((\m & 32) >> 5)
	.endr

	.section .note.GNU-stack, "", @progbits
