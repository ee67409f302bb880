# Instruction-level tests, one per extension: riscv64 assembly with its own
# _start, no libc (tests/isa/run-isa.sh).
ISA_SRC  := $(wildcard tests/isa/*.S)
ISA_BINS := $(patsubst tests/isa/%.S,$(B)/tests/isa/%,$(ISA_SRC))

$(B)/tests/isa/%: tests/isa/%.S tests/isa/isa.h tests/isa/fp.h
	@mkdir -p $(dir $@)
	$(RV_CC) -nostdlib -static -Itests/isa $< -o $@

TEST_PROGRAMS += $(ISA_BINS)
