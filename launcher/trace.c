/*
 * trace.c - the launcher's half of `-d` (rvkvm_abi.h, HC_TRACE): each record
 * from the monitor becomes log text in the layout qemu-riscv64 7.2 prints
 * for the same category, so the two logs read alike:
 *
 *   in_asm   "IN: func" and one line per guest instruction (libopcodes, the
 *            disassembler of GNU objdump: capstone 4 has no RISC-V)
 *   out_asm  "OUT: [size=N]" and the x86-64 code (capstone, AT&T syntax as
 *            qemu uses it)
 *   exec     "Trace 0: host [cs_base/pc/flags/cflags] func"
 *   page     "page layout changed following mmap" and the mapping table
 *   int      one line per signal acted on (qemu-riscv64 prints none)
 *
 * Records are guest-controlled input: every length is checked against the
 * buffer before use, and names are printed with control bytes replaced.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "disasm.h"
#include "trace.h"

/* Columns of qemu 7.2's logs: disas/riscv.c for guest code, disas/capstone.c for host code. */
#define IN_WORD_WIDTH 18
#define IN_FIELD_WIDTH 24
#define OUT_BYTES_PER_LINE 8

#define RECORD_MAX                                                                                 \
	(sizeof(struct rvkvm_trace_record) + RVKVM_TRACE_NAME_MAX + RVKVM_TRACE_GUEST_MAX +        \
	 RVKVM_TRACE_HOST_MAX)
#define INSN_TEXT_MAX 160

static const struct category {
	const char *name;
	uint32_t bit;
	const char *help;
} categories[] = {
    {"out_asm", RVKVM_TRACE_OUT_ASM, "show the x86-64 code made for each block translated"},
    {"in_asm", RVKVM_TRACE_IN_ASM, "show the riscv64 code of each block translated"},
    {"int", RVKVM_TRACE_INT, "show the signals acted on"},
    {"exec", RVKVM_TRACE_EXEC, "show each block as it is about to run (lots of logs)"},
    {"page", RVKVM_TRACE_PAGE, "show the memory map after loading and after each change"},
};

/*
 * Set up by trace_open() before any guest runs; then used only by the
 * thread serving host calls (records arrive one at a time, in order).
 */
static struct {
	FILE *out;
	csh capstone;
	cs_insn *insn;
	disassembler_ftype riscv;
	struct disassemble_info info;
	uint8_t record[RECORD_MAX];
} trace;

uint32_t trace_parse(const char *list)
{
	uint32_t mask = 0;
	const char *p = list;

	if (!strcmp(list, "help")) {
		printf("Log items (comma separated):\n");
		for (size_t i = 0; i < sizeof(categories) / sizeof(categories[0]); i++)
			printf("%-15s %s\n", categories[i].name, categories[i].help);
		printf("%-15s %s\n", "all", "all of the above");
		exit(0);
	}
	while (*p) {
		size_t n = strcspn(p, ",");
		uint32_t bit = 0;

		if (n == 3 && !strncmp(p, "all", 3))
			bit = RVKVM_TRACE_IN_ASM | RVKVM_TRACE_OUT_ASM | RVKVM_TRACE_EXEC |
			      RVKVM_TRACE_INT | RVKVM_TRACE_PAGE;
		for (size_t i = 0; i < sizeof(categories) / sizeof(categories[0]); i++)
			if (strlen(categories[i].name) == n && !strncmp(p, categories[i].name, n))
				bit = categories[i].bit;
		if (!bit)
			die(1, "-d %s: unknown log category '%.*s' (rvkvm -d help lists them)",
			    list, (int)n, p);
		mask |= bit;
		p += n + (p[n] == ',');
	}
	if (!mask)
		die(1, "-d '%s': no log category given (rvkvm -d help lists them)", list);
	return mask;
}

/* ---- libopcodes: its printers append to one instruction's text ---- */
struct insn_text {
	char s[INSN_TEXT_MAX];
	size_t len;
};

static int text_vadd(struct insn_text *t, const char *fmt, va_list ap)
{
	int n = vsnprintf(t->s + t->len, sizeof(t->s) - t->len, fmt, ap);

	if (n > 0)
		t->len += (size_t)n < sizeof(t->s) - t->len ? (size_t)n : sizeof(t->s) - 1 - t->len;
	return n;
}

