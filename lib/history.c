/*
 * history.c - the past of a complaint imported past `new`, as the steps
 * the store journals at their times, so that reports, --as-of and the
 * deadlines read it as work done with these programs: recorded when
 * received, acknowledged (assigned), waiting, replied, resolved (with
 * the resolution's fields, as cmp-close journals them: the report's
 * money reads them), rejected or closed as a duplicate, closed.  A step
 * its status implies but whose time the record lacks is dated at the
 * last time the record does give (the earliest moment it can have
 * happened, never the import, which would keep it open for years), and
 * its note says so.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "history.h"
#include "util.h"

cmp_time
cmp_history_last_known(const struct cmp_complaint *c)
{
	cmp_time t = c->received_at;

	if (c->acknowledged_at > t)
		t = c->acknowledged_at;
	if (c->replied_at > t)
		t = c->replied_at;
	if (c->resolution.resolved_at > t)
		t = c->resolution.resolved_at;
	if (c->rejected_at > t)
		t = c->rejected_at;
	return t;
}

static struct cmp_history_step *
step_add(struct cmp_history_step *step, int *n, cmp_time at,
	 const char *field, const char *new_value, const char *note)
{
	struct cmp_history_step *s = &step[(*n)++];

	memset(s, 0, sizeof(*s));
	s->at = at;
	s->field = field;
	s->note = note;
	s->new_value = new_value;
	return s;
}

/* *to = *from, its values that are its own numbers (step_number,
   score_step) pointing at to's copies of them, not at from's. */
static void
step_move(struct cmp_history_step *to, const struct cmp_history_step *from)
{
	*to = *from;
	if (from->new_value == from->number)
		to->new_value = to->number;
	if (from->old_value == from->old_number)
		to->old_value = to->old_number;
}

static void
step_number(struct cmp_history_step *s, long long v)
{
	snprintf(s->number, sizeof(s->number), "%lld", v);
	s->new_value = s->number;
}

enum cmp_ending
cmp_history_ending(const struct cmp_complaint *c)
{
	int closed = !strcmp(c->status, "closed");

	if (closed && c->duplicate_of)
		return CMP_ENDED_DUPLICATE;
	if (!strcmp(c->status, "rejected") ||
	    (closed && (c->rejected_at || c->rejection_reason)))
		return CMP_ENDED_REJECTED;
	if (closed || !strcmp(c->status, "resolved"))
		return CMP_ENDED_RESOLVED;
	return CMP_ENDED_NOT;
}

static void
assume(struct cmp_complaint *c, cmp_time *t, const char *path,
       cmp_time known)
{
	if (*t)
		return;
	*t = known;
	cmp_field_unmark(c, cmp_field_find(path));
}

void
cmp_history_assume(struct cmp_complaint *c)
{
	enum cmp_ending end = cmp_history_ending(c);
	cmp_time known = cmp_history_last_known(c);

	if (end == CMP_ENDED_RESOLVED)
		assume(c, &c->resolution.resolved_at, "resolution.resolved_at",
		       known);
	if (end == CMP_ENDED_REJECTED)
		assume(c, &c->rejected_at, "rejected_at", known);
	if (!strcmp(c->status, "waiting"))
		assume(c, &c->waiting_since, "waiting_since", known);
	if (!strcmp(c->status, "closed"))
		assume(c, &c->closed_at, "closed_at", known);
}

/* The note of a step at the time `path` (a string literal) gives: none,
   or that it was assumed (cmp_history_assume). */
#define ASSUMED(c, path) \
	(cmp_field_present(c, cmp_field_find(path)) ? NULL : \
	 path " not given: assumed at the last time given")

/* The resolution's fields at the time resolved, each one the record
   gives, in the order cmp-close journals them. */
static void
resolution_steps(const struct cmp_complaint *c,
		 struct cmp_history_step *step, int *n)
{
	const char *note = ASSUMED(c, "resolution.resolved_at");
	cmp_time at = c->resolution.resolved_at;

	if (c->resolution.type)
		step_add(step, n, at, "resolution.type", c->resolution.type,
			 note);
	if (!isnan(c->resolution.amount)) {
		struct cmp_history_step *s = step_add(step, n, at,
			"resolution.amount", NULL, note);
		char *v = cmp_field_text(cmp_field_find("resolution.amount"),
					 c);

		snprintf(s->number, sizeof(s->number), "%s", v);
		s->new_value = s->number;
		free(v);
	}
	if (c->resolution.currency)
		step_add(step, n, at, "resolution.currency",
			 c->resolution.currency, note);
	if (c->resolution.note)
		step_add(step, n, at, "resolution.note", c->resolution.note,
			 note);
	if (c->resolution.approved_by)
		step_add(step, n, at, "resolution.approved_by",
			 c->resolution.approved_by, note);
	step_add(step, n, at, "resolution.resolved_at", NULL, note);
}

