/* hello - the start-up benchmark: a static program that prints one line. */
#include <stdio.h>

int main(void)
{
	printf("hello, world\n");
	return 0;
}
