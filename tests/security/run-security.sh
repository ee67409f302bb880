#!/bin/bash
# Hostile and broken guests (docs/security.md): containment of runaway and
# orphaned guests, the isolation sweep, wild pointers, files written to the
# end, ring garbage, the ELF fuzzing corpus.  Every guest-visible result is compared with
# qemu-riscv64's on the same program.  kvm runs small samples: on an
# emulated-KVM host every instruction in the VM costs ~240 ns.  The kvm
# checks run two at a time (rv_job) alongside the proc ones; on an
# emulated-KVM host the isolation classes share two runs of isolation.c over
# a sample of the addresses, and programs without the C library stand in
# where glibc is not what is checked (docs/security.md, docs/testing.md).
set -u
. "$(dirname "$0")/../lib.sh"

S=$RV_BUILD/security
TOP=$(mktemp -d "${TMPDIR:-/tmp}/rvsec.XXXXXX")
WORK=$TOP/main
mkdir -p "$WORK"
trap 'rm -rf "$TOP"' EXIT

# sec_job CHECK ARGS...: CHECK with a work directory of its own, so that
# checks can run side by side.
sec_job() {
	local WORK
	WORK=$(mktemp -d "$TOP/job.XXXXXX")
	"$@"
}

# sec_status NAME EXPECTED GOT [evidence]
sec_status() {
	if [ "$2" = "$3" ]; then
		echo "PASS $1"
	else
		echo "FAIL $1: status expected $2 got $3${4:+; $4}"
	fi
}

# A guest that runs after a hostile one must still run correctly.  PROG
# (default spin) is spin-bare on an emulated-KVM host: what is checked is
# that a new VM runs, not glibc's start-up.
after_check() {
	local name=$1 platform=$2 prog=$S/${3:-spin} out st
	out=$(timeout "$(rv_timeout "$platform")" "$RVKVM" --platform="$platform" \
		"$prog" --once 2>/dev/null)
	st=$?
	if [ "$st" = 0 ] && [ "$out" = spinning ]; then
		echo "PASS $name"
	else
		echo "FAIL $name: a normal guest after it: expected 'spinning', status 0; got '$out', status $st"
	fi
}

# --timeout: status 124 and one line, as timeout(1) ends qemu-riscv64.
check_timeout() {
	local platform=$1 secs=$2 prog=$S/${3:-spin} name=security/timeout-${2}s/$1 st qst t0 took
	t0=$(date +%s.%N)
	timeout -k 5 120 "$RVKVM" --platform="$platform" --timeout "$secs" "$prog" \
		>"$WORK/out" 2>"$WORK/err"
	st=$?
	took=$(echo "$(date +%s.%N) - $t0" | bc)
	timeout "$secs" "$QEMU_RISCV64" "$prog" >/dev/null 2>&1
	qst=$?
	if [ "$st" != "$qst" ]; then
		echo "FAIL $name: status expected $qst (qemu-riscv64 under timeout $secs) got $st"
	elif [ "$(grep -v 'KVM on this host is emulated' "$WORK/err")" != "rvkvm: timeout after $secs s" ]; then
		echo "FAIL $name: stderr expected 'rvkvm: timeout after $secs s' alone, got '$(tr '\n' '|' <"$WORK/err")'"
	elif [ "$(echo "$took < $secs - 0.05 || $took > $secs + 5" | bc)" = 1 ]; then
		echo "FAIL $name: ended after $took s, expected $secs s"
	else
		echo "PASS $name"
	fi
}

# SIGINT/SIGTERM sent to a runaway guest: 130/143, as qemu-riscv64 (which
# dies of the signal).  Background jobs start with SIGINT ignored, which
# both keep for their guest as execve would, so each gets it back to the
# default the way a terminal's foreground job has it.
check_stop_signal() {
	local platform=$1 sig=$2 settle=$3 prog=$S/${4:-spin} name=security/sig$2/$1 p st qst
	env --default-signal=INT "$RVKVM" --platform="$platform" "$prog" >/dev/null 2>&1 &
	p=$!
	sleep "$settle"
	kill -"$sig" $p
	wait $p
	st=$?
	env --default-signal=INT "$QEMU_RISCV64" "$prog" >/dev/null 2>&1 &
	p=$!
	sleep 0.5
	kill -"$sig" $p
	wait $p
	qst=$?
	sec_status "$name" "$qst" "$st"
}

