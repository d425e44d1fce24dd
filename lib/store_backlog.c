/*
 * store_backlog.c - the complaints open at a moment, with their
 * deadlines (cmp-report's backlog and overdue list): those open now,
 * and those open then and closed since, each with the status it had.
 */
#include <stdlib.h>
#include <string.h>

#include "complaint.h"
#include "record.h"
#include "store_impl.h"

/* How many complaints are open now that were received before `at`,
   from the index of the open alone. */
static int
report_open_count(struct cmp_store *st, cmp_time at, int64_t *n,
		  struct cmp_error *e)
{
	struct cmp_db_stmt *s;
	int rc, ret;

	*n = 0;
	if ((ret = cmp_report_prepare(st, "SELECT count(*) FROM complaint"
				      "{INDEXED BY complaint_open} WHERE"
				      " " CMP_OPEN_WHERE("")
				      " AND received_at < ?1", &s, e)))
		return ret;
	cmp_row_bind_time(st->be, s, 1, at);
	if ((rc = st->be->step(s)) == CMP_DB_ROW)
		*n = st->be->column_int64(s, 0);
	return cmp_report_finish(st, s, rc, 0, e);
}

/* When complaint id last began to wait before `at`, from its status
   changes (0: never); *w is prepared on the first call. */
static int
report_waiting_since(struct cmp_store *st, struct cmp_db_stmt **w,
		     int64_t id, cmp_time at, cmp_time *since,
		     struct cmp_error *e)
{
	int rc, ret;

	*since = 0;
	if (!*w && (ret = cmp_store_prepare(st, "SELECT max(at) FROM"
					    " journal_entry{INDEXED BY"
					    " journal_status} WHERE"
					    " complaint_id = ?1 AND field ="
					    " 'status' AND new = 'waiting'"
					    " AND at < ?2", 0, w, e)))
		return ret;
	st->be->reset(*w, 1);
	st->be->bind_int64(*w, 1, id);
	cmp_row_bind_time(st->be, *w, 2, at);
	if ((rc = st->be->step(*w)) == CMP_DB_ROW)
		*since = cmp_row_column_time(st->be, *w, 0);
	return cmp_store_finish(st, rc == CMP_DB_ROW ? CMP_DB_DONE : rc, e);
}

/* The backlog's pass: its rows go through open_row to fn. */
struct open_pass {
	struct cmp_store *st;
	cmp_time at;
	struct cmp_status_changes *ch;	/* the changes since at, held;
					   NULL: looked up */
	struct cmp_db_stmt *w;		/* report_waiting_since's */
	cmp_report_open_fn fn;
	void *arg;
};

#define OPEN_COLUMNS " c.id, c.status, c.waiting_since," \
	" c.due_ack, c.acknowledged_at, c.due_reply, c.replied_at," \
	" c.due_resolve, c.resolution_resolved_at"

/* A row of OPEN_COLUMNS (held: the status now, and whether the
   complaint counts at all; else the status at `at` and, waiting then,
   since when) to fn, if open at `at`. */
static int
open_row(struct open_pass *o, struct cmp_db_stmt *s, struct cmp_error *e)
{
	struct cmp_store *st = o->st;
	struct cmp_report_open_row r;
	const char *now;
	int col = 0, ret;

	r.id = st->be->column_int64(s, col++);
	now = r.status = st->be->column_text(s, col++, NULL);
	r.waiting_since = cmp_row_column_time(st->be, s, col++);
	for (int k = 0; k < CMP_DL_COUNT; k++) {
		r.due[k] = cmp_row_column_time(st->be, s, col++);
		r.met[k] = cmp_row_column_time(st->be, s, col++);
	}
	if (!o->ch)
		return o->fn(o->arg, &r);
	cmp_changes_mark(o->ch, r.id);
	if (!st->be->column_int64(s, col))
		return 0;
	r.status = cmp_changes_status_at(o->ch, r.id, o->at, now);
	if (!cmp_status_open(r.status))
		return 0;
	if (strcmp(r.status, "waiting"))
		r.waiting_since = 0;
	else if ((strcmp(now, "waiting") || !r.waiting_since ||
		  r.waiting_since >= o->at) &&
		 (ret = report_waiting_since(st, &o->w, r.id, o->at,
					     &r.waiting_since, e)))
		return ret;
	return o->fn(o->arg, &r);
}

/* Held: the complaints open at `at` and not now, those whose first
   change since was from an open status (the rows of the open now
   marked them), read a page of ids a statement, in the order of the
   ids. */
static int
open_then(struct open_pass *o, cmp_time as_of, struct cmp_error *e)
{
	struct cmp_store *st = o->st;
	struct cmp_buf sql = CMP_BUF_INIT;
	struct cmp_db_stmt *s;
	size_t n;
	int64_t *ids = cmp_changes_open_at(o->ch, o->at, &n);
	int rc = CMP_DB_DONE, ret;

	if (!n)
		return 0;
	cmp_buf_adds(&sql, "SELECT" OPEN_COLUMNS ", 1 FROM complaint c"
		     " WHERE c.received_at < ?1 AND c.created_at <= ?2"
		     " AND c.id IN (");
	for (int i = 0; i < CMP_STORE_PAGE; i++)
		cmp_buf_addf(&sql, "%s?%d", i ? ", " : "", i + 3);
	cmp_buf_addc(&sql, ')');
	ret = cmp_store_prepare(st, sql.s, 0, &s, e);
	cmp_buf_release(&sql);
	if (ret) {
		free(ids);
		return ret;
	}
	for (size_t from = 0; !ret && from < n; from += CMP_STORE_PAGE) {
		st->be->reset(s, 1);
		cmp_row_bind_time(st->be, s, 1, o->at);
		cmp_report_bind_time(st, s, 2, as_of);
		for (size_t i = 0; i < CMP_STORE_PAGE; i++)
			if (from + i < n)
				st->be->bind_int64(s, (int)i + 3, ids[from + i]);
			else
				st->be->bind_null(s, (int)i + 3);
		while ((rc = st->be->step(s)) == CMP_DB_ROW)
			if ((ret = open_row(o, s, e)))
				break;
		if (!ret && rc != CMP_DB_DONE)
			ret = cmp_store_finish(st, rc, e);
	}
	free(ids);
	st->be->finalize(s);
	return ret;
}

