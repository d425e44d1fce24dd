/*
 * render.h - the report's formats other than JSON (lib/render*.c).
 *
 * The sections of a report are described once, in render_sections.c's
 * table: where each is in the JSON, its headings, what it shows (its
 * kind) and, for rows, their columns.  A format is a set of ways to show
 * each kind; render_sections.c walks the table and calls them, so every
 * format shows the same sections in the same order, and a new section
 * of a kind the formats know is one entry of the table.
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

/* What a section shows; a format has a way to show each. */
enum rpt_kind {
	RPT_ALERTS,	/* the categories above their control limit */
	RPT_FIGURES,	/* named numbers of one object */
	RPT_ITEMS,	/* a tally's items: label, count, share, a bar */
	RPT_GRID,	/* named rows (sub-objects) of the same columns */
	RPT_LIST,	/* an array's objects, one row each */
	RPT_PARETO,	/* items, their cumulative share, the vital few */
	RPT_CONTROL,	/* each category's count against its control limits */
	RPT_TREND,	/* counts per bucket of time */
	RPT_NKINDS
};

/* How a value is written for people (CSV writes numbers as they are). */
enum rpt_how {
	RPT_NUM,	/* 12 or 4.50; "-" for none */
	RPT_PCT,	/* a share: "80.0%" */
	RPT_SECS,	/* seconds as a duration */
	RPT_TIME,	/* an RFC 3339 time, as local time */
	RPT_TEXT,	/* as it is */
	RPT_LABEL,	/* a value of the field `path`: its label */
	RPT_JOIN,	/* an array of strings, joined */
	RPT_MONEY	/* an amount: two decimals */
};

/* The formats, for what a column shows in. */
enum { RPT_TTY = 1, RPT_MD = 2, RPT_HTML = 4, RPT_CSV = 8 };

/* A member of a section's object, for the %s of its headings. */
struct rpt_arg {
	const char *key;
	enum rpt_how how;
};

/* A column of rows, or a figure of an object. */
struct rpt_column {
	const char *key;	/* the member (GRID: NULL is the row's name) */
	const char *title;	/* its heading; "%s" takes member arg */
	const char *tty;	/* the table's, when it differs ("" none) */
	const char *html;	/* HTML's, when it differs */
	enum rpt_how how;
	int width;		/* table: cells, < 0 left aligned, 0 the rest
				   of the line */
	unsigned only;		/* shown in these formats only (0: all) */
	const char *arg;	/* fills title's %s (a figure's) */
	const char *path;	/* RPT_LABEL: the field */
	int cut;		/* HTML: at most so many characters */
	int paren;		/* HTML: in brackets after the one before */
	int under;		/* GRID, table: a line of its own under the
				   rows: the row's name, tty title, value */
};

/* A CSV row (section, key, label, value) per object of the section's
   rows: members key, label and value (key a number: written whole).
   once: one row of the section's object, key written as it is. */
struct rpt_csv {
	const char *section, *key, *label, *value;
	int once;
};

/* Section flags. */
enum {
	RPT_LEAD = 1 << 0,	/* HTML: at the top of the page */
	RPT_IF_ANY = 1 << 1,	/* shown only when it has rows */
	RPT_INLINE = 1 << 2,	/* FIGURES, table: on one line */
	RPT_BIG = 1 << 3,	/* FIGURES, HTML: the headline numbers */
	RPT_SAY_NONE = 1 << 4,	/* LIST: an empty one says so */
	RPT_BARE = 1 << 5,	/* LIST, table: no headings over the rows */
	RPT_CHART = 1 << 6	/* PARETO, HTML: a chart, not a table */
};

/*
 * A section of the report.  Headings and notes are printf formats: %s
 * takes the section's args in order, %% is a percent sign.  A heading
 * NULL: none (a note alone leads the rows in).  HTML writes its headings
 * and notes as they are: they are HTML.
 */
