/*
 * render.h - what the report's renderers (lib/render*.c) share: the
 * helpers that read the report's JSON and format its values.
 */
#ifndef CMP_RENDER_H
#define CMP_RENDER_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

/* Rows of a list a person reads (JSON has them all). */
#define SHOW_ROWS 15
#define SHOW_OVERDUE 25

/* The deadlines' names for people; the counts' keys and titles; the
   breakdowns' keys and titles. */
extern const char *const cmp_render_deadline_titles[CMP_DL_COUNT];
extern const char *const cmp_render_count_names[8];
extern const char *const cmp_render_count_titles[8];
extern const char *const cmp_render_breakdown_titles[6][2];

static inline const cJSON *
jget(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static inline double
jnum(const cJSON *o, const char *k)
{
	const cJSON *v = jget(o, k);

	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static inline const char *
jstr(const cJSON *o, const char *k)
{
	const cJSON *v = jget(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static inline const cJSON *
jpath(const cJSON *o, const char *a, const char *b)
{
	return jget(jget(o, a), b);
}

/* "80.0%", "-" for none. */
static inline char *
pct(double share, char *buf)
{
	if (isnan(share))
		snprintf(buf, 16, "-");
	else
		snprintf(buf, 16, "%.1f%%", share * 100);
	return buf;
}

static inline char *
secs(double s, char *buf)
{
	if (isnan(s))
		return strcpy(buf, "-");
	return cmp_seconds_format((int64_t)s, buf);
}

static inline char *
num(double v, char *buf)
{
	if (isnan(v))
		snprintf(buf, 32, "-");
	else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, 32, "%.0f", v);
	else
		snprintf(buf, 32, "%.2f", v);
	return buf;
}

/* An RFC 3339 time of the report as a local "2026-11-20 09:15" into
   buf (CMP_TIME_BUFSZ); returns buf. */
char *cmp_render_local(const struct cmp_report *r, const char *iso,
		       char *buf);
/* The report's zone, "UTC" for none. */
const char *cmp_render_zone(const struct cmp_report *r);
/* A label for a group's value of field path (buf: 32 bytes). */
const char *cmp_render_value_label(const struct cmp_report *r,
				   const char *path, const cJSON *v,
				   char *buf);
/* The largest member key of items (0 for none). */
double cmp_render_max(const cJSON *items, const char *key);
/* A bar of block characters: width cells for max, eighths for the rest. */
void cmp_render_bar(struct cmp_buf *b, double v, double max, int width);
/* A sparkline of values. */
void cmp_render_sparkline(struct cmp_buf *b, const double *v, size_t n);
/* A control chart's values: baseline counts, then the period's (caller
   owns the array). */
double *cmp_render_control_values(const cJSON *cat, size_t *n);

#endif /* CMP_RENDER_H */
