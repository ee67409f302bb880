/*
 * sort - three sorts of pseudo-random 64-bit keys: an introsort-style
 * quicksort with insertion sort for short runs, a bottom-up merge sort, and
 * glibc's qsort with a comparison callback.
 *
 * Unpredictable compare-and-branch, swaps, and (for qsort) an indirect call
 * per comparison.
 *
 * usage: sort [scale]   default 100; work grows linearly with scale
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_KEYS (1u << 17)

static uint64_t rng_state = 0x853c49e6748fea9bu;

static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static void insertion_sort(uint64_t *a, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint64_t v = a[i];
		size_t j = i;
		while (j > 0 && a[j - 1] > v) {
			a[j] = a[j - 1];
			j--;
		}
		a[j] = v;
	}
}

static void quick_sort(uint64_t *a, size_t n)
{
	while (n > 16) {
		uint64_t x = a[0], y = a[n / 2], z = a[n - 1];
		uint64_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
		size_t i = 0, j = n - 1;
		for (;;) {
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i >= j)
				break;
			uint64_t t = a[i];
			a[i++] = a[j];
			a[j--] = t;
		}
		/* Recurse into the smaller half so the stack stays logarithmic. */
		if (j + 1 < n - j - 1) {
			quick_sort(a, j + 1);
			a += j + 1;
			n -= j + 1;
		} else {
			quick_sort(a + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	insertion_sort(a, n);
}

static void merge_sort(uint64_t *a, uint64_t *tmp, size_t n)
{
	for (size_t width = 1; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n;
			size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
			while (i < mid)
				tmp[k++] = a[i++];
			while (j < hi)
				tmp[k++] = a[j++];
		}
		memcpy(a, tmp, n * sizeof(*a));
	}
}

static int compare_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
	return (a > b) - (a < b);
}

static uint64_t digest(const uint64_t *a, size_t n)
{
	uint64_t h = 0;
	for (size_t i = 0; i < n; i++) {
		if (i && a[i - 1] > a[i])
			return 0;
		h = (h ^ a[i]) * 0x100000001b3u;
	}
	return h;
}

int main(int argc, char **argv)
{
	long scale = argc > 1 ? strtol(argv[1], NULL, 10) : 100;
	uint64_t *a = malloc(N_KEYS * sizeof(*a)), *tmp = malloc(N_KEYS * sizeof(*a));
	uint64_t sum = 0;

	if (scale < 1 || !a || !tmp) {
		fprintf(stderr, "usage: %s [scale >= 1]\n", argv[0]);
		return 2;
	}
	for (long r = 0; r < scale; r++) {
		/* Small key ranges in some rounds give many equal keys. */
		uint64_t mask = r % 3 == 2 ? 0xfff : UINT64_MAX;
		size_t n = N_KEYS - (size_t)(r % 97);
		uint64_t d;

		for (size_t i = 0; i < n; i++)
			a[i] = rng() & mask;
		switch (r % 3) {
		case 0:
			quick_sort(a, n);
			break;
		case 1:
			merge_sort(a, tmp, n);
			break;
		default:
			qsort(a, n, sizeof(*a), compare_u64);
			break;
		}
		d = digest(a, n);
		if (d == 0) {
			fprintf(stderr, "sort: round %ld: output not sorted\n", r);
			return 1;
		}
		sum = sum * 31 + d;
	}
	printf("sort scale=%ld checksum=%016" PRIx64 "\n", scale, sum);
	free(tmp);
	free(a);
	return 0;
}
