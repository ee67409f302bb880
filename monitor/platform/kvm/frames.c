/*
 * frames.c - physical frame allocator over the RAM a boot backend handed
 * over (x86_ram_add) minus what it reserved (x86_ram_reserve), the first
 * MiB and the monitor image.  Frames come from per-range bump pointers, so
 * the bulk of RAM is never touched until used; freed frames go on intrusive
 * free lists kept in the frames themselves (through the direct map).
 */
#include "rt.h"
#include "x86.h"

#define MAX_RANGES 32
#define LOW_MEMORY 0x100000ull /* real-mode IVT/BIOS, and the kvm boot structures */

struct range {
	uint64_t start, end;
};

/* Filled in step 2 by the backend, read by frames_build(); then frozen. */
static struct range ram[MAX_RANGES], reserved[MAX_RANGES];
static unsigned nram, nreserved;
static int ram_known_zero;

/* Allocator state: owned by this file, single CPU, no interrupts. */
static struct range free_ranges[MAX_RANGES]; /* start is the bump pointer */
static unsigned nfree;
static uint64_t free_list, free_list_len;        /* 4 KiB frames */
static uint64_t large_free_list, large_free_len; /* 2 MiB frames */
static uint64_t total_frames;
static int direct_map_ready;

extern char _image_start[], _image_end[];

void x86_ram_add(uint64_t pa, uint64_t len)
{
	uint64_t start = RT_ALIGN_UP(pa, X86_PAGE_SIZE), end = RT_ALIGN_DOWN(pa + len, X86_PAGE_SIZE);

	if (end > start && nram < MAX_RANGES)
		ram[nram++] = (struct range){ start, end };
}

void x86_ram_reserve(uint64_t pa, uint64_t len)
{
	if (len && nreserved < MAX_RANGES)
		reserved[nreserved++] = (struct range){ RT_ALIGN_DOWN(pa, X86_PAGE_SIZE),
						       RT_ALIGN_UP(pa + len, X86_PAGE_SIZE) };
}

void x86_ram_is_zero(void)
{
	ram_known_zero = 1;
}

uint64_t x86_ram_top(void)
{
	uint64_t top = 0;

	for (unsigned i = 0; i < nram; i++)
		if (ram[i].end > top)
			top = ram[i].end;
	return top;
}

/* Add [start, end) to the free ranges, cutting out every reserved range. */
static void add_free(uint64_t start, uint64_t end, unsigned from)
{
	for (unsigned i = from; i < nreserved && start < end; i++) {
		struct range r = reserved[i];
		if (r.end <= start || r.start >= end)
			continue;
		if (r.start > start)
			add_free(start, r.start, i + 1);
		start = r.end;
	}
	if (start < end && nfree < MAX_RANGES) {
		free_ranges[nfree++] = (struct range){ start, end };
		total_frames += (end - start) / X86_PAGE_SIZE;
	}
}

void x86_frames_build(void)
{
	uint64_t image_pa = (uint64_t)_image_start - RVKVM_IMAGE_VIRT_BASE;
	uint64_t image_end_pa = (uint64_t)_image_end - RVKVM_IMAGE_VIRT_BASE;

	x86_ram_reserve(0, LOW_MEMORY);
	x86_ram_reserve(image_pa, image_end_pa - image_pa);
	for (unsigned i = 0; i < nram; i++)
		add_free(ram[i].start, ram[i].end, 0);
}

void x86_frames_direct_map_ready(void)
{
	direct_map_ready = 1;
}

/*
 * Before the direct map exists only the boot identity map does, and the
 * first frames (page tables for the direct map itself) come from the lowest
 * range, well inside it.
 */
static void *frame_va(uint64_t pa)
{
	return direct_map_ready ? x86_phys_to_virt(pa) : (void *)(uintptr_t)pa;
}

static void zero(uint64_t pa, uint64_t len)
{
	uint64_t *p = frame_va(pa);
	uint64_t n = len / 8;

	/* rep stosq: one emulated instruction per 8 bytes rather than per byte. */
	__asm__ volatile("rep stosq" : "+D"(p), "+c"(n) : "a"(0ull) : "memory");
}

uint64_t x86_frame_alloc(void)
{
	uint64_t pa = 0;

	if (free_list) {
		pa = free_list;
		free_list = *(uint64_t *)frame_va(pa);
		free_list_len--;
		zero(pa, X86_PAGE_SIZE);
		return pa;
	}
	for (unsigned i = 0; i < nfree; i++) {
		if (free_ranges[i].start < free_ranges[i].end) {
			pa = free_ranges[i].start;
			free_ranges[i].start += X86_PAGE_SIZE;
			if (!ram_known_zero)
				zero(pa, X86_PAGE_SIZE);
			return pa;
		}
	}
	if (large_free_list) {
		/* Break a free 2 MiB frame up rather than fail. */
		uint64_t big = large_free_list;
		large_free_list = *(uint64_t *)frame_va(big);
		large_free_len--;
		for (uint64_t off = X86_PAGE_SIZE; off < X86_LARGE_PAGE_SIZE; off += X86_PAGE_SIZE)
			x86_frame_free(big + off);
		zero(big, X86_PAGE_SIZE);
		return big;
	}
	return 0;
}

uint64_t x86_frame_alloc_large(void)
{
	if (large_free_list) {
		uint64_t pa = large_free_list;
		large_free_list = *(uint64_t *)frame_va(pa);
		large_free_len--;
		zero(pa, X86_LARGE_PAGE_SIZE);
		return pa;
	}
	for (unsigned i = 0; i < nfree; i++) {
		struct range *r = &free_ranges[i];
		uint64_t pa = RT_ALIGN_UP(r->start, X86_LARGE_PAGE_SIZE);
		if (pa + X86_LARGE_PAGE_SIZE > r->end)
			continue;
		while (r->start < pa) {
			/* The alignment gap stays usable as small frames. */
			uint64_t gap = r->start;
			r->start += X86_PAGE_SIZE;
			x86_frame_free(gap);
		}
		r->start = pa + X86_LARGE_PAGE_SIZE;
		if (!ram_known_zero)
			zero(pa, X86_LARGE_PAGE_SIZE);
		return pa;
	}
	return 0;
}

void x86_frame_free(uint64_t pa)
{
	*(uint64_t *)frame_va(pa) = free_list;
	free_list = pa;
	free_list_len++;
}

void x86_frame_free_large(uint64_t pa)
{
	*(uint64_t *)frame_va(pa) = large_free_list;
	large_free_list = pa;
	large_free_len++;
}

uint64_t x86_frames_free(void)
{
	uint64_t n = free_list_len + large_free_len * (X86_LARGE_PAGE_SIZE / X86_PAGE_SIZE);

	for (unsigned i = 0; i < nfree; i++)
		n += (free_ranges[i].end - free_ranges[i].start) / X86_PAGE_SIZE;
	return n;
}

uint64_t x86_frames_total(void)
{
	return total_frames;
}
