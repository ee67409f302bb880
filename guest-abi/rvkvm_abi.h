/*
 * rvkvm_abi.h - the one contract between the launcher (host) and the monitor
 * (guest kernel).  Nothing else is shared between the two sides.
 *
 * Read top to bottom:
 *   1. guest-physical layout the launcher sets up before the first instruction
 *   2. the 64-bit entry state
 *   3. the boot-info block
 *   4. the I/O ring: requests, scatter lists, completions, doorbell
 *   5. host calls: the request codes and what their arguments mean
 *   6. the exit and crash reports
 *
 * All fields are fixed-width and little-endian; every layout is pinned by a
 * _Static_assert so a change on one side cannot silently drift from the other.
 */
#ifndef RVKVM_ABI_H
#define RVKVM_ABI_H

#include <stdint.h>

#define RVKVM_ABI_VERSION 1u
/* The release both sides print (banner, --version, --verbose). */
#define RVKVM_VERSION "0.1.0"

/* ---------------------------------------------------------------------
 * 1. Guest-physical layout (KVM boot).  RAM is one slot at gpa 0.
 * ------------------------------------------------------------------- */
#define RVKVM_GPA_BOOTINFO    0x00007000ull /* struct rvkvm_bootinfo, one page */
#define RVKVM_GPA_ARGS        0x00008000ull /* argv/envp strings, see bootinfo */
#define RVKVM_ARGS_SIZE       0x00008000ull
#define RVKVM_GPA_RING        0x00010000ull /* struct rvkvm_ring */
#define RVKVM_RING_SIZE       0x00040000ull
#define RVKVM_GPA_BOOT_PT     0x00050000ull /* launcher-built boot page tables */
#define RVKVM_BOOT_PT_SIZE    0x00010000ull
#define RVKVM_GPA_IMAGE       0x00100000ull /* monitor image load address (multiboot too) */

/*
 * The monitor image is linked at RVKVM_IMAGE_VIRT_BASE + its physical load
 * address.  This sits below the Sv39 high half (0xffffffc000000000..) that a
 * RISC-V Linux kernel will occupy in stage 2.
 */
#define RVKVM_IMAGE_VIRT_BASE 0xffffff0000000000ull
#define RVKVM_DIRECT_MAP_BASE 0xffff800000000000ull

/* ---------------------------------------------------------------------
 * 2. Entry.  Both loaders end up at the 64-bit entry named in the image
 *    header with: long mode, CR0.PG|PE|WP, CR4.PAE, EFER.LME|LMA|NXE,
 *    the first RVKVM_BOOT_MAP_SIZE of physical memory mapped both at 0 and at
 *    RVKVM_IMAGE_VIRT_BASE (2 MiB pages), interrupts off, and
 *      rdi = RVKVM_BOOT_MAGIC_KVM       rsi = gpa of struct rvkvm_bootinfo
 *    or
 *      rdi = multiboot magic 0x2badb002 rsi = physical address of the mbi.
 *    The monitor sets its own stack, GDT, IDT and page tables at once.
 * ------------------------------------------------------------------- */
#define RVKVM_BOOT_MAGIC_KVM  0x6b766b7652564b4dull /* "MKVRvkvk" */
#define RVKVM_BOOT_MAP_SIZE   0x40000000ull        /* 1 GiB */

/*
 * Image header: immediately follows the multiboot header in the first 8 KiB
 * of the loaded image, so the launcher can load the image with the same
 * a.out-kludge fields a multiboot loader uses and find the 64-bit entry.
 */
#define RVKVM_IMAGE_MAGIC 0x4547414d494b5652ull /* "RVKIMAGE" */
struct rvkvm_image_header {
	uint64_t magic;
	uint32_t abi_version;
	uint32_t reserved;
	uint64_t entry64;     /* virtual address of the 64-bit entry */
};
_Static_assert(sizeof(struct rvkvm_image_header) == 24, "image header layout");

