/*
 * io.c - the multiboot backend's struct x86_io_ops: host calls served in the
 * monitor (modfs.c), the console on COM1, and the end of the run through
 * QEMU's isa-debug-exit device.
 *
 * Exit status: isa-debug-exit ends QEMU with (value << 1) | 1, so guest
 * status s becomes QEMU's exit status (2s + 1) mod 256: 0 -> 1, 1 -> 3,
 * 70 (monitor crash) -> 141.  Statuses from 128 up lose their top bit
 * (128 + n reads like n).  Without the device (GRUB on real hardware, other
 * hypervisors) the write does nothing and the CPU halts instead.
 */
#include <asm-generic/errno.h>

#include "dbt.h"
#include "mb.h"
#include "platform/kvm/x86.h"
#include "rt.h"

/* -device isa-debug-exit,iobase=0xf4,iosize=4 (docs/multiboot.md) */
#define ISA_DEBUG_EXIT_PORT 0xf4

/* What the launcher exits with when the monitor crashes (rvkvm_abi.h section 6). */
#define MB_CRASH_STATUS 70

static void say(const char *text)
{
	mb_com1_write(text, strlen(text));
}

_Noreturn void mb_exit(int status)
{
	char line[80];

	mb_com1_flush();
	/* A byte write works with any iosize the device was given. */
	x86_outb(ISA_DEBUG_EXIT_PORT, (uint8_t)status);
	rt_snprintf(line, sizeof(line), "rvkvm: exit status %d; no isa-debug-exit device, halted\n",
		    status & 0xff);
	say(line);
	mb_com1_flush();
	for (;;)
		__asm__ volatile("cli; hlt");
}

static void mb_log(const char *text, size_t len)
{
	mb_com1_write(text, len);
}

static long mb_hostcall(uint32_t op, const int64_t arg[6], const struct plat_iov *buf,
			unsigned nbuf)
{
	switch (op) {
	case HC_EXIT:
		mb_exit((int)arg[0]);
	case HC_LOG:
		for (unsigned i = 0; i < nbuf; i++) {
			if (mb_buffer_ready(&buf[i], DBT_ACCESS_READ) < 0)
				return -EFAULT;
			mb_com1_write(buf[i].base, buf[i].len);
		}
		return 0;
	case HC_NOP:
		return 0;
	case HC_TRACE: /* -d: the disassemblers and the log file are the launcher's */
		return -ENOSYS;
	default:
		return mb_fs_hostcall(op, arg, buf, nbuf);
	}
}

static void say_regs(const char *n1, uint64_t v1, const char *n2, uint64_t v2, const char *n3,
		     uint64_t v3, const char *n4, uint64_t v4)
{
	char line[128];

	rt_snprintf(line, sizeof(line),
		    "rvkvm:   %-3s %016llx  %-3s %016llx  %-3s %016llx  %-3s %016llx\n", n1,
		    (unsigned long long)v1, n2, (unsigned long long)v2, n3, (unsigned long long)v3,
		    n4, (unsigned long long)v4);
	say(line);
}

/* The same facts the launcher prints for a crash under KVM, on the console. */
static _Noreturn void mb_crash(const struct rvkvm_crash *r)
{
	char line[192];

	rt_snprintf(line, sizeof(line), "rvkvm: monitor crash: %.128s\n", r->message);
	say(line);
	rt_snprintf(line, sizeof(line),
		    "rvkvm:   vector %llu error %#llx cr2 %#llx rip %#llx guest pc %#llx\n",
		    (unsigned long long)r->vector, (unsigned long long)r->error_code,
		    (unsigned long long)r->cr2, (unsigned long long)r->rip,
		    (unsigned long long)r->guest_pc);
	say(line);
	say_regs("rip", r->rip, "cs", r->cs, "rfl", r->rflags, "rsp", r->rsp);
	say_regs("ss", r->ss, "rax", r->rax, "rbx", r->rbx, "rcx", r->rcx);
	say_regs("rdx", r->rdx, "rsi", r->rsi, "rdi", r->rdi, "rbp", r->rbp);
	say_regs("r8", r->r8, "r9", r->r9, "r10", r->r10, "r11", r->r11);
	say_regs("r12", r->r12, "r13", r->r13, "r14", r->r14, "r15", r->r15);
	mb_exit(MB_CRASH_STATUS);
}

const struct x86_io_ops mb_io_ops = {
    .name = "multiboot",
    .hostcall = mb_hostcall,
    .exit = mb_exit,
    .log = mb_log,
    .crash = mb_crash,
    .tsc_khz = x86_pit_tsc_khz,
};