static int text_add(void *stream, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = text_vadd(stream, fmt, ap);
	va_end(ap);
	return n;
}

static int text_add_styled(void *stream, enum disassembler_style style, const char *fmt, ...)
{
	va_list ap;
	int n;

	(void)style;
	va_start(ap, fmt);
	n = text_vadd(stream, fmt, ap);
	va_end(ap);
	return n;
}

static void print_address(bfd_vma addr, struct disassemble_info *info)
{
	info->fprintf_func(info->stream, "0x%llx", (unsigned long long)addr);
}

static void open_disassemblers(void)
{
	static const uint8_t nop_riscv[] = {0x13, 0x00, 0x00, 0x00};
	static const uint8_t nop_x86[] = {0x90};
	const uint8_t *code = nop_x86;
	size_t size = sizeof(nop_x86);
	uint64_t address = 0;
	struct insn_text text = {0};

	disasm_load();
	if (disasm.cs_open(CS_ARCH_X86, CS_MODE_64, &trace.capstone) != CS_ERR_OK ||
	    disasm.cs_option(trace.capstone, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT) != CS_ERR_OK ||
	    !(trace.insn = disasm.cs_malloc(trace.capstone)))
		die(1, "-d: capstone cannot disassemble x86-64 here");
	trace.riscv = disasm.disassembler(bfd_arch_riscv, false, bfd_mach_riscv64, NULL);
	if (!trace.riscv)
		die(1, "-d: this libopcodes has no RISC-V disassembler (install "
		       "binutils-multiarch-dev)");
	disasm.init_disassemble_info(&trace.info, &text, text_add, text_add_styled);
	trace.info.arch = bfd_arch_riscv;
	trace.info.mach = bfd_mach_riscv64;
	trace.info.endian = BFD_ENDIAN_LITTLE;
	trace.info.read_memory_func = disasm.buffer_read_memory;
	trace.info.print_address_func = print_address;
	disasm.disassemble_init_for_target(&trace.info);

	/* First use allocates the disassemblers' tables: do it before proc's sandbox closes. */
	trace.info.buffer = (bfd_byte *)nop_riscv;
	trace.info.buffer_length = sizeof(nop_riscv);
	trace.info.buffer_vma = 0;
	trace.riscv(0, &trace.info);
	disasm.cs_disasm_iter(trace.capstone, &code, &size, &address, trace.insn);
}

void trace_open(const struct launch_config *cfg)
{
	int fd;

	if (cfg->trace_file) {
		fd = open(cfg->trace_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
		if (fd < 0)
			die(1, "-D %s: %s", cfg->trace_file, strerror(errno));
	} else {
		fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 0);
		if (fd < 0)
			die(1, "-d: cannot duplicate stderr: %s", strerror(errno));
	}
	/* The log is ours, not the guest's: hidden from its descriptor numbers. */
	fd = hostcall_reserve_fd(fd, HOSTCALL_FD_HIDDEN);
	if (fd < 0)
		die(1, "-d: cannot keep the log open: %s", strerror(-fd));
	trace.out = fdopen(fd, "w");
	if (!trace.out)
		die(1, "-d: %s", strerror(errno));
	if (cfg->trace_mask & (RVKVM_TRACE_IN_ASM | RVKVM_TRACE_OUT_ASM))
		open_disassemblers();
}

