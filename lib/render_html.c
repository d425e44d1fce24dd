/*
 * render_html.c - the report as one self-contained HTML page: inline
 * CSS and SVG charts, no scripts, no external requests.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "render.h"

/* ------------------------------------------------------------------ */
/* HTML: one self-contained page, inline CSS and SVG, no scripts       */
/* ------------------------------------------------------------------ */

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
			     "%s</td><td>", num(jnum(it, "count"), nb),
			     pct(jnum(it, "share"), pb));
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
		cmp_buf_addf(b, ": %s</title></rect>\n", num(v, nb));
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
		cmp_buf_addf(b, ": %s</title></rect>\n", num(v, nb));
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
	cmp_buf_addf(b, ": %s</text>\n", num(jnum(cat, "count"), nb));
	cmp_buf_addf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		     "stroke=\"" C_GRID "\"/><text x=\"%.1f\" y=\"%.1f\" "
		     "text-anchor=\"end\">0</text><text x=\"%.1f\" y=\"%.1f\" "
		     "text-anchor=\"end\">%s</text>\n", ml, CY(0), W - mr,
		     CY(0), ml - 4, CY(0) + 4, ml - 4, CY(max) + 4,
		     num(max, nb));
	if (!isnan(centre)) {
		cmp_buf_addf(b, "<line class=\"centre\" x1=\"%.1f\" "
			     "y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			     "stroke=\"#57606a\"/>"
			     "<text x=\"%.1f\" y=\"%.1f\">centre %s</text>\n",
			     ml, CY(centre), W - mr, CY(centre), W - mr + 4,
			     CY(centre) + 4, num(centre, nb));
		cmp_buf_addf(b, "<line class=\"ucl\" x1=\"%.1f\" y1=\"%.1f\" "
			     "x2=\"%.1f\" y2=\"%.1f\" stroke=\"" C_ALERT "\" "
			     "stroke-dasharray=\"5 3\"/><text x=\"%.1f\" "
			     "y=\"%.1f\" fill=\"" C_ALERT "\">UCL %s</text>\n",
			     ml, CY(ucl), W - mr, CY(ucl), W - mr + 4,
			     CY(ucl) + 4, num(ucl, ub));
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
				     num(v[i], nb));
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
html_counts(struct cmp_buf *b, const cJSON *counts)
{
	char nb[32];

	cmp_buf_adds(b, "<table class=\"counts\"><tr>");
	for (size_t i = 0; i < CMP_ARRAY_LEN(cmp_render_count_names); i++) {
		cmp_buf_adds(b, "<th class=\"n\">");
		esc(b, cmp_render_count_titles[i]);
		cmp_buf_adds(b, "</th>");
	}
	cmp_buf_adds(b, "</tr>\n<tr>");
	for (size_t i = 0; i < CMP_ARRAY_LEN(cmp_render_count_names); i++)
		cmp_buf_addf(b, "<td class=\"n big\">%s</td>",
			     num(jnum(counts, cmp_render_count_names[i]), nb));
	cmp_buf_adds(b, "</tr></table>\n");
}

static void
html_pivot(const struct cmp_report *r, struct cmp_buf *b)
{
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
			esc(b, cmp_render_value_label(r, r->by[k], jget(g, r->by[k]), nb));
			cmp_buf_adds(b, "</td>");
		}
		cmp_buf_addf(b, "<td class=\"n\">%s</td><td>",
			     num(jnum(g, "count"), nb));
		html_bar(b, jnum(g, "count"), max, 240, C_BAR);
		cmp_buf_adds(b, "</td></tr>\n");
	}
	cmp_buf_addf(b, "<tr><th>total</th>");
	for (size_t k = 1; k < r->nby; k++)
		cmp_buf_adds(b, "<th></th>");
	cmp_buf_addf(b, "<th class=\"n\">%s</th><th></th></tr></table>\n",
		     num(jnum(r->root, "total"), nb));
}

