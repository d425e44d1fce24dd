/*
 * field_set.c - setting a field from text, validated as input is: what
 * --set, CSV cells and (through the JSON codec) JSON values all go
 * through, so that they share one validation.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "field.h"
#include "field_set.h"
#include "json_parse.h"
#include "record.h"
#include "util.h"
#include "validate.h"

/* Parse a decimal integer within [min, max]; 1 if it is one. */
static int
parse_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;

	if (!*s || *s == '+' || *s == ' ')
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return 0;
	*out = v;
	return 1;
}

static int
parse_bool(const char *s, int *out)
{
	static const char *const yes[] = {"true", "yes", "y", "1"};
	static const char *const no[] = {"false", "no", "n", "0"};

	for (size_t i = 0; i < CMP_ARRAY_LEN(yes); i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = 1;
			return 1;
		}
		if (!strcasecmp(s, no[i])) {
			*out = 0;
			return 1;
		}
	}
	return 0;
}

/* Split "a, b,c" into tags; 0 or 65. */
static int
set_tags_text(struct cmp_complaint *c, const char *text, struct cmp_error *e)
{
	const char *p = text;

	cmp_complaint_tags_clear(c);
	while (*p) {
		const char *q = strchr(p, ',');
		size_t n = q ? (size_t)(q - p) : strlen(p);
		char *tag;

		while (n && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n) {
			tag = cmp_xstrndup(p, n);
			cmp_complaint_tag(c, tag);
			free(tag);
		}
		if (!q)
			break;
		p = q + 1;
	}
	(void)e;
	return 0;
}

int
cmp_field_set_text(const struct cmp_config *cfg, struct cmp_complaint *c,
		   const struct cmp_field *f, const char *text, cmp_time now,
		   struct cmp_error *e)
{
	const char *bad;

	if (text && (bad = cmp_utf8_check(text, strlen(text))))
		return cmp_error_set(e, CMP_EX_DATAERR, f->path,
				     "invalid UTF-8 (byte 0x%02x)",
				     (unsigned char)*bad);
	cmp_field_mark(c, f);
	if (text && !*text && f->type != CMP_F_TEXT)
		text = NULL;
	switch (f->type) {
	case CMP_F_TEXT:
	case CMP_F_ENUM:
	case CMP_F_DATE: {
		char **p = CMP_FPTR(char *, f, c);

		if (text && f->type == CMP_F_ENUM &&
		    !cmp_field_enum_valid(cfg, f, text))
			return cmp_error_set(e, CMP_EX_DATAERR, f->path,
					     "'%s' is not %s", text,
					     cmp_enum_noun(f->en));
		if (text && f->type == CMP_F_DATE &&
		    cmp_date_check(text, e)) {
			snprintf(e->field, sizeof(e->field), "%s", f->path);
			return CMP_EX_DATAERR;
		}
		free(*p);
		*p = text && *text ? cmp_xstrdup(text) : NULL;
		return 0;
	}
	case CMP_F_JSON: {
		char **p = CMP_FPTR(char *, f, c);
		cJSON *v = NULL;
		char *s;

		if (!text) {
			free(*p);
			*p = NULL;
			return 0;
		}
		if (cmp_json_parse(text, strlen(text), &v, e)) {
			snprintf(e->field, sizeof(e->field), "%s", f->path);
			return CMP_EX_DATAERR;
		}
		if (!cJSON_IsObject(v)) {
			cJSON_Delete(v);
			return cmp_error_set(e, CMP_EX_DATAERR, f->path,
					     "expected a JSON object");
		}
		if (cmp_json_unique_keys(v, f->path, e)) {
			cJSON_Delete(v);
			return CMP_EX_DATAERR;
		}
		s = cJSON_PrintUnformatted(v);
		cJSON_Delete(v);
		free(*p);
		*p = cmp_xstrdup(s);
		cJSON_free(s);
		return 0;
	}
	case CMP_F_ID:
	case CMP_F_INT:
	case CMP_F_COUNT:
	case CMP_F_SCORE: {
		int64_t v = 0;
		int64_t min = f->type == CMP_F_COUNT ? 0 : 1;
		int64_t max = f->type == CMP_F_SCORE ? 5 : INT64_MAX;

		if (!text) {
			if (f->type == CMP_F_COUNT)
				return cmp_error_set(e, CMP_EX_DATAERR,
						     f->path,
						     "may not be null");
			*CMP_FPTR(int64_t, f, c) = 0;
			return 0;
		}
		if (!parse_int(text, min, max, &v))
			return cmp_error_set(e, CMP_EX_DATAERR, f->path,
					     "'%s' is not %s", text,
					     f->type == CMP_F_SCORE ?
					     "a score from 1 to 5" :
					     min ? "a positive integer" :
					     "a count");
		*CMP_FPTR(int64_t, f, c) = v;
		return 0;
	}
	case CMP_F_TIME: {
		cmp_time t = 0;

		if (text && cmp_time_parse(text, cfg->timezone, now, &t, e)) {
			snprintf(e->field, sizeof(e->field), "%s", f->path);
			return CMP_EX_DATAERR;
		}
		*CMP_FPTR(cmp_time, f, c) = t;
		return 0;
	}
	case CMP_F_BOOL: {
		int v = -1;

		if (text && !parse_bool(text, &v))
			return cmp_error_set(e, CMP_EX_DATAERR, f->path,
					     "'%s' is not true or false",
					     text);
		*CMP_FPTR(int, f, c) = v;
		return 0;
	}
	case CMP_F_MONEY: {
		double v = NAN;
		char *end;

		if (text) {
			errno = 0;
			v = strtod(text, &end);
			if (*end || end == text || errno || !isfinite(v) ||
			    v < 0 || strpbrk(text, "xXnN"))
				return cmp_error_set(e, CMP_EX_DATAERR,
						     f->path,
						     "'%s' is not an amount",
						     text);
		}
		*CMP_FPTR(double, f, c) = v;
		return 0;
	}
	case CMP_F_TAGS:
		cmp_complaint_tags_clear(c);
		return text ? set_tags_text(c, text, e) : 0;
	case CMP_F_FOLLOWUPS:
		break;
	}
	return cmp_error_set(e, CMP_EX_USAGE, f->path,
			     "cannot be set from text");
}

