/*
 * decode.c - the RV64IMAFD + Zicsr + Zifencei decode table.  Masks and
 * matches come from the opcode map of the RISC-V unprivileged spec
 * (chapter 34, "RV32/64G Instruction Set Listings"); compressed
 * instructions arrive here already expanded (rvc_expand).
 */
#include "translate.h"

#include "rt.h"

#define R_MASK 0xfe00707fu   /* funct7 + funct3 + opcode */
#define I_MASK 0x0000707fu   /* funct3 + opcode */
#define SH_MASK 0xfc00707fu  /* RV64 shift-immediate: funct6, 6-bit shamt */
#define LR_MASK 0xf9f0707fu  /* funct5, rs2 = 0, aq/rl free */
#define AMO_MASK 0xf800707fu /* funct5, aq/rl free */
#define AMO(f5, w) ((uint32_t)(f5) << 27 | (uint32_t)(w) << 12 | 0x2f)
#define AMO_W 2
#define AMO_D 3
#define AMO_ARG(op, width) ((op) | (width) << 8)

/* clang-format off */
static const struct dbt_op dbt_ops[] = {
	/* RV64I */
	{ "lui",     0x7f,    0x37,       DBT_FMT_U,     tr_lui,        0 },
	{ "auipc",   0x7f,    0x17,       DBT_FMT_U,     tr_auipc,      0 },
	{ "jal",     0x7f,    0x6f,       DBT_FMT_J,     tr_jal,        0 },
	{ "jalr",    I_MASK,  0x67,       DBT_FMT_I,     tr_jalr,       0 },
	{ "beq",     I_MASK,  0x0063,     DBT_FMT_B,     tr_branch,     EMIT_CC_E },
	{ "bne",     I_MASK,  0x1063,     DBT_FMT_B,     tr_branch,     EMIT_CC_NE },
	{ "blt",     I_MASK,  0x4063,     DBT_FMT_B,     tr_branch,     EMIT_CC_L },
	{ "bge",     I_MASK,  0x5063,     DBT_FMT_B,     tr_branch,     EMIT_CC_GE },
	{ "bltu",    I_MASK,  0x6063,     DBT_FMT_B,     tr_branch,     EMIT_CC_B },
	{ "bgeu",    I_MASK,  0x7063,     DBT_FMT_B,     tr_branch,     EMIT_CC_AE },
	{ "lb",      I_MASK,  0x0003,     DBT_FMT_I,     tr_load,       TR_B },
	{ "lh",      I_MASK,  0x1003,     DBT_FMT_I,     tr_load,       TR_H },
	{ "lw",      I_MASK,  0x2003,     DBT_FMT_I,     tr_load,       TR_W },
	{ "ld",      I_MASK,  0x3003,     DBT_FMT_I,     tr_load,       TR_D },
	{ "lbu",     I_MASK,  0x4003,     DBT_FMT_I,     tr_load,       TR_B | TR_UNSIGNED },
	{ "lhu",     I_MASK,  0x5003,     DBT_FMT_I,     tr_load,       TR_H | TR_UNSIGNED },
	{ "lwu",     I_MASK,  0x6003,     DBT_FMT_I,     tr_load,       TR_W | TR_UNSIGNED },
	{ "sb",      I_MASK,  0x0023,     DBT_FMT_S,     tr_store,      TR_B },
	{ "sh",      I_MASK,  0x1023,     DBT_FMT_S,     tr_store,      TR_H },
	{ "sw",      I_MASK,  0x2023,     DBT_FMT_S,     tr_store,      TR_W },
	{ "sd",      I_MASK,  0x3023,     DBT_FMT_S,     tr_store,      TR_D },
	{ "addi",    I_MASK,  0x0013,     DBT_FMT_I,     tr_alu_imm,    EMIT_ADD },
	{ "slti",    I_MASK,  0x2013,     DBT_FMT_I,     tr_slt_imm,    EMIT_CC_L },
	{ "sltiu",   I_MASK,  0x3013,     DBT_FMT_I,     tr_slt_imm,    EMIT_CC_B },
	{ "xori",    I_MASK,  0x4013,     DBT_FMT_I,     tr_alu_imm,    EMIT_XOR },
	{ "ori",     I_MASK,  0x6013,     DBT_FMT_I,     tr_alu_imm,    EMIT_OR },
	{ "andi",    I_MASK,  0x7013,     DBT_FMT_I,     tr_alu_imm,    EMIT_AND },
	{ "slli",    SH_MASK, 0x00001013, DBT_FMT_SHIFT, tr_shift_imm,  EMIT_SHL },
	{ "srli",    SH_MASK, 0x00005013, DBT_FMT_SHIFT, tr_shift_imm,  EMIT_SHR },
	{ "srai",    SH_MASK, 0x40005013, DBT_FMT_SHIFT, tr_shift_imm,  EMIT_SAR },
	{ "add",     R_MASK,  0x00000033, DBT_FMT_R,     tr_alu,        EMIT_ADD },
	{ "sub",     R_MASK,  0x40000033, DBT_FMT_R,     tr_alu,        EMIT_SUB },
	{ "sll",     R_MASK,  0x00001033, DBT_FMT_R,     tr_shift,      EMIT_SHL },
	{ "slt",     R_MASK,  0x00002033, DBT_FMT_R,     tr_slt,        EMIT_CC_L },
	{ "sltu",    R_MASK,  0x00003033, DBT_FMT_R,     tr_slt,        EMIT_CC_B },
	{ "xor",     R_MASK,  0x00004033, DBT_FMT_R,     tr_alu,        EMIT_XOR },
	{ "srl",     R_MASK,  0x00005033, DBT_FMT_R,     tr_shift,      EMIT_SHR },
	{ "sra",     R_MASK,  0x40005033, DBT_FMT_R,     tr_shift,      EMIT_SAR },
	{ "or",      R_MASK,  0x00006033, DBT_FMT_R,     tr_alu,        EMIT_OR },
	{ "and",     R_MASK,  0x00007033, DBT_FMT_R,     tr_alu,        EMIT_AND },
	{ "addiw",   I_MASK,  0x001b,     DBT_FMT_I,     tr_alu_imm_w,  EMIT_ADD },
	{ "slliw",   R_MASK,  0x0000101b, DBT_FMT_SHIFT, tr_shift_imm_w, EMIT_SHL },
	{ "srliw",   R_MASK,  0x0000501b, DBT_FMT_SHIFT, tr_shift_imm_w, EMIT_SHR },
	{ "sraiw",   R_MASK,  0x4000501b, DBT_FMT_SHIFT, tr_shift_imm_w, EMIT_SAR },
	{ "addw",    R_MASK,  0x0000003b, DBT_FMT_R,     tr_alu_w,      EMIT_ADD },
	{ "subw",    R_MASK,  0x4000003b, DBT_FMT_R,     tr_alu_w,      EMIT_SUB },
	{ "sllw",    R_MASK,  0x0000103b, DBT_FMT_R,     tr_shift_w,    EMIT_SHL },
	{ "srlw",    R_MASK,  0x0000503b, DBT_FMT_R,     tr_shift_w,    EMIT_SHR },
	{ "sraw",    R_MASK,  0x4000503b, DBT_FMT_R,     tr_shift_w,    EMIT_SAR },
	{ "fence",   I_MASK,  0x000f,     DBT_FMT_I,     tr_fence,      0 },
	{ "ecall",   0xffffffffu, 0x00000073, DBT_FMT_I, tr_ecall,      0 },
	{ "ebreak",  0xffffffffu, 0x00100073, DBT_FMT_I, tr_ebreak,     0 },
	/* Zifencei */
	{ "fence.i", I_MASK,  0x100f,     DBT_FMT_I,     tr_fence_i,    0 },
	/* Zicsr: the helper checks the CSR number */
	{ "csrrw",   I_MASK,  0x1073,     DBT_FMT_CSR,   tr_csr,        0 },
	{ "csrrs",   I_MASK,  0x2073,     DBT_FMT_CSR,   tr_csr,        0 },
	{ "csrrc",   I_MASK,  0x3073,     DBT_FMT_CSR,   tr_csr,        0 },
	{ "csrrwi",  I_MASK,  0x5073,     DBT_FMT_CSR,   tr_csr,        0 },
	{ "csrrsi",  I_MASK,  0x6073,     DBT_FMT_CSR,   tr_csr,        0 },
	{ "csrrci",  I_MASK,  0x7073,     DBT_FMT_CSR,   tr_csr,        0 },
	/* RV64M */
	{ "mul",     R_MASK,  0x02000033, DBT_FMT_R,     tr_mul,        0 },
	{ "mulh",    R_MASK,  0x02001033, DBT_FMT_R,     tr_mulh,       TR_MULH },
	{ "mulhsu",  R_MASK,  0x02002033, DBT_FMT_R,     tr_mulh,       TR_MULHSU },
	{ "mulhu",   R_MASK,  0x02003033, DBT_FMT_R,     tr_mulh,       TR_MULHU },
	{ "div",     R_MASK,  0x02004033, DBT_FMT_R,     tr_div,        TR_DIV_SIGNED },
	{ "divu",    R_MASK,  0x02005033, DBT_FMT_R,     tr_div,        0 },
	{ "rem",     R_MASK,  0x02006033, DBT_FMT_R,     tr_div,        TR_DIV_SIGNED | TR_DIV_REM },
	{ "remu",    R_MASK,  0x02007033, DBT_FMT_R,     tr_div,        TR_DIV_REM },
	{ "mulw",    R_MASK,  0x0200003b, DBT_FMT_R,     tr_mul,        1 },
	{ "divw",    R_MASK,  0x0200403b, DBT_FMT_R,     tr_div,        TR_DIV_SIGNED | TR_DIV_W },
	{ "divuw",   R_MASK,  0x0200503b, DBT_FMT_R,     tr_div,        TR_DIV_W },
	{ "remw",    R_MASK,  0x0200603b, DBT_FMT_R,     tr_div,
	  TR_DIV_SIGNED | TR_DIV_REM | TR_DIV_W },
	{ "remuw",   R_MASK,  0x0200703b, DBT_FMT_R,     tr_div,        TR_DIV_REM | TR_DIV_W },
	/* RV64A */
	{ "lr.w",    LR_MASK, 0x1000202f, DBT_FMT_R,     tr_lr,         TR_W },
	{ "lr.d",    LR_MASK, 0x1000302f, DBT_FMT_R,     tr_lr,         TR_D },
	{ "sc.w",    AMO_MASK, 0x1800202f, DBT_FMT_R,    tr_sc,         TR_W },
	{ "sc.d",    AMO_MASK, 0x1800302f, DBT_FMT_R,    tr_sc,         TR_D },
	{ "amoswap.w", AMO_MASK, AMO(0x01, AMO_W), DBT_FMT_R, tr_amo, AMO_ARG(TR_AMO_SWAP, TR_W) },
	{ "amoadd.w",  AMO_MASK, AMO(0x00, AMO_W), DBT_FMT_R, tr_amo, AMO_ARG(TR_AMO_ADD, TR_W) },
	{ "amoxor.w",  AMO_MASK, AMO(0x04, AMO_W), DBT_FMT_R, tr_amo, AMO_ARG(TR_AMO_XOR, TR_W) },
	{ "amoand.w",  AMO_MASK, AMO(0x0c, AMO_W), DBT_FMT_R, tr_amo, AMO_ARG(TR_AMO_AND, TR_W) },
	{ "amoor.w",   AMO_MASK, AMO(0x08, AMO_W), DBT_FMT_R, tr_amo, AMO_ARG(TR_AMO_OR, TR_W) },
	{ "amomin.w",  AMO_MASK, AMO(0x10, AMO_W), DBT_FMT_R, tr_amo, AMO_ARG(TR_AMO_MIN, TR_W) },
	{ "amomax.w",  AMO_MASK, AMO(0x14, AMO_W), DBT_FMT_R, tr_amo, AMO_ARG(TR_AMO_MAX, TR_W) },
	{ "amominu.w", AMO_MASK, AMO(0x18, AMO_W), DBT_FMT_R, tr_amo, AMO_ARG(TR_AMO_MINU, TR_W) },
	{ "amomaxu.w", AMO_MASK, AMO(0x1c, AMO_W), DBT_FMT_R, tr_amo, AMO_ARG(TR_AMO_MAXU, TR_W) },
	{ "amoswap.d", AMO_MASK, AMO(0x01, AMO_D), DBT_FMT_R, tr_amo, AMO_ARG(TR_AMO_SWAP, TR_D) },
	{ "amoadd.d",  AMO_MASK, AMO(0x00, AMO_D), DBT_FMT_R, tr_amo, AMO_ARG(TR_AMO_ADD, TR_D) },
	{ "amoxor.d",  AMO_MASK, AMO(0x04, AMO_D), DBT_FMT_R, tr_amo, AMO_ARG(TR_AMO_XOR, TR_D) },
	{ "amoand.d",  AMO_MASK, AMO(0x0c, AMO_D), DBT_FMT_R, tr_amo, AMO_ARG(TR_AMO_AND, TR_D) },
	{ "amoor.d",   AMO_MASK, AMO(0x08, AMO_D), DBT_FMT_R, tr_amo, AMO_ARG(TR_AMO_OR, TR_D) },
	{ "amomin.d",  AMO_MASK, AMO(0x10, AMO_D), DBT_FMT_R, tr_amo, AMO_ARG(TR_AMO_MIN, TR_D) },
	{ "amomax.d",  AMO_MASK, AMO(0x14, AMO_D), DBT_FMT_R, tr_amo, AMO_ARG(TR_AMO_MAX, TR_D) },
	{ "amominu.d", AMO_MASK, AMO(0x18, AMO_D), DBT_FMT_R, tr_amo, AMO_ARG(TR_AMO_MINU, TR_D) },
	{ "amomaxu.d", AMO_MASK, AMO(0x1c, AMO_D), DBT_FMT_R, tr_amo, AMO_ARG(TR_AMO_MAXU, TR_D) },
	/* F and D: loads and stores here, everything else in fpu_exec() */
	{ "flw",     I_MASK,  0x2007,     DBT_FMT_I,     tr_fload,      TR_W },
	{ "fld",     I_MASK,  0x3007,     DBT_FMT_I,     tr_fload,      TR_D },
	{ "fsw",     I_MASK,  0x2027,     DBT_FMT_S,     tr_fstore,     TR_W },
	{ "fsd",     I_MASK,  0x3027,     DBT_FMT_S,     tr_fstore,     TR_D },
	{ "fmadd",   0x7f,    0x43,       DBT_FMT_R,     tr_fp,         0 },
	{ "fmsub",   0x7f,    0x47,       DBT_FMT_R,     tr_fp,         0 },
	{ "fnmsub",  0x7f,    0x4b,       DBT_FMT_R,     tr_fp,         0 },
	{ "fnmadd",  0x7f,    0x4f,       DBT_FMT_R,     tr_fp,         0 },
	{ "op-fp",   0x7f,    0x53,       DBT_FMT_R,     tr_fp,         0 },
};
/* clang-format on */

