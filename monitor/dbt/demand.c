/*
 * demand.c - which W-form results need no sign extension.
 *
 * RV64 W operations (addw, slliw, ...) sign-extend their 32-bit result to
 * 64 bits (spec 4.2), one movsxd on x86.  In code built from 32-bit C
 * arithmetic (sha256's rounds, hashes, PRNGs) most such results are only
 * ever read by other W operations, by sums, logic and left shifts whose
 * low half depends only on their operands' low halves, and are then
 * overwritten: their upper half is never observed.  A backward pass over
 * the pre-scanned block finds them, so the translator can leave the upper
 * half undefined.
 *
 * Every instruction other than plain integer computation (memory access,
 * branch, jump, system, F/D, CSR, AMO) may fault or leave the block, where
 * the guest's registers must be exact: all registers are fully demanded
 * there, and at the end of what was scanned.
 */
#include "translate.h"

enum use { USE_NONE, USE_RESULT, USE_LOW, USE_FULL };

/*
 * How instruction in reads rs1 and rs2: USE_LOW (low 32 bits only),
 * USE_RESULT (the low 32 bits if only those of rd are demanded), or
 * USE_FULL.  Returns 0 for an instruction that is not plain integer
 * computation.
 */
static int operand_use(const struct dbt_insn *in, enum use *rs1, enum use *rs2)
{
	dbt_translate_fn fn = in->op->translate;
	int arg = in->op->arg;
	*rs1 = *rs2 = USE_NONE;
	if (fn == tr_lui || fn == tr_auipc)
		return 1;
	if (fn == tr_alu || fn == tr_alu_imm) {
		*rs1 = USE_RESULT;
		*rs2 = fn == tr_alu ? USE_RESULT : USE_NONE;
		return 1;
	}
	if (fn == tr_alu_w || fn == tr_shift_w || (fn == tr_mul && arg) ||
	    (fn == tr_div && (arg & TR_DIV_W))) {
		*rs1 = *rs2 = USE_LOW;
		return 1;
	}
	if (fn == tr_alu_imm_w || fn == tr_shift_imm_w) {
		*rs1 = USE_LOW;
		return 1;
	}
	if (fn == tr_shift_imm) {
		*rs1 = arg == EMIT_SHL ? USE_RESULT : USE_FULL;
		return 1;
	}
	if (fn == tr_shift) {
		*rs1 = arg == EMIT_SHL ? USE_RESULT : USE_FULL;
		*rs2 = USE_LOW; /* the count: its low 6 bits */
		return 1;
	}
	if (fn == tr_mul) {
		*rs1 = *rs2 = USE_RESULT;
		return 1;
	}
	if (fn == tr_slt || fn == tr_slt_imm || fn == tr_mulh || fn == tr_div) {
		*rs1 = USE_FULL;
		*rs2 = fn == tr_slt || fn == tr_mulh || fn == tr_div ? USE_FULL : USE_NONE;
		return 1;
	}
	return 0;
}

static void demand(uint32_t *full, uint32_t *low, unsigned r, enum use use)
{
	if (r == 0 || use == USE_NONE)
		return;
	if (use == USE_FULL)
		*full |= 1u << r;
	else
		*low |= 1u << r;
}

uint64_t dbt_upper_half_unused(const struct dbt_insn *insns, unsigned count)
{
	uint32_t full = ~0u, low = 0;
	uint64_t unused = 0;

	for (unsigned i = count; i-- > 0;) {
		const struct dbt_insn *in = &insns[i];
		enum use u1, u2;
		if (!in->op || !operand_use(in, &u1, &u2)) {
			full = ~0u;
			low = 0;
			continue;
		}
		int rd_full = in->rd != 0 && (full & (1u << in->rd));
		if (in->rd != 0 && !rd_full)
			unused |= 1ull << i;
		enum use result = rd_full ? USE_FULL : USE_LOW;
		if (in->rd != 0) {
			full &= ~(1u << in->rd);
			low &= ~(1u << in->rd);
		}
		demand(&full, &low, in->rs1, u1 == USE_RESULT ? result : u1);
		demand(&full, &low, in->rs2, u2 == USE_RESULT ? result : u2);
		low &= ~full;
	}
	return unused;
}

/* Plain integer computation: nothing that may fault, leave the block or observe guest state. */
int dbt_insn_is_plain(const struct dbt_insn *in)
{
	enum use u1, u2;
	return in->op && operand_use(in, &u1, &u2);
}
