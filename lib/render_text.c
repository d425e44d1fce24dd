/*
 * render_text.c - the report as text: a table for a terminal (block
 * character bars), CSV (one figure a row) and Markdown.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "render.h"

/* ------------------------------------------------------------------ */
/* table: for a terminal                                               */
/* ------------------------------------------------------------------ */

struct tbl {
	const struct cmp_report *r;
	struct cmp_buf *b;
	int width;
	int color;
};

static void
spaces(struct cmp_buf *b, size_t n)
{
	while (n--)
		cmp_buf_addc(b, ' ');
}

/* s in a cell of width columns, left or right aligned. */
static void
cell(struct cmp_buf *b, const char *s, size_t width, int right)
{
	struct cmp_buf c = CMP_BUF_INIT;
	size_t w = cmp_term_cell(&c, s ? s : "", width);

	if (right)
		spaces(b, width - w);
	cmp_buf_add(b, cmp_buf_str(&c), c.len);
	if (!right)
		spaces(b, width - w);
	cmp_buf_release(&c);
}

/* The widest "label" of items, at least 8 columns and at most max. */
static size_t
label_width(const cJSON *items, size_t max)
{
	const cJSON *it;
	size_t lw = 8;

	cJSON_ArrayForEach(it, items) {
		size_t w = cmp_term_width(jstr(it, "label"));

		if (w > lw)
			lw = w;
	}
	return lw < max ? lw : max;
}

