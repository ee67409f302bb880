/*
 * profile_files.c - the files --perf-map and --profile=FILE name, opened
 * here so the monitor (or the proc runtime, inside its sandbox) only has
 * to write to a descriptor it is given (rvkvm_abi.h: perf_map_fd,
 * profile_fd).
 *
 * On kvm the perf map is read by `perf kvm --guestkallsyms`, which takes
 * the guest kernel's symbols from that file alone once it is given, so it
 * starts with monitor.elf's own function symbols; the monitor appends one
 * line per translated block.  perf sorts kallsyms itself and ends each
 * symbol where the next begins, so the lines need no order.
 *
 * perf also reads `_text` and `_etext` from the file when it *records*, to
 * describe the guest kernel's mapping; without them every guest sample
 * stays an unresolved address.  The map starts with both, spanning the
 * monitor's whole slot (image, heap, translation cache: DESIGN.md 4), so
 * a map from an earlier run (or just those two lines) serves to record.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "launcher.h"

/* The monitor's 512 GiB slot of virtual addresses, from the image base. */
#define MONITOR_SLOT_END (RVKVM_IMAGE_VIRT_BASE + (1ull << 39))

static int open_output(const char *option, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		die(1, "%s %s: %s", option, path, strerror(errno));
	return fd;
}

static int in_file(size_t file_size, uint64_t off, uint64_t len)
{
	return off <= file_size && len <= file_size - off;
}

/*
 * monitor.elf's function symbols as kallsyms lines (`ADDR t NAME`, T when
 * global).  The image is ours, but a damaged file must not crash the
 * launcher: every offset is checked against the file size.
 */
static void write_monitor_symbols(FILE *out, const char *monitor_path)
{
	int fd = open(monitor_path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	const uint8_t *f;

	if (fd < 0 || fstat(fd, &st) < 0)
		die(1, "--perf-map: %s: %s", monitor_path, strerror(errno));
	f = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (f == MAP_FAILED)
		die(1, "--perf-map: %s: %s", monitor_path, strerror(errno));

	size_t size = (size_t)st.st_size;
	const Elf64_Ehdr *eh = (const void *)f;
	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    !in_file(size, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)))
		die(1, "--perf-map: %s: not an ELF-64 image with section headers", monitor_path);
	const Elf64_Shdr *sh = (const void *)(f + eh->e_shoff);
	uint64_t text = MONITOR_SLOT_END;
	for (unsigned i = 0; i < eh->e_shnum; i++)
		if (sh[i].sh_flags & SHF_EXECINSTR && sh[i].sh_addr && sh[i].sh_addr < text)
			text = sh[i].sh_addr;
	fprintf(out, "%016llx T _text\n%016llx T _etext\n", (unsigned long long)text,
		(unsigned long long)MONITOR_SLOT_END);
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
			continue;
		const Elf64_Shdr *str = &sh[sh[i].sh_link];
		if (!in_file(size, sh[i].sh_offset, sh[i].sh_size) ||
		    !in_file(size, str->sh_offset, str->sh_size))
			break;
		const Elf64_Sym *sym = (const void *)(f + sh[i].sh_offset);
		const char *names = (const char *)(f + str->sh_offset);
		for (uint64_t k = 0; k < sh[i].sh_size / sizeof(*sym); k++) {
			if (ELF64_ST_TYPE(sym[k].st_info) != STT_FUNC ||
			    sym[k].st_shndx == SHN_UNDEF || sym[k].st_name >= str->sh_size ||
			    !memchr(names + sym[k].st_name, 0, str->sh_size - sym[k].st_name))
				continue;
			fprintf(out, "%016llx %c %s\n", (unsigned long long)sym[k].st_value,
				ELF64_ST_BIND(sym[k].st_info) == STB_LOCAL ? 't' : 'T',
				names + sym[k].st_name);
		}
		break;
	}
	munmap((void *)f, size);
}

static int reserve(const char *option, const char *path, int fd)
{
	int moved = hostcall_reserve_fd(fd, HOSTCALL_FD_WRITE);

	if (moved < 0)
		die(1, "%s %s: cannot keep it open: %s", option, path, strerror(-moved));
	return moved;
}

void profile_files_open(const struct launch_config *cfg, int kvm, struct profile_files *out)
{
	static char auto_path[64];
	const char *path = cfg->perf_map;

	out->perf_map_fd = 0;
	out->profile_fd = 0;
	if (path && !strcmp(path, "auto")) {
		if (kvm)
			die(1, "--perf-map=auto names perf's /tmp/perf-PID.map, which only "
			       "--platform=proc uses; on kvm give a file for perf kvm "
			       "--guestkallsyms");
		snprintf(auto_path, sizeof(auto_path), "/tmp/perf-%d.map", (int)getpid());
		path = auto_path;
	}
	if (path) {
		int fd = open_output("--perf-map", path);

		if (kvm) {
			FILE *f = fdopen(dup(fd), "w");

			if (!f)
				die(1, "--perf-map %s: %s", path, strerror(errno));
			write_monitor_symbols(f, cfg->monitor_path);
			if (fclose(f))
				die(1, "--perf-map %s: %s", path, strerror(errno));
		}
		out->perf_map_fd = reserve("--perf-map", path, fd);
	}
	if (cfg->profile_file)
		out->profile_fd = reserve("--profile", cfg->profile_file,
					  open_output("--profile", cfg->profile_file));
}
