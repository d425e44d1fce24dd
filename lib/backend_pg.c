/*
 * backend_pg.c - the store's backend on PostgreSQL (libpq, loaded by
 * pq_load.c at the first open): with backend_pg_defer.c, the only
 * files that call libpq.  A store is a database on a server,
 * shared by every program of a team; its writers take one advisory lock
 * per transaction, so that they serialise as SQLite's do and no update
 * is lost; readers never wait (MVCC).  The text index is pg_trgm's (GIN,
 * kept by the server), and the SQL that differs from SQLite's is the
 * dialect at the end.
 *
 * Statements are sent with their parameters as text, of no declared
 * type: the server infers each from where it stands, as SQLite takes
 * what it is given.  Those kept for the connection's life are prepared
 * on the server once.  A result is read whole when a statement runs,
 * but for one prepared to stream (CMP_DB_STREAM): that runs as a cursor
 * WITH HOLD (it outlives the transaction it was opened in, and another
 * statement may run between its fetches), FETCH_ROWS rows at a time.
 *
 * A write whose result nobody reads (CMP_DB_DEFER) is not sent when it
 * runs (backend_pg_defer.c): a few go in libpq's pipeline mode, with
 * the next statement that waits for an answer, their results coming
 * back together, one round trip for them all (settle): a round trip,
 * not the server's work, is most of what a small write costs.  A bulk
 * load's INSERTs of whole rows are held and go with COPY, a table at a
 * time, before anything else reaches the server: the server's work per
 * statement is then what a large write costs.  A rollback drops what
 * is held.
 *
 * Failures are negative codes of our own (enum pg_fail); the server's
 * message is kept on the connection for error().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint.h"
#include "backend.h"
#include "backend_pg_impl.h"
#include "backend_pg_text.h"
#include "util.h"

/* The writers' advisory lock, per database: "CMP1". */
#define WRITER_LOCK "1129140273"

/* Rows a streaming statement fetches at a time: FETCH_ROWS at first,
   then as many as make FETCH_CELLS values (up to FETCH_ROWS_MAX), so
   that a narrow statement (a report's three columns) takes fewer round
   trips and a wide one (whole complaints) no more memory. */
#define FETCH_ROWS 1000
#define FETCH_CELLS 50000
#define FETCH_ROWS_MAX 20000

/* ---- errors ---- */

static int
pg_error(struct cmp_db *d, int rc, const char *p, struct cmp_error *e)
{
	return cmp_pg_status(rc, d && d->msg ? d->msg : "", p, e);
}

/* PQexec after the deferred writes, counted. */
static PGresult *
exec_now(struct cmp_db *d, const char *sql)
{
	d->trips++;
	d->statements++;
	return PQexec(d->conn, sql);
}

/* ---- statements ---- */

/* Run sql (one or more statements, no parameters); 0 or a failure. */
static int
pg_exec(struct cmp_db *d, const char *sql)
{
	int rc = cmp_pg_settle(d);
	PGresult *r = rc ? NULL : exec_now(d, sql);
	ExecStatusType st = PQresultStatus(r);

	if (!rc && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
	    st != PGRES_EMPTY_QUERY)
		rc = cmp_pg_fail_of(d, r);
	PQclear(r);
	return rc;
}

