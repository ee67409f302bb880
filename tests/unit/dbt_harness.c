/*
 * dbt_harness.c - runs hand-assembled RISC-V snippets through the
 * translator on the test platform (dbt_test_platform.c) and prints one
 * PASS/FAIL line per check.  Snippets come from build: DIR/NAME.bin (flat,
 * linked at SNIPPET_BASE) and DIR/NAME.sym (riscv64 nm output).
 *
 *   dbt-harness DIR
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbt.h"
#include "dbt_test.h"
#include "platform.h"
#include "rt.h"
#include "translate.h"

#define SNIPPET_BASE 0x10000ull
#define STACK_TOP 0x7ff00000ull
#define STACK_SIZE 0x10000ull
#define DATA_PAGE 0x20000000ull /* left unmapped: faults */
#define FAR_PAGE 0x30000000ull
#define SYSCALL_EXIT 93
#define MAX_SYMS 128
#define REG_RA 1
#define REG_A0 10
#define REG_A1 11
#define REG_A2 12
#define REG_A3 13
#define REG_A7 17
#define REG_SP 2
#define REG_S1 9
#define REG_S2 18
#define REG_S3 19

struct snippet {
	const char *name;
	uint8_t *bin;
	size_t len;
	unsigned nsyms;
	struct {
		char name[64];
		uint64_t addr;
	} syms[MAX_SYMS];
};

static const char *dir;
static int failures;
static struct dbt_cpu cpu;

static void pass(const char *name)
{
	printf("PASS dbt.%s\n", name);
}

