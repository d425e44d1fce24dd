/*
 * report_volumes.c - the complaints received in the report's period:
 * breakdowns by dimension, Pareto, the trend, the control chart against
 * the preceding periods, and --by's pivot.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "complaint.h"
#include "report.h"
#include "store.h"
#include "util.h"

/* Counts by a text key; NULL is a key of its own. */
struct rpt_entry {
	char *key;
	int64_t count;
	int64_t *counts;	/* the control chart: per period */
};
struct rpt_tally {
	struct rpt_entry *v;
	size_t n, cap;
	size_t *slots;		/* open addressing: index + 1, 0 empty */
	size_t nslots;
};


/* ------------------------------------------------------------------ */
/* tallies: counts by a text key (NULL a key of its own)               */
/* ------------------------------------------------------------------ */

static uint64_t
key_hash(const char *k)
{
	uint64_t h = 1469598103934665603ULL;

	if (!k)
		return 0x9e3779b97f4a7c15ULL;
	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211ULL;
	return h;
}

static int
key_eq(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

static void
tally_rehash(struct rpt_tally *t)
{
	free(t->slots);
	t->nslots = t->nslots ? t->nslots * 2 : 64;
	t->slots = cmp_xcalloc(t->nslots, sizeof(size_t));
	for (size_t i = 0; i < t->n; i++) {
		size_t s = key_hash(t->v[i].key) & (t->nslots - 1);

		while (t->slots[s])
			s = (s + 1) & (t->nslots - 1);
		t->slots[s] = i + 1;
	}
}

/* The entry of key (made with count 0 when new). */
static struct rpt_entry *
rpt_tally_get(struct rpt_tally *t, const char *key)
{
	size_t s;

	if ((t->n + 1) * 2 > t->nslots)
		tally_rehash(t);
	s = key_hash(key) & (t->nslots - 1);
	while (t->slots[s]) {
		struct rpt_entry *en = &t->v[t->slots[s] - 1];

		if (key_eq(en->key, key))
			return en;
		s = (s + 1) & (t->nslots - 1);
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->v = cmp_xrealloc(t->v, t->cap * sizeof(*t->v));
	}
	memset(&t->v[t->n], 0, sizeof(t->v[t->n]));
	t->v[t->n].key = cmp_xstrdup(key);
	t->slots[s] = ++t->n;
	return &t->v[t->n - 1];
}

static void
rpt_tally_release(struct rpt_tally *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].key);
		free(t->v[i].counts);
	}
	free(t->v);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

static int
by_key(const void *a, const void *b)
{
	const struct rpt_entry *x = a, *y = b;

	if (!x->key || !y->key)
		return !x->key - !y->key;	/* none last */
	return strcmp(x->key, y->key);
}

static int
by_count(const void *a, const void *b)
{
	const struct rpt_entry *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return by_key(a, b);
}

/* The entries from the first'th on in the order of cmp (the tally's
   lookup is gone after this). */
static void
tally_sort_from(struct rpt_tally *t, size_t first,
		int (*cmp)(const void *, const void *))
{
	if (t->n > first)
		qsort(t->v + first, t->n - first, sizeof(*t->v), cmp);
	free(t->slots);
	t->slots = NULL;
	t->nslots = 0;
}

/* The entries, most first. */
static void
tally_sort(struct rpt_tally *t)
{
	tally_sort_from(t, 0, by_count);
}

/* -- the breakdowns and root causes, the Pareto, the trend ---------- */

static const char *const dims[] = {
	"category", "channel", "department", "severity", "customer.tier",
	"product.name", "root_cause"
};
#define NDIMS CMP_ARRAY_LEN(dims)
#define ROOT_CAUSE (NDIMS - 1)

static cJSON *
tally_items(const struct cmp_report *r, const char *path,
	    struct rpt_tally *t, int64_t total, int pareto)
{
	cJSON *items = cJSON_CreateArray();
	int64_t cum = 0;

	tally_sort(t);
	for (size_t i = 0; i < t->n; i++) {
		cJSON *it = cJSON_CreateObject();
		char *key = cmp_report_shown(r, path, t->v[i].key);

		rpt_add_key(it, "key", key);
		cJSON_AddStringToObject(it, "label",
					cmp_report_label(r->cfg, path, key));
		cJSON_AddNumberToObject(it, "count", (double)t->v[i].count);
		rpt_add_share(it, "share", t->v[i].count, total);
		if (pareto) {
			cum += t->v[i].count;
			rpt_add_share(it, "cumulative", cum, total);
		}
		cJSON_AddItemToArray(items, it);
		free(key);
	}
	return items;
}

