/*
 * input.c - reading records: a strict JSON parser that builds cJSON
 * trees, and the stream reader that cuts JSON (and, through csv.c, CSV)
 * input into records.
 *
 * Why a parser of our own rather than cJSON_Parse: cJSON accepts text
 * RFC 8259 does not (trailing garbage with ParseWithOpts, lone
 * surrogates, invalid UTF-8), says only *where* it stopped, and turns
 * every number into a double, so "12345678901234567890" or "1e400" in
 * free data would not survive.  Ours keeps numbers as raw literals,
 * reports line, column and a reason, and still hands back ordinary cJSON
 * items so the rest of the library needs nothing new.
 *
 * The reader never holds more than one record: a cheap byte scanner,
 * which follows the JSON grammar at the level of tokens, finds where a
 * record ends (or where it goes wrong) while the bytes arrive, and only
 * then is the record given to the parser.  A good record is returned as
 * soon as its closing brace has been read, so a slow pipe is served line
 * by line.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#define CHUNK 65536

/* cJSON reports exhaustion with NULL; like cmp_xmalloc, we give up. */
static cJSON *
must(cJSON *item)
{
	if (!item) {
		fputs("libcomplaint: out of memory\n", stderr);
		abort();
	}
	return item;
}

static int
is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

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
		while (p < end && is_digit(*p))
			p++;
	} else {
		*bad = p;
		return NULL;
	}
	if (p < end && *p == '.') {
		if (++p == end || !is_digit(*p)) {
			*bad = p;
			return NULL;
		}
		while (p < end && is_digit(*p))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p == end || !is_digit(*p)) {
			*bad = p;
			return NULL;
		}
		while (p < end && is_digit(*p))
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

	while (p < jp->end && is_ws(*p)) {
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
	if (p < jp->end && (is_digit(*p) || *p == '.' ||
			    (*p >= 'a' && *p <= 'z') ||
			    (*p >= 'A' && *p <= 'Z')))
		return jfail(jp, p, is_digit(*p) ? "invalid number (no "
			     "leading zeros)" : "invalid number");
	jp->p = p;
	cmp_buf_reset(&jp->tmp);
	cmp_buf_add(&jp->tmp, start, (size_t)(p - start));
	return must(cJSON_CreateRaw(jp->tmp.s));
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
	return must(make());
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
	obj = must(cJSON_CreateObject());
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
			must(NULL);
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
	arr = must(cJSON_CreateArray());
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
			must(NULL);
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
		return must(cJSON_CreateString(jp->tmp.s));
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

/* cmp_json_parse, also saying at which byte the error is. */
static int
json_parse(const char *s, size_t n, cJSON **out, struct cmp_error *e,
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
	return json_parse(s, n, out, e, NULL);
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

/* ------------------------------------------------------------------ */
/* The byte stream under a reader                                      */
/* ------------------------------------------------------------------ */

int
cmp_stream_fill(struct cmp_stream *s, struct cmp_error *e)
{
	ssize_t n;

	if (s->eof)
		return 0;
	/* Keep only what is not consumed; move it down when space runs out. */
	if (s->pos && s->cap - s->len < CHUNK) {
		memmove(s->buf, s->buf + s->pos, s->len - s->pos);
		s->base += s->pos;
		s->len -= s->pos;
		s->pos = 0;
	}
	if (s->cap - s->len < CHUNK) {
		size_t cap = s->cap * 2;

		if (cap < s->len + CHUNK)
			cap = s->len + CHUNK;
		s->buf = cmp_xrealloc(s->buf, cap);
		s->cap = cap;
	}
	for (;;) {
		/*
		 * read(2), not fread(3): it returns what a pipe holds now
		 * instead of waiting to fill the chunk, so each record is
		 * served as soon as it is complete.  Streams without a file
		 * descriptor (fmemopen) are read through stdio.
		 */
		if (s->fd >= 0) {
			n = read(s->fd, s->buf + s->len, CHUNK);
		} else {
			n = (ssize_t)fread(s->buf + s->len, 1, CHUNK, s->fp);
			if (!n && ferror(s->fp))
				n = -1;
		}
		if (n >= 0)
			break;
		if (errno == EINTR)
			continue;
		if (s->fd >= 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd pfd = { .fd = s->fd, .events = POLLIN };

			poll(&pfd, 1, -1);
			continue;
		}
		cmp_error_set(e, CMP_EX_IOERR, NULL, "read error: %s",
			      strerror(errno));
		cmp_error_at(e, s->name, 0, 0);
		return -1;
	}
	if (!n) {
		s->eof = 1;
		return 0;
	}
	s->len += (size_t)n;
	return 1;
}

void
cmp_stream_advance(struct cmp_stream *s, size_t n)
{
	const char *p = s->buf + s->pos, *end = p + n, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
		s->line++;
		s->line_off = s->base + (uint64_t)(nl + 1 - s->buf);
		p = nl + 1;
	}
	s->pos += n;
}

int
cmp_stream_ensure(struct cmp_stream *s, size_t n, struct cmp_error *e)
{
	while (s->len - s->pos < n) {
		int ret = cmp_stream_fill(s, e);

		if (ret <= 0)
			return ret;
	}
	return 1;
}

int
cmp_stream_bom(struct cmp_stream *s, struct cmp_error *e)
{
	static const char bom[] = "\xef\xbb\xbf";

	/* Wait for more bytes only while they can still be a BOM. */
	for (size_t k = 1; k <= 3; k++) {
		if (cmp_stream_ensure(s, k, e) < 0)
			return -1;
		if (s->len - s->pos < k || s->buf[s->pos + k - 1] != bom[k - 1])
			return 0;
	}
	s->pos += 3;
	s->line_off = s->base + s->pos;	/* columns count after it */
	return 1;
}

void
cmp_stream_locate(const struct cmp_stream *s, size_t i, long *line,
		  long *column)
{
	const char *p = s->buf + s->pos, *end = p + i, *nl;
	uint64_t off = s->line_off;
	long l = s->line;

	while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
		l++;
		off = s->base + (uint64_t)(nl + 1 - s->buf);
		p = nl + 1;
	}
	*line = l;
	*column = (long)(s->base + s->pos + i - off) + 1;
}