/* The single value of a one-row query, copied into buf; 0 or failure. */
static int
query_value(struct cmp_db *d, const char *sql, char *buf, size_t size)
{
	int rc = cmp_pg_settle(d);
	PGresult *r = rc ? NULL : exec_now(d, sql);

	buf[0] = '\0';
	if (!rc && PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = cmp_pg_fail_of(d, r);
	else if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
		snprintf(buf, size, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return rc;
}

static int
pg_prepare(struct cmp_db *d, const char *sql, unsigned flags,
	   struct cmp_db_stmt **out)
{
	struct cmp_db_stmt *s = cmp_xcalloc(1, sizeof(*s));

	*out = NULL;
	s->db = d;
	s->sql = cmp_pg_params(sql, &s->nparams);
	s->values = cmp_xcalloc((size_t)s->nparams + 1, sizeof(char *));
	s->defer = !!(flags & CMP_DB_DEFER);
	s->copy = s->defer ? cmp_pg_copy_table(d, s->sql, s->nparams) : -1;
	if (flags & CMP_DB_STREAM)
		snprintf(s->cursor, sizeof(s->cursor), "cmpc%u",
			 ++d->next_name);
	if (flags & CMP_DB_PERSISTENT) {
		PGresult *r;
		int rc = 0;

		snprintf(s->name, sizeof(s->name), "cmp%u", ++d->next_name);
		/* The pipeline's results read, what is held not sent:
		   preparing runs nothing, and a load's first rows then
		   wait for COPY with the rest. */
		if (!(rc = d->queued ? cmp_pg_sync(d, NULL) : 0)) {
			d->trips++;
			r = PQprepare(d->conn, s->name, s->sql, 0, NULL);
			if (PQresultStatus(r) != PGRES_COMMAND_OK)
				rc = cmp_pg_fail_of(d, r);
			PQclear(r);
		}
		if (rc) {
			s->name[0] = '\0';
			free(s->sql);
			free(s->values);
			free(s);
			return rc;
		}
	}
	*out = s;
	return 0;
}

static void
clear_values(struct cmp_db_stmt *s)
{
	for (int i = 0; i < s->nparams; i++) {
		free(s->values[i]);
		s->values[i] = NULL;
	}
}

/* Close s's cursor on the server, if open (a failed transaction has
   closed it already: no command runs there but ROLLBACK). */
static void
close_cursor(struct cmp_db_stmt *s)
{
	char sql[40];

	if (!s->open)
		return;
	s->open = 0;
	if (cmp_pg_settle(s->db) || PQstatus(s->db->conn) != CONNECTION_OK ||
	    PQtransactionStatus(s->db->conn) == PQTRANS_INERROR)
		return;
	snprintf(sql, sizeof(sql), "CLOSE %s", s->cursor);
	PQclear(exec_now(s->db, sql));
}

static void
pg_reset(struct cmp_db_stmt *s, int unbind)
{
	close_cursor(s);
	s->last = 0;
	PQclear(s->res);
	s->res = NULL;
	s->ran = 0;
	s->row = s->nrows = 0;
	if (unbind)
		clear_values(s);
}

static void
pg_finalize(struct cmp_db_stmt *s)
{
	if (!s)
		return;
	pg_reset(s, 1);
	/* A statement dropped while the connection lives (an UPDATE
	   replaced in the store's cache) is closed on the server too. */
	if (s->name[0] && !cmp_pg_settle(s->db) &&
	    PQstatus(s->db->conn) == CONNECTION_OK &&
	    PQtransactionStatus(s->db->conn) != PQTRANS_INERROR) {
		char sql[40];

		snprintf(sql, sizeof(sql), "DEALLOCATE %s", s->name);
		PQclear(exec_now(s->db, sql));
	}
	free(s->sql);
	free(s->values);
	free(s);
}

static void
bind_owned(struct cmp_db_stmt *s, int i, char *v)
{
	if (i < 1 || i > s->nparams) {
		free(v);
		return;
	}
	free(s->values[i - 1]);
	s->values[i - 1] = v;
}

static void
pg_bind_null(struct cmp_db_stmt *s, int i)
{
	bind_owned(s, i, NULL);
}

static void
pg_bind_int64(struct cmp_db_stmt *s, int i, int64_t v)
{
	bind_owned(s, i, cmp_xasprintf("%lld", (long long)v));
}

static void
pg_bind_double(struct cmp_db_stmt *s, int i, double v)
{
	bind_owned(s, i, cmp_xasprintf("%.17g", v));
}

static void
pg_bind_text(struct cmp_db_stmt *s, int i, const char *v)
{
	bind_owned(s, i, v ? cmp_xstrdup(v) : NULL);
}

static void
pg_bind_text_owned(struct cmp_db_stmt *s, int i, char *v)
{
	bind_owned(s, i, v);
}

/* The next page of s's cursor in s->res. */
static int
fetch(struct cmp_db_stmt *s)
{
	char sql[48];
	int rc, want = s->fetch_rows ? s->fetch_rows : FETCH_ROWS;

	PQclear(s->res);
	snprintf(sql, sizeof(sql), "FETCH %d FROM %s", want, s->cursor);
	rc = cmp_pg_settle(s->db);
	s->res = rc ? NULL : exec_now(s->db, sql);
	if (rc || PQresultStatus(s->res) != PGRES_TUPLES_OK) {
		if (!rc)
			rc = cmp_pg_fail_of(s->db, s->res);
		PQclear(s->res);
		s->res = NULL;
		s->nrows = 0;
		return rc;
	}
	s->nrows = PQntuples(s->res);
	s->row = -1;
	s->last = s->nrows < want;
	s->fetch_rows = FETCH_CELLS / (PQnfields(s->res) ?
				       PQnfields(s->res) : 1);
	if (s->fetch_rows < FETCH_ROWS)
		s->fetch_rows = FETCH_ROWS;
	if (s->fetch_rows > FETCH_ROWS_MAX)
		s->fetch_rows = FETCH_ROWS_MAX;
	return 0;
}

/* Open s's cursor over its statement, with its parameters. */
static int
declare(struct cmp_db_stmt *s)
{
	const char *const *v = (const char *const *)s->values;
	char *sql = cmp_xasprintf("DECLARE %s NO SCROLL CURSOR WITH HOLD FOR "
				  "%s", s->cursor, s->sql);
	int rc = cmp_pg_settle(s->db);
	PGresult *r = NULL;

	if (!rc) {
		s->db->trips++;
		s->db->statements++;
		r = PQexecParams(s->db->conn, sql, s->nparams, NULL, v, NULL,
				 NULL, 0);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = cmp_pg_fail_of(s->db, r);
		else
			s->open = 1;
	}
	free(sql);
	PQclear(r);
	return rc ? rc : fetch(s);
}

static int
pg_step(struct cmp_db_stmt *s)
{
	int rc;

	if (!s->ran && s->cursor[0]) {
		s->ran = 1;
		if ((rc = declare(s)))
			return rc;
	} else if (!s->ran && s->defer) {
		s->ran = 1;
		s->nrows = 0;
		if ((rc = cmp_pg_defer(s)))
			return rc;
		return CMP_DB_DONE;
	} else if (!s->ran) {
		ExecStatusType st;

		s->ran = 1;
		s->row = -1;
		/* After what is held, with the deferred writes sent, if
		   any: one round trip. */
		if ((rc = cmp_pg_flush(s->db)) || (rc = cmp_pg_send(s)) ||
		    (rc = cmp_pg_sync(s->db, &s->res)))
			return rc;
		st = PQresultStatus(s->res);
		if (st == PGRES_COMMAND_OK) {
			const char *n = PQcmdTuples(s->res);

			s->db->changes = *n ? strtoll(n, NULL, 10) : 0;
			s->nrows = 0;
		} else if (st == PGRES_TUPLES_OK) {
			s->nrows = PQntuples(s->res);
		} else {
			rc = cmp_pg_fail_of(s->db, s->res);
			PQclear(s->res);
			s->res = NULL;
			return rc;
		}
	}
	if (++s->row < s->nrows)
		return CMP_DB_ROW;
	if (s->open && !s->last) {
		if ((rc = fetch(s)))
			return rc;
		if (++s->row < s->nrows)
			return CMP_DB_ROW;
	}
	s->row = s->nrows;
	return CMP_DB_DONE;
}

static int
in_row(struct cmp_db_stmt *s, int i)
{
	return s->res && s->row >= 0 && s->row < s->nrows &&
	       i >= 0 && i < PQnfields(s->res);
}

static int
pg_column_is_null(struct cmp_db_stmt *s, int i)
{
	return !in_row(s, i) || PQgetisnull(s->res, s->row, i);
}

static int64_t
pg_column_int64(struct cmp_db_stmt *s, int i)
{
	if (pg_column_is_null(s, i))
		return 0;
	return strtoll(PQgetvalue(s->res, s->row, i), NULL, 10);
}

static double
pg_column_double(struct cmp_db_stmt *s, int i)
{
	if (pg_column_is_null(s, i))
		return 0;
	return strtod(PQgetvalue(s->res, s->row, i), NULL);
}

static const char *
pg_column_text(struct cmp_db_stmt *s, int i, size_t *n)
{
	if (pg_column_is_null(s, i)) {
		if (n)
			*n = 0;
		return NULL;
	}
	if (n)
		*n = (size_t)PQgetlength(s->res, s->row, i);
	return PQgetvalue(s->res, s->row, i);
}

static int64_t
pg_changes(struct cmp_db *d)
{
	return d->changes;
}

/* ---- transactions ---- */

/* BEGIN, then the writers' lock: a writer waits for the one before it
   (up to lock_timeout, the busy timeout), and no two writers can hold
   row locks the other waits for, so none deadlock. */
static int
pg_lock(struct cmp_db *d)
{
	int rc = pg_exec(d, "BEGIN; SELECT pg_advisory_xact_lock("
			 WRITER_LOCK ")");

	if (rc && PQtransactionStatus(d->conn) != PQTRANS_IDLE) {
		char *msg = cmp_xstrdup(d->msg);

		pg_exec(d, "ROLLBACK");
		cmp_pg_set_msg(d, msg);
		free(msg);
	}
	return rc;
}

static int
pg_begin(struct cmp_db *d)
{
	return pg_lock(d);
}

/* Read only, one snapshot (REPEATABLE READ).  Inside it a cursor is
   run as it is fetched, not made whole at the implicit commit of its
   DECLARE, as in autocommit. */
static int
pg_read(struct cmp_db *d)
{
	return pg_exec(d, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
}

static int
pg_commit(struct cmp_db *d)
{
	int rc = cmp_pg_settle(d);

	if (rc) {
		char *msg = cmp_xstrdup(d->msg);

		pg_exec(d, "ROLLBACK");
		cmp_pg_set_msg(d, msg);
		free(msg);
		return rc;
	}
	if (PQtransactionStatus(d->conn) == PQTRANS_INERROR) {
		pg_exec(d, "ROLLBACK");
		return PG_ABORTED;
	}
	return pg_exec(d, "COMMIT");
}

/* Whatever the deferred writes came to, they are undone; those held
   are never sent. */
static int
pg_rollback(struct cmp_db *d)
{
	cmp_pg_discard(d);
	cmp_pg_settle(d);
	return pg_exec(d, "ROLLBACK");
}

static int
pg_in_transaction(struct cmp_db *d)
{
	PGTransactionStatusType t = PQtransactionStatus(d->conn);

	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR ||
	       t == PQTRANS_ACTIVE;
}

static int
pg_savepoint(struct cmp_db *d)
{
	return pg_exec(d, "SAVEPOINT record");
}

static int
pg_release(struct cmp_db *d)
{
	return pg_exec(d, "RELEASE SAVEPOINT record");
}

static int
pg_rollback_to(struct cmp_db *d)
{
	cmp_pg_discard(d);
	cmp_pg_settle(d);
	return pg_exec(d, "ROLLBACK TO SAVEPOINT record");
}

/* ---- schema version ---- */

/* The version is the one row of complaint_schema (none: 0). */
static int
pg_schema_version(struct cmp_db *d, int64_t *version)
{
	char buf[32];
	int rc;

	/*
	 * From pg_class itself, not to_regclass(): a name looked up in the
	 * server's caches stays missing for this session after another
	 * session created it, until the session next takes a lock on a
	 * table, and the writers' lock is not one.  Several programs
	 * opening a fresh database at once then took the schema the first
	 * of them made for another application's tables.
	 */
	*version = 0;
	if ((rc = query_value(d, "SELECT count(*) > 0 FROM pg_class c JOIN"
			      " pg_namespace n ON n.oid = c.relnamespace"
			      " WHERE n.nspname = current_schema()"
			      " AND c.relname = 'complaint_schema'",
			      buf, sizeof(buf))))
		return rc;
	if (strcmp(buf, "t"))
		return 0;
	if ((rc = query_value(d, "SELECT max(version) FROM complaint_schema",
			      buf, sizeof(buf))))
		return rc;
	*version = strtoll(buf, NULL, 10);
	return 0;
}

static int
pg_set_schema_version(struct cmp_db *d, int64_t version)
{
	char sql[200];

	snprintf(sql, sizeof(sql),
		 "CREATE TABLE IF NOT EXISTS complaint_schema"
		 " (version integer NOT NULL);"
		 " DELETE FROM complaint_schema;"
		 " INSERT INTO complaint_schema VALUES (%lld)",
		 (long long)version);
	return pg_exec(d, sql);
}

/* Tables or views in the schema we would create ours in: another
   application's database. */
static int
pg_foreign(struct cmp_db *d, const char *path, struct cmp_error *e)
{
	char buf[32];
	int rc;

	if ((rc = query_value(d, "SELECT count(*) FROM pg_class c JOIN"
			      " pg_namespace n ON n.oid = c.relnamespace"
			      " WHERE n.nspname = current_schema()"
			      " AND c.relkind IN ('r', 'v', 'm', 'p', 'f')",
			      buf, sizeof(buf))))
		return pg_error(d, rc, path, e);
	if (strtoll(buf, NULL, 10) > 0)
		return cmp_error_set(e, CMP_EX_IOERR, NULL,
				     "'%s' is a PostgreSQL database, but not "
				     "a complaint store (it holds other "
				     "tables)", path);
	return 0;
}

/* ---- bulk loads and the text index ---- */

/* The server keeps the GIN index as rows come; a load needs nothing
   of its own. */
static int
pg_bulk(struct cmp_db *d, int on)
{
	(void)d;
	(void)on;
	return 0;
}

static int
pg_text_index(struct cmp_db *d, int64_t from)
{
	(void)d;
	(void)from;
	return 0;
}

/* No function of the program's can run on the server: the dialect
   computes in SQL what SQLite calls back for (`bucket`). */
static int
pg_function(struct cmp_db *d, const char *name,
	    long (*fn)(const void *arg, const char *text), const void *arg)
{
	(void)name;
	(void)arg;
	if (!fn)
		return 0;
	cmp_pg_set_msg(d, "SQL functions of the program");
	return PG_UNSUPPORTED;
}

/* ---- open and close ---- */

static void
no_notices(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/*
 * What a store on a server must have to behave as the same store: a
 * UTF-8 LC_CTYPE (pg_trgm indexes no Chinese text under C), and
 * pg_trgm, created here if this role may.
 */
static int
check_database(struct cmp_db *d, const char *path, struct cmp_error *e)
{
	char row[136] = "", *ctype = row + 2, has[8];
	int rc;

	/* "p:ctype", p the locale provider (datlocprovider, PostgreSQL 15
	   on; before, libc's alone). */
	if ((rc = query_value(d, "SELECT coalesce(to_jsonb(d) ->>"
			      " 'datlocprovider', 'c') || ':' || datctype"
			      " FROM pg_database d"
			      " WHERE datname = current_database()",
			      row, sizeof(row))))
		return pg_error(d, rc, path, e);
	/*
	 * ICU lowers a letter by its context (a final sigma), so ILIKE,
	 * with which the trigram indexes narrow a text search, could miss
	 * a complaint that the search, A to Z folded, matches.
	 */
	if (row[0] == 'i')
		return cmp_error_set(e, CMP_EX_CONFIG, NULL,
				     "store '%s': the database's locale "
				     "provider is ICU (the text index would "
				     "miss complaints); create it with "
				     "CREATE DATABASE ... TEMPLATE template0 "
				     "ENCODING 'UTF8' LOCALE_PROVIDER libc "
				     "LOCALE 'C.UTF-8'", path);
	if (!strcasestr(ctype, "utf8") && !strcasestr(ctype, "utf-8"))
		return cmp_error_set(e, CMP_EX_CONFIG, NULL,
				     "store '%s': the database's LC_CTYPE is "
				     "'%s', not UTF-8 (the text index would "
				     "miss Chinese text); create it with "
				     "CREATE DATABASE ... TEMPLATE template0 "
				     "ENCODING 'UTF8' LOCALE 'C.UTF-8'",
				     path, ctype);
	if ((rc = query_value(d, "SELECT count(*) FROM pg_extension"
			      " WHERE extname = 'pg_trgm'", has,
			      sizeof(has))))
		return pg_error(d, rc, path, e);
	if (strcmp(has, "0"))
		return 0;
	if ((rc = pg_exec(d, "CREATE EXTENSION IF NOT EXISTS pg_trgm")))
		return cmp_error_set(e, CMP_EX_CONFIG, NULL,
				     "store '%s': the database has no "
				     "pg_trgm extension and this role cannot "
				     "create it (%s); run CREATE EXTENSION "
				     "pg_trgm; in it as its owner or a "
				     "superuser", path, d->msg);
	return 0;
}

static int
pg_open(struct cmp_db **out, const char *path, int busy_ms,
	struct cmp_error *e)
{
	struct cmp_db *d;
	char sql[200], *shown = cmp_pg_display(path);
	int rc, ret;

	if ((ret = cmp_pq_load(shown, e))) {
		free(shown);
		return ret;
	}
	*out = d = cmp_xcalloc(1, sizeof(*d));
	/* "postgresql:" alone: everything from PGHOST, PGSERVICE... */
	d->conn = PQconnectdb(!strcmp(path, "postgresql:") ||
			      !strcmp(path, "postgres:") ? "" : path);
	if (PQstatus(d->conn) != CONNECTION_OK) {
		cmp_pg_set_msg(d, PQerrorMessage(d->conn));
		ret = pg_error(d, PG_CONNECT, shown, e);
		free(shown);
		return ret;
	}
	PQsetNoticeProcessor(d->conn, no_notices, NULL);
	/* lock_timeout 0 would wait for ever: a zero busy timeout is
	   "do not wait", as close as the server comes.  A commit is on
	   disk before its records are printed, whatever the server's
	   default (synchronous_commit off loses the last commits when the
	   server stops).  No JIT: our statements read by index and
	   compute little, but on a large store their estimated cost
	   passes jit_above_cost and the compiling took longer than the
	   query (tests/bench/RESULTS.md).  A cursor planned for all its
	   rows: ours are read to the end, and planned for their first
	   tenth (the default) a filtered listing walked the whole table in
	   the order of the ids rather than find its rows by index and sort
	   them. */
	snprintf(sql, sizeof(sql),
		 "SET lock_timeout = %d; SET client_encoding = 'UTF8';"
		 " SET application_name = 'complaint';"
		 " SET synchronous_commit = on; SET jit = off;"
		 " SET cursor_tuple_fraction = 1",
		 busy_ms > 0 ? busy_ms : 1);
	if ((rc = pg_exec(d, sql)))
		ret = pg_error(d, rc, shown, e);
	else
		ret = check_database(d, shown, e);
	free(shown);
	return ret;
}

static void
pg_close(struct cmp_db *d)
{
	const char *trace = getenv("CMP_PG_TRACE");
	FILE *fp;

	if (!d)
		return;
	if (trace && *trace && (fp = fopen(trace, "a"))) {
		fprintf(fp, "%lu round trips, %lu statements\n", d->trips,
			d->statements);
		fclose(fp);
	}
	PQfinish(d->conn);
	cmp_pg_defer_free(d);
	free(d->msg);
	free(d);
}

const struct cmp_backend cmp_backend_pg = {
	.name = "postgresql",
	.dialect = &cmp_pg_dialect,
	.open = pg_open,
	.close = pg_close,
	.error = pg_error,
	.display = cmp_pg_display,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.reset = pg_reset,
	.finalize = pg_finalize,
	.bind_null = pg_bind_null,
	.bind_int64 = pg_bind_int64,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.bind_text_owned = pg_bind_text_owned,
	.step = pg_step,
	.column_is_null = pg_column_is_null,
	.column_int64 = pg_column_int64,
	.column_double = pg_column_double,
	.column_text = pg_column_text,
	.changes = pg_changes,
	.begin = pg_begin,
	.lock = pg_lock,
	.read = pg_read,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.in_transaction = pg_in_transaction,
	.savepoint = pg_savepoint,
	.release = pg_release,
	.rollback_to = pg_rollback_to,
	.schema_version = pg_schema_version,
	.set_schema_version = pg_set_schema_version,
	.foreign = pg_foreign,
	.bulk = pg_bulk,
	.text_index = pg_text_index,
	.function = pg_function,
};
