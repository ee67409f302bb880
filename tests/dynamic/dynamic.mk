# The guest programs of tests/guest, built dynamically linked against
# Debian's riscv64 cross glibc (tests/dynamic/run-dynamic.sh runs them with
# the sysroot /usr/riscv64-linux-gnu, as qemu-riscv64 -L does).
DYNAMIC_BINS := $(patsubst tests/guest/%.c,$(B)/tests/dynamic/%,$(wildcard tests/guest/*.c))
DYNAMIC_CFLAGS := -O2 -g -Wall -Wextra -Werror -frounding-math

$(B)/tests/dynamic/%: tests/guest/%.c
	@mkdir -p $(dir $@)
	$(RV_CC) $(DYNAMIC_CFLAGS) $< -o $@ -lm -latomic

TEST_PROGRAMS += $(DYNAMIC_BINS)