/* ------------------------------------------------------------------ */
/* The record scanner                                                  */
/* ------------------------------------------------------------------ */

/*
 * What the scanner expects next.  It follows the grammar only as far as
 * tokens go (scalars are runs of letters, digits and "+-." the parser
 * checks later), which is enough to know where a record ends and to stop
 * at the first byte that cannot belong to it, so that a broken record
 * does not swallow the good lines after it.
 */
enum {
	S_VALUE, S_VALUE_OR_CLOSE, S_KEY, S_KEY_OR_CLOSE, S_COLON, S_NEXT,
	S_STRING, S_ESCAPE, S_SCALAR
};

struct scan {
	size_t i;		/* bytes scanned, from the record's start */
	int state;
	int depth;
	int key;		/* the string being scanned is a key */
	unsigned char obj[CMP_JSON_MAXDEPTH];	/* level is an object */
};

enum { SCAN_MORE, SCAN_DONE, SCAN_BAD };

static int
scalar_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '+' || c == '-' || c == '.';
}

/* Scan b[sc->i..n): the value is complete, broken at sc->i, or goes on. */
static int
scan_some(struct scan *sc, const char *b, size_t n)
{
	size_t i = sc->i;
	int ret = SCAN_MORE;

	while (i < n) {
		unsigned char c = (unsigned char)b[i];

		switch (sc->state) {
		case S_STRING:
			while (i < n) {
				c = (unsigned char)b[i];
				if (c == '"' || c == '\\' || c < 0x20)
					break;
				i++;
			}
			if (i == n)
				goto out;
			if (c == '\\') {
				sc->state = S_ESCAPE;
			} else if (c == '"') {
				sc->state = sc->key ? S_COLON : S_NEXT;
				if (!sc->key && !sc->depth) {
					i++;
					ret = SCAN_DONE;
					goto out;
				}
			} else {
				ret = SCAN_BAD;
				goto out;
			}
			i++;
			continue;
		case S_ESCAPE:
			if (!c || !strchr("\"\\/bfnrtu", c)) {
				ret = SCAN_BAD;
				goto out;
			}
			sc->state = S_STRING;
			i++;
			continue;
		case S_SCALAR:
			if (scalar_byte(c)) {
				i++;
				continue;
			}
			sc->state = S_NEXT;
			if (!sc->depth) {
				ret = SCAN_DONE;
				goto out;
			}
			continue;	/* c again, as what follows a value */
		}
		if (is_ws(c)) {
			i++;
			continue;
		}
		switch (sc->state) {
		case S_VALUE_OR_CLOSE:
			if (c == ']')
				goto close;
			/* fall through */
		case S_VALUE:
			if (c == '{' || c == '[') {
				if (sc->depth >= CMP_JSON_MAXDEPTH) {
					ret = SCAN_BAD;
					goto out;
				}
				sc->obj[sc->depth++] = c == '{';
				sc->state = c == '{' ? S_KEY_OR_CLOSE :
					S_VALUE_OR_CLOSE;
			} else if (c == '"') {
				sc->state = S_STRING;
				sc->key = 0;
			} else if (c == '-' || is_digit(c) || c == 't' ||
				   c == 'f' || c == 'n') {
				sc->state = S_SCALAR;
			} else {
				ret = SCAN_BAD;
				goto out;
			}
			i++;
			continue;
		case S_KEY_OR_CLOSE:
			if (c == '}')
				goto close;
			/* fall through */
		case S_KEY:
			if (c != '"') {
				ret = SCAN_BAD;
				goto out;
			}
			sc->state = S_STRING;
			sc->key = 1;
			i++;
			continue;
		case S_COLON:
			if (c != ':') {
				ret = SCAN_BAD;
				goto out;
			}
			sc->state = S_VALUE;
			i++;
			continue;
		default:	/* S_NEXT, inside a container */
			if (c == ',') {
				sc->state = sc->obj[sc->depth - 1] ? S_KEY :
					S_VALUE;
				i++;
				continue;
			}
			if (c == (sc->obj[sc->depth - 1] ? '}' : ']'))
				goto close;
			ret = SCAN_BAD;
			goto out;
		}
close:
		i++;
		sc->state = S_NEXT;
		if (!--sc->depth) {
			ret = SCAN_DONE;
			goto out;
		}
	}
out:
	sc->i = i;
	return ret;
}

