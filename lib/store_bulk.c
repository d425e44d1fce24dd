/*
 * store_bulk.c - a bulk load's settings (cmd/batch.c): on, inside its
 * first transaction; off, in a transaction of its own after its last
 * commit.  Besides the backend's own (its bulk()), a load into a small
 * store drops the index its schema defers (cmp_schema_deferred_index)
 * and builds it at its end, once and sorted, instead of a random page
 * of it for each row.  Meanwhile, and after a load that was killed
 * before its end, the store is without it: statements that name it
 * run without it (cmp_store_prepare), and the end of the next load
 * makes it again.
 */
#include <stdint.h>

#include "complaint.h"
#include "store_impl.h"
#include "util.h"

/*
 * A load defers the index only into a store whose journal holds fewer
 * rows than this.  Building the index at the end reads the whole
 * journal: that costs less than the load's rows would have cost it one
 * by one while the journal is no more than a few times what the
 * smallest load in bulk (one full batch) adds to it.  Into a larger
 * store the index is kept, and a load of a few batches does not make
 * it read the store's whole history again.
 */
#define DEFER_JOURNAL_MAX 131072

/* Drop the deferred index when the journal is small. */
static int
defer(struct cmp_store *st, const struct cmp_deferred_index *di,
      struct cmp_error *e)
{
	struct cmp_db_stmt *s;
	struct cmp_buf sql = CMP_BUF_INIT;
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
	cmp_buf_addf(&sql, "DROP INDEX IF EXISTS %s", di->name);
	ret = cmp_store_exec(st, cmp_buf_str(&sql), e);
	cmp_buf_release(&sql);
	return ret;
}

int
cmp_store_bulk(struct cmp_store *st, int on, struct cmp_error *e)
{
	const struct cmp_deferred_index *di =
		cmp_schema_deferred_index(st->be->name);
	int ret, rc;

	if (on) {
		if ((rc = st->be->bulk(st->db, 1)))
			return cmp_store_error(st, rc, e);
		return di ? defer(st, di, e) : 0;
	}
	if ((ret = cmp_store_begin(st, e)))
		return ret;
	if ((rc = st->be->bulk(st->db, 0)))
		ret = cmp_store_error(st, rc, e);
	else if (di)
		ret = cmp_store_exec(st, di->create, e);
	if (ret) {
		cmp_store_rollback(st);
		return ret;
	}
	return cmp_store_commit(st, e);
}
