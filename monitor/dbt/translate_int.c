/*
 * translate_int.c - RV64I and RV64M computation and control transfer.
 * Guest registers live in the register cache (translate.c); rax, rcx, rdx are scratch.
 */
#include "translate.h"

#include "cache.h"
#include "cpu_offsets.h"

static int fits_int32(uint64_t v)
{
	return (int64_t)v == (int32_t)v;
}

/*
 * lui or auipc rd, then an instruction that reads rd and overwrites it:
 * addi/addiw rd, rd, k (li and la of a constant beyond 12 bits) is one
 * mov of the sum, add rd, rd, rs (an offset beyond 12 bits) one lea.
 * rd's upper value never exists; nothing between the two can fault or
 * be observed.  Returns 0 when the next instruction is not such a one.
 */
static int upper_pair(struct dbt_tb *tb, const struct dbt_insn *in, uint64_t value)
{
	const struct dbt_insn *next = tr_next_insn(tb);
	unsigned rd = in->rd;
	if (!rd || !next || next->rd != rd || next->op->arg != EMIT_ADD)
		return 0;
	if ((next->op->translate == tr_alu_imm || next->op->translate == tr_alu_imm_w) &&
	    next->rs1 == rd) {
		tr_fuse_next(tb);
		value += (uint64_t)next->imm;
		if (next->op->translate == tr_alu_imm_w)
			value = (uint64_t)(int64_t)(int32_t)value;
		tr_set_x_imm(tb, rd, value);
		tb->result_sext = fits_int32(value);
		return 1;
	}
	unsigned other = next->rs1 == rd ? next->rs2 : next->rs1;
	if (next->op->translate != tr_alu || !fits_int32(value) || other == rd ||
	    (next->rs1 != rd && next->rs2 != rd))
		return 0;
	tr_fuse_next(tb);
	if (other == 0) {
		tr_set_x_imm(tb, rd, value);
		tb->result_sext = 1;
		return 1;
	}
	int src = tr_cached_x(tb, other);
	int d = tr_cache_assign_x(tb, rd);
	emit_lea_r64_m(&tb->b, d, (struct emit_mem){src, EMIT_NO_INDEX, 1, (int32_t)value});
	tr_mark_dirty(tb, rd);
	return 1;
}

int tr_lui(struct dbt_tb *tb, const struct dbt_insn *in)
{
	if (upper_pair(tb, in, (uint64_t)in->imm))
		return 0;
	tr_set_x_imm(tb, in->rd, (uint64_t)in->imm);
	tb->result_sext = 1;
	return 0;
}

int tr_auipc(struct dbt_tb *tb, const struct dbt_insn *in)
{
	if (upper_pair(tb, in, in->pc + (uint64_t)in->imm))
		return 0;
	tr_set_x_imm(tb, in->rd, in->pc + (uint64_t)in->imm);
	tb->result_sext = fits_int32(in->pc + (uint64_t)in->imm);
	return 0;
}

int tr_jal(struct dbt_tb *tb, const struct dbt_insn *in)
{
	tr_set_x_imm(tb, in->rd, in->pc + in->len);
	if ((in->rd == 1 || in->rd == 5) && tr_ras_enabled()) {
		tr_call_to(tb, in->pc + (uint64_t)in->imm, in->pc + in->len);
		return 1;
	}
	uint64_t target = in->pc + (uint64_t)in->imm;
	if (in->rd == 0 && tr_may_follow(tb, target)) {
		/* A jump forward on the page (an if-else's join): the block goes on there. */
		tr_continue_at(tb, target);
		return 0;
	}
	if (tr_loop_back(tb, target))
		tr_loop_jcc(tb, (enum emit_cc) - 1);
	else
		tr_exit_to(tb, target);
	return 1;
}

/* jalr x0, 0(ra) or 0(t0): a return (spec 2.5.1, table 2.1). */
static int is_return(const struct dbt_insn *in)
{
	return in->rd == 0 && (in->rs1 == 1 || in->rs1 == 5);
}