/* ------------------------------------------------------------------ */
/* The reader                                                          */
/* ------------------------------------------------------------------ */

/*
 * Where the JSON reader is in the stream.  The input is a sequence of
 * records (NDJSON, concatenated or pretty-printed objects) and arrays
 * of records, whose elements are read one by one.  After an array the
 * next value starts on a new line: "[][]" is not taken for two empty
 * arrays, but "[...]" as one line of NDJSON is.
 */
enum top {
	T_BEGIN,	/* nothing read yet */
	T_SEQ,		/* between records of a sequence */
	T_RESYNC,	/* after a bad record: look for a line with '{' */
	T_FIRST,	/* after the array's '[' */
	T_ELEM,		/* after a ',' in the array */
	T_SKIP,		/* skipping (the rest of) a bad element */
	T_NEXT,		/* after an element: ',' or ']' */
	T_AFTER,	/* after an array: only whitespace on its line */
	T_DONE
};

struct cmp_reader {
	struct cmp_stream s;
	char *name;
	enum cmp_input_format fmt;
	unsigned flags;
	struct cmp_csv *csv;
	enum top top;
	long skip_depth;	/* T_SKIP: brackets open */
	int skip_str;		/* T_SKIP: 1 in a string, 2 after '\' */
	struct scan sc;
};

int
cmp_reader_new(struct cmp_reader **out, FILE *fp, const char *name,
	       enum cmp_input_format fmt, const struct cmp_map *map,
	       unsigned flags, struct cmp_error *e)
{
	struct cmp_reader *r;

	*out = NULL;
	if (!fp)
		return cmp_error_set(e, CMP_EX_SOFTWARE, NULL,
				     "no input stream");
	r = cmp_xcalloc(1, sizeof(*r));
	r->name = cmp_xstrdup(name ? name : "-");
	r->fmt = fmt;
	r->flags = flags;
	r->s.fp = fp;
	r->s.fd = fileno(fp);
	r->s.name = r->name;
	r->s.line = 1;
	r->s.cap = CHUNK;
	r->s.buf = cmp_xmalloc(r->s.cap);
	if (fmt == CMP_IN_CSV)
		cmp_csv_new(&r->csv, &r->s, map);
	*out = r;
	return 0;
}