static void fail(const char *name, const char *fmt, ...)
{
	va_list ap;
	printf("FAIL dbt.%s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failures++;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = 0;
	*len = (size_t)n;
	return buf;
}

static int load(struct snippet *s, const char *name)
{
	char path[4096];
	size_t len;
	s->name = name;
	snprintf(path, sizeof(path), "%s/%s.bin", dir, name);
	s->bin = read_file(path, &s->len);
	snprintf(path, sizeof(path), "%s/%s.sym", dir, name);
	char *text = (char *)read_file(path, &len);
	if (!s->bin || !text)
		return -1;
	s->nsyms = 0;
	for (char *line = strtok(text, "\n"); line && s->nsyms < MAX_SYMS;
	     line = strtok(NULL, "\n")) {
		char type;
		unsigned long long addr;
		if (sscanf(line, "%llx %c %63s", &addr, &type, s->syms[s->nsyms].name) == 3)
			s->syms[s->nsyms++].addr = addr;
	}
	free(text);
	return 0;
}

static uint64_t sym(const struct snippet *s, const char *name)
{
	for (unsigned k = 0; k < s->nsyms; k++)
		if (!strcmp(s->syms[k].name, name))
			return s->syms[k].addr;
	fprintf(stderr, "harness: no symbol %s in %s\n", name, s->name);
	exit(1);
}

/* Fresh guest: the snippet at SNIPPET_BASE with code_prot, a stack, no translations. */
static void setup(const struct snippet *s, int code_prot)
{
	uint64_t len = RT_ALIGN_UP((uint64_t)s->len, GUEST_PAGE_SIZE);
	dbt_flush();
	test_platform_reset();
	if (plat_mem_map(SNIPPET_BASE, len, PLAT_PROT_READ | PLAT_PROT_WRITE) ||
	    plat_mem_map(STACK_TOP - STACK_SIZE, STACK_SIZE, PLAT_PROT_READ | PLAT_PROT_WRITE)) {
		fprintf(stderr, "harness: cannot map guest memory\n");
		exit(1);
	}
	memcpy(plat_g2h(SNIPPET_BASE), s->bin, s->len);
	test_set_prot(SNIPPET_BASE, len, code_prot);
	memset(&cpu, 0, sizeof(cpu));
	cpu.x[REG_SP] = STACK_TOP;
	cpu.reservation = ~0ull;
}

static int run_from(uint64_t pc)
{
	cpu.pc = pc;
	return dbt_run(&cpu);
}

static const char *reason_name(int r)
{
	static const char *names[] = {"?", "ECALL", "EBREAK", "ILLEGAL", "FAULT", "FETCH_FAULT"};
	return r >= 1 && r <= 5 ? names[r] : "?";
}

#define RX (PLAT_PROT_READ | PLAT_PROT_EXEC)
#define RWX (PLAT_PROT_READ | PLAT_PROT_WRITE | PLAT_PROT_EXEC)

/* A self-checking snippet (check.inc): exit(0), or exit(n) with a1 = what check n got. */
static void self_check(const char *name, int code_prot, const char *label)
{
	struct snippet s;
	if (load(&s, name)) {
		fail(label, "cannot read %s/%s.bin/.sym", dir, name);
		return;
	}
	setup(&s, code_prot);
	int r = run_from(sym(&s, "_start"));
	if (r != DBT_EXIT_ECALL || cpu.x[REG_A7] != SYSCALL_EXIT)
		fail(label, "expected exit ecall, got %s at pc 0x%llx (a7=%llu)", reason_name(r),
		     (unsigned long long)cpu.pc, (unsigned long long)cpu.x[REG_A7]);
	else if (cpu.x[REG_A0] != 0)
		fail(label, "check %llu failed: got 0x%llx (pc 0x%llx)",
		     (unsigned long long)cpu.x[REG_A0], (unsigned long long)cpu.x[REG_A1],
		     (unsigned long long)cpu.pc);
	else
		pass(label);
	free(s.bin);
}

struct expect {
	int reason;
	uint64_t pc;
	int check_fault;
	uint64_t fault_addr;
	int access;
};

static int expect_exit(const char *name, int r, struct expect e)
{
	if (r != e.reason || cpu.pc != e.pc) {
		fail(name, "expected %s at pc 0x%llx, got %s at pc 0x%llx", reason_name(e.reason),
		     (unsigned long long)e.pc, reason_name(r), (unsigned long long)cpu.pc);
		return -1;
	}
	if (cpu.exit_reason != (uint32_t)r) {
		fail(name, "exit_reason %u, dbt_run returned %d", cpu.exit_reason, r);
		return -1;
	}
	if (e.check_fault &&
	    (cpu.fault_addr != e.fault_addr || (int)cpu.fault_access != e.access)) {
		fail(name, "expected fault at 0x%llx access %d, got 0x%llx access %u",
		     (unsigned long long)e.fault_addr, e.access, (unsigned long long)cpu.fault_addr,
		     cpu.fault_access);
		return -1;
	}
	return 0;
}

static int expect_reg(const char *name, unsigned reg, uint64_t value)
{
	if (cpu.x[reg] == value)
		return 0;
	fail(name, "x%u expected 0x%llx, got 0x%llx", reg, (unsigned long long)value,
	     (unsigned long long)cpu.x[reg]);
	return -1;
}

/* What the ecall handler saw, call by call. */
static struct {
	unsigned count;
	uint64_t pc[4], a0[4], a7[4];
	uint64_t redirect; /* non-zero: the first call sends the guest there */
} ecalls;

/* As lx_syscall: a0 = 7, pc past the ecall; exit (a7 93) stops the run. */
static void record_ecall(struct dbt_cpu *c)
{
	unsigned n = ecalls.count++;
	if (n < 4) {
		ecalls.pc[n] = c->pc;
		ecalls.a0[n] = c->x[REG_A0];
		ecalls.a7[n] = c->x[REG_A7];
	}
	c->x[REG_A0] = 7;
	c->pc += 4;
	if (n == 0 && ecalls.redirect)
		c->pc = ecalls.redirect;
	if (c->x[REG_A7] == SYSCALL_EXIT || n >= 3)
		c->interrupt_request = 1;
}

/*
 * ecall as a call from its block (DBT_MODE_ECALL_EXIT off): the handler
 * sees the ecall's pc and the registers the block computed, the block goes
 * on at the next instruction, by a chained jump once that block exists,
 * and a handler that moves pc sends the guest there through the dispatcher.
 */
static void ecall_called(const struct snippet *s)
{
	uint64_t at = sym(s, "t_ecall_at");
	int r;

	dbt_set_mode(dbt_mode & ~DBT_MODE_ECALL_EXIT);
	test_ecall_handler = record_ecall;
	memset(&ecalls, 0, sizeof(ecalls));
	setup(s, RX);
	r = run_from(sym(s, "t_ecall"));
	if (r != DBT_EXIT_INTERRUPT || ecalls.count != 2)
		fail("ecall.called", "run ended with %d after %u calls, expected INTERRUPT after 2",
		     r, ecalls.count);
	else if (ecalls.pc[0] != at || ecalls.a7[0] != 64 || ecalls.a7[1] != SYSCALL_EXIT ||
		 ecalls.a0[1] != 42 || cpu.pc != ecalls.pc[1] + 4)
		fail("ecall.called",
		     "calls at 0x%llx (a7 %llu), 0x%llx (a0 %llu a7 %llu), ended at 0x%llx; "
		     "expected 0x%llx (a7 64), then a0 42 a7 93, end 4 bytes on",
		     (unsigned long long)ecalls.pc[0], (unsigned long long)ecalls.a7[0],
		     (unsigned long long)ecalls.pc[1], (unsigned long long)ecalls.a0[1],
		     (unsigned long long)ecalls.a7[1], (unsigned long long)cpu.pc,
		     (unsigned long long)at);
	else
		pass("ecall.called");

	/* Again with both blocks translated: only the first is looked up. */
	uint64_t lookups = dbt_stats.dispatcher_lookups;
	memset(&ecalls, 0, sizeof(ecalls));
	cpu.interrupt_request = 0;
	r = run_from(sym(s, "t_ecall"));
	if (r != DBT_EXIT_INTERRUPT || ecalls.count != 2 ||
	    dbt_stats.dispatcher_lookups - lookups != 1)
		fail("ecall.called_chained", "%d after %u calls and %llu lookups, expected 2 and 1",
		     r, ecalls.count, (unsigned long long)(dbt_stats.dispatcher_lookups - lookups));
	else
		pass("ecall.called_chained");

	memset(&ecalls, 0, sizeof(ecalls));
	ecalls.redirect = sym(s, "t_ecall");
	setup(s, RX);
	r = run_from(sym(s, "t_ecall"));
	if (r != DBT_EXIT_INTERRUPT || ecalls.count != 3 || ecalls.pc[0] != at ||
	    ecalls.pc[1] != at || ecalls.a0[1] != 7 || ecalls.a7[2] != SYSCALL_EXIT)
		fail("ecall.called_redirect",
		     "%d after %u calls at 0x%llx, 0x%llx (a0 %llu); expected 3, twice at 0x%llx "
		     "with a0 7 the second time",
		     r, ecalls.count, (unsigned long long)ecalls.pc[0],
		     (unsigned long long)ecalls.pc[1], (unsigned long long)ecalls.a0[1],
		     (unsigned long long)at);
	else
		pass("ecall.called_redirect");
	test_ecall_handler = NULL;
	dbt_set_mode(dbt_mode | DBT_MODE_ECALL_EXIT);
}

/* The harness's routine: a0 times ten, answering routine_answer; counts its calls. */
static uint32_t routine_answer;
static unsigned routine_calls;

static uint32_t routine_times_ten(struct dbt_cpu *c)
{
	routine_calls++;
	if (routine_answer == DBT_ROUTINE_DECLINED)
		return routine_answer;
	c->x[REG_A0] *= 10;
	if (routine_answer == DBT_ROUTINE_LEAVE)
		c->pc = c->x[REG_RA];
	return routine_answer;
}

/*
 * A routine run as host code at a function's entry (tr_routine_call):
 * done, the guest goes on at the return address with a0 set, by the
 * return stack once blocks are chained, or through the dispatcher when
 * the routine says so; declined, the function's own code runs.
 */
static void routine(const struct snippet *s)
{
	static const struct {
		const char *name;
		uint32_t answer;
		uint64_t a0;
	} cases[] = {
	    {"routine.done", DBT_ROUTINE_RETURN, 50},
	    {"routine.done_chained", DBT_ROUTINE_RETURN, 50},
	    {"routine.leave", DBT_ROUTINE_LEAVE, 50},
	    {"routine.declined", DBT_ROUTINE_DECLINED, 6},
	};
	struct expect stop = {DBT_EXIT_ECALL, sym(s, "t_routine_ecall"), 0, 0, 0};

	test_routine_pc = sym(s, "t_routine_fn");
	test_routine_run = routine_times_ten;
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		/* done_chained runs the blocks the first case translated. */
		if (k != 1)
			setup(s, RX);
		routine_answer = cases[k].answer;
		routine_calls = 0;
		if (expect_exit(cases[k].name, run_from(sym(s, "t_routine")), stop) ||
		    expect_reg(cases[k].name, REG_A0, cases[k].a0))
			continue;
		if (routine_calls != 1)
			fail(cases[k].name, "%u routine calls, expected 1", routine_calls);
		else
			pass(cases[k].name);
	}
	test_routine_run = NULL;
	dbt_flush();
}

