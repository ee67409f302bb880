# Benchmarks (tests/bench): each program in programs/ is one C source built
# twice, for riscv64 (static, as the guest sees it) and natively for the
# x86-64 baseline, with the same compiler version and options.
#
# -ffp-contract=off: GCC contracts a*b+c into fused multiply-adds in GNU C
# mode where the target has them (rv64gc does, the x86-64 baseline ISA does
# not), which would change floating-point results between the two builds.

BENCH_NAMES := $(basename $(notdir $(wildcard tests/bench/programs/*.c)))
BENCH_OPT   := -std=gnu11 -O2 -ffp-contract=off -Wall -Wextra -Werror
BENCH_RV    := $(patsubst %,$(B)/bench/%.rv,$(BENCH_NAMES) hello)
BENCH_X86   := $(patsubst %,$(B)/bench/%.x86,$(BENCH_NAMES) hello)
BENCH_TOOLS := $(B)/bench/benchrun $(B)/bench/monitor-copies

$(B)/bench/%.rv: tests/bench/programs/%.c
	@mkdir -p $(dir $@)
	$(RV_CC) -static $(BENCH_OPT) $< -o $@ -lm

$(B)/bench/%.x86: tests/bench/programs/%.c
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_OPT) $< -o $@ -lm

$(B)/bench/hello.rv: tests/bench/hello.c
	@mkdir -p $(dir $@)
	$(RV_CC) -static $(BENCH_OPT) $< -o $@

$(B)/bench/hello.x86: tests/bench/hello.c
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_OPT) $< -o $@

$(B)/bench/benchrun: tests/bench/benchrun.c
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_OPT) -D_GNU_SOURCE $< -o $@

# The monitor's copies against the C library's (docs/performance.md), on
# tests/unit/string.mk's build of monitor/lib/string.c under mon_* names.
$(B)/bench/monitor-copies: tests/bench/monitor_copies.c $(B)/tests/unit/string-mon.o
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_OPT) -D_GNU_SOURCE $^ -o $@

TEST_PROGRAMS += $(BENCH_RV) $(BENCH_X86) $(BENCH_TOOLS)

bench: all $(BENCH_RV) $(BENCH_X86) $(BENCH_TOOLS)
	@tests/bench/bench.sh
