#!/bin/bash
# Boot figures for docs/performance.md (a measurement, not a test): N runs
# (default 20) of `rvkvm --platform=kvm --stats --selftest`, medians of
#   - the launcher's own clock from kvm_boot() entry to the first ring
#     request (the monitor is up: its banner) and to exit, from --stats;
#   - the wall time of the whole command, which on --platform=kvm also
#     includes the calibration boot behind the emulated-host warning.
# Usage: tests/kvm/boot-timing.sh [N]
set -eu
cd "$(dirname "$0")/../.."
N=${1:-20}
RVKVM=${RVKVM:-build/rvkvm}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

for _ in $(seq "$N"); do
	start=$(date +%s%N)
	"$RVKVM" --platform=kvm --stats --selftest 2>&1 >/dev/null |
		sed -n 's/.*kvm: \([0-9.]*\) ms to the first ring request, \([0-9.]*\) ms to exit.*/\1 \2/p' |
		tr '\n' ' ' >>"$out"
	echo "$(( ($(date +%s%N) - start) / 1000 ))" >>"$out"
done
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "host: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$("$RVKVM" --host-check 2>/dev/null | grep 'KVM kind' | sed 's/^ *//')"
echo "runs: $N of rvkvm --platform=kvm --stats --selftest"
echo "median ms to the first ring request: $(awk '{ print $1 }' "$out" | median)"
echo "median ms to exit (kvm_boot):         $(awk '{ print $2 }' "$out" | median)"
echo "median ms wall, whole command:        $(awk '{ print $3 / 1000 }' "$out" | median)"