static void special(void)
{
	struct snippet s;
	if (load(&s, "special")) {
		fail("special", "cannot read %s/special.bin/.sym", dir);
		return;
	}
	int r;

	setup(&s, RX);
	r = run_from(sym(&s, "t_bounds"));
	if (!expect_exit("fault.at_limit", r,
			 (struct expect){DBT_EXIT_FAULT, sym(&s, "t_bounds_at"), 1, GUEST_VA_LIMIT,
					 DBT_ACCESS_READ}) &&
	    !expect_reg("fault.at_limit", REG_A2, 5))
		pass("fault.at_limit");

	/* The page below the limit is mapped: only the bytes past the limit fault. */
	setup(&s, RX);
	plat_mem_map(GUEST_VA_LIMIT - GUEST_PAGE_SIZE, GUEST_PAGE_SIZE,
		     PLAT_PROT_READ | PLAT_PROT_WRITE);
	r = run_from(sym(&s, "t_cross"));
	if (!expect_exit("fault.crossing_limit", r,
			 (struct expect){DBT_EXIT_FAULT, sym(&s, "t_cross_at"), 1, GUEST_VA_LIMIT,
					 DBT_ACCESS_READ}) &&
	    !expect_reg("fault.crossing_limit", REG_A2, 6))
		pass("fault.crossing_limit");

	setup(&s, RX);
	r = run_from(sym(&s, "t_high"));
	if (!expect_exit("fault.upper_half", r,
			 (struct expect){DBT_EXIT_FAULT, sym(&s, "t_high_at"), 1, (uint64_t)-8,
					 DBT_ACCESS_WRITE}))
		pass("fault.upper_half");

	setup(&s, RX);
	r = run_from(sym(&s, "t_unmapped"));
	if (!expect_exit("fault.unmapped_precise", r,
			 (struct expect){DBT_EXIT_FAULT, sym(&s, "t_unmapped_at"), 1, DATA_PAGE + 4,
					 DBT_ACCESS_WRITE}) &&
	    !expect_reg("fault.unmapped_precise", REG_A2, 7) &&
	    !expect_reg("fault.unmapped_precise", REG_A3, 8))
		pass("fault.unmapped_precise");

	setup(&s, RX);
	r = run_from(sym(&s, "t_amo"));
	/* An AMO faults as a store (RISC-V: store/AMO page fault; x86: locked RMW). */
	if (!expect_exit("fault.amo", r,
			 (struct expect){DBT_EXIT_FAULT, sym(&s, "t_amo_at"), 1, DATA_PAGE,
					 DBT_ACCESS_WRITE}))
		pass("fault.amo");

	setup(&s, RX);
	r = run_from(sym(&s, "t_amo_misaligned"));
	if (!expect_exit("fault.amo_misaligned", r,
			 (struct expect){DBT_EXIT_FAULT, sym(&s, "t_amo_misaligned_at"), 1,
					 STACK_TOP - 13,
					 DBT_ACCESS_WRITE | DBT_ACCESS_MISALIGNED}))
		pass("fault.amo_misaligned");

	setup(&s, RX);
	r = run_from(sym(&s, "t_illegal"));
	if (!expect_exit("illegal.zero", r,
			 (struct expect){DBT_EXIT_ILLEGAL, sym(&s, "t_illegal_at"), 0, 0, 0}) &&
	    !expect_reg("illegal.zero", REG_A2, 1)) {
		if (cpu.fault_insn != 0)
			fail("illegal.zero", "fault_insn 0x%x, expected 0", cpu.fault_insn);
		else
			pass("illegal.zero");
	}

	uint32_t word;
	setup(&s, RX);
	r = run_from(sym(&s, "t_csr_ro"));
	memcpy(&word, plat_g2h(sym(&s, "t_csr_ro_at")), 4);
	if (!expect_exit("illegal.csr_write_readonly", r,
			 (struct expect){DBT_EXIT_ILLEGAL, sym(&s, "t_csr_ro_at"), 0, 0, 0})) {
		if (cpu.fault_insn != word)
			fail("illegal.csr_write_readonly", "fault_insn 0x%x, expected 0x%x",
			     cpu.fault_insn, word);
		else
			pass("illegal.csr_write_readonly");
	}

	setup(&s, RX);
	r = run_from(sym(&s, "t_csr_unknown"));
	if (!expect_exit("illegal.csr_unknown", r,
			 (struct expect){DBT_EXIT_ILLEGAL, sym(&s, "t_csr_unknown_at"), 0, 0, 0}))
		pass("illegal.csr_unknown");

	setup(&s, RX);
	r = run_from(sym(&s, "t_ecall"));
	if (!expect_exit("ecall.pc", r,
			 (struct expect){DBT_EXIT_ECALL, sym(&s, "t_ecall_at"), 0, 0, 0}) &&
	    !expect_reg("ecall.pc", REG_A7, 64)) {
		r = run_from(cpu.pc + 4);
		if (r == DBT_EXIT_ECALL && !expect_reg("ecall.pc", REG_A0, 42))
			pass("ecall.pc");
		else if (r != DBT_EXIT_ECALL)
			fail("ecall.pc", "resuming after the ecall gave %s", reason_name(r));
	}

	ecall_called(&s);
	routine(&s);

	setup(&s, RX);
	r = run_from(sym(&s, "t_ebreak"));
	if (!expect_exit("ebreak.compressed", r,
			 (struct expect){DBT_EXIT_EBREAK, sym(&s, "t_ebreak_at"), 0, 0, 0}))
		pass("ebreak.compressed");

	setup(&s, RX);
	r = run_from(sym(&s, "t_fetch"));
	if (!expect_exit(
		"fetch.unmapped", r,
		(struct expect){DBT_EXIT_FETCH_FAULT, FAR_PAGE, 1, FAR_PAGE, DBT_ACCESS_EXEC}))
		pass("fetch.unmapped");

	setup(&s, RX);
	plat_mem_map(FAR_PAGE, GUEST_PAGE_SIZE, PLAT_PROT_READ | PLAT_PROT_WRITE);
	r = run_from(sym(&s, "t_fetch"));
	if (!expect_exit(
		"fetch.not_executable", r,
		(struct expect){DBT_EXIT_FETCH_FAULT, FAR_PAGE, 1, FAR_PAGE, DBT_ACCESS_EXEC}))
		pass("fetch.not_executable");

	setup(&s, RX);
	r = run_from(sym(&s, "t_straddle"));
	if (!expect_exit("fetch.straddle", r,
			 (struct expect){DBT_EXIT_ECALL, sym(&s, "straddle") + 8, 0, 0, 0}) &&
	    !expect_reg("fetch.straddle", REG_A0, 42))
		pass("fetch.straddle");

	uint64_t second = RT_ALIGN_UP(sym(&s, "straddle"), GUEST_PAGE_SIZE);
	setup(&s, RX);
	test_set_prot(second, GUEST_PAGE_SIZE, PLAT_PROT_READ);
	r = run_from(sym(&s, "t_straddle"));
	if (!expect_exit("fetch.straddle_second_page_nx", r,
			 (struct expect){DBT_EXIT_FETCH_FAULT, sym(&s, "straddle"), 1, second,
					 DBT_ACCESS_EXEC}))
		pass("fetch.straddle_second_page_nx");

	uint64_t before = dbt_stats.smc_invalidations;
	setup(&s, RWX);
	r = run_from(sym(&s, "t_smc"));
	if (!expect_reg("smc.store_without_fence_i", REG_S1, 1) &&
	    !expect_reg("smc.store_without_fence_i", REG_S2, 2)) {
		if (dbt_stats.smc_invalidations == before)
			fail("smc.store_without_fence_i", "no invalidation counted");
		else
			pass("smc.store_without_fence_i");
	}
	if (r == DBT_EXIT_ECALL && !expect_reg("smc.fence_i", REG_S3, 3))
		pass("smc.fence_i");
	else if (r != DBT_EXIT_ECALL)
		fail("smc.fence_i", "run ended with %s at 0x%llx", reason_name(r),
		     (unsigned long long)cpu.pc);

	if (RT_ALIGN_DOWN(sym(&s, "chain_f"), GUEST_PAGE_SIZE) ==
	    RT_ALIGN_DOWN(sym(&s, "t_chain"), GUEST_PAGE_SIZE)) {
		fail("smc.unchain", "chain_f must sit on another page than t_chain");
	} else {
		setup(&s, RWX);
		r = run_from(sym(&s, "t_chain"));
		if (r != DBT_EXIT_ECALL)
			fail("smc.unchain", "run ended with %s at 0x%llx", reason_name(r),
			     (unsigned long long)cpu.pc);
		else if (!expect_reg("smc.unchain", REG_S1, 3))
			pass("smc.unchain");
	}

	setup(&s, RWX);
	r = run_from(sym(&s, "t_call_f"));
	if (!expect_reg("smc.prepare_write", REG_A0, 1)) {
		uint64_t f = sym(&s, "smc_f");
		dbt_prepare_write(f, 4);
		memcpy(plat_g2h(f), plat_g2h(sym(&s, "smc_new")), 4);
		r = run_from(sym(&s, "t_call_f"));
		if (!expect_reg("smc.prepare_write", REG_A0, 2))
			pass("smc.prepare_write");
	}
	free(s.bin);
}

