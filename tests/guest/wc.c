/*
 * wc: lines, words and bytes of the file named in argv[1] (or stdin), read
 * in 64 KiB blocks, plus a checksum so a short or corrupted read shows.
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd = argc > 1 ? open(argv[1], O_RDONLY) : 0;
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	static unsigned char buf[65536];
	unsigned long lines = 0, words = 0, bytes = 0, hash = 5381;
	int inword = 0;
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			unsigned char c = buf[i];
			hash = hash * 33 + c;
			if (c == '\n')
				lines++;
			if (isspace(c))
				inword = 0;
			else if (!inword) {
				inword = 1;
				words++;
			}
		}
		bytes += n;
	}
	if (n < 0) {
		perror("read");
		return 1;
	}
	printf("%7lu %7lu %7lu %016lx\n", lines, words, bytes, hash);
	return 0;
}
