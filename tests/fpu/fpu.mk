# FPU differential test: the same vectors through the real instructions
# (riscv64, run under qemu-riscv64 at test time) and through fpu_exec (host).
FPU_TEST_OUT := $(B)/tests/fpu
FPU_TEST_SRC := $(wildcard monitor/dbt/fpu*.c)
FPU_TEST_HDR := $(wildcard monitor/dbt/fpu*.h) monitor/dbt/dbt.h tests/fpu/vectors.h

$(FPU_TEST_OUT)/fpu-ref: tests/fpu/ref.c tests/fpu/vectors.c tests/fpu/stub.S tests/fpu/vectors.h
	@mkdir -p $(dir $@)
	$(RV_CC) -static -O2 -std=gnu11 $(WARN) -march=rv64gc -o $@ $(filter %.c %.S,$^)

$(FPU_TEST_OUT)/fpu-host: tests/fpu/host.c tests/fpu/vectors.c $(FPU_TEST_SRC) $(FPU_TEST_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -MMD -MP,$(HOST_CFLAGS)) -Itests/fpu -o $@ $(filter %.c,$^)

# The same code built as the monitor builds it: no vector registers, so
# every operation takes the integer path of fpu_soft.c.
$(FPU_TEST_OUT)/soft/%.o: monitor/dbt/%.c $(FPU_TEST_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -MMD -MP -mfma,$(HOST_CFLAGS)) $(MON_GPR) -c -o $@ $<

$(FPU_TEST_OUT)/fpu-host-soft: tests/fpu/host.c tests/fpu/vectors.c \
		$(patsubst monitor/dbt/%.c,$(FPU_TEST_OUT)/soft/%.o,$(FPU_TEST_SRC))
	$(CC) $(filter-out -MMD -MP,$(HOST_CFLAGS)) -Itests/fpu -o $@ $^

TEST_PROGRAMS += $(FPU_TEST_OUT)/fpu-ref $(FPU_TEST_OUT)/fpu-host $(FPU_TEST_OUT)/fpu-host-soft

.PHONY: fpu-bench
fpu-bench: $(FPU_TEST_OUT)/fpu-host
	$(FPU_TEST_OUT)/fpu-host --bench
