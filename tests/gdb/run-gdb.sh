#!/bin/bash
# shellcheck disable=SC2016 # gdb expressions ($pc, $1) are meant literally
# -g PORT, the GDB remote stub (docs/debugging.md), driven by Debian's
# gdb-multiarch in batch mode against tests/gdb/gdb_target.c: a breakpoint at
# main stops at its first line, next and step move by source lines, print
# reads locals, globals and memory, FP registers read and write, a changed
# variable changes the program's output, patched code runs patched (and gdb
# can call a function), continue runs to the program's exit status with
# qemu-riscv64's output, stepi moves by one instruction, kill
# ends rvkvm, detach lets it finish, a fault stops before its signal, an
# interrupt stops a loop; bad ports fail with one line.  One kvm check (a
# program without libc: every stepped instruction is translated in the VM).
set -u
. "$(dirname "$0")/../lib.sh"

G=$RV_BUILD/gdb
W=$RV_BUILD/gdb-run
SRC=$RV_ROOT/tests/gdb/gdb_target.c
PROG=$G/gdb-target
TINY=$G/gdb-tiny
GDB=${GDB:-gdb-multiarch}
TMO=${RVTEST_GDB_TIMEOUT:-30}
CHECKS="break-main next step print-local print-global read-memory registers fp-registers
	exit-status stdout write-variable write-code stepi kill detach fault interrupt"

for f in "$RVKVM" "$PROG" "$TINY"; do
	if [ ! -x "$f" ]; then
		for c in $CHECKS kvm bad-port; do echo "FAIL gdb/$c: $f not built (make test-programs)"; done
		exit 0
	fi
done
mkdir -p "$W"

line_of() {
	grep -n -F -- "$1" "$SRC" | head -n 1 | cut -d: -f1
}
L_FIRST=$(line_of 'long value = 41;')
L_ADD=$(line_of 'value = value + 1;')
L_TWICE=$(line_of 'result = twice(value);')
L_RETURN=$(line_of 'return v * 2;')
L_COUNTER=$(line_of 'counter += result;')

# start_stub DIR rvkvm-args...: rvkvm -g on a free port in the background,
# once it waits for the debugger; sets PORT and STUB_PID.  A port taken
# meanwhile by someone else is retried elsewhere.
start_stub() {
	local dir=$1 i
	shift
	rm -rf "$dir"
	mkdir -p "$dir"
	for _ in 1 2 3 4 5 6 7 8; do
		PORT=$((20000 + RANDOM % 40000))
		: >"$dir/err"
		env -i "${RV_GUEST_ENV[@]}" timeout -k 5 "$TMO" "$RVKVM" -g "$PORT" "$@" \
			</dev/null >"$dir/out" 2>"$dir/err" &
		STUB_PID=$!
		for ((i = 0; i < TMO * 20; i++)); do
			grep -q '^rvkvm: waiting for gdb on 127.0.0.1:' "$dir/err" && return 0
			kill -0 "$STUB_PID" 2>/dev/null || break
			sleep 0.05
		done
		wait "$STUB_PID"
		grep -q 'Address already in use' "$dir/err" || return 1
	done
	return 1
}

# end_stub DIR: wait for rvkvm, keep its status in DIR/status.
end_stub() {
	wait "$STUB_PID"
	echo $? >"$1/status"
}

# run_gdb DIR PROG gdb-commands...: one batch session against the stub.
run_gdb() {
	local dir=$1 prog=$2 ex=() c
	shift 2
	for c in "$@"; do
		ex+=(-ex "$c")
	done
	timeout -k 5 "$TMO" "$GDB" -batch -nx -ex 'set confirm off' -ex 'set pagination off' \
		-ex "target remote 127.0.0.1:$PORT" "${ex[@]}" "$prog" >"$dir/gdb" 2>&1
}

# check NAME CONDITION-TEXT EVIDENCE: PASS when the previous test command succeeded.
report() {
	local name=$1 ok=$2 evidence=$3
	if [ "$ok" = 0 ]; then
		echo "PASS gdb/$name"
	else
		echo "FAIL gdb/$name: $evidence"
	fi
}

has() {
	grep -q -e "$2" "$1"
	echo $?
}