/*
 * For jalr, with the target in rax: the return-address stack where it is
 * a return, then the jump cache (cache.h), which jumps straight to the
 * target's block, at its head (an indirect jump may close a loop: the
 * interrupt test must run).  Code after this runs on a miss.
 */
static void indirect_probe(struct dbt_tb *tb, const struct dbt_insn *in)
{
	struct emit_buf *b = &tb->b;
	if (is_return(in))
		tr_return_probe(tb);

	/*
	 * rcx = ((pc >> 1) mod DBT_JUMP_ENTRIES) * 2, which the scale of 8
	 * makes the entry's offset in cpu->jump_cache.
	 */
	emit_mov_r32_r32(b, EMIT_RCX, EMIT_RAX);
	emit_alu_r32_imm32(b, EMIT_AND, EMIT_RCX, (DBT_JUMP_ENTRIES - 1) << 1);
	struct emit_mem entry = {TR_CPU, EMIT_RCX, 8, DBT_CPU_JUMP_CACHE};
	emit_alu_r64_m64(b, EMIT_CMP, EMIT_RAX, entry);
	size_t miss = emit_jcc_rel32(b, EMIT_CC_NE, NULL);
	entry.disp += 8;
	emit_mov_r64_m64(b, EMIT_RDX, entry);
	if (in->rd == 1 || in->rd == 5) {
		/* An indirect call (qsort's comparator, a vtable): push the return stack too. */
		size_t full = tr_ras_push(tb, in->pc + in->len, EMIT_RCX);
		emit_call_r64(b, EMIT_RDX);
		tr_ras_landing(tb, in->pc + in->len);
		tr_here(tb, full);
	}
	emit_jmp_r64(b, EMIT_RDX);
	tr_here(tb, miss);
}

/*
 * The target is computed before rd is written: rd may equal rs1 (spec
 * 2.5.1).  Then the probes, where blocks chain; only a miss goes back to
 * the dispatcher, which fills the jump cache's entry.
 */
int tr_jalr(struct dbt_tb *tb, const struct dbt_insn *in)
{
	struct emit_buf *b = &tb->b;

	tr_claim(tb, EMIT_RCX);
	tr_claim(tb, EMIT_RDX);
	tr_load_x(tb, EMIT_RAX, in->rs1);
	if (in->imm)
		emit_alu_r64_imm32(b, EMIT_ADD, EMIT_RAX, (int32_t)in->imm);
	tr_set_x_imm(tb, in->rd, in->pc + in->len);
	tr_sync(tb);
	tr_count(tb, DBT_CPU_INDIRECT_JUMPS);
	if (is_return(in))
		tr_count(tb, DBT_CPU_RETURNS);
	if (!(dbt_mode & (DBT_MODE_NOCHAIN | DBT_MODE_STEP)))
		indirect_probe(tb, in);
	else if (is_return(in))
		tr_count(tb, DBT_CPU_RETURNS_MISSED);
	tr_count(tb, DBT_CPU_INDIRECT_MISSED);
	/*
	 * Only the dispatcher reads cpu->pc: a return or a probe that hits
	 * never stores it.  The target's bit 0 is cleared (spec 2.5.1) only
	 * here: an odd rax matches no return address and no jump cache entry
	 * (block pcs are even), so it always comes this way.
	 */
	emit_alu_r64_imm32(b, EMIT_AND, EMIT_RAX, -2);
	emit_mov_m64_r64(b, tr_cpu(DBT_CPU_PC), EMIT_RAX);
	tr_jump(tb, dbt_exit_continue);
	return 1;
}

/*
 * The entry of a C library routine the personality runs as host code:
 * call it, and when it is done leave as the routine's own `ret` would,
 * through the return stack.  When it declines, the block goes on with the
 * guest's code, the register cache empty as at any block's head.  Each
 * entry calls its routine directly, so the host predicts every call site
 * on its own.
 */
void tr_routine_call(struct dbt_tb *tb, dbt_routine_fn *routine)
{
	struct emit_buf *b = &tb->b;
	const struct dbt_insn ret = {.pc = tb->block_pc, .len = 4, .rd = 0, .rs1 = 1, .imm = 0};

	/* For --profile, whose samples in the routine find the guest pc there. */
	tr_store_pc(tb, tb->block_pc);
	tr_call_helper(tb, (const void *)routine, 0);
	tr_count(tb, DBT_CPU_ROUTINE_CALLS);
	emit_alu_r32_imm32(b, EMIT_CMP, EMIT_RAX, DBT_ROUTINE_RETURN);
	size_t declined = emit_jcc_rel32(b, EMIT_CC_B, NULL);
	size_t done = emit_jcc_rel32(b, EMIT_CC_E, NULL);
	tr_jump(tb, dbt_exit_continue);
	tr_here(tb, done);
	tr_jalr(tb, &ret);
	tr_cache_reset(tb);
	tr_here(tb, declined);
	tr_count(tb, DBT_CPU_ROUTINE_DECLINED);
}

/* Flags of rs1 - rs2, on the cached registers themselves. */
static void branch_compare(struct dbt_tb *tb, const struct dbt_insn *in)
{
	if (in->rs1 == 0) {
		emit_alu_r32_r32(&tb->b, EMIT_XOR, EMIT_RAX, EMIT_RAX);
		tr_alu_x(tb, EMIT_CMP, EMIT_RAX, in->rs2);
		return;
	}
	int left = tr_cached_x(tb, in->rs1);
	if (tr_bypass_x(tb, in->rs2))
		emit_alu_r64_m64(&tb->b, EMIT_CMP, left, tr_x(in->rs2));
	else
		tr_alu_x(tb, EMIT_CMP, left, in->rs2);
}

int tr_branch(struct dbt_tb *tb, const struct dbt_insn *in)
{
	uint64_t target = in->pc + (uint64_t)in->imm;
	if (tr_loop_back(tb, target)) {
		branch_compare(tb, in);
		tr_loop_jcc(tb, (enum emit_cc)in->op->arg);
		tr_exit_to(tb, in->pc + in->len);
		return 1;
	}
	/* A back edge ends the block, so a loop can become a loop block. */
	branch_compare(tb, in);
	enum emit_cc cc = (enum emit_cc)in->op->arg;
	if (tr_may_follow(tb, target) && tr_closes_loop(tb, target) &&
	    tr_side_exit_jcc(tb, cc ^ 1, in->pc + in->len)) {
		/* x86 condition codes come in pairs that differ in bit 0: cc ^ 1 is "not cc". */
		tr_continue_at(tb, target);
		return 0;
	}
	if (target != tb->block_pc && tr_side_exit_jcc(tb, cc, target))
		return 0;
	/* The write-back stores leave the flags alone: one for both ways. */
	tb->dirty &= ~(tr_dead_past_exit(tb, target, 0, tb->dirty) &
		       tr_dead_past_exit(tb, in->pc + in->len, 0, tb->dirty));
	tr_sync(tb);
	size_t taken = emit_jcc_rel32(&tb->b, (enum emit_cc)in->op->arg, NULL);
	tr_exit_to(tb, in->pc + in->len);
	tr_here(tb, taken);
	tr_exit_to(tb, target);
	return 1;
}

/*
 * The sign extension that ends a W operation (spec 4.2), unless nothing
 * reads the upper half before it is overwritten (demand.c).
 */
static void extend_w(struct dbt_tb *tb, int host)
{
	if (tr_upper_unused(tb))
		return;
	emit_movsxd_r64_r32(&tb->b, host, host);
	tb->result_sext = 1;
}

/* And, or and xor of two sign-extended 32-bit values are one too. */
static int is_bitwise(enum emit_alu op)
{
	return op == EMIT_AND || op == EMIT_OR || op == EMIT_XOR;
}

/* ---- immediates ---- */

/*
 * The ALU handlers compute in rd's own cache register: `op rd, src` when
 * rd is rs1, else `mov rd, rs1; op rd, src`, instead of a round trip
 * through rax that tripled the instruction count of ALU-heavy blocks
 * (sha256's rounds).  Operands are taken from the cache first; the
 * eviction choice never takes a register the current instruction names.
 */
