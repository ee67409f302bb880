# riscv64 programs the multiboot boot test (run-boot.sh) hands to the
# monitor as modules, and a GRUB ISO that boots one of them.
BOOT_PROGRAMS := $(B)/tests/boot/hello.riscv64 $(B)/tests/boot/catfile.riscv64 \
	$(B)/tests/boot/hello-dynamic.riscv64

$(B)/tests/boot/%.riscv64: tests/boot/%.c
	@mkdir -p $(dir $@)
	$(RV_CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

# The same program linked against the cross sysroot's shared glibc.
$(B)/tests/boot/hello-dynamic.riscv64: tests/boot/hello.c
	@mkdir -p $(dir $@)
	$(RV_CC) -O2 -Wall -Wextra -Werror -o $@ $<

$(B)/tests/boot/hello.iso: $(B)/monitor.elf $(B)/tests/boot/hello.riscv64 tests/boot/grub-hello.cfg
	@rm -rf $(B)/tests/boot/hello-iso && mkdir -p $(B)/tests/boot/hello-iso/boot/grub
	cp $(B)/monitor.elf $(B)/tests/boot/hello.riscv64 $(B)/tests/boot/hello-iso/boot/
	cp tests/boot/grub-hello.cfg $(B)/tests/boot/hello-iso/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(B)/tests/boot/hello-iso 2>$(B)/tests/boot/grub-mkrescue.log || \
		{ cat $(B)/tests/boot/grub-mkrescue.log; exit 1; }

TEST_PROGRAMS += $(BOOT_PROGRAMS) $(B)/tests/boot/hello.iso
