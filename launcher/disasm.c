/*
 * disasm.c - loads the disassembler libraries when -d first needs them.
 * Linked in, they and what they pull in (libbfd, zlib, zstd, libsframe)
 * cost some 15 ms of relocation and page faults at every start: half of
 * what running a static hello world took, for a feature few runs use.
 * The sonames come from the libraries the build found (Makefile).
 */
#include <dlfcn.h>

#include "disasm.h"
#include "launcher.h"

struct disasm_libs disasm;

static void *open_library(const char *soname)
{
	void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		die(1, "-d: cannot load %s: %s", soname, dlerror());
	return lib;
}

static void *symbol(void *lib, const char *soname, const char *name)
{
	void *p = dlsym(lib, name);
	if (!p)
		die(1, "-d: %s has no %s", soname, name);
	return p;
}

void disasm_load(void)
{
	void *cs = open_library(CAPSTONE_SONAME);
	void *op = open_library(OPCODES_SONAME);

	disasm.cs_open = symbol(cs, CAPSTONE_SONAME, "cs_open");
	disasm.cs_option = symbol(cs, CAPSTONE_SONAME, "cs_option");
	disasm.cs_malloc = symbol(cs, CAPSTONE_SONAME, "cs_malloc");
	disasm.cs_disasm_iter = symbol(cs, CAPSTONE_SONAME, "cs_disasm_iter");
	disasm.disassembler = symbol(op, OPCODES_SONAME, "disassembler");
	disasm.init_disassemble_info = symbol(op, OPCODES_SONAME, "init_disassemble_info");
	disasm.disassemble_init_for_target =
	    symbol(op, OPCODES_SONAME, "disassemble_init_for_target");
	disasm.buffer_read_memory = symbol(op, OPCODES_SONAME, "buffer_read_memory");
}
