# shellcheck shell=bash disable=SC2034
# Shell helpers shared by the test suites; source it from a run-*.sh script.
#
#   rv_platforms                      the platforms to test, one a line
#   rv_platform_ready NAME PLATFORM   0 if PLATFORM can run here, else SKIP line
#   rv_run DIR STDIN TIMEOUT cmd...   run cmd in DIR/cwd, keep out/err/status
#   compare_with_qemu NAME PLATFORM [--stdin FILE] [--timeout S] -- prog args...
#   rv_job cmd... / rv_jobs_wait      checks side by side, output in order
#
# Environment:
#   RVKVM                  the binary under test (default build/rvkvm)
#   RVKVM_PLATFORMS        platforms to test, space separated (default "proc kvm")
#   RVTEST_TIMEOUT_PROC    seconds per proc or qemu run (default 60)
#   RVTEST_TIMEOUT_KVM     seconds per kvm run (default 600: on an emulated-KVM
#                          host every instruction in the VM costs ~240 ns)
#   RVTEST_KEEP            directory to keep the runs of failed comparisons in
#                          (default build/tests/failed)
#   RVTEST_KVM_FULL        1: run every kvm test even on an emulated-KVM host
#   RVTEST_JOBS            checks a suite runs side by side with rv_job
#                          (default the number of host CPUs)

RV_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RVKVM=${RVKVM:-$RV_ROOT/build/rvkvm}
QEMU_RISCV64=${QEMU_RISCV64:-qemu-riscv64}
RVKVM_PLATFORMS=${RVKVM_PLATFORMS:-proc kvm}
RVTEST_TIMEOUT_PROC=${RVTEST_TIMEOUT_PROC:-60}
RVTEST_TIMEOUT_KVM=${RVTEST_TIMEOUT_KVM:-600}
RVTEST_KEEP=${RVTEST_KEEP:-$RV_ROOT/build/tests/failed}
RV_BUILD=$RV_ROOT/build/tests

# Every program sees exactly this environment under both qemu and rvkvm, so
# that an environment dump is comparable and nothing leaks in from the caller.
RV_GUEST_ENV=(PATH=/usr/bin:/bin LC_ALL=C TERM=dumb RVTEST_VAR=rvtest-value)

rv_platforms() {
	local p
	for p in $RVKVM_PLATFORMS; do
		case $p in
		proc | kvm) echo "$p" ;;
		*) echo "lib.sh: unknown platform '$p' in RVKVM_PLATFORMS" >&2 ;;
		esac
	done
}

# True on an emulated-KVM host (no svm/vmx: every VM instruction is emulated,
# ~240 ns each), where suites run a documented subset on kvm unless
# RVTEST_KVM_FULL=1.  The launcher measures this properly (--host-check);
# the CPU flags are enough to size a test run.
rv_kvm_emulated() {
	[ "${RVTEST_KVM_FULL:-0}" != 1 ] && ! grep -qw -e svm -e vmx /proc/cpuinfo
}

# rv_kvm_subset NAME PLATFORM: false, with a SKIP line, for a test left out of
# the kvm subset on an emulated-KVM host.
rv_kvm_subset() {
	if [ "$2" = kvm ] && rv_kvm_emulated; then
		echo "SKIP $1: not in the emulated-KVM subset (RVTEST_KVM_FULL=1 runs it)"
		return 1
	fi
	return 0
}

# Checks side by side: rv_job cmd... starts cmd in the background (at most
# RVTEST_JOBS at once, default the host's CPU count) with its stdout kept
# aside; rv_jobs_wait waits for them all and prints their outputs in the
# order they were started, so the result lines read the same every run.  A
# kvm run on an emulated-KVM host is one busy vCPU for seconds: two side by
# side on two CPUs take the wall time of one.  A job must not share files
# with another (each compare_with_qemu has its own directory).
RVTEST_JOBS=${RVTEST_JOBS:-$(nproc)}
RV_JOBS_DIR=""
RV_JOBS_N=0

