/*
 * backend_pg_defer.c - the PostgreSQL backend's deferred writes (those
 * prepared with CMP_DB_DEFER, whose result nobody reads), and the
 * server's failures as the backend's codes (enum pg_fail).
 *
 * A deferred write is only sent, in libpq's pipeline mode: it travels
 * to the server with the next statement that waits for an answer, and
 * their results come back together, one round trip for them all.
 *
 * A bulk load's INSERTs of whole rows go with COPY instead: the server
 * starts one statement for many rows, where each INSERT costs it a
 * statement's start (the table and all its indexes opened) for one row.
 * Such an INSERT (INSERT INTO t (columns) VALUES ($1, ..., $n), nothing
 * after it) is held, and so is every deferred write after it (a tag's
 * INSERT ... ON CONFLICT, a sequence's setval), which may need its row,
 * until anything else is to reach the server (cmp_pg_flush: settle, a
 * statement sent).  A few rows then go in the pipeline as they would
 * have; COPY_MIN rows or more go with COPY, a table at a time, the
 * tables the others refer to first, and what was held behind them is
 * sent in the pipeline after them, as are the rows of a table where
 * COPY would not do what INSERT does (check_tables).  A rollback drops
 * what is held.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "complaint.h"
#include "backend_pg_impl.h"
#include "backend_pg_text.h"
#include "util.h"

/* At most this many deferred writes wait for their results: what the
   server answers meanwhile stays far below a socket's buffer, which a
   client that writes without reading must not let fill. */
#define QUEUE_MAX 256

/* A COPY costs two round trips of its own (the server answers its
   start, then its end): below this many rows held, the pipeline's
   INSERTs, which share a round trip, cost less. */
#define COPY_MIN 64

/* What is held and buffered is sent at this size, whatever comes next:
   a load of any length takes bounded memory. */
#define COPY_BYTES ((size_t)4 << 20)

/* The pieces PQputCopyData is given (rows may straddle them). */
#define COPY_CHUNK 65536

/* The order of the COPYs: the rows the others refer to (complaint(id))
   are on the server before those that refer to them. */
static const char *const copy_order[] = {
	"complaint", "followup", "journal_entry"
};
#define RANK_OTHER ((int)CMP_ARRAY_LEN(copy_order))

/* ---- failures ---- */

void
cmp_pg_set_msg(struct cmp_db *d, const char *msg)
{
	size_t n;

	free(d->msg);
	d->msg = cmp_xstrdup(msg ? msg : "");
	n = strlen(d->msg);
	while (n && (d->msg[n - 1] == '\n' || d->msg[n - 1] == ' '))
		d->msg[--n] = '\0';
}

int
cmp_pg_fail_of(struct cmp_db *d, PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)
			      : NULL;

	/* The primary message alone, one line as SQLite's: not "ERROR:"
	   and the CONTEXT of a trigger's function. */
	cmp_pg_set_msg(d, primary ? primary : r ? PQresultErrorMessage(r) :
		       PQerrorMessage(d->conn));
	if (!*d->msg)
		cmp_pg_set_msg(d, PQerrorMessage(d->conn));
	if (PQstatus(d->conn) == CONNECTION_BAD || !state)
		return PG_GONE;
	if (!strcmp(state, "55P03") || !strcmp(state, "40P01") ||
	    !strcmp(state, "40001") || !strcmp(state, "57014"))
		return PG_BUSY;
	/* 25P03: the server ended a session idle in its transaction
	   longer than idle_in_transaction_session_timeout (a listing
	   waiting on its reader): the connection is gone. */
	if (!strncmp(state, "08", 2) || !strncmp(state, "57P", 3) ||
	    !strcmp(state, "25P03"))
		return PG_GONE;
	if (!strcmp(state, "25006") || !strcmp(state, "42501"))
		return PG_READONLY;
	/* A trigger's RAISE EXCEPTION (raise_exception) is the database
	   refusing the change, as SQLite's RAISE(ABORT) is a constraint. */
	if (!strncmp(state, "23", 2) || !strcmp(state, "P0001"))
		return PG_CONSTRAINT;
	if (!strcmp(state, "53100"))
		return PG_FULL;
	return PG_OTHER;
}

