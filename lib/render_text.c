/*
 * render_text.c - the report as text for people: a table for a
 * terminal (block character bars, sparklines) and Markdown.  Each is a
 * way to show each kind of section (render.h); which sections, in what
 * order, with what headings and columns is render_sections.c's table.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "complaint.h"
#include "render.h"

/* ------------------------------------------------------------------ */
/* table: for a terminal                                               */
/* ------------------------------------------------------------------ */

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

/* A heading: bold in colour, cut to the terminal's width. */
static void
tbl_heading(struct rpt_out *t, const char *text)
{
	struct cmp_buf c = CMP_BUF_INIT;

	cmp_buf_addc(t->b, '\n');
	if (t->color)
		cmp_buf_adds(t->b, "\033[1m");
	cmp_term_cell(&c, text, (size_t)t->width);
	cmp_buf_add(t->b, cmp_buf_str(&c), c.len);
	cmp_buf_release(&c);
	if (t->color)
		cmp_buf_adds(t->b, "\033[0m");
	cmp_buf_addc(t->b, '\n');
}

/* The section's heading, the table's wording. */
static void
tbl_section(struct rpt_out *t, const struct rpt_section *s, const cJSON *v)
{
	const char *fmt = s->tty ? s->tty : s->title;
	struct cmp_buf h = CMP_BUF_INIT;

	if (!fmt)
		return;
	cmp_render_text(t, s, v, fmt, &h);
	tbl_heading(t, cmp_buf_str(&h));
	cmp_buf_release(&h);
}

/* Rows of label, count, share and a bar; at most SHOW_ROWS. */
static void
tbl_bars(struct rpt_out *t, const cJSON *items)
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
		cell(t->b, cmp_render_num(jnum(it, "count"), nb), 7, 1);
		cmp_buf_adds(t->b, "  ");
		cell(t->b, cmp_render_pct(jnum(it, "share"), pb), 6, 1);
		cmp_buf_adds(t->b, "  ");
		cmp_render_bar(t->b, jnum(it, "count"), max, bw);
		cmp_buf_addc(t->b, '\n');
	}
	if (rest > 0) {
		char nb[32];

		cmp_buf_adds(t->b, "  ");
		cell(t->b, "(others)", lw, 0);
		cmp_buf_adds(t->b, "  ");
		cell(t->b, cmp_render_num(rest, nb), 7, 1);
		cmp_buf_addc(t->b, '\n');
	}
}

static void
tbl_items(struct rpt_out *t, const struct rpt_section *s, const cJSON *v)
{
	tbl_section(t, s, v);
	tbl_bars(t, cmp_render_rows(s, v));
}

/* Label, count, cumulative share, the vital few starred. */
static void
tbl_pareto(struct rpt_out *t, const struct rpt_section *s, const cJSON *v)
{
	const cJSON *items = cmp_render_rows(s, v), *it;
	size_t lw = label_width(items, 40), shown = 0;

	tbl_section(t, s, v);
	cJSON_ArrayForEach(it, items) {
		char nb[32], pb[16];

		if (shown++ == SHOW_ROWS)
			break;
		cmp_buf_adds(t->b, cJSON_IsTrue(jget(it, "vital")) ? "* " :
			     "  ");
		cell(t->b, jstr(it, "label"), lw, 0);
		cmp_buf_adds(t->b, "  ");
		cell(t->b, cmp_render_num(jnum(it, "count"), nb), 7, 1);
		cmp_buf_adds(t->b, "  ");
		cell(t->b, cmp_render_pct(jnum(it, "cumulative"), pb), 6, 1);
		cmp_buf_addc(t->b, '\n');
	}
}

