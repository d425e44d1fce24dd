/*
 * store_report.c - the queries of cmp-report (report.c's figures).
 */
#include <stdlib.h>
#include <string.h>

#include "complaint.h"
#include "store_impl.h"

/*
 * The aggregates of cmp-report.  Each reads one range of an index
 * (received_at, journal_entry.at, the partial deadline indexes, status)
 * and aggregates in SQL where it can; what needs a time zone or a
 * percentile is left to report.c, which gets rows or groups streamed.
 * Times are bound as the canonical RFC 3339 text we store, so that text
 * comparison is time order.
 */

/*
 * Does [since, until) cover a quarter or more of the time over which the
 * store's complaints were received?  Then a pass that wants the rows of
 * the period reads the table whole, page after page: an index finds
 * them, but looking each one up costs a descent of the table's tree per
 * row (a random page each where the rows are not in the order of time,
 * as in an import), many times what a sequential read of every page
 * costs once most pages hold rows of the period.  An estimate (it
 * assumes the complaints spread evenly over that time): it chooses a
 * plan only, the rows are the same either way.
 */
static int
report_wide(struct cmp_store *st, cmp_time since, cmp_time until, int *wide,
	    struct cmp_error *e)
{
	struct cmp_db_stmt *s;
	int rc, ret;

	*wide = 0;
	if ((ret = cmp_report_prepare(st, "SELECT (SELECT min(received_at)"
				      " FROM complaint), (SELECT"
				      " max(received_at) FROM complaint)",
				      &s, e)))
		return ret;
	if ((rc = st->be->step(s)) == CMP_DB_ROW) {
		cmp_time first = cmp_row_column_time(st->be, s, 0);
		cmp_time last = cmp_row_column_time(st->be, s, 1);
		cmp_time from = since > first ? since : first;
		cmp_time to = until < last + 1 ? until : last + 1;

		if (first && last >= first && to > from)
			*wide = (to - from) * 4 >= last + 1 - first;
	}
	return cmp_report_finish(st, s, rc, 0, e);
}

/* The buckets of received_at: the index i of [bounds[i], bounds[i+1]). */
struct report_buckets {
	char (*text)[CMP_TIME_BUFSZ];
	size_t n;
};

static long
report_bucket(const struct report_buckets *b, const char *t)
{
	size_t lo = 0, hi;

	if (!t || b->n < 2 || strcmp(t, b->text[0]) < 0 ||
	    strcmp(t, b->text[b->n - 1]) >= 0)
		return -1;
	/* The last bound at or before t. */
	hi = b->n - 1;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(b->text[mid], t) <= 0)
			lo = mid;
		else
			hi = mid;
	}
	return (long)lo;
}

/* report_bucket as the SQL function cmp_report_bucket(received_at). */
static long
report_bucket_sql(const void *b, const char *t)
{
	return report_bucket(b, t);
}

