# The proc platform and the command line (tests/proc/run-proc.sh):
# a riscv64 static hello world whose bytes run-proc.sh bends into bad
# inputs, a guest that probes the launcher's descriptors, the host-built
# host-call unit test, and the guest-base micro-benchmark (docs/security.md).
PROC_TEST_OUT := $(B)/tests/proc
PROC_TEST_PROGRAMS := $(PROC_TEST_OUT)/hello.riscv64 $(PROC_TEST_OUT)/fdprobe.riscv64 \
	$(PROC_TEST_OUT)/hostcall-test \
	$(PROC_TEST_OUT)/guestbase-bench

$(PROC_TEST_OUT)/%.riscv64: tests/proc/%.c
	@mkdir -p $(dir $@)
	$(RV_CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

$(PROC_TEST_OUT)/hostcall-test: tests/proc/hostcall_test.c launcher/hostcall.c launcher/rootfs.c \
		launcher/gdbserve.c launcher/trace.c launcher/disasm.c launcher/die.c \
		launcher/launcher.h
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -MMD -MP,$(HOST_CFLAGS)) $(DISASM_SONAMES) -Ilauncher -o $@ \
		$(filter %.c,$^) -ldl

$(PROC_TEST_OUT)/guestbase-bench: tests/proc/guestbase_bench.c
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -MMD -MP,$(HOST_CFLAGS)) -o $@ $<

TEST_PROGRAMS += $(PROC_TEST_PROGRAMS)

# The same program linked dynamically: rvkvm must refuse it cleanly.
$(PROC_TEST_OUT)/hello-dyn.riscv64: tests/proc/hello.c
	@mkdir -p $(dir $@)
	$(RV_CC) -O2 -Wall -Wextra -Werror -o $@ $<

TEST_PROGRAMS += $(PROC_TEST_OUT)/hello-dyn.riscv64