# A reader that leaves: the guest's SIGPIPE default, ignored and handled.
# PROG is sigpipe (default) or sigpipe-bare, whose default mode is no
# argument.
check_sigpipe() {
	local platform=$1 mode=$2 prog=${3:-sigpipe} name=security/sigpipe-$2/$1 st qst args=("$2")
	[ "$prog" = sigpipe-bare ] && [ "$mode" = default ] && args=()
	(ulimit -c 0
	 "$QEMU_RISCV64" "$S/$prog" "${args[@]}" 2>"$WORK/qerr" | head -c 1 >/dev/null
	 echo "${PIPESTATUS[0]}" >"$WORK/qst")
	(ulimit -c 0
	 timeout -k 5 "$(rv_timeout "$platform")" "$RVKVM" --platform="$platform" \
		"$S/$prog" "${args[@]}" 2>"$WORK/rerr" | head -c 1 >/dev/null
	 echo "${PIPESTATUS[0]}" >"$WORK/rst")
	qst=$(cat "$WORK/qst") st=$(cat "$WORK/rst")
	rv_guest_stderr "$WORK/qerr" >"$WORK/qerr.g"
	rv_guest_stderr "$WORK/rerr" >"$WORK/rerr.g"
	if [ "$qst" != "$st" ]; then
		echo "FAIL $name: status expected $qst got $st; rvkvm said: $(head -c 200 "$WORK/rerr" | tr '\n' '|')"
	elif ! cmp -s "$WORK/qerr.g" "$WORK/rerr.g"; then
		echo "FAIL $name: stderr differs: $(rv_short_diff "$WORK/qerr.g" "$WORK/rerr.g")"
	else
		echo "PASS $name"
	fi
}

# qemu-riscv64 7.2's default CPU has V and Zb* on; rvkvm is RV64GC.
QEMU_RV64GC=(-cpu rv64,v=false,zba=false,zbb=false,zbc=false,zbs=false)

# iso_run PLATFORM args...: isolation.c under qemu-riscv64 and rvkvm;
# leaves $WORK/iq, $WORK/ir, $WORK/ierr and both statuses.
iso_run() {
	local platform=$1
	shift
	"$QEMU_RISCV64" "${QEMU_RV64GC[@]}" "$S/isolation" "$@" >"$WORK/iq" 2>&1
	echo $? >"$WORK/iqst"
	timeout -k 5 "$(rv_timeout "$platform")" "$RVKVM" --platform="$platform" \
		"$S/isolation" "$@" >"$WORK/ir" 2>"$WORK/ierr"
	echo $? >"$WORK/irst"
}

# iso_judge NAME [CLASS]: the verdict on iso_run's runs, on the lines of
# CLASS alone if given (each line starts with its class, "load ..." or
# "i32: ...").  Output and status equal qemu-riscv64's on every line but
# those marked '*' (where qemu 7.2 is no reference, see isolation.c), which
# must show only faults (SEGV_MAPERR at the address) or only SIGILL.
iso_judge() {
	local name=$1 cls=${2:-} st qst bad f
	qst=$(cat "$WORK/iqst") st=$(cat "$WORK/irst")
	for f in iq ir; do
		awk -v c="$cls" '{ k = $1; sub(/:$/, "", k) } c == "" || k == c' \
			"$WORK/$f" >"$WORK/$f.cls"
		grep -v '\*$' "$WORK/$f.cls" >"$WORK/$f.cmp"
	done
	bad=$(grep '\*$' "$WORK/ir.cls" | grep -v -E -e '^[a-z]+ [0-9a-f]{16} M+ ' \
		-e 'addresses at or beyond the Sv39 limit, ([0-9]+) faulted' \
		-e 'SIGTRAP 0 SIGILL [0-9]+ SIGSEGV 0 SIGBUS 0 SIGFPE 0 other 0')
	if [ -z "$bad" ]; then
		bad=$(grep 'beyond the Sv39 limit' "$WORK/ir.cls" |
			awk '$2 != $(NF-2) { print }')
	fi
	if [ "$qst" != "$st" ]; then
		echo "FAIL $name: status expected $qst got $st; rvkvm said: $(head -c 200 "$WORK/ierr" | tr '\n' '|')"
	elif ! cmp -s "$WORK/iq.cmp" "$WORK/ir.cmp"; then
		echo "FAIL $name: output differs from qemu-riscv64: $(rv_short_diff "$WORK/iq.cmp" "$WORK/ir.cmp")"
	elif [ -n "$bad" ] || ! grep -q . "$WORK/ir.cls"; then
		echo "FAIL $name: expected only faults beyond Sv39 / only SIGILL for V encodings, got: $(echo "$bad" | head -n 2 | tr '\n' '|')"
	else
		echo "PASS $name: $(tail -n 2 "$WORK/ir.cls" | grep -v '\*$' | tail -n 1 | cut -c1-110)"
	fi
}

