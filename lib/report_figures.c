/*
 * report_figures.c - cmp-report: the figures of a period, as one JSON
 * tree (cmp_report_run).
 *
 * The store aggregates (the cmp_store_report_* queries); this file
 * turns the period into UTC bounds (period.c), sorts out what the store
 * streams (deadlines met or missed, what was overdue, follow-up, money)
 * and puts the tree together; the volumes received (breakdowns, Pareto,
 * trend, control chart) and --by's pivot are counted in
 * report_volumes.c.  Every format is rendered from that tree alone
 * (render_sections.c), so they never disagree.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "complaint.h"
#include "record.h"
#include "report.h"
#include "store.h"

/* ------------------------------------------------------------------ */
/* building the report                                                 */
/* ------------------------------------------------------------------ */

static cJSON *
period_json(const struct cmp_report *r)
{
	cJSON *p = cJSON_CreateObject();

	cJSON_AddStringToObject(p, "name", r->name);
	cJSON_AddStringToObject(p, "unit", cmp_period_unit_name(r->unit));
	rpt_add_time(p, "since", r->since);
	rpt_add_time(p, "until", r->until);
	cJSON_AddStringToObject(p, "timezone", r->zone && *r->zone ? r->zone :
				"UTC");
	rpt_add_time(p, "as_of", r->as_of);
	rpt_add_time(p, "generated_at", r->now);
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

/* -- deadlines ------------------------------------------------------ */

struct dl_acc {
	int64_t met, missed, pending;
	int64_t *secs;
	size_t n, cap;
};

struct dl_pass {
	struct cmp_report *r;
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

		/* A deadline counts in the period in which it fell due,
		   and only there: work done late on an old complaint is
		   that older period's, not this one's. */
		if (!due || due < r->since || due >= r->until)
			continue;
		if (met > p->moment)
			met = 0;	/* not met yet, as of then */
		/* Durations: of those met, in time or late. */
		if (met && met >= row->received_at) {
			if (a->n == a->cap) {
				a->cap = a->cap ? 2 * a->cap : 256;
				a->secs = cmp_xrealloc(a->secs, a->cap *
						       sizeof(int64_t));
			}
			a->secs[a->n++] = met - row->received_at;
		}
		/* Missed: met late or not at all, with the complaint open
		   and its clock running when it fell due. */
		if (met && met <= due) {
			a->met++;
		} else if (met) {
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

/* What each deadline's figures count, said in the report itself (every
   format shows it): the rule of dl_row. */
static const char *const dl_counted[CMP_DL_COUNT] = {
	"complaints whose acknowledgement fell due in the period",
	"complaints whose first reply fell due in the period",
	"complaints whose resolution fell due in the period",
};

static int
deadlines(struct cmp_report *r, cJSON *root, struct cmp_error *e)
{
	struct dl_pass p;
	cJSON *o;
	int ret;

	memset(&p, 0, sizeof(p));
	p.r = r;
	p.moment = r->as_of ? r->as_of : r->now;
	ret = cmp_store_report_deadlines(r->ctx->store, r->since, r->until,
					 dl_row, &p, e);
	o = cJSON_AddObjectToObject(root, "deadlines");
	for (int k = 0; k < CMP_DL_COUNT && !ret; k++) {
		struct dl_acc *a = &p.acc[k];
		cJSON *d = cJSON_AddObjectToObject(o, cmp_deadline_names[k]);

		cJSON_AddStringToObject(d, "counted", dl_counted[k]);
		cJSON_AddNumberToObject(d, "due", (double)(a->met + a->missed));
		cJSON_AddNumberToObject(d, "met", (double)a->met);
		cJSON_AddNumberToObject(d, "missed", (double)a->missed);
		cJSON_AddNumberToObject(d, "pending", (double)a->pending);
		rpt_add_share(d, "share_met", a->met, a->met + a->missed);
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

/* One complaint of the overdue list, as it is now (c) but for its
   status. */
static cJSON *
od_item(const struct od_pass *p, const struct late *l,
	const struct cmp_complaint *c_now)
{
	const struct cmp_report *r = p->r;
	const struct cmp_complaint c = *c_now;
	cJSON *it, *dl;
	char *s;

	it = cJSON_CreateObject();
	cJSON_AddNumberToObject(it, "id", (double)l->id);
	rpt_add_key(it, "ref", c.ref);
	rpt_add_key(it, "status", l->status);
	rpt_add_key(it, "category", c.category);
	rpt_add_key(it, "severity", c.severity);
	rpt_add_key(it, "department", c.department);
	rpt_add_key(it, "owner", c.owner);
	s = cmp_report_shown(r, "customer.name", c.customer.name);
	rpt_add_key(it, "customer", s);
	free(s);
	if (r->redact && c.summary)
		s = cmp_redact_free_text(&c, c.summary);
	else
		s = cmp_xstrdup(c.summary);
	rpt_add_key(it, "summary", s);
	free(s);
	rpt_add_time(it, "received_at", c.received_at);
	dl = cJSON_AddArrayToObject(it, "deadlines");
	for (int k = 0; k < CMP_DL_COUNT; k++)
		if (l->which & (1u << k))
			cJSON_AddItemToArray(dl, cJSON_CreateString(
				cmp_deadline_names[k]));
	rpt_add_time(it, "due", l->due);
	cJSON_AddNumberToObject(it, "overdue_seconds",
				(double)(p->moment - l->due));
	return it;
}

/* The listed complaints' items, by their place in the list: made as
   the store hands each (in one query, not a load each: on a server a
   load is two round trips). */
struct od_place {
	int64_t id;
	size_t at;		/* its place in the list */
};

struct od_items {
	const struct od_pass *p;
	struct od_place *by_id;	/* the list's places, sorted by id */
	cJSON **item;		/* by place */
};

static int
by_place_id(const void *a, const void *b)
{
	const struct od_place *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int
od_found(void *arg, struct cmp_complaint *c)
{
	struct od_items *x = arg;
	size_t lo = 0, hi = x->p->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (x->by_id[mid].id < c->id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < x->p->n && x->by_id[lo].id == c->id; lo++) {
		size_t at = x->by_id[lo].at;

		if (!x->item[at])
			x->item[at] = od_item(x->p, &x->p->v[at], c);
	}
	return 0;
}

/* Each listed complaint as an item of list, in the list's order. */
static int
od_items(const struct od_pass *p, cJSON *list, struct cmp_error *e)
{
	struct od_items x = { p, NULL, NULL };
	struct cmp_query q;
	int64_t *ids;
	int ret;

	if (!p->n)
		return 0;
	x.by_id = cmp_xcalloc(p->n, sizeof(*x.by_id));
	x.item = cmp_xcalloc(p->n, sizeof(*x.item));
	ids = cmp_xcalloc(p->n, sizeof(*ids));
	for (size_t i = 0; i < p->n; i++)
		x.by_id[i] = (struct od_place){ p->v[i].id, i };
	qsort(x.by_id, p->n, sizeof(*x.by_id), by_place_id);
	for (size_t k = 0; k < p->n; k++)
		ids[k] = x.by_id[k].id;
	memset(&q, 0, sizeof(q));
	q.ids = ids;
	q.nids = p->n;
	ret = cmp_store_query(p->r->ctx->store, &q, od_found, &x, e);
	for (size_t i = 0; i < p->n; i++) {
		if (!ret && !x.item[i])	/* gone since: no complaint */
			ret = cmp_error_set(e, CMP_EX_NOINPUT, NULL,
					    "no complaint %lld",
					    (long long)p->v[i].id);
		if (!ret)
			cJSON_AddItemToArray(list, x.item[i]);
		else
			cJSON_Delete(x.item[i]);
	}
	free(ids);
	free(x.by_id);
	free(x.item);
	return ret;
}

/* The overdue list into root (root NULL: dropped), each complaint read
   from the store: only those listed are. */
static int
overdue(struct od_pass *p, cJSON *root, struct cmp_error *e)
{
	cJSON *o = root ? cJSON_AddObjectToObject(root, "overdue") : NULL;
	cJSON *list = NULL;
	int ret = 0;

	if (o) {
		rpt_add_time(o, "at", p->moment);
		cJSON_AddNumberToObject(o, "count", (double)p->count);
		list = cJSON_AddArrayToObject(o, "complaints");
	}
	if (list)
		ret = od_items(p, list, e);
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i].status);
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
	rpt_add_share(o, "share_satisfied", f.satisfied, f.scored);
	cJSON_AddNumberToObject(o, "bar", bar);
	return 0;
}

static int
money_row(void *arg, const char *type, const char *currency, int64_t n,
	  double amount)
{
	cJSON *m = cJSON_CreateObject();

	rpt_add_key(m, "type", type);
	rpt_add_key(m, "currency", currency);
	cJSON_AddNumberToObject(m, "count", (double)n);
	cJSON_AddNumberToObject(m, "amount", cmp_round_to(amount, 2));
	cJSON_AddItemToArray(arg, m);
	return 0;
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
		if ((ret = split_by(r, o->by, e)) ||
		    (ret = cmp_report_pivot(r, root, e)))
			return ret;
		if ((o->flags & CMP_REPORT_CONTROL) &&
		    !(ret = cmp_report_volumes(r, NULL, e))) {
			cJSON_AddItemToObject(root, "control", r->control);
			r->control = NULL;
		}
		cJSON_AddBoolToObject(root, "redacted", r->redact);
		return ret;
	}
	counts = cJSON_AddObjectToObject(root, "counts");
	/* The deadlines first: the status changes since the period began
	   that the store holds for them (a period near now) serve the
	   events and the backlog too. */
	if ((ret = cmp_report_volumes(r, root, e)) ||
	    (ret = deadlines(r, root, e)))
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
	cJSON_AddNumberToObject(counts, "duplicates", (double)ev.duplicates);
	cJSON_AddNumberToObject(counts, "reopened", (double)ev.reopened);
	cJSON_AddNumberToObject(counts, "backlog", (double)open.open);
	if ((ret = overdue(&open, root, e)) ||
	    (ret = followups(r, root, e)))
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
	int ret, began;

	*out = NULL;
	r->ctx = ctx;
	r->cfg = ctx->cfg;
	r->zone = ctx->cfg->timezone;
	r->now = ctx->now;
	r->flags = opts->flags;
	r->overdue_max = opts->overdue_max;
	r->redact = (opts->flags & CMP_REPORT_REDACT) ||
		    ctx->cfg->report_redact;
	if ((ret = cmp_store_read(ctx->store, &began, e))) {
		cmp_report_free(r);
		return ret;
	}
	if ((ret = run(r, opts, e)))
		cmp_store_read_end(ctx->store, began, 1, e);
	else
		ret = cmp_store_read_end(ctx->store, began, 0, e);
	if (ret) {
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

