/*
 * render_html.c - the report as one self-contained HTML page: inline
 * CSS and SVG charts, no scripts, no external requests.  A way to show
 * each kind of section (render.h); the sections are render_sections.c's
 * table.
 * The page leads with the alerts, the counts and the trend (RPT_LEAD).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "complaint.h"
#include "render.h"

#define C_BAR "#0969da"
#define C_VITAL "#0550ae"
#define C_MUTED "#8c959f"
#define C_ALERT "#cf222e"
#define C_GRID "#d8dee4"

static void
esc(struct cmp_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': cmp_buf_adds(b, "&lt;"); break;
		case '>': cmp_buf_adds(b, "&gt;"); break;
		case '&': cmp_buf_adds(b, "&amp;"); break;
		case '"': cmp_buf_adds(b, "&quot;"); break;
		case '\'': cmp_buf_adds(b, "&#39;"); break;
		default:
			if ((unsigned char)*s < 0x20 && *s != '\n' &&
			    *s != '\t')
				cmp_buf_addc(b, ' ');
			else
				cmp_buf_addc(b, *s);
		}
	}
}

/* s cut to n characters (code points) with an ellipsis; escaped. */
static void
esc_cut(struct cmp_buf *b, const char *s, size_t n)
{
	struct cmp_buf c = CMP_BUF_INIT;
	size_t chars = 0;
	const char *p = s;

	for (; p && *p; p++) {
		if (((unsigned char)*p & 0xc0) == 0x80) {
			cmp_buf_addc(&c, *p);
			continue;
		}
		if (chars++ == n) {
			cmp_buf_adds(&c, "\xe2\x80\xa6");
			break;
		}
		cmp_buf_addc(&c, *p);
	}
	esc(b, cmp_buf_str(&c));
	cmp_buf_release(&c);
}

/* A round number at or above x, for an axis. */
static double
nice_ceil(double x)
{
	double mag;

	if (x <= 1)
		return 1;
	mag = pow(10, floor(log10(x)));
	for (int i = 0; i < 4; i++) {
		static const double m[] = {1, 2, 5, 10};

		if (m[i] * mag >= x)
			return m[i] * mag;
	}
	return 10 * mag;
}

/* An inline bar that survives mail clients: a styled span. */
static void
html_bar(struct cmp_buf *b, double v, double max, int width,
	 const char *colour)
{
	int w = max > 0 && v > 0 ? (int)lround(v / max * width) : 0;

	if (v > 0 && w < 1)
		w = 1;
	cmp_buf_addf(b, "<span style=\"display:inline-block;height:10px;"
		     "width:%dpx;background:%s\"></span>", w, colour);
}

static void
html_items(struct cmp_buf *b, const char *what, const cJSON *items)
{
	const cJSON *it;
	double max = cmp_render_max(items, "count");
	size_t n = 0;

	cmp_buf_adds(b, "<table><tr><th>");
	esc(b, what);
	cmp_buf_adds(b, "</th><th class=\"n\">count</th><th class=\"n\">share"
		     "</th><th></th></tr>\n");
	if (!cJSON_GetArraySize(items))
		cmp_buf_adds(b, "<tr><td colspan=\"4\">none</td></tr>\n");
	cJSON_ArrayForEach(it, items) {
		char nb[32], pb[16];

		if (n++ == SHOW_ROWS)
			break;
		cmp_buf_adds(b, "<tr><td>");
		esc_cut(b, jstr(it, "label"), 40);
		cmp_buf_addf(b, "</td><td class=\"n\">%s</td><td class=\"n\">"
			     "%s</td><td>",
			     cmp_render_num(jnum(it, "count"), nb),
			     cmp_render_pct(jnum(it, "share"), pb));
		html_bar(b, jnum(it, "count"), max, 200, C_BAR);
		cmp_buf_adds(b, "</td></tr>\n");
	}
	if ((size_t)cJSON_GetArraySize(items) > SHOW_ROWS)
		cmp_buf_addf(b, "<tr><td colspan=\"4\" class=\"sub\">and %d "
			     "more</td></tr>\n",
			     cJSON_GetArraySize(items) - SHOW_ROWS);
	cmp_buf_adds(b, "</table>\n");
}

