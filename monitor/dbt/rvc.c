/*
 * rvc.c - RV64C expansion.  Field layouts follow the RVC instruction formats
 * (CIW, CL, CS, CI, CSS, CB, CJ, CR, CA) of the ISA manual's "C" chapter; the
 * expansions are the ones the manual gives for each instruction.
 */
#include "rvc.h"

enum {
	OP_LOAD = 0x03,
	OP_LOAD_FP = 0x07,
	OP_IMM = 0x13,
	OP_IMM_32 = 0x1b,
	OP_STORE = 0x23,
	OP_STORE_FP = 0x27,
	OP_REG = 0x33,
	OP_LUI = 0x37,
	OP_REG_32 = 0x3b,
	OP_BRANCH = 0x63,
	OP_JALR = 0x67,
	OP_JAL = 0x6f,
	OP_SYSTEM = 0x73,
};

#define REG_RA 1
#define REG_SP 2
#define INSN_EBREAK 0x00100073u

/* Bits [hi:lo] of x, moved so that bit lo lands on bit `to`. */
static inline uint32_t bits(uint32_t x, int hi, int lo, int to)
{
	return ((x >> lo) & ((1u << (hi - lo + 1)) - 1)) << to;
}

/* Sign-extend the low `width` bits of x. */
static inline int32_t sext(uint32_t x, int width)
{
	return (int32_t)(x << (32 - width)) >> (32 - width);
}

