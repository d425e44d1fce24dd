/*
 * where.c - cmp-list --where: a condition on any field of the record,
 * "PATH OP VALUE", parsed and checked against the field table and the
 * configuration into a struct cmp_where, which the query builder
 * (query.c) writes as SQL with its values bound.  The grammar is
 * cmp-list(1)'s:
 *
 *	PATH (= | != | < | <= | > | >= | ~) VALUE[,VALUE...]
 *	PATH [not] in VALUE[,VALUE...]
 *	PATH is [not] null		(also PATH = null, PATH != null)
 *
 * PATH is a field's dotted path or attrs.KEY; a VALUE in '...' or "..."
 * may hold spaces, commas and quotes (doubled).  Values are checked and
 * turned into what the store holds here (the configuration's enums
 * among them), so that a bad one is a usage error before anything is
 * read, and the SQL side knows only columns and values.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "config_load.h"
#include "field.h"
#include "field_set.h"
#include "util.h"
#include "validate.h"
#include "where.h"

/* The operators written with symbols, longest first. */
static const struct {
	const char *text;
	enum cmp_where_op op;
} symbols[] = {
	{"!=", CMP_WHERE_NE}, {"<=", CMP_WHERE_LE}, {">=", CMP_WHERE_GE},
	{"=", CMP_WHERE_EQ}, {"<", CMP_WHERE_LT}, {">", CMP_WHERE_GT},
	{"~", CMP_WHERE_CONTAINS},
};
#define SYMBOL_CHARS "=!<>~"

static const char *const op_names[] = {
	[CMP_WHERE_EQ] = "=", [CMP_WHERE_NE] = "!=", [CMP_WHERE_LT] = "<",
	[CMP_WHERE_LE] = "<=", [CMP_WHERE_GT] = ">", [CMP_WHERE_GE] = ">=",
	[CMP_WHERE_CONTAINS] = "~", [CMP_WHERE_NULL] = "is null",
	[CMP_WHERE_NOT_NULL] = "is not null",
};

/* What a parse works on: the expression (for messages) and the result. */
struct parse {
	const char *expr;
	const char *path;	/* the path as written, for messages */
	struct cmp_where *w;
	struct cmp_error *e;
	int quoted;		/* a value was quoted: text, for attrs */
};

static int __attribute__((format(printf, 2, 3)))
bad(struct parse *p, const char *fmt, ...)
{
	char why[sizeof(p->e->msg)];
	size_t n = strlen(p->expr);
	size_t shown = n > 200 ? cmp_utf8_whole(p->expr, 200) : n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	/* A long expression shown in part, so that the reason fits; a
	   reason too long is cut with the message (cmp_error_set). */
	return cmp_error_set(p->e, CMP_EX_USAGE, NULL, "--where '%.*s%s': %s",
			     (int)shown, p->expr, shown < n ? "..." : "", why);
}

