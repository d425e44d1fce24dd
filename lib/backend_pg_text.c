/*
 * backend_pg_text.c - what of the PostgreSQL backend is text, not a
 * connection: a store's name as messages show it (without its password),
 * its failures as statuses, a statement's parameters as the server
 * spells them, and the dialect,
 * the SQL that differs from SQLite's.  It calls no libpq function.
 */
#include <string.h>

#include "complaint.h"
#include "backend.h"
#include "backend_pg_text.h"
#include "util.h"

/* ---- the URI, without its password ---- */

/*
 * path as messages show it: a URI's password ("user:secret@") and a
 * password parameter taken out, a key=value string's likewise.
 */
char *
cmp_pg_display(const char *path)
{
	struct cmp_buf b = CMP_BUF_INIT;
	const char *p = path;

	if (!strncmp(p, "postgres", 8) && strstr(p, "://")) {
		const char *auth = strstr(p, "://") + 3;
		const char *at = strpbrk(auth, "@/?");
		const char *colon;

		cmp_buf_add(&b, p, (size_t)(auth - p));
		p = auth;
		if (at && *at == '@' &&
		    (colon = memchr(auth, ':', (size_t)(at - auth)))) {
			cmp_buf_add(&b, auth, (size_t)(colon - auth));
			p = at;
		}
	}
	/* password=... as a parameter or a keyword, to its end. */
	while (*p) {
		const char *pw = strstr(p, "password=");

		if (!pw || (pw > path && !strchr("?& \t", pw[-1]))) {
			if (!pw) {
				cmp_buf_adds(&b, p);
				break;
			}
			cmp_buf_add(&b, p, (size_t)(pw - p) + 9);
			p = pw + 9;
			continue;
		}
		cmp_buf_add(&b, p, (size_t)(pw - p));
		cmp_buf_adds(&b, "password=***");
		p = pw + 9;
		if (*p == '\'') {
			for (p++; *p && *p != '\''; p++)
				if (*p == '\\' && p[1])
					p++;
			if (*p)
				p++;
		} else {
			while (*p && !strchr("& \t", *p))
				p++;
		}
	}
	return cmp_buf_detach(&b);
}

/* ---- failures ---- */

int
cmp_pg_status(int rc, const char *msg, const char *p, struct cmp_error *e)
{
	switch (rc) {
	case PG_BUSY:
		return cmp_error_set(e, CMP_EX_TEMPFAIL, NULL,
				     "store '%s' is busy (locked by another "
				     "process past the timeout); try again",
				     p);
	case PG_GONE:
		return cmp_error_set(e, CMP_EX_IOERR, NULL,
				     "lost the connection to store '%s': %s",
				     p, msg);
	case PG_READONLY:
		return cmp_error_set(e, CMP_EX_IOERR, NULL,
				     "store '%s' is read-only for this role: "
				     "%s", p, msg);
	case PG_FULL:
		return cmp_error_set(e, CMP_EX_IOERR, NULL,
				     "cannot write store '%s': the server's "
				     "disk is full", p);
	case PG_CONNECT:
		return cmp_error_set(e, CMP_EX_CANTCREAT, NULL,
				     "cannot open store '%s': %s", p, msg);
	case PG_CONSTRAINT:
		return cmp_error_set(e, CMP_EX_DATAERR, NULL,
				     "store refused the change: %s", msg);
	case PG_ABORTED:
		return cmp_error_set(e, CMP_EX_SOFTWARE, NULL,
				     "store '%s': the transaction had failed "
				     "and was rolled back", p);
	case PG_UNSUPPORTED:
		return cmp_error_set(e, CMP_EX_SOFTWARE, NULL,
				     "store '%s': not supported on "
				     "PostgreSQL", p);
	default:
		return cmp_error_set(e, CMP_EX_SOFTWARE, NULL,
				     "store '%s': %s", p, msg);
	}
}

/* ---- parameters ---- */

/*
 * SQLite's parameters as PostgreSQL's: "?" is one more than the
 * largest number so far, "?N" is $N.  Quoted strings and names, and
 * the "?" of a comment, are left as they are.
 */
