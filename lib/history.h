/*
 * history.h - the steps of an imported complaint's past (history.c),
 * which the store journals at their times.  Not part of the public API.
 */
#ifndef CMP_HISTORY_H
#define CMP_HISTORY_H

#include "complaint.h"

/* One journal entry of an import's past: at, field, new value (NULL:
   the time at, as text: a time field set), note (NULL: "imported"). */
struct cmp_history_step {
	cmp_time at;
	const char *field;
	const char *new_value;
	const char *note;
	char number[24];	/* new_value's text when it is an id */
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

#define CMP_HISTORY_MAX 9

/* The steps of c's lifecycle, in time order; how many (0 for a `new`
   complaint: its creation is journalled as any other). */
int cmp_history_steps(const struct cmp_complaint *c,
		      struct cmp_history_step step[CMP_HISTORY_MAX]);

/* The time a closed import without closed_at is assumed closed at: the
   last of its lifecycle's times it gives. */
cmp_time cmp_history_last_known(const struct cmp_complaint *c);

#endif /* CMP_HISTORY_H */