static int64_t sext(uint64_t v, unsigned bits)
{
	return (int64_t)(v << (64 - bits)) >> (64 - bits);
}

/* Immediate layouts: unprivileged spec, figure 2.4. */
static int64_t immediate(enum dbt_fmt fmt, uint32_t w)
{
	switch (fmt) {
	case DBT_FMT_I:
		return sext(w >> 20, 12);
	case DBT_FMT_S:
		return sext((w >> 25) << 5 | ((w >> 7) & 0x1f), 12);
	case DBT_FMT_B:
		return sext(((w >> 31) & 1) << 12 | ((w >> 7) & 1) << 11 | ((w >> 25) & 0x3f) << 5 |
				((w >> 8) & 0xf) << 1,
			    13);
	case DBT_FMT_U:
		return sext(w & 0xfffff000u, 32);
	case DBT_FMT_J:
		return sext(((w >> 31) & 1) << 20 | ((w >> 12) & 0xff) << 12 |
				((w >> 20) & 1) << 11 | ((w >> 21) & 0x3ff) << 1,
			    21);
	case DBT_FMT_SHIFT:
		return (w >> 20) & 0x3f;
	case DBT_FMT_CSR:
		return w >> 20;
	case DBT_FMT_R:
		break;
	}
	return 0;
}

