/*
 * translate_mem.c - guest memory access: loads, stores, FP loads and stores,
 * LR/SC and the AMOs.  Every access goes through tr_guest_mem or
 * tr_guest_addr (the bounds check, or a check already made on the same
 * base register) and is marked in the side table right before the host
 * instruction that touches guest memory.  x86 accepts misaligned
 * accesses, as qemu-riscv64 does for plain loads and stores.
 */
#include "translate.h"

#include "cpu_offsets.h"
#include "platform.h"

#define GUEST(reg) tr_guest_at((reg), 0)

/* NaN-boxing (spec 13.2): a single in a 64-bit register has all upper bits set. */
#define NAN_BOX 0xffffffff00000000ull

/* dst = the value at guest memory operand m, extended as the width says. */
static void load_value_to(struct dbt_tb *tb, int width, struct emit_mem m, int dst)
{
	struct emit_buf *b = &tb->b;
	tr_side_mark(tb);
	switch (width) {
	case TR_B:
		emit_movsx_r64_m8(b, dst, m);
		break;
	case TR_B | TR_UNSIGNED:
		emit_movzx_r32_m8(b, dst, m);
		break;
	case TR_H:
		emit_movsx_r64_m16(b, dst, m);
		break;
	case TR_H | TR_UNSIGNED:
		emit_movzx_r32_m16(b, dst, m);
		break;
	case TR_W:
		emit_movsxd_r64_m32(b, dst, m);
		break;
	case TR_W | TR_UNSIGNED:
		emit_mov_r32_m32(b, dst, m);
		break;
	default:
		emit_mov_r64_m64(b, dst, m);
		break;
	}
}

/* Stores the low `width` bytes of src at guest memory operand m. */
static void store_value_from(struct dbt_tb *tb, int width, struct emit_mem m, int src)
{
	struct emit_buf *b = &tb->b;
	tr_side_mark(tb);
	switch (width) {
	case TR_B:
		emit_mov_m8_r8(b, m, src);
		break;
	case TR_H:
		emit_mov_m16_r16(b, m, src);
		break;
	case TR_W:
		emit_mov_m32_r32(b, m, src);
		break;
	default:
		emit_mov_m64_r64(b, m, src);
		break;
	}
}

static void load_value(struct dbt_tb *tb, int width)
{
	load_value_to(tb, width, GUEST(EMIT_RAX), EMIT_RCX);
}

static void store_value(struct dbt_tb *tb, int width)
{
	store_value_from(tb, width, GUEST(EMIT_RAX), EMIT_RCX);
}

/* A load to x0 still accesses memory: it can fault. */
/*
 * Straight into rd's cache register: if the load faults, that register
 * still holds rd's old value (dirty or not, as the side table says).
 */
int tr_load(struct dbt_tb *tb, const struct dbt_insn *in)
{
	struct emit_mem m = tr_guest_mem(tb, in->rs1, in->imm, DBT_ACCESS_READ);
	int dst = in->rd ? tr_cache_assign_x(tb, in->rd) : EMIT_RCX;
	load_value_to(tb, in->op->arg, m, dst);
	if (in->rd)
		tr_mark_dirty(tb, in->rd);
	tb->result_sext = in->op->arg != TR_D && in->op->arg != (TR_W | TR_UNSIGNED);
	return 0;
}

int tr_store(struct dbt_tb *tb, const struct dbt_insn *in)
{
	struct emit_mem m = tr_guest_mem(tb, in->rs1, in->imm, DBT_ACCESS_WRITE);
	int src = EMIT_RCX;
	/* A prologue's saves: registers the block does not read again stay out of the pool. */
	if (in->rs2 && in->rs2 != in->rs1 && tr_bypass_x(tb, in->rs2))
		emit_mov_r64_m64(&tb->b, EMIT_RCX, tr_x(in->rs2));
	else if (in->rs2)
		src = tr_cached_x(tb, in->rs2);
	else
		emit_alu_r32_r32(&tb->b, EMIT_XOR, EMIT_RCX, EMIT_RCX);
	store_value_from(tb, in->op->arg, m, src);
	return 0;
}

