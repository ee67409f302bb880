/*
 * translate_fcache.c - guest f registers held in xmm registers within a
 * block (translate.h: write-back, only where plat_has_sse).
 */
#include "translate.h"

#include "cpu_offsets.h"
#include "platform.h"
#include "rt.h"

void tr_fcache_reset(struct dbt_tb *tb)
{
	memset(tb->fxmm_of, -1, sizeof(tb->fxmm_of));
	memset(tb->fguest_of, -1, sizeof(tb->fguest_of));
	tb->fdirty = 0;
	tb->fraw = tb->fraw_s = 0;
	tb->fboxed = 0;
	memset(tb->flast_use, 0, sizeof(tb->flast_use));
}

static int fis_dirty(const struct dbt_tb *tb, int x)
{
	return tb->fguest_of[x] >= 0 && (tb->fdirty & (1u << tb->fguest_of[x]));
}

/*
 * xmm x's NaN, if it is one, replaced by the canonical NaN: vcmpunord
 * makes the mask in xmm1, vblendv takes the constant where it is set.
 * Neither touches EFLAGS, so this may sit between a compare and its jcc
 * (a branch's write-back, a loop's back edge).  x86 arithmetic never
 * makes a signaling NaN, so vcmpunord raises nothing here.
 */
static void canonicalize(struct emit_buf *b, int x, int single)
{
	struct emit_mem canonical = tr_cpu(single ? DBT_CPU_FCANON_S : DBT_CPU_FCANON_D);
	emit_vcmpunord_self(b, single, 1, x);
	emit_vblendv_r_r_m(b, single, x, x, canonical, 1);
}

static void forget_raw(struct dbt_tb *tb, unsigned r)
{
	tb->fraw &= ~(1u << r);
	tb->fraw_s &= ~(1u << r);
}

void tr_fcanon(struct dbt_tb *tb, unsigned r)
{
	int x = tb->fxmm_of[r];
	if (x < 0 || !(tb->fraw & (1u << r)))
		return;
	canonicalize(&tb->b, x, (tb->fraw_s >> r) & 1);
	forget_raw(tb, r);
}

static void fstore(struct dbt_tb *tb, int x)
{
	unsigned g = (unsigned)tb->fguest_of[x];
	tr_fcanon(tb, g);
	emit_sse_r_m(&tb->b, EMIT_SSE_SD, EMIT_SSE_STORE, x, tr_f(g));
	tb->fdirty &= ~(1u << g);
}

/*
 * A free xmm, else the least recently used clean one, else (never inside
 * a slow path's region, tr_fslow_room) the least recently used dirty one,
 * written back first.  Never one the current instruction has used: its
 * operands are touched after insn_clock.
 */
static int fassign(struct dbt_tb *tb, unsigned r)
{
	int x = tb->fxmm_of[r];
	if (x < 0) {
		int clean = -1, dirty = -1;
		for (int k = TR_FPOOL_FIRST; k <= TR_FPOOL_LAST; k++) {
			if (tb->fguest_of[k] < 0) {
				x = k;
				break;
			}
			if (tb->flast_use[k] > tb->insn_clock)
				continue;
			int *best = fis_dirty(tb, k) ? &dirty : &clean;
			if (*best < 0 || tb->flast_use[k] < tb->flast_use[*best])
				*best = k;
		}
		if (x < 0)
			x = clean >= 0 ? clean : dirty;
		if (fis_dirty(tb, x)) {
			if (tb->slow_open)
				plat_panic("dbt: a dirty xmm evicted inside a slow path's region");
			fstore(tb, x);
		}
		if (tb->fguest_of[x] >= 0)
			tb->fxmm_of[tb->fguest_of[x]] = -1;
		tb->fguest_of[x] = (int8_t)r;
		tb->fxmm_of[r] = (int8_t)x;
	}
	tb->flast_use[x] = ++tb->use_clock;
	tb->fnamed |= 1u << r;
	return x;
}

int tr_fcached(struct dbt_tb *tb, unsigned r)
{
	if (tb->fxmm_of[r] >= 0)
		return fassign(tb, r);
	int x = fassign(tb, r);
	tb->fboxed &= ~(1u << r);
	emit_sse_r_m(&tb->b, EMIT_SSE_SD, EMIT_SSE_LOAD, x, tr_f(r));
	return x;
}

int tr_fis_boxed(const struct dbt_tb *tb, unsigned r)
{
	return tb->fxmm_of[r] >= 0 && (tb->fboxed & (1u << r));
}

int tr_fdest(struct dbt_tb *tb, unsigned rd)
{
	return fassign(tb, rd);
}

/*
 * A single's result gets its upper 32 bits set (spec 13.2) in the register
 * too, so the cached value is always the 64 bits cpu->f is to hold;
 * TR_F_BOXED says they are set already (scalar SSE arithmetic keeps the
 * destination's upper bits, there a boxed operand's).
 */
