/*
 * record.h - record.c's functions used only inside libcomplaint.
 */
#ifndef CMP_RECORD_H
#define CMP_RECORD_H

#include "complaint.h"

/* 1 for new, assigned, waiting: the open statuses (a report's backlog,
   the lifecycle's rules, the store's status at a moment). */
int cmp_status_open(const char *status);

/* Remove every tag of c. */
void cmp_complaint_tags_clear(struct cmp_complaint *c);

/* Free what f holds and zero it. */
void cmp_followup_release(struct cmp_followup *f);
/* Copy f's value from src to dst. */
void cmp_field_copy(const struct cmp_field *f, struct cmp_complaint *dst,
		    const struct cmp_complaint *src);

#endif /* CMP_RECORD_H */
