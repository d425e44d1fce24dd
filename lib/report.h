/*
 * report.h - the insides of cmp-report shared by the report's builders
 * (report_figures.c, report_volumes.c, report_field.c) and its renderers
 * (render*.c).  Not part of the public API; the unit tests include it.
 */
#ifndef CMP_REPORT_H
#define CMP_REPORT_H

#include <cjson/cJSON.h>

#include "complaint.h"
#include "period.h"

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
