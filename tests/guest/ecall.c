/*
 * System calls that change the code making them, and signal handlers entered
 * at a system call's return.  rvkvm runs a system call from inside the block
 * of its ecall and jumps on to the next instruction from there: these are the
 * cases where it must not.  Generated functions on their own pages make a
 * read(2) into their own page (data beside the code, and the instruction
 * after a fence.i), an mprotect of their page that keeps it executable, and
 * a munmap and an mprotect that take execute away (SIGSEGV at the next
 * instruction).  Then kill(2) enters a handler at the call's return, with
 * the accrued FP flags as they were, many times during a run of small
 * writes.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096
#define NR_READ 63
#define NR_MUNMAP 215
#define NR_MPROTECT 226
#define ECALL 0x00000073u
#define FENCE_I 0x0000100fu
#define RET 0x00008067u
#define A0 10
#define A7 17

typedef long (*fn)(long, long, long);

static uint32_t addi(unsigned rd, unsigned rs1, int imm)
{
	return ((uint32_t)(imm & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | 0x13;
}

static uint8_t *new_page(void)
{
	void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	if (p == MAP_FAILED) {
		printf("mmap failed\n");
		_exit(1);
	}
	return p;
}

static void put(uint8_t *page, const uint32_t *insns, unsigned n)
{
	memcpy(page, insns, n * sizeof(*insns));
	__asm__ volatile("fence.i" ::: "memory");
}

static int pipe_fd[2];

/* Bytes for the next read(2) from the pipe. */
static void feed(const void *bytes, size_t len)
{
	if (write(pipe_fd[1], bytes, len) != (ssize_t)len)
		printf("pipe write failed\n");
}

/* read(2) into the page of the code making it, beside the code: the code goes on unchanged. */
static void read_beside(void)
{
	uint8_t *page = new_page();
	const uint32_t f[] = {addi(A7, 0, NR_READ), ECALL, addi(A0, A0, 100), RET};
	put(page, f, 4);
	for (int i = 0; i < 3; i++) {
		char text[16];
		snprintf(text, sizeof(text), "round %d", i);
		feed(text, strlen(text) + 1);
		long r =
		    ((fn)(void *)page)(pipe_fd[0], (long)(page + 2048), (long)strlen(text) + 1);
		printf("read beside the code: %ld, page holds \"%s\"\n", r, (char *)page + 2048);
	}
	munmap(page, PAGE);
}

/* read(2) rewriting the instruction after the ecall's fence.i: the new one runs. */
static void read_over_next(void)
{
	uint8_t *page = new_page();
	const uint32_t f[] = {addi(A7, 0, NR_READ), ECALL, FENCE_I, addi(A0, 0, 1), RET};
	put(page, f, 5);
	for (int i = 2; i <= 4; i++) {
		uint32_t next = addi(A0, 0, i);
		feed(&next, sizeof(next));
		long r = ((fn)(void *)page)(pipe_fd[0], (long)(page + 12), sizeof(next));
		printf("read over the next instruction: returns %ld\n", r);
	}
	munmap(page, PAGE);
}

/* mprotect of the running page that leaves it executable. */
static void mprotect_keep_exec(void)
{
	uint8_t *page = new_page();
	const uint32_t f[] = {addi(A7, 0, NR_MPROTECT), ECALL, addi(A0, A0, 7), RET};
	put(page, f, 4);
	long r = ((fn)(void *)page)((long)page, PAGE, PROT_READ | PROT_EXEC);
	printf("mprotect r-x of its own page: %ld\n", r);
	r = ((fn)(void *)page)((long)page, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC);
	printf("mprotect rwx of its own page: %ld\n", r);
	munmap(page, PAGE);
}

static sigjmp_buf escape;
static uint8_t *fault_page;

static void on_segv(int sig, siginfo_t *info, void *uc)
{
	(void)uc;
	printf("signal %d code %d at page+%ld\n", sig, info->si_code,
	       (long)((uint8_t *)info->si_addr - fault_page));
	siglongjmp(escape, 1);
}

/* munmap or mprotect(PROT_READ) of the running page: the next fetch faults. */
static void lose_exec(int nr, long prot)
{
	uint8_t *page = new_page();
	const uint32_t f[] = {addi(A7, 0, (int)nr), ECALL, addi(A0, A0, 7), RET};
	put(page, f, 4);
	fault_page = page;
	if (!sigsetjmp(escape, 1)) {
		long r = ((fn)(void *)page)((long)page, PAGE, prot);
		printf("no fault: returned %ld\n", r);
	}
	munmap(page, PAGE);
}

static volatile int handled;
static volatile unsigned handler_flags;

static unsigned read_fflags(void)
{
	unsigned v;
	__asm__ volatile("frflags %0" : "=r"(v));
	return v;
}

/* Sees the flags the interrupted code accrued, then raises DZ, which sigreturn must drop. */
static void on_usr1(int sig)
{
	volatile double one = 1.0, zero = 0.0;
	(void)sig;
	handler_flags = read_fflags();
	__asm__ volatile("fsflags zero");
	volatile double inf = one / zero;
	(void)inf;
	handled++;
}

static void kill_at_return(void)
{
	volatile double one = 1.0, three = 3.0;
	struct sigaction sa = {.sa_handler = on_usr1};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);

	__asm__ volatile("fsflags zero");
	volatile double third = one / three; /* NX */
	(void)third;
	kill(getpid(), SIGUSR1);
	printf("handler saw fflags %#x, after its return %#x, handled %d\n", handler_flags,
	       read_fflags(), handled);

	/* Many small writes, a signal every 97th. */
	int devnull = open("/dev/null", O_WRONLY);
	long written = 0;
	handled = 0;
	for (int i = 0; i < 20000; i++) {
		written += write(devnull, "x", 1);
		if (i % 97 == 0)
			kill(getpid(), SIGUSR1);
	}
	close(devnull);
	printf("writes %ld, handlers %d, fflags %#x\n", written, handled, read_fflags());
}

int main(void)
{
	if (pipe(pipe_fd)) {
		printf("pipe failed\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	read_beside();
	read_over_next();
	mprotect_keep_exec();

	struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	lose_exec(NR_MUNMAP, 0);
	lose_exec(NR_MPROTECT, PROT_READ);
	kill_at_return();
	return 0;
}
