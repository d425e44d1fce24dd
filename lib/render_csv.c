/*
 * render_csv.c - the report as CSV for a spreadsheet: every figure a
 * row (section, key, label, value), numbers as they are; with --by, a
 * row per group.  The sections and their figures are
 * render_sections.c's table.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "complaint.h"
#include "render.h"

static void
csv_row(struct cmp_buf *b, const char *section, const char *key,
	const char *label, double value)
{
	char nb[32];

	cmp_csv_cell(b, section, ',');
	cmp_buf_addc(b, ',');
	cmp_csv_cell(b, key, ',');
	cmp_buf_addc(b, ',');
	cmp_csv_cell(b, label, ',');
	cmp_buf_addc(b, ',');
	if (!isnan(value)) {
		if (value == floor(value) && fabs(value) < 1e15)
			snprintf(nb, sizeof(nb), "%.0f", value);
		else
			snprintf(nb, sizeof(nb), "%.10g", value);
		cmp_buf_adds(b, nb);
	}
	cmp_buf_adds(b, "\r\n");
}

/* A member as a CSV value: a number, a truth as 1 or 0, else none. */
static double
csv_value(const cJSON *o, const char *k)
{
	const cJSON *v = jget(o, k);

	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static void
csv_head(struct rpt_out *o)
{
	if (!o->r->nby)
		cmp_buf_adds(o->b, "section,key,label,value\r\n");
}

/* One row per group: the fields, then the count. */
static void
csv_pivot(struct rpt_out *o)
{
	const struct cmp_report *r = o->r;
	struct cmp_buf *b = o->b;
	const cJSON *it;

	for (size_t k = 0; k < r->nby; k++) {
		cmp_csv_cell(b, r->by[k], ',');
		cmp_buf_addc(b, ',');
	}
	cmp_buf_adds(b, "count\r\n");
	cJSON_ArrayForEach(it, jget(r->root, "groups")) {
		for (size_t k = 0; k < r->nby; k++) {
			const cJSON *v = jget(it, r->by[k]);
			char nb[32];

			if (cJSON_IsString(v))
				cmp_csv_cell(b, v->valuestring, ',');
			else if (cJSON_IsNumber(v))
				cmp_buf_adds(b, cmp_render_num(v->valuedouble,
							       nb));
			else if (cJSON_IsBool(v))
				cmp_buf_adds(b, cJSON_IsTrue(v) ? "true" :
					     "false");
			cmp_buf_addc(b, ',');
		}
		cmp_buf_addf(b, "%.0f\r\n", jnum(it, "count"));
	}
}

/* Every figure of an object: section, figure, no label, value; a text
   (what a deadline counts) is the label of a row without a value. */
static void
csv_figures_of(struct rpt_out *o, const struct rpt_section *s,
	       const char *section, const cJSON *v)
{
	for (size_t i = 0; i < s->ncols; i++) {
		const struct rpt_column *c = &s->cols[i];

		if (!c->key)
			continue;
		if (c->how == RPT_TEXT)
			csv_row(o->b, section, c->key, jstr(v, c->key), NAN);
		else
			csv_row(o->b, section, c->key, NULL, jnum(v, c->key));
	}
}

static void
csv_figures(struct rpt_out *o, const struct rpt_section *s, const cJSON *v)
{
	csv_figures_of(o, s, s->key, v);
}

/* A grid's rows as sections of their own: "deadlines.ack". */
static void
csv_grid(struct rpt_out *o, const struct rpt_section *s, const cJSON *v)
{
	char sec[128];

	for (size_t k = 0; k < s->nnames; k++) {
		snprintf(sec, sizeof(sec), "%s.%s", s->key, s->names[k]);
		csv_figures_of(o, s, sec, jget(v, s->names[k]));
	}
}

/* The section's CSV rows: those of its object, then those of each row. */
static void
csv_rows(struct rpt_out *o, const struct rpt_section *s, const cJSON *v)
{
	const cJSON *it;

	for (size_t i = 0; i < s->ncsv; i++)
		if (s->csv[i].once)
			csv_row(o->b, s->csv[i].section, s->csv[i].key, NULL,
				csv_value(v, s->csv[i].value));
	cJSON_ArrayForEach(it, cmp_render_rows(s, v)) {
		for (size_t i = 0; i < s->ncsv; i++) {
			const struct rpt_csv *c = &s->csv[i];
			const cJSON *k = jget(it, c->key);
			char id[32];

			if (c->once)
				continue;
			if (cJSON_IsNumber(k))
				snprintf(id, sizeof(id), "%.0f",
					 k->valuedouble);
			csv_row(o->b, c->section, cJSON_IsNumber(k) ? id :
				jstr(it, c->key), c->label ?
				jstr(it, c->label) : NULL,
				csv_value(it, c->value));
		}
	}
}

const struct rpt_format cmp_render_csv = {
	.head = csv_head,
	.pivot = csv_pivot,
	.show = {
		[RPT_FIGURES] = csv_figures,
		[RPT_ITEMS] = csv_rows,
		[RPT_GRID] = csv_grid,
		[RPT_LIST] = csv_rows,
		[RPT_PARETO] = csv_rows,
		[RPT_CONTROL] = csv_rows,
		[RPT_TREND] = csv_rows,
	},
};
