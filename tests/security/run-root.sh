#!/bin/bash
# --root DIR (docs/security.md, "The guest's file system view"): a guest
# that tries every way out of DIR (.., absolute paths, absolute and
# relative symlinks, a dirfd and .., a trailing slash) stays inside, the
# host outside is untouched, and ordinary programs run inside DIR as
# qemu-riscv64 runs them in a directory of their own.  proc only, plus one
# kvm run where KVM runs guests in hardware: the confinement is the
# launcher's, the same code for both platforms.
set -u
. "$(dirname "$0")/../lib.sh"

S=$RV_BUILD/security
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rvroot.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# The tree rootprobe.c expects, with the secret next to the root.
make_tree() {
	local w=$1
	rm -rf "$w"
	mkdir -p "$w/root/in" "$w/root/etc"
	echo inside >"$w/root/in/file.txt"
	echo fake >"$w/root/etc/passwd"
	echo secret >"$w/secret"
	touch -d @1000 "$w/secret"
	ln -s /etc "$w/root/link-etc"
	ln -s ../../../../secret "$w/root/rel-up"
	ln -s ../../created "$w/root/wlink"
	ln -s "$w/secret" "$w/root/tlink"
}

check_escapes() {
	local platform=$1 w=$WORK/esc-$1 st line bad=""
	make_tree "$w"
	timeout -k 5 "$(rv_timeout "$platform")" "$RVKVM" --platform="$platform" --root "$w/root" \
		"$S/rootprobe" "$w/secret" >"$w/out" 2>"$w/err"
	st=$?
	if [ "$st" != 0 ] || ! grep -q '^ok ' "$w/out"; then
		echo "FAIL security/root-probe/$platform: status $st; $(head -c 300 "$w/err" | tr '\n' '|')"
		return
	fi
	while read -r line; do
		case $line in
		"ok "*) echo "PASS security/root-${line#ok }/$platform" ;;
		"bad "*) line=${line#bad }
			echo "FAIL security/root-${line%%:*}/$platform:${line#*:}" ;;
		esac
	done <"$w/out"
	# What the guest did, seen from the host.
	[ "$(cat "$w/secret")" = secret ] && [ "$(stat -c %Y "$w/secret")" = 1000 ] ||
		bad+="the secret outside was changed; "
	[ ! -e "$w/created" ] || bad+="a file was created outside the root; "
	[ "$(cat "$w/root/created" 2>/dev/null)" = made ] ||
		bad+="the file created through /wlink is not root/created; "
	[ "$(cat "$w/root/in/new/b" 2>/dev/null)" = written ] && [ ! -e "$w/root/in/file.txt" ] ||
		bad+="mkdir/write/rename/unlink inside did not land in the root; "
	if [ -z "$bad" ]; then
		echo "PASS security/root-host-side/$platform"
	else
		echo "FAIL security/root-host-side/$platform: $bad"
	fi
}

# An ordinary program with the root as its working directory: what it
# prints and leaves behind equal qemu-riscv64's in a directory of its own.
check_ordinary() {
	local platform=$1 wrapper=$WORK/rvkvm-root
	printf '#!/bin/sh\nexec "%s" --root . "$@"\n' "$RVKVM" >"$wrapper"
	chmod +x "$wrapper"
	RVKVM=$wrapper compare_with_qemu "security/root-fileio/$platform" "$platform" -- \
		"$RV_BUILD/guest/fileio"
}

# A dynamic program: its interpreter and libraries are looked up inside
# the root, which is the riscv64 sysroot itself.
check_dynamic() {
	local name=security/root-dynamic/proc prog=$RV_BUILD/proc/hello-dyn.riscv64 out qout
	if [ ! -d /usr/riscv64-linux-gnu/lib ]; then
		echo "SKIP $name: no riscv64 sysroot at /usr/riscv64-linux-gnu"
		return
	fi
	qout=$("$QEMU_RISCV64" -L /usr/riscv64-linux-gnu "$prog" a b 2>&1)
	out=$("$RVKVM" --platform=proc --root /usr/riscv64-linux-gnu "$prog" a b 2>&1)
	if [ "$out" = "$qout" ]; then
		echo "PASS $name"
	else
		echo "FAIL $name: expected '$(echo "$qout" | head -n 2 | tr '\n' '|')' got '$(echo "$out" | head -n 2 | tr '\n' '|')'"
	fi
}

# A missing or non-directory root: one line, status 1.
check_bad_root() {
	local what=$1 dir=$2 want=$3 name=security/root-bad-$1 out st
	out=$("$RVKVM" --platform=proc --root "$dir" "$S/rootprobe" x 2>&1)
	st=$?
	if [ "$st" = 1 ] && [ "$out" = "rvkvm: --root $dir: $want" ]; then
		echo "PASS $name"
	else
		echo "FAIL $name: expected status 1 and 'rvkvm: --root $dir: $want', got $st '$(echo "$out" | head -n 3 | tr '\n' '|')'"
	fi
}

for platform in $(rv_platforms); do
	rv_platform_ready "security/root/$platform" "$platform" || continue
	if [ "$platform" = kvm ]; then
		rv_kvm_subset security/root-probe/kvm kvm && check_escapes kvm
		continue
	fi
	check_escapes proc
	check_ordinary proc
	check_dynamic
	check_bad_root missing "$WORK/no-such-dir" "No such file or directory"
	echo file >"$WORK/plain"
	check_bad_root file "$WORK/plain" "Not a directory"
done
exit 0
