#!/bin/bash
# bench.sh - the benchmark table of `make bench`: every program in
# tests/bench/programs run natively, under qemu-riscv64 and under rvkvm on
# each platform, back to back, with checksums checked and medians compared.
#
# Environment:
#   BENCH=a,b     only these benchmarks (names of tests/bench/programs/*.c)
#   REPS=n        repetitions per cell, median reported (default 3)
#   TIMEOUT=s     per run (default 300; kvm runs on an emulated host: 4x)
#   KVM_SCALE=n   scale of the reduced kvm rows on an emulated host (default 1)
#   KVM_ROWS=n    how many reduced kvm rows on an emulated host (default 2;
#                 each takes minutes there: 0 leaves the kvm column out)
#   STARTUP_RUNS=n  hello-world runs for the start-up figure (default 20)
#   STATS=0       skip the extra `rvkvm --stats` run per benchmark and platform
#   RVKVM=path    the rvkvm binary to measure (default build/rvkvm)
#
# Every run's stdout must equal qemu-riscv64's (the correctness reference);
# a differing cell prints WRONG, a failed one FAIL(status), never a time.
set -u

cd "$(dirname "$0")/../.." || exit 1
BD=build/bench
RVKVM=${RVKVM:-build/rvkvm}
REPS=${REPS:-3}
TIMEOUT=${TIMEOUT:-300}
KVM_SCALE=${KVM_SCALE:-1}
STARTUP_RUNS=${STARTUP_RUNS:-20}
STATS=${STATS:-1}
started=$(date -u '+%Y-%m-%d %H:%M UTC')
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rvkvm-bench.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT

for tool in "$BD/benchrun" "$BD/hello.rv" "$BD/hello.x86"; do
	[ -x "$tool" ] || { echo "bench.sh: $tool missing (run: make bench)" >&2; exit 1; }
done
if ! command -v qemu-riscv64 >/dev/null; then
	echo "bench.sh: qemu-riscv64 not found (run: make deps)" >&2
	exit 1
fi

# ---------------------------------------------------------------- host kind

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
host_kind=""
host_source=""
host_detail=""
why="$RVKVM not built"
if [ -x "$RVKVM" ]; then
	# The measured verdict is the first word of its "KVM kind" line.
	host_detail=$(timeout 120 "$RVKVM" --host-check 2>&1)
	measured=$(sed -n 's/^[[:space:]]*KVM kind[[:space:]]*//p' <<<"$host_detail" | head -n 1)
	case $measured in
	hardware* | emulated*)
		host_kind=${measured%% *}
		host_source="$RVKVM --host-check"
		;;
	*) why="$RVKVM --host-check: KVM kind ${measured:-not reported}" ;;
	esac
fi
if [ -z "$host_kind" ]; then
	if [ ! -e /dev/kvm ]; then
		host_kind=none
	elif grep -qwE 'svm|vmx' /proc/cpuinfo; then
		host_kind=hardware
	else
		host_kind=emulated
	fi
	host_source="/proc/cpuinfo flags and /dev/kvm ($why)"
fi

# ---------------------------------------------------------------- runners

# run CFG PROGRAM SCALE OUT ERR TIMEOUT [EXTRA-RVKVM-OPTION] -> "status secs rss-KiB"
run() {
	local cfg=$1 prog=$2 scale=$3 out=$4 err=$5 limit=$6 extra=${7:-}
	local -a cmd
	case $cfg in
	native) cmd=("$BD/$prog.x86") ;;
	qemu) cmd=(qemu-riscv64 "$BD/$prog.rv") ;;
	proc | kvm) cmd=("$RVKVM" "--platform=$cfg" ${extra:+"$extra"} "$BD/$prog.rv") ;;
	esac
	[ -n "$scale" ] && cmd+=("$scale")
	"$BD/benchrun" -t "$limit" -o "$out" -e "$err" -- "${cmd[@]}"
}

