/*
 * gdb_target.c - the program tests/gdb/run-gdb.sh debugs: a global the
 * debugger reads, a local it prints and one it changes (the change shows in
 * the output), a double for the FP registers, and an exit status of its
 * own.  "segv" makes it store through a null pointer; "spin" prints a line
 * and loops until the debugger interrupts it.
 */
#include <stdio.h>
#include <string.h>

long counter = 0x1234;
volatile double scale = 2.5;
volatile int spinning = 1;
long *volatile nowhere;

static long twice(long v)
{
	return v * 2;
}

int main(int argc, char **argv)
{
	long value = 41;
	long result;
	double product;

	if (argc > 1 && !strcmp(argv[1], "segv"))
		*nowhere = 1;
	if (argc > 1 && !strcmp(argv[1], "spin")) {
		puts("spinning");
		fflush(stdout);
		while (spinning)
			counter++;
	}
	value = value + 1;
	result = twice(value);
	product = scale * (double)result;
	counter += result;
	printf("value %ld result %ld product %.1f counter %ld\n", value, result, product, counter);
	return (int)(result & 0x7f) - 77;
}
