# riscv64 guest programs: static glibc binaries compared with qemu-riscv64
# (tests/guest/run-guest.sh).
GUEST_SRC  := $(wildcard tests/guest/*.c)
GUEST_BINS := $(patsubst tests/guest/%.c,$(B)/tests/guest/%,$(GUEST_SRC))
GUEST_CFLAGS := -static -O2 -g -Wall -Wextra -Werror -frounding-math

$(B)/tests/guest/%: tests/guest/%.c
	@mkdir -p $(dir $@)
	$(RV_CC) $(GUEST_CFLAGS) $< -o $@ -lm -latomic

TEST_PROGRAMS += $(GUEST_BINS)
