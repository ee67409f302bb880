/*
 * Self-modifying code: generate RISC-V functions into an executable buffer,
 * run them, rewrite them and run them again.  A translator that keeps a
 * stale translation returns the old constant.  Covers: an RWX mapping with
 * fence.i, a W^X mapping flipped with mprotect, __builtin___clear_cache,
 * many rewrites of one function in a loop, a rewrite without fence.i seen
 * by an indirect call, and a rewrite of a compressed instruction in place.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

typedef long (*fn)(long);

/* addi a0, a0, imm ; ret */
static void emit_addi_ret(uint32_t *p, int imm)
{
	p[0] = ((uint32_t)(imm & 0xfff) << 20) | (10 << 15) | (0 << 12) | (10 << 7) | 0x13;
	p[1] = 0x00008067;
}

static void fence_i(void)
{
	__asm__ volatile("fence.i" ::: "memory");
}

int main(void)
{
	uint32_t *rwx = mmap(NULL, 8192, PROT_READ | PROT_WRITE | PROT_EXEC,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (rwx == MAP_FAILED) {
		printf("mmap rwx failed\n");
		return 1;
	}
	fn f = (fn)(void *)rwx;
	emit_addi_ret(rwx, 1);
	fence_i();
	printf("rwx first: %ld\n", f(100));
	emit_addi_ret(rwx, 2);
	fence_i();
	printf("rwx rewritten: %ld\n", f(100));

	long sum = 0;
	for (int i = 0; i < 200; i++) {
		emit_addi_ret(rwx, i);
		fence_i();
		sum += f(1000);
	}
	printf("200 rewrites sum: %ld\n", sum);

	/* A second function on the next page calls the first: rewriting the callee must not leave
	 * the caller stale either. */
	uint32_t *g = rwx + 1024;
	uint32_t insns[] = {
	    0xff010113, /* addi sp, sp, -16 */
	    0x00113423, /* sd ra, 8(sp) */
	    0x00000000, /* jalr ra, 0(t0), patched below */
	    0x00813083, /* ld ra, 8(sp) */
	    0x01010113, /* addi sp, sp, 16 */
	    0x00008067, /* ret */
	};
	insns[2] = (0 << 20) | (5 << 15) | (0 << 12) | (1 << 7) | 0x67;
	memcpy(g, insns, sizeof insns);
	emit_addi_ret(rwx, 7);
	fence_i();
	long r1, r2;
	__asm__ volatile("mv t0, %2\n\tmv a0, %3\n\tjalr %1\n\tmv %0, a0"
			 : "=r"(r1)
			 : "r"(g), "r"(rwx), "r"(10L)
			 : "t0", "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "t1", "t2", "t3",
			   "t4", "t5", "t6", "ra", "memory");
	emit_addi_ret(rwx, -7);
	fence_i();
	__asm__ volatile("mv t0, %2\n\tmv a0, %3\n\tjalr %1\n\tmv %0, a0"
			 : "=r"(r2)
			 : "r"(g), "r"(rwx), "r"(10L)
			 : "t0", "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "t1", "t2", "t3",
			   "t4", "t5", "t6", "ra", "memory");
	printf("through a caller: %ld then %ld\n", r1, r2);

	/* W^X: write, make executable, run, make writable, rewrite, make executable, run. */
	uint32_t *wx = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	emit_addi_ret(wx, 30);
	mprotect(wx, 4096, PROT_READ | PROT_EXEC);
	__builtin___clear_cache((char *)wx, (char *)(wx + 2));
	printf("w^x first: %ld\n", ((fn)(void *)wx)(12));
	mprotect(wx, 4096, PROT_READ | PROT_WRITE);
	emit_addi_ret(wx, 40);
	mprotect(wx, 4096, PROT_READ | PROT_EXEC);
	fence_i();
	printf("w^x rewritten: %ld\n", ((fn)(void *)wx)(12));

	/*
	 * No fence.i after the rewrite: the store itself is caught (a page is write-protected
	 * while code on it is translated, and qemu-riscv64 watches it too), so the next call
	 * through the pointer, an indirect jump, must not find the old translation either.
	 */
	emit_addi_ret(rwx, 3);
	fence_i();
	long s1 = f(100), s2 = f(100);
	emit_addi_ret(rwx, 4);
	long s3 = f(100);
	printf("rewritten without fence.i: %ld %ld then %ld\n", s1, s2, s3);

	/* Compressed: c.addi a0, imm ; c.jr ra, rewritten halfword by halfword. */
	uint16_t *c = (uint16_t *)(rwx + 1536);
	c[0] = 0x0505; /* c.addi a0, 1 */
	c[1] = 0x8082; /* c.jr ra */
	fence_i();
	long c1 = ((fn)(void *)c)(50);
	c[0] = 0x0521; /* c.addi a0, 8 */
	fence_i();
	long c2 = ((fn)(void *)c)(50);
	printf("compressed: %ld then %ld\n", c1, c2);
	return 0;
}
