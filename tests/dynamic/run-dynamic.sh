#!/bin/bash
# Dynamically linked guest programs (tests/guest/*.c built by dynamic.mk
# without -static): each run under `qemu-riscv64 -L SYSROOT` and under
# `rvkvm -L SYSROOT`, compared as the static ones are (stdout, stderr, exit
# status, files).  On kvm only hello runs: on an emulated-KVM host ld.so's
# relocation work alone costs minutes there.  Also: glibc's own banner
# (libc.so.6 run as a program), ld.so --list, the sysroot taken from
# RVKVM_LD_PREFIX and by default, and the one-line error for a missing
# interpreter.
set -u
. "$(dirname "$0")/../lib.sh"

SYSROOT=/usr/riscv64-linux-gnu
D=$RV_BUILD/dynamic
W=$RV_BUILD/dynamic-run
LD_SO=$SYSROOT/lib/ld-linux-riscv64-lp64d.so.1

if [ ! -e "$LD_SO" ]; then
	echo "SKIP dynamic: no riscv64 glibc at $SYSROOT (apt-get install libc6-riscv64-cross)"
	exit 0
fi

# compare_with_qemu runs "$QEMU_RISCV64 prog" and "$RVKVM --platform=P prog"
# under env -i; these wrappers add the sysroot each way.
mkdir -p "$W"
printf '#!/bin/sh\nexec %s -L %s "$@"\n' "$QEMU_RISCV64" "$SYSROOT" >"$W/qemu-L"
printf '#!/bin/sh\nexec %s -L %s "$@"\n' "$RVKVM" "$SYSROOT" >"$W/rvkvm-L"
printf '#!/bin/sh\nRVKVM_LD_PREFIX=%s exec %s "$@"\n' "$SYSROOT" "$RVKVM" >"$W/rvkvm-env"
chmod +x "$W/qemu-L" "$W/rvkvm-L" "$W/rvkvm-env"

with_sysroot() {
	QEMU_RISCV64=$W/qemu-L RVKVM=$W/rvkvm-L compare_with_qemu "$@"
}

