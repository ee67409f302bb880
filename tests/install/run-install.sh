#!/bin/bash
# make install / make uninstall into a temporary PREFIX: the files land where
# install.mk says, the installed rvkvm runs a program on every platform (on
# kvm it must find PREFIX/lib/rvkvm/monitor.elf by itself), the man page
# names every option of --help and renders without warnings, and uninstall
# leaves no file behind.
set -u
. "$(dirname "$0")/../lib.sh"

t=install
P=$(mktemp -d "${TMPDIR:-/tmp}/rvinstall.XXXXXX")
trap 'rm -rf "$P"' EXIT
HELLO=$RV_BUILD/guest/hello

if ! make -s -C "$RV_ROOT" install PREFIX="$P/usr" >"$P/make.log" 2>&1; then
	echo "FAIL $t/make-install: make install failed: $(tail -n 3 "$P/make.log" | tr '\n' '|')"
	exit 0
fi
missing=""
for f in bin/rvkvm lib/rvkvm/monitor.elf share/man/man1/rvkvm.1 share/doc/rvkvm/usage.md; do
	[ -f "$P/usr/$f" ] || missing+=" $f"
done
if [ -z "$missing" ] && [ -x "$P/usr/bin/rvkvm" ]; then
	echo "PASS $t/files"
else
	echo "FAIL $t/files: missing under PREFIX:$missing"
fi

for platform in $(rv_platforms); do
	RVKVM=$P/usr/bin/rvkvm compare_with_qemu "$t/run-hello/$platform" "$platform" -- "$HELLO"
done

# Every option --help lists is in the man page (as roff writes it: \-).
"$P/usr/bin/rvkvm" --help >"$P/help"
missing=""
for o in $(grep -oE '^  +-[-a-zA-Z0-9]+' "$P/help" | tr -d ' '; grep -oE '^  .*, (-[-a-zA-Z0-9]+)' "$P/help" | grep -oE -- '-[-a-zA-Z0-9]+$'); do
	roff=${o//-/\\-}
	grep -qF -- "$roff" "$P/usr/share/man/man1/rvkvm.1" || missing+=" $o"
done
if [ -z "$missing" ]; then
	echo "PASS $t/man-covers-help"
else
	echo "FAIL $t/man-covers-help: options of --help not in rvkvm.1:$missing"
fi

if command -v man >/dev/null; then
	warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$P/usr/share/man/man1/rvkvm.1" 2>&1 >/dev/null)
	if [ -z "$warn" ]; then
		echo "PASS $t/man-renders"
	else
		echo "FAIL $t/man-renders: $(echo "$warn" | head -n 3 | tr '\n' '|')"
	fi
else
	echo "SKIP $t/man-renders: no man(1) on this host"
fi

if ! make -s -C "$RV_ROOT" uninstall PREFIX="$P/usr" >"$P/make.log" 2>&1; then
	echo "FAIL $t/uninstall: make uninstall failed: $(tail -n 3 "$P/make.log" | tr '\n' '|')"
	exit 0
fi
left=$(find "$P/usr" -type f | sed "s|$P/usr/||" | tr '\n' ' ')
if [ -z "$left" ]; then
	echo "PASS $t/uninstall"
else
	echo "FAIL $t/uninstall: files left behind: $left"
fi
exit 0