void tr_fcommit(struct dbt_tb *tb, unsigned rd, enum tr_fwidth width)
{
	int x = tb->fxmm_of[rd];
	int single = width != TR_F_DOUBLE;
	if (width == TR_F_SINGLE)
		emit_sse_r_m(&tb->b, EMIT_SSE_PD, EMIT_SSE_OR, x, tr_cpu(DBT_CPU_FBOX_MASK));
	tb->fdirty |= 1u << rd;
	forget_raw(tb, rd);
	if (single)
		tb->fboxed |= 1u << rd;
	else
		tb->fboxed &= ~(1u << rd);
}

void tr_fmark_raw(struct dbt_tb *tb, unsigned rd, int single)
{
	tb->fraw |= 1u << rd;
	if (single)
		tb->fraw_s |= 1u << rd;
}

void tr_fcopy_raw(struct dbt_tb *tb, unsigned rd, unsigned rs)
{
	if (tb->fraw & (1u << rs))
		tr_fmark_raw(tb, rd, (tb->fraw_s >> rs) & 1);
}

void tr_fset(struct dbt_tb *tb, unsigned rd, enum tr_fwidth width)
{
	emit_sse_r_r(&tb->b, EMIT_SSE_NONE, EMIT_SSE_MOVAPS, 0, fassign(tb, rd), 0);
	tr_fcommit(tb, rd, width);
}

void tr_fdrop(struct dbt_tb *tb, unsigned r)
{
	int x = tb->fxmm_of[r];
	if (x < 0)
		return;
	tb->fguest_of[x] = -1;
	tb->fxmm_of[r] = -1;
	tb->fdirty &= ~(1u << r);
	forget_raw(tb, r);
	tb->fboxed &= ~(1u << r);
}

void tr_fclean(struct dbt_tb *tb, unsigned r)
{
	int x = tb->fxmm_of[r];
	if (x >= 0 && fis_dirty(tb, x))
		fstore(tb, x);
}

void tr_fsync(struct dbt_tb *tb)
{
	for (int x = TR_FPOOL_FIRST; x <= TR_FPOOL_LAST && tb->fdirty; x++)
		if (fis_dirty(tb, x))
			fstore(tb, x);
}

void tr_fdirty_snapshot(const struct dbt_tb *tb, uint8_t fdirty[TR_FPOOL_SLOTS])
{
	for (int k = 0; k < TR_FPOOL_SLOTS; k++) {
		int x = TR_FPOOL_FIRST + k, g = tb->fguest_of[x];
		if (!fis_dirty(tb, x)) {
			fdirty[k] = 0;
			continue;
		}
		fdirty[k] = (uint8_t)(g + 1);
		if (tb->fraw & (1u << g))
			fdirty[k] |= TR_FDIRTY_RAW;
		if (tb->fraw_s & (1u << g))
			fdirty[k] |= TR_FDIRTY_SINGLE;
	}
}

/*
 * Out of line (a stub, a side exit, a slow path): what fdirty says was
 * dirty, a raw NaN made canonical in its xmm first (the code after a slow
 * path reloads every cached register anyway).
 */
void tr_fwrite_back(struct dbt_tb *tb, const uint8_t fdirty[TR_FPOOL_SLOTS])
{
	for (int k = 0; k < TR_FPOOL_SLOTS; k++) {
		if (!fdirty[k])
			continue;
		if (fdirty[k] & TR_FDIRTY_RAW)
			canonicalize(&tb->b, TR_FPOOL_FIRST + k, !!(fdirty[k] & TR_FDIRTY_SINGLE));
		emit_sse_r_m(&tb->b, EMIT_SSE_SD, EMIT_SSE_STORE, TR_FPOOL_FIRST + k,
			     tr_f(TR_FDIRTY_REG(fdirty[k])));
	}
}

/*
 * Before a slow path's region: from its snapshot to its last jump there,
 * no dirty xmm may change hands (the slow path writes back what the
 * snapshot says each held), so the instruction's up to four f registers
 * (three operands and rd) must find free or clean xmm registers: write
 * back the least recently used dirty ones until four are.
 */
void tr_fslow_room(struct dbt_tb *tb)
{
	for (;;) {
		int room = 0, victim = -1;
		for (int x = TR_FPOOL_FIRST; x <= TR_FPOOL_LAST; x++) {
			if (!fis_dirty(tb, x))
				room++;
			else if (victim < 0 || tb->flast_use[x] < tb->flast_use[victim])
				victim = x;
		}
		if (room >= 4 || victim < 0)
			return;
		fstore(tb, victim);
	}
}

/* Loop blocks: the f registers of `regs` in xmm before the loop head. */
void tr_fpreload(struct dbt_tb *tb, uint32_t regs)
{
	for (unsigned r = 0; r < 32; r++)
		if (regs & (1u << r))
			tr_fcached(tb, r);
}

/* After a call, which clobbers every xmm: the cache as it was, from cpu->f (written back first). */
void tr_freload(struct dbt_tb *tb, const int8_t fguest_of[16])
{
	for (int x = TR_FPOOL_FIRST; x <= TR_FPOOL_LAST; x++)
		if (fguest_of[x] >= 0)
			emit_sse_r_m(&tb->b, EMIT_SSE_SD, EMIT_SSE_LOAD, x,
				     tr_f((unsigned)fguest_of[x]));
}
