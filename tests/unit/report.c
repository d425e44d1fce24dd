/*
 * Unit tests: the report (period.c, report_*.c, render*.c) - periods
 * in a zone (weeks from Monday, daylight saving), the baseline's
 * preceding periods, percentiles, control limits, formats, and a small
 * report over a scratch store.
 */
#include <math.h>
#include <unistd.h>

#include "internal.h"
#include "report.h"
#include "store.h"
#include "tap.h"
#include "times.h"

static char dir[] = "/tmp/cmp-report-test.XXXXXX";

static void
period_is(const char *spec, const char *zone, const char *now,
	  const char *since, const char *until, enum cmp_period_unit unit)
{
	struct cmp_error e;
	cmp_time s = 0, u = 0;
	enum cmp_period_unit pu = CMP_PERIOD_SPAN;
	int ret;

	cmp_error_clear(&e);
	ret = cmp_report_period(spec, zone, at(now), &s, &u, &pu, &e);
	ok(!ret && !strcmp(fmt(s), since) && !strcmp(fmt(u), until) &&
	   pu == unit, "%s in %s at %s is [%s, %s)", spec, zone, now, since,
	   until);
	if (ret || strcmp(fmt(s), since) || strcmp(fmt(u), until))
		diag("got %d [%s, %s) unit %d: %s", ret, fmt(s), fmt(u),
		     (int)pu, e.msg);
}

static void
test_periods(void)
{
	const char *sh = "Asia/Shanghai";
	struct cmp_error e;
	cmp_time s, u;
	enum cmp_period_unit pu;

	/* Friday 2026-11-20 09:15 in Shanghai. */
	period_is("today", sh, "2026-11-20T01:15:00Z", "2026-11-19T16:00:00Z",
		  "2026-11-20T16:00:00Z", CMP_PERIOD_DAY);
	period_is("yesterday", sh, "2026-11-20T01:15:00Z",
		  "2026-11-18T16:00:00Z", "2026-11-19T16:00:00Z",
		  CMP_PERIOD_DAY);
	/* 00:30 on Friday in Shanghai is still Thursday in UTC. */
	period_is("today", sh, "2026-11-19T16:30:00Z", "2026-11-19T16:00:00Z",
		  "2026-11-20T16:00:00Z", CMP_PERIOD_DAY);
	period_is("this-week", sh, "2026-11-20T01:15:00Z",
		  "2026-11-15T16:00:00Z", "2026-11-22T16:00:00Z",
		  CMP_PERIOD_WEEK);
	/* A Sunday belongs to the week that began on the Monday before. */
	period_is("this-week", sh, "2026-11-22T10:00:00Z",
		  "2026-11-15T16:00:00Z", "2026-11-22T16:00:00Z",
		  CMP_PERIOD_WEEK);
	period_is("last-week", sh, "2026-11-20T01:15:00Z",
		  "2026-11-08T16:00:00Z", "2026-11-15T16:00:00Z",
		  CMP_PERIOD_WEEK);
	period_is("this-month", sh, "2026-11-20T01:15:00Z",
		  "2026-10-31T16:00:00Z", "2026-11-30T16:00:00Z",
		  CMP_PERIOD_MONTH);
	period_is("last-month", sh, "2026-01-10T00:00:00Z",
		  "2025-11-30T16:00:00Z", "2025-12-31T16:00:00Z",
		  CMP_PERIOD_MONTH);
	period_is("2024-02", sh, "2026-11-20T01:15:00Z",
		  "2024-01-31T16:00:00Z", "2024-02-29T16:00:00Z",
		  CMP_PERIOD_MONTH);
	period_is("2026", sh, "2026-11-20T01:15:00Z", "2025-12-31T16:00:00Z",
		  "2026-12-31T16:00:00Z", CMP_PERIOD_YEAR);
	period_is("2026-11-03", sh, "2026-11-20T01:15:00Z",
		  "2026-11-02T16:00:00Z", "2026-11-03T16:00:00Z",
		  CMP_PERIOD_DAY);
	period_is("2026-11", NULL, "2026-11-20T01:15:00Z",
		  "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z",
		  CMP_PERIOD_MONTH);
	/* Daylight saving: the week of 2026-03-29 in Berlin is 167 hours,
	   the day the clocks go forward 23. */
	period_is("this-week", "Europe/Berlin", "2026-03-28T12:00:00Z",
		  "2026-03-22T23:00:00Z", "2026-03-29T22:00:00Z",
		  CMP_PERIOD_WEEK);
	period_is("2026-03-29", "Europe/Berlin", "2026-11-20T01:15:00Z",
		  "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z",
		  CMP_PERIOD_DAY);
	cmp_error_clear(&e);
	is_int(cmp_report_period("2026-13", sh, 0, &s, &u, &pu, &e), 65,
	       "2026-13 is not a period");
	ok(strstr(e.msg, "not a period") != NULL, "and says so: %s", e.msg);
	cmp_error_clear(&e);
	is_int(cmp_report_period("2026-02-30", sh, 0, &s, &u, &pu, &e), 65,
	       "2026-02-30 is not a period");
	cmp_error_clear(&e);
	is_int(cmp_report_period("fortnight", sh, 0, &s, &u, &pu, &e), 65,
	       "fortnight is not a period");
}

