/*
 * interp - a stack-machine bytecode interpreter with a threaded dispatch loop.
 *
 * Every bytecode ends in `goto *label[op]`, one indirect branch per guest
 * operation whose target changes constantly: the pattern of language
 * runtimes, and the hardest case for a translator's indirect-branch lookup.
 * The bytecode program runs a linear congruential generator and a branchy
 * accumulator loop, so both taken and not-taken paths of JZ occur.
 *
 * usage: interp [scale]   default 100; work grows linearly with scale
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

enum op {
	OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_AND, OP_XOR,
	OP_SHR, OP_LT, OP_JZ, OP_JMP, OP_DUP, OP_POP, OP_HALT,
};

#define NREG 8

static uint64_t run(const int64_t *code, uint64_t *reg)
{
	static const void *const label[] = {
		[OP_PUSH] = &&op_push, [OP_LOAD] = &&op_load, [OP_STORE] = &&op_store,
		[OP_ADD] = &&op_add,   [OP_SUB] = &&op_sub,   [OP_MUL] = &&op_mul,
		[OP_AND] = &&op_and,   [OP_XOR] = &&op_xor,   [OP_SHR] = &&op_shr,
		[OP_LT] = &&op_lt,     [OP_JZ] = &&op_jz,     [OP_JMP] = &&op_jmp,
		[OP_DUP] = &&op_dup,   [OP_POP] = &&op_pop,   [OP_HALT] = &&op_halt,
	};
	uint64_t stack[64];
	uint64_t *sp = stack;
	const int64_t *pc = code;
	uint64_t executed = 0;

#define NEXT do { executed++; goto *label[*pc++]; } while (0)
	NEXT;
op_push:
	*sp++ = (uint64_t)*pc++;
	NEXT;
op_load:
	*sp++ = reg[*pc++];
	NEXT;
op_store:
	reg[*pc++] = *--sp;
	NEXT;
op_add:
	sp--;
	sp[-1] += sp[0];
	NEXT;
op_sub:
	sp--;
	sp[-1] -= sp[0];
	NEXT;
op_mul:
	sp--;
	sp[-1] *= sp[0];
	NEXT;
op_and:
	sp--;
	sp[-1] &= sp[0];
	NEXT;
op_xor:
	sp--;
	sp[-1] ^= sp[0];
	NEXT;
op_shr:
	sp--;
	sp[-1] >>= (sp[0] & 63);
	NEXT;
op_lt:
	sp--;
	sp[-1] = sp[-1] < sp[0];
	NEXT;
op_jz:
	if (*--sp == 0)
		pc = code + *pc;
	else
		pc++;
	NEXT;
op_jmp:
	pc = code + *pc;
	NEXT;
op_dup:
	sp[0] = sp[-1];
	sp++;
	NEXT;
op_pop:
	sp--;
	NEXT;
op_halt:
#undef NEXT
	return executed;
}

int main(int argc, char **argv)
{
	long scale = argc > 1 ? strtol(argv[1], NULL, 10) : 100;

	if (scale < 1) {
		fprintf(stderr, "usage: %s [scale >= 1]\n", argv[0]);
		return 2;
	}
	/*
	 * r0 = i, r1 = lcg state, r2 = limit, r3 = acc, r4 = scratch
	 *   while (i < limit) {
	 *     lcg = lcg * 6364136223846793005 + 1442695040888963407;
	 *     t = (lcg >> 33) & 7;
	 *     if (t < 5) acc += t; else acc ^= lcg;
	 *     i++;
	 *   }
	 */
	const int64_t code[] = {
		/*  0 */ OP_LOAD, 0, OP_LOAD, 2, OP_LT, OP_JZ, 57,
		/*  7 */ OP_LOAD, 1, OP_PUSH, 6364136223846793005, OP_MUL,
		/* 12 */ OP_PUSH, 1442695040888963407, OP_ADD, OP_DUP, OP_STORE, 1,
		/* 18 */ OP_PUSH, 33, OP_SHR, OP_PUSH, 7, OP_AND, OP_DUP, OP_STORE, 4,
		/* 27 */ OP_PUSH, 5, OP_LT, OP_JZ, 41,
		/* 32 */ OP_LOAD, 3, OP_LOAD, 4, OP_ADD, OP_STORE, 3, OP_JMP, 48,
		/* 41 */ OP_LOAD, 3, OP_LOAD, 1, OP_XOR, OP_STORE, 3,
		/* 48 */ OP_LOAD, 0, OP_PUSH, 1, OP_ADD, OP_STORE, 0, OP_JMP, 0,
		/* 57 */ OP_HALT,
	};
	uint64_t reg[NREG] = { 0, 12345, (uint64_t)scale * 100000, 0, 0, 0, 0, 0 };
	uint64_t executed = run(code, reg);

	printf("interp scale=%ld ops=%" PRIu64 " checksum=%016" PRIx64 "\n", scale, executed,
	       reg[3] ^ reg[1]);
	return 0;
}
