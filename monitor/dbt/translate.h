/*
 * translate.h - the translator's internal interface: decoded instructions,
 * translated blocks, and the per-instruction handlers named by the decode
 * table (decode.c).  Handlers live in translate_*.c.
 */
#ifndef RVKVM_DBT_TRANSLATE_H
#define RVKVM_DBT_TRANSLATE_H

#include <stdint.h>

#include "dbt.h"
#include "emit.h"

/* Fixed host registers inside translated code (docs/translator.md). */
#define TR_CPU EMIT_R15	  /* struct dbt_cpu * */
#define TR_BASE EMIT_R14  /* plat_guest_base, where it is not 0 (else a pool register) */
#define TR_LIMIT EMIT_R13 /* GUEST_VA_LIMIT */
#define TR_SP EMIT_RBP	  /* guest sp (x2), in every block and across them */
#define TR_SP_GUEST 2

/* A block ends after this many guest instructions even without a branch. */
#define DBT_BLOCK_MAX_INSNS 64

/* Instruction formats (RISC-V unprivileged spec, 2.2-2.3): where the immediate is. */
enum dbt_fmt {
	DBT_FMT_R,
	DBT_FMT_I,
	DBT_FMT_S,
	DBT_FMT_B,
	DBT_FMT_U,
	DBT_FMT_J,
	DBT_FMT_SHIFT,
	DBT_FMT_CSR
};

struct dbt_tb;
struct dbt_insn;

/* Emits code for one instruction; returns 1 when it ends the block. */
typedef int (*dbt_translate_fn)(struct dbt_tb *tb, const struct dbt_insn *in);

/* One row of the decode table. */
struct dbt_op {
	const char *name;
	uint32_t mask;
	uint32_t match;
	enum dbt_fmt fmt;
	dbt_translate_fn translate;
	int arg; /* handler-specific: condition, width, operation */
};

struct dbt_insn {
	uint64_t pc;
	uint32_t word; /* the 32-bit form (compressed ones expanded) */
	uint32_t raw;  /* as fetched: what SIGILL reports */
	unsigned len;  /* 2 or 4 */
	unsigned rd, rs1, rs2;
	int64_t imm;
	const struct dbt_op *op;
};

/* Fills *in from in->word; NULL (and in->op NULL) for an unknown encoding. */
const struct dbt_op *dbt_decode(struct dbt_insn *in);

/*
 * The pool registers of the register cache (translate.c), in slot order;
 * the last, r14, only where the guest base is 0 (tr_pool_slots), and rcx
 * and rdx not while a handler claims them (tr_claim).
 */
#define DBT_CACHE_SLOTS 11

/*
 * The F/D register cache's xmm registers (translate_fcache.c, with
 * plat_has_sse only); xmm0 and xmm1 are the handlers' scratch.  Where a
 * record below says which f registers are dirty, fdirty[k] is 1 + the
 * guest f register xmm(TR_FPOOL_FIRST + k) holds newer than cpu->f, or 0,
 * with TR_FDIRTY_RAW where the value may be a NaN x86 made, which cpu->f
 * must get as RISC-V's canonical NaN (TR_FDIRTY_SINGLE: a single's).
 */
#define TR_FPOOL_FIRST 2 /* xmm2..xmm15 */
#define TR_FPOOL_LAST 15
#define TR_FPOOL_SLOTS (TR_FPOOL_LAST - TR_FPOOL_FIRST + 1)
/* RISC-V's canonical NaNs (spec 13.3; the single NaN-boxed) and the bits of +inf. */
#define DBT_CANON_NAN_D 0x7ff8000000000000ull
#define DBT_CANON_NAN_S 0xffffffff7fc00000ull
#define DBT_INF_BITS_D 0x7ff0000000000000ull
#define DBT_INF_BITS_S 0x7f800000u
#define TR_FDIRTY_RAW 0x40
#define TR_FDIRTY_SINGLE 0x80
#define TR_FDIRTY_REG(v) (((v) & 0x3f) - 1u)

