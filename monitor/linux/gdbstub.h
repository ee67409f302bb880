/*
 * gdbstub.h - what the files of the GDB remote stub (-g) share: the packet
 * transport (gdbstub_packet.c), the target's registers, description and
 * memory (gdbstub_target.c), the packets that read and write them
 * (gdbstub_data.c); gdbstub.c runs the protocol and the guest.
 * The protocol is GDB's "Remote Serial Protocol" (GDB manual, appendix E).
 */
#ifndef RVKVM_GDBSTUB_H
#define RVKVM_GDBSTUB_H

#include <stddef.h>
#include <stdint.h>

#include "dbt.h"

/*
 * Largest packet either side sends, payload only: advertised in qSupported
 * as PacketSize, so GDB never sends more, and every reply fits.
 */
#define GDB_PACKET_MAX 4096

/* gdbstub_packet.c ------------------------------------------------------ */

/* What gdb_packet_recv() got besides a packet. */
#define GDB_RECV_GONE (-1) /* the debugger closed the connection */

/*
 * The next packet's payload into buf (GDB_PACKET_MAX + 1 bytes, NUL-ended,
 * checksum verified and acknowledged): its length, or GDB_RECV_GONE.  An
 * interrupt byte (0x03) that arrives while the guest is stopped is dropped.
 */
long gdb_packet_recv(char *buf);

/* Send one packet (framing, checksum, escapes are added). */
void gdb_packet_send(const char *payload, size_t len);
void gdb_packet_send_str(const char *payload);

/* After the "OK" to QStartNoAckMode: no more '+'/'-' either way. */
void gdb_packet_no_ack(void);

/*
 * Whether the debugger sent the interrupt byte while the guest runs (never
 * blocks); returns -1 when the debugger is gone.
 */
int gdb_packet_interrupted(void);

/* Hex helpers: the protocol's numbers and byte strings. */
char gdb_hex_digit(unsigned v);
int gdb_hex_value(char c); /* -1 for a non-hex character */
/* A hex number at *p, advancing *p past it; -1 if there is no digit. */
int gdb_parse_hex(const char **p, uint64_t *value);
/* len bytes as 2*len hex digits (no NUL). */
void gdb_hex_encode(char *out, const void *bytes, size_t len);
/* 2*len hex digits into len bytes; -1 on a non-hex character. */
int gdb_hex_decode(void *bytes, const char *hex, size_t len);

/* gdbstub_target.c ------------------------------------------------------ */

/*
 * Register numbers of the target description, as GDB's riscv-tdep numbers
 * them: x0..x31, pc, f0..f31, then the FP CSRs at 65 + their CSR number.
 */
#define GDB_REG_PC 32
#define GDB_REG_F0 33
#define GDB_REG_FFLAGS 66
#define GDB_REG_FRM 67
#define GDB_REG_FCSR 68
/* The 'g' packet carries x0..x31 and pc; the rest come one by one ('p'). */
#define GDB_G_REGS 33

/* Register regno as target-order bytes into out (8 bytes room): its size, or 0 if none. */
unsigned gdb_reg_get(const struct dbt_cpu *cpu, unsigned regno, uint8_t out[8]);
/* Set regno from size bytes; -1 if there is no such register or size is wrong. */
int gdb_reg_set(struct dbt_cpu *cpu, unsigned regno, const uint8_t *in, size_t size);

/* The target description (qXfer:features:read:target.xml). */
const char *gdb_target_xml(size_t *len);

/*
 * Guest memory as the debugger sees it, through the guest's mappings.  Reads
 * stop at the first byte that is not readable: the count read.  Writes also
 * reach read-only mappings (as ptrace's do: that is how code is patched) and
 * keep translated code coherent; 0 or -1 when any byte is not mapped.
 */
size_t gdb_mem_read(uint64_t gva, void *dst, size_t len);
int gdb_mem_write(uint64_t gva, const void *src, size_t len);

/* The program's auxiliary vector, copied from the initial stack at sp. */
void gdb_auxv_capture(uint64_t sp);
const void *gdb_auxv(size_t *len);

/* gdbstub_data.c: packets answered at once; each sends its reply --------- */

void gdb_reply_error(void);
void gdb_cmd_read_registers(const struct dbt_cpu *cpu);		      /* g */
void gdb_cmd_write_registers(struct dbt_cpu *cpu, const char *hex);   /* G: after the 'G' */
void gdb_cmd_read_register(const struct dbt_cpu *cpu, const char *p); /* p: after the 'p' */
void gdb_cmd_write_register(struct dbt_cpu *cpu, const char *p);      /* P: after the 'P' */
void gdb_cmd_read_memory(const char *p);			      /* m: after the 'm' */
/* M (hex) or X (binary) from after the letter to end, the packet's end. */
void gdb_cmd_write_memory(const char *p, const char *end, int binary);
void gdb_cmd_xfer_read(const char *p); /* qXfer: after "qXfer:" */

#endif
