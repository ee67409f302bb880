/*
 * trace.h - `-d in_asm,out_asm,exec,int,page` and `-D logfile`: the launcher
 * turns the monitor's HC_TRACE records into qemu-riscv64-like log text,
 * disassembling guest code with libopcodes and host code with capstone
 * (loaded on first use: disasm.c).
 */
#ifndef RVKVM_TRACE_H
#define RVKVM_TRACE_H

#include <stdint.h>
#include <sys/uio.h>

#include "launcher.h"

/*
 * "in_asm,exec": the RVKVM_TRACE_* mask.  "help" lists the categories and
 * exits 0; an unknown one is a one-line error and exit status 1.
 */
uint32_t trace_parse(const char *list);

/*
 * Open the log (cfg->trace_file, else stderr) and the disassemblers, while
 * the launcher may still open files (before proc's sandbox closes).  Dies
 * with a one-line message when the file cannot be created.
 */
void trace_open(const struct launch_config *cfg);

/* HC_TRACE: format one record (buffer 0).  0, or -EINVAL for a bad record. */
long trace_record(const struct iovec *iov, unsigned nseg);

#endif