int
cmp_store_report_groups(struct cmp_store *st,
			const struct cmp_report_query *q,
			cmp_report_group_fn fn, void *arg, struct cmp_error *e)
{
	struct cmp_buf sql = CMP_BUF_INIT, bounds = CMP_BUF_INIT;
	struct report_buckets b = {NULL, 0};
	char **paths = cmp_xcalloc(q->nfields + 1, sizeof(char *));
	const char **values = cmp_xcalloc(q->nfields + 1, sizeof(char *));
	int tags = 0, rc = CMP_DB_DONE, ret = 0, np = 0, k;
	/* A server that buckets in SQL (the dialect's bucket) groups the
	   rows anyway: its hash of them costs less than sending each. */
	int rows = q->rows && !st->be->dialect->bucket;
	struct cmp_db_stmt *s = NULL;

	cmp_buf_adds(&sql, "SELECT ");
	for (size_t i = 0; i < q->nfields; i++) {
		const char *name = q->fields[i];
		const struct cmp_field *f = cmp_field_find(name);

		if (!strcmp(name, "tags") || !strcmp(name, "tag")) {
			/* One group per tag: a complaint counts in each. */
			cmp_buf_adds(&sql, "t.tag, ");
			tags = 1;
		} else if (!strncmp(name, "attrs.", 6) && name[6] &&
			   !strchr(name + 6, '"')) {
			/* Grouped as the text printed: SQLite's GROUP BY
			   would make one group of 0 and 0.0, PostgreSQL's
			   two. */
			cmp_buf_adds(&sql, "CAST({JSON c.attrs} AS TEXT), ");
			paths[np++] = cmp_schema_json_path(st->be->dialect,
							   name + 6);
		} else if (f && cmp_stored(f) && f->type != CMP_F_JSON) {
			cmp_buf_addf(&sql, "c.%s, ", f->column);
		} else {
			ret = cmp_error_set(e, CMP_EX_USAGE, NULL,
					    "--by: no field '%s' to group by",
					    name);
			goto out;
		}
	}
	if (q->bounds && q->nbounds >= 2) {
		b.n = q->nbounds;
		b.text = cmp_xcalloc(b.n, sizeof(*b.text));
		for (size_t i = 0; i < b.n; i++)
			cmp_time_format(q->bounds[i], b.text[i]);
	}
	if (rows) {
		/* No grouping: the caller aggregates, the bucket is found
		   here (a sorter costs more than a hash over many rows). */
		cmp_buf_adds(&sql, "c.received_at, 1 FROM complaint c");
	} else if (b.n && st->be->dialect->bucket) {
		/* The bucket in SQL, its bounds one parameter. */
		cmp_buf_addf(&sql, st->be->dialect->bucket, "c.received_at");
		cmp_buf_adds(&sql, ", count(*) FROM complaint c");
		cmp_buf_addc(&bounds, '{');
		for (size_t i = 0; i < b.n; i++)
			cmp_buf_addf(&bounds, "%s%s", i ? "," : "", b.text[i]);
		cmp_buf_addc(&bounds, '}');
	} else if (b.n) {
		st->be->function(st->db, "cmp_report_bucket",
				 report_bucket_sql, &b);
		cmp_buf_adds(&sql, "cmp_report_bucket(c.received_at), "
			     "count(*) FROM complaint c");
	} else {
		cmp_buf_adds(&sql, "-1, count(*) FROM complaint c");
	}
	if (tags)
		cmp_buf_adds(&sql, " LEFT JOIN tag t ON t.complaint_id = c.id");
	cmp_buf_adds(&sql, " WHERE c.received_at >= ? AND c.received_at < ?");
	if (q->as_of)
		cmp_buf_adds(&sql, " AND c.created_at <= ?");
	if (!rows && (q->nfields || b.n)) {
		cmp_buf_adds(&sql, " GROUP BY ");
		for (size_t i = 0; i < q->nfields + (b.n ? 1 : 0); i++)
			cmp_buf_addf(&sql, "%s%zu", i ? ", " : "", i + 1);
	}
	if ((ret = cmp_report_prepare(st, sql.s, &s, e)))
		goto out;
	for (int i = 0; i < np; i++)
		st->be->bind_text(s, i + 1, paths[i]);
	if (bounds.len)
		st->be->bind_text(s, np + 1, bounds.s);
	k = np + (bounds.len ? 1 : 0);
	cmp_row_bind_time(st->be, s, k + 1, q->since);
	cmp_row_bind_time(st->be, s, k + 2, q->until);
	if (q->as_of)
		cmp_row_bind_time(st->be, s, k + 3, q->as_of);
	while ((rc = st->be->step(s)) == CMP_DB_ROW) {
		int col = 0;
		int64_t n;
		long bucket;

		for (size_t i = 0; i < q->nfields; i++, col++)
			values[i] = st->be->column_text(s, col, NULL);
		if (rows)
			bucket = b.n ? report_bucket(&b, st->be->column_text(s, col, NULL)) : -1;
		else if ((bucket = (long)st->be->column_int64(s, col)) >=
			 (long)b.n - 1)
			bucket = -1;	/* past the last bound */
		col++;
		n = st->be->column_int64(s, col);
		if (!n)
			continue;	/* the empty aggregate of no rows */
		if ((ret = fn(arg, values, bucket, n)))
			break;
	}
	ret = cmp_report_finish(st, s, rc, ret, e);
out:
	if (b.n && !rows && !st->be->dialect->bucket)
		st->be->function(st->db, "cmp_report_bucket", NULL, NULL);
	cmp_buf_release(&bounds);
	free(b.text);
	for (int i = 0; i < np; i++)
		free(paths[i]);
	free(paths);
	free(values);
	cmp_buf_release(&sql);
	return ret;
}

/*
 * Complaint ids, a bit each, in blocks of 2^16 consecutive ids found by
 * a hash of the block's number: count(DISTINCT complaint_id) of each
 * kind of event without sorting the entries (a store's sorter spilled
 * millions of them to temporary files).
 */