/* The few that make up 80%: the shortest prefix reaching it. */
static cJSON *
pareto_json(const struct cmp_report *r, const char *path,
	    struct rpt_tally *t, int64_t total)
{
	cJSON *o = cJSON_CreateObject(), *items, *few, *it;
	int64_t cum = 0;

	cJSON_AddNumberToObject(o, "total", (double)total);
	items = tally_items(r, path, t, total, 1);
	few = cJSON_AddArrayToObject(o, "vital_few");
	cJSON_ArrayForEach(it, items) {
		const cJSON *key = cJSON_GetObjectItem(it, "key");

		if (cum * 5 >= total * 4)
			break;
		cum += (int64_t)cJSON_GetObjectItem(it, "count")->valuedouble;
		cJSON_AddItemToArray(few, cJSON_Duplicate(key, 0));
		cJSON_AddBoolToObject(it, "vital", 1);
	}
	cJSON_ArrayForEach(it, items)
		if (!cJSON_GetObjectItem(it, "vital"))
			cJSON_AddBoolToObject(it, "vital", 0);
	cJSON_AddItemToObject(o, "items", items);
	return o;
}

static enum cmp_bucket_unit
trend_unit(const struct cmp_report *r)
{
	switch (r->unit) {
	case CMP_PERIOD_DAY: return CMP_BUCKET_HOUR;
	case CMP_PERIOD_WEEK:
	case CMP_PERIOD_MONTH: return CMP_BUCKET_DAY;
	case CMP_PERIOD_YEAR: return CMP_BUCKET_MONTH;
	case CMP_PERIOD_SPAN: break;
	}
	if (r->until - r->since <= 2 * 86400)
		return CMP_BUCKET_HOUR;
	if (r->until - r->since <= 92 * 86400)
		return CMP_BUCKET_DAY;
	return CMP_BUCKET_MONTH;
}

/* -- volumes: breakdowns, trend, Pareto, control chart ---------------- */

/*
 * The complaints received from the first baseline period to the end of
 * this one, counted here: the control chart counts each category per
 * period; the period's own complaints also feed the breakdowns, the
 * root causes and the trend.  Two passes when there is a baseline: its
 * periods read the category alone, in buckets of the periods; this one
 * every dimension, in buckets of the trend.  Rows are asked for, one a
 * complaint (a hash here is cheaper than SQLite's sorter over so many),
 * or the groups a server makes of them (store.h).
 */
struct vol_pass {
	struct cmp_report *r;
	struct rpt_tally control;	/* category: counts per period */
	size_t nperiods;		/* baseline periods used, then this */
	int period;			/* the pass of this period */
	struct rpt_tally tally[NDIMS];
	int64_t *trend;			/* the trend's buckets */
	int64_t total;
};

/* values: the category (a baseline period's), or dims[]. */
static int
vol_row(void *arg, const char *const *values, long bucket, int64_t n)
{
	struct vol_pass *p = arg;
	struct rpt_entry *en;
	size_t period = p->nperiods - 1;

	if (!p->period) {
		if (bucket < 0 || (size_t)bucket >= period)
			return 0;
		period = (size_t)bucket;
	}
	en = rpt_tally_get(&p->control, values[0]);
	if (!en->counts)
		en->counts = cmp_xcalloc(p->nperiods, sizeof(int64_t));
	en->counts[period] += n;
	if (!p->period)
		return 0;
	for (size_t i = 0; i < NDIMS; i++) {
		if (i == ROOT_CAUSE && !values[i])
			continue;	/* causes where recorded */
		rpt_tally_get(&p->tally[i], values[i])->count += n;
	}
	p->total += n;
	if (bucket >= 0)
		p->trend[bucket] += n;
	return 0;
}

static cJSON *
trend_json(struct cmp_report *r, enum cmp_bucket_unit tu,
	   const cmp_time *bounds, size_t nb, const int64_t *counts)
{
	cJSON *trend = cJSON_CreateObject(), *buckets;

	cJSON_AddStringToObject(trend, "unit", cmp_bucket_names[tu]);
	buckets = cJSON_AddArrayToObject(trend, "buckets");
	for (size_t i = 0; i + 1 < nb; i++) {
		cJSON *b = cJSON_CreateObject();
		char label[64];

		cmp_bucket_label(tu, bounds[i], r->zone, label, sizeof(label));
		cJSON_AddStringToObject(b, "label", label);
		rpt_add_time(b, "since", bounds[i]);
		cJSON_AddNumberToObject(b, "count", (double)counts[i]);
		cJSON_AddItemToArray(buckets, b);
	}
	return trend;
}

