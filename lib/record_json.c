/*
 * record_json.c - the complaint record's JSON codec: decoding a JSON
 * object into a record, encoding a record as a cJSON tree or as text,
 * and the fingerprint of what was given on input.
 *
 * Decoding turns every scalar into text and goes through
 * cmp_field_set_text(), so that JSON input, CSV input and --set share one
 * validation; JSON only adds the type checks (a phone is a string, a
 * quantity a number) that text cannot carry.
 */
#include <float.h>
#include <limits.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "field.h"
#include "field_set.h"
#include "json_parse.h"
#include "record_json.h"
#include "util.h"

static const char *
type_name(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "string";
	if (cmp_json_is_number(v))
		return "number";
	if (cJSON_IsBool(v))
		return "boolean";
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsArray(v))
		return "array";
	if (cJSON_IsObject(v))
		return "object";
	return "value";
}

static int
type_error(struct cmp_error *e, const char *path, const char *want,
	   const cJSON *v)
{
	return cmp_error_set(e, CMP_EX_DATAERR, path, "expected %s, got %s",
			     want, type_name(v));
}

/* The literal of a number item (raw from our parser, or a cJSON double). */
static char *
number_text(const cJSON *v)
{
	if (cJSON_IsRaw(v))
		return cmp_xstrdup(v->valuestring);
	return cmp_xasprintf("%.17g", v->valuedouble);
}

static int
decode_followups(const cJSON *arr, unsigned flags, const struct cmp_config *cfg,
		 cmp_time now, struct cmp_complaint *c, struct cmp_error *e)
{
	const cJSON *item;
	size_t n = 0;

	if (!cJSON_IsArray(arr))
		return type_error(e, "followups", "an array", arr);
	c->followups = cmp_xcalloc((size_t)cJSON_GetArraySize(arr) + 1,
				   sizeof(struct cmp_followup));
	cJSON_ArrayForEach(item, arr) {
		struct cmp_followup *fu = &c->followups[n++];
		const cJSON *m;

		c->nfollowups = n;
		if (!cJSON_IsObject(item))
			return type_error(e, "followups", "an object", item);
		cJSON_ArrayForEach(m, item) {
			const char *k = m->string;
			char path[64];

			snprintf(path, sizeof(path), "followups.%s", k);
			if (!strcmp(k, "due_at") || !strcmp(k, "done_at")) {
				cmp_time *t = k[1] == 'u' ? &fu->due_at :
					&fu->done_at;

				if (cJSON_IsNull(m))
					continue;
				if (!cJSON_IsString(m))
					return type_error(e, path, "a string",
							  m);
				if (cmp_time_parse(m->valuestring,
						   cfg->timezone, now, t, e)) {
					snprintf(e->field, sizeof(e->field),
						 "%s", path);
					return CMP_EX_DATAERR;
				}
			} else if (!strcmp(k, "channel") ||
				   !strcmp(k, "outcome") ||
				   !strcmp(k, "note")) {
				char **s = k[0] == 'c' ? &fu->channel :
					k[0] == 'o' ? &fu->outcome : &fu->note;

				if (cJSON_IsNull(m))
					continue;
				if (!cJSON_IsString(m))
					return type_error(e, path, "a string",
							  m);
				free(*s);
				*s = cmp_xstrdup(m->valuestring);
			} else if (!strcmp(k, "satisfaction")) {
				double d;

				if (cJSON_IsNull(m))
					continue;
				if ((flags & CMP_DECODE_TEXT) &&
				    cJSON_IsString(m)) {
					d = strtod(m->valuestring, NULL);
				} else if (!cmp_json_number(m, &d)) {
					return type_error(e, path, "a number",
							  m);
				}
				if (d != floor(d) || d < 1 || d > 5)
					return cmp_error_set(e, CMP_EX_DATAERR,
							     path,
							     "expected a score "
							     "from 1 to 5");
				fu->satisfaction = (int)d;
			} else if (strcmp(k, "id")) {
				return cmp_error_set(e, CMP_EX_DATAERR, path,
						     "unknown field");
			}
		}
	}
	(void)flags;
	return 0;
}

