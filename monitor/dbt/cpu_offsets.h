/*
 * cpu_offsets.h - offsets into struct dbt_cpu (dbt.h) that emitted code and
 * the trampolines (enter.S) use.  Plain #defines so GNU as can include them;
 * cache.c pins each one to the C layout with _Static_assert.
 */
#ifndef RVKVM_DBT_CPU_OFFSETS_H
#define RVKVM_DBT_CPU_OFFSETS_H

#define DBT_CPU_X 0
#define DBT_CPU_F 256
#define DBT_CPU_PC 512
#define DBT_CPU_FFLAGS 520
#define DBT_CPU_FRM 524
#define DBT_CPU_RESERVATION 528
#define DBT_CPU_RESERVATION_VAL 536
#define DBT_CPU_INSTRET 544
#define DBT_CPU_FAULT_ACCESS 556
#define DBT_CPU_FAULT_ADDR 560
#define DBT_CPU_FAULT_INSN 568
#define DBT_CPU_INTERRUPT 572
#define DBT_CPU_HOST_SP 576
#define DBT_CPU_SCRATCH 584
#define DBT_CPU_FBOX_MASK 656
#define DBT_CPU_RAS_LIMIT 672
#define DBT_CPU_FCANON_D 688
#define DBT_CPU_FCANON_S 704
#define DBT_CPU_FNAN_BOUND 720
#define DBT_CPU_JUMP_CACHE 736
/* Past the jump cache's 4096 16-byte entries. */
#define DBT_CPU_INDIRECT_JUMPS 66272
#define DBT_CPU_INDIRECT_MISSED 66280
#define DBT_CPU_RETURNS 66288
#define DBT_CPU_RETURNS_MISSED 66296
#define DBT_CPU_ROUTINE_CALLS 66304
#define DBT_CPU_ROUTINE_DECLINED 66312

/*
 * Host stack the return-address stack may use below dbt_enter's frame
 * (translate.c): 1024 calls deep; deeper calls run without it.  The
 * monitor's stack is 64 KiB.
 */
#define DBT_RAS_BYTES 16384

/*
 * Values the trampolines return to the dispatcher besides enum dbt_exit:
 * CONTINUE means "look up cpu->pc and go on", FENCE_I means "flush first",
 * LOOP_FACTS "the loop block at cpu->pc found what it assumes at its head
 * false on the way in: translate it again without those assumptions".
 */
#define DBT_EXIT_CONTINUE 0
#define DBT_EXIT_FENCE_I 0x100
#define DBT_EXIT_LOOP_FACTS 0x101

/*
 * MXCSR in translated code with plat_has_sse: every exception masked,
 * round to nearest even, DAZ/FTZ clear (IEEE subnormals), flags accruing.
 */
#define DBT_MXCSR_RNE_MASKED 0x1f80

/* enum dbt_exit's DBT_EXIT_FAULT and platform.h's GUEST_VA_LIMIT, for GNU as. */
#define DBT_EXIT_FAULT_VALUE 4
#define DBT_GUEST_VA_LIMIT_VALUE 0x4000000000

#endif
