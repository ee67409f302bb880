/*
 * crc32 - table-driven CRC-32 (the IEEE 802.3 polynomial, reflected, as in
 * zlib and gzip) over a pseudo-random buffer.
 *
 * One table load, a shift and two xors per byte: a tight loop of byte loads
 * and dependent ALU operations.
 *
 * usage: crc32 [scale]   default 100; work grows linearly with scale
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#define BUF_SIZE (3u << 20)
#define CRC_POLY 0xedb88320u /* reflected 0x04c11db7 */

static uint32_t crc_table[256];

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ CRC_POLY : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t crc_update(uint32_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	while (n--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

int main(int argc, char **argv)
{
	long scale = argc > 1 ? strtol(argv[1], NULL, 10) : 100;
	uint8_t *buf = malloc(BUF_SIZE);
	uint64_t x = 0x9e3779b97f4a7c15u;
	uint32_t crc = 0;

	if (scale < 1 || !buf) {
		fprintf(stderr, "usage: %s [scale >= 1]\n", argv[0]);
		return 2;
	}
	crc_init();
	for (size_t i = 0; i < BUF_SIZE; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = (uint8_t)(x >> 24);
	}
	/* Known answer from the CRC catalogue: CRC-32("123456789") = cbf43926. */
	if (crc_update(0, (const uint8_t *)"123456789", 9) != 0xcbf43926u) {
		fprintf(stderr, "crc32: self-test failed\n");
		return 1;
	}
	for (long r = 0; r < scale * 3; r++) {
		buf[(size_t)r % BUF_SIZE] ^= (uint8_t)r;
		crc = crc_update(crc, buf, BUF_SIZE);
	}
	printf("crc32 scale=%ld checksum=%08" PRIx32 "\n", scale, crc);
	free(buf);
	return 0;
}