/*
 * A host instruction that may fault on guest memory, its guest pc, and the
 * guest registers that are newer in the register cache than in struct
 * dbt_cpu at that point: dirty[slot] is the guest register the pool
 * register `slot` holds dirty, or 0.  dbt_fault() writes them back from
 * the faulting context, so accesses need no write-back before them.
 */
struct dbt_side_entry {
	uint32_t host_offset; /* from the block's code start */
	uint16_t pc_offset;   /* from the block's guest pc */
	uint8_t dirty[DBT_CACHE_SLOTS];
	uint8_t fdirty[TR_FPOOL_SLOTS];
	/* The load of an AMO or SC: a fault there is the store/AMO fault RISC-V has. */
	uint8_t as_store;
};
extern const int8_t dbt_cache_pool[DBT_CACHE_SLOTS];

struct dbt_block {
	uint64_t pc; /* guest address of the first instruction */
	uint8_t *code;
	uint64_t pc_end; /* one past the last guest byte translated */
	uint32_t code_size;
	uint32_t side_count;
	struct dbt_side_entry *side;
	struct dbt_block *hash_next;
	int valid;
	/* From code: past the interrupt check, for jumps that need none (cache.c); 0: none. */
	uint32_t unchecked_offset;
	/* From code: a routine's entry block's own code past the routine call, 0: none. */
	uint32_t body_offset;
};

/* A bounds-check failure path, emitted out of line after the block body. */
struct dbt_stub {
	size_t jcc_field;
	uint64_t pc;
	int access;
	int8_t addr_reg;		/* the host register holding the faulting address */
	int32_t addr_disp;		/* ... less this (a check of the base alone) */
	uint8_t dirty[DBT_CACHE_SLOTS]; /* as in struct dbt_side_entry: written back first */
	uint8_t fdirty[TR_FPOOL_SLOTS];
};

/*
 * An out-of-line call of the F/D helper for what inline F/D code leaves to
 * it (translate_fp.c): rounding modes other than RNE, NaN results,
 * unboxed singles, out-of-range conversions.  The jumps in `jcc` go there;
 * it writes back the dirty registers of `dirty`, calls dbt_helper_fp with
 * `word`, reloads guest `reload` (the integer result, if any) into host
 * `reload_host`, and returns to `back`, or leaves with SIGILL at `pc`.
 */
#define DBT_SLOW_JUMPS 5 /* fused single: rounding, three boxes, NaN */
struct dbt_slow {
	size_t jcc[DBT_SLOW_JUMPS];
	unsigned jcc_count;
	size_t back;
	/*
	 * Not 0: after the helper, leave the block for this pc instead of
	 * returning (the rounding-mode test, below); insn_done instructions
	 * of the block have run then.
	 */
	uint64_t leave_pc;
	unsigned insn_done;
	uint64_t pc;
	uint32_t word, raw;
	unsigned reload;
	int reload_host;
	uint8_t dirty[DBT_CACHE_SLOTS];
	uint8_t fdirty[TR_FPOOL_SLOTS];
	int8_t fguest_of[16]; /* the F/D cache at `back`: reloaded after the call */
	uint32_t checked_box; /* f registers whose NaN box jumps here already (translate_fp.c) */
};

#define DBT_MAX_SIDE (DBT_BLOCK_MAX_INSNS * 3)
/*
 * Direct exits per block: a conditional branch that ends a block has two;
 * one inside a superblock has one, its taken side (struct dbt_side_exit).
 */
#define DBT_MAX_EXITS 8

/*
 * A direct exit to a known guest pc: `jmp rel32` at `field`, aimed at the
 * `stub` right after it (store pc, return to the dispatcher) until the
 * target is translated and the jump is chained to it.  Offsets are from
 * the block's code start.
 */
struct dbt_direct_exit {
	size_t field;
	size_t stub;
	uint64_t target;
};

/*
 * A conditional branch inside a superblock: translation goes on along the
 * fall-through path, and the taken side leaves from an out-of-line stub
 * that writes back what was dirty at the branch, then exits (chainably)
 * to `target`.
 */
