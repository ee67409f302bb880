/*
 * syswrite - one-byte write(2)s to /dev/null.
 *
 * Almost nothing but system calls: under the kvm platform each one is a
 * request to the launcher, so this measures the guest-to-host I/O path
 * (ring, doorbell, exits) rather than translated code.
 *
 * usage: syswrite [scale]   default 100 = 7,500,000 writes; linear in scale
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define WRITES_PER_SCALE 75000

int main(int argc, char **argv)
{
	long scale = argc > 1 ? strtol(argv[1], NULL, 10) : 100;
	uint64_t sum = 0;
	int fd;

	if (scale < 1) {
		fprintf(stderr, "usage: %s [scale >= 1]\n", argv[0]);
		return 2;
	}
	fd = open("/dev/null", O_WRONLY);
	if (fd < 0) {
		perror("syswrite: /dev/null");
		return 1;
	}
	for (long i = 0; i < scale * WRITES_PER_SCALE; i++) {
		char c = (char)('a' + i % 26);
		ssize_t n = write(fd, &c, 1);
		if (n != 1) {
			perror("syswrite: write");
			return 1;
		}
		sum = sum * 31 + (uint64_t)n + (uint64_t)(i & 0xff);
	}
	close(fd);
	printf("syswrite scale=%ld writes=%ld checksum=%016" PRIx64 "\n", scale,
	       scale * WRITES_PER_SCALE, sum);
	return 0;
}