/* A short label of a trend bucket for its axis. */
static const char *
short_label(const char *unit, const char *label)
{
	size_t n = strlen(label);

	if (!strcmp(unit, "hour") && n >= 16)
		return label + 11;		/* "09:00" */
	if (!strcmp(unit, "day") && n >= 10)
		return label + 5;		/* "11-20" */
	if (!strcmp(unit, "week") && n >= 8)
		return label + 5;		/* "W47" */
	return label;
}

static void
svg_trend(struct cmp_buf *b, const cJSON *trend)
{
	const cJSON *buckets = jget(trend, "buckets"), *bk;
	const char *unit = jstr(trend, "unit");
	int n = cJSON_GetArraySize(buckets), i = 0, step;
	const double W = 900, H = 220, ml = 44, mr = 12, mt = 12, mb = 34;
	double max = nice_ceil(cmp_render_max(buckets, "count"));
	double pw = W - ml - mr, ph = H - mt - mb, bw;

	if (n < 1)
		return;
	bw = pw / n;
	step = (n + 15) / 16;
	cmp_buf_addf(b, "<svg class=\"chart trend\" viewBox=\"0 0 %.0f %.0f\" "
		     "width=\"%.0f\" height=\"%.0f\" role=\"img\" aria-label="
		     "\"complaints received per %s\">\n", W, H, W, H, unit);
	for (int g = 0; g <= 2; g++) {
		double y = mt + ph - ph * g / 2.0;

		cmp_buf_addf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			     "y2=\"%.1f\" stroke=\"" C_GRID "\"/>"
			     "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">"
			     "%g</text>\n", ml, y, W - mr, y, ml - 6, y + 4,
			     max * g / 2.0);
	}
	cJSON_ArrayForEach(bk, buckets) {
		double v = jnum(bk, "count"), h = ph * v / max;
		double x = ml + i * bw;
		char nb[32];

		cmp_buf_addf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			     "height=\"%.1f\" fill=\"" C_BAR "\"><title>",
			     x + bw * 0.1, mt + ph - h, bw * 0.8, h);
		esc(b, jstr(bk, "label"));
		cmp_buf_addf(b, ": %s</title></rect>\n", cmp_render_num(v, nb));
		if (i % step == 0) {
			cmp_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" "
				     "text-anchor=\"middle\">", x + bw / 2,
				     H - mb + 16);
			esc(b, short_label(unit, jstr(bk, "label")));
			cmp_buf_adds(b, "</text>\n");
		}
		i++;
	}
	cmp_buf_adds(b, "</svg>\n");
}

static void
svg_pareto(struct cmp_buf *b, const cJSON *pareto)
{
	const cJSON *items = jget(pareto, "items"), *it;
	int n = cJSON_GetArraySize(items), shown = n > 12 ? 12 : n, i = 0;
	const double W = 900, H = 280, ml = 44, mr = 48, mt = 14, mb = 70;
	double pw = W - ml - mr, ph = H - mt - mb, bw, total, cum = 0;
	double max = nice_ceil(cmp_render_max(items, "count"));
	struct cmp_buf line = CMP_BUF_INIT;

	total = jnum(pareto, "total");
	if (shown < 1 || !(total > 0))
		return;
	bw = pw / shown;
	cmp_buf_addf(b, "<svg class=\"chart pareto\" viewBox=\"0 0 %.0f %.0f\" "
		     "width=\"%.0f\" height=\"%.0f\" role=\"img\" aria-label="
		     "\"Pareto chart of the categories\">\n", W, H, W, H);
	for (int g = 0; g <= 2; g++) {
		double y = mt + ph - ph * g / 2.0;

		cmp_buf_addf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			     "y2=\"%.1f\" stroke=\"" C_GRID "\"/>"
			     "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">"
			     "%g</text><text x=\"%.1f\" y=\"%.1f\">%d%%</text>"
			     "\n", ml, y, W - mr, y, ml - 6, y + 4,
			     max * g / 2.0, W - mr + 6, y + 4, g * 50);
	}
	/* The 80% line. */
	cmp_buf_addf(b, "<line class=\"eighty\" x1=\"%.1f\" y1=\"%.1f\" "
		     "x2=\"%.1f\" y2=\"%.1f\" stroke=\"" C_ALERT "\" "
		     "stroke-dasharray=\"6 4\"/><text x=\"%.1f\" y=\"%.1f\" "
		     "text-anchor=\"end\" fill=\"" C_ALERT "\">80%%</text>\n",
		     ml, mt + ph * 0.2, W - mr, mt + ph * 0.2, W - mr - 4,
		     mt + ph * 0.2 - 4);
	cJSON_ArrayForEach(it, items) {
		double v = jnum(it, "count"), h = ph * v / max;
		double x = ml + i * bw;
		int vital = cJSON_IsTrue(jget(it, "vital"));
		char nb[32];

		if (i == shown)
			break;
		cum += v;
		cmp_buf_addf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			     "height=\"%.1f\" fill=\"%s\"><title>",
			     x + bw * 0.15, mt + ph - h, bw * 0.7, h,
			     vital ? C_VITAL : C_MUTED);
		esc(b, jstr(it, "label"));
		cmp_buf_addf(b, ": %s</title></rect>\n", cmp_render_num(v, nb));
		cmp_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" "
			     "text-anchor=\"end\" "
			     "transform=\"rotate(-30 %.1f %.1f)\">",
			     x + bw / 2, H - mb + 14, x + bw / 2, H - mb + 14);
		esc_cut(b, jstr(it, "label"), 16);
		cmp_buf_adds(b, "</text>\n");
		cmp_buf_addf(&line, "%s%.1f,%.1f", i ? " " : "", x + bw / 2,
			     mt + ph - ph * cum / total);
		i++;
	}
	cmp_buf_addf(b, "<polyline class=\"cumulative\" points=\"%s\" "
		     "fill=\"none\" stroke=\"#bf8700\" stroke-width=\"2\"/>\n",
		     cmp_buf_str(&line));
	cmp_buf_adds(b, "</svg>\n");
	cmp_buf_release(&line);
}

