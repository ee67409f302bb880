/*
 * enter.S - the doors between the dispatcher (C) and translated code.
 *
 * Inside translated code: r15 = struct dbt_cpu *, r14 = plat_guest_base
 * (a pool register of the register cache where that is 0),
 * r13 = GUEST_VA_LIMIT, rbp = the guest sp (x2, stored back to the cpu on
 * the way out), rsp 16-byte aligned so blocks may call C helpers
 * directly; every other register is scratch (docs/translator.md).
 */
#include "cpu_offsets.h"

	.text

/* uint32_t dbt_enter(struct dbt_cpu *cpu, const void *code) */
	.globl	dbt_enter
	.type	dbt_enter, @function
dbt_enter:
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	/*
	 * Six pushes on top of the return address leave rsp 8 mod 16: 24
	 * bytes align it and hold the return-address stack's bottom entry,
	 * guest pc 0 and, for the host `ret` that would take it, the door
	 * to the dispatcher below: a return need not test for an empty
	 * stack (translate.c, tr_return_probe).
	 */
	sub	$24, %rsp
	movq	$0, 8(%rsp)
	lea	ras_bottom(%rip), %rax
	mov	%rax, (%rsp)
	mov	%rsp, DBT_CPU_HOST_SP(%rdi)
	lea	-DBT_RAS_BYTES(%rsp), %rax
	mov	%rax, DBT_CPU_RAS_LIMIT(%rdi)
	mov	%rdi, %r15
	mov	DBT_CPU_X + 16(%rdi), %rbp
	mov	plat_guest_base(%rip), %r14
	movabs	$DBT_GUEST_VA_LIMIT_VALUE, %r13
	jmp	*%rsi
	.size	dbt_enter, . - dbt_enter

/*
 * Blocks leave through one of these with r15 intact; the host stack is
 * taken from the cpu, so whatever translated code did to rsp is forgotten.
 */
	.globl	dbt_exit_continue
	.type	dbt_exit_continue, @function
dbt_exit_continue:
	xor	%eax, %eax
	.globl	dbt_exit_reason
dbt_exit_reason:
	mov	%rbp, DBT_CPU_X + 16(%r15)
exit_unwind:
	mov	DBT_CPU_HOST_SP(%r15), %rsp
	add	$24, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret
	.size	dbt_exit_continue, . - dbt_exit_continue

/*
 * A return whose target (rax) is 0, the bottom entry's pc: on to the
 * dispatcher, which finds no code at 0.
 */
ras_bottom:
	and	$-2, %rax
	mov	%rax, DBT_CPU_PC(%r15)
	jmp	dbt_exit_continue

/*
 * A platform resumes here after dbt_fault() said UNWIND, on any stack and
 * with no register known: the cpu comes from dbt_current_cpu, and its sp
 * was stored by dbt_fault() from the faulting context.
 */
	.globl	dbt_fault_exit
	.type	dbt_fault_exit, @function
dbt_fault_exit:
	mov	dbt_current_cpu(%rip), %r15
	mov	$DBT_EXIT_FAULT_VALUE, %eax
	jmp	exit_unwind
	.size	dbt_fault_exit, . - dbt_fault_exit

	.section .note.GNU-stack, "", @progbits
