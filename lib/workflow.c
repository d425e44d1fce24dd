/*
 * workflow.c - the lifecycle: transitions, assignment, escalation, waiting,
 * resolution, closing, follow-ups.
 *
 * Every operation works on a complaint in memory and either changes it
 * or leaves it as it was and says why; the program saves it, and the
 * store journals each field that changed.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "complaint.h"
#include "record.h"
#include "config_load.h"
#include "rules.h"
#include "sla.h"
#include "util.h"
#include "workflow.h"

/* The design's transitions: from, event, to. */
static const struct {
	const char *from;
	enum cmp_event event;
	const char *to;
} transitions[] = {
	{"new", CMP_EV_ASSIGN, "assigned"},
	{"new", CMP_EV_REJECT, "rejected"},
	{"assigned", CMP_EV_REJECT, "rejected"},
	{"waiting", CMP_EV_REJECT, "rejected"},
	{"assigned", CMP_EV_WAIT, "waiting"},
	{"waiting", CMP_EV_RESUME, "assigned"},
	{"assigned", CMP_EV_RESOLVE, "resolved"},
	{"resolved", CMP_EV_CLOSE, "closed"},
	{"rejected", CMP_EV_CLOSE, "closed"},
	{"resolved", CMP_EV_REOPEN, "assigned"},
	{"closed", CMP_EV_REOPEN, "assigned"},
	{"rejected", CMP_EV_REOPEN, "assigned"},
	{"new", CMP_EV_DUPLICATE, "closed"},
	{"assigned", CMP_EV_DUPLICATE, "closed"},
	{"waiting", CMP_EV_DUPLICATE, "closed"},
	{"rejected", CMP_EV_DUPLICATE, "closed"},
};

static const char *const event_names[] = {
	"assigned", "put on hold", "resumed", "resolved", "closed",
	"rejected", "reopened", "closed as a duplicate"
};

const char *
cmp_transition(const char *status, enum cmp_event event)
{
	for (size_t i = 0; i < CMP_ARRAY_LEN(transitions); i++)
		if (transitions[i].event == event &&
		    !strcmp(transitions[i].from, status))
			return transitions[i].to;
	return NULL;
}

/* Move c along event, or refuse naming what it is now. */
static int
move(struct cmp_complaint *c, enum cmp_event event, struct cmp_error *e)
{
	const char *to = cmp_transition(c->status, event);

	if (!to)
		return cmp_error_set(e, CMP_EX_DATAERR, NULL,
				     "complaint %lld is %s: it cannot be %s",
				     (long long)c->id, c->status,
				     event_names[event]);
	free(c->status);
	c->status = cmp_xstrdup(to);
	return 0;
}

static void
set_str(char **slot, const char *v)
{
	char *copy = cmp_xstrdup(v);

	free(*slot);
	*slot = copy;
}

static cmp_time
met_at(const struct cmp_complaint *c, int k)
{
	switch (k) {
	case CMP_DL_ACK: return c->acknowledged_at;
	case CMP_DL_REPLY: return c->replied_at;
	default: return c->resolution.resolved_at;
	}
}

static void
acknowledge(const struct cmp_ctx *ctx, struct cmp_complaint *c)
{
	if (!c->acknowledged_at)
		c->acknowledged_at = ctx->now;
}

static int
refuse_closed(const struct cmp_complaint *c, struct cmp_error *e)
{
	if (cmp_status_open(c->status))
		return 0;
	return cmp_error_set(e, CMP_EX_DATAERR, NULL,
			     "complaint %lld is %s: reopen it first",
			     (long long)c->id, c->status);
}

/* The holder of c's escalation level in its department, or NULL. */
static const char *
ladder_holder(const struct cmp_department *d, int64_t level)
{
	if (d->nladder)
		return d->ladder[level < (int64_t)d->nladder ? level :
				 (int64_t)d->nladder - 1];
	return d->nmembers ? d->members[0] : NULL;
}

