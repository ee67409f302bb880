/*
 * com1.c - the console under a multiboot loader: a 16550 UART at the PC's
 * COM1 address, 115200 baud 8N1, polled (the monitor runs with interrupts
 * off).  Register layout: National Semiconductor PC16550D data sheet, table II.
 */
#include "mb.h"
#include "platform/kvm/x86.h"

#define COM1_BASE 0x3f8
#define UART_THR (COM1_BASE + 0) /* transmit holding (DLAB=0) */
#define UART_DLL (COM1_BASE + 0) /* divisor latch low (DLAB=1) */
#define UART_IER (COM1_BASE + 1) /* interrupt enable (DLAB=0) */
#define UART_DLM (COM1_BASE + 1) /* divisor latch high (DLAB=1) */
#define UART_FCR (COM1_BASE + 2) /* FIFO control (write) */
#define UART_LCR (COM1_BASE + 3)
#define UART_MCR (COM1_BASE + 4)
#define UART_LSR (COM1_BASE + 5)

#define LCR_8N1 0x03
#define LCR_DLAB 0x80
#define FCR_ENABLE_CLEAR 0x07 /* enable FIFOs, clear both; trigger level irrelevant when polled */
#define MCR_DTR_RTS 0x03      /* OUT2 stays low: no interrupts reach the PIC */
#define LSR_THRE 0x20	      /* FIFO mode: the whole transmit FIFO is empty */
#define LSR_TEMT 0x40	      /* ... and the shift register too: the line is idle */

/* 1.8432 MHz crystal / 16 / 115200 = 1 */
#define BAUD_DIVISOR_115200 1

/*
 * Once THRE is set the 16-byte transmit FIFO is empty, so 16 bytes go out
 * without another status read.  Each port access is a VM exit under KVM
 * (7.5 us on an emulated host), so this halves the cost of console output
 * compared with polling before every byte.
 */
#define UART_FIFO_DEPTH 16

/* Set once by the first write; the backend has a single CPU and no interrupts. */
static int com1_ready;

static void com1_init(void)
{
	x86_outb(UART_IER, 0);
	x86_outb(UART_LCR, LCR_DLAB);
	x86_outb(UART_DLL, BAUD_DIVISOR_115200 & 0xff);
	x86_outb(UART_DLM, BAUD_DIVISOR_115200 >> 8);
	x86_outb(UART_LCR, LCR_8N1);
	x86_outb(UART_FCR, FCR_ENABLE_CLEAR);
	x86_outb(UART_MCR, MCR_DTR_RTS);
	com1_ready = 1;
}

/* A port that reads all ones has no UART behind it: write nothing rather than spin. */
static int com1_wait_empty(void)
{
	uint8_t lsr;

	do
		lsr = x86_inb(UART_LSR);
	while (!(lsr & LSR_THRE));
	return lsr != 0xff;
}

void mb_com1_write(const char *text, size_t len)
{
	unsigned room = 0;
	int present = 1;

	if (!com1_ready)
		com1_init();
	for (size_t i = 0; i < len && present; i++) {
		int crlf = text[i] == '\n';

		for (int k = 0; k <= crlf; k++) {
			if (room == 0) {
				present = com1_wait_empty();
				room = UART_FIFO_DEPTH;
			}
			x86_outb(UART_THR, k < crlf ? '\r' : (uint8_t)text[i]);
			room--;
		}
	}
}

/*
 * The last bytes may still sit in the UART when the run ends; QEMU drops them
 * if isa-debug-exit ends the process first.
 */
void mb_com1_flush(void)
{
	if (com1_ready)
		while (!(x86_inb(UART_LSR) & LSR_TEMT))
			;
}
