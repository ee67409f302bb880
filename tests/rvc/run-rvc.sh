#!/bin/sh
# rvc_expand for every 16-bit word, checked against riscv64-linux-gnu-objdump.
cd "$(dirname "$0")/../.." || exit 1
out=${B:-build}/tests/rvc
objdump=riscv64-linux-gnu-objdump

if ! command -v $objdump >/dev/null 2>&1; then
	echo "SKIP rvc.sweep: $objdump not installed"
	exit 0
fi
if [ ! -x "$out/rvc-sweep" ]; then
	echo "FAIL rvc.build: $out/rvc-sweep missing (make test-programs)"
	exit 0
fi
if ! "$out/rvc-sweep" gen "$out/c.bin" "$out/x.bin"; then
	echo "FAIL rvc.gen: rvc-sweep gen failed"
	exit 0
fi
for f in c x; do
	if ! $objdump -D -M no-aliases -b binary -m riscv:rv64 "$out/$f.bin" >"$out/$f.dis"; then
		echo "FAIL rvc.objdump: $objdump failed on $out/$f.bin"
		exit 0
	fi
done
"$out/rvc-sweep" check "$out/c.dis" "$out/x.dis"
exit 0