static void
tbl_heading(struct tbl *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
tbl_heading(struct tbl *t, const char *fmt, ...)
{
	va_list ap;
	char buf[256];
	struct cmp_buf c = CMP_BUF_INIT;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	cmp_buf_addc(t->b, '\n');
	if (t->color)
		cmp_buf_adds(t->b, "\033[1m");
	cmp_term_cell(&c, buf, (size_t)t->width);
	cmp_buf_add(t->b, cmp_buf_str(&c), c.len);
	cmp_buf_release(&c);
	if (t->color)
		cmp_buf_adds(t->b, "\033[0m");
	cmp_buf_addc(t->b, '\n');
}

/* Rows of label, count, share and a bar; at most SHOW_ROWS. */
static void
tbl_bars(struct tbl *t, const cJSON *items)
{
	const cJSON *it;
	double max = cmp_render_max(items, "count");
	size_t lw = label_width(items, 24), shown = 0;
	size_t n = (size_t)cJSON_GetArraySize(items);
	int bw;
	double rest = 0;

	bw = t->width - 2 - (int)lw - 2 - 7 - 2 - 6 - 2;
	if (bw > 40)
		bw = 40;
	if (bw < 8)
		bw = 8;
	if (!n) {
		cmp_buf_adds(t->b, "  (none)\n");
		return;
	}
	cJSON_ArrayForEach(it, items) {
		char nb[32], pb[16];

		if (shown == SHOW_ROWS && n > SHOW_ROWS + 1) {
			rest += jnum(it, "count");
			continue;
		}
		shown++;
		cmp_buf_adds(t->b, "  ");
		cell(t->b, jstr(it, "label"), lw, 0);
		cmp_buf_adds(t->b, "  ");
		cell(t->b, num(jnum(it, "count"), nb), 7, 1);
		cmp_buf_adds(t->b, "  ");
		cell(t->b, pct(jnum(it, "share"), pb), 6, 1);
		cmp_buf_adds(t->b, "  ");
		cmp_render_bar(t->b, jnum(it, "count"), max, bw);
		cmp_buf_addc(t->b, '\n');
	}
	if (rest > 0) {
		char nb[32];

		cmp_buf_adds(t->b, "  ");
		cell(t->b, "(others)", lw, 0);
		cmp_buf_adds(t->b, "  ");
		cell(t->b, num(rest, nb), 7, 1);
		cmp_buf_addc(t->b, '\n');
	}
}

/* Label, count, cumulative share, the vital few starred. */
static void
tbl_pareto(struct tbl *t, const cJSON *items)
{
	const cJSON *it;
	size_t lw = label_width(items, 40), shown = 0;

	cJSON_ArrayForEach(it, items) {
		char nb[32], pb[16];

		if (shown++ == SHOW_ROWS)
			break;
		cmp_buf_adds(t->b, cJSON_IsTrue(jget(it, "vital")) ? "* " :
			     "  ");
		cell(t->b, jstr(it, "label"), lw, 0);
		cmp_buf_adds(t->b, "  ");
		cell(t->b, num(jnum(it, "count"), nb), 7, 1);
		cmp_buf_adds(t->b, "  ");
		cell(t->b, pct(jnum(it, "cumulative"), pb), 6, 1);
		cmp_buf_addc(t->b, '\n');
	}
}

static void
tbl_header(struct tbl *t)
{
	const cJSON *p = jget(t->r->root, "period");
	char a[CMP_TIME_BUFSZ], u[CMP_TIME_BUFSZ];

	if (t->color)
		cmp_buf_adds(t->b, "\033[1m");
	cmp_buf_addf(t->b, "Complaints: %s", t->r->name);
	if (t->color)
		cmp_buf_adds(t->b, "\033[0m");
	cmp_buf_addf(t->b, "\n%s to %s (%s)\n",
		     cmp_render_local(t->r, jstr(p, "since"), a),
		     cmp_render_local(t->r, jstr(p, "until"), u), cmp_render_zone(t->r));
	if (t->r->as_of)
		cmp_buf_addf(t->b, "as the data stood at %s\n",
			     cmp_render_local(t->r, jstr(p, "as_of"), a));
}

static void
tbl_pivot(struct tbl *t)
{
	const cJSON *groups = jget(t->r->root, "groups"), *g;
	const struct cmp_report *r = t->r;
	size_t *w = cmp_xcalloc(r->nby + 1, sizeof(size_t));
	double max = cmp_render_max(groups, "count");
	int bw = t->width - 9;
	char nb[32];

	for (size_t k = 0; k < r->nby; k++) {
		w[k] = cmp_term_width(r->by[k]);
		cJSON_ArrayForEach(g, groups) {
			size_t x = cmp_term_width(cmp_render_value_label(r, r->by[k],
							  jget(g, r->by[k]),
							  nb));

			if (x > w[k])
				w[k] = x;
		}
		if (w[k] > 30)
			w[k] = 30;
		bw -= (int)w[k] + 2;
	}
	if (bw > 40)
		bw = 40;
	if (bw < 8)
		bw = 8;
	cmp_buf_addc(t->b, '\n');
	if (t->color)
		cmp_buf_adds(t->b, "\033[1m");
	for (size_t k = 0; k < r->nby; k++) {
		cell(t->b, r->by[k], w[k], 0);
		cmp_buf_adds(t->b, "  ");
	}
	cell(t->b, "count", 7, 1);
	if (t->color)
		cmp_buf_adds(t->b, "\033[0m");
	cmp_buf_addc(t->b, '\n');
	cJSON_ArrayForEach(g, groups) {
		for (size_t k = 0; k < r->nby; k++) {
			cell(t->b, cmp_render_value_label(r, r->by[k], jget(g, r->by[k]),
					       nb), w[k], 0);
			cmp_buf_adds(t->b, "  ");
		}
		cell(t->b, num(jnum(g, "count"), nb), 7, 1);
		cmp_buf_adds(t->b, "  ");
		cmp_render_bar(t->b, jnum(g, "count"), max, bw);
		cmp_buf_addc(t->b, '\n');
	}
	cmp_buf_addf(t->b, "total %s\n", num(jnum(r->root, "total"), nb));
	free(w);
}

static void
tbl_alerts(struct tbl *t)
{
	const cJSON *cats = jpath(t->r->root, "control", "categories"), *c;

	cJSON_ArrayForEach(c, cats) {
		char a[32], u[32];

		if (!cJSON_IsTrue(jget(c, "alert")))
			continue;
		if (t->color)
			cmp_buf_adds(t->b, "\033[1;31m");
		cmp_buf_adds(t->b, "ALERT: ");
		cmp_term_cell(t->b, jstr(c, "label"), 40);
		cmp_buf_addf(t->b, " has %s complaints, above its control "
			     "limit %s", num(jnum(c, "count"), a),
			     num(jnum(c, "ucl"), u));
		if (t->color)
			cmp_buf_adds(t->b, "\033[0m");
		cmp_buf_addc(t->b, '\n');
	}
}

static void
tbl_control(struct tbl *t)
{
	const cJSON *ctl = jget(t->r->root, "control"), *c;
	size_t lw;

	if (!ctl)
		return;
	tbl_heading(t, "Control chart: each category against the %s "
		    "preceding periods (%s sigma)",
		    num(jnum(ctl, "baseline_used"), (char[32]){0}),
		    num(jnum(ctl, "sigma"), (char[32]){0}));
	lw = label_width(jget(ctl, "categories"), 24);
	cmp_buf_adds(t->b, "  ");
	cell(t->b, "category", lw, 0);
	cmp_buf_adds(t->b, "    count   centre      UCL  history\n");
	cJSON_ArrayForEach(c, jget(ctl, "categories")) {
		char nb[32];
		size_t n;
		double *v = cmp_render_control_values(c, &n);
		int alert = cJSON_IsTrue(jget(c, "alert"));

		cmp_buf_adds(t->b, "  ");
		cell(t->b, jstr(c, "label"), lw, 0);
		cmp_buf_adds(t->b, "  ");
		cell(t->b, num(jnum(c, "count"), nb), 7, 1);
		cmp_buf_adds(t->b, "  ");
		cell(t->b, num(jnum(c, "centre"), nb), 7, 1);
		cmp_buf_adds(t->b, "  ");
		cell(t->b, num(jnum(c, "ucl"), nb), 7, 1);
		cmp_buf_adds(t->b, "  ");
		cmp_render_sparkline(t->b, v, n);
		if (alert) {
			cmp_buf_adds(t->b, t->color ? "  \033[1;31mALERT\033[0m"
				     : "  ALERT");
		}
		cmp_buf_addc(t->b, '\n');
		free(v);
	}
}

static void
tbl_overdue(struct tbl *t)
{
	const cJSON *od = jget(t->r->root, "overdue"), *it;
	char a[CMP_TIME_BUFSZ], nb[32];
	int sw = t->width - 2 - 8 - 2 - 8 - 2 - 18 - 2 - 10 - 2;
	size_t shown = 0;

	tbl_heading(t, "Overdue at %s: %s", cmp_render_local(t->r, jstr(od, "at"), a),
		    num(jnum(od, "count"), nb));
	if (sw < 10)
		sw = 10;
	if (cJSON_GetArraySize(jget(od, "complaints")))
		cmp_buf_adds(t->b, "        id   late by  deadlines           "
			     "owner       summary\n");
	cJSON_ArrayForEach(it, jget(od, "complaints")) {
		struct cmp_buf dl = CMP_BUF_INIT;
		const cJSON *d;

		if (shown++ == SHOW_OVERDUE) {
			cmp_buf_addf(t->b, "  ... and %d more\n",
				     cJSON_GetArraySize(jget(od, "complaints"))
				     - SHOW_OVERDUE);
			break;
		}
		cJSON_ArrayForEach(d, jget(it, "deadlines")) {
			if (dl.len)
				cmp_buf_addc(&dl, ',');
			cmp_buf_adds(&dl, d->valuestring);
		}
		cmp_buf_adds(t->b, "  ");
		cell(t->b, num(jnum(it, "id"), nb), 8, 1);
		cmp_buf_adds(t->b, "  ");
		cell(t->b, secs(jnum(it, "overdue_seconds"), a), 8, 1);
		cmp_buf_adds(t->b, "  ");
		cell(t->b, cmp_buf_str(&dl), 18, 0);
		cmp_buf_adds(t->b, "  ");
		cell(t->b, jstr(it, "owner") ? jstr(it, "owner") : "-", 10, 0);
		cmp_buf_adds(t->b, "  ");
		cmp_term_cell(t->b, jstr(it, "summary"), (size_t)sw);
		cmp_buf_addc(t->b, '\n');
		cmp_buf_release(&dl);
	}
}

void
cmp_render_table(const struct cmp_report *r, struct cmp_buf *b, int width)
{
	struct tbl t = {r, b, width, (r->flags & CMP_REPORT_COLOR) != 0};
	const cJSON *root = r->root, *it;
	char nb[32], pb[16], sb[32], s2[32];

	tbl_header(&t);
	if (r->nby) {
		tbl_pivot(&t);
		return;
	}
	tbl_alerts(&t);
	tbl_heading(&t, "Counts");
	for (size_t i = 0; i < CMP_ARRAY_LEN(cmp_render_count_names); i++) {
		cmp_buf_adds(b, "  ");
		cell(b, cmp_render_count_titles[i], 18, 0);
		cell(b, num(jnum(jget(root, "counts"), cmp_render_count_names[i]), nb), 8,
		     1);
		cmp_buf_addc(b, '\n');
	}
	for (size_t i = 0; i < CMP_ARRAY_LEN(cmp_render_breakdown_titles); i++) {
		tbl_heading(&t, "By %s", cmp_render_breakdown_titles[i][1]);
		tbl_bars(&t, jpath(root, "breakdowns",
				   cmp_render_breakdown_titles[i][0]));
	}
	tbl_heading(&t, "Deadlines (met in time: pauses counted)");
	cmp_buf_adds(b, "  deadline         due     met  missed  pending"
		     "    met %    median       p90\n");
	for (int k = 0; k < CMP_DL_COUNT; k++) {
		const cJSON *d = jpath(root, "deadlines",
				       cmp_deadline_names[k]);

		cmp_buf_adds(b, "  ");
		cell(b, cmp_render_deadline_titles[k], 12, 0);
		cell(b, num(jnum(d, "due"), nb), 8, 1);
		cell(b, num(jnum(d, "met"), nb), 8, 1);
		cell(b, num(jnum(d, "missed"), nb), 8, 1);
		cell(b, num(jnum(d, "pending"), nb), 9, 1);
		cell(b, pct(jnum(d, "share_met"), pb), 9, 1);
		cell(b, secs(jnum(d, "median_seconds"), sb), 10, 1);
		cell(b, secs(jnum(d, "p90_seconds"), s2), 10, 1);
		cmp_buf_addc(b, '\n');
	}
	tbl_overdue(&t);
	it = jget(root, "followup");
	tbl_heading(&t, "Follow-up");
	cmp_buf_addf(b, "  due %s, done %s, scored %s",
		     num(jnum(it, "due"), nb), num(jnum(it, "done"), sb),
		     num(jnum(it, "scored"), s2));
	cmp_buf_addf(b, ", average satisfaction %s",
		     num(jnum(it, "average_satisfaction"), nb));
	cmp_buf_addf(b, ", satisfied (%s or more) %s, %s\n",
		     num(jnum(it, "bar"), nb), num(jnum(it, "satisfied"), sb),
		     pct(jnum(it, "share_satisfied"), pb));
	tbl_heading(&t, "Money paid");
	if (!cJSON_GetArraySize(jget(root, "money")))
		cmp_buf_adds(b, "  (none)\n");
	cJSON_ArrayForEach(it, jget(root, "money")) {
		cmp_buf_adds(b, "  ");
		cell(b, cmp_report_label(r->cfg, "resolution.type", jstr(it, "type")),
		     16, 0);
		cell(b, jstr(it, "currency") ? jstr(it, "currency") : "-", 5,
		     0);
		cell(b, num(jnum(it, "count"), nb), 6, 1);
		snprintf(sb, sizeof(sb), "%.2f", jnum(it, "amount"));
		cell(b, sb, 14, 1);
		cmp_buf_addc(b, '\n');
	}
	tbl_heading(&t, "Pareto: the categories making up 80%% (*)");
	tbl_pareto(&t, jget(jpath(root, "pareto", "category"), "items"));
	if (cJSON_GetArraySize(jget(jpath(root, "pareto", "root_cause"),
				    "items"))) {
		tbl_heading(&t, "Pareto: root causes, where recorded");
		tbl_pareto(&t, jget(jpath(root, "pareto", "root_cause"),
				    "items"));
	}
	tbl_control(&t);
	it = jget(root, "trend");
	tbl_heading(&t, "Received per %s", jstr(it, "unit"));
	{
		const cJSON *bk;
		double max = cmp_render_max(jget(it, "buckets"), "count");

		cJSON_ArrayForEach(bk, jget(it, "buckets")) {
			cmp_buf_adds(b, "  ");
			cell(b, jstr(bk, "label"), 16, 0);
			cell(b, num(jnum(bk, "count"), nb), 7, 1);
			cmp_buf_adds(b, "  ");
			cmp_render_bar(b, jnum(bk, "count"), max,
				  width - 29 > 40 ? 40 : width - 29);
			cmp_buf_addc(b, '\n');
		}
	}
}

/* ------------------------------------------------------------------ */
/* CSV                                                                 */
/* ------------------------------------------------------------------ */

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

static void
csv_items(struct cmp_buf *b, const char *section, const cJSON *items)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, items)
		csv_row(b, section, jstr(it, "key"), jstr(it, "label"),
			jnum(it, "count"));
}

