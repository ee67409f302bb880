/*
 * Read standard input to the end (a pipe: reads return short counts) and
 * write it back upper-cased with line numbers, then the totals on stderr.
 */
#include <ctype.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	char buf[100];
	ssize_t n;
	unsigned long bytes = 0, lines = 0;
	int at_line_start = 1;
	while ((n = read(0, buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (at_line_start)
				printf("%4lu: ", ++lines);
			putchar(toupper((unsigned char)buf[i]));
			at_line_start = buf[i] == '\n';
		}
		bytes += n;
	}
	fprintf(stderr, "%lu bytes, %lu lines, read status %zd\n", bytes, lines, n);
	return 0;
}
