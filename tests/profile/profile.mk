# CPU-bound riscv64 programs for rvkvm --profile (tests/profile/run-profile.sh):
# hot as a distribution's programs are built, hot-fp with frame pointers for
# --profile=FILE's call stacks, tiny without the C library for kvm.
$(B)/tests/profile/hot: tests/profile/hot.c
	@mkdir -p $(dir $@)
	$(RV_CC) -static -O2 -g -Wall -Wextra -Werror $< -o $@

$(B)/tests/profile/hot-fp: tests/profile/hot.c
	@mkdir -p $(dir $@)
	$(RV_CC) -static -O2 -g -fno-omit-frame-pointer -Wall -Wextra -Werror $< -o $@

$(B)/tests/profile/tiny: tests/profile/tiny.c
	@mkdir -p $(dir $@)
	$(RV_CC) -static -nostdlib -ffreestanding -O2 -g -fno-omit-frame-pointer -Wall -Wextra \
		-Werror $< -o $@

TEST_PROGRAMS += $(B)/tests/profile/hot $(B)/tests/profile/hot-fp $(B)/tests/profile/tiny