static cJSON *
control_json(struct cmp_report *r, struct vol_pass *p, const cmp_time *bounds,
	     int nbase, double sigma)
{
	size_t skip = p->nperiods - 1;
	cJSON *o = cJSON_CreateObject(), *periods, *cats, *alerts;

	cJSON_AddNumberToObject(o, "baseline", nbase);
	cJSON_AddNumberToObject(o, "baseline_used", (double)skip);
	cJSON_AddNumberToObject(o, "sigma", sigma);
	periods = cJSON_AddArrayToObject(o, "periods");
	for (size_t i = 0; i < p->nperiods; i++) {
		cJSON *pe = cJSON_CreateObject();
		char label[64];

		if (r->unit == CMP_PERIOD_SPAN)
			cmp_date_format(bounds[i], r->zone, label);
		else
			cmp_bucket_label(cmp_period_bucket(r->unit),
					 bounds[i], r->zone, label,
					 sizeof(label));
		cJSON_AddStringToObject(pe, "label", label);
		rpt_add_time(pe, "since", bounds[i]);
		rpt_add_time(pe, "until", bounds[i + 1]);
		cJSON_AddItemToArray(periods, pe);
	}
	cats = cJSON_AddArrayToObject(o, "categories");
	alerts = cJSON_AddArrayToObject(o, "alerts");
	for (size_t i = 0; i < p->control.n; i++) {
		struct rpt_entry *en = &p->control.v[i];
		cJSON *c = cJSON_CreateObject(), *counts;
		double sum = 0, centre, ucl, lcl;
		int64_t now;
		int alert = 0;

		if (!en->counts)
			en->counts = cmp_xcalloc(p->nperiods, sizeof(int64_t));
		now = en->counts[skip];
		rpt_add_key(c, "key", en->key);
		cJSON_AddStringToObject(c, "label",
					cmp_report_label(r->cfg, "category",
							 en->key));
		counts = cJSON_AddArrayToObject(c, "baseline_counts");
		for (size_t b = 0; b < skip; b++) {
			cJSON_AddItemToArray(counts, cJSON_CreateNumber(
				(double)en->counts[b]));
			sum += (double)en->counts[b];
		}
		cJSON_AddNumberToObject(c, "count", (double)now);
		if (skip) {
			centre = sum / (double)skip;
			ucl = cmp_control_limit(centre, sigma);
			lcl = centre - sigma * sqrt(centre);
			if (lcl < 0)
				lcl = 0;
			alert = (double)now > ucl;
			cJSON_AddNumberToObject(c, "centre",
						cmp_round_to(centre, 2));
			cJSON_AddNumberToObject(c, "ucl", cmp_round_to(ucl, 2));
			cJSON_AddNumberToObject(c, "lcl", cmp_round_to(lcl, 2));
		} else {
			/* No history: no limit, no alert. */
			cJSON_AddNullToObject(c, "centre");
			cJSON_AddNullToObject(c, "ucl");
			cJSON_AddNullToObject(c, "lcl");
		}
		cJSON_AddBoolToObject(c, "alert", alert);
		if (alert) {
			cJSON_AddItemToArray(alerts, en->key ?
					     cJSON_CreateString(en->key) :
					     cJSON_CreateNull());
			r->alerts++;
		}
		cJSON_AddItemToArray(cats, c);
	}
	return o;
}

