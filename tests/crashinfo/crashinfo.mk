# riscv64 programs that die of a signal, for the --verbose crash summary
# (tests/crashinfo/run-crashinfo.sh): one static, one dynamically linked.
$(B)/tests/crashinfo/segv: tests/crashinfo/segv.c
	@mkdir -p $(dir $@)
	$(RV_CC) -static -O2 -g -Wall -Wextra -Werror $< -o $@

$(B)/tests/crashinfo/segv-dynamic: tests/crashinfo/segv.c
	@mkdir -p $(dir $@)
	$(RV_CC) -O2 -g -Wall -Wextra -Werror $< -o $@

TEST_PROGRAMS += $(B)/tests/crashinfo/segv $(B)/tests/crashinfo/segv-dynamic
