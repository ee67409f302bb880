/*
 * multiboot.S - the multiboot (v1) header, the rvkvm image header that
 * follows it, and the 32-bit entry a multiboot loader jumps to.
 *
 * QEMU's -kernel loader refuses ELF64 images, so the header sets flag 16
 * (Multiboot 0.6.96 section 3.1.3, "address fields valid"): the loader then
 * copies the file by the physical addresses below and ignores the ELF
 * headers.  The launcher loads the image by the same fields (docs/boot.md).
 */
#include "boot.h"

#define MB_MAGIC        0x1badb002
#define MB_FLAG_ALIGN   (1 << 0)   /* modules page aligned */
#define MB_FLAG_MEMINFO (1 << 1)   /* mem_* and mmap_* in the mbi */
#define MB_FLAG_ADDRS   (1 << 16)  /* a.out kludge: load by the address fields */
#define MB_FLAGS        (MB_FLAG_ALIGN | MB_FLAG_MEMINFO | MB_FLAG_ADDRS)

#define PHYS(sym)       ((sym) - BOOT_IMAGE_VIRT_BASE)

#define CR0_PE          (1 << 0)
#define CR0_WP          (1 << 16)
#define CR0_PG          (1 << 31)
#define CR4_PAE         (1 << 5)
#define MSR_EFER        0xc0000080
#define EFER_LME        (1 << 8)
#define EFER_NXE        (1 << 11)
#define PTE_P           (1 << 0)
#define PTE_W           (1 << 1)
#define PTE_PS          (1 << 7)
#define BOOT_PML4_HIGH  ((BOOT_IMAGE_VIRT_BASE >> 39) & 511)

	.section .multiboot, "ax"
	.balign 8
	.globl boot_multiboot_header
boot_multiboot_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)
	.long PHYS(boot_multiboot_header)  /* header_addr */
	.long PHYS(_image_start)           /* load_addr */
	.long PHYS(_load_end)              /* load_end_addr */
	.long PHYS(_image_end)             /* bss_end_addr */
	.long PHYS(boot_entry32)           /* entry_addr */

	/* struct rvkvm_image_header, right after the 32-byte multiboot header. */
	.quad BOOT_IMAGE_MAGIC
	.long BOOT_ABI_VERSION
	.long 0
	.quad boot_entry64

	.code32
	.globl boot_entry32
/*
 * Multiboot entry (Multiboot 0.6.96 section 3.2): eax = magic, ebx = mbi,
 * protected mode, paging off, no usable stack.
 */
boot_entry32:
	cli
	cld
	movl %eax, %edi
	movl %ebx, %esi

	/* One page directory of 2 MiB pages covers the first 1 GiB. */
	movl $PHYS(boot_pd), %ebx
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $(PTE_P | PTE_W | PTE_PS), %eax
	movl %eax, (%ebx, %ecx, 8)
	movl $0, 4(%ebx, %ecx, 8)
	incl %ecx
	cmpl $512, %ecx
	jne 1b

	/* Same directory at 0 (this code) and at the image base (the C code). */
	movl $(PHYS(boot_pd) + PTE_P + PTE_W), %eax
	movl %eax, PHYS(boot_pdpt_low)
	movl %eax, PHYS(boot_pdpt_high)
	movl $(PHYS(boot_pdpt_low) + PTE_P + PTE_W), %eax
	movl %eax, PHYS(boot_pml4)
	movl $(PHYS(boot_pdpt_high) + PTE_P + PTE_W), %eax
	movl %eax, PHYS(boot_pml4) + BOOT_PML4_HIGH * 8

	/* Long mode: PAE, CR3, EFER.LME (+NXE), then paging (SDM vol. 3 9.8.5). */
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $PHYS(boot_pml4), %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $(EFER_LME | EFER_NXE), %eax
	wrmsr
	movl %cr0, %eax
	orl $(CR0_PE | CR0_WP | CR0_PG), %eax
	movl %eax, %cr0

	lgdt PHYS(boot_gdt_desc)
	ljmp $0x08, $PHYS(boot_long_mode)

	.code64
boot_long_mode:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %edi, %edi          /* upper halves are undefined after the switch */
	movl %esi, %esi
	movabsq $boot_entry64, %rax
	jmp *%rax

	.section .rodata
	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff /* 0x08: 64-bit code, DPL 0 */
	.quad 0x00cf92000000ffff /* 0x10: data */
boot_gdt_end:
boot_gdt_desc:
	.word boot_gdt_end - boot_gdt - 1
	.long PHYS(boot_gdt)

	.section .bss
	.balign 4096
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096
boot_pdpt_high: .skip 4096
boot_pd:        .skip 4096