int
cmp_report_volumes(struct cmp_report *r, cJSON *root, struct cmp_error *e)
{
	int nbase = r->cfg->report_baseline > 0 ? r->cfg->report_baseline : 0;
	double sigma = r->cfg->report_sigma > 0 ? r->cfg->report_sigma : 3;
	enum cmp_bucket_unit tu = trend_unit(r);
	cmp_time *bounds = cmp_xcalloc((size_t)nbase + 2, sizeof(cmp_time));
	cmp_time *tb, first;
	size_t used = 0, ntb, configured;
	struct vol_pass p;
	struct cmp_report_query q;
	int ret;

	memset(&p, 0, sizeof(p));
	p.r = r;
	tb = cmp_bucket_bounds(tu, r->since, r->until, r->zone, &ntb);
	p.trend = cmp_xcalloc(ntb, sizeof(int64_t));
	if ((ret = cmp_store_report_first(r->ctx->store, &first, e)))
		goto out;
	/* The baseline: the preceding periods that end after the first
	   complaint the store holds (before it, there is no history). */
	for (int i = nbase; i >= 1; i--) {
		cmp_time ps, pu;

		cmp_report_period_back(r->unit, r->zone, r->since, r->until, i,
				       &ps, &pu);
		if (first && pu > first)
			bounds[used++] = ps;
	}
	bounds[used++] = r->since;
	bounds[used++] = r->until;
	p.nperiods = used - 1;
	/* Every configured category has a chart, quiet ones too, in the
	   configuration's order; others follow by name. */
	for (size_t i = 0; i < r->cfg->categories.n; i++)
		rpt_tally_get(&p.control, r->cfg->categories.keys[i]);
	configured = p.control.n;
	memset(&q, 0, sizeof(q));
	q.as_of = r->as_of;
	q.rows = 1;
	if (used > 2) {
		static const char *const cat[] = {"category"};

		q.since = bounds[0];
		q.until = r->since;
		q.fields = cat;
		q.nfields = 1;
		q.bounds = bounds;
		q.nbounds = used - 1;
		if ((ret = cmp_store_report_groups(r->ctx->store, &q, vol_row,
						   &p, e)))
			goto out;
	}
	q.since = r->since;
	q.until = r->until;
	q.fields = dims;
	q.nfields = NDIMS;
	q.bounds = tb;
	q.nbounds = ntb;
	p.period = 1;
	if ((ret = cmp_store_report_groups(r->ctx->store, &q, vol_row, &p, e)))
		goto out;
	r->received = p.total;
	/* By name: the order a store streams its rows in is not every
	   store's. */
	tally_sort_from(&p.control, configured, by_key);
	r->control = control_json(r, &p, bounds, nbase, sigma);
	r->trend = trend_json(r, tu, tb, ntb, p.trend);
	if (root) {
		cJSON *bd = cJSON_AddObjectToObject(root, "breakdowns");
		int64_t causes = 0;

		/* Pareto first: it sorts the categories as the breakdown
		   would. */
		r->pareto = cJSON_CreateObject();
		cJSON_AddItemToObject(r->pareto, "category",
				      pareto_json(r, "category", &p.tally[0],
						  p.total));
		for (size_t i = 0; i < p.tally[ROOT_CAUSE].n; i++)
			causes += p.tally[ROOT_CAUSE].v[i].count;
		cJSON_AddItemToObject(r->pareto, "root_cause",
				      pareto_json(r, "root_cause",
						  &p.tally[ROOT_CAUSE],
						  causes));
		for (size_t i = 0; i < ROOT_CAUSE; i++)
			cJSON_AddItemToObject(bd, dims[i],
					      tally_items(r, dims[i],
							  &p.tally[i], p.total,
							  0));
	}
out:
	rpt_tally_release(&p.control);
	for (size_t i = 0; i < NDIMS; i++)
		rpt_tally_release(&p.tally[i]);
	free(p.trend);
	free(tb);
	free(bounds);
	return ret;
}

/* -- the pivot (--by) ------------------------------------------------- */

struct pv_row {
	char **values;
	long bucket;
	int64_t count;
};

struct pv_pass {
	struct cmp_report *r;
	size_t nsql;		/* fields the store groups by */
	struct pv_row *v;
	size_t n, cap;
};

static int
pv_group(void *arg, const char *const *values, long bucket, int64_t n)
{
	struct pv_pass *p = arg;
	struct pv_row *row;

	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 64;
		p->v = cmp_xrealloc(p->v, p->cap * sizeof(*p->v));
	}
	row = &p->v[p->n++];
	row->values = cmp_xcalloc(p->nsql + 1, sizeof(char *));
	for (size_t i = 0; i < p->nsql; i++) {
		/* The store's field order; masked here when redacting. */
		row->values[i] = cmp_report_shown(p->r,
						  p->r->by[p->r->sqlpos[i]],
						  values[i]);
	}
	row->bucket = bucket;
	row->count = n;
	return 0;
}

/* 1 if s is a number, whole, its value in *x. */
static int
is_number(const char *s, double *x)
{
	char *end;

	if (!*s)
		return 0;
	*x = strtod(s, &end);
	return !*end && !isnan(*x);
}

/* NULL first, then numbers by value, then the rest as text: an order of
   all values, so that the groups come out the same whatever order the
   store returns them in. */
static int
value_cmp(const char *a, const char *b)
{
	double x = 0, y = 0;
	int na, nb;

	if (!a || !b)
		return !!a - !!b;
	na = is_number(a, &x);
	nb = is_number(b, &y);
	if (na != nb)
		return nb - na;
	if (na && x != y)
		return x < y ? -1 : 1;
	return strcmp(a, b);
}

static size_t pv_nsql;

