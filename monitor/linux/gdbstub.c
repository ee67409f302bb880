/*
 * gdbstub.c - -g: the guest program under a debugger, through GDB's remote
 * protocol (GDB manual, appendix E).  The guest runs one instruction per
 * dbt_run() (DBT_MODE_STEP); after each, the stub checks its breakpoints
 * (a set of pcs: guest memory is never patched), a pending single step, and
 * every few thousand steps an interrupt from the debugger.  A fault stops
 * the guest before its signal is delivered; the debugger decides whether it
 * is.  All-stop, one thread, no watchpoints.
 */
#include "gdbstub.h"
#include "lx.h"

#define MAX_BREAKPOINTS 64
/*
 * Steps between polls for the debugger's interrupt byte: a poll is a host
 * call (a VM exit on kvm, 7.5 us on an emulated host), a step costs about
 * as much on kvm and far less on proc, so this keeps polling a small share
 * while Ctrl-C still answers within a few milliseconds.
 */
#define POLL_INTERVAL 4096
#define GDB_SIGNAL_UNKNOWN 143

/* What the debugger asked for when it let the guest go. */
enum resume { RESUME_CONTINUE, RESUME_STEP };

/* Owned by the single guest thread. */
static struct {
	int attached;	     /* a debugger is in control */
	int stepping;	     /* resumed with a step: stop after one instruction */
	int resume_signal;   /* Linux signal to deliver on resume, 0 = none */
	int stop_signal;     /* Linux signal of the last stop, for '?' */
	int stop_breakpoint; /* ... and whether a breakpoint made it */
	int swbreak;	     /* the debugger takes "swbreak" stop reasons */
	unsigned countdown;  /* steps left until the next interrupt poll */
	unsigned nbreak;
	uint64_t breakpoints[MAX_BREAKPOINTS];
	char packet[GDB_PACKET_MAX + 1];
} gdb;

/*
 * Linux signal n is GDB's from_linux[n] (GDB's include/gdb/signals.def
 * numbers its own signals; the protocol carries those).  0 = no GDB twin.
 */
static const uint8_t from_linux[32] = {
    [LX_SIGHUP] = 1,	 [LX_SIGINT] = 2,   [LX_SIGQUIT] = 3,	[LX_SIGILL] = 4,
    [LX_SIGTRAP] = 5,	 [LX_SIGABRT] = 6,  [LX_SIGBUS] = 10,	[LX_SIGFPE] = 8,
    [LX_SIGKILL] = 9,	 [LX_SIGUSR1] = 30, [LX_SIGSEGV] = 11,	[LX_SIGUSR2] = 31,
    [LX_SIGPIPE] = 13,	 [LX_SIGALRM] = 14, [LX_SIGTERM] = 15,	[LX_SIGCHLD] = 20,
    [LX_SIGCONT] = 19,	 [LX_SIGSTOP] = 17, [LX_SIGTSTP] = 18,	[LX_SIGTTIN] = 21,
    [LX_SIGTTOU] = 22,	 [LX_SIGURG] = 16,  [LX_SIGXCPU] = 24,	[LX_SIGXFSZ] = 25,
    [LX_SIGVTALRM] = 26, [LX_SIGPROF] = 27, [LX_SIGWINCH] = 28, [LX_SIGIO] = 23,
    [LX_SIGPWR] = 32,	 [LX_SIGSYS] = 12,
};
/* GDB numbers its real-time signals 33..63 from 45, 32 as 77 and 64 as 78. */
#define GDB_SIGNAL_REALTIME_33 45
#define GDB_SIGNAL_REALTIME_32 77
#define GDB_SIGNAL_REALTIME_64 78

static unsigned signal_to_gdb(int sig)
{
	if (sig > 0 && sig < 32 && from_linux[sig])
		return from_linux[sig];
	if (sig == 32)
		return GDB_SIGNAL_REALTIME_32;
	if (sig > 32 && sig < 64)
		return GDB_SIGNAL_REALTIME_33 + (unsigned)(sig - 33);
	if (sig == 64)
		return GDB_SIGNAL_REALTIME_64;
	return GDB_SIGNAL_UNKNOWN;
}

/* 0 when GDB's signal has no Linux number (or is GDB's "no signal"). */
static int signal_from_gdb(uint64_t g)
{
	for (int sig = 1; sig < 32; sig++)
		if (from_linux[sig] == g)
			return sig;
	if (g == GDB_SIGNAL_REALTIME_32)
		return 32;
	if (g >= GDB_SIGNAL_REALTIME_33 && g < GDB_SIGNAL_REALTIME_33 + 31)
		return 33 + (int)(g - GDB_SIGNAL_REALTIME_33);
	if (g == GDB_SIGNAL_REALTIME_64)
		return 64;
	return 0;
}

static unsigned thread_id(void)
{
	return lx_proc.start->pid;
}

static void send_stop_reply(void)
{
	char buf[64];

	rt_snprintf(buf, sizeof(buf), "T%02x%sthread:%x;", signal_to_gdb(gdb.stop_signal),
		    gdb.stop_breakpoint && gdb.swbreak ? "swbreak:;" : "", thread_id());
	gdb_packet_send_str(buf);
}

