#!/bin/bash
# A host without /dev/kvm (hidden in a private mount namespace): the demo
# runs on proc, and the suites report their kvm cases as skipped, not failed.
cd "$(dirname "$0")/../.." || exit 1
hide=tests/nokvm/hide-kvm.sh
demo=build/tests/demo/forth

if [ "$(id -u)" != 0 ] || ! unshare --mount true 2>/dev/null; then
	echo "SKIP nokvm: hiding /dev/kvm needs root and mount namespaces"
	exit 0
fi

expected=$(qemu-riscv64 "$demo" 2>&1)
got=$($hide build/rvkvm --verbose "$demo" 2>&1)
if [ "$got" = "rvkvm: platform proc: no usable KVM: /dev/kvm: No such file or directory
$expected" ]; then
	echo "PASS nokvm/demo-runs-on-proc"
else
	echo "FAIL nokvm/demo-runs-on-proc: expected the platform line and qemu's demo output, got: $(printf '%s' "$got" | head -3 | tr '\n' '|')"
fi

for suite in kvm isa; do
	summary=$($hide tests/run.sh "$suite" 2>&1 | tail -1)
	skipped=$(printf '%s' "$summary" | sed -n 's/.* \([0-9]*\) skipped$/\1/p')
	if printf '%s' "$summary" | grep -q ' 0 failed' && [ "${skipped:-0}" -gt 0 ]; then
		echo "PASS nokvm/$suite-suite-skips-kvm ($summary)"
	else
		echo "FAIL nokvm/$suite-suite-skips-kvm: expected no failure and skipped kvm cases, got: $summary"
	fi
done