/* ---- the pipeline ---- */

static int
send_params(struct cmp_db *d, const char *name, const char *sql,
	    int nparams, char *const *values)
{
	const char *const *v = (const char *const *)values;
	int ok;

	if (PQpipelineStatus(d->conn) == PQ_PIPELINE_OFF &&
	    !PQenterPipelineMode(d->conn))
		return cmp_pg_fail_of(d, NULL);
	if (name && *name)
		ok = PQsendQueryPrepared(d->conn, name, nparams, v, NULL, NULL,
					 0);
	else
		ok = PQsendQueryParams(d->conn, sql, nparams, NULL, v, NULL,
				       NULL, 0);
	d->statements++;
	return ok ? 0 : cmp_pg_fail_of(d, NULL);
}

int
cmp_pg_send(struct cmp_db_stmt *s)
{
	return send_params(s->db, s->name, s->sql, s->nparams, s->values);
}

/*
 * One round trip for the deferred writes sent and, when last is not
 * NULL, the statement sent after them, whose result is *last (NULL if
 * anything failed).  Returns the first failure.  A deferred write the
 * server refuses is no fault of what the caller does now: the store's
 * failure (70), not a constraint of its input (65), as cmp_add's
 * writes after validation are.  The connection leaves pipeline mode,
 * for the synchronous calls.
 */
int
cmp_pg_sync(struct cmp_db *d, PGresult **last)
{
	int n = d->queued + (last != NULL), rc = 0;

	d->queued = 0;
	if (last)
		*last = NULL;
	if (!PQpipelineSync(d->conn))
		return cmp_pg_fail_of(d, NULL);
	d->trips++;
	for (int i = 0; i < n; i++) {
		PGresult *r = PQgetResult(d->conn), *rest;

		if (!r) {
			if (!rc)
				rc = cmp_pg_fail_of(d, NULL);
			break;
		}
		/* PIPELINE_ABORTED: skipped after the failure that is
		   the cause. */
		if (PQresultStatus(r) == PGRES_FATAL_ERROR && !rc) {
			rc = cmp_pg_fail_of(d, r);
			if (rc == PG_CONSTRAINT && (!last || i < n - 1))
				rc = PG_OTHER;
		}
		if (last && i == n - 1 && !rc)
			*last = r;
		else
			PQclear(r);
		while ((rest = PQgetResult(d->conn)))
			PQclear(rest);
	}
	for (PGresult *r; (r = PQgetResult(d->conn));) {
		ExecStatusType st = PQresultStatus(r);

		PQclear(r);
		if (st == PGRES_PIPELINE_SYNC)
			break;
	}
	if (!PQexitPipelineMode(d->conn) && !rc)
		rc = cmp_pg_fail_of(d, NULL);
	if (rc && last) {
		PQclear(*last);
		*last = NULL;
	}
	return rc;
}

/* A deferred write was sent: its result is read with the next round
   trip, or now if QUEUE_MAX wait. */
static int
sent(struct cmp_db *d)
{
	return ++d->queued >= QUEUE_MAX ? cmp_pg_sync(d, NULL) : 0;
}

/* Out of pipeline mode, its results read (0 or the first failure), for
   what may not be pipelined: a question of our own, COPY. */
static int
leave_pipeline(struct cmp_db *d)
{
	if (d->queued)
		return cmp_pg_sync(d, NULL);
	if (PQpipelineStatus(d->conn) != PQ_PIPELINE_OFF &&
	    !PQexitPipelineMode(d->conn))
		return cmp_pg_fail_of(d, NULL);
	return 0;
}

int
cmp_pg_settle(struct cmp_db *d)
{
	int rc = cmp_pg_flush(d);

	if (rc)
		return rc;
	return d->queued ? cmp_pg_sync(d, NULL) : 0;
}

/* ---- what COPY can take ---- */

static const char *
skip_blank(const char *p)
{
	while (*p == ' ')
		p++;
	return p;
}

