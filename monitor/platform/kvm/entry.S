/*
 * entry.S - exception entry stubs.  Each pushes a zero error code when the
 * CPU does not (SDM vol. 3 6.13), its vector, then every general register,
 * forming struct x86_trap_frame (x86.h) for x86_trap_dispatch().  The
 * handler may rewrite the frame: the return path reloads it whole.
 */
	.section .text

.macro TRAP_STUB vector
	.balign 16
trap_stub_\vector:
	.if !(\vector == 8 || (\vector >= 10 && \vector <= 14) || \vector == 17 || \vector == 21 || \vector == 29 || \vector == 30)
	pushq $0
	.endif
	pushq $\vector
	jmp trap_common
.endm

.altmacro
.macro TRAP_STUBS from, to
	TRAP_STUB \from
	.if \to - \from
	TRAP_STUBS %(\from + 1), \to
	.endif
.endm
.macro TRAP_ADDR vector
	.quad trap_stub_\vector
.endm
.macro TRAP_ADDRS from, to
	TRAP_ADDR \from
	.if \to - \from
	TRAP_ADDRS %(\from + 1), \to
	.endif
.endm

	TRAP_STUBS 0, 31
	/* Interrupts (profile_timer.c): the same frame, error code 0. */
	TRAP_STUB 32
	TRAP_STUB 255

trap_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	cld
	movq %rsp, %rdi
	/* 22 quadwords from a 16-byte aligned CPU frame: still aligned. */
	call x86_trap_dispatch
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp
	iretq

	.section .rodata
	.balign 8
	.globl x86_trap_stubs
x86_trap_stubs:
	TRAP_ADDRS 0, 31
	.globl x86_irq_stubs
x86_irq_stubs:
	TRAP_ADDR 32
	TRAP_ADDR 255
