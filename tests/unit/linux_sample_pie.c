/*
 * A static-PIE riscv64 program for linux_test.c to load.  Debian's cross
 * libc has no rcrt1.o, so it brings its own entry and links without libc.
 */
static volatile long counter = 3;

void _start(void)
{
	register long a0 __asm__("a0") = counter;
	register long a7 __asm__("a7") = 94; /* exit_group */

	__asm__ volatile("ecall" : : "r"(a0), "r"(a7));
	for (;;)
		;
}
