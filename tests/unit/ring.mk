# Unit test of the ring protocol (tests/unit/run-programs.sh): the launcher's
# ring server and I/O thread against a stand-in monitor thread on the host.
RING_TEST_SRC := tests/unit/ring_test.c launcher/kvm_ring.c launcher/kvm_iothread.c launcher/kvm_vm.c

$(B)/tests/unit/ring-test: $(RING_TEST_SRC) launcher/kvm.h launcher/launcher.h guest-abi/rvkvm_abi.h
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -MMD -MP,$(HOST_CFLAGS)) -Ilauncher -o $@ $(RING_TEST_SRC) -lpthread

TEST_PROGRAMS += $(B)/tests/unit/ring-test
