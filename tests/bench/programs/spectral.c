/*
 * spectral - power iteration for the spectral norm of the infinite matrix
 * A(i,j) = 1/((i+j)(i+j+1)/2 + i + 1), in the manner of the classic
 * spectral-norm benchmark.
 *
 * A double division per matrix element inside dense loops: integer index
 * arithmetic mixed with double-precision divide and add.
 *
 * usage: spectral [scale]   default 100; work grows linearly with scale
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 630

static double a_elem(int i, int j)
{
	return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1);
}

static void mul_av(const double *v, double *out)
{
	for (int i = 0; i < N; i++) {
		double s = 0;
		for (int j = 0; j < N; j++)
			s += a_elem(i, j) * v[j];
		out[i] = s;
	}
}

static void mul_atv(const double *v, double *out)
{
	for (int i = 0; i < N; i++) {
		double s = 0;
		for (int j = 0; j < N; j++)
			s += a_elem(j, i) * v[j];
		out[i] = s;
	}
}

static void mul_atav(const double *v, double *out, double *tmp)
{
	mul_av(v, tmp);
	mul_atv(tmp, out);
}

int main(int argc, char **argv)
{
	long scale = argc > 1 ? strtol(argv[1], NULL, 10) : 100;
	static double u[N], v[N], tmp[N];
	double vbv = 0, vv = 0, norm;
	uint64_t bits;

	if (scale < 1) {
		fprintf(stderr, "usage: %s [scale >= 1]\n", argv[0]);
		return 2;
	}
	for (int i = 0; i < N; i++)
		u[i] = 1;
	for (long k = 0; k < scale; k++) {
		mul_atav(u, v, tmp);
		mul_atav(v, u, tmp);
		/* Renormalise so long runs neither overflow nor underflow. */
		double m = 0;
		for (int i = 0; i < N; i++)
			m = fmax(m, fabs(u[i]));
		for (int i = 0; i < N; i++)
			u[i] /= m;
	}
	mul_atav(u, v, tmp);
	for (int i = 0; i < N; i++) {
		vbv += u[i] * v[i];
		vv += v[i] * v[i];
	}
	norm = sqrt(vbv / vv);
	memcpy(&bits, &norm, sizeof(bits));
	printf("spectral scale=%ld norm=%.9f checksum=%016" PRIx64 "\n", scale, norm, bits);
	return 0;
}
