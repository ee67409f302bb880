#!/bin/bash
# rvkvm --profile, --profile=FILE and --perf-map (docs/profiling.md).
#
# proc: a program that spends its time in hot_loop() prints what
# qemu-riscv64 prints and exits as it does, and the flat profile on stderr
# lists hot_loop first with most of the samples; --profile=FILE writes
# folded stacks where a frame-pointer build's hot_loop is under main;
# --profile-hz sets the rate; --perf-map writes perf's JIT map (and =auto
# names /tmp/perf-PID.map).  multiboot (QEMU TCG, no launcher): the
# `profile` command-line word prints the same flat profile on the console.
# kvm: one small run with every option (each kvm run costs seconds on an
# emulated-KVM host), the flat profile naming hot_loop too.
set -u
. "$(dirname "$0")/../lib.sh"

HOT=$RV_BUILD/profile/hot
HOT_FP=$RV_BUILD/profile/hot-fp
TINY=$RV_BUILD/profile/tiny
MONITOR=$RV_ROOT/build/monitor.elf
QEMU_SYSTEM=${QEMU_SYSTEM:-qemu-system-x86_64}
W=$RV_BUILD/profile-run
mkdir -p "$W"
t=profile

for p in "$HOT" "$HOT_FP" "$TINY"; do
	if [ ! -x "$p" ]; then
		echo "FAIL $t: $p not built (make test-programs)"
		exit 0
	fi
done

# flat_check NAME ERRFILE: the header's sample count and the first line
# (hot_loop with 80% of them); prints the evidence, empty if all is well.
flat_check() {
	local e=$1 total first hot
	total=$(sed -n 's/^rvkvm: profile: \([0-9]*\) samples .*/\1/p' "$e")
	first=$(grep -m1 '^rvkvm: profile: *[0-9.]*% ' "$e")
	hot=$(echo "$first" | awk '$5 == "hot_loop" { print $4 }')
	if [ -z "$total" ] || [ "$total" -lt 20 ]; then
		echo "header missing or under 20 samples: '$(head -n 1 "$e" | cut -c1-100)'"
	elif [ -z "$hot" ] || [ $((hot * 100)) -lt $((total * 80)) ]; then
		echo "first line '$first' is not hot_loop with 80% of $total samples"
	fi
}

# same_as_qemu DIR: stdout and status of the run in DIR against qemu's.
same_as_qemu() {
	local why=()
	[ "$(cat "$1/status")" = "$(cat "$W/qemu/status")" ] ||
		why+=("status $(cat "$1/status"), qemu-riscv64 $(cat "$W/qemu/status")")
	cmp -s "$W/qemu/out" "$1/out" ||
		why+=("stdout differs from qemu-riscv64's: $(rv_short_diff "$W/qemu/out" "$1/out")")
	echo "${why[*]}"
}

report() {
	if [ -z "$2" ]; then echo "PASS $t/$1${3:+ ($3)}"; else echo "FAIL $t/$1: $2"; fi
}

rv_run "$W/qemu" /dev/null "$RVTEST_TIMEOUT_PROC" "$QEMU_RISCV64" "$HOT_FP" 300

# proc, flat profile: the distribution-style build (no frame pointers).
rv_run "$W/plain" /dev/null "$RVTEST_TIMEOUT_PROC" "$RVKVM" --platform=proc "$HOT" 300
rv_run "$W/prof" /dev/null "$RVTEST_TIMEOUT_PROC" "$RVKVM" --platform=proc --profile "$HOT" 300
why="$(flat_check "$W/prof/err")"
[ "$(cat "$W/prof/status")" = 0 ] || why+=" status $(cat "$W/prof/status"), expected 0"
cmp -s "$W/plain/out" "$W/prof/out" || why+=" stdout differs from a run without --profile"
report hot/proc "$why" "$(sed -n 's/^rvkvm: profile: \([0-9]*\) samples .*/\1 samples/p' "$W/prof/err")"

# proc, folded stacks: main;hot_loop carries most stack samples.
rv_run "$W/fold" /dev/null "$RVTEST_TIMEOUT_PROC" "$RVKVM" --platform=proc \
	--profile="$W/folded.txt" "$HOT_FP" 300