static void
svg_control(struct cmp_buf *b, const cJSON *cat, const cJSON *periods)
{
	const double W = 430, H = 170, ml = 36, mr = 70, mt = 26, mb = 26;
	double pw = W - ml - mr, ph = H - mt - mb, max = 0, ucl, centre;
	size_t n;
	double *v = cmp_render_control_values(cat, &n);
	int alert = cJSON_IsTrue(jget(cat, "alert"));
	struct cmp_buf line = CMP_BUF_INIT;
	char nb[32], ub[32];

	ucl = jnum(cat, "ucl");
	centre = jnum(cat, "centre");
	for (size_t i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	if (!isnan(ucl) && ucl > max)
		max = ucl;
	max = nice_ceil(max * 1.1);
#define CY(val) (mt + ph - ph * (val) / max)
#define CX(i) (n > 1 ? ml + pw * (double)(i) / (double)(n - 1) : ml + pw / 2)
	cmp_buf_adds(b, "<svg class=\"chart control");
	if (alert)
		cmp_buf_adds(b, " alert");
	cmp_buf_adds(b, "\" data-category=\"");
	esc(b, jstr(cat, "key") ? jstr(cat, "key") : "");
	cmp_buf_addf(b, "\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
		     "height=\"%.0f\" role=\"img\" aria-label=\"control chart "
		     "of ", W, H, W, H);
	esc(b, jstr(cat, "label"));
	cmp_buf_addf(b, "\">\n<text x=\"%.1f\" y=\"16\" class=\"title\" "
		     "font-weight=\"600\">", ml);
	esc_cut(b, jstr(cat, "label"), 24);
	cmp_buf_addf(b, ": %s</text>\n",
		     cmp_render_num(jnum(cat, "count"), nb));
	cmp_buf_addf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		     "stroke=\"" C_GRID "\"/><text x=\"%.1f\" y=\"%.1f\" "
		     "text-anchor=\"end\">0</text><text x=\"%.1f\" y=\"%.1f\" "
		     "text-anchor=\"end\">%s</text>\n", ml, CY(0), W - mr,
		     CY(0), ml - 4, CY(0) + 4, ml - 4, CY(max) + 4,
		     cmp_render_num(max, nb));
	if (!isnan(centre)) {
		cmp_buf_addf(b, "<line class=\"centre\" x1=\"%.1f\" "
			     "y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			     "stroke=\"#57606a\"/>"
			     "<text x=\"%.1f\" y=\"%.1f\">centre %s</text>\n",
			     ml, CY(centre), W - mr, CY(centre), W - mr + 4,
			     CY(centre) + 4, cmp_render_num(centre, nb));
		cmp_buf_addf(b, "<line class=\"ucl\" x1=\"%.1f\" y1=\"%.1f\" "
			     "x2=\"%.1f\" y2=\"%.1f\" stroke=\"" C_ALERT "\" "
			     "stroke-dasharray=\"5 3\"/><text x=\"%.1f\" "
			     "y=\"%.1f\" fill=\"" C_ALERT "\">UCL %s</text>\n",
			     ml, CY(ucl), W - mr, CY(ucl), W - mr + 4,
			     CY(ucl) + 4, cmp_render_num(ucl, ub));
	} else {
		cmp_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\">no baseline yet"
			     "</text>\n", ml + 8, mt + 14);
	}
	for (size_t i = 0; i < n; i++)
		cmp_buf_addf(&line, "%s%.1f,%.1f", i ? " " : "", CX(i),
			     CY(v[i]));
	cmp_buf_addf(b, "<polyline points=\"%s\" fill=\"none\" stroke=\""
		     C_BAR "\" stroke-width=\"1.5\"/>\n", cmp_buf_str(&line));
	for (size_t i = 0; i < n; i++) {
		const cJSON *pe = cJSON_GetArrayItem(periods, (int)i);
		int last = i + 1 == n;

		if (last && alert)
			cmp_buf_addf(b, "<circle class=\"alert-mark\" "
				     "cx=\"%.1f\" cy=\"%.1f\" r=\"6\" "
				     "fill=\"" C_ALERT "\"><title>above the "
				     "limit</title></circle><text "
				     "class=\"alert-text\" "
				     "x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\""
				     " fill=\"" C_ALERT "\" "
				     "font-weight=\"700\">ALERT</text>\n",
				     CX(i), CY(v[i]), CX(i) - 8,
				     CY(v[i]) - 8 < mt ? mt + 10 :
				     CY(v[i]) - 8);
		else
			cmp_buf_addf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" "
				     "r=\"%s\" fill=\"%s\"><title>", CX(i),
				     CY(v[i]), last ? "4.5" : "3",
				     last ? C_VITAL : C_BAR);
		if (!(last && alert)) {
			esc(b, jstr(pe, "label"));
			cmp_buf_addf(b, ": %s</title></circle>\n",
				     cmp_render_num(v[i], nb));
		}
	}
	if (n) {
		const cJSON *first = cJSON_GetArrayItem(periods, 0);
		const cJSON *lastp = cJSON_GetArrayItem(periods, (int)n - 1);

		cmp_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\">", ml, H - 8);
		esc(b, jstr(first, "label"));
		cmp_buf_addf(b, "</text><text x=\"%.1f\" y=\"%.1f\" "
			     "text-anchor=\"end\">", W - mr, H - 8);
		esc(b, jstr(lastp, "label"));
		cmp_buf_adds(b, "</text>\n");
	}