# check_isolation NAME PLATFORM args...: one run, one verdict.
check_isolation() {
	local name=$1 platform=$2
	shift 2
	iso_run "$platform" "$@"
	iso_judge "$name"
}

# check_isolation_classes CLASSES -- args...: one run of isolation.c with
# several classes (a glibc start-up on an emulated-KVM host costs seconds, a
# class far less), one verdict per class.
check_isolation_classes() {
	local classes=() cls
	while [ "$1" != -- ]; do
		classes+=("$1")
		shift
	done
	shift
	iso_run kvm "$@"
	for cls in "${classes[@]}"; do
		case $cls in
		i32) iso_judge security/isolation-i32-sample/kvm i32 ;;
		*) iso_judge "security/isolation-$cls/kvm" "$cls" ;;
		esac
	done
}

# System calls with wild pointers (wildptr.c): every line as qemu-riscv64
# gives it, but those marked '*', which must give what Linux gives.
check_wildptr() {
	local platform=$1 name=security/wild-pointers/$1 st qst bad
	mkdir -p "$WORK/wq" "$WORK/wr"
	(cd "$WORK/wq" && "$QEMU_RISCV64" "$S/wildptr" >../wq.out 2>&1)
	qst=$?
	(cd "$WORK/wr" && timeout -k 5 "$(rv_timeout "$platform")" "$RVKVM" \
		--platform="$platform" "$S/wildptr" >../wr.out 2>../wr.err)
	st=$?
	bad=$(grep ', Linux .* \*$' "$WORK/wr.out" | awk '$4 != $6 "," { print }')
	if [ "$qst" != "$st" ]; then
		echo "FAIL $name: status expected $qst got $st; rvkvm said: $(head -c 200 "$WORK/wr.err" | tr '\n' '|')"
	elif ! cmp -s <(grep -v '\*$' "$WORK/wq.out") <(grep -v '\*$' "$WORK/wr.out"); then
		echo "FAIL $name: differs from qemu-riscv64: $(rv_short_diff <(grep -v '\*$' "$WORK/wq.out") <(grep -v '\*$' "$WORK/wr.out"))"
	elif [ -n "$bad" ] || ! grep -q '^EFAULT' "$WORK/wr.out"; then
		echo "FAIL $name: not what Linux gives: $(echo "$bad" | head -n 2 | tr '\n' '|')"
	else
		echo "PASS $name: $(grep '^EFAULT' "$WORK/wr.out" | tr -d '*')"
	fi
}

# Forged ring requests (monitor/platform/kvm/ringtest.c): every one must
# get an error completion and the launcher must live to serve the rest.
check_ring_garbage() {
	local n=$1 name=security/ring-garbage-$1/kvm st
	timeout -k 5 "$RVTEST_TIMEOUT_KVM" "$RVKVM" --platform=kvm --ring-garbage="$n" \
		>"$WORK/ring.out" 2>"$WORK/ring.err"
	st=$?
	if [ "$st" = 0 ] && grep -q '^ring-test: random-garbage: ok' "$WORK/ring.err" &&
		grep -q '^ring-test: all passed' "$WORK/ring.err"; then
		echo "PASS $name: $(grep -o '[0-9]* random requests in .*' "$WORK/ring.err")"
	else
		echo "FAIL $name: status $st; $(grep -e FAIL -e 'random request' "$WORK/ring.err" | head -n 3 | tr '\n' '|')"
	fi
}