#define ID_BLOCK_BITS 16
struct id_block {
	int64_t key;
	uint64_t *bits;		/* NULL: a free slot */
};
struct id_set {
	struct id_block *v;
	size_t n, cap;		/* cap 0 or a power of two */
	int64_t count;		/* distinct ids added */
};

static struct id_block *
id_set_slot(struct id_block *v, size_t cap, int64_t key)
{
	size_t i = (size_t)((uint64_t)key * 0x9e3779b97f4a7c15ULL >> 32) &
		(cap - 1);

	while (v[i].bits && v[i].key != key)
		i = (i + 1) & (cap - 1);
	return &v[i];
}

static void
id_set_add(struct id_set *set, int64_t id)
{
	int64_t key = (int64_t)((uint64_t)id >> ID_BLOCK_BITS);
	uint64_t bit = (uint64_t)id & ((1u << ID_BLOCK_BITS) - 1);
	struct id_block *b;

	if ((set->n + 1) * 2 > set->cap) {
		size_t cap = set->cap ? 2 * set->cap : 16;
		struct id_block *v = cmp_xcalloc(cap, sizeof(*v));

		for (size_t i = 0; i < set->cap; i++)
			if (set->v[i].bits)
				*id_set_slot(v, cap, set->v[i].key) =
					set->v[i];
		free(set->v);
		set->v = v;
		set->cap = cap;
	}
	b = id_set_slot(set->v, set->cap, key);
	if (!b->bits) {
		b->key = key;
		b->bits = cmp_xcalloc((1u << ID_BLOCK_BITS) / 64,
				      sizeof(uint64_t));
		set->n++;
	}
	if (!(b->bits[bit / 64] & (UINT64_C(1) << (bit % 64)))) {
		b->bits[bit / 64] |= UINT64_C(1) << (bit % 64);
		set->count++;
	}
}

static void
id_set_release(struct id_set *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->v[i].bits);
	free(set->v);
}

/* The kind of change a journal entry of the fields counted is: 1 an
   acknowledgement, 2 a first reply, 3 resolved, 4 closed, 5 rejected,
   6 reopened (assigned again after one of those three), 7 a duplicate
   named; 0 none (a status recorded, old null: received counts it). */
static int
entry_event(const char *field, const char *old, const char *new)
{
	if (strcmp(field, "status"))
		return !new ? 0 : !strcmp(field, "acknowledged_at") ? 1 :
			!strcmp(field, "replied_at") ? 2 : 7;
	if (!old || !new)
		return 0;
	if (!strcmp(new, "assigned"))
		return !strcmp(old, "resolved") || !strcmp(old, "closed") ||
			!strcmp(old, "rejected") ? 6 : 0;
	return !strcmp(new, "resolved") ? 3 : !strcmp(new, "closed") ? 4 :
		!strcmp(new, "rejected") ? 5 : 0;
}

int
cmp_store_report_events(struct cmp_store *st, cmp_time since, cmp_time until,
			struct cmp_report_events *out, struct cmp_error *e)
{
	/* Changes of state, from the journal (an import's past is
	   journalled as such changes), each complaint counted once per
	   kind of change (entry_event; id_set).  A duplicate closed is
	   told apart by the original it names (duplicate_of).  The index
	   of fields by time holds all the entry's columns read here: the
	   entries of the period are read from it alone, a range of it for
	   each field, however wide the period (the table, read whole,
	   holds every field's entries and their notes).  The changes of
	   status are those the store holds, if it does (a month near now:
	   cmp_changes_hold), not read again. */
	static const char sql[] =
		"SELECT field, old, new, complaint_id"
		" FROM journal_entry{INDEXED BY journal_field_at}"
		" WHERE at >= ?1 AND at < ?2 AND field IN ('acknowledged_at',"
		" 'replied_at', 'duplicate_of'%s) AND " CMP_REPORT_FIELDS("");
	const struct cmp_status_changes *ch = cmp_changes_held(st, since);
	struct id_set sets[8];
	struct cmp_db_stmt *s;
	char *text = cmp_xasprintf(sql, ch ? "" : ", 'status'");
	int rc, ret, k;

