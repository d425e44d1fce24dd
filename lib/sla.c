/*
 * sla.c - business calendars, the SLA terms of a complaint, its
 * deadlines and the warranty check.
 *
 * A business calendar counts only the working hours of working days in
 * its zone; a 24x7 calendar counts every second.  Calendar arithmetic
 * walks local dates one day at a time and turns each working span into
 * UTC with the zone's rules, so daylight-saving changes and holidays
 * fall where they should.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "complaint.h"
#include "clock.h"
#include "sla.h"

const char *const cmp_deadline_names[CMP_DL_COUNT] = {
	"ack", "reply", "resolve"
};

/* How far calendar walks go before giving up (a calendar with no
   working day at all, or a deadline decades away). */
#define CAL_MAX_DAYS (20 * 366)

int64_t
cmp_calendar_day_seconds(const struct cmp_calendar *c)
{
	int64_t s = 0;

	if (c->always)
		return 86400;
	for (int i = 0; i < c->nspans; i++)
		s += (c->spans[i].close - c->spans[i].open) * 60;
	return s;
}

int64_t
cmp_calendar_duration(const struct cmp_calendar *c,
		      const struct cmp_duration *d)
{
	int workdays = 0;

	if (c->always)
		return cmp_duration_seconds(d);
	switch (d->unit) {
	case 'd':
		return (int64_t)d->n * cmp_calendar_day_seconds(c);
	case 'w':
		for (int i = 0; i < 7; i++)
			workdays += (c->days >> i) & 1;
		return (int64_t)d->n * workdays *
		       cmp_calendar_day_seconds(c);
	default:
		return cmp_duration_seconds(d);
	}
}

/* A local date, walked a day at a time. */
struct day {
	int y, m, d, wday;
};

static void
day_of(const struct cmp_calendar *c, cmp_time t, struct day *day)
{
	struct tm tm;

	cmp_localtime(t, c->zone, &tm);
	day->y = tm.tm_year + 1900;
	day->m = tm.tm_mon + 1;
	day->d = tm.tm_mday;
	day->wday = tm.tm_wday;
}

static void
next_day(struct day *day)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				    30, 31};
	int leap = (day->y % 4 == 0 && day->y % 100 != 0) ||
		   day->y % 400 == 0;
	int len = day->m == 2 && leap ? 29 : mdays[day->m - 1];

	day->wday = (day->wday + 1) % 7;
	if (++day->d <= len)
		return;
	day->d = 1;
	if (++day->m <= 12)
		return;
	day->m = 1;
	day->y++;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
working(const struct cmp_calendar *c, const struct day *day)
{
	char date[16], *key = date;

	if (!((c->days >> day->wday) & 1))
		return 0;
	if (!c->nholidays)
		return 1;
	snprintf(date, sizeof(date), "%04d-%02d-%02d", day->y, day->m,
		 day->d);
	return !bsearch(&key, c->holidays, c->nholidays, sizeof(char *),
			cmp_str);
}

/* The UTC moment of minute `minutes` of a local day. */
static cmp_time
moment(const struct cmp_calendar *c, const struct day *day, int minutes)
{
	struct tm tm = {0};

	tm.tm_year = day->y - 1900;
	tm.tm_mon = day->m - 1;
	tm.tm_mday = day->d;
	tm.tm_hour = minutes / 60;
	tm.tm_min = minutes % 60;
	return cmp_mktime(&tm, c->zone);
}

int64_t
cmp_calendar_elapsed(const struct cmp_calendar *c, cmp_time from,
		     cmp_time to)
{
	struct day day;
	int64_t sum = 0;

	if (to <= from)
		return 0;
	if (c->always)
		return to - from;
	day_of(c, from, &day);
	for (int i = 0; i < CAL_MAX_DAYS; i++, next_day(&day)) {
		cmp_time start = moment(c, &day, 0);

		if (start >= to)
			break;
		if (!working(c, &day))
			continue;
		for (int k = 0; k < c->nspans; k++) {
			cmp_time a = moment(c, &day, c->spans[k].open);
			cmp_time b = moment(c, &day, c->spans[k].close);

			if (a < from)
				a = from;
			if (b > to)
				b = to;
			if (b > a)
				sum += b - a;
		}
	}
	return sum;
}

cmp_time
cmp_calendar_add(const struct cmp_calendar *c, cmp_time start, int64_t secs)
{
	struct day day;

	if (secs <= 0)
		return start;
	if (c->always)
		return start + secs;
	day_of(c, start, &day);
	for (int i = 0; i < CAL_MAX_DAYS; i++, next_day(&day)) {
		if (!working(c, &day))
			continue;
		for (int k = 0; k < c->nspans; k++) {
			cmp_time a = moment(c, &day, c->spans[k].open);
			cmp_time b = moment(c, &day, c->spans[k].close);

			if (a < start)
				a = start;
			if (b <= a)
				continue;
			if (secs <= b - a)
				return a + secs;
			secs -= b - a;
		}
	}
	/* No working time within reach: count the time as it runs. */
	return start + secs;
}

