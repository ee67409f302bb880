#!/bin/bash
# Unit test of the Linux personality on a stand-in platform (linux_test.c).
# Built by `make test-programs` (tests/unit/linux.mk).
cd "$(dirname "$0")/../.." || exit 1
out=build/tests/unit
for f in linux-test linux-sample.exec linux-sample.pie linux-sample.dyn; do
	if [ ! -x "$out/$f" ]; then
		echo "FAIL linux-unit: $out/$f is not built (make test-programs)"
		exit 0
	fi
done
"$out/linux-test" "$out/linux-sample.exec" "$out/linux-sample.pie" "$out/linux-sample.dyn"
status=$?
[ $status -eq 0 ] || echo "FAIL linux-unit: linux-test exited with status $status"
exit 0