#undef CX
#undef CY
	cmp_buf_adds(b, "</svg>\n");
	cmp_buf_release(&line);
	free(v);
}

static const char html_style[] =
	"body{font-family:system-ui,-apple-system,'Segoe UI',"
	"'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;"
	"color:#1f2328;"
	"background:#ffffff;margin:0;padding:24px;font-size:14px}\n"
	"main{max-width:960px;margin:0 auto}\n"
	"h1{font-size:24px;margin:0 0 4px}\n"
	"h2{font-size:17px;margin:28px 0 8px;padding-bottom:4px;"
	"border-bottom:1px solid #d0d7de}\n"
	".sub{color:#59636e}\n"
	".alert-banner{background:#ffebe9;border:1px solid #cf222e;"
	"color:#82071e;padding:10px 14px;border-radius:6px;margin:12px 0;"
	"font-weight:600}\n"
	".calm{background:#dafbe1;border:1px solid #1a7f37;color:#116329;"
	"padding:10px 14px;border-radius:6px;margin:12px 0}\n"
	"table{border-collapse:collapse;margin:4px 0 8px}\n"
	"th,td{padding:3px 10px;text-align:left;border-bottom:1px solid "
	"#eaeef2}\n"
	"th{font-weight:600;color:#424a53}\n"
	".n{text-align:right;font-variant-numeric:tabular-nums}\n"
	"td.big{font-size:22px;font-weight:600}\n"
	".cols{display:flex;flex-wrap:wrap;gap:8px 32px}\n"
	"svg{max-width:100%;height:auto}\n"
	"svg text{font-size:11px;fill:#59636e}\n"
	"svg text.title{fill:#1f2328;font-size:12px}\n"
	"tr.alert td{color:#cf222e;font-weight:600}\n";

