/*
 * lx_abi.h - the riscv64 Linux user ABI as the guest sees it: error numbers,
 * flag bits and structure layouts of the asm-generic interface
 * (include/uapi/asm-generic/ and arch/riscv/include/uapi/asm/ in Linux).  The
 * monitor builds freestanding, so it cannot take these from the host's libc.
 */
#ifndef RVKVM_LX_ABI_H
#define RVKVM_LX_ABI_H

#include <stdint.h>

/* asm-generic/errno-base.h and errno.h */
#define LX_EPERM 1
#define LX_ENOENT 2
#define LX_ESRCH 3
#define LX_EINTR 4
#define LX_EIO 5
#define LX_EBADF 9
#define LX_EAGAIN 11
#define LX_ENOMEM 12
#define LX_EACCES 13
#define LX_EFAULT 14
#define LX_EEXIST 17
#define LX_ENODEV 19
#define LX_EISDIR 21
#define LX_EINVAL 22
#define LX_ENOTTY 25
#define LX_ESPIPE 29
#define LX_EPIPE 32
#define LX_ERANGE 34
#define LX_ENAMETOOLONG 36
#define LX_ENOSYS 38
#define LX_EOPNOTSUPP 95
#define LX_ETIMEDOUT 110
#define LX_MAX_ERRNO 4095

/* Memory: asm-generic/mman-common.h, mman.h */
#define LX_PROT_READ 0x1
#define LX_PROT_WRITE 0x2
#define LX_PROT_EXEC 0x4
#define LX_PROT_GROWSDOWN 0x01000000
#define LX_PROT_GROWSUP 0x02000000

#define LX_MAP_SHARED 0x01
#define LX_MAP_PRIVATE 0x02
#define LX_MAP_SHARED_VALIDATE 0x03
#define LX_MAP_TYPE 0x0f
#define LX_MAP_FIXED 0x10
#define LX_MAP_ANONYMOUS 0x20
#define LX_MAP_GROWSDOWN 0x0100
#define LX_MAP_DENYWRITE 0x0800
#define LX_MAP_EXECUTABLE 0x1000
#define LX_MAP_LOCKED 0x2000
#define LX_MAP_NORESERVE 0x4000
#define LX_MAP_POPULATE 0x8000
#define LX_MAP_NONBLOCK 0x10000
#define LX_MAP_STACK 0x20000
#define LX_MAP_HUGETLB 0x40000
#define LX_MAP_SYNC 0x80000
#define LX_MAP_FIXED_NOREPLACE 0x100000
#define LX_MAP_UNINITIALIZED 0x4000000
/* Flags MAP_SHARED_VALIDATE accepts (mm/mmap.c: LEGACY_MAP_MASK plus MAP_SYNC). */
#define LX_MAP_LEGACY_MASK                                                                         \
	(LX_MAP_SHARED | LX_MAP_PRIVATE | LX_MAP_FIXED | LX_MAP_ANONYMOUS | LX_MAP_DENYWRITE |     \
	 LX_MAP_EXECUTABLE | LX_MAP_UNINITIALIZED | LX_MAP_GROWSDOWN | LX_MAP_LOCKED |             \
	 LX_MAP_NORESERVE | LX_MAP_POPULATE | LX_MAP_NONBLOCK | LX_MAP_STACK | LX_MAP_HUGETLB)

#define LX_MREMAP_MAYMOVE 1
#define LX_MREMAP_FIXED 2
#define LX_MREMAP_DONTUNMAP 4

#define LX_MS_ASYNC 1
#define LX_MS_INVALIDATE 2
#define LX_MS_SYNC 4

#define LX_MADV_NORMAL 0
#define LX_MADV_DONTNEED 4
#define LX_MADV_FREE 8
#define LX_MADV_HUGEPAGE 14
#define LX_MADV_NOHUGEPAGE 15
#define LX_MADV_DONTNEED_LOCKED 24
#define LX_MADV_COLLAPSE 25