static int
pv_cmp(const void *a, const void *b)
{
	const struct pv_row *x = a, *y = b;

	for (size_t i = 0; i < pv_nsql; i++) {
		int c = value_cmp(x->values[i], y->values[i]);

		if (c)
			return c;
	}
	return x->bucket < y->bucket ? -1 : x->bucket > y->bucket;
}

static cJSON *
typed_value(const char *path, const char *v)
{
	const struct cmp_field *f = cmp_field_find(path);
	double d;
	char *end;

	if (!v)
		return cJSON_CreateNull();
	if (f && f->type == CMP_F_BOOL)
		return cJSON_CreateBool(strcmp(v, "0") != 0);
	if (f && (f->type == CMP_F_ID || f->type == CMP_F_INT ||
		  f->type == CMP_F_COUNT || f->type == CMP_F_SCORE ||
		  f->type == CMP_F_MONEY)) {
		d = strtod(v, &end);
		if (!*end)
			return cJSON_CreateNumber(d);
	}
	return cJSON_CreateString(v);
}

int
cmp_report_pivot(struct cmp_report *r, cJSON *root, struct cmp_error *e)
{
	struct pv_pass p;
	struct cmp_report_query q;
	const char **sqlf = cmp_xcalloc(r->nby + 1, sizeof(char *));
	enum cmp_bucket_unit tu = CMP_BUCKET_DAY;
	cmp_time *bounds = NULL;
	size_t nb = 0;
	int timed = -1, ret;
	int64_t total = 0;
	cJSON *by, *groups;

	memset(&p, 0, sizeof(p));
	p.r = r;
	r->sqlpos = cmp_xcalloc(r->nby + 1, sizeof(size_t));
	for (size_t i = 0; i < r->nby; i++) {
		enum cmp_bucket_unit u;

		if (cmp_bucket_parse(r->by[i], &u)) {
			if (timed >= 0) {
				ret = cmp_error_set(e, CMP_EX_USAGE, NULL,
						    "--by: one of hour, day, "
						    "week, month, year at "
						    "most");
				goto out;
			}
			timed = (int)i;
			tu = u;
			continue;
		}
		r->sqlpos[p.nsql] = i;
		sqlf[p.nsql++] = r->by[i];
	}
	if (timed >= 0)
		bounds = cmp_bucket_bounds(tu, r->since, r->until, r->zone,
					   &nb);
	memset(&q, 0, sizeof(q));
	q.since = r->since;
	q.until = r->until;
	q.as_of = r->as_of;
	q.fields = sqlf;
	q.nfields = p.nsql;
	q.bounds = bounds;
	q.nbounds = nb;
	if ((ret = cmp_store_report_groups(r->ctx->store, &q, pv_group, &p,
					   e)))
		goto out;
	pv_nsql = p.nsql;
	if (p.n)
		qsort(p.v, p.n, sizeof(*p.v), pv_cmp);
	by = cJSON_AddArrayToObject(root, "by");
	for (size_t i = 0; i < r->nby; i++)
		cJSON_AddItemToArray(by, cJSON_CreateString(r->by[i]));
	groups = cJSON_CreateArray();
	for (size_t i = 0; i < p.n; i++) {
		struct pv_row *row = &p.v[i];
		cJSON *g;

		/* Rows equal once masked merge into one group, counted
		   in the total once, with the group. */
		if (i + 1 < p.n && !pv_cmp(row, &p.v[i + 1])) {
			p.v[i + 1].count += row->count;
			continue;
		}
		g = cJSON_CreateObject();
		for (size_t k = 0, s = 0; k < r->nby; k++) {
			if ((int)k == timed) {
				char label[64];

				if (row->bucket < 0 ||
				    (size_t)row->bucket + 1 >= nb) {
					cJSON_AddNullToObject(g, r->by[k]);
					continue;
				}
				cmp_bucket_label(tu, bounds[row->bucket],
						 r->zone, label, sizeof(label));
				cJSON_AddStringToObject(g, r->by[k], label);
				continue;
			}
			cJSON_AddItemToObject(g, r->by[k],
					      typed_value(r->by[k],
							  row->values[s++]));
		}
		cJSON_AddNumberToObject(g, "count", (double)row->count);
		cJSON_AddItemToArray(groups, g);
		total += row->count;
	}
	cJSON_AddNumberToObject(root, "total", (double)total);
	cJSON_AddItemToObject(root, "groups", groups);
out:
	for (size_t i = 0; i < p.n; i++) {
		for (size_t k = 0; k < p.nsql; k++)
			free(p.v[i].values[k]);
		free(p.v[i].values);
	}
	free(p.v);
	free(sqlf);
	free(bounds);
	return ret;
}

