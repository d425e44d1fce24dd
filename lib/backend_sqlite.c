/*
 * backend_sqlite.c - the store's backend on SQLite: the only file that
 * includes <sqlite3.h>.  A store is one file in WAL mode; its settings,
 * the writer's, a bulk load's and the full-text index's (FTS5, trigram)
 * are here, and so is SQLite's dialect of SQL (backend.h).
 *
 * Failures are SQLite's result codes negated.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "complaint.h"
#include "backend.h"

#define APPLICATION_ID 0x434d5031	/* "CMP1" */

/* The statements of a transaction, prepared once for the connection. */
enum tx { TX_BEGIN, TX_READ, TX_COMMIT, TX_ROLLBACK, TX_SAVEPOINT,
	  TX_RELEASE, TX_ROLLBACK_TO, TX_TEXT_INDEX, TX_COUNT };

static const char *const tx_sql[TX_COUNT] = {
	"BEGIN IMMEDIATE", "BEGIN DEFERRED", "COMMIT", "ROLLBACK",
	"SAVEPOINT record",
	"RELEASE record", "ROLLBACK TO record",
	/* New rows are indexed by the store, one statement per
	   transaction: per-row triggers made bulk loads several times
	   slower, each row's statement flushing the index. */
	"INSERT INTO complaint_text(rowid, summary, description)"
	" SELECT id, summary, description FROM complaint WHERE id >= ?",
};

struct cmp_db {
	sqlite3 *db;
	sqlite3_stmt *tx[TX_COUNT];
	int writer;		/* has begun a transaction (settings made) */
	struct {		/* the SQL function of function() */
		long (*fn)(const void *arg, const char *text);
		const void *arg;
	} function;
};

#define S(s) ((sqlite3_stmt *)(s))
#define FAIL(rc) (-(rc))

/* ---- errors ---- */

static int
sq_error(struct cmp_db *d, int rc, const char *p, struct cmp_error *e)
{
	const char *msg;

	rc = -rc;
	msg = d && d->db ? sqlite3_errmsg(d->db) : sqlite3_errstr(rc);
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return cmp_error_set(e, CMP_EX_TEMPFAIL, NULL,
				     "store '%s' is busy (locked by another "
				     "process past the timeout); try again",
				     p);
	case SQLITE_FULL:
		return cmp_error_set(e, CMP_EX_IOERR, NULL,
				     "cannot write store '%s': the disk is "
				     "full", p);
	case SQLITE_IOERR:
		return cmp_error_set(e, CMP_EX_IOERR, NULL,
				     "I/O error on store '%s': %s", p, msg);
	case SQLITE_READONLY:
		return cmp_error_set(e, CMP_EX_IOERR, NULL,
				     "store '%s' is read-only", p);
	case SQLITE_CANTOPEN:
		return cmp_error_set(e, CMP_EX_CANTCREAT, NULL,
				     "cannot open store '%s': %s", p, msg);
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return cmp_error_set(e, CMP_EX_IOERR, NULL,
				     "'%s' is not a complaint store or is "
				     "damaged (%s)", p, msg);
	case SQLITE_CONSTRAINT:
		return cmp_error_set(e, CMP_EX_DATAERR, NULL,
				     "store refused the change: %s", msg);
	default:
		return cmp_error_set(e, CMP_EX_SOFTWARE, NULL,
				     "store '%s': %s", p, msg);
	}
}

/* ---- statements ---- */

static int
sq_exec(struct cmp_db *d, const char *sql)
{
	int rc = sqlite3_exec(d->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : FAIL(rc);
}

static int
sq_prepare(struct cmp_db *d, const char *sql, unsigned flags,
	   struct cmp_db_stmt **out)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (flags & CMP_DB_PERSISTENT)
		rc = sqlite3_prepare_v3(d->db, sql, -1,
					SQLITE_PREPARE_PERSISTENT, &s, NULL);
	else
		rc = sqlite3_prepare_v2(d->db, sql, -1, &s, NULL);
	*out = (struct cmp_db_stmt *)s;
	return rc == SQLITE_OK ? 0 : FAIL(rc);
}