/* dbt_upper_half_unused on decoded sequences: bit i set when insns[i]'s rd upper half is never read. */
static void demand_case(const char *name, const uint32_t *words, unsigned n, uint64_t expect)
{
	struct dbt_insn insns[16];
	for (unsigned i = 0; i < n; i++) {
		insns[i] = (struct dbt_insn){.pc = 0x10000 + 4 * i, .word = words[i], .len = 4};
		dbt_decode(&insns[i]);
	}
	uint64_t got = dbt_upper_half_unused(insns, n);
	if (got != expect)
		fail(name, "unused-upper mask %#llx, expected %#llx", (unsigned long long)got,
		     (unsigned long long)expect);
	else
		pass(name);
}

static void demand(void)
{
	/* slliw t0,s0,7; srliw t1,s0,25; or t0,t0,t1; addw s2,t0,s1; li t0,0; li t1,0 */
	static const uint32_t rotate[] = {0x0074129b, 0x0194531b, 0x0062e2b3,
					  0x0092893b, 0x00000293, 0x00000313};
	demand_case("demand.rotate_then_addw", rotate, 6, 0x7);
	/* the same without the last two: t0 and t1 leave the block */
	demand_case("demand.live_at_end", rotate, 4, 0);
	/* addw t0,s0,s1; sd t0,0(sp): a store may fault, every register exact there */
	static const uint32_t store[] = {0x009402bb, 0x00513023};
	demand_case("demand.store_is_a_barrier", store, 2, 0);
	/* addw t0,s0,s1; srli s2,t0,16; li t0,0: a right shift reads the upper half */
	static const uint32_t shift[] = {0x009402bb, 0x0102d913, 0x00000293};
	demand_case("demand.right_shift_reads_all", shift, 3, 0);
	/* addw t0,s0,s1; add t2,t0,t0; sext.w s2,t2; li t0,0; li t2,0 */
	static const uint32_t sum[] = {0x009402bb, 0x005283b3, 0x0003891b, 0x00000293, 0x00000393};
	demand_case("demand.sum_then_sext", sum, 5, 0x3);
	/* addw t0,s0,s1; beqz t0: a branch compares all 64 bits (and may leave) */
	static const uint32_t branch[] = {0x009402bb, 0x00028063};
	demand_case("demand.branch_is_a_barrier", branch, 2, 0);
}

