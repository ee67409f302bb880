#!/bin/sh
# Host-built unit programs that print their own PASS and FAIL lines, each
# under a time bound:
#   ring    the ring protocol between monitor and I/O thread
#           (tests/unit/ring_test.c); a deadlock shows as the bound running out
#   string  the monitor's memory and string primitives against the C
#           library (tests/unit/string_test.c)
# Build first: make test-programs.
cd "$(dirname "$0")/../.." || exit 1
for name in ring string; do
	t=${B:-build}/tests/unit/$name-test
	if [ ! -x "$t" ]; then
		echo "FAIL $name.build: $t missing (make test-programs)"
		continue
	fi
	timeout -k 5 120 "$t"
	status=$?
	[ $status -eq 0 ] ||
		echo "FAIL $name.run: $t exited with status $status (124: stopped after 120 s)"
done
exit 0
