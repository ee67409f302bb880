#!/bin/bash
# The Linux personality: its unit test on a stand-in platform (linux_test.c),
# then riscv64 programs for signal delivery and shared file mappings run
# under qemu-riscv64 and rvkvm on each platform (tests/lib.sh).  Built by
# `make test-programs` (tests/unit/linux.mk).
set -u
. "$(dirname "$0")/../lib.sh"
cd "$RV_ROOT" || exit 1
out=$RV_ROOT/build/tests/unit
for f in linux-test linux-sample.exec linux-sample.pie linux-sample.dyn; do
	if [ ! -x "$out/$f" ]; then
		echo "FAIL linux-unit: $out/$f is not built (make test-programs)"
		exit 0
	fi
done
"$out/linux-test" "$out/linux-sample.exec" "$out/linux-sample.pie" "$out/linux-sample.dyn"
status=$?
[ $status -eq 0 ] || echo "FAIL linux-unit: linux-test exited with status $status"

for platform in $(rv_platforms); do
	for prog in signals shared; do
		compare_with_qemu "linux-guest-$prog/$platform" "$platform" -- "$out/linux-guest-$prog"
	done
done
exit 0