/* Named numbers: a row each, or (RPT_INLINE) one line of them. */
static void
tbl_figures(struct rpt_out *t, const struct rpt_section *s, const cJSON *v)
{
	int inline_ = (s->flags & RPT_INLINE) != 0, first = 1;
	struct cmp_buf title = CMP_BUF_INIT;
	char buf[64];

	tbl_section(t, s, v);
	if (inline_)
		cmp_buf_adds(t->b, "  ");
	for (size_t i = 0; i < s->ncols; i++) {
		const struct rpt_column *c = &s->cols[i];
		const char *val;

		if (!rpt_shows(c, RPT_TTY))
			continue;
		cmp_buf_reset(&title);
		cmp_render_title(c, v, RPT_TTY, &title);
		val = cmp_render_value(t, c, v, buf, NULL, NULL);
		if (!inline_) {
			cmp_buf_adds(t->b, "  ");
			cell(t->b, cmp_buf_str(&title), 18, 0);
			cell(t->b, val, 8, 1);
			cmp_buf_addc(t->b, '\n');
			continue;
		}
		if (!first)
			cmp_buf_adds(t->b, ", ");
		first = 0;
		if (title.len) {
			cmp_buf_add(t->b, title.s, title.len);
			cmp_buf_addc(t->b, ' ');
		}
		cmp_buf_adds(t->b, val ? val : "-");
	}
	if (inline_)
		cmp_buf_addc(t->b, '\n');
	cmp_buf_release(&title);
}

/*
 * One line of columns: of row (name: a GRID row's), or with row NULL the
 * columns' headings.  A column of width 0 takes the rest of the line.
 */
static void
tbl_line(struct rpt_out *t, const struct rpt_section *s, const cJSON *row,
	 const char *name)
{
	struct cmp_buf join = CMP_BUF_INIT, title = CMP_BUF_INIT;
	int rest = t->width - 2, first = 1;
	char buf[64];

	for (size_t i = 0; i < s->ncols; i++)
		if (rpt_shows(&s->cols[i], RPT_TTY) && s->cols[i].width)
			rest -= abs(s->cols[i].width) + s->gap;
	if (rest < 10)
		rest = 10;
	cmp_buf_adds(t->b, "  ");
	for (size_t i = 0; i < s->ncols; i++) {
		const struct rpt_column *c = &s->cols[i];
		const char *val;

		if (!rpt_shows(c, RPT_TTY) || c->under)
			continue;
		if (!first)
			spaces(t->b, (size_t)s->gap);
		first = 0;
		if (!row) {
			cmp_buf_reset(&title);
			cmp_render_title(c, NULL, RPT_TTY, &title);
			val = cmp_buf_str(&title);
		} else if (!c->key) {
			val = name;
		} else {
			val = cmp_render_value(t, c, row, buf, &join, ",");
		}
		if (!c->width)
			cmp_term_cell(t->b, val, (size_t)rest);
		else
			cell(t->b, val || !row ? val : "-",
			     (size_t)abs(c->width), cmp_render_numeric(c));
	}
	cmp_buf_addc(t->b, '\n');
	cmp_buf_release(&join);
	cmp_buf_release(&title);
}

/* A grid's columns that go under it: a line each per row ("acknowledge
   counts complaints whose ..."), too long for a cell. */
static void
tbl_under(struct rpt_out *t, const struct rpt_section *s, const cJSON *v)
{
	char buf[64];

	for (size_t i = 0; i < s->ncols; i++) {
		const struct rpt_column *c = &s->cols[i];

		if (!c->under || !rpt_shows(c, RPT_TTY))
			continue;
		for (size_t k = 0; k < s->nnames; k++) {
			const char *val = cmp_render_value(t, c,
				jget(v, s->names[k]), buf, NULL, NULL);

			const char *title = c->tty ? c->tty : c->title;
			int rest = t->width - 4 - (int)strlen(s->titles[k]) -
				   (int)strlen(title);

			if (!val)
				continue;
			cmp_buf_addf(t->b, "  %s %s ", s->titles[k], title);
			cmp_term_cell(t->b, val, (size_t)(rest < 20 ? 20 :
							  rest));
			cmp_buf_addc(t->b, '\n');
		}
	}
}

