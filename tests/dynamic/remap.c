/*
 * remap - code mapped where a C library routine was: it runs, not the
 * routine.  A second mapping of libc.so.6 is made, and its strlen is
 * called (run as host code where the C library's routines are); then
 * that mapping is replaced by other code at the same address, which must
 * run in its place.  Compared with qemu-riscv64 -L.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
	void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
	void *strlen_at = libc ? dlsym(libc, "strlen") : NULL;
	Dl_info info;

	if (!strlen_at || !dladdr(strlen_at, &info)) {
		fprintf(stderr, "remap: no strlen in libc.so.6: %s\n", dlerror());
		return 1;
	}
	size_t offset = (size_t)((char *)strlen_at - (char *)info.dli_fbase);
	int fd = open(info.dli_fname, O_RDONLY);
	struct stat st;
	/* The whole file: strlen reads its constants from the same segment. */
	size_t len = fd < 0 || fstat(fd, &st) ? 0 : (size_t)st.st_size;
	char *copy = len ? mmap(NULL, len, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0) : MAP_FAILED;
	if (copy == MAP_FAILED) {
		perror(info.dli_fname);
		return 1;
	}
	/* glibc's strlen needs no relocation: the copy runs as it is, its constants pc-relative. */
	size_t (*copied)(const char *) = (size_t(*)(const char *))(uintptr_t)(copy + offset);
	printf("strlen in the copy: %zu\n", copied("hello"));

	/* li a0, 42; ret, where strlen was. */
	static const uint32_t other[] = {0x02a00513, 0x00008067};
	char *code = mmap(copy, len, PROT_READ | PROT_WRITE | PROT_EXEC,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (code != copy) {
		perror("mmap over the copy");
		return 1;
	}
	memcpy(code + offset, other, sizeof other);
	__asm__ volatile("fence.i" ::: "memory");
	printf("other code there: %zu\n", copied("hello"));

	/* And munmap, then a new mapping at the same place. */
	munmap(code, len);
	code = mmap(copy, len, PROT_READ | PROT_WRITE | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (code != copy) {
		perror("mmap after munmap");
		return 1;
	}
	/* li a0, 7; ret */
	static const uint32_t third[] = {0x00700513, 0x00008067};
	memcpy(code + offset, third, sizeof third);
	__asm__ volatile("fence.i" ::: "memory");
	printf("after munmap and mmap: %zu\n", copied("hello"));
	close(fd);
	return 0;
}