static int
decode_tags(const cJSON *v, struct cmp_complaint *c, struct cmp_error *e)
{
	const cJSON *t;

	cJSON_ArrayForEach(t, v) {
		if (!cJSON_IsString(t))
			return type_error(e, "tags", "an array of strings", v);
		if (!*t->valuestring || strchr(t->valuestring, ','))
			return cmp_error_set(e, CMP_EX_DATAERR, "tags",
					     "'%s' is not a tag (not empty, "
					     "no commas)", t->valuestring);
		cmp_complaint_tag(c, t->valuestring);
	}
	return 0;
}

static int
decode_value(const struct cmp_config *cfg, const struct cmp_field *f,
	     const cJSON *v, unsigned flags, cmp_time now,
	     struct cmp_complaint *c, struct cmp_error *e)
{
	int text_ok = flags & CMP_DECODE_TEXT;
	char *s;
	int ret;

	if ((f->flags & CMP_FF_MANAGED) && !(f->flags & CMP_FF_AS_OF))
		return 0;	/* the store's to set: id, created_at... */
	if (cmp_field_present(c, f))
		return cmp_error_set(e, CMP_EX_DATAERR, f->path,
				     "given twice");
	if (cJSON_IsNull(v)) {
		if (f->type == CMP_F_COUNT || f->type == CMP_F_TAGS ||
		    f->type == CMP_F_FOLLOWUPS) {
			cmp_field_mark(c, f);
			return 0;
		}
		return cmp_field_set_text(cfg, c, f, NULL, now, e);
	}
	switch (f->type) {
	case CMP_F_TEXT:
	case CMP_F_ENUM:
	case CMP_F_DATE:
	case CMP_F_TIME:
		if (!cJSON_IsString(v))
			return type_error(e, f->path, "a string", v);
		return cmp_field_set_text(cfg, c, f, v->valuestring, now, e);
	case CMP_F_ID:
	case CMP_F_INT:
	case CMP_F_COUNT:
	case CMP_F_SCORE:
	case CMP_F_MONEY:
		if (text_ok && cJSON_IsString(v))
			return cmp_field_set_text(cfg, c, f, v->valuestring,
						  now, e);
		if (!cmp_json_is_number(v))
			return type_error(e, f->path, "a number", v);
		s = number_text(v);
		ret = cmp_field_set_text(cfg, c, f, s, now, e);
		free(s);
		return ret;
	case CMP_F_BOOL:
		if (text_ok && cJSON_IsString(v))
			return cmp_field_set_text(cfg, c, f, v->valuestring,
						  now, e);
		if (!cJSON_IsBool(v))
			return type_error(e, f->path, "true or false", v);
		return cmp_field_set_text(cfg, c, f,
					  cJSON_IsTrue(v) ? "true" : "false",
					  now, e);
	case CMP_F_TAGS:
		cmp_field_mark(c, f);
		if (text_ok && cJSON_IsString(v))
			return cmp_field_set_text(cfg, c, f, v->valuestring,
						  now, e);
		if (!cJSON_IsArray(v))
			return type_error(e, f->path, "an array of strings",
					  v);
		return decode_tags(v, c, e);
	case CMP_F_JSON:
		if (text_ok && cJSON_IsString(v))
			return cmp_field_set_text(cfg, c, f, v->valuestring,
						  now, e);
		if (!cJSON_IsObject(v))
			return type_error(e, f->path, "an object", v);
		if ((ret = cmp_json_unique_keys(v, f->path, e)))
			return ret;
		s = cJSON_PrintUnformatted(v);
		free(c->attrs);
		c->attrs = cmp_xstrdup(s);
		cJSON_free(s);
		cmp_field_mark(c, f);
		return 0;
	case CMP_F_FOLLOWUPS:
		cmp_field_mark(c, f);
		return decode_followups(v, flags, cfg, now, c, e);
	}
	return 0;
}

