/*
 * mbi.c - the multiboot v1 information block: RAM for the frame allocator,
 * the kernel command line, and the modules (Multiboot Specification 0.6.96,
 * section 3.3 "Boot information format").
 *
 * mb_early runs while only the boot identity map exists and before there is
 * a heap, so everything the later phases need is copied into this file's own
 * storage; the loader's block itself may then be reused as free RAM.
 * Module images stay where the loader put them and are reserved.
 */
#include "mb.h"
#include "platform/kvm/x86.h"
#include "rt.h"

/* Spec 3.3: which fields of the block are valid. */
#define MBI_FLAG_MEM (1u << 0)
#define MBI_FLAG_CMDLINE (1u << 2)
#define MBI_FLAG_MODS (1u << 3)
#define MBI_FLAG_MMAP (1u << 6)

#define MB_MMAP_AVAILABLE 1
#define MBI_MEM_UPPER_BASE 0x100000ull

struct mbi {
	uint32_t flags;
	uint32_t mem_lower; /* KiB below 1 MiB */
	uint32_t mem_upper; /* KiB from 1 MiB to the first hole */
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count;
	uint32_t mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length;
	uint32_t mmap_addr;
} __attribute__((packed));
_Static_assert(__builtin_offsetof(struct mbi, mmap_addr) == 48, "multiboot info layout");

struct mbi_module {
	uint32_t mod_start;
	uint32_t mod_end;
	uint32_t string;
	uint32_t reserved;
};

/* `size` counts the bytes after itself, so entries may grow. */
struct mbi_mmap_entry {
	uint32_t size;
	uint64_t base;
	uint64_t length;
	uint32_t type;
} __attribute__((packed));

/*
 * Written by mb_early only, read afterwards: the command line and module
 * strings, copied out of the loader's block.
 */
static char mb_strings[4096];
static size_t mb_strings_used;

const char *mb_cmdline = "";
unsigned mb_module_count;
struct mb_module mb_modules[MB_MAX_MODULES];

static void mb_say(const char *text)
{
	mb_com1_write(text, strlen(text));
}

/* The early phase has only the identity map of the first RVKVM_BOOT_MAP_SIZE (x86.h, step 2). */
static const void *early_phys(uint64_t pa)
{
	if (pa >= RVKVM_BOOT_MAP_SIZE - X86_PAGE_SIZE) {
		mb_say("rvkvm: multiboot: the loader's information lies above the boot map\n");
		mb_exit(1);
	}
	return (const void *)(uintptr_t)pa;
}

static const char *copy_string(uint32_t pa)
{
	const char *src = early_phys(pa);
	size_t room = sizeof(mb_strings) - mb_strings_used;
	size_t len = strnlen(src, room);
	char *dst = mb_strings + mb_strings_used;

	if (len == room) {
		mb_say("rvkvm: multiboot: command lines longer than 4 KiB in all, truncated\n");
		if (room == 0)
			return "";
		len = room - 1;
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
	mb_strings_used += len + 1;
	return dst;
}

static void hand_over_ram(const struct mbi *mbi)
{
	if (mbi->flags & MBI_FLAG_MMAP) {
		uint64_t at = mbi->mmap_addr, end = at + mbi->mmap_length;

		while (at + sizeof(struct mbi_mmap_entry) <= end) {
			const struct mbi_mmap_entry *e = early_phys(at);

			if (e->type == MB_MMAP_AVAILABLE)
				x86_ram_add(e->base, e->length);
			at += e->size + sizeof(e->size);
		}
		return;
	}
	/* No map: the spec's mem_upper is the one contiguous run from 1 MiB. */
	if (mbi->flags & MBI_FLAG_MEM) {
		x86_ram_add(MBI_MEM_UPPER_BASE, (uint64_t)mbi->mem_upper * 1024);
		return;
	}
	mb_say("rvkvm: multiboot: the loader gave no memory map\n");
	mb_exit(1);
}

static void take_modules(const struct mbi *mbi)
{
	if (!(mbi->flags & MBI_FLAG_MODS))
		return;
	if (mbi->mods_count > MB_MAX_MODULES)
		mb_say("rvkvm: multiboot: more than 16 modules, the rest are ignored\n");
	for (uint32_t i = 0; i < mbi->mods_count && i < MB_MAX_MODULES; i++) {
		const struct mbi_module *m = early_phys(mbi->mods_addr + i * sizeof(*m));
		struct mb_module *mod = &mb_modules[mb_module_count++];
		const char *s = m->string ? copy_string(m->string) : "";
		size_t n = 0;

		while (s[n] == ' ')
			n++;
		mod->string = s + n;
		mod->name = mod->string;
		while (mod->name[mod->name_len] && mod->name[mod->name_len] != ' ')
			mod->name_len++;
		mod->pa = m->mod_start;
		mod->size = m->mod_end > m->mod_start ? m->mod_end - m->mod_start : 0;
		x86_ram_reserve(RT_ALIGN_DOWN(mod->pa, X86_PAGE_SIZE),
				RT_ALIGN_UP(mod->pa + mod->size, X86_PAGE_SIZE) -
				    RT_ALIGN_DOWN(mod->pa, X86_PAGE_SIZE));
	}
}

void mb_early(uint64_t mbi_pa)
{
	const struct mbi *mbi = early_phys(mbi_pa);

	if (mbi->flags & MBI_FLAG_CMDLINE)
		mb_cmdline = copy_string(mbi->cmdline);
	hand_over_ram(mbi);
	take_modules(mbi);
}
