#!/bin/bash
# The launcher and the monitor on KVM: boot and self-check, the host-kind
# measurement, the ring (forged requests, a full ring, 1 MiB in order), the
# crash path (monitor #PF, triple fault) and the launcher's bad-input errors.
# Each monitor run is small: on an emulated-KVM host every instruction in
# the VM costs hundreds of ns (DESIGN.md section 2).
#
# Environment: RVKVM (default build/rvkvm), RVKVM_MONITOR (default
# build/monitor.elf), RVTEST_TIMEOUT_KVM (seconds per run, default 600).
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

MONITOR=${RVKVM_MONITOR:-$RV_ROOT/build/monitor.elf}
TMO=$RVTEST_TIMEOUT_KVM
work=$(mktemp -d "${TMPDIR:-/tmp}/rvkvm-kvm.XXXXXX")
trap 'rm -rf "$work"' EXIT

CHECKS=(selftest banner host-check-kind ring-forged ring-full ring-megabyte
	crash-pagefault crash-triple sigterm sigint bad-kvm-device bad-monitor-missing
	bad-monitor-unreadable bad-monitor-truncated bad-monitor-corrupt bad-ram-size)

skip_all() {
	for c in "${CHECKS[@]}"; do echo "SKIP kvm/$c: $1"; done
	exit 0
}
[ -e /dev/kvm ] || skip_all "no /dev/kvm on this host"
{ [ -r /dev/kvm ] && [ -w /dev/kvm ]; } || skip_all "/dev/kvm not accessible to $(id -un)"
[ -x "$RVKVM" ] || { for c in "${CHECKS[@]}"; do echo "FAIL kvm/$c: $RVKVM not built"; done; exit 0; }
[ -f "$MONITOR" ] || { for c in "${CHECKS[@]}"; do echo "FAIL kvm/$c: $MONITOR not built"; done; exit 0; }

# run NAME args...: rvkvm on kvm with the monitor under test; leaves
# $work/NAME.out, .err, .status.
run() {
	local name=$1
	shift
	timeout -k 5 "$TMO" "$RVKVM" --platform=kvm --monitor "$MONITOR" "$@" \
		>"$work/$name.out" 2>"$work/$name.err" </dev/null
	echo $? >"$work/$name.status"
}
status() { cat "$work/$1.status"; }
first_line() { grep -m1 "$2" "$work/$1.err" | cut -c1-150; }
err_excerpt() { head -c 300 "$work/$1.err" | tr '\n' '|'; }

# --- boot and self-check ---------------------------------------------------
run selftest --selftest
if [ "$(status selftest)" = 0 ] && grep -q '^selftest: summary: ok' "$work/selftest.out" &&
	! grep -q ': FAIL' "$work/selftest.out"; then
	echo "PASS kvm/selftest"
else
	echo "FAIL kvm/selftest: expected status 0 and every check ok, got status $(status selftest):" \
		"$(grep -m3 -e FAIL -e summary "$work/selftest.out" | tr '\n' '|') $(err_excerpt selftest)"
fi
version=$("$RVKVM" --version 2>/dev/null | grep -o '[0-9][0-9.]*' | head -n1)
if grep -q "^rvkvm ${version:-?} monitor: kvm boot" "$work/selftest.err"; then
	echo "PASS kvm/banner"
else
	echo "FAIL kvm/banner: expected 'rvkvm ${version:-?} monitor: kvm boot' on stderr, got: $(err_excerpt selftest)"
fi

# --- what kind of KVM: measured, compared with the cpuinfo flags -----------
timeout -k 5 "$TMO" "$RVKVM" --host-check --monitor "$MONITOR" >"$work/hc.out" 2>&1
kind=$(sed -n 's/^ *KVM kind *\([a-z]*\).*/\1/p' "$work/hc.out")
if grep -qw -e vmx -e svm /proc/cpuinfo; then expect=hardware; else expect=emulated; fi
if [ "$kind" = "$expect" ]; then
	echo "PASS kvm/host-check-kind"
else
	echo "FAIL kvm/host-check-kind: /proc/cpuinfo says $expect, measurement says '${kind:-nothing}': $(tr '\n' '|' <"$work/hc.out" | cut -c1-400)"
fi

# --- the ring ------------------------------------------------------------------
run ring --ring-garbage
forged_bad=$(grep '^ring-test: ' "$work/ring.err" | grep -v -e full-ring -e bulk -e 'all passed' -e 'written' -e 'per second' |
	grep -v ': ok ' | head -n 3 | tr '\n' '|')
forged_ok=$(grep -c '^ring-test: .*: ok ' "$work/ring.err")
if [ -z "$forged_bad" ] && [ "$forged_ok" -ge 11 ]; then
	echo "PASS kvm/ring-forged"
else
	echo "FAIL kvm/ring-forged: expected every forged request to get an error completion, got: ${forged_bad:-only $forged_ok ok lines} $(err_excerpt ring)"
fi
if grep -q '^ring-test: full-ring: ok' "$work/ring.err"; then
	echo "PASS kvm/ring-full"
else
	echo "FAIL kvm/ring-full: $(first_line ring full-ring || err_excerpt ring)"