/* Past the unquoted name at p (p itself: none). */
static const char *
skip_name(const char *p)
{
	if (!isalpha((unsigned char)*p) && *p != '_')
		return p;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	return p;
}

int
cmp_pg_copy_table(struct cmp_db *d, const char *sql, int nparams)
{
	struct pg_defer *q = &d->defer;
	const char *p, *table, *end;
	int ncols = 0, n = 0, rank;
	size_t len;

	if (strncmp(sql, "INSERT INTO ", 12))
		return -1;
	table = p = skip_blank(sql + 12);
	if ((p = skip_name(p)) == table)
		return -1;
	len = (size_t)(p - table);
	p = skip_blank(p);
	if (*p++ != '(')
		return -1;
	for (;;) {
		const char *col = p = skip_blank(p);

		if ((p = skip_name(p)) == col)
			return -1;
		ncols++;
		p = skip_blank(p);
		if (*p == ')')
			break;
		if (*p++ != ',')
			return -1;
	}
	end = ++p;
	p = skip_blank(p);
	if (strncmp(p, "VALUES", 6))
		return -1;
	p = skip_blank(p + 6);
	if (*p++ != '(')
		return -1;
	/* Its parameters alone, each once, in order: a row as bound. */
	for (;;) {
		char *e;

		p = skip_blank(p);
		if (*p++ != '$' || !isdigit((unsigned char)*p) ||
		    strtol(p, &e, 10) != ++n)
			return -1;
		p = skip_blank(e);
		if (*p == ')')
			break;
		if (*p++ != ',')
			return -1;
	}
	/* Nothing after: no ON CONFLICT, no RETURNING. */
	if (*skip_blank(p + 1) || n != ncols || n != nparams)
		return -1;
	for (int t = 0; t < q->ntables; t++)
		if (strlen(q->tables[t].target) == (size_t)(end - table) &&
		    !strncmp(q->tables[t].target, table, (size_t)(end - table)))
			return t;
	for (rank = 0; rank < RANK_OTHER; rank++)
		if (strlen(copy_order[rank]) == len &&
		    !strncmp(copy_order[rank], table, len))
			break;
	q->tables = cmp_xrealloc(q->tables, ((size_t)q->ntables + 1) *
				 sizeof(*q->tables));
	q->tables[q->ntables].target = cmp_xstrndup(table,
						    (size_t)(end - table));
	q->tables[q->ntables].rank = rank;
	cmp_buf_init(&q->tables[q->ntables].rows);
	q->tables[q->ntables].nrows = 0;
	q->tables[q->ntables].checked = q->tables[q->ntables].allowed = 0;
	return q->ntables++;
}

/* ---- held and buffered ---- */

/* One row at the end of table t's, in COPY's text format: tabs between
   the values, \N for null, the backslash, tab, newline and carriage
   return escaped. */
static void
add_row(struct pg_defer *q, int t, int nparams, char *const *values)
{
	struct cmp_buf *b = &q->tables[t].rows;
	size_t before = b->len;

	for (int i = 0; i < nparams; i++) {
		const char *v = values[i];

		if (i)
			cmp_buf_addc(b, '\t');
		if (!v) {
			cmp_buf_add(b, "\\N", 2);
			continue;
		}
		for (;;) {
			size_t span = strcspn(v, "\\\t\n\r");

			cmp_buf_add(b, v, span);
			v += span;
			if (!*v)
				break;
			cmp_buf_addc(b, '\\');
			cmp_buf_addc(b, *v == '\t' ? 't' : *v == '\n' ? 'n' :
				     *v == '\r' ? 'r' : '\\');
			v++;
		}
	}
	cmp_buf_addc(b, '\n');
	q->tables[t].nrows++;
	q->bytes += b->len - before;
}

/* What h holds, counted towards COPY_BYTES. */
static size_t
held_bytes(const struct pg_held *h)
{
	size_t n = sizeof(*h) + (h->sql ? strlen(h->sql) : 0);

	for (int i = 0; i < h->nparams; i++)
		n += h->values[i] ? strlen(h->values[i]) + 1 : 0;
	return n;
}

