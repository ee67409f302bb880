/*
 * entry64.S - the 64-bit entry shared by both boots (rvkvm_abi.h section 2):
 * rdi = boot magic, rsi = bootinfo or mbi physical address.  Runs at the
 * image's virtual address with the boot page tables.
 */
#include "boot.h"

	.section .text
	.globl boot_entry64
boot_entry64:
	cli
	cld
	leaq boot_stack_top(%rip), %rsp
	xorl %ebp, %ebp
	call mon_main
1:	hlt
	jmp 1b

	.section .bss
	.balign 4096
	.globl boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	.skip BOOT_STACK_SIZE
boot_stack_top:
