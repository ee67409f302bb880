/*
 * options.c - `rvkvm [options] program [args...]`, following qemu-riscv64
 * where the same option makes sense: options end at the first word that is
 * not one (the program), `-name` and `--name` are the same option, and the
 * guest's environment is ours edited by -E and -U in the order given, in
 * the order qemu-riscv64 hands it over.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linux.h"
#include "options.h"
#include "platform.h"
#include "trace.h"

extern char **environ;

#define DEFAULT_RAM_SIZE (1ull << 30)
/* qemu-riscv64's default guest stack (TARGET_DEFAULT_STACK_SIZE). */
#define DEFAULT_STACK_SIZE (8ull << 20)
#define MIN_RAM_SIZE (16ull << 20)
#define MIN_STACK_SIZE (64ull << 10)
/* A guest stack must leave room for the program in its address space. */
#define MAX_STACK_SIZE (GUEST_VA_LIMIT / 4)
#define MAX_TIMEOUT_SECONDS (365.0 * 24 * 3600)
/* Above this a tick's own cost (an interrupt and EOI on kvm) starts to
 * dominate what it measures. */
#define PROFILE_HZ_MAX 10000

void options_usage(void)
{
	printf("usage: rvkvm [options] program [args...]\n"
	       "Run a riscv64 Linux program on this x86-64 host.\n"
	       "\n"
	       "Options (-name and --name are the same option):\n"
	       "  -E VAR=VALUE        set VAR in the guest's environment\n"
	       "  -U VAR              remove VAR from the guest's environment\n"
	       "  -0 ARGV0            the guest's argv[0] (default: program as given)\n"
	       "  -s SIZE             guest stack size (default 8M; k, M, G suffixes)\n"
	       "  -m SIZE             guest RAM: the VM's on kvm (default 1G), a limit on\n"
	       "                      proc (default none, as qemu-riscv64)\n"
	       "  -L PATH             sysroot for dynamically linked programs (default:\n"
	       "                      $RVKVM_LD_PREFIX, else " ELFCHECK_DEFAULT_SYSROOT ")\n"
	       "  --root DIR          the guest's file system is DIR: every path it names\n"
	       "                      resolves inside DIR, as under chroot\n"
	       "  -strace, --strace   log every guest system call to stderr\n"
	       "  -d ITEM[,...]       log what the translator does: in_asm, out_asm, exec,\n"
	       "                      int, page (-d help describes them), to stderr\n"
	       "  -D FILE             write the -d log to FILE instead\n"
	       "  -g PORT             wait for gdb on 127.0.0.1:PORT before the program's\n"
	       "                      first instruction (docs/debugging.md)\n"
	       "  --platform=WHICH    auto (default), kvm or proc: auto picks kvm where\n"
	       "                      KVM runs guests in hardware, else proc\n"
	       "  --verbose           say which platform was picked and why\n"
	       "  --stats             print translator counters at exit\n"
	       "  --no-host-strings   run the program's own memcpy, strlen and the like\n"
	       "                      instead of host code (docs/translator.md)\n"
	       "  --soft-fp           F/D arithmetic through the monitor's helper, not\n"
	       "                      inline SSE (kvm's only way where the VM does not\n"
	       "                      run at hardware speed)\n"
	       "  --profile[=FILE]    sample guest pcs (1 kHz), print a flat profile by\n"
	       "                      guest function at exit; FILE: also write call stacks\n"
	       "                      (folded, for flame graphs; needs a guest built with\n"
	       "                      -fno-omit-frame-pointer)\n"
	       "  --profile-hz N      --profile at N samples per second (1..10000)\n"
	       "  --perf-map FILE     name translated code by guest function for perf:\n"
	       "                      kallsyms for perf kvm --guestkallsyms (kvm), perf's\n"
	       "                      JIT map (proc; FILE auto = /tmp/perf-PID.map)\n"
	       "  --timeout SECONDS   end the run after SECONDS (decimals allowed) with\n"
	       "                      \"rvkvm: timeout after N s\" and status 124\n"
	       "  --monitor PATH      the monitor image (default: monitor.elf next to rvkvm,\n"
	       "                      else ../lib/rvkvm/monitor.elf from it)\n"
	       "  --kvm-device PATH   the KVM device (default /dev/kvm)\n"
	       "  --io-thread=auto|on|off  kvm: serve host calls from a launcher thread\n"
	       "                      that polls the ring, or one VM exit each (auto:\n"
	       "                      on where KVM runs guest code in hardware)\n"
	       "  --host-check        measure what this host's KVM is, print it, exit\n"
	       "  --binfmt install|remove|status   register rvkvm for riscv64 programs\n"
	       "                      with binfmt_misc (root), undo it, or show it\n"
	       "  --fix-binary        with --binfmt install: flag F (rvkvm opened now)\n"
	       "  --selftest          boot the monitor and let it check itself\n"
	       "  -h, --help          this text\n"
	       "  --version           the version\n"
	       "\n"
	       "For tests of the crash paths:\n"
	       "  --crash=pagefault|triple   make the monitor (or proc runtime) fault\n"
	       "  --ring-garbage[=N]         send forged ring requests to the launcher\n"
	       "                             (N random ones, default 48)\n"
	       "\n"
	       "Exit status: the guest's; 126 or 127 when the program cannot be run\n"
	       "(as a shell), 1 for a bad command line, 70 for an internal error.\n");
}

