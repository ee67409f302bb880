/*
 * main.c - the monitor's C entry, shared by the launcher's KVM boot and
 * multiboot loaders: tell the boots apart, bring up the x86 machine (the
 * order is the one documented in platform/kvm/x86.h), print the banner and
 * run the payload the boot asked for.
 */
#include "../boot/boot.h"
#include "kvm/x86.h"
#include "linux.h"
#include "platform.h"
#include "rt.h"

_Static_assert(BOOT_IMAGE_VIRT_BASE == RVKVM_IMAGE_VIRT_BASE, "boot.h and rvkvm_abi.h disagree");
_Static_assert(BOOT_IMAGE_MAGIC == RVKVM_IMAGE_MAGIC, "boot.h and rvkvm_abi.h disagree");
_Static_assert(BOOT_ABI_VERSION == RVKVM_ABI_VERSION, "boot.h and rvkvm_abi.h disagree");

#define MULTIBOOT_BOOT_MAGIC 0x2badb002ull /* Multiboot 0.6.96 section 3.2, eax */

static const char *const payload_names[] = {
	[RVKVM_PAYLOAD_LINUX] = "linux",
	[RVKVM_PAYLOAD_SELFTEST] = "selftest",
	[RVKVM_PAYLOAD_CALIBRATE] = "calibrate",
	[RVKVM_PAYLOAD_CRASH] = "crash",
	[RVKVM_PAYLOAD_RING_GARBAGE] = "ring-garbage",
};

static void banner(const struct x86_boot *boot)
{
	char line[160];
	const char *payload = boot->payload < RT_ARRAY_SIZE(payload_names) ?
				      payload_names[boot->payload] : "unknown";
	int n = rt_snprintf(line, sizeof(line),
			    "rvkvm %s monitor: %s boot, %llu MiB free, payload %s, F/D %s\n",
			    RVKVM_VERSION, x86_io->name,
			    (unsigned long long)(x86_frames_free() * X86_PAGE_SIZE >> 20), payload,
			    plat_has_sse ? "on SSE" : "in software");

	plat_log(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

/*
 * The sysroot (-L) ends the args block (rvkvm_abi.h, sysroot_len); a
 * length that does not fit, or a string not ending in its NUL, is a broken
 * launcher.
 */
static const char *kvm_sysroot(uint64_t bootinfo_pa)
{
	const struct rvkvm_bootinfo *bi = x86_phys_to_virt(bootinfo_pa);
	const char *s;

	if (!bi->sysroot_len)
		return NULL;
	if (bi->sysroot_len > bi->args_len || bi->args_len > RVKVM_ARGS_SIZE)
		plat_panic("bootinfo: sysroot_len outside the args block");
	s = (const char *)x86_phys_to_virt(bi->args_gpa) + bi->args_len - bi->sysroot_len;
	if (s[bi->sysroot_len - 1])
		plat_panic("bootinfo: sysroot is not NUL-terminated");
	return s;
}

void mon_main(uint64_t magic, uint64_t info)
{
	struct x86_boot boot;
	int kvm = magic == RVKVM_BOOT_MAGIC_KVM;

	if (!kvm && magic != MULTIBOOT_BOOT_MAGIC) {
		/* Not a boot we know: no console to say so on. */
		for (;;)
			__asm__ volatile("cli; hlt");
	}
	x86_io = kvm ? &kvm_io_ops : &mb_io_ops;
	x86_cpu_init();
	if (kvm)
		kvm_early(info);
	else
		mb_early(info);
	x86_mem_init();
	x86_clock_init(x86_io->tsc_khz());
	memset(&boot, 0, sizeof(boot));
	if (kvm)
		kvm_start(&boot);
	else
		mb_start(&boot);
	x86_vector_fp_choose(!!(boot.flags & RVKVM_BOOT_SOFT_FP));
	if (kvm && boot.payload == RVKVM_PAYLOAD_LINUX)
		boot.program.sysroot = kvm_sysroot(info);
	boot.program.verbose = !!(boot.flags & RVKVM_BOOT_VERBOSE);
	x86_clock_set_realtime(boot.realtime_ns);
	x86_random_seed(boot.random);

	/*
	 * Under the launcher a program's stderr is the user's: the banner
	 * appears there only when asked for (--verbose) or for the built-in
	 * payloads.  Standalone boots always print it on the console.
	 */
	if (!kvm || boot.payload != RVKVM_PAYLOAD_LINUX || boot.flags & RVKVM_BOOT_VERBOSE)
		banner(&boot);

	switch (boot.payload) {
	case RVKVM_PAYLOAD_LINUX:
		linux_run(&boot.program);
	case RVKVM_PAYLOAD_SELFTEST:
		x86_payload_selftest();
	case RVKVM_PAYLOAD_CALIBRATE:
		x86_payload_calibrate();
	case RVKVM_PAYLOAD_CRASH:
		x86_payload_crash(boot.crash_kind);
	case RVKVM_PAYLOAD_RING_GARBAGE:
		x86_payload_ring_test(boot.garbage_requests);
	default:
		plat_panic("unknown payload in the boot info");
	}
}