/* s held back as it is bound, to be sent later. */
static void
hold(struct cmp_db_stmt *s)
{
	struct pg_defer *q = &s->db->defer;
	struct pg_held *h;

	if (q->nheld == q->held_size) {
		q->held_size = q->held_size ? 2 * q->held_size : 64;
		q->held = cmp_xrealloc(q->held, q->held_size *
				       sizeof(*q->held));
	}
	h = &q->held[q->nheld++];
	h->name = s->name[0] ? cmp_xstrdup(s->name) : NULL;
	h->sql = h->name ? NULL : cmp_xstrdup(s->sql);
	h->nparams = s->nparams;
	h->values = cmp_xcalloc((size_t)s->nparams + 1, sizeof(char *));
	h->table = s->copy;
	for (int i = 0; i < s->nparams; i++)
		h->values[i] = cmp_xstrdup(s->values[i]);
	q->bytes += held_bytes(h);
	if (h->table >= 0)
		q->held_rows++;
}

static void
free_held(struct pg_held *h)
{
	for (int i = 0; i < h->nparams; i++)
		free(h->values[i]);
	free(h->values);
	free(h->name);
	free(h->sql);
}

/*
 * Whether COPY into each table met so far does what the INSERTs it
 * stands for would, asked once a connection, when rows would first go
 * with COPY: not where a DBA has made it otherwise.  Row-level security
 * refuses COPY FROM, COPY applies no rule on INSERT, and a
 * statement-level INSERT trigger fires once a COPY, not once a row.
 * Those tables' rows go as INSERTs.  The pipeline's results are read
 * first: a deferred write refused is this step's failure.
 */
static int
check_tables(struct cmp_db *d)
{
	struct pg_defer *q = &d->defer;
	int rc = 0;

	for (int t = 0; t < q->ntables && !rc; t++) {
		struct pg_copy_table *c = &q->tables[t];
		char sql[640];
		PGresult *r;

		if (c->checked)
			continue;
		if ((rc = leave_pipeline(d)))
			break;
		snprintf(sql, sizeof(sql), "SELECT NOT (c.relrowsecurity"
			 " OR EXISTS (SELECT 1 FROM pg_rewrite r WHERE"
			 " r.ev_class = c.oid AND r.ev_type = '3')"
			 " OR EXISTS (SELECT 1 FROM pg_trigger g WHERE"
			 " g.tgrelid = c.oid AND NOT g.tgisinternal AND"
			 " (g.tgtype & 1) = 0 AND (g.tgtype & 4) <> 0))"
			 " FROM pg_class c WHERE c.oid = to_regclass('%.*s')",
			 (int)strcspn(c->target, " ("), c->target);
		d->trips++;
		d->statements++;
		r = PQexec(d->conn, sql);
		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			rc = cmp_pg_fail_of(d, r);
		else
			c->allowed = PQntuples(r) == 1 &&
				     !strcmp(PQgetvalue(r, 0, 0), "t");
		c->checked = !rc;
		PQclear(r);
	}
	return rc;
}

/* Enough rows for COPY: those held go to their tables' text, the rest
   stay held, in their order. */
static void
start_copying(struct pg_defer *q)
{
	size_t kept = 0;

	for (size_t i = 0; i < q->nheld; i++) {
		struct pg_held *h = &q->held[i];

		if (h->table < 0 || !q->tables[h->table].allowed) {
			q->held[kept++] = *h;
			continue;
		}
		/* Counted again as its table's text. */
		q->bytes -= held_bytes(h);
		add_row(q, h->table, h->nparams, h->values);
		free_held(h);
	}
	q->nheld = kept;
	q->held_rows = 0;
	q->copying = 1;
}

int
cmp_pg_defer(struct cmp_db_stmt *s)
{
	struct cmp_db *d = s->db;
	struct pg_defer *q = &d->defer;
	int rc;

	if (s->copy >= 0 && q->copying && q->tables[s->copy].allowed) {
		add_row(q, s->copy, s->nparams, s->values);
	} else if (s->copy >= 0 || q->nheld || q->copying) {
		hold(s);
		if (!q->copying && q->held_rows >= COPY_MIN) {
			if ((rc = check_tables(d)))
				return rc;
			start_copying(q);
		}
	} else {
		/* Nothing held: it may go now. */
		if ((rc = cmp_pg_send(s)))
			return rc;
		return sent(d);
	}
	return q->bytes >= COPY_BYTES ? cmp_pg_flush(d) : 0;
}