static void
test_back(void)
{
	cmp_time s, u;

	/* Months have their own lengths. */
	cmp_report_period_back(CMP_PERIOD_MONTH, "Asia/Shanghai",
			       at("2026-02-28T16:00:00Z"),
			       at("2026-03-31T16:00:00Z"), 1, &s, &u);
	is_str(fmt(s), "2026-01-31T16:00:00Z", "the month before March");
	is_str(fmt(u), "2026-02-28T16:00:00Z", "ends where March begins");
	cmp_report_period_back(CMP_PERIOD_MONTH, "Asia/Shanghai",
			       at("2026-02-28T16:00:00Z"),
			       at("2026-03-31T16:00:00Z"), 8, &s, &u);
	is_str(fmt(s), "2025-06-30T16:00:00Z", "eight months before: July");
	cmp_report_period_back(CMP_PERIOD_WEEK, "Europe/Berlin",
			       at("2026-03-29T22:00:00Z"),
			       at("2026-04-05T22:00:00Z"), 1, &s, &u);
	is_str(fmt(s), "2026-03-22T23:00:00Z",
	       "the week before, across the clock change, from Monday");
	cmp_report_period_back(CMP_PERIOD_SPAN, NULL, at("2026-11-10T00:00:00Z"),
			       at("2026-11-13T00:00:00Z"), 2, &s, &u);
	is_str(fmt(s), "2026-11-04T00:00:00Z", "a span: windows of its length");
	is_str(fmt(u), "2026-11-07T00:00:00Z", "back to back");
}