static _Noreturn void bad_usage(const char *fmt, const char *what)
{
	fputs("rvkvm: ", stderr);
	fprintf(stderr, fmt, what);
	fputs(" (try rvkvm --help)\n", stderr);
	exit(1);
}

/* "64k", "8M", "1G", "4096": bytes, or 0 if not a size. */
static uint64_t parse_size(const char *s)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return 0;
	switch (*end) {
	case 'k':
	case 'K':
		shift = 10;
		end++;
		break;
	case 'm':
	case 'M':
		shift = 20;
		end++;
		break;
	case 'g':
	case 'G':
		shift = 30;
		end++;
		break;
	}
	if (*end || v > (UINT64_MAX >> shift))
		return 0;
	return (uint64_t)v << shift;
}

static uint64_t size_arg(const char *opt, const char *s, uint64_t min, uint64_t max)
{
	uint64_t v = parse_size(s);

	if (v < min || v > max)
		die(1, "%s %s: size must be between %llu KiB and %llu GiB", opt, s,
		    (unsigned long long)(min >> 10), (unsigned long long)(max >> 30));
	if (v % GUEST_PAGE_SIZE)
		die(1, "%s %s: size must be a multiple of 4 KiB", opt, s);
	return v;
}

/* "2", "0.5": milliseconds, at least 1 and at most a year (setitimer's range). */
static uint64_t timeout_arg(const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= 0.001 && v <= MAX_TIMEOUT_SECONDS))
		bad_usage("--timeout %s: expected seconds between 0.001 and 31536000", s);
	return (uint64_t)(v * 1000.0 + 0.5);
}

/* -g PORT: a TCP port, 1 .. 65535. */
static int gdb_port_arg(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > 65535)
		bad_usage("-g %s: expected a TCP port from 1 to 65535", s);
	return (int)v;
}

/* --ring-garbage=N: 1 .. 2^32-1 requests. */
static uint32_t garbage_arg(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || v == 0 || v > UINT32_MAX)
		bad_usage("--ring-garbage=%s: expected a count from 1 to 4294967295", s);
	return (uint32_t)v;
}

/* --profile-hz N: samples per second, 1 .. PROFILE_HZ_MAX. */
static int profile_hz_arg(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > PROFILE_HZ_MAX)
		bad_usage("--profile-hz %s: expected samples per second from 1 to 10000", s);
	return (int)v;
}

/* The guest environment under construction: a malloc'd, NULL-ended copy. */
struct env {
	char **v;
	int n;
};

static void env_unset(struct env *e, const char *name, size_t len)
{
	for (int i = 0; i < e->n; i++) {
		if (!strncmp(e->v[i], name, len) && e->v[i][len] == '=') {
			memmove(&e->v[i], &e->v[i + 1], (size_t)(e->n - i) * sizeof(char *));
			e->n--;
			i--;
		}
	}
}

static void env_set(struct env *e, char *assignment)
{
	const char *eq = strchr(assignment, '=');

	if (!eq || eq == assignment)
		die(1, "-E %s: expected VAR=VALUE", assignment);
	env_unset(e, assignment, (size_t)(eq - assignment));
	e->v = realloc(e->v, (size_t)(e->n + 2) * sizeof(char *));
	if (!e->v)
		die(1, "out of memory");
	e->v[e->n++] = assignment;
	e->v[e->n] = NULL;
}

static void env_init(struct env *e)
{
	int n = 0;

	while (environ[n])
		n++;
	e->v = malloc((size_t)(n + 1) * sizeof(char *));
	if (!e->v)
		die(1, "out of memory");
	memcpy(e->v, environ, (size_t)(n + 1) * sizeof(char *));
	e->n = n;
}

/*
 * qemu-user keeps the environment as a list it pushes onto the front of
 * (util/envlist.c), so its guests see the host's variables in reverse, with
 * each -E in front of what came before.  A guest's environment dump must
 * read the same under both, so the order is qemu's.
 */
static void env_qemu_order(struct env *e)
{
	for (int i = 0, j = e->n - 1; i < j; i++, j--) {
		char *t = e->v[i];
		e->v[i] = e->v[j];
		e->v[j] = t;
	}
}

