/*
 * store_bulk.c - a bulk load's settings (cmd/batch.c): on, inside its
 * first transaction; off, in transactions of its own after its last
 * commit.  Besides the backend's own (its bulk()), a load into a small
 * store drops the indexes its schema defers (cmp_schema_deferred_indexes)
 * and builds them at its end, once and sorted, instead of a random page
 * of each for each row.  Meanwhile, and after a load that was killed
 * before its end, the store is without them: statements that name one
 * run without it (cmp_store_prepare), and the end of the next load
 * makes them again.  Last, outside any transaction, what the database
 * needs to read the new rows well (the dialect's after_load).
 */
#include <stdint.h>

#include "complaint.h"
#include "store_impl.h"
#include "util.h"

/*
 * A load defers the indexes only into a store whose journal holds fewer
 * rows than this.  Building them at the end reads the whole store:
 * that costs less than the load's rows would have cost them one by one
 * while the store is no more than a few times what the smallest load in
 * bulk (one full batch) adds to it.  Into a larger store they are kept,
 * and a load of a few batches does not make it read the store's whole
 * history again.
 */
#define DEFER_JOURNAL_MAX 131072

/* Drop the deferred indexes when the journal is short. */
static int
defer(struct cmp_store *st, const struct cmp_deferred_index *di,
      struct cmp_error *e)
{
	struct cmp_db_stmt *s;
	int64_t rows = 0;
	int rc, ret;

	if ((ret = cmp_store_prepare(st, "SELECT max(id) FROM journal_entry",
				     0, &s, e)))
		return ret;
	if ((rc = st->be->step(s)) == CMP_DB_ROW)
		rows = st->be->column_int64(s, 0);
	st->be->finalize(s);
	if ((ret = cmp_store_finish(st, rc, e)) || rows >= DEFER_JOURNAL_MAX)
		return ret;
	for (; di->name && !ret; di++) {
		struct cmp_buf sql = CMP_BUF_INIT;

		cmp_buf_addf(&sql, "DROP INDEX IF EXISTS %s", di->name);
		ret = cmp_store_exec(st, cmp_buf_str(&sql), e);
		cmp_buf_release(&sql);
	}
	return ret;
}

/* sql in a transaction of its own; NULL: the backend's end of a bulk
   load (its bulk(0)). */
static int
own_transaction(struct cmp_store *st, const char *sql, struct cmp_error *e)
{
	int ret, rc;

	if ((ret = cmp_store_begin(st, e)))
		return ret;
	if (sql)
		ret = cmp_store_exec(st, sql, e);
	else if ((rc = st->be->bulk(st->db, 0)))
		ret = cmp_store_error(st, rc, e);
	if (ret) {
		cmp_store_rollback(st);
		return ret;
	}
	return cmp_store_commit(st, e);
}

int
cmp_store_bulk(struct cmp_store *st, int on, struct cmp_error *e)
{
	const struct cmp_deferred_index *di =
		cmp_schema_deferred_indexes(st->be->name);
	int ret, rc;

	if (on) {
		if ((rc = st->be->bulk(st->db, 1)))
			return cmp_store_error(st, rc, e);
		return di ? defer(st, di, e) : 0;
	}
	/* A transaction each for the indexes, begun after the backend's
	   settings for the end of the load (their sorts spill to files
	   only then), and so that another writer waits for one index at
	   a time, not all. */
	if ((ret = own_transaction(st, NULL, e)))
		return ret;
	for (; di && di->name; di++)
		if ((ret = own_transaction(st, di->create, e)))
			return ret;
	return st->be->dialect->after_load ?
		cmp_store_exec(st, st->be->dialect->after_load, e) : 0;
}
