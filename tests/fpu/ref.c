/*
 * ref.c - runs every test vector on the real RISC-V instruction (under
 * qemu-riscv64, the reference) and prints one line per vector.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "vectors.h"

struct ref_state {
	uint64_t f11, f12, f13, x11, f10, x10, frm;
	uint64_t fflags, f10_out, x10_out;
};

extern const char fpu_stub_start[], fpu_stub_insn[], fpu_stub_end[];

#define STUB_SLOTS 4096
#define SLOT_SIZE 128

/* One stub per distinct instruction word, so code is written once, not per vector. */
static char *stubs;
static uint32_t slot_insn[STUB_SLOTS];
static int slots_used;
static sigjmp_buf on_sigill;

static void sigill(int sig)
{
	siglongjmp(on_sigill, 1);
}

static void (*stub_for(uint32_t insn))(struct ref_state *)
{
	int i;

	for (i = 0; i < slots_used; i++)
		if (slot_insn[i] == insn)
			return (void (*)(struct ref_state *))(stubs + i * SLOT_SIZE);
	if (slots_used == STUB_SLOTS) {
		fprintf(stderr, "fpu-ref: too many distinct instructions\n");
		return 0;
	}
	i = slots_used++;
	slot_insn[i] = insn;
	memcpy(stubs + i * SLOT_SIZE, fpu_stub_start, fpu_stub_end - fpu_stub_start);
	memcpy(stubs + i * SLOT_SIZE + (fpu_stub_insn - fpu_stub_start), &insn, 4);
	__asm__ volatile("fence.i" ::: "memory");
	return (void (*)(struct ref_state *))(stubs + i * SLOT_SIZE);
}

static void run(const struct fpu_vector *v)
{
	static struct ref_state s;
	void (*stub)(struct ref_state *) = stub_for(v->insn);
	char line[256];
	int illegal = 0;

	s = (struct ref_state){v->f11,	     v->f12, v->f13, v->x11, VEC_F10_INIT,
			       VEC_X10_INIT, v->frm, 0,	     0,	     0};
	if (sigsetjmp(on_sigill, 1))
		illegal = 1;
	else
		stub(&s);
	vectors_format(line, sizeof(line), v, illegal, s.f10_out, s.x10_out, (uint32_t)s.fflags);
	fputs(line, stdout);
}

int main(void)
{
	struct sigaction sa = {.sa_handler = sigill};

	stubs = mmap(0, STUB_SLOTS * SLOT_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (stubs == MAP_FAILED) {
		perror("fpu-ref: mmap");
		return 1;
	}
	sigaction(SIGILL, &sa, 0);
	vectors_generate(run);
	return 0;
}