# The gdb lines around a pattern, for evidence.
quote() {
	grep -v '^$' "$1" | tail -n "${2:-4}" | cut -c1-100 | tr '\n' '|' | sed 's/|$//'
}

failed_start() {
	local c
	for c in "$@"; do
		echo "FAIL gdb/$c: rvkvm -g did not start: $(quote "$D/err" 2)"
	done
}

# 1. bad ports: one line, status 1 (no debugger needed).
for port in 0 65536 x12; do
	rv_run "$W/badport" /dev/null 10 "$RVKVM" --platform=proc -g "$port" "$PROG"
	st=$(cat "$W/badport/status")
	n=$(wc -l <"$W/badport/err")
	ok=1
	[ "$st" = 1 ] && [ "$n" = 1 ] && grep -q "^rvkvm: -g $port: expected a TCP port" "$W/badport/err" && ok=0
	report "bad-port/$port" $ok "expected status 1 and one line: status $st, stderr '$(head -c 200 "$W/badport/err")'"
done
D=$W/busy
if start_stub "$D" --platform=proc "$PROG"; then
	rv_run "$W/busy2" /dev/null 10 "$RVKVM" --platform=proc -g "$PORT" "$PROG"
	kill "$STUB_PID" 2>/dev/null
	end_stub "$D"
	st=$(cat "$W/busy2/status")
	ok=1
	[ "$st" = 1 ] && [ "$(wc -l <"$W/busy2/err")" = 1 ] &&
		grep -q "^rvkvm: -g $PORT: cannot listen on 127.0.0.1:$PORT: Address already in use$" "$W/busy2/err" && ok=0
	report bad-port/in-use $ok "expected status 1 and 'cannot listen ... Address already in use': status $st, stderr '$(head -c 200 "$W/busy2/err")'"
else
	failed_start bad-port/in-use
fi

if ! command -v "$GDB" >/dev/null 2>&1; then
	for c in $CHECKS kvm; do
		echo "SKIP gdb/$c: $GDB not installed (scripts/install-deps.sh installs it)"
	done
	exit 0
fi

# qemu-riscv64's run of the program is the reference for output and status.
rv_run "$W/qemu" /dev/null "$RVTEST_TIMEOUT_PROC" "$QEMU_RISCV64" "$PROG"

