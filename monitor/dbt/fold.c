/*
 * fold.c - rotates spelled as two shifts and an or.
 *
 * rv64gc has no rotate instruction (Zbb is not in it), so compilers write
 * a 32-bit rotate right by k as srliw a, x, k; slliw b, x, 32-k; or d, a, b
 * (sha256's Sigma functions, hashes), and a 64-bit one as srli/slli/or
 * with 64-k.  Translated one by one that is three results in the register
 * cache where the rotate has one: in a register-bound block (sha256's
 * round keeps ~25 guest registers live in 9 pool registers) each extra
 * live value is a spill.  Folded, the or becomes mov + ror (+ movsxd) and
 * the shifts emit nothing.
 *
 * That is exact only when the shifts' results a and b are never observed:
 * between the first shift and the or nothing reads a or b or writes x, a
 * or b, and nothing may fault, leave the block or look at guest state
 * (the barriers of demand.c); after the or, a and b are dead: overwritten
 * before any read, in the block or, from its first barrier or its end on,
 * on every path the guest code can take from there (tr_x_dead_at).  The
 * compilers leave most of sha256's right-shift results to be overwritten
 * by the next round, past the loop's back edge.
 */
#include "translate.h"

/* Whether in is a logical shift by an immediate, a W one if w. */
static int rotate_shift(const struct dbt_insn *in, int w)
{
	return in->op->translate == (w ? tr_shift_imm_w : tr_shift_imm) &&
	       (in->op->arg == EMIT_SHL || in->op->arg == EMIT_SHR);
}

/*
 * The nearest instruction before `end` that writes r, if nothing from
 * there to end is a barrier or reads r; -1 if there is none such.
 */
static int writer_of(const struct dbt_insn *insns, unsigned end, unsigned r)
{
	for (unsigned i = end; i-- > 0;) {
		const struct dbt_insn *in = &insns[i];
		if (!dbt_insn_is_plain(in) || (dbt_insn_reads(in) & (1u << r)))
			return -1;
		if (dbt_insn_writes(in) & (1u << r))
			return (int)i;
	}
	return -1;
}

/* Whether r is dead after insns[or_index]. */
static int dead_after(struct dbt_tb *tb, const struct dbt_insn *insns, unsigned count,
		      unsigned or_index, unsigned r)
{
	for (unsigned i = or_index + 1; i < count; i++) {
		const struct dbt_insn *in = &insns[i];
		if (!dbt_insn_is_plain(in))
			return tr_x_dead_at(tb, in->pc, r);
		if (dbt_insn_reads(in) & (1u << r))
			return 0;
		if (dbt_insn_writes(in) & (1u << r))
			return 1;
	}
	const struct dbt_insn *last = &insns[count - 1];
	return tr_x_dead_at(tb, last->pc + last->len, r);
}

/* Whether insns[j], an or, is a rotate of two earlier shifts; fills *rot if so. */
static int match_rotate(struct dbt_tb *tb, const struct dbt_insn *insns, unsigned count, unsigned j,
			struct dbt_rotate *rot, uint64_t *shifts)
{
	const struct dbt_insn *in = &insns[j];
	unsigned a = in->rs1, b = in->rs2;
	if (in->op->translate != tr_alu || in->op->arg != EMIT_OR || in->rd == 0 || a == 0 ||
	    b == 0 || a == b)
		return 0;
	int ia = writer_of(insns, j, a), ib = writer_of(insns, j, b);
	if (ia < 0 || ib < 0)
		return 0;
	const struct dbt_insn *sa = &insns[ia], *sb = &insns[ib];
	int w = sa->op->translate == tr_shift_imm_w;
	unsigned x = sa->rs1, bits = w ? 32 : 64;
	if (!rotate_shift(sa, w) || !rotate_shift(sb, w) || sa->op->arg == sb->op->arg ||
	    sb->rs1 != x || x == 0 || x == a || x == b || sa->imm == 0 || sb->imm == 0 ||
	    sa->imm + sb->imm != (int64_t)bits)
		return 0;
	/* Between the first shift and the or: no write of x, a or b, no read of a or b. */
	unsigned first = (unsigned)(ia < ib ? ia : ib);
	uint32_t ab = 1u << a | 1u << b;
	for (unsigned i = first + 1; i < j; i++) {
		const struct dbt_insn *between = &insns[i];
		if ((int)i == ia || (int)i == ib)
			continue;
		if (!dbt_insn_is_plain(between) || (dbt_insn_reads(between) & ab) ||
		    (dbt_insn_writes(between) & (ab | 1u << x)))
			return 0;
	}
	if ((a != in->rd && !dead_after(tb, insns, count, j, a)) ||
	    (b != in->rd && !dead_after(tb, insns, count, j, b)))
		return 0;
	const struct dbt_insn *right = sa->op->arg == EMIT_SHR ? sa : sb;
	*rot = (struct dbt_rotate){
	    .source = (uint8_t)x, .amount = (uint8_t)right->imm, .w = (uint8_t)w};
	*shifts = 1ull << ia | 1ull << ib;
	return 1;
}

uint64_t dbt_fold_rotates(struct dbt_tb *tb, const struct dbt_insn *insns, unsigned count,
			  struct dbt_rotate *rotate)
{
	uint64_t skip = 0, shifts;
	for (unsigned j = 0; j < count; j++) {
		rotate[j] = (struct dbt_rotate){0};
		if (insns[j].op && match_rotate(tb, insns, count, j, &rotate[j], &shifts))
			skip |= shifts;
	}
	return skip;
}
