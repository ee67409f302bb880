/*
 * dbt.h - the translator's interface to the rest of the core.
 *
 * The personality (linux/) owns a struct dbt_cpu, calls dbt_run() and handles
 * whatever made it return; platforms call dbt_fault() from their fault paths.
 */
#ifndef RVKVM_DBT_H
#define RVKVM_DBT_H

#include <stdint.h>

/*
 * Guest (RISC-V hart) state.  Translated code addresses it off a fixed host
 * register, so the field offsets are part of the emitted code: the
 * _Static_asserts below pin the ones the emitter uses.
 */
/* Entries of the jump cache (cache.h); a power of two. */
#define DBT_JUMP_ENTRIES 4096

struct dbt_cpu {
	uint64_t x[32];          /* x[0] reads as 0 */
	uint64_t f[32];          /* NaN-boxed singles in the low 32 bits */
	uint64_t pc;             /* guest pc of the next instruction to run */
	uint32_t fflags;         /* fcsr[4:0]: NV DZ OF UF NX */
	uint32_t frm;            /* fcsr[7:5] */
	uint64_t reservation;    /* LR/SC: reserved address, or ~0 */
	uint64_t reservation_value;
	uint64_t instret;        /* retired instructions with DBT_MODE_COUNT, per block */

	/* Why dbt_run() returned (enum dbt_exit), and its details. */
	uint32_t exit_reason;
	uint32_t fault_access;   /* DBT_ACCESS_* for DBT_EXIT_FAULT */
	uint64_t fault_addr;     /* guest address for DBT_EXIT_FAULT */
	uint32_t fault_insn;     /* instruction word for DBT_EXIT_ILLEGAL */
	/*
	 * Non-zero makes dbt_run() return DBT_EXIT_INTERRUPT at the next block
	 * boundary, with every register and pc precise.  Set asynchronously
	 * (a host signal handler, an interrupt handler); the caller of
	 * dbt_run() clears it.
	 */
	volatile uint32_t interrupt_request;

	/* Host-side bookkeeping for the enter/exit trampolines. */
	uint64_t host_sp;
	uint64_t scratch[8];
	/* NaN-boxing mask for singles made in xmm registers (dbt_run sets it; orpd wants 16 bytes aligned). */
	uint64_t fbox_mask[2] __attribute__((aligned(16)));
	/* Lowest rsp the return-address stack may push to (dbt_enter sets it). */
	uint64_t ras_limit;
	/*
	 * What a NaN result becomes (spec 13.3): the canonical double, and
	 * the canonical single NaN-boxed, in the low lane of 16 bytes for
	 * vblendv; and the bits of +inf doubled, which a double's bits
	 * doubled (the sign shifted out) exceed only where it is a NaN.
	 * dbt_run sets them.
	 */
	uint64_t fcanon_d[2] __attribute__((aligned(16)));
	uint64_t fcanon_s[2];
	uint64_t fnan_bound;
	/*
	 * The jump cache this hart's indirect jumps probe inline (cache.h),
	 * here so that a probe addresses an entry from the cpu register in
	 * one instruction.  dbt_run fills it with empty entries where
	 * jump_cache_ready is clear (a zeroed struct) or another cpu ran last.
	 */
	uint32_t jump_cache_ready;
	struct dbt_jump_entry {
		uint64_t pc;
		const uint8_t *code;
	} jump_cache[DBT_JUMP_ENTRIES] __attribute__((aligned(16)));
	/*
	 * With DBT_MODE_COUNT (--stats): the indirect jumps run (returns
	 * among them), those that went to the dispatcher because neither
	 * inline probe (return stack, jump cache) had their target, the
	 * returns run, and those the return stack did not serve.
	 */
	uint64_t indirect_jumps;
	uint64_t indirect_missed;
	uint64_t returns;
	uint64_t returns_missed;
	/* With DBT_MODE_COUNT: C library routines run as host code, and those that declined. */
	uint64_t routine_calls;
	uint64_t routine_declined;
};
_Static_assert(__builtin_offsetof(struct dbt_cpu, x) == 0, "x at 0");
_Static_assert(__builtin_offsetof(struct dbt_cpu, f) == 256, "f at 256");
_Static_assert(__builtin_offsetof(struct dbt_cpu, pc) == 512, "pc at 512");

