/*
 * start.c - what to run under a multiboot loader, from the kernel command
 * line and the modules (docs/multiboot.md):
 *
 *   selftest          the monitor's built-in self-check
 *   crash=pagefault   a deliberate monitor page fault (tests)
 *   crash=triple      a deliberate triple fault (tests)
 *   strace verbose stats   the launcher's --strace/--verbose/--stats
 *   profile           --profile: flat profile on the console at exit
 *   profile-hz=N      ... sampling N times a second (default 1000)
 *   profile-folded    ... and call stacks, folded, on the console
 *   otherwise         module 0 is the riscv64 program, its module string
 *                     "prog arg1 arg2" the guest's argv
 *
 * Other words are ignored: QEMU puts the kernel's own file name first.
 */
#include <asm-generic/errno.h>

#include "mb.h"
#include "platform/kvm/x86.h"
#include "rt.h"

/* Linux's default RLIMIT_STACK (8 MiB), what qemu-riscv64 gives a program too. */
#define MB_STACK_SIZE (8ull << 20)

#define CPUID1_ECX_RDRAND (1u << 30)
#define MB_PROFILE_HZ_MAX 10000
#define RDRAND_RETRIES 10 /* Intel DRNG guide, 5.2.1: ten tries, then give up */

static void say(const char *text)
{
	x86_io->log(text, strlen(text));
}

static int word_is(const char *w, size_t len, const char *what)
{
	return strlen(what) == len && memcmp(w, what, len) == 0;
}