/*
 * dbt_fold_rotates on decoded sequences: the shifts it folds (bit i for
 * insns[i]) and, when it folds, what the or at or_index computes; every
 * other instruction must say "no rotate".  The words lie in guest memory
 * at SNIPPET_BASE followed by an ecall, and the first `scanned` of them
 * are the block: whether a shift's result is dead past the block's end
 * is read from what follows there (tr_x_dead_at), and the ecall counts as
 * reading every register.
 */
struct fold_expect {
	uint64_t skip;
	unsigned or_index, source, amount, w;
};

/*
 * Guest code for the scans of the guest's own code: words at SNIPPET_BASE
 * on a fresh mapping, an ecall after them, tb's block there.  -1 (the
 * case failed) when the page cannot be mapped.
 */
static int place_words(const char *name, const uint32_t *words, unsigned n, struct dbt_tb *tb)
{
	static const uint32_t ecall = 0x00000073;
	dbt_flush();
	test_platform_reset();
	if (plat_mem_map(SNIPPET_BASE, GUEST_PAGE_SIZE, PLAT_PROT_READ | PLAT_PROT_WRITE)) {
		fail(name, "cannot map guest memory");
		return -1;
	}
	memcpy(plat_g2h(SNIPPET_BASE), words, 4 * n);
	memcpy(plat_g2h(SNIPPET_BASE + 4 * n), &ecall, 4);
	tb->block_pc = SNIPPET_BASE;
	return 0;
}

