/*
 * sigpipe.c MODE - write to stdout until the reader has gone.
 *   default   SIGPIPE as it comes: the process dies of it (status 141)
 *   ignore    SIGPIPE ignored: write fails with EPIPE and the program goes on
 *   handler   a handler counts SIGPIPE; write fails with EPIPE
 *   writev    as handler, through writev
 * The reader (head -c 1) leaves after one byte, so the results below do not
 * depend on how much got through before it did.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

static volatile sig_atomic_t caught;

static void on_sigpipe(int sig)
{
	(void)sig;
	caught++;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "default";
	static char buf[4096];
	struct iovec iov[2] = {{buf, 100}, {buf + 100, sizeof(buf) - 100}};
	ssize_t r;

	memset(buf, 'x', sizeof(buf));
	if (!strcmp(mode, "ignore"))
		signal(SIGPIPE, SIG_IGN);
	else if (strcmp(mode, "default"))
		signal(SIGPIPE, on_sigpipe);
	do
		r = strcmp(mode, "writev") ? write(1, buf, sizeof(buf)) : writev(1, iov, 2);
	while (r > 0);
	fprintf(stderr, "%s: write returned %zd, %s, SIGPIPE caught %d\n", mode, r,
		r < 0 ? strerror(errno) : "no error", (int)caught);
	return 3;
}
