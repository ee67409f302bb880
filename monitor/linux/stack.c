/*
 * stack.c - the initial stack, laid out as binfmt_elf's create_elf_tables()
 * does on riscv64 (no vDSO, no platform string):
 *
 *   high  [8 zero bytes] execfn, envp strings, argv strings (ascending)
 *         16 AT_RANDOM bytes (16-aligned)
 *         padding to 16
 *         auxv pairs ... AT_NULL
 *         envp[0..envc) NULL
 *         argv[0..argc) NULL
 *   sp -> argc
 */
#include "lx.h"

static void put_bytes(uint64_t gva, const void *src, size_t len)
{
	memcpy(plat_g2h(gva), src, len);
}

static void put_word(uint64_t gva, uint64_t v)
{
	memcpy(plat_g2h(gva), &v, sizeof(v));
}

static uint64_t put_string(uint64_t at, const char *s)
{
	size_t len = strlen(s) + 1;

	put_bytes(at, s, len);
	return at + len;
}

int lx_stack_build(const struct linux_start *start, const struct lx_image *img, uint64_t *sp)
{
	uint64_t strings = strlen(start->execfn) + 1;
	int prot = LX_PROT_READ | LX_PROT_WRITE | (img->exec_stack ? LX_PROT_EXEC : 0);

	for (int i = 0; i < start->argc; i++)
		strings += strlen(start->argv[i]) + 1;
	for (int i = 0; i < start->envc; i++)
		strings += strlen(start->envp[i]) + 1;
	/* fs/exec.c: argument and environment strings may use a quarter of the stack. */
	if (strings > (LX_STACK_TOP - lx_mm.stack_low) / 4) {
		lx_log("rvkvm: %s: argument list too long\n", start->execfn);
		return 126;
	}
	if (lx_vma_map(lx_mm.stack_low, LX_STACK_TOP, prot, LX_VMA_STACK) < 0) {
		lx_log("rvkvm: %s: out of guest memory for the stack\n", start->execfn);
		return 126;
	}

	uint64_t top = LX_STACK_TOP - sizeof(uint64_t);
	uint64_t at = top - strings;
	uint64_t string_base = at;

	lx_mm.arg_start = at;
	for (int i = 0; i < start->argc; i++)
		at = put_string(at, start->argv[i]);
	lx_mm.arg_end = lx_mm.env_start = at;
	for (int i = 0; i < start->envc; i++)
		at = put_string(at, start->envp[i]);
	lx_mm.env_end = at;
	uint64_t execfn_at = at;

	put_string(at, start->execfn);

	uint64_t p = RT_ALIGN_DOWN(string_base, 16) - 16;
	uint8_t random[16];

	plat_random(random, sizeof(random));
	put_bytes(p, random, sizeof(random));
	uint64_t random_at = p;

	const uint64_t auxv[][2] = {
	    {LX_AT_HWCAP, LX_HWCAP_RV64GC},
	    {LX_AT_PAGESZ, LX_PAGE},
	    {LX_AT_CLKTCK, LX_USER_HZ},
	    {LX_AT_PHDR, img->phdr},
	    {LX_AT_PHENT, sizeof(struct lx_elf_phdr)},
	    {LX_AT_PHNUM, img->phnum},
	    {LX_AT_BASE, img->base},
	    {LX_AT_FLAGS, 0},
	    {LX_AT_ENTRY, img->entry},
	    {LX_AT_UID, start->uid},
	    {LX_AT_EUID, start->euid},
	    {LX_AT_GID, start->gid},
	    {LX_AT_EGID, start->egid},
	    {LX_AT_SECURE, 0},
	    {LX_AT_RANDOM, random_at},
	    {LX_AT_EXECFN, execfn_at},
	    {LX_AT_NULL, 0},
	};
	uint64_t words =
	    1 + (uint64_t)start->argc + 1 + (uint64_t)start->envc + 1 + 2 * RT_ARRAY_SIZE(auxv);

	_Static_assert(sizeof(auxv) <= sizeof(lx_mm.saved_auxv), "lx_mm.saved_auxv too small");
	memcpy(lx_mm.saved_auxv, auxv, sizeof(auxv));
	lx_mm.saved_auxv_words = 2 * RT_ARRAY_SIZE(auxv);

	p = RT_ALIGN_DOWN(p - words * 8, 16);
	*sp = p;
	put_word(p, (uint64_t)start->argc);
	p += 8;
	at = string_base;
	for (int i = 0; i < start->argc; i++, p += 8) {
		put_word(p, at);
		at += strlen(start->argv[i]) + 1;
	}
	put_word(p, 0);
	p += 8;
	for (int i = 0; i < start->envc; i++, p += 8) {
		put_word(p, at);
		at += strlen(start->envp[i]) + 1;
	}
	put_word(p, 0);
	p += 8;
	for (size_t i = 0; i < RT_ARRAY_SIZE(auxv); i++, p += 16) {
		put_word(p, auxv[i][0]);
		put_word(p + 8, auxv[i][1]);
	}
	return 0;
}
