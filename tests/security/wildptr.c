/*
 * wildptr.c - system calls handed pointers a process does not own: NULL,
 * an unmapped page, the kernel half, a non-canonical address, and a buffer
 * that starts 8 bytes before a PROT_NONE page.  Each result is printed
 * (errno as -N) for comparison with qemu-riscv64; Linux answers -EFAULT
 * (14) for all of them, and nothing may crash.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>

#define PAGE 4096

struct ptrclass {
	const char *name;
	uintptr_t p;
};

static struct ptrclass classes[5];
static int pipefd[2], zerofd, filefd, dirfd;
static long results[3]; /* count of -EFAULT, other errors, successes */

/*
 * linux_null: what Linux answers for the NULL pointer of a call TRY_LINUX
 * checks; every other class is -EFAULT there.  Those lines end in '*': for
 * them qemu-riscv64 7.2 is no reference (it returns 0 for clock_getres and
 * sysinfo without writing, -EINVAL for nanosleep), and the test checks the
 * value Linux gives, printed after the result.
 */
#define NOT_LINUX_CHECKED 1

static void show(const char *call, const char *cls, long r, long linux_value)
{
	long e = r < 0 ? -errno : r;

	if (linux_value == NOT_LINUX_CHECKED)
		printf("%-22s %-12s = %ld\n", call, cls, e);
	else
		printf("%-22s %-12s = %ld, Linux %ld *\n", call, cls, e, linux_value);
	results[e == -EFAULT ? 0 : e < 0 ? 1 : 2]++;
}

#define TRY_EXPECT(call_name, expr, linux_null)                                   \
	do {                                                                      \
		for (unsigned c = 0; c < 5; c++) {                                \
			void *P = (void *)classes[c].p;                           \
			long lv = (linux_null) == NOT_LINUX_CHECKED ? NOT_LINUX_CHECKED \
				  : c == 0 ? (linux_null) : -EFAULT;             \
			errno = 0;                                                \
			show(call_name, classes[c].name, (long)(expr), lv);       \
		}                                                                 \
	} while (0)
#define TRY(call_name, expr) TRY_EXPECT(call_name, expr, NOT_LINUX_CHECKED)
#define TRY_LINUX(call_name, expr, linux_null) TRY_EXPECT(call_name, expr, linux_null)

static void setup(void)
{
	char *two = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *gone = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	mprotect(two + PAGE, PAGE, PROT_NONE);
	memset(two, 'a', PAGE);
	munmap(gone, PAGE);
	classes[0] = (struct ptrclass){"null", 0};
	classes[1] = (struct ptrclass){"unmapped", (uintptr_t)gone};
	classes[2] = (struct ptrclass){"kernel-half", 0xffffffc000001000ul};
	classes[3] = (struct ptrclass){"noncanonical", 0x8000000000001000ul};
	classes[4] = (struct ptrclass){"straddling", (uintptr_t)(two + PAGE - 8)};
	if (pipe(pipefd) || fcntl(pipefd[1], F_SETFL, O_NONBLOCK))
		perror("pipe");
	zerofd = open("/dev/zero", O_RDONLY);
	filefd = open("wildptr.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
	dirfd = open(".", O_RDONLY | O_DIRECTORY);
	unlink("wildptr.tmp");
}

int main(void)
{
	struct iovec good = {.iov_base = &results, .iov_len = 8};

	setvbuf(stdout, NULL, _IOLBF, 0);
	setup();
	TRY("read", syscall(SYS_read, zerofd, P, 100));
	TRY("write", syscall(SYS_write, pipefd[1], P, 100));
	TRY("pread64", syscall(SYS_pread64, zerofd, P, 100, 0));
	TRY("pwrite64", syscall(SYS_pwrite64, filefd, P, 100, 0));
	TRY("readv-array", syscall(SYS_readv, zerofd, P, 2));
	TRY("writev-array", syscall(SYS_writev, pipefd[1], P, 2));
	TRY("readv-base", ({
		    struct iovec v[2] = {good, {P, 100}};
		    syscall(SYS_readv, zerofd, v, 2);
	    }));
	TRY("writev-base", ({
		    struct iovec v[2] = {{P, 100}, good};
		    syscall(SYS_writev, filefd, v, 2);
	    }));
	TRY("openat-path", syscall(SYS_openat, AT_FDCWD, P, O_RDONLY));
	TRY("newfstatat-path", syscall(SYS_newfstatat, AT_FDCWD, P, &results, 0));
	TRY("newfstatat-buf", syscall(SYS_newfstatat, AT_FDCWD, ".", P, 0));
	TRY("fstat", syscall(SYS_fstat, 0, P));
	TRY("statx", syscall(SYS_statx, AT_FDCWD, ".", 0, 0x7ff, P));
	TRY("faccessat", syscall(SYS_faccessat, AT_FDCWD, P, F_OK));
	TRY("mkdirat", syscall(SYS_mkdirat, AT_FDCWD, P, 0700));
	TRY("unlinkat", syscall(SYS_unlinkat, AT_FDCWD, P, 0));
	TRY("chdir", syscall(SYS_chdir, P));
	TRY("readlinkat-path", syscall(SYS_readlinkat, AT_FDCWD, P, &results, 8));
	TRY("readlinkat-buf", syscall(SYS_readlinkat, AT_FDCWD, "/proc/self/cwd", P, 100));
	TRY("getdents64", syscall(SYS_getdents64, dirfd, P, 4096));
	TRY("getcwd", syscall(SYS_getcwd, P, 100));
	TRY("clock_gettime", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, P));
	TRY_LINUX("clock_getres", syscall(SYS_clock_getres, CLOCK_MONOTONIC, P), 0);
	TRY("gettimeofday", syscall(SYS_gettimeofday, P, NULL));
	TRY_LINUX("nanosleep", syscall(SYS_nanosleep, P, NULL), -EFAULT);
	TRY("uname", syscall(SYS_uname, P));
	TRY_LINUX("sysinfo", syscall(SYS_sysinfo, P), -EFAULT);
	TRY("times", syscall(SYS_times, P) < 0 ? -1 : 0);
	TRY("getrusage", syscall(SYS_getrusage, 0, P));
	TRY("prlimit64-old", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, P));
	TRY("prlimit64-new", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, P, NULL));
	TRY("rt_sigaction-new", syscall(SYS_rt_sigaction, SIGUSR1, P, NULL, 8));
	TRY("rt_sigaction-old", syscall(SYS_rt_sigaction, SIGUSR1, NULL, P, 8));
	TRY("rt_sigprocmask", syscall(SYS_rt_sigprocmask, SIG_BLOCK, P, NULL, 8));
	TRY("sigaltstack", syscall(SYS_sigaltstack, P, NULL));
	TRY("pipe2", syscall(SYS_pipe2, P, 0));
	TRY("getrandom", syscall(SYS_getrandom, P, 16, 0));
	TRY("sched_getaffinity", syscall(SYS_sched_getaffinity, 0, 8, P));
	/* A value no earlier call leaves there: the straddling word is readable. */
	TRY("futex-wait", syscall(SYS_futex, P, FUTEX_WAIT, 0x7fffffff, NULL, NULL, 0));
	TRY("utimensat-times", syscall(SYS_utimensat, AT_FDCWD, ".", P, 0));
	printf("EFAULT %ld, other errors %ld, successes %ld *\n", results[0], results[1], results[2]);
	return 0;
}