limit_for() {
	if [ "$1" = kvm ] && [ "$host_kind" != hardware ]; then
		echo $((TIMEOUT * 4))
	else
		echo "$TIMEOUT"
	fi
}

# Which rvkvm platforms can run a static hello world at all; the reason if not.
declare -A avail why_not
kvm_fp=
hello_ref=$WORK/hello.ref
run qemu hello "" "$hello_ref" "$WORK/hello.err" "$TIMEOUT" >/dev/null
for p in proc kvm; do
	avail[$p]=0
	if [ ! -x "$RVKVM" ]; then
		why_not[$p]="$RVKVM not built"
	elif [ "$p" = kvm ] && [ "$host_kind" = none ]; then
		why_not[$p]="no /dev/kvm"
	else
		# A hello world takes about 30 s on a busy emulated-KVM host (the
		# launcher calibrates first); a hang should not cost the full limit.
		# --verbose: on kvm the monitor's banner says how F/D runs.
		read -r st _ _ < <(run "$p" hello "" "$WORK/probe.out" "$WORK/probe.err" 120 --verbose)
		if [ "$st" = 0 ] && cmp -s "$WORK/probe.out" "$hello_ref"; then
			avail[$p]=1
			[ "$p" = kvm ] && kvm_fp=$(grep -o 'F/D on SSE\|F/D in software' "$WORK/probe.err")
		else
			why_not[$p]="hello world: status $st, stderr: $(head -c 160 "$WORK/probe.err" | tr '\n' ' ')"
		fi
	fi
done
stats_ok=0
if [ "$STATS" != 0 ] && [ "${avail[proc]}" = 1 ]; then
	read -r st _ _ < <(run proc hello "" "$WORK/probe.out" "$WORK/probe.err" "$TIMEOUT" --stats)
	[ "$st" = 0 ] && cmp -s "$WORK/probe.out" "$hello_ref" && stats_ok=1
fi

# ---------------------------------------------------------------- the list

if [ -n "${BENCH:-}" ]; then
	IFS=, read -r -a names <<<"$BENCH"