/* The groups of nested fields: "customer" for "customer.name"... */
static int
is_group(const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < cmp_nfields; i++)
		if (!strncmp(cmp_fields[i].path, name, n) &&
		    cmp_fields[i].path[n] == '.')
			return 1;
	return 0;
}

int
cmp_json_decode(const struct cmp_config *cfg, const cJSON *obj, unsigned flags,
		cmp_time now, struct cmp_complaint *c, struct cmp_error *e)
{
	const cJSON *k;

	if (!cJSON_IsObject(obj))
		return type_error(e, "", "an object", obj);
	cJSON_ArrayForEach(k, obj) {
		const struct cmp_field *f;
		const cJSON *sub;
		char path[160];
		int ret;

		if (is_group(k->string)) {
			if (cJSON_IsNull(k))
				continue;
			if (!cJSON_IsObject(k))
				return type_error(e, k->string, "an object",
						  k);
			cJSON_ArrayForEach(sub, k) {
				snprintf(path, sizeof(path), "%s.%s",
					 k->string, sub->string);
				f = cmp_field_find(path);
				if (!f)
					return cmp_error_set(e, CMP_EX_DATAERR,
							     path,
							     "unknown field");
				if ((ret = decode_value(cfg, f, sub, flags,
							now, c, e)))
					return ret;
			}
			continue;
		}
		f = cmp_field_find(k->string);
		if (!f)
			return cmp_error_set(e, CMP_EX_DATAERR, k->string,
					     "unknown field (free data goes "
					     "under attrs)");
		if ((ret = decode_value(cfg, f, k, flags, now, c, e)))
			return ret;
	}
	return 0;
}

static cJSON *
time_json(cmp_time t)
{
	char buf[CMP_TIME_BUFSZ];

	return t ? cJSON_CreateString(cmp_time_format(t, buf)) :
		cJSON_CreateNull();
}

static cJSON *
string_json(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *
followup_json(const struct cmp_followup *fu)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddItemToObject(o, "due_at", time_json(fu->due_at));
	cJSON_AddItemToObject(o, "done_at", time_json(fu->done_at));
	cJSON_AddItemToObject(o, "channel", string_json(fu->channel));
	cJSON_AddItemToObject(o, "outcome", string_json(fu->outcome));
	cJSON_AddItemToObject(o, "satisfaction", fu->satisfaction ?
			      cJSON_CreateNumber(fu->satisfaction) :
			      cJSON_CreateNull());
	cJSON_AddItemToObject(o, "note", string_json(fu->note));
	return o;
}

cJSON *
cmp_json_field(const struct cmp_field *f, const struct cmp_complaint *c,
	       unsigned flags)
{
	cJSON *arr;

	if (f->type == CMP_F_TAGS) {
		arr = cJSON_CreateArray();
		for (size_t i = 0; i < c->ntags; i++)
			cJSON_AddItemToArray(arr,
					     cJSON_CreateString(c->tags[i]));
		return arr;
	}
	if (f->type == CMP_F_FOLLOWUPS) {
		arr = cJSON_CreateArray();
		for (size_t i = 0; i < c->nfollowups; i++)
			cJSON_AddItemToArray(arr,
					     followup_json(&c->followups[i]));
		return arr;
	}
	if (cmp_field_is_null(f, c))
		return cJSON_CreateNull();
	switch (f->type) {
	case CMP_F_TEXT:
	case CMP_F_ENUM:
	case CMP_F_DATE: {
		const char *s = *CMP_CFPTR(char *, f, c);
		cJSON *v;
		char *r;

		if (!(flags & CMP_JSON_REDACT) || !(f->flags & CMP_FF_PERSONAL))
			return cJSON_CreateString(s);
		r = cmp_redact_text(f->flags, s);
		v = cJSON_CreateString(r);
		free(r);
		return v;
	}
	case CMP_F_JSON:
		/* Stored as compact JSON that our parser accepted. */
		return cJSON_CreateRaw(*CMP_CFPTR(char *, f, c));
	case CMP_F_ID:
	case CMP_F_INT:
	case CMP_F_COUNT:
	case CMP_F_SCORE:
		return cJSON_CreateNumber((double)*CMP_CFPTR(int64_t, f, c));
	case CMP_F_TIME:
		return time_json(*CMP_CFPTR(cmp_time, f, c));
	case CMP_F_BOOL:
		return cJSON_CreateBool(*CMP_CFPTR(int, f, c));
	case CMP_F_MONEY:
		return cJSON_CreateNumber(*CMP_CFPTR(double, f, c));
	case CMP_F_TAGS:
	case CMP_F_FOLLOWUPS:
		break;
	}
	return cJSON_CreateNull();
}

