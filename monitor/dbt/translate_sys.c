/*
 * translate_sys.c - fences, environment calls, CSR access, and the route of
 * F/D computation to the FPU helper.  Everything that leaves the block for
 * the dispatcher or the personality is here.
 */
#include "translate.h"

#include "cpu_offsets.h"
#include "platform.h"

/*
 * x86-TSO already orders everything but a store followed by a load
 * (SDM vol. 3, 9.2.2), so only a fence whose predecessor set has W and
 * successor set has R needs mfence.  fence.tso and the rest are free.
 */
#define FENCE_PRED_W (1u << 24)
#define FENCE_SUCC_R (1u << 21)

int tr_fence(struct dbt_tb *tb, const struct dbt_insn *in)
{
	if ((in->word & FENCE_PRED_W) && (in->word & FENCE_SUCC_R))
		emit_mfence(&tb->b);
	return 0;
}

/* The dispatcher flushes every translation, then continues after the fence.i. */
int tr_fence_i(struct dbt_tb *tb, const struct dbt_insn *in)
{
	tr_exit_reason(tb, in->pc + in->len, DBT_EXIT_FENCE_I);
	return 1;
}

/*
 * A system call is a call into the personality from the block (DESIGN.md:
 * "lets ecall be a plain call into the runtime"), and the common case, pc
 * at the next instruction, goes on by a chained jump: no return to
 * linux_run's loop, no fp fold/begin pair and no hash lookup of the next
 * pc per call.  Modes without chaining (-d exec reports every block the
 * dispatcher runs; -g steps) and a debugger (which sees each system call)
 * keep the exit to the dispatcher.
 */
int tr_ecall(struct dbt_tb *tb, const struct dbt_insn *in)
{
	if (dbt_mode & (DBT_MODE_NOCHAIN | DBT_MODE_STEP | DBT_MODE_ECALL_EXIT)) {
		tr_exit_reason(tb, in->pc, DBT_EXIT_ECALL);
		return 1;
	}
	tr_store_pc(tb, in->pc);
	tr_call_helper(tb, (const void *)dbt_helper_ecall, 0);
	emit_alu_r32_imm32(&tb->b, EMIT_CMP, EMIT_RAX, 0);
	size_t elsewhere = emit_jcc_rel32(&tb->b, EMIT_CC_NE, NULL);
	tr_exit_to(tb, in->pc + in->len);
	tr_here(tb, elsewhere);
	tr_jump(tb, dbt_exit_continue);
	return 1;
}

int tr_ebreak(struct dbt_tb *tb, const struct dbt_insn *in)
{
	tr_exit_reason(tb, in->pc, DBT_EXIT_EBREAK);
	return 1;
}

/*
 * A helper returning non-zero means the encoding was illegal: leave with
 * SIGILL at this instruction.  Only eax holds the uint32_t result (SysV ABI).
 */
static void call_checked(struct dbt_tb *tb, const struct dbt_insn *in, const void *helper)
{
	tr_call_helper(tb, helper, in->word);
	emit_alu_r32_imm32(&tb->b, EMIT_CMP, EMIT_RAX, 0);
	size_t ok = emit_jcc_rel32(&tb->b, EMIT_CC_E, NULL);
	tr_exit_illegal(tb);
	tr_here(tb, ok);
}

/*
 * frflags and fsflags (and fsflagsi) in place where inline SSE code
 * accrues flags in MXCSR (fflags.S); every other CSR access, and these
 * without SSE, through the helper.
 */
static int fflags_inline(struct dbt_tb *tb, const struct dbt_insn *in)
{
	unsigned funct3 = (in->word >> 12) & 7;
	if (!plat_has_sse || in->word >> 20 != CSR_FFLAGS)
		return 0;
	if ((funct3 == CSR_FUNCT3_RS || funct3 == CSR_FUNCT3_RC) && in->rs1 == 0) {
		tr_call(tb, dbt_fflags_read);
		tr_store_x(tb, in->rd, EMIT_RAX);
		return 1;
	}
	if (funct3 != CSR_FUNCT3_RW && funct3 != (CSR_FUNCT3_RW | CSR_FUNCT3_IMM))
		return 0;
	/* The new value first: rd may be rs1.  The old one is in rd before the write's call. */
	tr_claim(tb, EMIT_RCX);
	if (funct3 == CSR_FUNCT3_RW)
		tr_load_x(tb, EMIT_RCX, in->rs1);
	else
		emit_mov_r32_imm32(&tb->b, EMIT_RCX, in->rs1);
	if (in->rd) {
		tr_call(tb, dbt_fflags_read);
		tr_store_x(tb, in->rd, EMIT_RAX);
	}
	tr_call(tb, dbt_fflags_write);
	return 1;
}

int tr_csr(struct dbt_tb *tb, const struct dbt_insn *in)
{
	if (!tr_fp_quiet_compare(tb, in) && !fflags_inline(tb, in))
		call_checked(tb, in, (const void *)dbt_helper_csr);
	return 0;
}

int tr_fp(struct dbt_tb *tb, const struct dbt_insn *in)
{
	if (!tr_fp_inline(tb, in))
		call_checked(tb, in, (const void *)dbt_helper_fp);
	return 0;
}
