/*
 * isolation.c CLASS [ARGS] - a hostile guest that reaches for everything it
 * can name outside its own memory, and every encoding it can execute.  A
 * handler catches each signal and siglongjmps back, so one run covers a
 * whole class; the output (per case: the signal, its si_code, whether
 * si_addr named the address) must equal qemu-riscv64's.
 *
 *   load | store | jump   every upper-half region, non-canonical addresses,
 *                         addresses above the 2^38 user limit, the null page
 *   fencei N              N fence.i in a row
 *   smc N                 N rewrites of a function, each followed by fence.i
 *                         and a call
 *   c16 [list]            every 16-bit (compressed) encoding
 *   i32 N SEED [list]     N random 32-bit encodings
 *   word HEX              one encoding (to look at one case of a sweep)
 *   sample                the address classes after it try 4 offsets per
 *                         region (its first byte, both sides of its first
 *                         page boundary, just below 1 GiB) instead of 11
 *
 * Several classes may follow one another in one run ("sample load store
 * fencei 20"): each output line starts with its class.  On an emulated-KVM
 * host a guest's start-up costs seconds, one more class far less.
 *
 * Encodings run in a jail: every register holds SCRATCH (a read-write
 * page, so loads and stores land in data; the handler restores gp and tp
 * before any C runs), t6 holds the code
 * page, and the slot is surrounded by c.ebreak, so whatever the instruction
 * does ends in a signal: SIGTRAP when it runs to completion or jumps, SIGILL
 * when it is undefined, SIGSEGV or SIGBUS when it touches what it may not.
 * The only encodings left out are branches and jumps to themselves (a zero
 * offset, or jalr through t6 to the slot), which would never end; their
 * count is printed.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define SCRATCH_BASE 0x40000000ul /* 64 KiB of data; registers point into its middle */
#define SCRATCH_SIZE 0x10000ul
#define SCRATCH (SCRATCH_BASE + SCRATCH_SIZE / 2)
#define CODE_BASE 0x50000000ul /* 4 MiB of c.ebreak: every jal target lands in it */
#define CODE_SIZE 0x400000ul
#define T6_VALUE (CODE_BASE + CODE_SIZE / 2)
#define SLOT_OFFSET 0x7f0ul /* from t6: the prologue's jalr reaches it */
#define SLOT (T6_VALUE + SLOT_OFFSET)
#define PROLOGUE_BASE 0x60000000ul /* the register setup, out of every branch's reach */
#define C_EBREAK 0x9002u

static sigjmp_buf env;
static volatile int got_sig, got_code;
static volatile uintptr_t got_addr;
/* gp and tp of the program, for the handler: the jail scrambles both. */
uintptr_t iso_saved_gp, iso_saved_tp;

void iso_on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_addr = (uintptr_t)si->si_addr;
	siglongjmp(env, 1);
}

/* The handler's first instructions: gp and tp back before any C runs. */
__asm__(".text\n"
	".globl iso_signal_entry\n"
	"iso_signal_entry:\n"
	"	lla t0, iso_saved_gp\n"
	"	ld gp, 0(t0)\n"
	"	lla t0, iso_saved_tp\n"
	"	ld tp, 0(t0)\n"
	"	tail iso_on_signal\n");
void iso_signal_entry(int, siginfo_t *, void *);

