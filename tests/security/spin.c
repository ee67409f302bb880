/*
 * spin.c - a runaway guest: it never makes a system call after its first
 * line, so only a signal or a timer from outside can end it.  With
 * --once it stops there: the normal guest run after a hostile one.
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	volatile unsigned long n = 0;

	printf("spinning\n");
	fflush(stdout);
	if (argc > 1 && !strcmp(argv[1], "--once"))
		return 0;
	for (;;)
		n++;
}
