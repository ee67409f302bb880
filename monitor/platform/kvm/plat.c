/*
 * plat.c - platform.h for monitor.elf: guest memory, heap and clock are in
 * their own files; I/O, exit and logging go to the boot's backend.
 */
#include "platform.h"
#include "rt.h"
#include "x86.h"

/* Guest virtual addresses are monitor virtual addresses (DESIGN.md 4). */
uintptr_t plat_guest_base = 0;

/* Chosen at boot (x86_vector_fp_choose); 0 until then. */
int plat_has_sse;

const struct x86_io_ops *x86_io;

long plat_hostcall(uint32_t op, const int64_t arg[6], const struct plat_iov *buf, unsigned nbuf)
{
	return x86_io->hostcall(op, arg, buf, nbuf);
}

void plat_log(const char *text, size_t len)
{
	x86_io->log(text, len);
}

_Noreturn void plat_exit(int status)
{
	x86_io->exit(status);
}

_Noreturn void plat_panic(const char *why)
{
	x86_crash(NULL, why);
}

void x86_logf(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	int n = rt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	plat_log(line, n < (int)sizeof(line) ? (size_t)n : sizeof(line) - 1);
}