else
	names=()
	for f in tests/bench/programs/*.c; do
		names+=("$(basename "$f" .c)")
	done
fi
for n in "${names[@]}"; do
	[ -x "$BD/$n.rv" ] && [ -x "$BD/$n.x86" ] ||
		{ echo "bench.sh: unknown or unbuilt benchmark '$n' (see tests/bench/programs)" >&2; exit 1; }
done

# ---------------------------------------------------------------- measuring

# Per row (benchmark or benchmark@scale) and configuration: the times of the
# good runs, the verdict, the peak RSS.
declare -A times verdict rss problem
rows=()

first_line() { head -n 1 "$1" 2>/dev/null | cut -c 1-160; }

median() {
	tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR] = $1}
		END {if (NR == 0) exit; print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'
}

# measure ROW PROGRAM SCALE CFG...: REPS interleaved rounds over the CFGs,
# then every output checked against the first good qemu-riscv64 output.
measure() {
	local row=$1 prog=$2 scale=$3
	shift 3
	local ref=$WORK/$row.ref cfg rep st secs kib
	local -A result
	rows+=("$row")
	for cfg in "$@"; do
		rss[$row,$cfg]=0
	done
	for ((rep = 1; rep <= REPS; rep++)); do
		for cfg in "$@"; do
			read -r st secs kib < <(run "$cfg" "$prog" "$scale" "$WORK/$row.$cfg.$rep.out" \
				"$WORK/$row.$cfg.$rep.err" "$(limit_for "$cfg")" "$(inline_stats "$cfg")")
			result[$cfg,$rep]="${st:-benchrun-error} ${secs:-0}"
			[ "${kib:-0}" -gt "${rss[$row,$cfg]}" ] && rss[$row,$cfg]=$kib
		done
	done
	for ((rep = 1; rep <= REPS; rep++)); do
		if [ "${result[qemu,$rep]%% *}" = 0 ]; then
			cp "$WORK/$row.qemu.$rep.out" "$ref"
			break
		fi
	done
	for cfg in "$@"; do
		verdict[$row,$cfg]=ok
		times[$row,$cfg]=""
		for ((rep = 1; rep <= REPS; rep++)); do
			read -r st secs <<<"${result[$cfg,$rep]}"
			local got="$WORK/$row.$cfg.$rep.out"
			if [ "$st" != 0 ]; then
				v="FAIL($st)"
				why="run $rep: exit status $st, stderr: $(first_line "$WORK/$row.$cfg.$rep.err")"
			elif [ ! -e "$ref" ]; then
				v="FAIL(no qemu reference)"
				why="qemu-riscv64 failed every run, nothing to check against"
			elif ! cmp -s "$got" "$ref"; then
				v=WRONG
				why="run $rep printed '$(first_line "$got")', qemu-riscv64 '$(first_line "$ref")'"
			else
				times[$row,$cfg]+=" $secs"
				continue
			fi
			if [ "${verdict[$row,$cfg]}" = ok ]; then
				verdict[$row,$cfg]=$v
				problem[$row,$cfg]=$why
			fi
		done
	done
	if [ "$stats_ok" = 1 ]; then
		for cfg in "$@"; do
			case $cfg in proc | kvm) ;; *) continue ;; esac
			[ "${verdict[$row,$cfg]}" = ok ] || continue
			if [ -n "$(inline_stats "$cfg")" ]; then
				cp "$WORK/$row.$cfg.$REPS.err" "$WORK/$row.$cfg.stats"
				continue
			fi
			run "$cfg" "$prog" "$scale" "$WORK/$row.$cfg.stats.out" "$WORK/$row.$cfg.stats" \
				"$(limit_for "$cfg")" --stats >/dev/null
		done
	fi
	echo "  $row: $(for cfg in "$@"; do printf '%s=%s ' "$cfg" "$(cell "$row" "$cfg")"; done)" >&2
}

# On an emulated-KVM host a kvm run takes minutes, so its timed runs carry
# --stats themselves instead of paying for an extra run; the counters cost
# nothing next to the emulation.
inline_stats() {
	if [ "$1" = kvm ] && [ "$host_kind" != hardware ] && [ "$stats_ok" = 1 ]; then
		echo --stats
	fi
}

# cell ROW CFG: the median seconds, or the verdict, or n/a.
cell() {
	local v=${verdict[$1,$2]:-}
	if [ -z "$v" ]; then
		echo n/a
	elif [ "$v" = ok ]; then
		median <<<"${times[$1,$2]}"
	else
		echo "$v"
	fi
}

NUMBER_RE='^[0-9.]+(e[-+]?[0-9]+)?$'
is_number() { [[ $1 =~ $NUMBER_RE ]]; }

ratio() {
	if is_number "$1" && is_number "$2"; then
		# Exponent form below 0.01 (kvm on an emulated host) so no ratio reads 0.00.
		awk -v a="$1" -v b="$2" 'BEGIN {if (b <= 0) print "-"; else if (a / b >= 0.01)
			printf "%.2f", a / b; else printf "%.1e", a / b}'
	else
		echo "-"
	fi
}

cfgs=(native qemu)
[ "${avail[proc]}" = 1 ] && cfgs+=(proc)
kvm_main=0
[ "${avail[kvm]}" = 1 ] && [ "$host_kind" = hardware ] && kvm_main=1
[ "$kvm_main" = 1 ] && cfgs+=(kvm)

echo "rvkvm benchmarks: ${#names[@]} programs, REPS=$REPS, configurations: ${cfgs[*]}" >&2
for n in "${names[@]}"; do
	measure "$n" "$n" "" "${cfgs[@]}"
done

# On an emulated host every instruction in the VM is emulated (~240 ns), so
# the kvm column gets only the two benchmarks qemu ran fastest, at KVM_SCALE,
# with the other columns re-measured at that size for the ratios.
reduced_note=""
if [ "${avail[kvm]}" = 1 ] && [ "$kvm_main" = 0 ]; then
	mapfile -t shortest < <(for n in "${names[@]}"; do
		q=$(cell "$n" qemu)
		is_number "$q" && echo "$q $n"
	done | sort -g | head -n "${KVM_ROWS:-2}" | cut -d' ' -f2)
	for n in "${shortest[@]}"; do
		measure "$n@$KVM_SCALE" "$n" "$KVM_SCALE" "${cfgs[@]}" kvm
	done
	reduced_note="kvm column: $host_kind KVM host, so only the ${#shortest[@]} benchmark(s)"
	reduced_note+=" qemu-riscv64 ran fastest, at scale $KVM_SCALE (default 100), rows name@$KVM_SCALE"
fi

# ---------------------------------------------------------------- start-up

declare -A start_times start_bad
startup_cfgs=(native qemu)
[ "${avail[proc]}" = 1 ] && startup_cfgs+=(proc)
[ "${avail[kvm]}" = 1 ] && startup_cfgs+=(kvm)
kvm_startup_runs=$STARTUP_RUNS
[ "$host_kind" != hardware ] && [ "$kvm_startup_runs" -gt 5 ] && kvm_startup_runs=5
for ((i = 1; i <= STARTUP_RUNS; i++)); do
	for cfg in "${startup_cfgs[@]}"; do
		[ "$cfg" = kvm ] && [ "$i" -gt "$kvm_startup_runs" ] && continue
		read -r st secs _ < <(run "$cfg" hello "" "$WORK/start.out" "$WORK/start.err" \
			"$(limit_for "$cfg")")
		if [ "$st" = 0 ] && cmp -s "$WORK/start.out" "$hello_ref"; then
			start_times[$cfg]+=" $secs"
		else
			start_bad[$cfg]="FAIL($st)"
		fi
	done
done

# ---------------------------------------------------------------- report

fmt_time() {
	if is_number "$1"; then printf '%.3f' "$1"; else printf '%s' "$1"; fi
}
fmt_rss() {
	local kib=${rss[$1,$2]:-0}
	if [ "$kib" -gt 0 ] && [ "${verdict[$1,$2]:-}" != "" ]; then
		awk -v k="$kib" 'BEGIN {printf "%.0f", k / 1024}'
	else
		echo "-"
	fi
}
# geomean: of the numbers on stdin ("-" cells skipped), then their count.
geomean() {
	tr ' ' '\n' | grep -E "$NUMBER_RE" | awk '$1 > 0 {s += log($1); n++}
		END {if (!n) print "- 0"; else if (exp(s / n) >= 0.01) printf "%.2f %d\n", exp(s / n), n
		     else printf "%.1e %d\n", exp(s / n), n}'
}

{
	echo "command: make bench REPS=$REPS${BENCH:+ BENCH=$BENCH} KVM_SCALE=$KVM_SCALE" \
		"STARTUP_RUNS=$STARTUP_RUNS (started $started)"
	echo "host: ${cpu_model:-unknown CPU}, $(nproc) CPUs; KVM: $host_kind (from $host_source)"
	[ -n "$host_detail" ] && sed 's/^/  | /' <<<"$host_detail"
	for p in proc kvm; do
		[ "${avail[$p]}" = 1 ] || echo "rvkvm --platform=$p unavailable: ${why_not[$p]}"
	done
	[ -n "$kvm_fp" ] && echo "rvkvm --platform=kvm: $kvm_fp (the monitor's banner)"
	[ -n "$reduced_note" ] && echo "$reduced_note"
	echo "REPS=$REPS, median seconds (wall clock); ratios are time/time;" \
		"RSS: peak of the rvkvm process, MiB"
	echo
	hdr="%-14s %8s %8s %8s %8s | %8s %9s %8s %8s %8s | %8s %8s\n"
	# shellcheck disable=SC2059
	printf "$hdr" benchmark native qemu proc kvm proc/nat qemu/proc kvm/nat qemu/kvm kvm/proc \
		"RSS proc" "RSS kvm"
	declare -A col
	for row in "${rows[@]}"; do
		n=$(cell "$row" native) q=$(cell "$row" qemu) p=$(cell "$row" proc) k=$(cell "$row" kvm)
		r1=$(ratio "$p" "$n") r2=$(ratio "$q" "$p") r3=$(ratio "$k" "$n") r4=$(ratio "$q" "$k")
		r5=$(ratio "$k" "$p")
		# shellcheck disable=SC2059
		printf "$hdr" "$row" "$(fmt_time "$n")" "$(fmt_time "$q")" "$(fmt_time "$p")" \
			"$(fmt_time "$k")" "$r1" "$r2" "$r3" "$r4" "$r5" "$(fmt_rss "$row" proc)" \
			"$(fmt_rss "$row" kvm)"
		set="main"
		[[ $row == *@* ]] && set="reduced"
		col[$set,1]+=" $r1" col[$set,2]+=" $r2" col[$set,3]+=" $r3" col[$set,4]+=" $r4"
		col[$set,5]+=" $r5"
	done
	for set in main reduced; do
		[ "$set" = reduced ] && [ -z "$reduced_note" ] && continue
		label="geomean"
		[ "$set" = reduced ] && label="geomean @$KVM_SCALE"
		g=() counts=()
		for c in 1 2 3 4 5; do
			read -r v k < <(geomean <<<"${col[$set,$c]:-}")
			g+=("$v")
			counts+=("$k")
		done
		# shellcheck disable=SC2059
		printf "$hdr" "$label" "" "" "" "" "${g[@]}" "" ""
		printf "%-14s %35s | %8s %9s %8s %8s %8s |\n" "  (rows)" "" "${counts[@]}"
	done
	for row in "${rows[@]}"; do
		for cfg in native qemu proc kvm; do
			[ -n "${problem[$row,$cfg]:-}" ] && echo "  $row, $cfg: ${problem[$row,$cfg]}"
		done
	done
	echo
	echo "start-up: static hello world, seconds, median of $STARTUP_RUNS runs (kvm: $kvm_startup_runs)"
	sq=""
	for cfg in native qemu proc kvm; do
		if [ -n "${start_bad[$cfg]:-}" ]; then
			s=${start_bad[$cfg]}
		elif [ -n "${start_times[$cfg]:-}" ]; then
			s=$(median <<<"${start_times[$cfg]}")
		else
			s=n/a
		fi
		[ "$cfg" = qemu ] && sq=$s
		line=$(printf '  %-7s %8s' "$cfg" "$(fmt_time "$s")")
		case $cfg in proc | kvm) line+="   rvkvm/qemu $(ratio "$s" "$sq")" ;; esac
		echo "$line"
	done
	if [ "$stats_ok" = 1 ]; then
		echo
		echo "rvkvm --stats (one extra run per cell; the timed run itself for kvm on an"
		echo "emulated host; stderr as printed):"
		for row in "${rows[@]}"; do
			for cfg in proc kvm; do
				f=$WORK/$row.$cfg.stats
				[ -s "$f" ] || continue
				echo "  [$row, $cfg]"
				sed 's/^/    /' "$f"
			done
		done
	elif [ "$STATS" != 0 ]; then
		echo
		if [ "${avail[proc]}" = 1 ]; then
			echo "rvkvm --stats: not available (rvkvm --stats --platform=proc hello failed)"
		else
			echo "rvkvm --stats: not available (the proc platform is unavailable)"
		fi
	fi
} | tee "$BD/bench-report.txt"
