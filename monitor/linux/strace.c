/*
 * strace.c - --strace output.  Argument letters in the system call table:
 *   d int   l long   u unsigned   x hex   o octal   p pointer (NULL or hex)
 *   s path string    f directory fd (AT_FDCWD)      S signal
 *   O open flags     P PROT_* bits    M MAP_* flags
 * Each call is printed in two parts, before and after it runs, as qemu does,
 * so output the call itself writes to stderr lands between them.
 */
#include <stdarg.h>

#include "lx_strace.h"

/* glibc's strerror() text, which qemu-riscv64 prints. */
static const char *const errno_text[] = {
    [1] = "Operation not permitted",
    [2] = "No such file or directory",
    [3] = "No such process",
    [4] = "Interrupted system call",
    [5] = "Input/output error",
    [6] = "No such device or address",
    [7] = "Argument list too long",
    [8] = "Exec format error",
    [9] = "Bad file descriptor",
    [10] = "No child processes",
    [11] = "Resource temporarily unavailable",
    [12] = "Cannot allocate memory",
    [13] = "Permission denied",
    [14] = "Bad address",
    [15] = "Block device required",
    [16] = "Device or resource busy",
    [17] = "File exists",
    [18] = "Invalid cross-device link",
    [19] = "No such device",
    [20] = "Not a directory",
    [21] = "Is a directory",
    [22] = "Invalid argument",
    [23] = "Too many open files in system",
    [24] = "Too many open files",
    [25] = "Inappropriate ioctl for device",
    [26] = "Text file busy",
    [27] = "File too large",
    [28] = "No space left on device",
    [29] = "Illegal seek",
    [30] = "Read-only file system",
    [31] = "Too many links",
    [32] = "Broken pipe",
    [33] = "Numerical argument out of domain",
    [34] = "Numerical result out of range",
    [35] = "Resource deadlock avoided",
    [36] = "File name too long",
    [37] = "No locks available",
    [38] = "Function not implemented",
    [39] = "Directory not empty",
    [40] = "Too many levels of symbolic links",
    [41] = "Unknown error 41",
    [42] = "No message of desired type",
    [43] = "Identifier removed",
    [44] = "Channel number out of range",
    [45] = "Level 2 not synchronized",
    [46] = "Level 3 halted",
    [47] = "Level 3 reset",
    [48] = "Link number out of range",
    [49] = "Protocol driver not attached",
    [50] = "No CSI structure available",
    [51] = "Level 2 halted",
    [52] = "Invalid exchange",
    [53] = "Invalid request descriptor",
    [54] = "Exchange full",
    [55] = "No anode",
    [56] = "Invalid request code",
    [57] = "Invalid slot",
    [58] = "Unknown error 58",
    [59] = "Bad font file format",
    [60] = "Device not a stream",
    [61] = "No data available",
    [62] = "Timer expired",
    [63] = "Out of streams resources",
    [64] = "Machine is not on the network",
    [65] = "Package not installed",
    [66] = "Object is remote",
    [67] = "Link has been severed",
    [68] = "Advertise error",
    [69] = "Srmount error",
    [70] = "Communication error on send",
    [71] = "Protocol error",
    [72] = "Multihop attempted",
    [73] = "RFS specific error",
    [74] = "Bad message",
    [75] = "Value too large for defined data type",
    [76] = "Name not unique on network",
    [77] = "File descriptor in bad state",
    [78] = "Remote address changed",
    [79] = "Can not access a needed shared library",
    [80] = "Accessing a corrupted shared library",
    [81] = ".lib section in a.out corrupted",
    [82] = "Attempting to link in too many shared libraries",
    [83] = "Cannot exec a shared library directly",
    [84] = "Invalid or incomplete multibyte or wide character",
    [85] = "Interrupted system call should be restarted",
    [86] = "Streams pipe error",
    [87] = "Too many users",
    [88] = "Socket operation on non-socket",
    [89] = "Destination address required",
    [90] = "Message too long",
    [91] = "Protocol wrong type for socket",
    [92] = "Protocol not available",
    [93] = "Protocol not supported",
    [94] = "Socket type not supported",
    [95] = "Operation not supported",
    [96] = "Protocol family not supported",
    [97] = "Address family not supported by protocol",
    [98] = "Address already in use",
    [99] = "Cannot assign requested address",
    [100] = "Network is down",
    [101] = "Network is unreachable",
    [102] = "Network dropped connection on reset",
    [103] = "Software caused connection abort",
    [104] = "Connection reset by peer",
    [105] = "No buffer space available",
    [106] = "Transport endpoint is already connected",
    [107] = "Transport endpoint is not connected",
    [108] = "Cannot send after transport endpoint shutdown",
    [109] = "Too many references: cannot splice",
    [110] = "Connection timed out",
    [111] = "Connection refused",
    [112] = "Host is down",
    [113] = "No route to host",
    [114] = "Operation already in progress",
    [115] = "Operation now in progress",
    [116] = "Stale file handle",
    [117] = "Structure needs cleaning",
    [118] = "Not a XENIX named type file",
    [119] = "No XENIX semaphores available",
    [120] = "Is a named type file",
    [121] = "Remote I/O error",
    [122] = "Disk quota exceeded",
    [123] = "No medium found",
    [124] = "Wrong medium type",
    [125] = "Operation canceled",
    [126] = "Required key not available",
    [127] = "Key has expired",
    [128] = "Key has been revoked",
    [129] = "Key was rejected by service",
    [130] = "Owner died",
    [131] = "State not recoverable",
    [132] = "Operation not possible due to RF-kill",
    [133] = "Memory page has hardware error",
};

