/*
 * translate_fp.c - the common F/D instructions as inline code; the rest,
 * and every case the inline code cannot settle, go to fpu_exec (through
 * dbt_helper_fp, in an out-of-line slow path that returns to the inline
 * code, or as a plain helper call).
 *
 * Sign injection and moves between register files are integer operations
 * on the bit patterns (every platform).  Arithmetic (fused multiply-adds
 * included), compares and conversions use SSE/FMA3 where the platform allows it
 * (plat_has_sse): MXCSR holds round-to-nearest-even with every exception
 * masked and accrues the flags, which dbt_fp_fold() moves into fflags
 * (helpers.c).  x86 and RISC-V agree on results and flags except for NaNs
 * (x86 propagates payloads, RISC-V returns the canonical NaN) and the
 * rounding modes x86 lacks.  A NaN from fadd, fsub, fmul, fdiv or fsqrt
 * stays as x86 made it, marked raw, until its bits can be seen (a write
 * back, fsd/fsw), where it becomes the canonical NaN (translate_fcache.c).
 * The inline code takes the slow path when:
 *   - the rounding mode is not RNE (static rm, or dynamic with frm != 0);
 *   - a fused multiply-add's result is a NaN (fpu_exec recomputes it: x86
 *     raises nothing for inf * 0 + qNaN, RISC-V NV);
 *   - a single operand is not NaN-boxed (spec 13.2: it reads as the
 *     canonical NaN);
 *   - a float-to-integer conversion overflows (x86 returns the "integer
 *     indefinite", RISC-V saturates).
 * Tininess is detected after rounding on both (underflow flag agrees).
 */
#include "translate.h"

#include "cpu_offsets.h"
#include "fpu.h"
#include "platform.h"

enum { FMT_S = 0, FMT_D = 1 };

#define BOX_HIGH 0xffffffff00000000ull
#define INT64_INDEFINITE 0x8000000000000000ull

static struct emit_mem f_lo(unsigned r)
{
	return tr_f(r);
}

static struct emit_mem f_hi(unsigned r)
{
	return emit_mem_bd(TR_CPU, (int32_t)(DBT_CPU_F + 8 * r + 4));
}

/*
 * ZF clear unless f[r] holds a NaN-boxed single: its upper half, from its
 * xmm where it is cached (made canonical first if raw: a double NaN that
 * kept a boxed single's payload looks boxed), else from cpu->f.  Clobbers
 * rax.
 */
void tr_fbox_test(struct dbt_tb *tb, unsigned r)
{
	if (tb->fxmm_of[r] >= 0) {
		tr_fcanon(tb, r);
		emit_sse_r_r(&tb->b, EMIT_SSE_PD, EMIT_SSE_MOVQ_TO_GPR, 1, tb->fxmm_of[r],
			     EMIT_RAX);
		emit_shift_r64_imm8(&tb->b, EMIT_SHR, EMIT_RAX, 32);
	} else {
		emit_mov_r32_m32(&tb->b, EMIT_RAX, f_hi(r));
	}
	emit_alu_r32_imm32(&tb->b, EMIT_CMP, EMIT_RAX, -1);
}

/*
 * Flags "above" if xmm x holds a NaN (a single's in its low half if
 * single), found in the integer unit, which raises nothing: the bits
 * doubled (the sign shifted out) lie above +inf's doubled.  Clobbers
 * scratch, a general register.
 */
void tr_fnan_test(struct dbt_tb *tb, int x, int single, int scratch)
{
	emit_sse_r_r(&tb->b, EMIT_SSE_PD, EMIT_SSE_MOVQ_TO_GPR, 1, x, scratch);
	if (single) {
		emit_alu_r32_r32(&tb->b, EMIT_ADD, scratch, scratch);
		emit_alu_r32_imm32(&tb->b, EMIT_CMP, scratch, (int32_t)(DBT_INF_BITS_S << 1));
	} else {
		emit_alu_r64_r64(&tb->b, EMIT_ADD, scratch, scratch);
		emit_alu_r64_m64(&tb->b, EMIT_CMP, scratch, tr_cpu(DBT_CPU_FNAN_BOUND));
	}
}