	memset(out, 0, sizeof(*out));
	ret = cmp_report_prepare(st, text, &s, e);
	free(text);
	if (ret)
		return ret;
	memset(sets, 0, sizeof(sets));
	for (size_t i = 0; ch && i < ch->n; i++) {
		const struct cmp_status_change *c = &ch->v[i];

		if (c->at < since || c->at >= until)
			continue;
		k = entry_event("status", c->old == CMP_NO_STATUS ? NULL :
				ch->statuses[c->old], c->new == CMP_NO_STATUS ?
				NULL : ch->statuses[c->new]);
		if (k)
			id_set_add(&sets[k], c->complaint_id);
	}
	cmp_row_bind_time(st->be, s, 1, since);
	cmp_row_bind_time(st->be, s, 2, until);
	while ((rc = st->be->step(s)) == CMP_DB_ROW)
		if ((k = entry_event(st->be->column_text(s, 0, NULL),
				     st->be->column_text(s, 1, NULL),
				     st->be->column_text(s, 2, NULL))))
			id_set_add(&sets[k], st->be->column_int64(s, 3));
	out->acknowledged = sets[1].count;
	out->replied = sets[2].count;
	out->resolved = sets[3].count;
	out->closed = sets[4].count;
	out->rejected = sets[5].count;
	out->reopened = sets[6].count;
	out->duplicates = sets[7].count;
	for (k = 0; k < 8; k++)
		id_set_release(&sets[k]);
	return cmp_report_finish(st, s, rc, 0, e);
}

static const char *const report_met_columns[CMP_DL_COUNT] = {
	"acknowledged_at", "replied_at", "resolution_resolved_at"
};
static const char *const report_due_columns[CMP_DL_COUNT] = {
	"due_ack", "due_reply", "due_resolve"
};

/*
 * The deadlines falling due in [since, until), met or not: how many
 * (*n), and the first and last time received of their complaints, from
 * each deadline's two partial indexes (migrations 1 and 10, which hold
 * the time received since 14) alone.
 */
static int
report_due_range(struct cmp_store *st, cmp_time since, cmp_time until,
		 int64_t *n, cmp_time *first, cmp_time *last,
		 struct cmp_error *e)
{
	struct cmp_buf sql = CMP_BUF_INIT;
	struct cmp_db_stmt *s;
	int rc, ret;

	*n = 0;
	*first = *last = 0;
	cmp_buf_adds(&sql, "SELECT sum(n), min(r0), max(r1) FROM (");
	for (int k = 0; k < CMP_DL_COUNT; k++)
		for (int met = 0; met < 2; met++)
			cmp_buf_addf(&sql, "%sSELECT count(*) AS n,"
				     " min(received_at) AS r0, max(received_at)"
				     " AS r1 FROM complaint WHERE %s IS %sNULL"
				     " AND %s >= ?1 AND %s < ?2",
				     k || met ? " UNION ALL " : "",
				     report_met_columns[k], met ? "NOT " : "",
				     report_due_columns[k],
				     report_due_columns[k]);
	cmp_buf_adds(&sql, ") AS due");
	ret = cmp_report_prepare(st, sql.s, &s, e);
	cmp_buf_release(&sql);
	if (ret)
		return ret;
	cmp_row_bind_time(st->be, s, 1, since);
	cmp_row_bind_time(st->be, s, 2, until);
	if ((rc = st->be->step(s)) == CMP_DB_ROW) {
		*n = st->be->column_int64(s, 0);
		*first = cmp_row_column_time(st->be, s, 1);
		*last = cmp_row_column_time(st->be, s, 2);
	}
	return cmp_report_finish(st, s, rc, 0, e);
}