static uint32_t enc_i(int opc, int f3, int rd, int rs1, int32_t imm)
{
	return ((uint32_t)imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}

static uint32_t enc_s(int opc, int f3, int rs1, int rs2, int32_t imm)
{
	uint32_t u = (uint32_t)imm;
	return bits(u, 11, 5, 25) | rs2 << 20 | rs1 << 15 | f3 << 12 | bits(u, 4, 0, 7) | opc;
}

static uint32_t enc_r(int opc, int f3, int f7, int rd, int rs1, int rs2)
{
	return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}

static uint32_t enc_b(int f3, int rs1, int rs2, int32_t imm)
{
	uint32_t u = (uint32_t)imm;
	return bits(u, 12, 12, 31) | bits(u, 10, 5, 25) | rs2 << 20 | rs1 << 15 | f3 << 12 |
	       bits(u, 4, 1, 8) | bits(u, 11, 11, 7) | OP_BRANCH;
}

static uint32_t enc_j(int rd, int32_t imm)
{
	uint32_t u = (uint32_t)imm;
	return bits(u, 20, 20, 31) | bits(u, 10, 1, 21) | bits(u, 11, 11, 20) |
	       bits(u, 19, 12, 12) | rd << 7 | OP_JAL;
}

/* The three-bit register fields of CIW/CL/CS/CA/CB name x8..x15 (f8..f15). */
static inline int creg(uint32_t insn, int lo)
{
	return 8 + ((insn >> lo) & 7);
}

/* CL/CS offsets: word (uimm[5:3]=12:10, [2]=6, [6]=5), doubleword ([5:3], [7:6]=6:5). */
static inline int32_t cl_w_offset(uint32_t c)
{
	return bits(c, 12, 10, 3) | bits(c, 6, 6, 2) | bits(c, 5, 5, 6);
}

static inline int32_t cl_d_offset(uint32_t c)
{
	return bits(c, 12, 10, 3) | bits(c, 6, 5, 6);
}

/* CI immediate: imm[5]=12, imm[4:0]=6:2, sign-extended. */
static inline int32_t ci_imm(uint32_t c)
{
	return sext(bits(c, 12, 12, 5) | bits(c, 6, 2, 0), 6);
}

/* The same field unsigned: shift amounts, and c.lui's nonzero test. */
static inline uint32_t ci_uimm(uint32_t c)
{
	return bits(c, 12, 12, 5) | bits(c, 6, 2, 0);
}

static uint32_t quadrant0(uint32_t c)
{
	int rd = creg(c, 2), rs1 = creg(c, 7);

	switch (c >> 13) {
	case 0: { /* c.addi4spn: nzuimm[5:4|9:6|2|3] */
		int32_t imm =
		    bits(c, 12, 11, 4) | bits(c, 10, 7, 6) | bits(c, 6, 6, 2) | bits(c, 5, 5, 3);
		return imm ? enc_i(OP_IMM, 0, rd, REG_SP, imm) : 0;
	}
	case 1:
		return enc_i(OP_LOAD_FP, 3, rd, rs1, cl_d_offset(c)); /* c.fld */
	case 2:
		return enc_i(OP_LOAD, 2, rd, rs1, cl_w_offset(c)); /* c.lw */
	case 3:
		return enc_i(OP_LOAD, 3, rd, rs1, cl_d_offset(c)); /* c.ld */
	case 5:
		return enc_s(OP_STORE_FP, 3, rs1, rd, cl_d_offset(c)); /* c.fsd */
	case 6:
		return enc_s(OP_STORE, 2, rs1, rd, cl_w_offset(c)); /* c.sw */
	case 7:
		return enc_s(OP_STORE, 3, rs1, rd, cl_d_offset(c)); /* c.sd */
	default:
		return 0;
	}
}

static uint32_t misc_alu(uint32_t c)
{
	int rd = creg(c, 7), rs2 = creg(c, 2);
	/* funct2 of CA: sub, xor, or, and (bit 12 clear); subw, addw (bit 12 set). */
	static const uint8_t f3[4] = {0, 4, 6, 7};
	int op = (c >> 5) & 3;

	switch ((c >> 10) & 3) {
	case 0:
		return enc_i(OP_IMM, 5, rd, rd, ci_uimm(c)); /* c.srli */
	case 1:
		return enc_i(OP_IMM, 5, rd, rd, 0x400 | ci_uimm(c)); /* c.srai */
	case 2:
		return enc_i(OP_IMM, 7, rd, rd, ci_imm(c)); /* c.andi */
	default:
		if (!(c & 0x1000))
			return enc_r(OP_REG, f3[op], op == 0 ? 0x20 : 0, rd, rd, rs2);
		if (op >= 2)
			return 0;
		return enc_r(OP_REG_32, 0, op == 0 ? 0x20 : 0, rd, rd, rs2); /* c.subw, c.addw */
	}
}

static uint32_t quadrant1(uint32_t c)
{
	int rd = bits(c, 11, 7, 0);

	switch (c >> 13) {
	case 0:
		return enc_i(OP_IMM, 0, rd, rd, ci_imm(c)); /* c.addi, c.nop */
	case 1:
		return rd ? enc_i(OP_IMM_32, 0, rd, rd, ci_imm(c)) : 0; /* c.addiw */
	case 2:
		return enc_i(OP_IMM, 0, rd, 0, ci_imm(c)); /* c.li */
	case 3:
		if (rd == REG_SP) { /* c.addi16sp: nzimm[9|4|6|8:7|5] */
			int32_t imm =
			    sext(bits(c, 12, 12, 9) | bits(c, 6, 6, 4) | bits(c, 5, 5, 6) |
				     bits(c, 4, 3, 7) | bits(c, 2, 2, 5),
				 10);
			return imm ? enc_i(OP_IMM, 0, REG_SP, REG_SP, imm) : 0;
		}
		/* c.lui: nzimm[17|16:12] lands in lui's imm[31:12], sign-extended; 0 is reserved.
		 */
		if (!ci_uimm(c))
			return 0;
		return ((uint32_t)ci_imm(c) << 12) | rd << 7 | OP_LUI;
	case 4:
		return misc_alu(c);
	case 5: /* c.j: imm[11|4|9:8|10|6|7|3:1|5] */
		return enc_j(0, sext(bits(c, 12, 12, 11) | bits(c, 11, 11, 4) | bits(c, 10, 9, 8) |
					 bits(c, 8, 8, 10) | bits(c, 7, 7, 6) | bits(c, 6, 6, 7) |
					 bits(c, 5, 3, 1) | bits(c, 2, 2, 5),
				     12));
	default: { /* c.beqz, c.bnez: imm[8|4:3] = 12:10, imm[7:6|2:1|5] = 6:2 */
		int32_t imm = sext(bits(c, 12, 12, 8) | bits(c, 11, 10, 3) | bits(c, 6, 5, 6) |
				       bits(c, 4, 3, 1) | bits(c, 2, 2, 5),
				   9);
		return enc_b((c >> 13) == 6 ? 0 : 1, creg(c, 7), 0, imm);
	}
	}
}

static uint32_t quadrant2(uint32_t c)
{
	int rd = bits(c, 11, 7, 0), rs2 = bits(c, 6, 2, 0);
	/* CI stack loads: word uimm[5|4:2|7:6], doubleword uimm[5|4:3|8:6]. */
	int32_t lw_off = bits(c, 12, 12, 5) | bits(c, 6, 4, 2) | bits(c, 3, 2, 6);
	int32_t ld_off = bits(c, 12, 12, 5) | bits(c, 6, 5, 3) | bits(c, 4, 2, 6);
	/* CSS stack stores: word uimm[5:2|7:6], doubleword uimm[5:3|8:6]. */
	int32_t sw_off = bits(c, 12, 9, 2) | bits(c, 8, 7, 6);
	int32_t sd_off = bits(c, 12, 10, 3) | bits(c, 9, 7, 6);

	switch (c >> 13) {
	case 0:
		return enc_i(OP_IMM, 1, rd, rd, ci_uimm(c)); /* c.slli */
	case 1:
		return enc_i(OP_LOAD_FP, 3, rd, REG_SP, ld_off); /* c.fldsp */
	case 2:
		return rd ? enc_i(OP_LOAD, 2, rd, REG_SP, lw_off) : 0; /* c.lwsp */
	case 3:
		return rd ? enc_i(OP_LOAD, 3, rd, REG_SP, ld_off) : 0; /* c.ldsp */
	case 4:
		if (!(c & 0x1000)) {
			if (rs2)
				return enc_r(OP_REG, 0, 0, rd, 0, rs2); /* c.mv */
			return rd ? enc_i(OP_JALR, 0, 0, rd, 0) : 0;	/* c.jr */
		}
		if (rs2)
			return enc_r(OP_REG, 0, 0, rd, rd, rs2);	    /* c.add */
		return rd ? enc_i(OP_JALR, 0, REG_RA, rd, 0) : INSN_EBREAK; /* c.jalr */
	case 5:
		return enc_s(OP_STORE_FP, 3, REG_SP, rs2, sd_off); /* c.fsdsp */
	case 6:
		return enc_s(OP_STORE, 2, REG_SP, rs2, sw_off); /* c.swsp */
	default:
		return enc_s(OP_STORE, 3, REG_SP, rs2, sd_off); /* c.sdsp */
	}
}

uint32_t rvc_expand(uint16_t insn)
{
	switch (insn & 3) {
	case 0:
		return quadrant0(insn);
	case 1:
		return quadrant1(insn);
	case 2:
		return quadrant2(insn);
	default:
		return 0;
	}
}