/* Slow path unless f[r] holds a NaN-boxed single, where that is not known already. */
static void check_boxed(struct dbt_tb *tb, struct dbt_slow *s, unsigned r)
{
	tb->fsingle_read |= 1u << r;
	if (tr_fis_boxed(tb, r) || (s && (s->checked_box & (1u << r))))
		return;
	if (s)
		s->checked_box |= 1u << r;
	tr_fbox_test(tb, r);
	tr_slow_jcc(tb, s, EMIT_CC_NE);
}

/*
 * RNE for this instruction: a static rm of 0, or rm = DYN with frm = 0,
 * tested at run time.  frm changes only at a CSR write, which is a helper
 * call, so one test per block (until such a call) covers every later
 * instruction: where it finds frm != 0, the helper runs this instruction
 * with frm and the block is left right after it, so nothing past the test
 * runs inline under another rounding mode.  Every later instruction is
 * reached through the test: a block is straight-line code with side
 * exits, and a loop block's back edge goes to the head, before it.  The
 * test was 2 of the 36 host instructions per element of matmul's loop.
 * Returns 0 when the static rm rules the inline path out.
 */
static int rounding_rne(struct dbt_tb *tb, unsigned rm)
{
	if (rm == FPU_RNE)
		return 1;
	if (rm != FPU_DYN)
		return 0;
	if (tb->frm_rne)
		return 1;
	tb->frm_tested = 1;
	struct dbt_slow *leave = tr_slow_begin(tb);
	if (leave) {
		leave->leave_pc = tb->in->pc + tb->in->len;
		leave->insn_done = tb->insn_index + 1;
	}
	emit_alu_m32_imm32(&tb->b, EMIT_CMP, tr_cpu(DBT_CPU_FRM), 0);
	tr_slow_jcc(tb, leave, EMIT_CC_NE);
	tr_slow_end(tb, leave);
	tb->frm_rne = 1;
	return 1;
}

/* xmm `to` = the cached f[r]. */
static void copy_f(struct dbt_tb *tb, int to, unsigned r)
{
	emit_sse_r_r(&tb->b, EMIT_SSE_NONE, EMIT_SSE_MOVAPS, 0, to, tr_fcached(tb, r));
}

/* fadd, fsub, fmul, fdiv, fsqrt. */
static int arith(struct dbt_tb *tb, const struct dbt_insn *in, unsigned f5, unsigned fmt)
{
	static const uint8_t sse_op[] = {
	    [F5_ADD] = EMIT_SSE_ADD, [F5_SUB] = EMIT_SSE_SUB,	[F5_MUL] = EMIT_SSE_MUL,
	    [F5_DIV] = EMIT_SSE_DIV, [F5_SQRT] = EMIT_SSE_SQRT,
	};
	unsigned rm = (in->word >> 12) & 7;
	if (rm != FPU_RNE && rm != FPU_DYN)
		return 0;
	enum emit_sse_prefix p = fmt == FMT_D ? EMIT_SSE_SD : EMIT_SSE_SS;
	rounding_rne(tb, rm);
	/* A single operand that is not NaN-boxed is the helper's case. */
	struct dbt_slow *s = NULL;
	if (fmt == FMT_S) {
		s = tr_slow_begin(tb);
		check_boxed(tb, s, in->rs1);
		if (f5 != F5_SQRT)
			check_boxed(tb, s, in->rs2);
	}
	/* Computed in rd's own xmm where that clobbers no operand still to be read. */
	int xa = tr_fcached(tb, in->rs1);
	int xb = f5 == F5_SQRT ? xa : tr_fcached(tb, in->rs2);
	int xd = tr_fdest(tb, in->rd);
	/* a + b and a * b are b + a and b * a, bit for bit and flag for flag (IEEE 754). */
	if ((f5 == F5_ADD || f5 == F5_MUL) && xd == xb) {
		xb = xa;
		xa = xd;
	}
	int direct = f5 == F5_SQRT || xd != xb || xa == xb;
	int t = direct ? xd : 0;
	if (f5 == F5_SQRT) {
		emit_sse_r_r(&tb->b, p, EMIT_SSE_SQRT, 0, t, xa);
	} else {
		if (t != xa)
			emit_sse_r_r(&tb->b, EMIT_SSE_NONE, EMIT_SSE_MOVAPS, 0, t, xa);
		emit_sse_r_r(&tb->b, p, (enum emit_sse_op)sse_op[f5], 0, t, xb);
	}
	/* Scalar SSE keeps t's upper bits: a boxed operand's, except sqrt's, rd's old ones. */
	enum tr_fwidth width = fmt == FMT_D    ? TR_F_DOUBLE
			       : f5 == F5_SQRT ? TR_F_SINGLE
					       : TR_F_BOXED;
	if (direct)
		tr_fcommit(tb, in->rd, width);
	else
		tr_fset(tb, in->rd, width);
	/*
	 * A NaN result is x86's (negative, or an operand's payload), not yet
	 * RISC-V's canonical one: raw until its bits can be seen (translate.h).
	 * The flags are RISC-V's already: for these operations both raise
	 * invalid for the same operands (a signaling NaN, inf - inf, 0 * inf,
	 * 0 / 0, sqrt of a negative) and nothing for a quiet NaN.
	 */
	tr_fmark_raw(tb, in->rd, fmt == FMT_S);
	tr_slow_end(tb, s);
	return 1;
}