static int dest_from(struct dbt_tb *tb, unsigned rd, unsigned rs1, int w)
{
	if (rs1 != rd && tr_bypass_x(tb, rs1)) {
		int d = tr_cache_assign_x(tb, rd);
		emit_mov_r64_m64(&tb->b, d, tr_x(rs1));
		return d;
	}
	int src = rs1 ? tr_cached_x(tb, rs1) : -1;
	int d = tr_cache_assign_x(tb, rd);
	if (src < 0)
		emit_alu_r32_r32(&tb->b, EMIT_XOR, d, d);
	else if (d != src && w)
		emit_mov_r32_r32(&tb->b, d, src);
	else if (d != src)
		emit_mov_r64_r64(&tb->b, d, src);
	return d;
}

int tr_alu_imm(struct dbt_tb *tb, const struct dbt_insn *in)
{
	if (in->rd == 0)
		return 0;
	if (in->rs1 == 0) {
		/* li: andi rd, x0, imm is 0, the others are the immediate */
		tr_set_x_imm(tb, in->rd, in->op->arg == EMIT_AND ? 0 : (uint64_t)in->imm);
		tb->result_sext = 1;
		return 0;
	}
	/* A 12-bit immediate is itself a sign-extended 32-bit value (spec 2.3). */
	tb->result_sext = (is_bitwise((enum emit_alu)in->op->arg) && tr_is_sext32(tb, in->rs1)) ||
			  (in->op->arg == EMIT_AND && in->imm >= 0);
	if (in->op->arg == EMIT_ADD) {
		tb->result_base = (int)in->rs1;
		tb->result_offset = (int32_t)in->imm;
	}
	if (in->op->arg == EMIT_ADD && in->imm && in->rd != in->rs1) {
		int src = tr_cached_x(tb, in->rs1);
		int d = tr_cache_assign_x(tb, in->rd);
		emit_lea_r64_m(&tb->b, d, emit_mem_bd(src, (int32_t)in->imm));
	} else {
		int d = dest_from(tb, in->rd, in->rs1, 0);
		if (in->imm || in->op->arg == EMIT_AND)
			emit_alu_r64_imm32(&tb->b, (enum emit_alu)in->op->arg, d, (int32_t)in->imm);
	}
	tr_mark_dirty(tb, in->rd);
	return 0;
}

/* W forms compute in 32 bits and sign-extend the result (spec 4.2). */
int tr_alu_imm_w(struct dbt_tb *tb, const struct dbt_insn *in)
{
	if (in->rd == 0)
		return 0;
	if (in->rs1 != 0 && in->imm == 0) {
		/* addiw rd, rs, 0 is sext.w: a move, or nothing, of what is sign-extended already
		 */
		int src = tr_cached_x(tb, in->rs1);
		int d = tr_cache_assign_x(tb, in->rd);
		int known = tr_is_sext32(tb, in->rs1);
		if (known || tr_upper_unused(tb)) {
			if (d != src)
				emit_mov_r64_r64(&tb->b, d, src);
			tb->result_sext = known;
		} else {
			emit_movsxd_r64_r32(&tb->b, d, src);
			tb->result_sext = 1;
		}
	} else {
		int d = dest_from(tb, in->rd, in->rs1, 1);
		emit_alu_r32_imm32(&tb->b, (enum emit_alu)in->op->arg, d, (int32_t)in->imm);
		extend_w(tb, d);
	}
	tr_mark_dirty(tb, in->rd);
	return 0;
}

int tr_slt_imm(struct dbt_tb *tb, const struct dbt_insn *in)
{
	if (in->rd == 0)
		return 0;
	tr_claim(tb, EMIT_RCX);
	tr_load_x(tb, EMIT_RCX, in->rs1);
	emit_alu_r32_r32(&tb->b, EMIT_XOR, EMIT_RAX, EMIT_RAX);
	emit_alu_r64_imm32(&tb->b, EMIT_CMP, EMIT_RCX, (int32_t)in->imm);
	emit_setcc_r8(&tb->b, (enum emit_cc)in->op->arg, EMIT_RAX);
	tr_store_x(tb, in->rd, EMIT_RAX);
	tb->result_sext = 1;
	return 0;
}

