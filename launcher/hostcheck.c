/*
 * hostcheck.c - what this host's KVM is, measured (DESIGN.md section 2):
 * boot the CALIBRATE payload and time, with the launcher's clock, the spans
 * it brackets with RVKVM_PORT_MARK (monitor/platform/kvm/calibrate.c).
 * /proc/cpuinfo is reported too, but the verdict is the measurement.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kvm.h"

/* Must match monitor/platform/kvm/calibrate.c. */
#define CALIBRATE_LOOPS 10000
#define CALIBRATE_NOPS 32
#define CALIBRATE_FAULTS 16

/*
 * Hardware KVM runs the loop natively (~1 ns per iteration, a few with the
 * mark exits' noise); emulated KVM near 720 ns.  Anything under 20 ns per
 * iteration is hardware by a wide margin either way.
 */
#define HARDWARE_NS_PER_ITERATION 20.0

struct calibration {
	double loop_ns;    /* per iteration */
	double ring_us;    /* per HC_NOP round trip */
	double fault_us;   /* per guest #PF */
	double boot_ms;    /* kvm_boot entry to exit */
};

static double span_ns(const struct kvm_marks *m, uint32_t from, uint32_t to)
{
	uint64_t a = 0, b = 0;

	for (unsigned i = 0; i < m->count; i++) {
		if (m->id[i] == from)
			a = m->ns[i];
		if (m->id[i] == to)
			b = m->ns[i];
	}
	return a && b >= a ? (double)(b - a) : -1.0;
}

/* 0 on success; else -1 with why filled. */
static int calibrate(const struct launch_config *cfg, struct calibration *cal, char *why, int len)
{
	struct kvm_marks marks = { 0 };
	struct kvm_boot_opts opts = { .payload = RVKVM_PAYLOAD_CALIBRATE, .quiet = 1, .marks = &marks };
	struct kvm_vm vm;
	int status = kvm_boot(cfg, &opts, &vm);

	if (status < 0) {
		snprintf(why, (size_t)len, "%s", vm.error);
		return -1;
	}
	cal->boot_ms = (kvm_now_ns() - vm.start_ns) / 1e6;
	double loop = span_ns(&marks, 1, 2), ring = span_ns(&marks, 3, 4),
	       fault = span_ns(&marks, 5, 6);
	if (status != 0 || loop < 0 || ring < 0 || fault < 0) {
		snprintf(why, (size_t)len, "the calibration boot failed (status %d, %u marks)", status,
			 marks.count);
		return -1;
	}
	cal->loop_ns = loop / CALIBRATE_LOOPS;
	cal->ring_us = ring / CALIBRATE_NOPS / 1e3;
	cal->fault_us = fault / CALIBRATE_FAULTS / 1e3;
	return 0;
}

static int has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || !p[n]))
			return 1;
	return 0;
}

/* "model name" and whether the flags line names vmx or svm. */
static void cpuinfo(char *model, size_t len, int *virt_flag)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[4096];

	snprintf(model, len, "unknown");
	*virt_flag = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *v = strchr(line, ':');
		if (!v)
			continue;
		v += 2;
		if (!strncmp(line, "model name", 10) && !strcmp(model, "unknown")) {
			snprintf(model, len, "%s", v);
			model[strcspn(model, "\n")] = 0;
		}
		if (!strncmp(line, "flags", 5)) {
			*virt_flag = has_word(v, "vmx") || has_word(v, "svm");
			break;
		}
	}
	fclose(f);
}

int host_check(const struct launch_config *cfg)
{
	struct calibration cal;
	char model[256], why[256];
	int virt_flag;

	cpuinfo(model, sizeof(model), &virt_flag);
	printf("rvkvm %s host check\n", RVKVM_VERSION);
	printf("  host CPU          %s\n", model);
	printf("  /proc/cpuinfo     %s%s\n",
	       virt_flag ? "vmx/svm flag present (suggests hardware KVM)"
			 : "no vmx/svm flag (suggests emulated KVM)",
	       access("/sys/module/kvm_pvm", F_OK) == 0 ? "; kvm_pvm module loaded" : "");
	if (calibrate(cfg, &cal, why, sizeof(why))) {
		printf("  KVM kind          unusable: %s\n", why);
		return 1;
	}
	int hw = cal.loop_ns < HARDWARE_NS_PER_ITERATION;
	printf("  KVM kind          %s (measured: %d-iteration loop at %.1f ns per iteration)\n",
	       hw ? "hardware" : "emulated", CALIBRATE_LOOPS, cal.loop_ns);
	printf("  in-VM loop        %.2f ns per iteration of 3 instructions (%.1f ns per instruction)\n",
	       cal.loop_ns, cal.loop_ns / 3);
	printf("  ring round trip   %.1f us per HC_NOP (one doorbell exit each)\n", cal.ring_us);
	printf("  guest #PF         %.1f us per fault (populate 16 pages, iretq)\n", cal.fault_us);
	printf("  calibration boot  %.1f ms from VM creation to exit\n", cal.boot_ms);
	printf("  agreement         measurement and cpuinfo %s\n",
	       hw == virt_flag ? "agree" : "DISAGREE (the measurement decides)");
	return 0;
}
