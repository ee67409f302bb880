/*
 * Integer division corner cases, which RISC-V defines (no trap): x/0 = -1,
 * x%0 = x, INT_MIN/-1 = INT_MIN, INT_MIN%-1 = 0, for every divide
 * instruction and both widths.  On x86 these raise #DE, so a translator
 * must handle them without a SIGFPE.
 */
#include <stdint.h>
#include <stdio.h>

#define R(insn, a, b)                                                                              \
	do {                                                                                       \
		int64_t r;                                                                         \
		__asm__ volatile(insn " %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));                   \
		printf("%-6s %20lld %20lld = %20lld (%016llx)\n", insn, (long long)(a),            \
		       (long long)(b), (long long)r, (unsigned long long)r);                       \
	} while (0)

int main(void)
{
	static const int64_t vals[] = {0,
				       1,
				       -1,
				       7,
				       -7,
				       INT64_MIN,
				       INT64_MAX,
				       INT32_MIN,
				       INT32_MAX,
				       0xffffffffll,
				       0x80000000ll,
				       0x100000007ll};
	unsigned n = sizeof vals / sizeof vals[0];
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < n; j++) {
			int64_t a = vals[i], b = vals[j];
			R("div", a, b);
			R("divu", a, b);
			R("rem", a, b);
			R("remu", a, b);
			R("divw", a, b);
			R("divuw", a, b);
			R("remw", a, b);
			R("remuw", a, b);
			R("mulh", a, b);
			R("mulhu", a, b);
			R("mulhsu", a, b);
			R("mulw", a, b);
		}
	volatile int z = 0, m = INT32_MIN, neg = -1;
	printf("C: 5/0=%d 5%%0=%d INT_MIN/-1=%d INT_MIN%%-1=%d\n", 5 / z, 5 % z, m / neg, m % neg);
	return 0;
}
