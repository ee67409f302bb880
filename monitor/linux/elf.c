/*
 * elf.c - check and load a riscv64 program (ET_EXEC or ET_DYN) from the host
 * file descriptor the platform gave us, and its ELF interpreter (ld.so) if it
 * names one.  Images are untrusted: every header field is checked against the
 * file and the guest address space before anything is mapped, and a bad
 * image ends the run with one line and the status a shell gives for a file
 * it cannot run.
 */
#include "lx.h"

#define STATUS_NOEXEC 126   /* the shell's "cannot execute" */
#define STATUS_NOTFOUND 127 /* ... and "not found", for a missing interpreter */
/* binfmt_elf.c refuses program header tables above 64 KiB. */
#define MAX_PHDR_BYTES 65536u
#define MAX_PHNUM (MAX_PHDR_BYTES / sizeof(struct lx_elf_phdr))

struct elf_file {
	int fd;
	const char *name; /* for messages */
	uint64_t size;	  /* ~0 when the platform cannot tell */
	struct lx_elf_ehdr eh;
	struct lx_elf_phdr *ph;	  /* eh.phnum headers, plat_alloc'd */
	char interp[LX_PATH_MAX]; /* PT_INTERP's path, "" if none */
};

static int fail(const struct elf_file *f, int status, const char *why)
{
	lx_log("rvkvm: %s: %s\n", f->name, why);
	return status;
}

/*
 * Exactly len bytes of a host file at off, or a negative errno (-EIO at
 * the file's end): kvm splits a large transfer into short reads.
 */
int lx_read_at(int fd, void *dst, uint64_t len, uint64_t off)
{
	uint64_t done = 0;

	while (done < len) {
		int64_t arg[6] = {fd, (int64_t)(off + done)};
		struct plat_iov iov = {(char *)dst + done, len - done};
		long r = plat_hostcall(HC_PREAD, arg, &iov, 1);

		if (r <= 0)
			return r < 0 ? (int)r : -LX_EIO;
		done += (uint64_t)r;
	}
	return 0;
}

static uint64_t file_size(int fd)
{
	struct rvkvm_stat st;
	int64_t arg[6] = {fd};
	struct plat_iov iov = {&st, sizeof(st)};

	/* A platform that cannot stat (a multiboot module) leaves the short-read checks. */
	if (plat_hostcall(HC_FSTAT, arg, &iov, 1) < 0 || st.st_size < 0)
		return ~0ull;
	return (uint64_t)st.st_size;
}

static int check_header(const struct elf_file *f)
{
	static const unsigned char magic[4] = {0x7f, 'E', 'L', 'F'};
	const struct lx_elf_ehdr *eh = &f->eh;

	if (memcmp(eh->ident, magic, 4) != 0)
		return fail(f, STATUS_NOEXEC, "not an ELF file");
	if (eh->ident[4] != 2)
		return fail(f, STATUS_NOEXEC, "not a 64-bit ELF file");
	if (eh->ident[5] != 1)
		return fail(f, STATUS_NOEXEC, "not a little-endian ELF file");
	if (eh->ident[6] != 1 || eh->version != 1)
		return fail(f, STATUS_NOEXEC, "unknown ELF version");
	if (eh->machine != LX_EM_RISCV)
		return fail(f, STATUS_NOEXEC, "not a RISC-V program (wrong ELF machine)");
	if (eh->type != LX_ET_EXEC && eh->type != LX_ET_DYN)
		return fail(f, STATUS_NOEXEC, "not an executable ELF file");
	if (eh->phentsize != sizeof(struct lx_elf_phdr) || eh->phnum == 0 || eh->phnum > MAX_PHNUM)
		return fail(f, STATUS_NOEXEC, "bad ELF program header table");
	if (eh->phoff > f->size ||
	    f->size - eh->phoff < (uint64_t)eh->phnum * sizeof(struct lx_elf_phdr))
		return fail(f, STATUS_NOEXEC, "truncated ELF file (program headers)");
	return 0;
}