/*
 * monitor.elf in the folder of our own executable (the build tree), else
 * in ../lib/rvkvm/ from it (an installed PREFIX/bin/rvkvm, install.mk);
 * the first when neither exists, so the error names the build-tree path.
 */
static const char *default_monitor_path(void)
{
	static const char installed[] = "../lib/rvkvm/monitor.elf";
	static char path[PATH_MAX], alt[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - sizeof(installed));
	char *slash;

	if (n <= 0)
		return "monitor.elf";
	path[n] = 0;
	slash = strrchr(path, '/');
	slash = slash ? slash + 1 : path;
	memcpy(alt, path, (size_t)(slash - path));
	strcpy(alt + (slash - path), installed);
	strcpy(slash, "monitor.elf");
	if (access(path, R_OK) && !access(alt, R_OK))
		return alt;
	return path;
}

/*
 * Match argv[*i] against option `name`.  An option with a value takes it
 * after '=' or from the next word; *value is set then.  Returns 1 on a
 * match.
 */
static int match(int argc, char **argv, int *i, const char *arg, const char *name,
		 const char **value)
{
	size_t n = strlen(name);

	if (strncmp(arg, name, n))
		return 0;
	if (!value)
		return arg[n] == 0;
	if (arg[n] == '=') {
		*value = arg + n + 1;
		return 1;
	}
	if (arg[n])
		return 0;
	if (*i + 1 >= argc)
		bad_usage("option '-%s' needs a value", name);
	*value = argv[++*i];
	return 1;
}