why="$(same_as_qemu "$W/fold")"
if [ ! -s "$W/folded.txt" ]; then
	why+=" no folded file written"
else
	bad=$(grep -cvE '^[^ ;]+(;[^ ;]+)* [0-9]+$' "$W/folded.txt")
	all=$(awk '{ s += $NF } END { print s + 0 }' "$W/folded.txt")
	hot=$(awk '$1 ~ /(^|;)main;hot_loop$/ { s += $NF } END { print s + 0 }' "$W/folded.txt")
	[ "$bad" = 0 ] || why+=" $bad lines not 'f;g;leaf count': $(grep -m1 -vE '^[^ ;]+(;[^ ;]+)* [0-9]+$' "$W/folded.txt" | cut -c1-80)"
	[ $((hot * 100)) -ge $((all * 80)) ] && [ "$all" -ge 20 ] ||
		why+=" main;hot_loop has $hot of $all stack samples, expected 80%: $(sort -k2 -n "$W/folded.txt" | tail -n 2 | tr '\n' '|')"
fi
report folded/proc "$why" "$hot of $all under main;hot_loop"

# proc, --profile-hz and --perf-map=auto (perf's /tmp/perf-PID.map).
# The shell records its pid and becomes rvkvm (exec), so the pid is rvkvm's.
(
	cd "$W" && env -i "${RV_GUEST_ENV[@]}" timeout -k 5 "$RVTEST_TIMEOUT_PROC" \
		sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$W/map.pid" \
		"$RVKVM" --platform=proc --profile-hz 100 --perf-map=auto "$HOT_FP" 100 \
		>"$W/map.out" 2>"$W/map.err"
	echo $? >"$W/map.status"
)
map=/tmp/perf-$(cat "$W/map.pid").map
why=""
[ "$(cat "$W/map.status")" = 0 ] || why+=" status $(cat "$W/map.status"): $(head -c 160 "$W/map.err")"
grep -q '^rvkvm: profile: [0-9]* samples (timer asked for 100 Hz)' "$W/map.err" ||
	why+=" no '100 Hz' profile header: $(head -n 1 "$W/map.err" | cut -c1-100)"
if [ ! -s "$map" ]; then
	why+=" $map not written"
else
	bad=$(grep -cvE '^[0-9a-f]+ [0-9a-f]+ [^ ]+$' "$map")
	[ "$bad" = 0 ] || why+=" $bad lines not 'START SIZE NAME': $(grep -m1 -vE '^[0-9a-f]+ [0-9a-f]+ [^ ]+$' "$map")"
	for f in main hot_loop; do
		grep -qE " $f(\+0x[0-9a-f]+)?$" "$map" || why+=" no block of $f in the map"
	done
fi
report perf-map/proc "$why" "$(wc -l <"$map" 2>/dev/null) blocks"
rm -f "$map"

rv_run "$W/badhz" /dev/null "$RVTEST_TIMEOUT_PROC" "$RVKVM" --platform=proc --profile-hz 0 "$HOT" 1
if [ "$(cat "$W/badhz/status")" = 1 ] && [ "$(wc -l <"$W/badhz/err")" = 1 ] &&
	grep -q '^rvkvm: --profile-hz 0:' "$W/badhz/err"; then
	echo "PASS $t/bad-rate"
else
	echo "FAIL $t/bad-rate: expected status 1 and one line, got $(cat "$W/badhz/status"): $(head -c 200 "$W/badhz/err" | tr '\n' '|')"
fi

# multiboot under QEMU TCG: the monitor alone, the flat profile on COM1.
if ! command -v "$QEMU_SYSTEM" >/dev/null; then
	echo "SKIP $t/hot/multiboot: $QEMU_SYSTEM not installed"
elif [ ! -f "$MONITOR" ]; then
	echo "FAIL $t/hot/multiboot: $MONITOR not built"
