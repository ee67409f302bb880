/*
 * sweep.c - exhaustive check of rvc_expand against GNU objdump.
 *
 *   rvc-sweep gen C.bin X.bin      every 16-bit word (quadrants 0-2); the nonzero expansions
 *   rvc-sweep check C.dis X.dis    compare objdump -M no-aliases listings of the two
 *
 * For each halfword, objdump's reading of it (c.xxx, mapped to its base
 * form) must equal objdump's reading of the expansion, and a halfword objdump
 * calls illegal must expand to 0.  Branch targets are compared as offsets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rvc.h"

#define WORDS 65536

static int is_compressed(unsigned h)
{
	return (h & 3) != 3;
}

static int gen(const char *cpath, const char *xpath)
{
	FILE *c = fopen(cpath, "wb"), *x = fopen(xpath, "wb");
	unsigned h;

	if (!c || !x) {
		perror("rvc-sweep");
		return 1;
	}
	for (h = 0; h < WORDS; h++) {
		uint16_t half = (uint16_t)h;
		uint32_t word = rvc_expand(half);

		if (!is_compressed(h))
			continue;
		fwrite(&half, 2, 1, c);
		if (word)
			fwrite(&word, 4, 1, x);
	}
	return fclose(c) || fclose(x);
}

/* One disassembled instruction: address, mnemonic, operands. */
struct insn {
	unsigned long addr;
	char mnem[32];
	char ops[64];
};

/* Reads the next instruction line of an objdump listing; 0 at the end. */
static int next_insn(FILE *f, struct insn *in)
{
	char line[256];

	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':'), *t1, *t2, *t3;

		if (!colon || !(t1 = strchr(colon, '\t')) || !(t2 = strchr(t1 + 1, '\t')))
			continue;
		in->addr = strtoul(line, 0, 16);
		t2++;
		t2[strcspn(t2, "\n")] = 0;
		t3 = strchr(t2, '\t');
		if (t3)
			*t3++ = 0;
		snprintf(in->mnem, sizeof(in->mnem), "%s", t2);
		/* Drop objdump's "# address" notes: they depend on preceding lui/auipc. */
		if (t3)
			t3[strcspn(t3, "#")] = 0;
		if (t3 && *t3)
			t3[strcspn(t3, " \t")] = 0;
		snprintf(in->ops, sizeof(in->ops), "%s", t3 ? t3 : "");
		return 1;
	}
	return 0;
}

/* How the operands of a c.xxx instruction become its base form's. */
enum form { SAME, RD_RD, RD_ZERO, SHIFT0, JR, JALR, JUMP, BRANCH, NONE };

static const struct {
	const char *c, *base;
	enum form form;
} map[] = {
    {"c.addi4spn", "addi", SAME}, {"c.fld", "fld", SAME},	{"c.lw", "lw", SAME},
    {"c.ld", "ld", SAME},	  {"c.fsd", "fsd", SAME},	{"c.sw", "sw", SAME},
    {"c.sd", "sd", SAME},	  {"c.addi", "addi", RD_RD},	{"c.nop", "addi", NONE},
    {"c.addiw", "addiw", RD_RD},  {"c.li", "addi", RD_ZERO},	{"c.addi16sp", "addi", RD_RD},
    {"c.lui", "lui", SAME},	  {"c.srli", "srli", RD_RD},	{"c.srai", "srai", RD_RD},
    {"c.andi", "andi", RD_RD},	  {"c.sub", "sub", RD_RD},	{"c.xor", "xor", RD_RD},
    {"c.or", "or", RD_RD},	  {"c.and", "and", RD_RD},	{"c.subw", "subw", RD_RD},
    {"c.addw", "addw", RD_RD},	  {"c.j", "jal", JUMP},		{"c.beqz", "beq", BRANCH},
    {"c.bnez", "bne", BRANCH},	  {"c.slli", "slli", RD_RD},	{"c.slli64", "slli", SHIFT0},
    {"c.srli64", "srli", SHIFT0}, {"c.srai64", "srai", SHIFT0}, {"c.fldsp", "fld", SAME},
    {"c.lwsp", "lw", SAME},	  {"c.ldsp", "ld", SAME},	{"c.jr", "jalr", JR},
    {"c.mv", "add", RD_ZERO},	  {"c.ebreak", "ebreak", NONE}, {"c.jalr", "jalr", JALR},
    {"c.add", "add", RD_RD},	  {"c.fsdsp", "fsd", SAME},	{"c.swsp", "sw", SAME},
    {"c.sdsp", "sd", SAME},
};

/* A branch target operand as a signed offset from the instruction. */
static void relative_target(char *ops, size_t size, unsigned long addr)
{
	char *last = strrchr(ops, ',');
	char *t = last ? last + 1 : ops;
	long off = (long)(strtoul(t, 0, 16) - addr);

	snprintf(t, size - (size_t)(t - ops), "%+ld", off);
}

