/*
 * linux_test.h - what the Linux personality's unit test and its stand-in
 * platform (linux_test_platform.c) share.
 */
#ifndef RVKVM_LINUX_TEST_H
#define RVKVM_LINUX_TEST_H

#include <setjmp.h>
#include <stddef.h>

#include "lx.h"

#define FAKE_MAX_PROT 4096

struct fake_range {
	uint64_t start, end;
	int prot;
};

struct fake_state {
	jmp_buf exit_jump; /* plat_exit() lands here */
	int exit_status;
	char log[65536]; /* everything plat_log() printed */
	size_t log_len;
	int fail_map; /* plat_mem_map() answers -ENOMEM */
	unsigned maps, hostcalls, prepare_writes, invalidations;
	struct fake_range prot[FAKE_MAX_PROT]; /* protections given, in order */
	int nprot;
	struct fake_range huge;		     /* the last plat_mem_huge_pages(); prot: its `how` */
	int (*dbt_run)(struct dbt_cpu *cpu); /* scripted translator */
};

extern struct fake_state fake;

int fake_init(void);
void fake_reset(void);
int fake_host_prot(uint64_t gva);

#endif
