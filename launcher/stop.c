/*
 * stop.c - how a run ends from outside the guest: `--timeout`, SIGINT and
 * SIGTERM, and a reader that goes away (SIGPIPE).  Installed once, before
 * either platform starts: on proc the seccomp filter forbids rt_sigaction
 * and setitimer afterwards, so nothing of this can be changed by a guest
 * that gets control of the process.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "launcher.h"

/* timeout(1)'s status when the time runs out, so scripts read it the same. */
#define STATUS_TIMEOUT 124
#define STATUS_SIGNALLED 128

/* Written once before the timer is armed; the handler only reads it. */
static char timeout_message[64];
static size_t timeout_message_len;

/*
 * The handlers end the process at once with _exit: every guest write is a
 * host write(2) that has returned before the guest goes on, so nothing
 * buffered is lost (docs/security.md, "Nothing written is lost").  On kvm
 * the signal lands in the launcher thread that sits in KVM_RUN; exiting
 * there tears the VM down with the process, as the kernel does for a killed
 * qemu.  kvm.c replaces the SIGINT/SIGTERM handler for its vCPU loop with
 * one that ends the loop with the same status.
 */
static void on_timeout(int sig)
{
	ssize_t r = write(STDERR_FILENO, timeout_message, timeout_message_len);

	(void)sig;
	(void)r;
	_exit(STATUS_TIMEOUT);
}

static void on_stop(int sig)
{
	_exit(STATUS_SIGNALLED + sig);
}

static void handle(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	/* The alternate stack of proc's fault handler, if any: a signal that
	 * arrives while translated code runs must not depend on its stack. */
	sa.sa_flags = SA_ONSTACK;
	sigfillset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) < 0)
		die(70, "sigaction(%s): %s", strsignal(sig), strerror(errno));
}

void launcher_stop_install(const struct launch_config *cfg)
{
	handle(SIGPIPE, SIG_IGN);
	/*
	 * A shell starts background jobs with SIGINT ignored; a runaway guest
	 * must still stop on `kill -INT`, as the kvm vCPU loop does.
	 */
	handle(SIGINT, on_stop);
	handle(SIGTERM, on_stop);
	if (cfg->timeout_ms == 0)
		return;

	struct itimerval it = {
	    .it_value = {.tv_sec = (time_t)(cfg->timeout_ms / 1000),
			 .tv_usec = (suseconds_t)(cfg->timeout_ms % 1000) * 1000},
	};
	int n = snprintf(timeout_message, sizeof(timeout_message), "rvkvm: timeout after %s s\n",
			 cfg->timeout_text);

	timeout_message_len = n > 0 && (size_t)n < sizeof(timeout_message) ? (size_t)n : 0;
	handle(SIGALRM, on_timeout);
	if (setitimer(ITIMER_REAL, &it, NULL) < 0)
		die(70, "setitimer: %s", strerror(errno));
}
