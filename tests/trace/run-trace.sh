#!/bin/bash
# -d in_asm,out_asm,exec,int,page and -D (launcher/trace.c, monitor/linux/trace.c):
#   in_asm    the first block is the entry point's, in _start, and every
#             instruction logged is the one objdump shows at its address
#   out_asm   x86-64 code follows "OUT:" for the entry block
#   exec      the first block run is the entry point, named _start
#   page      the load-time map holds every PT_LOAD segment with its
#             protection, and the program's own mmap/mprotect/munmap show
#   int       a null store is reported as SIGSEGV in fault_here
#   logfile   with every category and -D, the guest's stdout, stderr and
#             status are qemu-riscv64's under the same options
#   badcat    an unknown category is one line on stderr and status 1
# All on proc; on kvm one run of a tiny program with in_asm,page.
set -u
. "$(dirname "$0")/../lib.sh"

P=$RV_BUILD/trace/prog
SMALL=$RV_BUILD/trace/small
W=$RV_BUILD/trace-run
mkdir -p "$W"

if [ ! -x "$P" ] || [ ! -x "$SMALL" ] || [ ! -x "$RVKVM" ]; then
	echo "FAIL trace: $P, $SMALL or $RVKVM not built (make test-programs)"
	exit 0
fi

# report NAME [WHY...]: PASS when no reason was given.
report() {
	local name=$1
	shift
	if [ $# -eq 0 ]; then
		echo "PASS $name"
	else
		local text="" w
		for w in "$@"; do
			text+="${text:+; }$w"
		done
		echo "FAIL $name: $text"
	fi
}

entry16() {
	printf '%016x' "$(riscv64-linux-gnu-readelf -h "$1" | awk '/Entry point/ { print $4 }')"
}

# run_traced DIR PLATFORM ITEMS PROG [args]: rv_run with -d ITEMS -D DIR.log.
run_traced() {
	local dir=$1 platform=$2 items=$3
	shift 3
	rv_run "$dir" /dev/null "$(rv_timeout "$platform")" \
		"$RVKVM" --platform="$platform" -d "$items" -D "$dir.log" "$@"
}

# same_as_qemu QEMUDIR DIR: reasons the guest's stdout or status differ.
same_as_qemu() {
	cmp -s "$1/out" "$2/out" || echo "stdout differs: $(rv_short_diff "$1/out" "$2/out")"
	[ "$(cat "$1/status")" = "$(cat "$2/status")" ] ||
		echo "status $(cat "$2/status"), qemu-riscv64 $(cat "$1/status")"
}

# in_asm_problems LOG PROG MIN: the first block is at the entry in _start;
# at least MIN instructions are logged, each with objdump's mnemonic.
in_asm_problems() {
	local log=$1 prog=$2 min=$3 first e n bad
	e=$(entry16 "$prog")
	first=$(awk '/^IN:/ { n++; next } n == 1 && /^0x/ { print $1; exit }' "$log")
	grep -q "^IN: _start$" "$log" || echo "no 'IN: _start' header"
	[ "$first" = "0x$e:" ] || echo "first block starts at '$first', entry is 0x$e"
	awk '/^0x[0-9a-f]+:  / { sub(/^0x0*/, "", $1); sub(":", "", $1); print $1, $3 }' "$log" |
		sort -u >"$log.insns"
	riscv64-linux-gnu-objdump -d "$prog" |
		awk -F'\t' '/^ *[0-9a-f]+:\t/ { split($1, a, ":"); gsub(/ /, "", a[1]); print a[1], $3 }' |
		sort -u >"$log.objdump"
	n=$(wc -l <"$log.insns")
	bad=$(comm -23 "$log.insns" "$log.objdump" | head -n 3 | tr '\n' '|')
	[ "$n" -ge "$min" ] || echo "only $n instructions logged"
	[ -z "$bad" ] || echo "logged instructions objdump disagrees with: $bad"
}

# page_problems LOG PROG [OP...]: every PT_LOAD segment lies inside one area
# of the load-time map with its protection; each OP change is logged.
page_problems() {
	local log=$1 prog=$2 table op
	shift 2
	table=$(awk '/^page layout changed following binary load/ { on = 1; next }
		on && /^page layout/ { exit } on && /^[0-9a-f]+-[0-9a-f]+ / { print }' "$log")
	[ -n "$table" ] || echo "no 'page layout changed following binary load' table"
	while read -r vaddr memsz flags; do
		local lo=$((vaddr & ~4095)) hi=$(((vaddr + memsz + 4095) & ~4095)) want="" found=0
		want+=$([[ $flags == *R* ]] && echo r || echo -)
		want+=$([[ $flags == *W* ]] && echo w || echo -)
		want+=$([[ $flags == *E* ]] && echo x || echo -)
		while read -r range _ prot; do
			local s=$((16#${range%-*})) e=$((16#${range#*-}))
			[ "$s" -le "$lo" ] && [ "$e" -ge "$hi" ] && [ "$prot" = "$want" ] && found=1
		done <<<"$table"
		[ $found = 1 ] || echo "segment $(printf '%x-%x' $lo $hi) $want not in the load map"
	done < <(riscv64-linux-gnu-readelf -lW "$prog" |
		awk '$1 == "LOAD" { f = $7; if ($8 != "0x1000") f = f $8; print $3, $6, f }')
	for op in "$@"; do
		grep -q "^page layout changed following $op$" "$log" || echo "no '$op' change logged"
	done
}

# reasons CMD...: the lines CMD prints, as the array `why`.
reasons() {
	mapfile -t why < <("$@")
}

platform=proc
e=$(entry16 "$P")
rv_run "$W/qemu" /dev/null "$RVTEST_TIMEOUT_PROC" "$QEMU_RISCV64" "$P"

# in_asm on stderr: the guest's stdout and status are untouched.
rv_run "$W/in-$platform" /dev/null "$(rv_timeout $platform)" \
	"$RVKVM" --platform=$platform -d in_asm "$P"
cp "$W/in-$platform/err" "$W/in-$platform.log"
reasons in_asm_problems "$W/in-$platform.log" "$P" 100
report "trace/in_asm/$platform" "${why[@]}"
reasons same_as_qemu "$W/qemu" "$W/in-$platform"
report "trace/stdout-with-log-on-stderr/$platform" "${why[@]}"

run_traced "$W/out-$platform" $platform out_asm "$P"
why=()
out=$(awk '/^OUT:/ { n++ } n == 1' "$W/out-$platform.log")
grep -q "^OUT: \[size=[0-9]*\]$" <<<"$out" || why+=("no 'OUT: [size=N]' header")
grep -q "^  -- guest addr 0x$e$" <<<"$out" || why+=("first OUT block is not the entry 0x$e")
grep -Eq '^0x[0-9a-f]+: ( [0-9a-f]{2})+ +(movq|movl|jmp|cmpl|leaq|jne) ' <<<"$out" ||
	why+=("no x86-64 instruction line (movq, jmp, ...) in it")
report "trace/out_asm/$platform" "${why[@]}"

run_traced "$W/exec-$platform" $platform exec "$P"
why=()
first=$(grep -m 1 '^Trace 0: ' "$W/exec-$platform.log")
[[ $first =~ ^Trace\ 0:\ 0x[0-9a-f]+\ \[0{16}/$e/0{8}/0{8}\]\ _start$ ]] ||
	why+=("first exec line '$first', expected the entry 0x$e in _start")
grep -q "^Trace 0: .*\] main$" "$W/exec-$platform.log" || why+=("main never logged as run")
report "trace/exec/$platform" "${why[@]}"

run_traced "$W/page-$platform" $platform page "$P"
reasons page_problems "$W/page-$platform.log" "$P" mmap mprotect munmap
report "trace/page/$platform" "${why[@]}"

rv_run "$W/qemu-segv" /dev/null "$RVTEST_TIMEOUT_PROC" "$QEMU_RISCV64" "$P" segv
run_traced "$W/int-$platform" $platform int "$P" segv
reasons same_as_qemu "$W/qemu-segv" "$W/int-$platform"
st=$(cat "$W/int-$platform/status")
[ "$st" = 139 ] || why+=("status $st, expected 139 (SIGSEGV)")
grep -q '^signal 11 (SIGSEGV) si_code=1 si_addr=0x0000000000000000 at pc 0x[0-9a-f]* <fault_here>: default action$' \
	"$W/int-$platform.log" ||
	why+=("no SIGSEGV line naming fault_here: '$(head -n 1 "$W/int-$platform.log")'")
report "trace/int/$platform" "${why[@]}"

# Every category into a file: the guest sees nothing of it, as under qemu.
all=in_asm,out_asm,exec,int,page
rv_run "$W/qemu-all" /dev/null "$RVTEST_TIMEOUT_PROC" "$QEMU_RISCV64" -d $all -D "$W/qemu-all.log" "$P"
run_traced "$W/all-$platform" $platform $all "$P"
reasons same_as_qemu "$W/qemu-all" "$W/all-$platform"
rv_guest_stderr "$W/all-$platform/err" >"$W/all-$platform.err"
rv_guest_stderr "$W/qemu-all/err" >"$W/qemu-all.err"
cmp -s "$W/qemu-all.err" "$W/all-$platform.err" || why+=("stderr differs from qemu-riscv64's")
for h in '^IN: main$' '^OUT: ' '^Trace 0: ' '^page layout changed'; do
	grep -q "$h" "$W/all-$platform.log" || why+=("-D file has no '$h' line")
done
report "trace/logfile/$platform" "${why[@]}"

# The command line: an unknown category, and the list.
rv_run "$W/bad" /dev/null 10 "$RVKVM" --platform=proc -d in_asm,bogus "$P"
why=()
[ "$(cat "$W/bad/status")" = 1 ] || why+=("status $(cat "$W/bad/status"), expected 1")
[ "$(wc -l <"$W/bad/err")" = 1 ] || why+=("$(wc -l <"$W/bad/err") lines on stderr, expected 1")
grep -q "^rvkvm: .*'bogus'" "$W/bad/err" || why+=("stderr does not name 'bogus': $(head -c 120 "$W/bad/err")")
[ -s "$W/bad/out" ] && why+=("the program ran")
report trace/badcat "${why[@]}"

rv_run "$W/help" /dev/null 10 "$RVKVM" -d help
why=()
[ "$(cat "$W/help/status")" = 0 ] || why+=("status $(cat "$W/help/status"), expected 0")
for c in in_asm out_asm exec int page; do
	grep -q "^$c " "$W/help/out" || why+=("'$c' not listed")
done
report trace/help "${why[@]}"

# kvm: the same records over the ring, for a program of a few blocks (each
# record is a VM exit, and an emulated-KVM host runs the monitor slowly).
n=trace/in_asm+page/kvm
if [[ " $RVKVM_PLATFORMS " == *" kvm "* ]] && rv_platform_ready "$n" kvm; then
	rv_run "$W/qemu-small" /dev/null "$RVTEST_TIMEOUT_PROC" "$QEMU_RISCV64" "$SMALL"
	run_traced "$W/small-kvm" kvm in_asm,page "$SMALL"
	why=()
	mapfile -t why < <(same_as_qemu "$W/qemu-small" "$W/small-kvm"
		in_asm_problems "$W/small-kvm.log" "$SMALL" 10
		page_problems "$W/small-kvm.log" "$SMALL")
	grep -q '^IN: say$' "$W/small-kvm.log" || why+=("no 'IN: say' block")
	report "$n" "${why[@]}"
fi
exit 0
