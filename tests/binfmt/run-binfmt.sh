#!/bin/bash
# rvkvm --binfmt install|remove|status against the kernel's binfmt_misc:
# after install a riscv64 program runs by itself (static and dynamic, output
# and status as under qemu-riscv64), --fix-binary sets flag F, remove undoes
# it.  Needs root and a writable binfmt_misc (mounted here if it is not, and
# unmounted again); the registration lives only for the few seconds of the
# test and is removed on every way out.
set -u
. "$(dirname "$0")/../lib.sh"

BM=/proc/sys/fs/binfmt_misc
NAME=rvkvm-riscv64
G=$RV_BUILD/guest
D=$RV_BUILD/dynamic
t=binfmt

if [ "$(id -u)" != 0 ]; then
	echo "SKIP $t: binfmt_misc registration needs root"
	exit 0
fi
mounted=0
if [ ! -e "$BM/register" ]; then
	if ! mount -t binfmt_misc binfmt_misc "$BM" 2>/dev/null; then
		echo "SKIP $t: binfmt_misc is not mounted and cannot be mounted here"
		exit 0
	fi
	mounted=1
fi
if [ ! -w "$BM/register" ]; then
	echo "SKIP $t: $BM/register is not writable"
	[ $mounted = 1 ] && umount "$BM"
	exit 0
fi
if [ -e "$BM/$NAME" ]; then
	echo "SKIP $t: $NAME is already registered on this host; not touching it"
	[ $mounted = 1 ] && umount "$BM"
	exit 0
fi
cleanup() {
	[ -e "$BM/$NAME" ] && echo -1 >"$BM/$NAME"
	[ $mounted = 1 ] && umount "$BM"
}
trap cleanup EXIT

W=$(mktemp -d "${TMPDIR:-/tmp}/rvbinfmt.XXXXXX")

# expect NAME STATUS EVIDENCE: PASS if STATUS is 0, else FAIL with EVIDENCE.
expect() {
	if [ "$2" = 0 ]; then echo "PASS $t/$1"; else echo "FAIL $t/$1: $3"; fi
}

"$RVKVM" --binfmt install >"$W/install" 2>&1
st=$?
line=$(cat "$BM/$NAME" 2>/dev/null | tr '\n' '|')
[ $st = 0 ] && grep -qx enabled "$BM/$NAME" 2>/dev/null &&
	grep -q "^interpreter $RVKVM\$" "$BM/$NAME" &&
	grep -qx 'magic 7f454c460201010000000000000000000200f300' "$BM/$NAME" &&
	grep -qx 'mask ffffffffffffff00fffffffffffffffffeffffff' "$BM/$NAME"
expect install $? "status $st, said '$(cat "$W/install")', entry '$line'"

"$RVKVM" --binfmt status >"$W/status" 2>&1
grep -q "^$NAME: enabled, interpreter $RVKVM\$" "$W/status"
expect status $? "got '$(tr '\n' '|' <"$W/status")'"

# The program run by itself, against qemu-riscv64 running it.
for prog in "$G/hello" "$D/hello"; do
	n=direct-$(basename "$(dirname "$prog")")-hello
	if [ ! -x "$prog" ]; then
		echo "FAIL $t/$n: $prog not built (make test-programs)"
		continue
	fi
	"$prog" >"$W/out" 2>"$W/err"
	st=$?
	"$QEMU_RISCV64" -L /usr/riscv64-linux-gnu "$prog" >"$W/qout" 2>"$W/qerr"
	qst=$?
	[ $st = $qst ] && cmp -s "$W/out" "$W/qout" && cmp -s "$W/err" "$W/qerr"
	expect "$n" $? "status $st (qemu $qst), stdout $(rv_short_diff "$W/qout" "$W/out"), stderr $(rv_short_diff "$W/qerr" "$W/err")"
done

# argv under binfmt_misc without flag P: argv[0] is the path executed.
if [ -x "$G/args" ]; then
	"$G/args" one "two words" >"$W/args" 2>&1
	grep -qx "argv\[0\]=\"$G/args\"" "$W/args" && grep -qx 'argv\[2\]="two words"' "$W/args"
	expect direct-args $? "got '$(head -n 4 "$W/args" | tr '\n' '|')'"
fi

"$RVKVM" --binfmt install --fix-binary >/dev/null 2>&1
grep -qx 'flags: F' "$BM/$NAME" 2>/dev/null
expect fix-binary $? "entry '$(tr '\n' '|' <"$BM/$NAME" 2>/dev/null)'"

"$RVKVM" --binfmt remove >"$W/remove" 2>&1
st=$?
[ $st = 0 ] && [ ! -e "$BM/$NAME" ] && grep -qx "$NAME: removed" "$W/remove"
expect remove $? "status $st, said '$(cat "$W/remove")', entry present: $([ -e "$BM/$NAME" ] && echo yes || echo no)"

"$RVKVM" --binfmt status >"$W/status" 2>&1
grep -qx "$NAME: not registered" "$W/status"
expect status-removed $? "got '$(tr '\n' '|' <"$W/status")'"

"$RVKVM" --binfmt bogus >/dev/null 2>"$W/err"
st=$?
[ $st = 1 ] && grep -q '^rvkvm: --binfmt bogus: expected install, remove or status$' "$W/err"
expect bad-verb $? "status $st, said '$(cat "$W/err")'"

rm -rf "$W"
exit 0