void
cmp_reader_free(struct cmp_reader *r)
{
	if (!r)
		return;
	cmp_csv_free(r->csv);
	free(r->s.buf);
	free(r->name);
	free(r);
}

uint64_t
cmp_reader_offset(const struct cmp_reader *r)
{
	return r->s.base + r->s.pos;
}

static int __attribute__((format(printf, 4, 5)))
fail_at(struct cmp_reader *r, struct cmp_error *e, size_t i,
	const char *fmt, ...)
{
	long line, col;
	va_list ap;

	va_start(ap, fmt);
	cmp_error_vset(e, CMP_EX_DATAERR, NULL, fmt, ap);
	va_end(ap);
	cmp_stream_locate(&r->s, i, &line, &col);
	cmp_error_at(e, r->name, line, col);
	return CMP_EX_DATAERR;
}

/* The first byte after whitespace (consumed): -1 at the end, -2 error. */
static int
peek(struct cmp_reader *r, struct cmp_error *e)
{
	struct cmp_stream *s = &r->s;

	for (;;) {
		size_t i = s->pos;

		while (i < s->len && is_ws(s->buf[i]))
			i++;
		cmp_stream_advance(s, i - s->pos);
		if (i < s->len)
			return (unsigned char)s->buf[i];
		switch (cmp_stream_fill(s, e)) {
		case 0:
			return -1;
		case -1:
			return -2;
		}
	}
}

static int
starts_record(const struct cmp_reader *r, int c)
{
	return c == '{' ||
	       ((r->flags & CMP_READ_IDS) && (c == '-' || is_digit(c)));
}

/* An unexpected byte c at the current position. */
static int
unexpected(struct cmp_reader *r, int c, const char *what,
	   struct cmp_error *e)
{
	struct cmp_stream *s = &r->s;

	if (c >= 0x80) {
		size_t have;

		if (cmp_stream_ensure(s, 4, e) < 0) {
			r->top = T_DONE;
			return CMP_EX_IOERR;
		}
		have = s->len - s->pos < 4 ? s->len - s->pos : 4;
		/* Not even UTF-8: likely another encoding; stop here. */
		if (cmp_utf8_check(s->buf + s->pos, have) == s->buf + s->pos) {
			r->top = T_DONE;
			return fail_at(r, e, 0, "invalid UTF-8 (not a UTF-8 "
				       "file?)");
		}
	}
	return fail_at(r, e, 0, "%s", what);
}

static const char *
expected_record(const struct cmp_reader *r)
{
	return r->flags & CMP_READ_IDS ? "expected a JSON object or a number" :
		"expected a JSON object";
}

/*
 * Skip to the next line that starts with a record (or an array of them):
 * 0 found or at the end, -1 read error.
 */
static int
resync(struct cmp_reader *r, struct cmp_error *e)
{
	struct cmp_stream *s = &r->s;

	for (;;) {
		const char *nl;

		if (s->pos == s->len) {
			int ret = cmp_stream_fill(s, e);

			if (ret < 0)
				return -1;
			if (!ret) {
				r->top = T_DONE;
				return 0;
			}
		}
		if (s->base + s->pos == s->line_off &&
		    (s->buf[s->pos] == '[' ||
		     starts_record(r, (unsigned char)s->buf[s->pos]))) {
			r->top = T_SEQ;
			return 0;
		}
		nl = memchr(s->buf + s->pos, '\n', s->len - s->pos);
		cmp_stream_advance(s, nl ? (size_t)(nl + 1 - (s->buf + s->pos)) :
				   s->len - s->pos);
	}
}

/*
 * Skip the rest of an array element without keeping it, following only
 * strings and brackets: it ends at a ',' or ']' outside them.
 */
