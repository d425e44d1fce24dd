/*
 * tap.h - a tiny TAP producer for the library's unit tests.
 *
 *	ok(cond, "what %s", arg);
 *	is_str(got, "expected", "what");
 *	is_int(got, 42, "what");
 *	return done_testing();
 */
#ifndef CMP_TAP_H
#define CMP_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_failed;

static int __attribute__((format(printf, 2, 3)))
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

#define is_str(got, want, ...) tap_is_str((got), (want), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...) tap_is_int((long long)(got), (long long)(want), __FILE__, __LINE__, __VA_ARGS__)

static int __attribute__((format(printf, 5, 6)))
tap_is_str(const char *got, const char *want, const char *file, int line,
	   const char *fmt, ...)
{
	va_list ap;
	int same = (!got && !want) || (got && want && !strcmp(got, want));

	printf("%sok %d - ", same ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!same) {
		tap_failed++;
		printf("#   at %s:%d\n#   got:      '%s'\n#   expected: '%s'\n",
		       file, line, got ? got : "(null)", want ? want : "(null)");
	}
	fflush(stdout);
	return same;
}

static int __attribute__((format(printf, 5, 6)))
tap_is_int(long long got, long long want, const char *file, int line,
	   const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", got == want ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (got != want) {
		tap_failed++;
		printf("#   at %s:%d\n#   got:      %lld\n#   expected: %lld\n",
		       file, line, got, want);
	}
	fflush(stdout);
	return got == want;
}

static void __attribute__((format(printf, 1, 2), unused))
diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static int
done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
