/*
 * crash.c - what --verbose adds when a signal ends the program: the guest
 * pc and return address named by the program's own function symbols
 * (symbols.c), and the integer registers, as the first lines of a core dump
 * would show them.  A stripped program, or a pc in the interpreter or a
 * shared library, shows the bare address.
 */
#include "lx.h"

#define CRASH_NAME_MAX 96u

static const char *const reg_names[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

struct crash_lookup {
	uint64_t addr; /* file address, load bias removed */
	uint64_t value;
	uint32_t name;
};

static int crash_match(void *ctx, uint64_t value, uint64_t size, uint32_t name)
{
	struct crash_lookup *l = ctx;

	if (l->addr < value || l->addr - value >= size)
		return 0;
	l->value = value;
	l->name = name;
	return 1;
}

static void crash_where(const char *what, uint64_t pc)
{
	struct lx_symtab t;
	struct crash_lookup l = {pc - lx_proc.image_bias, 0, 0};
	char name[CRASH_NAME_MAX];

	if (pc >= lx_proc.image_bias && lx_symtab_open(lx_proc.start->program_fd, &t) == 0 &&
	    lx_symtab_each(&t, crash_match, &l) == 1 &&
	    lx_symtab_name(&t, l.name, name, sizeof(name)) == 0)
		lx_log("rvkvm:   %s 0x%llx <%s+0x%llx> in %s\n", what, (unsigned long long)pc, name,
		       (unsigned long long)(l.addr - l.value), lx_proc.start->execfn);
	else
		lx_log("rvkvm:   %s 0x%llx (in no function of %s)\n", what, (unsigned long long)pc,
		       lx_proc.start->execfn);
}

void lx_crash_summary(const struct dbt_cpu *cpu, uint64_t pc)
{
	crash_where("pc", pc);
	crash_where("ra", cpu->x[1]);
	for (int i = 0; i < 32; i += 4)
		lx_log("rvkvm:   %-4s %016llx  %-4s %016llx  %-4s %016llx  %-4s %016llx\n",
		       reg_names[i], (unsigned long long)(i ? cpu->x[i] : 0), reg_names[i + 1],
		       (unsigned long long)cpu->x[i + 1], reg_names[i + 2],
		       (unsigned long long)cpu->x[i + 2], reg_names[i + 3],
		       (unsigned long long)cpu->x[i + 3]);
}
