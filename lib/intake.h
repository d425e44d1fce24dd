/*
 * intake.h - what intake.c derives for a new complaint, apart from
 * storing it (cmp_add, public): for the tests.  Not part of the public
 * API.
 */
#ifndef CMP_INTAKE_H
#define CMP_INTAKE_H

#include "complaint.h"

/*
 * Prepare a decoded complaint for storing: defaults (status, received_at,
 * channel, severity, tier, currency), recorded_by/accountable = actor
 * unless given; validate it and check that it is consistent (times in
 * order and not in the future, status and resolution, approval, owner:
 * 65 naming the field); then routing rules, deadlines, warranty.
 */
int cmp_intake_prepare(const struct cmp_config *cfg, struct cmp_complaint *c,
		       const char *actor, cmp_time now, struct cmp_error *e);

#endif /* CMP_INTAKE_H */