struct dbt_side_exit {
	size_t jcc_field;
	unsigned insn_count; /* instructions of the block run when it is taken */
	uint64_t target;
	uint8_t dirty[DBT_CACHE_SLOTS];
	uint8_t fdirty[TR_FPOOL_SLOTS];
};

/*
 * What the or of a folded rotate computes (fold.c): rd = ror32 (w, then
 * sign-extended) or ror64 of x[source] by amount.  source 0: no rotate.
 */
struct dbt_rotate {
	uint8_t source;
	uint8_t amount;
	uint8_t w;
};

/* Translation context of one block. */
struct dbt_tb {
	struct emit_buf b;
	uint64_t block_pc;
	const struct dbt_insn *in; /* the instruction being translated */
	unsigned side_count;
	struct dbt_side_entry side[DBT_MAX_SIDE];
	unsigned stub_count;
	struct dbt_stub stub[2 * DBT_BLOCK_MAX_INSNS]; /* bounds + alignment per access */
	unsigned exit_count;
	struct dbt_direct_exit exit[DBT_MAX_EXITS];
	unsigned side_exit_count;
	struct dbt_side_exit side_exit[DBT_MAX_EXITS];
	unsigned slow_count;
	struct dbt_slow slow[DBT_BLOCK_MAX_INSNS + 1]; /* one per F/D insn, and one frm test */
	/*
	 * cpu->frm was found 0 (RNE) earlier in the block, on every path to
	 * here: a later F/D instruction with the dynamic rounding mode needs
	 * no test of its own (translate_fp.c).  Until a helper call, which
	 * may write frm.
	 */
	int frm_rne;
	/* Register cache (translate.c): guest x -> host register or -1, and back. */
	int8_t host_of[32];
	int8_t guest_of[16];
	uint32_t dirty;	       /* guest registers newer in the cache than in memory */
	uint32_t last_use[16]; /* per host register, for LRU eviction */
	uint32_t use_clock;
	uint32_t insn_clock; /* use_clock when the current instruction began */
	/*
	 * The block's instructions as a pre-scan found them: the registers each
	 * names (rd, rs1, rs2 fields) and of those the ones it reads, so
	 * eviction can pick the register needed latest; `insn_index` is the
	 * one being translated.
	 */
	uint32_t insn_named[DBT_BLOCK_MAX_INSNS];
	uint32_t insn_read[DBT_BLOCK_MAX_INSNS];
	struct dbt_insn insn_ahead[DBT_BLOCK_MAX_INSNS];
	unsigned insn_scanned, insn_index;
	/*
	 * A handler that folds the next instructions into its own host code
	 * (an idiom: slli+add as one lea) calls tr_fuse_next once for each;
	 * the loop then steps over them: how many.
	 */
	int fused;
	/* Set by a handler (tr_continue_at): where translation goes on, if not after it. */
	uint64_t continue_at;
	/*
	 * Guest registers whose value is known to be a sign-extended 32-bit
	 * one (the result of a W operation, lw, lui, ...), so sext.w of them
	 * is a move or nothing.  Known from the block's start only; a handler
	 * sets result_sext when the rd it writes is such a value.
	 */
	uint32_t x_sext32;
	int result_sext;
	/* Bit i: the upper half of instruction i's rd is never observed (demand.c). */
	uint64_t upper_unused;
	/* Bit i: instruction i is a shift folded into a later rotate (fold.c): no code. */
	uint64_t fold_skip;
	struct dbt_rotate rotate[DBT_BLOCK_MAX_INSNS];
	/*
	 * Guest registers x[r] for which x[r] + checked_imm[r] passed the limit
	 * check since r was last written (tr_guest_mem).
	 */
	uint32_t x_checked;
	int32_t checked_imm[32];
	/*
	 * Set by a handler whose rd is x[result_base] + result_offset (addi,
	 * mv), so rd inherits result_base's check, shifted (note_result);
	 * -1 when not.
	 */
	int result_base;
	int32_t result_offset;
	unsigned insn_count; /* instructions in the block, once translated */
	uint32_t insn_regs;  /* what the current instruction names: never evicted */
	uint16_t claimed;    /* host registers the current handler uses itself (tr_claim) */
	/*
	 * Loop blocks (translate.c): guest registers the block names (rd, rs1,
	 * rs2 of every instruction) and those it may write, whether it
	 * branched back to its start, and in a loop block the offset of the
	 * loop head, the cache mapping there and which of those registers are
	 * dirty there.
	 */
	uint32_t named, written;
	uint32_t fwritten; /* f registers the block writes (so far) */
	int back_edge;
	dbt_routine_fn *routine; /* dbt_guest_routine(block_pc): called at the head */
	int loop;
	size_t loop_head;
	int8_t loop_host_of[32];
	uint32_t loop_dirty;
	/*
	 * Loop facts (docs/translator.md, "Facts at a loop's head"): what the
	 * first translation found at every back edge (x registers known
	 * sign-extended, f registers known NaN-boxed, frm known RNE), the f
	 * registers it read as singles and whether it tested frm; what the
	 * loop translation assumes at its head, checked once on the way in,
	 * the checks' jumps to the stub that drops the translation when one
	 * fails, and whether a back edge of the loop translation found an
	 * assumption unproven (then it is made again without them).
	 */
	uint32_t back_sext, back_fboxed, fsingle_read;
	/*
	 * x registers with x[r] + back_checked_imm[r] past the limit check at
	 * every back edge (a pointer the body steps past its access), and
	 * those of them the loop translation assumes at its head.
	 */
	uint32_t back_checked, facts_checked;
	int32_t back_checked_imm[32];
	/* Raw (below) at some back edge, as a double, as a single. */
	uint32_t back_fraw_d, back_fraw_s;
	int back_frm, frm_tested;
	int facts_allowed;
	uint32_t facts_sext, facts_fboxed, facts_fraw, facts_fraw_s;
	int facts_frm, facts_broken;
	unsigned facts_jcc_count;
	size_t facts_jcc[4 * 32 + 1];
	/*
	 * F/D register cache (translate_fcache.c): guest f -> xmm or -1 and
	 * back, which cached singles are known NaN-boxed, the f registers the
	 * block touched, and in a loop block the mapping at the loop head.
	 */
	int8_t fxmm_of[32];
	int8_t fguest_of[16];
	uint32_t fdirty; /* f registers newer in their xmm than in cpu->f */
	/*
	 * Raw: dirty f registers whose xmm may hold a NaN as x86 arithmetic
	 * makes it (negative, or an operand's payload), which stands for
	 * RISC-V's canonical NaN; fraw_s says which of them are singles.
	 * Made canonical where the bits can be seen: a write-back, fsd/fsw.
	 */
	uint32_t fraw, fraw_s;
	int slow_open;	 /* between tr_slow_begin and tr_slow_end: no dirty xmm is evicted */
	uint32_t fboxed;
	uint32_t flast_use[16];
	uint32_t fnamed;
	int8_t loop_fxmm_of[32];
	uint32_t loop_fdirty;
	uint32_t loop_fraw, loop_fraw_s;
	/* The jne at the block's head taken when cpu->interrupt_request is set. */
	size_t interrupt_field;
	size_t unchecked_offset; /* what struct dbt_block's says */
	/* A routine's entry block: its body (as struct dbt_block's), the body's interrupt jne. */
	size_t body_offset;
	size_t body_interrupt_field;
	uint8_t interrupt_dirty[DBT_CACHE_SLOTS];
	uint8_t interrupt_fdirty[TR_FPOOL_SLOTS];
};

