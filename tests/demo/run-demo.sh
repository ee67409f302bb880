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
exit 0
