/*
 * paging.c - the monitor's own 4-level page tables (DESIGN.md section 4):
 * the guest half is filled lazily by guestmem.c; all RAM is mapped at
 * RVKVM_DIRECT_MAP_BASE with 2 MiB pages; the image at RVKVM_IMAGE_VIRT_BASE
 * with per-section permissions; heap and code region grow on demand.
 */
#include "mm.h"
#include "rt.h"
#include "x86.h"

/* CR3 value and the end of the direct map; set once by x86_mem_init. */
static uint64_t pml4_pa, direct_top;
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
	uint64_t *t = table(pml4_pa);

	/* The direct map may not be filled yet (map_direct_2m): no walk needed. */
	if (va >= RVKVM_DIRECT_MAP_BASE && va - RVKVM_DIRECT_MAP_BASE < direct_top)
		return va - RVKVM_DIRECT_MAP_BASE;

	for (int level = 4; level >= 1; level--) {
		unsigned shift = 12 + 9 * (level - 1);
		uint64_t e = t[(va >> shift) & 511];
		if (!(e & PTE_P))
			return ~0ull;
		/* A leaf: a 4 KiB entry, or PS at the 2 MiB or 1 GiB level. */
		if (level == 1 || (level <= 3 && e & PTE_PS)) {
			uint64_t size = 1ull << shift;
			return (e & PTE_ADDR & ~(size - 1)) + (va & (size - 1));
		}
		t = table(e & PTE_ADDR);
	}
	return ~0ull;
}

/*
 * Image pages: one walk per page table, then a plain store per page.  Every
 * instruction here is emulated on an emulated-KVM host, and this runs on
 * every boot.
 */
static void map_image_range(char *start, char *end, uint64_t flags)
{
	uint64_t va = (uint64_t)start;

	while (va < (uint64_t)end) {
		uint64_t *pte = mm_entry(va, 1, 1);
		if (!pte)
			x86_crash(NULL, "out of frames for the monitor page tables");
		do {
			*pte++ = (va - RVKVM_IMAGE_VIRT_BASE) | flags | PTE_P;
			va += X86_PAGE_SIZE;
		} while (va < (uint64_t)end && va & (X86_LARGE_PAGE_SIZE - 1));
	}
}

static void fill_direct_pd(uint64_t *pd, uint64_t gib)
{
	for (uint64_t pa = gib; pa < gib + (1ull << 30) && pa < direct_top; pa += X86_LARGE_PAGE_SIZE)
		*pd++ = pa | PTE_P | PTE_W | PTE_PS | PTE_NX;
}

/*
 * 2 MiB pages: every GiB gets its page directory now, but only the first
 * is filled; the others fill on their first #PF (x86_direct_map_fault).
 * Boot and early frames live in the first GiB, so a large -m costs one
 * store per GiB at boot rather than 512.
 */
static void map_direct_2m(void)
{
	for (uint64_t gib = 0; gib < direct_top; gib += 1ull << 30) {
		uint64_t *pdpte = mm_entry(RVKVM_DIRECT_MAP_BASE + gib, 3, 1);
		uint64_t pd_pa = x86_frame_alloc();
		if (!pdpte || !pd_pa)
			x86_crash(NULL, "out of frames for the direct map");
		if (!gib)
			fill_direct_pd(table(pd_pa), gib);
		*pdpte = pd_pa | PTE_P | PTE_W;
	}
}

int x86_direct_map_fault(uint64_t va)
{
	if (va < RVKVM_DIRECT_MAP_BASE || va - RVKVM_DIRECT_MAP_BASE >= direct_top)
		return 0;
	uint64_t gib = RT_ALIGN_DOWN(va - RVKVM_DIRECT_MAP_BASE, 1ull << 30);
	uint64_t *pdpte = mm_entry(RVKVM_DIRECT_MAP_BASE + gib, 3, 0);
	if (!pdpte || !(*pdpte & PTE_P) || *pdpte & PTE_PS)
		return 0;
	uint64_t *pd = table(*pdpte & PTE_ADDR);
	if (pd[0] & PTE_P)
		return 0; /* filled: the fault is something else */
	fill_direct_pd(pd, gib);
	return 1;
}

void x86_mem_init(void)
{
	x86_frames_build();
	pml4_pa = x86_frame_alloc();
	if (!pml4_pa)
		x86_crash(NULL, "no RAM for the page tables");

	/*
	 * Direct map, never executable: 1 GiB pages where the CPU has them
	 * (CPUID 0x80000001 EDX bit 26, SDM vol. 3 4.5), else 2 MiB pages,
	 * filled a GiB at a time as they are touched: boot stays short on
	 * emulated hosts whatever the RAM size.
	 */
	uint32_t eax = 0x80000001, ebx, ecx = 0, edx;
	__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
	direct_top = RT_ALIGN_UP(x86_ram_top(), X86_LARGE_PAGE_SIZE);
	if (edx & (1u << 26)) {
		for (uint64_t pa = 0; pa < direct_top; pa += 1ull << 30) {
			uint64_t *e = mm_entry(RVKVM_DIRECT_MAP_BASE + pa, 3, 1);
			if (!e)
				x86_crash(NULL, "out of frames for the direct map");
			*e = pa | PTE_P | PTE_W | PTE_PS | PTE_NX;
		}
	} else {
		map_direct_2m();
	}

	map_image_range(_image_start, _text_end, 0);
	map_image_range(_text_end, _rodata_end, PTE_NX);
	map_image_range(_rodata_end, _image_end, PTE_W | PTE_NX);

	__asm__ volatile("mov %0, %%cr3" : : "r"(pml4_pa) : "memory");
	tables_live = 1;
	x86_frames_direct_map_ready();
}