static int
by_value(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The percentile selects its rank without sorting: the same value as a
   sort gives, for every rank, over orders and repeated values that
   make a partition go wrong (sorted, reversed, all equal, few values). */
static void
test_select(void)
{
	enum { N = 1001 };
	static int64_t v[N], sorted[N];
	unsigned seed = 7, bad = 0;

	for (int shape = 0; shape < 5; shape++) {
		for (int i = 0; i < N; i++) {
			seed = seed * 1103515245u + 12345u;
			sorted[i] = shape == 0 ? i : shape == 1 ? N - i :
				shape == 2 ? 5 : shape == 3 ?
				(int64_t)(seed >> 16) % 3 :
				(int64_t)(seed >> 8);
		}
		qsort(sorted, N, sizeof(*sorted), by_value);
		for (int p = 1; p <= 100; p++) {
			size_t rank = (size_t)ceil(p / 100.0 * N);

			memcpy(v, sorted, sizeof(v));
			for (int i = N - 1; i > 0; i--) {	/* shuffled */
				int64_t t;
				int j;

				seed = seed * 1103515245u + 12345u;
				j = (int)((seed >> 8) % (unsigned)(i + 1));
				t = v[i];
				v[i] = v[j];
				v[j] = t;
			}
			if (shape < 2)	/* and in their own order */
				for (int i = 0; i < N; i++)
					v[i] = shape ? N - i : i;
			if (cmp_percentile(v, N, p) != sorted[rank - 1])
				bad++;
		}
	}
	is_int(bad, 0, "percentiles 1..100 of 1001 values in five shapes: "
	       "those of the sorted values");
}

static void
test_stats(void)
{
	int64_t v[] = {30, 10, 50, 20, 40};
	int64_t one[] = {7};
	int64_t ten[10];

	is_int(cmp_percentile(v, 5, 50), 30, "median of five");
	is_int(cmp_percentile(v, 5, 90), 50, "90th percentile of five: the "
	       "fifth (nearest rank 4.5 -> 5)");
	is_int(cmp_percentile(v, 4, 50), 20, "median of four: the second "
	       "(nearest rank, no interpolation)");
	is_int(cmp_percentile(one, 1, 90), 7, "one value");
	is_int(cmp_percentile(NULL, 0, 50), 0, "no values");
	for (int i = 0; i < 10; i++)
		ten[i] = 10 - i;
	is_int(cmp_percentile(ten, 10, 90), 9, "90th of 1..10 is 9");
	test_select();
	ok(fabs(cmp_control_limit(4, 3) - 10) < 1e-9, "centre 4, 3 sigma: 10");
	ok(fabs(cmp_control_limit(0, 3) - 3) < 1e-9,
	   "centre 0: the deviation is taken as 1, limit 3");
	ok(fabs(cmp_control_limit(0.25, 2) - 2.25) < 1e-9,
	   "centre below 1: deviation 1");
}

static void
test_formats(void)
{
	enum cmp_report_format f;
	struct cmp_error e;

	cmp_error_clear(&e);
	ok(!cmp_report_format_parse("markdown", &f, &e) &&
	   f == CMP_REPORT_MARKDOWN, "markdown is a format");
	ok(!cmp_report_format_parse("html", &f, &e) && f == CMP_REPORT_HTML,
	   "html is a format");
	is_int(cmp_report_format_parse("pdf", &f, &e), 64, "pdf is not");
}

/* Add a complaint received at t, of category cat, acknowledged at ack. */
static void
add(struct cmp_ctx *ctx, const char *t, const char *cat, const char *ack)
{
	struct cmp_complaint c, before;
	struct cmp_change ch;
	struct cmp_error e;

	cmp_error_clear(&e);
	cmp_complaint_init(&c);
	c.summary = cmp_xstrdup("a leak");
	c.customer.name = cmp_xstrdup("王先生");
	c.customer.phone = cmp_xstrdup("13800138000");
	c.category = cmp_xstrdup(cat);
	c.received_at = at(t);
	cmp_intake_prepare(ctx->cfg, &c, "clerk", c.received_at, &e);
	ch = (struct cmp_change){"clerk", "unit", NULL, c.received_at};
	cmp_store_add(ctx->store, &c, NULL, &ch, &e);
	if (ack) {
		cmp_complaint_init(&before);
		cmp_complaint_copy(&before, &c);
		ctx->now = at(ack);
		cmp_wf_assign(ctx, &c, "li.gang", NULL, 0, &e);
		ch.at = ctx->now;
		cmp_store_save(ctx->store, &before, &c, NULL, &ch, &e);
		cmp_complaint_release(&before);
	}
	if (e.code)
		diag("add: %s", e.msg);
	cmp_complaint_release(&c);
}

static double
num(const cJSON *o, const char *path)
{
	char *p = cmp_xstrdup(path), *save = NULL;
	const cJSON *v = o;

	for (char *k = strtok_r(p, ".", &save); k && v;
	     k = strtok_r(NULL, ".", &save))
		v = cJSON_GetObjectItemCaseSensitive(v, k);
	free(p);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static void
test_report(void)
{
	struct cmp_ctx ctx;
	struct cmp_report_opts o;
	struct cmp_report *r = NULL;
	struct cmp_error e;
	const cJSON *j, *cat;
	char *db = cmp_xasprintf("%s/r.db", dir);
	FILE *out;
	int ret;

	memset(&ctx, 0, sizeof(ctx));
	cmp_error_clear(&e);
	if (cmp_config_load(&ctx.cfg, NULL, &e) ||
	    cmp_store_open(&ctx.store, db, &e)) {
		ok(0, "a scratch store: %s", e.msg);
		free(db);
		return;
	}
	ctx.program = "unit";
	/* Three calm months of two billing complaints, then eleven. */
	add(&ctx, "2026-08-03T02:00:00Z", "billing", NULL);
	add(&ctx, "2026-08-10T02:00:00Z", "billing", NULL);
	add(&ctx, "2026-09-03T02:00:00Z", "billing", NULL);
	add(&ctx, "2026-09-10T02:00:00Z", "billing", NULL);
	add(&ctx, "2026-10-05T02:00:00Z", "billing", NULL);
	add(&ctx, "2026-10-12T02:00:00Z", "billing", NULL);
	for (int i = 0; i < 11; i++) {
		char t[32];

		snprintf(t, sizeof(t), "2026-11-%02dT02:00:00Z", 2 + i);
		add(&ctx, t, "billing", NULL);
	}
	/* Acknowledged in 30 minutes: in time (Monday, business hours). */
	add(&ctx, "2026-11-16T02:00:00Z", "delivery", "2026-11-16T02:30:00Z");
	ctx.now = at("2026-12-01T02:00:00Z");
	memset(&o, 0, sizeof(o));
	o.period = "2026-11";
	ret = cmp_report_run(&r, &ctx, &o, &e);
	is_int(ret, 0, "the November report runs: %s", e.msg);
	if (ret)
		goto out;
	j = cmp_report_json(r);
	is_int(num(j, "counts.received"), 12, "twelve received in November");
	is_int(num(j, "counts.acknowledged"), 1, "one acknowledged");
	is_int(num(j, "deadlines.ack.met"), 1, "one acknowledgement in time");
	is_int(num(j, "deadlines.ack.median_seconds"), 1800,
	       "after half an hour");
	is_int(cmp_report_alerts(r), 1, "one alert");
	cat = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(j,
		"control"), "alerts"), 0);
	is_str(cJSON_IsString(cat) ? cat->valuestring : NULL, "billing",
	       "billing is above its limit");
	is_int(num(j, "control.baseline_used"), 3,
	       "the months before August are no history");
	/* Every format writes. */
	out = tmpfile();
	for (int f = CMP_REPORT_JSON; f <= CMP_REPORT_HTML; f++)
		if (cmp_report_write(r, out, (enum cmp_report_format)f, 80, &e))
			ok(0, "format %d: %s", f, e.msg);
	ok(ftell(out) > 5000, "all five formats written (%ld bytes)",
	   ftell(out));
	fclose(out);
	cmp_report_free(r);
	r = NULL;
	/* As of before the rush: calm. */
	o.as_of = "2026-11-04T00:00:00Z";
	ret = cmp_report_run(&r, &ctx, &o, &e);
	is_int(ret, 0, "as of the 4th");
	if (!ret) {
		is_int(num(cmp_report_json(r), "counts.received"), 2,
		       "two received by then");
		is_int(cmp_report_alerts(r), 0, "no alert then");
	}
	cmp_report_free(r);
	r = NULL;
	/* A pivot and a field that cannot group. */
	memset(&o, 0, sizeof(o));
	o.period = "2026";
	o.by = "category,month";
	ret = cmp_report_run(&r, &ctx, &o, &e);
	is_int(ret, 0, "a pivot by category and month");
	if (!ret)
		is_int(num(cmp_report_json(r), "total"), 18, "every complaint");
	cmp_report_free(r);
	r = NULL;
	o.by = "followups";
	is_int(cmp_report_run(&r, &ctx, &o, &e), 64,
	       "follow-ups cannot group: %s", e.msg);
	o.by = NULL;
	o.period = NULL;
	o.since = "2026-11-10";
	o.until = "2026-11-01";
	is_int(cmp_report_run(&r, &ctx, &o, &e), 65, "a period backwards");
	/* Inside a writer's transaction: the report reads what it wrote,
	   and leaves the transaction to its owner. */
	memset(&o, 0, sizeof(o));
	o.period = "2026-11";
	is_int(cmp_store_begin(ctx.store, &e), 0, "a writer's transaction");
	add(&ctx, "2026-11-20T02:00:00Z", "billing", NULL);
	ret = cmp_report_run(&r, &ctx, &o, &e);
	is_int(ret, 0, "a report inside it: %s", e.msg);
	if (!ret)
		is_int(num(cmp_report_json(r), "counts.received"), 13,
		       "counts what the transaction added");
	cmp_report_free(r);
	r = NULL;
	is_int(cmp_store_commit(ctx.store, &e), 0,
	       "the transaction commits after it: %s", e.msg);
out:
	cmp_report_free(r);
	cmp_store_close(ctx.store);
	cmp_config_free(ctx.cfg);
	free(db);
}

int
main(void)
{
	char cmd[64];

	setenv("TZ", "UTC", 1);
	if (!mkdtemp(dir))
		return 1;
	test_periods();
	test_back();
	test_stats();
	test_formats();
	test_report();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		diag("cannot remove %s", dir);
	return done_testing();
}
