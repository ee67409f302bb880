/*
 * mb.h - the pieces of the multiboot backend (private to this folder).
 *
 * Under a multiboot loader (QEMU -kernel, GRUB) there is no launcher: the
 * console is COM1, the only files are the loader's modules, and the run ends
 * through QEMU's isa-debug-exit device or a halt.  docs/multiboot.md is the
 * user's view of all this.
 */
#ifndef RVKVM_MB_H
#define RVKVM_MB_H

#include <stddef.h>
#include <stdint.h>

#include "platform.h"

/* ---- COM1 (com1.c) ---- */
/*
 * Bytes to the console, "\n" sent as "\r\n" so a terminal on the line starts
 * each line at column 0.  The UART is set up on first use, so a crash before
 * the backend's early phase still reaches the console.
 */
void mb_com1_write(const char *text, size_t len);
/* Wait until every byte written has left the UART. */
void mb_com1_flush(void);

/* ---- the multiboot information, copied out at boot (mbi.c) ---- */
#define MB_MAX_MODULES 16

struct mb_module {
	uint64_t pa; /* first byte of the image */
	uint64_t size;
	const char *string; /* the module's command line: "name arg1 arg2" */
	const char *name;   /* its first word: name_len bytes, no NUL */
	size_t name_len;
};

extern const char *mb_cmdline; /* kernel command line, "" when none */
extern unsigned mb_module_count;
extern struct mb_module mb_modules[MB_MAX_MODULES];

/* ---- the read-only file system over the modules (modfs.c) ---- */
void mb_fs_init(void);
/* Open module `index` read-only as if by path: an fd, or -errno. */
long mb_fs_open_module(unsigned index);
/* The host calls modfs.c serves (console descriptors included). */
long mb_fs_hostcall(uint32_t op, const int64_t arg[6], const struct plat_iov *buf, unsigned nbuf);

/*
 * Guest buffers may be lazily populated: make [base, base+len) present for
 * `access` (DBT_ACCESS_*) before the monitor touches it.  Monitor memory
 * (the banner, log text, heap buffers) only has to be mapped.  0 or -EFAULT,
 * as the ring backend answers for the same buffer.
 */
int mb_buffer_ready(const struct plat_iov *iov, int access);

/* ---- the end (io.c) ---- */
_Noreturn void mb_exit(int status);

/* ---- wall clock at boot (rtc.c) ---- */
/* Seconds since the Unix epoch from the CMOS RTC, 0 when it reads as nonsense. */
uint64_t mb_rtc_unix_seconds(void);

#endif
