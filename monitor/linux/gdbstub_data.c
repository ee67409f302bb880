/*
 * gdbstub_data.c - the packets that read or write the stopped guest and are
 * answered at once: registers (g G p P), memory (m M X) and the objects of
 * qXfer (the target description, the auxiliary vector).
 */
#include "gdbstub.h"
#include "lx.h"

/* Owned by the single guest thread, like the rest of the stub. */
static char reply[GDB_PACKET_MAX + 1];
static uint8_t data[GDB_PACKET_MAX]; /* memory on its way to or from the debugger */

void gdb_reply_error(void)
{
	gdb_packet_send_str("E0e"); /* EFAULT: the protocol leaves the number to the stub */
}

void gdb_cmd_read_registers(const struct dbt_cpu *cpu)
{
	uint8_t bytes[8];
	size_t n = 0;

	for (unsigned r = 0; r < GDB_G_REGS; r++) {
		unsigned size = gdb_reg_get(cpu, r, bytes);
		gdb_hex_encode(reply + n, bytes, size);
		n += 2 * size;
	}
	gdb_packet_send(reply, n);
}

void gdb_cmd_write_registers(struct dbt_cpu *cpu, const char *hex)
{
	size_t have = strlen(hex);
	uint8_t bytes[8];

	for (unsigned r = 0; r < GDB_G_REGS && have >= 16; r++, hex += 16, have -= 16) {
		if (gdb_hex_decode(bytes, hex, 8) || gdb_reg_set(cpu, r, bytes, 8)) {
			gdb_reply_error();
			return;
		}
	}
	gdb_packet_send_str("OK");
}

void gdb_cmd_read_register(const struct dbt_cpu *cpu, const char *p)
{
	uint64_t regno;
	uint8_t bytes[8];
	unsigned size;

	if (gdb_parse_hex(&p, &regno) || regno > 0xffff ||
	    !(size = gdb_reg_get(cpu, (unsigned)regno, bytes))) {
		gdb_reply_error();
		return;
	}
	gdb_hex_encode(reply, bytes, size);
	gdb_packet_send(reply, 2 * size);
}

void gdb_cmd_write_register(struct dbt_cpu *cpu, const char *p)
{
	uint64_t regno;
	uint8_t bytes[8];
	size_t size;

	if (gdb_parse_hex(&p, &regno) || *p++ != '=' || regno > 0xffff) {
		gdb_reply_error();
		return;
	}
	size = strlen(p) / 2;
	if (size > sizeof(bytes) || gdb_hex_decode(bytes, p, size) ||
	    gdb_reg_set(cpu, (unsigned)regno, bytes, size)) {
		gdb_reply_error();
		return;
	}
	gdb_packet_send_str("OK");
}

/* "addr,len" then the separator sep (0: the end of the packet). */
static int parse_range(const char **p, char sep, uint64_t *addr, uint64_t *len)
{
	if (gdb_parse_hex(p, addr) || *(*p)++ != ',' || gdb_parse_hex(p, len))
		return -1;
	if (sep ? *(*p)++ != sep : **p != 0)
		return -1;
	return 0;
}

void gdb_cmd_read_memory(const char *p)
{
	uint64_t addr, len;
	size_t got;

	if (parse_range(&p, 0, &addr, &len)) {
		gdb_reply_error();
		return;
	}
	if (len > GDB_PACKET_MAX / 2)
		len = GDB_PACKET_MAX / 2; /* a short reply is allowed: GDB asks for the rest */
	got = gdb_mem_read(addr, data, (size_t)len);
	if (!got && len) {
		gdb_reply_error();
		return;
	}
	gdb_hex_encode(reply, data, got);
	gdb_packet_send(reply, 2 * got);
}

/* M (hex data) and X (binary data, '}'-escaped). */
void gdb_cmd_write_memory(const char *p, const char *end, int binary)
{
	uint64_t addr, len;
	size_t n = 0;

	if (parse_range(&p, ':', &addr, &len) || len > sizeof(data)) {
		gdb_reply_error();
		return;
	}
	if (binary) {
		while (p < end && n < len) {
			char c = *p++;
			if (c == '}' && p < end)
				c = *p++ ^ 0x20;
			data[n++] = (uint8_t)c;
		}
	} else if ((size_t)(end - p) >= 2 * len && !gdb_hex_decode(data, p, (size_t)len)) {
		n = (size_t)len;
	}
	if (n != len || gdb_mem_write(addr, data, n)) {
		gdb_reply_error();
		return;
	}
	gdb_packet_send_str("OK");
}

/* qXfer:OBJECT:read:ANNEX:offset,length: 'm' and a piece, or 'l' and the last. */
void gdb_cmd_xfer_read(const char *p)
{
	static const char features[] = "features:read:target.xml:", auxv[] = "auxv:read::";
	const char *object;
	uint64_t offset, len;
	size_t size;

	if (!strncmp(p, features, sizeof(features) - 1)) {
		object = gdb_target_xml(&size);
		p += sizeof(features) - 1;
	} else if (!strncmp(p, auxv, sizeof(auxv) - 1)) {
		object = gdb_auxv(&size);
		p += sizeof(auxv) - 1;
	} else {
		gdb_packet_send_str("");
		return;
	}
	if (parse_range(&p, 0, &offset, &len)) {
		gdb_reply_error();
		return;
	}
	if (offset > size)
		offset = size;
	/* Escapes can double a byte: keep the framed reply within PacketSize. */
	if (len > GDB_PACKET_MAX / 2 - 1)
		len = GDB_PACKET_MAX / 2 - 1;
	if (len > size - offset)
		len = size - offset;
	reply[0] = offset + len < size ? 'm' : 'l';
	memcpy(reply + 1, object + offset, (size_t)len);
	gdb_packet_send(reply, 1 + (size_t)len);
}
