/*
 * kvmboot.c - the launcher's boot: check the boot-info block, hand RAM to
 * the frame allocator, and turn the boot info into struct x86_boot.
 */
#include "kvm.h"
#include "platform.h"
#include "rt.h"
#include "x86.h"

/* Physical address of the boot info; read in both phases, never written. */
static uint64_t bootinfo_pa;

void kvm_early(uint64_t pa)
{
	/* Identity-mapped by the boot page tables (rvkvm_abi.h section 2). */
	const struct rvkvm_bootinfo *bi = (const void *)(uintptr_t)pa;

	bootinfo_pa = pa;
	if (bi->magic != RVKVM_BOOTINFO_MAGIC || bi->abi_version != RVKVM_ABI_VERSION)
		x86_crash(NULL, "bootinfo: bad magic or ABI version");
	if (bi->ring_gpa + bi->ring_size > bi->ram_size || bi->ring_size < sizeof(struct rvkvm_ring))
		x86_crash(NULL, "bootinfo: ring outside RAM");
	x86_ram_add(0, bi->ram_size);
	x86_ram_is_zero();
	/* Boot info, args, ring and boot tables all sit in the first MiB, which
	 * the frame allocator never hands out; the image end is reserved too. */
	x86_ram_reserve(bi->ring_gpa, bi->ring_size);
	x86_ram_reserve(bi->args_gpa, RVKVM_ARGS_SIZE);
	x86_ram_reserve(RVKVM_GPA_IMAGE, bi->image_end_gpa - RVKVM_GPA_IMAGE);
	kvm_ring_setup(bi->ring_gpa, bi->tsc_khz);
}

/* Split the NUL-separated argv/envp block into two heap arrays. */
static const char *const *split_strings(const char **cursor, const char *end, uint32_t count)
{
	const char **v = plat_alloc((count + 1) * sizeof(*v));

	if (!v)
		plat_panic("bootinfo: no heap for argv");
	for (uint32_t i = 0; i < count; i++) {
		if (*cursor >= end)
			plat_panic("bootinfo: argv/envp block shorter than argc+envc");
		v[i] = *cursor;
		*cursor += strnlen(*cursor, end - *cursor) + 1;
	}
	v[count] = NULL;
	return v;
}

void kvm_start(struct x86_boot *boot)
{
	const struct rvkvm_bootinfo *bi = x86_phys_to_virt(bootinfo_pa);

	kvm_ring_start();
	boot->payload = bi->payload;
	boot->crash_kind = bi->crash_kind;
	boot->garbage_requests = bi->garbage_requests;
	boot->flags = bi->flags;
	boot->cmdline = "";
	boot->random[0] = bi->random[0];
	boot->random[1] = bi->random[1];
	boot->realtime_ns = bi->host_time_ns;
	if (bi->payload != RVKVM_PAYLOAD_LINUX)
		return;

	if (bi->args_len > RVKVM_ARGS_SIZE)
		plat_panic("bootinfo: args_len larger than the args area");
	const char *cursor = x86_phys_to_virt(bi->args_gpa);
	const char *end = cursor + bi->args_len;
	struct linux_start *ls = &boot->program;
	ls->program_fd = bi->guest_fd;
	ls->argc = bi->argc;
	ls->argv = split_strings(&cursor, end, bi->argc);
	ls->envc = bi->envc;
	ls->envp = split_strings(&cursor, end, bi->envc);
	/* AT_EXECFN follows the environment (rvkvm_abi.h, bootinfo argc). */
	ls->execfn = cursor < end ? cursor : bi->argc ? ls->argv[0] : "";
	ls->stack_size = bi->stack_size;
	ls->ram_limit = 0;
	ls->pid = bi->pid;
	ls->ppid = bi->ppid;
	ls->uid = bi->uid;
	ls->gid = bi->gid;
	ls->euid = bi->euid;
	ls->egid = bi->egid;
	ls->strace = !!(bi->flags & RVKVM_BOOT_STRACE);
	ls->stats = !!(bi->flags & RVKVM_BOOT_STATS);
	ls->guest_strings = !!(bi->flags & RVKVM_BOOT_GUEST_STRINGS);
	ls->ignored_signals = bi->ignored_signals;
	ls->trace_mask = bi->trace_mask;
	ls->gdb = bi->gdb != 0;
	ls->profile_flags = bi->profile_flags;
	ls->perf_map_fd = bi->perf_map_fd;
	ls->profile_fd = bi->profile_fd;
	if (bi->profile_hz && x86_profile_timer_start(bi->profile_hz) == 0)
		ls->profile = (int)bi->profile_hz;
}
