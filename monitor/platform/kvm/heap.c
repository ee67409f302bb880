/*
 * heap.c - plat_alloc/plat_free and plat_code_alloc.
 *
 * The heap is a bump region in the monitor's address space, backed by
 * frames as it grows, with power-of-two size classes on top: a block keeps
 * its class in a 16-byte header and returns to that class's free list.  The
 * monitor's allocations are few and long-lived (code-cache tables, region
 * lists, argv), so the up-to-2x rounding costs less than a smarter allocator.
 */
#include "mm.h"
#include "platform.h"
#include "rt.h"
#include "x86.h"

#define MIN_CLASS 5  /* 32 bytes, header included */
#define MAX_CLASS 36 /* 64 GiB: the whole heap region */

struct block_header {
	uint64_t size_class;
	uint64_t reserved; /* keeps the payload 16-byte aligned */
};

/* Heap state: single CPU, no interrupts; owned by this file. */
static uint64_t heap_top = MM_HEAP_BASE;    /* next unused byte */
static uint64_t heap_mapped = MM_HEAP_BASE; /* end of the backed part */
static void *free_lists[MAX_CLASS + 1];
static uint64_t code_top = MM_CODE_BASE, code_mapped = MM_CODE_BASE;

/*
 * Back [*mapped, need) with frames.  Whole aligned 2 MiB stretches get one
 * 2 MiB page: the translator's code cache and tables are megabytes, and a
 * 4 KiB mapping costs stores of emulated instructions: one walk per page
 * table, then one store per page.
 */
static int grow(uint64_t *mapped, uint64_t need, uint64_t limit, uint64_t flags)
{
	uint64_t *pte = NULL; /* next entry of the current page table */

	while (*mapped < need) {
		if (*mapped >= limit)
			return -1;
		if (!(*mapped & (X86_LARGE_PAGE_SIZE - 1)) && need - *mapped >= X86_LARGE_PAGE_SIZE &&
		    *mapped + X86_LARGE_PAGE_SIZE <= limit) {
			uint64_t pa = x86_frame_alloc_large();
			uint64_t *pde = pa ? mm_entry(*mapped, 2, 1) : NULL;
			if (pde && !(*pde & PTE_P)) {
				*pde = pa | flags | PTE_P | PTE_PS;
				*mapped += X86_LARGE_PAGE_SIZE;
				pte = NULL;
				continue;
			}
			if (pa)
				x86_frame_free_large(pa);
		}
		if (!pte || !(*mapped & (X86_LARGE_PAGE_SIZE - 1)))
			pte = mm_entry(*mapped, 1, 1);
		uint64_t pa = pte ? x86_frame_alloc() : 0;
		if (!pa)
			return -1;
		*pte++ = pa | flags | PTE_P;
		*mapped += X86_PAGE_SIZE;
	}
	return 0;
}

void *plat_alloc(size_t size)
{
	unsigned c = MIN_CLASS;

	while (c <= MAX_CLASS && (1ull << c) < size + sizeof(struct block_header))
		c++;
	if (c > MAX_CLASS)
		return NULL;
	struct block_header *h = free_lists[c];
	if (h) {
		free_lists[c] = *(void **)(h + 1);
		memset(h + 1, 0, (1ull << c) - sizeof(*h));
	} else {
		/* Fresh heap pages come zeroed from the frame allocator. */
		uint64_t start = heap_top;
		if (grow(&heap_mapped, start + (1ull << c), MM_HEAP_BASE + MM_HEAP_SIZE,
			 PTE_W | PTE_NX))
			return NULL;
		heap_top = start + (1ull << c);
		h = (struct block_header *)start;
	}
	h->size_class = c;
	return h + 1;
}

void plat_free(void *ptr)
{
	if (!ptr)
		return;
	struct block_header *h = (struct block_header *)ptr - 1;
	if (h->size_class < MIN_CLASS || h->size_class > MAX_CLASS)
		plat_panic("plat_free: not a heap block");
	*(void **)ptr = free_lists[h->size_class];
	free_lists[h->size_class] = h;
}

void *plat_code_alloc(size_t size)
{
	uint64_t start = RT_ALIGN_UP(code_top, 16);

	if (grow(&code_mapped, start + size, MM_CODE_BASE + MM_CODE_SIZE, PTE_W))
		return NULL;
	code_top = start + size;
	return (void *)start;
}