void
cmp_calendar_release(struct cmp_calendar *c)
{
	for (size_t i = 0; i < c->nholidays; i++)
		free(c->holidays[i]);
	free(c->holidays);
	free(c->zone);
	memset(c, 0, sizeof(*c));
}

void
cmp_calendar_copy(struct cmp_calendar *dst, const struct cmp_calendar *src)
{
	*dst = *src;
	dst->zone = cmp_xstrdup(src->zone);
	dst->holidays = src->nholidays ?
		cmp_xcalloc(src->nholidays, sizeof(char *)) : NULL;
	for (size_t i = 0; i < src->nholidays; i++)
		dst->holidays[i] = cmp_xstrdup(src->holidays[i]);
}

static const struct cmp_sla_level *
find_level(const struct cmp_sla_level *levels, size_t n, const char *key)
{
	if (!key)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(levels[i].key, key))
			return &levels[i];
	return NULL;
}

/* Lay level over out, key by key. */
static void
overlay(struct cmp_sla_level *out, const struct cmp_sla_level *level)
{
	if (!level)
		return;
	for (int k = 0; k < CMP_DL_COUNT; k++)
		if (level->has & (1u << k)) {
			out->d[k] = level->d[k];
			out->has |= 1u << k;
		}
	if (level->has & CMP_SLA_HAS_CALENDAR) {
		cmp_calendar_release(&out->cal);
		cmp_calendar_copy(&out->cal, &level->cal);
		out->has |= CMP_SLA_HAS_CALENDAR;
	}
}

void
cmp_sla_terms(const struct cmp_config *cfg, const char *severity,
	      const char *tier, struct cmp_sla_level *out)
{
	memset(out, 0, sizeof(*out));
	out->has = cfg->sla_default.has;
	memcpy(out->d, cfg->sla_default.d, sizeof(out->d));
	cmp_calendar_copy(&out->cal, &cfg->sla_default.cal);
	overlay(out, find_level(cfg->sla_severity, cfg->nsla_severity,
				severity));
	overlay(out, find_level(cfg->sla_tier, cfg->nsla_tier, tier));
	if (!out->cal.zone)
		out->cal.zone = cmp_xstrdup(cfg->timezone);
}

void
cmp_sla_level_release(struct cmp_sla_level *l)
{
	free(l->key);
	cmp_calendar_release(&l->cal);
	memset(l, 0, sizeof(*l));
}

static cmp_time
met(const struct cmp_complaint *c, int k)
{
	switch (k) {
	case CMP_DL_ACK: return c->acknowledged_at;
	case CMP_DL_REPLY: return c->replied_at;
	default: return c->resolution.resolved_at;
	}
}

void
cmp_deadlines_compute(const struct cmp_config *cfg, struct cmp_complaint *c)
{
	struct cmp_sla_level terms;

	cmp_sla_terms(cfg, c->severity, c->customer.tier, &terms);
	for (int k = 0; k < CMP_DL_COUNT; k++) {
		if (met(c, k))
			continue;
		c->due[k] = terms.has & (1u << k) ?
			cmp_calendar_add(&terms.cal, c->received_at,
				cmp_calendar_duration(&terms.cal,
						      &terms.d[k])) : 0;
	}
	cmp_sla_level_release(&terms);
}

/* "YYYY-MM-DD" plus months, the day clamped to the month's length. */
static void
add_months(const char *date, int months, char out[16])
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				    30, 31};
	int y, m, d, len;

	sscanf(date, "%4d-%2d-%2d", &y, &m, &d);
	m += months;
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	len = m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ?
		29 : mdays[m - 1];
	if (d > len)
		d = len;
	snprintf(out, 16, "%04d-%02d-%02d", y % 10000, m, d);
}

void
cmp_warranty_check(const struct cmp_config *cfg, struct cmp_complaint *c)
{
	char end[16], when[CMP_TIME_BUFSZ];
	const char *failed;

	if (cfg->warranty_months <= 0 || !c->product.delivered_on)
		return;
	failed = c->product.failed_on;
	if (!failed) {
		if (!c->received_at)
			return;
		failed = cmp_date_format(c->received_at, cfg->timezone, when);
	}
	add_months(c->product.delivered_on, cfg->warranty_months, end);
	c->out_of_warranty = strcmp(failed, end) > 0;
}