/* attrs.KEY=VALUE: a string member of the attrs object (empty: removed). */
static int
set_attr(struct cmp_complaint *c, const char *key, const char *value,
	 struct cmp_error *e)
{
	cJSON *attrs = NULL;
	char *s;

	if (!*key)
		return cmp_error_set(e, CMP_EX_USAGE, "attrs",
				     "an attribute name is required");
	if (cmp_utf8_check(value, strlen(value)) ||
	    cmp_utf8_check(key, strlen(key)))
		return cmp_error_set(e, CMP_EX_DATAERR, "attrs",
				     "invalid UTF-8");
	if (c->attrs && cmp_json_parse(c->attrs, strlen(c->attrs), &attrs, e))
		return CMP_EX_DATAERR;
	if (!attrs)
		attrs = cJSON_CreateObject();
	cJSON_DeleteItemFromObjectCaseSensitive(attrs, key);
	if (*value)
		cJSON_AddItemToObject(attrs, key, cJSON_CreateString(value));
	free(c->attrs);
	c->attrs = NULL;
	if (cJSON_GetArraySize(attrs)) {
		s = cJSON_PrintUnformatted(attrs);
		c->attrs = cmp_xstrdup(s);
		cJSON_free(s);
	}
	cJSON_Delete(attrs);
	cmp_field_mark(c, cmp_field_find("attrs"));
	return 0;
}

int
cmp_complaint_set(const struct cmp_config *cfg, struct cmp_complaint *c,
		  const char *assignment, cmp_time now, struct cmp_error *e)
{
	const char *eq = strchr(assignment, '=');
	const struct cmp_field *f;
	char *name;
	int ret;

	if (!eq || eq == assignment)
		return cmp_error_set(e, CMP_EX_USAGE, NULL,
				     "'%s' is not FIELD=VALUE", assignment);
	name = cmp_xstrndup(assignment, (size_t)(eq - assignment));
	if (!strncmp(name, "attrs.", 6)) {
		ret = set_attr(c, name + 6, eq + 1, e);
		free(name);
		return ret;
	}
	f = cmp_field_find(name);
	if (!f) {
		ret = cmp_error_set(e, CMP_EX_USAGE, name, "no such field");
	} else if (!(f->flags & CMP_FF_SETTABLE)) {
		ret = cmp_error_set(e, CMP_EX_USAGE, name,
				    "cannot be set with --set%s",
				    !strcmp(name, "status") ?
				    " (use cmp-assign or cmp-close)" : "");
	} else {
		ret = cmp_field_set_text(cfg, c, f, eq + 1, now, e);
	}
	free(name);
	return ret;
}
