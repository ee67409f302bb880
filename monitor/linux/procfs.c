/*
 * procfs.c - the guest's own /proc/self/maps, cmdline, environ and auxv.
 *
 * The host's files describe the process the guest runs in: on proc the
 * launcher, the translator's code cache, host libraries and the 256 GiB
 * reservation around guest memory, the launcher's command line and
 * environment; on kvm the launcher.  That shows the guest the host's
 * layout and misleads whatever reads them to learn about itself
 * (AddressSanitizer reads its options from environ and its memory from
 * maps, glibc's pthread_getattr_np finds the main thread's stack in maps,
 * garbage collectors scan what maps lists).  So, as qemu-riscv64 does for
 * most of them, opening one gives the guest's own: maps in Linux's format
 * (fs/proc/task_mmu.c show_map_vma) with guest protections, [heap],
 * [stack], and for what came from a file its name, device, inode and
 * offset; cmdline and environ from the strings on the guest's initial
 * stack, as Linux reads them from the process's memory; auxv as the
 * program was given it.  The bytes go into a pipe whose read end the
 * guest gets: read(2) and stdio see the file (it cannot seek, as a pipe).
 * A pipe holds at most 1 MiB, some 12,000 lines of maps; beyond that the
 * text is cut at a line's end.
 */
#include "lx.h"

/* Where the name starts: 25 + 6 * sizeof(void *) - 1 columns (show_map_vma). */
#define NAME_COLUMN 73
/* The most a pipe takes unprivileged (/proc/sys/fs/pipe-max-size's default). */
#define PIPE_MAX (1u << 20)
#define PIPE_DEFAULT (1u << 16)

/* What an ELF image's segments came from (elf.c), named as Linux names them. */
struct image_file {
	char path[LX_PATH_MAX];
	uint64_t dev, ino;
	int fd; /* the descriptor elf.c loaded it from, open only while it loads */
};
struct image_segment {
	uint64_t lo, hi, offset; /* [lo, hi) holds the file from offset */
	const struct image_file *file;
};
#define MAX_IMAGES 2 /* the program and its interpreter */
#define MAX_SEGMENTS 16

/* Owned by the single guest thread. */
static struct image_file images[MAX_IMAGES];
static unsigned nimages;
static struct image_segment segments[MAX_SEGMENTS];
static unsigned nsegments;

struct text {
	char *buf;
	size_t len, cap;
};

/* The host's path, device and inode of the file host descriptor fd has open. */
static int describe_fd(int fd, char *path, uint64_t *dev, uint64_t *ino)
{
	char link[32];
	struct rvkvm_stat st;
	int64_t arg[6] = {LX_AT_FDCWD};
	struct plat_iov iov[2] = {{link, 0}, {path, LX_PATH_MAX - 1}};

	iov[0].len = (uint64_t)rt_snprintf(link, sizeof(link), "/proc/self/fd/%d", fd) + 1;
	long n = plat_hostcall(HC_READLINKAT, arg, iov, 2);
	path[n > 0 ? n : 0] = 0;
	int64_t farg[6] = {fd};
	struct plat_iov siov = {&st, sizeof(st)};
	if (plat_hostcall(HC_FSTAT, farg, &siov, 1) < 0)
		return -1;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

/*
 * An image's segments arrive one after another from one descriptor: the
 * file is described once, with the first (two host calls, each a VM exit
 * on kvm, at start-up).
 */
void lx_procfs_image(int fd, uint64_t lo, uint64_t hi, uint64_t offset)
{
	struct image_file *file = nimages ? &images[nimages - 1] : NULL;

	if (nsegments == MAX_SEGMENTS || hi <= lo)
		return;
	if (!file || file->fd != fd) {
		if (nimages == MAX_IMAGES)
			return;
		file = &images[nimages];
		if (describe_fd(fd, file->path, &file->dev, &file->ino))
			return;
		file->fd = fd;
		nimages++;
	}
	segments[nsegments++] = (struct image_segment){lo, hi, offset, file};
}

void lx_procfs_forget(uint64_t start, uint64_t end)
{
	unsigned kept = 0;

	for (unsigned i = 0; i < nsegments; i++) {
		struct image_segment s = segments[i];
		/* What is left below the hole, else above it: one piece, the name's. */
		if (s.lo < end && start < s.hi) {
			if (s.lo < start) {
				s.hi = start;
			} else {
				s.offset += end > s.hi ? s.hi - s.lo : end - s.lo;
				s.lo = end;
			}
		}
		if (s.lo < s.hi)
			segments[kept++] = s;
	}
	nsegments = kept;
}

static int grow(struct text *t, size_t need)
{
	if (t->len + need <= t->cap)
		return 0;
	size_t cap = t->cap ? t->cap : 16384;
	while (cap < t->len + need)
		cap *= 2;
	char *buf = plat_alloc(cap);
	if (!buf)
		return -LX_ENOMEM;
	if (t->len)
		memcpy(buf, t->buf, t->len);
	plat_free(t->buf);
	t->buf = buf;
	t->cap = cap;
	return 0;
}

/* Linux's encoding of a dev_t in major:minor (include/linux/kdev_t.h). */
static unsigned dev_major(uint64_t dev)
{
	return (unsigned)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffull));
}

