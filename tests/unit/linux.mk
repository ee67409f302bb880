# Unit test of the Linux personality (tests/unit/run-linux.sh): monitor/linux
# built for the host against a stand-in platform, and a riscv64 sample
# program as ET_EXEC, as static-PIE and dynamically linked for it to load;
# and riscv64 programs run under qemu-riscv64 and rvkvm for comparison.
LINUX_TEST_OUT := $(B)/tests/unit
LINUX_TEST_SRC := tests/unit/linux_test.c tests/unit/linux_test_platform.c \
	$(wildcard monitor/linux/*.c) monitor/lib/format.c

$(LINUX_TEST_OUT)/linux-test: $(LINUX_TEST_SRC) $(wildcard monitor/linux/*.h) tests/unit/linux_test.h
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -MMD -MP,$(HOST_CFLAGS)) -Itests/unit -o $@ $(LINUX_TEST_SRC)

$(LINUX_TEST_OUT)/linux-sample.exec: tests/unit/linux_sample.c
	@mkdir -p $(dir $@)
	$(RV_CC) -static -no-pie -O2 -o $@ $<

$(LINUX_TEST_OUT)/linux-sample.pie: tests/unit/linux_sample_pie.c
	@mkdir -p $(dir $@)
	$(RV_CC) -nostdlib -static-pie -fpie -O2 -Wl,--no-dynamic-linker -o $@ $<

$(LINUX_TEST_OUT)/linux-sample.dyn: tests/unit/linux_sample.c
	@mkdir -p $(dir $@)
	$(RV_CC) -O2 -o $@ $<

$(LINUX_TEST_OUT)/linux-guest-%: tests/unit/linux_guest_%.c
	@mkdir -p $(dir $@)
	$(RV_CC) -static -O2 -Wall -Wextra -Werror -Wno-unused-result -Wno-unused-parameter -o $@ $<

TEST_PROGRAMS += $(LINUX_TEST_OUT)/linux-guest-signals $(LINUX_TEST_OUT)/linux-guest-shared
TEST_PROGRAMS += $(LINUX_TEST_OUT)/linux-test $(LINUX_TEST_OUT)/linux-sample.exec \
	$(LINUX_TEST_OUT)/linux-sample.pie $(LINUX_TEST_OUT)/linux-sample.dyn
