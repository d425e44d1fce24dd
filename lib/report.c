/*
 * report.c - cmp-report: the figures of a period, and their formats.
 *
 * The store aggregates (store.c, "reports"); this file turns periods in
 * the configured zone into UTC bounds, sorts out what the store streams
 * (deadlines met or missed, what was overdue, percentiles), and builds
 * one JSON tree, the report.  Every format is rendered from that tree,
 * so they never disagree: JSON, a terminal table with block-character
 * bars, CSV, Markdown, and one self-contained HTML page with inline SVG
 * charts (no scripts, no external requests).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "report.h"

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

struct cmp_report {
	const struct cmp_ctx *ctx;
	const struct cmp_config *cfg;
	const char *zone;
	unsigned flags;
	int redact;
	long overdue_max;	/* 0: list every overdue complaint */
	cmp_time now;
	cmp_time since, until;	/* the period, [since, until) */
	cmp_time as_of;		/* 0: everything the store holds */
	cmp_time end;		/* changes before it count: until, cut at
				   as_of */
	cmp_time end_state;	/* the state at the end: before this */
	enum cmp_period_unit unit;
	char name[96];
	int64_t received;
	char **by;		/* --by fields */
	size_t nby;
	size_t *sqlpos;		/* by[] index of each field the store
				   groups */
	cJSON *root;
	cJSON *pareto, *trend, *control;	/* built early, placed late */
	size_t alerts;
};

static void rpt_table(const struct cmp_report *r, struct cmp_buf *b,
		      int width);
static void rpt_csv(const struct cmp_report *r, struct cmp_buf *b);
static void rpt_markdown(const struct cmp_report *r, struct cmp_buf *b);
static void rpt_html(const struct cmp_report *r, struct cmp_buf *b);

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
by_count(const void *a, const void *b)
{
	const struct rpt_entry *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (!x->key || !y->key)
		return !x->key - !y->key;	/* none last */
	return strcmp(x->key, y->key);
}

/* The entries, most first (the tally's lookup is gone after this). */
static void
tally_sort(struct rpt_tally *t)
{
	if (t->n)
		qsort(t->v, t->n, sizeof(*t->v), by_count);
	free(t->slots);
	t->slots = NULL;
	t->nslots = 0;
}

/* ------------------------------------------------------------------ */
/* building the report                                                 */
/* ------------------------------------------------------------------ */

/* The label of a field's value: enumeration or department label. */
static const char *
rpt_label(const struct cmp_config *cfg, const char *path, const char *key)
{
	const struct cmp_field *f = cmp_field_find(path);
	const struct cmp_enum *en;

	if (!key)
		return "(none)";
	if (!f)
		return key;
	if (f->en == CMP_EN_DEPARTMENT) {
		const struct cmp_department *d =
			cmp_config_department(cfg, key);

		return d && d->label ? d->label : key;
	}
	en = cmp_field_enum(cfg, f);
	return en ? cmp_enum_label(en, key) : key;
}

static void
add_time(cJSON *o, const char *name, cmp_time t)
{
	char buf[CMP_TIME_BUFSZ];

	if (t)
		cJSON_AddStringToObject(o, name, cmp_time_format(t, buf));
	else
		cJSON_AddNullToObject(o, name);
}

static void
add_share(cJSON *o, const char *name, int64_t part, int64_t whole)
{
	if (whole > 0)
		cJSON_AddNumberToObject(o, name, cmp_round_to((double)part /
							   (double)whole, 4));
	else
		cJSON_AddNullToObject(o, name);
}

static void
add_key(cJSON *o, const char *name, const char *key)
{
	if (key)
		cJSON_AddStringToObject(o, name, key);
	else
		cJSON_AddNullToObject(o, name);
}

/* Mask a value of field path (personal ones) when redacting; caller
   owns the result. */
static char *
shown_value(const struct cmp_report *r, const char *path, const char *v)
{
	const struct cmp_field *f = cmp_field_find(path);

	if (!v)
		return NULL;
	if (r->redact && f && (f->flags & CMP_FF_PERSONAL))
		return cmp_redact_text(f->flags, v);
	if (r->redact && f && f->type == CMP_F_TEXT) {
		struct cmp_complaint none;

		/* Free text (a root cause, a summary): phones, e-mails. */
		cmp_complaint_init(&none);
		return cmp_redact_free_text(&none, v);
	}
	return cmp_xstrdup(v);
}

static cJSON *
period_json(const struct cmp_report *r)
{
	cJSON *p = cJSON_CreateObject();

	cJSON_AddStringToObject(p, "name", r->name);
	cJSON_AddStringToObject(p, "unit", cmp_period_unit_name(r->unit));
	add_time(p, "since", r->since);
	add_time(p, "until", r->until);
	cJSON_AddStringToObject(p, "timezone", r->zone && *r->zone ? r->zone :
				"UTC");
	add_time(p, "as_of", r->as_of);
	add_time(p, "generated_at", r->now);
	return p;
}