char *
cmp_pg_params(const char *sql, int *nparams)
{
	struct cmp_buf b = CMP_BUF_INIT;
	int max = 0;

	for (const char *p = sql; *p;) {
		if (*p == '\'' || *p == '"') {
			char q = *p;

			cmp_buf_addc(&b, *p++);
			while (*p && *p != q)
				cmp_buf_addc(&b, *p++);
			if (*p)
				cmp_buf_addc(&b, *p++);
		} else if (*p == '?') {
			int n = 0;

			p++;
			if (*p >= '0' && *p <= '9') {
				while (*p >= '0' && *p <= '9')
					n = n * 10 + (*p++ - '0');
			} else {
				n = max + 1;
			}
			if (n > max)
				max = n;
			cmp_buf_addf(&b, "$%d", n);
		} else {
			cmp_buf_addc(&b, *p++);
		}
	}
	*nparams = max;
	return cmp_buf_detach(&b);
}

/* ---- the dialect ---- */

/*
 * A term of a text query: a LIKE pattern (%term%, with % _ \ escaped);
 * terms are separated by the unit separator, and cmp_text_ids (the
 * schema's) ANDs them, each over summary or description.
 */
static void
trgm_term(struct cmp_buf *query, const char *term, size_t n)
{
	if (query->len)
		cmp_buf_addc(query, '\x1f');
	cmp_buf_addc(query, '%');
	for (size_t i = 0; i < n; i++) {
		if (term[i] == '%' || term[i] == '_' || term[i] == '\\')
			cmp_buf_addc(query, '\\');
		if (term[i] != '\x1f')
			cmp_buf_addc(query, term[i]);
	}
	cmp_buf_addc(query, '%');
}

/*
 * The text t of a number (JSON's, or a --where value) as SQLite reads
 * one into a REAL, and never a failure where SQLite reads it: past the
 * largest double it is an infinity, below half the least one 0 (a cast
 * to double precision refuses both), a subnormal itself.  Which way a
 * number goes is told from its first significant digit's power of ten
 * (PG_POWER, from the digits and the exponent as written, however
 * long), and at the two edges from the exact bounds, 2^1024 - 2^970 and
 * 2^-1075, as numeric; the significant digits are cut to what tells
 * them apart from the bounds, so that numeric takes any.  A number of
 * fewer than 300 characters without an exponent is in range: it is
 * cast at once.  Expressions, not subqueries: the planner prices each
 * subquery whether it runs or not, and a dearer plan is compiled (JIT)
 * on smaller tables.
 */
#define PG_EXPONENT "substring(t FROM '[eE]([+-]?[0-9]+)$')"
#define PG_FRACTION "coalesce(substring(t FROM '\\.([0-9]*)'), '')"
#define PG_SIGNIFICANT \
	"ltrim(translate(regexp_replace(t, '[eE].*', ''), '+-.', ''), '0')"
#define PG_POWER \
	"(coalesce(CAST(" PG_EXPONENT " AS numeric), 0) - 1 - length(" \
	PG_FRACTION ") + length(" PG_SIGNIFICANT "))"
#define PG_DOUBLE \
	"CASE WHEN length(t) < 300 AND t ~ '^[+-]?[0-9.]+$'" \
	" THEN CAST(t AS double precision)" \
	" WHEN " PG_SIGNIFICANT " = '' THEN 0" \
	" WHEN " PG_POWER " > 308 OR " PG_POWER " = 308 AND CAST('0.' ||" \
	" left(" PG_SIGNIFICANT ", 1100) || 'e309' AS numeric)" \
	" >= 2::numeric ^ 1024 - 2::numeric ^ 970" \
	" THEN CAST(CASE WHEN left(t, 1) = '-' THEN '-Infinity'" \
	" ELSE 'Infinity' END AS double precision)" \
	" WHEN " PG_POWER " < -324 OR " PG_POWER " = -324 AND CAST('0.' ||" \
	" left(" PG_SIGNIFICANT ", 1100) || 'e-323' AS numeric)" \
	" * 2::numeric ^ 1075 <= 1 THEN 0" \
	" ELSE CAST(t AS double precision) END"

