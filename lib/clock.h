/*
 * clock.h - the clock's side for the rest of the library (clock.c): the
 * process's frozen now, zone checks and local-time arithmetic.  Not
 * part of the public API: programs take now from their context.
 */
#ifndef CMP_CLOCK_H
#define CMP_CLOCK_H

#include <time.h>

#include "complaint.h"

/*
 * The current time: $CMP_NOW (RFC 3339) when set, else the system clock.
 * cmp_clock_init checks $CMP_NOW once (64 if it does not parse); after
 * it, cmp_now() is frozen at that value for the life of the process.
 */
int cmp_clock_init(struct cmp_error *e);
cmp_time cmp_now(void);

/* Check that zone names a time zone this machine knows; 0 or 78. */
int cmp_zone_check(const char *zone, struct cmp_error *e);
/* The UTC time of a naive local time in zone; tm is normalised. */
cmp_time cmp_mktime(struct tm *tm, const char *zone);

#endif /* CMP_CLOCK_H */
