/*
 * lz77 - a deflate-style LZ77 matcher (hash chains over a 32 KiB window,
 * matches of 3..258 bytes) and the matching decoder, over generated text.
 *
 * Byte compares in data-dependent loops, hash-table updates and scattered
 * loads: the inner loops of gzip and zlib.  The decoder's output is checked
 * against the input so a wrong translation cannot pass unnoticed.
 *
 * usage: lz77 [scale]   default 100; work grows linearly with scale
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_SIZE (256u << 10)
#define WINDOW 32768u
#define MIN_MATCH 3u
#define MAX_MATCH 258u
#define HASH_BITS 15
#define MAX_CHAIN 48

struct token {
	uint16_t length; /* 0: literal */
	uint16_t distance_or_byte;
};

static uint64_t rng_state = 0x2545f4914f6cdd1du;

static uint32_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717u) >> 32);
}

static void make_text(uint8_t *text, size_t n)
{
	static const char *const words[] = {
		"the ", "translator ", "of ", "a ", "block ", "register ", "guest ",
		"host ", "page ", "fault ", "and ", "to ", "in ", "kernel ", "cache ",
		"memory ", "monitor ", "ring ", "exit ", "code ", "is ", "branch ",
	};
	const size_t nwords = sizeof(words) / sizeof(words[0]);
	size_t i = 0;

	while (i < n) {
		uint32_t r = rng();
		if (r % 17 == 0) {
			text[i++] = (uint8_t)('0' + r % 10);
			continue;
		}
		const char *w = words[(r >> 8) % nwords];
		while (*w && i < n)
			text[i++] = (uint8_t)*w++;
		if ((r >> 20) % 11 == 0 && i < n)
			text[i++] = '\n';
	}
}

static unsigned hash3(const uint8_t *p)
{
	uint32_t v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
	return (v * 2654435761u) >> (32 - HASH_BITS);
}

static size_t compress(const uint8_t *in, size_t n, struct token *out, int32_t *head,
		       int32_t *prev)
{
	size_t ntok = 0, pos = 0;

	for (size_t i = 0; i < (1u << HASH_BITS); i++)
		head[i] = -1;
	while (pos < n) {
		unsigned best_len = 0, best_dist = 0;
		if (pos + MIN_MATCH <= n) {
			unsigned h = hash3(in + pos);
			int32_t cand = head[h];
			unsigned limit = n - pos < MAX_MATCH ? (unsigned)(n - pos) : MAX_MATCH;
			for (int chain = 0; cand >= 0 && chain < MAX_CHAIN; chain++) {
				if (pos - (size_t)cand > WINDOW)
					break;
				const uint8_t *a = in + cand, *b = in + pos;
				unsigned len = 0;
				while (len < limit && a[len] == b[len])
					len++;
				if (len > best_len) {
					best_len = len;
					best_dist = (unsigned)(pos - (size_t)cand);
					if (len == limit)
						break;
				}
				cand = prev[cand];
			}
			prev[pos] = head[h];
			head[h] = (int32_t)pos;
		}
		if (best_len >= MIN_MATCH) {
			out[ntok++] = (struct token){ (uint16_t)best_len, (uint16_t)best_dist };
			/* Insert the covered positions so later matches can find them. */
			for (size_t k = pos + 1; k < pos + best_len && k + MIN_MATCH <= n; k++) {
				unsigned h = hash3(in + k);
				prev[k] = head[h];
				head[h] = (int32_t)k;
			}
			pos += best_len;
		} else {
			out[ntok++] = (struct token){ 0, in[pos] };
			pos++;
		}
	}
	return ntok;
}

static size_t decompress(const struct token *tok, size_t ntok, uint8_t *out)
{
	size_t pos = 0;

	for (size_t i = 0; i < ntok; i++) {
		if (tok[i].length == 0) {
			out[pos++] = (uint8_t)tok[i].distance_or_byte;
			continue;
		}
		/* Overlapping copies are the point of LZ77: copy byte by byte. */
		const uint8_t *src = out + pos - tok[i].distance_or_byte;
		for (unsigned k = 0; k < tok[i].length; k++)
			out[pos + k] = src[k];
		pos += tok[i].length;
	}
	return pos;
}

int main(int argc, char **argv)
{
	long scale = argc > 1 ? strtol(argv[1], NULL, 10) : 100;
	uint8_t *text = malloc(TEXT_SIZE), *back = malloc(TEXT_SIZE);
	struct token *tok = malloc(TEXT_SIZE * sizeof(*tok));
	int32_t *head = malloc(sizeof(int32_t) << HASH_BITS);
	int32_t *prev = malloc(TEXT_SIZE * sizeof(int32_t));
	uint64_t sum = 0;

	if (scale < 1 || !text || !back || !tok || !head || !prev) {
		fprintf(stderr, "usage: %s [scale >= 1]\n", argv[0]);
		return 2;
	}
	make_text(text, TEXT_SIZE);
	for (long r = 0; r < scale * 4; r++) {
		/* A different slice each round so no two rounds are identical. */
		size_t n = TEXT_SIZE / 4 + (size_t)(r * 7919) % (TEXT_SIZE / 4 * 3);
		size_t ntok = compress(text, n, tok, head, prev);
		if (decompress(tok, ntok, back) != n || memcmp(back, text, n) != 0) {
			fprintf(stderr, "lz77: round %ld: decoded text differs\n", r);
			return 1;
		}
		for (size_t i = 0; i < ntok; i++)
			sum = sum * 1099511628211u + ((uint64_t)tok[i].length << 16 |
						      tok[i].distance_or_byte);
		sum += ntok;
	}
	printf("lz77 scale=%ld checksum=%016" PRIx64 "\n", scale, sum);
	free(prev);
	free(head);
	free(tok);
	free(back);
	free(text);
	return 0;
}