/* person is one of d's members or holds a level of its ladder. */
static int
in_department(const struct cmp_department *d, const char *person)
{
	for (size_t i = 0; i < d->nmembers; i++)
		if (!strcmp(d->members[i], person))
			return 1;
	for (size_t i = 0; i < d->nladder; i++)
		if (!strcmp(d->ladder[i], person))
			return 1;
	return 0;
}

int
cmp_wf_assign(const struct cmp_ctx *ctx, struct cmp_complaint *c,
	      const char *person, const char *department, unsigned flags,
	      struct cmp_error *e)
{
	const struct cmp_department *d = NULL;
	int ret;

	if ((ret = refuse_closed(c, e)))
		return ret;
	if (department && !(d = cmp_config_department(ctx->cfg, department)))
		return cmp_error_set(e, CMP_EX_DATAERR, "department",
				     "'%s' is not a department", department);
	/* Handed to a department and a person at once, the person is one
	   of the department's, when the configuration lists its members.
	   A person alone is handed the complaint wherever it is: routing
	   puts complaints in departments, and the work moves on. */
	if (person && d && d->nmembers && !(flags & CMP_ASSIGN_FORCE) &&
	    !in_department(d, person))
		return cmp_error_set(e, CMP_EX_DATAERR, "owner",
				     "'%s' is not a member of department "
				     "'%s' (--force to assign anyway)", person,
				     d->key);
	if (d) {
		set_str(&c->department, d->key);
		if (!person && ladder_holder(d, c->escalation))
			person = ladder_holder(d, c->escalation);
	}
	if (person)
		set_str(&c->owner, person);
	if (person || d || (flags & CMP_ASSIGN_ACK))
		acknowledge(ctx, c);
	if (!strcmp(c->status, "new") && (c->owner || c->department))
		return move(c, CMP_EV_ASSIGN, e);
	return 0;
}

/*
 * The deadlines still running on c: all of an open complaint's; of a
 * rejected one, the reply's until the customer is answered (the others
 * stopped with the rejection).
 */
static int
deadline_runs(const struct cmp_complaint *c, int k)
{
	if (cmp_status_open(c->status))
		return 1;
	return k == CMP_DL_REPLY && !strcmp(c->status, "rejected") &&
	       !c->replied_at;
}

/* The ladder c climbs: its department's, else escalation.ladder (*dept
   NULL then). */
static void
ladder_of(const struct cmp_config *cfg, const struct cmp_complaint *c,
	  char *const **ladder, size_t *n, const char **dept)
{
	const struct cmp_department *d = c->department ?
		cmp_config_department(cfg, c->department) : NULL;

	if (d && d->nladder) {
		*ladder = d->ladder;
		*n = d->nladder;
		*dept = d->key;
		return;
	}
	*ladder = cfg->escalation_ladder;
	*n = cfg->nescalation_ladder;
	*dept = NULL;
}

/* Raise c by levels (>= 1); 65 when the ladder has no such level.  The
   owner changes, never who is accountable.  A person escalating
   acknowledges (ack); the policy does not: a missed ack stays missed
   until someone takes the complaint. */
static int
raise_level(const struct cmp_ctx *ctx, struct cmp_complaint *c,
	    int64_t levels, int ack, struct cmp_error *e)
{
	char *const *ladder;
	const char *dept;
	size_t n;
	int64_t level;

	ladder_of(ctx->cfg, c, &ladder, &n, &dept);
	if (!n)
		return cmp_error_set(e, CMP_EX_DATAERR, NULL,
				     "complaint %lld has no ladder to escalate "
				     "along (%s%s%s and escalation.ladder is "
				     "empty)", (long long)c->id,
				     dept ? "department '" : "no department",
				     dept ? dept : "",
				     dept ? "' has none" : "");
	level = c->escalation + levels;
	if (level >= (int64_t)n) {
		if (dept)
			return cmp_error_set(e, CMP_EX_DATAERR, NULL,
					     "complaint %lld is at the top of "
					     "the ladder of '%s' with %s",
					     (long long)c->id, dept,
					     ladder[n - 1]);
		return cmp_error_set(e, CMP_EX_DATAERR, NULL,
				     "complaint %lld is at the top of the "
				     "ladder (escalation.ladder) with %s",
				     (long long)c->id, ladder[n - 1]);
	}
	c->escalation = level;
	set_str(&c->owner, ladder[level]);
	if (ack)
		acknowledge(ctx, c);
	if (!strcmp(c->status, "new"))
		return move(c, CMP_EV_ASSIGN, e);
	return 0;
}