/*
 * Translates the block at pc into tb->b.  Returns 0 (*pc_end set),
 * DBT_EXIT_FETCH_FAULT when pc itself cannot be fetched (*fault_addr set),
 * or -1 when the code buffer or the side table ran out.
 */
int dbt_translate(struct dbt_tb *tb, uint64_t pc, uint64_t *pc_end, uint64_t *fault_addr);
/* The loop block at pc found its head's facts false: translate it without them from now on. */
void dbt_loop_facts_failed(uint64_t pc);

/* Shared emission helpers (translate.c). */
struct emit_mem tr_x(unsigned r);
struct emit_mem tr_f(unsigned r);
struct emit_mem tr_cpu(int32_t offset);
void tr_load_x(struct dbt_tb *tb, int host, unsigned r);
int tr_cached_x(struct dbt_tb *tb, unsigned r);
void tr_alu_x(struct dbt_tb *tb, enum emit_alu op, int host, unsigned r);
void tr_cache_reset(struct dbt_tb *tb);
void tr_sync(struct dbt_tb *tb);
void tr_store_x(struct dbt_tb *tb, unsigned r, int host);
void tr_set_x_imm(struct dbt_tb *tb, unsigned r, uint64_t value);
void tr_store_pc(struct dbt_tb *tb, uint64_t pc);
void tr_jump(struct dbt_tb *tb, const void *target);
void tr_exit_to(struct dbt_tb *tb, uint64_t pc);
int tr_side_exit_jcc(struct dbt_tb *tb, enum emit_cc cc, uint64_t target);
void tr_call_to(struct dbt_tb *tb, uint64_t target, uint64_t ret_pc);
size_t tr_ras_push(struct dbt_tb *tb, uint64_t ret_pc, int scratch);
void tr_ras_landing(struct dbt_tb *tb, uint64_t ret_pc);
void tr_return_probe(struct dbt_tb *tb);
/* With DBT_MODE_COUNT, code that adds 1 to the cpu's counter at that offset (flags change). */
void tr_count(struct dbt_tb *tb, int32_t counter);
int tr_ras_enabled(void);
int tr_loop_back(struct dbt_tb *tb, uint64_t target);
void tr_loop_jcc(struct dbt_tb *tb, enum emit_cc cc);
void tr_exit_reason(struct dbt_tb *tb, uint64_t pc, uint32_t reason);
void tr_exit_illegal(struct dbt_tb *tb);
void tr_here(struct dbt_tb *tb, size_t field);
void tr_guest_addr(struct dbt_tb *tb, unsigned rs1, int64_t imm, int access);
struct emit_mem tr_guest_mem(struct dbt_tb *tb, unsigned rs1, int64_t imm, int access);
struct emit_mem tr_guest_at(int reg, int32_t disp);
unsigned tr_pool_slots(void);
void tr_side_mark(struct dbt_tb *tb);
void tr_side_mark_as_store(struct dbt_tb *tb);
void tr_check_aligned(struct dbt_tb *tb, unsigned size, int access);
void tr_call(struct dbt_tb *tb, const void *fn); /* rax too, where fn is out of rel32 reach */
void tr_call_helper(struct dbt_tb *tb, const void *fn, uint32_t arg);
int tr_cache_assign_x(struct dbt_tb *tb, unsigned r);
int tr_bypass_x(const struct dbt_tb *tb, unsigned r);
const struct dbt_insn *tr_insn_after(const struct dbt_tb *tb, unsigned k);
const struct dbt_insn *tr_next_insn(const struct dbt_tb *tb);
void tr_fuse_next(struct dbt_tb *tb);
int tr_closes_loop(struct dbt_tb *tb, uint64_t target);
int tr_x_dead_at(const struct dbt_tb *tb, uint64_t pc, unsigned r);
uint32_t tr_x_dead_set(const struct dbt_tb *tb, uint64_t pc, uint64_t ret_pc, uint32_t mask);
uint32_t tr_dead_past_exit(const struct dbt_tb *tb, uint64_t target, uint64_t ret_pc,
			   uint32_t dirty);
