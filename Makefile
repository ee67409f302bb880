# rvkvm - run riscv64 Linux programs on x86-64, with the translator inside KVM.
#
#   make          build build/rvkvm, build/monitor.elf, build/rvkvm.iso
#   make run      install what is missing, build, run the bundled demo
#   make test     install what is missing, build, run every test
#   make bench    benchmarks: native / qemu-riscv64 / rvkvm side by side
#   make fuzz N=  differential fuzzing against qemu-riscv64 (PLATFORM=proc|kvm)

CC       := gcc
LD       := ld
RV_CC    := riscv64-linux-gnu-gcc
B        := build

WARN     := -Wall -Wextra -Werror -Wno-unused-parameter
INCLUDES := -Iguest-abi -Imonitor/lib -Imonitor/platform -Imonitor/dbt -Imonitor/linux -Imonitor
COMMON   := -std=gnu11 -O2 -g $(WARN) $(INCLUDES) -MMD -MP

# The monitor is freestanding and position-independent (DESIGN.md section 4);
# no red zone because exceptions arrive on the interrupted stack at CPL0, and
# no SSE in its C code: trap handlers need not save vector state, the
# emulated KVM hosts (DESIGN.md section 2) cannot execute SSE instructions,
# and translated code may keep f registers in xmm registers where the VM
# runs at hardware speed (platform.h plat_has_sse).
MON_CFLAGS := $(COMMON) -ffreestanding -fno-stack-protector -fpie -mno-red-zone \
	-fno-asynchronous-unwind-tables -fno-omit-frame-pointer -fno-tree-loop-distribute-patterns
MON_GPR    := -mgeneral-regs-only
HOST_CFLAGS := $(COMMON) -D_GNU_SOURCE -fno-omit-frame-pointer -mfma

CORE_C     := $(wildcard monitor/dbt/*.c monitor/linux/*.c) monitor/lib/format.c
CORE_S     := $(wildcard monitor/dbt/*.S)
MON_ONLY_C := $(wildcard monitor/*.c monitor/platform/kvm/*.c monitor/platform/multiboot/*.c) \
	monitor/lib/string.c
MON_ONLY_S := $(wildcard boot/*.S monitor/platform/kvm/*.S)
PROC_C     := $(wildcard monitor/platform/proc/*.c)
PROC_S     := $(wildcard monitor/platform/proc/*.S)
LAUNCHER_C := $(wildcard launcher/*.c)

MON_OBJS  := $(patsubst %,$(B)/mon/%.o,$(CORE_C) $(CORE_S) $(MON_ONLY_C) $(MON_ONLY_S))
HOST_OBJS := $(patsubst %,$(B)/host/%.o,$(CORE_C) $(CORE_S) $(PROC_C) $(PROC_S) $(LAUNCHER_C))
HOST_LIBS := -lseccomp -lm -lpthread -ldl

# -d loads the disassemblers when asked (launcher/disasm.c): their sonames,
# read off the libraries the compiler finds, once the deps are installed.
soname = $(shell objdump -p "$$($(CC) -print-file-name=lib$(1).so)" | awk '/SONAME/ {print $$2}')
DISASM_SONAMES = -DCAPSTONE_SONAME='"$(call soname,capstone)"' \
	-DOPCODES_SONAME='"$(call soname,opcodes-multiarch)"'

.PHONY: all deps run test bench fuzz clean format
all: $(B)/rvkvm $(B)/monitor.elf $(B)/rvkvm.iso

deps:
	@scripts/install-deps.sh

$(B)/mon/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(MON_CFLAGS) $(MON_GPR) -c $< -o $@

$(B)/mon/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(MON_CFLAGS) -c $< -o $@

$(B)/host/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

$(B)/host/launcher/disasm.c.o: launcher/disasm.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(DISASM_SONAMES) -c $< -o $@

$(B)/host/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

# --no-relax: -fpie code loads external function addresses from the GOT, and
# relaxing that load in a non-PIE link means a 32-bit immediate, which cannot
# hold the image's 0xffffff00... addresses (ld: "failed to convert GOTPCREL").
$(B)/monitor.elf: $(MON_OBJS) linker.ld
	$(LD) -nostdlib -static --no-relax -T linker.ld -z max-page-size=0x1000 -z noexecstack -o $@ $(MON_OBJS)

$(B)/rvkvm: $(HOST_OBJS)
	$(CC) -o $@ $(HOST_OBJS) $(HOST_LIBS)

$(B)/rvkvm.iso: $(B)/monitor.elf boot/grub.cfg
	@rm -rf $(B)/iso && mkdir -p $(B)/iso/boot/grub
	cp $(B)/monitor.elf $(B)/iso/boot/monitor.elf
	cp boot/grub.cfg $(B)/iso/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(B)/iso 2>$(B)/grub-mkrescue.log || { cat $(B)/grub-mkrescue.log; exit 1; }

include tests/tests.mk
include install.mk

run: deps all $(DEMO)
	$(B)/rvkvm $(DEMO)
	@scripts/demo-speed.sh $(B)/rvkvm $(DEMO)

test: deps all test-programs
	@tests/run.sh

clean:
	rm -rf $(B)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

-include $(shell find $(B) -name '*.d' 2>/dev/null)
