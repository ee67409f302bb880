/*
 * bintrees - allocates and frees many short-lived binary trees of several
 * depths while one long-lived tree stays live, in the manner of the classic
 * binary-trees benchmark.
 *
 * Nearly all time goes to glibc malloc/free and to building and walking
 * pointer structures; the guest heap grows with brk and mmap, so the
 * platform's memory-mapping path is exercised as well.
 *
 * usage: bintrees [scale]   default 100; work grows linearly with scale
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#define MIN_DEPTH 4
#define MAX_DEPTH 12
#define LONG_LIVED_DEPTH 16

struct tree {
	struct tree *left, *right;
	uint32_t item;
};

static struct tree *build(int depth, uint32_t item)
{
	struct tree *t = malloc(sizeof(*t));
	if (!t) {
		fprintf(stderr, "bintrees: out of memory\n");
		exit(1);
	}
	t->item = item;
	if (depth > 0) {
		t->left = build(depth - 1, 2 * item);
		t->right = build(depth - 1, 2 * item + 1);
	} else {
		t->left = t->right = NULL;
	}
	return t;
}

static uint64_t check(const struct tree *t)
{
	if (!t->left)
		return t->item;
	return t->item + check(t->left) - check(t->right) + 3;
}

static void destroy(struct tree *t)
{
	if (t->left) {
		destroy(t->left);
		destroy(t->right);
	}
	free(t);
}

int main(int argc, char **argv)
{
	long scale = argc > 1 ? strtol(argv[1], NULL, 10) : 100;
	uint64_t sum = 0;

	if (scale < 1) {
		fprintf(stderr, "usage: %s [scale >= 1]\n", argv[0]);
		return 2;
	}
	struct tree *long_lived = build(LONG_LIVED_DEPTH, 1);
	for (long r = 0; r < scale; r++) {
		for (int d = MIN_DEPTH; d <= MAX_DEPTH; d += 2) {
			/* Equal node counts per depth: many small trees, few big ones. */
			long iterations = 3L << (MAX_DEPTH - d + 1);
			for (long i = 0; i < iterations; i++) {
				struct tree *t = build(d, (uint32_t)(i + r));
				sum = sum * 3 + check(t);
				destroy(t);
			}
		}
	}
	sum += check(long_lived);
	destroy(long_lived);
	printf("bintrees scale=%ld checksum=%016" PRIx64 "\n", scale, sum);
	return 0;
}
