/*
 * benchrun - runs one command and reports how it went, for bench.sh.
 *
 * usage: benchrun [-t SECONDS] [-o FILE] [-e FILE] -- COMMAND [ARG...]
 *
 * Prints one line on its own stdout:  <status> <seconds> <peak-rss-KiB>
 * where status is the exit code, "sig<N>" if the command was killed by a
 * signal, or "timeout".  Seconds is wall-clock time from fork to reaping;
 * peak RSS is the child's ru_maxrss from wait4, which is the figure
 * /usr/bin/time -v reports, without a second process in the measurement.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: benchrun [-t SECONDS] [-o FILE] [-e FILE] -- COMMAND [ARG...]\n");
	exit(2);
}

static int open_output(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "benchrun: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	return fd;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) * 1e-9;
}

int main(int argc, char **argv)
{
	const char *out = "/dev/null", *err = "/dev/null";
	double timeout = 0;
	int opt;

	while ((opt = getopt(argc, argv, "+t:o:e:")) != -1) {
		switch (opt) {
		case 't': timeout = strtod(optarg, NULL); break;
		case 'o': out = optarg; break;
		case 'e': err = optarg; break;
		default: usage();
		}
	}
	if (optind >= argc)
		usage();

	int out_fd = open_output(out), err_fd = open_output(err);
	int in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	sigset_t chld;
	struct timespec t0;

	/* SIGCHLD stays blocked so sigtimedwait can wait for it with a timeout. */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0) {
		perror("benchrun: fork");
		return 2;
	}
	if (pid == 0) {
		setpgid(0, 0);
		sigprocmask(SIG_UNBLOCK, &chld, NULL);
		if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
			_exit(127);
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "benchrun: %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);

	int status, timed_out = 0;
	struct rusage ru;
	for (;;) {
		pid_t r = wait4(pid, &status, WNOHANG, &ru);
		if (r == pid)
			break;
		if (r < 0) {
			perror("benchrun: wait4");
			return 2;
		}
		double left = timeout > 0 ? timeout - seconds_since(&t0) : 3600;
		if (timeout > 0 && left <= 0) {
			/* The whole group: the command may have started helpers. */
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			timed_out = 1;
			if (wait4(pid, &status, 0, &ru) < 0) {
				perror("benchrun: wait4");
				return 2;
			}
			break;
		}
		struct timespec ts = { (time_t)left, (long)((left - (double)(time_t)left) * 1e9) };
		sigtimedwait(&chld, NULL, &ts);
	}
	double elapsed = seconds_since(&t0);

	if (timed_out)
		printf("timeout");
	else if (WIFSIGNALED(status))
		printf("sig%d", WTERMSIG(status));
	else
		printf("%d", WEXITSTATUS(status));
	printf(" %.4f %ld\n", elapsed, ru.ru_maxrss);
	return 0;
}
