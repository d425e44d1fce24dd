/*
 * reader.c - the record reader: cuts a stream of JSON (NDJSON,
 * concatenated or pretty-printed objects, arrays of them) into records,
 * or hands a CSV stream to csv.c.
 *
 * The reader never holds more than one record: a cheap byte scanner,
 * which follows the JSON grammar at the level of tokens, finds where a
 * record ends (or where it goes wrong) while the bytes arrive, and only
 * then is the record given to the parser (json_parse.c).  A good record
 * is returned as soon as its closing brace has been read, so a slow pipe
 * is served line by line.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "json_parse.h"
#include "stream.h"
#include "util.h"

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
		if (cmp_json_is_ws(c)) {
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
			} else if (c == '-' || cmp_json_is_digit(c) ||
				   c == 't' || c == 'f' || c == 'n') {
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
	cmp_stream_init(&r->s, fp, r->name);
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
	cmp_stream_release(&r->s);
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

/*
 * The first byte after whitespace (consumed): -1 at the end, -2 error.
 * lines: newlines are whitespace too (JSON's); else only blanks, to
 * find where a line ends.
 */
static int
skip_space(struct cmp_reader *r, int lines, struct cmp_error *e)
{
	struct cmp_stream *s = &r->s;

	for (;;) {
		size_t i = s->pos;

		while (i < s->len && (s->buf[i] == ' ' || s->buf[i] == '\t' ||
				      s->buf[i] == '\r' ||
				      (lines && s->buf[i] == '\n')))
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

/* The first byte after whitespace, newlines included. */
static int
peek(struct cmp_reader *r, struct cmp_error *e)
{
	return skip_space(r, 1, e);
}

static int
starts_record(const struct cmp_reader *r, int c)
{
	return c == '{' ||
	       ((r->flags & CMP_READ_IDS) &&
		(c == '-' || cmp_json_is_digit(c)));
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
	if (!cmp_json_parse_at(s->buf + s->pos, n, obj, e, &off)) {
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
	return skip_space(r, 0, e);
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