/*
 * slli rd, rs, k; add rd, rd, rx (k <= 3): array indexing without Zba,
 * one lea.  The shifted value is overwritten by the add at once and
 * nothing between the two can fault, so it never needs to exist.
 */
static int fuse_scaled_add(struct dbt_tb *tb, const struct dbt_insn *in)
{
	const struct dbt_insn *next = tr_next_insn(tb);
	if (in->op->arg != EMIT_SHL || in->imm < 1 || in->imm > 3 || !next ||
	    next->op->translate != tr_alu || next->op->arg != EMIT_ADD || next->rd != in->rd)
		return 0;
	unsigned other = next->rs1 == in->rd ? next->rs2 : next->rs1;
	if ((next->rs1 == in->rd) == (next->rs2 == in->rd) || other == 0)
		return 0;
	tr_fuse_next(tb);
	int index = in->rs1 ? tr_cached_x(tb, in->rs1) : -1;
	int base = tr_cached_x(tb, other);
	int d = tr_cache_assign_x(tb, in->rd);
	if (index < 0)
		emit_mov_r64_r64(&tb->b, d, base);
	else
		emit_lea_r64_m(&tb->b, d, (struct emit_mem){base, index, 1 << in->imm, 0});
	tr_mark_dirty(tb, in->rd);
	return 1;
}

/*
 * slli rd, rs, k; srli/srai rd, rd, k for k = 32, 48, 56: zero- or
 * sign-extension of a word, half or byte, one movzx/movsx/mov.
 */
static int fuse_extension(struct dbt_tb *tb, const struct dbt_insn *in)
{
	const struct dbt_insn *next = tr_next_insn(tb);
	if (in->op->arg != EMIT_SHL || !next || next->op->translate != tr_shift_imm ||
	    next->rd != in->rd || next->rs1 != in->rd || next->imm != in->imm || in->rs1 == 0 ||
	    (in->imm != 32 && in->imm != 48 && in->imm != 56))
		return 0;
	int sign = next->op->arg == EMIT_SAR;
	if (!sign && next->op->arg != EMIT_SHR)
		return 0;
	tr_fuse_next(tb);
	int src = tr_cached_x(tb, in->rs1);
	int d = tr_cache_assign_x(tb, in->rd);
	if (in->imm == 32 && sign)
		emit_movsxd_r64_r32(&tb->b, d, src);
	else if (in->imm == 32)
		emit_mov_r32_r32(&tb->b, d, src);
	else if (in->imm == 48 && sign)
		emit_movsx_r64_r16(&tb->b, d, src);
	else if (in->imm == 48)
		emit_movzx_r32_r16(&tb->b, d, src);
	else if (sign)
		emit_movsx_r64_r8(&tb->b, d, src);
	else
		emit_movzx_r32_r8(&tb->b, d, src);
	tr_mark_dirty(tb, in->rd);
	tb->result_sext = sign || in->imm != 32;
	return 1;
}

int tr_shift_imm(struct dbt_tb *tb, const struct dbt_insn *in)
{
	if (in->rd == 0)
		return 0;
	if (fuse_scaled_add(tb, in) || fuse_extension(tb, in))
		return 0;
	int d = dest_from(tb, in->rd, in->rs1, 0);
	emit_shift_r64_imm8(&tb->b, (enum emit_shift)in->op->arg, d, (uint8_t)in->imm);
	tr_mark_dirty(tb, in->rd);
	tb->result_sext =
	    (in->op->arg == EMIT_SHR && in->imm > 32) || (in->op->arg == EMIT_SAR && in->imm >= 32);
	return 0;
}

int tr_shift_imm_w(struct dbt_tb *tb, const struct dbt_insn *in)
{
	if (in->rd == 0)
		return 0;
	int d = dest_from(tb, in->rd, in->rs1, 1);
	emit_shift_r32_imm8(&tb->b, (enum emit_shift)in->op->arg, d, (uint8_t)in->imm);
	/* A logical right shift by 1-31 clears bit 31: zero- and sign-extension agree. */
	if (in->op->arg == EMIT_SHR && in->imm)
		tb->result_sext = 1;
	else
		extend_w(tb, d);
	tr_mark_dirty(tb, in->rd);
	return 0;
}