/* A change of score from `was` (0: none) to `score`. */
static void
score_step(struct cmp_history_step *s, int was, int score)
{
	step_number(s, score);
	if (was) {
		snprintf(s->old_number, sizeof(s->old_number), "%d", was);
		s->old_value = s->old_number;
	}
}

/* The follow-ups, as cmp-followup records them: each when it was done,
   its score changing the complaint's then; one not done yet scheduled
   at the last time given; a score of the record's that no follow-up
   gave, then too. */
static void
followup_steps(const struct cmp_complaint *c, cmp_time known,
	       struct cmp_history_step *step, int *n)
{
	int score = 0;

	for (size_t i = 0; i < c->nfollowups; i++) {
		const struct cmp_followup *fu = &c->followups[i];
		cmp_time at = fu->done_at ? fu->done_at : known;

		if (fu->done_at && fu->satisfaction &&
		    fu->satisfaction != score) {
			score_step(step_add(step, n, at, "satisfaction", NULL,
					    NULL), score, fu->satisfaction);
			score = fu->satisfaction;
		}
		step_add(step, n, at, "followups", NULL, fu->done_at ? NULL :
			 "followups: scheduled at a time not given: assumed "
			 "at the last time given")->followup = fu;
	}
	if (c->satisfaction && c->satisfaction != score)
		score_step(step_add(step, n, known, "satisfaction", NULL,
				    "satisfaction: its time not given: "
				    "assumed at the last time given"),
			   score, (int)c->satisfaction);
}

struct cmp_history_step *
cmp_history_steps(const struct cmp_complaint *c, int *np)
{
	enum cmp_ending end = cmp_history_ending(c);
	int closed = !strcmp(c->status, "closed");
	cmp_time known = cmp_history_last_known(c);
	struct cmp_history_step *step;
	int n = 0;

	*np = 0;
	if (!strcmp(c->status, "new"))
		return NULL;
	/* The lifecycle's steps, at most 8, the resolution's 6, a
	   follow-up's 2 each and the record's score. */
	step = cmp_xmalloc((15 + 2 * c->nfollowups) * sizeof(*step));
	step_add(step, &n, c->received_at, "status", "new", NULL);
	if (c->acknowledged_at) {
		step_add(step, &n, c->acknowledged_at, "status", "assigned",
			 NULL);
		step_add(step, &n, c->acknowledged_at, "acknowledged_at",
			 NULL, NULL);
	} else if (end == CMP_ENDED_NOT) {
		/* Assigned or waiting, not acknowledged: taken up at some
		   time the record does not say. */
		step_add(step, &n, known, "status", "assigned",
			 "assigned: its time not given: assumed at the last "
			 "time given");
	}
	/* Escalated: when, the record does not say. */
	if (c->escalation > 0) {
		struct cmp_history_step *s = step_add(step, &n, known,
			"escalation", NULL, "escalation: its time not given: "
			"assumed at the last time given");

		s->old_value = "0";
		step_number(s, (long long)c->escalation);
	}
	/* Waiting on the customer since then: the clocks stop there. */
	if (!strcmp(c->status, "waiting"))
		step_add(step, &n, c->waiting_since, "status", "waiting",
			 ASSUMED(c, "waiting_since"));
	if (c->replied_at)
		step_add(step, &n, c->replied_at, "replied_at", NULL, NULL);
	if (end == CMP_ENDED_RESOLVED) {
		step_add(step, &n, c->resolution.resolved_at, "status",
			 "resolved", ASSUMED(c, "resolution.resolved_at"));
		resolution_steps(c, step, &n);
	}
	if (end == CMP_ENDED_REJECTED)
		step_add(step, &n, c->rejected_at, "status", "rejected",
			 ASSUMED(c, "rejected_at"));
	followup_steps(c, known, step, &n);
	if (end == CMP_ENDED_DUPLICATE)
		step_number(step_add(step, &n, c->closed_at, "duplicate_of",
				     NULL, NULL), (long long)c->duplicate_of);
	if (closed)
		step_add(step, &n, c->closed_at, "status", "closed",
			 ASSUMED(c, "closed_at"));
	/* In time order, a step keeping its place among equal times
	   (replied_at may follow the resolution). */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && step[j].at < step[j - 1].at; j--) {
			struct cmp_history_step t;

			step_move(&t, &step[j]);
			step_move(&step[j], &step[j - 1]);
			step_move(&step[j - 1], &t);
		}
	*np = n;
	return step;
}
