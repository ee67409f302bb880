/*
 * gdbstub_packet.c - the GDB remote protocol's framing (GDB manual E.1,
 * "Overview"): `$payload#xx` with xx the payload's byte sum modulo 256,
 * '+'/'-' acknowledgements until QStartNoAckMode, '}' escapes for the
 * bytes `$ # } *`, and a bare 0x03 to interrupt a running target.  Bytes
 * move through the launcher with HC_GDB_RECV and HC_GDB_SEND.
 */
#include "gdbstub.h"
#include "lx.h"

#define ESCAPE '}'
#define INTERRUPT 0x03
/* Receive in chunks: a packet usually arrives whole in one host call. */
#define RX_SIZE 1024

/* All of it owned by the single guest thread, the only one that talks to the debugger. */
static uint8_t rx[RX_SIZE];
static size_t rx_pos, rx_len;
static char tx[2 * GDB_PACKET_MAX + 4]; /* the last frame sent, for a '-' */
static size_t tx_len;
static int no_ack;
static int gone; /* the debugger closed the connection, or it failed */

/* More bytes into rx; 1 when some came, 0 when none were waiting (nonblock). */
static int fill(int nonblock)
{
	int64_t arg[6] = {nonblock};
	struct plat_iov iov = {rx, sizeof(rx)};
	long n;

	if (gone)
		return 0;
	n = plat_hostcall(HC_GDB_RECV, arg, &iov, 1);
	if (n == -LX_EAGAIN && nonblock)
		return 0;
	if (n <= 0) {
		gone = 1;
		return 0;
	}
	rx_pos = 0;
	rx_len = (size_t)n;
	return 1;
}

/* The next byte from the debugger, waiting for it; -1 when it is gone. */
static int next_byte(void)
{
	if (rx_pos == rx_len && !fill(0))
		return -1;
	return rx[rx_pos++];
}

static void send_raw(const void *bytes, size_t len)
{
	int64_t arg[6] = {0};
	struct plat_iov iov = {(void *)bytes, len};

	if (!gone && plat_hostcall(HC_GDB_SEND, arg, &iov, 1) != (long)len)
		gone = 1;
}

char gdb_hex_digit(unsigned v)
{
	return "0123456789abcdef"[v & 15];
}

int gdb_hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int gdb_parse_hex(const char **p, uint64_t *value)
{
	const char *s = *p;
	uint64_t v = 0;
	int d;

	if (gdb_hex_value(*s) < 0)
		return -1;
	while ((d = gdb_hex_value(*s)) >= 0) {
		v = (v << 4) | (uint64_t)d;
		s++;
	}
	*p = s;
	*value = v;
	return 0;
}

void gdb_hex_encode(char *out, const void *bytes, size_t len)
{
	const uint8_t *b = bytes;

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = gdb_hex_digit(b[i] >> 4);
		out[2 * i + 1] = gdb_hex_digit(b[i]);
	}
}

int gdb_hex_decode(void *bytes, const char *hex, size_t len)
{
	uint8_t *b = bytes;

	for (size_t i = 0; i < len; i++) {
		int hi = gdb_hex_value(hex[2 * i]),
		    lo = hi < 0 ? -1 : gdb_hex_value(hex[2 * i + 1]);
		if (lo < 0)
			return -1;
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

long gdb_packet_recv(char *buf)
{
	for (;;) {
		unsigned sum = 0;
		size_t n = 0;
		int c, hi, lo, overflow = 0;

		c = next_byte();
		if (c < 0)
			return GDB_RECV_GONE;
		if (c == '-' && !no_ack && tx_len) {
			send_raw(tx, tx_len);
			continue;
		}
		if (c != '$')
			continue; /* '+', an interrupt while stopped, line noise */
		while ((c = next_byte()) >= 0 && c != '#') {
			if (c == '$') { /* a fresh start: the debugger gave up on the last */
				n = sum = 0;
				overflow = 0;
				continue;
			}
			sum += (unsigned)c;
			if (n < GDB_PACKET_MAX)
				buf[n++] = (char)c;
			else
				overflow = 1;
		}
		hi = c < 0 ? -1 : next_byte();
		lo = hi < 0 ? -1 : next_byte();
		if (lo < 0)
			return GDB_RECV_GONE;
		if (overflow || gdb_hex_value((char)hi) < 0 || gdb_hex_value((char)lo) < 0 ||
		    (unsigned)(gdb_hex_value((char)hi) << 4 | gdb_hex_value((char)lo)) !=
			(sum & 0xff)) {
			if (!no_ack)
				send_raw("-", 1);
			continue;
		}
		if (!no_ack)
			send_raw("+", 1);
		buf[n] = 0;
		return (long)n;
	}
}

void gdb_packet_send(const char *payload, size_t len)
{
	unsigned sum = 0;
	size_t n = 0;

	tx[n++] = '$';
	for (size_t i = 0; i < len && n < sizeof(tx) - 4; i++) {
		char c = payload[i];
		if (c == '$' || c == '#' || c == ESCAPE || c == '*') {
			tx[n++] = ESCAPE;
			sum += ESCAPE;
			c ^= 0x20;
		}
		tx[n++] = c;
		sum += (uint8_t)c;
	}
	tx[n++] = '#';
	tx[n++] = gdb_hex_digit((sum & 0xff) >> 4);
	tx[n++] = gdb_hex_digit(sum);
	tx_len = n;
	send_raw(tx, tx_len);
}

void gdb_packet_send_str(const char *payload)
{
	gdb_packet_send(payload, strlen(payload));
}

void gdb_packet_no_ack(void)
{
	no_ack = 1;
}

int gdb_packet_interrupted(void)
{
	for (;;) {
		if (rx_pos == rx_len && !fill(1))
			return gone ? -1 : 0;
		while (rx_pos < rx_len)
			if (rx[rx_pos++] == INTERRUPT)
				return 1;
	}
}
