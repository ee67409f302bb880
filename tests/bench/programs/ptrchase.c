/*
 * ptrchase - walks a random single-cycle linked list of 64-byte nodes.
 *
 * At the default scale the list spans 100 MiB, far beyond L2 and the last
 * level cache, and nearly every step lands on a different 4 KiB page: each
 * load is a TLB miss and a cache miss, and the next address depends on it.
 * This is where the cost of the guest memory mapping (x86 paging under KVM,
 * the host process's own page tables under proc) shows.
 *
 * usage: ptrchase [scale]   default 100; work grows linearly with scale,
 *                           the list with it (1 MiB per unit) up to 128 MiB
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#define NODES_PER_SCALE (1u << 14)
#define MAX_NODES (1u << 21)
#define STEPS_PER_SCALE 150000u

struct node {
	struct node *next;
	uint64_t value;
	uint64_t pad[6]; /* one node per 64-byte cache line */
};

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

int main(int argc, char **argv)
{
	long scale = argc > 1 ? strtol(argv[1], NULL, 10) : 100;
	size_t n = (size_t)scale * NODES_PER_SCALE;
	struct node *nodes;
	uint32_t *order;

	if (scale < 1) {
		fprintf(stderr, "usage: %s [scale >= 1]\n", argv[0]);
		return 2;
	}
	if (n > MAX_NODES)
		n = MAX_NODES;
	nodes = malloc(n * sizeof(*nodes));
	order = malloc(n * sizeof(*order));
	if (!nodes || !order) {
		fprintf(stderr, "ptrchase: out of memory\n");
		return 1;
	}
	/* Sattolo's shuffle gives a permutation that is one cycle through all nodes. */
	for (size_t i = 0; i < n; i++)
		order[i] = (uint32_t)i;
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = rng() % i;
		uint32_t t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (size_t i = 0; i < n; i++) {
		nodes[order[i]].next = &nodes[order[(i + 1) % n]];
		nodes[order[i]].value = rng();
	}
	free(order);

	struct node *p = &nodes[0];
	uint64_t sum = 0, steps = (uint64_t)scale * STEPS_PER_SCALE;
	for (uint64_t s = 0; s < steps; s++) {
		sum += p->value ^ s;
		p = p->next;
	}
	printf("ptrchase scale=%ld nodes=%zu checksum=%016" PRIx64 "\n", scale, n, sum);
	free(nodes);
	return 0;
}
