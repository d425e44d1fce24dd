/*
 * history.h - the steps of an imported complaint's past (history.c),
 * which the store journals at their times.  Not part of the public API.
 */
#ifndef CMP_HISTORY_H
#define CMP_HISTORY_H

#include "complaint.h"

/* One journal entry of an import's past: at, field, old and new value
   (new_value NULL: the time at, as text: a time field set; followups:
   follow-up `followup`, as the record's JSON shows it), note (NULL:
   "imported"). */
struct cmp_history_step {
	cmp_time at;
	const char *field;
	const char *old_value;
	const char *new_value;
	const char *note;
	const struct cmp_followup *followup;
	char number[32];	/* new_value's text when it is a number */
	char old_number[24];	/* old_value's, likewise */
};

/* How a complaint past its work ended, by its status and fields: the
   one reading of it for the checks on the way in and the journal. */
enum cmp_ending {
	CMP_ENDED_NOT,		/* new, assigned, waiting */
	CMP_ENDED_RESOLVED,	/* resolved, or closed after a resolution */
	CMP_ENDED_REJECTED,	/* rejected, or closed after a rejection */
	CMP_ENDED_DUPLICATE,	/* closed as a duplicate (duplicate_of) */
};

enum cmp_ending cmp_history_ending(const struct cmp_complaint *c);

/* The steps of c's lifecycle, in time order (allocated: free()); *n
   how many (0 for a `new` complaint: its creation is journalled as any
   other). */
struct cmp_history_step *cmp_history_steps(const struct cmp_complaint *c,
					   int *n);

/* The last time c gives: received, acknowledged, replied, resolved,
   rejected (when a step its status implies, undated, is assumed). */
cmp_time cmp_history_last_known(const struct cmp_complaint *c);

/*
 * Date the steps c's status implies but whose time it does not give
 * (closed_at, resolution.resolved_at, rejected_at, waiting_since) at the
 * last time it gives, in the record as in the journal; each marked not
 * given, so that its journal entry says it was assumed.
 */
void cmp_history_assume(struct cmp_complaint *c);

#endif /* CMP_HISTORY_H */