/*
 * fmadd, fmsub, fnmsub, fnmadd: one FMA3 instruction (the proc build
 * already requires FMA3: fpu.c is compiled with -mfma; the monitor sets
 * plat_has_sse only where the CPU has it).  x86 returns a
 * NaN without raising IE for inf * 0 + qNaN, where RISC-V raises NV
 * (spec 13.6): that result is a NaN, so the slow path recomputes it.
 */
static int fused(struct dbt_tb *tb, const struct dbt_insn *in)
{
	static const uint8_t fma_op[4] = {EMIT_FMADD231, EMIT_FMSUB231, EMIT_FNMADD231,
					  EMIT_FNMSUB231};
	uint32_t w = in->word;
	unsigned rm = (w >> 12) & 7, fmt = (w >> 25) & 3, rs3 = w >> 27;
	if ((fmt != FMT_S && fmt != FMT_D) || (rm != FPU_RNE && rm != FPU_DYN))
		return 0;
	rounding_rne(tb, rm);
	struct dbt_slow *s = tr_slow_begin(tb);
	if (fmt == FMT_S) {
		check_boxed(tb, s, in->rs1);
		check_boxed(tb, s, in->rs2);
		check_boxed(tb, s, rs3);
	}
	int x2 = tr_fcached(tb, in->rs2);
	copy_f(tb, 0, rs3);
	copy_f(tb, 1, in->rs1);
	emit_fma231_r_r_r(&tb->b, (enum emit_fma)fma_op[(w >> 2) & 3], fmt == FMT_D, 0, 1, x2);
	emit_sse_r_r(&tb->b, fmt == FMT_D ? EMIT_SSE_PD : EMIT_SSE_NONE, EMIT_SSE_UCOMI, 0, 0, 0);
	tr_slow_jcc(tb, s, EMIT_CC_P);
	/* xmm0 was rs3's whole register, boxed where single. */
	tr_fset(tb, in->rd, fmt == FMT_D ? TR_F_DOUBLE : TR_F_BOXED);
	tr_slow_end(tb, s);
	return 1;
}

/*
 * fsgnj, fsgnjn, fsgnjx (fmv, fneg, fabs): integer code on every
 * platform.  rax = magnitude of rs1, rcx = the sign to give it.
 */
