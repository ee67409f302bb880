#!/bin/bash
# The end of `make run`: the demo once more at a larger size, timed under
# rvkvm (the platform `--platform=auto` picks, named) and under
# qemu-riscv64, with the speed-up.  Both must print the same picture.
#
#   scripts/demo-speed.sh RVKVM DEMO
set -u
rvkvm=$1
demo=$2
size=(120 40 1500)
work=$(mktemp -d "${TMPDIR:-/tmp}/rvkvm-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT

seconds() {
	local start end
	start=$(date +%s.%N)
	"$@" >"$work/out" 2>"$work/err"
	local status=$?
	end=$(date +%s.%N)
	echo "$start $end" | awk '{ printf "%.2f", $2 - $1 }'
	return $status
}

if ! command -v qemu-riscv64 >/dev/null; then
	echo "demo: qemu-riscv64 is not installed (scripts/install-deps.sh installs it): no comparison"
	exit 0
fi
echo
echo "demo timing: forth ${size[*]} (a larger picture), once under each"
if ! t_rvkvm=$(seconds "$rvkvm" --verbose "$demo" "${size[@]}"); then
	echo "demo: rvkvm failed: $(tail -n 1 "$work/err")" >&2
	exit 1
fi
platform=$(sed -n 's/^rvkvm: platform \([a-z]*\):.*/\1/p' "$work/err" | head -n 1)
why=$(sed -n 's/^rvkvm: platform [a-z]*: //p' "$work/err" | head -n 1)
mv "$work/out" "$work/rvkvm.out"
if ! t_qemu=$(seconds qemu-riscv64 "$demo" "${size[@]}"); then
	echo "demo: qemu-riscv64 failed: $(tail -n 1 "$work/err")" >&2
	exit 1
fi
if ! cmp -s "$work/out" "$work/rvkvm.out"; then
	echo "demo: rvkvm and qemu-riscv64 printed different output" >&2
	exit 1
fi
echo "  rvkvm --platform=auto (chose ${platform:-?}${why:+: $why}): ${t_rvkvm} s"
echo "  qemu-riscv64:                  ${t_qemu} s"
echo "$t_qemu $t_rvkvm" | awk '{ if ($2 > 0) printf "  rvkvm is %.1fx as fast as qemu-riscv64 here, same output\n", $1 / $2 }'