int
cmp_wf_escalate(const struct cmp_ctx *ctx, struct cmp_complaint *c,
		struct cmp_error *e)
{
	int ret;

	/* A rejected complaint whose customer is not answered yet is
	   still somebody's to answer. */
	if (!deadline_runs(c, CMP_DL_REPLY) && (ret = refuse_closed(c, e)))
		return ret;
	return raise_level(ctx, c, 1, 1, e);
}

int
cmp_wf_route(const struct cmp_ctx *ctx, struct cmp_complaint *c,
	     struct cmp_error *e)
{
	int ret;

	struct cmp_complaint before;

	if ((ret = refuse_closed(c, e)))
		return ret;
	cmp_complaint_init(&before);
	cmp_complaint_copy(&before, c);
	cmp_rules_apply(ctx->cfg, c, CMP_RULES_OVERWRITE);
	/* A rule may change the severity, and with it the deadlines. */
	if (strcmp(before.severity ? before.severity : "",
		   c->severity ? c->severity : ""))
		cmp_wf_recompute(ctx, c, &before, 0);
	cmp_complaint_release(&before);
	if (!c->owner && !c->department)
		return 0;
	return cmp_wf_assign(ctx, c, c->owner, c->owner ? NULL : c->department,
			     0, e);
}

int
cmp_wf_auto_escalate(const struct cmp_ctx *ctx, struct cmp_complaint *c,
		     cmp_time last_escalated, struct cmp_error *e)
{
	int64_t after = cmp_duration_seconds(&ctx->cfg->escalation_after);
	/* A waiting complaint's clock stopped when it began to wait. */
	cmp_time clock = c->waiting_since ? c->waiting_since : ctx->now;
	cmp_time since = 0;
	char *const *ladder;
	const char *dept;
	size_t n;
	int64_t owed, room;

	if (after <= 0)
		return 0;
	/* Overdue since the earliest deadline missed and still unmet. */
	for (int k = 0; k < CMP_DL_COUNT; k++)
		if (deadline_runs(c, k) && c->due[k] && !met_at(c, k) &&
		    c->due[k] < clock && (!since || c->due[k] < since))
			since = c->due[k];
	if (!since)
		return 0;
	/* One level per after_overdue since then, or since the last
	   escalation once it was escalated overdue: however many deadlines
	   were missed, and however often this runs. */
	if (last_escalated > since)
		since = last_escalated;
	if (clock - since < after)
		return 0;
	owed = (clock - since) / after;
	ladder_of(ctx->cfg, c, &ladder, &n, &dept);
	room = (int64_t)n - 1 - c->escalation;
	/* At the top, the complaint stays with the top holder: handled. */
	if (n && room <= 0)
		return 0;
	return raise_level(ctx, c, owed < room ? owed : room, 0, e);
}

int
cmp_wf_wait(const struct cmp_ctx *ctx, struct cmp_complaint *c,
	    const char *reason, struct cmp_error *e)
{
	int ret;

	if ((ret = move(c, CMP_EV_WAIT, e)))
		return ret;
	c->waiting_since = ctx->now;
	set_str(&c->wait_reason, reason);
	return 0;
}

