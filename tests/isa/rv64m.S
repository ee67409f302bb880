/* M: multiply, divide and remainder, with the spec's division by zero and overflow results. */
#include "isa.h"

#define MIN64 0x8000000000000000
#define MIN32 0xffffffff80000000

	ISA_BEGIN
	TEST_RR mul, mul, -3, 7, -21
	TEST_RR mul-wrap, mul, 0x100000001, 0x100000001, 0x200000001
	TEST_RR mulh, mulh, -1, -1, 0
	TEST_RR mulh-min, mulh, MIN64, MIN64, 0x4000000000000000
	TEST_RR mulh-neg, mulh, MIN64, 2, -1
	TEST_RR mulhu, mulhu, -1, -1, -2
	TEST_RR mulhu-small, mulhu, 3, 5, 0
	TEST_RR mulhsu, mulhsu, -1, -1, -1
	TEST_RR mulhsu-pos, mulhsu, 2, -1, 1
	TEST_RR mulw, mulw, 0x10000, 0x8000, MIN32
	TEST_RR mulw-high, mulw, 0x1234567800000003, 5, 15
	TEST_RR div, div, -20, 3, -6
	TEST_RR div-zero, div, 42, 0, -1
	TEST_RR div-overflow, div, MIN64, -1, MIN64
	TEST_RR divu, divu, -20, 3, 0x555555555555554e
	TEST_RR divu-zero, divu, 42, 0, -1
	TEST_RR rem, rem, -20, 3, -2
	TEST_RR rem-pos, rem, 20, -3, 2
	TEST_RR rem-zero, rem, -42, 0, -42
	TEST_RR rem-overflow, rem, MIN64, -1, 0
	TEST_RR remu, remu, -20, 3, 2
	TEST_RR remu-zero, remu, -42, 0, -42
	TEST_RR divw, divw, -20, 3, -6
	TEST_RR divw-ignores-high, divw, 0x7700000014, 0x4400000003, 6
	TEST_RR divw-zero, divw, 42, 0, -1
	TEST_RR divw-overflow, divw, MIN32, -1, MIN32
	TEST_RR divuw, divuw, 0xffffffec, 3, 0x5555554e
	TEST_RR divuw-sext, divuw, 0xfffffffe, 1, -2
	TEST_RR divuw-zero, divuw, 42, 0, -1
	TEST_RR remw, remw, -20, 3, -2
	TEST_RR remw-zero, remw, 0x1ffffffff, 0, -1
	TEST_RR remw-overflow, remw, MIN32, -1, 0
	TEST_RR remuw, remuw, 0xffffffec, 3, 2
	TEST_RR remuw-zero, remuw, 0x180000000, 0, MIN32
	ISA_END
