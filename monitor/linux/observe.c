/*
 * observe.c - where the translator reports what it does (dbt.h): each
 * translated block and, in NOCHAIN mode, each block entered.  The
 * personality's debugging and profiling features each take what they need
 * from here.
 */
#include "lx.h"

void dbt_observe_translate(uint64_t guest_pc, uint64_t guest_end, const void *host,
			   uint32_t host_size)
{
	(void)guest_pc;
	(void)guest_end;
	(void)host;
	(void)host_size;
	lx_trace_block(guest_pc, guest_end, host, host_size);
	lx_perfmap_block(guest_pc, host, host_size);
}

void dbt_observe_exec(const struct dbt_cpu *cpu)
{
	(void)cpu;
	lx_trace_exec(cpu);
}