int
cmp_store_report_open(struct cmp_store *st, cmp_time at, cmp_time as_of,
		      cmp_report_open_fn fn, void *arg, struct cmp_error *e)
{
	struct open_pass o = {st, at, NULL, NULL, fn, arg};
	struct cmp_buf sql = CMP_BUF_INIT;
	struct cmp_db_stmt *s;
	int64_t n;
	int rc, ret;

	/*
	 * Open at `at`: open now (read from the index of open complaints
	 * alone), or changed since from an open status and not open now.
	 * For each, the status at `at` is what its first change at or
	 * after `at` left, else its status now.  When there are not many
	 * more changes since `at` than open complaints (a period near
	 * now), or the store holds them already (the deadlines read them
	 * from the period's start), the changes are held in memory
	 * (cmp_changes_hold): the statuses are found there; every
	 * complaint open now is read from the index (marking its changes
	 * as accounted for, whether or not it counts), then those that
	 * were open and are not now, by id (open_then).  Else one
	 * statement finds them from the index of fields by time (less the
	 * open ones: only those are read from the table) and looks each
	 * status up in the covering index journal_status, in the order of
	 * the ids (those of the open are sorted first: the lookups then
	 * read its pages in order, not one random page each).  {NO
	 * FLATTEN} (SQLite's LIMIT -1) keeps the lookup from being copied
	 * into the outer WHERE (it ran twice a row).  When it began to
	 * wait is looked up only for a complaint waiting then that is
	 * not, now, in the wait it began before.
	 */
	if (!(o.ch = cmp_changes_held(st, at)) &&
	    ((ret = report_open_count(st, at, &n, e)) ||
	     (ret = cmp_changes_hold(st, at, n, &o.ch, e))))
		return ret;
	if (o.ch)
		cmp_buf_adds(&sql, "SELECT" OPEN_COLUMNS ", CASE WHEN"
			     " c.received_at < ?1 AND c.created_at <= ?2 THEN 1"
			     " ELSE 0 END FROM complaint c{INDEXED BY"
			     " complaint_open} WHERE " CMP_OPEN_WHERE("c."));
	else
		cmp_buf_adds(&sql, "WITH oc AS MATERIALIZED (SELECT"
			     OPEN_COLUMNS " FROM complaint c{INDEXED BY"
			     " complaint_open} WHERE " CMP_OPEN_WHERE("c.")
			     " AND c.received_at < ?1 AND c.created_at <= ?2"
			     " ORDER BY c.id) SELECT id, status_then,"
			     " CASE WHEN status_then = 'waiting' THEN CASE"
			     " WHEN status = 'waiting' AND waiting_since < ?1"
			     " THEN waiting_since ELSE (SELECT max(j.at) FROM"
			     " journal_entry j{INDEXED BY journal_status}"
			     " WHERE j.complaint_id = o.id AND j.field ="
			     " 'status' AND j.new = 'waiting' AND j.at < ?1)"
			     " END END, due_ack, acknowledged_at, due_reply,"
			     " replied_at, due_resolve, resolution_resolved_at"
			     " FROM (SELECT c.*, " CMP_REPORT_STATUS_AT("?1")
			     " AS status_then FROM oc c UNION ALL SELECT"
			     OPEN_COLUMNS ", " CMP_REPORT_STATUS_AT("?1")
			     " FROM complaint c WHERE c.id IN (SELECT"
			     " complaint_id FROM journal_entry{INDEXED BY"
			     " journal_field_at} WHERE field = 'status' AND "
			     CMP_REPORT_FIELDS("") " AND at >= ?1"
			     " AND coalesce(old, new) IN " CMP_REPORT_OPEN
			     " EXCEPT SELECT id FROM complaint{INDEXED BY"
			     " complaint_open} WHERE " CMP_OPEN_WHERE("") ")"
			     " AND c.received_at < ?1"
			     " AND c.created_at <= ?2{NO FLATTEN}) o"
			     " WHERE status_then IN " CMP_REPORT_OPEN);
	ret = cmp_report_prepare(st, sql.s, &s, e);
	cmp_buf_release(&sql);
	if (ret)
		return ret;
	cmp_row_bind_time(st->be, s, 1, at);
	cmp_report_bind_time(st, s, 2, as_of);
	if (o.ch)
		cmp_changes_unmark(o.ch);
	while ((rc = st->be->step(s)) == CMP_DB_ROW)
		if ((ret = open_row(&o, s, e)))
			break;
	ret = cmp_report_finish(st, s, rc, ret, e);
	if (!ret && o.ch)
		ret = open_then(&o, as_of, e);
	if (o.w)
		st->be->finalize(o.w);
	return ret;
}