static void fold_case(const char *name, const uint32_t *words, unsigned n, unsigned scanned,
		      struct fold_expect e)
{
	static struct dbt_tb tb;
	struct dbt_insn insns[16];
	struct dbt_rotate rot[16];
	if (place_words(name, words, n, &tb) < 0)
		return;
	for (unsigned i = 0; i < scanned; i++) {
		insns[i] = (struct dbt_insn){.pc = SNIPPET_BASE + 4 * i, .word = words[i], .len = 4};
		dbt_decode(&insns[i]);
	}
	uint64_t got = dbt_fold_rotates(&tb, insns, scanned, rot);
	if (got != e.skip) {
		fail(name, "skipped shifts %#llx, expected %#llx", (unsigned long long)got,
		     (unsigned long long)e.skip);
		return;
	}
	for (unsigned i = 0; i < scanned; i++) {
		unsigned source = e.skip && i == e.or_index ? e.source : 0;
		if (rot[i].source != source ||
		    (source && (rot[i].amount != e.amount || rot[i].w != e.w))) {
			fail(name, "insn %u: rotate of x%u by %u (w %u), expected x%u by %u (w %u)",
			     i, rot[i].source, rot[i].amount, rot[i].w, source, e.amount, e.w);
			return;
		}
	}
	pass(name);
}

#define FOLD_CASE(name, expect, ...)                                                               \
	do {                                                                                       \
		static const uint32_t w_[] = {__VA_ARGS__};                                        \
		unsigned n_ = sizeof(w_) / sizeof(w_[0]);                                          \
		fold_case(name, w_, n_, n_, expect);                                               \
	} while (0)
/* The block is the first `scanned` words; the rest follow it in guest memory. */
#define FOLD_PAST_CASE(name, expect, scanned, ...)                                                 \
	do {                                                                                       \
		static const uint32_t w_[] = {__VA_ARGS__};                                        \
		fold_case(name, w_, sizeof(w_) / sizeof(w_[0]), scanned, expect);                  \
	} while (0)
#define FOLDS(skip, or_index, source, amount, w)                                                   \
	((struct fold_expect){skip, or_index, source, amount, w})
#define NO_FOLD FOLDS(0, 0, 0, 0, 0)

