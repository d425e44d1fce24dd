/*
 * workflow.h - the state table of the lifecycle (workflow.c), for the
 * library's other files and the tests.  Not part of the public API.
 */
#ifndef CMP_WORKFLOW_H
#define CMP_WORKFLOW_H

#include "complaint.h"

/* The status event leads to from status, or NULL if it is refused. */
const char *cmp_transition(const char *status, enum cmp_event event);
/*
 * The approval rule: a compensation above the approval threshold needs
 * an approver.  0, or code with e naming field, how saying where the
 * approver goes.  cmp-close refuses with 77 (--approved-by); a record
 * given to cmp-add is a data error, 65 (resolution.approved_by).
 */
int cmp_wf_approval(const struct cmp_config *cfg, double amount,
		    const char *approved_by, int code, const char *field,
		    const char *how, struct cmp_error *e);

/*
 * Whether c may be closed as a duplicate of orig (cmp_wf_duplicate, and a
 * record given to cmp-add with duplicate_of): not of itself, not of a
 * duplicate (the message names its original), and not while others are
 * closed as c's own duplicates (read from ctx->store).  0, or 65 naming
 * duplicate_of.
 */
int cmp_wf_duplicate_check(const struct cmp_ctx *ctx,
			   const struct cmp_complaint *c,
			   const struct cmp_complaint *orig,
			   struct cmp_error *e);

#endif /* CMP_WORKFLOW_H */
