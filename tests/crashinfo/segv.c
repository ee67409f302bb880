/*
 * A store through a null pointer in a named function called from main: the
 * --verbose crash summary must name crash_here as the pc's function and
 * main as the return address's, with the faulting address 0.
 */
#include <stdio.h>

__attribute__((noinline)) void crash_here(volatile int *p)
{
	*p = 42;
}

int main(void)
{
	printf("about to crash\n");
	fflush(stdout);
	crash_here(NULL);
	printf("survived\n");
	return 0;
}