/* The wait is over: the deadlines not met yet move by the pause. */
static void
end_wait(const struct cmp_ctx *ctx, struct cmp_complaint *c)
{
	struct cmp_sla_level terms;
	int64_t paused;

	cmp_sla_terms(ctx->cfg, c->severity, c->customer.tier, &terms);
	/* The clocks stood still in the deadline's own calendar. */
	paused = cmp_calendar_elapsed(&terms.cal, c->waiting_since, ctx->now);
	for (int k = 0; k < CMP_DL_COUNT; k++)
		if (c->due[k] && !met_at(c, k) && paused > 0)
			c->due[k] = cmp_calendar_add(&terms.cal, c->due[k],
						     paused);
	cmp_sla_level_release(&terms);
	c->waiting_since = 0;
	set_str(&c->wait_reason, NULL);
}

int
cmp_wf_resume(const struct cmp_ctx *ctx, struct cmp_complaint *c,
	      struct cmp_error *e)
{
	int ret;

	if ((ret = move(c, CMP_EV_RESUME, e)))
		return ret;
	end_wait(ctx, c);
	return 0;
}

static void
clear_resolution(struct cmp_complaint *c)
{
	set_str(&c->resolution.type, NULL);
	set_str(&c->resolution.currency, NULL);
	set_str(&c->resolution.note, NULL);
	set_str(&c->resolution.approved_by, NULL);
	c->resolution.amount = NAN;
	c->resolution.resolved_at = 0;
}

int
cmp_wf_approval(const struct cmp_config *cfg, double amount,
		const char *approved_by, int code, const char *field,
		const char *how, struct cmp_error *e)
{
	if (isnan(amount) || amount <= cfg->approval_threshold || approved_by)
		return 0;
	return cmp_error_set(e, code, field, "%g is above the approval "
			     "threshold %g: an approver is required%s",
			     amount, cfg->approval_threshold, how);
}

int
cmp_wf_resolve(const struct cmp_ctx *ctx, struct cmp_complaint *c,
	       const char *type, double amount, const char *currency,
	       const char *approved_by, const char *note, struct cmp_error *e)
{
	const struct cmp_config *cfg = ctx->cfg;
	int ret;

	if (!cmp_enum_has(&cfg->resolution_types, type))
		return cmp_error_set(e, CMP_EX_DATAERR, "resolution.type",
				     "'%s' is not a resolution type", type);
	if (!isnan(amount) && (amount < 0 || !isfinite(amount)))
		return cmp_error_set(e, CMP_EX_DATAERR, "resolution.amount",
				     "an amount is zero or more");
	if ((ret = cmp_wf_approval(cfg, amount, approved_by, CMP_EX_NOPERM,
				   "resolution.amount", " (--approved-by)", e)))
		return ret;
	if ((ret = move(c, CMP_EV_RESOLVE, e)))
		return ret;
	clear_resolution(c);
	set_str(&c->resolution.type, type);
	c->resolution.amount = amount;
	if (!isnan(amount))
		set_str(&c->resolution.currency,
			currency ? currency : cfg->currency);
	set_str(&c->resolution.note, note);
	set_str(&c->resolution.approved_by, approved_by);
	c->resolution.resolved_at = ctx->now;
	c->satisfaction = 0;
	if (cfg->followup_after.unit)
		return cmp_wf_schedule(ctx, c,
				       cmp_time_add(ctx->now,
						    &cfg->followup_after, 1,
						    cfg->timezone),
				       NULL, e);
	return 0;
}

/* Follow-ups done since the last resolution: how many, the best score. */
static void
since_resolution(const struct cmp_complaint *c, int *done, int *best)
{
	*done = *best = 0;
	for (size_t i = 0; i < c->nfollowups; i++) {
		const struct cmp_followup *fu = &c->followups[i];

		if (!fu->done_at || fu->done_at < c->resolution.resolved_at)
			continue;
		(*done)++;
		if (fu->satisfaction > *best)
			*best = fu->satisfaction;
	}
}

