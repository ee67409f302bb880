/*
 * kvm_image.c - load monitor.elf the way a multiboot loader does (by the
 * a.out-kludge address fields of its multiboot header, docs/boot.md), find
 * the 64-bit entry in the rvkvm image header that follows, and write the
 * boot info, argument block and ring header the monitor reads at boot.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kvm.h"

#define MB_MAGIC 0x1badb002u
#define MB_FLAG_ADDRS (1u << 16)
#define MB_SEARCH 8192 /* Multiboot 0.6.96 section 3.1.1 */
#define MB_HEADER_SIZE 32

struct mb_header {
	uint32_t magic, flags, checksum;
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr;
};
_Static_assert(sizeof(struct mb_header) == MB_HEADER_SIZE, "multiboot header with addresses");

static int read_file(struct kvm_vm *vm, const char *path, uint8_t **data, size_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return kvm_fail(vm, "monitor image %s: %s", path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return kvm_fail(vm, "monitor image %s: not a regular file", path);
	}
	*size = (size_t)st.st_size;
	*data = malloc(*size ? *size : 1);
	size_t done = 0;
	while (*data && done < *size) {
		ssize_t n = read(fd, *data + done, *size - done);
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;
			close(fd);
			free(*data);
			return kvm_fail(vm, "monitor image %s: %s", path, strerror(e));
		}
		done += (size_t)n;
	}
	close(fd);
	return *data ? 0 : kvm_fail(vm, "monitor image %s: out of memory", path);
}

static int find_header(const uint8_t *data, size_t size, size_t *offset)
{
	for (size_t off = 0; off + MB_HEADER_SIZE <= size && off < MB_SEARCH; off += 4) {
		struct mb_header h;
		memcpy(&h, data + off, sizeof(h));
		if (h.magic == MB_MAGIC && (uint32_t)(h.magic + h.flags + h.checksum) == 0) {
			*offset = off;
			return 0;
		}
	}
	return -1;
}

int kvm_image_load(const struct launch_config *cfg, struct kvm_vm *vm)
{
	const char *path = cfg->monitor_path;
	uint8_t *data = NULL;
	size_t size = 0, off;
	struct mb_header h;
	struct rvkvm_image_header ih;
	int r = -1;

	if (!path)
		return kvm_fail(vm, "no monitor image path (use --monitor PATH)");
	if (read_file(vm, path, &data, &size))
		return -1;
	if (find_header(data, size, &off)) {
		kvm_fail(vm, "monitor image %s: no multiboot header in its first %d bytes "
			     "(not monitor.elf, or truncated)", path, MB_SEARCH);
		goto out;
	}
	memcpy(&h, data + off, sizeof(h));
	if (!(h.flags & MB_FLAG_ADDRS) || h.load_addr != RVKVM_GPA_IMAGE ||
	    h.header_addr < h.load_addr || h.load_end_addr <= h.header_addr ||
	    h.bss_end_addr < h.load_end_addr || off < h.header_addr - h.load_addr) {
		kvm_fail(vm, "monitor image %s: corrupt multiboot address fields", path);
		goto out;
	}
	uint64_t file_start = off - (h.header_addr - h.load_addr);
	uint64_t load_size = h.load_end_addr - h.load_addr;
	if (file_start + load_size > size) {
		kvm_fail(vm, "monitor image %s: truncated (%zu bytes, needs %llu)", path, size,
			 (unsigned long long)(file_start + load_size));
		goto out;
	}
	if (off + MB_HEADER_SIZE + sizeof(ih) > size) {
		kvm_fail(vm, "monitor image %s: truncated image header", path);
		goto out;
	}
	memcpy(&ih, data + off + MB_HEADER_SIZE, sizeof(ih));
	if (ih.magic != RVKVM_IMAGE_MAGIC) {
		kvm_fail(vm, "monitor image %s: no rvkvm image header after the multiboot header",
			 path);
		goto out;
	}
	if (ih.abi_version != RVKVM_ABI_VERSION) {
		kvm_fail(vm, "monitor image %s: ABI version %u, this rvkvm speaks %u", path,
			 ih.abi_version, RVKVM_ABI_VERSION);
		goto out;
	}
	if (ih.entry64 < RVKVM_IMAGE_VIRT_BASE + h.load_addr ||
	    ih.entry64 >= RVKVM_IMAGE_VIRT_BASE + h.load_end_addr) {
		kvm_fail(vm, "monitor image %s: 64-bit entry outside the image", path);
		goto out;
	}
	/* The monitor needs RAM beyond its image for page tables and heap. */
	if (h.bss_end_addr + (8ull << 20) > vm->ram_size ||
	    h.bss_end_addr > RVKVM_BOOT_MAP_SIZE) {
		kvm_fail(vm, "monitor image %s: %u KiB does not fit in %llu MiB of RAM", path,
			 (h.bss_end_addr - h.load_addr) >> 10,
			 (unsigned long long)(vm->ram_size >> 20));
		goto out;
	}
	memcpy(vm->ram + h.load_addr, data + file_start, load_size);
	vm->load_addr = h.load_addr;
	vm->load_end = h.load_end_addr;
	vm->bss_end = (h.bss_end_addr + 4095) & ~4095ull;
	vm->entry64 = ih.entry64;
	r = 0;
out:
	free(data);
	return r;
}

