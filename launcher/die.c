/*
 * die.c - the launcher's one way to give up: a single line on stderr naming
 * what failed, then the exit status a shell would use for it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "launcher.h"

void die(int status, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("rvkvm: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}
