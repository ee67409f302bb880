#!/bin/bash
# Private file mappings read on first touch (docs/linux.md, Memory map):
# tests/dynamic/filemap.c compared with qemu-riscv64 (contents at page
# boundaries and EOF, SIGBUS past EOF, code from a mapping, write(2) and
# read(2) through untouched pages, mprotect/munmap/MAP_FIXED/mremap/madvise
# of partly touched mappings), dynamically and statically linked; and the
# laziness itself: a 4 MiB file mapped and one page touched reads at most
# one fill window (16 pages) by --stats.  kvm runs the lazy check alone, and
# on an emulated-KVM host only with RVTEST_KVM_FULL=1 (translating the
# program takes ~15 s there; run-dynamic.sh's hello and run-enomem.sh
# already fill file pages on kvm).
set -u
. "$(dirname "$0")/../lib.sh"

SYSROOT=/usr/riscv64-linux-gnu
D=$RV_BUILD/dynamic
W=$RV_BUILD/filemap-run
FILL_WINDOW=16

mkdir -p "$W"
printf '#!/bin/sh\nexec %s -L %s "$@"\n' "$QEMU_RISCV64" "$SYSROOT" >"$W/qemu-L"
printf '#!/bin/sh\nexec %s -L %s "$@"\n' "$RVKVM" "$SYSROOT" >"$W/rvkvm-L"
chmod +x "$W/qemu-L" "$W/rvkvm-L"

# lazy_check NAME PLATFORM PAGE: touch one page of a 1024-page mapping.
lazy_check() {
	local name=$1 platform=$2 page=$3 filled want
	rv_platform_ready "$name" "$platform" || return 0
	rv_run "$W/lazy" /dev/null "$(rv_timeout "$platform")" \
		"$RVKVM" --platform="$platform" --stats "$D/filemap-static" touch "$page"
	filled=$(sed -n 's/^rvkvm: stats: file pages filled *\([0-9]*\) .*/\1/p' "$W/lazy/err")
	want="page $page byte"
	if [ "$(cat "$W/lazy/status")" != 0 ] || ! grep -q "^$want" "$W/lazy/out"; then
		echo "FAIL $name: status $(cat "$W/lazy/status"), output '$(head -c 200 "$W/lazy/out")': $(grep -v 'emulated' "$W/lazy/err" | head -c 300 | tr '\n' '|')"
	elif ! awk '{ split($0, f, " "); exit !(f[4] == f[6]) }' "$W/lazy/out"; then
		echo "FAIL $name: wrong byte: $(cat "$W/lazy/out")"
	elif [ -z "$filled" ] || [ "$filled" -lt 1 ] || [ "$filled" -gt "$FILL_WINDOW" ]; then
		echo "FAIL $name: file pages filled expected 1..$FILL_WINDOW of 1024, got '${filled}'"
	else
		echo "PASS $name"
	fi
}

for platform in $(rv_platforms); do
	t=filemap
	if [ "$platform" = kvm ]; then
		rv_kvm_subset "$t/lazy-one-page/kvm" kvm && lazy_check "$t/lazy-one-page/kvm" kvm 700
		continue
	fi
	if [ -e "$SYSROOT/lib/ld-linux-riscv64-lp64d.so.1" ]; then
		QEMU_RISCV64=$W/qemu-L RVKVM=$W/rvkvm-L \
			compare_with_qemu "$t/dynamic/$platform" "$platform" -- "$D/filemap"
	else
		echo "SKIP $t/dynamic/$platform: no riscv64 glibc at $SYSROOT"
	fi
	compare_with_qemu "$t/static/$platform" "$platform" -- "$D/filemap-static"
	lazy_check "$t/lazy-one-page/$platform" "$platform" 700
	lazy_check "$t/lazy-last-page/$platform" "$platform" 1023
done
exit 0
