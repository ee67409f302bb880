/*
 * lx.h - what the files of the guest Linux personality share.  Nothing
 * outside monitor/linux/ includes it.
 */
#ifndef RVKVM_LX_H
#define RVKVM_LX_H

#include <stddef.h>
#include <stdint.h>

#include "dbt.h"
#include "linux.h"
#include "lx_abi.h"
#include "platform.h"
#include "rt.h"

#define LX_PAGE GUEST_PAGE_SIZE
#define LX_PAGE_UP(x) RT_ALIGN_UP((uint64_t)(x), LX_PAGE)
#define LX_PAGE_DOWN(x) RT_ALIGN_DOWN((uint64_t)(x), LX_PAGE)

/*
 * Address-space layout, after riscv64 Linux with Sv39 (TASK_SIZE = 2^38) and
 * no randomization, so runs are reproducible and comparable.
 *   - the stack ends one page below TASK_SIZE;
 *   - mmap allocates top-down from mmap_base = stack top - max(stack rlimit
 *     + guard gap, 128 MiB) (mm/util.c mmap_base());
 *   - static-PIE programs load at ELF_ET_DYN_BASE = 2/3 TASK_SIZE
 *     (arch/riscv/include/asm/elf.h);
 *   - nothing is mapped below vm.mmap_min_addr.
 */
#define LX_STACK_TOP (GUEST_VA_LIMIT - LX_PAGE)
#define LX_STACK_GUARD_GAP (256 * LX_PAGE)
#define LX_MMAP_MIN_GAP (128ull << 20)
#define LX_ET_DYN_BASE LX_PAGE_DOWN(GUEST_VA_LIMIT / 3 * 2)
#define LX_MMAP_MIN_ADDR 0x1000ull
#define LX_DEFAULT_STACK_SIZE (8ull << 20)
/* Largest stack mapped up front; a bigger rlimit is honoured as a limit only. */
#define LX_MAX_STACK_MAP (1ull << 30)
/* vm.max_map_count default */
#define LX_MAX_VMAS 65530u

/* ---- vma.c: the guest's mappings ---- */
#define LX_VMA_HEAP 1	  /* the brk area */
#define LX_VMA_STACK 2	  /* the initial stack */
#define LX_VMA_SHARED 4	  /* MAP_SHARED of a file: fd and offset are valid */
#define LX_VMA_MAYWRITE 8 /* ... and the file is open for writing */
#define LX_VMA_DIRTY 16	  /* ... and has been writable: write back when it goes */

struct lx_vma {
	uint64_t start, end; /* page-aligned, end exclusive */
	int prot;	     /* LX_PROT_* == PLAT_PROT_* */
	int flags;	     /* LX_VMA_* */
	int fd;		     /* LX_VMA_SHARED: the mapping's own host descriptor */
	uint64_t offset;     /* LX_VMA_SHARED: file offset of start */
	struct lx_filemap *file; /* a private file area filled on first touch, or NULL */
};

struct lx_mm {
	struct lx_vma *vma; /* sorted by start, never overlapping */
	unsigned count, capacity;
	unsigned last_found[2]; /* indices of lx_vma_find()'s last two hits, latest first */
	uint64_t committed;  /* bytes of accessible (not PROT_NONE) mappings */
	uint64_t limit;	     /* start->ram_limit, or ~0: the most committed may reach */
	uint64_t start_brk, brk;
	uint64_t mmap_base;
	uint64_t stack_low; /* lowest address of the stack mapping */
	/* Where the initial stack holds the argument and environment strings
	 * (what /proc/self/cmdline and environ read, as Linux's mm does), and
	 * the auxiliary vector as it was given (/proc/self/auxv). */
	uint64_t arg_start, arg_end, env_start, env_end;
	uint64_t saved_auxv[2 * 18];
	unsigned saved_auxv_words;
	uint64_t prot_changes;
	uint64_t file_pages_filled, file_reads; /* private file areas (filemap.c) */
};

/* Owned by the single guest thread; every lx_vma_* call works on it. */
extern struct lx_mm lx_mm;

void lx_vma_init(uint64_t limit);
const struct lx_vma *lx_vma_find(uint64_t addr);
int lx_vma_intersects(uint64_t start, uint64_t end);
int lx_vma_covered(uint64_t start, uint64_t end);
int lx_vma_access_ok(uint64_t gva, uint64_t len, int prot);
int lx_vma_map(uint64_t start, uint64_t end, int prot, int flags);
int lx_vma_map_shared(uint64_t start, uint64_t end, int prot, int fd, uint64_t offset,
		      int maywrite);
