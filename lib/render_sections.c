/*
 * render_sections.c - the report's sections, described once, and the
 * walk that shows them in a format; the one entry point that picks a
 * format (cmp_report_write).
 *
 * Every format is rendered from the report's JSON tree alone (never
 * from the store), so they never disagree with the JSON or each other.
 * The formats themselves: render_text.c (table, Markdown), render_csv.c
 * and render_html.c (HTML with SVG charts); what they share is in
 * render.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "complaint.h"
#include "render.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/* the sections, in the order the report shows them                    */
/* ------------------------------------------------------------------ */

/* The deadlines' names for people (cmp_deadline_names[] their keys). */
static const char *const deadline_titles[CMP_DL_COUNT] = {
	"acknowledge", "first reply", "resolve"
};

/* The sections' columns and figures, in order (CSV writes every figure,
   the other formats those shown in them). */
static const struct rpt_column count_cols[] = {
	{.key = "received", .title = "received"},
	{.key = "acknowledged", .title = "acknowledged"},
	{.key = "replied", .title = "replied"},
	{.key = "resolved", .title = "resolved"},
	{.key = "closed", .title = "closed"},
	{.key = "rejected", .title = "rejected"},
	{.key = "duplicates", .title = "duplicates"},
	{.key = "reopened", .title = "reopened"},
	{.key = "backlog", .title = "open at the end"},
};

static const struct rpt_column deadline_cols[] = {
	{.title = "deadline", .how = RPT_TEXT, .width = -12},
	{.key = "due", .title = "due", .width = 8},
	{.key = "met", .title = "met", .width = 8},
	{.key = "missed", .title = "missed", .width = 8},
	{.key = "pending", .title = "pending", .width = 9},
	{.key = "share_met", .title = "met %", .how = RPT_PCT, .width = 9},
	{.key = "measured", .title = "measured", .only = RPT_CSV},
	{.key = "median_seconds", .title = "median", .html = "median time",
	 .how = RPT_SECS, .width = 10},
	{.key = "p90_seconds", .title = "p90", .html = "90th percentile",
	 .how = RPT_SECS, .width = 10},
	{.key = "counted", .title = "counted", .tty = "counts",
	 .how = RPT_TEXT, .under = 1},
};

static const struct rpt_column overdue_cols[] = {
	{.key = "id", .title = "id", .width = 8},
	{.key = "ref", .title = "ref", .how = RPT_TEXT, .only = RPT_HTML},
	{.key = "overdue_seconds", .title = "late by", .how = RPT_SECS,
	 .width = 8},
	{.key = "deadlines", .title = "deadlines", .how = RPT_JOIN,
	 .width = -18},
	{.key = "severity", .title = "severity", .how = RPT_TEXT,
	 .only = RPT_HTML},
	{.key = "owner", .title = "owner", .how = RPT_TEXT, .width = -10},
	{.key = "customer", .title = "customer", .how = RPT_TEXT,
	 .only = RPT_HTML},
	{.key = "summary", .title = "summary", .how = RPT_TEXT, .cut = 60},
};
static const struct rpt_csv overdue_csv[] = {
	{"overdue", "count", NULL, "count", 1},
	{"overdue.complaint", "id", "ref", "overdue_seconds", 0},
};

static const struct rpt_column followup_cols[] = {
	{.key = "due", .title = "due"},
	{.key = "done", .title = "done"},
	{.key = "scored", .title = "with a score", .tty = "scored"},
	{.key = "average_satisfaction", .title = "average satisfaction"},
	{.key = "satisfied", .title = "satisfied (%s or more)", .arg = "bar"},
	{.key = "share_satisfied", .title = "share satisfied", .tty = "",
	 .how = RPT_PCT, .paren = 1},
	{.key = "bar", .title = "bar", .only = RPT_CSV},
};

static const struct rpt_column money_cols[] = {
	{.key = "type", .title = "resolution", .how = RPT_LABEL,
	 .path = "resolution.type", .width = -16},
	{.key = "currency", .title = "currency", .how = RPT_TEXT, .width = -5},
	{.key = "count", .title = "count", .width = 6},
	{.key = "amount", .title = "amount", .how = RPT_MONEY, .width = 14},
};
static const struct rpt_csv money_csv[] = {
	{"money.count", "type", "currency", "count", 0},
	{"money.amount", "type", "currency", "amount", 0},
};

