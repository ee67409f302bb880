# Translator unit tests (monitor/dbt): the x86-64 emitter against GNU
# objdump, and a hosted harness that runs hand-assembled RISC-V snippets
# through the translator on a test-only platform.  Run by run-dbt.sh.
DBT_TEST_OUT := $(B)/tests/unit/dbt
DBT_SNIPPETS := int muldiv atomic csr special
DBT_SNIPPET_DIR := tests/unit/dbt-snippets
DBT_CORE_SRC := $(wildcard monitor/dbt/*.c monitor/dbt/*.S)
DBT_CORE_HDR := $(wildcard monitor/dbt/*.h) monitor/platform/platform.h monitor/lib/rt.h
DBT_TEST_CFLAGS := $(filter-out -MMD -MP,$(HOST_CFLAGS))
DBT_SNIPPET_ELF := $(patsubst %,$(DBT_TEST_OUT)/%.elf,$(DBT_SNIPPETS))

$(DBT_TEST_OUT)/dbt-emit-test: tests/unit/dbt_emit_test.c monitor/dbt/emit.c monitor/dbt/emit.h
	@mkdir -p $(dir $@)
	$(CC) $(DBT_TEST_CFLAGS) -o $@ $(filter %.c,$^)

$(DBT_TEST_OUT)/dbt-harness: tests/unit/dbt_harness.c tests/unit/dbt_test_platform.c \
		tests/unit/dbt_test.h $(DBT_CORE_SRC) $(DBT_CORE_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(DBT_TEST_CFLAGS) -Itests/unit -o $@ $(filter %.c %.S,$^) -lm

# Snippets are linked at 0x10000 without relaxation, so .org places code exactly.
$(DBT_SNIPPET_ELF): $(DBT_TEST_OUT)/%.elf: $(DBT_SNIPPET_DIR)/%.S $(DBT_SNIPPET_DIR)/check.inc
	@mkdir -p $(dir $@)
	riscv64-linux-gnu-as -march=rv64gc -mno-relax -I $(DBT_SNIPPET_DIR) -o $(@:.elf=.o) $<
	riscv64-linux-gnu-ld --no-relax -Ttext=0x10000 -e _start -o $@ $(@:.elf=.o)

$(DBT_TEST_OUT)/%.bin: $(DBT_TEST_OUT)/%.elf
	riscv64-linux-gnu-objcopy -O binary $< $@

$(DBT_TEST_OUT)/%.sym: $(DBT_TEST_OUT)/%.elf
	riscv64-linux-gnu-nm $< >$@

TEST_PROGRAMS += $(DBT_TEST_OUT)/dbt-emit-test $(DBT_TEST_OUT)/dbt-harness $(DBT_SNIPPET_ELF) \
	$(patsubst %,$(DBT_TEST_OUT)/%.bin,$(DBT_SNIPPETS)) \
	$(patsubst %,$(DBT_TEST_OUT)/%.sym,$(DBT_SNIPPETS))

.PHONY: test-dbt
test-dbt: $(DBT_TEST_OUT)/dbt-emit-test $(DBT_TEST_OUT)/dbt-harness $(DBT_SNIPPET_ELF) \
		$(patsubst %,$(DBT_TEST_OUT)/%.bin,$(DBT_SNIPPETS)) \
		$(patsubst %,$(DBT_TEST_OUT)/%.sym,$(DBT_SNIPPETS))
	@tests/unit/run-dbt.sh
