# Test programs.  Each suite adds its build products to TEST_PROGRAMS from its
# own fragment tests/<suite>/<suite>.mk; `make test` builds them all and then
# runs tests/run.sh.
TEST_PROGRAMS :=
DEMO :=
include $(wildcard tests/*/*.mk)

.PHONY: test-programs
test-programs: $(TEST_PROGRAMS)
