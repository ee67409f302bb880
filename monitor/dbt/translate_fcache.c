/*
 * translate_fcache.c - guest f registers held in xmm registers within a
 * block (translate.h: write-through, proc platform only).
 */
#include "translate.h"

#include "cpu_offsets.h"
#include "rt.h"

void tr_fcache_reset(struct dbt_tb *tb)
{
	memset(tb->fxmm_of, -1, sizeof(tb->fxmm_of));
	memset(tb->fguest_of, -1, sizeof(tb->fguest_of));
	tb->fboxed = 0;
	memset(tb->flast_use, 0, sizeof(tb->flast_use));
}

/* A free xmm, else the least recently used one: nothing to write back. */
static int fassign(struct dbt_tb *tb, unsigned r)
{
	int x = tb->fxmm_of[r];
	if (x < 0) {
		for (int k = TR_FPOOL_FIRST; k <= TR_FPOOL_LAST; k++) {
			if (tb->fguest_of[k] < 0) {
				x = k;
				break;
			}
			if (x < 0 || tb->flast_use[k] < tb->flast_use[x])
				x = k;
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
 * too, so the cached value is always the 64 bits cpu->f holds.
 */
void tr_fcommit(struct dbt_tb *tb, unsigned rd, int single)
{
	int x = tb->fxmm_of[rd];
	if (single)
		emit_sse_r_m(&tb->b, EMIT_SSE_PD, EMIT_SSE_OR, x, tr_cpu(DBT_CPU_FBOX_MASK));
	emit_sse_r_m(&tb->b, EMIT_SSE_SD, EMIT_SSE_STORE, x, tr_f(rd));
	if (single)
		tb->fboxed |= 1u << rd;
	else
		tb->fboxed &= ~(1u << rd);
}

void tr_fset(struct dbt_tb *tb, unsigned rd, int single)
{
	emit_sse_r_r(&tb->b, EMIT_SSE_NONE, EMIT_SSE_MOVAPS, 0, fassign(tb, rd), 0);
	tr_fcommit(tb, rd, single);
}

void tr_fdrop(struct dbt_tb *tb, unsigned r)
{
	int x = tb->fxmm_of[r];
	if (x < 0)
		return;
	tb->fguest_of[x] = -1;
	tb->fxmm_of[r] = -1;
	tb->fboxed &= ~(1u << r);
}

/* Loop blocks: the f registers of `regs` in xmm before the loop head. */
void tr_fpreload(struct dbt_tb *tb, uint32_t regs)
{
	for (unsigned r = 0; r < 32; r++)
		if (regs & (1u << r))
			tr_fcached(tb, r);
}

/* After a call, which clobbers every xmm: the cache as it was, from cpu->f. */
void tr_freload(struct dbt_tb *tb, const int8_t fguest_of[16])
{
	for (int x = TR_FPOOL_FIRST; x <= TR_FPOOL_LAST; x++)
		if (fguest_of[x] >= 0)
			emit_sse_r_m(&tb->b, EMIT_SSE_SD, EMIT_SSE_LOAD, x,
				     tr_f((unsigned)fguest_of[x]));
}
