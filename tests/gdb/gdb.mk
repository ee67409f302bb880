# Programs for the -g tests (tests/gdb/run-gdb.sh), built for the debugger:
# -g -O0, static; gdb-tiny without a C library for the kvm-platform check.
$(B)/tests/gdb/gdb-target: tests/gdb/gdb_target.c
	@mkdir -p $(dir $@)
	$(RV_CC) -static -g -O0 -Wall -Wextra -Werror $< -o $@

$(B)/tests/gdb/gdb-tiny: tests/gdb/gdb_tiny.c
	@mkdir -p $(dir $@)
	$(RV_CC) -static -nostdlib -g -O0 -Wall -Wextra -Werror $< -o $@

TEST_PROGRAMS += $(B)/tests/gdb/gdb-target $(B)/tests/gdb/gdb-tiny
