/*
 * gdbstub_target.c - the guest as the debugger sees it: the registers of
 * the target description GDB's riscv-tdep expects (features
 * org.gnu.gdb.riscv.cpu and org.gnu.gdb.riscv.fpu, GDB manual G.5.13
 * "RISC-V Features"), guest memory through the guest's own mappings, and
 * the auxiliary vector (qXfer:auxv:read) GDB needs to relocate a PIE.
 */
#include "gdbstub.h"
#include "lx.h"

#define XML_SIZE 8192
#define AUXV_MAX_PAIRS 64

/* ABI names, as riscv-tdep prints them. */
static const char *const x_names[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "fp", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};
static const char *const f_names[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4",	"ft5",	"ft6", "ft7", "fs0",  "fs1",  "fa0",
    "fa1", "fa2", "fa3", "fa4", "fa5",	"fa6",	"fa7", "fs2", "fs3",  "fs4",  "fs5",
    "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

/* Built once, on the debugger's first request; owned by the guest thread. */
static char xml[XML_SIZE];
static size_t xml_len;
static uint64_t auxv[AUXV_MAX_PAIRS][2];
static size_t auxv_bytes;

static void put_le(uint8_t *out, uint64_t v, unsigned size)
{
	for (unsigned i = 0; i < size; i++)
		out[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *in, size_t size)
{
	uint64_t v = 0;

	for (size_t i = 0; i < size; i++)
		v |= (uint64_t)in[i] << (8 * i);
	return v;
}

unsigned gdb_reg_get(const struct dbt_cpu *cpu, unsigned regno, uint8_t out[8])
{
	if (regno < 32) {
		put_le(out, regno ? cpu->x[regno] : 0, 8);
		return 8;
	}
	if (regno == GDB_REG_PC) {
		put_le(out, cpu->pc, 8);
		return 8;
	}
	if (regno >= GDB_REG_F0 && regno < GDB_REG_F0 + 32) {
		put_le(out, cpu->f[regno - GDB_REG_F0], 8);
		return 8;
	}
	switch (regno) {
	case GDB_REG_FFLAGS:
		put_le(out, cpu->fflags, 4);
		return 4;
	case GDB_REG_FRM:
		put_le(out, cpu->frm, 4);
		return 4;
	case GDB_REG_FCSR:
		put_le(out, cpu->frm << 5 | cpu->fflags, 4);
		return 4;
	}
	return 0;
}

int gdb_reg_set(struct dbt_cpu *cpu, unsigned regno, const uint8_t *in, size_t size)
{
	uint8_t probe[8];
	uint64_t v = get_le(in, size);

	if (gdb_reg_get(cpu, regno, probe) != size)
		return -1;
	if (regno < 32) {
		if (regno) /* x0 is hard-wired to zero */
			cpu->x[regno] = v;
	} else if (regno == GDB_REG_PC) {
		cpu->pc = v;
	} else if (regno < GDB_REG_F0 + 32) {
		cpu->f[regno - GDB_REG_F0] = v;
	} else if (regno == GDB_REG_FFLAGS) {
		cpu->fflags = (uint32_t)v & 0x1f;
	} else if (regno == GDB_REG_FRM) {
		cpu->frm = (uint32_t)v & 7;
	} else {
		/* fcsr: frm in bits 7:5, fflags in 4:0 (unprivileged spec, "fcsr") */
		cpu->fflags = (uint32_t)v & 0x1f;
		cpu->frm = (uint32_t)(v >> 5) & 7;
	}
	return 0;
}

static void xml_add(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void xml_add(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = rt_vsnprintf(xml + xml_len, sizeof(xml) - xml_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		xml_len +=
		    (size_t)n < sizeof(xml) - xml_len ? (size_t)n : sizeof(xml) - 1 - xml_len;
}

/*
 * Register numbers are explicit where GDB's own riscv-64bit-*.xml have them:
 * the FP CSRs sit at 65 + CSR number, leaving 65 unused.
 */
static void build_xml(void)
{
	xml_add("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
		"<target version=\"1.0\">\n<architecture>riscv:rv64</architecture>\n"
		"<osabi>GNU/Linux</osabi>\n<feature name=\"org.gnu.gdb.riscv.cpu\">\n");
	for (unsigned i = 0; i < 32; i++)
		xml_add("<reg name=\"%s\" bitsize=\"64\" type=\"%s\" regnum=\"%u\"/>\n", x_names[i],
			i == 1				       ? "code_ptr"
			: i == 2 || i == 3 || i == 4 || i == 8 ? "data_ptr"
							       : "int",
			i);
	xml_add("<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"%u\"/>\n"
		"</feature>\n<feature name=\"org.gnu.gdb.riscv.fpu\">\n"
		"<union id=\"riscv_double\"><field name=\"float\" type=\"ieee_single\"/>"
		"<field name=\"double\" type=\"ieee_double\"/></union>\n",
		GDB_REG_PC);
	for (unsigned i = 0; i < 32; i++)
		xml_add("<reg name=\"%s\" bitsize=\"64\" type=\"riscv_double\" regnum=\"%u\"/>\n",
			f_names[i], GDB_REG_F0 + i);
	xml_add("<reg name=\"fflags\" bitsize=\"32\" type=\"int\" regnum=\"%u\"/>\n"
		"<reg name=\"frm\" bitsize=\"32\" type=\"int\" regnum=\"%u\"/>\n"
		"<reg name=\"fcsr\" bitsize=\"32\" type=\"int\" regnum=\"%u\"/>\n"
		"</feature>\n</target>\n",
		GDB_REG_FFLAGS, GDB_REG_FRM, GDB_REG_FCSR);
}

const char *gdb_target_xml(size_t *len)
{
	if (!xml_len)
		build_xml();
	*len = xml_len;
	return xml;
}

size_t gdb_mem_read(uint64_t gva, void *dst, size_t len)
{
	size_t done = 0;

	while (done < len) {
		uint64_t at = gva + done;
		size_t chunk = LX_PAGE - (at & (LX_PAGE - 1));

		if (chunk > len - done)
			chunk = len - done;
		if (at < gva || lx_copy_in((char *)dst + done, at, chunk))
			break;
		done += chunk;
	}
	return done;
}

int gdb_mem_write(uint64_t gva, const void *src, size_t len)
{
	size_t done = 0;

	/* Readable is mapped in the host's tables too, so a write cannot fault there. */
	if (!lx_vma_access_ok(gva, len, LX_PROT_READ) || lx_filemap_prepare(gva, len))
		return -1;
	if (!len)
		return 0;
	/*
	 * Not dbt_prepare_write(): that only covers code pages the guest may
	 * write itself, and a debugger patches read-only text as well.
	 */
	dbt_invalidate_range(gva, len);
	while (done < len) {
		uint64_t at = gva + done, page = LX_PAGE_DOWN(at);
		size_t chunk = LX_PAGE - (at - page);
		const struct lx_vma *v = lx_vma_find(at);
		int prot = v->prot;

		if (chunk > len - done)
			chunk = len - done;
		if (!(prot & LX_PROT_WRITE) &&
		    plat_mem_protect(page, LX_PAGE, prot | LX_PROT_WRITE))
			return -1;
		memcpy(plat_g2h(at), (const char *)src + done, chunk);
		if (!(prot & LX_PROT_WRITE))
			plat_mem_protect(page, LX_PAGE, prot);
		done += chunk;
	}
	return 0;
}

/* ELF psABI process start: argc, argv[], NULL, envp[], NULL, then the auxv pairs. */
void gdb_auxv_capture(uint64_t sp)
{
	uint64_t word, at = sp + 8;
	size_t pairs = 0;

	if (lx_copy_in(&word, sp, 8))
		return;
	at += (word + 1) * 8;
	do {
		if (lx_copy_in(&word, at, 8))
			return;
		at += 8;
	} while (word);
	while (pairs < AUXV_MAX_PAIRS && !lx_copy_in(auxv[pairs], at, 16)) {
		at += 16;
		if (auxv[pairs++][0] == LX_AT_NULL)
			break;
	}
	auxv_bytes = pairs * 16;
}

const void *gdb_auxv(size_t *len)
{
	*len = auxv_bytes;
	return auxv;
}