enum dbt_exit {
	DBT_EXIT_ECALL = 1,      /* pc points at the ecall */
	DBT_EXIT_EBREAK,         /* pc points at the ebreak: SIGTRAP */
	DBT_EXIT_ILLEGAL,        /* pc at the instruction: SIGILL */
	DBT_EXIT_FAULT,          /* pc at the access: SIGSEGV (or SIGBUS) */
	DBT_EXIT_FETCH_FAULT,    /* pc itself is not executable: SIGSEGV */
	DBT_EXIT_INTERRUPT,      /* cpu->interrupt_request was set; pc is the next to run */
	DBT_EXIT_STEP,           /* DBT_MODE_STEP: one instruction ran; pc is the next */
};

#define DBT_ACCESS_READ  1
#define DBT_ACCESS_WRITE 2
#define DBT_ACCESS_EXEC  4
/* With DBT_EXIT_FAULT: a misaligned LR/SC/AMO, which Linux answers with SIGBUS. */
#define DBT_ACCESS_MISALIGNED 8

/*
 * Modes for debugging; changing them drops every translation.
 * NOCHAIN: every block returns to the dispatcher, which reports it to
 * dbt_observe_exec (-d exec, as qemu's -d exec,nochain).  STEP: blocks of
 * one instruction, and dbt_run() returns DBT_EXIT_STEP after each (-g).
 */
#define DBT_MODE_NOCHAIN 1u
#define DBT_MODE_STEP    2u
/*
 * COUNT: cpu->instret counts retired instructions (per block; --stats).
 * Without it nothing counts them, and the instret and cycle CSRs read a
 * clock, as qemu-riscv64's read the host's cycle counter: the count costs
 * a read-modify-write of memory per block, a loop-carried dependency in
 * every tight loop.
 */
#define DBT_MODE_COUNT   4u
/*
 * ECALL_EXIT: ecall leaves dbt_run() with DBT_EXIT_ECALL, as every mode
 * without chaining does too, instead of calling dbt_guest_ecall() from the
 * block: for a debugger, which must see each system call between runs.
 */
#define DBT_MODE_ECALL_EXIT 8u

/* The set of DBT_MODE_* bits in force: read it freely, change it only here. */
extern unsigned dbt_mode;
void dbt_set_mode(unsigned mode);

/*
 * Implemented by the personality (monitor/linux/observe.c): a block was
 * translated, guest [guest_pc, guest_end) into host [host, host+host_size)
 * (-d in_asm,out_asm, --perf-map); and, in NOCHAIN mode, the dispatcher is
 * about to run the block at cpu->pc (-d exec).
 */
void dbt_observe_translate(uint64_t guest_pc, uint64_t guest_end, const void *host,
			   uint32_t host_size);
void dbt_observe_exec(const struct dbt_cpu *cpu);

/* One-time set-up of the code cache; 0 or -ENOMEM. */
int dbt_init(void);

/* Run translated guest code from cpu->pc until an exit; returns enum dbt_exit. */
int dbt_run(struct dbt_cpu *cpu);

/*
 * A host write is about to land on guest memory [gva, gva+len) (a read(2)
 * into a buffer, say): drop translations of code there and lift their write
 * protection, so the write neither faults nor leaves stale code behind.
 */
int dbt_prepare_write(uint64_t gva, uint64_t len); /* 1: translations were dropped */

/* Drop every translation (fence.i, munmap/mprotect of code). */
void dbt_flush(void);
void dbt_invalidate_range(uint64_t gva, uint64_t len);

/*
 * Called by a platform for a hardware fault at host `host_rip` on guest
 * address `gva`.  `gpr` is the faulting context's 16 general registers in
 * x86 encoding order (rax rcx rdx rbx rsp rbp rsi rdi r8 .. r15, DBT_GPR_*):
 * translated code keeps guest registers in host registers across memory
 * accesses, and dbt_fault() writes them back to the cpu from there.
 * RETRY: the cause is gone (a write to a write-protected code page),
 * resume the faulting instruction.  UNWIND: the guest faulted; cpu state
 * is precise, resume at dbt_fault_exit.  NOT_GUEST: the fault is not the
 * guest's (a monitor bug).
 */
