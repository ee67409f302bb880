# Unit test of the monitor's freestanding memory and string primitives
# (tests/unit/run-programs.sh): monitor/lib/string.c built on the host under
# mon_* names, with the monitor's flags, against the C library.  The same
# object is timed by build/bench/monitor-copies (tests/bench/bench.mk).
STRING_RENAMES := $(foreach f,memcpy memmove memset memcmp memchr strnlen strlen strcmp strncmp,-D$(f)=mon_$(f))
STRING_MON_OBJ := $(B)/tests/unit/string-mon.o

$(STRING_MON_OBJ): monitor/lib/string.c monitor/lib/rt.h
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -MMD -MP,$(MON_CFLAGS)) $(MON_GPR) -fno-pie $(STRING_RENAMES) -c $< -o $@

$(B)/tests/unit/string-test: tests/unit/string_test.c $(STRING_MON_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -MMD -MP,$(HOST_CFLAGS)) -o $@ $^

TEST_PROGRAMS += $(B)/tests/unit/string-test
