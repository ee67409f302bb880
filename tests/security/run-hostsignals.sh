#!/bin/bash
# Host signals reach the guest (docs/security.md, "Host signals"): a guest
# handler runs, SIG_IGN ignores, the default ends the run with the status
# qemu-riscv64 gives; a guest blocked in read(2) is interrupted (restarted
# with SA_RESTART, EINTR without); dispositions inherited as SIG_IGN stay
# ignored; --timeout and a fatal signal still write back MAP_SHARED files.
# Each run of hostsig.c is compared with qemu-riscv64 run the same way.
# On kvm the read cases also run with tests/kvm/sigread.S, a program
# without the C library, with the launcher's I/O thread on and off: a read
# served by either launcher thread is interrupted alike.
set -u
. "$(dirname "$0")/../lib.sh"

S=$RV_BUILD/security
H=$S/hostsig
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rvhsig.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# sig_run DIR SIG cmd...: run cmd with stdin a fifo held open, wait for
# "ready" on its stdout, let it settle into its wait, send SIG, close stdin
# a moment later (ending a read that ignored the signal), and keep out, err
# and status in DIR.  SIGINT is reset to the default for the run: a
# script's background job starts with it ignored (that case is
# check_inherited's).
sig_run() {
	local dir=$1 sig=$2 p i
	shift 2
	rm -rf "$dir"
	mkdir -p "$dir"
	mkfifo "$dir/in"
	(
		cd "$dir" || exit 125
		ulimit -c 0
		exec env --default-signal=INT timeout -s KILL "$SIG_TIMEOUT" "$@" <"$dir/in" \
			>"$dir/out" 2>"$dir/err"
	) &
	p=$!
	exec 7>"$dir/in"
	for i in $(seq $((SIG_TIMEOUT * 20))); do
		grep -q ready "$dir/out" 2>/dev/null && break
		sleep 0.05
	done
	sleep 0.2
	signal_child "$p" "$sig"
	sleep 0.3
	exec 7>&-
	wait "$p"
	echo $? >"$dir/status"
}

# The signal goes to the program itself, the child of timeout(1) ($p).
signal_child() {
	local p=$1 sig=$2 c
	c=$(ps -o pid= --ppid "$p" | head -n 1)
	[ -n "$c" ] && kill -"$sig" $c
}

