/*
 * Signal delivery (monitor/linux/signal.c), compared with qemu-riscv64:
 * handlers for faults (SIGSEGV through siglongjmp, SIGILL skipping the
 * instruction through the saved pc), for signals sent to oneself (siginfo
 * codes, a blocked signal delivered when unblocked), the alternate stack,
 * FP registers across a handler, SA_RESETHAND, and abort() with a handler
 * that returns.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf jump;
static volatile int faults;
static char *alt_base;
#define ALT_SIZE 65536

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	faults++;
	printf("SIGSEGV %d code %d addr %s\n", sig, si->si_code, si->si_addr ? "set" : "null");
	siglongjmp(jump, 1);
}

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	printf("SIGUSR1 code %d from self %d\n", si->si_code, si->si_pid == getpid());
}

static void on_alt(int sig)
{
	char here;

	printf("on the alternate stack %d\n", &here >= alt_base && &here < alt_base + ALT_SIZE);
}

static void on_ill(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	printf("SIGILL code %d\n", si->si_code);
	uc->uc_mcontext.__gregs[REG_PC] += 4;
}

static void on_alrm(int sig)
{
	volatile double x = 1.5;

	x = x * 3;
	printf("FP in the handler %d\n", (int)(x * 10));
}

static void on_hup(int sig)
{
	printf("SIGHUP handler\n");
}

static void on_abrt(int sig)
{
	printf("SIGABRT handler returns\n");
	fflush(stdout);
}

int main(void)
{
	struct sigaction sa = {0}, plain = {0}, old;
	sigset_t set;

	sa.sa_flags = SA_SIGINFO;
	sa.sa_sigaction = on_segv;
	sigaction(SIGSEGV, &sa, NULL);
	char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!sigsetjmp(jump, 1))
		ro[0] = 1;
	if (!sigsetjmp(jump, 1))
		*(volatile int *)0 = 1;
	printf("faults %d\n", faults);

	sa.sa_sigaction = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	kill(getpid(), SIGUSR1);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR1);
	printf("blocked: not yet\n");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	printf("unblocked\n");

	stack_t ss = {.ss_sp = alt_base = malloc(ALT_SIZE), .ss_size = ALT_SIZE};
	sigaltstack(&ss, NULL);
	plain.sa_handler = on_alt;
	plain.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR2, &plain, NULL);
	raise(SIGUSR2);

	sa.sa_sigaction = on_ill;
	sigaction(SIGILL, &sa, NULL);
	__asm__ volatile(".word 0");
	printf("after the illegal instruction\n");

	volatile double kept = 2.25;
	plain.sa_handler = on_alrm;
	plain.sa_flags = 0;
	sigaction(SIGALRM, &plain, NULL);
	raise(SIGALRM);
	printf("FP kept %d\n", (int)(kept * 4));

	plain.sa_handler = on_hup;
	plain.sa_flags = SA_RESETHAND;
	sigaction(SIGHUP, &plain, NULL);
	raise(SIGHUP);
	sigaction(SIGHUP, NULL, &old);
	printf("reset to default %d\n", old.sa_handler == SIG_DFL);

	plain.sa_handler = on_abrt;
	plain.sa_flags = 0;
	sigaction(SIGABRT, &plain, NULL);
	abort();
}
