/*
 * rvc.h - the RV64C compressed instruction set, expanded to RV64G.
 */
#ifndef RVKVM_RVC_H
#define RVKVM_RVC_H

#include <stdint.h>

/*
 * The 32-bit instruction a 16-bit RV64C instruction stands for, or 0 when the
 * halfword is reserved or illegal (the ISA manual, "C" chapter, RVC opcode
 * map).  HINT encodings are legal and expand to their base forms, which are
 * no-ops.  Quadrant 3 (low bits 11) is not a compressed instruction: 0.
 */
uint32_t rvc_expand(uint16_t insn);

#endif