static void
tbl_grid(struct rpt_out *t, const struct rpt_section *s, const cJSON *v)
{
	tbl_section(t, s, v);
	tbl_line(t, s, NULL, NULL);
	for (size_t k = 0; k < s->nnames; k++)
		tbl_line(t, s, jget(v, s->names[k]), s->titles[k]);
	tbl_under(t, s, v);
}

static void
tbl_list(struct rpt_out *t, const struct rpt_section *s, const cJSON *v)
{
	const cJSON *rows = cmp_render_rows(s, v), *it;
	size_t n = (size_t)cJSON_GetArraySize(rows), shown = 0;

	tbl_section(t, s, v);
	if (!n) {
		if (s->flags & RPT_SAY_NONE)
			cmp_buf_adds(t->b, "  (none)\n");
		return;
	}
	if (!(s->flags & RPT_BARE))
		tbl_line(t, s, NULL, NULL);
	cJSON_ArrayForEach(it, rows) {
		if (s->limit && shown++ == s->limit) {
			cmp_buf_addf(t->b, "  ... and %d more\n",
				     (int)(n - s->limit));
			break;
		}
		tbl_line(t, s, it, NULL);
	}
}

static void
tbl_head(struct rpt_out *t)
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
		     cmp_render_local(t->r, jstr(p, "until"), u),
		     cmp_render_zone(t->r));
	if (t->r->as_of)
		cmp_buf_addf(t->b, "as the data stood at %s\n",
			     cmp_render_local(t->r, jstr(p, "as_of"), a));
}

static void
tbl_pivot(struct rpt_out *t)
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
			size_t x = cmp_term_width(cmp_render_value_label(
				r, r->by[k], jget(g, r->by[k]), nb));

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
			cell(t->b, cmp_render_value_label(r, r->by[k],
							  jget(g, r->by[k]),
							  nb), w[k], 0);
			cmp_buf_adds(t->b, "  ");
		}
		cell(t->b, cmp_render_num(jnum(g, "count"), nb), 7, 1);
		cmp_buf_adds(t->b, "  ");
		cmp_render_bar(t->b, jnum(g, "count"), max, bw);
		cmp_buf_addc(t->b, '\n');
	}
	cmp_buf_addf(t->b, "total %s\n",
		     cmp_render_num(jnum(r->root, "total"), nb));
	free(w);
}

static void
tbl_alerts(struct rpt_out *t, const struct rpt_section *s, const cJSON *v)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, jget(v, "categories")) {
		char a[32], u[32];

		if (!cJSON_IsTrue(jget(c, "alert")))
			continue;
		if (t->color)
			cmp_buf_adds(t->b, "\033[1;31m");
		cmp_buf_adds(t->b, "ALERT: ");
		cmp_term_cell(t->b, jstr(c, "label"), 40);
		cmp_buf_addf(t->b, " has %s complaints, above its control "
			     "limit %s", cmp_render_num(jnum(c, "count"), a),
			     cmp_render_num(jnum(c, "ucl"), u));
		if (t->color)
			cmp_buf_adds(t->b, "\033[0m");
		cmp_buf_addc(t->b, '\n');
	}
}

static void
tbl_control(struct rpt_out *t, const struct rpt_section *s, const cJSON *v)
{
	const cJSON *cats = cmp_render_rows(s, v), *c;
	size_t lw = label_width(cats, 24);

	tbl_section(t, s, v);
	cmp_buf_adds(t->b, "  ");
	cell(t->b, s->what, lw, 0);
	cmp_buf_adds(t->b, "    count   centre      UCL  history\n");
	cJSON_ArrayForEach(c, cats) {
		char nb[32];
		size_t n;
		double *val = cmp_render_control_values(c, &n);
		int alert = cJSON_IsTrue(jget(c, "alert"));

		cmp_buf_adds(t->b, "  ");
		cell(t->b, jstr(c, "label"), lw, 0);
		cmp_buf_adds(t->b, "  ");
		cell(t->b, cmp_render_num(jnum(c, "count"), nb), 7, 1);
		cmp_buf_adds(t->b, "  ");
		cell(t->b, cmp_render_num(jnum(c, "centre"), nb), 7, 1);
		cmp_buf_adds(t->b, "  ");
		cell(t->b, cmp_render_num(jnum(c, "ucl"), nb), 7, 1);
		cmp_buf_adds(t->b, "  ");
		cmp_render_sparkline(t->b, val, n);
		if (alert) {
			cmp_buf_adds(t->b, t->color ? "  \033[1;31mALERT\033[0m"
				     : "  ALERT");
		}
		cmp_buf_addc(t->b, '\n');
		free(val);
	}
}

