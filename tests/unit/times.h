/*
 * times.h - moments for the unit tests: at("2026-11-20T01:15:00Z") and
 * fmt(t), which keeps its last four results so several fit in one call.
 */
#ifndef CMP_TEST_TIMES_H
#define CMP_TEST_TIMES_H

#include "complaint.h"

static __attribute__((unused)) cmp_time
at(const char *s)
{
	struct cmp_error e;
	cmp_time t = 0;

	cmp_error_clear(&e);
	cmp_time_parse(s, "UTC", 0, &t, &e);
	return t;
}

static __attribute__((unused)) const char *
fmt(cmp_time t)
{
	static char buf[4][CMP_TIME_BUFSZ];
	static int i;

	i = (i + 1) % 4;
	return cmp_time_format(t, buf[i]);
}

#endif