void options_parse(int argc, char **argv, struct options *opt)
{
	struct launch_config *cfg = &opt->cfg;
	struct env env;
	const char *v, *argv0 = NULL;
	int i;

	memset(opt, 0, sizeof(*opt));
	cfg->platform = PLATFORM_AUTO;
	cfg->kvm_device = "/dev/kvm";
	cfg->ram_size = DEFAULT_RAM_SIZE;
	cfg->stack_size = DEFAULT_STACK_SIZE;
	cfg->payload = RVKVM_PAYLOAD_LINUX;
	cfg->program_fd = -1;
	cfg->io_thread = -1;
	env_init(&env);

	for (i = 1; i < argc; i++) {
		const char *raw = argv[i], *a;

		if (raw[0] != '-' || !raw[1])
			break;
		if (!strcmp(raw, "--")) {
			i++;
			break;
		}
		a = raw + 1 + (raw[1] == '-');

		if (match(argc, argv, &i, a, "E", &v)) {
			env_set(&env, (char *)v);
		} else if (match(argc, argv, &i, a, "U", &v)) {
			env_unset(&env, v, strlen(v));
		} else if (match(argc, argv, &i, a, "0", &v)) {
			argv0 = v;
		} else if (match(argc, argv, &i, a, "s", &v)) {
			cfg->stack_size = size_arg("-s", v, MIN_STACK_SIZE, MAX_STACK_SIZE);
		} else if (match(argc, argv, &i, a, "m", &v)) {
			cfg->ram_size = size_arg("-m", v, MIN_RAM_SIZE, GUEST_VA_LIMIT);
			cfg->ram_size_given = 1;
		} else if (match(argc, argv, &i, a, "L", &v)) {
			cfg->sysroot = v;
		} else if (match(argc, argv, &i, a, "strace", NULL)) {
			cfg->strace = 1;
		} else if (match(argc, argv, &i, a, "d", &v)) {
			cfg->trace_mask = trace_parse(v);
		} else if (match(argc, argv, &i, a, "D", &v)) {
			cfg->trace_file = v;
		} else if (match(argc, argv, &i, a, "g", &v)) {
			cfg->gdb_port = gdb_port_arg(v);
		} else if (match(argc, argv, &i, a, "platform", &v)) {
			opt->platform_explicit = strcmp(v, "auto") != 0;
			if (!strcmp(v, "auto"))
				cfg->platform = PLATFORM_AUTO;
			else if (!strcmp(v, "kvm"))
				cfg->platform = PLATFORM_KVM;
			else if (!strcmp(v, "proc"))
				cfg->platform = PLATFORM_PROC;
			else
				bad_usage("--platform=%s: expected auto, kvm or proc", v);
		} else if (match(argc, argv, &i, a, "verbose", NULL)) {
			cfg->verbose = 1;
		} else if (match(argc, argv, &i, a, "stats", NULL)) {
			cfg->stats = 1;
		} else if (match(argc, argv, &i, a, "no-host-strings", NULL)) {
			cfg->guest_strings = 1;
		} else if (match(argc, argv, &i, a, "soft-fp", NULL)) {
			cfg->soft_fp = 1;
		} else if (match(argc, argv, &i, a, "profile", NULL)) {
			cfg->profile = cfg->profile ? cfg->profile : LINUX_PROFILE_HZ;
		} else if (!strncmp(a, "profile=", 8)) {
			if (!a[8])
				bad_usage("%s: expected --profile=FILE", raw);
			cfg->profile = cfg->profile ? cfg->profile : LINUX_PROFILE_HZ;
			cfg->profile_file = a + 8;
		} else if (match(argc, argv, &i, a, "profile-hz", &v)) {
			cfg->profile = profile_hz_arg(v);
		} else if (match(argc, argv, &i, a, "perf-map", &v)) {
			if (!*v)
				bad_usage("%s", "--perf-map needs a file name (or auto)");
			cfg->perf_map = v;
		} else if (match(argc, argv, &i, a, "root", &v)) {
			cfg->root = v;
		} else if (match(argc, argv, &i, a, "timeout", &v)) {
			cfg->timeout_ms = timeout_arg(v);
			cfg->timeout_text = v;
		} else if (match(argc, argv, &i, a, "monitor", &v)) {
			cfg->monitor_path = v;
		} else if (match(argc, argv, &i, a, "kvm-device", &v)) {
			cfg->kvm_device = v;
		} else if (match(argc, argv, &i, a, "io-thread", &v)) {
			if (!strcmp(v, "on"))
				cfg->io_thread = 1;
			else if (!strcmp(v, "off"))
				cfg->io_thread = 0;
			else if (!strcmp(v, "auto"))
				cfg->io_thread = -1;
			else
				bad_usage("--io-thread=%s: expected auto, on or off", v);
		} else if (match(argc, argv, &i, a, "host-check", NULL)) {
			opt->action = ACTION_HOST_CHECK;
		} else if (match(argc, argv, &i, a, "binfmt", &v)) {
			opt->action = ACTION_BINFMT;
			opt->binfmt_verb = v;
		} else if (match(argc, argv, &i, a, "fix-binary", NULL)) {
			opt->binfmt_fix_binary = 1;
		} else if (match(argc, argv, &i, a, "selftest", NULL)) {
			cfg->payload = RVKVM_PAYLOAD_SELFTEST;
		} else if (match(argc, argv, &i, a, "crash", &v)) {
			cfg->payload = RVKVM_PAYLOAD_CRASH;
			if (!strcmp(v, "pagefault"))
				cfg->crash_kind = RVKVM_CRASH_PAGE_FAULT;
			else if (!strcmp(v, "triple"))
				cfg->crash_kind = RVKVM_CRASH_TRIPLE_FAULT;
			else
				bad_usage("--crash=%s: expected pagefault or triple", v);
		} else if (match(argc, argv, &i, a, "ring-garbage", NULL)) {
			cfg->payload = RVKVM_PAYLOAD_RING_GARBAGE;
		} else if (!strncmp(a, "ring-garbage=", 13)) {
			cfg->payload = RVKVM_PAYLOAD_RING_GARBAGE;
			cfg->garbage_requests = garbage_arg(a + 13);
		} else if (match(argc, argv, &i, a, "test-seccomp", &v)) {
			cfg->test_seccomp = v;
		} else if (match(argc, argv, &i, a, "test-high-base", NULL)) {
			cfg->test_high_base = 1;
		} else if (match(argc, argv, &i, a, "h", NULL) ||
			   match(argc, argv, &i, a, "help", NULL)) {
			opt->action = ACTION_HELP;
			return;
		} else if (match(argc, argv, &i, a, "version", NULL)) {
			opt->action = ACTION_VERSION;
			return;
		} else {
			bad_usage("unknown option '%s'", raw);
		}
	}

	if (cfg->stack_size >= cfg->ram_size)
		die(1, "-s %llu KiB: the stack must be smaller than guest RAM (-m)",
		    (unsigned long long)(cfg->stack_size >> 10));
	if (!cfg->monitor_path)
		cfg->monitor_path = default_monitor_path();
	/* QEMU_LD_PREFIX's twin; an empty one means none (elfcheck.c). */
	if (!cfg->sysroot)
		cfg->sysroot = getenv("RVKVM_LD_PREFIX");
	env_qemu_order(&env);
	if (cfg->trace_mask)
		trace_open(cfg);
	cfg->envp = env.v;
	cfg->envc = env.n;

	if (opt->action != ACTION_RUN || cfg->payload != RVKVM_PAYLOAD_LINUX) {
		if (i < argc)
			bad_usage("unexpected argument '%s' after a monitor payload option",
				  argv[i]);
		return;
	}
	if (i >= argc)
		bad_usage("%s", "no program given");
	opt->program = argv[i];
	cfg->execfn = argv[i];
	cfg->argc = argc - i;
	cfg->argv = &argv[i];
	if (argv0)
		cfg->argv[0] = (char *)argv0;
}
