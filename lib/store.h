/*
 * store.h - what the rest of the library asks of the store beyond the
 * public API: adding a complaint (intake.c) and the report's queries
 * (report_*.c).  The store's own files share store_impl.h.  Not part of
 * the public API.
 */
#ifndef CMP_STORE_H
#define CMP_STORE_H

#include "complaint.h"

/* ------------------------------------------------------------------ */
/* store.c: adding a complaint (intake.c)                              */
/* ------------------------------------------------------------------ */

/*
 * Insert a new complaint: sets c->id, created_at, updated_at, stores its
 * follow-ups and tags, and journals its creation.  fingerprint (may be
 * NULL) identifies the input it came from, for idempotent replays.
 */
int cmp_store_add(struct cmp_store *st, struct cmp_complaint *c,
		  const char *fingerprint, const struct cmp_change *ch,
		  struct cmp_error *e);
/* Load by ref; 66 when none.  *fingerprint (caller owns) may be NULL. */
int cmp_store_load_ref(struct cmp_store *st, const char *ref,
		       struct cmp_complaint *c, char **fingerprint,
		       struct cmp_error *e);
/*
 * Before the n complaints cs are added in the transaction begun, in
 * that order (cmp_add): read their refs and the complaints they may
 * duplicate (within window; 0: none looked for) in a few statements,
 * for the lookups of their adding (store_ahead.c).  A complaint without
 * received_at will be received at now, as cmp_intake_prepare gives it.
 */
int cmp_store_ahead(struct cmp_store *st, struct cmp_complaint *const *cs,
		    size_t n, cmp_time window, cmp_time now,
		    struct cmp_error *e);
/* The id of an earlier complaint c likely duplicates, or 0. */
int cmp_store_find_duplicate(struct cmp_store *st,
			     const struct cmp_complaint *c, cmp_time window,
			     int64_t *id, struct cmp_error *e);

/* ------------------------------------------------------------------ */
/* store_report.c: the report's queries (report_figures.c,             */
/* report_volumes.c)                                                   */
/* ------------------------------------------------------------------ */

/*
 * The store's report queries.  Periods are [since, until); as_of, where
 * a query takes it, leaves out complaints created after it (0: no
 * limit); queries over the journal take an until already cut at the
 * as_of moment.  Rows passed to callbacks, and the strings in them, are
 * borrowed: valid during the call.  A callback's non-zero return stops
 * the query and is returned.
 */

/* Complaints received in [since, until), grouped. */
struct cmp_report_query {
	cmp_time since, until;
	cmp_time as_of;
	/* Group by: field paths, "attrs.KEY", "tags" (a complaint counts
	   once per tag); NULL/0: no fields. */
	const char *const *fields;
	size_t nfields;
	/* And by bucket of received_at: i for [bounds[i], bounds[i+1]);
	   NULL: none. */
	const cmp_time *bounds;
	size_t nbounds;
	/* 1: not grouped: one call per complaint (count 1), for a caller
	   that aggregates many rows itself, rather than the store's
	   sorter.  A server that groups them for less than it costs to
	   send them (PostgreSQL) groups them anyway. */
	int rows;
};
/* values[i]: the text of fields[i] (NULL for null); bucket -1 when none. */
typedef int (*cmp_report_group_fn)(void *arg, const char *const *values,
				   long bucket, int64_t count);
/* Stream the groups of q; 0, 64 (a field that cannot group) or 74/75. */
int cmp_store_report_groups(struct cmp_store *st,
			    const struct cmp_report_query *q,
			    cmp_report_group_fn fn, void *arg,
			    struct cmp_error *e);

/* Complaints that changed so in [since, until), from the journal (an
   import's steps journalled at their times among them). */
struct cmp_report_events {
	int64_t acknowledged, replied, resolved, closed, rejected, reopened;
	int64_t duplicates;	/* closed as duplicates (not in rejected) */
};
int cmp_store_report_events(struct cmp_store *st, cmp_time since,
			    cmp_time until, struct cmp_report_events *out,
			    struct cmp_error *e);

/* A complaint's deadlines for the report: due, met (0: not met), and
   for a deadline due in the period and not met by then, the status at
   that moment. */
struct cmp_report_deadline_row {
	int64_t id;
	cmp_time received_at, created_at;
	cmp_time due[CMP_DL_COUNT], met[CMP_DL_COUNT];
	const char *status_at_due[CMP_DL_COUNT];	/* else NULL */
};
typedef int (*cmp_report_deadline_fn)(void *arg,
				      const struct cmp_report_deadline_row *r);
/*
 * Every complaint with a deadline falling due in [since, until), met or
 * not, in no order to rely on; report_figures.c counts each deadline of
 * the period's.  The status changes since `since` it holds (a period
 * near now) serve cmp_store_report_events and cmp_store_report_open
 * after it, until the store's next transaction ends.
 */
int cmp_store_report_deadlines(struct cmp_store *st, cmp_time since,
			       cmp_time until, cmp_report_deadline_fn fn,
			       void *arg, struct cmp_error *e);

/* A complaint open at a moment, as it was then. */
struct cmp_report_open_row {
	int64_t id;
	cmp_time due[CMP_DL_COUNT], met[CMP_DL_COUNT];
	const char *status;		/* status at that moment */
	cmp_time waiting_since;		/* when it began to wait, if it did */
};
typedef int (*cmp_report_open_fn)(void *arg,
				  const struct cmp_report_open_row *r);
/*
 * store_backlog.c.  The backlog at a moment: each complaint received
 * before at (and recorded by as_of, 0: any time) whose status then
 * (from the journal: changes at or after at undone) was open, in no
 * order to rely on.  The caller counts them and picks the overdue
 * (cmp_store_load for what it lists of them).
 */
int cmp_store_report_open(struct cmp_store *st, cmp_time at,
			  cmp_time as_of, cmp_report_open_fn fn,
			  void *arg, struct cmp_error *e);

/* Follow-ups due in [since, until); done in it (and by as_of), with a
   score, with a score of bar or more, and the sum of their scores. */
struct cmp_report_followups {
	int64_t due, done, scored, satisfied;
	double score_sum;
};
int cmp_store_report_followups(struct cmp_store *st, cmp_time since,
			       cmp_time until, cmp_time as_of, int bar,
			       struct cmp_report_followups *out,
			       struct cmp_error *e);
/* Money of the resolutions made in [since, until), by type and currency
   (either may be NULL), from the journal. */
typedef int (*cmp_report_money_fn)(void *arg, const char *type,
				   const char *currency, int64_t count,
				   double amount);
int cmp_store_report_money(struct cmp_store *st, cmp_time since,
			   cmp_time until, cmp_report_money_fn fn, void *arg,
			   struct cmp_error *e);
/* The earliest received_at in the store (0 when it is empty). */
int cmp_store_report_first(struct cmp_store *st, cmp_time *first,
			   struct cmp_error *e);

#endif /* CMP_STORE_H */