static void fold(void)
{
	/* srliw t1,s0,7; slliw t2,s0,25; or t0,t1,t2; li t1,0; li t2,0 */
	FOLD_CASE("fold.w", FOLDS(0x3, 2, 8, 7, 1), 0x0074531b, 0x0194139b, 0x007362b3, 0x00000313,
		  0x00000393);
	/* slli t2,s0,40; srli t1,s0,24; or t0,t2,t1; li t1,0; li t2,0 */
	FOLD_CASE("fold.64_left_first_or_swapped", FOLDS(0x3, 2, 8, 24, 0), 0x02841393, 0x01845313,
		  0x0063e2b3, 0x00000313, 0x00000393);
	/* srliw t1,s0,7; slliw t0,s0,25; or t0,t0,t1; li t1,0: the or's rd is one of the shifts' */
	FOLD_CASE("fold.rd_is_shift_result", FOLDS(0x3, 2, 8, 7, 1), 0x0074531b, 0x0194129b,
		  0x0062e2b3, 0x00000313);
	/* srliw t1,s0,7; slliw t2,s0,25; or s0,t1,t2; li t1,0; li t2,0 */
	FOLD_CASE("fold.rd_is_source", FOLDS(0x3, 2, 8, 7, 1), 0x0074531b, 0x0194139b, 0x00736433,
		  0x00000313, 0x00000393);
	/* srliw t1,s0,7; addw a0,a1,a2; slliw t2,s0,25; xor a3,a0,s1; or t0,t1,t2; li t1,0; li t2,0
	 */
	FOLD_CASE("fold.interleaved", FOLDS(0x5, 4, 8, 7, 1), 0x0074531b, 0x00c5853b, 0x0194139b,
		  0x009546b3, 0x007362b3, 0x00000313, 0x00000393);

	/* Condition 1: the shape. */
	/* srliw t1,s0,7; slliw t2,s0,24: 31 bits, not 32 */
	FOLD_CASE("fold.amounts_not_32", NO_FOLD, 0x0074531b, 0x0184139b, 0x007362b3, 0x00000313,
		  0x00000393);
	/* srliw t1,s0,7; slli t2,s0,57: one W and one 64-bit shift */
	FOLD_CASE("fold.mixed_widths", NO_FOLD, 0x0074531b, 0x03941393, 0x007362b3, 0x00000313,
		  0x00000393);
	/* srliw t1,s0,7; slliw t2,s1,25: two sources */
	FOLD_CASE("fold.two_sources", NO_FOLD, 0x0074531b, 0x0194939b, 0x007362b3, 0x00000313,
		  0x00000393);
	/* srliw s0,s0,7; slliw t2,s0,25; or t0,s0,t2: the first shift overwrites x */
	FOLD_CASE("fold.result_is_source", NO_FOLD, 0x0074541b, 0x0194139b, 0x007462b3, 0x00000393);
	/* srliw t1,zero,7; slliw t2,zero,25 */
	FOLD_CASE("fold.x0_source", NO_FOLD, 0x0070531b, 0x0190139b, 0x007362b3, 0x00000313,
		  0x00000393);
	/* sraiw t1,s0,7; slliw t2,s0,25: an arithmetic shift */
	FOLD_CASE("fold.arithmetic_shift", NO_FOLD, 0x4074531b, 0x0194139b, 0x007362b3, 0x00000313,
		  0x00000393);
	/* or t0,t1,t1: a == b */
	FOLD_CASE("fold.same_operand", NO_FOLD, 0x0074531b, 0x0194139b, 0x006362b3, 0x00000313,
		  0x00000393);

	/* Condition 2: what lies between. */
	/* srliw t1,s0,7; slliw t2,s0,25; addi s0,s0,1; or t0,t1,t2 */
	FOLD_CASE("fold.source_written_between", NO_FOLD, 0x0074531b, 0x0194139b, 0x00140413,
		  0x007362b3, 0x00000313, 0x00000393);
	/* srliw t1,s0,7; add a0,t1,a1; slliw t2,s0,25; or t0,t1,t2 */
	FOLD_CASE("fold.result_read_between", NO_FOLD, 0x0074531b, 0x00b30533, 0x0194139b,
		  0x007362b3, 0x00000313, 0x00000393);
	/* srliw t1,s0,7; lw a0,0(sp); slliw t2,s0,25; or t0,t1,t2: a load may fault */
	FOLD_CASE("fold.load_between", NO_FOLD, 0x0074531b, 0x00012503, 0x0194139b, 0x007362b3,
		  0x00000313, 0x00000393);
	/* srliw t1,s0,7; slliw t2,s0,25; beqz a0,.; or t0,t1,t2: a branch may leave */
	FOLD_CASE("fold.branch_between", NO_FOLD, 0x0074531b, 0x0194139b, 0x00050063, 0x007362b3,
		  0x00000313, 0x00000393);

	/* Condition 3: the shifts' results are dead after the or. */
	/* ...; or t0,t1,t2; li t1,0: t2 is live at the end */
	FOLD_CASE("fold.live_at_end", NO_FOLD, 0x0074531b, 0x0194139b, 0x007362b3, 0x00000313);
	/* ...; or t0,t1,t2; add a0,t2,a1; li t1,0; li t2,0 */
	FOLD_CASE("fold.read_after", NO_FOLD, 0x0074531b, 0x0194139b, 0x007362b3, 0x00b38533,
		  0x00000313, 0x00000393);
	/* ...; or t0,t1,t2; sd t0,0(sp); li t1,0; li t2,0: dead on from the store, which may fault */
	FOLD_CASE("fold.store_after", FOLDS(0x3, 2, 8, 7, 1), 0x0074531b, 0x0194139b, 0x007362b3,
		  0x00513023, 0x00000313, 0x00000393);
	/* ...; or t0,t1,t2 | li t1,0; li t2,0: dead past the block's end */
	FOLD_PAST_CASE("fold.dead_past_end", FOLDS(0x3, 2, 8, 7, 1), 3, 0x0074531b, 0x0194139b,
		       0x007362b3, 0x00000313, 0x00000393);
	/* ...; or t0,t1,t2 | add a0,t2,a1: read past the block's end */
	FOLD_PAST_CASE("fold.read_past_end", NO_FOLD, 3, 0x0074531b, 0x0194139b, 0x007362b3,
		       0x00b38533, 0x00000313, 0x00000393);
	/* ...; or t0,t1,t2; beqz a0,+8 | li t2,0; li t1,0; li t2,0: dead on both sides */
	FOLD_PAST_CASE("fold.dead_both_sides", FOLDS(0x3, 2, 8, 7, 1), 4, 0x0074531b, 0x0194139b,
		       0x007362b3, 0x00050463, 0x00000393, 0x00000313, 0x00000393);
	/* ...; or t0,t1,t2; beqz a0,+12 | li t1,0; li t2,0; add a0,t2,a1: read when taken */
	FOLD_PAST_CASE("fold.read_when_taken", NO_FOLD, 4, 0x0074531b, 0x0194139b, 0x007362b3,
		       0x00050663, 0x00000313, 0x00000393, 0x00b38533);
	/* ...; or t0,t1,t2; addi t2,t2,1; li t1,0: the next write of t2 reads it */
	FOLD_CASE("fold.overwrite_reads", NO_FOLD, 0x0074531b, 0x0194139b, 0x007362b3, 0x00138393,
		  0x00000313);
}