void
cmp_render_html(const struct cmp_report *r, struct cmp_buf *b)
{
	const cJSON *root = r->root, *p = jget(root, "period"), *it;
	char a[CMP_TIME_BUFSZ], u[CMP_TIME_BUFSZ], nb[32], pb[16], sb[32],
	     s2[32];
	int alerts = 0;

	cmp_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		     "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
		     "content=\"width=device-width, initial-scale=1\">\n"
		     "<title>Complaints: ");
	esc(b, r->name);
	cmp_buf_addf(b, "</title>\n<style>\n%s</style>\n</head>\n<body>\n"
		     "<main>\n<h1>Complaints: ", html_style);
	esc(b, r->name);
	cmp_buf_addf(b, "</h1>\n<p class=\"sub\">%s to %s (", cmp_render_local(r,
		     jstr(p, "since"), a), cmp_render_local(r, jstr(p, "until"), u));
	esc(b, cmp_render_zone(r));
	cmp_buf_adds(b, ")");
	if (r->as_of)
		cmp_buf_addf(b, ", as the data stood at %s",
			     cmp_render_local(r, jstr(p, "as_of"), a));
	cmp_buf_addf(b, "; made %s.</p>\n",
		     cmp_render_local(r, jstr(p, "generated_at"), a));
	if (r->nby) {
		html_pivot(r, b);
		goto end;
	}
	cJSON_ArrayForEach(it, jpath(root, "control", "categories")) {
		if (!cJSON_IsTrue(jget(it, "alert")))
			continue;
		alerts++;
		cmp_buf_adds(b, "<div class=\"alert-banner\">ALERT: ");
		esc(b, jstr(it, "label"));
		cmp_buf_addf(b, " has %s complaints, above its control limit "
			     "of %s.</div>\n", num(jnum(it, "count"), nb),
			     num(jnum(it, "ucl"), sb));
	}
	if (!alerts)
		cmp_buf_adds(b, "<div class=\"calm\">No category is above its "
			     "control limit.</div>\n");
	cmp_buf_adds(b, "<h2>Counts</h2>\n");
	html_counts(b, jget(root, "counts"));
	it = jget(root, "trend");
	cmp_buf_addf(b, "<h2>Received per %s</h2>\n", jstr(it, "unit"));
	svg_trend(b, it);
	cmp_buf_adds(b, "<h2>Breakdowns</h2>\n<div class=\"cols\">\n");
	for (size_t i = 0; i < CMP_ARRAY_LEN(cmp_render_breakdown_titles); i++) {
		cmp_buf_adds(b, "<div>\n");
		html_items(b, cmp_render_breakdown_titles[i][1],
			   jpath(root, "breakdowns", cmp_render_breakdown_titles[i][0]));
		cmp_buf_adds(b, "</div>\n");
	}
	cmp_buf_adds(b, "</div>\n<h2>Deadlines</h2>\n<p class=\"sub\">A "
		     "deadline counts when it is met in time, or when it "
		     "falls due unmet with the complaint open and its clock "
		     "running (time spent waiting on the customer does not "
		     "count).</p>\n<table><tr><th>deadline</th><th class=\"n\">"
		     "due</th><th class=\"n\">met</th><th class=\"n\">missed"
		     "</th><th class=\"n\">pending</th><th class=\"n\">met %"
		     "</th><th class=\"n\">median time</th><th class=\"n\">"
		     "90th percentile</th></tr>\n");
	for (int k = 0; k < CMP_DL_COUNT; k++) {
		const cJSON *d = jpath(root, "deadlines",
				       cmp_deadline_names[k]);

		cmp_buf_addf(b, "<tr><td>%s</td><td class=\"n\">%s</td>",
			     cmp_render_deadline_titles[k], num(jnum(d, "due"), nb));
		cmp_buf_addf(b, "<td class=\"n\">%s</td>",
			     num(jnum(d, "met"), nb));
		cmp_buf_addf(b, "<td class=\"n\">%s</td>",
			     num(jnum(d, "missed"), nb));
		cmp_buf_addf(b, "<td class=\"n\">%s</td><td class=\"n\">%s</td>"
			     "<td class=\"n\">%s</td><td class=\"n\">%s</td>"
			     "</tr>\n", num(jnum(d, "pending"), nb),
			     pct(jnum(d, "share_met"), pb),
			     secs(jnum(d, "median_seconds"), sb),
			     secs(jnum(d, "p90_seconds"), s2));
	}
	cmp_buf_adds(b, "</table>\n");
	it = jget(root, "overdue");
	cmp_buf_addf(b, "<h2>Overdue at %s: %s</h2>\n",
		     cmp_render_local(r, jstr(it, "at"), a), num(jnum(it, "count"), nb));
	if (cJSON_GetArraySize(jget(it, "complaints"))) {
		const cJSON *c;
		int n = 0, total = cJSON_GetArraySize(jget(it, "complaints"));

		cmp_buf_adds(b, "<table class=\"overdue\"><tr><th class=\"n\">"
			     "id</th><th>ref</th><th class=\"n\">late by</th>"
			     "<th>deadlines</th><th>severity</th><th>owner</th>"
			     "<th>customer</th><th>summary</th></tr>\n");
		cJSON_ArrayForEach(c, jget(it, "complaints")) {
			const cJSON *d;
			int first = 1;

			if (n++ == SHOW_OVERDUE)
				break;
			cmp_buf_addf(b, "<tr><td class=\"n\">%s</td><td>",
				     num(jnum(c, "id"), nb));
			esc(b, jstr(c, "ref"));
			cmp_buf_addf(b, "</td><td class=\"n\">%s</td><td>",
				     secs(jnum(c, "overdue_seconds"), sb));
			cJSON_ArrayForEach(d, jget(c, "deadlines")) {
				if (!first)
					cmp_buf_adds(b, ", ");
				first = 0;
				esc(b, d->valuestring);
			}
			cmp_buf_adds(b, "</td><td>");
			esc(b, jstr(c, "severity"));
			cmp_buf_adds(b, "</td><td>");
			esc(b, jstr(c, "owner"));
			cmp_buf_adds(b, "</td><td>");
			esc(b, jstr(c, "customer"));
			cmp_buf_adds(b, "</td><td>");
			esc_cut(b, jstr(c, "summary"), 60);
			cmp_buf_adds(b, "</td></tr>\n");
		}
		if (total > SHOW_OVERDUE)
			cmp_buf_addf(b, "<tr><td colspan=\"8\" class=\"sub\">"
				     "and %d more</td></tr>\n",
				     total - SHOW_OVERDUE);
		cmp_buf_adds(b, "</table>\n");
	}
	it = jget(root, "followup");
	cmp_buf_addf(b, "<h2>Follow-up</h2>\n<table><tr><th class=\"n\">due"
		     "</th><th class=\"n\">done</th><th class=\"n\">"
		     "with a score</th><th class=\"n\">average satisfaction"
		     "</th>"
		     "<th class=\"n\">satisfied (%s or more)</th></tr>\n",
		     num(jnum(it, "bar"), nb));
	cmp_buf_addf(b, "<tr><td class=\"n\">%s</td>",
		     num(jnum(it, "due"), nb));
	cmp_buf_addf(b, "<td class=\"n\">%s</td>", num(jnum(it, "done"), nb));
	cmp_buf_addf(b, "<td class=\"n\">%s</td>", num(jnum(it, "scored"), nb));
	cmp_buf_addf(b, "<td class=\"n\">%s</td>",
		     num(jnum(it, "average_satisfaction"), nb));
	cmp_buf_addf(b, "<td class=\"n\">%s (%s)</td></tr></table>\n",
		     num(jnum(it, "satisfied"), nb),
		     pct(jnum(it, "share_satisfied"), pb));
	cmp_buf_adds(b, "<h2>Money paid</h2>\n");
	if (cJSON_GetArraySize(jget(root, "money"))) {
		cmp_buf_adds(b, "<table class=\"money\"><tr><th>resolution</th>"
			     "<th>currency</th><th class=\"n\">count</th>"
			     "<th class=\"n\">amount</th></tr>\n");
		cJSON_ArrayForEach(it, jget(root, "money")) {
			cmp_buf_adds(b, "<tr><td>");
			esc(b, cmp_report_label(r->cfg, "resolution.type",
					 jstr(it, "type")));
			cmp_buf_adds(b, "</td><td>");
			esc(b, jstr(it, "currency"));
			cmp_buf_addf(b, "</td><td class=\"n\">%s</td><td class="
				     "\"n\">%.2f</td></tr>\n",
				     num(jnum(it, "count"), nb),
				     jnum(it, "amount"));
		}
		cmp_buf_adds(b, "</table>\n");
	} else {
		cmp_buf_adds(b, "<p class=\"sub\">None.</p>\n");
	}
	it = jpath(root, "pareto", "category");
	cmp_buf_adds(b, "<h2>Pareto</h2>\n<p class=\"sub\">The categories "
		     "that make up 80% of the complaints (dark bars), with "
		     "the cumulative share.</p>\n");
	svg_pareto(b, it);
	if (cJSON_GetArraySize(jget(jpath(root, "pareto", "root_cause"),
				    "items"))) {
		cmp_buf_adds(b, "<p>Root causes, where recorded:</p>\n");
		html_items(b, "root cause",
			   jget(jpath(root, "pareto", "root_cause"), "items"));
	}
	it = jget(root, "control");
	cmp_buf_addf(b, "<h2>Control charts</h2>\n<p class=\"sub\">Each "
		     "category's count per period: the %s preceding periods "
		     "and this one, the centre line (their mean) and the upper"
		     " control limit (centre + %s&#8730;centre, dashed).</p>\n"
		     "<div class=\"cols\">\n",
		     num(jnum(it, "baseline_used"), nb),
		     num(jnum(it, "sigma"), sb));
	{
		const cJSON *c;

		cJSON_ArrayForEach(c, jget(it, "categories"))
			svg_control(b, c, jget(it, "periods"));
	}
	cmp_buf_adds(b, "</div>\n");
end:
	cmp_buf_addf(b, "<p class=\"sub\">cmp-report (complaint %s).</p>\n"
		     "</main>\n</body>\n</html>\n", CMP_VERSION);
}

