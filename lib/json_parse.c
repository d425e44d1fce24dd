/*
 * json_parse.c - a strict JSON text parser (RFC 8259) that builds cJSON
 * trees.
 *
 * Why a parser of our own rather than cJSON_Parse: cJSON accepts text
 * RFC 8259 does not (trailing garbage with ParseWithOpts, lone
 * surrogates, invalid UTF-8), says only *where* it stopped, and turns
 * every number into a double, so "12345678901234567890" or "1e400" in
 * free data would not survive.  Ours keeps numbers as raw literals,
 * reports line, column and a reason, and still hands back ordinary cJSON
 * items so the rest of the library needs nothing new.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json_alloc.h"
#include "json_parse.h"
#include "util.h"

/*
 * The end of the JSON number starting at p, or NULL with *bad at the
 * byte that breaks the grammar (end when the text stops too soon).
 */
static const char *
number_end(const char *p, const char *end, const char **bad)
{
	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0') {
		p++;
	} else if (p < end && *p >= '1' && *p <= '9') {
		while (p < end && cmp_json_is_digit(*p))
			p++;
	} else {
		*bad = p;
		return NULL;
	}
	if (p < end && *p == '.') {
		if (++p == end || !cmp_json_is_digit(*p)) {
			*bad = p;
			return NULL;
		}
		while (p < end && cmp_json_is_digit(*p))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p == end || !cmp_json_is_digit(*p)) {
			*bad = p;
			return NULL;
		}
		while (p < end && cmp_json_is_digit(*p))
			p++;
	}
	return p;
}

/* ------------------------------------------------------------------ */
/* The parser                                                          */
/* ------------------------------------------------------------------ */

struct jparse {
	const char *p, *end;
	const char *line_start;	/* first byte of the current line */
	long line;
	int depth;
	struct cmp_buf tmp;	/* the string or number being read */
	struct cmp_error *e;
	const char *err;	/* where the (first) error is */
};

static cJSON * __attribute__((format(printf, 3, 4)))
jfail(struct jparse *jp, const char *at, const char *fmt, ...)
{
	va_list ap;

	if (jp->err)
		return NULL;
	jp->err = at;
	va_start(ap, fmt);
	cmp_error_vset(jp->e, CMP_EX_DATAERR, NULL, fmt, ap);
	va_end(ap);
	/* Strings hold no raw newline, so at is on the current line. */
	cmp_error_at(jp->e, NULL, jp->line,
		     at >= jp->line_start ? (long)(at - jp->line_start) + 1 : 0);
	return NULL;
}

/* An error at the current byte: the end, bad UTF-8, or what was wanted. */
static cJSON *
jexpected(struct jparse *jp, const char *what)
{
	const char *p = jp->p;
	size_t n = (size_t)(jp->end - p);

	if (!n)
		return jfail(jp, p, "unexpected end of input");
	if ((unsigned char)*p >= 0x80 &&
	    cmp_utf8_check(p, n < 4 ? n : 4) == p)
		return jfail(jp, p, "invalid UTF-8");
	return jfail(jp, p, "%s", what);
}

static void
jskip(struct jparse *jp)
{
	const char *p = jp->p;

	while (p < jp->end && cmp_json_is_ws(*p)) {
		if (*p == '\n') {
			jp->line++;
			jp->line_start = p + 1;
		}
		p++;
	}
	jp->p = p;
}

