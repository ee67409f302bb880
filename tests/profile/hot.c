/*
 * Nearly all CPU time in one named function: --profile must put hot_loop
 * at the top of its list.  The loop count is argv[1] (millions).
 */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) unsigned long hot_loop(unsigned long n)
{
	unsigned long x = 88172645463325252ul;

	for (unsigned long i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	return x;
}

int main(int argc, char **argv)
{
	unsigned long millions = argc > 1 ? strtoul(argv[1], NULL, 10) : 100;

	printf("%lx\n", hot_loop(millions * 1000000ul));
	return 0;
}
