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
#include "backend_pg.h"
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
	 * itself (-0 is 0); another number is a REAL as SQLite prints
	 * one, 15 digits and ".0" where it would look an integer (2.50 is
	 * 2.5, 1e3 1000.0, 1e20 1.0e+20); an object or an array is its
	 * text as stored, {"a":1} (json, not jsonb, which prints it anew).
	 */
	.json_text = "(SELECT CASE json_typeof(v)"
		" WHEN 'boolean' THEN CASE WHEN CAST(v AS text) = 'true'"
		" THEN '1' ELSE '0' END"
		" WHEN 'number' THEN CASE WHEN CAST(v AS text) ~ '^-?[0-9]+$'"
		" AND CAST(CAST(v AS text) AS numeric) BETWEEN"
		" -9223372036854775808 AND 9223372036854775807"
		" THEN CAST(CAST(CAST(v AS text) AS bigint) AS text)"
		" ELSE regexp_replace(CAST(CAST(to_char(CAST(CAST(v AS text)"
		" AS double precision), '9.99999999999999EEEE')"
		" AS double precision) + 0 AS text),"
		" '^(-?[0-9]+)(e|$)', '\\1.0\\2') END"
		" WHEN 'string' THEN v #>> '{}' WHEN 'null' THEN NULL"
		" ELSE CAST(v AS text) END"
		" FROM (SELECT CAST(%s AS json) -> CAST(? AS text) AS v) AS m)",
	.json_path = "%s",
	.json_number = "(SELECT CASE jsonb_typeof(v) WHEN 'number'"
		" THEN CAST(v #>> '{}' AS double precision) WHEN 'boolean'"
		" THEN CASE WHEN CAST(v AS boolean) THEN 1 ELSE 0 END END"
		" FROM (SELECT CAST(%s AS jsonb) -> CAST(? AS text) AS v) AS m)",
	.real = "double precision",
	.total = "sum",
	.nulls_first = " NULLS FIRST",
	.nulls_last = " NULLS LAST",
	.returning_id = " RETURNING id",
	/* cmp_report_bucket(text, text[]): the schema's, over width_bucket. */
	.bucket = "cmp_report_bucket(%s, CAST(? AS text[]))",
	.text_id = "id",
	.text_match = " FROM cmp_text_ids(CAST(? AS text)) AS id",
	.text_min_chars = 3,
	.text_term = trgm_term,
	.like = "ILIKE",
	.explain = "EXPLAIN ",
	.explain_column = 0,
};
