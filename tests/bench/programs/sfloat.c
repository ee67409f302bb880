/*
 * sfloat - single-precision numerics: a Mandelbrot escape-time image in
 * float, then a 3x3 convolution and a 16-tap FIR filter over it.
 *
 * riscv64 keeps floats NaN-boxed in 64-bit registers and converts between
 * float and integer often here, so the translator's single-precision path
 * (flw/fsw, fcvt.s.w, fmul.s, flt.s) carries the whole run.
 *
 * usage: sfloat [scale]   default 100; work grows linearly with scale
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W 96
#define H 64
#define MAX_ITER 64
#define TAPS 16

static void mandelbrot(float *img, float cx0, float cy0, float step)
{
	for (int y = 0; y < H; y++) {
		for (int x = 0; x < W; x++) {
			float cr = cx0 + (float)x * step, ci = cy0 + (float)y * step;
			float zr = 0, zi = 0;
			int it = 0;
			while (it < MAX_ITER && zr * zr + zi * zi < 4.0f) {
				float t = zr * zr - zi * zi + cr;
				zi = 2.0f * zr * zi + ci;
				zr = t;
				it++;
			}
			img[y * W + x] = (float)it / MAX_ITER + zr * 0.001f;
		}
	}
}

static void convolve(const float *in, float *out)
{
	static const float k[3][3] = { { 0.0625f, 0.125f, 0.0625f },
				       { 0.125f, 0.25f, 0.125f },
				       { 0.0625f, 0.125f, 0.0625f } };
	for (int y = 1; y < H - 1; y++)
		for (int x = 1; x < W - 1; x++) {
			float s = 0;
			for (int dy = -1; dy <= 1; dy++)
				for (int dx = -1; dx <= 1; dx++)
					s += k[dy + 1][dx + 1] * in[(y + dy) * W + x + dx];
			out[y * W + x] = s;
		}
}

static float fir(const float *in, int n)
{
	static const float taps[TAPS] = { 0.01f, -0.02f, 0.05f, 0.1f, 0.15f, 0.2f, 0.25f, 0.3f,
					  0.3f,  0.25f,  0.2f,  0.15f, 0.1f, 0.05f, -0.02f, 0.01f };
	float acc = 0;
	for (int i = TAPS; i < n; i++) {
		float s = 0;
		for (int t = 0; t < TAPS; t++)
			s += taps[t] * in[i - t];
		acc = acc * 0.5f + s;
	}
	return acc;
}

int main(int argc, char **argv)
{
	long scale = argc > 1 ? strtol(argv[1], NULL, 10) : 100;
	float *img = malloc(W * H * sizeof(float)), *blur = calloc(W * H, sizeof(float));
	uint64_t sum = 0;

	if (scale < 1 || !img || !blur) {
		fprintf(stderr, "usage: %s [scale >= 1]\n", argv[0]);
		return 2;
	}
	for (long r = 0; r < scale; r++) {
		float zoom = 1.0f + (float)(r % 16) * 0.25f;
		mandelbrot(img, -2.2f / zoom - 0.5f, -1.1f / zoom, 3.0f / zoom / W);
		convolve(img, blur);
		float f = fir(blur, W * H);
		uint32_t bits;
		memcpy(&bits, &f, sizeof(bits));
		sum = sum * 1000003u + bits;
		for (int i = 0; i < W * H; i += 97) {
			memcpy(&bits, &blur[i], sizeof(bits));
			sum = (sum ^ bits) * 0x100000001b3u;
		}
	}
	printf("sfloat scale=%ld checksum=%016" PRIx64 "\n", scale, sum);
	free(blur);
	free(img);
	return 0;
}