/* ---- register-register ---- */

/* rd = rs: one mov, or none when rd is rs. */
static void copy_x(struct dbt_tb *tb, unsigned rd, unsigned rs)
{
	tb->result_sext = tr_is_sext32(tb, rs);
	tb->result_base = (int)rs;
	tb->result_offset = 0;
	if (rs == rd)
		return;
	dest_from(tb, rd, rs, 0);
	tr_mark_dirty(tb, rd);
}

/*
 * rd = rs1 op rs2 in rd's register, or in rax when rd is rs2 but not rs1
 * (writing rd first would destroy rs2; commutative ops swap instead).
 */
static void alu_rr(struct dbt_tb *tb, const struct dbt_insn *in, int w)
{
	enum emit_alu op = (enum emit_alu)in->op->arg;
	unsigned rs1 = in->rs1, rs2 = in->rs2;
	/* mv is add rd, x0, rs (c.mv expands so): a copy, not a zeroing and an add. */
	if (!w && op == EMIT_AND && (rs1 == 0 || rs2 == 0)) {
		copy_x(tb, in->rd, 0);
		return;
	}
	if (!w && rs2 == 0) {
		copy_x(tb, in->rd, rs1);
		return;
	}
	if (!w && rs1 == 0 && op != EMIT_SUB) {
		copy_x(tb, in->rd, rs2);
		return;
	}
	int commutes = op == EMIT_ADD || is_bitwise(op);
	if (in->rd == rs2 && rs2 != rs1 && commutes) {
		rs2 = rs1;
		rs1 = in->rd;
	}
	if (in->rd == rs2 && rs2 != rs1) {
		tr_claim(tb, EMIT_RCX);
		tr_load_x(tb, EMIT_RAX, rs1);
		tr_load_x(tb, EMIT_RCX, rs2);
		if (w)
			emit_alu_r32_r32(&tb->b, op, EMIT_RAX, EMIT_RCX);
		else
			emit_alu_r64_r64(&tb->b, op, EMIT_RAX, EMIT_RCX);
		if (w)
			extend_w(tb, EMIT_RAX);
		tr_store_x(tb, in->rd, EMIT_RAX);
		return;
	}
	tb->result_sext = !w && is_bitwise(op) && tr_is_sext32(tb, rs1) && tr_is_sext32(tb, rs2);
	if (rs2 != rs1 && tr_bypass_x(tb, rs2)) {
		/* The 64-bit form for W too: its low half is the 32-bit result. */
		int d = dest_from(tb, in->rd, rs1, w);
		emit_alu_r64_m64(&tb->b, op, d, tr_x(rs2));
		if (w)
			extend_w(tb, d);
		tr_mark_dirty(tb, in->rd);
		return;
	}
	int src = rs2 ? tr_cached_x(tb, rs2) : -1;
	if (op == EMIT_ADD && src >= 0 && rs1 && in->rd != rs1) {
		/* Three operands, one lea (a W sum's low half is the 64-bit sum's). */
		int a = tr_cached_x(tb, rs1);
		int d = tr_cache_assign_x(tb, in->rd);
		emit_lea_r64_m(&tb->b, d, ((struct emit_mem){a, src, 1, 0}));
		if (w)
			extend_w(tb, d);
		tr_mark_dirty(tb, in->rd);
		return;
	}
	int d = dest_from(tb, in->rd, rs1, w);
	if (src < 0 && w)
		emit_alu_r32_imm32(&tb->b, op, d, 0);
	else if (src < 0)
		emit_alu_r64_imm32(&tb->b, op, d, 0);
	else if (w)
		emit_alu_r32_r32(&tb->b, op, d, src);
	else
		emit_alu_r64_r64(&tb->b, op, d, src);
	if (w)
		extend_w(tb, d);
	tr_mark_dirty(tb, in->rd);
}

/*
 * The or of a rotate that fold.c found spelled as two shifts and an or:
 * the shifts emitted nothing, their results are never observed, and x is
 * what they read.  x is held while rd's register is assigned.
 */