/*
 * Build the record, nesting "customer.name" under "customer"; with
 * only_present, just the fields given on input (the fingerprint).
 */
static cJSON *
encode(const struct cmp_complaint *c, unsigned flags, int only_present)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *group = NULL;
	const char *group_name = NULL;
	size_t group_len = 0;

	for (size_t i = 0; i < cmp_nfields; i++) {
		const struct cmp_field *f = &cmp_fields[i];
		const char *dot = strchr(f->path, '.');
		cJSON *v;

		if (only_present && ((f->flags & CMP_FF_MANAGED) ||
				     !cmp_field_present(c, f)))
			continue;
		v = cmp_json_field(f, c, flags);
		if (!dot) {
			cJSON_AddItemToObject(root, f->path, v);
			continue;
		}
		if (!group || (size_t)(dot - f->path) != group_len ||
		    strncmp(group_name, f->path, group_len)) {
			char *name = cmp_xstrndup(f->path,
						  (size_t)(dot - f->path));

			group = cJSON_CreateObject();
			cJSON_AddItemToObject(root, name, group);
			free(name);
			group_name = f->path;
			group_len = (size_t)(dot - f->path);
		}
		cJSON_AddItemToObject(group, dot + 1, v);
	}
	return root;
}

cJSON *
cmp_json_encode(const struct cmp_complaint *c, unsigned flags)
{
	return encode(c, flags, 0);
}

/*
 * The record as text, written straight into a buffer: the same bytes
 * as cJSON_PrintUnformatted(encode(c, ...)) (a unit test compares them
 * on full and sparse records), without the tree: building and printing
 * a tree for every record weighed on cmp-list over a large store, and
 * on cmp-add printing what it stored.  Strings are escaped and numbers
 * formatted as cJSON does.
 */
/* Whether any of the 8 bytes of v is below 0x20, '"' or '\\' (the
   bytes JSON escapes; those of UTF-8 sequences, 0x80 up, never are). */
#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)
#define HAS_ZERO(x) (((x) - ONES) & ~(x) & HIGHS)

static int
word_needs_escape(uint64_t v)
{
	return ((v - 0x20 * ONES) & ~v & HIGHS) || HAS_ZERO(v ^ ('"' * ONES)) ||
	       HAS_ZERO(v ^ ('\\' * ONES));
}

/*
 * A record printed is mostly text that needs no escape: it is scanned
 * eight bytes at a time, and copied in runs into room made once.
 */
static void
put_string(struct cmp_buf *b, const char *s)
{
	size_t n = strlen(s), i = 0, run = 0;

	cmp_buf_grow(b, n + 2);
	b->s[b->len++] = '"';
	while (i < n) {
		const char *esc;
		unsigned char ch;
		uint64_t v;

		if (i + 8 <= n) {
			memcpy(&v, s + i, 8);
			if (!word_needs_escape(v)) {
				i += 8;
				continue;
			}
		}
		ch = (unsigned char)s[i];
		if (ch >= 32 && ch != '"' && ch != '\\') {
			i++;
			continue;
		}
		cmp_buf_add(b, s + run, i - run);
		run = ++i;
		switch (ch) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			cmp_buf_addf(b, "\\u%04x", ch);
			continue;
		}
		cmp_buf_adds(b, esc);
	}
	cmp_buf_grow(b, n - run + 1);
	memcpy(b->s + b->len, s + run, n - run);
	b->len += n - run;
	b->s[b->len++] = '"';
	b->s[b->len] = '\0';
}