/* Files: asm-generic/fcntl.h (x86-64 uses the same values). */
#define LX_O_ACCMODE 03
#define LX_O_RDONLY 00
#define LX_O_WRONLY 01
#define LX_O_RDWR 02
#define LX_O_CLOEXEC 02000000
#define LX_AT_FDCWD (-100)
#define LX_AT_EMPTY_PATH 0x1000
#define LX_F_DUPFD 0
#define LX_F_GETFD 1
#define LX_F_SETFD 2
#define LX_F_GETFL 3
#define LX_F_SETFL 4
#define LX_F_SETOWN 8
#define LX_F_GETOWN 9
#define LX_F_SETSIG 10
#define LX_F_GETSIG 11
#define LX_F_SETLEASE 1024
#define LX_F_GETLEASE 1025
#define LX_F_NOTIFY 1026
#define LX_F_DUPFD_CLOEXEC 1030
#define LX_F_SETPIPE_SZ 1031
#define LX_F_GETPIPE_SZ 1032
#define LX_F_ADD_SEALS 1033
#define LX_F_GET_SEALS 1034
#define LX_TCGETS 0x5401
#define LX_TIOCGWINSZ 0x5413
#define LX_TERMIOS_SIZE 36 /* asm-generic/termbits.h: 4 flags, c_line, c_cc[19] */
#define LX_WINSIZE_SIZE 8
#define LX_STATX_SIZE 256
#define LX_PATH_MAX 4096
#define LX_UIO_MAXIOV 1024
/* include/linux/fs.h MAX_RW_COUNT: INT_MAX rounded down to a page. */
#define LX_MAX_RW_COUNT 0x7ffff000ull

struct lx_iovec {
	uint64_t base;
	uint64_t len;
};

struct lx_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

struct lx_timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};

/* Clocks: uapi/linux/time.h */
#define LX_CLOCK_REALTIME 0
#define LX_CLOCK_MONOTONIC 1
#define LX_CLOCK_PROCESS_CPUTIME_ID 2
#define LX_CLOCK_THREAD_CPUTIME_ID 3
#define LX_CLOCK_MONOTONIC_RAW 4
#define LX_CLOCK_REALTIME_COARSE 5
#define LX_CLOCK_MONOTONIC_COARSE 6
#define LX_CLOCK_BOOTTIME 7
#define LX_CLOCK_REALTIME_ALARM 8
#define LX_CLOCK_BOOTTIME_ALARM 9
#define LX_CLOCK_TAI 11
#define LX_TIMER_ABSTIME 1
#define LX_NSEC_PER_SEC 1000000000ull
/* USER_HZ, what AT_CLKTCK and times(2) count in. */
#define LX_USER_HZ 100
/* Resolution of the coarse clocks: one tick of the riscv64 Debian kernel (HZ=250). */
#define LX_COARSE_RES_NS 4000000

/* Resource limits: asm-generic/resource.h */
#define LX_RLIMIT_CPU 0
#define LX_RLIMIT_FSIZE 1
#define LX_RLIMIT_DATA 2
#define LX_RLIMIT_STACK 3
#define LX_RLIMIT_CORE 4
#define LX_RLIMIT_RSS 5
#define LX_RLIMIT_NPROC 6
#define LX_RLIMIT_NOFILE 7
#define LX_RLIMIT_MEMLOCK 8
#define LX_RLIMIT_AS 9
#define LX_RLIMIT_LOCKS 10
#define LX_RLIMIT_SIGPENDING 11
#define LX_RLIMIT_MSGQUEUE 12
#define LX_RLIMIT_NICE 13
#define LX_RLIMIT_RTPRIO 14
#define LX_RLIMIT_RTTIME 15
#define LX_RLIM_NLIMITS 16
#define LX_RLIM_INFINITY (~0ull)

struct lx_rlimit {
	uint64_t cur;
	uint64_t max;
};

