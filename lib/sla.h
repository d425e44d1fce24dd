/*
 * sla.h - business calendars, SLA terms and deadlines (sla.c), for the
 * files that compute deadlines: intake, workflow, the report.  Not part
 * of the public API.
 */
#ifndef CMP_SLA_H
#define CMP_SLA_H

#include "complaint.h"

/* Seconds the calendar counts in a working day / week (24x7: 86400). */
int64_t cmp_calendar_day_seconds(const struct cmp_calendar *c);
/* Counted seconds of d: in a business calendar 'd' is a working day. */
int64_t cmp_calendar_duration(const struct cmp_calendar *c,
			      const struct cmp_duration *d);
/* Counted seconds in [from, to) (0 if to <= from). */
int64_t cmp_calendar_elapsed(const struct cmp_calendar *c, cmp_time from,
			     cmp_time to);
/* The moment when secs counted seconds have passed after start. */
cmp_time cmp_calendar_add(const struct cmp_calendar *c, cmp_time start,
			  int64_t secs);
void cmp_calendar_release(struct cmp_calendar *c);
void cmp_calendar_copy(struct cmp_calendar *dst,
		       const struct cmp_calendar *src);

/* The SLA terms for a complaint: default <- severity <- tier, key by key. */
void cmp_sla_terms(const struct cmp_config *cfg, const char *severity,
		   const char *tier, struct cmp_sla_level *out);
/* Release what cmp_sla_terms filled. */
void cmp_sla_level_release(struct cmp_sla_level *l);
/* Set the deadlines not met yet from received_at (pauses not counted). */
void cmp_deadlines_compute(const struct cmp_config *cfg,
			   struct cmp_complaint *c);
/* Set out_of_warranty from the product's dates and warranty.months. */
void cmp_warranty_check(const struct cmp_config *cfg,
			struct cmp_complaint *c);

#endif /* CMP_SLA_H */