static void
sq_reset(struct cmp_db_stmt *s, int unbind)
{
	sqlite3_reset(S(s));
	if (unbind)
		sqlite3_clear_bindings(S(s));
}

static void
sq_finalize(struct cmp_db_stmt *s)
{
	sqlite3_finalize(S(s));
}

static void
sq_bind_null(struct cmp_db_stmt *s, int i)
{
	sqlite3_bind_null(S(s), i);
}

static void
sq_bind_int64(struct cmp_db_stmt *s, int i, int64_t v)
{
	sqlite3_bind_int64(S(s), i, v);
}

static void
sq_bind_double(struct cmp_db_stmt *s, int i, double v)
{
	sqlite3_bind_double(S(s), i, v);
}

static void
sq_bind_text(struct cmp_db_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(S(s), i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(S(s), i);
}

static void
sq_bind_text_owned(struct cmp_db_stmt *s, int i, char *v)
{
	sqlite3_bind_text(S(s), i, v, -1, free);
}

static int
sq_step(struct cmp_db_stmt *s)
{
	int rc = sqlite3_step(S(s));

	if (rc == SQLITE_ROW)
		return CMP_DB_ROW;
	return rc == SQLITE_DONE ? CMP_DB_DONE : FAIL(rc);
}

static int
sq_column_is_null(struct cmp_db_stmt *s, int i)
{
	return sqlite3_column_type(S(s), i) == SQLITE_NULL;
}

static int64_t
sq_column_int64(struct cmp_db_stmt *s, int i)
{
	return sqlite3_column_int64(S(s), i);
}

static double
sq_column_double(struct cmp_db_stmt *s, int i)
{
	return sqlite3_column_double(S(s), i);
}

static const char *
sq_column_text(struct cmp_db_stmt *s, int i, size_t *n)
{
	const char *p = (const char *)sqlite3_column_text(S(s), i);

	if (n)
		*n = p ? (size_t)sqlite3_column_bytes(S(s), i) : 0;
	return p;
}

static int64_t
sq_changes(struct cmp_db *d)
{
	return sqlite3_changes(d->db);
}

/* Run the connection's statement k, that returns no rows. */
static int
tx_run(struct cmp_db *d, enum tx k)
{
	int rc;

	if (!d->tx[k]) {
		rc = sqlite3_prepare_v3(d->db, tx_sql[k], -1,
					SQLITE_PREPARE_PERSISTENT, &d->tx[k],
					NULL);
		if (rc != SQLITE_OK)
			return FAIL(rc);
	}
	rc = sqlite3_step(d->tx[k]);
	sqlite3_reset(d->tx[k]);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : FAIL(rc);
}

/* ---- transactions ---- */

static int
sq_lock(struct cmp_db *d)
{
	return tx_run(d, TX_BEGIN);
}

static int
sq_begin(struct cmp_db *d)
{
	/*
	 * Every connection keeps SQLite's 2 MiB page cache, which recycles
	 * its pages: a larger one allocates (and the kernel zeroes) a page
	 * for each page read, which made lists and changes of many
	 * complaints markedly slower.  A bulk load alone takes more
	 * (sq_bulk).  A writer's statement journals stay in memory (on
	 * disk they cost dozens of writes per updated complaint); a
	 * reader's sorts may still spill to a file, so a long sorted list
	 * needs no memory.  The WAL is copied back after 256 MiB rather
	 * than 4: a bulk load dirties the same index pages batch after
	 * batch (the indexes by time received, phone and customer take
	 * their keys in any order), and each copy wrote them again.  A
	 * larger WAL is slower to search for every page read, so only a
	 * bulk load takes 1 GiB (sq_bulk).  The last connection to close
	 * still empties it.
	 */
	if (!d->writer) {
		int rc = sq_exec(d, "PRAGMA temp_store = MEMORY;"
				 " PRAGMA wal_autocheckpoint = 65536");

		if (rc)
			return rc;
		d->writer = 1;
	}
	return tx_run(d, TX_BEGIN);
}

/* Deferred: the snapshot is the WAL's as the first read finds it. */
static int
sq_read(struct cmp_db *d)
{
	return tx_run(d, TX_READ);
}

static int
sq_commit(struct cmp_db *d)
{
	return tx_run(d, TX_COMMIT);
}

static int
sq_rollback(struct cmp_db *d)
{
	return tx_run(d, TX_ROLLBACK);
}

static int
sq_in_transaction(struct cmp_db *d)
{
	return !sqlite3_get_autocommit(d->db);
}

static int
sq_savepoint(struct cmp_db *d)
{
	return tx_run(d, TX_SAVEPOINT);
}

static int
sq_release(struct cmp_db *d)
{
	return tx_run(d, TX_RELEASE);
}

static int
sq_rollback_to(struct cmp_db *d)
{
	return tx_run(d, TX_ROLLBACK_TO);
}

/* ---- schema version ---- */

static int
pragma_int(struct cmp_db *d, const char *sql, int64_t *out)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(d->db, sql, -1, &s, NULL);

	if (rc != SQLITE_OK)
		return FAIL(rc);
	rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : FAIL(rc);
}

