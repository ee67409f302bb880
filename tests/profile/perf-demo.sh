#!/bin/bash
# make perf-demo: perf's two views of a kvm-platform run (docs/profiling.md).
#
#   1. perf kvm stat record/report: the VM exits, by reason.
#   2. perf kvm --guest record/report with rvkvm --perf-map: guest samples
#      named by the monitor's functions and by the guest functions of the
#      translated blocks.
#
# Where perf or KVM cannot show anything it says why in one line and exits
# 0.  On an emulated-KVM host (no svm/vmx flag: every VM instruction is
# emulated by the host kernel) both views come out empty, as measured in
# docs/profiling.md; PERF_DEMO_FORCE=1 runs them there anyway.
#
# Environment: B (build directory, default build), PERF (default perf),
# PERF_DEMO_FORCE, PERF_DEMO_DIR (where the data goes, default
# $B/perf-demo).
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
PERF=${PERF:-perf}
RVKVM=$B/rvkvm
PROG=$B/tests/profile/tiny
W=${PERF_DEMO_DIR:-$B/perf-demo}

say() { echo "perf-demo: $*"; }

if ! command -v "$PERF" >/dev/null; then
	say "perf is not installed (Debian: apt-get install linux-perf); nothing to show"
	exit 0
fi
if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
	say "no usable /dev/kvm for $(id -un): the kvm platform cannot run here"
	exit 0
fi
if ! "$PERF" list 2>/dev/null | grep -q 'kvm:kvm_exit'; then
	say "perf sees no kvm:kvm_exit tracepoint (tracefs not mounted, or not root?): perf kvm stat cannot work"
	exit 0
fi
if [ "${PERF_DEMO_FORCE:-0}" != 1 ] && ! grep -qw -e svm -e vmx /proc/cpuinfo; then
	say "KVM here is emulated (no svm/vmx flag): perf kvm stat gets no kvm_exit events and guest samples are ~0.03% (docs/profiling.md); PERF_DEMO_FORCE=1 runs it anyway"
	exit 0
fi
mkdir -p "$W"

echo "== perf kvm stat record -- $RVKVM --platform=kvm $PROG 30"
"$PERF" kvm stat record -o "$W/stat.data" -- "$RVKVM" --platform=kvm "$PROG" 30 2>&1 |
	grep -v '^rvkvm: warning'
echo "== perf kvm stat report"
"$PERF" kvm -i "$W/stat.data" stat report 2>&1 | tee "$W/stat.txt"
if grep -q 'Total Samples:0' "$W/stat.txt"; then
	say "the report is empty: this KVM fires no kvm:kvm_exit/kvm_entry events; its raw kvm_pio events (ring doorbells at 0x510, the exit at 0x511) by port:"
	"$PERF" script -i "$W/stat.data" 2>/dev/null |
		sed -n 's/.*kvm:kvm_pio: \(pio_[a-z]*\) at \(0x[0-9a-f]*\).*/\1 \2/p' | sort | uniq -c
fi

# perf reads _text/_etext from --guestkallsyms when it records; the map
# rvkvm writes starts with exactly these two lines (launcher/profile_files.c).
printf '%s T _text\n%s T _etext\n' ffffff0000100000 ffffff8000000000 >"$W/record-kallsyms"
echo "== perf kvm --guest record -e cpu-clock -- $RVKVM --platform=kvm --perf-map $W/map $PROG 30"
"$PERF" kvm --guest --guestkallsyms="$W/record-kallsyms" record -e cpu-clock -o "$W/guest.data" \
	-- "$RVKVM" --platform=kvm --perf-map "$W/map" "$PROG" 30 2>&1 | grep -v '^rvkvm: warning'
echo "== perf kvm --host --guest --guestkallsyms=$W/map report --sort dso"
"$PERF" kvm --host --guest --guestkallsyms="$W/map" report -i "$W/guest.data" --stdio \
	--sort dso 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 8
echo "== perf kvm --guest --guestkallsyms=$W/map report --sort sym (guest samples)"
"$PERF" kvm --guest --guestkallsyms="$W/map" report -i "$W/guest.data" --stdio \
	--sort sym 2>/dev/null | grep '\[g\]' | head -n 15 >"$W/guest.txt"
if [ -s "$W/guest.txt" ]; then
	cat "$W/guest.txt"
else
	say "no guest samples: the vCPU's time went to the host kernel (an emulated KVM executes every guest instruction itself)"
fi
exit 0