int tr_fload(struct dbt_tb *tb, const struct dbt_insn *in)
{
	if (plat_has_sse) {
		int single = in->op->arg == TR_W;
		struct emit_mem m = tr_guest_mem(tb, in->rs1, in->imm, DBT_ACCESS_READ);
		int x = tr_fdest(tb, in->rd);
		tr_side_mark(tb);
		emit_sse_r_m(&tb->b, single ? EMIT_SSE_SS : EMIT_SSE_SD, EMIT_SSE_LOAD, x, m);
		tr_fcommit(tb, in->rd, single);
		return 0;
	}
	tr_guest_addr(tb, in->rs1, in->imm, DBT_ACCESS_READ);
	if (in->op->arg == TR_W) {
		load_value(tb, TR_W | TR_UNSIGNED);
		emit_mov_r64_imm64(&tb->b, EMIT_RDX, NAN_BOX);
		emit_alu_r64_r64(&tb->b, EMIT_OR, EMIT_RCX, EMIT_RDX);
	} else {
		load_value(tb, TR_D);
	}
	emit_mov_m64_r64(&tb->b, tr_f(in->rd), EMIT_RCX);
	return 0;
}

int tr_fstore(struct dbt_tb *tb, const struct dbt_insn *in)
{
	if (tb->fxmm_of[in->rs2] >= 0) {
		struct emit_mem m = tr_guest_mem(tb, in->rs1, in->imm, DBT_ACCESS_WRITE);
		int x = tr_fcached(tb, in->rs2);
		tr_side_mark(tb);
		emit_sse_r_m(&tb->b, in->op->arg == TR_W ? EMIT_SSE_SS : EMIT_SSE_SD,
			     EMIT_SSE_STORE, x, m);
		return 0;
	}
	tr_guest_addr(tb, in->rs1, in->imm, DBT_ACCESS_WRITE);
	emit_mov_r64_m64(&tb->b, EMIT_RCX, tr_f(in->rs2));
	store_value(tb, in->op->arg);
	return 0;
}

/*
 * LR/SC (spec 8.2): LR records the address and the value it read; SC
 * succeeds iff the address matches and memory still holds that value,
 * decided atomically by lock cmpxchg.  Any SC clears the reservation.  A
 * value that changed and changed back (ABA) lets SC succeed: allowed,
 * since the spec only requires SC to fail when the hart cannot guarantee
 * atomicity, and no other store observed the difference.
 */
int tr_lr(struct dbt_tb *tb, const struct dbt_insn *in)
{
	int width = in->op->arg;
	tr_guest_addr(tb, in->rs1, 0, DBT_ACCESS_READ);
	tr_check_aligned(tb, 1u << width, DBT_ACCESS_READ);
	load_value(tb, width);
	emit_mov_m64_r64(&tb->b, tr_cpu(DBT_CPU_RESERVATION), EMIT_RAX);
	emit_mov_m64_r64(&tb->b, tr_cpu(DBT_CPU_RESERVATION_VAL), EMIT_RCX);
	tr_store_x(tb, in->rd, EMIT_RCX);
	return 0;
}

int tr_sc(struct dbt_tb *tb, const struct dbt_insn *in)
{
	struct emit_buf *b = &tb->b;
	int width = in->op->arg;

	/* rs2 is read before the branch: both paths must leave the register cache alike. */
	tr_load_x(tb, EMIT_RCX, in->rs2);
	tr_guest_addr(tb, in->rs1, 0, DBT_ACCESS_WRITE);
	tr_check_aligned(tb, 1u << width, DBT_ACCESS_WRITE);
	emit_mov_r64_r64(b, EMIT_RDX, EMIT_RAX);
	emit_alu_r64_m64(b, EMIT_CMP, EMIT_RDX, tr_cpu(DBT_CPU_RESERVATION));
	size_t no_reservation = emit_jcc_rel32(b, EMIT_CC_NE, NULL);
	emit_mov_r64_m64(b, EMIT_RAX, tr_cpu(DBT_CPU_RESERVATION_VAL));
	tr_side_mark(tb);
	if (width == TR_W)
		emit_lock_cmpxchg_m32_r32(b, GUEST(EMIT_RDX), EMIT_RCX);
	else
		emit_lock_cmpxchg_m64_r64(b, GUEST(EMIT_RDX), EMIT_RCX);
	tr_here(tb, no_reservation);
	/* ZF is set only on a successful exchange; rd = 0 on success, 1 on failure. */
	emit_mov_r32_imm32(b, EMIT_RAX, 0);
	emit_setcc_r8(b, EMIT_CC_NE, EMIT_RAX);
	emit_mov_m64_simm32(b, tr_cpu(DBT_CPU_RESERVATION), -1);
	tr_store_x(tb, in->rd, EMIT_RAX);
	return 0;
}