static int sign_inject(struct dbt_tb *tb, const struct dbt_insn *in, unsigned fmt)
{
	struct emit_buf *b = &tb->b;
	unsigned kind = (in->word >> 12) & 7;
	if (kind > 2)
		return 0;
	/* fmv.d, and fmv.s of a single known boxed: a register copy. */
	if (plat_has_sse && kind == 0 && in->rs1 == in->rs2 &&
	    (fmt == FMT_D || tr_fis_boxed(tb, in->rs1))) {
		if (in->rd != in->rs1) {
			int x = tr_fcached(tb, in->rs1);
			emit_sse_r_r(b, EMIT_SSE_NONE, EMIT_SSE_MOVAPS, 0, tr_fdest(tb, in->rd), x);
			tr_fcommit(tb, in->rd, fmt == FMT_D ? TR_F_DOUBLE : TR_F_BOXED);
			tr_fcopy_raw(tb, in->rd, in->rs1);
		}
		return 1;
	}
	struct dbt_slow *s = NULL;
	tr_claim(tb, EMIT_RCX);
	if (fmt == FMT_S) {
		s = tr_slow_begin(tb);
		check_boxed(tb, s, in->rs1);
		check_boxed(tb, s, in->rs2);
	}
	uint8_t top = fmt == FMT_D ? 63 : 31;
	tr_fclean(tb, in->rs1);
	tr_fclean(tb, in->rs2);
	if (fmt == FMT_D) {
		emit_mov_r64_m64(b, EMIT_RAX, f_lo(in->rs1));
		emit_mov_r64_m64(b, EMIT_RCX, f_lo(in->rs2));
	} else {
		emit_mov_r32_m32(b, EMIT_RAX, f_lo(in->rs1));
		emit_mov_r32_m32(b, EMIT_RCX, f_lo(in->rs2));
	}
	emit_shift_r64_imm8(b, EMIT_SHR, EMIT_RCX, top);
	if (kind == 1)
		emit_alu_r32_imm32(b, EMIT_XOR, EMIT_RCX, 1);
	emit_shift_r64_imm8(b, EMIT_SHL, EMIT_RCX, top);
	if (kind != 2) {
		/* Clear the sign bit of rs1; for a single, bit 31 of the zero-extended low word. */
		emit_shift_r64_imm8(b, EMIT_SHL, EMIT_RAX, (uint8_t)(64 - top));
		emit_shift_r64_imm8(b, EMIT_SHR, EMIT_RAX, (uint8_t)(64 - top));
		emit_alu_r64_r64(b, EMIT_OR, EMIT_RAX, EMIT_RCX);
	} else {
		emit_alu_r64_r64(b, EMIT_XOR, EMIT_RAX, EMIT_RCX);
	}
	if (fmt == FMT_S) {
		emit_mov_m32_r32(b, f_lo(in->rd), EMIT_RAX);
		emit_mov_m32_imm32(b, f_hi(in->rd), 0xffffffffu);
	} else {
		emit_mov_m64_r64(b, f_lo(in->rd), EMIT_RAX);
	}
	tr_fdrop(tb, in->rd);
	tr_slow_end(tb, s);
	return 1;
}

/* fmv.x.d, fmv.x.w (sign-extended, spec 11.7), fmv.d.x, fmv.w.x (NaN-boxed). */
static int move(struct dbt_tb *tb, const struct dbt_insn *in, unsigned f5, unsigned fmt)
{
	struct emit_buf *b = &tb->b;
	if (((in->word >> 12) & 7) != 0 || in->rs2 != 0)
		return 0; /* fclass, or a reserved encoding */
	if (f5 == F5_MV_XF) {
		tr_fclean(tb, in->rs1);
		if (fmt == FMT_D)
			emit_mov_r64_m64(b, EMIT_RAX, f_lo(in->rs1));
		else
			emit_movsxd_r64_m32(b, EMIT_RAX, f_lo(in->rs1));
		tr_store_x(tb, in->rd, EMIT_RAX);
		return 1;
	}
	tr_load_x(tb, EMIT_RAX, in->rs1);
	if (fmt == FMT_D) {
		emit_mov_m64_r64(b, f_lo(in->rd), EMIT_RAX);
	} else {
		emit_mov_m32_r32(b, f_lo(in->rd), EMIT_RAX);
		emit_mov_m32_imm32(b, f_hi(in->rd), 0xffffffffu);
	}
	tr_fdrop(tb, in->rd);
	return 1;
}

