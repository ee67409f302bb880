#!/bin/bash
# The --verbose crash summary (monitor/linux/crash.c): a program that stores
# through a null pointer in crash_here() dies with status 139 and, only with
# --verbose, the summary names crash_here for the pc, main for ra, the
# faulting address 0 and all 32 registers.  Without --verbose stderr stays
# as qemu-riscv64's: empty.  Static (ET_EXEC, symbols at their link
# addresses) and dynamically linked PIE (symbols moved by the load bias).
set -u
. "$(dirname "$0")/../lib.sh"

C=$RV_BUILD/crashinfo
W=$RV_BUILD/crashinfo-run
mkdir -p "$W"

for platform in $(rv_platforms); do
	for prog in segv segv-dynamic; do
		n=crashinfo/$prog/$platform
		rv_platform_ready "$n" "$platform" || continue
		if [ "$platform" = kvm ] && [ $prog = segv-dynamic ]; then
			rv_kvm_subset "$n" kvm || continue
		fi
		if [ ! -x "$C/$prog" ]; then
			echo "FAIL $n: $C/$prog not built (make test-programs)"
			continue
		fi
		tmo=$(rv_timeout "$platform")
		# Side by side: on an emulated-KVM host each run is seconds of
		# one busy vCPU.
		rv_run "$W/quiet" /dev/null "$tmo" "$RVKVM" --platform="$platform" "$C/$prog" &
		rv_run "$W/verbose" /dev/null "$tmo" "$RVKVM" --platform="$platform" --verbose "$C/$prog" &
		wait
		why=()
		st=$(cat "$W/quiet/status")
		[ "$st" = 139 ] || why+=("status without --verbose $st, expected 139")
		quiet=$(grep -v 'KVM on this host is emulated' "$W/quiet/err")
		[ -z "$quiet" ] || why+=("stderr without --verbose not empty: $(echo "$quiet" | head -n 2 | tr '\n' '|')")
		st=$(cat "$W/verbose/status")
		[ "$st" = 139 ] || why+=("status with --verbose $st, expected 139")
		e=$W/verbose/err
		grep -q '^rvkvm: SIGSEGV at guest pc 0x[0-9a-f]*, address 0x0$' "$e" ||
			why+=("no 'SIGSEGV at guest pc ..., address 0x0' line")
		pcline=$(grep '^rvkvm:   pc 0x' "$e")
		[[ $pcline == *"<crash_here+0x"* ]] || why+=("pc line '$pcline' does not name crash_here")
		ra=$(grep '^rvkvm:   ra 0x' "$e")
		[[ $ra == *"<main+0x"* ]] || why+=("ra line '$ra' does not name main")
		regs=$(grep -c '^rvkvm:   [a-z0-9]* *[0-9a-f]\{16\}  ' "$e")
		[ "$regs" = 8 ] || why+=("$regs register lines, expected 8")
		grep -q '^rvkvm:   zero 0000000000000000  ra ' "$e" || why+=("no 'zero ... ra ...' line")
		if [ $prog = segv ]; then
			# ET_EXEC: the pc is crash_here's link address plus the offset.
			sym=$(riscv64-linux-gnu-nm "$C/$prog" | awk '$3 == "crash_here" { print $1 }')
			pc=$(echo "$pcline" | sed -n 's/.*pc 0x\([0-9a-f]*\) <crash_here+0x\([0-9a-f]*\)>.*/\1 \2/p')
			set -- $pc
			if [ -z "$sym" ] || [ $# != 2 ] || [ $((0x$sym + 0x$2)) != $((0x$1)) ]; then
				why+=("pc line '$pcline' disagrees with nm's crash_here at 0x$sym")
			fi
		fi
		if [ ${#why[@]} -eq 0 ]; then
			echo "PASS $n"
		else
			echo "FAIL $n: ${why[*]}"
		fi
	done
done
exit 0