/* ---------------------------------------------------------------------
 * 3. Boot info, written by the launcher at RVKVM_GPA_BOOTINFO.
 * ------------------------------------------------------------------- */
#define RVKVM_BOOTINFO_MAGIC 0x4f464e49544f4f42ull /* "BOOTINFO" */

enum rvkvm_payload {
	RVKVM_PAYLOAD_LINUX = 0,    /* run the riscv64 program in guest_fd */
	RVKVM_PAYLOAD_SELFTEST = 1, /* built-in self-check of the monitor */
	RVKVM_PAYLOAD_CALIBRATE = 2,/* host-check measurements, then exit */
	RVKVM_PAYLOAD_CRASH = 3,    /* deliberate fault (tests): see crash_kind */
	RVKVM_PAYLOAD_RING_GARBAGE = 4, /* forged ring requests (tests) */
};

enum rvkvm_crash_kind {
	RVKVM_CRASH_PAGE_FAULT = 0,  /* write to an unmapped monitor address */
	RVKVM_CRASH_TRIPLE_FAULT = 1,/* unload the IDT, then fault */
};

#define RVKVM_BOOT_STRACE   (1u << 0)
#define RVKVM_BOOT_VERBOSE  (1u << 1)
#define RVKVM_BOOT_STATS    (1u << 2)
#define RVKVM_BOOT_GUEST_STRINGS (1u << 3) /* --no-host-strings */
#define RVKVM_BOOT_SOFT_FP  (1u << 4) /* --soft-fp: no SSE in translated code */

/* -d categories, with qemu's names where they mean the same thing. */
#define RVKVM_TRACE_IN_ASM  (1u << 0) /* guest code of each block translated */
#define RVKVM_TRACE_OUT_ASM (1u << 1) /* host code made for it */
#define RVKVM_TRACE_EXEC    (1u << 2) /* each block as it is entered from the dispatcher */
#define RVKVM_TRACE_INT     (1u << 3) /* signals and exceptions delivered to the guest */
#define RVKVM_TRACE_PAGE    (1u << 4) /* guest memory map changes and page faults */

#define RVKVM_PROFILE_FOLDED (1u << 0) /* also collect call stacks (folded format) */

struct rvkvm_bootinfo {
	uint64_t magic;
	uint32_t abi_version;
	uint32_t payload;          /* enum rvkvm_payload */
	uint64_t ram_size;         /* bytes of RAM at gpa 0 */
	uint64_t ring_gpa;
	uint64_t ring_size;
	uint64_t image_end_gpa;    /* first free byte after the image + bss */
	uint64_t tsc_khz;          /* host's TSC rate, 0 if unknown */
	uint64_t host_time_ns;     /* CLOCK_REALTIME at boot, for time() */
	uint64_t host_mono_ns;     /* CLOCK_MONOTONIC at boot */
	uint32_t flags;            /* RVKVM_BOOT_* */
	uint32_t crash_kind;       /* enum rvkvm_crash_kind */
	int32_t  guest_fd;         /* launcher fd of the riscv64 ELF, read with HC_PREAD */
	uint32_t argc;             /* argv[0..argc), envc strings, then AT_EXECFN; NUL-separated */
	uint32_t envc;
	uint32_t args_len;         /* bytes used at args_gpa */
	uint64_t args_gpa;
	uint64_t stack_size;       /* guest stack rlimit, bytes */
	uint64_t random[2];        /* seed for AT_RANDOM and getrandom */
	uint32_t pid;              /* pid/tid the guest sees (the launcher's) */
	uint32_t ppid;
	uint32_t uid, gid, euid, egid;
	uint32_t sysroot_len;      /* -L: bytes of the sysroot path, NUL included, ending
	                              the args block after AT_EXECFN; 0 = no sysroot */
	uint32_t garbage_requests; /* RING_GARBAGE: random forged requests; 0 = 48 */
	uint32_t trace_mask;       /* -d: RVKVM_TRACE_* records sent with HC_TRACE */
	uint32_t gdb;              /* -g: 1 = stop before the first instruction and
	                              serve the GDB remote protocol over HC_GDB_* */
	uint32_t profile_hz;       /* --profile: samples per second, 0 = off */
	uint32_t profile_flags;    /* RVKVM_PROFILE_* */
	uint64_t ignored_signals;  /* bit n-1: signal n was SIG_IGN when rvkvm started
	                              (inherited across execve, as Linux keeps it) */
	int32_t  perf_map_fd;      /* --perf-map: launcher fd the map is written to; 0 = none */
	int32_t  profile_fd;       /* --profile=FILE: launcher fd for folded stacks; 0 = none */
	uint64_t reserved[3];
};
_Static_assert(sizeof(struct rvkvm_bootinfo) == 216, "bootinfo layout");

