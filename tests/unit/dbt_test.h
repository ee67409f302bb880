/* dbt_test.h - the translator harness's own test platform. */
#ifndef RVKVM_DBT_TEST_H
#define RVKVM_DBT_TEST_H

#include <stdint.h>

#include "dbt.h"

int test_platform_init(void);
/* Unmaps all guest memory. */
void test_platform_reset(void);
/* Changes the guest protection of mapped pages, as the personality's mprotect would. */
int test_set_prot(uint64_t gva, uint64_t len, int prot);
/* Plays the personality's dbt_guest_ecall (NULL: just step over the ecall). */
extern void (*test_ecall_handler)(struct dbt_cpu *cpu);
/* Plays dbt_guest_routine: the routine run at test_routine_pc (NULL: none). */
extern uint64_t test_routine_pc;
extern dbt_routine_fn *test_routine_run;

#endif
