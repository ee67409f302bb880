#!/bin/bash
# rvkvm --profile on proc: a program that spends its time in hot_loop()
# prints what it prints without --profile, exits 0, and the flat profile on
# stderr lists hot_loop first with most of the samples.  --profile on kvm
# is refused with one line and status 1 (not implemented there).
set -u
. "$(dirname "$0")/../lib.sh"

HOT=$RV_BUILD/profile/hot
W=$RV_BUILD/profile-run
mkdir -p "$W"
t=profile

if [ ! -x "$HOT" ]; then
	echo "FAIL $t/hot/proc: $HOT not built (make test-programs)"
	exit 0
fi
rv_run "$W/plain" /dev/null "$RVTEST_TIMEOUT_PROC" "$RVKVM" --platform=proc "$HOT" 400
rv_run "$W/prof" /dev/null "$RVTEST_TIMEOUT_PROC" "$RVKVM" --platform=proc --profile "$HOT" 400
why=()
[ "$(cat "$W/prof/status")" = 0 ] || why+=("status $(cat "$W/prof/status"), expected 0")
cmp -s "$W/plain/out" "$W/prof/out" || why+=("stdout differs from a run without --profile")
e=$W/prof/err
total=$(sed -n 's/^rvkvm: profile: \([0-9]*\) samples .*/\1/p' "$e")
first=$(grep -m1 '^rvkvm: profile: *[0-9.]*% ' "$e")
hot=$(echo "$first" | awk '$5 == "hot_loop" { print $4 }')
if [ -z "$total" ] || [ "$total" -lt 20 ]; then
	why+=("header missing or under 20 samples: '$(head -n 1 "$e")'")
elif [ -z "$hot" ] || [ $((hot * 100)) -lt $((total * 80)) ]; then
	why+=("first line '$first' is not hot_loop with 80% of $total samples")
fi
if [ ${#why[@]} -eq 0 ]; then
	echo "PASS $t/hot/proc ($total samples, $hot in hot_loop)"
else
	echo "FAIL $t/hot/proc: ${why[*]}"
fi

rv_run "$W/kvm" /dev/null "$RVTEST_TIMEOUT_PROC" "$RVKVM" --platform=kvm --profile "$HOT" 1
if [ "$(cat "$W/kvm/status")" = 1 ] && grep -q '^rvkvm: --profile samples on the proc platform only' "$W/kvm/err"; then
	echo "PASS $t/kvm-refused"
else
	echo "FAIL $t/kvm-refused: expected status 1 and one line, got $(cat "$W/kvm/status"): $(head -c 200 "$W/kvm/err" | tr '\n' '|')"
fi
exit 0