/*
 * The table indexed by opcode and funct3: each bucket lists, in table
 * order, the rows that can match a word with that opcode and funct3, so a
 * decode tests a few rows instead of scanning all ~110 (the scan was most
 * of the translation time, which on the kvm platform of an emulated-KVM
 * host is most of a short program's run).  Built on first use.
 */
#define BUCKETS 1024
#define BUCKET_OF(w) (((w) & 0x7fu) | ((w) >> 5 & 0x380u))
static uint16_t bucket_first[BUCKETS + 1];
static uint8_t bucket_rows[8 * RT_ARRAY_SIZE(dbt_ops)];
static int buckets_built;
_Static_assert(RT_ARRAY_SIZE(dbt_ops) < 256, "row numbers fit a byte");

/* Every bucket row k belongs to: one, or eight when its mask leaves funct3 free. */
static void row_buckets(size_t k, void (*visit)(uint32_t key, size_t k))
{
	uint32_t opcode = dbt_ops[k].match & 0x7f;
	if (dbt_ops[k].mask & 0x7000) {
		visit(opcode | (dbt_ops[k].match >> 5 & 0x380), k);
		return;
	}
	for (uint32_t f3 = 0; f3 < 8; f3++)
		visit(opcode | f3 << 7, k);
}

static void count_row(uint32_t key, size_t k)
{
	(void)k;
	bucket_first[key + 1]++;
}