/*
 * feq, flt, fle.  comisd/comiss raise IE on any NaN (flt/fle signal on
 * quiet NaNs, spec 13.8), ucomisd/ucomiss only on a signaling one (feq);
 * unordered sets ZF, PF and CF, which every test below reads as false.
 * A single that is not NaN-boxed reads as the canonical NaN: the slow
 * path, which writes x[rd] in memory and reloads it.
 */
static int compare(struct dbt_tb *tb, const struct dbt_insn *in, unsigned fmt)
{
	struct emit_buf *b = &tb->b;
	unsigned kind = (in->word >> 12) & 7;
	if (kind > 2 || (fmt == FMT_S && in->rd == 0))
		return 0;
	enum emit_sse_prefix p = fmt == FMT_D ? EMIT_SSE_PD : EMIT_SSE_NONE;
	struct dbt_slow *s = NULL;
	int host = -1;
	if (kind == 2)
		tr_claim(tb, EMIT_RCX);
	if (fmt == FMT_S) {
		/* rd's register is taken before the fork, so both paths leave the cache alike. */
		host = tr_cache_assign_x(tb, in->rd);
		s = tr_slow_begin(tb);
		if (s) {
			s->reload = in->rd;
			s->reload_host = host;
		}
		check_boxed(tb, s, in->rs1);
		check_boxed(tb, s, in->rs2);
	}
	if (kind == 2) {
		int x2 = tr_fcached(tb, in->rs2);
		copy_f(tb, 0, in->rs1);
		emit_sse_r_r(b, p, EMIT_SSE_UCOMI, 0, 0, x2);
		emit_mov_r32_imm32(b, EMIT_RAX, 0);
		emit_mov_r32_imm32(b, EMIT_RCX, 0);
		emit_setcc_r8(b, EMIT_CC_E, EMIT_RAX);
		emit_setcc_r8(b, EMIT_CC_NP, EMIT_RCX);
		emit_alu_r32_r32(b, EMIT_AND, EMIT_RAX, EMIT_RCX);
	} else {
		/* rs2 > rs1 (flt) or rs2 >= rs1 (fle): CF and ZF from comisd rs2, rs1. */
		int x1 = tr_fcached(tb, in->rs1);
		copy_f(tb, 0, in->rs2);
		emit_sse_r_r(b, p, EMIT_SSE_COMI, 0, 0, x1);
		emit_mov_r32_imm32(b, EMIT_RAX, 0);
		emit_setcc_r8(b, kind == 1 ? EMIT_CC_A : EMIT_CC_AE, EMIT_RAX);
	}
	if (fmt == FMT_D) {
		tr_store_x(tb, in->rd, EMIT_RAX);
		return 1;
	}
	emit_mov_r64_r64(b, host, EMIT_RAX);
	tr_mark_dirty(tb, in->rd);
	tr_slow_end(tb, s);
	return 1;
}

/* fcvt.{s,d}.{w,l}: cvtsi2sd/ss; inexact ones round by MXCSR (RNE). */
static int int_to_float(struct dbt_tb *tb, const struct dbt_insn *in, unsigned fmt)
{
	unsigned rm = (in->word >> 12) & 7;
	int wide = in->rs2 == 2;
	if ((in->rs2 != 0 && !wide) || (rm != FPU_RNE && rm != FPU_DYN))
		return 0;
	rounding_rne(tb, rm);
	int src = in->rs1 ? tr_cached_x(tb, in->rs1) : -1;
	int xd = tr_fdest(tb, in->rd);
	/*
	 * cvtsi2sd writes only the low lane, so it would wait for whatever
	 * last wrote xd (spectral's loop: the previous turn's divsd); zeroing
	 * xd first breaks that chain, as compilers do.
	 */
	emit_sse_r_r(&tb->b, EMIT_SSE_NONE, EMIT_SSE_XOR, 0, xd, xd);
	if (src >= 0)
		emit_sse_r_r(&tb->b, fmt == FMT_D ? EMIT_SSE_SD : EMIT_SSE_SS, EMIT_SSE_CVTSI2,
			     wide, xd, src);
	tr_fcommit(tb, in->rd, fmt == FMT_D ? TR_F_DOUBLE : TR_F_SINGLE);
	return 1;
}