static void
tbl_trend(struct rpt_out *t, const struct rpt_section *s, const cJSON *v)
{
	const cJSON *buckets = cmp_render_rows(s, v), *bk;
	double max = cmp_render_max(buckets, "count");
	char nb[32];

	tbl_section(t, s, v);
	cJSON_ArrayForEach(bk, buckets) {
		cmp_buf_adds(t->b, "  ");
		cell(t->b, jstr(bk, "label"), 16, 0);
		cell(t->b, cmp_render_num(jnum(bk, "count"), nb), 7, 1);
		cmp_buf_adds(t->b, "  ");
		cmp_render_bar(t->b, jnum(bk, "count"), max,
			       t->width - 29 > 40 ? 40 : t->width - 29);
		cmp_buf_addc(t->b, '\n');
	}
}

const struct rpt_format cmp_render_tty = {
	.head = tbl_head,
	.pivot = tbl_pivot,
	.show = {
		[RPT_ALERTS] = tbl_alerts,
		[RPT_FIGURES] = tbl_figures,
		[RPT_ITEMS] = tbl_items,
		[RPT_GRID] = tbl_grid,
		[RPT_LIST] = tbl_list,
		[RPT_PARETO] = tbl_pareto,
		[RPT_CONTROL] = tbl_control,
		[RPT_TREND] = tbl_trend,
	},
};

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

/* The section's heading and note. */
static void
md_section(struct rpt_out *o, const struct rpt_section *s, const cJSON *v)
{
	if (s->title) {
		cmp_buf_adds(o->b, "\n## ");
		cmp_render_text(o, s, v, s->title, o->b);
		cmp_buf_addc(o->b, '\n');
	}
	if (s->note) {
		cmp_buf_addc(o->b, '\n');
		cmp_render_text(o, s, v, s->note, o->b);
		cmp_buf_addc(o->b, '\n');
	}
}

/* Items with count, share (cumulative too for a Pareto) and a bar. */
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
		md_cell(b, cmp_render_num(jnum(it, "count"), nb));
		md_cell(b, cmp_render_pct(jnum(it, "share"), pb));
		if (cum)
			md_cell(b, cmp_render_pct(jnum(it, "cumulative"), pb));
		cmp_render_bar(&bar, jnum(it, "count"), max, 20);
		md_cell(b, cmp_buf_str(&bar));
		cmp_buf_release(&bar);
		cmp_buf_addc(b, '\n');
	}
}

static void
md_tally(struct rpt_out *o, const struct rpt_section *s, const cJSON *v)
{
	md_section(o, s, v);
	md_items(o->b, s->what, cmp_render_rows(s, v),
		 s->kind == RPT_PARETO);
}

static void
md_figures(struct rpt_out *o, const struct rpt_section *s, const cJSON *v)
{
	char buf[64];

	md_section(o, s, v);
	cmp_buf_addf(o->b, "\n| figure | %s |\n|---|---:|\n", s->what);
	for (size_t i = 0; i < s->ncols; i++) {
		const struct rpt_column *c = &s->cols[i];

		if (!rpt_shows(c, RPT_MD))
			continue;
		cmp_buf_adds(o->b, "| ");
		cmp_render_title(c, v, RPT_MD, o->b);
		cmp_buf_addf(o->b, " | %s |\n",
			     cmp_render_value(o, c, v, buf, NULL, NULL));
	}
}

