/*
 * compiler - the passes of a small compiler over random expression trees:
 * constant folding and algebraic simplification, Sethi-Ullman register
 * labelling, code generation to a register machine, and a run of the code.
 *
 * Recursive tree walks, switches on node kinds and data-dependent branches:
 * the integer control flow of compilers and other symbolic programs.
 *
 * usage: compiler [scale]   default 100; work grows linearly with scale
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_NODES (1 << 16)
#define MAX_CODE (1 << 17)
#define N_VARS 8
#define TREE_DEPTH 11
#define TREES_PER_SCALE 220

enum kind { K_CONST, K_VAR, K_ADD, K_SUB, K_MUL, K_AND, K_XOR, K_SHL, K_NEG, K_SELECT };

struct node {
	enum kind kind;
	int a, b, c;   /* children (node indices), -1 if absent */
	int64_t value; /* K_CONST value, K_VAR index */
	int need;      /* registers the subtree needs (Sethi-Ullman) */
};

struct insn {
	uint8_t op; /* enum kind; K_CONST/K_VAR load into dst */
	uint8_t dst, x, y, z;
	int64_t imm;
};

struct compiler {
	struct node node[MAX_NODES];
	int nnodes;
	struct insn code[MAX_CODE];
	int ncode;
	uint64_t rng;
	uint64_t folded;
};

static uint32_t rng(struct compiler *cc)
{
	cc->rng ^= cc->rng << 13;
	cc->rng ^= cc->rng >> 7;
	cc->rng ^= cc->rng << 17;
	return (uint32_t)(cc->rng >> 11);
}

static int new_node(struct compiler *cc, enum kind k, int a, int b, int c, int64_t value)
{
	struct node *n = &cc->node[cc->nnodes];
	n->kind = k;
	n->a = a;
	n->b = b;
	n->c = c;
	n->value = value;
	n->need = 0;
	return cc->nnodes++;
}

static int generate(struct compiler *cc, int depth)
{
	uint32_t r = rng(cc);

	/* The node cap keeps worst-case trees (three-way selects) in the arena,
	 * with room for the nodes simplify adds. */
	if (depth == 0 || r % 8 == 0 || cc->nnodes > MAX_NODES / 2) {
		if (r & 0x100)
			return new_node(cc, K_CONST, -1, -1, -1, (int64_t)(r >> 12) % 5);
		return new_node(cc, K_VAR, -1, -1, -1, (r >> 12) % N_VARS);
	}
	enum kind k = (enum kind)(K_ADD + (r >> 4) % 8);
	int a = generate(cc, depth - 1);
	int b = k == K_NEG ? -1 : generate(cc, depth - 1);
	int c = k == K_SELECT ? generate(cc, depth - 1) : -1;
	return new_node(cc, k, a, b, c, 0);
}

static int is_const(const struct compiler *cc, int n, int64_t v)
{
	return cc->node[n].kind == K_CONST && cc->node[n].value == v;
}

static uint64_t apply(enum kind k, uint64_t x, uint64_t y, uint64_t z)
{
	switch (k) {
	case K_ADD: return x + y;
	case K_SUB: return x - y;
	case K_MUL: return x * y;
	case K_AND: return x & y;
	case K_XOR: return x ^ y;
	case K_SHL: return x << (y & 15);
	case K_NEG: return -x;
	case K_SELECT: return x & 1 ? y : z;
	default: return 0;
	}
}

/* Folds constants and drops identities; returns the node that replaces n. */
static int simplify(struct compiler *cc, int n)
{
	struct node *nd = &cc->node[n];

	if (nd->kind == K_CONST || nd->kind == K_VAR)
		return n;
	int a = simplify(cc, nd->a);
	int b = nd->b >= 0 ? simplify(cc, nd->b) : -1;
	int c = nd->c >= 0 ? simplify(cc, nd->c) : -1;
	nd->a = a;
	nd->b = b;
	nd->c = c;
	int all_const = cc->node[a].kind == K_CONST && (b < 0 || cc->node[b].kind == K_CONST) &&
			(c < 0 || cc->node[c].kind == K_CONST);
	if (all_const) {
		cc->folded++;
		nd->value = (int64_t)apply(nd->kind, (uint64_t)cc->node[a].value,
					   b >= 0 ? (uint64_t)cc->node[b].value : 0,
					   c >= 0 ? (uint64_t)cc->node[c].value : 0);
		nd->kind = K_CONST;
		nd->a = nd->b = nd->c = -1;
		return n;
	}
	switch (nd->kind) {
	case K_ADD:
	case K_XOR:
		if (is_const(cc, a, 0))
			return cc->folded++, b;
		if (is_const(cc, b, 0))
			return cc->folded++, a;
		break;
	case K_SUB:
	case K_SHL:
		if (is_const(cc, b, 0))
			return cc->folded++, a;
		break;
	case K_MUL:
		if (is_const(cc, a, 1))
			return cc->folded++, b;
		if (is_const(cc, b, 1))
			return cc->folded++, a;
		if (is_const(cc, a, 0) || is_const(cc, b, 0)) {
			cc->folded++;
			return new_node(cc, K_CONST, -1, -1, -1, 0);
		}
		break;
	case K_AND:
		if (is_const(cc, a, 0) || is_const(cc, b, 0)) {
			cc->folded++;
			return new_node(cc, K_CONST, -1, -1, -1, 0);
		}
		break;
	case K_SELECT:
		if (cc->node[a].kind == K_CONST)
			return cc->folded++, cc->node[a].value & 1 ? b : c;
		break;
	default:
		break;
	}
	return n;
}

