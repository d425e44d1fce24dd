/*
 * period.c - the report's periods in the configured zone, the buckets
 * of time inside them, and the small statistics of the figures
 * (percentiles, control limits, rounding).
 *
 * A period is [since, until) in UTC seconds, its bounds computed from
 * local calendar days: a day is not always 86,400 seconds where daylight
 * saving changes the clocks.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "complaint.h"
#include "clock.h"
#include "period.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/* periods and buckets                                                 */
/* ------------------------------------------------------------------ */

static const char *const unit_names[] = {
	"span", "day", "week", "month", "year"
};

const char *const cmp_bucket_names[CMP_BUCKET_COUNT] = {
	"hour", "day", "week", "month", "year"
};

const char *
cmp_period_unit_name(enum cmp_period_unit u)
{
	return unit_names[u];
}

enum cmp_bucket_unit
cmp_period_bucket(enum cmp_period_unit u)
{
	switch (u) {
	case CMP_PERIOD_WEEK: return CMP_BUCKET_WEEK;
	case CMP_PERIOD_MONTH: return CMP_BUCKET_MONTH;
	case CMP_PERIOD_YEAR: return CMP_BUCKET_YEAR;
	case CMP_PERIOD_DAY:
	case CMP_PERIOD_SPAN: break;
	}
	return CMP_BUCKET_DAY;
}

/* Midnight of tm's day; tm is changed. */
static cmp_time
day_start(struct tm *tm, const char *zone)
{
	tm->tm_hour = tm->tm_min = tm->tm_sec = 0;
	return cmp_mktime(tm, zone);
}

/* The start of the unit around t (a bucket or a period). */
static cmp_time
unit_start(enum cmp_bucket_unit u, cmp_time t, const char *zone)
{
	struct tm tm;

	cmp_localtime(t, zone, &tm);
	switch (u) {
	case CMP_BUCKET_HOUR:
		tm.tm_min = tm.tm_sec = 0;
		return cmp_mktime(&tm, zone);
	case CMP_BUCKET_DAY:
		break;
	case CMP_BUCKET_WEEK:
		/* Weeks start on Monday. */
		tm.tm_mday -= (tm.tm_wday + 6) % 7;
		break;
	case CMP_BUCKET_MONTH:
		tm.tm_mday = 1;
		break;
	case CMP_BUCKET_YEAR:
		tm.tm_mday = 1;
		tm.tm_mon = 0;
		break;
	}
	return day_start(&tm, zone);
}

/* The start of the unit n units after the one starting at t. */
static cmp_time
unit_add(enum cmp_bucket_unit u, cmp_time t, int n, const char *zone)
{
	struct tm tm;

	cmp_localtime(t, zone, &tm);
	switch (u) {
	case CMP_BUCKET_HOUR:
		/* Hours are exact, whatever daylight saving does. */
		return t + (cmp_time)n * 3600;
	case CMP_BUCKET_DAY:
		tm.tm_mday += n;
		break;
	case CMP_BUCKET_WEEK:
		tm.tm_mday += 7 * n;
		break;
	case CMP_BUCKET_MONTH:
		tm.tm_mon += n;
		break;
	case CMP_BUCKET_YEAR:
		tm.tm_year += n;
		break;
	}
	return day_start(&tm, zone);
}

int
cmp_report_period(const char *spec, const char *zone, cmp_time now,
		  cmp_time *since, cmp_time *until,
		  enum cmp_period_unit *unit, struct cmp_error *e)
{
	static const struct {
		const char *name;
		enum cmp_period_unit pu;
		int back;
	} names[] = {
		{"today", CMP_PERIOD_DAY, 0},
		{"yesterday", CMP_PERIOD_DAY, 1},
		{"this-week", CMP_PERIOD_WEEK, 0},
		{"last-week", CMP_PERIOD_WEEK, 1},
		{"this-month", CMP_PERIOD_MONTH, 0},
		{"last-month", CMP_PERIOD_MONTH, 1},
		{"this-year", CMP_PERIOD_YEAR, 0},
		{"last-year", CMP_PERIOD_YEAR, 1},
	};
	struct cmp_error ignored;
	struct tm tm;
	size_t len = spec ? strlen(spec) : 0;
	int y = 0, m = 1, d = 1;
	char tail;

	for (size_t i = 0; spec && i < CMP_ARRAY_LEN(names); i++) {
		enum cmp_bucket_unit bu = cmp_period_bucket(names[i].pu);
		cmp_time start;

		if (strcmp(spec, names[i].name))
			continue;
		start = unit_start(bu, now, zone);
		*since = unit_add(bu, start, -names[i].back, zone);
		*until = unit_add(bu, *since, 1, zone);
		*unit = names[i].pu;
		return 0;
	}
	memset(&tm, 0, sizeof(tm));
	if (len == 4 && sscanf(spec, "%4d%c", &y, &tail) == 1 && y > 0) {
		*unit = CMP_PERIOD_YEAR;
	} else if (len == 7 && sscanf(spec, "%4d-%2d%c", &y, &m, &tail) == 2 &&
		   y > 0 && m >= 1 && m <= 12 && spec[4] == '-') {
		*unit = CMP_PERIOD_MONTH;
	} else if (len == 10 && !cmp_date_check(spec, (cmp_error_clear(
			&ignored), &ignored)) &&
		   sscanf(spec, "%4d-%2d-%2d", &y, &m, &d) == 3) {
		*unit = CMP_PERIOD_DAY;
	} else {
		return cmp_error_set(e, CMP_EX_DATAERR, NULL,
				     "--period: '%s' is not a period (today, "
				     "yesterday, this-week, last-week, "
				     "this-month, last-month, YYYY, YYYY-MM "
				     "or YYYY-MM-DD)", spec ? spec : "");
	}
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	*since = day_start(&tm, zone);
	*until = unit_add(cmp_period_bucket(*unit), *since, 1, zone);
	return 0;
}

