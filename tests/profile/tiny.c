/*
 * The program of run-profile.sh's one kvm run: no C library, whose
 * start-up alone takes seconds on an emulated-KVM host, just _start ->
 * main -> hot_loop() and a line of output, built with frame pointers so
 * the folded stacks read _start;main;hot_loop.  argv[1]: thousands of
 * loop iterations (default 30).
 */
#define SYS_WRITE 64 /* asm-generic/unistd.h */
#define SYS_EXIT 93
#define DEFAULT_THOUSANDS 30ul

static long syscall3(long n, long a, long b, long c)
{
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a7 __asm__("a7") = n;

	__asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
	return a0;
}

__attribute__((noinline)) unsigned long hot_loop(unsigned long n)
{
	unsigned long x = 88172645463325252ul;

	for (unsigned long i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	return x;
}

__attribute__((noinline)) int main(int argc, char **argv)
{
	unsigned long thousands = argc > 1 ? 0 : DEFAULT_THOUSANDS;

	for (const char *p = argc > 1 ? argv[1] : ""; *p >= '0' && *p <= '9'; p++)
		thousands = thousands * 10 + (unsigned long)(*p - '0');

	unsigned long x = hot_loop(thousands * 1000);
	char line[17];

	for (int i = 15; i >= 0; i--, x >>= 4)
		line[i] = "0123456789abcdef"[x & 15];
	line[16] = '\n';
	return syscall3(SYS_WRITE, 1, (long)line, sizeof(line)) == sizeof(line) ? 0 : 1;
}

/* ELF psABI: at entry sp points at argc, then argv[]; with frame pointers
 * s0 (the frame address) is that entry sp. */
void _start(void)
{
	long *entry_sp = __builtin_frame_address(0);

	syscall3(SYS_EXIT, main((int)entry_sp[0], (char **)&entry_sp[1]), 0, 0);
}
