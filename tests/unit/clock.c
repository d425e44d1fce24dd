/*
 * Unit tests: time parsing and formatting, zones, durations, business
 * calendars and SLA terms.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "tap.h"
#include "times.h"

/* Friday 2026-11-20 09:15 in Shanghai. */
static const cmp_time NOW = 1795137300;

static const char *
parse(const char *s, const char *zone)
{
	struct cmp_error e;
	cmp_time t = 0;

	cmp_error_clear(&e);
	if (cmp_time_parse(s, zone, NOW, &t, &e))
		return "error";
	return fmt(t);
}

static void
test_parse(void)
{
	const char *sh = "Asia/Shanghai";

	is_str(fmt(NOW), "2026-11-20T01:15:00Z", "NOW is what the tests say");
	is_str(parse("2026-11-20T01:15:00Z", sh), "2026-11-20T01:15:00Z",
	       "RFC 3339 UTC");
	is_str(parse("2026-11-20T09:15:00+08:00", NULL),
	       "2026-11-20T01:15:00Z", "RFC 3339 with an offset");
	is_str(parse("2026-11-19T20:15:00.123-05:00", NULL),
	       "2026-11-20T01:15:00Z", "fraction dropped, negative offset");
	is_str(parse("2026-11-20", sh), "2026-11-19T16:00:00Z",
	       "a date is midnight in the zone");
	is_str(parse("2026-11-20 14:30", sh), "2026-11-20T06:30:00Z",
	       "naive time in the zone");
	is_str(parse("2026-11-20 14:30:10", NULL), "2026-11-20T14:30:10Z",
	       "naive time, UTC");
	is_str(parse("now", sh), "2026-11-20T01:15:00Z", "now");
	is_str(parse("today", sh), "2026-11-19T16:00:00Z", "today");
	is_str(parse("yesterday", sh), "2026-11-18T16:00:00Z", "yesterday");
	is_str(parse("tomorrow", sh), "2026-11-20T16:00:00Z", "tomorrow");
	is_str(parse("today", NULL), "2026-11-20T00:00:00Z", "today in UTC");
	is_str(parse("+3d", sh), "2026-11-23T01:15:00Z", "+3d");
	is_str(parse("-2h", sh), "2026-11-19T23:15:00Z", "-2h");
	is_str(parse("90m", sh), "2026-11-20T02:45:00Z", "90m (no sign: later)");
	is_str(parse("1w", sh), "2026-11-27T01:15:00Z", "1w");
	is_str(parse("2026-02-29", NULL), "error", "no 29 February in 2026");
	is_str(parse("2028-02-29", NULL), "2028-02-29T00:00:00Z",
	       "29 February in a leap year");
	is_str(parse("2026-13-01", NULL), "error", "month 13");
	is_str(parse("2026-11-20 24:00", NULL), "error", "hour 24");
	is_str(parse("2026-11-20T01:15:00+0800", NULL),
	       "2026-11-19T17:15:00Z", "offset without a colon");
	is_str(parse("2026-11-20x", NULL), "error", "trailing garbage");
	is_str(parse("", NULL), "error", "empty");
	is_str(parse("3x", NULL), "error", "unknown unit");
	is_str(parse("+-3d", NULL), "error", "two signs");
	is_str(parse("20261120", NULL), "error", "compact date refused");
	/* Daylight saving: New York changes on 2026-03-08 at 02:00. */
	is_str(parse("2026-03-07 12:00", "America/New_York"),
	       "2026-03-07T17:00:00Z", "EST");
	is_str(parse("2026-03-09 12:00", "America/New_York"),
	       "2026-03-09T16:00:00Z", "EDT");
}

