#!/bin/bash
# A/B of two rvkvm builds on the benchmarks: what one change buys, in one
# run.  The two are run alternately, N times each per benchmark, and the
# minimum CPU time (user + system) of each is compared: the minimum of
# interleaved runs is the figure least moved by whatever else the host is
# doing, and CPU time leaves out the time a busy host keeps the process
# waiting.  Both must print what qemu-riscv64 prints.
#
#   tests/bench/ab.sh BEFORE AFTER [bench...]     (default: every benchmark)
#
# Environment: N (default 5), SCALE (default 100), PLATFORM (default proc).
set -u
cd "$(dirname "$0")/../.."

if [ $# -lt 2 ]; then
	echo "usage: tests/bench/ab.sh BEFORE-RVKVM AFTER-RVKVM [bench...]" >&2
	exit 2
fi
before=$1 after=$2
shift 2
N=${N:-5} SCALE=${SCALE:-100} PLATFORM=${PLATFORM:-proc}
benches=("$@")
if [ ${#benches[@]} -eq 0 ]; then
	for src in tests/bench/programs/*.c; do
		benches+=("$(basename "$src" .c)")
	done
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/rvab.XXXXXX")
trap 'rm -rf "$work"' EXIT

# cpu_seconds BIN PROG: user+system seconds of one run; its stdout in $work/out.
cpu_seconds() {
	/usr/bin/time -f "%U %S" -o "$work/time" "$1" --platform="$PLATFORM" "$2" "$SCALE" \
		>"$work/out" 2>/dev/null || return 1
	awk '{ printf "%.2f\n", $1 + $2 }' "$work/time"
}

printf '%-10s %9s %9s %8s\n' benchmark before after after/before
status=0
logsum=0 rows=0
for b in "${benches[@]}"; do
	prog=build/bench/$b.rv
	if [ ! -x "$prog" ]; then
		echo "$b: $prog not built (make bench builds it)" >&2
		status=1
		continue
	fi
	qemu-riscv64 "$prog" "$SCALE" >"$work/expected" 2>/dev/null
	best_b="" best_a="" wrong=""
	for _ in $(seq "$N"); do
		for side in b a; do
			bin=$before
			[ $side = a ] && bin=$after
			if ! t=$(cpu_seconds "$bin" "$prog") || ! cmp -s "$work/out" "$work/expected"; then
				wrong="$wrong $bin"
				continue
			fi
			if [ $side = b ]; then
				[ -z "$best_b" ] || awk "BEGIN { exit !($t < $best_b) }" && best_b=$t
			else
				[ -z "$best_a" ] || awk "BEGIN { exit !($t < $best_a) }" && best_a=$t
			fi
		done
	done
	if [ -n "$wrong" ] || [ -z "$best_b" ] || [ -z "$best_a" ]; then
		echo "$b: wrong output or failed run from:$wrong" >&2
		status=1
		continue
	fi
	ratio=$(awk "BEGIN { printf \"%.3f\", $best_a / $best_b }")
	printf '%-10s %9s %9s %8s\n' "$b" "$best_b" "$best_a" "$ratio"
	logsum=$(awk "BEGIN { print $logsum + log($ratio) }")
	rows=$((rows + 1))
done
[ $rows -gt 0 ] && awk "BEGIN { printf \"%-10s %9s %9s %8.3f  (%d rows)\n\", \"geomean\", \"\", \"\", exp($logsum / $rows), $rows }"
echo "N=$N SCALE=$SCALE PLATFORM=$PLATFORM; CPU seconds, minimum of N interleaved runs"
exit $status