/* Signals: asm-generic/signal.h; riscv has no SA_RESTORER field. */
#define LX_NSIG 64
#define LX_SIGHUP 1
#define LX_SIGINT 2
#define LX_SIGQUIT 3
#define LX_SIGILL 4
#define LX_SIGTRAP 5
#define LX_SIGABRT 6
#define LX_SIGBUS 7
#define LX_SIGFPE 8
#define LX_SIGKILL 9
#define LX_SIGUSR1 10
#define LX_SIGSEGV 11
#define LX_SIGUSR2 12
#define LX_SIGPIPE 13
#define LX_SIGALRM 14
#define LX_SIGTERM 15
#define LX_SIGSTKFLT 16
#define LX_SIGCHLD 17
#define LX_SIGCONT 18
#define LX_SIGSTOP 19
#define LX_SIGTSTP 20
#define LX_SIGTTIN 21
#define LX_SIGTTOU 22
#define LX_SIGURG 23
#define LX_SIGXCPU 24
#define LX_SIGXFSZ 25
#define LX_SIGVTALRM 26
#define LX_SIGPROF 27
#define LX_SIGWINCH 28
#define LX_SIGIO 29
#define LX_SIGPWR 30
#define LX_SIGSYS 31
#define LX_SIG_DFL 0
#define LX_SIG_IGN 1
#define LX_SIG_BLOCK 0
#define LX_SIG_UNBLOCK 1
#define LX_SIG_SETMASK 2
#define LX_SS_ONSTACK 1
#define LX_SS_DISABLE 2
#define LX_SS_AUTODISARM (1u << 31)
#define LX_MINSIGSTKSZ 2048
#define LX_SEGV_MAPERR 1
#define LX_SEGV_ACCERR 2
#define LX_ILL_ILLOPC 1
#define LX_BUS_ADRALN 1
#define LX_BUS_ADRERR 2
#define LX_TRAP_BRKPT 1

#define LX_SA_SIGINFO 0x00000004u
#define LX_SA_ONSTACK 0x08000000u
#define LX_SA_RESTART 0x10000000u
#define LX_SA_NODEFER 0x40000000u
#define LX_SA_RESETHAND 0x80000000u
#define LX_SI_USER 0
#define LX_SI_TKILL (-6)
#define LX_SI_KERNEL 0x80

struct lx_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t mask;
};

struct lx_stack {
	uint64_t sp;
	int32_t flags;
	int32_t pad;
	uint64_t size;
};

/*
 * The signal frame riscv64 Linux 6.1 builds on the stack
 * (arch/riscv/kernel/signal.c struct rt_sigframe, uapi/asm/sigcontext.h,
 * uapi/asm/ucontext.h): siginfo, then a ucontext whose mcontext holds pc and
 * x1..x31, then the FP state union (D layout: f0..f31, fcsr; sized for Q).
 */
struct lx_siginfo {
	int32_t signo;
	int32_t errno_value;
	int32_t code;
	int32_t pad;
	union {
		struct {
			uint32_t pid;
			uint32_t uid;
		} kill;
		uint64_t addr;
	} fields;
	uint8_t rest[128 - 24];
};
_Static_assert(sizeof(struct lx_siginfo) == 128, "siginfo layout");

struct lx_sigcontext {
	uint64_t regs[32]; /* regs[0] is pc, regs[n] is xn */
	uint64_t f[32];
	uint32_t fcsr;
	uint8_t fp_pad[528 - 260]; /* __riscv_fp_state is as big as the Q state */
} __attribute__((aligned(16)));
_Static_assert(sizeof(struct lx_sigcontext) == 784, "sigcontext layout");

struct lx_ucontext {
	uint64_t flags;
	uint64_t link;
	struct lx_stack stack;
	uint64_t sigmask;
	uint8_t unused[1024 / 8 - 8];
	struct lx_sigcontext mcontext;
};
_Static_assert(__builtin_offsetof(struct lx_ucontext, mcontext) == 176, "ucontext layout");

struct lx_rt_sigframe {
	struct lx_siginfo info;
	struct lx_ucontext uc;
};
_Static_assert(sizeof(struct lx_rt_sigframe) == 1088, "rt_sigframe layout");

