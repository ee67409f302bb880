/*
 * The smallest real guest: glibc start-up, stdio, the exit status, and
 * what the command line gave it (argv, the RVP_* environment variables),
 * so that -0, -E and -U can be compared with qemu-riscv64's.
 */
#include <stdio.h>
#include <string.h>

extern char **environ;

int main(int argc, char **argv)
{
	printf("hello from riscv64, argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	for (char **e = environ; *e; e++)
		if (!strncmp(*e, "RVP_", 4))
			printf("env %s\n", *e);
	return argc == 1 ? 0 : 42;
}
