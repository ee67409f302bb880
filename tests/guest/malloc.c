/*
 * malloc [ROUNDS [BIG]]: heap stress, many allocations of varied sizes (brk
 * for small ones, mmap past glibc's threshold), realloc growth and shrink, frees in a scrambled
 * order, calloc zeroing; every block is filled and verified, so a heap the
 * loader or brk/mmap got wrong shows up as a bad checksum, not a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 2048

static uint64_t state = 0x9e3779b97f4a7c15u;

static uint64_t next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 20000;
	/* Large blocks are at least this big: glibc mmaps above 128 KiB. */
	size_t big = argc > 2 ? strtoul(argv[2], NULL, 0) : 200000;
	static unsigned char *slot[SLOTS];
	static size_t len[SLOTS];
	uint64_t sum = 0;
	unsigned bad = 0;

	for (int r = 0; r < rounds; r++) {
		unsigned i = next() % SLOTS;
		if (slot[i]) {
			for (size_t k = 0; k < len[i]; k += 61)
				if (slot[i][k] != (unsigned char)(i + k))
					bad++;
			sum += len[i];
			if (next() % 4 == 0) {
				size_t nl = next() % 3 ? len[i] / 2 + 1 : len[i] * 2 + 7;
				unsigned char *p = realloc(slot[i], nl);
				for (size_t k = len[i]; k < nl; k++)
					p[k] = (unsigned char)(i + k);
				slot[i] = p;
				len[i] = nl;
				continue;
			}
			free(slot[i]);
			slot[i] = NULL;
			continue;
		}
		size_t n;
		switch (next() % 8) {
		case 0:
			n = big + next() % (big + big / 2);
			break;
		case 1:
		case 2:
			n = 1000 + next() % 20000;
			break;
		default:
			n = 1 + next() % 200;
			break;
		}
		unsigned char *p;
		if (next() % 5 == 0) {
			p = calloc(n, 1);
			for (size_t k = 0; k < n; k++)
				if (p[k])
					bad++;
		} else {
			p = malloc(n);
		}
		if (!p) {
			printf("allocation of %zu failed\n", n);
			return 1;
		}
		for (size_t k = 0; k < n; k++)
			p[k] = (unsigned char)(i + k);
		slot[i] = p;
		len[i] = n;
	}
	size_t live = 0, bytes = 0;
	for (unsigned i = 0; i < SLOTS; i++)
		if (slot[i]) {
			live++;
			bytes += len[i];
			free(slot[i]);
		}
	printf("rounds=%d live=%zu bytes=%zu sum=%llu bad=%u\n", rounds, live, bytes,
	       (unsigned long long)sum, bad);
	return bad != 0;
}