/* A table's headings: the columns', then their alignment. */
static void
md_heads(struct rpt_out *o, const struct rpt_section *s)
{
	struct cmp_buf title = CMP_BUF_INIT;

	cmp_buf_adds(o->b, "\n|");
	for (size_t i = 0; i < s->ncols; i++) {
		if (!rpt_shows(&s->cols[i], RPT_MD))
			continue;
		cmp_buf_reset(&title);
		cmp_render_title(&s->cols[i], NULL, RPT_MD, &title);
		md_cell(o->b, cmp_buf_str(&title));
	}
	cmp_buf_adds(o->b, "\n|");
	for (size_t i = 0; i < s->ncols; i++)
		if (rpt_shows(&s->cols[i], RPT_MD))
			cmp_buf_adds(o->b, cmp_render_numeric(&s->cols[i]) ?
				     "---:|" : "---|");
	cmp_buf_addc(o->b, '\n');
	cmp_buf_release(&title);
}

/* A table's row (name: a GRID row's). */
static void
md_row(struct rpt_out *o, const struct rpt_section *s, const cJSON *row,
       const char *name)
{
	struct cmp_buf join = CMP_BUF_INIT;
	char buf[64];

	cmp_buf_adds(o->b, "|");
	for (size_t i = 0; i < s->ncols; i++) {
		const struct rpt_column *c = &s->cols[i];

		if (rpt_shows(c, RPT_MD))
			md_cell(o->b, c->key ? cmp_render_value(o, c, row, buf,
								&join, ", ")
				: name);
	}
	cmp_buf_addc(o->b, '\n');
	cmp_buf_release(&join);
}

static void
md_grid(struct rpt_out *o, const struct rpt_section *s, const cJSON *v)
{
	md_section(o, s, v);
	md_heads(o, s);
	for (size_t k = 0; k < s->nnames; k++)
		md_row(o, s, jget(v, s->names[k]), s->titles[k]);
}

static void
md_list(struct rpt_out *o, const struct rpt_section *s, const cJSON *v)
{
	const cJSON *rows = cmp_render_rows(s, v), *it;
	size_t n = 0;

	md_section(o, s, v);
	if (!cJSON_GetArraySize(rows)) {
		if (s->flags & RPT_SAY_NONE)
			cmp_buf_adds(o->b, "\nNone.\n");
		return;
	}
	md_heads(o, s);
	cJSON_ArrayForEach(it, rows) {
		if (s->limit && n++ == s->limit)
			break;
		md_row(o, s, it, NULL);
	}
}

static void
md_head(struct rpt_out *o)
{
	const struct cmp_report *r = o->r;
	const cJSON *p = jget(r->root, "period");
	char a[CMP_TIME_BUFSZ], u[CMP_TIME_BUFSZ];

	cmp_buf_addf(o->b, "# Complaints: %s\n\n", r->name);
	cmp_buf_addf(o->b, "%s to %s (%s)",
		     cmp_render_local(r, jstr(p, "since"), a),
		     cmp_render_local(r, jstr(p, "until"), u),
		     cmp_render_zone(r));
	if (r->as_of)
		cmp_buf_addf(o->b, ", as the data stood at %s",
			     cmp_render_local(r, jstr(p, "as_of"), a));
	cmp_buf_adds(o->b, ".\n");
}