/* A name for [since, until): "2026-11", or local dates and times. */
static void
period_name(struct cmp_report *r)
{
	char a[CMP_TIME_BUFSZ], b[CMP_TIME_BUFSZ];
	struct tm ta, tb;

	if (r->unit == CMP_PERIOD_SPAN) {
		cmp_localtime(r->since, r->zone, &ta);
		cmp_localtime(r->until, r->zone, &tb);
		if (!ta.tm_hour && !ta.tm_min && !ta.tm_sec && !tb.tm_hour &&
		    !tb.tm_min && !tb.tm_sec) {
			strftime(a, sizeof(a), "%Y-%m-%d", &ta);
			strftime(b, sizeof(b), "%Y-%m-%d", &tb);
		} else {
			strftime(a, sizeof(a), "%Y-%m-%d %H:%M", &ta);
			strftime(b, sizeof(b), "%Y-%m-%d %H:%M", &tb);
		}
		snprintf(r->name, sizeof(r->name), "%s .. %s", a, b);
		return;
	}
	cmp_bucket_label(cmp_period_bucket(r->unit), r->since, r->zone, r->name,
			 sizeof(r->name));
}

/* -- the breakdowns, the trend and root causes: one pass ------------ */

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
		char *key = shown_value(r, path, t->v[i].key);

		add_key(it, "key", key);
		cJSON_AddStringToObject(it, "label",
					rpt_label(r->cfg, path, key));
		cJSON_AddNumberToObject(it, "count", (double)t->v[i].count);
		add_share(it, "share", t->v[i].count, total);
		if (pareto) {
			cum += t->v[i].count;
			add_share(it, "cumulative", cum, total);
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

/* -- deadlines ------------------------------------------------------ */

struct dl_acc {
	int64_t met, missed, pending;
	int64_t *secs;
	size_t n, cap;
};

struct dl_pass {
	struct cmp_report *r;
	cmp_time end;		/* journal cut: min(until, as_of + 1) */
	cmp_time moment;	/* what has passed: as_of, else now */
	struct dl_acc acc[CMP_DL_COUNT];
};

static int
running(const char *status)
{
	return status && (!strcmp(status, "new") ||
			  !strcmp(status, "assigned"));
}

static int
dl_row(void *arg, const struct cmp_report_deadline_row *row)
{
	struct dl_pass *p = arg;
	const struct cmp_report *r = p->r;

	if (r->as_of && row->created_at > r->as_of)
		return 0;
	for (int k = 0; k < CMP_DL_COUNT; k++) {
		struct dl_acc *a = &p->acc[k];
		cmp_time due = row->due[k], met = row->met[k];
		const char *then = row->status_at_due[k];

		if (r->as_of && met > r->as_of)
			met = 0;	/* not met yet, as of then */
		/* Durations: of what was met in the period. */
		if (met && met >= r->since && met < p->end &&
		    met >= row->received_at) {
			if (a->n == a->cap) {
				a->cap = a->cap ? 2 * a->cap : 256;
				a->secs = cmp_xrealloc(a->secs, a->cap *
						       sizeof(int64_t));
			}
			a->secs[a->n++] = met - row->received_at;
		}
		if (!due)
			continue;
		/* Met in time counts when it was met; missed, when it fell
		   due with the complaint open and its clock running. */
		if (met && met <= due) {
			if (met >= r->since && met < p->end)
				a->met++;
			continue;
		}
		if (due < r->since || due >= r->until)
			continue;
		if (met) {
			if (running(then))
				a->missed++;
		} else if (due >= p->moment ||
			   (then && !strcmp(then, "waiting"))) {
			a->pending++;	/* not yet known, or clock stopped */
		} else if (running(then)) {
			a->missed++;
		}
	}
	return 0;
}

static int
deadlines(struct cmp_report *r, cJSON *root, struct cmp_error *e)
{
	struct dl_pass p;
	cJSON *o;
	int ret;

	memset(&p, 0, sizeof(p));
	p.r = r;
	p.end = r->end;
	p.moment = r->as_of ? r->as_of : r->now;
	ret = cmp_store_report_deadlines(r->ctx->store, r->since, r->until,
					 dl_row, &p, e);
	o = cJSON_AddObjectToObject(root, "deadlines");
	for (int k = 0; k < CMP_DL_COUNT && !ret; k++) {
		struct dl_acc *a = &p.acc[k];
		cJSON *d = cJSON_AddObjectToObject(o, cmp_deadline_names[k]);

		cJSON_AddNumberToObject(d, "due", (double)(a->met + a->missed));
		cJSON_AddNumberToObject(d, "met", (double)a->met);
		cJSON_AddNumberToObject(d, "missed", (double)a->missed);
		cJSON_AddNumberToObject(d, "pending", (double)a->pending);
		add_share(d, "share_met", a->met, a->met + a->missed);
		cJSON_AddNumberToObject(d, "measured", (double)a->n);
		if (a->n) {
			cJSON_AddNumberToObject(d, "median_seconds",
				(double)cmp_percentile(a->secs, a->n, 50));
			cJSON_AddNumberToObject(d, "p90_seconds",
				(double)cmp_percentile(a->secs, a->n, 90));
		} else {
			cJSON_AddNullToObject(d, "median_seconds");
			cJSON_AddNullToObject(d, "p90_seconds");
		}
	}
	for (int k = 0; k < CMP_DL_COUNT; k++)
		free(p.acc[k].secs);
	return ret;
}

/* -- overdue at the end ---------------------------------------------- */

struct late {
	int64_t id;
	cmp_time due;
	unsigned which;
	char *status;		/* the status then */
};

struct od_pass {
	struct cmp_report *r;
	cmp_time at;		/* state before this moment */
	cmp_time moment;	/* shown as "at" */
	struct late *v;		/* with a limit: a heap, least late on top */
	size_t n, cap, limit;	/* limit 0: keep all */
	int64_t count;		/* every overdue complaint */
	int64_t open;		/* every open one: the backlog */
};

/* Is x less late than y (due later; the higher id on a tie)? */
static int
less_late(const struct late *x, const struct late *y)
{
	return x->due != y->due ? x->due > y->due : x->id > y->id;
}

static void
swap_late(struct late *a, struct late *b)
{
	struct late t = *a;

	*a = *b;
	*b = t;
}

static void
heap_down(struct late *v, size_t n, size_t i)
{
	for (;;) {
		size_t m = i, l = 2 * i + 1, r = l + 1;

		if (l < n && less_late(&v[l], &v[m]))
			m = l;
		if (r < n && less_late(&v[r], &v[m]))
			m = r;
		if (m == i)
			return;
		swap_late(&v[i], &v[m]);
		i = m;
	}
}

static void
heap_up(struct late *v, size_t i)
{
	while (i > 0 && less_late(&v[i], &v[(i - 1) / 2])) {
		swap_late(&v[i], &v[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
}

/*
 * With a limit the list is a heap of the most overdue so far: memory
 * stays that of the list however much is overdue.
 */
static int
od_keeps(const struct od_pass *p, const struct late *l)
{
	return !p->limit || p->n < p->limit || less_late(&p->v[0], l);
}

static void
od_put(struct od_pass *p, const struct late *l)
{
	if (p->limit && p->n == p->limit) {
		free(p->v[0].status);
		p->v[0] = *l;
		heap_down(p->v, p->n, 0);
		return;
	}
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 64;
		p->v = cmp_xrealloc(p->v, p->cap * sizeof(*p->v));
	}
	p->v[p->n] = *l;
	if (p->limit)
		heap_up(p->v, p->n);
	p->n++;
}

static int
od_row(void *arg, const struct cmp_report_open_row *row)
{
	struct od_pass *p = arg;
	struct late l;
	cmp_time first = 0;
	unsigned which = 0;

	if (!cmp_status_open(row->status))
		return 0;
	p->open++;
	for (int k = 0; k < CMP_DL_COUNT; k++) {
		cmp_time due = row->due[k];

		if (!due || due >= p->at ||
		    (row->met[k] && row->met[k] < p->at))
			continue;
		/* A waiting complaint's clocks stopped when it began to
		   wait: only what was late then counts. */
		if (!strcmp(row->status, "waiting") && row->waiting_since &&
		    due >= row->waiting_since)
			continue;
		which |= 1u << k;
		if (!first || due < first)
			first = due;
	}
	if (!which)
		return 0;
	p->count++;
	l.id = row->id;
	l.due = first;
	l.which = which;
	if (!od_keeps(p, &l))
		return 0;
	l.status = cmp_xstrdup(row->status);
	od_put(p, &l);
	return 0;
}

static int
by_lateness(const void *a, const void *b)
{
	const struct late *x = a, *y = b;

	if (x->due != y->due)
		return x->due < y->due ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The complaints open at the end: the backlog, and the overdue list
   (one pass over them, sorted by lateness). */
static int
open_at_end(struct cmp_report *r, struct od_pass *p, struct cmp_error *e)
{
	int ret;

	memset(p, 0, sizeof(*p));
	p->r = r;
	p->at = r->end_state;
	p->moment = r->end_state == r->until ? r->until : p->at - 1;
	p->limit = (size_t)r->overdue_max;
	ret = cmp_store_report_open(r->ctx->store, p->at, r->as_of, od_row,
				    p, e);
	if (p->n)
		qsort(p->v, p->n, sizeof(*p->v), by_lateness);
	return ret;
}

/* One complaint of the overdue list, as it is now but for its status. */
static cJSON *
od_item(const struct od_pass *p, const struct late *l, struct cmp_error *e)
{
	const struct cmp_report *r = p->r;
	struct cmp_complaint c;
	cJSON *it, *dl;
	char *s;

	cmp_complaint_init(&c);
	if (cmp_store_load(r->ctx->store, l->id, &c, e)) {
		cmp_complaint_release(&c);
		return NULL;
	}
	it = cJSON_CreateObject();
	cJSON_AddNumberToObject(it, "id", (double)l->id);
	add_key(it, "ref", c.ref);
	add_key(it, "status", l->status);
	add_key(it, "category", c.category);
	add_key(it, "severity", c.severity);
	add_key(it, "department", c.department);
	add_key(it, "owner", c.owner);
	s = shown_value(r, "customer.name", c.customer.name);
	add_key(it, "customer", s);
	free(s);
	if (r->redact && c.summary)
		s = cmp_redact_free_text(&c, c.summary);
	else
		s = cmp_xstrdup(c.summary);
	add_key(it, "summary", s);
	free(s);
	add_time(it, "received_at", c.received_at);
	dl = cJSON_AddArrayToObject(it, "deadlines");
	for (int k = 0; k < CMP_DL_COUNT; k++)
		if (l->which & (1u << k))
			cJSON_AddItemToArray(dl, cJSON_CreateString(
				cmp_deadline_names[k]));
	add_time(it, "due", l->due);
	cJSON_AddNumberToObject(it, "overdue_seconds",
				(double)(p->moment - l->due));
	cmp_complaint_release(&c);
	return it;
}

/* The overdue list into root (root NULL: dropped), each complaint read
   from the store: only those listed are. */
static int
overdue(struct od_pass *p, cJSON *root, struct cmp_error *e)
{
	cJSON *o = root ? cJSON_AddObjectToObject(root, "overdue") : NULL;
	cJSON *list = NULL, *it;
	int ret = 0;

	if (o) {
		add_time(o, "at", p->moment);
		cJSON_AddNumberToObject(o, "count", (double)p->count);
		list = cJSON_AddArrayToObject(o, "complaints");
	}
	for (size_t i = 0; i < p->n; i++) {
		if (list && !ret) {
			if ((it = od_item(p, &p->v[i], e)))
				cJSON_AddItemToArray(list, it);
			else
				ret = e->code;
		}
		free(p->v[i].status);
	}
	free(p->v);
	p->v = NULL;
	p->n = 0;
	return ret;
}

/* -- follow-ups, money ------------------------------------------------ */

static int
followups(struct cmp_report *r, cJSON *root, struct cmp_error *e)
{
	struct cmp_report_followups f;
	int bar = r->cfg->followup_satisfied_at ? r->cfg->followup_satisfied_at
		: 4;
	cJSON *o;
	int ret;

	if ((ret = cmp_store_report_followups(r->ctx->store, r->since,
					      r->until, r->as_of, bar, &f, e)))
		return ret;
	o = cJSON_AddObjectToObject(root, "followup");
	cJSON_AddNumberToObject(o, "due", (double)f.due);
	cJSON_AddNumberToObject(o, "done", (double)f.done);
	cJSON_AddNumberToObject(o, "scored", (double)f.scored);
	if (f.scored)
		cJSON_AddNumberToObject(o, "average_satisfaction",
					cmp_round_to(f.score_sum /
						  (double)f.scored, 2));
	else
		cJSON_AddNullToObject(o, "average_satisfaction");
	cJSON_AddNumberToObject(o, "satisfied", (double)f.satisfied);
	add_share(o, "share_satisfied", f.satisfied, f.scored);
	cJSON_AddNumberToObject(o, "bar", bar);
	return 0;
}

static int
money_row(void *arg, const char *type, const char *currency, int64_t n,
	  double amount)
{
	cJSON *m = cJSON_CreateObject();

	add_key(m, "type", type);
	add_key(m, "currency", currency);
	cJSON_AddNumberToObject(m, "count", (double)n);
	cJSON_AddNumberToObject(m, "amount", cmp_round_to(amount, 2));
	cJSON_AddItemToArray(arg, m);
	return 0;
}

/* -- volumes: breakdowns, trend, Pareto, control chart: one pass ----- */

/*
 * One pass over the complaints received from the first baseline period
 * to the end of this one, streamed (a hash here is cheaper than the
 * store's sorter over so many rows): the control chart counts each
 * category per period; the period's own rows also feed the breakdowns,
 * the root causes and the trend.
 */
static const char *const vol_fields[] = {
	"category", "received_at", "channel", "department", "severity",
	"customer.tier", "product.name", "root_cause"
};
/* vol_fields[] index of each of dims[], and of the time received. */
static const size_t vol_dim[NDIMS] = {0, 2, 3, 4, 5, 6, 7};
#define VOL_RECEIVED 1

struct vol_pass {
	struct cmp_report *r;
	struct rpt_tally control;	/* category: counts per period */
	size_t nperiods;		/* baseline periods used, then this */
	size_t offset;			/* of the buckets of the pass */
	struct rpt_tally tally[NDIMS];
	char (*trend_bounds)[CMP_TIME_BUFSZ];
	size_t ntrend;			/* buckets */
	int64_t *trend;
	int64_t total;
};

static int
vol_row(void *arg, const char *const *values, long bucket, int64_t n)
{
	struct vol_pass *p = arg;
	struct rpt_entry *en;
	const char *t = values[VOL_RECEIVED];
	size_t lo = 0, hi = p->ntrend;

	if (bucket < 0)
		return 0;
	bucket += (long)p->offset;
	if ((size_t)bucket >= p->nperiods)
		return 0;
	en = rpt_tally_get(&p->control, values[0]);
	if (!en->counts)
		en->counts = cmp_xcalloc(p->nperiods, sizeof(int64_t));
	en->counts[bucket] += n;
	if ((size_t)bucket + 1 != p->nperiods)
		return 0;
	/* This period's complaint. */
	for (size_t i = 0; i < NDIMS; i++) {
		const char *v = values[vol_dim[i]];

		if (i == ROOT_CAUSE && !v)
			continue;	/* causes where recorded */
		rpt_tally_get(&p->tally[i], v)->count += n;
	}
	p->total += n;
	if (!t || strcmp(t, p->trend_bounds[0]) < 0)
		return 0;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(p->trend_bounds[mid], t) <= 0)
			lo = mid;
		else
			hi = mid;
	}
	p->trend[lo] += n;
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
		add_time(b, "since", bounds[i]);
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
		add_time(pe, "since", bounds[i]);
		add_time(pe, "until", bounds[i + 1]);
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
		add_key(c, "key", en->key);
		cJSON_AddStringToObject(c, "label",
					rpt_label(r->cfg, "category", en->key));
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

static int
volumes(struct cmp_report *r, cJSON *root, struct cmp_error *e)
{
	int nbase = r->cfg->report_baseline > 0 ? r->cfg->report_baseline : 0;
	double sigma = r->cfg->report_sigma > 0 ? r->cfg->report_sigma : 3;
	enum cmp_bucket_unit tu = trend_unit(r);
	cmp_time *bounds = cmp_xcalloc((size_t)nbase + 2, sizeof(cmp_time));
	cmp_time *tb, first;
	size_t used = 0, ntb;
	struct vol_pass p;
	struct cmp_report_query q;
	int ret;

	memset(&p, 0, sizeof(p));
	p.r = r;
	tb = cmp_bucket_bounds(tu, r->since, r->until, r->zone, &ntb);
	p.ntrend = ntb - 1;
	p.trend = cmp_xcalloc(ntb, sizeof(int64_t));
	p.trend_bounds = cmp_xcalloc(ntb, sizeof(*p.trend_bounds));
	for (size_t i = 0; i < ntb; i++)
		cmp_time_format(tb[i], p.trend_bounds[i]);
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
	   configuration's order; others follow as the store has them. */
	for (size_t i = 0; i < r->cfg->categories.n; i++)
		rpt_tally_get(&p.control, r->cfg->categories.keys[i]);
	memset(&q, 0, sizeof(q));
	q.since = bounds[0];
	q.until = r->until;
	q.as_of = r->as_of;
	q.fields = vol_fields;
	q.nfields = CMP_ARRAY_LEN(vol_fields);
	q.bounds = bounds;
	q.nbounds = used;
	q.rows = 1;
	/* The baseline periods need the category only; this period, all
	   the dimensions (two passes: fewer columns read). */
	if (used > 2) {
		static const char *const cat[] = {"category"};

		q.fields = cat;
		q.nfields = 1;
		q.until = r->since;
		q.nbounds = used - 1;
		if ((ret = cmp_store_report_groups(r->ctx->store, &q, vol_row,
						   &p, e)))
			goto out;
	}
	q.since = r->since;
	q.until = r->until;
	q.fields = vol_fields;
	q.nfields = CMP_ARRAY_LEN(vol_fields);
	q.bounds = bounds + used - 2;
	q.nbounds = 2;
	p.offset = used - 2;
	if ((ret = cmp_store_report_groups(r->ctx->store, &q, vol_row, &p, e)))
		goto out;
	r->received = p.total;
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
	free(p.trend_bounds);
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
		row->values[i] = shown_value(p->r, p->r->by[p->r->sqlpos[i]],
					     values[i]);
	}
	row->bucket = bucket;
	row->count = n;
	return 0;
}

/* Compare values as numbers when both are, else as text; NULL first. */
static int
value_cmp(const char *a, const char *b)
{
	char *ea, *eb;
	double x, y;

	if (!a || !b)
		return !!a - !!b;
	x = strtod(a, &ea);
	y = strtod(b, &eb);
	if (*a && *b && !*ea && !*eb && x != y)
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

static int
pivot(struct cmp_report *r, cJSON *root, struct cmp_error *e)
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

		total += row->count;
		/* Rows equal once masked merge into one group. */
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

/* -- the whole ------------------------------------------------------ */

static int
parse_when(const struct cmp_report *r, const char *opt, const char *s,
	   cmp_time *out, struct cmp_error *e)
{
	if (cmp_time_parse(s, r->zone, r->now, out, e)) {
		char msg[sizeof(e->msg)];

		snprintf(msg, sizeof(msg), "%s", e->msg);
		return cmp_error_set(e, CMP_EX_DATAERR, NULL, "%s: %s", opt,
				     msg);
	}
	return 0;
}

static int
split_by(struct cmp_report *r, const char *list, struct cmp_error *e)
{
	const char *p = list;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);

		if (!n)
			return cmp_error_set(e, CMP_EX_USAGE, NULL,
					     "--by: an empty field in '%s'",
					     list);
		r->by = cmp_xrealloc(r->by, (r->nby + 1) * sizeof(char *));
		r->by[r->nby++] = cmp_xstrndup(p, n);
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

static int
run(struct cmp_report *r, const struct cmp_report_opts *o,
    struct cmp_error *e)
{
	cJSON *root = r->root = cJSON_CreateObject(), *counts, *money;
	struct cmp_report_events ev;
	struct od_pass open;
	cmp_time moment;
	int ret;

	if (o->as_of && (ret = parse_when(r, "--as-of", o->as_of, &r->as_of,
					  e)))
		return ret;
	if (o->since || o->until) {
		if (o->period)
			return cmp_error_set(e, CMP_EX_USAGE, NULL,
					     "--period and --since/--until "
					     "are exclusive");
		if (!o->since)
			return cmp_error_set(e, CMP_EX_USAGE, NULL,
					     "--until needs --since");
		if ((ret = parse_when(r, "--since", o->since, &r->since, e)))
			return ret;
		r->until = r->now;
		if (o->until && (ret = parse_when(r, "--until", o->until,
						  &r->until, e)))
			return ret;
		if (r->until <= r->since)
			return cmp_error_set(e, CMP_EX_DATAERR, NULL,
					     "--until: the period ends before "
					     "it begins");
		r->unit = CMP_PERIOD_SPAN;
	} else if ((ret = cmp_report_period(o->period ? o->period :
					    "this-month", r->zone, r->now,
					    &r->since, &r->until, &r->unit,
					    e))) {
		return ret;
	}
	period_name(r);
	/* What has happened: changes before r->end count; the state at
	   the end is the state before r->end_state. */
	moment = r->as_of ? r->as_of : r->now;
	r->end = r->as_of && r->as_of + 1 < r->until ? r->as_of + 1 :
		r->until;
	r->end_state = moment + 1 < r->until ? moment + 1 : r->until;
	cJSON_AddItemToObject(root, "period", period_json(r));
	if (o->by) {
		if ((ret = split_by(r, o->by, e)) || (ret = pivot(r, root, e)))
			return ret;
		if ((o->flags & CMP_REPORT_CONTROL) &&
		    !(ret = volumes(r, NULL, e))) {
			cJSON_AddItemToObject(root, "control", r->control);
			r->control = NULL;
		}
		cJSON_AddBoolToObject(root, "redacted", r->redact);
		return ret;
	}
	counts = cJSON_AddObjectToObject(root, "counts");
	if ((ret = volumes(r, root, e)))
		return ret;
	if ((ret = cmp_store_report_events(r->ctx->store, r->since, r->end,
					   &ev, e)))
		return ret;
	if ((ret = open_at_end(r, &open, e))) {
		overdue(&open, NULL, e);
		return ret;
	}
	cJSON_AddNumberToObject(counts, "received", (double)r->received);
	cJSON_AddNumberToObject(counts, "acknowledged",
				(double)ev.acknowledged);
	cJSON_AddNumberToObject(counts, "replied", (double)ev.replied);
	cJSON_AddNumberToObject(counts, "resolved", (double)ev.resolved);
	cJSON_AddNumberToObject(counts, "closed", (double)ev.closed);
	cJSON_AddNumberToObject(counts, "rejected", (double)ev.rejected);
	cJSON_AddNumberToObject(counts, "reopened", (double)ev.reopened);
	cJSON_AddNumberToObject(counts, "backlog", (double)open.open);
	ret = deadlines(r, root, e);
	if (ret)
		overdue(&open, NULL, e);
	else
		ret = overdue(&open, root, e);
	if (ret || (ret = followups(r, root, e)))
		return ret;
	money = cJSON_AddArrayToObject(root, "money");
	if ((ret = cmp_store_report_money(r->ctx->store, r->since, r->end,
					  money_row, money, e)))
		return ret;
	cJSON_AddItemToObject(root, "pareto", r->pareto);
	r->pareto = NULL;
	cJSON_AddItemToObject(root, "control", r->control);
	r->control = NULL;
	cJSON_AddItemToObject(root, "trend", r->trend);
	r->trend = NULL;
	cJSON_AddBoolToObject(root, "redacted", r->redact);
	return 0;
}

int
cmp_report_run(struct cmp_report **out, const struct cmp_ctx *ctx,
	       const struct cmp_report_opts *opts, struct cmp_error *e)
{
	struct cmp_report *r = cmp_xcalloc(1, sizeof(*r));
	int ret;

	*out = NULL;
	r->ctx = ctx;
	r->cfg = ctx->cfg;
	r->zone = ctx->cfg->timezone;
	r->now = ctx->now;
	r->flags = opts->flags;
	r->overdue_max = opts->overdue_max;
	r->redact = (opts->flags & CMP_REPORT_REDACT) ||
		    ctx->cfg->report_redact;
	if ((ret = run(r, opts, e))) {
		cmp_report_free(r);
		return ret;
	}
	*out = r;
	return 0;
}

const cJSON *
cmp_report_json(const struct cmp_report *r)
{
	return r->root;
}

size_t
cmp_report_alerts(const struct cmp_report *r)
{
	return r->alerts;
}

void
cmp_report_free(struct cmp_report *r)
{
	if (!r)
		return;
	cJSON_Delete(r->root);
	cJSON_Delete(r->pareto);
	cJSON_Delete(r->trend);
	cJSON_Delete(r->control);
	for (size_t i = 0; i < r->nby; i++)
		free(r->by[i]);
	free(r->by);
	free(r->sqlpos);
	free(r);
}

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
		rpt_table(r, &b, width > 40 ? width : 40);
		strip_trailing(&b);
		break;
	case CMP_REPORT_CSV:
		rpt_csv(r, &b);
		break;
	case CMP_REPORT_MARKDOWN:
		rpt_markdown(r, &b);
		break;
	case CMP_REPORT_HTML:
		rpt_html(r, &b);
		break;
	}
	fwrite(cmp_buf_str(&b), 1, b.len, fp);
	cmp_buf_release(&b);
	if (fflush(fp) || ferror(fp))
		return cmp_error_set(e, CMP_EX_IOERR, NULL,
				     "cannot write the report");
	return 0;
}

/* ------------------------------------------------------------------ */
/* rendering: shared helpers                                           */
/* ------------------------------------------------------------------ */

/* The deadlines' names for people. */
static const char *const deadline_titles[CMP_DL_COUNT] = {
	"acknowledge", "first reply", "resolve"
};
static const char *const count_names[] = {
	"received", "acknowledged", "replied", "resolved", "closed",
	"rejected", "reopened", "backlog"
};
static const char *const count_titles[] = {
	"received", "acknowledged", "replied", "resolved", "closed",
	"rejected", "reopened", "open at the end"
};
static const char *const breakdown_titles[][2] = {
	{"category", "category"}, {"channel", "channel"},
	{"department", "department"}, {"severity", "severity"},
	{"customer.tier", "customer tier"}, {"product.name", "product"},
};
/* Rows of a list a person reads (JSON has them all). */
#define SHOW_ROWS 15
#define SHOW_OVERDUE 25

static const cJSON *
jget(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static double
jnum(const cJSON *o, const char *k)
{
	const cJSON *v = jget(o, k);

	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *
jstr(const cJSON *o, const char *k)
{
	const cJSON *v = jget(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *
jpath(const cJSON *o, const char *a, const char *b)
{
	return jget(jget(o, a), b);
}

/* "80.0%", "-" for none. */
static char *
pct(double share, char *buf)
{
	if (isnan(share))
		snprintf(buf, 16, "-");
	else
		snprintf(buf, 16, "%.1f%%", share * 100);
	return buf;
}

static char *
secs(double s, char *buf)
{
	if (isnan(s))
		return strcpy(buf, "-");
	return cmp_seconds_format((int64_t)s, buf);
}

static char *
num(double v, char *buf)
{
	if (isnan(v))
		snprintf(buf, 32, "-");
	else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, 32, "%.0f", v);
	else
		snprintf(buf, 32, "%.2f", v);
	return buf;
}

/* An RFC 3339 time of the report as a local "2026-11-20 09:15". */
static char *
local(const struct cmp_report *r, const char *iso, char *buf)
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

static const char *
zone_name(const struct cmp_report *r)
{
	return r->zone && *r->zone ? r->zone : "UTC";
}

/* A label for a group's value of field path. */
static const char *
value_label(const struct cmp_report *r, const char *path, const cJSON *v,
	    char *buf)
{
	if (!v || cJSON_IsNull(v))
		return "(none)";
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v) ? "true" : "false";
	if (cJSON_IsNumber(v))
		return num(v->valuedouble, buf);
	return rpt_label(r->cfg, path, v->valuestring);
}

static double
max_count(const cJSON *items, const char *key)
{
	const cJSON *it;
	double m = 0;

	cJSON_ArrayForEach(it, items)
		if (jnum(it, key) > m)
			m = jnum(it, key);
	return m;
}

/* A bar of block characters: width cells for max, eighths for the rest. */
static void
block_bar(struct cmp_buf *b, double v, double max, int width)
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
static void
sparkline(struct cmp_buf *b, const double *v, size_t n)
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
static double *
control_values(const cJSON *cat, size_t *n)
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
	double max = max_count(items, "count");
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
		block_bar(t->b, jnum(it, "count"), max, bw);
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
		     local(t->r, jstr(p, "since"), a),
		     local(t->r, jstr(p, "until"), u), zone_name(t->r));
	if (t->r->as_of)
		cmp_buf_addf(t->b, "as the data stood at %s\n",
			     local(t->r, jstr(p, "as_of"), a));
}

static void
tbl_pivot(struct tbl *t)
{
	const cJSON *groups = jget(t->r->root, "groups"), *g;
	const struct cmp_report *r = t->r;
	size_t *w = cmp_xcalloc(r->nby + 1, sizeof(size_t));
	double max = max_count(groups, "count");
	int bw = t->width - 9;
	char nb[32];

	for (size_t k = 0; k < r->nby; k++) {
		w[k] = cmp_term_width(r->by[k]);
		cJSON_ArrayForEach(g, groups) {
			size_t x = cmp_term_width(value_label(r, r->by[k],
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
			cell(t->b, value_label(r, r->by[k], jget(g, r->by[k]),
					       nb), w[k], 0);
			cmp_buf_adds(t->b, "  ");
		}
		cell(t->b, num(jnum(g, "count"), nb), 7, 1);
		cmp_buf_adds(t->b, "  ");
		block_bar(t->b, jnum(g, "count"), max, bw);
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
		double *v = control_values(c, &n);
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
		sparkline(t->b, v, n);
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

	tbl_heading(t, "Overdue at %s: %s", local(t->r, jstr(od, "at"), a),
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

static void
rpt_table(const struct cmp_report *r, struct cmp_buf *b, int width)
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
	for (size_t i = 0; i < CMP_ARRAY_LEN(count_names); i++) {
		cmp_buf_adds(b, "  ");
		cell(b, count_titles[i], 18, 0);
		cell(b, num(jnum(jget(root, "counts"), count_names[i]), nb), 8,
		     1);
		cmp_buf_addc(b, '\n');
	}
	for (size_t i = 0; i < CMP_ARRAY_LEN(breakdown_titles); i++) {
		tbl_heading(&t, "By %s", breakdown_titles[i][1]);
		tbl_bars(&t, jpath(root, "breakdowns",
				   breakdown_titles[i][0]));
	}
	tbl_heading(&t, "Deadlines (met in time: pauses counted)");
	cmp_buf_adds(b, "  deadline         due     met  missed  pending"
		     "    met %    median       p90\n");
	for (int k = 0; k < CMP_DL_COUNT; k++) {
		const cJSON *d = jpath(root, "deadlines",
				       cmp_deadline_names[k]);

		cmp_buf_adds(b, "  ");
		cell(b, deadline_titles[k], 12, 0);
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
		cell(b, rpt_label(r->cfg, "resolution.type", jstr(it, "type")),
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
		double max = max_count(jget(it, "buckets"), "count");

		cJSON_ArrayForEach(bk, jget(it, "buckets")) {
			cmp_buf_adds(b, "  ");
			cell(b, jstr(bk, "label"), 16, 0);
			cell(b, num(jnum(bk, "count"), nb), 7, 1);
			cmp_buf_adds(b, "  ");
			block_bar(b, jnum(bk, "count"), max,
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

static void
rpt_csv(const struct cmp_report *r, struct cmp_buf *b)
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
	for (size_t i = 0; i < CMP_ARRAY_LEN(count_names); i++)
		csv_row(b, "counts", count_names[i], NULL,
			jnum(jget(root, "counts"), count_names[i]));
	for (size_t i = 0; i < CMP_ARRAY_LEN(breakdown_titles); i++) {
		snprintf(sec, sizeof(sec), "by.%s", breakdown_titles[i][0]);
		csv_items(b, sec, jpath(root, "breakdowns",
					breakdown_titles[i][0]));
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
	double max = max_count(items, "count");
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
		block_bar(&bar, jnum(it, "count"), max, 20);
		md_cell(b, cmp_buf_str(&bar));
		cmp_buf_release(&bar);
		cmp_buf_addc(b, '\n');
	}
}

static void
rpt_markdown(const struct cmp_report *r, struct cmp_buf *b)
{
	const cJSON *root = r->root, *p = jget(root, "period"), *it;
	char a[CMP_TIME_BUFSZ], u[CMP_TIME_BUFSZ], nb[32], pb[16], sb[32],
	     s2[32];

	cmp_buf_addf(b, "# Complaints: %s\n\n", r->name);
	cmp_buf_addf(b, "%s to %s (%s)", local(r, jstr(p, "since"), a),
		     local(r, jstr(p, "until"), u), zone_name(r));
	if (r->as_of)
		cmp_buf_addf(b, ", as the data stood at %s",
			     local(r, jstr(p, "as_of"), a));
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
				md_cell(b, value_label(r, r->by[k],
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
	for (size_t i = 0; i < CMP_ARRAY_LEN(count_names); i++)
		cmp_buf_addf(b, "| %s | %s |\n", count_titles[i],
			     num(jnum(jget(root, "counts"), count_names[i]),
				 nb));
	for (size_t i = 0; i < CMP_ARRAY_LEN(breakdown_titles); i++) {
		cmp_buf_addf(b, "\n## By %s\n", breakdown_titles[i][1]);
		md_items(b, breakdown_titles[i][1],
			 jpath(root, "breakdowns", breakdown_titles[i][0]), 0);
	}
	cmp_buf_adds(b, "\n## Deadlines\n\nMet in time, pauses counted.\n\n"
		     "| deadline | due | met | missed | pending | met % |"
		     " median | p90 |\n|---|---:|---:|---:|---:|---:|---:|"
		     "---:|\n");
	for (int k = 0; k < CMP_DL_COUNT; k++) {
		const cJSON *d = jpath(root, "deadlines",
				       cmp_deadline_names[k]);

		cmp_buf_addf(b, "| %s | %s", deadline_titles[k],
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
	cmp_buf_addf(b, "\n## Overdue at %s: %s\n", local(r, jstr(it, "at"), a),
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
			md_cell(b, rpt_label(r->cfg, "resolution.type",
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
			double *v = control_values(c, &n);

			sparkline(&sp, v, n);
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
		double max = max_count(jget(it, "buckets"), "count");

		cJSON_ArrayForEach(bk, jget(it, "buckets")) {
			struct cmp_buf bar = CMP_BUF_INIT;

			block_bar(&bar, jnum(bk, "count"), max, 20);
			cmp_buf_adds(b, "|");
			md_cell(b, jstr(bk, "label"));
			md_cell(b, num(jnum(bk, "count"), nb));
			md_cell(b, cmp_buf_str(&bar));
			cmp_buf_addc(b, '\n');
			cmp_buf_release(&bar);
		}
	}
}

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
	double max = max_count(items, "count");
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
	double max = nice_ceil(max_count(buckets, "count"));
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
	double max = nice_ceil(max_count(items, "count"));
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
	double *v = control_values(cat, &n);
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
	for (size_t i = 0; i < CMP_ARRAY_LEN(count_names); i++) {
		cmp_buf_adds(b, "<th class=\"n\">");
		esc(b, count_titles[i]);
		cmp_buf_adds(b, "</th>");
	}
	cmp_buf_adds(b, "</tr>\n<tr>");
	for (size_t i = 0; i < CMP_ARRAY_LEN(count_names); i++)
		cmp_buf_addf(b, "<td class=\"n big\">%s</td>",
			     num(jnum(counts, count_names[i]), nb));
	cmp_buf_adds(b, "</tr></table>\n");
}

static void
html_pivot(const struct cmp_report *r, struct cmp_buf *b)
{
	const cJSON *g;
	double max = max_count(jget(r->root, "groups"), "count");
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
			esc(b, value_label(r, r->by[k], jget(g, r->by[k]), nb));
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

static void
rpt_html(const struct cmp_report *r, struct cmp_buf *b)
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
	cmp_buf_addf(b, "</h1>\n<p class=\"sub\">%s to %s (", local(r,
		     jstr(p, "since"), a), local(r, jstr(p, "until"), u));
	esc(b, zone_name(r));
	cmp_buf_adds(b, ")");
	if (r->as_of)
		cmp_buf_addf(b, ", as the data stood at %s",
			     local(r, jstr(p, "as_of"), a));
	cmp_buf_addf(b, "; made %s.</p>\n",
		     local(r, jstr(p, "generated_at"), a));
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
	for (size_t i = 0; i < CMP_ARRAY_LEN(breakdown_titles); i++) {
		cmp_buf_adds(b, "<div>\n");
		html_items(b, breakdown_titles[i][1],
			   jpath(root, "breakdowns", breakdown_titles[i][0]));
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
			     deadline_titles[k], num(jnum(d, "due"), nb));
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
		     local(r, jstr(it, "at"), a), num(jnum(it, "count"), nb));
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
			esc(b, rpt_label(r->cfg, "resolution.type",
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
