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
	ACTION_BINFMT, /* --binfmt install|remove|status */
};

struct options {
	enum launcher_action action;
	int platform_explicit; /* --platform given: honour it as is */
	const char *program;   /* path as the user gave it; NULL for payloads */
	const char *binfmt_verb; /* --binfmt VERB */
	int binfmt_fix_binary;   /* --fix-binary: register with flag F */
	struct launch_config cfg;
};

/* Parse argv (dies with a one-line message and status 1 on a bad option). */
void options_parse(int argc, char **argv, struct options *opt);

/* The --help text. */
void options_usage(void);

/* --binfmt install|remove|status (binfmt.c); returns the exit status. */
int binfmt_main(const char *verb, int fix_binary);

/*
 * Open and check the riscv64 program (elfcheck.c); dies 126/127 like a
 * shell.  A dynamically linked program with no *sysroot gets
 * ELFCHECK_DEFAULT_SYSROOT when that folder exists; its interpreter must
 * exist under *sysroot or on the host, else 127.
 */
#define ELFCHECK_DEFAULT_SYSROOT "/usr/riscv64-linux-gnu"
int elfcheck_open(const char *path, const char **sysroot);

#endif