/*
 * tr_x_dead_set on words placed at SNIPPET_BASE (an ecall after them):
 * which of mask are dead from word `start`, in a callee returning to word
 * `ret` (-1: none).
 */
static void dead_set_case(const char *name, const uint32_t *words, unsigned n, unsigned start,
			  int ret, uint32_t mask, uint32_t expect)
{
	static struct dbt_tb tb;
	if (place_words(name, words, n, &tb) < 0)
		return;
	uint64_t ret_pc = ret < 0 ? 0 : SNIPPET_BASE + 4 * (uint64_t)ret;
	uint32_t got = tr_x_dead_set(&tb, SNIPPET_BASE + 4 * start, ret_pc, mask);
	if (got != expect)
		fail(name, "dead %#x, expected %#x", got, expect);
	else
		pass(name);
}

#define DEAD_SET_CASE(name, start, ret, mask, expect, ...)                                         \
	do {                                                                                       \
		static const uint32_t w_[] = {__VA_ARGS__};                                        \
		dead_set_case(name, w_, sizeof(w_) / sizeof(w_[0]), start, ret, mask, expect);     \
	} while (0)
#define RA (1u << 1)
#define T1 (1u << 6)
#define T2 (1u << 7)
#define LI_T1_0 0x00000313
#define LI_T2_0 0x00000393
#define LI_RA_0 0x00000093
#define ADD_A0_T2_A1 0x00b38533
#define RET 0x00008067
#define JAL_RA_8 0x008000ef

static void dead_set(void)
{
	DEAD_SET_CASE("dead.set_mixed", 0, -1, T1 | T2, T1, LI_T1_0, ADD_A0_T2_A1, LI_T2_0);
	DEAD_SET_CASE("dead.callee_returns", 0, 2, T1 | T2, T1 | T2, LI_T1_0, RET, LI_T2_0);
	DEAD_SET_CASE("dead.read_after_return", 0, 2, T1 | T2, T1, LI_T1_0, RET, ADD_A0_T2_A1,
		      LI_T2_0);
	/* A ret with no call to return to: where it goes, anything may be read. */
	DEAD_SET_CASE("dead.ret_unknown", 0, -1, T1 | T2, T1, LI_T1_0, RET, LI_T2_0);
	/* The callee aims ra elsewhere: its ret need not come back. */
	DEAD_SET_CASE("dead.callee_sets_ra", 0, 2, T2, 0, LI_RA_0, RET, LI_T2_0);
	/* A call is followed one level deep only. */
	DEAD_SET_CASE("dead.call_followed", 0, -1, T2, T2, JAL_RA_8, LI_T2_0, LI_T2_0, RET);
	DEAD_SET_CASE("dead.call_in_callee", 0, 1, T2, 0, JAL_RA_8, LI_T2_0, LI_T2_0, RET);
	DEAD_SET_CASE("dead.ecall_reads", 0, -1, T2, 0, 0x00000073, LI_T2_0);
	DEAD_SET_CASE("dead.ra_itself", 0, -1, RA, RA, LI_RA_0, RET);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s SNIPPET_DIR\n", argv[0]);
		return 2;
	}
	dir = argv[1];
	if (test_platform_init() || dbt_init()) {
		printf("FAIL dbt.init: cannot set up the test platform or the code cache\n");
		return 0;
	}
	/* Most checks want every ecall back from dbt_run; ecall_called() turns it off. */
	dbt_set_mode(dbt_mode | DBT_MODE_ECALL_EXIT);
	static const char *const snippets[] = {"int", "muldiv", "atomic", "csr"};
	for (size_t k = 0; k < sizeof(snippets) / sizeof(snippets[0]); k++) {
		char label[64];
		self_check(snippets[k], RX, snippets[k]);
		snprintf(label, sizeof(label), "%s.writable_code", snippets[k]);
		self_check(snippets[k], RWX, label);
	}
	special();
	demand();
	fold();
	dead_set();
	if (dbt_stats.blocks_translated == 0)
		fail("stats", "no block counted as translated");
	return 0;
}
