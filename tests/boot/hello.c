/*
 * hello.c - the riscv64 program the multiboot boot test runs as a module:
 * it prints its arguments and ends with a status of its own, so both the
 * module string -> argv path and the exit-status mapping are checked.
 */
#include <stdio.h>

int main(int argc, char **argv)
{
	printf("hello from riscv64, argc=%d\n", argc);
	for (int i = 1; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	return 7;
}