struct rpt_section {
	enum rpt_kind kind;
	const char *key, *sub;	/* where: root.key, or root.key.sub */
	const char *rows;	/* the rows' array in it (NULL: itself) */
	const char *title;	/* Markdown's and HTML's heading */
	const char *tty;	/* the table's heading (NULL: title) */
	const char *html;	/* HTML's heading (NULL: title) */
	const char *note;	/* Markdown: a sentence after the heading */
	const char *html_note;	/* HTML: the same (NULL: note) */
	struct rpt_arg args[2];	/* fill the headings' and notes' %s */
	const char *what;	/* what a row is, or (FIGURES) the values */
	const char *group;	/* HTML: side by side under this heading */
	const struct rpt_column *cols;
	size_t ncols;
	const char *const *names;	/* GRID: the rows' members */
	const char *const *titles;	/* GRID: their names for people */
	size_t nnames;
	int gap;		/* table: spaces between cells */
	size_t limit;		/* LIST: rows shown at most (0: all) */
	const struct rpt_csv *csv;	/* CSV's rows (FIGURES and GRID:
					   every figure, under key) */
	size_t ncsv;
	unsigned flags;
};

/* Where a format writes, and what it writes from. */
struct rpt_out {
	const struct cmp_report *r;
	struct cmp_buf *b;
	int width;		/* table: the terminal's columns */
	int color;		/* table: the terminal's colours */
};

typedef void (*rpt_show_fn)(struct rpt_out *o, const struct rpt_section *s,
			    const cJSON *v);

/* A format: a way to show each kind of section, and the page's frame. */
struct rpt_format {
	void (*head)(struct rpt_out *o);	/* the title, the period */
	void (*pivot)(struct rpt_out *o);	/* --by: groups, no sections */
	rpt_show_fn show[RPT_NKINDS];		/* NULL: not shown */
	/* Sections of one group side by side: open before the first, and
	   close after the last (NULL: no groups). */
	void (*group)(struct rpt_out *o, const char *title, int open);
	void (*foot)(struct rpt_out *o);	/* NULL: none */
	int lead_first;		/* the RPT_LEAD sections first */
};

/* render_text.c, render_csv.c, render_html.c */
extern const struct rpt_format cmp_render_tty, cmp_render_csv,
	cmp_render_md, cmp_render_html;

/* ---- reading the report's JSON ---- */

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

/* ---- render.c: values for people ---- */

/* Is column c shown in format f? */
static inline int
rpt_shows(const struct rpt_column *c, unsigned f)
{
	return !c->only || (c->only & f);
}

/* "80.0%", "-" for none (buf: 16 bytes). */
char *cmp_render_pct(double share, char *buf);
/* A duration, "-" for none (buf: 32 bytes). */
char *cmp_render_secs(double s, char *buf);
/* 12 or 4.50, "-" for none (buf: 32 bytes). */
char *cmp_render_num(double v, char *buf);
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
/*
 * Column c of row as people read it; NULL for a text that is not
 * there.  buf: 64 bytes; join: for RPT_JOIN, joined with sep (reset
 * first).  The result is in buf, join, row or the configuration.
 */
const char *cmp_render_value(const struct rpt_out *o,
			     const struct rpt_column *c, const cJSON *row,
			     char *buf, struct cmp_buf *join,
			     const char *sep);
/* Heading or note fmt of section s (with v its object) into out. */
void cmp_render_text(const struct rpt_out *o, const struct rpt_section *s,
		     const cJSON *v, const char *fmt, struct cmp_buf *out);
/* Title of column c (of object v, for its arg) as format f words it
   (RPT_TTY, RPT_MD or RPT_HTML) into out. */
void cmp_render_title(const struct rpt_column *c, const cJSON *v,
		      unsigned f, struct cmp_buf *out);
/* Is c a number, right aligned? */
int cmp_render_numeric(const struct rpt_column *c);
/* The rows of section s (v its object). */
const cJSON *cmp_render_rows(const struct rpt_section *s, const cJSON *v);

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
