#!/bin/bash
# The `make run` demo under qemu-riscv64 and rvkvm: full size on proc, a
# small picture on kvm (an emulated-KVM VM runs each instruction in ~240 ns).
set -u
. "$(dirname "$0")/../lib.sh"

for platform in $(rv_platforms); do
	if [ "$platform" = kvm ]; then
		compare_with_qemu "demo/forth-small/$platform" "$platform" -- "$RV_BUILD/demo/forth" 16 6 8
	else
		compare_with_qemu "demo/forth/$platform" "$platform" -- "$RV_BUILD/demo/forth"
		compare_with_qemu "demo/forth-large/$platform" "$platform" -- "$RV_BUILD/demo/forth" 120 48 200
	fi
	rv_kvm_subset "demo/forth-bad-args/$platform" "$platform" &&
		compare_with_qemu "demo/forth-bad-args/$platform" "$platform" -- "$RV_BUILD/demo/forth" 1 2
done

# The end of `make run`: scripts/demo-speed.sh times the demo under rvkvm
# (the platform auto picks) and qemu-riscv64.  What is checked is that it
# ran both, names the platform and reports a ratio; the ratio itself is
# not judged.
out=$("$RV_ROOT/scripts/demo-speed.sh" "$RVKVM" "$RV_BUILD/demo/forth" 2>&1)
status=$?
if [ $status -ne 0 ]; then
	echo "FAIL demo/speed-report: scripts/demo-speed.sh exited $status: $(tail -n 2 <<<"$out" | tr '\n' '|')"
elif ! grep -Eq 'chose (proc|kvm)' <<<"$out" ||
	! grep -q 'as fast as qemu-riscv64 here, same output' <<<"$out"; then
	echo "FAIL demo/speed-report: no platform or no speed-up line: $(tr '\n' '|' <<<"$out")"
else
	echo "PASS demo/speed-report: $(grep -o 'chose [a-z]*' <<<"$out"), $(grep -o '[0-9.]*x as fast' <<<"$out")"
fi
exit 0
