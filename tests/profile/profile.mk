# A CPU-bound riscv64 program for rvkvm --profile (tests/profile/run-profile.sh).
$(B)/tests/profile/hot: tests/profile/hot.c
	@mkdir -p $(dir $@)
	$(RV_CC) -static -O2 -g -Wall -Wextra -Werror $< -o $@

TEST_PROGRAMS += $(B)/tests/profile/hot