void tr_continue_at(struct dbt_tb *tb, uint64_t pc);
int tr_may_follow(const struct dbt_tb *tb, uint64_t target);
int tr_is_sext32(const struct dbt_tb *tb, unsigned r);
int tr_upper_unused(const struct dbt_tb *tb);

/*
 * Of count pre-scanned instructions, which write an rd whose upper 32
 * bits nothing reads before it is overwritten (bit i for insns[i]).
 */
_Static_assert(DBT_BLOCK_MAX_INSNS <= 64, "one bit per instruction");
uint64_t dbt_upper_half_unused(const struct dbt_insn *insns, unsigned count);
/* Whether in is plain integer computation: it cannot fault, leave or observe (demand.c). */
int dbt_insn_is_plain(const struct dbt_insn *in);

/*
 * Of count pre-scanned instructions, the shifts that are folded into a
 * later or as one rotate (bit i for insns[i]); rotate[j] says what the or
 * insns[j] computes then, and is zeroed for every other j (fold.c).
 */
uint64_t dbt_fold_rotates(struct dbt_tb *tb, const struct dbt_insn *insns, unsigned count,
			  struct dbt_rotate *rotate);

/* The integer registers an instruction reads and writes, from its format (translate.c). */
uint32_t dbt_insn_reads(const struct dbt_insn *in);
uint32_t dbt_insn_writes(const struct dbt_insn *in);
void tr_mark_dirty(struct dbt_tb *tb, unsigned r);
void tr_cache_release(struct dbt_tb *tb, int host);
void tr_claim(struct dbt_tb *tb, int host);
struct dbt_slow *tr_slow_begin(struct dbt_tb *tb);
void tr_slow_jcc(struct dbt_tb *tb, struct dbt_slow *s, enum emit_cc cc);
void tr_slow_end(struct dbt_tb *tb, struct dbt_slow *s);

