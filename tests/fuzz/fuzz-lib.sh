# shellcheck shell=bash
# fuzz_check NAME PLATFORM FILE.S BINARY: run one rvfuzz binary under
# qemu-riscv64 and rvkvm, print PASS/FAIL; on a mismatch the FAIL line names
# the first differing sequence and registers, and the lines after it give
# the full report with the sequence's instructions.  Needs tests/lib.sh.
FUZZ_GEN=${FUZZ_GEN:-$RV_ROOT/build/tests/fuzz/rvfuzz}

fuzz_check() {
	local name=$1 platform=$2 asm=$3 bin=$4
	rv_platform_ready "$name" "$platform" || return 0
	if [ ! -x "$bin" ] || [ ! -x "$FUZZ_GEN" ]; then
		echo "FAIL $name: $bin or $FUZZ_GEN not built (make test-programs)"
		return 1
	fi
	if [ ! -x "$RVKVM" ]; then
		echo "FAIL $name: $RVKVM not built"
		return 1
	fi
	local work
	work=$(mktemp -d "${TMPDIR:-/tmp}/rvfuzz.XXXXXX")
	rv_run "$work/qemu" /dev/null "$RVTEST_TIMEOUT_PROC" "$QEMU_RISCV64" "$bin"
	rv_run "$work/rvkvm" /dev/null "$(rv_timeout "$platform")" "$RVKVM" --platform="$platform" "$bin"
	local qs rs
	qs=$(cat "$work/qemu/status")
	rs=$(cat "$work/rvkvm/status")
	if [ "$qs" != 0 ]; then
		echo "FAIL $name: qemu-riscv64 exited $qs on the reference run: $(head -c 200 "$work/qemu/err")"
		rm -rf "$work"
		return 1
	fi
	"$FUZZ_GEN" diff "$asm" "$work/qemu/out" "$work/rvkvm/out" >"$work/report"
	local d=$?
	if [ $d -eq 0 ] && [ "$rs" = 0 ]; then
		echo "PASS $name"
		rm -rf "$work"
		return 0
	fi
	local first regs own status=""
	first=$(head -n 1 "$work/report")
	regs=$(sed -n '2,4{/^  [xfm]/p}' "$work/report" | sed 's/^ *//; s/  */ /g' | tr '\n' ';' | sed 's/;$//')
	own=$(grep -m 2 -v '^$' "$work/rvkvm/err" | cut -c1-160 | tr '\n' '|' | sed 's/|$//')
	[ "$rs" = 0 ] || status="; exit status expected 0 got $(rv_status_text "$rs")"
	echo "FAIL $name: ${first:-records equal}${regs:+: $regs}$status${own:+; rvkvm stderr: $own}"
	sed -n '2,80p' "$work/report"
	local keep="$RVTEST_KEEP/${name//\//_}"
	rm -rf "$keep"
	mkdir -p "$(dirname "$keep")"
	cp "$asm" "$work/"
	mv "$work" "$keep"
	echo "  runs, report and assembly kept in ${keep#"$RV_ROOT"/}"
	return 1
}