static int rotate(struct dbt_tb *tb, const struct dbt_insn *in)
{
	const struct dbt_rotate *r = &tb->rotate[tb->insn_index];
	if (tb->insn_index >= tb->insn_scanned || !r->source)
		return 0;
	tb->insn_regs |= 1u << r->source;
	int d = dest_from(tb, in->rd, r->source, r->w);
	if (r->w) {
		emit_shift_r32_imm8(&tb->b, EMIT_ROR, d, r->amount);
		extend_w(tb, d);
	} else {
		emit_shift_r64_imm8(&tb->b, EMIT_ROR, d, r->amount);
	}
	tr_mark_dirty(tb, in->rd);
	return 1;
}

int tr_alu(struct dbt_tb *tb, const struct dbt_insn *in)
{
	if (in->rd != 0 && !rotate(tb, in))
		alu_rr(tb, in, 0);
	return 0;
}

int tr_alu_w(struct dbt_tb *tb, const struct dbt_insn *in)
{
	if (in->rd != 0)
		alu_rr(tb, in, 1);
	return 0;
}

int tr_slt(struct dbt_tb *tb, const struct dbt_insn *in)
{
	if (in->rd == 0)
		return 0;
	tr_claim(tb, EMIT_RCX);
	tr_load_x(tb, EMIT_RCX, in->rs1);
	emit_alu_r32_r32(&tb->b, EMIT_XOR, EMIT_RAX, EMIT_RAX);
	tr_alu_x(tb, EMIT_CMP, EMIT_RCX, in->rs2);
	emit_setcc_r8(&tb->b, (enum emit_cc)in->op->arg, EMIT_RAX);
	tr_store_x(tb, in->rd, EMIT_RAX);
	return 0;
}

/*
 * x86 masks the count to 6 bits (5 for 32-bit operands): RISC-V's rule
 * exactly.  The count is in cl before rd's register is written, so rd may
 * be rs2.
 */
int tr_shift(struct dbt_tb *tb, const struct dbt_insn *in)
{
	if (in->rd == 0)
		return 0;
	tr_claim(tb, EMIT_RCX);
	tr_load_x(tb, EMIT_RCX, in->rs2);
	int d = dest_from(tb, in->rd, in->rs1, 0);
	emit_shift_r64_cl(&tb->b, (enum emit_shift)in->op->arg, d);
	tr_mark_dirty(tb, in->rd);
	return 0;
}

int tr_shift_w(struct dbt_tb *tb, const struct dbt_insn *in)
{
	if (in->rd == 0)
		return 0;
	tr_claim(tb, EMIT_RCX);
	tr_load_x(tb, EMIT_RCX, in->rs2);
	int d = dest_from(tb, in->rd, in->rs1, 1);
	emit_shift_r32_cl(&tb->b, (enum emit_shift)in->op->arg, d);
	extend_w(tb, d);
	tr_mark_dirty(tb, in->rd);
	return 0;
}

/* ---- RV64M ---- */

/* In rd's register like the ALU handlers; multiplication commutes, so rd may be rs2. */
int tr_mul(struct dbt_tb *tb, const struct dbt_insn *in)
{
	int w = in->op->arg;
	unsigned rs1 = in->rs1, rs2 = in->rs2;
	if (in->rd == 0)
		return 0;
	if (in->rd == rs2) {
		rs2 = rs1;
		rs1 = in->rd;
	}
	int src = rs2 ? tr_cached_x(tb, rs2) : -1;
	int d = dest_from(tb, in->rd, rs1, w);
	if (src < 0)
		emit_alu_r32_r32(&tb->b, EMIT_XOR, d, d);
	else if (w)
		emit_imul_r32_r32(&tb->b, d, src);
	else
		emit_imul_r64_r64(&tb->b, d, src);
	if (w)
		extend_w(tb, d);
	tr_mark_dirty(tb, in->rd);
	return 0;
}

/*
 * mulhsu (signed x unsigned) from the unsigned high half: if rs1 < 0 its
 * unsigned reading is rs1 + 2^64, which adds rs2 to the high half; take it off.
 */
