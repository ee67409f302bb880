#!/bin/sh
# fpu_exec against the real F/D instructions under qemu-riscv64: one check per
# instruction, over every vector tests/fpu/vectors.c generates for it, for
# the hosted build (fpu.*, SSE/FMA3) and as the monitor builds it (fpu-soft.*,
# no vector registers: all in integers).
cd "$(dirname "$0")/../.." || exit 1
out=${B:-build}/tests/fpu

if ! command -v qemu-riscv64 >/dev/null 2>&1; then
	echo "SKIP fpu: qemu-riscv64 not installed"
	exit 0
fi
for p in fpu-ref fpu-host fpu-host-soft; do
	if [ ! -x "$out/$p" ]; then
		echo "FAIL fpu.build: $out/$p missing (make test-programs)"
		exit 0
	fi
done
if ! qemu-riscv64 "$out/fpu-ref" >"$out/expected.txt"; then
	echo "FAIL fpu.reference: qemu-riscv64 $out/fpu-ref exited with status $?"
	exit 0
fi
for host in fpu-host fpu-host-soft; do
	prefix=${host#fpu-host}
	prefix=fpu${prefix:+-soft}
	if ! "$out/$host" >"$out/got-$host.txt"; then
		echo "FAIL $prefix.host: $out/$host exited with status $?"
		continue
	fi
	awk -v got="$out/got-$host.txt" -v prefix="$prefix" '
	{
		if ((getline g < got) <= 0)
			g = "<missing>";
		name = $1;
		if (!(name in total))
			order[n++] = name;
		total[name]++;
		if ($0 != g) {
			bad[name]++;
			if (!(name in first))
				first[name] = "expected [" $0 "] got [" g "]";
		}
	}
	END {
		if ((getline g < got) > 0)
			print "FAIL " prefix ".length: " prefix " printed more lines than the reference";
		for (i = 0; i < n; i++) {
			name = order[i];
			if (name in bad)
				printf "FAIL %s.%s: %d of %d vectors differ, first: %s\n", prefix, name, bad[name], total[name], first[name];
			else
				printf "PASS %s.%s (%d vectors)\n", prefix, name, total[name];
		}
	}' "$out/expected.txt"
done
"$out/fpu-host" --soft || echo "FAIL fpu.soft: fpu-host --soft exited with status $?"
exit 0