/* ---------------------------------------------------------------------
 * 4. The ring.  One submission queue and one completion queue of
 *    RVKVM_RING_ENTRIES slots each, plus per-slot scatter lists.  The monitor
 *    owns sq_tail and cq_head; the launcher owns sq_head and cq_tail.
 *    Indices run freely and wrap modulo 2^32; slot = index % ENTRIES.
 *    Submission: fill sq[slot], then store sq_tail (release), then ring the
 *    doorbell with `out RVKVM_PORT_DOORBELL`.  The launcher serves every
 *    request between sq_head and sq_tail, in order, before resuming the vCPU.
 *
 *    The I/O thread (launcher --io-thread=on): while io_poller_awake is 1 a
 *    launcher thread polls sq_tail and serves what appears there, so the
 *    doorbell, one VM exit, is only the fallback.  The monitor stores
 *    sq_tail, makes a full fence (mfence), then reads io_poller_awake and
 *    rings the doorbell only if it is 0.  The poller stores 0 there, makes
 *    a full fence, and reads sq_tail once more before it sleeps: of the two
 *    stores, one is seen by the other side's load, so no request is left
 *    unserved with nobody awake (Dekker).  The monitor then polls cq_tail;
 *    when no completion came within its spin budget it rings the doorbell,
 *    which still means "serve everything up to sq_tail before resuming me"
 *    (the vCPU thread waits for the I/O thread's request in progress).
 *    HC_EXIT always goes through the doorbell.  One server at a time, in
 *    order: requests are never reordered.  A completion of -EINTR means a
 *    host signal interrupted the call: host_signals and host_stop already
 *    hold it, and the monitor takes them at once (the NMI may come later).
 * ------------------------------------------------------------------- */
#define RVKVM_RING_ENTRIES    64u
#define RVKVM_SEGS_PER_REQ    64u   /* larger transfers are split (short I/O) */
#define RVKVM_MAX_BUFS        2u

/* A guest-physical piece of a buffer.  Must lie inside RAM. */
struct rvkvm_seg {
	uint64_t gpa;
	uint64_t len;
};

struct rvkvm_buf {
	uint32_t first_seg;  /* index into the slot's segs[] */
	uint32_t nseg;
};

struct rvkvm_req {
	uint64_t cookie;     /* echoed in the completion */
	uint32_t op;         /* enum rvkvm_hostcall */
	uint32_t nbuf;       /* buffers in use, <= RVKVM_MAX_BUFS */
	int64_t  arg[6];     /* meaning per op, section 5 */
	struct rvkvm_buf buf[RVKVM_MAX_BUFS];
};
_Static_assert(sizeof(struct rvkvm_req) == 80, "req layout");

struct rvkvm_cpl {
	uint64_t cookie;
	int64_t  result;     /* >= 0 success, or -errno (Linux numbering) */
};
_Static_assert(sizeof(struct rvkvm_cpl) == 16, "cpl layout");

