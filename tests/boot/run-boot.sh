#!/bin/bash
# The monitor without the launcher: build/monitor.elf booted as a multiboot
# kernel by qemu-system-x86_64 (-kernel, and GRUB from build/rvkvm.iso), with
# the console on COM1 and the end through isa-debug-exit (docs/multiboot.md).
#
# Checks: the self-check (TCG, KVM, GRUB), the crash report, a triple fault,
# no payload, no exit device; then riscv64 programs as modules (ours and the stage-1 guest
# programs), console and exit status compared with qemu-riscv64.
#
# isa-debug-exit makes QEMU exit with (status << 1) | 1, so a guest status s
# reads here as (2s + 1) mod 256.
#
# Environment: B (the build directory, default build), QEMU_SYSTEM (default
# qemu-system-x86_64), BOOT_TIMEOUT (seconds per TCG boot, default 120),
# BOOT_KVM_TIMEOUT (seconds allowed for an -enable-kvm boot on an
# emulated-KVM host before it is skipped, default 60).
#
# The boots run two at a time (rv_job, tests/lib.sh): each is one busy QEMU,
# or an idle one waiting for its timeout.  Their lines come out in order.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

QEMU_SYSTEM=${QEMU_SYSTEM:-qemu-system-x86_64}
QEMU_RISCV64=${QEMU_RISCV64:-qemu-riscv64}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-120}
BOOT_KVM_TIMEOUT=${BOOT_KVM_TIMEOUT:-60}
B=${B:-build}
MONITOR=$B/monitor.elf
ISO=$B/rvkvm.iso
HELLO=$B/tests/boot/hello.riscv64
CATFILE=$B/tests/boot/catfile.riscv64
HELLO_ISO=$B/tests/boot/hello.iso
HELLO_DYN=$B/tests/boot/hello-dynamic.riscv64

