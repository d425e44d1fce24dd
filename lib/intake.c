/*
 * intake.c - what cmp-add derives for a new complaint: defaults, routing,
 * deadlines, the warranty flag; and whether a record given on input
 * agrees with itself and with the configuration before it is stored.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "complaint.h"
#include "field.h"
#include "intake.h"
#include "record.h"
#include "record_json.h"
#include "rules.h"
#include "history.h"
#include "sla.h"
#include "store.h"
#include "util.h"
#include "workflow.h"

static void
default_str(char **slot, const char *v)
{
	if (!*slot && v)
		*slot = cmp_xstrdup(v);
}

/*
 * The times of the lifecycle in the order they happen: each one given
 * is not before any one given ahead of it in its row.  A time a later
 * change adds (closed_at) joins by its place in a row.  replied_at may
 * come after the resolution (a call made after it still replies).
 */
static const char *const time_order[][5] = {
	{"received_at", "acknowledged_at", "resolution.resolved_at",
	 "closed_at", NULL},
	{"received_at", "rejected_at", "closed_at", NULL},
	{"received_at", "replied_at", NULL},
	{"received_at", "waiting_since", NULL},
};

static cmp_time
time_of(const struct cmp_complaint *c, const char *path)
{
	return *CMP_CFPTR(cmp_time, cmp_field_find(path), c);
}

static int
check_times(const struct cmp_config *cfg, const struct cmp_complaint *c,
	    cmp_time now, struct cmp_error *e)
{
	int64_t tolerance = cmp_duration_seconds(&cfg->future_tolerance);
	char tb[CMP_TIME_BUFSZ], ub[CMP_TIME_BUFSZ], dur[24];

	for (size_t r = 0; r < CMP_ARRAY_LEN(time_order); r++)
		for (int i = 0; time_order[r][i]; i++) {
			const char *path = time_order[r][i];
			cmp_time t = time_of(c, path);

			if (!t)
				continue;
			if (cfg->future_tolerance.unit && t > now + tolerance)
				return cmp_error_set(e, CMP_EX_DATAERR, path,
					"%s is in the future (now is %s, "
					"intake.future_tolerance %s)",
					cmp_time_format(t, tb),
					cmp_time_format(now, ub),
					cmp_duration_format(
						&cfg->future_tolerance, dur));
			for (int j = 0; j < i; j++) {
				cmp_time u = time_of(c, time_order[r][j]);

				if (u && t < u)
					return cmp_error_set(e,
						CMP_EX_DATAERR, path,
						"%s is before %s %s",
						cmp_time_format(t, tb),
						time_order[r][j],
						cmp_time_format(u, ub));
			}
		}
	return 0;
}

/* The first field of c's resolution that is given, or NULL; with
   note, a note counts (a rejection's reason, how it was resolved). */
static const char *
resolution_field(const struct cmp_complaint *c, int note)
{
	if (c->resolution.type)
		return "resolution.type";
	if (c->resolution.resolved_at)
		return "resolution.resolved_at";
	if (!isnan(c->resolution.amount))
		return "resolution.amount";
	if (note && c->resolution.note)
		return "resolution.note";
	return NULL;
}

/*
 * The status agrees with the resolution, as the lifecycle leaves them:
 * an open complaint (new, assigned, waiting) has none (reopening clears
 * it) and a rejected one has none but its reason (resolution.note); a
 * resolved one says how or when, and a closed one was resolved,
 * rejected (rejected_at, rejection_reason) or closed as a duplicate
 * (duplicate_of, which only a closed one gives).  A note alone is enough
 * for those two: an export often says in words how a case ended and
 * nothing else.
 */