static int
skip_element(struct cmp_reader *r, struct cmp_error *e)
{
	struct cmp_stream *s = &r->s;

	for (;;) {
		size_t i = s->pos;
		int ret;

		for (; i < s->len; i++) {
			char c = s->buf[i];

			if (r->skip_str) {
				if (r->skip_str == 2)
					r->skip_str = 1;
				else if (c == '\\')
					r->skip_str = 2;
				else if (c == '"')
					r->skip_str = 0;
			} else if (c == '"') {
				r->skip_str = 1;
			} else if (c == '{' || c == '[') {
				r->skip_depth++;
			} else if (!r->skip_depth && (c == ',' || c == ']')) {
				cmp_stream_advance(s, i - s->pos);
				r->top = T_NEXT;
				return 0;
			} else if ((c == '}' || c == ']') && r->skip_depth) {
				r->skip_depth--;
			}
		}
		cmp_stream_advance(s, i - s->pos);
		if ((ret = cmp_stream_fill(s, e)) < 0)
			return -1;
		if (!ret) {
			/* One error for the element was enough. */
			r->top = T_DONE;
			return 0;
		}
	}
}

/* After the error at byte off of a record: where to go on from. */
static void
recover(struct cmp_reader *r, size_t off, int in_array)
{
	struct scan *sc = &r->sc;

	if (in_array) {
		/* From where the scanner stopped, as it knew the nesting. */
		cmp_stream_advance(&r->s, sc->i);
		r->skip_depth = sc->depth;
		r->skip_str = sc->state == S_STRING ? 1 :
			sc->state == S_ESCAPE ? 2 : 0;
		r->top = T_SKIP;
	} else {
		cmp_stream_advance(&r->s, off ? off : 1);
		r->top = T_RESYNC;
	}
}

/* The record (or id) at the current position. */
static int
record(struct cmp_reader *r, cJSON **obj, long *line, struct cmp_error *e)
{
	struct cmp_stream *s = &r->s;
	struct scan *sc = &r->sc;
	int in_array = r->top != T_SEQ;
	size_t n, off = 0;
	long l, col;
	int res;

	*line = s->line;
	sc->i = 0;
	sc->state = S_VALUE;
	sc->depth = 0;
	if (in_array)
		r->top = T_NEXT;
	for (;;) {
		int got;

		res = scan_some(sc, s->buf + s->pos, s->len - s->pos);
		if (sc->i > CMP_RECORD_MAX) {
			fail_at(r, e, 0, "a record larger than %d MiB",
				CMP_RECORD_MAX >> 20);
			if (in_array) {
				r->top = T_DONE;
			} else {
				cmp_stream_advance(s, sc->i);
				r->top = T_RESYNC;
			}
			return CMP_EX_DATAERR;
		}
		if (res != SCAN_MORE)
			break;
		if ((got = cmp_stream_fill(s, e)) < 0) {
			r->top = T_DONE;
			return CMP_EX_IOERR;
		}
		if (!got) {
			/* A number at the very end is complete. */
			res = sc->state == S_SCALAR && !sc->depth ? SCAN_DONE :
				SCAN_MORE;
			break;
		}
	}
	/*
	 * The parser reads the record, or the bytes up to (and including)
	 * the one the scanner stopped at: then it names the first error,
	 * with its reason, which may lie before that byte ("tru" on one
	 * line, the scanner stopping at the '{' of the next).
	 */
	n = res == SCAN_DONE ? sc->i : res == SCAN_BAD ? sc->i + 1 :
		s->len - s->pos;
	if (!json_parse(s->buf + s->pos, n, obj, e, &off)) {
		if (res == SCAN_DONE) {
			cmp_stream_advance(s, n);
			return 0;
		}
		/* Cannot happen: the scanner is never stricter. */
		cJSON_Delete(*obj);
		*obj = NULL;
		off = sc->i;
		cmp_error_set(e, CMP_EX_DATAERR, NULL, "syntax error");
	}
	cmp_stream_locate(s, off, &l, &col);
	cmp_error_at(e, r->name, l, col);
	if (res == SCAN_DONE) {
		/* A well-formed record with a bad string or number. */
		cmp_stream_advance(s, n);
	} else if (res == SCAN_MORE && in_array) {
		r->top = T_DONE;	/* the input ended inside the array */
	} else {
		recover(r, off, in_array);
	}
	return CMP_EX_DATAERR;
}