struct flag_name {
	uint64_t bit;
	const char *name;
};

static const struct flag_name open_flags[] = {
    {0100, "O_CREAT"},	      {0200, "O_EXCL"},		{0400, "O_NOCTTY"},
    {01000, "O_TRUNC"},	      {02000, "O_APPEND"},	{04000, "O_NONBLOCK"},
    {010000, "O_DSYNC"},      {020000, "O_ASYNC"},	{040000, "O_DIRECT"},
    {0100000, "O_LARGEFILE"}, {0200000, "O_DIRECTORY"}, {0400000, "O_NOFOLLOW"},
    {01000000, "O_NOATIME"},  {02000000, "O_CLOEXEC"},	{04000000, "O_SYNC"},
    {010000000, "O_PATH"},    {020000000, "O_TMPFILE"},
};

static const struct flag_name prot_flags[] = {
    {LX_PROT_READ, "PROT_READ"},       {LX_PROT_WRITE, "PROT_WRITE"},
    {LX_PROT_EXEC, "PROT_EXEC"},       {LX_PROT_GROWSDOWN, "PROT_GROWSDOWN"},
    {LX_PROT_GROWSUP, "PROT_GROWSUP"},
};

static const struct flag_name map_flags[] = {
    {LX_MAP_FIXED, "MAP_FIXED"},
    {LX_MAP_ANONYMOUS, "MAP_ANONYMOUS"},
    {LX_MAP_GROWSDOWN, "MAP_GROWSDOWN"},
    {LX_MAP_DENYWRITE, "MAP_DENYWRITE"},
    {LX_MAP_EXECUTABLE, "MAP_EXECUTABLE"},
    {LX_MAP_LOCKED, "MAP_LOCKED"},
    {LX_MAP_NORESERVE, "MAP_NORESERVE"},
    {LX_MAP_POPULATE, "MAP_POPULATE"},
    {LX_MAP_NONBLOCK, "MAP_NONBLOCK"},
    {LX_MAP_STACK, "MAP_STACK"},
    {LX_MAP_HUGETLB, "MAP_HUGETLB"},
    {LX_MAP_SYNC, "MAP_SYNC"},
    {LX_MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE"},
};

struct line {
	char buf[LX_PATH_MAX + 512];
	size_t len;
};

/* Owned by the single guest thread: one line at a time. */
static struct line out;
static char path[LX_PATH_MAX];

static void put(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->len >= sizeof(l->buf) - 1)
		return;
	va_start(ap, fmt);
	n = rt_vsnprintf(l->buf + l->len, sizeof(l->buf) - l->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len +=
		    (size_t)n < sizeof(l->buf) - l->len ? (size_t)n : sizeof(l->buf) - 1 - l->len;
}

static void put_flags(struct line *l, uint64_t v, const struct flag_name *names, size_t n,
		      const char *first)
{
	int any = 0;

	if (first) {
		put(l, "%s", first);
		any = 1;
	}
	for (size_t i = 0; i < n; i++) {
		if ((v & names[i].bit) == names[i].bit) {
			put(l, "%s%s", any ? "|" : "", names[i].name);
			v &= ~names[i].bit;
			any = 1;
		}
	}
	if (v || !any)
		put(l, "%s0x%llx", any ? "|" : "", (unsigned long long)v);
}

static void put_arg(struct line *l, char kind, uint64_t v)
{
	static const char *const access_mode[4] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
	static const char *const map_type[4] = {"0", "MAP_SHARED", "MAP_PRIVATE",
						"MAP_SHARED_VALIDATE"};

	switch (kind) {
	case 'd':
		put(l, "%d", (int)(int32_t)v);
		break;
	case 'l':
		put(l, "%lld", (long long)v);
		break;
	case 'u':
		put(l, "%llu", (unsigned long long)v);
		break;
	case 'x':
		put(l, "0x%llx", (unsigned long long)v);
		break;
	case 'o':
		put(l, "0%llo", (unsigned long long)v);
		break;
	case 'p':
		if (v)
			put(l, "0x%llx", (unsigned long long)v);
		else
			put(l, "NULL");
		break;
	case 's':
		if (!v)
			put(l, "NULL");
		else if (lx_copy_path(path, v) >= 0)
			put(l, "\"%s\"", path);
		else
			put(l, "0x%llx", (unsigned long long)v);
		break;
	case 'f':
		if ((int32_t)v == LX_AT_FDCWD)
			put(l, "AT_FDCWD");
		else
			put(l, "%d", (int)(int32_t)v);
		break;
	case 'S':
		if ((int32_t)v > 0 && (int32_t)v <= LX_SIGSYS)
			put(l, "%s", lx_signal_name((int)v));
		else
			put(l, "%d", (int)(int32_t)v);
		break;
	case 'O':
		put_flags(l, v & ~(uint64_t)LX_O_ACCMODE, open_flags, RT_ARRAY_SIZE(open_flags),
			  access_mode[v & LX_O_ACCMODE]);
		break;
	case 'P':
		if (v)
			put_flags(l, v, prot_flags, RT_ARRAY_SIZE(prot_flags), NULL);
		else
			put(l, "PROT_NONE");
		break;
	case 'M':
		if ((v & LX_MAP_TYPE) < 4)
			put_flags(l, v & ~(uint64_t)LX_MAP_TYPE, map_flags,
				  RT_ARRAY_SIZE(map_flags), map_type[v & LX_MAP_TYPE]);
		else
			put(l, "0x%llx", (unsigned long long)v);
		break;
	}
}

void lx_strace_enter(uint32_t pid, const struct lx_syscall *sc, const uint64_t a[6])
{
	const char *args = sc->args ? sc->args : "llllll";

	out.len = 0;
	put(&out, "%u %s(", pid, sc->name);
	for (int i = 0; args[i] && i < 6; i++) {
		if (i)
			put(&out, ",");
		put_arg(&out, args[i], a[i]);
	}
	put(&out, sc->ret == 'n' ? ")\n" : ")");
	plat_log(out.buf, out.len);
}

void lx_strace_exit(const struct lx_syscall *sc, long r)
{
	out.len = 0;
	if (r < 0 && r >= -LX_MAX_ERRNO) {
		long e = -r;
		const char *text = e < (long)RT_ARRAY_SIZE(errno_text) && errno_text[e]
				       ? errno_text[e]
				       : "Unknown error";

		put(&out, " = -1 errno=%ld (%s)\n", e, text);
	} else if (sc->ret == 'p') {
		put(&out, " = 0x%016llx\n", (unsigned long long)r);
	} else {
		put(&out, " = %ld\n", r);
	}
	plat_log(out.buf, out.len);
}

void lx_strace_unknown(uint32_t pid, uint64_t nr)
{
	out.len = 0;
	put(&out, "%u Unknown syscall %llu\n", pid, (unsigned long long)nr);
	plat_log(out.buf, out.len);
}