static const char *
skip_blank(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* A keyword (ASCII, any case) at s, followed by a blank or the end. */
static const char *
keyword(const char *s, const char *word)
{
	size_t n = strlen(word);

	if (strncasecmp(s, word, n) || (s[n] && s[n] != ' ' && s[n] != '\t'))
		return NULL;
	return skip_blank(s + n);
}

static void
add_value(struct cmp_where *w, char *v)
{
	w->values = cmp_xrealloc(w->values, (w->nvalues + 1) * sizeof(char *));
	w->values[w->nvalues++] = v;
}

/*
 * The values after the operator: VALUE[,VALUE...], each bare (blanks
 * around it dropped) or quoted.  *null: the one bare value "null".
 */
static int
parse_values(struct parse *p, const char *s, const char *op, int *null)
{
	*null = 0;
	s = skip_blank(s);
	if (!*s)
		return bad(p, "no value after '%s'", op);
	for (;;) {
		struct cmp_buf b = CMP_BUF_INIT;

		s = skip_blank(s);
		if (*s == '\'' || *s == '"') {
			char q = *s++;

			for (;; s++) {
				if (!*s) {
					cmp_buf_release(&b);
					return bad(p, "no closing %c", q);
				}
				if (*s == q && s[1] != q)
					break;
				if (*s == q)
					s++;
				cmp_buf_addc(&b, *s);
			}
			p->quoted = 1;
			s = skip_blank(s + 1);
			if (*s && *s != ',') {
				cmp_buf_release(&b);
				return bad(p, "'%s' after a quoted value", s);
			}
			add_value(p->w, cmp_buf_detach(&b));
		} else {
			const char *end = strchr(s, ',');
			size_t n = end ? (size_t)(end - s) : strlen(s);

			while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
				n--;
			if (!n) {
				cmp_buf_release(&b);
				return bad(p, "an empty value (quote it: '')");
			}
			add_value(p->w, cmp_xstrndup(s, n));
			if (n == 4 && !strncasecmp(s, "null", 4))
				*null = 1;
			s = end ? end : s + n;
		}
		if (*s != ',')
			break;
		s++;
	}
	if (*null && p->w->nvalues > 1)
		*null = 0;
	return 0;
}

/* Past one or more digits at p; NULL if there is none. */
static const char *
digits(const char *p)
{
	if (!isdigit((unsigned char)*p))
		return NULL;
	while (isdigit((unsigned char)*p))
		p++;
	return p;
}

/* A number as SQL reads one: [+-]digits[.digits][e[+-]digits]. */
static int
is_number(const char *s, int whole)
{
	const char *p = s + (*s == '+' || *s == '-');

	if (!(p = digits(p)))
		return 0;
	if (whole)
		return !*p && p - s < 19;
	if (*p == '.' && !(p = digits(p + 1)))
		return 0;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (!(p = digits(p + (*p == '+' || *p == '-'))))
			return 0;
	}
	return !*p;
}

/* The keys of f's enumeration, in the configuration's order. */
static size_t
enum_keys(const struct cmp_config *cfg, const struct cmp_field *f,
	  const char **keys, size_t max)
{
	const struct cmp_enum *en = cmp_field_enum(cfg, f);
	size_t n = 0;

	if (f->en == CMP_EN_DEPARTMENT)
		for (size_t i = 0; i < cfg->ndepartments && n < max; i++)
			keys[n++] = cfg->departments[i].key;
	else if (en)
		for (size_t i = 0; i < en->n && n < max; i++)
			keys[n++] = en->keys[i];
	return n;
}

/*
 * An enumeration's <, <=, >, >=: by the order of its keys in the
 * configuration (low < medium < high), made "in" those keys.
 */
static void
enum_order(const struct cmp_config *cfg, struct cmp_where *w)
{
	const char *keys[256];
	size_t n = enum_keys(cfg, w->f, keys, CMP_ARRAY_LEN(keys)), at = 0;
	enum cmp_where_op op = w->op;

	while (at < n && strcmp(keys[at], w->values[0]))
		at++;
	free(w->values[0]);
	free(w->values);
	w->values = NULL;
	w->nvalues = 0;
	w->op = CMP_WHERE_EQ;
	for (size_t i = 0; i < n; i++)
		if ((op == CMP_WHERE_LT && i < at) ||
		    (op == CMP_WHERE_LE && i <= at) ||
		    (op == CMP_WHERE_GT && i > at) ||
		    (op == CMP_WHERE_GE && i >= at))
			add_value(w, cmp_xstrdup(keys[i]));
}

/* What kind of value f holds, for messages. */
static const char *
kind(const struct cmp_field *f)
{
	switch (f->type) {
	case CMP_F_ID:
	case CMP_F_INT:
	case CMP_F_COUNT:
	case CMP_F_SCORE:
	case CMP_F_MONEY:
		return "a number";
	case CMP_F_TIME: return "a time";
	case CMP_F_BOOL: return "true or false";
	case CMP_F_TAGS: return "a set of tags";
	default: return "text";
	}
}

