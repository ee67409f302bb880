/*
 * fuzz_elfcheck.c - libFuzzer target over launcher/elfcheck.c, the
 * launcher's gate for the program file.  Each input is a file; every
 * rejection must be one die() line (caught here), never a crash, a hang or
 * a read outside what the file holds (AddressSanitizer).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "options.h"

static jmp_buf rejected;

/* The launcher's die() ends the process; here it ends one input. */
void die(int status, const char *fmt, ...)
{
	(void)status;
	(void)fmt;
	longjmp(rejected, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("elf", 0);
	char path[64];
	const char *sysroot = NULL;

	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		perror("memfd");
		_exit(2);
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (setjmp(rejected) == 0) {
		int prog = elfcheck_open(path, &sysroot);
		close(prog);
	}
	close(fd);
	return 0;
}
