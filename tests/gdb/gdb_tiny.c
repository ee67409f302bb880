/*
 * gdb_tiny.c - a program of a few dozen instructions and no C library, for
 * the one kvm-platform check of tests/gdb/run-gdb.sh: on an emulated-KVM
 * host each instruction the debugger steps costs a translation in the VM.
 */
static volatile long answer = 21;

int main(void)
{
	return (int)(answer * 2);
}

void _start(void)
{
	register long a0 __asm__("a0") = main();
	register long a7 __asm__("a7") = 93; /* exit */

	__asm__ volatile("ecall" : : "r"(a0), "r"(a7));
	for (;;)
		;
}
