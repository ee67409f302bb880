/*
 * hostsig.c - a guest that host signals reach (tests/security/run-hostsignals.sh).
 * It says "ready" on stdout once its dispositions are in place, then waits
 * the way MODE says; the script sends the signal after "ready".
 *
 *   hostsig handle SIG      handler prints "got SIG" and exits 3; waits spinning
 *   hostsig handle-read SIG the same, waiting in read(0) (SA_RESTART): a
 *                           handler that returns restarts the read
 *   hostsig eintr SIG       handler without SA_RESTART returns; the read
 *                           gives -1 EINTR, printed; exit 4
 *   hostsig ignore SIG      SIG_IGN; waits in read(0), prints what it read
 *   hostsig default         no handler; spins
 *   hostsig sleep SIG       handler (none for 0) that returns; waits in
 *                           sleep(30), prints whether it was cut short; exit 6
 *   hostsig mapshared FILE  writes "mapped-data\n" into a MAP_SHARED mapping
 *                           of FILE (12 bytes), then spins storing to it
 *   hostsig pipe            writes to stdout until it fails; prints errno
 *                           on stderr (EPIPE when SIGPIPE is ignored)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static volatile unsigned long counter;

static void say(const char *text)
{
	ssize_t r = write(STDOUT_FILENO, text, strlen(text));

	(void)r;
}

static void on_signal_exit(int sig)
{
	char line[32];

	snprintf(line, sizeof(line), "got %d\n", sig);
	say(line);
	_exit(3);
}

static void on_signal_return(int sig)
{
	char line[32];

	snprintf(line, sizeof(line), "got %d\n", sig);
	say(line);
}

static void install(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) < 0) {
		perror("sigaction");
		exit(2);
	}
}

static _Noreturn void spin(void)
{
	for (;;)
		counter++;
}

static void read_stdin(void)
{
	char buf[64];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf) - 1);
	char line[96];

	if (n < 0) {
		snprintf(line, sizeof(line), "read -1 %s\n", errno == EINTR ? "EINTR" : "other");
	} else {
		buf[n] = 0;
		snprintf(line, sizeof(line), "read %zd\n", n);
	}
	say(line);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	int sig = argc > 2 ? atoi(argv[2]) : 0;

	if (!strcmp(mode, "handle")) {
		install(sig, on_signal_exit, 0);
		say("ready\n");
		spin();
	}
	if (!strcmp(mode, "handle-read")) {
		install(sig, on_signal_exit, SA_RESTART);
		say("ready\n");
		read_stdin();
		return 0;
	}
	if (!strcmp(mode, "eintr")) {
		install(sig, on_signal_return, 0);
		say("ready\n");
		read_stdin();
		return 4;
	}
	if (!strcmp(mode, "ignore")) {
		install(sig, SIG_IGN, 0);
		say("ready\n");
		read_stdin();
		return 0;
	}
	if (!strcmp(mode, "sleep")) {
		if (sig)
			install(sig, on_signal_return, 0);
		say("ready\n");
		say(sleep(30) ? "sleep cut short\n" : "slept\n");
		return 6;
	}
	if (!strcmp(mode, "default")) {
		say("ready\n");
		spin();
	}
	if (!strcmp(mode, "mapshared") && argc > 2) {
		int fd = open(argv[2], O_RDWR | O_CREAT | O_TRUNC, 0644);
		char *p;

		if (fd < 0 || ftruncate(fd, 12) < 0) {
			perror(argv[2]);
			return 2;
		}
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED) {
			perror("mmap");
			return 2;
		}
		memcpy(p, "mapped-data\n", 12);
		say("ready\n");
		for (;;)
			((volatile char *)p)[11] = '\n';
	}
	if (!strcmp(mode, "pipe")) {
		static char block[4096];

		memset(block, 'x', sizeof(block));
		for (;;) {
			if (write(STDOUT_FILENO, block, sizeof(block)) < 0) {
				fprintf(stderr, "write: %s\n", strerror(errno));
				return 5;
			}
		}
	}
	fprintf(stderr, "usage: hostsig handle|handle-read|eintr|ignore|sleep SIG, default, "
			"mapshared FILE, pipe\n");
	return 2;
}