rv_job() {
	[ -n "$RV_JOBS_DIR" ] || RV_JOBS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/rvjobs.XXXXXX")
	while [ "$(jobs -pr | wc -l)" -ge "$RVTEST_JOBS" ]; do
		wait -n
	done
	RV_JOBS_N=$((RV_JOBS_N + 1))
	"$@" >"$RV_JOBS_DIR/$RV_JOBS_N" &
}

rv_jobs_wait() {
	local i
	wait
	[ -n "$RV_JOBS_DIR" ] || return 0
	for ((i = 1; i <= RV_JOBS_N; i++)); do
		cat "$RV_JOBS_DIR/$i"
	done
	rm -rf "$RV_JOBS_DIR"
	RV_JOBS_DIR="" RV_JOBS_N=0
}

rv_timeout() {
	if [ "$1" = kvm ]; then echo "$RVTEST_TIMEOUT_KVM"; else echo "$RVTEST_TIMEOUT_PROC"; fi
}

# True if PLATFORM can run on this host; otherwise prints the SKIP line.
rv_platform_ready() {
	local name=$1 platform=$2
	if [ "$platform" = kvm ]; then
		if [ ! -e /dev/kvm ]; then
			echo "SKIP $name: no /dev/kvm"
			return 1
		fi
		if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
			echo "SKIP $name: /dev/kvm not accessible to $(id -un)"
			return 1
		fi
	fi
	return 0
}

# rv_run DIR STDIN TIMEOUT cmd...: run cmd with DIR/cwd (fresh) as its working
# directory, STDIN fed through a pipe (or /dev/null), and the fixed guest
# environment; leaves DIR/out, DIR/err and DIR/status.  Core dumps are off:
# qemu would write one into the working directory we compare.
rv_run() {
	local dir=$1 input=$2 tmo=$3
	shift 3
	rm -rf "$dir"
	mkdir -p "$dir/cwd"
	(
		cd "$dir/cwd" || exit 125
		ulimit -c 0
		if [ "$input" = /dev/null ]; then
			env -i "${RV_GUEST_ENV[@]}" timeout -k 5 "$tmo" "$@" \
				</dev/null >"$dir/out" 2>"$dir/err"
		else
			# cat, not a redirection: the guest must see a pipe, with
			# the short reads a pipe gives, not a regular file.
			# shellcheck disable=SC2002
			cat "$input" | env -i "${RV_GUEST_ENV[@]}" timeout -k 5 "$tmo" "$@" \
				>"$dir/out" 2>"$dir/err"
		fi
	) 2>/dev/null
	echo $? >"$dir/status"
}

# The stderr lines that are the runner's, not the guest's: qemu's "uncaught
# target signal" note and rvkvm's own "rvkvm: ..." lines (the fatal-signal
# report naming the guest PC, the emulated-host warning on kvm).
rv_guest_stderr() {
	grep -v -e '^qemu: uncaught target signal' -e '^rvkvm: ' "$1" || true
}

# What the program left in its working directory: type, mode, size and path
# of every entry (contents are compared separately).
rv_tree() {
	(cd "$1" && find . -mindepth 1 -printf '%y %m %s %p\n' | LC_ALL=C sort)
}

# A short one-line diff for evidence.
rv_short_diff() {
	diff "$1" "$2" | grep '^[<>]' | head -n 6 | cut -c1-120 | tr '\n' '|' | sed 's/|$//'
}

rv_status_text() {
	case $1 in
	124) echo "124 (timed out)" ;;
	*) echo "$1" ;;
	esac
}