/* One value v of field f, checked and made what the store holds. */
static int
check_value(struct parse *p, const struct cmp_config *cfg, cmp_time now,
	    char **v)
{
	const struct cmp_field *f = p->w->f;
	struct cmp_error e;
	char buf[CMP_TIME_BUFSZ];
	cmp_time t;

	cmp_error_clear(&e);
	if (!**v && f->type != CMP_F_TEXT)
		return bad(p, "%s: an empty value", p->path);
	switch (f->type) {
	case CMP_F_ID:
	case CMP_F_INT:
	case CMP_F_COUNT:
	case CMP_F_SCORE:
		if (!is_number(*v, 1))
			return bad(p, "%s: '%s' is not a whole number",
				   p->path, *v);
		return 0;
	case CMP_F_MONEY:
		if (!is_number(*v, 0))
			return bad(p, "%s: '%s' is not a number", p->path,
				   *v);
		return 0;
	case CMP_F_TIME:
		if (cmp_time_parse(*v, cfg->timezone, now, &t, &e))
			return bad(p, "%s: %s", p->path, e.msg);
		free(*v);
		*v = cmp_xstrdup(cmp_time_format(t, buf));
		return 0;
	case CMP_F_DATE:
		/* A date, or a time as the other options take it (today,
		   -30d), its date in the configured zone. */
		if (!cmp_date_check(*v, &e))
			return 0;
		if (cmp_time_parse(*v, cfg->timezone, now, &t, &e))
			return bad(p, "%s: '%s' is not a date (YYYY-MM-DD, "
				   "or a time: today, -30d)", p->path, *v);
		free(*v);
		*v = cmp_xstrdup(cmp_date_format(t, cfg->timezone, buf));
		return 0;
	case CMP_F_BOOL: {
		/* As --set reads it (true, yes, 1...). */
		struct cmp_complaint c;
		int b;

		cmp_complaint_init(&c);
		if (cmp_field_set_text(cfg, &c, f, *v, now, &e)) {
			cmp_complaint_release(&c);
			return bad(p, "%s: %s", p->path, e.msg);
		}
		b = *CMP_CFPTR(int, f, &c);
		cmp_complaint_release(&c);
		free(*v);
		*v = cmp_xstrdup(b ? "1" : "0");
		return 0;
	}
	case CMP_F_ENUM:
		if (!cmp_field_enum_valid(cfg, f, *v))
			return bad(p, "%s: '%s' is not %s", p->path, *v,
				   cmp_enum_noun(f->en));
		return 0;
	default:
		return 0;
	}
}

/* The operator at s (*op), past it and the blanks after it. */
static int
parse_op(struct parse *p, const char *s, enum cmp_where_op *op,
	 const char **rest, int *list_op)
{
	const char *r;

	*list_op = 0;
	if (!*s)
		return bad(p, "no operator after '%s' (=, !=, <, <=, >, >=, ~, "
			   "in, not in, is null, is not null)", p->path);
	if (strchr(SYMBOL_CHARS, *s)) {
		size_t n = strspn(s, SYMBOL_CHARS);

		for (size_t i = 0; i < CMP_ARRAY_LEN(symbols); i++)
			if (strlen(symbols[i].text) == n &&
			    !strncmp(s, symbols[i].text, n)) {
				*op = symbols[i].op;
				*rest = s + n;
				return 0;
			}
		return bad(p, "no operator '%.*s'", (int)n, s);
	}
	if ((r = keyword(s, "in"))) {
		*op = CMP_WHERE_EQ;
		*list_op = 1;
	} else if ((r = keyword(s, "not")) && (r = keyword(r, "in"))) {
		*op = CMP_WHERE_NE;
		*list_op = 1;
	} else if ((r = keyword(s, "is"))) {
		const char *n = keyword(r, "not");

		*op = n ? CMP_WHERE_NOT_NULL : CMP_WHERE_NULL;
		if (!(r = keyword(n ? n : r, "null")))
			return bad(p, "'is' takes null or not null");
		if (*r)
			return bad(p, "'%s' after '%s'", r, op_names[*op]);
	} else {
		size_t n = strcspn(s, " \t");

		return bad(p, "no operator '%.*s'", (int)n, s);
	}
	*rest = r;
	return 0;
}