static void
md_pivot(struct rpt_out *o)
{
	const struct cmp_report *r = o->r;
	struct cmp_buf *b = o->b;
	const cJSON *it;
	char nb[32];

	cmp_buf_adds(b, "\n|");
	for (size_t k = 0; k < r->nby; k++)
		md_cell(b, r->by[k]);
	cmp_buf_adds(b, " count |\n|");
	for (size_t k = 0; k < r->nby; k++)
		cmp_buf_adds(b, "---|");
	cmp_buf_adds(b, "---:|\n");
	cJSON_ArrayForEach(it, jget(r->root, "groups")) {
		cmp_buf_adds(b, "|");
		for (size_t k = 0; k < r->nby; k++)
			md_cell(b, cmp_render_value_label(r, r->by[k],
							  jget(it, r->by[k]),
							  nb));
		md_cell(b, cmp_render_num(jnum(it, "count"), nb));
		cmp_buf_addc(b, '\n');
	}
	cmp_buf_addf(b, "\nTotal: %s.\n",
		     cmp_render_num(jnum(r->root, "total"), nb));
}

static void
md_alerts(struct rpt_out *o, const struct rpt_section *s, const cJSON *v)
{
	const cJSON *it;
	char nb[32], sb[32];

	cJSON_ArrayForEach(it, jget(v, "categories")) {
		if (!cJSON_IsTrue(jget(it, "alert")))
			continue;
		cmp_buf_addf(o->b, "\n> **ALERT**: %s has %s complaints, "
			     "above its control limit %s.\n",
			     jstr(it, "label"),
			     cmp_render_num(jnum(it, "count"), nb),
			     cmp_render_num(jnum(it, "ucl"), sb));
	}
}

static void
md_control(struct rpt_out *o, const struct rpt_section *s, const cJSON *v)
{
	const cJSON *c;
	char nb[32];

	md_section(o, s, v);
	cmp_buf_addf(o->b, "\n| %s | count | centre | UCL | history | |\n"
		     "|---|---:|---:|---:|---|---|\n", s->what);
	cJSON_ArrayForEach(c, cmp_render_rows(s, v)) {
		struct cmp_buf sp = CMP_BUF_INIT;
		size_t n;
		double *val = cmp_render_control_values(c, &n);

		cmp_render_sparkline(&sp, val, n);
		cmp_buf_adds(o->b, "|");
		md_cell(o->b, jstr(c, "label"));
		md_cell(o->b, cmp_render_num(jnum(c, "count"), nb));
		md_cell(o->b, cmp_render_num(jnum(c, "centre"), nb));
		md_cell(o->b, cmp_render_num(jnum(c, "ucl"), nb));
		md_cell(o->b, cmp_buf_str(&sp));
		md_cell(o->b, cJSON_IsTrue(jget(c, "alert")) ? "**ALERT**" :
			"");
		cmp_buf_addc(o->b, '\n');
		cmp_buf_release(&sp);
		free(val);
	}
}

static void
md_trend(struct rpt_out *o, const struct rpt_section *s, const cJSON *v)
{
	const cJSON *buckets = cmp_render_rows(s, v), *bk;
	double max = cmp_render_max(buckets, "count");
	char nb[32];

	md_section(o, s, v);
	cmp_buf_addf(o->b, "\n| %s | count | |\n|---|---:|---|\n",
		     jstr(v, "unit"));
	cJSON_ArrayForEach(bk, buckets) {
		struct cmp_buf bar = CMP_BUF_INIT;

		cmp_render_bar(&bar, jnum(bk, "count"), max, 20);
		cmp_buf_adds(o->b, "|");
		md_cell(o->b, jstr(bk, "label"));
		md_cell(o->b, cmp_render_num(jnum(bk, "count"), nb));
		md_cell(o->b, cmp_buf_str(&bar));
		cmp_buf_addc(o->b, '\n');
		cmp_buf_release(&bar);
	}
}

const struct rpt_format cmp_render_md = {
	.head = md_head,
	.pivot = md_pivot,
	.show = {
		[RPT_ALERTS] = md_alerts,
		[RPT_FIGURES] = md_figures,
		[RPT_ITEMS] = md_tally,
		[RPT_GRID] = md_grid,
		[RPT_LIST] = md_list,
		[RPT_PARETO] = md_tally,
		[RPT_CONTROL] = md_control,
		[RPT_TREND] = md_trend,
	},
};
