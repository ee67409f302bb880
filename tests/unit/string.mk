# Unit test of the monitor's freestanding memory and string primitives
# (tests/unit/run-programs.sh): monitor/lib/string.c built on the host under
# mon_* names, against the C library.
STRING_RENAMES := $(foreach f,memcpy memmove memset memcmp memchr strnlen strlen strcmp strncmp,-D$(f)=mon_$(f))

$(B)/tests/unit/string-test: tests/unit/string_test.c monitor/lib/string.c monitor/lib/rt.h
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -MMD -MP,$(MON_CFLAGS)) $(MON_GPR) -fno-pie $(STRING_RENAMES) \
		-c monitor/lib/string.c -o $@.string.o
	$(CC) $(filter-out -MMD -MP,$(HOST_CFLAGS)) -o $@ tests/unit/string_test.c $@.string.o

TEST_PROGRAMS += $(B)/tests/unit/string-test
