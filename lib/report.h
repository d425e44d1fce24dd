/*
 * report.h - the insides of cmp-report shared by lib/period.c,
 * lib/report*.c and lib/render*.c (not part of the public API; the unit
 * tests include it).
 */
#ifndef CMP_REPORT_H
#define CMP_REPORT_H

#include <cjson/cJSON.h>

#include "complaint.h"

/* ------------------------------------------------------------------ */
/* period.c: periods in a zone, buckets of time, small statistics      */
/* ------------------------------------------------------------------ */

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

/* Nearest-rank percentile p (0 < p <= 100) of v[0..n), which is sorted
   in place; 0 when n is 0. */
int64_t cmp_percentile(int64_t *v, size_t n, double p);
/* The upper control limit: centre + sigma * sqrt(max(centre, 1)). */
double cmp_control_limit(double centre, double sigma);
/* x rounded to places decimals. */
double cmp_round_to(double x, int places);

/* ------------------------------------------------------------------ */
/* report_figures.c, report_volumes.c: building the report, a tree    */
/* ------------------------------------------------------------------ */

/* A report: what was asked, the period, and the tree built from the
   store (every format is rendered from the tree alone). */
struct cmp_report {
	const struct cmp_ctx *ctx;
	const struct cmp_config *cfg;
	const char *zone;
	unsigned flags;
	int redact;
	long overdue_max;	/* 0: list every overdue complaint */
	cmp_time now;
	cmp_time since, until;	/* the period, [since, until) */
	cmp_time as_of;		/* 0: everything the store holds */
	cmp_time end;		/* changes before it count: until, cut at
				   as_of */
	cmp_time end_state;	/* the state at the end: before this */
	enum cmp_period_unit unit;
	char name[96];
	int64_t received;
	char **by;		/* --by fields */
	size_t nby;
	size_t *sqlpos;		/* by[] index of each field the store
				   groups */
	cJSON *root;
	cJSON *pareto, *trend, *control;	/* built early, placed late */
	size_t alerts;
};

/* report_field.c: the label of a field's value, its enumeration's or
   department's (borrowed: from the configuration, or key itself). */
const char *cmp_report_label(const struct cmp_config *cfg, const char *path,
			     const char *key);
/* A value of field path as the report shows it: masked when redacting
   (personal fields; phones and e-mails in free text).  Caller owns it. */
char *cmp_report_shown(const struct cmp_report *r, const char *path,
		       const char *v);

/* Members of a report's JSON objects; a missing value is null. */
static inline void
rpt_add_time(cJSON *o, const char *name, cmp_time t)
{
	char buf[CMP_TIME_BUFSZ];

	if (t)
		cJSON_AddStringToObject(o, name, cmp_time_format(t, buf));
	else
		cJSON_AddNullToObject(o, name);
}

static inline void
rpt_add_share(cJSON *o, const char *name, int64_t part, int64_t whole)
{
	if (whole > 0)
		cJSON_AddNumberToObject(o, name, cmp_round_to((double)part /
							      (double)whole,
							      4));
	else
		cJSON_AddNullToObject(o, name);
}

static inline void
rpt_add_key(cJSON *o, const char *name, const char *key)
{
	if (key)
		cJSON_AddStringToObject(o, name, key);
	else
		cJSON_AddNullToObject(o, name);
}

/*
 * report_volumes.c: the complaints received.  cmp_report_volumes()
 * makes the control chart and the trend (r->control, r->trend) and,
 * with root, the breakdowns into root and r->pareto; it sets
 * r->received.  cmp_report_pivot() puts --by's groups into root.  Both
 * return 0, 64 or a store error.
 */
int cmp_report_volumes(struct cmp_report *r, cJSON *root,
		       struct cmp_error *e);
int cmp_report_pivot(struct cmp_report *r, cJSON *root, struct cmp_error *e);

/* report_figures.c */
/* The report as JSON (borrowed: lives as long as r). */
const struct cJSON *cmp_report_json(const struct cmp_report *r);

#endif /* CMP_REPORT_H */