else
	# Twice proc's work: start-up under TCG (translating glibc's start, the
	# monitor's boot) takes some 350 samples, a fifth of a 300 M-turn run.
	rv_run "$W/qemu-mb" /dev/null "$RVTEST_TIMEOUT_PROC" "$QEMU_RISCV64" "$HOT_FP" 600
	# isa-debug-exit: QEMU exits with (status << 1) | 1.
	timeout -k 5 120 "$QEMU_SYSTEM" -machine pc -m 256M -no-reboot -display none \
		-monitor none -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=4 \
		-cpu max -kernel "$MONITOR" -append "profile profile-hz=2000" \
		-initrd "$HOT_FP 600" </dev/null 2>"$W/mb.err" | tr -d '\r' >"$W/mb.out"
	st=${PIPESTATUS[0]}
	why="$(flat_check "$W/mb.out")"
	[ "$st" = 1 ] || why+=" QEMU status $st, expected 1 (guest status 0)"
	grep -qxF "$(cat "$W/qemu-mb/out")" "$W/mb.out" ||
		why+=" the console lacks qemu-riscv64's output '$(cat "$W/qemu-mb/out")'"
	grep -q '(timer asked for 2000 Hz)' "$W/mb.out" || why+=" header does not say 2000 Hz"
	report hot/multiboot "$why" "$(sed -n 's/^rvkvm: profile: \([0-9]*\) samples .*/\1 samples/p' "$W/mb.out")"
fi

# kvm: one small run of a program without the C library (its start-up alone
# takes seconds on an emulated-KVM host) with the APIC timer, folded stacks
# and the kallsyms map.
if [[ " $RVKVM_PLATFORMS " == *" kvm "* ]] && rv_platform_ready "$t/kvm" kvm; then
	# Thousands of iterations: about a second of loop either way.
	if rv_kvm_emulated; then n=30; else n=300000; fi
	rv_run "$W/kvmq" /dev/null "$RVTEST_TIMEOUT_PROC" "$QEMU_RISCV64" "$TINY" "$n"
	rv_run "$W/kvm" /dev/null "$RVTEST_TIMEOUT_KVM" "$RVKVM" --platform=kvm --profile-hz 250 \
		--profile="$W/kvm-folded.txt" --perf-map "$W/kvm-map.txt" "$TINY" "$n"
	why=()
	[ "$(cat "$W/kvm/status")" = "$(cat "$W/kvmq/status")" ] ||
		why+=("status $(cat "$W/kvm/status"), qemu-riscv64 $(cat "$W/kvmq/status"): $(grep -v warning "$W/kvm/err" | head -c 200)")
	cmp -s "$W/kvmq/out" "$W/kvm/out" || why+=("stdout differs from qemu-riscv64's")
	total=$(sed -n 's/^rvkvm: profile: \([0-9]*\) samples .*/\1/p' "$W/kvm/err")
	first=$(grep -m1 '^rvkvm: profile: *[0-9.]*% ' "$W/kvm/err")
	hot=$(echo "$first" | awk '$5 == "hot_loop" { print $4 }')
	if [ -z "$total" ] || [ "$total" -lt 20 ]; then
		why+=("header missing or under 20 samples: $(grep -m1 'profile' "$W/kvm/err")")
	elif [ -z "$hot" ] || [ $((hot * 100)) -lt $((total * 30)) ]; then
		# Not half: on an emulated-KVM host translation inside the VM takes
		# a load-dependent share of the samples (seen: 49% for hot_loop).
		why+=("first line '$first' is not hot_loop with 30% of $total samples")
	fi
	grep -qE '^_start;main;hot_loop [0-9]+$' "$W/kvm-folded.txt" 2>/dev/null ||
		why+=("no _start;main;hot_loop stack in $W/kvm-folded.txt")
	grep -q ' T _text$' "$W/kvm-map.txt" 2>/dev/null || why+=("the map lacks _text")
	grep -q ' T mon_main$' "$W/kvm-map.txt" || why+=("the map lacks the monitor's symbols (mon_main)")
	grep -qE '^ffffff[0-9a-f]{10} t main$' "$W/kvm-map.txt" || why+=("no block of main in the map")
	bad=$(grep -cvE '^[0-9a-f]{16} [tT] [^ ]+$' "$W/kvm-map.txt")
	[ "$bad" = 0 ] || why+=("$bad lines not 'ADDR t NAME'")
	report all/kvm "${why[*]}" "$total samples, $hot in hot_loop"
fi
exit 0