fi
# 256 pages of 512 records "pageNNN\n", page numbers in hex, in order.
awk 'BEGIN { for (p = 0; p < 256; p++) for (r = 0; r < 512; r++) printf "page%03x\n", p }' \
	>"$work/ring.expect"
if [ "$(status ring)" = 0 ] && cmp -s "$work/ring.expect" "$work/ring.out"; then
	echo "PASS kvm/ring-megabyte"
else
	echo "FAIL kvm/ring-megabyte: expected status 0 and 1048576 ordered bytes on stdout, got status $(status ring), $(stat -c %s "$work/ring.out") bytes, first difference: $(cmp "$work/ring.expect" "$work/ring.out" 2>&1 | head -n1)"
fi

# --- the crash path ----------------------------------------------------------
run crash-pf --crash=pagefault
if [ "$(status crash-pf)" != 0 ] && grep -q 'monitor crash' "$work/crash-pf.err" &&
	grep -q 'vector 14 (#PF)  error code 0x2' "$work/crash-pf.err" &&
	grep -q 'cr2 0xffffff7f00000000' "$work/crash-pf.err" &&
	grep -q 'rip 0xffffff00001' "$work/crash-pf.err"; then
	echo "PASS kvm/crash-pagefault"
else
	echo "FAIL kvm/crash-pagefault: expected a non-zero exit and a report with #PF, error code 0x2, cr2 0xffffff7f00000000 and the rip, got status $(status crash-pf): $(err_excerpt crash-pf)"
fi
run crash-triple --crash=triple
if [ "$(status crash-triple)" != 0 ] && [ "$(status crash-triple)" != 124 ] &&
	grep -q 'triple fault' "$work/crash-triple.err" && grep -q 'rip 0x' "$work/crash-triple.err"; then
	echo "PASS kvm/crash-triple"
else
	echo "FAIL kvm/crash-triple: expected a triple-fault report and a non-zero exit, got status $(rv_status_text "$(status crash-triple)"): $(err_excerpt crash-triple)"
fi

# --- SIGINT/SIGTERM stop the vCPU: 128+signal, promptly, no process left ---
SPIN=$RV_BUILD/kvm/spin.riscv64
stop_test() {
	local name=$1 sig=$2 expect=$3
	if [ ! -x "$SPIN" ]; then
		echo "FAIL kvm/$name: $SPIN not built (make test-programs)"
		return
	fi
	# A background job starts with SIGINT ignored, which rvkvm passes on
	# to the guest as Linux does across execve: undo it, as a shell with
	# job control would.
	env --default-signal=INT "$RVKVM" --platform=kvm --monitor "$MONITOR" "$SPIN" \
		>"$work/$name.out" 2>"$work/$name.err" </dev/null &
	local pid=$! st waited=0
	sleep 2
	kill -"$sig" "$pid" 2>/dev/null
	while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 100 ]; do
		sleep 0.1
		waited=$((waited + 1))
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid"
		wait "$pid" 2>/dev/null
		echo "FAIL kvm/$name: still running 10 s after SIG$sig"
		return
	fi
	wait "$pid"
	st=$?
	if [ "$st" = "$expect" ]; then
		echo "PASS kvm/$name"
	else
		echo "FAIL kvm/$name: expected status $expect after SIG$sig, got $st: $(err_excerpt "$name")"
	fi
}
stop_test sigterm TERM 143
stop_test sigint INT 130

# --- bad input: one line, non-zero exit ------------------------------------------
# bad NAME PATTERN args...: expects a non-zero exit and PATTERN in a single
# "rvkvm: " line on stderr.
bad() {
	local name=$1 pattern=$2
	shift 2
	timeout -k 5 "$TMO" "$RVKVM" "$@" >"$work/$name.out" 2>"$work/$name.err" </dev/null
	local st=$? lines
	lines=$(wc -l <"$work/$name.err")
	if [ "$st" != 0 ] && [ "$st" != 124 ] && grep -q "^rvkvm: .*$pattern" "$work/$name.err" &&
		[ "$lines" -le 2 ]; then
		echo "PASS kvm/$name"
	else
		echo "FAIL kvm/$name: expected a non-zero exit and one 'rvkvm: ...$pattern' line, got status $st: $(err_excerpt "$name")"
	fi
}
bad bad-kvm-device '/nonexistent' --platform=kvm --kvm-device /nonexistent --monitor "$MONITOR" --selftest
bad bad-monitor-missing "$work/no-such-monitor.elf" --platform=kvm --monitor "$work/no-such-monitor.elf" --selftest
mkdir "$work/dir.elf"
bad bad-monitor-unreadable 'dir.elf' --platform=kvm --monitor "$work/dir.elf" --selftest
head -c 12000 "$MONITOR" >"$work/truncated.elf"
bad bad-monitor-truncated 'truncated' --platform=kvm --monitor "$work/truncated.elf" --selftest
head -c 65536 /dev/urandom >"$work/corrupt.elf"
bad bad-monitor-corrupt 'corrupt.elf' --platform=kvm --monitor "$work/corrupt.elf" --selftest
bad bad-ram-size '' --platform=kvm -m 100000G --monitor "$MONITOR" --selftest
exit 0
