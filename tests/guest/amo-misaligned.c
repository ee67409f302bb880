/*
 * A misaligned AMO: unlike plain loads and stores, Linux does not emulate
 * misaligned atomics, so the program dies of SIGBUS (exit status 135), as
 * it does under qemu-riscv64.  A misaligned plain load before it works.
 */
#include <stdint.h>
#include <stdio.h>

static uint64_t cells[4] = {0x1122334455667788ull, 0x99aabbccddeeff00ull, 0, 0};

int main(void)
{
	unsigned char *p = (unsigned char *)cells + 3;
	uint32_t v;
	__asm__ volatile("lw %0, 0(%1)" : "=r"(v) : "r"(p));
	printf("misaligned lw: %08x\n", v);
	fflush(stdout);
	uint32_t old;
	__asm__ volatile("amoadd.w %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(1) : "memory");
	printf("misaligned amoadd.w did not trap: %08x\n", old);
	return 0;
}
