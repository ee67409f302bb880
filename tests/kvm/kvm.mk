# The riscv64 program run-kvm.sh stops with SIGINT/SIGTERM.
$(B)/tests/kvm/spin.riscv64: tests/kvm/spin.c
	@mkdir -p $(dir $@)
	$(RV_CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

TEST_PROGRAMS += $(B)/tests/kvm/spin.riscv64

# run-iothread.sh: many small host calls with no C library to start.
$(B)/tests/kvm/iothread: tests/kvm/iothread.S
	@mkdir -p $(dir $@)
	$(RV_CC) -static -nostdlib $< -o $@

TEST_PROGRAMS += $(B)/tests/kvm/iothread

# tests/security/run-hostsignals.sh: a host signal interrupting a read of stdin.
$(B)/tests/kvm/sigread: tests/kvm/sigread.S
	@mkdir -p $(dir $@)
	$(RV_CC) -static -nostdlib $< -o $@

TEST_PROGRAMS += $(B)/tests/kvm/sigread
