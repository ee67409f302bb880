# Differential fuzzing against qemu-riscv64 (tests/fuzz/run-fuzz.sh).
# rvfuzz is a host program that writes riscv64 assembly: FUZZ_SEEDS are the
# fixed set `make test` runs, 100 sequences per binary; regress/*.S are
# sequences that once differed, kept as named tests.
FUZZ_GEN     := $(B)/tests/fuzz/rvfuzz
FUZZ_SEEDS   := $(shell seq 1 20)
FUZZ_BINS    := $(patsubst %,$(B)/tests/fuzz/seed-%,$(FUZZ_SEEDS))
FUZZ_REGRESS := $(patsubst tests/fuzz/regress/%.S,$(B)/tests/fuzz/regress/%,$(wildcard tests/fuzz/regress/*.S))

$(FUZZ_GEN): tests/fuzz/rvfuzz.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -o $@ $<

$(B)/tests/fuzz/seed-%.S: $(FUZZ_GEN)
	$(FUZZ_GEN) gen $* 100 >$@.tmp && mv $@.tmp $@

$(B)/tests/fuzz/seed-%: $(B)/tests/fuzz/seed-%.S
	$(RV_CC) -nostdlib -static $< -o $@

$(B)/tests/fuzz/regress/%: tests/fuzz/regress/%.S
	@mkdir -p $(dir $@)
	$(RV_CC) -nostdlib -static $< -o $@

.PRECIOUS: $(B)/tests/fuzz/seed-%.S
TEST_PROGRAMS += $(FUZZ_GEN) $(FUZZ_BINS) $(FUZZ_REGRESS)

# make fuzz N=10000 [PLATFORM=proc|kvm] [SEED=...]: a long run on fresh seeds.
N        ?= 1000
PLATFORM ?= proc
fuzz: $(B)/rvkvm $(FUZZ_GEN)
	@tests/fuzz/fuzz.sh $(N) $(PLATFORM) $(SEED)