/*
 * fcvt.{w,l}.d with rm = RTZ (C's casts): cvttsd2si.  NaN and out-of-range
 * inputs give the integer indefinite, as does exactly INT_MIN: all take
 * the slow path, which writes x[rd] in memory and reloads it.
 */
static int float_to_int(struct dbt_tb *tb, const struct dbt_insn *in)
{
	struct emit_buf *b = &tb->b;
	int wide = in->rs2 == 2;
	if ((in->rs2 != 0 && !wide) || ((in->word >> 12) & 7) != FPU_RTZ || in->rd == 0)
		return 0;
	/* rd's register is taken before the fork, so both paths leave the cache alike. */
	tr_claim(tb, EMIT_RCX);
	int host = tr_cache_assign_x(tb, in->rd);
	struct dbt_slow *s = tr_slow_begin(tb);
	if (s) {
		s->reload = in->rd;
		s->reload_host = host;
	}
	emit_sse_r_r(b, EMIT_SSE_SD, EMIT_SSE_CVTT2SI, wide, EMIT_RAX, tr_fcached(tb, in->rs1));
	if (wide) {
		emit_mov_r64_imm64(b, EMIT_RCX, INT64_INDEFINITE);
		emit_alu_r64_r64(b, EMIT_CMP, EMIT_RAX, EMIT_RCX);
	} else {
		emit_alu_r32_imm32(b, EMIT_CMP, EMIT_RAX, INT32_MIN);
	}
	tr_slow_jcc(tb, s, EMIT_CC_E);
	if (wide)
		emit_mov_r64_r64(b, host, EMIT_RAX);
	else
		emit_movsxd_r64_r32(b, host, EMIT_RAX);
	tr_mark_dirty(tb, in->rd);
	tr_slow_end(tb, s);
	return 1;
}

/* feq: rs1 == rs2; flt: rs2 > rs1; fle: rs2 >= rs1, after ucomisd of the two that way round. */
static void quiet_ucomisd(struct emit_buf *b, unsigned kind, int x1, int x2, int result)
{
	static const enum emit_cc cc[3] = {EMIT_CC_AE, EMIT_CC_A, EMIT_CC_E};
	if (kind == 2)
		emit_sse_r_r(b, EMIT_SSE_PD, EMIT_SSE_UCOMI, 0, x1, x2);
	else
		emit_sse_r_r(b, EMIT_SSE_PD, EMIT_SSE_UCOMI, 0, x2, x1);
	emit_setcc_r8(b, cc[kind], result);
}

/*
 * The quiet comparison when nothing reads the flags it saved (rX dead,
 * tr_x_dead_at): fflags ends as it began, so MXCSR need not be read at
 * all, provided the comparison raises nothing.  A NaN operand, found in
 * the integer unit, which raises nothing, makes the result 0 without
 * ucomisd (which would flag a signaling one); ordered operands raise
 * nothing in ucomisd.  Reading MXCSR waits for every F/D operation in
 * flight: this is nbody's inner loop without that wait.
 */
static int quiet_compare_unread(struct dbt_tb *tb, const struct dbt_insn *cmp, unsigned kind)
{
	struct emit_buf *b = &tb->b;
	if (!cmp->rd)
		return 1;
	tr_claim(tb, EMIT_RCX);
	int x1 = tr_fcached(tb, cmp->rs1), x2 = tr_fcached(tb, cmp->rs2);
	int result = tr_cache_assign_x(tb, cmp->rd);
	const int operand[2] = {x1, x2};
	unsigned operands = x1 == x2 ? 1 : 2;
	size_t nan[2];
	emit_alu_r32_r32(b, EMIT_XOR, result, result);
	for (unsigned k = 0; k < operands; k++) {
		tr_fnan_test(tb, operand[k], 0, EMIT_RCX);
		nan[k] = emit_jcc_rel32(b, EMIT_CC_A, NULL);
	}
	quiet_ucomisd(b, kind, x1, x2, result);
	for (unsigned k = 0; k < operands; k++)
		tr_here(tb, nan[k]);
	tr_mark_dirty(tb, cmp->rd);
	return 1;
}