/* Whether op applies to f (NULL: attrs.KEY); a message if not. */
static int
check_op(struct parse *p)
{
	const struct cmp_field *f = p->w->f;
	enum cmp_where_op op = p->w->op;
	int order = op >= CMP_WHERE_LT && op <= CMP_WHERE_GE;

	if (f && f->type == CMP_F_FOLLOWUPS)
		return bad(p, "'followups' cannot be compared (the followups "
			   "view has them)");
	if (op == CMP_WHERE_NULL || op == CMP_WHERE_NOT_NULL || !f)
		return 0;
	if (f->type == CMP_F_JSON)
		return bad(p, "'attrs' cannot be compared but with null "
			   "(a member: attrs.KEY)");
	if (op == CMP_WHERE_CONTAINS &&
	    f->type != CMP_F_TEXT && f->type != CMP_F_ENUM &&
	    f->type != CMP_F_DATE && f->type != CMP_F_TAGS)
		return bad(p, "'~' does not apply to '%s' (%s)", p->path,
			   kind(f));
	if (order && (f->type == CMP_F_TAGS || f->type == CMP_F_BOOL))
		return bad(p, "'%s' does not apply to '%s' (%s)", op_names[op],
			   p->path, kind(f));
	return 0;
}

/* PATH at s: a field, or attrs.KEY; *rest past it and blanks. */
static int
parse_path(struct parse *p, const char *s, const char **rest)
{
	size_t n = strcspn(s, " \t" SYMBOL_CHARS);
	char *path = cmp_xstrndup(s, n);

	p->path = path;
	*rest = skip_blank(s + n);
	if (!n)
		return bad(p, "no field before '%.*s' (a field's dotted path, "
			   "or attrs.KEY)", (int)strcspn(s, " \t"), s);
	if (!strncmp(path, "attrs.", 6) && path[6]) {
		/* The dialect's JSON path quotes the key. */
		if (strchr(path + 6, '"') || strchr(path + 6, '\\'))
			return bad(p, "no field '%s' (a key of attrs may not "
				   "hold \" or \\ here)", path);
		p->w->key = cmp_xstrdup(path + 6);
		return 0;
	}
	if (!(p->w->f = cmp_field_find(path)))
		return bad(p, "no field '%s'", path);
	return 0;
}

int
cmp_where_parse(const char *expr, const struct cmp_config *cfg, cmp_time now,
		struct cmp_where **out, struct cmp_error *e)
{
	struct cmp_where *w = cmp_xcalloc(1, sizeof(*w));
	struct parse p = {expr, NULL, w, e, 0};
	const char *s, *bad_utf8;
	int list_op, null, ret;