enum dbt_fault_verdict { DBT_FAULT_RETRY, DBT_FAULT_UNWIND, DBT_FAULT_NOT_GUEST };
#define DBT_GPRS 16
/*
 * `xmm` is the low 64 bits of the context's xmm0-15, where translated code
 * keeps f registers (plat_has_sse), or NULL where it keeps none.
 */
int dbt_fault(uint64_t host_rip, uint64_t gva, int access, const uint64_t gpr[DBT_GPRS],
	      const uint64_t *xmm);
extern const char dbt_fault_exit[];

/*
 * The guest pc of the translated instruction at host address `host_rip`,
 * or 0 when host_rip is not in translated code.  For the monitor's crash
 * report (rvkvm_crash.guest_pc); referenced weakly by the platform.
 */
uint64_t dbt_guest_pc_at(uint64_t host_rip);

/*
 * Implemented by the personality (monitor/linux/): the guest's own
 * protection of the page at gva (PLAT_PROT_* bits), or -1 when unmapped.
 * The translator asks before fetching from a page, and to restore a page it
 * write-protected because it holds translated code.
 */
int dbt_guest_page_prot(uint64_t gva);

/*
 * Implemented by the personality: the page at gva is about to be accessed
 * (DBT_ACCESS_*) by translated code that faulted on it (dbt_fault) or by
 * the translator fetching code.  1: it was not populated and now is (retry
 * the access); 0: nothing to do; -1: it cannot be (the access faults).
 */
int dbt_guest_page_fill(uint64_t gva, int access);

/*
 * Implemented by the personality: the guest ran the ecall at cpu->pc, with
 * every register written back to cpu.  Serves the system call and leaves
 * cpu->pc where the guest goes on: the next instruction, a signal
 * handler's entry, or the pc rt_sigreturn restored.  Called from
 * translated code (dbt_helper_ecall, which keeps fflags and MXCSR right
 * around it); it may drop translations, the calling block's included, and
 * may end the run (exit_group) without returning.
 */
void dbt_guest_ecall(struct dbt_cpu *cpu);

/*
 * Implemented by the personality: the C library routine whose entry is pc,
 * run as host code (routines.c), or NULL.  Asked once per block
 * translated at pc; not asked under a debugger or -d exec
 * (DBT_MODE_NOCHAIN, DBT_MODE_STEP), which see every guest instruction.
 * Translated code calls it at the block's head with every register
 * written back and cpu->pc at the entry; it answers DBT_ROUTINE_*.
 */
typedef uint32_t dbt_routine_fn(struct dbt_cpu *cpu);
dbt_routine_fn *dbt_guest_routine(uint64_t pc);

/* Declined, nothing touched (some memory is not accessible): the guest's code runs. */
#define DBT_ROUTINE_DECLINED 0
/* Done, a0 holds the result: the guest goes on at ra, as after a return. */
#define DBT_ROUTINE_RETURN 1
/* Done, but it wrote over translated code: on at cpu->pc (ra) through the dispatcher. */
#define DBT_ROUTINE_LEAVE 2

/*
 * The cpu dbt_run() is running, NULL outside it.  Owned by dbt_run(); read
 * by dbt_fault() and dbt_fault_exit, where no register can be trusted.
 */
extern struct dbt_cpu *dbt_current_cpu;

/* Counters for --stats. */
struct dbt_stats {
	uint64_t blocks_translated;
	uint64_t guest_insns_translated;
	uint64_t translate_ns;
	uint64_t dispatcher_lookups;
	uint64_t chained_exits;
	uint64_t flushes;
	uint64_t loop_facts_dropped; /* loop translations whose head facts failed on entry */
	uint64_t smc_invalidations;
};
extern struct dbt_stats dbt_stats;

#endif