static unsigned dev_minor(uint64_t dev)
{
	return (unsigned)((dev & 0xff) | ((dev >> 12) & ~0xffull));
}

static int emit_line(struct text *t, uint64_t lo, uint64_t hi, const struct lx_vma *v,
		     uint64_t offset, uint64_t dev, uint64_t ino, const char *name)
{
	int r = grow(t, 160 + LX_PATH_MAX);
	if (r)
		return r;
	char *line = t->buf + t->len;
	int n = rt_snprintf(line, 160, "%08llx-%08llx %c%c%c%c %08llx %02x:%02x %llu ",
			    (unsigned long long)lo, (unsigned long long)hi,
			    v->prot & LX_PROT_READ ? 'r' : '-', v->prot & LX_PROT_WRITE ? 'w' : '-',
			    v->prot & LX_PROT_EXEC ? 'x' : '-',
			    v->flags & LX_VMA_SHARED ? 's' : 'p', (unsigned long long)offset,
			    dev_major(dev), dev_minor(dev), (unsigned long long)ino);
	if (name && name[0]) {
		while (n < NAME_COLUMN)
			line[n++] = ' ';
		size_t len = strlen(name);
		memcpy(line + n, name, len);
		n += (int)len;
	} else {
		n--; /* no name: no trailing blank */
	}
	line[n++] = '\n';
	t->len += (size_t)n;
	return 0;
}

/* The segment holding gva, or the lowest one above it (*next), or none. */
static const struct image_segment *segment_at(uint64_t gva, uint64_t *next)
{
	*next = ~0ull;
	for (unsigned i = 0; i < nsegments; i++) {
		if (segments[i].lo <= gva && gva < segments[i].hi)
			return &segments[i];
		if (segments[i].lo > gva && segments[i].lo < *next)
			*next = segments[i].lo;
	}
	return NULL;
}

/* One area: split where image segments begin and end, as Linux's areas would be. */
static int emit_area(struct text *t, const struct lx_vma *v)
{
	char path[LX_PATH_MAX];
	uint64_t dev = 0, ino = 0;
	int fd = v->flags & LX_VMA_SHARED ? v->fd : v->file ? lx_filemap_fd(v->file) : -1;

	if (fd >= 0) {
		uint64_t offset =
		    v->flags & LX_VMA_SHARED ? v->offset : lx_filemap_offset(v->file, v->start);
		if (describe_fd(fd, path, &dev, &ino))
			path[0] = 0;
		return emit_line(t, v->start, v->end, v, offset, dev, ino, path);
	}
	const char *name = v->flags & LX_VMA_HEAP    ? "[heap]"
			   : v->flags & LX_VMA_STACK ? "[stack]"
						     : "";
	for (uint64_t at = v->start; at < v->end;) {
		uint64_t next, end;
		const struct image_segment *s = segment_at(at, &next);
		int r;

		if (s) {
			end = s->hi < v->end ? s->hi : v->end;
			r = emit_line(t, at, end, v, s->offset + (at - s->lo), s->file->dev,
				      s->file->ino, s->file->path);
		} else {
			end = next < v->end ? next : v->end;
			r = emit_line(t, at, end, v, 0, 0, 0, name);
		}
		if (r)
			return r;
		at = end;
	}
	return 0;
}

