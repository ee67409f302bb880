/*
 * format.c - a small printf for the core.  It is compiled into both builds so
 * that --strace lines and crash messages read the same on every platform.
 */
#include "rt.h"

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width, int left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;

	if (!left)
		while (fill-- > 0)
			put(o, pad);
	for (size_t i = 0; i < n; i++)
		put(o, s[i]);
	if (left)
		while (fill-- > 0)
			put(o, ' ');
}

static void put_number(struct out *o, uint64_t v, int negative, unsigned base, int upper,
		       int width, int left, char pad, const char *prefix)
{
	char digits[72];
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	do {
		digits[sizeof(digits) - 1 - n++] = set[v % base];
		v /= base;
	} while (v);
	size_t plen = (negative ? 1 : 0) + strlen(prefix);
	if (pad == '0' && !left) {
		if (negative)
			put(o, '-');
		for (const char *p = prefix; *p; p++)
			put(o, *p);
		put_padded(o, digits + sizeof(digits) - n, n, width - (int)plen, 0, '0');
		return;
	}
	char full[80];
	size_t k = 0;
	if (negative)
		full[k++] = '-';
	for (const char *p = prefix; *p; p++)
		full[k++] = *p;
	memcpy(full + k, digits + sizeof(digits) - n, n);
	put_padded(o, full, k + n, width, left, ' ');
}

int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		int left = 0, alt = 0, width = 0, precision = -1, lng = 0;
		char pad = ' ';
		for (;; fmt++) {
			if (fmt[1] == '-')
				left = 1;
			else if (fmt[1] == '0')
				pad = '0';
			else if (fmt[1] == '#')
				alt = 1;
			else
				break;
		}
		fmt++;
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		if (*fmt == '.') {
			precision = 0;
			fmt++;
			if (*fmt == '*') {
				precision = va_arg(ap, int);
				fmt++;
			}
			while (*fmt >= '0' && *fmt <= '9')
				precision = precision * 10 + (*fmt++ - '0');
		}
		while (*fmt == 'l' || *fmt == 'z' || *fmt == 'j' || *fmt == 'h') {
			if (*fmt != 'h')
				lng = 1;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
			uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
			put_number(&o, mag, v < 0, 10, 0, width, left, pad, "");
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			uint64_t v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			unsigned base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
			const char *prefix = alt && base == 16 && v ? (*fmt == 'X' ? "0X" : "0x")
				: alt && base == 8 && v ? "0" : "";
			put_number(&o, v, 0, base, *fmt == 'X', width, left, pad, prefix);
			break;
		}
		case 'p':
			put_number(&o, (uintptr_t)va_arg(ap, void *), 0, 16, 0, width, left, pad, "0x");
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			size_t n = precision >= 0 ? strnlen(s, precision) : strlen(s);
			put_padded(&o, s, n, width, left, ' ');
			break;
		}
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case '%':
			put(&o, '%');
			break;
		default:
			put(&o, '%');
			if (*fmt)
				put(&o, *fmt);
			else
				fmt--;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int rt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = rt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