work=$(mktemp -d "${TMPDIR:-/tmp}/rvboot.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The self-check (platform/kvm/selftest.c) prints "selftest: NAME: ok ..."
# per check and a summary; these checks must be among them.
SELFTEST_CHECKS=(frames guest-page-fault clock summary)

# -cpu max: the FPU helpers of translated code use SSE4.1 and FMA, which
# QEMU's default qemu64 model lacks.  Under KVM, QEMU's -cpu max (and host)
# fails on emulated-KVM hosts ("failed to set MSR 0x10a": the
# IA32_ARCH_CAPABILITIES MSR is refused), so that one feature is dropped.
# -no-reboot turns a triple fault into an exit instead of an endless reboot.
CPU_TCG="max"
CPU_KVM="max,-arch-capabilities"
qemu_args=(-machine pc -m 256M -no-reboot -display none -monitor none
	-serial stdio -device isa-debug-exit,iobase=0xf4,iosize=4)

# boot NAME TIMEOUT qemu-args...: leaves $work/NAME.out (console, CRs
# removed), $work/NAME.err and $work/NAME.status.
boot() {
	local name=$1 tmo=$2
	shift 2
	timeout -k 5 "$tmo" "$QEMU_SYSTEM" "${qemu_args[@]}" "$@" \
		</dev/null >"$work/$name.raw" 2>"$work/$name.err"
	echo $? >"$work/$name.status"
	tr -d '\r' <"$work/$name.raw" >"$work/$name.out"
}

# join ITEMS...: the evidence items of a FAIL line, "; "-separated.
join() {
	local out=$1
	shift
	for i in "$@"; do out+="; $i"; done
	echo "$out"
}

# The console's last lines, as evidence on one line.
tail_of() {
	tail -n "${2:-4}" "$work/$1.out" | cut -c1-120 | tr '\n' '|' | sed 's/|$//'
}

# qemu_status S: QEMU's exit status for guest status S.
qemu_status() {
	echo $(((2 * $1 + 1) % 256))
}

# check_selftest NAME: the banner, every self-check line, guest status 0.
check_selftest() {
	local name=$1 status why=()
	status=$(cat "$work/$name.status")
	if [ "$status" = 124 ]; then
		echo "FAIL boot/$name: no exit within the time limit; console ends: $(tail_of "$name")"
		return
	fi
	grep -Eq '^rvkvm [0-9.]+ monitor: multiboot boot' "$work/$name.out" ||
		why+=("no banner line 'rvkvm VERSION monitor: multiboot boot'")
	for c in "${SELFTEST_CHECKS[@]}"; do
		grep -q "^selftest: $c: ok" "$work/$name.out" || why+=("no line 'selftest: $c: ok'")
	done
	local bad
	bad=$(grep '^selftest: ' "$work/$name.out" | grep -v '^selftest: [a-z0-9-]*: ok' | head -n 2 |
		cut -c1-100 | tr '\n' '|')
	[ -z "$bad" ] || why+=("failed checks: $bad")
	[ "$status" = "$(qemu_status 0)" ] ||
		why+=("QEMU status expected $(qemu_status 0) (guest 0) got $status")
	if [ ${#why[@]} -eq 0 ]; then
		echo "PASS boot/$name"
	else
		echo "FAIL boot/$name: $(join "${why[@]}" "console ends: $(tail_of "$name")")"
	fi
}

if [ ! -f "$MONITOR" ]; then
	echo "FAIL boot/build: $MONITOR not built (make)"
	exit 0
fi
if ! command -v "$QEMU_SYSTEM" >/dev/null; then
	echo "SKIP boot/all: $QEMU_SYSTEM not installed (scripts/install-deps.sh)"
	exit 0
fi

# Without isa-debug-exit (GRUB on real hardware) the monitor says so and
# halts: QEMU keeps running until the timeout ends it.  First, as it only
# waits.
kernel_halt() {
	timeout -k 5 10 "$QEMU_SYSTEM" -machine pc -m 256M -display none -monitor none \
		-serial stdio -cpu "$CPU_TCG" -kernel "$MONITOR" </dev/null 2>/dev/null |
		tr -d '\r' >"$work/kernel-halt.out"
	if grep -q '^rvkvm: exit status 2; no isa-debug-exit device, halted' "$work/kernel-halt.out"; then
		echo "PASS boot/kernel-halt-without-exit-device"
	else
		echo "FAIL boot/kernel-halt-without-exit-device: expected 'rvkvm: exit status 2; no" \
			"isa-debug-exit device, halted'; console ends: $(tail_of kernel-halt)"
	fi
}
rv_job kernel_halt

# ---- -kernel, TCG ----
# selftest_test NAME qemu-args...: boot, then check_selftest.
selftest_test() {
	boot "$1" "$BOOT_TIMEOUT" "${@:2}"
	check_selftest "$1"
}
rv_job selftest_test kernel-selftest -cpu "$CPU_TCG" -kernel "$MONITOR" -append selftest

kernel_crash() {
	local status
	boot kernel-crash "$BOOT_TIMEOUT" -cpu "$CPU_TCG" -kernel "$MONITOR" -append crash=pagefault
	status=$(cat "$work/kernel-crash.status")
	if grep -q 'monitor crash' "$work/kernel-crash.out" &&
		grep -q 'vector 14 ' "$work/kernel-crash.out" &&
		[ "$status" = "$(qemu_status 70)" ]; then
		echo "PASS boot/kernel-crash-report"
	else
		echo "FAIL boot/kernel-crash-report: expected a #PF report (vector 14) and QEMU status" \
			"$(qemu_status 70) (guest 70), got status $status; console ends: $(tail_of kernel-crash 8)"
	fi
}
rv_job kernel_crash

kernel_nothing() {
	local status
	boot kernel-nothing "$BOOT_TIMEOUT" -cpu "$CPU_TCG" -kernel "$MONITOR"
	status=$(cat "$work/kernel-nothing.status")
	if grep -q 'nothing to run' "$work/kernel-nothing.out" && [ "$status" = "$(qemu_status 2)" ]; then
		echo "PASS boot/kernel-no-program"
	else
		echo "FAIL boot/kernel-no-program: expected 'nothing to run' and QEMU status" \
			"$(qemu_status 2) (guest 2), got status $status; console ends: $(tail_of kernel-nothing)"
	fi
}
rv_job kernel_nothing

# A triple fault cannot be reported by the monitor; with -no-reboot QEMU
# ends with status 0, which isa-debug-exit (always odd) never gives.
kernel_triple() {
	local status
	boot kernel-triple "$BOOT_TIMEOUT" -cpu "$CPU_TCG" -kernel "$MONITOR" -append crash=triple
	status=$(cat "$work/kernel-triple.status")
	if [ "$status" = 0 ]; then
		echo "PASS boot/kernel-triple-fault"
	else
		echo "FAIL boot/kernel-triple-fault: expected QEMU to stop with status 0 (triple fault," \
			"-no-reboot), got $status; console ends: $(tail_of kernel-triple)"
	fi
}
rv_job kernel_triple

# ---- -kernel, KVM ----
kernel_kvm() {
	local start
	if [ ! -e /dev/kvm ]; then
		echo "SKIP boot/kernel-selftest-kvm: no /dev/kvm"
	elif [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
		echo "SKIP boot/kernel-selftest-kvm: /dev/kvm not accessible to $(id -un)"
	elif grep -qwE 'vmx|svm' /proc/cpuinfo; then
		boot kernel-selftest-kvm "$BOOT_TIMEOUT" -enable-kvm -cpu "$CPU_KVM" \
			-kernel "$MONITOR" -append selftest
		check_selftest kernel-selftest-kvm
	else
		# Emulated KVM runs every guest instruction in software (~240 ns
		# each): firmware and boot may take minutes, so a slow run is no
		# failure here.
		start=$(date +%s)
		boot kernel-selftest-kvm "$BOOT_KVM_TIMEOUT" -enable-kvm -cpu "$CPU_KVM" \
			-kernel "$MONITOR" -append selftest
		if [ "$(cat "$work/kernel-selftest-kvm.status")" = 124 ]; then
			echo "SKIP boot/kernel-selftest-kvm: emulated KVM host (no vmx/svm in" \
				"/proc/cpuinfo): the -enable-kvm boot did not finish within ${BOOT_KVM_TIMEOUT} s"
		else
			check_selftest kernel-selftest-kvm
			echo "  (emulated KVM host: -enable-kvm boot took $(($(date +%s) - start)) s)"
		fi
	fi
}
rv_job kernel_kvm

# ---- GRUB ISO, TCG ----
if [ ! -f "$ISO" ]; then
	echo "FAIL boot/iso-selftest: $ISO not built (make)"
else
	rv_job selftest_test iso-selftest -cpu "$CPU_TCG" -cdrom "$ISO"
fi

# ---- riscv64 programs as multiboot modules ----
# The monitor can run them once the translator and the Linux personality are
# linked in.
translator_why=""
if ! nm --defined-only "$MONITOR" 2>/dev/null |
	awk '$2 == "T" && ($3 == "linux_run" || $3 == "dbt_run") { n++ } END { exit n < 2 }'; then
	translator_why="$MONITOR has no translator yet (linux_run and dbt_run not both defined)"
fi

# program_test NAME DIR BOOT-ARGS... -- PROG ARGS...: run PROG ARGS under
# qemu-riscv64 in DIR, and boot the monitor with BOOT-ARGS (which hand it the
# same program as a module); compare the guest's console output and status.
# From the environment: PT_QEMU_OPTS (more qemu-riscv64 options),
# PT_SKIP_IF/PT_SKIP_WHY (a console pattern that means a feature the check
# needs is not there yet, and what to say then), and PT_BANNER (what the
# monitor's banner must say, so a check meant for one way of running
# cannot pass on another).
program_test() {
	local name=$1 dir=$2
	shift 2
	local bootargs=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		bootargs+=("$1")
		shift
	done
	shift
	local prog=$1
	shift
	if [ -n "$translator_why" ]; then
		echo "SKIP boot/$name: $translator_why"
		return
	fi
	local f
	for f in "$prog" "${bootargs[@]}"; do
		case $f in
		"$prog" | *.iso)
			if [ ! -f "$f" ]; then
				echo "FAIL boot/$name: $f not built (make test-programs)"
				return
			fi ;;
		esac
	done
	local abs qs
	abs=$(realpath "$prog")
	# stdout and stderr share COM1, so the reference gets them on one stream
	# too, less qemu's own note on a fatal signal.  The subshell keeps bash's
	# note on a fatal signal off this script's stderr.
	(
		cd "$dir" || exit 125
		# shellcheck disable=SC2086
		timeout -k 5 60 "$QEMU_RISCV64" ${PT_QEMU_OPTS:-} "$abs" "$@" </dev/null \
			>"$work/$name.qraw" 2>&1
		exit $?
	) 2>/dev/null
	qs=$?
	grep -v '^qemu: uncaught target signal' "$work/$name.qraw" >"$work/$name.qemu"
	boot "$name" "$BOOT_TIMEOUT" -cpu "$CPU_TCG" "${bootargs[@]}"
	local status why=()
	status=$(cat "$work/$name.status")
	if [ -n "${PT_SKIP_IF:-}" ] && grep -q "$PT_SKIP_IF" "$work/$name.out"; then
		echo "SKIP boot/$name: $PT_SKIP_WHY (console: $(grep -m1 "$PT_SKIP_IF" "$work/$name.out" |
			cut -c1-100))"
		return
	fi
	# What the guest wrote: after the banner (GRUB may talk before it), less
	# the monitor's own "rvkvm: " lines.
	sed -n '/^rvkvm [0-9.]* monitor: /,$p' "$work/$name.out" | sed 1d |
		grep -v '^rvkvm: ' >"$work/$name.guest"
	[ "$status" = "$(qemu_status "$qs")" ] ||
		why+=("QEMU status expected $(qemu_status "$qs") (guest $qs) got $status")
	[ -z "${PT_BANNER:-}" ] || grep -q "^rvkvm [0-9.]* monitor: .*$PT_BANNER" "$work/$name.out" ||
		why+=("the banner does not say '$PT_BANNER'")
	cmp -s "$work/$name.qemu" "$work/$name.guest" ||
		why+=("console differs from qemu-riscv64: $(diff "$work/$name.qemu" "$work/$name.guest" |
			grep '^[<>]' | head -n 4 | cut -c1-100 | tr '\n' '|')")
	if [ ${#why[@]} -eq 0 ]; then
		echo "PASS boot/$name"
	else
		echo "FAIL boot/$name: $(join "${why[@]}" "console ends: $(tail_of "$name")")"
	fi
}

mkdir -p "$work/hello" "$work/files"
rv_job program_test module-hello "$work/hello" -kernel "$MONITOR" -initrd "$HELLO first second" \
	-- "$HELLO" first second

printf 'the quick brown fox jumps over the lazy dog\n' >"$work/files/data.txt"
rv_job program_test module-files "$work/files" -kernel "$MONITOR" \
	-initrd "$CATFILE data.txt,$work/files/data.txt" -- "$CATFILE" data.txt

# GRUB passes module strings without the file name (docs/multiboot.md).
rv_job program_test iso-module-hello "$work/hello" -cdrom "$HELLO_ISO" -- "$HELLO" first second

# The stage-1 guest programs (tests/guest) that need no input, no writable
# files and no arguments with spaces: under TCG they exercise the monitor's
# own paths (the translator at CPL0, guest page faults, fatal signals) much
# faster than an emulated KVM host can.
G=$B/tests/guest
for t in hello "malloc 300" mmap fp atomics setjmp smc strfuncs divzero illegal "bigmem 8"; do
	read -r -a words <<<"$t"
	rv_job program_test "guest-${words[0]}" "$work/hello" -kernel "$MONITOR" -initrd "$G/$t" \
		-- "$G/${words[0]}" "${words[@]:1}"
done
# F/D in translated code at CPL0: inline on SSE where the CPU has SSE, AVX
# and FMA (-cpu max) and the VM runs at hardware speed (TCG does), f
# registers cached in xmm registers across guest page faults
# (fdirty_fault); and through the helper alone with soft-fp, as kvm runs
# them on an emulated-KVM host.
I=$B/tests/isa
for t in rv64f rv64d fdirty_fault frm_block raw_nan quiet_compare loop_facts; do
	PT_BANNER="F/D on SSE" rv_job program_test "isa-$t" "$work/hello" -kernel "$MONITOR" \
		-initrd "$I/$t" -- "$I/$t"
done
for t in "$G/fp" "$I/fdirty_fault" "$I/rv64d"; do
	PT_BANNER="F/D in software" rv_job program_test "soft-fp-$(basename "$t")" "$work/hello" \
		-kernel "$MONITOR" -append soft-fp -initrd "$t" -- "$t"
done
PT_BANNER="F/D on SSE" rv_job program_test guest-fp-sse "$work/hello" -kernel "$MONITOR" \
	-initrd "$G/fp" -- "$G/fp"
# A CPU without AVX and FMA (QEMU's default model; the later -cpu wins).
PT_BANNER="F/D in software" rv_job program_test guest-fp-qemu64 "$work/hello" -cpu qemu64 \
	-kernel "$MONITOR" -initrd "$G/fp" -- "$G/fp"

# A dynamically linked program: ld.so and libc as modules from the cross
# sysroot, against qemu-riscv64 -L with the same sysroot.
SYSROOT=/usr/riscv64-linux-gnu
PT_QEMU_OPTS="-L $SYSROOT" PT_SKIP_IF="failed to map segment" \
	PT_SKIP_WHY="file-backed mmap is not served by the Linux personality yet" \
	rv_job program_test module-dynamic "$work/hello" -kernel "$MONITOR" \
	-initrd "$HELLO_DYN first second,$SYSROOT/lib/ld-linux-riscv64-lp64d.so.1,$SYSROOT/lib/libc.so.6" \
	-- "$HELLO_DYN" first second

seq 1 5000 >"$work/files/numbers.txt"
rv_job program_test guest-wc "$work/files" -kernel "$MONITOR" \
	-initrd "$G/wc numbers.txt,$work/files/numbers.txt" -- "$G/wc" numbers.txt

# fuzz_test NAME SEED APPEND: rvfuzz's binary records for one of make
# test's seeds (tests/fuzz), translated at CPL0, against qemu-riscv64's.
# COM1 sends \r before every \n (multiboot/com1.c): taken out again, so a
# record's own bytes come through unchanged.
fuzz_test() {
	local name=$1 seed=$2 append=$3 bin=$B/tests/fuzz/seed-$2 report
	if [ ! -x "$bin" ] || [ ! -x "$B/tests/fuzz/rvfuzz" ]; then
		echo "FAIL boot/$name: $bin or rvfuzz not built (make test-programs)"
		return
	fi
	"$QEMU_RISCV64" "$bin" >"$work/$name.qemu" 2>/dev/null
	timeout -k 5 "$BOOT_TIMEOUT" "$QEMU_SYSTEM" "${qemu_args[@]}" -cpu "$CPU_TCG" \
		-kernel "$MONITOR" -append "$append" -initrd "$bin" </dev/null 2>/dev/null |
		perl -0777 -ne 's/\A.*?rvkvm [0-9.]+ monitor: [^\n]*\n//s or exit 1; s/\r\n/\n/g; print' \
			>"$work/$name.guest"
	if report=$("$B/tests/fuzz/rvfuzz" diff "$B/tests/fuzz/seed-$seed.S" "$work/$name.qemu" \
		"$work/$name.guest" 2>&1); then
		echo "PASS boot/$name (100 sequences)"
	else
		echo "FAIL boot/$name: $(head -n 3 <<<"$report" | cut -c1-120 | tr '\n' '|')"
	fi
}
for seed in 1 2 3 4; do
	rv_job fuzz_test "fuzz-seed-$seed" "$seed" ""
	rv_job fuzz_test "fuzz-seed-$seed-soft-fp" "$seed" soft-fp
done
rv_jobs_wait
exit 0
