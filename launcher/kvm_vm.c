/*
 * kvm_vm.c - open /dev/kvm, check what we rely on, create the VM, its RAM
 * and the vCPU, and put the vCPU in 64-bit mode at the monitor's entry
 * (rvkvm_abi.h section 2).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kvm.h"

#define KVM_API_VERSION_NEEDED 12
#define MAX_RAM_SIZE (1ull << 40) /* the direct map and the memslot stay sane */
#define CPUID_ENTRIES_MAX 256

/* Boot GDT and TSS, in the boot page-table area after the four tables. */
#define BOOT_PML4      (RVKVM_GPA_BOOT_PT + 0x0000)
#define BOOT_PDPT_LOW  (RVKVM_GPA_BOOT_PT + 0x1000)
#define BOOT_PDPT_HIGH (RVKVM_GPA_BOOT_PT + 0x2000)
#define BOOT_PD        (RVKVM_GPA_BOOT_PT + 0x3000)
#define BOOT_GDT       (RVKVM_GPA_BOOT_PT + 0x4000)
#define BOOT_TSS       (RVKVM_GPA_BOOT_PT + 0x5000)

#define CR0_PE (1ull << 0)
#define CR0_ET (1ull << 4)
#define CR0_NE (1ull << 5)
#define CR0_WP (1ull << 16)
#define CR0_PG (1ull << 31)
#define CR4_PAE (1ull << 5)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

int kvm_fail(struct kvm_vm *vm, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(vm->error, sizeof(vm->error), fmt, ap);
	va_end(ap);
	return -1;
}

uint64_t kvm_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int open_device(const char *path, struct kvm_vm *vm)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (errno == ENOENT)
		return kvm_fail(vm, "%s: %s (no KVM on this host: run with --platform=proc)", path,
				strerror(errno));
	if (errno == EACCES || errno == EPERM)
		return kvm_fail(vm, "%s: %s (add yourself to group kvm)", path, strerror(errno));
	return kvm_fail(vm, "%s: %s", path, strerror(errno));
}

static int check_capabilities(struct kvm_vm *vm, const char *path)
{
	static const struct {
		int cap;
		const char *name;
	} needed[] = {
		{ KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY" },
		{ KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID" },
		{ KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT" },
		{ KVM_CAP_GET_TSC_KHZ, "KVM_CAP_GET_TSC_KHZ" },
	};
	int version = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);

	if (version != KVM_API_VERSION_NEEDED)
		return kvm_fail(vm, "%s: KVM API version %d, rvkvm needs %d", path, version,
				KVM_API_VERSION_NEEDED);
	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
		if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, needed[i].cap) <= 0)
			return kvm_fail(vm, "%s: KVM lacks %s (kernel too old?)", path,
					needed[i].name);
	return 0;
}

int kvm_vm_create(const struct launch_config *cfg, struct kvm_vm *vm)
{
	const char *path = cfg->kvm_device ? cfg->kvm_device : "/dev/kvm";

	if (cfg->ram_size < 16ull << 20 || cfg->ram_size > MAX_RAM_SIZE ||
	    cfg->ram_size % 4096)
		return kvm_fail(vm, "-m %llu: guest RAM must be 16 MiB .. 1 TiB, in whole pages",
				(unsigned long long)cfg->ram_size);
	if ((vm->kvm_fd = open_device(path, vm)) < 0)
		return -1;
	if (check_capabilities(vm, path))
		return -1;
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		return kvm_fail(vm, "%s: KVM_CREATE_VM: %s", path, strerror(errno));

	vm->ram_size = cfg->ram_size;
	/* Lazily backed: the monitor touches only what it uses. */
	vm->ram = mmap(NULL, vm->ram_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->ram == MAP_FAILED) {
		vm->ram = NULL;
		return kvm_fail(vm, "cannot reserve %llu MiB of guest RAM: %s",
				(unsigned long long)(vm->ram_size >> 20), strerror(errno));
	}
	/*
	 * Host huge pages where the host's policy allows them, as QEMU asks
	 * for its guests' RAM.  The monitor maps guest memory in 2 MiB pages
	 * wherever a region holds the whole aligned 2 MiB (guestmem.c), but a
	 * TLB entry covers the smaller of the guest's page and the host's, so
	 * only a huge page on this side makes those translations 2 MiB.  The
	 * monitor's frames come from bump pointers (frames.c), so what this
	 * adds to the RSS is the partly used end of each run.  Without
	 * transparent huge pages (EINVAL) nothing changes.
	 */
	madvise(vm->ram, vm->ram_size, MADV_HUGEPAGE);
	struct kvm_userspace_memory_region region = {
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = vm->ram_size,
		.userspace_addr = (uint64_t)vm->ram,
	};
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region))
		return kvm_fail(vm, "KVM_SET_USER_MEMORY_REGION of %llu MiB: %s",
				(unsigned long long)(vm->ram_size >> 20), strerror(errno));

	/*
	 * --profile's sampling timer is the local APIC timer (monitor
	 * profile_timer.c), which only an in-kernel irqchip provides; it must
	 * exist before the vCPU (KVM API 4.24).  Only then: a run without it
	 * takes no interrupts and needs no APIC.
	 */
	if (cfg->profile && ioctl(vm->vm_fd, KVM_CREATE_IRQCHIP, 0))
		return kvm_fail(vm, "--profile: KVM_CREATE_IRQCHIP (the APIC timer it samples "
				"with): %s", strerror(errno));
	vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu_fd < 0)
		return kvm_fail(vm, "KVM_CREATE_VCPU: %s", strerror(errno));
	int size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(struct kvm_run))
		return kvm_fail(vm, "KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
	vm->run_size = (size_t)size;
	vm->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu_fd, 0);
	if (vm->run == MAP_FAILED) {
		vm->run = NULL;
		return kvm_fail(vm, "mmap of the vCPU run area: %s", strerror(errno));
	}
	return 0;
}

