/*
 * perfmap.c - `--perf-map`: one line per translated block, naming its host
 * code by the guest function it came from, so perf can name samples in
 * translated code.  Two formats, by where the code lives:
 *
 *   proc: perf's JIT map (tools/perf/Documentation/jit-interface.txt),
 *         `START SIZE NAME` in hex, read from /tmp/perf-PID.map for
 *         samples in the process's anonymous executable memory;
 *   kvm:  kallsyms, `ADDR t NAME`, for `perf kvm --guestkallsyms` (the
 *         launcher wrote monitor.elf's own symbols first).
 *
 * NAME is `function` or `function+0xOFF` (the block's guest start in its
 * function), or `block_PC` outside the program's symbols.  Lines are
 * buffered and written in chunks: on kvm every write is a VM exit.
 */
#include "lx.h"

#define MAP_BUF 8192
#define MAP_LINE_MAX 160

/* Owned by the single guest thread: the translator reports from the dispatcher. */
static struct {
	char buf[MAP_BUF];
	size_t used;
	int failed;
} map;

int lx_host_write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		int64_t arg[6] = {fd};
		struct plat_iov iov = {(void *)buf, len};
		long n = plat_hostcall(HC_WRITE, arg, &iov, 1);

		if (n <= 0)
			return n < 0 ? (int)n : -5; /* EIO: the file takes no more */
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

void lx_perfmap_flush(void)
{
	int fd = lx_proc.start ? lx_proc.start->perf_map_fd : 0;

	if (!fd || !map.used || map.failed)
		return;
	if (lx_host_write_all(fd, map.buf, map.used) < 0) {
		map.failed = 1;
		lx_log("rvkvm: --perf-map: write failed; the map is incomplete\n");
	}
	map.used = 0;
}

void lx_perfmap_block(uint64_t guest_pc, const void *host, uint32_t host_size)
{
	const struct lx_funcs *t;
	const struct lx_func *f;
	char name[MAP_LINE_MAX - 40];
	int n;

	if (!lx_proc.start->perf_map_fd || map.failed)
		return;
	t = lx_funcs_get();
	f = lx_funcs_find(t, guest_pc);
	if (!f)
		rt_snprintf(name, sizeof(name), "block_%llx", (unsigned long long)guest_pc);
	else if (guest_pc == f->start)
		rt_snprintf(name, sizeof(name), "%s", lx_funcs_name(t, f));
	else
		rt_snprintf(name, sizeof(name), "%s+0x%llx", lx_funcs_name(t, f),
			    (unsigned long long)(guest_pc - f->start));
	if (MAP_BUF - map.used < MAP_LINE_MAX)
		lx_perfmap_flush();
	if (lx_proc.start->perf_map_jit)
		n = rt_snprintf(map.buf + map.used, MAP_LINE_MAX, "%llx %x %s\n",
				(unsigned long long)(uintptr_t)host, host_size, name);
	else
		n = rt_snprintf(map.buf + map.used, MAP_LINE_MAX, "%016llx t %s\n",
				(unsigned long long)(uintptr_t)host, name);
	if (n > 0)
		map.used += (size_t)n < MAP_LINE_MAX ? (size_t)n : MAP_LINE_MAX - 1;
}
