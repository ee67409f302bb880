/*
 * rt.h - the little C runtime the core may use.  In monitor.elf these come
 * from monitor/lib (freestanding); in the hosted build from libc, except the
 * formatter, which is ours in both so output is identical on every platform.
 */
#ifndef RVKVM_RT_H
#define RVKVM_RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/*
 * printf-style formatting: %d %i %u %x %X %o %s %c %p %%, flags '-', '0',
 * '#', width, precision for %s, and the h/l/ll/z/j length modifiers.
 * Returns the length the full output would have had.
 */
int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int rt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * A function on the path from a translated ecall to the host system call
 * and back: GCC puts these in .text.hot, next to one another.  A host
 * system call leaves that path cold (page-table isolation empties the
 * TLB on these hosts, and the kernel's own path evicts caches and branch
 * state), so each page it spans costs every call again: packed onto two
 * pages instead of seven, the system-call programs take 3-6% less CPU.
 */
#define RT_SYSCALL_PATH __attribute__((hot))

#define RT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define RT_ALIGN_UP(x, a) (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define RT_ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))

#endif
