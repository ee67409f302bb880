#!/bin/bash
# Hostile and broken guests (docs/security.md): containment of runaway and
# orphaned guests, the isolation sweep, wild pointers, files written to the
# end, ring garbage, --root.  Every guest-visible result is compared with
# qemu-riscv64's on the same program.  kvm runs small samples: on an
# emulated-KVM host every instruction in the VM costs ~240 ns.
set -u
. "$(dirname "$0")/../lib.sh"

S=$RV_BUILD/security
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rvsec.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# sec_status NAME EXPECTED GOT [evidence]
sec_status() {
	if [ "$2" = "$3" ]; then
		echo "PASS $1"
	else
		echo "FAIL $1: status expected $2 got $3${4:+; $4}"
	fi
}

# A guest that runs after a hostile one must still run correctly.
after_check() {
	local name=$1 platform=$2 out st
	out=$(timeout "$(rv_timeout "$platform")" "$RVKVM" --platform="$platform" \
		"$S/spin" --once 2>/dev/null)
	st=$?
	if [ "$st" = 0 ] && [ "$out" = spinning ]; then
		echo "PASS $name"
	else
		echo "FAIL $name: a normal guest after it: expected 'spinning', status 0; got '$out', status $st"
	fi
}

# --timeout: status 124 and one line, as timeout(1) ends qemu-riscv64.
check_timeout() {
	local platform=$1 secs=$2 name=security/timeout-${2}s/$1 st qst t0 took
	t0=$(date +%s.%N)
	timeout -k 5 120 "$RVKVM" --platform="$platform" --timeout "$secs" "$S/spin" \
		>"$WORK/out" 2>"$WORK/err"
	st=$?
	took=$(echo "$(date +%s.%N) - $t0" | bc)
	timeout "$secs" "$QEMU_RISCV64" "$S/spin" >/dev/null 2>&1
	qst=$?
	if [ "$st" != "$qst" ]; then
		echo "FAIL $name: status expected $qst (qemu-riscv64 under timeout $secs) got $st"
	elif [ "$(grep -c . "$WORK/err" | head -1)" != 1 ] ||
		! grep -qx "rvkvm: timeout after $secs s" "$WORK/err"; then
		echo "FAIL $name: stderr expected 'rvkvm: timeout after $secs s' alone, got '$(tr '\n' '|' <"$WORK/err")'"
	elif [ "$(echo "$took < $secs - 0.05 || $took > $secs + 5" | bc)" = 1 ]; then
		echo "FAIL $name: ended after $took s, expected $secs s"
	else
		echo "PASS $name"
	fi
}

# SIGINT/SIGTERM sent to a runaway guest: 130/143, as qemu-riscv64 (which
# dies of the signal).  Background jobs start with SIGINT ignored, so qemu
# gets it back to the default the way a terminal's foreground job has it.
check_stop_signal() {
	local platform=$1 sig=$2 settle=$3 name=security/sig$2/$1 p st qst
	"$RVKVM" --platform="$platform" "$S/spin" >/dev/null 2>&1 &
	p=$!
	sleep "$settle"
	kill -"$sig" $p
	wait $p
	st=$?
	env --default-signal=INT "$QEMU_RISCV64" "$S/spin" >/dev/null 2>&1 &
	p=$!
	sleep 0.5
	kill -"$sig" $p
	wait $p
	qst=$?
	sec_status "$name" "$qst" "$st"
}

# A reader that leaves: the guest's SIGPIPE default, ignored and handled.
check_sigpipe() {
	local platform=$1 mode=$2 name=security/sigpipe-$2/$1 st qst
	(ulimit -c 0
	 "$QEMU_RISCV64" "$S/sigpipe" "$mode" 2>"$WORK/qerr" | head -c 1 >/dev/null
	 echo "${PIPESTATUS[0]}" >"$WORK/qst")
	(ulimit -c 0
	 timeout -k 5 "$(rv_timeout "$platform")" "$RVKVM" --platform="$platform" \
		"$S/sigpipe" "$mode" 2>"$WORK/rerr" | head -c 1 >/dev/null
	 echo "${PIPESTATUS[0]}" >"$WORK/rst")
	qst=$(cat "$WORK/qst") st=$(cat "$WORK/rst")
	rv_guest_stderr "$WORK/qerr" >"$WORK/qerr.g"
	rv_guest_stderr "$WORK/rerr" >"$WORK/rerr.g"
	if [ "$qst" != "$st" ]; then
		echo "FAIL $name: status expected $qst got $st; rvkvm said: $(head -c 200 "$WORK/rerr" | tr '\n' '|')"
	elif ! cmp -s "$WORK/qerr.g" "$WORK/rerr.g"; then
		echo "FAIL $name: stderr differs: $(rv_short_diff "$WORK/qerr.g" "$WORK/rerr.g")"
	else
		echo "PASS $name"
	fi
}

for platform in $(rv_platforms); do
	rv_platform_ready "security/$platform" "$platform" || continue
	if [ "$platform" = kvm ]; then
		# Past the ~15 s boot of an emulated host, so the timer fires
		# while translated code runs.
		check_timeout kvm 25
		check_stop_signal kvm INT 20
		check_stop_signal kvm TERM 20
		check_sigpipe kvm default
		check_sigpipe kvm ignore
		after_check security/after-containment/kvm kvm
	else
		check_timeout proc 1
		check_timeout proc 0.5
		check_stop_signal proc INT 0.3
		check_stop_signal proc TERM 0.3
		for mode in default ignore handler writev; do
			check_sigpipe proc "$mode"
		done
		after_check security/after-containment/proc proc
	fi
done
exit 0
