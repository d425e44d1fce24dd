/*
 * json_parse.h - the strict JSON text parser (json_parse.c), which
 * builds cJSON trees.  Private to libcomplaint.
 */
#ifndef CMP_JSON_PARSE_H
#define CMP_JSON_PARSE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "complaint.h"

#define CMP_JSON_MAXDEPTH 512

/*
 * Parse one JSON text (RFC 8259, strict): the whole of s[0..n) must be
 * one value.  Strings must be valid UTF-8 and may not contain U+0000;
 * nesting deeper than CMP_JSON_MAXDEPTH is refused.  Numbers come back
 * as cJSON raw items holding their literal, so free data keeps "1e400"
 * as written.  *out is the caller's (cJSON_Delete).  Returns 0 or 65
 * with the line and column of the error.
 */
int cmp_json_parse(const char *s, size_t n, cJSON **out, struct cmp_error *e);
/* cmp_json_parse, also saying at which byte of s the error is (the
   record reader places it in its stream). */
int cmp_json_parse_at(const char *s, size_t n, cJSON **out,
		      struct cmp_error *e, size_t *err_off);

/*
 * The parser returns numbers as cJSON raw items holding the literal
 * ("1e400", "12345678901234567890"), so free data is kept as written.
 * cmp_json_number() reads a number from a raw literal or a cJSON number:
 * 1 and *out set when item is a finite number, 0 otherwise.
 */
int cmp_json_number(const cJSON *item, double *out);
/* 1 if item is a number (raw literal or cJSON number). */
int cmp_json_is_number(const cJSON *item);

/* 65 (field path) when an object in v, at any depth, gives a member
   twice: the stores would read different ones (SQLite's JSON functions
   the first, PostgreSQL's the last), so free data may not. */
int cmp_json_unique_keys(const cJSON *v, const char *path,
			 struct cmp_error *e);

/* JSON's whitespace and digits, for the parser and the reader's scanner
   (inline: they run on every byte of the input). */
static inline int
cmp_json_is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline int
cmp_json_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

#endif /* CMP_JSON_PARSE_H */
