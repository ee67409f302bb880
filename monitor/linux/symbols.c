/*
 * symbols.c - the function symbols of the guest program, read from its file
 * (.symtab, else .dynsym) with HC_PREAD, for the crash summary (crash.c)
 * and the profile (profile.c).  The file is guest input: every offset and
 * count is bounded before use.
 */
#include "lx.h"

#define SHT_SYMTAB 2
#define SHT_DYNSYM 11
#define STT_FUNC 2
#define SHN_UNDEF 0
/* Bounds on what a damaged file can make us read. */
#define SYM_MAX_SECTIONS 4096u
#define SYM_MAX_SYMBOLS (1u << 20)
#define SYM_BATCH 256u /* symbols a read: libc.so.6's 2,900 in 12 */

/* ELF-64 Object File Format, section 4 (Sections) and 5 (Symbol table). */
struct sym_shdr {
	uint32_t name, type;
	uint64_t flags, addr, offset, size;
	uint32_t link, info;
	uint64_t addralign, entsize;
};
_Static_assert(sizeof(struct sym_shdr) == 64, "Elf64_Shdr layout");

struct sym_entry {
	uint32_t name;
	unsigned char info, other;
	uint16_t shndx;
	uint64_t value, size;
};
_Static_assert(sizeof(struct sym_entry) == 24, "Elf64_Sym layout");

static int sym_section(int fd, const struct lx_elf_ehdr *eh, uint32_t type, struct sym_shdr *sh)
{
	for (unsigned i = 0; i < eh->shnum; i++) {
		if (lx_read_at(fd, sh, sizeof(*sh), eh->shoff + (uint64_t)i * sizeof(*sh)))
			return -1;
		if (sh->type == type)
			return 0;
	}
	return -1;
}

int lx_symtab_open(int fd, struct lx_symtab *t)
{
	struct lx_elf_ehdr eh;
	struct sym_shdr symtab, strtab;

	if (lx_read_at(fd, &eh, sizeof(eh), 0) || eh.shentsize != sizeof(struct sym_shdr) ||
	    eh.shnum > SYM_MAX_SECTIONS)
		return -1;
	if (sym_section(fd, &eh, SHT_SYMTAB, &symtab) && sym_section(fd, &eh, SHT_DYNSYM, &symtab))
		return -1;
	if (symtab.link >= eh.shnum ||
	    lx_read_at(fd, &strtab, sizeof(strtab), eh.shoff + symtab.link * sizeof(strtab)))
		return -1;
	t->fd = fd;
	t->sym_offset = symtab.offset;
	t->count = symtab.size / sizeof(struct sym_entry);
	if (t->count > SYM_MAX_SYMBOLS)
		t->count = SYM_MAX_SYMBOLS;
	t->str_offset = strtab.offset;
	t->str_size = strtab.size;
	return 0;
}

int lx_symtab_each(const struct lx_symtab *t, lx_symtab_fn *fn, void *ctx)
{
	/* Static: too large for the monitor's stack; one guest thread reads symbols. */
	static struct sym_entry batch[SYM_BATCH];

	for (uint64_t i = 0; i < t->count; i += SYM_BATCH) {
		unsigned n = t->count - i < SYM_BATCH ? (unsigned)(t->count - i) : SYM_BATCH;

		if (lx_read_at(t->fd, batch, n * sizeof(batch[0]),
			       t->sym_offset + i * sizeof(batch[0])))
			return -1;
		for (unsigned j = 0; j < n; j++) {
			const struct sym_entry *s = &batch[j];
			int r;

			if ((s->info & 0xf) != STT_FUNC || s->shndx == SHN_UNDEF || !s->size)
				continue;
			r = fn(ctx, s->value, s->size, s->name);
			if (r)
				return r;
		}
	}
	return 0;
}

int lx_symtab_name(const struct lx_symtab *t, uint32_t name, char *buf, size_t len)
{
	uint64_t n;

	if (!len || name >= t->str_size)
		return -1;
	n = t->str_size - name;
	if (n > len - 1)
		n = len - 1;
	if (lx_read_at(t->fd, buf, n, t->str_offset + name))
		return -1;
	buf[n] = 0;
	return 0;
}

/* The whole string table, NUL-terminated, in memory from plat_alloc; NULL: none. */
char *lx_symtab_names(const struct lx_symtab *t, uint64_t max)
{
	char *names;

	if (!t->str_size || t->str_size > max || !(names = plat_alloc(t->str_size + 1)))
		return NULL;
	if (lx_read_at(t->fd, names, t->str_size, t->str_offset)) {
		plat_free(names);
		return NULL;
	}
	names[t->str_size] = 0;
	return names;
}