static const struct rpt_csv control_csv[] = {
	{"control.count", "key", "label", "count", 0},
	{"control.ucl", "key", "label", "ucl", 0},
	{"control.alert", "key", "label", "alert", 0},
};
static const struct rpt_csv trend_csv[] = {
	{"trend", "label", NULL, "count", 0},
};

#define COLS(a) .cols = a, .ncols = CMP_ARRAY_LEN(a)
#define CSV(a) .csv = a, .ncsv = CMP_ARRAY_LEN(a)
/* A tally's items in CSV: key, label, count. */
#define TALLY_CSV(section) \
	.csv = (const struct rpt_csv[]){ \
		{section, "key", "label", "count", 0} \
	}, .ncsv = 1
#define BREAKDOWN(field, name) { \
	.kind = RPT_ITEMS, .key = "breakdowns", .sub = field, \
	.title = "By " name, .what = name, .group = "Breakdowns", \
	TALLY_CSV("by." field) }

/*
 * The report's sections in the order the formats show them (HTML puts
 * the RPT_LEAD ones first).  A new section of a kind the formats know is
 * one entry here; a new kind is a way to show it in each format.
 */
static const struct rpt_section sections[] = {
	{.kind = RPT_ALERTS, .key = "control", .flags = RPT_LEAD},
	{.kind = RPT_FIGURES, .key = "counts", .title = "Counts",
	 .what = "count", COLS(count_cols), .flags = RPT_LEAD | RPT_BIG},
	BREAKDOWN("category", "category"),
	BREAKDOWN("channel", "channel"),
	BREAKDOWN("department", "department"),
	BREAKDOWN("severity", "severity"),
	BREAKDOWN("customer.tier", "customer tier"),
	BREAKDOWN("product.name", "product"),
	{.kind = RPT_GRID, .key = "deadlines", .title = "Deadlines",
	 .tty = "Deadlines (each in the period it fell due; pauses counted)",
	 .note = "Each deadline counts in the period in which it fell due: "
		"met in time, missed, or pending; the median and p90 are "
		"of the time taken by those met.  Pauses counted.",
	 .html_note = "Each deadline counts in the period in which it fell "
		"due, whenever the work was done: met in time, missed (met "
		"late or not at all, with the complaint open and its clock "
		"running when it fell due; time spent waiting on the "
		"customer does not count), or pending; the median and 90th "
		"percentile are of the time taken by those met.",
	 COLS(deadline_cols), .names = cmp_deadline_names,
	 .titles = deadline_titles, .nnames = CMP_DL_COUNT},
	{.kind = RPT_LIST, .key = "overdue", .rows = "complaints",
	 .title = "Overdue at %s: %s",
	 .args = {{"at", RPT_TIME}, {"count", RPT_NUM}},
	 COLS(overdue_cols), .gap = 2, .limit = SHOW_OVERDUE,
	 CSV(overdue_csv)},
	{.kind = RPT_FIGURES, .key = "followup", .title = "Follow-up",
	 .what = "value", COLS(followup_cols), .flags = RPT_INLINE},
	{.kind = RPT_LIST, .key = "money", .title = "Money paid",
	 COLS(money_cols), CSV(money_csv), .flags = RPT_SAY_NONE | RPT_BARE},
	{.kind = RPT_PARETO, .key = "pareto", .sub = "category",
	 .rows = "items", .title = "Pareto",
	 .tty = "Pareto: the categories making up 80%% (*)",
	 .note = "The categories that make up 80%% of the complaints (the "
		"vital few are in bold).",
	 .html_note = "The categories that make up 80%% of the complaints "
		"(dark bars), with the cumulative share.",
	 .what = "category", TALLY_CSV("pareto.category"),
	 .flags = RPT_CHART},
	{.kind = RPT_PARETO, .key = "pareto", .sub = "root_cause",
	 .rows = "items", .tty = "Pareto: root causes, where recorded",
	 .note = "Root causes, where recorded:", .what = "root cause",
	 TALLY_CSV("pareto.root_cause"), .flags = RPT_IF_ANY},
	{.kind = RPT_CONTROL, .key = "control", .rows = "categories",
	 .title = "Control chart", .html = "Control charts",
	 .tty = "Control chart: each category against the %s preceding "
		"periods (%s sigma)",
	 .note = "Each category's count against the %s preceding periods: "
		"centre line and upper control limit (centre + %s sigma).",
	 .html_note = "Each category's count per period: the %s preceding "
		"periods and this one, the centre line (their mean) and the "
		"upper control limit (centre + %s&#8730;centre, dashed).",
	 .args = {{"baseline_used", RPT_NUM}, {"sigma", RPT_NUM}},
	 .what = "category", CSV(control_csv)},
	{.kind = RPT_TREND, .key = "trend", .rows = "buckets",
	 .title = "Received per %s", .args = {{"unit", RPT_TEXT}},
	 CSV(trend_csv), .flags = RPT_LEAD},
};