static int breakpoint_index(uint64_t pc)
{
	for (unsigned i = 0; i < gdb.nbreak; i++)
		if (gdb.breakpoints[i] == pc)
			return (int)i;
	return -1;
}

/* Z0/Z1 (software, hardware: the same here) and their z removal. */
static void breakpoint_packet(const char *p, int insert)
{
	uint64_t type, addr;
	int i;

	if (gdb_parse_hex(&p, &type) || *p++ != ',' || gdb_parse_hex(&p, &addr)) {
		gdb_reply_error();
		return;
	}
	if (type > 1) {
		gdb_packet_send_str(""); /* watchpoints: not offered */
		return;
	}
	i = breakpoint_index(addr);
	if (insert && i < 0) {
		if (gdb.nbreak == MAX_BREAKPOINTS) {
			gdb_reply_error();
			return;
		}
		gdb.breakpoints[gdb.nbreak++] = addr;
	} else if (!insert && i >= 0) {
		gdb.breakpoints[i] = gdb.breakpoints[--gdb.nbreak];
	}
	gdb_packet_send_str("OK");
}

static void query(const char *p)
{
	char buf[128];

	if (!strncmp(p, "qSupported", 10)) {
		gdb.swbreak = 0;
		for (const char *s = p; *s; s++)
			if (!strncmp(s, "swbreak+", 8))
				gdb.swbreak = 1;
		rt_snprintf(buf, sizeof(buf),
			    "PacketSize=%x;qXfer:features:read+;qXfer:auxv:read+;"
			    "QStartNoAckMode+%s",
			    GDB_PACKET_MAX, gdb.swbreak ? ";swbreak+" : "");
		gdb_packet_send_str(buf);
	} else if (!strncmp(p, "qXfer:", 6)) {
		gdb_cmd_xfer_read(p + 6);
	} else if (!strcmp(p, "qfThreadInfo")) {
		rt_snprintf(buf, sizeof(buf), "m%x", thread_id());
		gdb_packet_send_str(buf);
	} else if (!strcmp(p, "qsThreadInfo")) {
		gdb_packet_send_str("l");
	} else if (!strcmp(p, "qC")) {
		rt_snprintf(buf, sizeof(buf), "QC%x", thread_id());
		gdb_packet_send_str(buf);
	} else if (!strncmp(p, "qAttached", 9)) {
		gdb_packet_send_str("1"); /* as qemu-user: quitting the debugger detaches */
	} else if (!strncmp(p, "qSymbol", 7)) {
		gdb_packet_send_str("OK");
	} else if (!strcmp(p, "QStartNoAckMode")) {
		gdb_packet_send_str("OK");
		gdb_packet_no_ack();
	} else {
		gdb_packet_send_str("");
	}
}

/* The end of the debugger's control: the guest runs on at full speed. */
static void detach(void)
{
	gdb.attached = 0;
	gdb.nbreak = 0;
	gdb.stepping = 0;
	dbt_set_mode(dbt_mode & ~DBT_MODE_STEP);
}

/* c/s [addr], C/S sig[;addr]: set the resume action, and pc if given. */
static enum resume resume_packet(struct dbt_cpu *cpu, const char *p)
{
	char kind = *p++;
	uint64_t v;

	if (kind == 'C' || kind == 'S') {
		if (!gdb_parse_hex(&p, &v))
			gdb.resume_signal = signal_from_gdb(v);
		if (*p == ';')
			p++;
	}
	if (!gdb_parse_hex(&p, &v))
		cpu->pc = v;
	return kind == 's' || kind == 'S' ? RESUME_STEP : RESUME_CONTINUE;
}

/*
 * vCont;action[:thread]...: one thread, so the first action that names it
 * (or names none) is the one.
 */
static int vcont(const char *p, enum resume *how)
{
	while (*p == ';') {
		char kind = *++p;
		uint64_t v;

		p++;
		if (kind == 'C' || kind == 'S') {
			if (gdb_parse_hex(&p, &v))
				return -1;
			gdb.resume_signal = signal_from_gdb(v);
		} else if (kind != 'c' && kind != 's') {
			return -1;
		}
		if (*p == ':') {
			p++;
			if (*p == '-') /* -1: every thread */
				p += 2;
			else if (gdb_parse_hex(&p, &v))
				return -1;
		}
		*how = kind == 's' || kind == 'S' ? RESUME_STEP : RESUME_CONTINUE;
		return 0;
	}
	return -1;
}

static _Noreturn void kill_guest(void)
{
	detach();
	lx_exit_signal(LX_SIGKILL);
}

/*
 * Answer the debugger until it resumes the guest (or detaches, or goes
 * away, which detaches as well).
 */