/* Futex: uapi/linux/futex.h */
#define LX_FUTEX_WAIT 0
#define LX_FUTEX_WAKE 1
#define LX_FUTEX_REQUEUE 3
#define LX_FUTEX_CMP_REQUEUE 4
#define LX_FUTEX_WAKE_OP 5
#define LX_FUTEX_WAIT_BITSET 9
#define LX_FUTEX_WAKE_BITSET 10
#define LX_FUTEX_PRIVATE_FLAG 128
#define LX_FUTEX_CLOCK_REALTIME 256

/* prctl(2), getrusage(2) */
#define LX_PR_SET_NAME 15
#define LX_PR_GET_NAME 16
#define LX_RUSAGE_SELF 0
#define LX_RUSAGE_CHILDREN (-1)
#define LX_RUSAGE_THREAD 1

/* getrandom(2) */
#define LX_GRND_NONBLOCK 1
#define LX_GRND_RANDOM 2
#define LX_GRND_INSECURE 4

/* uapi/linux/utsname.h: struct new_utsname */
#define LX_UTS_LEN 65
struct lx_utsname {
	char sysname[LX_UTS_LEN];
	char nodename[LX_UTS_LEN];
	char release[LX_UTS_LEN];
	char version[LX_UTS_LEN];
	char machine[LX_UTS_LEN];
	char domainname[LX_UTS_LEN];
};

/* uapi/linux/sysinfo.h on a 64-bit kernel */
struct lx_sysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs;
	uint16_t pad;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
};
_Static_assert(sizeof(struct lx_sysinfo) == 112, "sysinfo layout");

struct lx_tms {
	int64_t utime, stime, cutime, cstime;
};

/* ELF: the System V gABI and the RISC-V psABI. */
#define LX_EM_RISCV 243
#define LX_ET_EXEC 2
#define LX_ET_DYN 3
#define LX_PT_LOAD 1
#define LX_PT_INTERP 3
#define LX_PT_PHDR 6
#define LX_PT_TLS 7
#define LX_PT_GNU_STACK 0x6474e551
#define LX_PF_X 1
#define LX_PF_W 2
#define LX_PF_R 4

struct lx_elf_ehdr {
	unsigned char ident[16];
	uint16_t type;
	uint16_t machine;
	uint32_t version;
	uint64_t entry;
	uint64_t phoff;
	uint64_t shoff;
	uint32_t flags;
	uint16_t ehsize;
	uint16_t phentsize;
	uint16_t phnum;
	uint16_t shentsize;
	uint16_t shnum;
	uint16_t shstrndx;
};
_Static_assert(sizeof(struct lx_elf_ehdr) == 64, "Elf64_Ehdr layout");

struct lx_elf_phdr {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align;
};
_Static_assert(sizeof(struct lx_elf_phdr) == 56, "Elf64_Phdr layout");

/* Auxiliary vector tags: uapi/linux/auxvec.h */
#define LX_AT_NULL 0
#define LX_AT_PHDR 3
#define LX_AT_PHENT 4
#define LX_AT_PHNUM 5
#define LX_AT_PAGESZ 6
#define LX_AT_BASE 7
#define LX_AT_FLAGS 8
#define LX_AT_ENTRY 9
#define LX_AT_UID 11
#define LX_AT_EUID 12
#define LX_AT_GID 13
#define LX_AT_EGID 14
#define LX_AT_PLATFORM 15
#define LX_AT_HWCAP 16
#define LX_AT_CLKTCK 17
#define LX_AT_SECURE 23
#define LX_AT_RANDOM 25
#define LX_AT_EXECFN 31

/* arch/riscv/include/uapi/asm/hwcap.h: one bit per single-letter extension. */
#define LX_HWCAP_ISA(letter) (1ull << ((letter) - 'A'))
#define LX_HWCAP_RV64GC                                                                            \
	(LX_HWCAP_ISA('I') | LX_HWCAP_ISA('M') | LX_HWCAP_ISA('A') | LX_HWCAP_ISA('F') |           \
	 LX_HWCAP_ISA('D') | LX_HWCAP_ISA('C'))

#endif
