# The bundled demo for `make run`: a Forth interpreter drawing the
# Mandelbrot set (tests/demo/forth.c), a static riscv64 program.
DEMO := $(B)/tests/demo/forth

$(B)/tests/demo/forth: tests/demo/forth.c
	@mkdir -p $(dir $@)
	$(RV_CC) -static -O2 -g -Wall -Wextra -Werror $< -o $@

TEST_PROGRAMS += $(DEMO)