# 2. break at main, next, step, print, memory, registers, continue to exit.
D=$W/main
if start_stub "$D" --platform=proc "$PROG"; then
	run_gdb "$D" "$PROG" 'break main' continue next next next 'print value' next step \
		'print v' 'print counter' 'x/gx &counter' 'print scale' 'info registers pc' \
		'print $fcsr' 'set var $ft0.double = 0.75' 'print $ft0.double' 'print $fa0' \
		continue
	end_stub "$D"
	g=$D/gdb
	report break-main "$(has "$g" "^Breakpoint 1, main (argc=1, .*gdb_target.c:$L_FIRST\$")" \
		"expected 'Breakpoint 1, main (...) at gdb_target.c:$L_FIRST', got: $(quote "$g" 30)"
	ok=1
	grep -q "^${L_ADD}[[:space:]]" "$g" && grep -q "^${L_TWICE}[[:space:]]" "$g" && ok=0
	report next $ok "expected next to reach lines $L_ADD and $L_TWICE: $(quote "$g" 30)"
	report step "$(has "$g" "^twice (v=42) at .*gdb_target.c:$L_RETURN\$")" \
		"expected step into 'twice (v=42)' at line $L_RETURN: $(quote "$g" 30)"
	ok=1
	grep -q '^\$1 = 41$' "$g" && grep -q '^\$2 = 42$' "$g" && ok=0
	report print-local $ok "expected value = 41 before line $L_ADD, v = 42 in twice: $(grep '^\$[12] ' "$g" | tr '\n' '|')"
	ok=1
	grep -q '^\$3 = 4660$' "$g" && grep -q '^\$4 = 2.5$' "$g" && ok=0
	report print-global $ok "expected counter = 4660, scale = 2.5: $(grep '^\$[34] ' "$g" | tr '\n' '|')"
	report read-memory "$(has "$g" '<counter>:[[:space:]]*0x0000000000001234$')" \
		"expected x/gx &counter to show 0x1234: $(grep 'counter>:' "$g")"
	report registers "$(has "$g" '^pc  *0x[0-9a-f]*[[:space:]]*0x[0-9a-f]* <twice+[0-9]*>$')" \
		"expected pc inside twice: $(grep '^pc ' "$g")"
	ok=1
	grep -q '^\$5 = 0$' "$g" && grep -q '^\$6 = 0.75$' "$g" &&
		grep -q '^\$7 = {float = .*, double = .*}$' "$g" && ok=0
	report fp-registers $ok "expected fcsr 0, ft0 written to 0.75, fa0 as float/double: $(grep '^\$[567] ' "$g" | tr '\n' '|')"
	qs=$(cat "$W/qemu/status")
	ok=1
	grep -q "exited with code 0*$(printf %o "$qs")\\]" "$g" && [ "$(cat "$D/status")" = "$qs" ] && ok=0
	report exit-status $ok "expected exit code $qs in gdb and from rvkvm: gdb said '$(grep 'Inferior 1' "$g")', rvkvm $(cat "$D/status")"
	ok=1
	cmp -s "$W/qemu/out" "$D/out" && ok=0
	report stdout $ok "stdout differs from qemu-riscv64's: $(rv_short_diff "$W/qemu/out" "$D/out")"
else
	failed_start break-main next step print-local print-global read-memory registers \
		fp-registers exit-status stdout
fi

# 3. variables written by the debugger (a local on the stack, a global) change the output.
D=$W/write
if start_stub "$D" --platform=proc "$PROG"; then
	run_gdb "$D" "$PROG" "break gdb_target.c:$L_TWICE" continue 'set var value = 100' \
		'set var counter = 0' continue
	end_stub "$D"
	report write-variable "$(has "$D/out" '^value 100 result 200 product 500.0 counter 200$')" \
		"expected 'value 100 result 200 product 500.0 counter 200', got '$(cat "$D/out")'; gdb: $(quote "$D/gdb")"
else
	failed_start write-variable
fi

# 4. code patched by the debugger runs as patched, even once translated: twice()
# has run when the breakpoint hits; gdb calls it, turns its `slli a5,a5,1`
# (c.slli, 0x0786) into a shift by 2 (0x078a) and calls it again.
D=$W/code
slli=$(riscv64-linux-gnu-objdump -d "$PROG" | awk '/<twice>:/,/ret/' |
	awk '$2 == "0786" { sub(":", "", $1); print $1 }')
if [ -z "$slli" ]; then
	echo "FAIL gdb/write-code: no c.slli a5,a5,1 (0786) in twice() of $PROG to patch"
elif start_stub "$D" --platform=proc "$PROG"; then
	run_gdb "$D" "$PROG" "break gdb_target.c:$L_COUNTER" continue 'print twice(5)' \
		"set var *(unsigned short *)0x$slli = 0x078a" 'print twice(5)' continue
	end_stub "$D"
	ok=1
	grep -q '^\$1 = 10$' "$D/gdb" && grep -q '^\$2 = 20$' "$D/gdb" && ok=0
	report write-code $ok "expected twice(5) = 10, then 20 after the patch: $(grep '^\$[12] ' "$D/gdb" | tr '\n' '|') $(quote "$D/gdb" 3)"
else
	failed_start write-code
fi

# 5. stepi moves pc by one instruction (2 or 4 bytes); kill ends rvkvm as SIGKILL would.
D=$W/stepi
if start_stub "$D" --platform=proc "$PROG"; then
	run_gdb "$D" "$PROG" 'break twice' continue 'print/x $pc' stepi 'print/x $pc' kill
	end_stub "$D"
	a=$(sed -n 's/^\$1 = \(0x[0-9a-f]*\)$/\1/p' "$D/gdb")
	b=$(sed -n 's/^\$2 = \(0x[0-9a-f]*\)$/\1/p' "$D/gdb")
	ok=1
	if [ -n "$a" ] && [ -n "$b" ]; then
		d=$((b - a))
		[ $d = 2 ] || [ $d = 4 ] && ok=0
	fi
	report stepi $ok "expected pc to advance by 2 or 4: before '$a' after '$b'"
	st=$(cat "$D/status")
	ok=1
	[ "$st" = 137 ] && grep -q 'Inferior 1 (Remote target) killed' "$D/gdb" && ok=0
	report kill $ok "expected rvkvm status 137 and gdb's 'killed': status $st, gdb: $(quote "$D/gdb" 2)"
else
	failed_start stepi kill
fi

# 6. detach: the program runs on to its normal end.
D=$W/detach
if start_stub "$D" --platform=proc "$PROG"; then
	run_gdb "$D" "$PROG" 'break twice' continue detach
	end_stub "$D"
	ok=1
	[ "$(cat "$D/status")" = "$(cat "$W/qemu/status")" ] && cmp -s "$W/qemu/out" "$D/out" && ok=0
	report detach $ok "expected qemu's status and output after detach: status $(cat "$D/status"), out '$(cat "$D/out")'"
else
	failed_start detach
fi

# 7. a fault stops before its signal; continuing delivers it (status as qemu's).
D=$W/fault
rv_run "$W/qemu-segv" /dev/null "$RVTEST_TIMEOUT_PROC" "$QEMU_RISCV64" "$PROG" segv
if start_stub "$D" --platform=proc "$PROG" segv; then
	run_gdb "$D" "$PROG" continue 'print $pc == (long)&main' continue
	end_stub "$D"
	ok=1
	grep -q 'Program received signal SIGSEGV' "$D/gdb" &&
		grep -q 'Program terminated with signal SIGSEGV' "$D/gdb" &&
		[ "$(cat "$D/status")" = "$(cat "$W/qemu-segv/status")" ] && ok=0
	report fault $ok "expected SIGSEGV stop, then termination, status $(cat "$W/qemu-segv/status"): status $(cat "$D/status"), gdb: $(quote "$D/gdb")"
else
	failed_start fault
fi

# 8. an interrupt (gdb's Ctrl-C, here its SIGINT) stops a running loop.
D=$W/interrupt
if start_stub "$D" --platform=proc "$PROG" spin; then
	# A background job starts with SIGINT ignored: restore it for gdb.
	# timeout passes the SIGINT sent to it on to gdb, and with --foreground
	# only to gdb (a second one would make gdb give up on the target).
	env --default-signal=INT timeout --foreground -k 5 "$TMO" "$GDB" -batch -nx -ex 'set confirm off' \
		-ex "target remote 127.0.0.1:$PORT" -ex continue -ex 'set var spinning = 0' \
		-ex continue "$PROG" >"$D/gdb" 2>&1 &
	gdb_pid=$!
	for ((i = 0; i < TMO * 20; i++)); do
		grep -q '^spinning$' "$D/out" && break
		sleep 0.05
	done
	kill -INT "$gdb_pid" 2>/dev/null
	wait "$gdb_pid"
	end_stub "$D"
	ok=1
	grep -q 'Program received signal SIGINT' "$D/gdb" &&
		[ "$(cat "$D/status")" = "$(cat "$W/qemu/status")" ] && ok=0
	report interrupt $ok "expected a SIGINT stop, then exit $(cat "$W/qemu/status"): status $(cat "$D/status"), gdb: $(quote "$D/gdb")"
else
	failed_start interrupt
fi

# 9. kvm: break at main and continue, on a program without libc.
n=kvm
if rv_platform_ready "gdb/$n" kvm; then
	D=$W/kvm
	if start_stub "$D" --platform=kvm "$TINY"; then
		run_gdb "$D" "$TINY" 'break main' continue 'print answer' continue
		end_stub "$D"
		ok=1
		grep -q '^Breakpoint 1, main () at ' "$D/gdb" && grep -q '^\$1 = 21$' "$D/gdb" &&
			grep -q 'exited with code 052\]' "$D/gdb" && [ "$(cat "$D/status")" = 42 ] && ok=0
		report $n $ok "expected main's breakpoint, answer = 21, exit 42: status $(cat "$D/status"), gdb: $(quote "$D/gdb" 6)"
	else
		failed_start $n
	fi
fi
exit 0
