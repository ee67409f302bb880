#!/bin/bash
# Differential fuzzing, the fixed seed set: FUZZ_SEEDS binaries of 100
# random sequences each on proc (2,000 sequences), FUZZ_KVM_SEEDS of them on
# kvm (500 sequences; 100 on an emulated-KVM host, where every instruction
# in the VM costs ~240 ns), and every named regression in
# tests/fuzz/regress/ on every platform.
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fuzz-lib.sh"

FUZZ_SEEDS=${FUZZ_SEEDS:-$(seq 1 20)}
if rv_kvm_emulated; then
	FUZZ_KVM_SEEDS=${FUZZ_KVM_SEEDS:-1}
else
	FUZZ_KVM_SEEDS=${FUZZ_KVM_SEEDS:-1 2 3 4 5}
fi
F=$RV_BUILD/fuzz

for platform in $(rv_platforms); do
	seeds=$FUZZ_SEEDS
	[ "$platform" = kvm ] && seeds=$FUZZ_KVM_SEEDS
	for s in $seeds; do
		fuzz_check "fuzz/$platform/seed-$s" "$platform" "$F/seed-$s.S" "$F/seed-$s"
	done
	for src in "$RV_ROOT"/tests/fuzz/regress/*.S; do
		[ -e "$src" ] || continue
		t=$(basename "$src" .S)
		fuzz_check "fuzz/$platform/regress/$t" "$platform" "$src" "$F/regress/$t"
	done
done
exit 0
