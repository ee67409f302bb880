/*
 * run.c - the life of the guest process: lay out the address space, load the
 * program, build its stack, then run translated code and serve whatever
 * stops it (a system call, or a fault, which becomes a signal).
 */
#include <stdarg.h>

#include "lx.h"

struct lx_proc lx_proc;

/* The one hart; owned by linux_run's loop. */
static struct dbt_cpu lx_cpu;

#define STATUS_MONITOR 70 /* EX_SOFTWARE: the monitor could not start */

void lx_log(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = rt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	plat_log(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* "N (P.P% <what>, M not)": of n events, n - missed were served as `what` says. */
static void print_served(const char *name, uint64_t n, uint64_t missed, const char *what)
{
	uint64_t permille = n ? ((n - missed) * 1000 + n / 2) / n : 0;
	lx_log("rvkvm: stats: %s%llu (%llu.%llu%% %s, %llu not)\n", name, (unsigned long long)n,
	       (unsigned long long)(permille / 10), (unsigned long long)(permille % 10), what,
	       (unsigned long long)missed);
}

static void print_stats(void)
{
	if (!lx_proc.start->stats)
		return;
	lx_log("rvkvm: stats: blocks translated     %llu\n",
	       (unsigned long long)dbt_stats.blocks_translated);
	lx_log("rvkvm: stats: guest insns translated %llu\n",
	       (unsigned long long)dbt_stats.guest_insns_translated);
	lx_log("rvkvm: stats: translate ns          %llu\n",
	       (unsigned long long)dbt_stats.translate_ns);
	lx_log("rvkvm: stats: dispatcher lookups    %llu\n",
	       (unsigned long long)dbt_stats.dispatcher_lookups);
	lx_log("rvkvm: stats: chained exits         %llu\n",
	       (unsigned long long)dbt_stats.chained_exits);
	lx_log("rvkvm: stats: code cache flushes    %llu\n", (unsigned long long)dbt_stats.flushes);
	lx_log("rvkvm: stats: loop facts dropped    %llu\n",
	       (unsigned long long)dbt_stats.loop_facts_dropped);
	lx_log("rvkvm: stats: smc invalidations     %llu\n",
	       (unsigned long long)dbt_stats.smc_invalidations);
	lx_log("rvkvm: stats: guest instructions    %llu\n", (unsigned long long)lx_cpu.instret);
	print_served("indirect jumps        ", lx_cpu.indirect_jumps, lx_cpu.indirect_missed,
		     "inline");
	print_served("returns               ", lx_cpu.returns, lx_cpu.returns_missed,
		     "by the return stack");
	print_served("library routines      ", lx_cpu.routine_calls, lx_cpu.routine_declined,
		     "run as host code");
	lx_log("rvkvm: stats: syscalls              %llu\n", (unsigned long long)lx_proc.syscalls);
	lx_log("rvkvm: stats: page faults           %llu\n",
	       (unsigned long long)plat_page_faults());
	lx_log("rvkvm: stats: protection changes    %llu\n",
	       (unsigned long long)lx_mm.prot_changes);
	lx_log("rvkvm: stats: mappings at exit      %u (%llu KiB)\n", lx_mm.count,
	       (unsigned long long)(lx_mm.committed >> 10));
	lx_log("rvkvm: stats: file pages filled     %llu (%llu reads)\n",
	       (unsigned long long)lx_mm.file_pages_filled, (unsigned long long)lx_mm.file_reads);
	/* For the launcher's exits per system call (kvm). */
	const int64_t count[6] = {(int64_t)lx_proc.syscalls};
	plat_hostcall(HC_STATS, count, NULL, 0);
}

_Noreturn void lx_exit(int status)
{
	/* As the kernel's page cache would, shared file mappings reach their files. */
	lx_vma_sync(0, GUEST_VA_LIMIT);
	if (lx_proc.start->gdb)
		lx_gdb_exit(status, 0);
	print_stats();
	if (lx_proc.start->profile)
		lx_profile_report();
	lx_perfmap_flush();
	plat_exit(status);
}

/* The status a shell sees for a process killed by sig; like qemu-riscv64, print nothing. */
_Noreturn void lx_exit_signal(int sig)
{
	if (lx_proc.start->gdb)
		lx_gdb_exit(128 + sig, sig);
	lx_exit(128 + sig);
}

/* mm/util.c mmap_base(): below the stack rlimit plus a guard gap, at least 128 MiB. */
static void layout(uint64_t stack_size, uint64_t ram_limit)
{
	uint64_t map = LX_PAGE_UP(stack_size);
	uint64_t gap = stack_size + LX_STACK_GUARD_GAP;
	const uint64_t max_gap = GUEST_VA_LIMIT / 6 * 5;

	if (map > LX_MAX_STACK_MAP || map == 0)
		map = LX_MAX_STACK_MAP;
	if (gap < LX_MMAP_MIN_GAP || gap < stack_size)
		gap = LX_MMAP_MIN_GAP;
	if (gap > max_gap)
		gap = max_gap;
	lx_vma_init(ram_limit);
	lx_mm.stack_low = LX_STACK_TOP - map;
	lx_mm.mmap_base = LX_PAGE_DOWN(LX_STACK_TOP - gap);
}

_Noreturn void linux_run(const struct linux_start *start)
{
	struct lx_image img;
	uint64_t sp, stack = start->stack_size ? start->stack_size : LX_DEFAULT_STACK_SIZE;
	int r;

	lx_proc.start = start;
	lx_proc.cpu = &lx_cpu;
	lx_proc.boot_ns = plat_clock_monotonic_ns();
	lx_limits_init(stack);
	if (start->profile)
		lx_profile_init();
	lx_signal_init();
	layout(stack, start->ram_limit);
	if (dbt_init() < 0) {
		lx_log("rvkvm: out of memory for the translation cache\n");
		plat_exit(STATUS_MONITOR);
	}
	if (start->stats)
		dbt_set_mode(dbt_mode | DBT_MODE_COUNT);
	/* gdb sees each system call come back to this loop (lx_gdb_step below). */
	if (start->gdb)
		dbt_set_mode(dbt_mode | DBT_MODE_ECALL_EXIT);
	r = lx_elf_load(start, &img);
	if (r)
		plat_exit(r);
	lx_mm.start_brk = lx_mm.brk = img.brk;
	lx_proc.image_bias = img.bias;
	r = lx_stack_build(start, &img, &sp);
	if (r)
		plat_exit(r);
	if (lx_signal_map_trampoline() < 0) {
		lx_log("rvkvm: %s: out of guest memory for the signal trampoline\n", start->execfn);
		plat_exit(126);
	}
	lx_trace_start(&img);

	/* ELF psABI process start: all registers zero but sp; fcsr zero (RNE). */
	memset(&lx_cpu, 0, sizeof(lx_cpu));
	lx_cpu.x[2] = sp;
	lx_cpu.pc = img.start_pc;
	lx_cpu.reservation = ~0ull;

	if (start->gdb)
		lx_gdb_start(&lx_cpu);
	for (;;) {
		int why = dbt_run(&lx_cpu);

		if (start->gdb && !lx_gdb_fault(&lx_cpu, why))
			continue;
		switch (why) {
		case DBT_EXIT_ECALL:
			lx_syscall(&lx_cpu);
			if (start->gdb)
				lx_gdb_step(&lx_cpu);
			break;
		case DBT_EXIT_EBREAK:
			lx_signal_fault(&lx_cpu, LX_SIGTRAP, LX_TRAP_BRKPT, lx_cpu.pc);
			break;
		case DBT_EXIT_ILLEGAL:
			lx_signal_fault(&lx_cpu, LX_SIGILL, LX_ILL_ILLOPC, lx_cpu.pc);
			break;
		case DBT_EXIT_FAULT:
			if (lx_cpu.fault_access & DBT_ACCESS_MISALIGNED)
				lx_signal_fault(&lx_cpu, LX_SIGBUS, LX_BUS_ADRALN,
						lx_cpu.fault_addr);
			else if (!lx_filemap_fault(&lx_cpu, lx_cpu.fault_addr))
				lx_signal_fault(&lx_cpu, LX_SIGSEGV,
						lx_vma_find(lx_cpu.fault_addr) ? LX_SEGV_ACCERR
									       : LX_SEGV_MAPERR,
						lx_cpu.fault_addr);
			break;
		case DBT_EXIT_FETCH_FAULT:
			if (!lx_filemap_fault(&lx_cpu, lx_cpu.fault_addr))
				lx_signal_fault(&lx_cpu, LX_SIGSEGV,
						lx_vma_find(lx_cpu.pc) ? LX_SEGV_ACCERR : LX_SEGV_MAPERR,
						lx_cpu.pc);
			break;
		case DBT_EXIT_INTERRUPT:
			lx_cpu.interrupt_request = 0;
			if (lx_signal_pending())
				lx_signal_dispatch(&lx_cpu);
			break;
		case DBT_EXIT_STEP:
			if (start->gdb)
				lx_gdb_step(&lx_cpu);
			break;
		default:
			plat_panic("linux: dbt_run returned an unknown exit");
		}
	}
}
