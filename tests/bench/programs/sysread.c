/*
 * sysread - reads a 4 MiB file in 4 KiB chunks, over and over.
 *
 * The file is written once in $TMPDIR (default /tmp) and removed at the
 * end.  Each read(2) copies a page of file data into guest memory: the cost
 * of a system call with a data payload on each platform.
 *
 * usage: sysread [scale]   default 100; work grows linearly with scale
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FILE_SIZE (4u << 20)
#define CHUNK 4096

int main(int argc, char **argv)
{
	long scale = argc > 1 ? strtol(argv[1], NULL, 10) : 100;
	const char *dir = getenv("TMPDIR");
	static uint8_t buf[CHUNK];
	char path[512];
	uint64_t sum = 0, x = 0x6a09e667f3bcc908u;
	int fd;

	if (scale < 1) {
		fprintf(stderr, "usage: %s [scale >= 1]\n", argv[0]);
		return 2;
	}
	snprintf(path, sizeof(path), "%s/rvkvm-bench-sysread.%ld", dir && *dir ? dir : "/tmp",
		 (long)getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	for (unsigned off = 0; off < FILE_SIZE; off += CHUNK) {
		for (unsigned i = 0; i < CHUNK; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			buf[i] = (uint8_t)x;
		}
		if (write(fd, buf, CHUNK) != CHUNK) {
			perror("sysread: write");
			unlink(path);
			return 1;
		}
	}
	/* Whole passes while they fit, then a partial pass, so work is linear in scale. */
	uint64_t chunks = (uint64_t)scale * 30000, done = 0;
	while (done < chunks) {
		if (lseek(fd, 0, SEEK_SET) != 0) {
			perror("sysread: lseek");
			unlink(path);
			return 1;
		}
		for (; done < chunks; done++) {
			ssize_t n = read(fd, buf, CHUNK);
			if (n == 0)
				break;
			if (n != CHUNK) {
				perror("sysread: read");
				unlink(path);
				return 1;
			}
			uint64_t w0, w1;
			memcpy(&w0, buf + (done % 64) * 8, 8);
			memcpy(&w1, buf + CHUNK - 8, 8);
			sum = (sum ^ w0 ^ (w1 << 1)) * 0x100000001b3u;
		}
	}
	close(fd);
	unlink(path);
	printf("sysread scale=%ld chunks=%" PRIu64 " checksum=%016" PRIx64 "\n", scale, chunks, sum);
	return 0;
}
