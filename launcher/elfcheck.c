/*
 * elfcheck.c - is this file a riscv64 Linux program we can run?  Checked
 * before any platform starts, so a bad input costs nothing and ends the way
 * a shell ends it: 127 when the file is missing (or its interpreter is, as
 * execve's ENOENT), 126 when it exists but cannot be executed, one line each.
 * The personality loads the program again with its own checks; this is the
 * user-facing gate, not the isolation boundary.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "options.h"
#include "platform.h"

#define STATUS_NOT_FOUND 127
#define STATUS_CANNOT_EXEC 126
/* More program headers than any linker writes; a bound on our reading. */
#define MAX_PHNUM 256

static const char *machine_name(unsigned m)
{
	switch (m) {
	case EM_386:
		return "i386";
	case EM_X86_64:
		return "x86-64";
	case EM_ARM:
		return "arm";
	case EM_AARCH64:
		return "aarch64";
	case EM_PPC64:
		return "ppc64";
	case EM_S390:
		return "s390";
	case EM_MIPS:
		return "mips";
	}
	return "another machine";
}

/*
 * The personality opens the interpreter with the guest's path rule (the
 * sysroot first, then the host's own path: docs/linux.md); the same rule
 * here turns a missing one into one line before any platform starts.
 */
static void check_interp(const char *path, int fd, const Elf64_Phdr *ph, off_t size,
			 const char **sysroot)
{
	char interp[PATH_MAX], full[2 * PATH_MAX];
	const char *root;
	size_t n = ph->p_filesz < sizeof(interp) ? ph->p_filesz : sizeof(interp) - 1;

	if (ph->p_offset > (uint64_t)size || n > (uint64_t)size - ph->p_offset ||
	    pread(fd, interp, n, (off_t)ph->p_offset) != (ssize_t)n)
		die(STATUS_CANNOT_EXEC, "%s: interpreter path lies outside the file", path);
	interp[n] = 0;
	if (!*sysroot && access(ELFCHECK_DEFAULT_SYSROOT, F_OK) == 0)
		*sysroot = ELFCHECK_DEFAULT_SYSROOT;
	root = *sysroot ? *sysroot : "";
	if (*root && interp[0] == '/') {
		snprintf(full, sizeof(full), "%s%s", root, interp);
		if (access(full, F_OK) == 0)
			return;
	}
	if (access(interp, F_OK) == 0)
		return;
	die(STATUS_NOT_FOUND, "%s: interpreter %s: %s (name the riscv64 sysroot with -L)", path,
	    interp, *root ? "not under the sysroot nor on the host" : strerror(errno));
}

static void check_load(const char *path, unsigned i, const Elf64_Phdr *ph, off_t size,
		       uint64_t *prev_end, unsigned *prev)
{
	uint64_t end;

	if (ph->p_filesz > ph->p_memsz)
		die(STATUS_CANNOT_EXEC, "%s: segment %u: file size exceeds memory size", path, i);
	if (ph->p_offset > (uint64_t)size || ph->p_filesz > (uint64_t)size - ph->p_offset)
		die(STATUS_CANNOT_EXEC,
		    "%s: segment %u: data lies beyond the end of the file "
		    "(truncated?)",
		    path, i);
	if (ph->p_vaddr >= GUEST_VA_LIMIT || ph->p_memsz > GUEST_VA_LIMIT - ph->p_vaddr)
		die(STATUS_CANNOT_EXEC,
		    "%s: segment %u: 0x%llx+0x%llx is outside the guest's "
		    "%llu GiB address space",
		    path, i, (unsigned long long)ph->p_vaddr, (unsigned long long)ph->p_memsz,
		    (unsigned long long)(GUEST_VA_LIMIT >> 30));
	/* The kernel maps file pages at page-aligned addresses (ELF gABI:
	 * p_vaddr == p_offset modulo the page size). */
	if ((ph->p_vaddr ^ ph->p_offset) & (GUEST_PAGE_SIZE - 1))
		die(STATUS_CANNOT_EXEC,
		    "%s: segment %u: address and file offset disagree "
		    "modulo the page size",
		    path, i);
	if (ph->p_align > 1 && (ph->p_align & (ph->p_align - 1)))
		die(STATUS_CANNOT_EXEC, "%s: segment %u: alignment %llu is not a power of two",
		    path, i, (unsigned long long)ph->p_align);
	end = ph->p_vaddr + ph->p_memsz;
	/* gABI: loadable segments appear in ascending p_vaddr order. */
	if (*prev_end && ph->p_vaddr < *prev_end)
		die(STATUS_CANNOT_EXEC, "%s: segments %u and %u overlap or are out of order", path,
		    *prev, i);
	if (end > *prev_end)
		*prev_end = end;
	*prev = i;
}