void
cmp_render_csv(const struct cmp_report *r, struct cmp_buf *b)
{
	const cJSON *root = r->root, *it;
	char sec[128];

	if (r->nby) {
		/* One row per group: the fields, then the count. */
		for (size_t k = 0; k < r->nby; k++) {
			cmp_csv_cell(b, r->by[k], ',');
			cmp_buf_addc(b, ',');
		}
		cmp_buf_adds(b, "count\r\n");
		cJSON_ArrayForEach(it, jget(root, "groups")) {
			for (size_t k = 0; k < r->nby; k++) {
				const cJSON *v = jget(it, r->by[k]);
				char nb[32];

				if (cJSON_IsString(v))
					cmp_csv_cell(b, v->valuestring, ',');
				else if (cJSON_IsNumber(v))
					cmp_buf_adds(b, num(v->valuedouble,
							    nb));
				else if (cJSON_IsBool(v))
					cmp_buf_adds(b, cJSON_IsTrue(v) ?
						     "true" : "false");
				cmp_buf_addc(b, ',');
			}
			cmp_buf_addf(b, "%.0f\r\n", jnum(it, "count"));
		}
		return;
	}
	/* The figures, one per row: section, key, label, value. */
	cmp_buf_adds(b, "section,key,label,value\r\n");
	for (size_t i = 0; i < CMP_ARRAY_LEN(cmp_render_count_names); i++)
		csv_row(b, "counts", cmp_render_count_names[i], NULL,
			jnum(jget(root, "counts"), cmp_render_count_names[i]));
	for (size_t i = 0; i < CMP_ARRAY_LEN(cmp_render_breakdown_titles); i++) {
		snprintf(sec, sizeof(sec), "by.%s", cmp_render_breakdown_titles[i][0]);
		csv_items(b, sec, jpath(root, "breakdowns",
					cmp_render_breakdown_titles[i][0]));
	}
	for (int k = 0; k < CMP_DL_COUNT; k++) {
		static const char *const f[] = {
			"due", "met", "missed", "pending", "share_met",
			"measured", "median_seconds", "p90_seconds"
		};
		const cJSON *d = jpath(root, "deadlines",
				       cmp_deadline_names[k]);

		snprintf(sec, sizeof(sec), "deadlines.%s",
			 cmp_deadline_names[k]);
		for (size_t i = 0; i < CMP_ARRAY_LEN(f); i++)
			csv_row(b, sec, f[i], NULL, jnum(d, f[i]));
	}
	csv_row(b, "overdue", "count", NULL,
		jnum(jget(root, "overdue"), "count"));
	cJSON_ArrayForEach(it, jpath(root, "overdue", "complaints")) {
		char id[32];

		snprintf(id, sizeof(id), "%.0f", jnum(it, "id"));
		csv_row(b, "overdue.complaint", id, jstr(it, "ref"),
			jnum(it, "overdue_seconds"));
	}
	{
		static const char *const f[] = {
			"due", "done", "scored", "average_satisfaction",
			"satisfied", "share_satisfied", "bar"
		};

		for (size_t i = 0; i < CMP_ARRAY_LEN(f); i++)
			csv_row(b, "followup", f[i], NULL,
				jnum(jget(root, "followup"), f[i]));
	}
	cJSON_ArrayForEach(it, jget(root, "money")) {
		csv_row(b, "money.count", jstr(it, "type"),
			jstr(it, "currency"), jnum(it, "count"));
		csv_row(b, "money.amount", jstr(it, "type"),
			jstr(it, "currency"), jnum(it, "amount"));
	}
	csv_items(b, "pareto.category",
		  jget(jpath(root, "pareto", "category"), "items"));
	csv_items(b, "pareto.root_cause",
		  jget(jpath(root, "pareto", "root_cause"), "items"));
	cJSON_ArrayForEach(it, jpath(root, "control", "categories")) {
		csv_row(b, "control.count", jstr(it, "key"), jstr(it, "label"),
			jnum(it, "count"));
		csv_row(b, "control.ucl", jstr(it, "key"), jstr(it, "label"),
			jnum(it, "ucl"));
		csv_row(b, "control.alert", jstr(it, "key"), jstr(it, "label"),
			cJSON_IsTrue(jget(it, "alert")));
	}
	cJSON_ArrayForEach(it, jpath(root, "trend", "buckets"))
		csv_row(b, "trend", jstr(it, "label"), NULL,
			jnum(it, "count"));
}