int
cmp_wf_close(const struct cmp_ctx *ctx, struct cmp_complaint *c,
	     unsigned flags, struct cmp_error *e)
{
	const struct cmp_config *cfg = ctx->cfg;
	int done, best, ret;

	if (!strcmp(c->status, "resolved") && cfg->followup_satisfied_at &&
	    !(flags & CMP_CLOSE_FORCE)) {
		since_resolution(c, &done, &best);
		if (best < cfg->followup_satisfied_at &&
		    (!cfg->followup_max || done < cfg->followup_max))
			return cmp_error_set(e, CMP_EX_DATAERR, NULL,
					     "complaint %lld has no "
					     "satisfaction of %d or more since "
					     "it was resolved (%d follow-up%s "
					     "done, %d allowed before closing "
					     "anyway); use --force with --note",
					     (long long)c->id,
					     cfg->followup_satisfied_at, done,
					     done == 1 ? "" : "s",
					     cfg->followup_max);
	}
	if ((ret = move(c, CMP_EV_CLOSE, e)))
		return ret;
	c->closed_at = ctx->now;
	return 0;
}

int
cmp_wf_reject(const struct cmp_ctx *ctx, struct cmp_complaint *c,
	      const char *reason, struct cmp_error *e)
{
	int was_waiting = !strcmp(c->status, "waiting");
	int ret;

	/* Judged after investigating as well as on arrival: new, assigned
	   or waiting.  The deadlines stay, the reply's above all: the
	   customer is still answered, and a contact logged meets it. */
	if ((ret = move(c, CMP_EV_REJECT, e)))
		return ret;
	if (was_waiting)
		end_wait(ctx, c);
	clear_resolution(c);
	/* The reason is the rejection's own field; resolution.note keeps
	   it too, as before schema 9, for readers of that field. */
	set_str(&c->resolution.note, reason);
	set_str(&c->rejection_reason, reason);
	c->rejected_at = ctx->now;
	return 0;
}

/* The first complaint closed as a duplicate of *arg (0: none). */
static int
first_duplicate(void *arg, struct cmp_complaint *c)
{
	int64_t *of = arg;

	if (c->duplicate_of != *of)
		return 0;
	*of = c->id;
	return 1;	/* found: stop */
}

int
cmp_wf_duplicate_check(const struct cmp_ctx *ctx,
		       const struct cmp_complaint *c,
		       const struct cmp_complaint *orig, struct cmp_error *e)
{
	struct cmp_query q;
	int64_t found = c->id;
	int ret;

	if (orig->id == c->id)
		return cmp_error_set(e, CMP_EX_DATAERR, "duplicate_of",
				     "complaint %lld cannot be a duplicate of "
				     "itself", (long long)c->id);
	/* The chain ends at the complaint the work goes on in: the
	   customer is answered there, not from a closed duplicate.  So
	   the original is no duplicate, and c has none of its own. */
	if (orig->duplicate_of)
		return cmp_error_set(e, CMP_EX_DATAERR, "duplicate_of",
				     "complaint %lld is itself a duplicate of "
				     "%lld: name %lld", (long long)orig->id,
				     (long long)orig->duplicate_of,
				     (long long)orig->duplicate_of);
	if (!c->id)
		return 0;	/* not stored yet: nothing names it */
	memset(&q, 0, sizeof(q));
	q.duplicates_of = c->id;
	ret = cmp_store_query(ctx->store, &q, first_duplicate, &found, e);
	if (ret != 1)
		return ret;
	return cmp_error_set(e, CMP_EX_DATAERR, "duplicate_of",
			     "complaint %lld is closed as a duplicate of "
			     "%lld: close it as a duplicate of %lld first",
			     (long long)found, (long long)c->id,
			     (long long)orig->id);
}

int
cmp_wf_duplicate(const struct cmp_ctx *ctx, struct cmp_complaint *c,
		 const struct cmp_complaint *orig, struct cmp_error *e)
{
	int was_waiting = !strcmp(c->status, "waiting");
	int ret;

	if ((ret = cmp_wf_duplicate_check(ctx, c, orig, e)))
		return ret;
	/* Closed at once: the work, the answer and the follow-ups are the
	   original's, so the duplicate's deadlines stop here. */
	if ((ret = move(c, CMP_EV_DUPLICATE, e)))
		return ret;
	if (was_waiting)
		end_wait(ctx, c);
	c->duplicate_of = orig->id;
	c->possible_duplicate_of = orig->id;
	c->closed_at = ctx->now;
	return 0;
}