/*
 * frflags rX; flt.d/fle.d/feq.d rY, fa, fb; fsflags rX: a comparison
 * that raises no flag (glibc's isless, and the domain test of an inlined
 * sqrt).  ucomisd raises nothing for ordered operands, so rX gets the
 * flags, rY the result, and only an unordered pair (which ucomisd may
 * flag, for a signaling NaN) puts fflags back to rX: no MXCSR load, and
 * one read of it instead of two plus a load, each of which waits for
 * every F/D operation in flight (nbody's two square roots per pair).
 */
int tr_fp_quiet_compare(struct dbt_tb *tb, const struct dbt_insn *in)
{
	struct emit_buf *b = &tb->b;
	if (!plat_has_sse || in->rd == 0 || in->rs1 != 0 || in->word >> 20 != CSR_FFLAGS ||
	    ((in->word >> 12) & 7) != CSR_FUNCT3_RS)
		return 0;
	const struct dbt_insn *cmp = tr_insn_after(tb, 1), *set = tr_insn_after(tb, 2);
	if (!cmp || !set)
		return 0;
	uint32_t w = cmp->word;
	unsigned kind = (w >> 12) & 7;
	if ((w & 0x7f) != OPC_OP_FP || w >> 27 != F5_CMP || ((w >> 25) & 3) != FMT_D || kind > 2 ||
	    cmp->rd == in->rd)
		return 0;
	if (set->word != (CSR_FFLAGS << 20 | in->rd << 15 | CSR_FUNCT3_RW << 12 | 0x73))
		return 0;
	tr_fuse_next(tb);
	tr_fuse_next(tb);
	if (tr_x_dead_at(tb, set->pc + set->len, in->rd))
		return quiet_compare_unread(tb, cmp, kind);
	tr_claim(tb, EMIT_RCX);
	tr_call(tb, dbt_fflags_read);
	tr_store_x(tb, in->rd, EMIT_RAX);
	int flags = tb->host_of[in->rd];
	int x1 = tr_fcached(tb, cmp->rs1), x2 = tr_fcached(tb, cmp->rs2);
	int result = cmp->rd ? tr_cache_assign_x(tb, cmp->rd) : EMIT_RAX;
	emit_mov_r32_imm32(b, EMIT_RAX, 0);
	quiet_ucomisd(b, kind, x1, x2, EMIT_RAX);
	size_t ordered = emit_jcc_rel32(b, EMIT_CC_NP, NULL);
	emit_mov_r32_r32(b, EMIT_RCX, flags);
	tr_call(tb, dbt_fflags_write);
	emit_alu_r32_r32(b, EMIT_XOR, EMIT_RAX, EMIT_RAX);
	tr_here(tb, ordered);
	if (cmp->rd) {
		emit_mov_r64_r64(b, result, EMIT_RAX);
		tr_mark_dirty(tb, cmp->rd);
	}
	return 1;
}

int tr_fp_inline(struct dbt_tb *tb, const struct dbt_insn *in)
{
	uint32_t w = in->word;
	if ((w & OPC_FUSED_MASK) == OPC_FUSED)
		return plat_has_sse ? fused(tb, in) : 0;
	unsigned f5 = w >> 27, fmt = (w >> 25) & 3;
	if (fmt != FMT_S && fmt != FMT_D)
		return 0;
	switch (f5) {
	case F5_SGNJ:
		return sign_inject(tb, in, fmt);
	case F5_MV_XF:
	case F5_MV_FX:
		return move(tb, in, f5, fmt);
	}
	if (!plat_has_sse)
		return 0;
	switch (f5) {
	case F5_ADD:
	case F5_SUB:
	case F5_MUL:
	case F5_DIV:
		return arith(tb, in, f5, fmt);
	case F5_SQRT:
		return in->rs2 == 0 ? arith(tb, in, f5, fmt) : 0;
	case F5_CMP:
		return compare(tb, in, fmt);
	case F5_CVT_FI:
		return int_to_float(tb, in, fmt);
	case F5_CVT_IF:
		return fmt == FMT_D ? float_to_int(tb, in) : 0;
	}
	return 0;
}