struct rvkvm_ring {
	uint32_t sq_head;    /* launcher: next request to serve */
	uint32_t sq_tail;    /* monitor: next free request slot */
	uint32_t cq_head;    /* monitor: next completion to consume */
	uint32_t cq_tail;    /* launcher: next free completion slot */
	uint32_t entries;    /* RVKVM_RING_ENTRIES, checked by both sides */
	/*
	 * Host signals for the guest.  The launcher ORs bit n-1 into
	 * host_signals for each signal n it receives (x86-64 and riscv64
	 * number them alike), stores a status in host_stop to end the run
	 * (124 for --timeout; 0 = none), then injects an NMI.  The monitor's
	 * NMI handler takes both with atomic exchanges and acts on them at
	 * the next block boundary; a bit left set 2 s later tells the
	 * launcher the monitor is stuck.
	 */
	uint32_t host_stop;
	uint64_t host_signals;
	uint32_t io_poller_awake; /* launcher: 1 while its I/O thread polls sq_tail */
	uint32_t reserved[7];
	struct rvkvm_req sq[RVKVM_RING_ENTRIES];
	struct rvkvm_cpl cq[RVKVM_RING_ENTRIES];
	struct rvkvm_seg segs[RVKVM_RING_ENTRIES][RVKVM_SEGS_PER_REQ];
};
_Static_assert(sizeof(struct rvkvm_ring) <= RVKVM_RING_SIZE, "ring fits its area");
_Static_assert(__builtin_offsetof(struct rvkvm_ring, host_signals) == 24, "ring header layout");
_Static_assert(__builtin_offsetof(struct rvkvm_ring, sq) == 64, "ring header layout");

/* I/O ports.  Every `out` is one VM exit (5 us hardware, 7.5 us emulated). */
#define RVKVM_PORT_DOORBELL   0x0510  /* out32: serve the submission queue */
#define RVKVM_PORT_EXIT       0x0511  /* out32 value: exit status (see 6) */
#define RVKVM_PORT_CRASH      0x0512  /* out32 gpa of struct rvkvm_crash */
#define RVKVM_PORT_CONSOLE    0x0513  /* out8: early console byte to stderr */
#define RVKVM_PORT_MARK       0x0514  /* out32: timestamp mark for --host-check */

/* ---------------------------------------------------------------------
 * 5. Host calls.  Each runs one host system call on the launcher's own file
 *    descriptors, with x86-64 Linux semantics, except that structures are
 *    returned in the layouts named here.  Pointer arguments are buffers:
 *    "bufN in" is read by the launcher, "bufN out" written.  Path buffers
 *    hold a NUL-terminated string.  Result: as the syscall, or -errno.
 * ------------------------------------------------------------------- */