void
cmp_report_period_back(enum cmp_period_unit unit, const char *zone,
		       cmp_time since, cmp_time until, int n,
		       cmp_time *psince, cmp_time *puntil)
{
	enum cmp_bucket_unit bu = cmp_period_bucket(unit);

	if (unit == CMP_PERIOD_SPAN) {
		/* A span of its own: the same length, back to back. */
		*psince = since - (cmp_time)n * (until - since);
		*puntil = until - (cmp_time)n * (until - since);
		return;
	}
	*psince = unit_add(bu, since, -n, zone);
	*puntil = unit_add(bu, since, -n + 1, zone);
}

cmp_time *
cmp_bucket_bounds(enum cmp_bucket_unit u, cmp_time since, cmp_time until,
		  const char *zone, size_t *n)
{
	cmp_time *b = NULL;
	size_t cap = 0;
	cmp_time t = since;

	*n = 0;
	for (;;) {
		cmp_time next;

		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			b = cmp_xrealloc(b, cap * sizeof(*b));
		}
		b[(*n)++] = t;
		if (t >= until)
			break;
		next = unit_add(u, unit_start(u, t, zone), 1, zone);
		if (next <= t)	/* a zone's oddity: never loop */
			next = t + 3600;
		t = next < until ? next : until;
	}
	return b;
}

void
cmp_bucket_label(enum cmp_bucket_unit u, cmp_time t, const char *zone,
		 char *buf, size_t size)
{
	static const char *const fmt[CMP_BUCKET_COUNT] = {
		"%Y-%m-%d %H:00", "%Y-%m-%d", "%G-W%V", "%Y-%m", "%Y"
	};
	struct tm tm;

	cmp_localtime(t, zone, &tm);
	strftime(buf, size, fmt[u], &tm);
}

int
cmp_bucket_parse(const char *name, enum cmp_bucket_unit *u)
{
	for (int i = 0; i < CMP_BUCKET_COUNT; i++) {
		if (!strcmp(name, cmp_bucket_names[i])) {
			*u = (enum cmp_bucket_unit)i;
			return 1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* small statistics                                                    */
/* ------------------------------------------------------------------ */

static int
cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The k-th smallest of v[0..n) into v[k], the smaller before it and the
 * larger after (Hoare's selection, median of three pivots): linear on
 * average where a sort is n log n, and percentiles need one rank, not
 * the order.  Past 2 log2(n) rounds (a pathological order) the range
 * left is sorted instead, so the worst case stays n log n.
 */
static void
select_rank(int64_t *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1, rounds = 0, limit = 2;

	for (size_t m = n; m > 1; m >>= 1)
		limit += 2;
	while (hi > lo) {
		int64_t a, b, c, pivot, t;
		size_t i, j;

		if (++rounds > limit) {
			qsort(v + lo, hi - lo + 1, sizeof(*v), cmp_int64);
			return;
		}
		a = v[lo];
		b = v[lo + (hi - lo) / 2];
		c = v[hi];
		pivot = a < b ? (b < c ? b : (a < c ? c : a)) :
			(a < c ? a : (b < c ? c : b));
		i = lo;
		j = hi;
		/* Hoare's partition: v[lo..j] <= pivot <= v[i..hi]. */
		for (;;) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i >= j)
				break;
			t = v[i];
			v[i] = v[j];
			v[j] = t;
			i++;
			j--;
		}
		if (i == j) {
			/* v[i] is the pivot, in its place. */
			if (k == i)
				return;
			if (k < i)
				hi = i - 1;
			else
				lo = i + 1;
		} else if (k <= j) {
			hi = j;
		} else {
			lo = j + 1;
		}
	}
}

int64_t
cmp_percentile(int64_t *v, size_t n, double p)
{
	size_t rank;

	if (!n)
		return 0;
	/* Nearest rank: the smallest value with at least p% at or below. */
	rank = (size_t)ceil(p / 100.0 * (double)n);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	select_rank(v, n, rank - 1);
	return v[rank - 1];
}

double
cmp_control_limit(double centre, double sigma)
{
	/* Poisson: the deviation is the square root of the mean; with a
	   mean below one, one, so an empty history does not alert on a
	   single complaint. */
	return centre + sigma * sqrt(centre > 1 ? centre : 1);
}

double
cmp_round_to(double x, int places)
{
	double f = pow(10, places);

	return round(x * f) / f;
}