/* Host CPUID as KVM supports it: must precede KVM_SET_SREGS, or KVM
 * refuses EFER.LME/NXE/SCE (DESIGN.md section 2). */
static int set_cpuid(struct kvm_vm *vm)
{
	struct kvm_cpuid2 *cpuid = calloc(1, sizeof(*cpuid) +
						     CPUID_ENTRIES_MAX * sizeof(struct kvm_cpuid_entry2));
	int r;

	if (!cpuid)
		return kvm_fail(vm, "out of memory");
	cpuid->nent = CPUID_ENTRIES_MAX;
	r = ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid);
	if (!r)
		r = ioctl(vm->vcpu_fd, KVM_SET_CPUID2, cpuid);
	free(cpuid);
	return r ? kvm_fail(vm, "KVM_GET_SUPPORTED_CPUID/KVM_SET_CPUID2: %s", strerror(errno)) : 0;
}

/*
 * Boot page tables as the multiboot path builds them (boot/multiboot.S):
 * the first RVKVM_BOOT_MAP_SIZE in 2 MiB pages at 0 and at the image base;
 * a GDT with the monitor's selectors and a 64-bit TSS, which VM entry
 * requires in long mode.
 */
static void write_boot_tables(struct kvm_vm *vm)
{
	uint64_t *pml4 = (uint64_t *)(vm->ram + BOOT_PML4);
	uint64_t *pd = (uint64_t *)(vm->ram + BOOT_PD);
	uint64_t *gdt = (uint64_t *)(vm->ram + BOOT_GDT);

	for (uint64_t i = 0; i < RVKVM_BOOT_MAP_SIZE >> 21; i++)
		pd[i] = i << 21 | 0x83; /* P | W | PS */
	*(uint64_t *)(vm->ram + BOOT_PDPT_LOW) = BOOT_PD | 0x3;
	*(uint64_t *)(vm->ram + BOOT_PDPT_HIGH) = BOOT_PD | 0x3;
	pml4[0] = BOOT_PDPT_LOW | 0x3;
	pml4[(RVKVM_IMAGE_VIRT_BASE >> 39) & 511] = BOOT_PDPT_HIGH | 0x3;

	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffull;
	gdt[2] = 0x00cf92000000ffffull;
	gdt[3] = 103 | (BOOT_TSS & 0xffffff) << 16 | 0x8bull << 40 | (BOOT_TSS >> 24 & 0xff) << 56;
	gdt[4] = BOOT_TSS >> 32;
}

static void segment(struct kvm_segment *s, uint16_t selector, uint8_t type, int code)
{
	memset(s, 0, sizeof(*s));
	s->base = 0;
	s->limit = 0xffffffff;
	s->selector = selector;
	s->type = type;
	s->present = 1;
	s->s = 1;
	s->l = code;
	s->db = !code;
	s->g = 1;
}

int kvm_vcpu_setup(struct kvm_vm *vm)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	if (set_cpuid(vm))
		return -1;
	write_boot_tables(vm);
	if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sregs))
		return kvm_fail(vm, "KVM_GET_SREGS: %s", strerror(errno));
	segment(&sregs.cs, 0x08, 11, 1);
	segment(&sregs.ds, 0x10, 3, 0);
	sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
	memset(&sregs.tr, 0, sizeof(sregs.tr));
	sregs.tr.base = BOOT_TSS;
	sregs.tr.limit = 103;
	sregs.tr.selector = 0x18;
	sregs.tr.type = 11; /* busy 64-bit TSS */
	sregs.tr.present = 1;
	sregs.gdt.base = BOOT_GDT;
	sregs.gdt.limit = 5 * 8 - 1;
	sregs.idt.base = 0;
	sregs.idt.limit = 0;
	sregs.cr0 = CR0_PE | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	sregs.cr3 = BOOT_PML4;
	sregs.cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;
	sregs.efer = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE;
	if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sregs))
		return kvm_fail(vm, "KVM_SET_SREGS (64-bit entry state): %s", strerror(errno));

	memset(&regs, 0, sizeof(regs));
	regs.rip = vm->entry64;
	regs.rdi = RVKVM_BOOT_MAGIC_KVM;
	regs.rsi = RVKVM_GPA_BOOTINFO;
	regs.rflags = 2;
	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs))
		return kvm_fail(vm, "KVM_SET_REGS: %s", strerror(errno));
	return 0;
}

void kvm_vm_destroy(struct kvm_vm *vm)
{
	if (vm->run)
		munmap(vm->run, vm->run_size);
	if (vm->ram)
		munmap(vm->ram, vm->ram_size);
	if (vm->vcpu_fd >= 0)
		close(vm->vcpu_fd);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	vm->run = NULL;
	vm->ram = NULL;
	vm->vcpu_fd = vm->vm_fd = vm->kvm_fd = -1;
}
