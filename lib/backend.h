/*
 * backend.h - the seam under the store: one table of operations on a
 * database connection, and the dialect of SQL it speaks.  The store's
 * files (store.c, schema.c, migrations.c, row.c, query.c,
 * store_report.c) call only these; a backend file (backend_sqlite.c,
 * backend_pg.c) is the only one that includes a database's header.
 * Another backend is one more file defining a struct cmp_backend and
 * its struct cmp_dialect, plus its schema's entry in migrations.c.
 *
 * Statement texts name their parameters as SQLite does: "?" (the next
 * number) or "?N" (1-based).  A backend whose database spells them
 * otherwise ("$N") rewrites them in prepare.
 *
 * Failures: an operation returns 0 (step: CMP_DB_ROW or CMP_DB_DONE) or
 * a negative code of the backend's, which error() turns into the
 * toolkit's status and message (73 cannot create, 74 I/O, not a store
 * or damaged, 75 busy, 65 a constraint, 70 anything else).
 */
#ifndef CMP_BACKEND_H
#define CMP_BACKEND_H

#include <stddef.h>
#include <stdint.h>

struct cmp_buf;
struct cmp_error;

struct cmp_db;		/* a connection, the backend's */
struct cmp_db_stmt;	/* a prepared statement, the backend's */

/* What step() returns when it does not fail. */
enum { CMP_DB_DONE = 0, CMP_DB_ROW = 1 };

/* prepare() flags: a statement kept for the connection's life; one
   whose rows may be many, which a backend on the network fetches a page
   at a time (memory holds a page, not the result); a write whose result
   the caller never reads, which a backend on the network may send with
   the next statement that waits for an answer (its failure, or that of
   any write deferred with it, is then that statement's, or commit's,
   as the store's failure: never a constraint, 65; changes() does not
   count it). */
enum {
	CMP_DB_PERSISTENT = 1 << 0, CMP_DB_STREAM = 1 << 1,
	CMP_DB_DEFER = 1 << 2
};

/*
 * The SQL that differs between databases, as data.  Statement texts may
 * hold these markers, which the store expands from the dialect before
 * it prepares them (cmp_store_prepare):
 *
 *   {INDEXED BY name}   a planner hint: read the table through index name
 *   {+}                 before a column: do not use an index of it
 *   {NO FLATTEN}        at the end of a subquery: keep it a subquery
 *   {OR IGNORE}         after INSERT, with {ON CONFLICT IGNORE} after its
 *   {ON CONFLICT IGNORE}  values: a row that exists already is skipped
 *   {JSON column}       the text of a JSON member of column, its path
 *                       the next parameter (made with json_path)
 *   {REAL}              the type of a floating point CAST
 *   {TOTAL}             the sum of a column as a floating point number
 *                       (a backend's column_double() reads none as 0)
 *   {NULLS FIRST}       after an ORDER BY term: nulls sort first (ASC),
 *   {NULLS LAST}        or last (DESC), as SQLite sorts them anyway
 *   {COLLATE C}         after a text parameter: compared, and folded by
 *                       lower(), byte by byte, as SQLite does anyway
 */
struct cmp_dialect {
	const char *indexed_by;		/* printf format, %s the index */
	const char *not_indexed;
	const char *no_flatten;
	const char *or_ignore, *on_conflict_ignore;
	const char *json_text;		/* printf format, %s the column */
	const char *json_path;		/* printf format, %s the member */
	/* 1: the member in json_path as the stored JSON writes it (\\ for
	   a backslash...): SQLite 3.40 compares a path's quoted label with
	   the key's text as written, escapes and all. */
	int json_path_escaped;
	/* printf format, %s the column: a JSON member as a number (true
	   1, false 0), null when it is none; its path the next parameter
	   (made with json_path).  An integer of 64 bits is itself, compared
	   exactly with number's, as SQLite compares an INTEGER with a
	   REAL; either may be of a type of the backend's own that only
	   compares (=, <, IN) with the other. */
	const char *json_number;
	/* printf format, %s a parameter: its text, a number as where.c
	   checks one, as a floating point number, as SQLite's CAST to REAL
	   reads it (past the largest, an infinity; below the least, 0). */
	const char *number;
	/* json_number's operand is one of number's values: the operand,
	   number_in, the values separated by commas, number_in_end.  Not
	   IN on PostgreSQL: an IN of rows is a chain of =, each computing
	   the operand anew. */
	const char *number_in, *number_in_end;
	const char *real;
	const char *total;
	const char *nulls_first, *nulls_last;
	const char *collate_c;
	/* printf format, %s a table: a statement whose one parameter is
	   the greatest id the store gave a row of it, for a database whose
	   ids come from a sequence that must stay past them (NULL: none). */
	const char *id_sequence;