static void
put_number(struct cmp_buf *b, double d)
{
	char text[32];
	double back;
	int i = d >= INT_MAX ? INT_MAX : d <= (double)INT_MIN ? INT_MIN :
		(int)d;

	if (isnan(d) || isinf(d)) {
		cmp_buf_adds(b, "null");
	} else if (d == (double)i) {
		/* "%d", without printf's machinery: the ids, quantities
		   and counts of every record printed. */
		char *end = text + sizeof(text), *p = end;
		unsigned u = i < 0 ? 0u - (unsigned)i : (unsigned)i;

		do
			*--p = (char)('0' + u % 10);
		while (u /= 10);
		if (i < 0)
			*--p = '-';
		cmp_buf_add(b, p, (size_t)(end - p));
	} else {
		/* 15 digits if they read back as d, else 17. */
		snprintf(text, sizeof(text), "%1.15g", d);
		if (sscanf(text, "%lg", &back) != 1 ||
		    fabs(back - d) > fmax(fabs(back), fabs(d)) * DBL_EPSILON)
			snprintf(text, sizeof(text), "%1.17g", d);
		cmp_buf_adds(b, text);
	}
}

static void
put_text_or_null(struct cmp_buf *b, const char *s)
{
	if (s)
		put_string(b, s);
	else
		cmp_buf_adds(b, "null");
}

static void
put_time(struct cmp_buf *b, cmp_time t)
{
	char buf[CMP_TIME_BUFSZ];

	put_text_or_null(b, t ? cmp_time_format(t, buf) : NULL);
}

/* cmp_json_field(), as text. */
static void
put_field(struct cmp_buf *b, const struct cmp_field *f,
	  const struct cmp_complaint *c, unsigned flags)
{
	if (f->type == CMP_F_TAGS || f->type == CMP_F_FOLLOWUPS) {
		cmp_buf_addc(b, '[');
		for (size_t i = 0; f->type == CMP_F_TAGS && i < c->ntags;
		     i++) {
			if (i)
				cmp_buf_addc(b, ',');
			put_string(b, c->tags[i]);
		}
		for (size_t i = 0; f->type == CMP_F_FOLLOWUPS &&
		     i < c->nfollowups; i++) {
			const struct cmp_followup *fu = &c->followups[i];

			cmp_buf_adds(b, i ? ",{\"due_at\":" : "{\"due_at\":");
			put_time(b, fu->due_at);
			cmp_buf_adds(b, ",\"done_at\":");
			put_time(b, fu->done_at);
			cmp_buf_adds(b, ",\"channel\":");
			put_text_or_null(b, fu->channel);
			cmp_buf_adds(b, ",\"outcome\":");
			put_text_or_null(b, fu->outcome);
			cmp_buf_adds(b, ",\"satisfaction\":");
			if (fu->satisfaction)
				put_number(b, fu->satisfaction);
			else
				cmp_buf_adds(b, "null");
			cmp_buf_adds(b, ",\"note\":");
			put_text_or_null(b, fu->note);
			cmp_buf_addc(b, '}');
		}
		cmp_buf_addc(b, ']');
		return;
	}
	if (cmp_field_is_null(f, c)) {
		cmp_buf_adds(b, "null");
		return;
	}
	switch (f->type) {
	case CMP_F_TEXT:
	case CMP_F_ENUM:
	case CMP_F_DATE: {
		const char *v = *CMP_CFPTR(char *, f, c);
		char *r;

		if (!(flags & CMP_JSON_REDACT) || !(f->flags & CMP_FF_PERSONAL)) {
			put_string(b, v);
			break;
		}
		r = cmp_redact_text(f->flags, v);
		put_string(b, r);
		free(r);
		break;
	}
	case CMP_F_JSON:
		cmp_buf_adds(b, *CMP_CFPTR(char *, f, c));
		break;
	case CMP_F_ID:
	case CMP_F_INT:
	case CMP_F_COUNT:
	case CMP_F_SCORE:
		put_number(b, (double)*CMP_CFPTR(int64_t, f, c));
		break;
	case CMP_F_TIME:
		put_time(b, *CMP_CFPTR(cmp_time, f, c));
		break;
	case CMP_F_BOOL:
		cmp_buf_adds(b, *CMP_CFPTR(int, f, c) ? "true" : "false");
		break;
	case CMP_F_MONEY:
		put_number(b, *CMP_CFPTR(double, f, c));
		break;
	case CMP_F_TAGS:
	case CMP_F_FOLLOWUPS:
		break;
	}
}

