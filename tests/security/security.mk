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