int elfcheck_open(const char *path, const char **sysroot)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph[MAX_PHNUM];
	struct stat st;
	uint64_t prev_end = 0;
	unsigned prev = 0, loads = 0;
	int fd, entry_ok = 0;
	ssize_t got;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die(errno == ENOENT || errno == ENOTDIR ? STATUS_NOT_FOUND : STATUS_CANNOT_EXEC,
		    "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0)
		die(STATUS_CANNOT_EXEC, "%s: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		die(STATUS_CANNOT_EXEC, "%s: Is a directory", path);
	if (!S_ISREG(st.st_mode))
		die(STATUS_CANNOT_EXEC, "%s: not a regular file", path);

	got = pread(fd, &eh, sizeof(eh), 0);
	if (got < 0)
		die(STATUS_CANNOT_EXEC, "%s: %s", path, strerror(errno));
	if (got < SELFMAG || memcmp(eh.e_ident, ELFMAG, SELFMAG))
		die(STATUS_CANNOT_EXEC, "%s: not an ELF program (Exec format error)", path);
	if (got < (ssize_t)sizeof(eh))
		die(STATUS_CANNOT_EXEC, "%s: truncated ELF header", path);
	if (eh.e_ident[EI_CLASS] != ELFCLASS64)
		die(STATUS_CANNOT_EXEC, "%s: not a 64-bit ELF (riscv64 programs are ELFCLASS64)",
		    path);
	if (eh.e_ident[EI_DATA] != ELFDATA2LSB)
		die(STATUS_CANNOT_EXEC, "%s: big-endian ELF (riscv64 is little-endian)", path);
	if (eh.e_ident[EI_VERSION] != EV_CURRENT || eh.e_version != EV_CURRENT)
		die(STATUS_CANNOT_EXEC, "%s: unknown ELF version", path);
	if (eh.e_machine != EM_RISCV)
		die(STATUS_CANNOT_EXEC, "%s: ELF for %s (machine %u), not riscv64", path,
		    machine_name(eh.e_machine), eh.e_machine);
	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
		die(STATUS_CANNOT_EXEC, "%s: ELF type %u is not an executable", path, eh.e_type);
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phnum > MAX_PHNUM)
		die(STATUS_CANNOT_EXEC, "%s: bad program header table (%u entries of %u bytes)",
		    path, eh.e_phnum, eh.e_phentsize);
	if (eh.e_phoff > (uint64_t)st.st_size ||
	    (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > (uint64_t)st.st_size - eh.e_phoff ||
	    pread(fd, ph, eh.e_phnum * sizeof(Elf64_Phdr), (off_t)eh.e_phoff) !=
		(ssize_t)(eh.e_phnum * sizeof(Elf64_Phdr)))
		die(STATUS_CANNOT_EXEC,
		    "%s: program headers lie beyond the end of the file "
		    "(truncated?)",
		    path);

	for (unsigned i = 0; i < eh.e_phnum; i++) {
		if (ph[i].p_type == PT_INTERP)
			check_interp(path, fd, &ph[i], st.st_size, sysroot);
		if (ph[i].p_type != PT_LOAD)
			continue;
		check_load(path, i, &ph[i], st.st_size, &prev_end, &prev);
		loads++;
		if ((ph[i].p_flags & PF_X) && eh.e_entry >= ph[i].p_vaddr &&
		    eh.e_entry - ph[i].p_vaddr < ph[i].p_memsz)
			entry_ok = 1;
	}
	if (!loads)
		die(STATUS_CANNOT_EXEC, "%s: no loadable segment", path);
	if (!entry_ok)
		die(STATUS_CANNOT_EXEC, "%s: entry point 0x%llx is in no executable segment", path,
		    (unsigned long long)eh.e_entry);
	/* An empty sysroot (-L "") is the way to ask for none at all. */
	if (*sysroot && !**sysroot)
		*sysroot = NULL;
	return fd;
}