static int
sq_schema_version(struct cmp_db *d, int64_t *version)
{
	return pragma_int(d, "PRAGMA user_version", version);
}

static int
sq_set_schema_version(struct cmp_db *d, int64_t version)
{
	char sql[96];

	snprintf(sql, sizeof(sql),
		 "PRAGMA user_version = %lld; PRAGMA application_id = %d",
		 (long long)version, APPLICATION_ID);
	return sq_exec(d, sql);
}

/* Tables, or another application's id: some other SQLite database. */
static int
sq_foreign(struct cmp_db *d, const char *path, struct cmp_error *e)
{
	int64_t app, tables;
	int rc;

	if ((rc = pragma_int(d, "PRAGMA application_id", &app)) ||
	    (rc = pragma_int(d, "SELECT count(*) FROM sqlite_schema",
			     &tables)))
		return sq_error(d, rc, path, e);
	if (tables > 0 || (app && app != APPLICATION_ID))
		return cmp_error_set(e, CMP_EX_IOERR, NULL,
				     "'%s' is an SQLite database, but not a "
				     "complaint store", path);
	return 0;
}

/* ---- bulk loads and the text index ---- */

/*
 * A bulk load: while it runs, the text index merges its segments 16 at
 * a time, not 4, and so merges the text it has already indexed less
 * often.  That leaves up to 15 segments a level, and the one add that
 * makes a level 16 merges the whole level at once (seconds and tens of
 * megabytes after a large load).  So the end of the load, in a
 * transaction of its own, goes back to 4 and merges every level of 4
 * segments or more (FTS5's 'merge' command with no limit of pages, its
 * usermerge 4); single adds after it stay fast.  A load that dies
 * before its end (cmp-add merges on its errors) leaves 16 until the
 * next.
 *
 * A larger cache keeps more of the index pages a load's batches touch
 * (see sq_begin): fewer are read back, fewer spilled to the WAL before
 * the commit.  48 MiB holds most of a batch's pages on a large store
 * (more spilled no fewer), and a bigger WAL lets the same
 * index pages be rewritten in it four times as long before each copy
 * back.  Figures: tests/bench/RESULTS.md and the commits that set them.
 * The end of the load goes back to the 2 MiB cache every connection
 * keeps, and to temporary files on disk: an index built after it
 * (store_bulk.c) sorts its keys in as much memory as the cache may
 * hold, and keeps the sorted runs whole in memory while temporary
 * files are kept there (a writer's, sq_begin).  SQLite's sorts follow
 * the new temp_store only in a transaction begun after it is set: the
 * indexes are built in transactions of their own.  Nothing here makes
 * temporary tables, which would forbid the change inside a transaction.
 */
