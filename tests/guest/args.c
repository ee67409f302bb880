/*
 * argv, the environment and the auxiliary vector as the program sees them.
 * Only auxv entries whose values a correct loader must reproduce exactly are
 * printed; addresses that may legitimately differ (stack, AT_RANDOM bytes,
 * AT_SYSINFO_EHDR) are checked for presence or shape only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <elf.h>

extern char **environ;

static void show(const char *name, unsigned long type)
{
	printf("%s=%#lx\n", name, getauxval(type));
}

int main(int argc, char **argv)
{
	printf("argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=\"%s\"\n", i, argv[i]);
	if (argv[argc] != NULL)
		printf("argv not NULL-terminated\n");

	int n = 0;
	for (char **e = environ; *e; e++)
		n++;
	printf("envc=%d\n", n);
	static const char *const vars[] = {"PATH", "LC_ALL", "TERM", "RVTEST_VAR", "UNSET_VAR"};
	for (unsigned i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		printf("env %s=%s\n", vars[i], v ? v : "(unset)");
	}

	show("AT_PAGESZ", AT_PAGESZ);
	show("AT_HWCAP", AT_HWCAP);
	show("AT_CLKTCK", AT_CLKTCK);
	show("AT_SECURE", AT_SECURE);
	show("AT_PHNUM", AT_PHNUM);
	show("AT_PHENT", AT_PHENT);
	show("AT_PHDR", AT_PHDR);
	show("AT_ENTRY", AT_ENTRY);
	show("AT_BASE", AT_BASE);
	show("AT_FLAGS", AT_FLAGS);
	show("AT_UID", AT_UID);
	show("AT_EUID", AT_EUID);
	show("AT_GID", AT_GID);
	show("AT_EGID", AT_EGID);

	const char *execfn = (const char *)getauxval(AT_EXECFN);
	printf("AT_EXECFN=\"%s\"\n", execfn ? execfn : "(none)");
	printf("AT_EXECFN matches argv[0]: %s\n",
	       execfn && !strcmp(execfn, argv[0]) ? "yes" : "no");
	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	printf("AT_RANDOM present: %s\n", rnd ? "yes" : "no");

	/* The initial stack: argv strings sit above argv[] and are 16-byte aligned pointers. */
	printf("argv 8-aligned: %s\n", ((unsigned long)argv & 7) == 0 ? "yes" : "no");
	printf("argv[0] above argv: %s\n",
	       (unsigned long)argv[0] > (unsigned long)argv ? "yes" : "no");
	return 0;
}