static void install_handlers(void)
{
	static char altstack[65536];
	stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack)};
	struct sigaction sa;
	static const int sigs[] = {SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE};

	__asm__ volatile("mv %0, gp\n mv %1, tp" : "=r"(iso_saved_gp), "=r"(iso_saved_tp));
	if (sigaltstack(&ss, NULL)) {
		perror("sigaltstack");
		exit(2);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = iso_signal_entry;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

/* One letter per outcome; lower case when si_addr is not the address tried. */
static char outcome(int sig, int code, int addr_ok)
{
	char c;

	switch (sig) {
	case 0:
		return '.';
	case SIGSEGV:
		c = code == SEGV_MAPERR ? 'M' : code == SEGV_ACCERR ? 'A' : 'S';
		break;
	case SIGBUS:
		c = 'B';
		break;
	case SIGILL:
		c = 'I';
		break;
	case SIGTRAP:
		c = 'T';
		break;
	default:
		c = '?';
	}
	return addr_ok ? c : (char)(c - 'A' + 'a');
}

/* Region bases: what the guest might hope to find there (rvkvm_abi.h and
 * DESIGN.md section 4), and addresses no user process may name. */
/*
 * Regions marked beyond_sv39 differ under qemu-riscv64 7.2, which gives its
 * guest a 47-bit space (it maps memory of its own at 2^38 and reports a
 * clipped si_addr for non-canonical addresses): riscv64 Linux with Sv39, what
 * rvkvm follows (docs/linux.md), faults on every one with SEGV_MAPERR and
 * si_addr the address.  Their lines end in '*' and are checked against that.
 */
static const struct region {
	uintptr_t base;
	const char *what;
	int beyond_sv39;
} regions[] = {
    {0x0, "null page", 0},
    {0x4000000000ul, "2^38, the Sv39 user limit", 1},
    {0x7ffffffff000ul, "top of a 47-bit user half", 1},
    {0x800000000000ul, "non-canonical (2^47)", 1},
    {0x1234567800000000ul, "non-canonical", 1},
    {0x8000000000000000ul, "non-canonical (2^63)", 1},
    {0xffff7ffffffff000ul, "non-canonical, just below the kernel half", 1},
    {0xffff800000000000ul, "kvm: monitor direct map of VM memory (page tables, ring)", 0},
    {0xffff800040000000ul, "kvm: direct map past 1 GiB", 0},
    {0xffffff0000000000ul, "kvm: monitor image", 0},
    {0xffffff0020000000ul, "kvm: monitor heap and translation cache", 0},
    {0xffffff7ffffff000ul, "kvm: top of the monitor region", 0},
    {0xffffffc000000000ul, "Sv39 high half", 0},
    {0xffffffff80000000ul, "x86 kernel text", 0},
    {0xfffffffffffff000ul, "last page", 0},
};

/* Offsets tried in each region: its first pages, then powers of two. */
static const uintptr_t offsets[] = {0,	    8,	     0xff8,    0x1000,	 0x2000,   0x10000,
				    0x100000, 0x200000, 0x1000000, 0x10000000, 0x3ffff000};

/* Indices into offsets[] of the sample. */
static const unsigned sample_offsets[] = {0, 2, 3, 10};
static int sampled;

static int try_access(const char *cls, uintptr_t a)
{
	got_sig = 0;
	if (sigsetjmp(env, 1) == 0) {
		if (!strcmp(cls, "load"))
			(void)*(volatile uint64_t *)a;
		else if (!strcmp(cls, "store"))
			*(volatile uint64_t *)a = 0x5a5a5a5a5a5a5a5aul;
		else
			((void (*)(void))a)();
	}
	return outcome(got_sig, got_code, got_addr == a);
}

static int sweep_addresses(const char *cls)
{
	unsigned n[2] = {0, 0}, faults[2] = {0, 0};

	for (unsigned r = 0; r < sizeof(regions) / sizeof(regions[0]); r++) {
		char line[64];
		unsigned k = 0;

		unsigned count = sampled ? sizeof(sample_offsets) / sizeof(sample_offsets[0])
					 : sizeof(offsets) / sizeof(offsets[0]);

		for (unsigned i = 0; i < count; i++) {
			uintptr_t off = offsets[sampled ? sample_offsets[i] : i];
			uintptr_t a = regions[r].base + off;

			if (a < regions[r].base)
				break;
			/* The null page's first bytes are mapped by nobody; past
			 * 64 KiB a static program has its text. */
			if (regions[r].base == 0 && off >= 0x10000)
				break;
			int far = regions[r].beyond_sv39;

			line[k] = (char)try_access(cls, a);
			faults[far] += line[k] != '.';
			k++;
			n[far]++;
		}
		line[k] = 0;
		printf("%s %016lx %-12s %s%s\n", cls, (unsigned long)regions[r].base, line,
		       regions[r].what, regions[r].beyond_sv39 ? " *" : "");
	}
	printf("%s: %u addresses, %u faulted\n", cls, n[0], faults[0]);
	printf("%s: %u addresses at or beyond the Sv39 limit, %u faulted *\n", cls, n[1],
	       faults[1]);
	return 0;
}

static int fence_storm(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		__asm__ volatile("fence.i" ::: "memory");
	printf("fencei: %lu done\n", n);
	return 0;
}

/* addi a0, zero, imm; ret */
static void write_function(uint32_t *p, unsigned imm)
{
	p[0] = 0x00000513u | (imm & 0x7ff) << 20;
	p[1] = 0x00008067u;
}

static int smc_loop(unsigned long n)
{
	uint32_t *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long sum = 0;

	if (page == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	for (unsigned long i = 0; i < n; i++) {
		uint32_t *f = page + (i % 64) * 2;

		write_function(f, (unsigned)i);
		__asm__ volatile("fence.i" ::: "memory");
		sum += (unsigned long)((long (*)(void))f)();
	}
	printf("smc: %lu rewrites, sum %lu\n", n, sum);
	return 0;
}

static uint16_t *code16;

static void map_jail(void)
{
	void *s = mmap((void *)SCRATCH_BASE, SCRATCH_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	void *c = mmap((void *)CODE_BASE, CODE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	uint32_t *p = mmap((void *)PROLOGUE_BASE, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	unsigned k = 0;

	if (s == MAP_FAILED || c == MAP_FAILED || p == (void *)MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	code16 = c;
	for (unsigned long i = 0; i < CODE_SIZE / 2; i++)
		code16[i] = C_EBREAK;
	/* lui xN, SCRATCH >> 12 for every register, gp and tp included (a store
	 * through them must not reach the program's globals or TLS); t6 (31)
	 * then gets the code page; jalr zero, SLOT - T6_VALUE(t6). */
	for (unsigned r = 1; r < 31; r++)
		p[k++] = 0x37u | r << 7 | (uint32_t)(SCRATCH >> 12) << 12;
	p[k++] = 0x37u | 31u << 7 | (uint32_t)(T6_VALUE >> 12) << 12;
	p[k++] = 0x67u | 31u << 15 | (uint32_t)(SLOT - T6_VALUE) << 20;
	__asm__ volatile("fence.i" ::: "memory");
}

/* Branches and jumps to themselves never end: the one thing not run. */
static int self_loop16(unsigned h)
{
	unsigned op = h & 3, f3 = h >> 13;

	if (op == 1 && (f3 == 5))
		return (h & 0x1ffc) == 0;	/* c.j 0 */
	if (op == 1 && (f3 == 6 || f3 == 7))	/* c.beqz / c.bnez x, 0 */
		return (h & 0x1c7c) == 0;
	return 0;
}

static int self_loop32(uint32_t w)
{
	unsigned op = w & 0x7f;

	if (op == 0x6f)
		return (w >> 12) == 0;			/* jal rd, 0 */
	if (op == 0x63)
		return (w & 0xfe000f80u) == 0;		/* branch to itself */
	if (op == 0x67 && ((w >> 15) & 31) == 31)	/* jalr through t6 to the slot */
		return ((w >> 20) & ~1u) == SLOT_OFFSET;
	return 0;
}

/*
 * V-extension encodings (vector loads and stores in LOAD-FP/STORE-FP, OP-V):
 * undefined in RV64GC, so SIGILL; qemu-riscv64 7.2 runs the whole-register
 * forms (vl<n>r.v, vs<n>r.v, vmv<n>r.v) even with its V extension off, so
 * they are tallied apart and marked '*'.
 */
static int vector_op(uint32_t w)
{
	unsigned op = w & 0x7f, width = (w >> 12) & 7;

	if (op == 0x57)
		return 1;
	return (op == 0x07 || op == 0x27) && (width == 0 || width >= 5);
}

struct tally {
	unsigned long n, skipped, by_sig[5], other;
	uint64_t hash;
};

static void tally_add(struct tally *t, uint32_t enc, int sig, int code, int list)
{
	static const int sigs[5] = {SIGTRAP, SIGILL, SIGSEGV, SIGBUS, SIGFPE};
	uint64_t v = (uint64_t)enc << 16 | (uint64_t)(sig & 0xff) << 8 | (uint64_t)(code & 0xff);
	unsigned i;

	for (i = 0; i < 5 && sigs[i] != sig; i++)
		;
	if (i < 5)
		t->by_sig[i]++;
	else
		t->other++;
	t->n++;
	for (unsigned b = 0; b < 8; b++)
		t->hash = (t->hash ^ ((v >> (8 * b)) & 0xff)) * 0x100000001b3ull;
	if (list)
		printf("%08x %d %d\n", enc, sig, code);
}

static void run_slot(void)
{
	got_sig = 0;
	__asm__ volatile("fence.i" ::: "memory");
	if (sigsetjmp(env, 1) == 0)
		((void (*)(void))PROLOGUE_BASE)();
}

/* A store through t6 may have written over the c.ebreak around the slot. */
static void repair_code(void)
{
	uint16_t *w = (uint16_t *)(T6_VALUE - 0x800);

	for (unsigned i = 0; i < 0x1000 / 2; i++)
		if (w[i] != C_EBREAK && &w[i] != (uint16_t *)SLOT)
			w[i] = C_EBREAK;
}

static void print_tally(const char *cls, const struct tally *t, const char *mark)
{
	printf("%s: %lu run, %lu self-loops skipped; SIGTRAP %lu SIGILL %lu SIGSEGV %lu "
	       "SIGBUS %lu SIGFPE %lu other %lu; hash %016llx%s\n",
	       cls, t->n, t->skipped, t->by_sig[0], t->by_sig[1], t->by_sig[2], t->by_sig[3],
	       t->by_sig[4], t->other, (unsigned long long)t->hash, mark);
}

static int sweep_c16(int list)
{
	struct tally t = {.hash = 0xcbf29ce484222325ull};
	uint16_t *slot = (uint16_t *)SLOT;

	map_jail();
	for (unsigned h = 0; h < 0x10000; h++) {
		if ((h & 3) == 3)
			continue;
		if (self_loop16(h)) {
			t.skipped++;
			continue;
		}
		slot[0] = (uint16_t)h;
		slot[1] = C_EBREAK;
		run_slot();
		tally_add(&t, h, got_sig, got_code, list);
		repair_code();
	}
	print_tally("c16", &t, "");
	return 0;
}

static int sweep_i32(unsigned long n, unsigned long seed, int list)
{
	struct tally t = {.hash = 0xcbf29ce484222325ull}, tv = t;
	uint16_t *slot = (uint16_t *)SLOT;
	uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;

	map_jail();
	while (t.n + tv.n < n) {
		uint32_t w;

		/* xorshift64*: the same sequence under every runner. */
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		w = (uint32_t)((x * 0x2545f4914f6cdd1dull) >> 32) | 3;
		if (self_loop32(w)) {
			t.skipped++;
			continue;
		}
		slot[0] = (uint16_t)w;
		slot[1] = (uint16_t)(w >> 16);
		slot[2] = C_EBREAK;
		run_slot();
		tally_add(vector_op(w) ? &tv : &t, w, got_sig, got_code, list);
		repair_code();
	}
	print_tally("i32", &t, "");
	print_tally("i32 vector", &tv, " *");
	return 0;
}

static int run_word(uint32_t w)
{
	uint16_t *slot = (uint16_t *)SLOT;

	map_jail();
	slot[0] = (uint16_t)w;
	slot[1] = (uint16_t)(w >> 16);
	slot[2] = C_EBREAK;
	run_slot();
	printf("%08x %d %d\n", w, got_sig, got_code);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: isolation [sample] CLASS [ARGS] [CLASS [ARGS]]...; CLASS: "
			"load|store|jump|fencei N|smc N|c16 [list]|i32 N SEED [list]|word HEX\n");
	return 2;
}

/* argv[*i] is the optional "list" after c16 or i32: take it. */
static int take_list(int argc, char **argv, int *i)
{
	if (*i < argc && !strcmp(argv[*i], "list")) {
		++*i;
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1, st = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	install_handlers();
	if (argc < 2)
		return usage();
	while (i < argc && st == 0) {
		const char *cls = argv[i++];
		int left = argc - i;

		if (!strcmp(cls, "sample")) {
			sampled = 1;
		} else if (!strcmp(cls, "load") || !strcmp(cls, "store") || !strcmp(cls, "jump")) {
			st = sweep_addresses(cls);
		} else if (!strcmp(cls, "fencei") && left >= 1) {
			st = fence_storm(strtoul(argv[i++], NULL, 0));
		} else if (!strcmp(cls, "smc") && left >= 1) {
			st = smc_loop(strtoul(argv[i++], NULL, 0));
		} else if (!strcmp(cls, "c16")) {
			st = sweep_c16(take_list(argc, argv, &i));
		} else if (!strcmp(cls, "word") && left >= 1) {
			st = run_word((uint32_t)strtoul(argv[i++], NULL, 16));
		} else if (!strcmp(cls, "i32") && left >= 2) {
			unsigned long n = strtoul(argv[i], NULL, 0), seed = strtoul(argv[i + 1], NULL, 0);

			i += 2;
			st = sweep_i32(n, seed, take_list(argc, argv, &i));
		} else {
			return usage();
		}
	}
	return st;
}