/* ------------------------------------------------------------------ */
/* Markdown                                                            */
/* ------------------------------------------------------------------ */

/* A table cell: pipes escaped, line breaks as spaces. */
static void
md_cell(struct cmp_buf *b, const char *s)
{
	cmp_buf_adds(b, " ");
	for (; s && *s; s++) {
		if (*s == '|')
			cmp_buf_adds(b, "\\|");
		else if (*s == '\n' || *s == '\r' || *s == '\t')
			cmp_buf_addc(b, ' ');
		else if ((unsigned char)*s >= 0x20 && *s != 0x7f)
			cmp_buf_addc(b, *s);
	}
	cmp_buf_adds(b, " |");
}

static void
md_items(struct cmp_buf *b, const char *what, const cJSON *items, int cum)
{
	const cJSON *it;
	double max = cmp_render_max(items, "count");
	size_t n = 0;

	cmp_buf_addf(b, "\n| %s | count | share |%s |\n|---|---:|---:|%s---|\n",
		     what, cum ? " cumulative |" : "", cum ? "---:|" : "");
	cJSON_ArrayForEach(it, items) {
		char nb[32], pb[16];
		struct cmp_buf bar = CMP_BUF_INIT;

		if (n++ == 2 * SHOW_ROWS)
			break;
		cmp_buf_adds(b, "|");
		if (cum && cJSON_IsTrue(jget(it, "vital"))) {
			struct cmp_buf bold = CMP_BUF_INIT;

			cmp_buf_addf(&bold, "**%s**", jstr(it, "label"));
			md_cell(b, cmp_buf_str(&bold));
			cmp_buf_release(&bold);
		} else {
			md_cell(b, jstr(it, "label"));
		}
		md_cell(b, num(jnum(it, "count"), nb));
		md_cell(b, pct(jnum(it, "share"), pb));
		if (cum)
			md_cell(b, pct(jnum(it, "cumulative"), pb));
		cmp_render_bar(&bar, jnum(it, "count"), max, 20);
		md_cell(b, cmp_buf_str(&bar));
		cmp_buf_release(&bar);
		cmp_buf_addc(b, '\n');
	}
}