/* Split at spaces into a heap array of heap strings; returns the count. */
static int split_words(const char *s, const char ***out)
{
	int n = 0;
	const char **v;

	for (const char *p = s; *p;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		n++;
		while (*p && *p != ' ')
			p++;
	}
	v = plat_alloc((n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	n = 0;
	for (const char *p = s; *p;) {
		const char *w;
		char *copy;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		w = p;
		while (*p && *p != ' ')
			p++;
		copy = plat_alloc(p - w + 1);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, w, p - w);
		v[n++] = copy;
	}
	*out = v;
	return n;
}

static int rdrand64(uint64_t *v)
{
	uint32_t eax = 1, ebx, ecx, edx;
	unsigned char ok;

	__asm__("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
	if (!(ecx & CPUID1_ECX_RDRAND))
		return 0;
	for (int i = 0; i < RDRAND_RETRIES; i++) {
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return 1;
	}
	return 0;
}

/*
 * No launcher to ask for entropy: RDRAND where the CPU has it, else the TSC
 * (the time the boot took varies from run to run, which is all AT_RANDOM's
 * users need from a seed here).
 */
static void seed_random(uint64_t seed[2])
{
	for (int i = 0; i < 2; i++) {
		uint64_t r;

		seed[i] = x86_rdtsc() * 0x9e3779b97f4a7c15ull;
		if (rdrand64(&r))
			seed[i] ^= r;
	}
}

/* profile-hz=N: 1 .. MB_PROFILE_HZ_MAX, as the launcher's --profile-hz. */
static int profile_hz(const char *s, size_t len)
{
	unsigned long v = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' || v > MB_PROFILE_HZ_MAX)
			v = MB_PROFILE_HZ_MAX + 1;
		else
			v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v < 1 || v > MB_PROFILE_HZ_MAX) {
		say("rvkvm: multiboot: profile-hz= takes samples per second from 1 to 10000\n");
		mb_exit(2);
	}
	return (int)v;
}

static void parse_cmdline(struct x86_boot *boot)
{
	for (const char *p = mb_cmdline; *p;) {
		const char *w;
		size_t len;

		while (*p == ' ')
			p++;
		w = p;
		while (*p && *p != ' ')
			p++;
		len = p - w;
		if (word_is(w, len, "selftest")) {
			boot->payload = RVKVM_PAYLOAD_SELFTEST;
		} else if (word_is(w, len, "crash=pagefault")) {
			boot->payload = RVKVM_PAYLOAD_CRASH;
			boot->crash_kind = RVKVM_CRASH_PAGE_FAULT;
		} else if (word_is(w, len, "crash=triple")) {
			boot->payload = RVKVM_PAYLOAD_CRASH;
			boot->crash_kind = RVKVM_CRASH_TRIPLE_FAULT;
		} else if (word_is(w, len, "strace")) {
			boot->flags |= RVKVM_BOOT_STRACE;
		} else if (word_is(w, len, "verbose")) {
			boot->flags |= RVKVM_BOOT_VERBOSE;
		} else if (word_is(w, len, "stats")) {
			boot->flags |= RVKVM_BOOT_STATS;
		} else if (word_is(w, len, "no-host-strings")) {
			boot->flags |= RVKVM_BOOT_GUEST_STRINGS;
		} else if (word_is(w, len, "soft-fp")) {
			boot->flags |= RVKVM_BOOT_SOFT_FP;
		} else if (word_is(w, len, "profile")) {
			boot->program.profile = boot->program.profile ? boot->program.profile
								      : LINUX_PROFILE_HZ;
		} else if (len > 11 && memcmp(w, "profile-hz=", 11) == 0) {
			boot->program.profile = profile_hz(w + 11, len - 11);
		} else if (word_is(w, len, "profile-folded")) {
			boot->program.profile = boot->program.profile ? boot->program.profile
								      : LINUX_PROFILE_HZ;
			boot->program.profile_flags |= RVKVM_PROFILE_FOLDED;
		} else if (len > 6 && memcmp(w, "crash=", 6) == 0) {
			say("rvkvm: multiboot: crash= takes pagefault or triple\n");
			mb_exit(2);
		}
	}
}

static void start_program(struct x86_boot *boot)
{
	struct linux_start *ls = &boot->program;
	const char **argv;
	long fd;
	int argc;

	if (mb_module_count == 0) {
		say("rvkvm: multiboot: nothing to run: give the riscv64 program as the first "
		    "module (QEMU: -initrd \"prog arg1 arg2\") or `selftest` on the command "
		    "line\n");
		mb_exit(2);
	}
	if (mb_modules[0].name_len == 0) {
		/* GRUB's module string leaves the file name out. */
		say("rvkvm: multiboot: the program module has an empty string: name it "
		    "(GRUB: module FILE NAME ARGS...)\n");
		mb_exit(2);
	}
	fd = mb_fs_open_module(0);
	argc = split_words(mb_modules[0].string, &argv);
	if (fd < 0 || argc <= 0) {
		say("rvkvm: multiboot: out of memory setting up the program\n");
		mb_exit(1);
	}
	ls->program_fd = fd;
	ls->execfn = argv[0];
	ls->argc = argc;
	ls->argv = argv;
	ls->envc = 0;
	ls->envp = argv + argc;
	ls->stack_size = MB_STACK_SIZE;
	ls->pid = 1;
	ls->strace = !!(boot->flags & RVKVM_BOOT_STRACE);
	ls->stats = !!(boot->flags & RVKVM_BOOT_STATS);
	ls->guest_strings = !!(boot->flags & RVKVM_BOOT_GUEST_STRINGS);
}

void mb_start(struct x86_boot *boot)
{
	uint64_t now_s;

	memset(boot, 0, sizeof(*boot));
	boot->payload = RVKVM_PAYLOAD_LINUX;
	boot->cmdline = mb_cmdline;
	mb_fs_init();
	parse_cmdline(boot);
	seed_random(boot->random);
	now_s = mb_rtc_unix_seconds();
	if (now_s)
		boot->realtime_ns = now_s * 1000000000ull - plat_clock_monotonic_ns();
	if (boot->payload == RVKVM_PAYLOAD_LINUX)
		start_program(boot);
	if (boot->program.profile && x86_profile_timer_start((uint32_t)boot->program.profile))
		boot->program.profile = 0;
}