static int is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

static int read_interp(struct elf_file *f, const struct lx_elf_phdr *p)
{
	if (p->filesz < 2 || p->filesz > LX_PATH_MAX)
		return fail(f, STATUS_NOEXEC, "bad ELF interpreter path");
	if (lx_read_at(f->fd, f->interp, p->filesz, p->offset) < 0)
		return fail(f, STATUS_NOEXEC, "truncated ELF file (interpreter path)");
	if (f->interp[p->filesz - 1] != 0 || strlen(f->interp) != p->filesz - 1)
		return fail(f, STATUS_NOEXEC, "bad ELF interpreter path");
	return 0;
}

static int check_segments(struct elf_file *f)
{
	const struct lx_elf_phdr *ph = f->ph;
	unsigned loads = 0, interps = 0;

	for (unsigned i = 0; i < f->eh.phnum; i++) {
		const struct lx_elf_phdr *p = &ph[i];

		if (p->type != LX_PT_LOAD && p->type != LX_PT_TLS && p->type != LX_PT_INTERP)
			continue;
		if (p->filesz > p->memsz && p->type != LX_PT_INTERP)
			return fail(f, STATUS_NOEXEC,
				    "bad ELF segment (file size above memory size)");
		if (p->offset > f->size || f->size - p->offset < p->filesz)
			return fail(f, STATUS_NOEXEC, "truncated ELF file (segment data)");
		if (p->type == LX_PT_INTERP) {
			int r = interps++ ? fail(f, STATUS_NOEXEC, "two ELF interpreters")
					  : read_interp(f, p);

			if (r)
				return r;
		}
		if (p->type != LX_PT_LOAD)
			continue;
		loads++;
		if (p->memsz == 0)
			continue;
		if (p->vaddr >= GUEST_VA_LIMIT || p->memsz > GUEST_VA_LIMIT - p->vaddr)
			return fail(f, STATUS_NOEXEC, "ELF segment outside the address space");
		if ((p->vaddr - p->offset) % LX_PAGE)
			return fail(f, STATUS_NOEXEC, "misaligned ELF segment");
		if (p->align > 1 && !is_pow2(p->align))
			return fail(f, STATUS_NOEXEC, "bad ELF segment alignment");
		for (unsigned j = 0; j < i; j++) {
			const struct lx_elf_phdr *q = &ph[j];

			if (q->type == LX_PT_LOAD && q->memsz && p->vaddr < q->vaddr + q->memsz &&
			    q->vaddr < p->vaddr + p->memsz)
				return fail(f, STATUS_NOEXEC, "overlapping ELF segments");
		}
	}
	if (!loads)
		return fail(f, STATUS_NOEXEC, "ELF file has no loadable segment");
	return 0;
}

/* Open and check an image: header, program headers, segments. */
static int open_elf(struct elf_file *f)
{
	int r;

	f->size = file_size(f->fd);
	f->interp[0] = 0;
	if (f->size < sizeof(f->eh) || lx_read_at(f->fd, &f->eh, sizeof(f->eh), 0) < 0)
		return fail(f, STATUS_NOEXEC, "not an ELF file (too short)");
	r = check_header(f);
	if (r)
		return r;
	f->ph = plat_alloc(f->eh.phnum * sizeof(f->ph[0]));
	if (!f->ph)
		return fail(f, STATUS_NOEXEC, "out of memory reading the program headers");
	if (lx_read_at(f->fd, f->ph, (uint64_t)f->eh.phnum * sizeof(f->ph[0]), f->eh.phoff) < 0)
		return fail(f, STATUS_NOEXEC, "truncated ELF file (program headers)");
	return check_segments(f);
}

static int seg_prot(uint32_t flags)
{
	return (flags & LX_PF_R ? LX_PROT_READ : 0) | (flags & LX_PF_W ? LX_PROT_WRITE : 0) |
	       (flags & LX_PF_X ? LX_PROT_EXEC : 0);
}

