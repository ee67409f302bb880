/*
 * lx_strace.h - a row of the system call table and the --strace printer,
 * which shows calls in qemu-riscv64's -strace shape:
 *   "<pid> name(arg,...) = result" or "= -1 errno=N (text)".
 */
#ifndef RVKVM_LX_STRACE_H
#define RVKVM_LX_STRACE_H

#include "lx.h"

struct lx_syscall {
	const char *name;
	lx_handler *fn;	  /* NULL: known but not provided, -ENOSYS */
	const char *args; /* one letter per argument (strace.c); NULL: six raw numbers */
	char ret;	  /* 'd' a number, 'p' an address, 'n' does not return */
};

void lx_strace_enter(uint32_t pid, const struct lx_syscall *sc, const uint64_t a[6]);
void lx_strace_exit(const struct lx_syscall *sc, long r);
void lx_strace_unknown(uint32_t pid, uint64_t nr);

#endif
