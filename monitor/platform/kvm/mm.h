/*
 * mm.h - page tables and frames inside platform/kvm: what paging.c,
 * frames.c, heap.c and guestmem.c share.  Backends use x86.h only.
 */
#ifndef RVKVM_KVM_MM_H
#define RVKVM_KVM_MM_H

#include <stdint.h>

/* PTE bits (SDM vol. 3 4.5, tables 4-14 .. 4-20). */
#define PTE_P   (1ull << 0)
#define PTE_W   (1ull << 1)
#define PTE_U   (1ull << 2)
#define PTE_A   (1ull << 5)
#define PTE_D   (1ull << 6)
#define PTE_PS  (1ull << 7)
/*
 * Software bit (ignored by the MMU): the entry holds a frame although P is
 * clear, i.e. a populated guest page under PROT_NONE.  Bits 62:52 and 11:9
 * are free for software in both present and not-present entries.
 */
#define PTE_KEPT (1ull << 9)
#define PTE_NX  (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull

/* Monitor virtual regions inside the image's 512 GiB slot (DESIGN.md 4). */
#define MM_CODE_BASE (RVKVM_IMAGE_VIRT_BASE + 0x40000000ull) /* 1 GiB: within rel32 of the image */
#define MM_CODE_SIZE 0x3ff00000ull
#define MM_HEAP_BASE (RVKVM_IMAGE_VIRT_BASE + 0x100000000ull)
#define MM_HEAP_SIZE 0x1000000000ull /* 64 GiB of address space */

void x86_frames_build(void);
void x86_frames_direct_map_ready(void);
void x86_frame_free_large(uint64_t pa);

/*
 * The entry mapping va at `level` (1: 4 KiB PTE, 2: PD entry), creating the
 * tables above it when `create`; NULL if absent (or out of frames).  A 2 MiB
 * page met on the way to level 1 is returned as is: check PTE_PS.
 */
uint64_t *mm_entry(uint64_t va, int level, int create);
/* Replace a 2 MiB mapping by a table of 512 equivalent 4 KiB entries. */
int mm_split_large(uint64_t *pde);
/* Map fresh or given frames: 4 KiB pages, flags are PTE bits besides P. */
int mm_map(uint64_t va, uint64_t pa, uint64_t flags);
/* A #PF in a direct-map GiB not filled yet: fill it; 0 if not that case. */
int x86_direct_map_fault(uint64_t va);
void mm_invlpg(uint64_t va);
void mm_flush_all(void);

#endif
