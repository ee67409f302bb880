/*
 * elf.c - check and load a static riscv64 program (ET_EXEC or static-PIE
 * ET_DYN) from the host file descriptor the platform gave us.  The image is
 * untrusted: every header field is checked against the file and the guest
 * address space before anything is mapped, and a bad image ends the run with
 * one line and the status a shell gives for an unrunnable file.
 */
#include "lx.h"

#define STATUS_NOEXEC 126 /* the shell's "cannot execute" */
#define STATUS_NOTFOUND 127
/* binfmt_elf.c refuses program header tables above 64 KiB. */
#define MAX_PHDR_BYTES 65536u
#define MAX_PHNUM (MAX_PHDR_BYTES / sizeof(struct lx_elf_phdr))

static const struct linux_start *prog;

static int fail(int status, const char *why)
{
	lx_log("rvkvm: %s: %s\n", prog->execfn, why);
	return status;
}

/* Read exactly len bytes at off, or fail. */
static int read_at(void *dst, uint64_t len, uint64_t off)
{
	uint64_t done = 0;

	while (done < len) {
		int64_t arg[6] = { prog->program_fd, (int64_t)(off + done) };
		struct plat_iov iov = { (char *)dst + done, len - done };
		long r = plat_hostcall(HC_PREAD, arg, &iov, 1);

		if (r <= 0)
			return r < 0 ? (int)r : -LX_EIO;
		done += (uint64_t)r;
	}
	return 0;
}

static uint64_t file_size(void)
{
	struct rvkvm_stat st;
	int64_t arg[6] = { prog->program_fd };
	struct plat_iov iov = { &st, sizeof(st) };

	/* A platform that cannot stat (a multiboot module) leaves the short-read checks. */
	if (plat_hostcall(HC_FSTAT, arg, &iov, 1) < 0 || st.st_size < 0)
		return ~0ull;
	return (uint64_t)st.st_size;
}

static int check_header(const struct lx_elf_ehdr *eh, uint64_t size)
{
	static const unsigned char magic[4] = { 0x7f, 'E', 'L', 'F' };

	if (memcmp(eh->ident, magic, 4) != 0)
		return fail(STATUS_NOEXEC, "not an ELF file");
	if (eh->ident[4] != 2)
		return fail(STATUS_NOEXEC, "not a 64-bit ELF file");
	if (eh->ident[5] != 1)
		return fail(STATUS_NOEXEC, "not a little-endian ELF file");
	if (eh->ident[6] != 1 || eh->version != 1)
		return fail(STATUS_NOEXEC, "unknown ELF version");
	if (eh->machine != LX_EM_RISCV)
		return fail(STATUS_NOEXEC, "not a RISC-V program (wrong ELF machine)");
	if (eh->type != LX_ET_EXEC && eh->type != LX_ET_DYN)
		return fail(STATUS_NOEXEC, "not an executable ELF file");
	if (eh->phentsize != sizeof(struct lx_elf_phdr) || eh->phnum == 0 ||
	    eh->phnum > MAX_PHNUM)
		return fail(STATUS_NOEXEC, "bad ELF program header table");
	if (eh->phoff > size || size - eh->phoff < (uint64_t)eh->phnum * sizeof(struct lx_elf_phdr))
		return fail(STATUS_NOEXEC, "truncated ELF file (program headers)");
	return 0;
}

static int is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

static int check_segments(const struct lx_elf_phdr *ph, unsigned n, uint64_t size)
{
	unsigned loads = 0;

	for (unsigned i = 0; i < n; i++) {
		const struct lx_elf_phdr *p = &ph[i];

		if (p->type == LX_PT_INTERP)
			return fail(STATUS_NOTFOUND,
				    "dynamically linked program (PT_INTERP) not supported yet");
		if (p->type != LX_PT_LOAD && p->type != LX_PT_TLS)
			continue;
		if (p->filesz > p->memsz)
			return fail(STATUS_NOEXEC, "bad ELF segment (file size above memory size)");
		if (p->offset > size || size - p->offset < p->filesz)
			return fail(STATUS_NOEXEC, "truncated ELF file (segment data)");
		if (p->type != LX_PT_LOAD)
			continue;
		loads++;
		if (p->memsz == 0)
			continue;
		if (p->vaddr >= GUEST_VA_LIMIT || p->memsz > GUEST_VA_LIMIT - p->vaddr)
			return fail(STATUS_NOEXEC, "ELF segment outside the address space");
		if ((p->vaddr - p->offset) % LX_PAGE)
			return fail(STATUS_NOEXEC, "misaligned ELF segment");
		if (p->align > 1 && !is_pow2(p->align))
			return fail(STATUS_NOEXEC, "bad ELF segment alignment");
		for (unsigned j = 0; j < i; j++) {
			const struct lx_elf_phdr *q = &ph[j];

			if (q->type == LX_PT_LOAD && q->memsz && p->vaddr < q->vaddr + q->memsz &&
			    q->vaddr < p->vaddr + p->memsz)
				return fail(STATUS_NOEXEC, "overlapping ELF segments");
		}
	}
	if (!loads)
		return fail(STATUS_NOEXEC, "ELF file has no loadable segment");
	return 0;
}

