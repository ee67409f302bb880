#!/bin/bash
# The command line, the program checks, the platform choice and the proc
# platform's own machinery (sandbox, crash report, host calls).  Guest
# behaviour against qemu-riscv64 is the guest suite's job; here a static
# hello world is the one guest, and the bad inputs are bent copies of it
# made at test time.
#
# Environment: RVKVM (default build/rvkvm), QEMU_RISCV64.
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
. tests/lib.sh

OUT=$ROOT/build/tests/proc
HELLO=$OUT/hello.riscv64
HELLO_DYN=$OUT/hello-dyn.riscv64
HOSTCALL_TEST=$OUT/hostcall-test
VERSION=$(sed -n 's/^#define RVKVM_VERSION "\(.*\)"/\1/p' guest-abi/rvkvm_abi.h)

work=$(mktemp -d "${TMPDIR:-/tmp}/rvproc.XXXXXX")
trap 'rm -rf "$work"' EXIT

for f in "$RVKVM" "$HELLO" "$HELLO_DYN" "$HOSTCALL_TEST" "$OUT/fdprobe.riscv64"; do
	if [ ! -x "$f" ]; then
		echo "FAIL proc/build: $f not built (make build/rvkvm test-programs)"
		exit 0
	fi
done

# run ARGS...: rvkvm with ARGS; leaves $out, $err, $status.
run() {
	timeout -k 5 60 "$RVKVM" "$@" >"$work/out" 2>"$work/err" </dev/null
	status=$?
	out=$(cat "$work/out")
	err=$(cat "$work/err")
}

one_line() {
	printf '%s\n' "$err" | tr '\n' '|' | cut -c1-200
}

# expect_error NAME STATUS PATTERN ARGS...: exit STATUS and exactly one
# stderr line, "rvkvm: ..." matching PATTERN (grep -E).
expect_error() {
	local name=$1 want=$2 pattern=$3
	shift 3
	run "$@"
	local lines
	lines=$(printf '%s' "$err" | grep -c '')
	if [ "$status" != "$want" ]; then
		echo "FAIL $name: exit status expected $want got $status; stderr: $(one_line)"
	elif [ "$lines" != 1 ]; then
		echo "FAIL $name: expected one stderr line, got $lines: $(one_line)"
	elif ! printf '%s' "$err" | grep -Eq "^rvkvm: .*$pattern"; then
		echo "FAIL $name: stderr expected /rvkvm: .*$pattern/ got: $(one_line)"
	else
		echo "PASS $name"
	fi
}