# check NAME PLATFORM SIG args...: hostsig under qemu-riscv64 and rvkvm.
check() {
	local name=$1 platform=$2 sig=$3 w=$WORK/${1//\//_}
	shift 3
	# (stderr: bash's own note of a job that died of a signal)
	sig_run "$w.q" "$sig" "$QEMU_RISCV64" "$H" "$@" 2>/dev/null
	sig_run "$w.r" "$sig" "$RVKVM" --platform="$platform" "$H" "$@" 2>/dev/null
	compare_runs "$name/$platform" "$w.q" "$w.r"
}

compare_runs() {
	local name=$1 q=$2 r=$3
	if [ "$(cat "$q/status")" != "$(cat "$r/status")" ]; then
		echo "FAIL $name: status expected $(cat "$q/status") got $(cat "$r/status"); rvkvm said: $(head -c 200 "$r/err" | tr '\n' '|')"
	elif ! cmp -s "$q/out" "$r/out"; then
		echo "FAIL $name: stdout expected '$(tr '\n' '|' <"$q/out")' got '$(tr '\n' '|' <"$r/out")'"
	elif ! grep -q ready "$r/out"; then
		echo "FAIL $name: the guest never said ready"
	else
		echo "PASS $name: status $(cat "$r/status"), $(grep -v ready "$r/out" | tr '\n' ' ')"
	fi
}

# A background job of a script inherits SIGINT ignored: the guest keeps it
# ignored (kill -INT changes nothing) and SIGTERM still ends it.
inherited_run() {
	local out=$1 p
	shift
	"$@" "$H" default >"$out" &
	p=$!
	wait_ready "$out"
	kill -INT $p
	sleep 0.3
	kill -TERM $p
	{ wait $p; } 2>/dev/null
}

check_inherited() {
	local platform=$1 name=security/hostsig-inherited-ignore-INT/$1 st qst
	inherited_run "$WORK/inh.out" "$RVKVM" --platform="$platform"
	st=$?
	inherited_run "$WORK/inh.qout" "$QEMU_RISCV64"
	qst=$?
	if [ "$st" = "$qst" ] && [ "$st" = 143 ]; then
		echo "PASS $name: status $st (SIGTERM's, not SIGINT's)"
	else
		echo "FAIL $name: status expected $qst (qemu-riscv64's; 143, SIGTERM's) got $st"
	fi
}

wait_ready() {
	local i
	for i in $(seq 200); do
		grep -q ready "$1" 2>/dev/null && return
		sleep 0.05
	done
}

# SIGPIPE inherited ignored: the write fails with EPIPE; inherited default:
# the guest dies of SIGPIPE.  Status and stderr as qemu-riscv64's.
check_pipe() {
	local platform=$1 how=$2 name=security/hostsig-sigpipe-inherited-$2/$1 trapcmd=""
	[ "$how" = ignored ] && trapcmd="trap '' PIPE;"
	bash -c "$trapcmd ulimit -c 0; \"\$1\" \"\$2\" pipe 2>\"\$3\" | head -c 1 >/dev/null; echo \${PIPESTATUS[0]} >\"\$4\"" \
		_ "$QEMU_RISCV64" "$H" "$WORK/pq.err" "$WORK/pq.st"
	bash -c "$trapcmd ulimit -c 0; \"\$1\" --platform=$platform \"\$2\" pipe 2>\"\$3\" | head -c 1 >/dev/null; echo \${PIPESTATUS[0]} >\"\$4\"" \
		_ "$RVKVM" "$H" "$WORK/pr.err" "$WORK/pr.st"
	rv_guest_stderr "$WORK/pq.err" >"$WORK/pq.g"
	rv_guest_stderr "$WORK/pr.err" >"$WORK/pr.g"
	if [ "$(cat "$WORK/pq.st")" != "$(cat "$WORK/pr.st")" ]; then
		echo "FAIL $name: status expected $(cat "$WORK/pq.st") got $(cat "$WORK/pr.st")"
	elif ! cmp -s "$WORK/pq.g" "$WORK/pr.g"; then
		echo "FAIL $name: stderr expected '$(tr '\n' '|' <"$WORK/pq.g")' got '$(tr '\n' '|' <"$WORK/pr.g")'"
	else
		echo "PASS $name: status $(cat "$WORK/pr.st") $(tr '\n' ' ' <"$WORK/pr.g")"
	fi
}

# A runaway guest storing into a MAP_SHARED file mapping, ended by
# --timeout or by SIGTERM: the file holds what it wrote, as under
# qemu-riscv64 (whose mapping is the host's page cache).
check_mapshared_timeout() {
	local platform=$1 name=security/hostsig-timeout-mapshared/$1 st err
	rm -f "$WORK/ms-timeout"
	timeout -s KILL 30 "$RVKVM" --platform="$platform" --timeout 0.5 "$H" mapshared \
		"$WORK/ms-timeout" >/dev/null 2>"$WORK/ms.err"
	st=$?
	err=$(grep -v 'KVM on this host is emulated' "$WORK/ms.err")
	if [ "$st" != 124 ] || [ "$err" != "rvkvm: timeout after 0.5 s" ]; then
		echo "FAIL $name: expected status 124 and the timeout line, got $st '$(echo "$err" | tr '\n' '|')'"
	elif [ "$(cat "$WORK/ms-timeout")" != mapped-data ]; then
		echo "FAIL $name: file expected 'mapped-data' got '$(tr '\n' '|' <"$WORK/ms-timeout")'"
	else
		echo "PASS $name"
	fi
}

check_mapshared_signal() {
	local platform=$1 name=security/hostsig-TERM-mapshared/$1
	sig_run "$WORK/msq" TERM "$QEMU_RISCV64" "$H" mapshared "$WORK/msq-file"
	sig_run "$WORK/msr" TERM "$RVKVM" --platform="$platform" "$H" mapshared "$WORK/msr-file"
	if [ "$(cat "$WORK/msq/status")" != "$(cat "$WORK/msr/status")" ]; then
		echo "FAIL $name: status expected $(cat "$WORK/msq/status") got $(cat "$WORK/msr/status")"
	elif ! cmp -s "$WORK/msq-file" "$WORK/msr-file"; then
		echo "FAIL $name: file expected '$(tr '\n' '|' <"$WORK/msq-file")' got '$(tr '\n' '|' <"$WORK/msr-file" 2>&1)'"
	else
		echo "PASS $name: status $(cat "$WORK/msr/status"), file as qemu-riscv64 left it"
	fi
}

# check_bare NAME PLATFORM SIG FLAG args...: sigread under qemu-riscv64 and
# rvkvm FLAG (an option, or "" for none).
SIGREAD=$RV_BUILD/kvm/sigread
check_bare() {
	local name=$1 platform=$2 sig=$3 flag=$4 w=$WORK/${1//\//_}
	shift 4
	sig_run "$w.q" "$sig" "$QEMU_RISCV64" "$SIGREAD" "$@" 2>/dev/null
	sig_run "$w.r" "$sig" "$RVKVM" --platform="$platform" ${flag:+"$flag"} "$SIGREAD" "$@" \
		2>/dev/null
	compare_runs "$name/$platform" "$w.q" "$w.r"
}

# --timeout ends a run whose guest waits in a read of stdin (a fifo held
# open).  4 s: the guest must have reached its read (said "ready") by then,
# which takes up to a second or two on a busy emulated-KVM host.
check_timeout_read() {
	local platform=$1 flag=$2 name=security/hostsig-timeout-read/$1 d=$WORK/tr st err
	rm -rf "$d"
	mkdir -p "$d"
	mkfifo "$d/in"
	timeout -s KILL 60 "$RVKVM" --platform="$platform" ${flag:+"$flag"} --timeout 4 \
		"$SIGREAD" <"$d/in" >"$d/out" 2>"$d/err" &
	local p=$!
	exec 7>"$d/in"
	wait $p
	st=$?
	exec 7>&-
	err=$(grep -v 'KVM on this host is emulated' "$d/err")
	if [ "$st" != 124 ] || [ "$err" != "rvkvm: timeout after 4 s" ]; then
		echo "FAIL $name: expected status 124 and the timeout line, got $st '$(echo "$err" | tr '\n' '|')'"
	elif [ "$(cat "$d/out")" != ready ]; then
		echo "FAIL $name: stdout expected 'ready' got '$(tr '\n' '|' <"$d/out")'"
	else
		echo "PASS $name"
	fi
}

USR1=$(kill -l USR1)
# Seconds a run may take: a guest on an emulated-KVM host needs ~30 s to start.
SIG_TIMEOUT=30
for platform in $(rv_platforms); do
	rv_platform_ready "security/hostsig/$platform" "$platform" || continue
	if [ ! -x "$SIGREAD" ]; then
		echo "FAIL security/hostsig-bare/$platform: $SIGREAD not built (make test-programs)"
	elif [ "$platform" = kvm ]; then
		for io in on off; do
			check_bare security/hostsig-bare-read-eintr-io-$io kvm USR1 --io-thread=$io
			check_bare security/hostsig-bare-read-restart-io-$io kvm USR1 --io-thread=$io r
		done
		check_bare security/hostsig-bare-read-default-TERM kvm TERM ""
		check_timeout_read kvm --io-thread=on
	else
		check_bare security/hostsig-bare-read-eintr proc USR1 ""
		check_bare security/hostsig-bare-read-restart proc USR1 "" r
	fi
	if [ "$platform" = kvm ]; then
		if rv_kvm_subset security/hostsig-handler-USR1/kvm kvm; then
			SIG_TIMEOUT=$(rv_timeout kvm)
			check security/hostsig-handler-USR1 kvm USR1 handle "$USR1"
		fi
		continue
	fi
	check security/hostsig-handler-USR1 proc USR1 handle "$USR1"
	check security/hostsig-handler-INT proc INT handle "$(kill -l INT)"
	check security/hostsig-handler-WINCH proc WINCH handle "$(kill -l WINCH)"
	check security/hostsig-default-TERM proc TERM default
	check security/hostsig-default-INT proc INT default
	check security/hostsig-default-HUP proc HUP default
	check security/hostsig-read-restart proc USR1 handle-read "$USR1"
	check security/hostsig-read-eintr proc USR1 eintr "$USR1"
	check security/hostsig-read-ignored proc USR1 ignore "$USR1"
	check security/hostsig-sleep-handler proc USR1 sleep "$USR1"
	check security/hostsig-sleep-default-TERM proc TERM sleep 0
	check_inherited proc
	check_pipe proc ignored
	check_pipe proc default
	check_mapshared_timeout proc
	check_mapshared_signal proc
done
exit 0