enum rvkvm_hostcall {
	HC_INVALID = 0,
	HC_READ,        /* fd; buf0 out: data (readv)                       */
	HC_WRITE,       /* fd; buf0 in: data (writev)                       */
	HC_PREAD,       /* fd, arg1 offset; buf0 out                         */
	HC_PWRITE,      /* fd, arg1 offset; buf0 in                          */
	HC_OPENAT,      /* dirfd, -, flags, mode; buf0 in: path              */
	HC_CLOSE,       /* fd                                                */
	HC_LSEEK,       /* fd, offset, whence                                */
	HC_FSTAT,       /* fd; buf0 out: struct rvkvm_stat                    */
	HC_NEWFSTATAT,  /* dirfd, -, -, flags; buf0 in: path, buf1 out: stat  */
	HC_STATX,       /* dirfd, -, flags, mask; buf0 in path, buf1 out statx */
	HC_GETDENTS64,  /* fd; buf0 out: linux_dirent64 records              */
	HC_READLINKAT,  /* dirfd; buf0 in: path, buf1 out: target            */
	HC_FACCESSAT,   /* dirfd, -, mode, flags; buf0 in: path              */
	HC_UNLINKAT,    /* dirfd, -, flags; buf0 in: path                    */
	HC_MKDIRAT,     /* dirfd, -, mode; buf0 in: path                     */
	HC_RENAMEAT2,   /* olddirfd, newdirfd, flags; buf0 in old, buf1 in new */
	HC_FTRUNCATE,   /* fd, length                                        */
	HC_FSYNC,       /* fd                                                */
	HC_IOCTL,       /* fd, request (TCGETS or TIOCGWINSZ only); buf0 out */
	HC_FCNTL,       /* fd, cmd, int arg (no pointer commands)            */
	HC_DUP,         /* fd                                                */
	HC_DUP3,        /* oldfd, newfd, flags                               */
	HC_PIPE2,       /* -, flags; buf0 out: int[2]                        */
	HC_GETCWD,      /* buf0 out: path                                    */
	HC_CHDIR,       /* buf0 in: path                                     */
	HC_UTIMENSAT,   /* dirfd, -, -, flags, arg4 = 1 if buf1 given;
	                   buf0 in: path (may be empty), buf1 in: timespec[2] */
	HC_EXIT,        /* status: flush and exit the launcher               */
	HC_LOG,         /* buf0 in: text for the launcher's stderr (--verbose,
	                   --strace, fatal-signal messages)                  */
	HC_NOP,         /* no effect: ring round-trip measurement            */
	HC_TRACE,       /* -d: buf0 in: one trace record (docs/usage.md)     */
	HC_GDB_RECV,    /* -g: buf0 out: bytes from the debugger; waits for
	                   at least one; 0 = debugger gone.  arg0 = 1: do not
	                   wait, -EAGAIN when nothing is there (the running
	                   guest's poll for the interrupt byte 0x03)          */
	HC_GDB_SEND,    /* -g: buf0 in: bytes to the debugger                */
	HC_STATS,       /* --stats, at exit: arg0 = the guest's system calls,
	                   for the launcher's exits per system call           */
	HC_COUNT
};

/* Which buffers of a request the launcher writes ("bufN out" above): bit N. */
static inline unsigned rvkvm_hostcall_out_buffers(uint32_t op)
{
	switch (op) {
	case HC_READ:
	case HC_PREAD:
	case HC_FSTAT:
	case HC_GETDENTS64:
	case HC_IOCTL:
	case HC_PIPE2:
	case HC_GETCWD:
	case HC_GDB_RECV:
		return 1u << 0;
	case HC_NEWFSTATAT:
	case HC_STATX:
	case HC_READLINKAT:
		return 1u << 1;
	default:
		return 0;
	}
}

/*
 * HC_TRACE: buf0 is one record, a struct rvkvm_trace_record followed by, in
 * this order, name_len bytes of the guest function's name (no NUL), then
 * per kind: BLOCK guest_len bytes of guest code and host_len bytes of host
 * code; MAP count struct rvkvm_trace_map entries.  The buffer's length is
 * exactly the sum.  The launcher disassembles and formats (-d, -D); the
 * monitor holds no disassembler.
 */
enum rvkvm_trace_kind {
	RVKVM_TREC_BLOCK = 1, /* a block translated: pc, host, its guest and host code */
	RVKVM_TREC_EXEC = 2,  /* a block about to run: pc, host (0 when not known) */
	RVKVM_TREC_SIGNAL = 3,/* a signal acted on: pc, signal, code, addr, handler */
	RVKVM_TREC_MAP = 4,   /* the guest memory map after a change: why, start, end */
};

enum rvkvm_trace_map_why {
	RVKVM_TMAP_LOAD = 0,  /* the program is loaded; pc is its first instruction */
	RVKVM_TMAP_MMAP = 1,  /* [start, end) was mapped */
	RVKVM_TMAP_MUNMAP = 2,
	RVKVM_TMAP_MPROTECT = 3,
};

