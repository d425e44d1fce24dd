/*
 * workflow.h - the state table of the lifecycle (workflow.c), for the
 * library's other files and the tests.  Not part of the public API.
 */
#ifndef CMP_WORKFLOW_H
#define CMP_WORKFLOW_H

#include "complaint.h"

/* The status event leads to from status, or NULL if it is refused. */
const char *cmp_transition(const char *status, enum cmp_event event);
/* 1 for new, assigned, waiting. */
int cmp_status_open(const char *status);

#endif /* CMP_WORKFLOW_H */