/* Lowest page and end of the loadable segments, and their largest alignment. */
static void extent(const struct elf_file *f, uint64_t *low, uint64_t *high, uint64_t *align)
{
	*low = ~0ull;
	*high = 0;
	*align = LX_PAGE;
	for (unsigned i = 0; i < f->eh.phnum; i++) {
		const struct lx_elf_phdr *p = &f->ph[i];

		if (p->type != LX_PT_LOAD || !p->memsz)
			continue;
		if (is_pow2(p->align) && p->align > *align && p->align <= (1ull << 30))
			*align = p->align;
		if (LX_PAGE_DOWN(p->vaddr) < *low)
			*low = LX_PAGE_DOWN(p->vaddr);
		if (LX_PAGE_UP(p->vaddr + p->memsz) > *high)
			*high = LX_PAGE_UP(p->vaddr + p->memsz);
	}
}

/*
 * Map every segment's pages writable, copy the file bytes in, then give each
 * page its final protection.  Two segments may share a boundary page (ld
 * without separate-code): that page is mapped once and gets both protections,
 * as Linux's overlapping file mappings would allow.
 */
static int load_segments(const struct elf_file *f, uint64_t bias)
{
	const struct lx_elf_phdr *ph = f->ph;
	unsigned n = f->eh.phnum;

	for (unsigned i = 0; i < n; i++) {
		const struct lx_elf_phdr *p = &ph[i];

		if (p->type != LX_PT_LOAD || !p->memsz)
			continue;
		uint64_t lo = LX_PAGE_DOWN(p->vaddr + bias),
			 hi = LX_PAGE_UP(p->vaddr + bias + p->memsz);

		if (lo < LX_MMAP_MIN_ADDR || hi > lx_mm.stack_low)
			return fail(f, STATUS_NOEXEC, "ELF segment outside the address space");
		if (lx_vma_find(lo))
			lo += LX_PAGE;
		if (hi > lo && lx_vma_find(hi - LX_PAGE))
			hi -= LX_PAGE;
		if (hi > lo && lx_vma_map(lo, hi, LX_PROT_READ | LX_PROT_WRITE, 0) < 0)
			return fail(f, STATUS_NOEXEC, "out of guest memory loading the program");
		if (p->filesz &&
		    lx_read_at(f->fd, plat_g2h(p->vaddr + bias), p->filesz, p->offset) < 0)
			return fail(f, STATUS_NOEXEC, "cannot read ELF segment");
		if (p->filesz)
			lx_procfs_image(f->fd, LX_PAGE_DOWN(p->vaddr + bias),
					LX_PAGE_UP(p->vaddr + bias + p->filesz),
					LX_PAGE_DOWN(p->offset));
	}
	for (unsigned i = 0; i < n; i++) {
		const struct lx_elf_phdr *p = &ph[i];

		if (p->type != LX_PT_LOAD || !p->memsz)
			continue;
		uint64_t lo = LX_PAGE_DOWN(p->vaddr + bias),
			 hi = LX_PAGE_UP(p->vaddr + bias + p->memsz);
		int prot = seg_prot(p->flags);

		lx_vma_protect(lo, hi, prot);
		for (unsigned j = 0; j < n; j++) {
			const struct lx_elf_phdr *q = &ph[j];

			if (j == i || q->type != LX_PT_LOAD || !q->memsz)
				continue;
			uint64_t qlo = LX_PAGE_DOWN(q->vaddr + bias);
			uint64_t qhi = LX_PAGE_UP(q->vaddr + bias + q->memsz);

			if (qlo < hi && lo < qhi) {
				uint64_t slo = qlo > lo ? qlo : lo, shi = qhi < hi ? qhi : hi;

				lx_vma_protect(slo, shi, seg_prot(q->flags) | prot);
			}
		}
	}
	return 0;
}