int lx_vma_map_file(uint64_t start, uint64_t end, int prot, struct lx_filemap *file);
int lx_vma_sync(uint64_t start, uint64_t end);
int lx_vma_unmap(uint64_t start, uint64_t end);
int lx_vma_protect(uint64_t start, uint64_t end, int prot);
uint64_t lx_vma_find_free(uint64_t len, uint64_t hint);

/*
 * ---- filemap.c: MAP_PRIVATE file areas, filled a window at a time on first
 * touch (dbt_guest_page_fill() is the translator's hook) ----
 */
/*
 * ---- procfs.c: the guest's own /proc/self/maps, cmdline, environ, auxv ----
 * lx_procfs_open: a descriptor for path if it names that file, an error,
 * or LX_PROCFS_NOT_OURS for every other path.  lx_procfs_image: elf.c
 * loaded [lo, hi) from host descriptor fd at offset, for the file's name.
 */
#define LX_PROCFS_NOT_OURS (-0x10000L)
long lx_procfs_open(const char *path, int flags);
void lx_procfs_image(int fd, uint64_t lo, uint64_t hi, uint64_t offset);
/* [start, end) no longer holds what was loaded there (munmap, mmap over it). */
void lx_procfs_forget(uint64_t start, uint64_t end);

struct lx_filemap;
/* Owns host descriptor fd; [base, base+len) reads the file from offset. */
struct lx_filemap *lx_filemap_new(int fd, uint64_t base, uint64_t offset, uint64_t len);
void lx_filemap_get(struct lx_filemap *m);
void lx_filemap_put(struct lx_filemap *m);
int lx_filemap_fd(const struct lx_filemap *m);
uint64_t lx_filemap_offset(const struct lx_filemap *m, uint64_t gva);
int lx_filemap_is_filled(const struct lx_filemap *m, uint64_t gva);
/* The platform protection of area v's filled pages becomes prot. */
int lx_filemap_protect(const struct lx_vma *v, int prot);
/* [lo, hi) of area v holds its data already (a copy): mark it filled. */
void lx_filemap_mark(const struct lx_vma *v, uint64_t lo, uint64_t hi);
/* [lo, hi) of area v is to be read from the file again on its next touch. */
int lx_filemap_drop(const struct lx_vma *v, uint64_t lo, uint64_t hi);
/* Fill every page of [gva, gva+len) (mapped) before the monitor or host uses it: 0 or -EFAULT. */
int lx_filemap_prepare(uint64_t gva, uint64_t len);
/* run.c: a fault at addr that a fill could not serve becomes SIGBUS here (1); 0: not one. */
int lx_filemap_fault(struct dbt_cpu *cpu, uint64_t addr);

/* ---- uaccess.c: every guest pointer goes through these ---- */
int lx_copy_in(void *dst, uint64_t gva, size_t len);
int lx_copy_out(uint64_t gva, const void *src, size_t len);
long lx_copy_path(char *dst, uint64_t gva);
int lx_user_buf(uint64_t gva, uint64_t len, int writable, struct plat_iov *iov);

/* ---- elf.c and stack.c: the program image ---- */
struct lx_image {
	uint64_t entry;	   /* AT_ENTRY: the program's entry */
	uint64_t start_pc; /* where the guest starts: the interpreter's entry if any */
	uint64_t phdr;	   /* AT_PHDR */
	uint64_t phnum;
	uint64_t bias; /* load bias (0 for ET_EXEC) */
	uint64_t base; /* AT_BASE: the interpreter's load bias, 0 without one */
	uint64_t brk;  /* page-aligned end of the highest segment */
	int exec_stack;
};
/* 0, or the exit status of a failed load after its one-line message. */
int lx_elf_load(const struct linux_start *start, struct lx_image *img);
int lx_stack_build(const struct linux_start *start, const struct lx_image *img, uint64_t *sp);

/* sys_fs.c: open a path as the guest names it (sysroot, /proc/self/exe). */
long lx_open_guest_path(int dirfd, const char *path, int flags);

