# riscv64 guest programs of the security suite (tests/security/run-security.sh):
# hostile and broken guests, compared with qemu-riscv64.
SEC_SRC  := $(wildcard tests/security/*.c)
SEC_BINS := $(patsubst tests/security/%.c,$(B)/tests/security/%,$(SEC_SRC))
# --no-relax: no global is reached through gp, so code that runs with the
# guest's registers scrambled (isolation.c) can still reach its variables.
SEC_CFLAGS := -static -O2 -g -Wall -Wextra -Werror -Wl,--no-relax

$(B)/tests/security/%: tests/security/%.c
	@mkdir -p $(dir $@)
	$(RV_CC) $(SEC_CFLAGS) $< -o $@

TEST_PROGRAMS += $(SEC_BINS)

$(B)/tests/security/spin-bare: tests/security/spin-bare.S
	@mkdir -p $(dir $@)
	$(RV_CC) -static -nostdlib $< -o $@

TEST_PROGRAMS += $(B)/tests/security/spin-bare

$(B)/tests/security/sigpipe-bare: tests/security/sigpipe-bare.S
	@mkdir -p $(dir $@)
	$(RV_CC) -static -nostdlib $< -o $@

TEST_PROGRAMS += $(B)/tests/security/sigpipe-bare

# The ring under volume: N forged requests from the monitor's RING_GARBAGE
# payload, each of which the launcher must answer with an error.  On an
# emulated-KVM host this runs about 2000 requests a second (docs/security.md).
.PHONY: ring-garbage
ring-garbage: $(B)/rvkvm $(B)/monitor.elf
	$(B)/rvkvm --platform=kvm --ring-garbage=$(or $(N),1000000) >/dev/null

# ELF fuzzing with libFuzzer (clang): the launcher's ELF check and the
# personality's loader on the unit tests' stand-in platform.  Not part of
# `make test`; FUZZ_SECONDS is the budget of each target.  A crash leaves
# its input in build/tests/security/fuzz/; put it in tests/security/elf-corpus/
# and it is replayed by run-security.sh from then on.
FUZZ_CC := clang
FUZZ_SECONDS ?= 60
FUZZ_OUT := $(B)/tests/security/fuzz
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter $(INCLUDES) \
	-Ilauncher -Itests/unit -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined
FUZZ_LOAD_SRC := tests/security/fuzz/fuzz_elfload.c tests/unit/linux_test_platform.c \
	$(wildcard monitor/linux/*.c) monitor/lib/format.c

$(FUZZ_OUT)/fuzz-elfcheck: tests/security/fuzz/fuzz_elfcheck.c launcher/elfcheck.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^

$(FUZZ_OUT)/fuzz-elfload: $(FUZZ_LOAD_SRC) $(wildcard monitor/linux/*.h) tests/unit/linux_test.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(FUZZ_LOAD_SRC)

# The same targets built with gcc and a plain driver instead of libFuzzer,
# so `make test` replays the corpus under the sanitizers without clang.
REPLAY_CFLAGS := $(filter-out -fsanitize=fuzzer%,$(FUZZ_CFLAGS)) -fsanitize=address,undefined \
	-Wno-unused-result

$(FUZZ_OUT)/replay-elfcheck: tests/security/fuzz/replay.c tests/security/fuzz/fuzz_elfcheck.c \
		launcher/elfcheck.c
	@mkdir -p $(dir $@)
	$(CC) $(REPLAY_CFLAGS) -o $@ $^

$(FUZZ_OUT)/replay-elfload: tests/security/fuzz/replay.c $(FUZZ_LOAD_SRC) \
		$(wildcard monitor/linux/*.h) tests/unit/linux_test.h
	@mkdir -p $(dir $@)
	$(CC) $(REPLAY_CFLAGS) -o $@ tests/security/fuzz/replay.c $(FUZZ_LOAD_SRC)

TEST_PROGRAMS += $(FUZZ_OUT)/replay-elfcheck $(FUZZ_OUT)/replay-elfload

.PHONY: fuzz-elf
fuzz-elf: $(FUZZ_OUT)/fuzz-elfcheck $(FUZZ_OUT)/fuzz-elfload
	@for t in elfcheck elfload; do \
		mkdir -p $(FUZZ_OUT)/corpus-$$t && \
		echo "fuzz-elf: $$t for $(FUZZ_SECONDS) s" && \
		$(FUZZ_OUT)/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
			-rss_limit_mb=4096 -artifact_prefix=$(FUZZ_OUT)/$$t- -print_final_stats=1 \
			$(FUZZ_OUT)/corpus-$$t tests/security/elf-corpus \
			2>$(FUZZ_OUT)/$$t.log || { tail -n 40 $(FUZZ_OUT)/$$t.log; exit 1; }; \
		grep -E '^stat::(number_of_executed_units|new_units_added)' $(FUZZ_OUT)/$$t.log; \
	done
