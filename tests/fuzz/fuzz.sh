#!/bin/bash
# make fuzz N=... PLATFORM=proc|kvm [SEED=...]: N random sequences (rounded
# up to binaries of 100) on fresh seeds, compared with qemu-riscv64.  Prints
# the first seed so that a run can be repeated; a mismatch prints the seed,
# the sequence and the differing registers.  RVFUZZ_CLASS=rotate or fp in the
# environment makes the sequences mostly rotates or F/D (tests/fuzz/rvfuzz.c).
set -u
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
. tests/fuzz/fuzz-lib.sh

n=${1:-1000}
platform=${2:-proc}
seed=${3:-}
[ -n "$seed" ] || seed=$(( $(date +%s) % 1000000 * 1000 ))
binaries=$(( (n + 99) / 100 ))
dir=$RV_BUILD/fuzz-run
mkdir -p "$dir"
echo "rvfuzz: $((binaries * 100)) sequences on $platform, seeds $seed..$((seed + binaries - 1))"

passed=0 failed=0
for ((i = 0; i < binaries; i++)); do
	s=$((seed + i))
	"$FUZZ_GEN" gen "$s" 100 >"$dir/seed-$s.S" &&
		riscv64-linux-gnu-gcc -nostdlib -static "$dir/seed-$s.S" -o "$dir/seed-$s" || exit 2
	if fuzz_check "fuzz/$platform/seed-$s" "$platform" "$dir/seed-$s.S" "$dir/seed-$s"; then
		passed=$((passed + 1))
		rm -f "$dir/seed-$s.S" "$dir/seed-$s"
	else
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed, 0 skipped"
[ "$failed" -eq 0 ]