int tr_mulh(struct dbt_tb *tb, const struct dbt_insn *in)
{
	if (in->rd == 0)
		return 0;
	tr_claim(tb, EMIT_RCX);
	tr_claim(tb, EMIT_RDX);
	tr_load_x(tb, EMIT_RAX, in->rs1);
	tr_load_x(tb, EMIT_RCX, in->rs2);
	if (in->op->arg == TR_MULH) {
		emit_imul1_r64(&tb->b, EMIT_RCX);
	} else {
		emit_mul_r64(&tb->b, EMIT_RCX);
		if (in->op->arg == TR_MULHSU) {
			tr_load_x(tb, EMIT_RAX, in->rs1);
			emit_shift_r64_imm8(&tb->b, EMIT_SAR, EMIT_RAX, 63);
			emit_alu_r64_r64(&tb->b, EMIT_AND, EMIT_RAX, EMIT_RCX);
			emit_alu_r64_r64(&tb->b, EMIT_SUB, EMIT_RDX, EMIT_RAX);
		}
	}
	tr_store_x(tb, in->rd, EMIT_RDX);
	return 0;
}

/*
 * RISC-V division never traps (spec 7.2): x/0 = all ones, x%0 = x, and the
 * signed overflow MIN/-1 = MIN with remainder 0.  x86 div/idiv raise #DE on
 * both, so they are tested first.  For a divisor of -1, neg gives the
 * quotient (wrapping MIN to MIN) and the remainder is 0.
 */
int tr_div(struct dbt_tb *tb, const struct dbt_insn *in)
{
	int flags = in->op->arg;
	int w = flags & TR_DIV_W;
	int rem = flags & TR_DIV_REM;
	struct emit_buf *b = &tb->b;

	if (in->rd == 0)
		return 0;
	tr_claim(tb, EMIT_RCX);
	tr_claim(tb, EMIT_RDX);
	tr_load_x(tb, EMIT_RAX, in->rs1);
	tr_load_x(tb, EMIT_RCX, in->rs2);
	if (w)
		emit_alu_r32_imm32(b, EMIT_CMP, EMIT_RCX, 0);
	else
		emit_test_r64_r64(b, EMIT_RCX, EMIT_RCX);
	size_t by_zero = emit_jcc_rel32(b, EMIT_CC_E, NULL);
	size_t done_minus_one = 0;
	int signed_div = flags & TR_DIV_SIGNED;
	if (signed_div) {
		if (w)
			emit_alu_r32_imm32(b, EMIT_CMP, EMIT_RCX, -1);
		else
			emit_alu_r64_imm32(b, EMIT_CMP, EMIT_RCX, -1);
		size_t not_minus_one = emit_jcc_rel32(b, EMIT_CC_NE, NULL);
		if (rem)
			emit_alu_r32_r32(b, EMIT_XOR, EMIT_RAX, EMIT_RAX);
		else if (w)
			emit_neg_r32(b, EMIT_RAX);
		else
			emit_neg_r64(b, EMIT_RAX);
		done_minus_one = emit_jmp_rel32(b, NULL);
		tr_here(tb, not_minus_one);
	}
	if (signed_div) {
		if (w) {
			emit_cdq(b);
			emit_idiv_r32(b, EMIT_RCX);
		} else {
			emit_cqo(b);
			emit_idiv_r64(b, EMIT_RCX);
		}
	} else {
		emit_alu_r32_r32(b, EMIT_XOR, EMIT_RDX, EMIT_RDX);
		if (w)
			emit_div_r32(b, EMIT_RCX);
		else
			emit_div_r64(b, EMIT_RCX);
	}
	if (rem)
		emit_mov_r64_r64(b, EMIT_RAX, EMIT_RDX);
	size_t done_divided = emit_jmp_rel32(b, NULL);
	tr_here(tb, by_zero);
	if (!rem)
		emit_mov_r64_simm32(b, EMIT_RAX, -1);
	tr_here(tb, done_divided);
	if (signed_div)
		tr_here(tb, done_minus_one);
	if (w)
		extend_w(tb, EMIT_RAX);
	tr_store_x(tb, in->rd, EMIT_RAX);
	return 0;
}
