/*
 * paging.c - the monitor's own 4-level page tables (DESIGN.md section 4):
 * the guest half is filled lazily by guestmem.c; all RAM is mapped at
 * RVKVM_DIRECT_MAP_BASE with 2 MiB pages; the image at RVKVM_IMAGE_VIRT_BASE
 * with per-section permissions; heap and code region grow on demand.
 */
#include "mm.h"
#include "rt.h"
#include "x86.h"

/* CR3 value; set once by x86_mem_init. */
static uint64_t pml4_pa;
static int tables_live;

extern char _image_start[], _text_end[], _rodata_end[], _image_end[];

static uint64_t *table(uint64_t pa)
{
	return tables_live ? x86_phys_to_virt(pa) : (uint64_t *)(uintptr_t)pa;
}

uint64_t *mm_entry(uint64_t va, int level, int create)
{
	uint64_t *t = table(pml4_pa);

	for (int l = 4; l > level; l--) {
		uint64_t *e = &t[(va >> (12 + 9 * (l - 1))) & 511];
		if (!(*e & PTE_P)) {
			if (!create)
				return NULL;
			uint64_t pa = x86_frame_alloc();
			if (!pa)
				return NULL;
			/* Upper levels allow everything; the leaf decides (SDM 4.6). */
			*e = pa | PTE_P | PTE_W;
		} else if (*e & PTE_PS) {
			return e;
		}
		t = table(*e & PTE_ADDR);
	}
	return &t[(va >> (12 + 9 * (level - 1))) & 511];
}

int mm_split_large(uint64_t *pde)
{
	uint64_t pt_pa = x86_frame_alloc();

	if (!pt_pa)
		return -1;
	uint64_t *pt = table(pt_pa);
	uint64_t base = *pde & PTE_ADDR & ~(X86_LARGE_PAGE_SIZE - 1);
	uint64_t flags = *pde & ~PTE_ADDR & ~PTE_PS;
	for (int i = 0; i < 512; i++)
		pt[i] = (base + i * X86_PAGE_SIZE) | flags;
	*pde = pt_pa | PTE_P | PTE_W;
	mm_flush_all();
	return 0;
}

int mm_map(uint64_t va, uint64_t pa, uint64_t flags)
{
	uint64_t *e = mm_entry(va, 1, 1);

	if (!e)
		return -1;
	*e = pa | flags | PTE_P;
	return 0;
}

void mm_invlpg(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

void mm_flush_all(void)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(pml4_pa) : "memory");
}

uint64_t x86_virt_to_phys(uint64_t va)
{
	uint64_t *pde = mm_entry(va, 2, 0);

	if (!pde || !(*pde & PTE_P))
		return ~0ull;
	if (*pde & PTE_PS)
		return (*pde & PTE_ADDR & ~(X86_LARGE_PAGE_SIZE - 1)) + (va & (X86_LARGE_PAGE_SIZE - 1));
	uint64_t pte = table(*pde & PTE_ADDR)[(va >> 12) & 511];
	if (!(pte & PTE_P))
		return ~0ull;
	return (pte & PTE_ADDR) + (va & (X86_PAGE_SIZE - 1));
}

static void map_image_range(char *start, char *end, uint64_t flags)
{
	for (uint64_t va = (uint64_t)start; va < (uint64_t)end; va += X86_PAGE_SIZE)
		if (mm_map(va, va - RVKVM_IMAGE_VIRT_BASE, flags))
			x86_crash(NULL, "out of frames for the monitor page tables");
}

void x86_mem_init(void)
{
	x86_frames_build();
	pml4_pa = x86_frame_alloc();
	if (!pml4_pa)
		x86_crash(NULL, "no RAM for the page tables");

	/* Direct map: 2 MiB pages, never executable. */
	uint64_t top = RT_ALIGN_UP(x86_ram_top(), X86_LARGE_PAGE_SIZE);
	for (uint64_t pa = 0; pa < top; pa += X86_LARGE_PAGE_SIZE) {
		uint64_t *pde = mm_entry(RVKVM_DIRECT_MAP_BASE + pa, 2, 1);
		if (!pde)
			x86_crash(NULL, "out of frames for the direct map");
		*pde = pa | PTE_P | PTE_W | PTE_PS | PTE_NX;
	}

	map_image_range(_image_start, _text_end, 0);
	map_image_range(_text_end, _rodata_end, PTE_NX);
	map_image_range(_rodata_end, _image_end, PTE_W | PTE_NX);

	__asm__ volatile("mov %0, %%cr3" : : "r"(pml4_pa) : "memory");
	tables_live = 1;
	x86_frames_direct_map_ready();
}