static int
check_status(const struct cmp_complaint *c, struct cmp_error *e)
{
	const char *by = resolution_field(c, 0);
	enum cmp_ending end = cmp_history_ending(c);

	if (c->duplicate_of && end != CMP_ENDED_DUPLICATE)
		return cmp_error_set(e, CMP_EX_DATAERR, "duplicate_of",
				     "a complaint that is %s was not closed "
				     "as a duplicate", c->status);
	if (cmp_status_open(c->status) || !strcmp(c->status, "rejected")) {
		if (by)
			return cmp_error_set(e, CMP_EX_DATAERR, by,
					     "a complaint that is %s has no "
					     "resolution", c->status);
	} else if (!resolution_field(c, 1) &&
		   !(!strcmp(c->status, "closed") &&
		     (end == CMP_ENDED_REJECTED ||
		      end == CMP_ENDED_DUPLICATE))) {
		return cmp_error_set(e, CMP_EX_DATAERR, "status",
				     "a complaint that is %s %s: it needs "
				     "resolution.type, resolution.resolved_at "
				     "or resolution.note", c->status,
				     !strcmp(c->status, "closed") ?
				     "was resolved or rejected" :
				     "says how or when");
	}
	return 0;
}

/* 1 if person is a member of a department or holds a level of its
   ladder or of escalation.ladder; -1 if no department names anyone
   (escalation.ladder has built-in holders, and alone lists no team). */
static int
known_person(const struct cmp_config *cfg, const char *person)
{
	int lists = 0;

	for (size_t k = 0; k < cfg->nescalation_ladder; k++)
		if (!strcmp(cfg->escalation_ladder[k], person))
			return 1;

	for (size_t i = 0; i < cfg->ndepartments; i++) {
		const struct cmp_department *d = &cfg->departments[i];

		lists |= d->nmembers || d->nladder;
		for (size_t k = 0; k < d->nmembers; k++)
			if (!strcmp(d->members[k], person))
				return 1;
		for (size_t k = 0; k < d->nladder; k++)
			if (!strcmp(d->ladder[k], person))
				return 1;
	}
	return lists ? 0 : -1;
}

/* Whether given says anything of how its complaint stands or ended. */
static int
gives_ending(const struct cmp_complaint *given)
{
	static const char *const paths[] = {
		"status", "resolution.type", "resolution.resolved_at",
		"resolution.amount", "resolution.note", "closed_at",
		"rejected_at", "rejection_reason", "duplicate_of",
	};

	for (size_t i = 0; i < CMP_ARRAY_LEN(paths); i++)
		if (cmp_field_present(given, cmp_field_find(paths[i])))
			return 1;
	return 0;
}

/*
 * Whether c, a record given on input (given holds the fields it gave:
 * c itself, or what --update applies over a stored one), agrees with
 * itself and the configuration: its times in order and not in the
 * future, its status with its resolution, the approval rule of
 * cmp-close, an owner the configuration knows when it names people.
 * Departments are enumeration values: validation refuses unknown ones.
 * An owner is checked only when given: cmp-assign hands complaints to
 * anyone, and what it stored is not refused on the next update.  So is
 * the status on an update: a complaint stored before these checks (a
 * closed ticket without its resolution) still takes a new summary.
 */
static int
check_consistent(const struct cmp_config *cfg, const struct cmp_complaint *c,
		 const struct cmp_complaint *given, cmp_time now,
		 struct cmp_error *e)
{
	int ret;

	if ((ret = check_times(cfg, c, now, e)) ||
	    ((c == given || gives_ending(given)) &&
	     (ret = check_status(c, e))))
		return ret;
	if ((ret = cmp_wf_approval(cfg, c->resolution.amount,
				   c->resolution.approved_by, CMP_EX_DATAERR,
				   "resolution.approved_by", "", e)))
		return ret;
	if (given->owner && cmp_field_present(given, cmp_field_find("owner")) &&
	    !known_person(cfg, given->owner))
		return cmp_error_set(e, CMP_EX_DATAERR, "owner",
				     "'%s' is not a member of a department "
				     "or on its ladder", given->owner);
	return 0;
}

