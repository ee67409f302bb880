/* A small static riscv64 program for linux_test.c to load: text, data, bss. */
#include <stdio.h>

static int counter = 3;
static char buffer[8192];

int main(int argc, char **argv)
{
	buffer[argc] = (char)counter;
	printf("sample %d\n", buffer[argc]);
	return 0;
}