static int
hex4(const char *p, const char *end, uint32_t *out)
{
	uint32_t v = 0;

	if (end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static void
add_utf8(struct cmp_buf *b, uint32_t cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	cmp_buf_add(b, u, n);
}

/* The escape at p (a backslash) into jp->tmp; returns its end or NULL. */
static const char *
jescape(struct jparse *jp, const char *p)
{
	const char *end = jp->end;
	uint32_t cp, lo;

	if (end - p < 2) {
		jfail(jp, end, "unexpected end of input");
		return NULL;
	}
	switch (p[1]) {
	case '"': cmp_buf_addc(&jp->tmp, '"'); return p + 2;
	case '\\': cmp_buf_addc(&jp->tmp, '\\'); return p + 2;
	case '/': cmp_buf_addc(&jp->tmp, '/'); return p + 2;
	case 'b': cmp_buf_addc(&jp->tmp, '\b'); return p + 2;
	case 'f': cmp_buf_addc(&jp->tmp, '\f'); return p + 2;
	case 'n': cmp_buf_addc(&jp->tmp, '\n'); return p + 2;
	case 'r': cmp_buf_addc(&jp->tmp, '\r'); return p + 2;
	case 't': cmp_buf_addc(&jp->tmp, '\t'); return p + 2;
	case 'u':
		break;
	default:
		if (p[1] > ' ' && p[1] < 0x7f)
			jfail(jp, p, "invalid escape '\\%c'", p[1]);
		else
			jfail(jp, p, "invalid escape");
		return NULL;
	}
	if (hex4(p + 2, end, &cp)) {
		jfail(jp, p, "invalid \\u escape (four hex digits expected)");
		return NULL;
	}
	/*
	 * U+0000 would cut every C string the record later becomes (and
	 * the store's text); better refused here than silently truncated.
	 */
	if (cp == 0) {
		jfail(jp, p, "\\u0000 is not allowed in strings");
		return NULL;
	}
	if (cp >= 0xdc00 && cp <= 0xdfff) {
		jfail(jp, p, "lone surrogate \\u%04X (a low surrogate must "
		      "follow a high one)", (unsigned)cp);
		return NULL;
	}
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (end - p < 12 || p[6] != '\\' || p[7] != 'u' ||
		    hex4(p + 8, end, &lo) || lo < 0xdc00 || lo > 0xdfff) {
			jfail(jp, p, "lone surrogate \\u%04X (a high surrogate "
			      "must be followed by a low one)", (unsigned)cp);
			return NULL;
		}
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		p += 6;
	}
	add_utf8(&jp->tmp, cp);
	return p + 6;
}

/* The string at jp->p (its opening quote) into jp->tmp; 0 or -1. */
static int
jstring(struct jparse *jp)
{
	const char *p = jp->p + 1, *end = jp->end;

	/* Allocated and terminated even for "": tmp.s is a C string. */
	cmp_buf_grow(&jp->tmp, 0);
	jp->tmp.len = 0;
	jp->tmp.s[0] = '\0';
	for (;;) {
		const char *run = p, *bad;

		while (p < end && (unsigned char)*p >= 0x20 && *p != '"' &&
		       *p != '\\')
			p++;
		if (p > run) {
			if ((bad = cmp_utf8_check(run, (size_t)(p - run)))) {
				jfail(jp, bad, "invalid UTF-8");
				return -1;
			}
			cmp_buf_add(&jp->tmp, run, (size_t)(p - run));
		}
		if (p == end) {
			jfail(jp, p, "unexpected end of input in a string");
			return -1;
		}
		if (*p == '"')
			break;
		if (*p != '\\') {
			jfail(jp, p, "control character U+%04X in a string "
			      "(write it as an escape)", (unsigned char)*p);
			return -1;
		}
		if (!(p = jescape(jp, p)))
			return -1;
	}
	jp->p = p + 1;
	return 0;
}

static cJSON *
jnumber(struct jparse *jp)
{
	const char *start = jp->p, *bad = NULL;
	const char *p = number_end(start, jp->end, &bad);

	if (!p) {
		if (bad == jp->end)
			return jfail(jp, bad, "unexpected end of input");
		return jfail(jp, bad, "invalid number");
	}
	/* "012", "1.5x": say what is wrong with the number itself. */
	if (p < jp->end && (cmp_json_is_digit(*p) || *p == '.' ||
			    (*p >= 'a' && *p <= 'z') ||
			    (*p >= 'A' && *p <= 'Z')))
		return jfail(jp, p, cmp_json_is_digit(*p) ?
			     "invalid number (no leading zeros)" :
			     "invalid number");
	jp->p = p;
	cmp_buf_reset(&jp->tmp);
	cmp_buf_add(&jp->tmp, start, (size_t)(p - start));
	return cmp_json_must(cJSON_CreateRaw(jp->tmp.s));
}

static cJSON *
jliteral(struct jparse *jp, const char *word, cJSON *(*make)(void))
{
	size_t n = strlen(word);

	for (size_t i = 0; i < n; i++) {
		if (jp->p + i == jp->end)
			return jfail(jp, jp->end, "unexpected end of input");
		if (jp->p[i] != word[i])
			return jfail(jp, jp->p, "invalid literal (expected "
				     "'%s')", word);
	}
	jp->p += n;
	return cmp_json_must(make());
}

static cJSON *jvalue(struct jparse *jp);

static cJSON *
jobject(struct jparse *jp)
{
	cJSON *obj;

	/* Counted before going down: no recursion past the limit. */
	if (jp->depth >= CMP_JSON_MAXDEPTH)
		return jfail(jp, jp->p, "nesting deeper than %d levels",
			     CMP_JSON_MAXDEPTH);
	jp->depth++;
	obj = cmp_json_must(cJSON_CreateObject());
	jp->p++;
	jskip(jp);
	if (jp->p < jp->end && *jp->p == '}') {
		jp->p++;
		jp->depth--;
		return obj;
	}
	for (;;) {
		char *key;
		cJSON *v;

		if (jp->p == jp->end || *jp->p != '"') {
			jexpected(jp, "expected a string (an object key)");
			goto fail;
		}
		if (jstring(jp))
			goto fail;
		key = cmp_xstrndup(jp->tmp.s, jp->tmp.len);
		jskip(jp);
		if (jp->p == jp->end || *jp->p != ':') {
			free(key);
			jexpected(jp, "expected ':' after an object key");
			goto fail;
		}
		jp->p++;
		jskip(jp);
		if (!(v = jvalue(jp))) {
			free(key);
			goto fail;
		}
		/* Duplicate keys are kept: the decoder says "given twice". */
		if (!cJSON_AddItemToObject(obj, key, v))
			cmp_json_must(NULL);
		free(key);
		jskip(jp);
		if (jp->p < jp->end && *jp->p == ',') {
			jp->p++;
			jskip(jp);
			continue;
		}
		if (jp->p < jp->end && *jp->p == '}') {
			jp->p++;
			break;
		}
		jexpected(jp, "expected ',' or '}' after an object member");
		goto fail;
	}
	jp->depth--;
	return obj;
fail:
	cJSON_Delete(obj);
	return NULL;
}

static cJSON *
jarray(struct jparse *jp)
{
	cJSON *arr;

	if (jp->depth >= CMP_JSON_MAXDEPTH)
		return jfail(jp, jp->p, "nesting deeper than %d levels",
			     CMP_JSON_MAXDEPTH);
	jp->depth++;
	arr = cmp_json_must(cJSON_CreateArray());
	jp->p++;
	jskip(jp);
	if (jp->p < jp->end && *jp->p == ']') {
		jp->p++;
		jp->depth--;
		return arr;
	}
	for (;;) {
		cJSON *v = jvalue(jp);

		if (!v)
			goto fail;
		if (!cJSON_AddItemToArray(arr, v))
			cmp_json_must(NULL);
		jskip(jp);
		if (jp->p < jp->end && *jp->p == ',') {
			jp->p++;
			jskip(jp);
			continue;
		}
		if (jp->p < jp->end && *jp->p == ']') {
			jp->p++;
			break;
		}
		jexpected(jp, "expected ',' or ']' after an array element");
		goto fail;
	}
	jp->depth--;
	return arr;
fail:
	cJSON_Delete(arr);
	return NULL;
}

static cJSON *
jvalue(struct jparse *jp)
{
	if (jp->p == jp->end)
		return jfail(jp, jp->p, "unexpected end of input");
	switch (*jp->p) {
	case '{':
		return jobject(jp);
	case '[':
		return jarray(jp);
	case '"':
		if (jstring(jp))
			return NULL;
		return cmp_json_must(cJSON_CreateString(jp->tmp.s));
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return jnumber(jp);
	case 't':
		return jliteral(jp, "true", cJSON_CreateTrue);
	case 'f':
		return jliteral(jp, "false", cJSON_CreateFalse);
	case 'n':
		return jliteral(jp, "null", cJSON_CreateNull);
	default:
		return jexpected(jp, "expected a value");
	}
}

int
cmp_json_parse_at(const char *s, size_t n, cJSON **out, struct cmp_error *e,
		  size_t *err_off)
{
	struct jparse jp = { .p = s, .end = s + n, .line_start = s,
			     .line = 1, .e = e };
	cJSON *v;

	*out = NULL;
	cmp_buf_init(&jp.tmp);
	jskip(&jp);
	v = jvalue(&jp);
	if (v) {
		jskip(&jp);
		if (jp.p != jp.end) {
			jfail(&jp, jp.p, "unexpected data after the JSON "
			      "value");
			cJSON_Delete(v);
			v = NULL;
		}
	}
	cmp_buf_release(&jp.tmp);
	if (!v) {
		if (err_off)
			*err_off = (size_t)(jp.err - s);
		return CMP_EX_DATAERR;
	}
	*out = v;
	return 0;
}

int
cmp_json_parse(const char *s, size_t n, cJSON **out, struct cmp_error *e)
{
	return cmp_json_parse_at(s, n, out, e, NULL);
}

/* A raw item holding exactly one JSON number literal. */
static int
raw_number(const cJSON *item)
{
	const char *s, *bad, *end;

	if (!cJSON_IsRaw(item) || !item->valuestring)
		return 0;
	s = item->valuestring;
	end = s + strlen(s);
	return number_end(s, end, &bad) == end;
}

int
cmp_json_number(const cJSON *item, double *out)
{
	double d;

	if (cJSON_IsNumber(item))
		d = item->valuedouble;
	else if (raw_number(item))
		d = strtod(item->valuestring, NULL);	/* HUGE_VAL: not finite */
	else
		return 0;
	if (!isfinite(d))
		return 0;
	*out = d;
	return 1;
}

int
cmp_json_is_number(const cJSON *item)
{
	return cJSON_IsNumber(item) || raw_number(item);
}

static int
key_order(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
cmp_json_unique_keys(const cJSON *v, const char *path, struct cmp_error *e)
{
	const cJSON *m;
	const char **keys;
	size_t n = 0;
	int ret = 0;

	if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
		return 0;
	for (m = v->child; m; m = m->next)
		if ((ret = cmp_json_unique_keys(m, path, e)))
			return ret;
	if (!cJSON_IsObject(v) || !v->child)
		return 0;
	/* Sorted, so that a large object is checked in n log n. */
	for (m = v->child; m; m = m->next)
		n++;
	keys = cmp_xmalloc(n * sizeof(*keys));
	n = 0;
	for (m = v->child; m; m = m->next)
		keys[n++] = m->string;
	qsort(keys, n, sizeof(*keys), key_order);
	for (size_t i = 1; i < n && !ret; i++)
		if (!strcmp(keys[i - 1], keys[i]))
			ret = cmp_error_set(e, CMP_EX_DATAERR, path, "the member "
					    "\"%s\" given twice", keys[i]);
	free(keys);
	return ret;
}