int
cmp_intake_prepare(const struct cmp_config *cfg, struct cmp_complaint *c,
		   const char *actor, cmp_time now, struct cmp_error *e)
{
	cmp_time given[CMP_DL_COUNT], met[CMP_DL_COUNT];
	int ret;

	default_str(&c->status, "new");
	if (!c->received_at)
		c->received_at = now;
	default_str(&c->channel, cfg->default_channel);
	default_str(&c->customer.tier, cfg->default_tier);
	default_str(&c->recorded_by, actor);
	default_str(&c->accountable, c->recorded_by);
	if (!isnan(c->resolution.amount))
		default_str(&c->resolution.currency, cfg->currency);

	/* Validate what was given before deriving from it. */
	if ((ret = cmp_complaint_validate(cfg, c, e)) ||
	    (ret = check_consistent(cfg, c, c, now, e)))
		return ret;
	cmp_rules_apply(cfg, c, 0);
	default_str(&c->severity, cfg->default_severity);

	/* An import that does not say when a step happened: then. */
	cmp_history_assume(c);
	if (!strcmp(c->status, "rejected") && !c->rejection_reason)
		default_str(&c->rejection_reason, c->resolution.note);
	/* Closed as a duplicate: confirmed, as cmp-close does. */
	if (c->duplicate_of)
		c->possible_duplicate_of = c->duplicate_of;

	/* Deadlines given on input (an import) are kept as they are; the
	   others run from received_at even when already met (an import's
	   times are judged against them): the computation keeps a met
	   deadline, so the times that meet them are set aside for it. */
	memcpy(given, c->due, sizeof(given));
	met[CMP_DL_ACK] = c->acknowledged_at;
	met[CMP_DL_REPLY] = c->replied_at;
	met[CMP_DL_RESOLVE] = c->resolution.resolved_at;
	c->acknowledged_at = c->replied_at = c->resolution.resolved_at = 0;
	cmp_deadlines_compute(cfg, c);
	c->acknowledged_at = met[CMP_DL_ACK];
	c->replied_at = met[CMP_DL_REPLY];
	c->resolution.resolved_at = met[CMP_DL_RESOLVE];
	for (int k = 0; k < CMP_DL_COUNT; k++) {
		char path[16];

		snprintf(path, sizeof(path), "due.%s", cmp_deadline_names[k]);
		if (cmp_field_present(c, cmp_field_find(path)))
			c->due[k] = given[k];
	}
	if (!cmp_field_present(c, cmp_field_find("out_of_warranty")))
		cmp_warranty_check(cfg, c);
	if ((ret = cmp_complaint_validate(cfg, c, e)))
		return ret;
	return cmp_complaint_check_keys(NULL, c, e);
}

/* Apply the fields given in `in` over `c` (a stored complaint), a change
   made at `when` (0: now). */
static void
apply_given(const struct cmp_ctx *ctx, struct cmp_complaint *c,
	    const struct cmp_complaint *in, cmp_time when)
{
	int deadlines = 0;
	struct cmp_complaint before;

	cmp_complaint_init(&before);
	cmp_complaint_copy(&before, c);
	for (size_t i = 0; i < cmp_nfields; i++) {
		const struct cmp_field *f = &cmp_fields[i];

		if (!cmp_field_present(in, f) || (f->flags & CMP_FF_MANAGED))
			continue;
		if ((f->flags & CMP_FF_DEADLINE) && !cmp_field_equal(f, c, in))
			deadlines = 1;
		cmp_field_copy(f, c, in);
	}
	if (deadlines)
		cmp_wf_recompute(ctx, c, &before, when);
	cmp_complaint_release(&before);
}

/*
 * A data error means nothing was written, so a batch needs no savepoint
 * per record (each one would make the full-text index flush a segment).
 * The store refusing a write after validation passed is not the input's
 * fault: it ends the batch.
 */
static int
stored_write(int ret, struct cmp_error *e)
{
	if (ret == CMP_EX_DATAERR)
		ret = e->code = CMP_EX_SOFTWARE;
	return ret;
}

/* A record closed as a duplicate names a complaint in the store, by
   cmp-close's rules (cmp_wf_duplicate_check). */
static int
check_original(const struct cmp_ctx *ctx, const struct cmp_complaint *c,
	       struct cmp_error *e)
{
	struct cmp_complaint orig;
	int ret;

