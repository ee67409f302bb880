/*
 * procself - what a program learns about itself from /proc/self: maps,
 * cmdline, environ and auxv must describe the guest, not the host process
 * it runs in.  Prints facts, not addresses, so the output is the same
 * under qemu-riscv64 and rvkvm (which lay memory out differently).
 *
 * usage: procself [args...]   (the arguments come back through cmdline)
 *        procself --environ     only whether environ holds the environment
 *                               (qemu-riscv64 7.2 shows its own there)
 */
#define _GNU_SOURCE
#include <elf.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096

struct area {
	uintptr_t lo, hi;
	char perms[5];
	char name[256];
};

static char buf[1 << 20];

/* The whole file through read(2) in small pieces, as many readers do. */
static size_t slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t n = 0, got;

	if (!f)
		return 0;
	while (n < sizeof(buf) && (got = fread(buf + n, 1, 100, f)) > 0)
		n += got;
	fclose(f);
	return n;
}

/* The area of /proc/self/maps holding addr; 0 if none.  Also checks the format. */
static int find_area(uintptr_t addr, struct area *out, int *well_formed)
{
	size_t n = slurp("/proc/self/maps");
	uintptr_t last_hi = 0;
	int found = 0;

	buf[n < sizeof(buf) ? n : sizeof(buf) - 1] = 0;
	*well_formed = n > 0;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		struct area a = {0};
		unsigned long long off, ino;
		unsigned major, minor;
		int name_at = 0;

		if (sscanf(line, "%lx-%lx %4s %llx %x:%x %llu %n", &a.lo, &a.hi, a.perms, &off,
			   &major, &minor, &ino, &name_at) != 7 ||
		    a.lo >= a.hi || a.lo < last_hi || a.lo % PAGE || a.hi % PAGE)
			*well_formed = 0;
		last_hi = a.hi;
		snprintf(a.name, sizeof(a.name), "%s", name_at ? line + name_at : "");
		if (a.lo <= addr && addr < a.hi) {
			*out = a;
			found = 1;
		}
	}
	return found;
}

static void report_area(const char *what, uintptr_t addr)
{
	struct area a;
	int ok;
	int found = find_area(addr, &a, &ok);

	printf("%s: listed %d, well formed %d", what, found, ok);
	if (found)
		printf(", perms %s", a.perms);
	printf("\n");
}

int main(int argc, char **argv)
{
	extern char **environ;
	int local = 0;
	struct area a;
	int ok;

	/* cmdline: the arguments, each ending in a NUL. */
	size_t n = slurp("/proc/self/cmdline"), want = 0;
	int same = 1;
	for (int i = 0; i < argc; i++) {
		size_t len = strlen(argv[i]) + 1;
		same &= want + len <= n && !memcmp(buf + want, argv[i], len);
		want += len;
	}
	printf("cmdline: %d arguments, same as argv %d\n", argc, same && n == want);

	/* environ: the initial environment, NUL-separated. */
	if (argc == 2 && !strcmp(argv[1], "--environ")) {
		n = slurp("/proc/self/environ");
		want = 0;
		same = 1;
		for (char **e = environ; *e; e++) {
			size_t len = strlen(*e) + 1;
			same &= want + len <= n && !memcmp(buf + want, *e, len);
			want += len;
		}
		printf("environ: same as the environment %d\n", same && n == want);
		return 0;
	}

	/* auxv: the pairs getauxval also reads, ending in AT_NULL. */
	n = slurp("/proc/self/auxv");
	same = n >= 16 && n % 16 == 0;
	int pairs = 0;
	for (size_t i = 0; same && i + 16 <= n; i += 16) {
		uint64_t key, value;
		memcpy(&key, buf + i, 8);
		memcpy(&value, buf + i + 8, 8);
		if (key == AT_NULL)
			break;
		pairs++;
		if (key == AT_PAGESZ || key == AT_ENTRY || key == AT_PHDR || key == AT_RANDOM)
			same &= value == getauxval(key);
	}
	printf("auxv: AT_PAGESZ, AT_ENTRY, AT_PHDR, AT_RANDOM agree with getauxval %d, pairs %d\n",
	       same, pairs > 10);

	/* maps: the program, the stack, and an area as it is made, changed and removed. */
	int found = find_area((uintptr_t)main, &a, &ok);
	const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	const char *named = strrchr(a.name, '/') ? strrchr(a.name, '/') + 1 : a.name;
	printf("maps: main's code listed %d, executable %d, named after the program %d\n", found,
	       found && a.perms[2] == 'x', found && !strcmp(named, base));
	found = find_area((uintptr_t)&local, &a, &ok);
	printf("maps: the stack listed %d as [stack] %d, rw %d\n", found,
	       found && !strcmp(a.name, "[stack]"), found && !strncmp(a.perms, "rw", 2));

	uint8_t *m =
	    mmap(NULL, 5 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	found = find_area((uintptr_t)m + 2 * PAGE, &a, &ok);
	printf("maps: a new mapping listed %d, covering it %d\n", found,
	       found && a.lo <= (uintptr_t)m && a.hi >= (uintptr_t)m + 5 * PAGE);
	report_area("maps: the new mapping", (uintptr_t)m + 2 * PAGE);
	mprotect(m + PAGE, PAGE, PROT_READ);
	found = find_area((uintptr_t)m + PAGE, &a, &ok);
	printf("maps: after mprotect the page listed alone %d\n",
	       found && a.lo == (uintptr_t)m + PAGE && a.hi == (uintptr_t)m + 2 * PAGE);
	report_area("maps: the protected page", (uintptr_t)m + PAGE);
	munmap(m + 3 * PAGE, PAGE);
	report_area("maps: the unmapped page", (uintptr_t)m + 3 * PAGE);

	/* More areas than a pipe holds by default (64 KiB of text). */
	enum { MANY = 3000 };
	uint8_t *many =
	    mmap(NULL, MANY * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < MANY; i += 2)
		mprotect(many + (size_t)i * PAGE, PAGE, PROT_READ);
	n = slurp("/proc/self/maps");
	int lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += buf[i] == '\n';
	found = find_area((uintptr_t)many + (MANY - 1) * PAGE, &a, &ok);
	printf("maps: %d areas more listed %d, the last one %d, well formed %d\n", MANY,
	       lines > MANY, found && a.hi >= (uintptr_t)many + MANY * PAGE && a.perms[1] == 'w',
	       ok);
	munmap(many, MANY * PAGE);

	/* Nothing of the host process it runs in. */
	n = slurp("/proc/self/maps");
	buf[n < sizeof(buf) ? n : sizeof(buf) - 1] = 0;
	printf("maps: names no host file %d\n",
	       !strstr(buf, "x86_64-linux-gnu") && !strstr(buf, "rvkvm") && !strstr(buf, "[vvar]"));

	/* glibc finds the main thread's stack in maps. */
	pthread_attr_t attr;
	void *stack;
	size_t size;
	int r = pthread_getattr_np(pthread_self(), &attr);
	if (r == 0)
		r = pthread_attr_getstack(&attr, &stack, &size);
	printf("pthread_getattr_np: %d, the stack holds a local %d\n", r,
	       r == 0 && (uintptr_t)stack <= (uintptr_t)&local &&
		   (uintptr_t)&local < (uintptr_t)stack + size);
	return 0;
}
