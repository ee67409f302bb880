/* The smallest glibc program: stdout through stdio, stderr, exit status 0. */
#include <stdio.h>

int main(void)
{
	printf("Hello, world!\n");
	fprintf(stderr, "hello on stderr\n");
	return 0;
}