	if (!c->duplicate_of)
		return 0;
	cmp_complaint_init(&orig);
	ret = cmp_store_load(ctx->store, c->duplicate_of, &orig, e);
	if (ret == CMP_EX_NOINPUT) {
		cmp_error_clear(e);
		ret = cmp_error_set(e, CMP_EX_DATAERR, "duplicate_of",
				    "no complaint %lld",
				    (long long)c->duplicate_of);
	} else if (!ret) {
		ret = cmp_wf_duplicate_check(ctx, c, &orig, e);
	}
	cmp_complaint_release(&orig);
	return ret;
}

/*
 * The moment a record given with updated_at was true at (0: none given,
 * it is true now): not in the future, not before it was received
 * (received_at, given or stored).
 */
static int
as_of(const struct cmp_config *cfg, const struct cmp_complaint *c,
      cmp_time received, cmp_time now, cmp_time *out, struct cmp_error *e)
{
	int64_t tolerance = cmp_duration_seconds(&cfg->future_tolerance);
	char tb[CMP_TIME_BUFSZ], ub[CMP_TIME_BUFSZ];

	*out = 0;
	if (!cmp_field_present(c, cmp_field_find("updated_at")) ||
	    !c->updated_at)
		return 0;
	if (c->updated_at > now + (cfg->future_tolerance.unit ? tolerance : 0))
		return cmp_error_set(e, CMP_EX_DATAERR, "updated_at",
				     "%s is in the future (now is %s): a "
				     "record is true at a moment past",
				     cmp_time_format(c->updated_at, tb),
				     cmp_time_format(now, ub));
	if (received && c->updated_at < received)
		return cmp_error_set(e, CMP_EX_DATAERR, "updated_at",
				     "%s is before received_at %s",
				     cmp_time_format(c->updated_at, tb),
				     cmp_time_format(received, ub));
	*out = c->updated_at;
	return 0;
}

/* An update true at `at`, older than what the store holds for its ref:
   skipped, and e says so (a note: code 0). */
static void
skip_older(const struct cmp_complaint *stored, cmp_time at,
	   struct cmp_error *e)
{
	char tb[CMP_TIME_BUFSZ], ub[CMP_TIME_BUFSZ];

	cmp_error_set(e, 0, "updated_at", "skipped: %s is older than "
		      "complaint %lld (ref '%s'), updated at %s",
		      cmp_time_format(at, tb), (long long)stored->id,
		      stored->ref, cmp_time_format(stored->updated_at, ub));
}

/*
 * A dated change of status must not precede the stored complaint's last
 * step, which an imported history may date after its updated_at (the
 * time of the row that brought it): the journal would then say the
 * status changed back in time, and a report reads the statuses in the
 * order they were journalled.
 */
static int
check_status_time(const struct cmp_complaint *stored,
		  const struct cmp_complaint *updated, cmp_time at,
		  struct cmp_error *e)
{
	cmp_time last = cmp_history_last_known(stored);
	char tb[CMP_TIME_BUFSZ], lb[CMP_TIME_BUFSZ];

	if (stored->closed_at > last)
		last = stored->closed_at;
	if (stored->waiting_since > last)
		last = stored->waiting_since;
	if (!at || at >= last || !strcmp(stored->status, updated->status))
		return 0;
	return cmp_error_set(e, CMP_EX_DATAERR, "status",
			     "a change to %s at %s is before complaint "
			     "%lld's last step, at %s", updated->status,
			     cmp_time_format(at, tb), (long long)stored->id,
			     cmp_time_format(last, lb));
}

/*
 * Add c whose ref the store holds as stored (its fingerprint
 * stored_fp): a replay, an update, or an update older than the store's,
 * skipped.  ch is dated at the moment c was true at, when it says.
 */
static int
add_known(struct cmp_ctx *ctx, struct cmp_complaint *c,
	  const struct cmp_complaint *stored, const char *fp,
	  const char *stored_fp, unsigned flags, struct cmp_change *ch,
	  enum cmp_add_result *result, struct cmp_error *e)
{
	const struct cmp_config *cfg = ctx->cfg;
	struct cmp_complaint updated;
	cmp_time at;
	int ret;