static int label(struct compiler *cc, int n)
{
	struct node *nd = &cc->node[n];
	int need;

	if (nd->a < 0) {
		need = 1;
	} else if (nd->b < 0) {
		need = label(cc, nd->a);
	} else {
		int la = label(cc, nd->a), lb = label(cc, nd->b);
		need = la == lb ? la + 1 : (la > lb ? la : lb);
		if (nd->c >= 0) {
			int lc = label(cc, nd->c);
			need = need > lc + 2 ? need : lc + 2;
		}
	}
	nd->need = need;
	return need;
}

/* Emits code leaving the value of n in register base; uses base.. upwards. */
static void codegen(struct compiler *cc, int n, int base)
{
	const struct node *nd = &cc->node[n];
	struct insn *in;

	if (nd->a < 0) {
		in = &cc->code[cc->ncode++];
		*in = (struct insn){ (uint8_t)nd->kind, (uint8_t)base, 0, 0, 0, nd->value };
		return;
	}
	if (nd->b < 0) {
		codegen(cc, nd->a, base);
		in = &cc->code[cc->ncode++];
		*in = (struct insn){ (uint8_t)nd->kind, (uint8_t)base, (uint8_t)base, 0, 0, 0 };
		return;
	}
	/* Sethi-Ullman: evaluate the needier operand first. */
	int first = nd->a, second = nd->b, swapped = 0;
	if (cc->node[nd->b].need > cc->node[nd->a].need) {
		first = nd->b;
		second = nd->a;
		swapped = 1;
	}
	codegen(cc, first, base);
	codegen(cc, second, base + 1);
	int x = swapped ? base + 1 : base, y = swapped ? base : base + 1, z = 0;
	if (nd->c >= 0) {
		codegen(cc, nd->c, base + 2);
		z = base + 2;
	}
	in = &cc->code[cc->ncode++];
	*in = (struct insn){ (uint8_t)nd->kind, (uint8_t)base, (uint8_t)x, (uint8_t)y, (uint8_t)z,
			     0 };
}

static uint64_t execute(const struct insn *code, int n, const uint64_t *vars)
{
	uint64_t reg[64] = { 0 };

	for (int i = 0; i < n; i++) {
		const struct insn *in = &code[i];
		switch (in->op) {
		case K_CONST:
			reg[in->dst] = (uint64_t)in->imm;
			break;
		case K_VAR:
			reg[in->dst] = vars[in->imm];
			break;
		default:
			reg[in->dst] = apply((enum kind)in->op, reg[in->x], reg[in->y], reg[in->z]);
			break;
		}
	}
	return reg[0];
}

int main(int argc, char **argv)
{
	long scale = argc > 1 ? strtol(argv[1], NULL, 10) : 100;
	struct compiler *cc = malloc(sizeof(*cc));
	uint64_t sum = 0;

	if (scale < 1 || !cc) {
		fprintf(stderr, "usage: %s [scale >= 1]\n", argv[0]);
		return 2;
	}
	cc->rng = 0x0123456789abcdefu;
	cc->folded = 0;
	for (long t = 0; t < scale * TREES_PER_SCALE; t++) {
		cc->nnodes = 0;
		cc->ncode = 0;
		int root = generate(cc, TREE_DEPTH);
		root = simplify(cc, root);
		int need = label(cc, root);
		codegen(cc, root, 0);
		uint64_t vars[N_VARS];
		for (int v = 0; v < N_VARS; v++)
			vars[v] = (uint64_t)t * 0x9e3779b97f4a7c15u + (uint64_t)v;
		for (int run = 0; run < 4; run++) {
			vars[run] += (uint64_t)run;
			sum = sum * 1000003u + execute(cc->code, cc->ncode, vars);
		}
		sum += (uint64_t)need * 7 + (uint64_t)cc->ncode;
	}
	printf("compiler scale=%ld folded=%" PRIu64 " checksum=%016" PRIx64 "\n", scale,
	       cc->folded, sum);
	free(cc);
	return 0;
}