void
cmp_render_markdown(const struct cmp_report *r, struct cmp_buf *b)
{
	const cJSON *root = r->root, *p = jget(root, "period"), *it;
	char a[CMP_TIME_BUFSZ], u[CMP_TIME_BUFSZ], nb[32], pb[16], sb[32],
	     s2[32];

	cmp_buf_addf(b, "# Complaints: %s\n\n", r->name);
	cmp_buf_addf(b, "%s to %s (%s)", cmp_render_local(r, jstr(p, "since"), a),
		     cmp_render_local(r, jstr(p, "until"), u), cmp_render_zone(r));
	if (r->as_of)
		cmp_buf_addf(b, ", as the data stood at %s",
			     cmp_render_local(r, jstr(p, "as_of"), a));
	cmp_buf_adds(b, ".\n");
	if (r->nby) {
		cmp_buf_adds(b, "\n|");
		for (size_t k = 0; k < r->nby; k++)
			md_cell(b, r->by[k]);
		cmp_buf_adds(b, " count |\n|");
		for (size_t k = 0; k < r->nby; k++)
			cmp_buf_adds(b, "---|");
		cmp_buf_adds(b, "---:|\n");
		cJSON_ArrayForEach(it, jget(root, "groups")) {
			cmp_buf_adds(b, "|");
			for (size_t k = 0; k < r->nby; k++)
				md_cell(b, cmp_render_value_label(r, r->by[k],
						       jget(it, r->by[k]), nb));
			md_cell(b, num(jnum(it, "count"), nb));
			cmp_buf_addc(b, '\n');
		}
		cmp_buf_addf(b, "\nTotal: %s.\n", num(jnum(root, "total"), nb));
		return;
	}
	cJSON_ArrayForEach(it, jpath(root, "control", "categories")) {
		if (!cJSON_IsTrue(jget(it, "alert")))
			continue;
		cmp_buf_addf(b, "\n> **ALERT**: %s has %s complaints, above "
			     "its control limit %s.\n", jstr(it, "label"),
			     num(jnum(it, "count"), nb), num(jnum(it, "ucl"),
							     sb));
	}
	cmp_buf_adds(b, "\n## Counts\n\n| figure | count |\n|---|---:|\n");
	for (size_t i = 0; i < CMP_ARRAY_LEN(cmp_render_count_names); i++)
		cmp_buf_addf(b, "| %s | %s |\n", cmp_render_count_titles[i],
			     num(jnum(jget(root, "counts"), cmp_render_count_names[i]),
				 nb));
	for (size_t i = 0; i < CMP_ARRAY_LEN(cmp_render_breakdown_titles); i++) {
		cmp_buf_addf(b, "\n## By %s\n", cmp_render_breakdown_titles[i][1]);
		md_items(b, cmp_render_breakdown_titles[i][1],
			 jpath(root, "breakdowns", cmp_render_breakdown_titles[i][0]), 0);
	}
	cmp_buf_adds(b, "\n## Deadlines\n\nMet in time, pauses counted.\n\n"
		     "| deadline | due | met | missed | pending | met % |"
		     " median | p90 |\n|---|---:|---:|---:|---:|---:|---:|"
		     "---:|\n");
	for (int k = 0; k < CMP_DL_COUNT; k++) {
		const cJSON *d = jpath(root, "deadlines",
				       cmp_deadline_names[k]);

		cmp_buf_addf(b, "| %s | %s", cmp_render_deadline_titles[k],
			     num(jnum(d, "due"), nb));
		cmp_buf_addf(b, " | %s", num(jnum(d, "met"), nb));
		cmp_buf_addf(b, " | %s", num(jnum(d, "missed"), nb));
		cmp_buf_addf(b, " | %s | %s | %s | %s |\n",
			     num(jnum(d, "pending"), nb),
			     pct(jnum(d, "share_met"), pb),
			     secs(jnum(d, "median_seconds"), sb),
			     secs(jnum(d, "p90_seconds"), s2));
	}
	it = jget(root, "overdue");
	cmp_buf_addf(b, "\n## Overdue at %s: %s\n", cmp_render_local(r, jstr(it, "at"), a),
		     num(jnum(it, "count"), nb));
	if (cJSON_GetArraySize(jget(it, "complaints"))) {
		const cJSON *c;
		size_t n = 0;

		cmp_buf_adds(b, "\n| id | late by | deadlines | owner |"
			     " summary |\n|---:|---:|---|---|---|\n");
		cJSON_ArrayForEach(c, jget(it, "complaints")) {
			struct cmp_buf dl = CMP_BUF_INIT;
			const cJSON *d;

			if (n++ == SHOW_OVERDUE)
				break;
			cJSON_ArrayForEach(d, jget(c, "deadlines")) {
				if (dl.len)
					cmp_buf_adds(&dl, ", ");
				cmp_buf_adds(&dl, d->valuestring);
			}
			cmp_buf_adds(b, "|");
			md_cell(b, num(jnum(c, "id"), nb));
			md_cell(b, secs(jnum(c, "overdue_seconds"), sb));
			md_cell(b, cmp_buf_str(&dl));
			md_cell(b, jstr(c, "owner"));
			md_cell(b, jstr(c, "summary"));
			cmp_buf_addc(b, '\n');
			cmp_buf_release(&dl);
		}
	}
	it = jget(root, "followup");
	cmp_buf_addf(b, "\n## Follow-up\n\n| figure | value |\n|---|---:|\n"
		     "| due | %s |\n", num(jnum(it, "due"), nb));
	cmp_buf_addf(b, "| done | %s |\n", num(jnum(it, "done"), nb));
	cmp_buf_addf(b, "| with a score | %s |\n", num(jnum(it, "scored"), nb));
	cmp_buf_addf(b, "| average satisfaction | %s |\n",
		     num(jnum(it, "average_satisfaction"), nb));
	cmp_buf_addf(b, "| satisfied (%s or more) | %s |\n",
		     num(jnum(it, "bar"), sb), num(jnum(it, "satisfied"), nb));
	cmp_buf_addf(b, "| share satisfied | %s |\n",
		     pct(jnum(it, "share_satisfied"), pb));
	cmp_buf_adds(b, "\n## Money paid\n");
	if (cJSON_GetArraySize(jget(root, "money"))) {
		cmp_buf_adds(b, "\n| resolution | currency | count | amount |\n"
			     "|---|---|---:|---:|\n");
		cJSON_ArrayForEach(it, jget(root, "money")) {
			cmp_buf_adds(b, "|");
			md_cell(b, cmp_report_label(r->cfg, "resolution.type",
					     jstr(it, "type")));
			md_cell(b, jstr(it, "currency"));
			md_cell(b, num(jnum(it, "count"), nb));
			snprintf(sb, sizeof(sb), "%.2f", jnum(it, "amount"));
			md_cell(b, sb);
			cmp_buf_addc(b, '\n');
		}
	} else {
		cmp_buf_adds(b, "\nNone.\n");
	}
	cmp_buf_adds(b, "\n## Pareto\n\nThe categories that make up 80% of "
		     "the complaints (the vital few are in bold).\n");
	{
		const cJSON *items = jget(jpath(root, "pareto", "category"),
					  "items");

		md_items(b, "category", items, 1);
	}
	if (cJSON_GetArraySize(jget(jpath(root, "pareto", "root_cause"),
				    "items"))) {
		cmp_buf_adds(b, "\nRoot causes, where recorded:\n");
		md_items(b, "root cause", jget(jpath(root, "pareto",
						     "root_cause"), "items"),
			 1);
	}
	it = jget(root, "control");
	cmp_buf_addf(b, "\n## Control chart\n\nEach category's count against "
		     "the %s preceding periods: centre line and upper control"
		     " limit (centre + %s sigma).\n\n| category | count | "
		     "centre | UCL | history | |\n"
		     "|---|---:|---:|---:|---|---|\n",
		     num(jnum(it, "baseline_used"), nb),
		     num(jnum(it, "sigma"), sb));
	{
		const cJSON *c;

		cJSON_ArrayForEach(c, jget(it, "categories")) {
			struct cmp_buf sp = CMP_BUF_INIT;
			size_t n;
			double *v = cmp_render_control_values(c, &n);

			cmp_render_sparkline(&sp, v, n);
			cmp_buf_adds(b, "|");
			md_cell(b, jstr(c, "label"));
			md_cell(b, num(jnum(c, "count"), nb));
			md_cell(b, num(jnum(c, "centre"), nb));
			md_cell(b, num(jnum(c, "ucl"), nb));
			md_cell(b, cmp_buf_str(&sp));
			md_cell(b, cJSON_IsTrue(jget(c, "alert")) ?
				"**ALERT**" : "");
			cmp_buf_addc(b, '\n');
			cmp_buf_release(&sp);
			free(v);
		}
	}
	it = jget(root, "trend");
	cmp_buf_addf(b, "\n## Received per %s\n\n| %s | count | |\n"
		     "|---|---:|---|\n", jstr(it, "unit"), jstr(it, "unit"));
	{
		const cJSON *bk;
		double max = cmp_render_max(jget(it, "buckets"), "count");

		cJSON_ArrayForEach(bk, jget(it, "buckets")) {
			struct cmp_buf bar = CMP_BUF_INIT;

			cmp_render_bar(&bar, jnum(bk, "count"), max, 20);
			cmp_buf_adds(b, "|");
			md_cell(b, jstr(bk, "label"));
			md_cell(b, num(jnum(bk, "count"), nb));
			md_cell(b, cmp_buf_str(&bar));
			cmp_buf_addc(b, '\n');
			cmp_buf_release(&bar);
		}
	}
}

