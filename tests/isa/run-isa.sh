#!/bin/bash
# One self-checking assembly test per extension (tests/isa/*.S).  Each must
# pass all its checks under qemu-riscv64 (else the test itself is wrong),
# and rvkvm must print exactly what qemu printed on every platform.
set -u
. "$(dirname "$0")/../lib.sh"

tests=()
for src in "$RV_ROOT"/tests/isa/*.S; do
	tests+=("$(basename "$src" .S)")
done

for t in "${tests[@]}"; do
	bin=$RV_BUILD/isa/$t
	if [ ! -x "$bin" ]; then
		echo "FAIL isa/$t/qemu: $bin not built (make test-programs)"
		continue
	fi
	out=$(timeout 30 "$QEMU_RISCV64" "$bin" 2>&1)
	status=$?
	if [ $status -eq 0 ]; then
		echo "PASS isa/$t/qemu ($(grep -c '^ok ' <<<"$out") checks)"
	else
		echo "FAIL isa/$t/qemu: status $status under the reference: $(grep -m 3 '^not ok' <<<"$out" | tr '\n' '|')"
	fi
done

for platform in $(rv_platforms); do
	for t in "${tests[@]}"; do
		compare_with_qemu "isa/$t/$platform" "$platform" -- "$RV_BUILD/isa/$t"
	done
done

# loop_facts passes only if its wrong-fact loops really dropped their
# translations on the way in: the way it means to test.  Without inline
# SSE (--soft-fp, and kvm where the VM does not run at hardware speed)
# there is no F/D cache, so only the sign-extension loop has a fact to
# drop.  loop_guard's two loops entered with a pointer out of range drop
# theirs on every platform.
expect_drops() {
	local t=$1 platform=$2 want=$3 name=isa/$1-drops/$2${4:+/$4} drops
	rv_platform_ready "$name" "$platform" || return
	drops=$("$RVKVM" --platform="$platform" ${4:+--$4} --stats "$RV_BUILD/isa/$t" 2>&1 >/dev/null |
		awk '/loop facts dropped/ {print $NF}')
	if [ "$drops" = "$want" ]; then
		echo "PASS $name ($drops translations dropped)"
	else
		echo "FAIL $name: ${drops:-no} translations dropped, $want expected"
	fi
}

# indirect_count's jumps as --stats counts them: every one, every return,
# and how many the inline probes did not serve.  Its 100 returns that go
# elsewhere than the caller must miss the return stack, and a few more
# may while blocks are first reached through the dispatcher (which drops
# the stack); the jump cache must serve all but the first visits.
expect_indirect() {
	local platform=$1 name=isa/indirect_count-stats/$1 stats jumps jumps_not returns returns_not
	rv_platform_ready "$name" "$platform" || return
	stats=$("$RVKVM" --platform="$platform" --stats "$RV_BUILD/isa/indirect_count" 2>&1 >/dev/null)
	read -r jumps jumps_not < <(awk '/stats: indirect jumps/ {print $5, $(NF-1)}' <<<"$stats")
	read -r returns returns_not < <(awk '/stats: returns/ {print $4, $(NF-1)}' <<<"$stats")
	if [ "$jumps" = 4104 ] && [ "$returns" = 2104 ] && [ "${returns_not:-0}" -ge 100 ] &&
		[ "$returns_not" -le 110 ] && [ "${jumps_not:-99}" -le 10 ]; then
		echo "PASS $name ($jumps jumps, $jumps_not not inline; $returns returns, $returns_not not from the stack)"
	else
		echo "FAIL $name: ${jumps:-?} jumps (${jumps_not:-?} not inline), ${returns:-?} returns (${returns_not:-?} not from the stack); want 4104 (<= 10), 2104 (100-110)"
	fi
}
# F/D on SSE or in software: what the monitor's banner says (--verbose).
fp_on_sse() {
	"$RVKVM" --platform="$1" --verbose "$RV_BUILD/isa/rv64i" 2>&1 >/dev/null |
		grep -q 'monitor: .*F/D on SSE'
}
for platform in $(rv_platforms); do
	if [ "$platform" = kvm ] && ! fp_on_sse kvm; then
		expect_drops loop_facts "$platform" 1
	else
		expect_drops loop_facts "$platform" 3
	fi
	expect_drops loop_facts "$platform" 1 soft-fp
	expect_drops loop_guard "$platform" 2
	expect_indirect "$platform"
done

# proc with its guest region away from address 0 (what a host gets where
# the low address space is taken): guest memory through the base in r14,
# a pool of ten registers instead of eleven.
high=$(mktemp -d "${TMPDIR:-/tmp}/rvisa.XXXXXX")
trap 'rm -rf "$high"' EXIT
printf '#!/bin/sh\nexec "%s" --test-high-base "$@"\n' "$RVKVM" >"$high/rvkvm"
chmod +x "$high/rvkvm"
for t in "${tests[@]}"; do
	RVKVM=$high/rvkvm compare_with_qemu "isa/$t/proc-high-base" proc -- "$RV_BUILD/isa/$t"
done

# Every platform without inline SSE (--soft-fp): F/D through the helper
# alone, as kvm runs them where the VM is not at hardware speed.
printf '#!/bin/sh\nexec "%s" --soft-fp "$@"\n' "$RVKVM" >"$high/rvkvm-soft-fp"
chmod +x "$high/rvkvm-soft-fp"
for platform in $(rv_platforms); do
	for t in rv64f rv64d fdirty_fault frm_block raw_nan quiet_compare zicsr; do
		RVKVM=$high/rvkvm-soft-fp compare_with_qemu "isa/$t/$platform-soft-fp" "$platform" -- \
			"$RV_BUILD/isa/$t"
	done
done
exit 0
