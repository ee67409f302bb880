# The riscv64 programs of the -d suite (tests/trace/run-trace.sh), static and
# with their symbols so the log can name their functions: prog (C library,
# proc checks) and small (a few blocks, the kvm check).
$(B)/tests/trace/prog: tests/trace/prog.c
	@mkdir -p $(dir $@)
	$(RV_CC) -static -O2 -Wall -Wextra -Werror $< -o $@

$(B)/tests/trace/small: tests/trace/small.S
	@mkdir -p $(dir $@)
	$(RV_CC) -static -nostdlib $< -o $@

TEST_PROGRAMS += $(B)/tests/trace/prog $(B)/tests/trace/small
