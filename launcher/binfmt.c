/*
 * binfmt.c - `rvkvm --binfmt install|remove|status`: register rvkvm with the
 * kernel's binfmt_misc (Documentation/admin-guide/binfmt-misc.rst) for
 * riscv64 ELF programs, so that `./prog.riscv64` runs under rvkvm.  The
 * match is Debian qemu-user-binfmt's (/usr/share/binfmts/qemu-riscv64), so
 * both accept exactly the same files; docs/usage.md says how the two share.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "options.h"

#define BINFMT_DIR "/proc/sys/fs/binfmt_misc"
#define BINFMT_NAME "rvkvm-riscv64"
#define BINFMT_QEMU_NAME "qemu-riscv64"

/*
 * ELF header bytes 0..19: ELFMAG, ELFCLASS64, ELFDATA2LSB, EV_CURRENT, any
 * EI_OSABI (mask 00), zero padding, e_type ET_EXEC or ET_DYN (mask fe on
 * the low byte of 2), e_machine EM_RISCV (0xf3).
 */
#define BINFMT_MAGIC                                                                               \
	"\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00"         \
	"\\x02\\x00\\xf3\\x00"
#define BINFMT_MASK                                                                                \
	"\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff"         \
	"\\xfe\\xff\\xff\\xff"

/* The register and entry files exist only where binfmt_misc is mounted. */
static void binfmt_need_mount(void)
{
	if (access(BINFMT_DIR "/register", F_OK))
		die(1, "%s is not mounted (mount -t binfmt_misc binfmt_misc %s)", BINFMT_DIR,
		    BINFMT_DIR);
}

/* One write of `text` to a binfmt_misc control file, as the kernel wants. */
static int binfmt_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	if (n < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	close(fd);
	return 0;
}

static void binfmt_fail(const char *what, int err)
{
	die(1, "%s: %s%s", what, strerror(-err),
	    err == -EACCES || err == -EPERM ? " (binfmt_misc needs root)" : "");
}

/* Unregister ours; 0 also when it was not there. */
static int binfmt_remove(void)
{
	int r = binfmt_write(BINFMT_DIR "/" BINFMT_NAME, "-1");

	if (r < 0 && r != -ENOENT)
		binfmt_fail(BINFMT_DIR "/" BINFMT_NAME, r);
	return r == 0;
}

static void binfmt_install(int fix_binary)
{
	char self[PATH_MAX], rule[2 * PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		die(1, "/proc/self/exe: %s", strerror(errno));
	self[n] = 0;
	/* A registration of the same name is EEXIST: replace it, so that
	 * install also moves it to another rvkvm or flag. */
	binfmt_remove();
	/*
	 * No P flag: rvkvm gets argv {rvkvm, path, args...} and the guest's
	 * argv[0] is the path (qemu needs a wrapper binary for P).  F opens
	 * rvkvm now, so it also runs programs inside chroots and containers.
	 */
	snprintf(rule, sizeof(rule), ":%s:M:0:%s:%s:%s:%s", BINFMT_NAME, BINFMT_MAGIC, BINFMT_MASK,
		 self, fix_binary ? "F" : "");
	int r = binfmt_write(BINFMT_DIR "/register", rule);
	if (r < 0)
		binfmt_fail(BINFMT_DIR "/register", r);
	printf("%s: registered, interpreter %s%s\n", BINFMT_NAME, self,
	       fix_binary ? " (opened now: flag F)" : "");
}

/* Print one entry's state, interpreter and flags on one line; 0 if absent. */
static int binfmt_show(const char *name)
{
	char path[sizeof(BINFMT_DIR) + 64], line[PATH_MAX + 64];
	char state[16] = "?", interp[PATH_MAX] = "?", flags[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", BINFMT_DIR, name);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (!strcmp(line, "enabled") || !strcmp(line, "disabled"))
			snprintf(state, sizeof(state), "%.15s", line);
		else if (!strncmp(line, "interpreter ", 12))
			snprintf(interp, sizeof(interp), "%.4095s", line + 12);
		else if (!strncmp(line, "flags: ", 7))
			snprintf(flags, sizeof(flags), "%.31s", line + 7);
	}
	fclose(f);
	printf("%s: %s, interpreter %s%s%s\n", name, state, interp, flags[0] ? ", flags " : "",
	       flags);
	return 1;
}

int binfmt_main(const char *verb, int fix_binary)
{
	if (strcmp(verb, "install") && strcmp(verb, "remove") && strcmp(verb, "status"))
		die(1, "--binfmt %s: expected install, remove or status", verb);
	binfmt_need_mount();
	if (!strcmp(verb, "install")) {
		binfmt_install(fix_binary);
	} else if (!strcmp(verb, "remove")) {
		printf("%s: %s\n", BINFMT_NAME, binfmt_remove() ? "removed" : "was not registered");
		return 0;
	} else if (!binfmt_show(BINFMT_NAME)) {
		printf("%s: not registered\n", BINFMT_NAME);
	}
	/* binfmt_misc tries the newest registration first (fs/binfmt_misc.c
	 * adds entries at the head of its list): say who else matches. */
	if (binfmt_show(BINFMT_QEMU_NAME))
		printf("note: both match riscv64 programs; the one registered last is used "
		       "(see docs/usage.md, binfmt_misc)\n");
	return 0;
}
