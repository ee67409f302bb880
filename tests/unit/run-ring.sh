#!/bin/sh
# The ring protocol between monitor and I/O thread, on the host
# (tests/unit/ring_test.c).  A deadlock shows as the time bound running out.
# Build first: make test-programs.
cd "$(dirname "$0")/../.." || exit 1
t=${B:-build}/tests/unit/ring-test
if [ ! -x "$t" ]; then
	echo "FAIL ring.build: $t missing (make test-programs)"
	exit 0
fi
timeout -k 5 120 "$t"
status=$?
[ $status -eq 0 ] || echo "FAIL ring.run: $t exited with status $status (124: a deadlock, stopped after 120 s)"
exit 0