/* ------------------------------------------------------------------ */
/* the walk                                                            */
/* ------------------------------------------------------------------ */

static const cJSON *
section_value(const cJSON *root, const struct rpt_section *s)
{
	const cJSON *v = jget(root, s->key);

	return s->sub ? jget(v, s->sub) : v;
}

static int
same_group(const struct rpt_section *s, const char *group)
{
	return s->group && !strcmp(s->group, group);
}

/*
 * Show the report in format f: its head, then --by's groups or every
 * section in the table's order (HTML: the leading ones first), each by
 * the format's way with its kind; groups of sections opened before the
 * first of them and closed after the last.
 */
static void
walk(const struct rpt_format *f, struct rpt_out *o)
{
	const struct rpt_section *shown[CMP_ARRAY_LEN(sections)];
	const cJSON *value[CMP_ARRAY_LEN(sections)];
	size_t n = 0;

	f->head(o);
	if (o->r->nby) {
		f->pivot(o);
		goto foot;
	}
	for (int pass = 0; pass < (f->lead_first ? 2 : 1); pass++) {
		for (size_t i = 0; i < CMP_ARRAY_LEN(sections); i++) {
			const struct rpt_section *s = &sections[i];
			const cJSON *v = section_value(o->r->root, s);

			if (f->lead_first &&
			    !(s->flags & RPT_LEAD) != (pass == 1))
				continue;
			if (!v || !f->show[s->kind])
				continue;
			if ((s->flags & RPT_IF_ANY) &&
			    !cJSON_GetArraySize(cmp_render_rows(s, v)))
				continue;
			shown[n] = s;
			value[n++] = v;
		}
	}
	for (size_t i = 0; i < n; i++) {
		const char *g = shown[i]->group;

		if (g && f->group && (!i || !same_group(shown[i - 1], g)))
			f->group(o, g, 1);
		f->show[shown[i]->kind](o, shown[i], value[i]);
		if (g && f->group && (i + 1 == n ||
				      !same_group(shown[i + 1], g)))
			f->group(o, g, 0);
	}
foot:
	if (f->foot)
		f->foot(o);
}

/* ------------------------------------------------------------------ */
/* the entry point                                                     */
/* ------------------------------------------------------------------ */

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
	struct rpt_out o = {r, &b, width > 40 ? width : 40,
			    (r->flags & CMP_REPORT_COLOR) != 0};
	char *s;

	switch (fmt) {
	case CMP_REPORT_JSON:
		s = cJSON_PrintUnformatted(r->root);
		cmp_buf_adds(&b, s);
		cmp_buf_addc(&b, '\n');
		cJSON_free(s);
		break;
	case CMP_REPORT_TABLE:
		walk(&cmp_render_tty, &o);
		strip_trailing(&b);
		break;
	case CMP_REPORT_CSV:
		walk(&cmp_render_csv, &o);
		break;
	case CMP_REPORT_MARKDOWN:
		walk(&cmp_render_md, &o);
		break;
	case CMP_REPORT_HTML:
		walk(&cmp_render_html, &o);
		break;
	}
	fwrite(cmp_buf_str(&b), 1, b.len, fp);
	cmp_buf_release(&b);
	if (fflush(fp) || ferror(fp))
		return cmp_error_set(e, CMP_EX_IOERR, NULL,
				     "cannot write the report");
	return 0;
}