	/*
	 * The bucket of a time among sorted bounds, in SQL: a printf format,
	 * %s the column, whose one parameter is the bounds as an array
	 * ("{t0,t1,...}"); the index i of [t_i, t_i+1), else -1 (or any
	 * index past the last bucket).  NULL: the store registers a function
	 * of its own instead (function()).
	 */
	const char *bucket;

	/*
	 * Full text search of summary and description.  text_match follows
	 * "SELECT <text_id>" to select the ids of the complaints whose text
	 * matches the query in the parameter that ends it; text_term adds
	 * a word or phrase to such a query (all must occur).  The index
	 * need only narrow the rows, a superset of like's (it may fold
	 * more than A to Z): every term is matched with like too, and terms
	 * of fewer than text_min_chars characters with like alone.
	 */
	const char *text_id;
	const char *text_match;
	size_t text_min_chars;
	void (*text_term)(struct cmp_buf *query, const char *term, size_t n);
	/*
	 * --text, and "~" on any field: a LIKE (ESCAPE '\') whatever the
	 * case of the letters A to Z only, every other character as
	 * written, as SQLite's own LIKE.  A printf format, %1$s the operand,
	 * written once (an attrs member's holds a parameter), %2$s the
	 * pattern's parameter ("?N": as often as need be).  like_text, for
	 * summary and description: the same match in a form their text
	 * index serves too, the operand a column, written as often as need
	 * be (NULL: like).
	 */
	const char *like, *like_text;

	/* The query plan: explain before a SELECT, the text in column
	   explain_column of each row. */
	const char *explain;
	int explain_column;

	/* Filters on fields of few values, from the second on, written as
	   sets of ids (query.c's where_few): for a planner that reads one
	   index a table.  0: as plain terms, for one that combines indexes
	   itself (PostgreSQL's bitmap AND, which the sets' self-join
	   defeated). */
	int few_as_ids;

	/* printf format, %s a table of ids (a WITH's): after "c.id ", keeps
	   the rows whose id it holds.  PostgreSQL's is an array, looked up
	   by the primary key: IN made a merge join that read the whole
	   table. */
	const char *in_ids;

	/* Run after a bulk load's last transaction, outside any: what the
	   database needs to plan and read the rows it took well at once
	   (NULL: nothing).  PostgreSQL's statistics and visibility map,
	   which autovacuum would bring only a minute or so later: until
	   then an index-only scan reads the table too. */
	const char *after_load;
};

struct cmp_backend {
	const char *name;		/* the schema's entry in migrations.c */
	const struct cmp_dialect *dialect;

	/*
	 * Open (creating it if need be) the database at path, waiting up to
	 * busy_ms for another process's lock.  Returns 0 or a status with
	 * e set; *db is set either way, for close().
	 */
	int (*open)(struct cmp_db **db, const char *path, int busy_ms,
		    struct cmp_error *e);
	void (*close)(struct cmp_db *db);
	/* rc (< 0) of an operation on db as a status and message in e. */
	int (*error)(struct cmp_db *db, int rc, const char *path,
		     struct cmp_error *e);
	/* path as messages show it, without a password (caller owns:
	   free()); NULL: path itself. */
	char *(*display)(const char *path);
	/* Run one or more statements that return no rows. */
	int (*exec)(struct cmp_db *db, const char *sql);

