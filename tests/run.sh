#!/bin/bash
# Run every test suite: each executable tests/<suite>/run-*.sh, in name order.
#
#   tests/run.sh              every suite
#   tests/run.sh guest isa    only these suites (folder names under tests/)
#
# A script prints one line per check: "PASS name", "FAIL name: evidence" or
# "SKIP name: reason".  A script that exits non-zero without printing a FAIL
# counts as one failure named after it.  TEST_TIMEOUT (seconds, default 900)
# bounds each script.  The last line is "N passed, N failed, N skipped"; the
# exit status is 1 if anything failed.
set -u
cd "$(dirname "$0")/.." || exit 2

TEST_TIMEOUT=${TEST_TIMEOUT:-900}

scripts=()
if [ $# -eq 0 ]; then
	for s in tests/*/run-*.sh; do
		[ -x "$s" ] && scripts+=("$s")
	done
else
	for suite in "$@"; do
		suite=${suite#tests/}
		suite=${suite%/}
		if [ ! -d "tests/$suite" ]; then
			echo "tests/run.sh: no suite tests/$suite" >&2
			exit 2
		fi
		for s in "tests/$suite"/run-*.sh; do
			[ -x "$s" ] && scripts+=("$s")
		done
	done
fi
if [ ${#scripts[@]} -eq 0 ]; then
	echo "0 passed, 0 failed, 0 skipped"
	exit 0
fi
mapfile -t scripts < <(printf '%s\n' "${scripts[@]}" | sort)

passed=0 failed=0 skipped=0
failures=()
work=$(mktemp -d "${TMPDIR:-/tmp}/rvkvm-run.XXXXXX")
trap 'rm -rf "$work"' EXIT

for s in "${scripts[@]}"; do
	echo "== $s"
	started=$SECONDS
	sawfail=0
	# Result lines pass straight through as they come; stderr is kept
	# aside and shown only when the script dies without saying why.
	while IFS= read -r line; do
		case $line in
		"PASS "*)
			passed=$((passed + 1))
			echo "$line" ;;
		"FAIL "*)
			failed=$((failed + 1))
			sawfail=1
			failures+=("$line")
			echo "$line" ;;
		"SKIP "*)
			skipped=$((skipped + 1))
			echo "$line" ;;
		*)
			echo "  $line" ;;
		esac
	done < <(timeout -k 10 "$TEST_TIMEOUT" "$s" 2>"$work/stderr"; echo "$?" >"$work/status")
	status=$(cat "$work/status")
	if [ "$status" -ne 0 ] && [ $sawfail -eq 0 ]; then
		if [ "$status" -eq 124 ]; then
			why="timed out after ${TEST_TIMEOUT}s"
		else
			why="exited with status $status"
		fi
		tailtxt=$(tail -n 5 "$work/stderr" | tr '\n' '|' | sed 's/|$//')
		line="FAIL $s: $why, no FAIL line; stderr: ${tailtxt:-(empty)}"
		failed=$((failed + 1))
		failures+=("$line")
		echo "$line"
	fi
	echo "   ($s: $((SECONDS - started)) s)"
done

if [ ${#failures[@]} -gt 0 ]; then
	echo
	echo "== failures"
	printf '%s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
