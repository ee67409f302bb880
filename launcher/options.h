/*
 * options.h - the command line, parsed: what main() is to do and the
 * launch_config every platform receives.
 */
#ifndef RVKVM_OPTIONS_H
#define RVKVM_OPTIONS_H

#include "launcher.h"

enum launcher_action {
	ACTION_RUN, /* a program or a monitor payload on a platform */
	ACTION_HELP,
	ACTION_VERSION,
	ACTION_HOST_CHECK,
};

struct options {
	enum launcher_action action;
	int platform_explicit; /* --platform given: honour it as is */
	const char *program;   /* path as the user gave it; NULL for payloads */
	const char *sysroot;   /* -L */
	struct launch_config cfg;
};

/* Parse argv (dies with a one-line message and status 1 on a bad option). */
void options_parse(int argc, char **argv, struct options *opt);

/* The --help text. */
void options_usage(void);

/* Open and check the riscv64 program (elfcheck.c); dies 126/127 like a shell. */
int elfcheck_open(const char *path);

#endif