int
cmp_store_report_deadlines(struct cmp_store *st, cmp_time since,
			   cmp_time until, cmp_report_deadline_fn fn,
			   void *arg, struct cmp_error *e)
{
	struct cmp_status_changes *ch = NULL;
	struct cmp_buf sql = CMP_BUF_INIT;
	struct cmp_db_stmt *s;
	cmp_time first = 0, last = 0;
	int64_t n = 0;
	int rc, ret, wide, held;

	/*
	 * The complaints with a deadline falling due in the period, met or
	 * not.  Their times received lie in a range, found from the due
	 * dates' indexes: the rows are read from the index of the
	 * deadlines by time received (migration 14), a range of it, not
	 * from the table (a random page a row where, as after an import,
	 * the ids are not in the order of time).  The status when a
	 * deadline not met in time fell due comes from the status changes
	 * since the period began, held in memory, when there are not many
	 * more of them than deadlines (a month near now); else each is
	 * looked up in journal_status, the rows sorted by id so that the
	 * lookups read its pages in order.  Over a wide period
	 * (report_wide) most of the table's pages hold such a row: the
	 * table is read whole, in the order of the ids, and the statuses
	 * looked up.
	 */
	if ((ret = report_wide(st, since, until, &wide, e)))
		return ret;
	if (!wide) {
		if ((ret = report_due_range(st, since, until, &n, &first,
					    &last, e)))
			return ret;
		if (!n)
			return 0;
		if ((ret = cmp_changes_hold(st, since, n, &ch, e)))
			return ret;
	}
	held = ch != NULL;
	cmp_buf_adds(&sql, "SELECT c.id, c.received_at, c.created_at,"
		     " c.status");
	for (int k = 0; k < CMP_DL_COUNT; k++) {
		const char *due = report_due_columns[k];
		const char *met = report_met_columns[k];

		cmp_buf_addf(&sql, ", c.%s, c.%s", due, met);
		if (held)
			continue;
		/* The status when a deadline not met in time fell due, if
		   it fell due in the period. */
		cmp_buf_addf(&sql, ", CASE WHEN c.%s >= ?1 AND c.%s < ?2"
			     " AND (c.%s IS NULL OR c.%s > c.%s) THEN ", due,
			     due, met, met, due);
		cmp_buf_addf(&sql, CMP_REPORT_STATUS_AT("c.%s"), due);
		cmp_buf_adds(&sql, " END");
	}
	if (!wide)
		cmp_buf_adds(&sql, " FROM complaint c{INDEXED BY"
			     " complaint_deadlines} WHERE c.received_at >= ?3"
			     " AND c.received_at <= ?4 AND (");
	else
		cmp_buf_adds(&sql, " FROM complaint c WHERE ");
	for (int k = 0; k < CMP_DL_COUNT; k++)
		cmp_buf_addf(&sql, "%s({+}c.%s >= ?1 AND {+}c.%s < ?2)",
			     k ? " OR " : "", report_due_columns[k],
			     report_due_columns[k]);
	if (!wide)
		cmp_buf_addc(&sql, ')');
	if (!held)
		cmp_buf_adds(&sql, " ORDER BY c.id");
	ret = cmp_report_prepare(st, sql.s, &s, e);
	cmp_buf_release(&sql);
	if (ret)
		return ret;
	cmp_row_bind_time(st->be, s, 1, since);
	cmp_row_bind_time(st->be, s, 2, until);
	if (!wide) {
		cmp_row_bind_time(st->be, s, 3, first);
		cmp_row_bind_time(st->be, s, 4, last);
	}
	while ((rc = st->be->step(s)) == CMP_DB_ROW) {
		struct cmp_report_deadline_row r;
		const char *status;
		int col = 0;

		r.id = st->be->column_int64(s, col++);
		r.received_at = cmp_row_column_time(st->be, s, col++);
		r.created_at = cmp_row_column_time(st->be, s, col++);
		status = st->be->column_text(s, col++, NULL);
		for (int k = 0; k < CMP_DL_COUNT; k++) {
			cmp_time due, met;

			due = r.due[k] = cmp_row_column_time(st->be, s, col++);
			met = r.met[k] = cmp_row_column_time(st->be, s, col++);
			if (!held)
				r.status_at_due[k] =
					st->be->column_text(s, col++, NULL);
			else if (due >= since && due < until &&
				 (!met || met > due))
				r.status_at_due[k] = cmp_changes_status_at(
					ch, r.id, due, status);
			else
				r.status_at_due[k] = NULL;
		}
		if ((ret = fn(arg, &r)))
			break;
	}
	return cmp_report_finish(st, s, rc, ret, e);
}

int
cmp_store_report_followups(struct cmp_store *st, cmp_time since,
			   cmp_time until, cmp_time as_of, int bar,
			   struct cmp_report_followups *out,
			   struct cmp_error *e)
{
	/* Due: scheduled in the period; done: completed in it (by as_of). */
	static const char sql[] =
		"SELECT count(*) FILTER (WHERE f.due_at >= ?1"
		" AND f.due_at < ?2),"
		" count(*) FILTER (WHERE f.done_at >= ?1 AND f.done_at < ?3),"
		" count(f.satisfaction) FILTER (WHERE f.done_at >= ?1"
		" AND f.done_at < ?3),"
		" count(*) FILTER (WHERE f.done_at >= ?1 AND f.done_at < ?3"
		" AND f.satisfaction >= ?4),"
		" {TOTAL}(f.satisfaction) FILTER (WHERE f.done_at >= ?1"
		" AND f.done_at < ?3)"
		" FROM followup f WHERE ((f.due_at >= ?1 AND f.due_at < ?2)"
		" OR (f.done_at >= ?1 AND f.done_at < ?3))"
		" AND (CAST(?5 AS TEXT) IS NULL OR (SELECT c.created_at FROM complaint c"
		" WHERE c.id = f.complaint_id) <= ?5)";
	cmp_time done_until = as_of && as_of + 1 < until ? as_of + 1 : until;
	struct cmp_db_stmt *s;
	int rc, ret;

