/*
 * Atomics: every AMO (.w and .d, with and without .aq/.rl), LR/SC loops,
 * and the __atomic builtins GCC expands to them, including the masked LR/SC
 * sequences it uses for 8- and 16-bit atomics.  Results are printed, so a
 * translator that gets an AMO's sign extension or old value wrong shows here.
 */
#include <stdint.h>
#include <stdio.h>

static int64_t mem64;
static int32_t mem32;

#define AMO(insn, memv, val)                                                                       \
	do {                                                                                       \
		int64_t old;                                                                       \
		__asm__ volatile(insn " %0, %2, %1"                                                \
				 : "=r"(old), "+A"(memv)                                           \
				 : "r"(val)                                                        \
				 : "memory");                                                      \
		printf("%-16s old=%016llx new=%016llx\n", insn, (unsigned long long)old,           \
		       (unsigned long long)(int64_t)memv);                                         \
	} while (0)

int main(void)
{
	static const int64_t seeds[] = {5, -7, INT64_MIN, INT64_MAX, 0x80000000, 0xffffffff};
	for (unsigned s = 0; s < sizeof seeds / sizeof seeds[0]; s++) {
		int64_t v = seeds[s];
		int64_t op = seeds[(s + 1) % 6];
		printf("-- mem=%016llx operand=%016llx\n", (unsigned long long)v,
		       (unsigned long long)op);
		mem64 = v;
		AMO("amoswap.d", mem64, op);
		mem64 = v;
		AMO("amoadd.d", mem64, op);
		mem64 = v;
		AMO("amoand.d.aq", mem64, op);
		mem64 = v;
		AMO("amoor.d.rl", mem64, op);
		mem64 = v;
		AMO("amoxor.d.aqrl", mem64, op);
		mem64 = v;
		AMO("amomax.d", mem64, op);
		mem64 = v;
		AMO("amomaxu.d", mem64, op);
		mem64 = v;
		AMO("amomin.d", mem64, op);
		mem64 = v;
		AMO("amominu.d", mem64, op);
		mem32 = (int32_t)v;
		AMO("amoswap.w", mem32, op);
		mem32 = (int32_t)v;
		AMO("amoadd.w", mem32, op);
		mem32 = (int32_t)v;
		AMO("amoand.w", mem32, op);
		mem32 = (int32_t)v;
		AMO("amoor.w.aq", mem32, op);
		mem32 = (int32_t)v;
		AMO("amoxor.w.rl", mem32, op);
		mem32 = (int32_t)v;
		AMO("amomax.w", mem32, op);
		mem32 = (int32_t)v;
		AMO("amomaxu.w", mem32, op);
		mem32 = (int32_t)v;
		AMO("amomin.w", mem32, op);
		mem32 = (int32_t)v;
		AMO("amominu.w.aqrl", mem32, op);
	}

	/* LR/SC increment loops. */
	mem64 = 0;
	for (int i = 0; i < 1000; i++) {
		int64_t tmp, fail;
		__asm__ volatile(
		    "1: lr.d %0, %2\n\taddi %0, %0, 3\n\tsc.d %1, %0, %2\n\tbnez %1, 1b"
		    : "=&r"(tmp), "=&r"(fail), "+A"(mem64)
		    :
		    : "memory");
	}
	printf("lr/sc.d loop: %lld\n", (long long)mem64);
	mem32 = 0x7ffffff0;
	for (int i = 0; i < 100; i++) {
		int64_t tmp, fail;
		__asm__ volatile(
		    "1: lr.w.aq %0, %2\n\taddiw %0, %0, 1\n\tsc.w.rl %1, %0, %2\n\tbnez %1, 1b"
		    : "=&r"(tmp), "=&r"(fail), "+A"(mem32)
		    :
		    : "memory");
	}
	printf("lr/sc.w loop (wraps): %d\n", mem32);
	{
		int64_t v, r;
		/* lr.w sign-extends; sc to the reserved address succeeds with 0. */
		mem32 = -2;
		__asm__ volatile("lr.w %0, %2\n\tsc.w %1, %0, %2"
				 : "=&r"(v), "=&r"(r), "+A"(mem32)
				 :
				 : "memory");
		printf("lr.w of -2: %lld, sc.w result %lld\n", (long long)v, (long long)r);
		/* An sc.d with no reservation must fail (nonzero) and not store. */
		mem64 = 11;
		__asm__ volatile("sc.d %0, %2, %1"
				 : "=&r"(r), "+A"(mem64)
				 : "r"((int64_t)99)
				 : "memory");
		printf("sc.d without lr: %s, memory %lld\n", r ? "failed" : "succeeded",
		       (long long)mem64);
	}

	int64_t a = 10;
	printf("fetch_add %lld ", (long long)__atomic_fetch_add(&a, 5, __ATOMIC_SEQ_CST));
	printf("fetch_sub %lld ", (long long)__atomic_fetch_sub(&a, 20, __ATOMIC_ACQUIRE));
	printf("fetch_and %lld ", (long long)__atomic_fetch_and(&a, 0xff, __ATOMIC_RELEASE));
	printf("fetch_or %lld ", (long long)__atomic_fetch_or(&a, 0x100, __ATOMIC_RELAXED));
	printf("fetch_xor %lld ", (long long)__atomic_fetch_xor(&a, 0x3, __ATOMIC_ACQ_REL));
	printf("exchange %lld ", (long long)__atomic_exchange_n(&a, 42, __ATOMIC_SEQ_CST));
	printf("final %lld\n", (long long)a);
	int64_t expect = 41;
	int ok = __atomic_compare_exchange_n(&a, &expect, 7, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	printf("cas wrong expect: ok=%d expect=%lld a=%lld\n", ok, (long long)expect, (long long)a);
	ok = __atomic_compare_exchange_n(&a, &expect, 7, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	printf("cas right expect: ok=%d a=%lld\n", ok, (long long)a);

	static uint8_t bytes[8] = {1, 2, 3, 250, 5, 6, 7, 8};
	static uint16_t halves[4] = {1, 65535, 3, 4};
	printf("u8 fetch_add %u ", __atomic_fetch_add(&bytes[3], 10, __ATOMIC_SEQ_CST));
	printf("u8 exchange %u ", __atomic_exchange_n(&bytes[5], 0x99, __ATOMIC_SEQ_CST));
	uint8_t e8 = 7;
	printf("u8 cas %d ", __atomic_compare_exchange_n(&bytes[6], &e8, 0x77, 0, __ATOMIC_SEQ_CST,
							 __ATOMIC_SEQ_CST));
	printf("u16 fetch_add %u ", __atomic_fetch_add(&halves[1], 2, __ATOMIC_SEQ_CST));
	printf("u16 fetch_or %u\n", __atomic_fetch_or(&halves[2], 0x8000, __ATOMIC_SEQ_CST));
	printf("bytes:");
	for (int i = 0; i < 8; i++)
		printf(" %u", bytes[i]);
	printf(" halves: %u %u %u %u\n", halves[0], halves[1], halves[2], halves[3]);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return 0;
}
