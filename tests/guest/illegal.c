/*
 * An illegal instruction: the all-zero word is defined to be illegal in
 * every RISC-V encoding.  The program must die of SIGILL (exit status 132)
 * right there, after the output it flushed.
 */
#include <stdio.h>

int main(void)
{
	printf("before the illegal instruction\n");
	fflush(stdout);
	__asm__ volatile(".4byte 0x00000000");
	printf("survived an illegal instruction\n");
	return 0;
}