static int seg_prot(uint32_t flags)
{
	return (flags & LX_PF_R ? LX_PROT_READ : 0) | (flags & LX_PF_W ? LX_PROT_WRITE : 0) |
	       (flags & LX_PF_X ? LX_PROT_EXEC : 0);
}

/* Static-PIE goes to ELF_ET_DYN_BASE, rounded to the largest segment alignment. */
static uint64_t choose_bias(const struct lx_elf_phdr *ph, unsigned n)
{
	uint64_t align = LX_PAGE, low = ~0ull;

	for (unsigned i = 0; i < n; i++) {
		if (ph[i].type != LX_PT_LOAD || !ph[i].memsz)
			continue;
		if (is_pow2(ph[i].align) && ph[i].align > align && ph[i].align <= (1ull << 30))
			align = ph[i].align;
		if (ph[i].vaddr < low)
			low = ph[i].vaddr;
	}
	return RT_ALIGN_DOWN(LX_ET_DYN_BASE, align) - LX_PAGE_DOWN(low);
}

/*
 * Map every segment's pages writable, copy the file bytes in, then give each
 * page its final protection.  Two segments may share a boundary page (ld
 * without separate-code): that page is mapped once and gets both protections,
 * as Linux's overlapping file mappings would allow.
 */
static int load_segments(const struct lx_elf_phdr *ph, unsigned n, uint64_t bias)
{
	for (unsigned i = 0; i < n; i++) {
		const struct lx_elf_phdr *p = &ph[i];

		if (p->type != LX_PT_LOAD || !p->memsz)
			continue;
		uint64_t lo = LX_PAGE_DOWN(p->vaddr + bias), hi = LX_PAGE_UP(p->vaddr + bias + p->memsz);

		if (lo < LX_MMAP_MIN_ADDR || hi > lx_mm.stack_low)
			return fail(STATUS_NOEXEC, "ELF segment outside the address space");
		if (lx_vma_find(lo))
			lo += LX_PAGE;
		if (hi > lo && lx_vma_find(hi - LX_PAGE))
			hi -= LX_PAGE;
		if (hi > lo && lx_vma_map(lo, hi, LX_PROT_READ | LX_PROT_WRITE, 0) < 0)
			return fail(STATUS_NOEXEC, "out of guest memory loading the program");
		if (p->filesz && read_at(plat_g2h(p->vaddr + bias), p->filesz, p->offset) < 0)
			return fail(STATUS_NOEXEC, "cannot read ELF segment");
	}
	for (unsigned i = 0; i < n; i++) {
		const struct lx_elf_phdr *p = &ph[i];

		if (p->type != LX_PT_LOAD || !p->memsz)
			continue;
		uint64_t lo = LX_PAGE_DOWN(p->vaddr + bias), hi = LX_PAGE_UP(p->vaddr + bias + p->memsz);
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
				int shared = seg_prot(q->flags) | prot;

				lx_vma_protect(slo, shi, shared);
			}
		}
	}
	return 0;
}

int lx_elf_load(const struct linux_start *start, struct lx_image *img)
{
	struct lx_elf_ehdr eh;
	static struct lx_elf_phdr ph[MAX_PHNUM]; /* used once, at start-up */
	uint64_t size;
	int r;

	prog = start;
	memset(img, 0, sizeof(*img));
	size = file_size();
	if (size < sizeof(eh) || read_at(&eh, sizeof(eh), 0) < 0)
		return fail(STATUS_NOEXEC, "not an ELF file (too short)");
	r = check_header(&eh, size);
	if (r)
		return r;
	if (read_at(ph, (uint64_t)eh.phnum * sizeof(ph[0]), eh.phoff) < 0)
		return fail(STATUS_NOEXEC, "truncated ELF file (program headers)");
	r = check_segments(ph, eh.phnum, size);
	if (r)
		return r;

	img->bias = eh.type == LX_ET_DYN ? choose_bias(ph, eh.phnum) : 0;
	img->entry = eh.entry + img->bias;
	img->phnum = eh.phnum;
	r = load_segments(ph, eh.phnum, img->bias);
	if (r)
		return r;

	/* AT_PHDR as binfmt_elf computes it: PT_PHDR, else the load holding the table. */
	for (unsigned i = 0; i < eh.phnum; i++) {
		const struct lx_elf_phdr *p = &ph[i];

		if (p->type == LX_PT_PHDR) {
			img->phdr = p->vaddr + img->bias;
			break;
		}
		if (p->type == LX_PT_LOAD && p->offset <= eh.phoff &&
		    eh.phoff + (uint64_t)eh.phnum * sizeof(ph[0]) <= p->offset + p->filesz && !img->phdr)
			img->phdr = p->vaddr + (eh.phoff - p->offset) + img->bias;
	}
	for (unsigned i = 0; i < eh.phnum; i++) {
		const struct lx_elf_phdr *p = &ph[i];

		if (p->type == LX_PT_LOAD && p->memsz && LX_PAGE_UP(p->vaddr + img->bias + p->memsz) > img->brk)
			img->brk = LX_PAGE_UP(p->vaddr + img->bias + p->memsz);
		if (p->type == LX_PT_GNU_STACK)
			img->exec_stack = !!(p->flags & LX_PF_X);
	}
	return 0;
}