static uint16_t bucket_fill[BUCKETS];

static void place_row(uint32_t key, size_t k)
{
	bucket_rows[bucket_fill[key]++] = (uint8_t)k;
}

/* A counting sort: rows stay in table order within a bucket (first match wins). */
static void build_buckets(void)
{
	for (size_t k = 0; k < RT_ARRAY_SIZE(dbt_ops); k++)
		row_buckets(k, count_row);
	for (uint32_t key = 0; key < BUCKETS; key++) {
		bucket_first[key + 1] = (uint16_t)(bucket_first[key + 1] + bucket_first[key]);
		bucket_fill[key] = bucket_first[key];
	}
	for (size_t k = 0; k < RT_ARRAY_SIZE(dbt_ops); k++)
		row_buckets(k, place_row);
	buckets_built = 1;
}

const struct dbt_op *dbt_decode(struct dbt_insn *in)
{
	uint32_t w = in->word;
	if (!buckets_built)
		build_buckets();
	in->op = NULL;
	uint32_t key = BUCKET_OF(w);
	for (unsigned k = bucket_first[key]; k < bucket_first[key + 1]; k++) {
		const struct dbt_op *op = &dbt_ops[bucket_rows[k]];
		if ((w & op->mask) != op->match)
			continue;
		in->op = op;
		in->rd = (w >> 7) & 0x1f;
		in->rs1 = (w >> 15) & 0x1f;
		in->rs2 = (w >> 20) & 0x1f;
		in->imm = immediate(op->fmt, w);
		break;
	}
	return in->op;
}