/* Skip blanks to the end of the line: '\n', another byte, -1 end, -2. */
static int
after_array(struct cmp_reader *r, struct cmp_error *e)
{
	struct cmp_stream *s = &r->s;

	for (;;) {
		size_t i = s->pos;

		while (i < s->len && (s->buf[i] == ' ' || s->buf[i] == '\t' ||
				      s->buf[i] == '\r'))
			i++;
		cmp_stream_advance(s, i - s->pos);
		if (i < s->len)
			return (unsigned char)s->buf[i];
		switch (cmp_stream_fill(s, e)) {
		case 0:
			return -1;
		case -1:
			return -2;
		}
	}
}

static int
json_next(struct cmp_reader *r, cJSON **obj, long *line, struct cmp_error *e)
{
	struct cmp_stream *s = &r->s;
	int c, bom;

	for (;;) {
		switch (r->top) {
		case T_DONE:
			return 0;
		case T_BEGIN:
			if ((bom = cmp_stream_bom(s, e)) < 0)
				goto ioerr;
			if ((c = peek(r, e)) == -2)
				goto ioerr;
			if (c == -1) {
				r->top = T_DONE;
				*line = s->line;
				/* A BOM says "text follows": none does. */
				if (bom)
					return fail_at(r, e, 0, "a byte order "
						       "mark but no JSON text");
				return 0;
			}
			r->top = T_SEQ;
			continue;
		case T_SEQ:
			if ((c = peek(r, e)) == -2)
				goto ioerr;
			if (c == -1) {
				r->top = T_DONE;
				return 0;
			}
			*line = s->line;
			if (c == '[') {
				cmp_stream_advance(s, 1);
				r->top = T_FIRST;
				continue;
			}
			if (starts_record(r, c))
				return record(r, obj, line, e);
			r->top = T_RESYNC;
			return unexpected(r, c, expected_record(r), e);
		case T_RESYNC:
			if (resync(r, e))
				goto ioerr;
			continue;
		case T_FIRST:
		case T_ELEM:
			if ((c = peek(r, e)) == -2)
				goto ioerr;
			*line = s->line;
			if (c == -1) {
				r->top = T_DONE;
				return fail_at(r, e, 0, "unexpected end of "
					       "input");
			}
			if (c == ']') {
				int first = r->top == T_FIRST;

				if (!first)
					fail_at(r, e, 0, "expected a value "
						"after ','");
				cmp_stream_advance(s, 1);
				r->top = T_AFTER;
				if (first)
					continue;
				return CMP_EX_DATAERR;
			}
			if (starts_record(r, c))
				return record(r, obj, line, e);
			r->top = T_SKIP;
			r->skip_depth = 0;
			r->skip_str = 0;
			return unexpected(r, c, expected_record(r), e);
		case T_SKIP:
			if (skip_element(r, e))
				goto ioerr;
			continue;
		case T_NEXT:
			if ((c = peek(r, e)) == -2)
				goto ioerr;
			if (c == ',' || c == ']') {
				cmp_stream_advance(s, 1);
				r->top = c == ',' ? T_ELEM : T_AFTER;
				continue;
			}
			/* A broken array: no telling where records are. */
			*line = s->line;
			r->top = T_DONE;
			if (c == -1)
				return fail_at(r, e, 0, "unexpected end of "
					       "input");
			return fail_at(r, e, 0, "expected ',' or ']' after an "
				       "array element");
		case T_AFTER:
			if ((c = after_array(r, e)) == -2)
				goto ioerr;
			if (c == -1) {
				r->top = T_DONE;
				return 0;
			}
			if (c == '\n') {
				r->top = T_SEQ;
				continue;
			}
			*line = s->line;
			r->top = T_RESYNC;
			return fail_at(r, e, 0, "unexpected data after the "
				       "array on its line");
		}
	}
ioerr:
	r->top = T_DONE;
	return CMP_EX_IOERR;
}

int
cmp_reader_next(struct cmp_reader *r, cJSON **obj, long *line,
		struct cmp_error *e)
{
	long dummy;

	*obj = NULL;
	if (!line)
		line = &dummy;
	if (r->fmt == CMP_IN_CSV)
		return cmp_csv_next(r->csv, obj, line, e);
	return json_next(r, obj, line, e);
}