	if ((ret = as_of(cfg, c, c->received_at ? c->received_at :
			 stored->received_at, ctx->now, &at, e)))
		return ret;
	if (at)
		ch->at = at;
	if (stored_fp && cmp_json_fingerprint_match(fp, stored_fp)) {
		*result = CMP_UNCHANGED;
		/* The same record, true later: the store learns when, so
		   that an update older than this one is skipped after. */
		if (!(flags & CMP_ADD_UPDATE) || at <= stored->updated_at) {
			cmp_complaint_copy(c, stored);
			return 0;
		}
	} else if (!(flags & CMP_ADD_UPDATE)) {
		return cmp_error_set(e, CMP_EX_DATAERR, "ref",
				     "'%s' is already complaint %lld with "
				     "different content (use --update to "
				     "change it)", c->ref,
				     (long long)stored->id);
	} else if (at && at < stored->updated_at) {
		*result = CMP_SKIPPED;
		skip_older(stored, at, e);
		cmp_complaint_copy(c, stored);
		return 0;
	} else {
		*result = CMP_UPDATED;
	}
	cmp_complaint_init(&updated);
	cmp_complaint_copy(&updated, stored);
	apply_given(ctx, &updated, c, at);
	if (!(ret = cmp_complaint_validate(cfg, &updated, e)) &&
	    !(ret = cmp_complaint_check_keys(stored, &updated, e)) &&
	    !(ret = check_consistent(cfg, &updated, c, ctx->now, e)) &&
	    !(ret = check_status_time(stored, &updated, at, e)) &&
	    !(ret = check_original(ctx, &updated, e)))
		ret = stored_write(cmp_store_save(ctx->store, stored,
						  &updated, fp, ch, e), e);
	cmp_complaint_copy(c, &updated);
	cmp_complaint_release(&updated);
	return ret;
}

int
cmp_add(struct cmp_ctx *ctx, struct cmp_complaint *c, unsigned flags,
	const char *note, enum cmp_add_result *result, struct cmp_error *e)
{
	const struct cmp_config *cfg = ctx->cfg;
	struct cmp_change ch = cmp_ctx_change(ctx, note);
	struct cmp_complaint stored;
	char *fp = cmp_json_fingerprint(c), *stored_fp = NULL;
	cmp_time at;
	int ret;

	*result = CMP_ADDED;
	cmp_complaint_init(&stored);
	if (c->ref) {
		ret = cmp_store_load_ref(ctx->store, c->ref, &stored,
					 &stored_fp, e);
		if (ret && ret != CMP_EX_NOINPUT)
			goto out;
		if (!ret) {
			ret = add_known(ctx, c, &stored, fp, stored_fp, flags,
					&ch, result, e);
			goto out;
		}
		cmp_error_clear(e);
	}
	if ((ret = cmp_intake_prepare(cfg, c, ctx->actor, ctx->now, e)) ||
	    (ret = check_original(ctx, c, e)) ||
	    (ret = as_of(cfg, c, c->received_at, ctx->now, &at, e)))
		goto out;
	if (at)
		ch.at = at;
	if (cfg->duplicates_window.unit && !c->possible_duplicate_of &&
	    (ret = cmp_store_find_duplicate(ctx->store, c,
			cmp_duration_seconds(&cfg->duplicates_window),
			&c->possible_duplicate_of, e)))
		goto out;
	ret = stored_write(cmp_store_add(ctx->store, c, fp, &ch, e), e);
out:
	free(fp);
	free(stored_fp);
	cmp_complaint_release(&stored);
	return ret;
}

int
cmp_add_ahead(struct cmp_ctx *ctx, struct cmp_complaint *const *cs,
	      size_t n, struct cmp_error *e)
{
	const struct cmp_config *cfg = ctx->cfg;

	return cmp_store_ahead(ctx->store, cs, n,
			       cfg->duplicates_window.unit ?
			       cmp_duration_seconds(&cfg->duplicates_window) :
			       0, ctx->now, e);
}
