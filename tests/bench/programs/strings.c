/*
 * strings - text processing through glibc's string functions: records are
 * assembled with memcpy, terminated and measured with strlen, searched with
 * strchr/memchr/strstr, compared with memcmp/strcmp and cleared with memset.
 *
 * The time goes to glibc's own string routines, on the mix of short and long
 * lengths real programs use: what a translator makes of the guest's
 * hand-tuned library code.
 *
 * usage: strings [scale]   default 100; work grows linearly with scale
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_FIELDS 64
#define RECORD_MAX 16384

static uint64_t rng_state = 0xdeadbeefcafef00du;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)rng_state;
}

int main(int argc, char **argv)
{
	long scale = argc > 1 ? strtol(argv[1], NULL, 10) : 100;
	char *field[N_FIELDS];
	size_t field_len[N_FIELDS];
	char *record = malloc(RECORD_MAX), *previous = malloc(RECORD_MAX);
	uint64_t sum = 0;

	if (scale < 1 || !record || !previous) {
		fprintf(stderr, "usage: %s [scale >= 1]\n", argv[0]);
		return 2;
	}
	for (int f = 0; f < N_FIELDS; f++) {
		/* Mostly short fields, a few long ones, as in log lines or CSV. */
		size_t len = f % 8 == 7 ? 512 + rng() % 1536 : 1 + rng() % 40;
		field[f] = malloc(len + 1);
		if (!field[f])
			return 1;
		for (size_t i = 0; i < len; i++)
			field[f][i] = (char)('a' + rng() % 26);
		field[f][len] = '\0';
		field_len[f] = len;
	}
	memset(previous, 0, RECORD_MAX);
	for (long r = 0; r < scale * 5200; r++) {
		size_t pos = 0;
		int nf = 8 + (int)(rng() % 24);

		memset(record, ' ', RECORD_MAX / 4);
		for (int k = 0; k < nf; k++) {
			int f = (int)(rng() % N_FIELDS);
			size_t len = strlen(field[f]);
			if (pos + len + 2 >= RECORD_MAX)
				break;
			memcpy(record + pos, field[f], len);
			pos += len;
			record[pos++] = ',';
		}
		record[pos] = '\0';
		sum += strlen(record);
		const char *comma = strchr(record, ',');
		sum += comma ? (uint64_t)(comma - record) : 0;
		const char *z = memchr(record, 'z', pos);
		sum += z ? (uint64_t)(z - record) : 0;
		const char *hit = strstr(record, "qu");
		sum += hit ? (uint64_t)(hit - record) : 7;
		sum += (uint64_t)(memcmp(record, previous, pos / 2) > 0);
		sum += (uint64_t)(strcmp(record, previous) < 0);
		sum += field_len[r % N_FIELDS];
		memcpy(previous, record, pos + 1);
		sum = sum * 1000003u;
	}
	printf("strings scale=%ld checksum=%016" PRIx64 "\n", scale, sum);
	for (int f = 0; f < N_FIELDS; f++)
		free(field[f]);
	free(previous);
	free(record);
	return 0;
}