/* rcx = op(rax, src) for the AMOs without a single x86 instruction. */
static void amo_combine(struct emit_buf *b, int op, int w, int src)
{
	emit_mov_r64_r64(b, EMIT_RCX, EMIT_RAX);
	switch (op) {
	case TR_AMO_XOR:
		emit_alu_r64_r64(b, EMIT_XOR, EMIT_RCX, src);
		return;
	case TR_AMO_AND:
		emit_alu_r64_r64(b, EMIT_AND, EMIT_RCX, src);
		return;
	case TR_AMO_OR:
		emit_alu_r64_r64(b, EMIT_OR, EMIT_RCX, src);
		return;
	}
	/* min/max: keep the old value (rcx) unless src wins the comparison. */
	enum emit_cc take_src = op == TR_AMO_MIN    ? EMIT_CC_G
				: op == TR_AMO_MAX  ? EMIT_CC_L
				: op == TR_AMO_MINU ? EMIT_CC_A
						    : EMIT_CC_B;
	if (w) {
		emit_alu_r32_r32(b, EMIT_CMP, EMIT_RCX, src);
		emit_cmovcc_r32_r32(b, take_src, EMIT_RCX, src);
	} else {
		emit_alu_r64_r64(b, EMIT_CMP, EMIT_RCX, src);
		emit_cmovcc_r64_r64(b, take_src, EMIT_RCX, src);
	}
}

/*
 * AMOs (spec 8.4): swap and add map to xchg and lock xadd; the rest are a
 * lock cmpxchg loop.  x86 locked operations are full barriers, which covers
 * every .aq/.rl combination.  The .w forms sign-extend the old value.
 */
int tr_amo(struct dbt_tb *tb, const struct dbt_insn *in)
{
	struct emit_buf *b = &tb->b;
	int op = in->op->arg & 0xff;
	int w = (in->op->arg >> 8) == TR_W;

	tr_guest_addr(tb, in->rs1, 0, DBT_ACCESS_WRITE);
	tr_check_aligned(tb, w ? 4 : 8, DBT_ACCESS_WRITE);
	emit_mov_r64_r64(b, EMIT_RDX, EMIT_RAX);
	if (op == TR_AMO_SWAP || op == TR_AMO_ADD) {
		tr_load_x(tb, EMIT_RAX, in->rs2);
		tr_side_mark(tb);
		if (op == TR_AMO_SWAP) {
			if (w)
				emit_xchg_m32_r32(b, GUEST(EMIT_RDX), EMIT_RAX);
			else
				emit_xchg_m64_r64(b, GUEST(EMIT_RDX), EMIT_RAX);
		} else {
			if (w)
				emit_lock_xadd_m32_r32(b, GUEST(EMIT_RDX), EMIT_RAX);
			else
				emit_lock_xadd_m64_r64(b, GUEST(EMIT_RDX), EMIT_RAX);
		}
	} else {
		int src = EMIT_RSI;
		if (in->rs2) {
			src = tr_cached_x(tb, in->rs2);
		} else {
			tr_cache_release(tb, EMIT_RSI);
			emit_alu_r32_r32(b, EMIT_XOR, EMIT_RSI, EMIT_RSI);
		}
		tr_side_mark(tb);
		if (w)
			emit_mov_r32_m32(b, EMIT_RAX, GUEST(EMIT_RDX));
		else
			emit_mov_r64_m64(b, EMIT_RAX, GUEST(EMIT_RDX));
		uint8_t *retry = b->p;
		amo_combine(b, op, w, src);
		tr_side_mark(tb);
		if (w)
			emit_lock_cmpxchg_m32_r32(b, GUEST(EMIT_RDX), EMIT_RCX);
		else
			emit_lock_cmpxchg_m64_r64(b, GUEST(EMIT_RDX), EMIT_RCX);
		emit_jcc_rel32(b, EMIT_CC_NE, retry);
	}
	if (w)
		emit_movsxd_r64_r32(b, EMIT_RAX, EMIT_RAX);
	tr_store_x(tb, in->rd, EMIT_RAX);
	return 0;
}