/* The base-form text of a compressed instruction, or 0 if objdump calls it illegal. */
static int base_form(const struct insn *c, char *out, size_t size)
{
	char ops[200], first[64];
	const char *comma;
	unsigned i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(c->mnem, map[i].c))
			break;
	if (i == sizeof(map) / sizeof(map[0]))
		return 0;
	comma = strchr(c->ops, ',');
	snprintf(first, sizeof(first), "%.*s", comma ? (int)(comma - c->ops) : (int)strlen(c->ops),
		 c->ops);
	switch (map[i].form) {
	case SAME:
		snprintf(ops, sizeof(ops), "%s", c->ops);
		break;
	case RD_RD:
		snprintf(ops, sizeof(ops), "%s,%s", first, c->ops);
		break;
	case RD_ZERO:
		snprintf(ops, sizeof(ops), "%s,zero,%s", first, comma ? comma + 1 : "");
		break;
	case SHIFT0:
		snprintf(ops, sizeof(ops), "%s,%s,0x0", c->ops, c->ops);
		break;
	case JR:
		snprintf(ops, sizeof(ops), "zero,0(%s)", c->ops);
		break;
	case JALR:
		snprintf(ops, sizeof(ops), "ra,0(%s)", c->ops);
		break;
	case JUMP:
		snprintf(ops, sizeof(ops), "zero,%s", c->ops);
		break;
	case BRANCH:
		snprintf(ops, sizeof(ops), "%s,zero,%s", first, comma + 1);
		break;
	case NONE:
		ops[0] = 0;
		break;
	}
	if (map[i].form == JUMP || map[i].form == BRANCH)
		relative_target(ops, sizeof(ops), c->addr);
	/* c.nop's only operand is its (HINT) immediate. */
	if (!strcmp(c->mnem, "c.nop"))
		snprintf(ops, sizeof(ops), "zero,zero,%s", c->ops[0] ? c->ops : "0");
	snprintf(out, size, "%s%s%s", map[i].base, ops[0] ? "\t" : "", ops);
	return 1;
}

/*
 * objdump 2.40 quirk: it reads 0x6101 | nzimm 0 (c.addi16sp with a zero
 * immediate, reserved by the ISA manual) as "c.addi16sp sp,0".  The
 * halfwords it applies to are counted and must expand to 0.
 */
static int objdump_accepts_reserved(unsigned half, const struct insn *c)
{
	return (half & 0xef83) == 0x6101 && !strcmp(c->mnem, "c.addi16sp") && !(half & 0x107c);
}

static int check(const char *cpath, const char *xpath)
{
	FILE *cf = fopen(cpath, "r"), *xf = fopen(xpath, "r");
	unsigned h, legal = 0, illegal = 0, quirks = 0, bad = 0;
	struct insn c, x;
	char want[256], got[256];

	if (!cf || !xf) {
		printf("FAIL rvc.objdump: cannot open %s or %s\n", cpath, xpath);
		return 0;
	}
	for (h = 0; h < WORDS; h++) {
		uint32_t word;

		word = rvc_expand((uint16_t)h);
		if (!is_compressed(h)) {
			if (word && ++bad <= 10)
				printf("FAIL rvc.%04x: quadrant 3 expands to %08x, not 0\n", h,
				       word);
			continue;
		}
		if (!next_insn(cf, &c) || (word && !next_insn(xf, &x))) {
			printf("FAIL rvc.objdump: listing ends before halfword %04x\n", h);
			return 0;
		}
		if (objdump_accepts_reserved(h, &c)) {
			quirks++;
			if (word) {
				bad++;
				if (bad <= 10)
					printf(
					    "FAIL rvc.%04x: reserved c.addi16sp expands to %08x\n",
					    h, word);
			}
			continue;
		}
		if (!base_form(&c, want, sizeof(want))) {
			illegal++;
			if (word && ++bad <= 10)
				printf("FAIL rvc.%04x: objdump says [%s %s], expansion %08x is not "
				       "0\n",
				       h, c.mnem, c.ops, word);
			continue;
		}
		legal++;
		if (!strcmp(x.mnem, "jal") || !strncmp(x.mnem, "b", 1))
			relative_target(x.ops, sizeof(x.ops), x.addr);
		snprintf(got, sizeof(got), "%s%s%s", x.mnem, x.ops[0] ? "\t" : "", x.ops);
		if (!word || strcmp(want, got)) {
			if (++bad <= 10)
				printf("FAIL rvc.%04x: objdump [%s %s] means [%s], expansion %08x "
				       "is [%s]\n",
				       h, c.mnem, c.ops, want, word, word ? got : "illegal");
		}
	}
	if (bad)
		printf("FAIL rvc.sweep: %u of %u halfwords differ from objdump\n", bad, WORDS);
	else
		printf(
		    "PASS rvc.sweep (%u legal, %u illegal, %u reserved c.addi16sp objdump accepts, "
		    "%u quadrant-3 words)\n",
		    legal, illegal, quirks, WORDS - legal - illegal - quirks);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "gen"))
		return gen(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "check"))
		return check(argv[2], argv[3]);
	fprintf(stderr, "usage: rvc-sweep gen C.bin X.bin | check C.dis X.dis\n");
	return 2;
}
