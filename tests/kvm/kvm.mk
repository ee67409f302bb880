# The riscv64 program run-kvm.sh stops with SIGINT/SIGTERM.
$(B)/tests/kvm/spin.riscv64: tests/kvm/spin.c
	@mkdir -p $(dir $@)
	$(RV_CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

TEST_PROGRAMS += $(B)/tests/kvm/spin.riscv64