static void serve(struct dbt_cpu *cpu)
{
	enum resume how;
	long n;

	gdb.resume_signal = 0;
	for (;;) {
		n = gdb_packet_recv(gdb.packet);
		if (n == GDB_RECV_GONE) {
			detach();
			return;
		}
		const char *p = gdb.packet;
		switch (*p) {
		case '?':
			send_stop_reply();
			break;
		case 'g':
			gdb_cmd_read_registers(cpu);
			break;
		case 'G':
			gdb_cmd_write_registers(cpu, p + 1);
			break;
		case 'p':
			gdb_cmd_read_register(cpu, p + 1);
			break;
		case 'P':
			gdb_cmd_write_register(cpu, p + 1);
			break;
		case 'm':
			gdb_cmd_read_memory(p + 1);
			break;
		case 'M':
		case 'X':
			gdb_cmd_write_memory(p + 1, gdb.packet + n, *p == 'X');
			break;
		case 'Z':
		case 'z':
			breakpoint_packet(p + 1, *p == 'Z');
			break;
		case 'c':
		case 'C':
		case 's':
		case 'S':
			gdb.stepping = resume_packet(cpu, p) == RESUME_STEP;
			return;
		case 'H':
		case 'T':
			gdb_packet_send_str("OK"); /* the one thread is every thread */
			break;
		case 'D':
			gdb_packet_send_str("OK");
			detach();
			return;
		case 'k':
			kill_guest();
		case 'q':
		case 'Q':
			query(p);
			break;
		case 'v':
			if (!strcmp(p, "vCont?")) {
				gdb_packet_send_str("vCont;c;C;s;S");
			} else if (!strncmp(p, "vCont;", 6)) {
				if (vcont(p + 5, &how) == 0) {
					gdb.stepping = how == RESUME_STEP;
					return;
				}
				gdb_reply_error();
			} else if (!strncmp(p, "vKill", 5)) {
				gdb_packet_send_str("OK");
				kill_guest();
			} else {
				/* vMustReplyEmpty, and all we do not offer */
				gdb_packet_send_str("");
			}
			break;
		default:
			gdb_packet_send_str("");
			break;
		}
	}
}

/* The guest stopped by sig: tell the debugger, then take its orders. */
static void stop(struct dbt_cpu *cpu, int sig, int at_breakpoint)
{
	gdb.stepping = 0;
	gdb.stop_signal = sig;
	gdb.stop_breakpoint = at_breakpoint;
	send_stop_reply();
	serve(cpu);
}

/* A signal the debugger asked for when it resumed a stop that was not a fault. */
static void deliver_resume_signal(struct dbt_cpu *cpu)
{
	int sig = gdb.resume_signal;

	gdb.resume_signal = 0;
	if (sig) {
		lx_signal_raise(sig, LX_SI_USER);
		lx_signal_dispatch(cpu);
	}
}

void lx_gdb_start(struct dbt_cpu *cpu)
{
	gdb.attached = 1;
	gdb.countdown = POLL_INTERVAL;
	gdb.stop_signal = LX_SIGTRAP;
	gdb_auxv_capture(cpu->x[2]);
	dbt_set_mode(dbt_mode | DBT_MODE_STEP);
	serve(cpu);
	if (gdb.attached)
		deliver_resume_signal(cpu);
}

void lx_gdb_step(struct dbt_cpu *cpu)
{
	int at_breakpoint;

	if (!gdb.attached)
		return;
	at_breakpoint = gdb.nbreak && breakpoint_index(cpu->pc) >= 0;
	if (gdb.stepping || at_breakpoint) {
		stop(cpu, LX_SIGTRAP, at_breakpoint);
	} else if (--gdb.countdown == 0) {
		gdb.countdown = POLL_INTERVAL;
		switch (gdb_packet_interrupted()) {
		case 1:
			stop(cpu, LX_SIGINT, 0);
			break;
		case -1:
			detach();
			return;
		}
	}
	if (gdb.attached)
		deliver_resume_signal(cpu);
}

int lx_gdb_fault(struct dbt_cpu *cpu, int why)
{
	int sig, chosen;

	if (!gdb.attached)
		return 1;
	switch (why) {
	case DBT_EXIT_EBREAK:
		sig = LX_SIGTRAP;
		break;
	case DBT_EXIT_ILLEGAL:
		sig = LX_SIGILL;
		break;
	case DBT_EXIT_FAULT:
		sig = cpu->fault_access & DBT_ACCESS_MISALIGNED ? LX_SIGBUS : LX_SIGSEGV;
		break;
	case DBT_EXIT_FETCH_FAULT:
		sig = LX_SIGSEGV;
		break;
	default:
		return 1;
	}
	stop(cpu, sig, 0);
	chosen = gdb.resume_signal;
	if (!gdb.attached)
		return 1; /* the debugger went away: the fault goes on as without it */
	if (chosen == sig) {
		gdb.resume_signal = 0;
		return 1;
	}
	deliver_resume_signal(cpu);
	return 0;
}

void lx_gdb_exit(int status, int sig)
{
	char buf[16];

	if (!gdb.attached)
		return;
	if (sig)
		rt_snprintf(buf, sizeof(buf), "X%02x", signal_to_gdb(sig));
	else
		rt_snprintf(buf, sizeof(buf), "W%02x", status & 0xff);
	gdb_packet_send_str(buf);
	gdb.attached = 0;
}
