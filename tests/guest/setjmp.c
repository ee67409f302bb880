/*
 * setjmp/longjmp: jumps out of nested calls, several live jump buffers, a
 * value of 0 turned into 1, volatile locals surviving, sigsetjmp with the
 * signal mask saved (rt_sigprocmask must round-trip).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>

static jmp_buf outer, inner;
static int depth;

static void dive(int n)
{
	depth++;
	if (n == 0)
		longjmp(outer, depth);
	if (n > 0)
		dive(n - 1);
}

static void bounce(int v)
{
	longjmp(inner, v);
}

int main(void)
{
	volatile int count = 0;
	int r = setjmp(outer);
	printf("setjmp returned %d\n", r);
	if (r == 0)
		dive(25);
	count++;

	for (volatile int i = 0; i < 5; i++) {
		int v = setjmp(inner);
		if (v == 0)
			bounce(i);
		printf("inner jump %d returned %d\n", i, v);
	}

	sigjmp_buf sj;
	sigset_t set, cur;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigsetjmp(sj, 1) == 0) {
		sigprocmask(SIG_BLOCK, &set, NULL);
		sigprocmask(SIG_BLOCK, NULL, &cur);
		printf("before siglongjmp SIGUSR1 blocked: %d\n", sigismember(&cur, SIGUSR1));
		siglongjmp(sj, 9);
	}
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("after siglongjmp SIGUSR1 blocked: %d\n", sigismember(&cur, SIGUSR1));
	printf("count=%d depth=%d\n", count, depth);
	return 0;
}
