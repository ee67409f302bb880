#!/bin/sh
# Translator unit tests: emitter bytes against GNU objdump, the snippets'
# own expectations against qemu-riscv64, then the snippets through the
# translator in the hosted harness.  Build first: make test-programs.
cd "$(dirname "$0")/../.." || exit 1
out=${B:-build}/tests/unit/dbt

for p in dbt-emit-test dbt-harness; do
	if [ ! -x "$out/$p" ]; then
		echo "FAIL dbt.build: $out/$p missing (make test-programs)"
		exit 0
	fi
done

# Emitter: what objdump reads back must be what each case says it emitted.
if ! "$out/dbt-emit-test" "$out"; then
	echo "FAIL dbt.emit: $out/dbt-emit-test exited with status $?"
else
	objdump -D -b binary -m i386:x86-64 -M intel --insn-width=16 "$out/emit.bin" |
		awk -F '\t' '/^ *[0-9a-f]+:\t/ { print $3 }' |
		sed 's/  */ /g; s/ *$//' >"$out/emit.got"
	awk -v got="$out/emit.got" '
	{
		if ((getline g < got) <= 0)
			g = "<nothing>";
		n++;
		if (g != $0) {
			printf "FAIL dbt.emit.%d: expected \"%s\", objdump read \"%s\"\n", n, $0, g;
			bad++;
		}
	}
	END {
		if ((getline g < got) > 0) {
			printf "FAIL dbt.emit.extra: objdump read more instructions than expected: \"%s\"\n", g;
			bad++;
		}
		if (!bad)
			printf "PASS dbt.emit (%d encodings)\n", n;
	}' "$out/emit.expect"
fi

# The expectations in the self-checking snippets, confirmed by qemu-riscv64.
if command -v qemu-riscv64 >/dev/null 2>&1; then
	for s in int muldiv atomic csr; do
		qemu-riscv64 "$out/$s.elf"
		status=$?
		if [ $status -eq 0 ]; then
			echo "PASS dbt.qemu.$s"
		else
			echo "FAIL dbt.qemu.$s: qemu-riscv64 disagrees with check $status of $s.S"
		fi
	done
else
	echo "SKIP dbt.qemu: qemu-riscv64 not installed"
fi

"$out/dbt-harness" "$out" || echo "FAIL dbt.harness: exited with status $?"
exit 0