static void
html_pivot(struct rpt_out *o)
{
	const struct cmp_report *r = o->r;
	struct cmp_buf *b = o->b;
	const cJSON *g;
	double max = cmp_render_max(jget(r->root, "groups"), "count");
	char nb[32];

	cmp_buf_adds(b, "<h2>Complaints received by ");
	for (size_t k = 0; k < r->nby; k++) {
		if (k)
			cmp_buf_adds(b, ", ");
		esc(b, r->by[k]);
	}
	cmp_buf_adds(b, "</h2>\n<table class=\"pivot\"><tr>");
	for (size_t k = 0; k < r->nby; k++) {
		cmp_buf_adds(b, "<th>");
		esc(b, r->by[k]);
		cmp_buf_adds(b, "</th>");
	}
	cmp_buf_adds(b, "<th class=\"n\">count</th><th></th></tr>\n");
	cJSON_ArrayForEach(g, jget(r->root, "groups")) {
		cmp_buf_adds(b, "<tr>");
		for (size_t k = 0; k < r->nby; k++) {
			cmp_buf_adds(b, "<td>");
			esc(b, cmp_render_value_label(r, r->by[k],
						      jget(g, r->by[k]), nb));
			cmp_buf_adds(b, "</td>");
		}
		cmp_buf_addf(b, "<td class=\"n\">%s</td><td>",
			     cmp_render_num(jnum(g, "count"), nb));
		html_bar(b, jnum(g, "count"), max, 240, C_BAR);
		cmp_buf_adds(b, "</td></tr>\n");
	}
	cmp_buf_addf(b, "<tr><th>total</th>");
	for (size_t k = 1; k < r->nby; k++)
		cmp_buf_adds(b, "<th></th>");
	cmp_buf_addf(b, "<th class=\"n\">%s</th><th></th></tr></table>\n",
		     cmp_render_num(jnum(r->root, "total"), nb));
}

/* The section's heading, and its note: under the heading, or alone
   leading the rows in. */
static void
html_section(struct rpt_out *o, const struct rpt_section *s, const cJSON *v)
{
	const char *h = s->html ? s->html : s->title;
	const char *note = s->html_note ? s->html_note : s->note;

	if (h) {
		cmp_buf_adds(o->b, "<h2>");
		cmp_render_text(o, s, v, h, o->b);
		cmp_buf_adds(o->b, "</h2>\n");
	}
	if (note) {
		cmp_buf_adds(o->b, h ? "<p class=\"sub\">" : "<p>");
		cmp_render_text(o, s, v, note, o->b);
		cmp_buf_adds(o->b, "</p>\n");
	}
}

/* A cell of column c: numbers right aligned, text escaped (and cut). */
static void
html_cell(struct cmp_buf *b, const struct rpt_column *c, const char *val)
{
	if (cmp_render_numeric(c)) {
		cmp_buf_addf(b, "<td class=\"n\">%s</td>", val);
		return;
	}
	cmp_buf_adds(b, "<td>");
	if (c->cut)
		esc_cut(b, val, (size_t)c->cut);
	else
		esc(b, val);
	cmp_buf_adds(b, "</td>");
}

/* A table's headings (class: of the table, or NULL). */
static void
html_heads(struct rpt_out *o, const struct rpt_section *s,
	   const char *class)
{
	struct cmp_buf title = CMP_BUF_INIT;

	cmp_buf_adds(o->b, "<table");
	if (class)
		cmp_buf_addf(o->b, " class=\"%s\"", class);
	cmp_buf_adds(o->b, "><tr>");
	for (size_t i = 0; i < s->ncols; i++) {
		const struct rpt_column *c = &s->cols[i];

		if (!rpt_shows(c, RPT_HTML))
			continue;
		cmp_buf_reset(&title);
		cmp_render_title(c, NULL, RPT_HTML, &title);
		cmp_buf_adds(o->b, cmp_render_numeric(c) ? "<th class=\"n\">" :
			     "<th>");
		esc(o->b, cmp_buf_str(&title));
		cmp_buf_adds(o->b, "</th>");
	}
	cmp_buf_adds(o->b, "</tr>\n");
	cmp_buf_release(&title);
}