/* A member's name and its colon: the field table's names are plain
   ASCII, with nothing for put_string to look for. */
static void
put_key(struct cmp_buf *b, const char *name)
{
	size_t n = strlen(name);

	cmp_buf_grow(b, n + 3);
	b->s[b->len++] = '"';
	memcpy(b->s + b->len, name, n);
	b->len += n;
	b->s[b->len++] = '"';
	b->s[b->len++] = ':';
	b->s[b->len] = '\0';
}

/* encode(), as text: "customer.name" nested under "customer" (the
   fields of a group are consecutive in the field table). */
static char *
print(const struct cmp_complaint *c, unsigned flags, int only_present)
{
	struct cmp_buf b = CMP_BUF_INIT;
	const char *group = NULL;
	size_t group_len = 0;
	int first = 1, in_group = 0;

	cmp_buf_grow(&b, 2048);
	cmp_buf_addc(&b, '{');
	for (size_t i = 0; i < cmp_nfields; i++) {
		const struct cmp_field *f = &cmp_fields[i];
		const char *dot = strchr(f->path, '.');

		if (only_present && ((f->flags & CMP_FF_MANAGED) ||
				     !cmp_field_present(c, f)))
			continue;
		if (in_group && (!dot || (size_t)(dot - f->path) != group_len ||
				 strncmp(group, f->path, group_len))) {
			cmp_buf_addc(&b, '}');
			in_group = 0;
		}
		if (!first && !(dot && in_group))
			cmp_buf_addc(&b, ',');
		first = 0;
		if (dot && !in_group) {
			group = f->path;
			group_len = (size_t)(dot - f->path);
			cmp_buf_addc(&b, '"');
			cmp_buf_add(&b, f->path, group_len);
			cmp_buf_adds(&b, "\":{");
			in_group = 1;
		} else if (dot) {
			cmp_buf_addc(&b, ',');
		}
		put_key(&b, dot ? dot + 1 : f->path);
		put_field(&b, f, c, flags);
	}
	if (in_group)
		cmp_buf_addc(&b, '}');
	cmp_buf_addc(&b, '}');
	return cmp_buf_detach(&b);
}

char *
cmp_json_print(const struct cmp_complaint *c, unsigned flags)
{
	return print(c, flags, 0);
}

/* The fingerprint of a canonical text: 32 hex digits. */
static char *
fingerprint_of(const char *text)
{
	uint64_t h[2];

	cmp_hash128(text, strlen(text), 0, h);
	return cmp_xasprintf("%016" PRIx64 "%016" PRIx64, h[0], h[1]);
}

/*
 * The fingerprint was once the canonical text itself, a large part of
 * every store; its hash takes 32 bytes and tells the same.
 */
char *
cmp_json_fingerprint(const struct cmp_complaint *c)
{
	char *text = print(c, 0, 1), *fp = fingerprint_of(text);

	free(text);
	return fp;
}

int
cmp_json_fingerprint_match(const char *fp, const char *stored)
{
	char *old;
	int same;

	if (stored[0] != '{')
		return !strcmp(fp, stored);
	old = fingerprint_of(stored);	/* a store of before the hash */
	same = !strcmp(fp, old);
	free(old);
	return same;
}