/* ---- the process ---- */
struct lx_proc {
	const struct linux_start *start;
	struct dbt_cpu *cpu;
	struct lx_rlimit rlim[LX_RLIM_NLIMITS];
	struct lx_sigaction sigaction[LX_NSIG];
	uint64_t sigmask;
	struct lx_stack altstack;
	uint64_t boot_ns; /* monotonic clock at start, for uptime and CPU time */
	uint64_t syscalls;
	int regs_restored;	   /* rt_sigreturn replaced every register: leave a0 and pc */
	uint64_t pending;	   /* signals raised and not yet acted on */
	int pending_code[LX_NSIG]; /* their si_code */
	uint64_t image_bias;	   /* the program's load bias, for crash.c's symbols */
};
/* Owned by the single guest thread. */
extern struct lx_proc lx_proc;

_Noreturn void lx_exit(int status);
_Noreturn void lx_exit_signal(int sig);
void lx_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* profile.c: the sample table (samples before it are dropped); the report at exit. */
void lx_profile_init(void);
void lx_profile_report(void);

/*
 * trace.c: -d records for the launcher (HC_TRACE).  lx_trace_start after
 * the program is loaded (reads symbols, reports the map, sets NOCHAIN for
 * exec); then each translated block, block run, signal acted on, and change
 * of the map (why: RVKVM_TMAP_*).  Each returns at once when its category
 * is off.
 */
void lx_trace_start(const struct lx_image *img);
void lx_trace_block(uint64_t guest_pc, uint64_t guest_end, const void *host, uint32_t host_size);
void lx_trace_exec(const struct dbt_cpu *cpu);
void lx_trace_signal(int sig, const struct lx_siginfo *info);
void lx_trace_map_changed(uint32_t why, uint64_t start, uint64_t end);

/*
 * gdbstub*.c: -g, the GDB remote stub (docs/debugging.md).  run.c calls
 * lx_gdb_start before the first instruction (waits for the debugger's
 * orders), lx_gdb_step after each instruction (DBT_EXIT_STEP, or a system
 * call done), lx_gdb_fault with every dbt_run() exit before a fault becomes
 * a signal (0: the debugger dropped the signal, go on running), and
 * lx_gdb_exit at the end (sig != 0: killed by it).  After a detach they
 * return at once.
 */
void lx_gdb_start(struct dbt_cpu *cpu);
void lx_gdb_step(struct dbt_cpu *cpu);
int lx_gdb_fault(struct dbt_cpu *cpu, int why);
void lx_gdb_exit(int status, int sig);

/* crash.c: --verbose's summary of a fatal fault at pc (symbols, registers). */
void lx_crash_summary(const struct dbt_cpu *cpu, uint64_t pc);

/* symbols.c: the program file's function symbols (STT_FUNC, defined, sized). */
struct lx_symtab {
	int fd;
	uint64_t sym_offset, count; /* the symbol table in the file */
	uint64_t str_offset, str_size; /* its string table */
};
/* value and size are file addresses (add lx_proc.image_bias); nonzero stops. */
typedef int lx_symtab_fn(void *ctx, uint64_t value, uint64_t size, uint32_t name);
int lx_symtab_open(int fd, struct lx_symtab *t);    /* 0, or -1: no usable table */
int lx_symtab_each(const struct lx_symtab *t, lx_symtab_fn *fn, void *ctx); /* fn's, or -1 */
int lx_symtab_name(const struct lx_symtab *t, uint32_t name, char *buf, size_t len);
char *lx_symtab_names(const struct lx_symtab *t, uint64_t max); /* the string table, or NULL */
int lx_read_at(int fd, void *dst, uint64_t len, uint64_t off);	/* 0 or -errno (-EIO: short) */
/* routines.c: the C library routines run as host code, by name. */
struct lx_routine_name {
	const char *name;
	dbt_routine_fn *fn;
};
extern const struct lx_routine_name lx_routine_names[];
extern const unsigned lx_routine_count;
/* routine_entries.c: [start, end) was unmapped or mapped over. */
void lx_routines_forget(uint64_t start, uint64_t end);

/* funcindex.c: the same functions in memory, sorted, for lookups by pc. */
struct lx_func {
	uint64_t start, end; /* guest addresses (load bias added) */
	uint32_t name;	     /* offset in names */
};
struct lx_funcs {
	struct lx_func *f;
	unsigned count, capacity;
	char *names;
	uint64_t names_size;
};
const struct lx_funcs *lx_funcs_get(void); /* loaded on first call; NULL: no symbols */
const struct lx_func *lx_funcs_find(const struct lx_funcs *t, uint64_t pc); /* NULL: none */
const char *lx_funcs_name(const struct lx_funcs *t, const struct lx_func *f);