int
cmp_wf_reopen(const struct cmp_ctx *ctx, struct cmp_complaint *c,
	      const char *reason, struct cmp_error *e)
{
	struct cmp_sla_level terms;
	int ret;

	if ((ret = move(c, CMP_EV_REOPEN, e)))
		return ret;
	c->reopened++;
	c->duplicate_of = 0;	/* it stands on its own again */
	clear_resolution(c);
	c->closed_at = c->rejected_at = 0;
	set_str(&c->rejection_reason, NULL);
	c->satisfaction = 0;
	/* The resolve clock starts again from the reopening. */
	cmp_sla_terms(ctx->cfg, c->severity, c->customer.tier, &terms);
	if (terms.has & CMP_SLA_HAS_RESOLVE)
		c->due[CMP_DL_RESOLVE] = cmp_calendar_add(&terms.cal, ctx->now,
			cmp_calendar_duration(&terms.cal,
					      &terms.d[CMP_DL_RESOLVE]));
	cmp_sla_level_release(&terms);
	(void)reason;	/* the journal keeps it as the note */
	return 0;
}

static struct cmp_followup *
add_followup(struct cmp_complaint *c)
{
	struct cmp_followup *fu;

	c->followups = cmp_xrealloc(c->followups,
				    (c->nfollowups + 1) * sizeof(*fu));
	fu = &c->followups[c->nfollowups++];
	memset(fu, 0, sizeof(*fu));
	return fu;
}

static int
check_channel(const struct cmp_ctx *ctx, const char *channel,
	      struct cmp_error *e)
{
	if (channel && !cmp_enum_has(&ctx->cfg->channels, channel))
		return cmp_error_set(e, CMP_EX_DATAERR, "channel",
				     "'%s' is not a channel", channel);
	return 0;
}

int
cmp_wf_schedule(const struct cmp_ctx *ctx, struct cmp_complaint *c,
		cmp_time due, const char *channel, struct cmp_error *e)
{
	struct cmp_followup *fu;
	int ret;

	if ((ret = check_channel(ctx, channel, e)))
		return ret;
	fu = add_followup(c);
	fu->due_at = due;
	fu->channel = cmp_xstrdup(channel);
	return 0;
}

int
cmp_wf_log(const struct cmp_ctx *ctx, struct cmp_complaint *c,
	   const char *text, const char *channel, struct cmp_error *e)
{
	struct cmp_followup *fu;
	int ret;

	if ((ret = check_channel(ctx, channel, e)))
		return ret;
	fu = add_followup(c);
	fu->due_at = fu->done_at = ctx->now;
	fu->channel = cmp_xstrdup(channel);
	fu->outcome = cmp_xstrdup(text);
	if (!c->replied_at)
		c->replied_at = ctx->now;
	return 0;
}

int
cmp_wf_done(const struct cmp_ctx *ctx, struct cmp_complaint *c, int score,
	    const char *note, struct cmp_error *e)
{
	struct cmp_followup *next = NULL;
	int bar = ctx->cfg->followup_satisfied_at;

	if (score < 0 || score > 5)
		return cmp_error_set(e, CMP_EX_USAGE, "satisfaction",
				     "%d is not a score from 1 to 5", score);
	for (size_t i = 0; i < c->nfollowups; i++) {
		struct cmp_followup *fu = &c->followups[i];

		if (!fu->done_at && (!next || fu->due_at < next->due_at))
			next = fu;
	}
	if (!next)
		return cmp_error_set(e, CMP_EX_DATAERR, NULL,
				     "complaint %lld has no follow-up to "
				     "complete (schedule one with --in or "
				     "--at)", (long long)c->id);
	next->done_at = ctx->now;
	next->satisfaction = score;
	set_str(&next->note, note);
	if (!c->replied_at)
		c->replied_at = ctx->now;
	if (!score)
		return 0;
	c->satisfaction = score;
	if (bar && score < bar &&
	    (!strcmp(c->status, "resolved") || !strcmp(c->status, "closed"))) {
		int ret = cmp_wf_reopen(ctx, c, "satisfaction below the bar", e);

		/* The score that reopened it stays on the record. */
		c->satisfaction = score;
		return ret;
	}
	return 0;
}