# compare_masked NAME PLATFORM -- prog args: as with_sysroot, but load
# addresses (hex numbers of 8 digits or more) are masked in stdout: each
# runner has its own layout (docs/linux.md, Address space).
compare_masked() {
	local name=$1 platform=$2
	shift 3
	rv_run "$W/q" /dev/null "$RVTEST_TIMEOUT_PROC" "$W/qemu-L" "$@"
	rv_run "$W/r" /dev/null "$(rv_timeout "$platform")" "$W/rvkvm-L" --platform="$platform" "$@"
	local mask='s/0x[0-9a-f]\{8,\}/ADDR/g' why=()
	sed "$mask" "$W/q/out" >"$W/q.out"
	sed "$mask" "$W/r/out" >"$W/r.out"
	[ "$(cat "$W/q/status")" = "$(cat "$W/r/status")" ] ||
		why+=("status expected $(cat "$W/q/status") got $(cat "$W/r/status")")
	cmp -s "$W/q.out" "$W/r.out" || why+=("stdout differs: $(rv_short_diff "$W/q.out" "$W/r.out")")
	rv_guest_stderr "$W/q/err" >"$W/q.err"
	rv_guest_stderr "$W/r/err" >"$W/r.err"
	cmp -s "$W/q.err" "$W/r.err" || why+=("stderr differs: $(rv_short_diff "$W/q.err" "$W/r.err")")
	if [ ${#why[@]} -eq 0 ]; then
		echo "PASS $name"
	else
		echo "FAIL $name: ${why[*]}"
	fi
}

t=dynamic
# The kvm run first, in the background (rv_job): on an emulated-KVM host it
# is the suite's longest by far, and the proc checks fit in its time.
for platform in $(rv_platforms); do
	[ "$platform" = kvm ] && rv_job with_sysroot "$t/hello/$platform" kvm --timeout 120 -- "$D/hello"
done
for platform in $(rv_platforms); do
	[ "$platform" = kvm ] && continue
	for p in hello fileio mmap fp atomics amo-misaligned syscalls setjmp smc strfuncs divzero illegal; do
		with_sysroot "$t/$p/$platform" "$platform" -- "$D/$p"
	done
	compare_masked "$t/args/$platform" "$platform" -- "$D/args" one "two words" "" "-x"
	with_sysroot "$t/malloc/$platform" "$platform" -- "$D/malloc" 2000
	with_sysroot "$t/ls/$platform" "$platform" -- "$D/ls" "$RV_ROOT/tests/guest"
	with_sysroot "$t/stdin/$platform" "$platform" --stdin "$RV_ROOT/tests/guest/wc.c" -- "$D/stdin"
	with_sysroot "$t/wc/$platform" "$platform" -- "$D/wc" "$SYSROOT/lib/libc.so.6"
	with_sysroot "$t/bigmem-8m/$platform" "$platform" -- "$D/bigmem" 8
	# Code mapped (over, or after munmap) where a routine's entry was runs itself.
	with_sysroot "$t/remap/$platform" "$platform" -- "$D/remap"
	# maps names libc.so.6 and ld.so from their mapped files (procfs.c).
	with_sysroot "$t/procself/$platform" "$platform" -- "$D/procself" one "two words"
	# libc.so.6's string routines run as host code too (routines.c reads
	# its .dynsym when its code first runs): strfuncs' calls are counted.
	ran=$("$W/rvkvm-L" --platform="$platform" --stats "$D/strfuncs" 2>&1 >/dev/null |
		awk '/stats: library routines/ { print $5 }')
	if [ "${ran:-0}" -ge 10000 ]; then
		echo "PASS $t/host-strings/$platform ($ran calls)"
	else
		echo "FAIL $t/host-strings/$platform: ${ran:-no} library routine calls, 10000 expected"
	fi
	with_sysroot "$t/libc-banner/$platform" "$platform" -- "$SYSROOT/lib/libc.so.6"
	compare_masked "$t/ld-list/$platform" "$platform" -- "$LD_SO" --list "$D/hello"
	QEMU_RISCV64=$W/qemu-L RVKVM=$W/rvkvm-env \
		compare_with_qemu "$t/ld-prefix-env/$platform" "$platform" -- "$D/hello"
	QEMU_RISCV64=$W/qemu-L compare_with_qemu "$t/default-sysroot/$platform" "$platform" -- "$D/hello"

	# -L '' asks for no sysroot at all, not the default: ld.so is then
	# looked up on the host, where this one does not exist.
	rv_run "$W/empty" /dev/null "$RVTEST_TIMEOUT_PROC" \
		"$RVKVM" --platform="$platform" -L '' "$D/hello"
	if [ -e /lib/ld-linux-riscv64-lp64d.so.1 ]; then
		echo "SKIP $t/empty-sysroot/$platform: this host has a riscv64 ld.so in /lib"
	elif [ "$(cat "$W/empty/status")" = 127 ] &&
		grep -q '^rvkvm: .*interpreter .*: No such file or directory' "$W/empty/err"; then
		echo "PASS $t/empty-sysroot/$platform"
	else
		echo "FAIL $t/empty-sysroot/$platform: expected 127 and 'No such file', got $(cat "$W/empty/status"): $(head -c 200 "$W/empty/err" | tr '\n' '|')"
	fi

	# No interpreter under the sysroot nor on the host: execve's ENOENT,
	# one line and 127 (qemu-riscv64 says "Could not open" and exits 1).
	n=$t/missing-interpreter/$platform
	rv_run "$W/missing" /dev/null "$RVTEST_TIMEOUT_PROC" \
		"$RVKVM" --platform="$platform" -L "$W/no-such-sysroot" "$D/hello"
	st=$(cat "$W/missing/status")
	lines=$(wc -l <"$W/missing/err")
	if [ "$st" = 127 ] && [ "$lines" = 1 ] && grep -q '^rvkvm: .*interpreter' "$W/missing/err" &&
		[ ! -s "$W/missing/out" ]; then
		echo "PASS $n"
	else
		echo "FAIL $n: expected status 127 and one 'rvkvm: ... interpreter' line, got status $st and: $(head -c 300 "$W/missing/err" | tr '\n' '|')"
	fi
done
rv_jobs_wait
exit 0