# The ELF corpus and every input a fuzzer once crashed on
# (tests/security/elf-corpus/) replayed through the fuzz targets, built with
# gcc and the sanitizers by make test (tests/security/fuzz/replay.c).
check_elf_corpus() {
	local t bin
	for t in elfcheck elfload; do
		bin=$RV_BUILD/security/fuzz/replay-$t
		if [ ! -x "$bin" ]; then
			echo "FAIL security/elf-corpus-$t: $bin not built (make test-programs)"
			continue
		fi
		if "$bin" "$RV_ROOT/tests/security/elf-corpus" >"$WORK/corpus.log" 2>&1; then
			echo "PASS security/elf-corpus-$t: $(grep -m1 replayed "$WORK/corpus.log")"
		else
			echo "FAIL security/elf-corpus-$t: $(grep -m 2 -e ERROR -e SUMMARY -e 'runtime error' "$WORK/corpus.log" | tr '\n' '|')"
		fi
	done
}

# kvm: every check a VM of its own, two at a time (rv_job); the checks that
# a normal guest still runs come after all the hostile ones.
sec_kvm() {
	local after=spin sigpipe=sigpipe how cls
	if rv_kvm_emulated; then
		# What these check is the VM's, not glibc's: a new VM runs,
		# SIGPIPE comes from a write the launcher made.
		after=spin-bare sigpipe=sigpipe-bare
		# The longest first.  The address classes try 4 offsets in each
		# of the 15 regions, every kind of region still covered.
		rv_job sec_job check_isolation_classes i32 -- i32 20 7
		rv_job sec_job check_isolation_classes load store jump fencei smc -- \
			sample load store jump fencei 200 smc 100
	else
		for cls in load store jump; do
			rv_job sec_job check_isolation "security/isolation-$cls/kvm" kvm "$cls"
		done
		rv_job sec_job check_isolation security/isolation-fencei/kvm kvm fencei 200
		rv_job sec_job check_isolation security/isolation-smc/kvm kvm smc 100
		rv_job sec_job check_isolation security/isolation-i32-sample/kvm kvm i32 40 7
	fi
	# Without the C library, so the guest is in its loop within the
	# settle time even on an emulated host (where glibc's start-up takes
	# ~15 s): the timer and the signals come while translated code runs.
	rv_job sec_job check_timeout kvm 4 spin-bare
	rv_job sec_job check_stop_signal kvm INT 4 spin-bare
	rv_job sec_job check_stop_signal kvm TERM 4 spin-bare
	rv_job sec_job check_sigpipe kvm default "$sigpipe"
	rv_job sec_job check_sigpipe kvm ignore "$sigpipe"
	rv_job sec_job check_wildptr kvm
	rv_job sec_job check_ring_garbage 1000
	for how in return exit_group signal; do
		[ "$how" = exit_group ] || rv_kvm_subset "security/nothing-lost-200k-$how/kvm" kvm ||
			continue
		rv_job compare_with_qemu "security/nothing-lost-200k-$how/kvm" kvm -- \
			"$S/writefile" 200001 "$how"
	done
	rv_jobs_wait
	after_check security/after-containment/kvm kvm "$after"
	after_check security/after-isolation/kvm kvm "$after"
}

sec_proc() {
	local mode cls seed how
	check_timeout proc 1
	check_timeout proc 0.5
	check_stop_signal proc INT 0.3
	check_stop_signal proc TERM 0.3
	for mode in default ignore handler writev; do
		check_sigpipe proc "$mode"
	done
	after_check security/after-containment/proc proc
	for cls in load store jump; do
		check_isolation "security/isolation-$cls/proc" proc "$cls"
	done
	check_isolation security/isolation-fencei/proc proc fencei 1000000
	check_isolation security/isolation-smc/proc proc smc 20000
	check_isolation security/isolation-c16-exhaustive/proc proc c16
	for seed in 1 2 3; do
		check_isolation "security/isolation-i32-seed$seed/proc" proc i32 100000 "$seed"
	done
	after_check security/after-isolation/proc proc
	check_wildptr proc
	for how in return exit_group signal; do
		compare_with_qemu "security/nothing-lost-100m-$how/proc" proc -- \
			"$S/writefile" 100000001 "$how"
	done
}

# The kvm checks start first and run in the background while the proc ones
# run; their lines follow the proc ones.
kvm_pid=""
for platform in $(rv_platforms); do
	if [ "$platform" = kvm ] && rv_platform_ready security/kvm kvm; then
		sec_job sec_kvm >"$TOP/kvm.results" &
		kvm_pid=$!
	fi
done
for platform in $(rv_platforms); do
	[ "$platform" = proc ] && sec_proc
done
if [ -n "$kvm_pid" ]; then
	wait "$kvm_pid"
	cat "$TOP/kvm.results"
fi
check_elf_corpus
exit 0