	int (*prepare)(struct cmp_db *db, const char *sql, unsigned flags,
		       struct cmp_db_stmt **s);
	/* Ready s to run again; unbind: clear its parameters too. */
	void (*reset)(struct cmp_db_stmt *s, int unbind);
	void (*finalize)(struct cmp_db_stmt *s);
	/* Parameters, 1-based.  Text is copied; NULL binds null. */
	void (*bind_null)(struct cmp_db_stmt *s, int i);
	void (*bind_int64)(struct cmp_db_stmt *s, int i, int64_t v);
	void (*bind_double)(struct cmp_db_stmt *s, int i, double v);
	void (*bind_text)(struct cmp_db_stmt *s, int i, const char *v);
	/* Text the backend frees (free()) when done with it. */
	void (*bind_text_owned)(struct cmp_db_stmt *s, int i, char *v);
	int (*step)(struct cmp_db_stmt *s);
	/* Columns of the current row, 0-based.  Text is valid until the
	   next step or reset; *n (may be NULL) its length in bytes. */
	int (*column_is_null)(struct cmp_db_stmt *s, int i);
	int64_t (*column_int64)(struct cmp_db_stmt *s, int i);
	double (*column_double)(struct cmp_db_stmt *s, int i);
	const char *(*column_text)(struct cmp_db_stmt *s, int i, size_t *n);
	/* The rows the last change changed. */
	int64_t (*changes)(struct cmp_db *db);

	/* The writer's transaction: the writer's settings, the first time,
	   then lock(). */
	int (*begin)(struct cmp_db *db);
	/* A transaction holding the writer's lock from its start (waits for
	   the busy timeout for it: BEGIN IMMEDIATE). */
	int (*lock)(struct cmp_db *db);
	/* A reader's transaction: its statements see one snapshot of the
	   store, and take no lock a writer waits for; commit() ends it. */
	int (*read)(struct cmp_db *db);
	int (*commit)(struct cmp_db *db);
	int (*rollback)(struct cmp_db *db);
	/* 1 inside a transaction (0: the database rolled it back). */
	int (*in_transaction)(struct cmp_db *db);
	/* One savepoint inside a transaction, to undo one record. */
	int (*savepoint)(struct cmp_db *db);
	int (*release)(struct cmp_db *db);
	int (*rollback_to)(struct cmp_db *db);

	/* The schema version (0: none yet) and its setting, in a lock(). */
	int (*schema_version)(struct cmp_db *db, int64_t *version);
	int (*set_schema_version)(struct cmp_db *db, int64_t version);
	/* A database of no schema version: 0 when it is empty or a store
	   (a status and message in e when it holds something else). */
	int (*foreign)(struct cmp_db *db, const char *path,
		       struct cmp_error *e);

	/*
	 * A bulk load: on, inside its first transaction; off, inside a
	 * transaction of its own after the load's last commit (the store
	 * commits it).  The settings of a load and the text index's.
	 */
	int (*bulk)(struct cmp_db *db, int on);
	/* Add the complaints from id `from` up to the text index (they are
	   not indexed as they are inserted). */
	int (*text_index)(struct cmp_db *db, int64_t from);

	/*
	 * The SQL function name(text) as fn(arg, text), for the statements
	 * prepared until it is removed (fn NULL).
	 */
	int (*function)(struct cmp_db *db, const char *name,
			long (*fn)(const void *arg, const char *text),
			const void *arg);
};

/* backend_sqlite.c */
extern const struct cmp_backend cmp_backend_sqlite;
/* backend_pg.c */
extern const struct cmp_backend cmp_backend_pg;
/* backend_pg_text.c: its dialect, a store's name without its password
   (caller owns) */
extern const struct cmp_dialect cmp_pg_dialect;
char *cmp_pg_display(const char *path);

#endif /* CMP_BACKEND_H */