static void
test_durations_zones(void)
{
	struct cmp_duration d;
	struct cmp_error e;
	char buf[32];
	cmp_time t;

	cmp_error_clear(&e);
	ok(!cmp_duration_parse("90m", &d, &e) && d.n == 90 && d.unit == 'm',
	   "90m");
	is_int(cmp_duration_seconds(&d), 5400, "90m is 5400 s");
	ok(cmp_duration_parse("+1d", &d, &e) == 65, "a sign is refused");
	ok(cmp_duration_parse("1y", &d, &e) == 65, "years are not a unit");
	ok(cmp_duration_parse("d", &d, &e) == 65, "a number is required");
	ok(cmp_duration_parse("99999999999d", &d, &e) == 65, "too long");
	ok(!cmp_duration_parse("2w", &d, &e), "2w");
	is_str(cmp_duration_format(&d, buf), "2w", "formatted back");

	/* 1d across the New York change keeps the wall clock: 23 hours. */
	cmp_duration_parse("1d", &d, &e);
	cmp_time_parse("2026-03-07 12:00", "America/New_York", 0, &t, &e);
	is_int(cmp_time_add(t, &d, 1, "America/New_York") - t, 23 * 3600,
	       "a day over spring-forward is 23 hours of wall clock");
	is_int(cmp_time_add(t, &d, 1, NULL) - t, 86400, "a UTC day is 24h");

	ok(!cmp_zone_check("Asia/Shanghai", &e), "Asia/Shanghai is a zone");
	ok(!cmp_zone_check("UTC", &e), "UTC is a zone");
	ok(cmp_zone_check("Mars/Olympus", &e) == 78 &&
	   strstr(e.msg, "Mars/Olympus"), "an unknown zone is 78: %s", e.msg);
	ok(cmp_zone_check("../../etc/passwd", &e) == 78, "no path tricks");
	ok(!cmp_date_check("2026-10-01", &e), "a date");
	ok(cmp_date_check("2026-10-1", &e) == 65, "not a date");

	is_str(cmp_seconds_format(2 * 86400 + 4 * 3600 + 5, buf), "2d 4h",
	       "days and hours");
	is_str(cmp_seconds_format(3 * 3600 + 20 * 60, buf), "3h 20m",
	       "hours and minutes");
	is_str(cmp_seconds_format(45, buf), "45s", "seconds");
	is_str(cmp_seconds_format(-7200, buf), "-2h", "negative");
	is_str(cmp_date_format(NOW, "America/New_York", buf), "2026-11-19",
	       "the date of a moment depends on the zone");
}

static void
test_calendar(void)
{
	static char *holidays[] = {"2026-10-01", "2026-12-25"};
	struct cmp_calendar cal = {0}, always = {0};
	struct cmp_duration d = {1, 'd'};

	cal.days = 0x3e;
	cal.nspans = 2;
	cal.spans[0].open = 9 * 60;
	cal.spans[0].close = 12 * 60;
	cal.spans[1].open = 13 * 60;
	cal.spans[1].close = 18 * 60;
	cal.holidays = holidays;
	cal.nholidays = 2;
	cal.zone = "Asia/Shanghai";
	always.always = 1;

	is_int(cmp_calendar_day_seconds(&cal), 8 * 3600, "8 working hours");
	is_int(cmp_calendar_duration(&cal, &d), 8 * 3600, "1d = a working day");
	d.unit = 'w';
	is_int(cmp_calendar_duration(&cal, &d), 40 * 3600,
	       "1w = five working days");
	d.unit = 'h';
	d.n = 4;
	is_int(cmp_calendar_duration(&cal, &d), 4 * 3600, "4h is 4h");
	is_int(cmp_calendar_duration(&always, &d), 4 * 3600, "24x7 4h");

	/* Friday 09:15 + 4h: 09:15-12:00 (2h45) + 13:00-14:15. */
	is_str(fmt(cmp_calendar_add(&cal, NOW, 4 * 3600)),
	       "2026-11-20T06:15:00Z", "4h skips the lunch break");
	/* Friday 09:15 + 1 working day (8h) = Monday 09:15. */
	is_str(fmt(cmp_calendar_add(&cal, NOW, 8 * 3600)),
	       "2026-11-23T01:15:00Z", "a working day over the weekend");
	/* Friday 17:00 + 1h: exactly 18:00, not Monday 09:00. */
	is_str(fmt(cmp_calendar_add(&cal, at("2026-11-20T09:00:00Z"), 3600)),
	       "2026-11-20T10:00:00Z", "a deadline at closing time");
	/* Saturday: the clock starts Monday 09:00. */
	is_str(fmt(cmp_calendar_add(&cal, at("2026-11-21T02:00:00Z"), 60)),
	       "2026-11-23T01:01:00Z", "weekend: starts Monday");
	/* 24 December 17:00 + 2h: 25th is a holiday, so 26th? a Saturday:
	   Monday 28th 10:00. */
	is_str(fmt(cmp_calendar_add(&cal, at("2026-12-24T09:00:00Z"),
				    2 * 3600)),
	       "2026-12-28T02:00:00Z", "a holiday and a weekend skipped");
	is_str(fmt(cmp_calendar_add(&cal, NOW, 0)), fmt(NOW), "add 0");
	is_str(fmt(cmp_calendar_add(&always, NOW, 3600)),
	       "2026-11-20T02:15:00Z", "24x7 add");

	is_int(cmp_calendar_elapsed(&cal, NOW, at("2026-11-23T01:15:00Z")),
	       8 * 3600, "Friday 09:15 to Monday 09:15 is one working day");
	is_int(cmp_calendar_elapsed(&cal, at("2026-11-21T00:00:00Z"),
				    at("2026-11-22T23:00:00Z")), 0,
	       "nothing counts over a weekend");
	is_int(cmp_calendar_elapsed(&cal, NOW, NOW - 10), 0, "backwards is 0");
	is_int(cmp_calendar_elapsed(&always, NOW, NOW + 99), 99, "24x7");
	for (int64_t s = 0; s < 60 * 3600; s += 3917) {
		cmp_time end = cmp_calendar_add(&cal, NOW, s);

		if (cmp_calendar_elapsed(&cal, NOW, end) != s) {
			ok(0, "elapsed(add(%lld)) != %lld", (long long)s,
			   (long long)s);
			return;
		}
	}
	ok(1, "elapsed undoes add");
	/* A calendar with no working day gives up rather than loop. */
	cal.days = 0;
	ok(cmp_calendar_add(&cal, NOW, 60) == NOW + 60,
	   "no working day: counts as it runs");
}