	memset(out, 0, sizeof(*out));
	if ((ret = cmp_report_prepare(st, sql, &s, e)))
		return ret;
	cmp_row_bind_time(st->be, s, 1, since);
	cmp_row_bind_time(st->be, s, 2, until);
	cmp_row_bind_time(st->be, s, 3, done_until);
	st->be->bind_int64(s, 4, bar);
	cmp_row_bind_time(st->be, s, 5, as_of);
	if ((rc = st->be->step(s)) == CMP_DB_ROW) {
		out->due = st->be->column_int64(s, 0);
		out->done = st->be->column_int64(s, 1);
		out->scored = st->be->column_int64(s, 2);
		out->satisfied = st->be->column_int64(s, 3);
		out->score_sum = st->be->column_double(s, 4);
	}
	return cmp_report_finish(st, s, rc, 0, e);
}

int
cmp_store_report_money(struct cmp_store *st, cmp_time since, cmp_time until,
		       cmp_report_money_fn fn, void *arg, struct cmp_error *e)
{
	/*
	 * Resolutions with an amount, from the journal: the type, amount
	 * and currency a resolution wrote at the moment it was made, so a
	 * resolution later undone by a reopening still counts.  The
	 * resolutions, amounts and types are read from journal_field_at
	 * alone; the currency, free text the index does not hold, from
	 * the table, found by journal_currency.  "r.at || ''" and not r.at: SQLite carries the
	 * period's bounds on r.at over to a column equal to it, then
	 * searched a and t by that range instead of their moment, every
	 * amount of the period for each resolution.  The amounts' own
	 * bounds, the same as the resolutions' since their moments are
	 * equal, are for PostgreSQL, which otherwise hashed every amount
	 * of the store's history to join those of the period; SQLite
	 * searched by them as above, so they are no index's there ({+}).
	 */
	static const char sql[] =
		"SELECT t.new, cur.new, count(*),"
		" {TOTAL}(CAST(a.new AS {REAL}))"
		" FROM journal_entry r"
		" JOIN journal_entry a ON a.complaint_id = r.complaint_id"
		" AND a.at = r.at || '' AND a.field = 'resolution.amount'"
		" AND a.new IS NOT NULL AND {+}a.at >= ?1 AND {+}a.at < ?2"
		" AND " CMP_REPORT_FIELDS("a.")
		" LEFT JOIN journal_entry t ON t.complaint_id = r.complaint_id"
		" AND t.at = r.at || '' AND t.field = 'resolution.type'"
		" AND " CMP_REPORT_FIELDS("t.")
		" LEFT JOIN journal_entry cur"
		" ON cur.complaint_id = r.complaint_id AND cur.at = r.at"
		" AND cur.field = 'resolution.currency'"
		" WHERE r.field = 'resolution.resolved_at'"
		" AND r.new IS NOT NULL AND r.at >= ?1 AND r.at < ?2"
		" AND " CMP_REPORT_FIELDS("r.")
		" GROUP BY 1, 2 ORDER BY 1{NULLS FIRST}, 2{NULLS FIRST}";
	struct cmp_db_stmt *s;
	int rc, ret;

	if ((ret = cmp_report_prepare(st, sql, &s, e)))
		return ret;
	cmp_row_bind_time(st->be, s, 1, since);
	cmp_row_bind_time(st->be, s, 2, until);
	while ((rc = st->be->step(s)) == CMP_DB_ROW) {
		if ((ret = fn(arg, st->be->column_text(s, 0, NULL),
			      st->be->column_text(s, 1, NULL),
			      st->be->column_int64(s, 2),
			      st->be->column_double(s, 3))))
			break;
	}
	return cmp_report_finish(st, s, rc, ret, e);
}

int
cmp_store_report_first(struct cmp_store *st, cmp_time *first,
		       struct cmp_error *e)
{
	struct cmp_db_stmt *s;
	int rc, ret;

	*first = 0;
	if ((ret = cmp_report_prepare(st, "SELECT min(received_at) FROM"
				      " complaint", &s, e)))
		return ret;
	if ((rc = st->be->step(s)) == CMP_DB_ROW)
		*first = cmp_row_column_time(st->be, s, 0);
	return cmp_report_finish(st, s, rc, 0, e);
}