/*
 * A double d as SQLite prints a REAL ("%!.15g" of its printf): 15
 * significant digits, their trailing zeros dropped but one after the
 * point; an exponent of two digits or more when the first digit's
 * power of ten is under -4 or over 14; Inf and -Inf; 0.0 for either
 * zero.  The digits are the C library's (to_char), as SQLite's are its
 * own, without going back through a double, which 15 digits of a
 * subnormal number do not survive (5e-324 is 4.94065645841247e-324).
 */
#define PG_REAL_TEXT \
	"CASE WHEN d = 'Infinity' THEN 'Inf' WHEN d = '-Infinity'" \
	" THEN '-Inf' WHEN d = 0 THEN '0.0'" \
	" ELSE (SELECT CASE WHEN d < 0 THEN '-' ELSE '' END ||" \
	" CASE WHEN e < -4 OR e > 14 THEN left(m, 1) || '.' ||" \
	" CASE WHEN length(m) > 1 THEN substr(m, 2) ELSE '0' END || 'e' ||" \
	" CASE WHEN e < 0 THEN '-' ELSE '+' END ||" \
	" CASE WHEN abs(e) < 10 THEN '0' ELSE '' END || abs(e)" \
	" WHEN e < 0 THEN '0.' || repeat('0', -e - 1) || m" \
	" ELSE rpad(left(m, e + 1), e + 1, '0') || '.' ||" \
	" CASE WHEN length(m) > e + 1 THEN substr(m, e + 2) ELSE '0' END END" \
	" FROM (SELECT rtrim(translate(split_part(s, 'e', 1), ' .', ''), '0')" \
	" AS m, CAST(split_part(s, 'e', 2) AS integer) AS e" \
	" FROM (SELECT to_char(abs(d), '9.99999999999999EEEE') AS s) AS q1" \
	" OFFSET 0) AS q2) END"

/* A JSON number's text t that SQLite reads as an INTEGER: digits only,
   in 64 bits. */
#define PG_INT64 \
	"t ~ '^-?[0-9]+$' AND length(t) <= 20 AND CAST(t AS numeric)" \
	" BETWEEN -9223372036854775808 AND 9223372036854775807"

/*
 * Numbers compared as SQLite compares them: an INTEGER with a REAL
 * exactly, by value, not as two doubles (9007199254740993 > 2^53 as a
 * REAL).  Each is a row (whole part, fraction) that PostgreSQL compares
 * term by term: an integer i is (i, 0), a double d in 64 bits' range
 * (trunc(d), d - trunc(d)), both exact (d - floor(d) is not: for d in
 * (-0.5, 0) it is 1 + d, rounded); past the range the whole part is one
 * beyond it, d itself deciding among such.  A cast of the double to
 * numeric would keep 15 digits only.
 */
#define PG_INT_KEY(i) \
	"ROW(CAST(" i " AS numeric), CAST(0 AS double precision))"
#define PG_REAL_KEY \
	"CASE WHEN d >= CAST('-9223372036854775808' AS double precision)" \
	" AND d < CAST('9223372036854775808' AS double precision)" \
	" THEN ROW(CAST(CAST(trunc(d) AS bigint) AS numeric), d - trunc(d))" \
	" ELSE ROW(CASE WHEN d > 0 THEN CAST('9223372036854775808' AS numeric)" \
	" ELSE CAST('-9223372036854775809' AS numeric) END, d) END"

