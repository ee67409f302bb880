/*
 * rtc.c - the wall clock at boot, from the PC's CMOS real-time clock
 * (Motorola MC146818 register layout; century in CMOS byte 0x32, where the
 * ACPI FADT's CENTURY field points on PCs and QEMU).  One-second resolution
 * is all a multiboot boot gets: there is no launcher to ask.
 */
#include "mb.h"
#include "platform/kvm/x86.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define CMOS_NMI_OFF 0x80 /* keep NMIs masked while the index is set */

#define RTC_SECONDS 0x00
#define RTC_MINUTES 0x02
#define RTC_HOURS 0x04
#define RTC_DAY 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_STATUS_A 0x0a
#define RTC_STATUS_B 0x0b
#define RTC_CENTURY 0x32

#define STATUS_A_UPDATING 0x80
#define STATUS_B_24H 0x02
#define STATUS_B_BINARY 0x04
#define HOURS_PM 0x80

/* Enough to outlast one update cycle (under 2 ms) at ~7.5 us a port access. */
#define RTC_MAX_TRIES 1000

struct rtc_time {
	uint8_t sec, min, hour, day, month, year, century;
};

static uint8_t cmos_read(uint8_t reg)
{
	x86_outb(CMOS_INDEX, CMOS_NMI_OFF | reg);
	return x86_inb(CMOS_DATA);
}

static void rtc_read(struct rtc_time *t)
{
	t->sec = cmos_read(RTC_SECONDS);
	t->min = cmos_read(RTC_MINUTES);
	t->hour = cmos_read(RTC_HOURS);
	t->day = cmos_read(RTC_DAY);
	t->month = cmos_read(RTC_MONTH);
	t->year = cmos_read(RTC_YEAR);
	t->century = cmos_read(RTC_CENTURY);
}

static int rtc_same(const struct rtc_time *a, const struct rtc_time *b)
{
	return a->sec == b->sec && a->min == b->min && a->hour == b->hour && a->day == b->day &&
	       a->month == b->month && a->year == b->year && a->century == b->century;
}

static unsigned from_bcd(uint8_t v)
{
	return (v >> 4) * 10 + (v & 0x0f);
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static uint64_t days_from_civil(unsigned y, unsigned m, unsigned d)
{
	unsigned era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (uint64_t)era * 146097 + doe - 719468;
}

uint64_t mb_rtc_unix_seconds(void)
{
	struct rtc_time a, b;
	unsigned sec, min, hour, day, month, year, century;
	uint8_t status_b;
	int tries = 0;

	/* Two equal reads outside an update are a consistent snapshot. */
	do {
		while ((cmos_read(RTC_STATUS_A) & STATUS_A_UPDATING) && ++tries < RTC_MAX_TRIES)
			;
		rtc_read(&a);
		rtc_read(&b);
	} while (!rtc_same(&a, &b) && ++tries < RTC_MAX_TRIES);
	if (tries >= RTC_MAX_TRIES)
		return 0;

	status_b = cmos_read(RTC_STATUS_B);
	hour = a.hour & ~HOURS_PM;
	if (status_b & STATUS_B_BINARY) {
		sec = a.sec, min = a.min, day = a.day, month = a.month, year = a.year;
		century = a.century;
	} else {
		sec = from_bcd(a.sec), min = from_bcd(a.min), hour = from_bcd(hour);
		day = from_bcd(a.day), month = from_bcd(a.month), year = from_bcd(a.year);
		century = from_bcd(a.century);
	}
	if (!(status_b & STATUS_B_24H)) {
		hour %= 12;
		if (a.hour & HOURS_PM)
			hour += 12;
	}
	if (century < 19 || century > 99)
		century = 20;
	year += century * 100;
	if (sec > 59 || min > 59 || hour > 23 || day < 1 || day > 31 || month < 1 || month > 12 ||
	    year < 1970)
		return 0;
	return days_from_civil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
}
