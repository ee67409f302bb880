/*
 * fuzz_elfload.c - libFuzzer target over the personality's ELF loader
 * (monitor/linux/elf.c), built hosted against the unit tests' stand-in
 * platform (tests/unit/linux_test_platform.c: guest memory is a reserved
 * region of this process).  Each input is loaded as the guest program;
 * a refusal is a status from lx_elf_load or a plat_exit, never a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "linux_test.h"

static const char *const fuzz_argv[] = {"prog"};
static const char *const fuzz_envp[] = {"X=1"};

static struct linux_start start = {
    .program_fd = -1,
    .execfn = "./prog",
    .argc = 1,
    .argv = fuzz_argv,
    .envc = 1,
    .envp = fuzz_envp,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct lx_image img;
	int fd = memfd_create("elf", 0);

	if (!ready) {
		if (fake_init() < 0) {
			perror("fake_init");
			_exit(2);
		}
		ready = 1;
	}
	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		perror("memfd");
		_exit(2);
	}
	fake_reset();
	lx_vma_init(0);
	lx_proc.start = &start;
	lx_mm.stack_low = LX_STACK_TOP - (8ull << 20);
	lx_mm.mmap_base = LX_PAGE_DOWN(LX_STACK_TOP - (128ull << 20));
	start.program_fd = fd;
	if (setjmp(fake.exit_jump) == 0)
		lx_elf_load(&start, &img);
	close(fd);
	return 0;
}