const struct cmp_dialect cmp_pg_dialect = {
	/* The planner takes no hints. */
	.indexed_by = "",
	.not_indexed = "",
	/* OFFSET 0 keeps a subquery from being pulled up. */
	.no_flatten = " OFFSET 0",
	.or_ignore = "",
	.on_conflict_ignore = " ON CONFLICT DO NOTHING",
	/*
	 * A member as SQLite's json_extract() shows it as text, so that
	 * --where ~ and a report's --by attrs.KEY see the same on both
	 * stores: true and false are 1 and 0; an integer of 64 bits is
	 * itself (-0 is 0); another number is a REAL as SQLite reads and
	 * prints one (PG_DOUBLE, PG_REAL_TEXT: 2.50 is 2.5, 1e3 1000.0,
	 * 1e20 1.0e+20, 1e400 Inf); an object or an array is its text as
	 * stored, {"a":1} (json, not jsonb, which prints it anew).
	 */
	.json_text = "(SELECT CASE json_typeof(v)"
		" WHEN 'boolean' THEN CASE WHEN t = 'true' THEN '1' ELSE '0' END"
		" WHEN 'number' THEN CASE WHEN " PG_INT64
		" THEN CAST(CAST(t AS bigint) AS text)"
		" ELSE (SELECT " PG_REAL_TEXT " FROM (SELECT " PG_DOUBLE
		" AS d OFFSET 0) AS r) END"
		" WHEN 'string' THEN v #>> '{}' WHEN 'null' THEN NULL"
		" ELSE t END FROM (SELECT v, CAST(v AS text) AS t"
		" FROM (SELECT CAST(%s AS json) -> CAST(? AS text) AS v) AS m0"
		" OFFSET 0) AS m)",
	.json_path = "%s",
	/* json, not jsonb, whose numbers are numeric's, which refuses
	   one past its range (1e200000, 1e-20000). */
	.json_number = "(SELECT CASE json_typeof(v) WHEN 'number'"
		" THEN CASE WHEN " PG_INT64 " THEN " PG_INT_KEY("t")
		" ELSE (SELECT " PG_REAL_KEY " FROM (SELECT " PG_DOUBLE
		" AS d OFFSET 0) AS r) END"
		" WHEN 'boolean' THEN "
		PG_INT_KEY("CASE WHEN t = 'true' THEN 1 ELSE 0 END") " END"
		" FROM (SELECT v, CAST(v AS text) AS t"
		" FROM (SELECT CAST(%s AS json) -> CAST(? AS text) AS v) AS m0"
		" OFFSET 0) AS m)",
	.number = "(SELECT " PG_REAL_KEY " FROM (SELECT " PG_DOUBLE " AS d"
		" FROM (SELECT CAST(%s AS text) AS t) AS m OFFSET 0) AS r)",
	.number_in = " = ANY (ARRAY[",
	.number_in_end = "])",
	.real = "double precision",
	.total = "sum",
	.nulls_first = " NULLS FIRST",
	.nulls_last = " NULLS LAST",
	.collate_c = " COLLATE \"C\"",
	/* An identity column's sequence, past the ids the store gave. */
	.id_sequence = "SELECT setval(pg_get_serial_sequence('%s', 'id'), ?)",
	/* width_bucket itself, not the schema's cmp_report_bucket over it:
	   a function the planner cannot inline is a call a row, dearer
	   than sending the rows ungrouped. */
	.bucket = "COALESCE(width_bucket(%s COLLATE \"C\","
		  " CAST(? AS text[])), 0) - 1",
	.text_id = "id",
	.text_match = " FROM cmp_text_ids(CAST(? AS text)) AS id",
	.text_min_chars = 3,
	.text_term = trgm_term,
	/*
	 * lower() under the collation "C" folds A to Z only, as SQLite's
	 * LIKE: summary and description are of the database's collation
	 * (their trigram indexes read its UTF-8 ctype), whose ILIKE and
	 * lower() fold all of Unicode.  like_text puts an ILIKE first,
	 * which the trigram indexes serve: a superset, the ctype lowering
	 * A to Z as "C" does, a character at a time.
	 */
	.like = "lower(%1$s COLLATE \"C\") LIKE lower(%2$s COLLATE \"C\")"
		" ESCAPE '\\'",
	.like_text = "(%1$s ILIKE %2$s ESCAPE '\\' AND lower(%1$s COLLATE"
		" \"C\") LIKE lower(%2$s COLLATE \"C\") ESCAPE '\\')",
	.explain = "EXPLAIN ",
	.explain_column = 0,
	.in_ids = "= ANY(ARRAY(SELECT id FROM %s))",
	/* A role that owns none of them is skipped with a warning (the
	   backend shows no notices). */
	.after_load = "VACUUM (ANALYZE) complaint, journal_entry, tag, followup",
};
