/*
 * schema.h - the store's schema and statement texts (schema.c) and its
 * migrations (migrations.c): private to the store's files.
 */
#ifndef CMP_SCHEMA_H
#define CMP_SCHEMA_H

#include "complaint.h"
#include "backend.h"

/* The statements every store keeps prepared. */
enum stmt {
	ST_INSERT, ST_BY_ID, ST_BY_REF,
	ST_JOURNAL_ADD, ST_JOURNAL_LIST, ST_FU_LIST, ST_FU_PAGE, ST_FU_ADD,
	ST_FU_UPDATE, ST_TAG_ADD, ST_TAG_DEL, ST_DUPLICATE,
	/* ST_JOURNAL_ADD and ST_TAG_ADD for a complaint being added, their
	   results never read (CMP_DB_DEFER). */
	ST_JOURNAL_LATER, ST_TAG_LATER,
	ST_COUNT
};

/*
 * The WHERE of two partial indexes (migration 15), word for word, for
 * the table of alias a ("", "c."...): SQLite uses a partial index only
 * for a statement that holds its terms.  complaint_open holds the open
 * complaints; journal_field_at the changes of the fields the reports
 * count, with every column they read of them.  Equalities joined by
 * OR, not IN: SQLite tests an IN of more than two values against a
 * table it makes for the purpose (a b-tree opened, filled and closed)
 * at each row written to the table, and an UPDATE tests the row before
 * and after; that table cost more than the rest of a journal row.
 * PostgreSQL's indexes keep the IN of their migrations: its planner
 * proves one from the other.
 */
#define CMP_OPEN_WHERE(a) "(" a "status = 'new' OR " a "status =" \
	" 'assigned' OR " a "status = 'waiting')"
#define CMP_REPORT_FIELDS(a) "(" a "field = 'status' OR " a "field =" \
	" 'acknowledged_at' OR " a "field = 'replied_at' OR " a "field =" \
	" 'duplicate_of' OR " a "field = 'resolution.resolved_at' OR " a \
	"field = 'resolution.type' OR " a "field = 'resolution.amount')"

/* The follow-ups of this many complaints are read at once (ST_FU_PAGE). */
#define CMP_STORE_PAGE 256

/* A field with a column of its own (the follow-ups have a table). */
static inline int
cmp_stored(const struct cmp_field *f)
{
	return f->type != CMP_F_FOLLOWUPS;
}

/* The stored columns, comma separated, from field `from` on, each
   followed by suffix. */
void cmp_schema_columns(struct cmp_buf *b, int from, const char *suffix);
/* The text of statement k, in b. */
const char *cmp_schema_stmt_sql(enum stmt k, struct cmp_buf *b);
/* sql with the dialect's markers (backend.h) expanded, appended to b;
   an {INDEXED BY} of an index in absent (NULL-terminated; NULL: none)
   expands to nothing. */
void cmp_schema_dialect_sql(const struct cmp_dialect *d, struct cmp_buf *b,
			    const char *sql, const char *const *absent);
/* The dialect's path of attrs member key (caller frees). */
char *cmp_schema_json_path(const struct cmp_dialect *d, const char *key);
/*
 * The indexes a backend's bulk loads into a small store build once at
 * their end, sorted, rather than row by row (store_bulk.c): each's name
 * and definition (IF NOT EXISTS: made again where it is missing); a
 * NULL name ends the list.  NULL: the backend's loads keep every index.
 */
struct cmp_deferred_index {
	const char *name, *create;
};
#define CMP_DEFERRED_MAX 15	/* the most a backend defers */
const struct cmp_deferred_index *cmp_schema_deferred_indexes(
	const char *backend);
/* A query whose one parameter is an index's name, and which returns a
   row when the database holds it (NULL: the backend defers none). */
const char *cmp_schema_index_exists(const char *backend);
/* The migrations of a backend's schema (migrations.c): [i] takes
   version i to i + 1; NULL when it has none. */
const char *const *cmp_schema_migrations(const char *backend);
/* The text of the migration to version, its %PLACEHOLDERS% expanded
   (the table, the view and the new columns as at that version; caller
   owns). */
char *cmp_schema_migration_sql(const char *text, int version);
/*
 * A store at schema version `from` whose migrations would make the
 * complaints view anew while the database keeps objects that depend on
 * it (PostgreSQL's views on it, say): a status (78, configuration) and
 * a message in e naming them and what to run; 0 when nothing stands in
 * the way.  Inside the migration's transaction, before the migrations:
 * *keep is then the SQL to run after them that gives the views they
 * make anew their owner, privileges, comments and options back (caller
 * owns; NULL: none).
 */
int cmp_schema_migration_check(const struct cmp_backend *be,
			       struct cmp_db *db, const char *path,
			       int64_t from, char **keep,
			       struct cmp_error *e);

#endif /* CMP_SCHEMA_H */