static int
sq_bulk(struct cmp_db *d, int on)
{
	if (on)
		return sq_exec(d, "PRAGMA cache_size = -49152;"
			       " PRAGMA wal_autocheckpoint = 262144;"
			       " INSERT INTO complaint_text(complaint_text,"
			       " rank) VALUES ('automerge', 16)");
	return sq_exec(d, "INSERT INTO complaint_text(complaint_text, rank)"
		       " VALUES ('automerge', 4);"
		       "INSERT INTO complaint_text(complaint_text, rank)"
		       " VALUES ('merge', 2147483647);"
		       " PRAGMA cache_size = -2000; PRAGMA temp_store = FILE");
}

static int
sq_text_index(struct cmp_db *d, int64_t from)
{
	int rc;

	if (!d->tx[TX_TEXT_INDEX]) {
		rc = sqlite3_prepare_v3(d->db, tx_sql[TX_TEXT_INDEX], -1,
					SQLITE_PREPARE_PERSISTENT,
					&d->tx[TX_TEXT_INDEX], NULL);
		if (rc != SQLITE_OK)
			return FAIL(rc);
	} else {
		sqlite3_reset(d->tx[TX_TEXT_INDEX]);
		sqlite3_clear_bindings(d->tx[TX_TEXT_INDEX]);
	}
	sqlite3_bind_int64(d->tx[TX_TEXT_INDEX], 1, from);
	return tx_run(d, TX_TEXT_INDEX);
}

/* ---- SQL functions ---- */

static void
call_function(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const struct cmp_db *d = sqlite3_user_data(cx);

	(void)argc;
	sqlite3_result_int64(cx, d->function.fn(d->function.arg,
			     (const char *)sqlite3_value_text(argv[0])));
}

static int
sq_function(struct cmp_db *d, const char *name,
	    long (*fn)(const void *arg, const char *text), const void *arg)
{
	int rc;

	d->function.fn = fn;
	d->function.arg = arg;
	if (fn)
		rc = sqlite3_create_function_v2(d->db, name, 1,
						SQLITE_UTF8 |
						SQLITE_DETERMINISTIC, d,
						call_function, NULL, NULL,
						NULL);
	else
		rc = sqlite3_create_function_v2(d->db, name, 1, SQLITE_UTF8,
						NULL, NULL, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : FAIL(rc);
}

/* ---- open and close ---- */

/* Create the file ourselves, so that it is 0600 whatever the umask. */
static int
create_file(const char *path, struct cmp_error *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno == EEXIST)
		return 0;
	return cmp_error_set(e, CMP_EX_CANTCREAT, NULL,
			     "cannot create store '%s': %s", path,
			     strerror(errno));
}

static int
sq_open(struct cmp_db **out, const char *path, int busy_ms,
	struct cmp_error *e)
{
	struct cmp_db *d;
	struct stat sb;
	int rc, ret;

	*out = NULL;
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return cmp_error_set(e, CMP_EX_CANTCREAT, NULL,
				     "cannot open store '%s': is a directory",
				     path);
	if ((ret = create_file(path, e)))
		return ret;
	/*
	 * SQLite's memory statistics take a global mutex around every
	 * allocation and free it makes, and it makes several for each
	 * column of each row a statement reads; nothing here reads the
	 * statistics.  Only possible before SQLite is first used in the
	 * process (else SQLITE_MISUSE, and the statistics stay on).
	 */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	*out = d = cmp_xcalloc(1, sizeof(*d));
	rc = sqlite3_open_v2(path, &d->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK)
		return sq_error(d, FAIL(rc), path, e);
	sqlite3_extended_result_codes(d->db, 1);
	sqlite3_busy_timeout(d->db, busy_ms);
	/*
	 * WAL: readers never block the writer; synchronous FULL: a commit
	 * is on disk before anything downstream sees the record.
	 */
	if ((rc = sq_exec(d, "PRAGMA journal_mode = WAL")) &&
	    (ret = sq_error(d, rc, path, e)) != CMP_EX_IOERR)
		return ret;
	if ((rc = sq_exec(d, "PRAGMA synchronous = FULL;"
			  " PRAGMA foreign_keys = ON")))
		return sq_error(d, rc, path, e);
	return 0;
}