/*
 * The F/D register cache (translate_fcache.c), with plat_has_sse only.
 * Write-back, as the integer cache: a result stays in its xmm register
 * (dirty) until an exit or a helper call writes it back (tr_sync), or the
 * register is evicted; the records of faulting accesses, stubs, side exits
 * and slow paths say which xmm holds which dirty f register there
 * (fdirty).  Code that reads cpu->f itself calls tr_fclean first; code
 * that writes it behind the cache's back calls tr_fdrop.
 */
void tr_fcache_reset(struct dbt_tb *tb);
int tr_fcached(struct dbt_tb *tb, unsigned r);	       /* xmm holding f[r], loaded on a miss */
int tr_fis_boxed(const struct dbt_tb *tb, unsigned r); /* cached single known NaN-boxed */
/* A result's width: a single is NaN-boxed in its register, unless TR_F_BOXED already. */
enum tr_fwidth { TR_F_DOUBLE, TR_F_SINGLE, TR_F_BOXED };
void tr_fset(struct dbt_tb *tb, unsigned rd, enum tr_fwidth width); /* f[rd] = xmm0 */
int tr_fdest(struct dbt_tb *tb, unsigned rd); /* the xmm for a new f[rd], then: */
void tr_fcommit(struct dbt_tb *tb, unsigned rd, enum tr_fwidth width); /* box, mark dirty */
void tr_fmark_raw(struct dbt_tb *tb, unsigned rd, int single); /* after tr_fcommit */
void tr_fcopy_raw(struct dbt_tb *tb, unsigned rd, unsigned rs); /* rd, a copy of rs: as raw */
void tr_fcanon(struct dbt_tb *tb, unsigned r); /* a cached raw f[r] made canonical in its xmm */
void tr_fdrop(struct dbt_tb *tb, unsigned r);
void tr_fclean(struct dbt_tb *tb, unsigned r); /* cpu->f[r] current (written back if dirty) */
void tr_fsync(struct dbt_tb *tb);	       /* every dirty f register written back */
void tr_fdirty_snapshot(const struct dbt_tb *tb, uint8_t fdirty[TR_FPOOL_SLOTS]);
void tr_fwrite_back(struct dbt_tb *tb, const uint8_t fdirty[TR_FPOOL_SLOTS]);
void tr_fslow_room(struct dbt_tb *tb);
void tr_fpreload(struct dbt_tb *tb, uint32_t regs);
void tr_freload(struct dbt_tb *tb, const int8_t fguest_of[16]);

