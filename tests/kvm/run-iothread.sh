#!/bin/bash
# The launcher's I/O thread (--io-thread, docs/architecture.md "The I/O
# thread"): a program making ~370 small host calls in a row (iothread.S:
# one-byte writes, then a file copied to stdout by 37-byte reads) gives the
# stdout and exit status qemu-riscv64 gives, with the thread on and off;
# --stats shows the thread serving requests (fewer doorbell exits than
# requests) when on, and exactly one doorbell exit per request when off.
# The program has no C library: each kvm run takes about a second on an
# emulated-KVM host.  How many requests the thread serves depends on the
# host's load (on a busy host it backs off to doorbells, by design), so the
# "on" line reports the split without judging it; that the thread serves
# requests at all, on any load, is tests/unit/run-programs.sh's ring.iothread.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

PROG=$RV_BUILD/kvm/iothread
INPUT=$RV_ROOT/tests/kvm/iothread.S
CHECKS=(iothread-on iothread-off iothread-on-stats iothread-off-stats)
work=$(mktemp -d "${TMPDIR:-/tmp}/rvkvm-io.XXXXXX")
trap 'rm -rf "$work"' EXIT

if ! rv_platform_ready kvm/iothread kvm >"$work/why"; then
	for c in "${CHECKS[@]}"; do echo "SKIP kvm/$c: $(sed 's/^SKIP [^:]*: //' "$work/why")"; done
	exit 0
fi
for f in "$RVKVM" "$PROG"; do
	[ -x "$f" ] || { for c in "${CHECKS[@]}"; do echo "FAIL kvm/$c: $f not built"; done; exit 0; }
done

rv_run "$work/qemu" /dev/null "$RVTEST_TIMEOUT_PROC" "$QEMU_RISCV64" "$PROG" "$INPUT"
qs=$(cat "$work/qemu/status")
if [ "$qs" != 7 ]; then
	for c in "${CHECKS[@]}"; do
		echo "FAIL kvm/$c: qemu-riscv64 itself gave status $qs, expected 7 (reference unusable)"
	done
	exit 0
fi

# The counters of the launcher's "I/O thread" stats line.
stat_field() {
	sed -n "s/.*I\/O thread [a-z]*: \([0-9]*\) requests served by it, \([0-9]*\) on doorbell exits (\([0-9]*\) doorbells.*/\\$2/p" "$1"
}

# run_once IO DIR: one run; prints a FAIL line and returns 1 if its
# stdout or status differs from qemu-riscv64's.
run_once() {
	local io=$1 d=$2 rs
	rv_run "$d" /dev/null "$RVTEST_TIMEOUT_KVM" "$RVKVM" --platform=kvm --io-thread="$io" \
		--stats "$PROG" "$INPUT"
	rs=$(cat "$d/status")
	if [ "$rs" != "$qs" ]; then
		echo "FAIL kvm/iothread-$io: status expected $qs got $rs; rvkvm said: $(grep '^rvkvm: ' "$d/err" | grep -v -e 'stats:' -e warning | head -n 3 | tr '\n' '|')"
		return 1
	elif ! cmp -s "$work/qemu/out" "$d/out"; then
		echo "FAIL kvm/iothread-$io: stdout differs from qemu-riscv64's: $(rv_short_diff "$work/qemu/out" "$d/out")"
		return 1
	fi
	return 0
}

for io in on off; do
	d=$work/$io
	run_once "$io" "$d" || continue
	echo "PASS kvm/iothread-$io: stdout and status $qs as qemu-riscv64's"

	by_thread=$(stat_field "$d/err" 1)
	by_doorbell=$(stat_field "$d/err" 2)
	doorbells=$(stat_field "$d/err" 3)
	if [ -z "$by_thread" ] || [ -z "$by_doorbell" ] || [ -z "$doorbells" ]; then
		echo "FAIL kvm/iothread-$io-stats: no I/O thread line in --stats: $(grep 'kvm:' "$d/err" | tr '\n' '|')"
		continue
	fi
	requests=$((by_thread + by_doorbell))
	per_syscall=$(sed -n 's/.*guest system calls, \([0-9.]*\) VM exits per system call.*/\1/p' "$d/err")
	if [ -z "$per_syscall" ]; then
		echo "FAIL kvm/iothread-$io-stats: no exits-per-system-call line in --stats: $(grep 'kvm:' "$d/err" | tr '\n' '|')"
		continue
	fi
	summary="$requests requests, $by_thread by the I/O thread, $doorbells doorbell exits, $per_syscall exits per system call"
	if [ "$io" = on ]; then
		if [ "$requests" -gt 0 ] && [ "$by_doorbell" -le "$doorbells" ]; then
			echo "PASS kvm/iothread-on-stats: $summary (load average $(cut -d' ' -f1-3 /proc/loadavg))"
		else
			echo "FAIL kvm/iothread-on-stats: expected every request counted and no more served on doorbell exits than doorbells, got $summary"
		fi
	elif [ "$by_thread" -eq 0 ] && [ "$doorbells" -eq "$requests" ]; then
		echo "PASS kvm/iothread-off-stats: $summary"
	else
		echo "FAIL kvm/iothread-off-stats: expected one doorbell exit per request and none served by a thread, got $summary"
	fi
done
exit 0
