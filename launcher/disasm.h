/*
 * disasm.h - the disassemblers behind -d in_asm,out_asm (trace.c):
 * capstone for x86-64, libopcodes for riscv64, reached through these
 * pointers once disasm_load() has loaded the libraries.
 */
#ifndef RVKVM_LAUNCHER_DISASM_H
#define RVKVM_LAUNCHER_DISASM_H

#include <capstone/capstone.h>
#include <dis-asm.h>

struct disasm_libs {
	__typeof__(cs_open) *cs_open;
	__typeof__(cs_option) *cs_option;
	__typeof__(cs_malloc) *cs_malloc;
	__typeof__(cs_disasm_iter) *cs_disasm_iter;
	__typeof__(disassembler) *disassembler;
	__typeof__(init_disassemble_info) *init_disassemble_info;
	__typeof__(disassemble_init_for_target) *disassemble_init_for_target;
	__typeof__(buffer_read_memory) *buffer_read_memory;
};

extern struct disasm_libs disasm;

/* Loads both libraries and fills `disasm`, or dies with a one-line reason. */
void disasm_load(void);

#endif