# compare_with_qemu NAME PLATFORM [--stdin FILE] [--timeout S] -- prog args...
# Runs prog under qemu-riscv64 and under rvkvm --platform=PLATFORM, each in a
# fresh empty working directory, and compares stdout, guest stderr, exit
# status, and the files each left behind.  Prints one PASS/FAIL/SKIP line.
compare_with_qemu() {
	local name=$1 platform=$2
	shift 2
	local input=/dev/null tmo=""
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		case $1 in
		--stdin) input=$2; shift 2 ;;
		--timeout) tmo=$2; shift 2 ;;
		*) echo "FAIL $name: compare_with_qemu: unknown option $1"; return 1 ;;
		esac
	done
	[ "${1:-}" = "--" ] && shift
	local prog=$1
	shift
	rv_platform_ready "$name" "$platform" || return 0
	if [ ! -x "$prog" ]; then
		echo "FAIL $name: test program $prog not built (make test-programs)"
		return 1
	fi
	if [ ! -x "$RVKVM" ]; then
		echo "FAIL $name: $RVKVM not built"
		return 1
	fi
	[ -n "$tmo" ] || tmo=$(rv_timeout "$platform")
	local work
	work=$(mktemp -d "${TMPDIR:-/tmp}/rvcmp.XXXXXX")
	rv_run "$work/qemu" "$input" "$RVTEST_TIMEOUT_PROC" "$QEMU_RISCV64" "$prog" "$@"
	local t0=$SECONDS
	rv_run "$work/rvkvm" "$input" "$tmo" "$RVKVM" --platform="$platform" "$prog" "$@"
	local took=$((SECONDS - t0))

	local why=() qs rs
	qs=$(cat "$work/qemu/status")
	rs=$(cat "$work/rvkvm/status")
	if [ "$qs" = 124 ]; then
		echo "FAIL $name: qemu-riscv64 itself timed out (reference unusable)"
		rm -rf "$work"
		return 1
	fi
	[ "$qs" = "$rs" ] ||
		why+=("exit status expected $(rv_status_text "$qs") got $(rv_status_text "$rs")")
	cmp -s "$work/qemu/out" "$work/rvkvm/out" ||
		why+=("stdout differs: $(rv_short_diff "$work/qemu/out" "$work/rvkvm/out")")
	rv_guest_stderr "$work/qemu/err" >"$work/qemu.err"
	rv_guest_stderr "$work/rvkvm/err" >"$work/rvkvm.err"
	cmp -s "$work/qemu.err" "$work/rvkvm.err" ||
		why+=("stderr differs: $(rv_short_diff "$work/qemu.err" "$work/rvkvm.err")")
	rv_tree "$work/qemu/cwd" >"$work/qemu.tree"
	rv_tree "$work/rvkvm/cwd" >"$work/rvkvm.tree"
	if ! cmp -s "$work/qemu.tree" "$work/rvkvm.tree"; then
		why+=("files differ: $(rv_short_diff "$work/qemu.tree" "$work/rvkvm.tree")")
	elif ! diff -r -q "$work/qemu/cwd" "$work/rvkvm/cwd" >"$work/files.diff" 2>&1; then
		why+=("file contents differ: $(head -n 3 "$work/files.diff" | sed "s|$work/||g" | tr '\n' '|')")
	fi

	if [ ${#why[@]} -eq 0 ]; then
		# kvm runs on an emulated-KVM host are slow enough to be worth a figure.
		if [ "$platform" = kvm ]; then
			echo "PASS $name (${took} s)"
		else
			echo "PASS $name"
		fi
		rm -rf "$work"
		return 0
	fi
	# A rvkvm line of its own (crash report, error) is the best evidence
	# for a status mismatch, so quote it.
	local own
	own=$(grep '^rvkvm: ' "$work/rvkvm/err" | grep -v 'KVM on this host is emulated' |
		head -n 2 | cut -c1-160 | tr '\n' '|' | sed 's/|$//')
	[ -n "$own" ] && why+=("rvkvm said: $own")
	local keep="$RVTEST_KEEP/${name//\//_}"
	rm -rf "$keep"
	mkdir -p "$(dirname "$keep")"
	mv "$work" "$keep"
	local text="" w
	for w in "${why[@]}"; do
		text+="${text:+; }$w"
	done
	echo "FAIL $name: $text [runs kept in ${keep#"$RV_ROOT"/}]"
	return 1
}