/* AT_PHDR as binfmt_elf computes it: PT_PHDR, else the load holding the table. */
static uint64_t phdr_address(const struct elf_file *f, uint64_t bias)
{
	uint64_t table = (uint64_t)f->eh.phnum * sizeof(struct lx_elf_phdr);

	for (unsigned i = 0; i < f->eh.phnum; i++)
		if (f->ph[i].type == LX_PT_PHDR)
			return f->ph[i].vaddr + bias;
	for (unsigned i = 0; i < f->eh.phnum; i++) {
		const struct lx_elf_phdr *p = &f->ph[i];

		if (p->type == LX_PT_LOAD && p->offset <= f->eh.phoff &&
		    f->eh.phoff + table <= p->offset + p->filesz)
			return p->vaddr + (f->eh.phoff - p->offset) + bias;
	}
	return 0;
}

/*
 * The interpreter, loaded like binfmt_elf loads it: at a free place in the
 * mmap area.  Its path is looked up under the sysroot first (as qemu's -L).
 */
static int load_interp(const struct linux_start *start, const struct elf_file *prog,
		       struct lx_image *img)
{
	static struct elf_file f; /* used once, at start-up */
	uint64_t low, high, align, at;
	long fd;
	int r;

	f.name = prog->interp;
	f.ph = NULL;
	fd = lx_open_guest_path(LX_AT_FDCWD, prog->interp, 0);
	if (fd < 0) {
		lx_log("rvkvm: %s: cannot open its ELF interpreter %s%s\n", prog->name,
		       prog->interp, start->sysroot ? "" : " (give a sysroot with -L)");
		return STATUS_NOTFOUND;
	}
	f.fd = (int)fd;
	r = open_elf(&f);
	if (r == 0 && (f.interp[0] || f.eh.type != LX_ET_DYN))
		r = fail(&f, STATUS_NOEXEC, "ELF interpreter is not a shared object");
	if (r == 0) {
		extent(&f, &low, &high, &align);
		at = lx_vma_find_free(high - low + align, 0);
		if (!at)
			r = fail(&f, STATUS_NOEXEC, "no room for the ELF interpreter");
		else
			img->base = RT_ALIGN_UP(at, align) - low;
	}
	if (r == 0)
		r = load_segments(&f, img->base);
	if (r == 0)
		img->start_pc = f.eh.entry + img->base;
	int64_t arg[6] = {f.fd};

	plat_hostcall(HC_CLOSE, arg, NULL, 0);
	if (f.ph)
		plat_free(f.ph);
	return r;
}

int lx_elf_load(const struct linux_start *start, struct lx_image *img)
{
	static struct elf_file f; /* used once, at start-up */
	uint64_t low, high, align;
	int r;

	memset(img, 0, sizeof(*img));
	f.fd = start->program_fd;
	f.name = start->execfn;
	f.ph = NULL;
	r = open_elf(&f);
	if (r) {
		/* A refused image may have got as far as its program headers. */
		if (f.ph)
			plat_free(f.ph);
		f.ph = NULL;
		return r;
	}

	/* Static-PIE and PIE go to ELF_ET_DYN_BASE, rounded to the largest segment alignment. */
	extent(&f, &low, &high, &align);
	img->bias = f.eh.type == LX_ET_DYN ? RT_ALIGN_DOWN(LX_ET_DYN_BASE, align) - low : 0;
	img->entry = f.eh.entry + img->bias;
	img->start_pc = img->entry;
	img->phnum = f.eh.phnum;
	img->phdr = phdr_address(&f, img->bias);
	img->brk = high + img->bias;
	for (unsigned i = 0; i < f.eh.phnum; i++)
		if (f.ph[i].type == LX_PT_GNU_STACK)
			img->exec_stack = !!(f.ph[i].flags & LX_PF_X);
	r = load_segments(&f, img->bias);
	if (r == 0 && f.interp[0])
		r = load_interp(start, &f, img);
	plat_free(f.ph);
	f.ph = NULL;
	return r;
}