/* profile_stack.c: --profile=FILE's call stacks (folded format at exit). */
void lx_profile_stack_init(void);
void lx_profile_stack_sample(uint64_t leaf_pc, const struct dbt_cpu *cpu);
void lx_profile_stack_report(void);

/* perfmap.c: --perf-map, one line per translated block; written out at exit. */
void lx_perfmap_block(uint64_t guest_pc, const void *host, uint32_t host_size);
void lx_perfmap_flush(void);

/* Write all of buf to host fd (HC_WRITE); 0 or -errno. */
int lx_host_write_all(int fd, const char *buf, size_t len);

/* ---- syscall.c ---- */
void lx_syscall(struct dbt_cpu *cpu);
const char *lx_signal_name(int sig);

/* ---- handlers: long sys_x(const uint64_t a[6]) ---- */
typedef long lx_handler(const uint64_t a[6]);

/* sys_mm.c */
lx_handler lx_sys_brk, lx_sys_mmap, lx_sys_munmap, lx_sys_mprotect, lx_sys_mremap, lx_sys_madvise,
    lx_sys_msync;
/* sys_fs.c */
lx_handler lx_sys_read, lx_sys_write, lx_sys_readv, lx_sys_writev, lx_sys_pread64, lx_sys_pwrite64,
    lx_sys_preadv, lx_sys_pwritev, lx_sys_openat, lx_sys_close, lx_sys_lseek, lx_sys_fstat,
    lx_sys_newfstatat, lx_sys_statx, lx_sys_getdents64, lx_sys_readlinkat, lx_sys_faccessat,
    lx_sys_faccessat2, lx_sys_unlinkat, lx_sys_mkdirat, lx_sys_renameat2, lx_sys_ftruncate,
    lx_sys_fsync, lx_sys_ioctl, lx_sys_fcntl, lx_sys_dup, lx_sys_dup3, lx_sys_pipe2, lx_sys_getcwd,
    lx_sys_chdir, lx_sys_utimensat;
/* sys_proc.c */
lx_handler lx_sys_exit, lx_sys_getpid, lx_sys_getppid, lx_sys_getuid, lx_sys_geteuid, lx_sys_getgid,
    lx_sys_getegid, lx_sys_set_tid_address, lx_sys_zero, lx_sys_prlimit64, lx_sys_getrlimit,
    lx_sys_setrlimit, lx_sys_uname, lx_sys_getrandom, lx_sys_sched_getaffinity, lx_sys_getcpu,
    lx_sys_sysinfo, lx_sys_prctl, lx_sys_futex, lx_sys_getrusage;
/* sys_time.c */
lx_handler lx_sys_clock_gettime, lx_sys_clock_getres, lx_sys_gettimeofday, lx_sys_times,
    lx_sys_nanosleep, lx_sys_clock_nanosleep;
/* sys_signal.c: signal state */
lx_handler lx_sys_rt_sigaction, lx_sys_rt_sigprocmask, lx_sys_sigaltstack, lx_sys_kill,
    lx_sys_tkill, lx_sys_tgkill;
void lx_signal_init(void);
/* signal.c: delivery */
lx_handler lx_sys_rt_sigreturn;
int lx_signal_map_trampoline(void);
void lx_signal_fault(struct dbt_cpu *cpu, int sig, int code, uint64_t addr);
int lx_signal_on_altstack(uint64_t sp);
int32_t lx_signal_altstack_flags(uint64_t sp);
void lx_signal_raise(int sig, int code);
int lx_signal_pending(void);
/* The system call that just returned -EINTR was interrupted by a host
 * signal: lx_signal_dispatch restarts it or leaves -EINTR (SA_RESTART). */
void lx_signal_interrupted(uint64_t a0);
/* A host signal or end waits to be taken (a sleep stops for it). */
int lx_signal_host_waiting(void);
void lx_signal_dispatch(struct dbt_cpu *cpu);
void lx_limits_init(uint64_t stack_size);
int lx_sleep_until(const struct lx_timespec *ts, int absolute, int clock);

#endif