/* Copy one NUL-terminated string into the args area. */
static int put_string(struct kvm_vm *vm, uint64_t *used, const char *s)
{
	size_t n = strlen(s) + 1;

	if (*used + n > RVKVM_ARGS_SIZE)
		return kvm_fail(vm, "arguments and environment exceed %llu KiB",
				(unsigned long long)(RVKVM_ARGS_SIZE >> 10));
	memcpy(vm->ram + RVKVM_GPA_ARGS + *used, s, n);
	*used += n;
	return 0;
}

int kvm_boot_structures(const struct launch_config *cfg, uint32_t payload, struct kvm_vm *vm)
{
	struct rvkvm_bootinfo *bi = (struct rvkvm_bootinfo *)(vm->ram + RVKVM_GPA_BOOTINFO);
	struct rvkvm_ring *ring = kvm_vm_ring(vm);
	struct timespec rt;
	uint64_t used = 0;

	memset(bi, 0, sizeof(*bi));
	bi->magic = RVKVM_BOOTINFO_MAGIC;
	bi->abi_version = RVKVM_ABI_VERSION;
	bi->payload = payload;
	bi->ram_size = vm->ram_size;
	bi->ring_gpa = RVKVM_GPA_RING;
	bi->ring_size = RVKVM_RING_SIZE;
	bi->image_end_gpa = vm->bss_end;
	int khz = ioctl(vm->vcpu_fd, KVM_GET_TSC_KHZ, 0);
	if (khz <= 0)
		return kvm_fail(vm, "KVM_GET_TSC_KHZ: %s", strerror(errno));
	bi->tsc_khz = (uint64_t)khz;
	clock_gettime(CLOCK_REALTIME, &rt);
	bi->host_time_ns = (uint64_t)rt.tv_sec * 1000000000ull + (uint64_t)rt.tv_nsec;
	bi->host_mono_ns = kvm_now_ns();
	bi->flags = (cfg->strace ? RVKVM_BOOT_STRACE : 0) |
		    (cfg->verbose ? RVKVM_BOOT_VERBOSE : 0) | (cfg->stats ? RVKVM_BOOT_STATS : 0) |
		    (cfg->guest_strings ? RVKVM_BOOT_GUEST_STRINGS : 0) |
		    (cfg->soft_fp ? RVKVM_BOOT_SOFT_FP : 0);
	bi->crash_kind = cfg->crash_kind;
	bi->garbage_requests = cfg->garbage_requests;
	bi->trace_mask = cfg->trace_mask;
	bi->gdb = cfg->gdb_port != 0;
	bi->guest_fd = cfg->program_fd;
	bi->ignored_signals = launcher_ignored_signals();
	bi->stack_size = cfg->stack_size;
	if (getrandom(bi->random, sizeof(bi->random), 0) != sizeof(bi->random))
		return kvm_fail(vm, "getrandom: %s", strerror(errno));
	bi->pid = (uint32_t)getpid();
	bi->ppid = (uint32_t)getppid();
	bi->uid = getuid();
	bi->gid = getgid();
	bi->euid = geteuid();
	bi->egid = getegid();

	if (payload == RVKVM_PAYLOAD_LINUX) {
		for (int i = 0; i < cfg->argc; i++)
			if (put_string(vm, &used, cfg->argv[i]))
				return -1;
		for (int i = 0; i < cfg->envc; i++)
			if (put_string(vm, &used, cfg->envp[i]))
				return -1;
		if (put_string(vm, &used, cfg->execfn ? cfg->execfn : cfg->argc ? cfg->argv[0] : ""))
			return -1;
		bi->argc = (uint32_t)cfg->argc;
		bi->envc = (uint32_t)cfg->envc;
		if (cfg->sysroot) {
			uint64_t start = used;

			if (put_string(vm, &used, cfg->sysroot))
				return -1;
			bi->sysroot_len = (uint32_t)(used - start);
		}
	}
	bi->args_gpa = RVKVM_GPA_ARGS;
	bi->args_len = (uint32_t)used;
	if (payload == RVKVM_PAYLOAD_LINUX) {
		struct profile_files files;

		profile_files_open(cfg, 1, &files);
		bi->profile_hz = (uint32_t)cfg->profile;
		bi->profile_flags = cfg->profile_file ? RVKVM_PROFILE_FOLDED : 0;
		bi->perf_map_fd = files.perf_map_fd;
		bi->profile_fd = files.profile_fd;
	}

	memset(ring, 0, sizeof(*ring));
	ring->entries = RVKVM_RING_ENTRIES;
	return 0;
}
