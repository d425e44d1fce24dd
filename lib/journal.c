/*
 * journal.c - what a complaint's journal says that is no column: the
 * spans it waited on the customer, its rejection and its last reopening
 * (the clocks of cmp_deadline_explain), and when a field last changed
 * (the escalation's pace).  It reads the journal through
 * cmp_store_journal and speaks no SQL.
 */
#include <string.h>

#include "complaint.h"
#include "util.h"

struct pauses {
	struct cmp_pause *p;
	size_t n;
	cmp_time reopened;
	cmp_time rejected;	/* when it was rejected, while it is */
};

static int
collect_pause(void *arg, const struct cmp_journal_entry *j)
{
	struct pauses *ps = arg;

	if (!j->field || strcmp(j->field, "status"))
		return 0;
	if (j->new_value && !strcmp(j->new_value, "waiting")) {
		ps->p = cmp_xrealloc(ps->p, (ps->n + 1) * sizeof(*ps->p));
		ps->p[ps->n].from = j->at;
		ps->p[ps->n].rejected = 0;
		ps->p[ps->n++].to = 0;
	} else if (j->old && !strcmp(j->old, "waiting") && ps->n &&
		   !ps->p[ps->n - 1].to) {
		ps->p[ps->n - 1].to = j->at;
	}
	if (j->new_value && !strcmp(j->new_value, "rejected"))
		ps->rejected = j->at;
	else if (j->old && !strcmp(j->old, "rejected") && j->new_value &&
		 strcmp(j->new_value, "closed"))
		ps->rejected = 0;
	if (j->old && j->new_value && !strcmp(j->new_value, "assigned") &&
	    (!strcmp(j->old, "resolved") || !strcmp(j->old, "closed") ||
	     !strcmp(j->old, "rejected")))
		ps->reopened = j->at;
	return 0;
}

int
cmp_store_pauses(struct cmp_store *st, int64_t id, struct cmp_pause **out,
		 size_t *n, cmp_time *reopened_at, struct cmp_error *e)
{
	struct pauses ps = {NULL, 0, 0, 0};
	int ret = cmp_store_journal(st, id, collect_pause, &ps, e);

	/* A rejection not undone (closing keeps it) stops the clocks
	   other than the reply's. */
	if (ps.rejected) {
		ps.p = cmp_xrealloc(ps.p, (ps.n + 1) * sizeof(*ps.p));
		ps.p[ps.n].from = ps.rejected;
		ps.p[ps.n].to = 0;
		ps.p[ps.n++].rejected = 1;
	}

	*out = ps.p;
	*n = ps.n;
	*reopened_at = ps.reopened;
	return ret;
}

struct last_change {
	const char *field;
	cmp_time at;
};

static int
collect_change(void *arg, const struct cmp_journal_entry *j)
{
	struct last_change *lc = arg;

	/* The latest time, not the last entry: a clock set by CMP_NOW
	   may have run backwards between runs. */
	if (j->field && !strcmp(j->field, lc->field) && j->at > lc->at)
		lc->at = j->at;
	return 0;
}

int
cmp_store_last_change(struct cmp_store *st, int64_t id, const char *field,
		      cmp_time *at, struct cmp_error *e)
{
	struct last_change lc = {field, 0};
	int ret = cmp_store_journal(st, id, collect_change, &lc, e);

	*at = lc.at;
	return ret;
}