/* A table's row (name: a GRID row's). */
static void
html_row(struct rpt_out *o, const struct rpt_section *s, const cJSON *row,
	 const char *name)
{
	struct cmp_buf join = CMP_BUF_INIT;
	char buf[64];

	cmp_buf_adds(o->b, "<tr>");
	for (size_t i = 0; i < s->ncols; i++) {
		const struct rpt_column *c = &s->cols[i];

		if (rpt_shows(c, RPT_HTML))
			html_cell(o->b, c, c->key ?
				  cmp_render_value(o, c, row, buf, &join,
						   ", ") : name);
	}
	cmp_buf_adds(o->b, "</tr>\n");
	cmp_buf_release(&join);
}

/* Named numbers side by side: titles over values (RPT_BIG: large). */
static void
html_figures(struct rpt_out *o, const struct rpt_section *s, const cJSON *v)
{
	int big = (s->flags & RPT_BIG) != 0, open = 0;
	char buf[64];

	html_section(o, s, v);
	cmp_buf_adds(o->b, big ? "<table class=\"counts\"><tr>" :
		     "<table><tr>");
	for (size_t i = 0; i < s->ncols; i++) {
		const struct rpt_column *c = &s->cols[i];
		struct cmp_buf title = CMP_BUF_INIT;

		if (!rpt_shows(c, RPT_HTML) || c->paren)
			continue;
		cmp_render_title(c, v, RPT_HTML, &title);
		cmp_buf_adds(o->b, "<th class=\"n\">");
		esc(o->b, cmp_buf_str(&title));
		cmp_buf_adds(o->b, "</th>");
		cmp_buf_release(&title);
	}
	cmp_buf_adds(o->b, "</tr>\n<tr>");
	for (size_t i = 0; i < s->ncols; i++) {
		const struct rpt_column *c = &s->cols[i];
		const char *val;

		if (!rpt_shows(c, RPT_HTML))
			continue;
		val = cmp_render_value(o, c, v, buf, NULL, NULL);
		if (c->paren) {
			cmp_buf_addf(o->b, " (%s)", val);
			continue;
		}
		if (open)
			cmp_buf_adds(o->b, "</td>");
		cmp_buf_addf(o->b, "<td class=\"n%s\">%s", big ? " big" : "",
			     val);
		open = 1;
	}
	cmp_buf_adds(o->b, open ? "</td></tr></table>\n" :
		     "</tr></table>\n");
}

static void
html_grid(struct rpt_out *o, const struct rpt_section *s, const cJSON *v)
{
	html_section(o, s, v);
	html_heads(o, s, NULL);
	for (size_t k = 0; k < s->nnames; k++)
		html_row(o, s, jget(v, s->names[k]), s->titles[k]);
	cmp_buf_adds(o->b, "</table>\n");
}

/* A list's table carries the section's key as its class. */
static void
html_list(struct rpt_out *o, const struct rpt_section *s, const cJSON *v)
{
	const cJSON *rows = cmp_render_rows(s, v), *it;
	size_t n = (size_t)cJSON_GetArraySize(rows), shown = 0, ncols = 0;

	html_section(o, s, v);
	if (!n) {
		if (s->flags & RPT_SAY_NONE)
			cmp_buf_adds(o->b, "<p class=\"sub\">None.</p>\n");
		return;
	}
	html_heads(o, s, s->key);
	cJSON_ArrayForEach(it, rows) {
		if (s->limit && shown++ == s->limit)
			break;
		html_row(o, s, it, NULL);
	}
	for (size_t i = 0; i < s->ncols; i++)
		ncols += rpt_shows(&s->cols[i], RPT_HTML);
	if (s->limit && n > s->limit)
		cmp_buf_addf(o->b, "<tr><td colspan=\"%zu\" class=\"sub\">and "
			     "%zu more</td></tr>\n", ncols, n - s->limit);
	cmp_buf_adds(o->b, "</table>\n");
}

/* A tally's items; in a group, without a heading of their own. */
static void
html_tally(struct rpt_out *o, const struct rpt_section *s, const cJSON *v)
{
	if (s->group) {
		cmp_buf_adds(o->b, "<div>\n");
		html_items(o->b, s->what, cmp_render_rows(s, v));
		cmp_buf_adds(o->b, "</div>\n");
		return;
	}
	html_section(o, s, v);
	html_items(o->b, s->what, cmp_render_rows(s, v));
}