/* ---- COPY ---- */

/* A COPY's failure: as a deferred write's in cmp_pg_sync. */
static int
copy_fail(struct cmp_db *d, PGresult *r)
{
	int rc = cmp_pg_fail_of(d, r);

	return rc == PG_CONSTRAINT ? PG_OTHER : rc;
}

static int
copy_table(struct cmp_db *d, struct pg_copy_table *t)
{
	char *sql = cmp_xasprintf("COPY %s FROM STDIN", t->target);
	PGresult *r;
	int rc = 0;

	/* Each row counted as the statement it stands for. */
	d->trips++;
	d->statements += t->nrows;
	r = PQexec(d->conn, sql);
	free(sql);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		rc = copy_fail(d, r);
		PQclear(r);
		return rc;
	}
	PQclear(r);
	for (size_t off = 0; off < t->rows.len && !rc; off += COPY_CHUNK) {
		size_t n = t->rows.len - off;

		if (PQputCopyData(d->conn, t->rows.s + off,
				  (int)(n < COPY_CHUNK ? n : COPY_CHUNK)) != 1)
			rc = copy_fail(d, NULL);
	}
	/* Ended even after a failure: the connection leaves COPY. */
	if (PQputCopyEnd(d->conn, rc ? "the client failed" : NULL) != 1 &&
	    !rc)
		rc = copy_fail(d, NULL);
	d->trips++;
	while ((r = PQgetResult(d->conn))) {
		ExecStatusType st = PQresultStatus(r);

		if (st != PGRES_COMMAND_OK && !rc)
			rc = copy_fail(d, st == PGRES_COPY_IN ? NULL : r);
		PQclear(r);
		/* Still in COPY: the end was never sent (the connection
		   broke); the next PQexec ends it. */
		if (st == PGRES_COPY_IN)
			break;
	}
	return rc;
}

/* The rows buffered, a COPY a table, after what the pipeline holds:
   COPY is not allowed in pipeline mode. */
static int
copy_all(struct cmp_db *d)
{
	struct pg_defer *q = &d->defer;
	int rc = leave_pipeline(d);

	for (int rank = 0; rank <= RANK_OTHER && !rc; rank++)
		for (int t = 0; t < q->ntables && !rc; t++)
			if (q->tables[t].rank == rank && q->tables[t].nrows)
				rc = copy_table(d, &q->tables[t]);
	return rc;
}

int
cmp_pg_flush(struct cmp_db *d)
{
	struct pg_defer *q = &d->defer;
	int rc = 0;

	if (!q->nheld && !q->copying)
		return 0;
	if (q->copying)
		rc = copy_all(d);
	for (size_t i = 0; i < q->nheld && !rc; i++) {
		struct pg_held *h = &q->held[i];

		if (!(rc = send_params(d, h->name, h->sql, h->nparams,
				       h->values)))
			rc = sent(d);
	}
	cmp_pg_discard(d);
	return rc;
}

void
cmp_pg_discard(struct cmp_db *d)
{
	struct pg_defer *q = &d->defer;

	for (size_t i = 0; i < q->nheld; i++)
		free_held(&q->held[i]);
	q->nheld = q->held_rows = 0;
	q->copying = 0;
	q->bytes = 0;
	for (int t = 0; t < q->ntables; t++) {
		cmp_buf_reset(&q->tables[t].rows);
		q->tables[t].nrows = 0;
	}
}

void
cmp_pg_defer_free(struct cmp_db *d)
{
	struct pg_defer *q = &d->defer;

	cmp_pg_discard(d);
	for (int t = 0; t < q->ntables; t++) {
		free(q->tables[t].target);
		cmp_buf_release(&q->tables[t].rows);
	}
	free(q->tables);
	free(q->held);
	memset(q, 0, sizeof(*q));
}