static void
sq_close(struct cmp_db *d)
{
	if (!d)
		return;
	for (int k = 0; k < TX_COUNT; k++)
		sqlite3_finalize(d->tx[k]);
	sqlite3_close(d->db);
	free(d);
}

/* ---- the dialect ---- */

/* An FTS5 string: double quotes doubled inside; terms joined by AND. */
static void
fts5_term(struct cmp_buf *query, const char *term, size_t n)
{
	if (query->len)
		cmp_buf_adds(query, " AND ");
	cmp_buf_addc(query, '"');
	for (size_t i = 0; i < n; i++) {
		if (term[i] == '"')
			cmp_buf_addc(query, '"');
		cmp_buf_addc(query, term[i]);
	}
	cmp_buf_addc(query, '"');
}

static const struct cmp_dialect sqlite_dialect = {
	.indexed_by = " INDEXED BY %s",
	.not_indexed = "+",
	/* A LIMIT keeps SQLite from copying a subquery into the outer
	   query (where it may run twice a row). */
	.no_flatten = " LIMIT -1",
	.or_ignore = " OR IGNORE",
	.on_conflict_ignore = "",
	.json_text = "json_extract(%s, ?)",
	.json_path = "$.\"%s\"",
	.json_path_escaped = 1,
	/* The member itself (key null), not the members of an object or
	   an array at its path. */
	.json_number = "(SELECT atom FROM json_each(%s, ?) WHERE key IS NULL"
		" AND type IN ('integer', 'real', 'true', 'false'))",
	.number = "CAST(%s AS REAL)",
	.number_in = " IN (",
	.number_in_end = ")",
	.real = "REAL",
	.total = "total",
	.nulls_first = "",
	.nulls_last = "",
	.collate_c = "",
	/* Trigrams find Chinese and Latin substrings of three characters
	   or more. */
	.text_id = "rowid",
	.text_match = " FROM complaint_text WHERE complaint_text MATCH ?",
	.text_min_chars = 3,
	.text_term = fts5_term,
	/* SQLite's own LIKE folds A to Z only (one built with its ICU
	   extension folds more). */
	.like = "%1$s LIKE %2$s ESCAPE '\\'",
	.explain = "EXPLAIN QUERY PLAN ",
	.explain_column = 3,
	.few_as_ids = 1,
	.in_ids = "IN (SELECT id FROM %s)",
};

const struct cmp_backend cmp_backend_sqlite = {
	.name = "sqlite",
	.dialect = &sqlite_dialect,
	.open = sq_open,
	.close = sq_close,
	.error = sq_error,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.reset = sq_reset,
	.finalize = sq_finalize,
	.bind_null = sq_bind_null,
	.bind_int64 = sq_bind_int64,
	.bind_double = sq_bind_double,
	.bind_text = sq_bind_text,
	.bind_text_owned = sq_bind_text_owned,
	.step = sq_step,
	.column_is_null = sq_column_is_null,
	.column_int64 = sq_column_int64,
	.column_double = sq_column_double,
	.column_text = sq_column_text,
	.changes = sq_changes,
	.begin = sq_begin,
	.lock = sq_lock,
	.read = sq_read,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.in_transaction = sq_in_transaction,
	.savepoint = sq_savepoint,
	.release = sq_release,
	.rollback_to = sq_rollback_to,
	.schema_version = sq_schema_version,
	.set_schema_version = sq_set_schema_version,
	.foreign = sq_foreign,
	.bulk = sq_bulk,
	.text_index = sq_text_index,
	.function = sq_function,
};