# ---- help and version ----
for h in --help -help -h; do
	run "$h"
	missing=()
	for o in -E -U -0 -s -m -L -strace --platform --verbose --stats --monitor --kvm-device \
		--host-check --selftest --version --crash --ring-garbage; do
		printf '%s' "$out" | grep -q -- "$o" || missing+=("$o")
	done
	if [ "$status" != 0 ] || ! printf '%s' "$out" | grep -q '^usage: rvkvm'; then
		echo "FAIL cli/help$h: expected usage on stdout and status 0, got status $status"
	elif [ ${#missing[@]} -ne 0 ]; then
		echo "FAIL cli/help$h: options missing from the help: ${missing[*]}"
	else
		echo "PASS cli/help$h"
	fi
done
for v in --version -version; do
	run "$v"
	if [ "$status" = 0 ] && [ -n "$VERSION" ] &&
		printf '%s' "$out" | grep -q "^rvkvm version $VERSION"; then
		echo "PASS cli/version$v"
	else
		echo "FAIL cli/version$v: expected 'rvkvm version $VERSION', status 0; got '$out' status $status"
	fi
done

# ---- bad command lines: status 1, one line ----
expect_error cli/unknown-option 1 "unknown option '--frobnicate'" --frobnicate "$HELLO"
expect_error cli/missing-value-at-end 1 "needs a value" -E
expect_error cli/bad-platform 1 "expected auto, kvm or proc" --platform=xen "$HELLO"
expect_error cli/no-program 1 "no program given"
expect_error cli/bad-E 1 "expected VAR=VALUE" -E novalue "$HELLO"
expect_error cli/bad-size-suffix 1 "size must be" -m 1x "$HELLO"
expect_error cli/zero-ram 1 "size must be" -m 0 "$HELLO"
expect_error cli/absurd-ram 1 "size must be" -m 99999G "$HELLO"
expect_error cli/overflowing-size 1 "size must be" -s 99999999999999999999k "$HELLO"
expect_error cli/unaligned-ram 1 "multiple of 4 KiB" -m 16777217 "$HELLO"
expect_error cli/tiny-stack 1 "size must be" -s 1 "$HELLO"
expect_error cli/stack-over-ram 1 "smaller than guest RAM" -m 64M -s 128M "$HELLO"
expect_error cli/bad-crash-kind 1 "expected pagefault or triple" --crash=sometimes
expect_error cli/payload-with-program 1 "unexpected argument" --selftest "$HELLO"
expect_error cli/selftest-on-proc 1 "use --platform=kvm" --platform=proc --selftest

# ---- programs that cannot run: 127 / 126 like a shell, one line ----
expect_error elf/missing 127 "$work/nope: No such file or directory" "$work/nope"
expect_error elf/missing-dir-component 127 "No such file or directory" "$work/nope/prog"
expect_error elf/directory 126 "Is a directory" "$work"
printf '#!/bin/sh\necho hi\n' >"$work/script"
expect_error elf/not-elf 126 "not an ELF program" "$work/script"
: >"$work/empty"
expect_error elf/empty-file 126 "not an ELF program" "$work/empty"
head -c 40 "$HELLO" >"$work/short-header"
expect_error elf/truncated-header 126 "truncated ELF header" "$work/short-header"

# Bent copies of the good program.  Offsets: ELF-64 header and program
# header layout (System V gABI; /usr/include/elf.h).
u64() { od -An -t u8 -j "$2" -N 8 "$1" | tr -d ' '; }
u32() { od -An -t u4 -j "$2" -N 4 "$1" | tr -d ' '; }
u16() { od -An -t u2 -j "$2" -N 2 "$1" | tr -d ' '; }
# poke FILE OFFSET NBYTES VALUE: little-endian store.
poke() {
	local f=$1 off=$2 n=$3 v=$4 bytes="" i
	for ((i = 0; i < n; i++)); do
		bytes+=$(printf '\\x%02x' $(((v >> (8 * i)) & 255)))
	done
	printf "$bytes" | dd of="$f" bs=1 seek="$off" conv=notrunc status=none
}
bent() { cp "$HELLO" "$work/$1" && chmod +x "$work/$1" && echo "$work/$1"; }

f=$(bent class32) && poke "$f" 4 1 1
expect_error elf/32-bit 126 "not a 64-bit ELF" "$f"
f=$(bent bigendian) && poke "$f" 5 1 2
expect_error elf/big-endian 126 "big-endian" "$f"
f=$(bent x86) && poke "$f" 18 2 62
expect_error elf/wrong-machine 126 "ELF for x86-64 \(machine 62\), not riscv64" "$f"
expect_error elf/host-binary 126 "not riscv64" "$(type -P true)"
f=$(bent relocatable) && poke "$f" 16 2 1
expect_error elf/not-executable-type 126 "is not an executable" "$f"
head -c 4096 "$HELLO" >"$work/truncated" && chmod +x "$work/truncated"
expect_error elf/truncated-file 126 "beyond the end of the file" "$work/truncated"
f=$(bent phoff) && poke "$f" 32 8 $(($(stat -c %s "$HELLO") - 16))
expect_error elf/phdrs-outside-file 126 "program headers lie beyond" "$f"
f=$(bent phentsize) && poke "$f" 54 2 32
expect_error elf/bad-phentsize 126 "bad program header table" "$f"

phoff=$(u64 "$HELLO" 32)
phnum=$(u16 "$HELLO" 56)
loads=()
for ((i = 0; i < phnum; i++)); do
	[ "$(u32 "$HELLO" $((phoff + 56 * i)))" = 1 ] && loads+=("$((phoff + 56 * i))")
done
if [ ${#loads[@]} -ge 2 ]; then
	first=${loads[0]} second=${loads[1]}
	f=$(bent overlap) && poke "$f" $((second + 16)) 8 "$(u64 "$HELLO" $((first + 16)))"
	# keep offset and address congruent so only the overlap is wrong
	poke "$f" $((second + 8)) 8 "$(u64 "$HELLO" $((first + 8)))"
	expect_error elf/overlapping-segments 126 "overlap" "$f"
	f=$(bent absurd) && poke "$f" $((second + 40)) 8 $((1 << 50))
	expect_error elf/absurd-segment 126 "outside the guest's" "$f"
	f=$(bent filesz) && poke "$f" $((second + 32)) 8 $(($(u64 "$HELLO" $((second + 40))) + 4096))
	expect_error elf/filesz-over-memsz 126 "file size exceeds memory size" "$f"
	f=$(bent entry) && poke "$f" 24 8 $((1 << 36))
	expect_error elf/entry-outside-code 126 "entry point" "$f"
else
	echo "FAIL elf/segments: $HELLO has ${#loads[@]} PT_LOAD headers, the bent-input checks need 2"
fi
expect_error elf/dynamic-no-interpreter 127 "interpreter" -L /nonexistent "$HELLO_DYN"

# ---- the platform choice ----
run --platform=proc --verbose "$HELLO"
if [ "$status" = 0 ] && printf '%s' "$err" | grep -q '^rvkvm: platform proc (--platform=proc)$' &&
	printf '%s' "$out" | grep -q '^hello from riscv64'; then
	echo "PASS platform/explicit-proc"
else
	echo "FAIL platform/explicit-proc: expected hello and 'platform proc', got status $status, stderr: $(one_line)"
fi

if grep -qE '^flags.*\b(svm|vmx)\b' /proc/cpuinfo && [ -r /dev/kvm ]; then
	host_kind=hardware auto_expect=kvm
else
	host_kind=emulated-or-none auto_expect=proc
fi
run --verbose "$HELLO"
if [ "$status" = 0 ] && printf '%s' "$err" | grep -Eq "^rvkvm: platform $auto_expect: .{8,}"; then
	echo "PASS platform/auto-says-why ($host_kind host: $(printf '%s' "$err" | head -n 1 | cut -c1-120))"
else
	echo "FAIL platform/auto-says-why: on a $host_kind host expected 'rvkvm: platform $auto_expect: <why>', got status $status, stderr: $(one_line)"
fi
run "$HELLO"
if [ "$status" = 0 ] && [ -z "$err" ]; then
	echo "PASS platform/auto-quiet"
else
	echo "FAIL platform/auto-quiet: expected no stderr without --verbose, got status $status: $(one_line)"
fi

if [ "$host_kind" = hardware ]; then
	echo "SKIP platform/kvm-warns-when-emulated: KVM here runs guests in hardware"
elif [ ! -e /dev/kvm ]; then
	echo "SKIP platform/kvm-warns-when-emulated: no /dev/kvm"
elif [ ! -f build/monitor.elf ]; then
	echo "SKIP platform/kvm-warns-when-emulated: build/monitor.elf not built"
else
	timeout -k 5 600 "$RVKVM" --platform=kvm "$HELLO" >"$work/out" 2>"$work/err" </dev/null
	n=$(grep -c '^rvkvm: warning: KVM on this host is emulated' "$work/err")
	if [ "$n" = 1 ]; then
		echo "PASS platform/kvm-warns-when-emulated"
	else
		echo "FAIL platform/kvm-warns-when-emulated: expected one warning line, got $n: $(head -c 200 "$work/err" | tr '\n' '|')"
	fi
fi

# ---- the guest sees what the command line says, as under qemu-riscv64 ----
guest_cmp() {
	local name=$1
	shift
	(cd "$work" && env RVP_KEEP=old RVP_GONE=1 timeout 60 "$QEMU_RISCV64" "$@" "$HELLO" one two \
		>"$work/q.out" 2>&1; echo "status $?" >>"$work/q.out")
	(cd "$work" && env RVP_KEEP=old RVP_GONE=1 timeout 60 "$RVKVM" --platform=proc "$@" "$HELLO" one two \
		>"$work/r.out" 2>&1; echo "status $?" >>"$work/r.out")
	if cmp -s "$work/q.out" "$work/r.out"; then
		echo "PASS $name"
	else
		echo "FAIL $name: differs from qemu-riscv64: $(rv_short_diff "$work/q.out" "$work/r.out")"
	fi
}
if command -v "$QEMU_RISCV64" >/dev/null; then
	guest_cmp guest/argv-and-status
	guest_cmp guest/argv0 -0 renamed
	guest_cmp guest/env-set-unset -E RVP_NEW=new -E RVP_KEEP=replaced -U RVP_GONE
	guest_cmp guest/env-edits-in-order -E RVP_X=1 -U RVP_X -E RVP_Y=2
	guest_cmp guest/stack-size -s 1M
else
	echo "SKIP guest/argv-and-status: no $QEMU_RISCV64"
fi
run --platform=proc -m 64M "$HELLO"
[ "$status" = 0 ] && echo "PASS guest/small-ram" ||
	echo "FAIL guest/small-ram: -m 64M expected status 0 got $status: $(one_line)"
for s in --strace -strace; do
	run --platform=proc "$s" "$HELLO"
	if [ "$status" = 0 ] && grep -q 'write' "$work/err" && grep -q 'exit' "$work/err"; then
		echo "PASS guest/strace$s"
	else
		echo "FAIL guest/strace$s: expected write and exit syscalls logged, status 0; got $status: $(one_line)"
	fi
done

# ---- the proc sandbox and crash report ----
marker=$work/seccomp-marker
run --platform=proc --test-seccomp="$marker" "$HELLO"
if [ -e "$marker" ]; then
	echo "FAIL proc/seccomp-refuses-execve: the forbidden execve ran (marker file created)"
elif [ "$status" = 70 ] && printf '%s' "$err" | grep -q '^rvkvm: internal error: host system call 59 refused by the proc sandbox'; then
	echo "PASS proc/seccomp-refuses-execve"
else
	echo "FAIL proc/seccomp-refuses-execve: expected status 70 and the refusal of syscall 59, got $status: $(one_line)"
fi
run --platform=proc "$HELLO" one
[ "$status" = 42 ] && [ -z "$err" ] && echo "PASS proc/sandboxed-guest-runs" ||
	echo "FAIL proc/sandboxed-guest-runs: expected status 42 and no stderr, got $status: $(one_line)"
expect_error proc/crash-report 70 "internal error: SIGSEGV at host rip 0x[0-9a-f]+ \(rvkvm\+0x[0-9a-f]+\), address 0x10$" \
	--platform=proc --crash=pagefault

# ---- what of the launcher a guest can reach ----
# Descriptors the test itself inherited show under qemu-riscv64 too; any
# other one the guest sees is the launcher's.
FDPROBE=$OUT/fdprobe.riscv64
if command -v "$QEMU_RISCV64" >/dev/null; then
	"$QEMU_RISCV64" "$FDPROBE" >"$work/fq" 2>&1
	for p in $(rv_platforms); do
		rv_platform_ready "proc/launcher-fds-hidden/$p" "$p" || continue
		timeout -k 5 "$(rv_timeout "$p")" "$RVKVM" --platform="$p" "$FDPROBE" >"$work/fr" 2>/dev/null
		if diff <(grep -e '^fd ' -e '^visible' "$work/fq" | sed 's/ dup3-targets.*//') \
			<(grep -e '^fd ' -e '^visible' "$work/fr" | sed 's/ dup3-targets.*//') >/dev/null; then
			echo "PASS proc/launcher-fds-hidden/$p"
		else
			echo "FAIL proc/launcher-fds-hidden/$p: qemu: $(grep -e '^fd ' -e '^visible' "$work/fq" | tr '\n' '|') rvkvm: $(grep -e '^fd ' -e '^visible' "$work/fr" | tr '\n' '|')"
		fi
		if grep -q '^open /proc/self/mem: Permission denied$' "$work/fr"; then
			echo "PASS proc/proc-self-mem-refused/$p"
		else
			echo "FAIL proc/proc-self-mem-refused/$p: expected Permission denied, got: $(grep '^open' "$work/fr")"
		fi
	done
else
	echo "SKIP proc/launcher-fds-hidden: no $QEMU_RISCV64"
fi

# ---- host calls, unit-tested ----
mkdir -p "$work/hostcall"
(cd "$work/hostcall" && "$HOSTCALL_TEST") || echo "FAIL hostcall/run: hostcall-test exited with $?"
exit 0
