#!/bin/bash
# run-bench-check.sh - every benchmark at its tiny size (scale 1) prints the
# same checksum natively, under qemu-riscv64 and under rvkvm --platform=proc.
# Correctness only: nothing here is timed.  RVKVM names the binary under test.
cd "$(dirname "$0")/../.." || exit 0
BD=build/bench
RVKVM=${RVKVM:-build/rvkvm}
LIMIT=120

first_line() { head -n 1 "$1" 2>/dev/null | cut -c 1-120; }

out=$(mktemp -d "${TMPDIR:-/tmp}/rvkvm-bench-check.XXXXXX") || exit 0
trap 'rm -rf "$out"' EXIT

for src in tests/bench/programs/*.c; do
	name=$(basename "$src" .c)
	check="bench-checksum-$name"
	if [ ! -x "$BD/$name.rv" ] || [ ! -x "$BD/$name.x86" ]; then
		echo "FAIL $check: $BD/$name.rv or $BD/$name.x86 not built (make test-programs)"
		continue
	fi
	timeout "$LIMIT" "$BD/$name.x86" 1 >"$out/native" 2>"$out/native.err"
	st_native=$?
	timeout "$LIMIT" qemu-riscv64 "$BD/$name.rv" 1 >"$out/qemu" 2>"$out/qemu.err"
	st_qemu=$?
	if [ "$st_qemu" != 0 ]; then
		echo "FAIL $check: qemu-riscv64 exit status $st_qemu: $(first_line "$out/qemu.err")"
		continue
	fi
	if [ "$st_native" != 0 ] || ! cmp -s "$out/native" "$out/qemu"; then
		echo "FAIL $check: native (status $st_native) '$(first_line "$out/native")'" \
			"vs qemu-riscv64 '$(first_line "$out/qemu")'"
		continue
	fi
	if [ ! -x "$RVKVM" ]; then
		echo "SKIP $check: $RVKVM not built; native and qemu-riscv64 agree"
		continue
	fi
	timeout "$LIMIT" "$RVKVM" --platform=proc "$BD/$name.rv" 1 >"$out/proc" 2>"$out/proc.err"
	st_proc=$?
	if [ "$st_proc" != 0 ]; then
		echo "FAIL $check: rvkvm --platform=proc exit status $st_proc" \
			"(expected 0): $(first_line "$out/proc.err")"
	elif ! cmp -s "$out/proc" "$out/qemu"; then
		echo "FAIL $check: rvkvm --platform=proc printed '$(first_line "$out/proc")'," \
			"qemu-riscv64 '$(first_line "$out/qemu")'"
	else
		echo "PASS $check"
	fi
done
exit 0
