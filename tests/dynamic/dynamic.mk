# The guest programs of tests/guest, built dynamically linked against
# Debian's riscv64 cross glibc (tests/dynamic/run-dynamic.sh runs them with
# the sysroot /usr/riscv64-linux-gnu, as qemu-riscv64 -L does).
DYNAMIC_BINS := $(patsubst tests/guest/%.c,$(B)/tests/dynamic/%,$(wildcard tests/guest/*.c))
DYNAMIC_CFLAGS := -O2 -g -Wall -Wextra -Werror -frounding-math

$(B)/tests/dynamic/%: tests/guest/%.c
	@mkdir -p $(dir $@)
	$(RV_CC) $(DYNAMIC_CFLAGS) $< -o $@ -lm -latomic

TEST_PROGRAMS += $(DYNAMIC_BINS)

# Private file mappings filled on first touch (tests/dynamic/run-filemap.sh):
# dynamic as ld.so's own mappings are, and static so that --stats counts
# the program's own mapping alone.
FILEMAP_BINS := $(B)/tests/dynamic/filemap $(B)/tests/dynamic/filemap-static

$(B)/tests/dynamic/filemap: tests/dynamic/filemap.c
	@mkdir -p $(dir $@)
	$(RV_CC) $(DYNAMIC_CFLAGS) $< -o $@

$(B)/tests/dynamic/filemap-static: tests/dynamic/filemap.c
	@mkdir -p $(dir $@)
	$(RV_CC) -static $(DYNAMIC_CFLAGS) $< -o $@

TEST_PROGRAMS += $(FILEMAP_BINS)

# Code mapped where a C library routine was (tests/dynamic/run-dynamic.sh).
$(B)/tests/dynamic/remap: tests/dynamic/remap.c
	@mkdir -p $(dir $@)
	$(RV_CC) $(DYNAMIC_CFLAGS) $< -o $@ -ldl

TEST_PROGRAMS += $(B)/tests/dynamic/remap