/* The record's function name, fit to print: control bytes become '?'. */
static void record_name(const struct rvkvm_trace_record *rec, char out[RVKVM_TRACE_NAME_MAX + 1])
{
	const uint8_t *s = trace.record + sizeof(*rec);

	for (uint32_t i = 0; i < rec->name_len; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '?';
	out[rec->name_len] = 0;
}

/* One guest instruction as qemu's RISC-V disassembler lays it out. */
static void print_guest_insn(uint64_t pc, const uint8_t *code, uint32_t left, int *len)
{
	struct insn_text text = {0};
	uint32_t word = 0;
	char hex[IN_WORD_WIDTH + 1];

	trace.info.stream = &text;
	trace.info.buffer = (bfd_byte *)code;
	trace.info.buffer_length = left;
	trace.info.buffer_vma = pc;
	*len = trace.riscv(pc, &trace.info);
	if (*len <= 0 || (uint32_t)*len > left) {
		fprintf(trace.out, "0x%016llx:  %-*s.byte 0x%02x\n", (unsigned long long)pc,
			IN_WORD_WIDTH, "", code[0]);
		*len = left;
		return;
	}
	memcpy(&word, code, (size_t)*len < sizeof(word) ? (size_t)*len : sizeof(word));
	snprintf(hex, sizeof(hex), *len == 2 ? "%04x" : "%08x", word);

	/* libopcodes: "mnemonic\toperands[\t# comment]" */
	char *ops = strchr(text.s, '\t');
	char *comment = NULL;

	if (ops) {
		*ops++ = 0;
		comment = strchr(ops, '\t');
		if (comment)
			*comment++ = 0;
	}
	fprintf(trace.out, "0x%016llx:  %-*s%-*s", (unsigned long long)pc, IN_WORD_WIDTH, hex,
		IN_FIELD_WIDTH, text.s);
	if (comment)
		fprintf(trace.out, "%-*s%s", IN_FIELD_WIDTH, ops, comment);
	else if (ops)
		fputs(ops, trace.out);
	fputc('\n', trace.out);
}

static void print_in_asm(const struct rvkvm_trace_record *rec, const char *name,
			 const uint8_t *code)
{
	fprintf(trace.out, "----------------\nIN: %s\n", name);
	for (uint32_t off = 0; off < rec->guest_len;) {
		int len;

		print_guest_insn(rec->pc + off, code + off, rec->guest_len - off, &len);
		off += (uint32_t)len;
	}
	fputc('\n', trace.out);
}

static void print_host_bytes(uint64_t address, const uint8_t *bytes, size_t n)
{
	fprintf(trace.out, "0x%08llx: ", (unsigned long long)address);
	for (size_t i = 0; i < n; i++)
		fprintf(trace.out, " %02x", bytes[i]);
}

static void print_out_asm(const struct rvkvm_trace_record *rec, const uint8_t *code)
{
	const uint8_t *p = code;
	size_t size = rec->host_len;
	uint64_t address = rec->host;

	fprintf(trace.out, "OUT: [size=%u]\n  -- guest addr 0x%016llx\n", rec->host_len,
		(unsigned long long)rec->pc);
	while (size) {
		uint64_t at = address;

		if (!disasm.cs_disasm_iter(trace.capstone, &p, &size, &address, trace.insn)) {
			print_host_bytes(at, p, 1);
			fprintf(trace.out, "%*s  %-8s 0x%02x\n", (OUT_BYTES_PER_LINE - 1) * 3, "",
				".byte", *p);
			p++;
			size--;
			address++;
			continue;
		}
		const cs_insn *in = trace.insn;
		size_t first = in->size < OUT_BYTES_PER_LINE ? in->size : OUT_BYTES_PER_LINE;

		print_host_bytes(in->address, in->bytes, first);
		fprintf(trace.out, "%*s  %-8s %s\n", (int)(OUT_BYTES_PER_LINE - first) * 3, "",
			in->mnemonic, in->op_str);
		for (size_t i = first; i < in->size; i += OUT_BYTES_PER_LINE) {
			size_t n =
			    in->size - i < OUT_BYTES_PER_LINE ? in->size - i : OUT_BYTES_PER_LINE;

			print_host_bytes(in->address + i, in->bytes + i, n);
			fputc('\n', trace.out);
		}
	}
	fputc('\n', trace.out);
}

static const char *map_why(uint32_t why)
{
	switch (why) {
	case RVKVM_TMAP_LOAD:
		return "binary load";
	case RVKVM_TMAP_MMAP:
		return "mmap";
	case RVKVM_TMAP_MUNMAP:
		return "munmap";
	default:
		return "mprotect";
	}
}

static void print_map(const struct rvkvm_trace_record *rec, const uint8_t *data)
{
	fprintf(trace.out, "page layout changed following %s\n", map_why(rec->why));
	fprintf(trace.out, "start            end              size             prot\n");
	for (uint32_t i = 0; i < rec->count; i++) {
		struct rvkvm_trace_map e;

		memcpy(&e, data + i * sizeof(e), sizeof(e));
		fprintf(trace.out, "%016llx-%016llx %016llx %c%c%c\n", (unsigned long long)e.start,
			(unsigned long long)e.end, (unsigned long long)(e.end - e.start),
			e.prot & 1 ? 'r' : '-', e.prot & 2 ? 'w' : '-', e.prot & 4 ? 'x' : '-');
	}
	if (rec->total > rec->count)
		fprintf(trace.out, "(%u more mappings not shown)\n", rec->total - rec->count);
	if (rec->why == RVKVM_TMAP_LOAD)
		fprintf(trace.out, "entry       0x%016llx\n", (unsigned long long)rec->pc);
}

static void print_signal(const struct rvkvm_trace_record *rec, const char *name)
{
	const char *abbrev = sigabbrev_np(rec->signal);
	char what[48];

	if (rec->handler == RVKVM_TRACE_SIG_DFL)
		snprintf(what, sizeof(what), "default action");
	else if (rec->handler == RVKVM_TRACE_SIG_IGN)
		snprintf(what, sizeof(what), "ignored");
	else
		snprintf(what, sizeof(what), "handler 0x%llx", (unsigned long long)rec->handler);
	fprintf(trace.out,
		"signal %d (SIG%s) si_code=%d si_addr=0x%016llx at pc 0x%016llx%s%s%s: %s%s\n",
		rec->signal, abbrev ? abbrev : "RT", rec->code, (unsigned long long)rec->addr,
		(unsigned long long)rec->pc, *name ? " <" : "", name, *name ? ">" : "", what,
		rec->blocked ? ", blocked" : "");
}

/* The record's length must be exactly what its header announces. */
static int record_valid(const struct rvkvm_trace_record *rec, size_t len)
{
	uint64_t want = sizeof(*rec) + (uint64_t)rec->name_len;

	if (rec->name_len > RVKVM_TRACE_NAME_MAX)
		return 0;
	switch (rec->kind) {
	case RVKVM_TREC_BLOCK:
		if (rec->guest_len > RVKVM_TRACE_GUEST_MAX || rec->host_len > RVKVM_TRACE_HOST_MAX)
			return 0;
		want += (uint64_t)rec->guest_len + rec->host_len;
		break;
	case RVKVM_TREC_EXEC:
		break;
	case RVKVM_TREC_SIGNAL:
		if (rec->signal < 1 || rec->signal > 64)
			return 0;
		break;
	case RVKVM_TREC_MAP:
		if (rec->count > RVKVM_TRACE_MAP_MAX || rec->count > rec->total ||
		    rec->why > RVKVM_TMAP_MPROTECT)
			return 0;
		want += (uint64_t)rec->count * sizeof(struct rvkvm_trace_map);
		break;
	default:
		return 0;
	}
	return want == len;
}

long trace_record(const struct iovec *iov, unsigned nseg)
{
	struct rvkvm_trace_record rec;
	char name[RVKVM_TRACE_NAME_MAX + 1];
	size_t len = 0;

	if (!trace.out)
		return -EINVAL;
	for (unsigned i = 0; i < nseg; i++) {
		if (iov[i].iov_len > sizeof(trace.record) - len)
			return -EINVAL;
		memcpy(trace.record + len, iov[i].iov_base, iov[i].iov_len);
		len += iov[i].iov_len;
	}
	if (len < sizeof(rec))
		return -EINVAL;
	memcpy(&rec, trace.record, sizeof(rec));
	if (!record_valid(&rec, len))
		return -EINVAL;
	/* Code the launcher was not asked to disassemble (no in_asm or out_asm). */
	if ((rec.guest_len || rec.host_len) && !trace.riscv)
		return -EINVAL;
	record_name(&rec, name);

	const uint8_t *data = trace.record + sizeof(rec) + rec.name_len;

	switch (rec.kind) {
	case RVKVM_TREC_BLOCK:
		if (rec.guest_len)
			print_in_asm(&rec, name, data);
		if (rec.host_len)
			print_out_asm(&rec, data + rec.guest_len);
		break;
	case RVKVM_TREC_EXEC:
		fprintf(trace.out, "Trace 0: 0x%llx [%016x/%016llx/%08x/%08x] %s\n",
			(unsigned long long)rec.host, 0, (unsigned long long)rec.pc, 0, 0, name);
		break;
	case RVKVM_TREC_SIGNAL:
		print_signal(&rec, name);
		break;
	case RVKVM_TREC_MAP:
		print_map(&rec, data);
		break;
	}
	/* A run may end in a signal or a timeout: the log is complete up to here. */
	fflush(trace.out);
	return 0;
}
