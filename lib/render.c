/*
 * render.c - what the report's formats share: a section's rows,
 * its headings' text, and values as people read them (numbers, shares,
 * durations, local times, labels), bars and sparklines.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "complaint.h"
#include "render.h"

const cJSON *
cmp_render_rows(const struct rpt_section *s, const cJSON *v)
{
	return s->rows ? jget(v, s->rows) : v;
}

char *
cmp_render_pct(double share, char *buf)
{
	if (isnan(share))
		snprintf(buf, 16, "-");
	else
		snprintf(buf, 16, "%.1f%%", share * 100);
	return buf;
}

char *
cmp_render_secs(double s, char *buf)
{
	if (isnan(s))
		return strcpy(buf, "-");
	return cmp_seconds_format((int64_t)s, buf);
}

char *
cmp_render_num(double v, char *buf)
{
	if (isnan(v))
		snprintf(buf, 32, "-");
	else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, 32, "%.0f", v);
	else
		snprintf(buf, 32, "%.2f", v);
	return buf;
}

int
cmp_render_numeric(const struct rpt_column *c)
{
	return c->how == RPT_NUM || c->how == RPT_PCT || c->how == RPT_SECS ||
	       c->how == RPT_MONEY;
}

const char *
cmp_render_value(const struct rpt_out *o, const struct rpt_column *c,
		 const cJSON *row, char *buf, struct cmp_buf *join,
		 const char *sep)
{
	const cJSON *it;

	switch (c->how) {
	case RPT_NUM:
		return cmp_render_num(jnum(row, c->key), buf);
	case RPT_PCT:
		return cmp_render_pct(jnum(row, c->key), buf);
	case RPT_SECS:
		return cmp_render_secs(jnum(row, c->key), buf);
	case RPT_TIME:
		return cmp_render_local(o->r, jstr(row, c->key), buf);
	case RPT_TEXT:
		return jstr(row, c->key);
	case RPT_LABEL:
		return cmp_report_label(o->r->cfg, c->path, jstr(row, c->key));
	case RPT_JOIN:
		cmp_buf_reset(join);
		cJSON_ArrayForEach(it, jget(row, c->key)) {
			if (join->len)
				cmp_buf_adds(join, sep);
			cmp_buf_adds(join, it->valuestring);
		}
		return cmp_buf_str(join);
	case RPT_MONEY:
		snprintf(buf, 32, "%.2f", jnum(row, c->key));
		return buf;
	}
	return NULL;
}

void
cmp_render_text(const struct rpt_out *o, const struct rpt_section *s,
		const cJSON *v, const char *fmt, struct cmp_buf *out)
{
	char buf[2][64];
	const char *arg[2] = {"", ""};

	for (int k = 0; k < 2; k++) {
		struct rpt_column c = {.key = s->args[k].key,
				       .how = s->args[k].how};

		if (c.key)
			arg[k] = cmp_render_value(o, &c, v, buf[k], NULL,
						  NULL);
		if (!arg[k])
			arg[k] = "";
	}
	cmp_buf_addf(out, fmt, arg[0], arg[1]);
}

void
cmp_render_title(const struct rpt_column *c, const cJSON *v, unsigned f,
		 struct cmp_buf *out)
{
	const char *t = f == RPT_TTY && c->tty ? c->tty :
		f == RPT_HTML && c->html ? c->html : c->title;
	char nb[32];

	if (c->arg)
		cmp_buf_addf(out, t, cmp_render_num(jnum(v, c->arg), nb));
	else
		cmp_buf_adds(out, t);
}

/* An RFC 3339 time of the report as a local "2026-11-20 09:15". */
char *
cmp_render_local(const struct cmp_report *r, const char *iso, char *buf)
{
	struct cmp_error e;
	struct tm tm;
	cmp_time t;

	if (!iso)
		return strcpy(buf, "-");
	cmp_error_clear(&e);
	if (cmp_time_parse(iso, NULL, 0, &t, &e))
		return strcpy(buf, iso);
	cmp_localtime(t, r->zone, &tm);
	strftime(buf, CMP_TIME_BUFSZ, "%Y-%m-%d %H:%M", &tm);
	return buf;
}

const char *
cmp_render_zone(const struct cmp_report *r)
{
	return r->zone && *r->zone ? r->zone : "UTC";
}

/* A label for a group's value of field path. */
const char *
cmp_render_value_label(const struct cmp_report *r, const char *path,
		       const cJSON *v, char *buf)
{
	if (!v || cJSON_IsNull(v))
		return "(none)";
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v) ? "true" : "false";
	if (cJSON_IsNumber(v))
		return cmp_render_num(v->valuedouble, buf);
	return cmp_report_label(r->cfg, path, v->valuestring);
}

double
cmp_render_max(const cJSON *items, const char *key)
{
	const cJSON *it;
	double m = 0;

	cJSON_ArrayForEach(it, items)
		if (jnum(it, key) > m)
			m = jnum(it, key);
	return m;
}

/* A bar of block characters: width cells for max, eighths for the rest. */
void
cmp_render_bar(struct cmp_buf *b, double v, double max, int width)
{
	static const char *const part[] = {
		"", "\xe2\x96\x8f", "\xe2\x96\x8e", "\xe2\x96\x8d",
		"\xe2\x96\x8c", "\xe2\x96\x8b", "\xe2\x96\x8a", "\xe2\x96\x89"
	};
	long eighths;

	if (max <= 0 || v <= 0 || isnan(v))
		return;
	eighths = lround(v / max * width * 8);
	if (eighths < 1)
		eighths = 1;	/* something, however small */
	for (long i = 0; i < eighths / 8; i++)
		cmp_buf_adds(b, "\xe2\x96\x88");	/* █ */
	cmp_buf_adds(b, part[eighths % 8]);
}

/* A sparkline of values: ▁▂▃▄▅▆▇█. */
void
cmp_render_sparkline(struct cmp_buf *b, const double *v, size_t n)
{
	static const char *const level[] = {
		"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
		"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88"
	};
	double max = 0;

	for (size_t i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	for (size_t i = 0; i < n; i++)
		cmp_buf_adds(b, level[max > 0 ? (int)lround(v[i] / max * 7) :
				      0]);
}

/* A control chart's values: baseline counts, then the period's. */
double *
cmp_render_control_values(const cJSON *cat, size_t *n)
{
	const cJSON *base = jget(cat, "baseline_counts"), *it;
	double *v = cmp_xcalloc((size_t)cJSON_GetArraySize(base) + 1,
				sizeof(double));

	*n = 0;
	cJSON_ArrayForEach(it, base)
		v[(*n)++] = it->valuedouble;
	v[(*n)++] = jnum(cat, "count");
	return v;
}