/* Inline F/D (translate_fp.c): 1 when emitted, 0 to leave it to the helper. */
int tr_fp_inline(struct dbt_tb *tb, const struct dbt_insn *in);
/* frflags; a compare; fsflags, as one (translate_fp.c): 1 when emitted. */
int tr_fp_quiet_compare(struct dbt_tb *tb, const struct dbt_insn *in);
/* ZF clear unless f[r] holds a NaN-boxed single (translate_fp.c); clobbers rax. */
void tr_fbox_test(struct dbt_tb *tb, unsigned r);
/* Flags "above" if xmm x holds a NaN (translate_fp.c); clobbers scratch. */
void tr_fnan_test(struct dbt_tb *tb, int x, int single, int scratch);

/* Handlers named by the decode table. */
int tr_lui(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_auipc(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_jal(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_jalr(struct dbt_tb *tb, const struct dbt_insn *in);
/* At a block's head: the C library routine the personality runs there (dbt_guest_routine). */
void tr_routine_call(struct dbt_tb *tb, dbt_routine_fn *routine);
int tr_branch(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_alu_imm(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_alu_imm_w(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_slt_imm(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_shift_imm(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_shift_imm_w(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_alu(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_alu_w(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_slt(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_shift(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_shift_w(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_mul(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_mulh(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_div(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_load(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_store(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_fload(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_fstore(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_lr(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_sc(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_amo(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_fence(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_fence_i(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_ecall(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_ebreak(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_csr(struct dbt_tb *tb, const struct dbt_insn *in);
int tr_fp(struct dbt_tb *tb, const struct dbt_insn *in);

/* Handler arguments. */
enum tr_mem_width { /* bits 0-1: log2 size; bit 2: zero-extend */
		    TR_B = 0,
		    TR_H = 1,
		    TR_W = 2,
		    TR_D = 3,
		    TR_UNSIGNED = 4,
};
enum tr_mulh { TR_MULH, TR_MULHU, TR_MULHSU };
enum tr_div_flags { TR_DIV_SIGNED = 1, TR_DIV_REM = 2, TR_DIV_W = 4 };
enum tr_amo {
	TR_AMO_SWAP,
	TR_AMO_ADD,
	TR_AMO_XOR,
	TR_AMO_AND,
	TR_AMO_OR,
	TR_AMO_MIN,
	TR_AMO_MAX,
	TR_AMO_MINU,
	TR_AMO_MAXU
};

/* The Zicsr instructions' funct3 (CSR_FUNCT3_IMM set: the rs1 field is the value). */
#define CSR_FUNCT3_RW 1
#define CSR_FUNCT3_RS 2
#define CSR_FUNCT3_RC 3
#define CSR_FUNCT3_IMM 4
#define CSR_FFLAGS 0x001

/* C helpers called from translated code (helpers.c). */
uint32_t dbt_helper_csr(struct dbt_cpu *cpu, uint32_t insn);
uint32_t dbt_helper_fp(struct dbt_cpu *cpu, uint32_t insn);
uint32_t dbt_helper_ecall(struct dbt_cpu *cpu, uint32_t unused);

/*
 * With plat_has_sse, inline F/D code accrues exceptions in the host MXCSR
 * (RNE, all masked): dbt_fp_begin() sets it up when dbt_run starts,
 * dbt_fp_fold() moves its flags into cpu->fflags (when dbt_run returns and
 * before a CSR access).
 */
void dbt_fp_begin(void);
void dbt_fp_fold(struct dbt_cpu *cpu);

/* frflags (into eax) and fsflags (from ecx) in place (fflags.S): nothing else changes. */
extern const char dbt_fflags_read[];
extern const char dbt_fflags_write[];
/* MXCSR's flags (bits 0-5) as fflags, for dbt_fp_fold too. */
extern const uint8_t dbt_fflags_of_mxcsr[64];

/* The trampolines (enter.S). */
uint32_t dbt_enter(struct dbt_cpu *cpu, const void *code);
extern const char dbt_exit_continue[]; /* jump here: return DBT_EXIT_CONTINUE */
extern const char dbt_exit_reason[];   /* jump here with eax = the reason */

#endif
