/*
 * render.c - the report's formats other than JSON: the helpers they
 * share, and the one entry point that picks a format.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "render.h"

int
cmp_report_format_parse(const char *name, enum cmp_report_format *out,
			struct cmp_error *e)
{
	static const char *const names[] = {"json", "table", "csv",
					    "markdown", "html"};

	for (size_t i = 0; i < CMP_ARRAY_LEN(names); i++) {
		if (!strcmp(name, names[i])) {
			*out = (enum cmp_report_format)i;
			return 0;
		}
	}
	return cmp_error_set(e, CMP_EX_USAGE, NULL,
			     "--format: '%s' is not json, table, csv, "
			     "markdown or html", name);
}

/* No spaces at the ends of lines (a bar may be empty). */
static void
strip_trailing(struct cmp_buf *b)
{
	size_t o = 0;

	for (size_t i = 0; i < b->len; i++) {
		if (b->s[i] == '\n')
			while (o > 0 && b->s[o - 1] == ' ')
				o--;
		b->s[o++] = b->s[i];
	}
	b->len = o;
	if (b->s)
		b->s[o] = '\0';
}

int
cmp_report_write(const struct cmp_report *r, FILE *fp,
		 enum cmp_report_format fmt, int width, struct cmp_error *e)
{
	struct cmp_buf b = CMP_BUF_INIT;
	char *s;

	switch (fmt) {
	case CMP_REPORT_JSON:
		s = cJSON_PrintUnformatted(r->root);
		cmp_buf_adds(&b, s);
		cmp_buf_addc(&b, '\n');
		cJSON_free(s);
		break;
	case CMP_REPORT_TABLE:
		cmp_render_table(r, &b, width > 40 ? width : 40);
		strip_trailing(&b);
		break;
	case CMP_REPORT_CSV:
		cmp_render_csv(r, &b);
		break;
	case CMP_REPORT_MARKDOWN:
		cmp_render_markdown(r, &b);
		break;
	case CMP_REPORT_HTML:
		cmp_render_html(r, &b);
		break;
	}
	fwrite(cmp_buf_str(&b), 1, b.len, fp);
	cmp_buf_release(&b);
	if (fflush(fp) || ferror(fp))
		return cmp_error_set(e, CMP_EX_IOERR, NULL,
				     "cannot write the report");
	return 0;
}


/* The deadlines' names for people. */
const char *const cmp_render_deadline_titles[CMP_DL_COUNT] = {
	"acknowledge", "first reply", "resolve"
};
const char *const cmp_render_count_names[] = {
	"received", "acknowledged", "replied", "resolved", "closed",
	"rejected", "reopened", "backlog"
};
const char *const cmp_render_count_titles[] = {
	"received", "acknowledged", "replied", "resolved", "closed",
	"rejected", "reopened", "open at the end"
};
const char *const cmp_render_breakdown_titles[][2] = {
	{"category", "category"}, {"channel", "channel"},
	{"department", "department"}, {"severity", "severity"},
	{"customer.tier", "customer tier"}, {"product.name", "product"},
};
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
		return num(v->valuedouble, buf);
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

