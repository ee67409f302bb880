/*
 * routine_entries.c - where the C library routines that run as host code
 * (routines.c) start: their names looked up in the program's symbol table
 * (a static program's libc) and in those of the shared objects whose code
 * it runs (libc.so.6, mapped by ld.so), for the translator, which asks
 * about every block it translates (dbt_guest_routine).  None under
 * --no-host-strings or a debugger.
 */
#include "lx.h"

#define ENTRIES_MAX 128	     /* the program's and its shared objects' */
#define OBJECTS_MAX 16	     /* shared objects whose symbols were read */
#define NAMES_MAX (4u << 20) /* bytes of string table read */
#define PHDRS_MAX 64

/* Owned by the single guest thread. */
static struct {
	int state; /* 0: the program's symbols not read yet, 1: read, -1: routines off */
	unsigned count;
	uint64_t pc[ENTRIES_MAX];
	dbt_routine_fn *fn[ENTRIES_MAX];
	unsigned objects;
	uint64_t object_start[OBJECTS_MAX], object_end[OBJECTS_MAX]; /* executable areas read */
} table;

struct reading {
	uint64_t bias, lo, hi; /* symbol value + bias = guest address, kept if in [lo, hi) */
	const char *names;
	uint64_t names_size;
};

static int collect(void *ctx, uint64_t value, uint64_t size, uint32_t name)
{
	const struct reading *r = ctx;
	uint64_t pc = value + r->bias;

	(void)size;
	if (name >= r->names_size || pc < r->lo || pc >= r->hi)
		return 0;
	for (unsigned k = 0; k < lx_routine_count && table.count < ENTRIES_MAX; k++)
		if (!strcmp(r->names + name, lx_routine_names[k].name)) {
			table.pc[table.count] = pc;
			table.fn[table.count++] = lx_routine_names[k].fn;
		}
	return 0;
}

/* The routines among the function symbols of the ELF file fd. */
static void read_symbols(int fd, struct reading r)
{
	struct lx_symtab t;
	char *names;

	if (lx_symtab_open(fd, &t) || !(names = lx_symtab_names(&t, NAMES_MAX)))
		return;
	r.names = names;
	r.names_size = t.str_size;
	lx_symtab_each(&t, collect, &r);
	plat_free(names);
}

/*
 * A shared object's executable area (libc.so.6, mapped by ld.so): its
 * load bias from the segment that holds the area's first byte, then its
 * symbols (.dynsym where it is stripped).  Read once per area, found or
 * not; munmap forgets it (lx_routines_forget).
 */
static void read_shared_object(const struct lx_vma *v)
{
	struct lx_elf_ehdr eh;
	struct lx_elf_phdr ph[PHDRS_MAX];
	int fd = lx_filemap_fd(v->file);
	uint64_t off = lx_filemap_offset(v->file, v->start);

	if (table.objects == OBJECTS_MAX)
		return;
	table.object_start[table.objects] = v->start;
	table.object_end[table.objects++] = v->end;
	if (lx_read_at(fd, &eh, sizeof(eh), 0) || memcmp(eh.ident, "\177ELF", 4) ||
	    eh.phentsize != sizeof(ph[0]) || eh.phnum > PHDRS_MAX ||
	    lx_read_at(fd, ph, eh.phnum * sizeof(ph[0]), eh.phoff))
		return;
	for (unsigned i = 0; i < eh.phnum; i++)
		if (ph[i].type == LX_PT_LOAD && ph[i].offset <= off &&
		    off - ph[i].offset < ph[i].filesz) {
			uint64_t bias = v->start - (ph[i].vaddr + (off - ph[i].offset));
			read_symbols(fd,
				     (struct reading){.bias = bias, .lo = v->start, .hi = v->end});
			return;
		}
}

static int object_read(uint64_t pc)
{
	for (unsigned i = 0; i < table.objects; i++)
		if (table.object_start[i] <= pc && pc < table.object_end[i])
			return 1;
	return 0;
}

static dbt_routine_fn *entry_at(uint64_t pc)
{
	for (unsigned i = 0; i < table.count; i++)
		if (table.pc[i] == pc)
			return table.fn[i];
	return NULL;
}

dbt_routine_fn *dbt_guest_routine(uint64_t pc)
{
	if (!table.state) {
		table.state = lx_proc.start->gdb || lx_proc.start->guest_strings ? -1 : 1;
		if (table.state > 0)
			read_symbols(lx_proc.start->program_fd,
				     (struct reading){.bias = lx_proc.image_bias, .hi = ~0ull});
	}
	if (table.state < 0)
		return NULL;
	dbt_routine_fn *fn = entry_at(pc);
	if (fn || object_read(pc))
		return fn;
	/* Code in a file mapped by the program (ld.so's libraries): its symbols, once. */
	const struct lx_vma *v = lx_vma_find(pc);
	if (!v || !v->file || !(v->prot & LX_PROT_EXEC))
		return NULL;
	read_shared_object(v);
	return entry_at(pc);
}

/* [start, end) was unmapped or mapped over: what was read there no longer holds. */
void lx_routines_forget(uint64_t start, uint64_t end)
{
	unsigned n = 0;

	for (unsigned i = 0; i < table.count; i++)
		if (table.pc[i] < start || table.pc[i] >= end) {
			table.pc[n] = table.pc[i];
			table.fn[n++] = table.fn[i];
		}
	table.count = n;
	n = 0;
	for (unsigned i = 0; i < table.objects; i++)
		if (table.object_end[i] <= start || table.object_start[i] >= end) {
			table.object_start[n] = table.object_start[i];
			table.object_end[n++] = table.object_end[i];
		}
	table.objects = n;
}