static void
test_terms(void)
{
	struct cmp_config *cfg;
	struct cmp_sla_level t;
	struct cmp_error e;
	struct cmp_complaint c;

	cmp_error_clear(&e);
	if (cmp_config_load(&cfg, NULL, &e)) {
		ok(0, "built-in configuration: %s", e.msg);
		return;
	}
	cmp_sla_terms(cfg, "normal", "regular", &t);
	ok(t.d[CMP_DL_ACK].n == 4 && t.d[CMP_DL_ACK].unit == 'h' &&
	   t.d[CMP_DL_RESOLVE].n == 5 && !t.cal.always,
	   "normal/regular: the default terms, business hours");
	is_str(t.cal.zone, "Asia/Shanghai", "zone from timezone");
	cmp_sla_level_release(&t);
	cmp_sla_terms(cfg, "critical", "regular", &t);
	ok(t.d[CMP_DL_ACK].n == 1 && t.cal.always, "critical: 1h, 24x7");
	cmp_sla_level_release(&t);
	cmp_sla_terms(cfg, "high", "key", &t);
	ok(t.d[CMP_DL_ACK].n == 1 && t.d[CMP_DL_REPLY].n == 4 &&
	   t.d[CMP_DL_RESOLVE].n == 3 && t.d[CMP_DL_RESOLVE].unit == 'd',
	   "tier key over high, key by key");
	cmp_sla_level_release(&t);

	cmp_complaint_init(&c);
	c.received_at = NOW;
	c.severity = cmp_xstrdup("normal");
	c.customer.tier = cmp_xstrdup("regular");
	cmp_deadlines_compute(cfg, &c);
	is_str(fmt(c.due[CMP_DL_ACK]), "2026-11-20T05:15:00Z", "ack 4h");
	is_str(fmt(c.due[CMP_DL_REPLY]), "2026-11-23T01:15:00Z",
	       "reply 1 working day");
	is_str(fmt(c.due[CMP_DL_RESOLVE]), "2026-11-27T01:15:00Z",
	       "resolve 5 working days");
	c.acknowledged_at = NOW + 60;
	c.due[CMP_DL_ACK] = 1;
	cmp_deadlines_compute(cfg, &c);
	is_int(c.due[CMP_DL_ACK], 1, "a met deadline is left alone");

	c.product.delivered_on = cmp_xstrdup("2025-04-10");
	c.product.failed_on = cmp_xstrdup("2026-11-18");
	cmp_warranty_check(cfg, &c);
	is_int(c.out_of_warranty, 1, "19 months after delivery: out");
	free(c.product.failed_on);
	c.product.failed_on = cmp_xstrdup("2026-10-10");
	cmp_warranty_check(cfg, &c);
	is_int(c.out_of_warranty, 0, "18 months to the day: in");
	cmp_complaint_release(&c);
	cmp_config_free(cfg);
}

int
main(void)
{
	test_parse();
	test_durations_zones();
	test_calendar();
	test_terms();
	return done_testing();
}