	*out = NULL;
	if ((bad_utf8 = cmp_utf8_check(expr, strlen(expr)))) {
		ret = cmp_error_set(e, CMP_EX_USAGE, NULL, "--where: invalid "
				    "UTF-8 (byte 0x%02x)",
				    (unsigned char)*bad_utf8);
		goto fail;
	}
	if ((ret = parse_path(&p, skip_blank(expr), &s)) ||
	    (ret = parse_op(&p, s, &w->op, &s, &list_op)))
		goto fail;
	if (w->op != CMP_WHERE_NULL && w->op != CMP_WHERE_NOT_NULL) {
		if ((ret = parse_values(&p, s, list_op ? (w->op ==
				CMP_WHERE_EQ ? "in" : "not in") :
				op_names[w->op], &null)))
			goto fail;
		/* = null and != null, as SQL people write them wrongly. */
		if (null && !list_op && (w->op == CMP_WHERE_EQ ||
					 w->op == CMP_WHERE_NE)) {
			w->op = w->op == CMP_WHERE_EQ ? CMP_WHERE_NULL :
				CMP_WHERE_NOT_NULL;
			free(w->values[0]);
			free(w->values);
			w->values = NULL;
			w->nvalues = 0;
		}
	}
	if ((ret = check_op(&p)))
		goto fail;
	if (w->op >= CMP_WHERE_LT && w->op <= CMP_WHERE_GE && w->nvalues > 1) {
		ret = bad(&p, "'%s' takes one value", op_names[w->op]);
		goto fail;
	}
	/* SQLite takes a LIKE pattern of at most 50,000 bytes, and a value
	   escaped in one may double: one limit for both stores. */
	for (size_t i = 0; w->op == CMP_WHERE_CONTAINS && i < w->nvalues; i++)
		if (strlen(w->values[i]) > CMP_CONTAINS_MAX) {
			ret = bad(&p, "a value to look for of %zu bytes: at "
				  "most %d", strlen(w->values[i]),
				  CMP_CONTAINS_MAX);
			goto fail;
		}
	if (!w->f) {
		/* Unquoted numbers compare as numbers, true and false as
		   1 and 0 (as the views' json_extract() gives them). */
		w->numeric = w->nvalues && !p.quoted &&
			w->op != CMP_WHERE_CONTAINS;
		for (size_t i = 0; i < w->nvalues; i++)
			if (!is_number(w->values[i], 0) &&
			    strcmp(w->values[i], "true") &&
			    strcmp(w->values[i], "false"))
				w->numeric = 0;
		for (size_t i = 0; w->numeric && i < w->nvalues; i++) {
			char **v = &w->values[i];

			if (!strcmp(*v, "true") || !strcmp(*v, "false")) {
				int yes = **v == 't';

				free(*v);
				*v = cmp_xstrdup(yes ? "1" : "0");
			}
		}
	} else if (w->op != CMP_WHERE_CONTAINS) {
		for (size_t i = 0; i < w->nvalues; i++)
			if ((ret = check_value(&p, cfg, now, &w->values[i])))
				goto fail;
		if (w->f->type == CMP_F_ENUM && w->nvalues == 1 &&
		    w->op >= CMP_WHERE_LT && w->op <= CMP_WHERE_GE)
			enum_order(cfg, w);
	}
	free((char *)p.path);
	*out = w;
	return 0;
fail:
	free((char *)p.path);
	cmp_where_free(w);
	return ret;
}

void
cmp_where_free(struct cmp_where *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->nvalues; i++)
		free(w->values[i]);
	free(w->values);
	free(w->key);
	free(w);
}

char *
cmp_where_describe(const struct cmp_where *w)
{
	struct cmp_buf b = CMP_BUF_INIT;
	const char *op = op_names[w->op];

	if (w->f)
		cmp_buf_adds(&b, w->f->path);
	else
		cmp_buf_addf(&b, "attrs.%s", w->key);
	if (w->nvalues != 1 && w->op == CMP_WHERE_EQ)
		op = "in";
	else if (w->nvalues != 1 && w->op == CMP_WHERE_NE)
		op = "not in";
	cmp_buf_addf(&b, " %s", op);
	for (size_t i = 0; i < w->nvalues; i++) {
		cmp_buf_adds(&b, i ? ", '" : " '");
		for (const char *s = w->values[i]; *s; s++) {
			if (*s == '\'')
				cmp_buf_addc(&b, '\'');
			cmp_buf_addc(&b, *s);
		}
		cmp_buf_addc(&b, '\'');
	}
	if (w->numeric)
		cmp_buf_adds(&b, " (numbers)");
	return cmp_buf_detach(&b);
}