#define RVKVM_TRACE_NAME_MAX  255u    /* name_len at most */
#define RVKVM_TRACE_GUEST_MAX 4096u   /* guest_len at most */
#define RVKVM_TRACE_HOST_MAX  65536u  /* host_len at most */
#define RVKVM_TRACE_MAP_MAX   1024u   /* count at most; total may be larger */

/* SIGNAL handler values that are not addresses (Linux's SIG_DFL, SIG_IGN). */
#define RVKVM_TRACE_SIG_DFL 0u
#define RVKVM_TRACE_SIG_IGN 1u

struct rvkvm_trace_record {
	uint32_t kind;       /* enum rvkvm_trace_kind */
	uint32_t name_len;   /* function containing pc, from the program's symbols; 0 = none */
	uint64_t pc;         /* guest pc the record is about */
	uint64_t host;       /* BLOCK, EXEC: host address of the block's code */
	uint32_t guest_len;  /* BLOCK */
	uint32_t host_len;   /* BLOCK */
	uint32_t count;      /* MAP: entries in this record */
	uint32_t total;      /* MAP: entries in the map (> count: the rest left out) */
	uint32_t why;        /* MAP: enum rvkvm_trace_map_why */
	int32_t  signal;     /* SIGNAL: Linux signal number */
	int32_t  code;       /* SIGNAL: si_code */
	uint32_t blocked;    /* SIGNAL: 1 if the signal is in the guest's mask */
	uint64_t addr;       /* SIGNAL: si_addr; MAP: start of the changed range */
	uint64_t end;        /* MAP: end of the changed range */
	uint64_t handler;    /* SIGNAL: the guest's handler, or RVKVM_TRACE_SIG_* */
};
_Static_assert(sizeof(struct rvkvm_trace_record) == 80, "trace record layout");

struct rvkvm_trace_map {
	uint64_t start, end; /* page-aligned guest addresses, end exclusive */
	uint32_t prot;       /* 1 read, 2 write, 4 exec */
	uint32_t reserved;   /* 0 */
};
_Static_assert(sizeof(struct rvkvm_trace_map) == 24, "trace map entry layout");

/* The asm-generic `struct stat` that riscv64 Linux uses (128 bytes). */
struct rvkvm_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint32_t st_mode;
	uint32_t st_nlink;
	uint32_t st_uid;
	uint32_t st_gid;
	uint64_t st_rdev;
	uint64_t __pad1;
	int64_t  st_size;
	int32_t  st_blksize;
	int32_t  __pad2;
	int64_t  st_blocks;
	int64_t  st_atime_sec;
	uint64_t st_atime_nsec;
	int64_t  st_mtime_sec;
	uint64_t st_mtime_nsec;
	int64_t  st_ctime_sec;
	uint64_t st_ctime_nsec;
	uint32_t __unused4;
	uint32_t __unused5;
};
_Static_assert(sizeof(struct rvkvm_stat) == 128, "asm-generic stat layout");

/* ---------------------------------------------------------------------
 * 6. Exit and crash.  `out RVKVM_PORT_EXIT` with the status ends the run:
 *    0..255 is the guest's exit status (128+sig for a fatal signal, already
 *    reported through HC_LOG).  A monitor crash writes struct rvkvm_crash
 *    and does `out RVKVM_PORT_CRASH`; the launcher prints it and exits 70.
 * ------------------------------------------------------------------- */
#define RVKVM_CRASH_MAGIC 0x48534152434b5652ull /* "RVKCRASH" */

struct rvkvm_crash {
	uint64_t magic;
	uint64_t vector;     /* x86 exception vector */
	uint64_t error_code;
	uint64_t cr2;
	uint64_t rip, cs, rflags, rsp, ss;
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t guest_pc;   /* RISC-V pc when the fault hit translated code, else 0 */
	char     message[128];
};
_Static_assert(sizeof(struct rvkvm_crash) == 8 * 25 + 128, "crash layout");

#endif
