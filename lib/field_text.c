/*
 * field_text.c - a field's value as text, for the journal, CSV and
 * tables.  Tags and follow-ups are written as the record's JSON shows
 * them, so this file sits above the JSON codec.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "field.h"
#include "record_json.h"

/* Shortest decimal that reads back as the same double. */
static char *
money_text(double v)
{
	char buf[64];
	size_t n;

	/* Amounts of money: to the cent, no exponent, no trailing zeros
	   ("500", "12.5", "0.3"). */
	if (fabs(v) >= 1e15) {
		snprintf(buf, sizeof(buf), "%.17g", v);
		return cmp_xstrdup(buf);
	}
	snprintf(buf, sizeof(buf), "%.2f", v);
	n = strlen(buf);
	while (buf[n - 1] == '0')
		buf[--n] = '\0';
	if (buf[n - 1] == '.')
		buf[--n] = '\0';
	if (!strcmp(buf, "-0"))
		strcpy(buf, "0");
	return cmp_xstrdup(buf);
}

char *
cmp_field_text(const struct cmp_field *f, const struct cmp_complaint *c)
{
	char buf[CMP_TIME_BUFSZ];

	if (cmp_field_is_null(f, c))
		return NULL;
	switch (f->type) {
	case CMP_F_TEXT:
	case CMP_F_ENUM:
	case CMP_F_DATE:
	case CMP_F_JSON:
		return cmp_xstrdup(*CMP_CFPTR(char *, f, c));
	case CMP_F_ID:
	case CMP_F_INT:
	case CMP_F_COUNT:
	case CMP_F_SCORE:
		return cmp_xasprintf("%lld",
				     (long long)*CMP_CFPTR(int64_t, f, c));
	case CMP_F_TIME:
		return cmp_xstrdup(cmp_time_format(*CMP_CFPTR(cmp_time, f, c),
						   buf));
	case CMP_F_BOOL:
		return cmp_xstrdup(*CMP_CFPTR(int, f, c) ? "true" : "false");
	case CMP_F_MONEY:
		return money_text(*CMP_CFPTR(double, f, c));
	case CMP_F_TAGS:
	case CMP_F_FOLLOWUPS: {
		/* As the record's JSON shows it. */
		cJSON *item = cmp_json_field(f, c, 0);
		char *s = cJSON_PrintUnformatted(item);
		char *r = cmp_xstrdup(s);

		cJSON_free(s);
		cJSON_Delete(item);
		return r;
	}
	}
	return NULL;
}
