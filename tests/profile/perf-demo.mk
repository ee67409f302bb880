# make perf-demo: perf kvm stat and perf kvm --guest on a kvm-platform run
# (tests/profile/perf-demo.sh; docs/profiling.md).  Not part of make test.
.PHONY: perf-demo
perf-demo: $(B)/rvkvm $(B)/monitor.elf $(B)/tests/profile/tiny
	@B=$(B) tests/profile/perf-demo.sh
