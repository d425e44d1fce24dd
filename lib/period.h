/*
 * period.h - periods in a zone, buckets of time and the small statistics
 * of the report (period.c).  Not part of the public API; the unit tests
 * include it.
 */
#ifndef CMP_PERIOD_H
#define CMP_PERIOD_H

#include "complaint.h"

/* The length of a period, for the baseline's preceding periods. */
enum cmp_period_unit {
	CMP_PERIOD_SPAN, CMP_PERIOD_DAY, CMP_PERIOD_WEEK, CMP_PERIOD_MONTH,
	CMP_PERIOD_YEAR
};
/*
 * A period by name, in zone (NULL/"" = UTC), around now: "today",
 * "yesterday", "this-week", "last-week" (weeks start on Monday),
 * "this-month", "last-month", "YYYY", "YYYY-MM", "YYYY-MM-DD".  Sets
 * [*since, *until) and *unit; returns 0 or 65.
 */
int cmp_report_period(const char *spec, const char *zone, cmp_time now,
		      cmp_time *since, cmp_time *until,
		      enum cmp_period_unit *unit, struct cmp_error *e);
/* The period of the same unit (or length) n periods before [since,
   until), in zone. */
void cmp_report_period_back(enum cmp_period_unit unit, const char *zone,
			    cmp_time since, cmp_time until, int n,
			    cmp_time *psince, cmp_time *puntil);
/* "span", "day", "week", "month", "year" (static). */
const char *cmp_period_unit_name(enum cmp_period_unit u);

/* The units of buckets: a trend's points, --by's time fields. */
enum cmp_bucket_unit {
	CMP_BUCKET_HOUR, CMP_BUCKET_DAY, CMP_BUCKET_WEEK, CMP_BUCKET_MONTH,
	CMP_BUCKET_YEAR
};
#define CMP_BUCKET_COUNT 5
/* "hour", "day", "week", "month", "year". */
extern const char *const cmp_bucket_names[CMP_BUCKET_COUNT];
/* The bucket of a period's unit (a span's: day). */
enum cmp_bucket_unit cmp_period_bucket(enum cmp_period_unit u);
/* 1 and *u set when name is one of cmp_bucket_names[], else 0. */
int cmp_bucket_parse(const char *name, enum cmp_bucket_unit *u);
/* Bounds of the buckets of u over [since, until): since, each unit's
   start after it, until.  *n is the number of bounds (buckets + 1); the
   caller owns the array. */
cmp_time *cmp_bucket_bounds(enum cmp_bucket_unit u, cmp_time since,
			    cmp_time until, const char *zone, size_t *n);
/* A bucket's label: "2026-11-20 09:00", "2026-11-20", "2026-W47",
   "2026-11", "2026". */
void cmp_bucket_label(enum cmp_bucket_unit u, cmp_time t, const char *zone,
		      char *buf, size_t size);

/* Nearest-rank percentile p (0 < p <= 100) of v[0..n), which is
   reordered in place (not sorted); 0 when n is 0. */
int64_t cmp_percentile(int64_t *v, size_t n, double p);
/* The upper control limit: centre + sigma * sqrt(max(centre, 1)). */
double cmp_control_limit(double centre, double sigma);
/* x rounded to places decimals. */
double cmp_round_to(double x, int places);

#endif /* CMP_PERIOD_H */
