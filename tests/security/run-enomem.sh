#!/bin/bash
# Guest memory exhaustion (docs/linux.md, Memory map): under -m, a guest
# that takes memory until refused gets ENOMEM from mmap and brk and NULL
# from malloc, and goes on working, as a Linux process under `ulimit -v`
# does: compared with qemu-riscv64 under `prlimit --as` (a limit qemu's own
# allocations leave room under).  On kvm, where a private file mapping is
# backed only when touched, a guest touching more than the VM's RAM is
# killed with one clear line and status 137 (SIGKILL, as Linux's OOM
# killer), never a monitor crash.
set -u
. "$(dirname "$0")/../lib.sh"

PROG=$RV_BUILD/security/enomem
W=$RV_BUILD/enomem-run
GUEST_LIMIT=64M
QEMU_AS=$((1 << 30))
KVM_RAM=48M

mkdir -p "$W"
if [ ! -x "$PROG" ]; then
	echo "FAIL security/enomem: $PROG not built (make test-programs)"
	exit 0
fi

# check NAME: the runs in $W/q and $W/r, stdout and status compared.
check() {
	local name=$1 qs rs
	qs=$(cat "$W/q/status")
	rs=$(cat "$W/r/status")
	if [ "$qs" != 0 ] || grep -q 'never refused' "$W/q/out"; then
		echo "SKIP $name: qemu-riscv64 under prlimit --as=$QEMU_AS gives no reference (status $qs)"
	elif [ "$rs" != "$qs" ]; then
		echo "FAIL $name: status expected $qs got $rs: $(head -c 300 "$W/r/err" | tr '\n' '|')"
	elif ! cmp -s "$W/q/out" "$W/r/out"; then
		echo "FAIL $name: stdout differs: $(rv_short_diff "$W/q/out" "$W/r/out")"
	else
		echo "PASS $name"
	fi
}

for platform in $(rv_platforms); do
	t=security/enomem
	rv_platform_ready "$t/$platform" "$platform" || continue
	if [ "$platform" = kvm ]; then
		rv_run "$W/k" /dev/null "$(rv_timeout kvm)" \
			"$RVKVM" --platform=kvm -m "$KVM_RAM" "$PROG" file
		st=$(cat "$W/k/status")
		msg=$(grep -c '^rvkvm: out of guest memory filling a file mapping' "$W/k/err")
		if [ "$st" = 137 ] && [ "$msg" = 1 ] && ! grep -q 'internal error\|crash' "$W/k/err"; then
			echo "PASS $t/file-touch-beyond-ram/kvm"
		else
			echo "FAIL $t/file-touch-beyond-ram/kvm: expected status 137 and one 'out of guest memory' line, got $st: $(head -c 300 "$W/k/err" | tr '\n' '|')"
		fi
		continue
	fi
	for mode in mmap brk malloc reserve; do
		rv_run "$W/q" /dev/null "$RVTEST_TIMEOUT_PROC" prlimit --as="$QEMU_AS" "$QEMU_RISCV64" "$PROG" "$mode"
		rv_run "$W/r" /dev/null "$(rv_timeout "$platform")" \
			"$RVKVM" --platform="$platform" -m "$GUEST_LIMIT" "$PROG" "$mode"
		check "$t/$mode/$platform"
	done
	# A mapping bigger than the limit is refused whole at mmap, as Linux's
	# may_expand_vm() refuses one bigger than RLIMIT_AS.
	rv_run "$W/r" /dev/null "$(rv_timeout "$platform")" \
		"$RVKVM" --platform="$platform" -m "$GUEST_LIMIT" "$PROG" file
	if [ "$(cat "$W/r/status")" = 0 ] &&
		[ "$(cat "$W/r/out")" = "file mapping refused: Cannot allocate memory" ]; then
		echo "PASS $t/file-over-limit/$platform"
	else
		echo "FAIL $t/file-over-limit/$platform: expected ENOMEM and status 0, got $(cat "$W/r/status"): $(head -c 200 "$W/r/out" | tr '\n' '|')"
	fi
done
exit 0