void
cmp_wf_recompute(const struct cmp_ctx *ctx, struct cmp_complaint *c,
		 const struct cmp_complaint *before, cmp_time when)
{
	struct cmp_sla_level was, now;

	cmp_sla_terms(ctx->cfg, before->severity, before->customer.tier, &was);
	cmp_sla_terms(ctx->cfg, c->severity, c->customer.tier, &now);
	for (int k = 0; k < CMP_DL_COUNT; k++) {
		int64_t shifted = 0;
		cmp_time base;

		if (met_at(c, k) && (!when || met_at(c, k) < when))
			continue;
		if (!(now.has & (1u << k))) {
			c->due[k] = 0;
			continue;
		}
		/* Keep what pauses added to the old deadline. */
		if (before->due[k] && (was.has & (1u << k))) {
			base = cmp_calendar_add(&was.cal, before->received_at,
				cmp_calendar_duration(&was.cal, &was.d[k]));
			shifted = cmp_calendar_elapsed(&was.cal, base,
						       before->due[k]);
		}
		base = cmp_calendar_add(&now.cal, c->received_at,
					cmp_calendar_duration(&now.cal,
							      &now.d[k]));
		c->due[k] = shifted > 0 ?
			cmp_calendar_add(&now.cal, base, shifted) : base;
	}
	cmp_sla_level_release(&was);
	cmp_sla_level_release(&now);
}

void
cmp_deadlines_explain(const struct cmp_ctx *ctx, const struct cmp_complaint *c,
		      const struct cmp_pause *pauses, size_t npauses,
		      cmp_time reopened_at,
		      struct cmp_deadline_state out[CMP_DL_COUNT])
{
	struct cmp_sla_level terms;

	cmp_sla_terms(ctx->cfg, c->severity, c->customer.tier, &terms);
	for (int k = 0; k < CMP_DL_COUNT; k++) {
		struct cmp_deadline_state *d = &out[k];
		cmp_time end, stop;

		memset(d, 0, sizeof(*d));
		d->due = c->due[k];
		d->met = met_at(c, k);
		d->started = k == CMP_DL_RESOLVE && reopened_at ? reopened_at :
			c->received_at;
		if (!d->due)
			continue;
		/* The clock runs until the deadline is met, or now. */
		end = d->met ? d->met : ctx->now;
		stop = c->waiting_since;
		for (size_t i = 0; i < npauses; i++) {
			cmp_time from = pauses[i].from, to = pauses[i].to;

			/* Rejected: ack and resolve stopped then, the
			   reply runs on (deadline_runs). */
			if (pauses[i].rejected) {
				if (k != CMP_DL_REPLY && !d->met &&
				    from < end) {
					d->stopped = 1;
					stop = from > d->started ? from :
						d->started;
				}
				continue;
			}
			if (!to || to > end)
				to = end;
			if (from < d->started)
				from = d->started;
			if (to > from)
				d->paused += cmp_calendar_elapsed(&terms.cal,
								  from, to);
			if (!pauses[i].to && !d->met && c->waiting_since)
				d->stopped = 1;
		}
		if (d->stopped)
			end = stop;
		d->left = end <= d->due ?
			cmp_calendar_elapsed(&terms.cal, end, d->due) :
			-cmp_calendar_elapsed(&terms.cal, d->due, end);
	}
	cmp_sla_level_release(&terms);
}
