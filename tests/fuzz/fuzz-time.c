/*
 * Fuzz target: times and durations as people type them.  The input, as
 * a NUL-terminated string, is parsed as a time in three zones (UTC, one
 * without daylight saving, one with) and as a duration; what parses is
 * formatted back.
 */
#include <stdlib.h>
#include <string.h>

#include "complaint.h"

/* 2025-11-20T01:15:00Z */
#define NOW ((cmp_time)1763601300)

static const char *const zones[] = {NULL, "Asia/Shanghai",
				    "America/New_York"};

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char buf[CMP_TIME_BUFSZ], date[CMP_TIME_BUFSZ], dbuf[24];
	struct cmp_duration d;
	struct cmp_error e;
	char *s;

	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		cmp_time t = 0;

		cmp_error_clear(&e);
		if (cmp_time_parse(s, zones[i], NOW, &t, &e) == 0) {
			cmp_time_format(t, buf);
			cmp_date_format(t, zones[i], date);
		}
	}
	cmp_error_clear(&e);
	if (cmp_duration_parse(s, &d, &e) == 0) {
		cmp_duration_format(&d, dbuf);
		if (cmp_duration_seconds(&d) < 0)
			abort();
		cmp_time_format(cmp_time_add(NOW, &d, 1, "America/New_York"),
				buf);
	}
	cmp_error_clear(&e);
	cmp_date_check(s, &e);
	free(s);
	return 0;
}