/* The pipe's read end holding the text, or -errno. */
static long into_pipe(struct text *t, int flags)
{
	int ends[2];
	int64_t arg[6] = {0, flags & LX_O_CLOEXEC};
	struct plat_iov iov = {ends, sizeof(ends)};
	long r = plat_hostcall(HC_PIPE2, arg, &iov, 1);

	/* Multiboot's modules have no pipes, nor any /proc. */
	if (r == -LX_ENOSYS)
		return -LX_ENOENT;
	if (r < 0)
		return r;
	size_t room = PIPE_DEFAULT;
	if (t->len > room) {
		int64_t size[6] = {ends[1], LX_F_SETPIPE_SZ,
				   t->len < PIPE_MAX ? (int64_t)t->len : PIPE_MAX};
		long got = plat_hostcall(HC_FCNTL, size, NULL, 0);
		if (got > 0)
			room = (size_t)got;
	}
	/* A pipe holds what fits; the rest is cut at a line's end. */
	size_t len = t->len;
	if (len > room)
		for (len = room; len && t->buf[len - 1] != '\n';)
			len--;
	long w = lx_host_write_all(ends[1], t->buf, len);
	int64_t carg[6] = {ends[1]};
	plat_hostcall(HC_CLOSE, carg, NULL, 0);
	if (w < 0) {
		int64_t rarg[6] = {ends[0]};
		plat_hostcall(HC_CLOSE, rarg, NULL, 0);
		return w;
	}
	return ends[0];
}

static int fill_maps(struct text *t)
{
	long r = 0;

	for (unsigned i = 0; i < lx_mm.count && !r; i++)
		r = emit_area(t, &lx_mm.vma[i]);
	return (int)r;
}

/* Guest memory [lo, hi) as it is now; what the guest unmapped reads as nothing. */
static int fill_memory(struct text *t, uint64_t lo, uint64_t hi)
{
	if (hi <= lo)
		return 0;
	int r = grow(t, hi - lo);
	if (r || lx_copy_in(t->buf + t->len, lo, hi - lo))
		return r;
	t->len += hi - lo;
	return 0;
}

static int fill_cmdline(struct text *t)
{
	return fill_memory(t, lx_mm.arg_start, lx_mm.arg_end);
}

static int fill_environ(struct text *t)
{
	return fill_memory(t, lx_mm.env_start, lx_mm.env_end);
}

static int fill_auxv(struct text *t)
{
	size_t len = lx_mm.saved_auxv_words * sizeof(uint64_t);
	int r = grow(t, len);

	if (!r) {
		memcpy(t->buf, lx_mm.saved_auxv, len);
		t->len = len;
	}
	return r;
}

static const struct {
	const char *name;
	int (*fill)(struct text *t);
} own_files[] = {
    {"maps", fill_maps},
    {"cmdline", fill_cmdline},
    {"environ", fill_environ},
    {"auxv", fill_auxv},
};

/* What follows prefix in path, or NULL. */
static const char *after(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(path, prefix, n) ? NULL : path + n;
}

/*
 * The file of own_files that path names, through self, thread-self or the
 * guest's pid, and through its one task; -1 for any other path.
 */
static int own_file(const char *path)
{
	char dirs[4][64];
	uint32_t pid = lx_proc.start->pid;
	const char *rest = after(path, "/proc/thread-self/");

	rt_snprintf(dirs[0], sizeof(dirs[0]), "/proc/self/task/%u/", pid);
	rt_snprintf(dirs[1], sizeof(dirs[1]), "/proc/%u/task/%u/", pid, pid);
	rt_snprintf(dirs[2], sizeof(dirs[2]), "/proc/self/");
	rt_snprintf(dirs[3], sizeof(dirs[3]), "/proc/%u/", pid);
	for (unsigned d = 0; !rest && d < RT_ARRAY_SIZE(dirs); d++)
		rest = after(path, dirs[d]);
	for (unsigned i = 0; rest && i < RT_ARRAY_SIZE(own_files); i++)
		if (!strcmp(rest, own_files[i].name))
			return (int)i;
	return -1;
}

long lx_procfs_open(const char *path, int flags)
{
	int which = own_file(path);

	if (which < 0)
		return LX_PROCFS_NOT_OURS;
	/* Linux: maps, cmdline and auxv are 0444, environ 0400 and the owner's. */
	if ((flags & LX_O_ACCMODE) != 0)
		return -LX_EACCES;
	struct text t = {0};
	long r = own_files[which].fill(&t);
	if (!r)
		r = into_pipe(&t, flags);
	plat_free(t.buf);
	return r;
}
