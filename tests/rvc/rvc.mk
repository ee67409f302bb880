# RVC expander: exhaustive sweep of all 16-bit words against GNU objdump.
RVC_TEST_OUT := $(B)/tests/rvc

$(RVC_TEST_OUT)/rvc-sweep: tests/rvc/sweep.c monitor/dbt/rvc.c monitor/dbt/rvc.h
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -MMD -MP,$(HOST_CFLAGS)) -o $@ $(filter %.c,$^)

TEST_PROGRAMS += $(RVC_TEST_OUT)/rvc-sweep
