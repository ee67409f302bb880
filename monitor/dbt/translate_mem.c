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
	if (!in->rd)
		tr_claim(tb, EMIT_RCX);
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
	/* A prologue's saves: registers the block does not read again stay out of the pool. */
	int bypass = in->rs2 && in->rs2 != in->rs1 && tr_bypass_x(tb, in->rs2);
	if (bypass || !in->rs2)
		tr_claim(tb, EMIT_RCX);
	struct emit_mem m = tr_guest_mem(tb, in->rs1, in->imm, DBT_ACCESS_WRITE);
	int src = EMIT_RCX;
	if (bypass)
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
		tr_fcommit(tb, in->rd, single ? TR_F_SINGLE : TR_F_DOUBLE);
		return 0;
	}
	tr_claim(tb, EMIT_RCX);
	tr_claim(tb, EMIT_RDX);
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
		tr_fcanon(tb, in->rs2);
		tr_side_mark(tb);
		emit_sse_r_m(&tb->b, in->op->arg == TR_W ? EMIT_SSE_SS : EMIT_SSE_SD,
			     EMIT_SSE_STORE, x, m);
		return 0;
	}
	tr_claim(tb, EMIT_RCX);
	tr_guest_addr(tb, in->rs1, in->imm, DBT_ACCESS_WRITE);
	emit_mov_r64_m64(&tb->b, EMIT_RCX, tr_f(in->rs2));
	store_value(tb, in->op->arg);
	return 0;
}

/*
 * One guest hart, no other writer: rvkvm runs a single guest thread
 * (clone is not implemented), so the atomics need no lock prefix and no
 * fence, only the single-copy semantics of one hart.  Between blocks
 * nothing else runs (signals are delivered at block boundaries), so a
 * load, the operation and a store within the block are atomic for every
 * observer there is.  qemu-riscv64 does the same until a program creates
 * its first thread.  A locked instruction costs some twenty cycles and
 * orders everything around it: glibc's malloc takes and drops its arena
 * lock (amoswap.w) on every call, a sixth of bintrees' time with xchg.
 * The load is marked as the store it stands for (a fault there is a
 * store/AMO fault, as on RISC-V), the store comes last, and a store to a
 * page the guest may only read faults at the AMO's pc, rd not yet written.
 *
 * LR/SC (spec 8.2): LR records the address and the value it read; SC
 * succeeds iff the address matches and memory still holds that value.
 * Any SC clears the reservation.  A value that changed and changed back
 * (ABA) lets SC succeed: allowed, since the spec only requires SC to fail
 * when the hart cannot guarantee atomicity, and no other store observed
 * the difference.
 */
int tr_lr(struct dbt_tb *tb, const struct dbt_insn *in)
{
	int width = in->op->arg;
	tr_claim(tb, EMIT_RCX);
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

	tr_claim(tb, EMIT_RCX);
	tr_claim(tb, EMIT_RDX);
	/* rs2 is read before the branch: both paths must leave the register cache alike. */
	tr_load_x(tb, EMIT_RCX, in->rs2);
	tr_guest_addr(tb, in->rs1, 0, DBT_ACCESS_WRITE);
	tr_check_aligned(tb, 1u << width, DBT_ACCESS_WRITE);
	emit_mov_r64_r64(b, EMIT_RDX, EMIT_RAX);
	emit_alu_r64_m64(b, EMIT_CMP, EMIT_RDX, tr_cpu(DBT_CPU_RESERVATION));
	size_t no_reservation = emit_jcc_rel32(b, EMIT_CC_NE, NULL);
	emit_mov_r64_m64(b, EMIT_RAX, tr_cpu(DBT_CPU_RESERVATION_VAL));
	tr_side_mark_as_store(tb);
	if (width == TR_W)
		emit_alu_r32_m32(b, EMIT_CMP, EMIT_RAX, GUEST(EMIT_RDX));
	else
		emit_alu_r64_m64(b, EMIT_CMP, EMIT_RAX, GUEST(EMIT_RDX));
	size_t changed = emit_jcc_rel32(b, EMIT_CC_NE, NULL);
	store_value_from(tb, width, GUEST(EMIT_RDX), EMIT_RCX);
	/* The store leaves ZF as the compare set it: equal. */
	tr_here(tb, no_reservation);
	tr_here(tb, changed);
	/* ZF is set only when the store was made; rd = 0 on success, 1 on failure. */
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
 * AMOs (spec 8.4): the old value into rax, the new one into rcx, stored
 * (one hart: see LR/SC above; .aq/.rl order nothing another agent could
 * see).  The .w forms sign-extend the old value.
 */
int tr_amo(struct dbt_tb *tb, const struct dbt_insn *in)
{
	struct emit_buf *b = &tb->b;
	int op = in->op->arg & 0xff;
	int w = (in->op->arg >> 8) == TR_W;

	/*
	 * amoswap with rd = x0 is an aligned store (a lock's release, glibc
	 * malloc's on every free): no old value, no scratch registers.
	 */
	if (op == TR_AMO_SWAP && in->rd == 0 && in->rs2) {
		tr_guest_addr(tb, in->rs1, 0, DBT_ACCESS_WRITE);
		tr_check_aligned(tb, w ? 4 : 8, DBT_ACCESS_WRITE);
		store_value_from(tb, w ? TR_W : TR_D, GUEST(EMIT_RAX), tr_cached_x(tb, in->rs2));
		return 0;
	}
	tr_claim(tb, EMIT_RCX);
	tr_claim(tb, EMIT_RDX);
	tr_guest_addr(tb, in->rs1, 0, DBT_ACCESS_WRITE);
	tr_check_aligned(tb, w ? 4 : 8, DBT_ACCESS_WRITE);
	emit_mov_r64_r64(b, EMIT_RDX, EMIT_RAX);
	int src = EMIT_RSI;
	if (in->rs2) {
		src = tr_cached_x(tb, in->rs2);
	} else {
		tr_cache_release(tb, EMIT_RSI);
		emit_alu_r32_r32(b, EMIT_XOR, EMIT_RSI, EMIT_RSI);
	}
	tr_side_mark_as_store(tb);
	if (w)
		emit_mov_r32_m32(b, EMIT_RAX, GUEST(EMIT_RDX));
	else
		emit_mov_r64_m64(b, EMIT_RAX, GUEST(EMIT_RDX));
	if (op == TR_AMO_SWAP)
		emit_mov_r64_r64(b, EMIT_RCX, src);
	else if (op == TR_AMO_ADD)
		emit_lea_r64_m(b, EMIT_RCX, ((struct emit_mem){EMIT_RAX, src, 1, 0}));
	else
		amo_combine(b, op, w, src);
	store_value_from(tb, w ? TR_W : TR_D, GUEST(EMIT_RDX), EMIT_RCX);
	if (w)
		emit_movsxd_r64_r32(b, EMIT_RAX, EMIT_RAX);
	tr_store_x(tb, in->rd, EMIT_RAX);
	return 0;
}