static void
html_pareto(struct rpt_out *o, const struct rpt_section *s, const cJSON *v)
{
	if (!(s->flags & RPT_CHART)) {
		html_tally(o, s, v);
		return;
	}
	html_section(o, s, v);
	svg_pareto(o->b, v);
}

static void
html_alerts(struct rpt_out *o, const struct rpt_section *s, const cJSON *v)
{
	const cJSON *it;
	int alerts = 0;
	char nb[32], sb[32];

	cJSON_ArrayForEach(it, jget(v, "categories")) {
		if (!cJSON_IsTrue(jget(it, "alert")))
			continue;
		alerts++;
		cmp_buf_adds(o->b, "<div class=\"alert-banner\">ALERT: ");
		esc(o->b, jstr(it, "label"));
		cmp_buf_addf(o->b, " has %s complaints, above its control "
			     "limit of %s.</div>\n",
			     cmp_render_num(jnum(it, "count"), nb),
			     cmp_render_num(jnum(it, "ucl"), sb));
	}
	if (!alerts)
		cmp_buf_adds(o->b, "<div class=\"calm\">No category is above "
			     "its control limit.</div>\n");
}

static void
html_control(struct rpt_out *o, const struct rpt_section *s, const cJSON *v)
{
	const cJSON *c;

	html_section(o, s, v);
	cmp_buf_adds(o->b, "<div class=\"cols\">\n");
	cJSON_ArrayForEach(c, cmp_render_rows(s, v))
		svg_control(o->b, c, jget(v, "periods"));
	cmp_buf_adds(o->b, "</div>\n");
}

static void
html_trend(struct rpt_out *o, const struct rpt_section *s, const cJSON *v)
{
	html_section(o, s, v);
	svg_trend(o->b, v);
}

static void
html_group(struct rpt_out *o, const char *title, int open)
{
	if (open)
		cmp_buf_addf(o->b, "<h2>%s</h2>\n<div class=\"cols\">\n",
			     title);
	else
		cmp_buf_adds(o->b, "</div>\n");
}

static void
html_head(struct rpt_out *o)
{
	const struct cmp_report *r = o->r;
	const cJSON *p = jget(r->root, "period");
	char a[CMP_TIME_BUFSZ], u[CMP_TIME_BUFSZ];
	struct cmp_buf *b = o->b;

	cmp_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		     "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
		     "content=\"width=device-width, initial-scale=1\">\n"
		     "<title>Complaints: ");
	esc(b, r->name);
	cmp_buf_addf(b, "</title>\n<style>\n%s</style>\n</head>\n<body>\n"
		     "<main>\n<h1>Complaints: ", html_style);
	esc(b, r->name);
	cmp_buf_addf(b, "</h1>\n<p class=\"sub\">%s to %s (",
		     cmp_render_local(r, jstr(p, "since"), a),
		     cmp_render_local(r, jstr(p, "until"), u));
	esc(b, cmp_render_zone(r));
	cmp_buf_adds(b, ")");
	if (r->as_of)
		cmp_buf_addf(b, ", as the data stood at %s",
			     cmp_render_local(r, jstr(p, "as_of"), a));
	cmp_buf_addf(b, "; made %s.</p>\n",
		     cmp_render_local(r, jstr(p, "generated_at"), a));
}

static void
html_foot(struct rpt_out *o)
{
	cmp_buf_addf(o->b, "<p class=\"sub\">cmp-report (complaint %s).</p>\n"
		     "</main>\n</body>\n</html>\n", CMP_VERSION);
}

const struct rpt_format cmp_render_html = {
	.head = html_head,
	.pivot = html_pivot,
	.show = {
		[RPT_ALERTS] = html_alerts,
		[RPT_FIGURES] = html_figures,
		[RPT_ITEMS] = html_tally,
		[RPT_GRID] = html_grid,
		[RPT_LIST] = html_list,
		[RPT_PARETO] = html_pareto,
		[RPT_CONTROL] = html_control,
		[RPT_TREND] = html_trend,
	},
	.group = html_group,
	.foot = html_foot,
	.lead_first = 1,
};
