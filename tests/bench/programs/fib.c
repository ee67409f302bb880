/*
 * fib - function-call-heavy recursion: naive Fibonacci and Ackermann.
 *
 * Nearly every guest instruction is a call, a return or a stack access, so
 * this measures how cheaply the translator handles jal/jalr pairs (return
 * prediction, block chaining across calls).
 *
 * usage: fib [scale]   default 100; work grows linearly with scale
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t fib(unsigned n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static uint64_t ackermann(uint64_t m, uint64_t n)
{
	if (m == 0)
		return n + 1;
	if (n == 0)
		return ackermann(m - 1, 1);
	return ackermann(m - 1, ackermann(m, n - 1));
}

int main(int argc, char **argv)
{
	long scale = argc > 1 ? strtol(argv[1], NULL, 10) : 100;
	uint64_t sum = 0;

	if (scale < 1) {
		fprintf(stderr, "usage: %s [scale >= 1]\n", argv[0]);
		return 2;
	}
	for (long i = 0; i < scale; i++) {
		/* The argument varies with i so no call can be hoisted out. */
		sum = sum * 31 + fib(32 + (unsigned)(i & 1));
		sum = sum * 31 + ackermann(2, 500 + (uint64_t)(i & 7));
	}
	printf("fib scale=%ld checksum=%016" PRIx64 "\n", scale, sum);
	return 0;
}
