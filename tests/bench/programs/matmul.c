/*
 * matmul - dense double-precision matrix multiplication, C += A * B, with
 * the i-k-j loop order so the inner loop streams through rows.
 *
 * The inner loop is a multiply-add over contiguous doubles that native
 * compilers vectorise; a translator sees the scalar riscv64 version.
 *
 * usage: matmul [scale]   default 100; work grows linearly with scale
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 140

int main(int argc, char **argv)
{
	long scale = argc > 1 ? strtol(argv[1], NULL, 10) : 100;
	double *a = malloc(N * N * sizeof(double)), *b = malloc(N * N * sizeof(double));
	double *c = malloc(N * N * sizeof(double));
	uint64_t sum = 0;

	if (scale < 1 || !a || !b || !c) {
		fprintf(stderr, "usage: %s [scale >= 1]\n", argv[0]);
		return 2;
	}
	for (int i = 0; i < N; i++) {
		for (int j = 0; j < N; j++) {
			/* Small dyadic-free values keep every product inexact: rounding is tested. */
			a[i * N + j] = (double)((i * 7 + j * 3) % 17 - 8) / 9.0;
			b[i * N + j] = (double)((i * 5 + j * 11) % 13 - 6) / 7.0;
		}
	}
	for (long r = 0; r < scale; r++) {
		memset(c, 0, N * N * sizeof(double));
		for (int i = 0; i < N; i++)
			for (int k = 0; k < N; k++) {
				double aik = a[i * N + k];
				for (int j = 0; j < N; j++)
					c[i * N + j] += aik * b[k * N + j];
			}
		/* Feed the result back so no round can be skipped. */
		for (int i = 0; i < N; i++)
			a[i * N + (int)(r % N)] = c[i * N + i] / (1.0 + N);
		for (int i = 0; i < N * N; i++) {
			uint64_t bits;
			memcpy(&bits, &c[i], sizeof(bits));
			sum = (sum ^ bits) * 0x100000001b3u;
		}
	}
	printf("matmul scale=%ld checksum=%016" PRIx64 "\n", scale, sum);
	free(c);
	free(b);
	free(a);
	return 0;
}
