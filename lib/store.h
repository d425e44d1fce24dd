/*
 * store.h - the store's private header: what the rest of the library
 * asks of the store, and what the store's own files (store.c, schema.c,
 * row.c, query.c, store_report.c) share.  Not part of the public API.
 */
#ifndef CMP_STORE_H
#define CMP_STORE_H

#include <sqlite3.h>

#include "complaint.h"

/* ------------------------------------------------------------------ */
/* store.c: for the rest of the library (intake.c) and the tests       */
/* ------------------------------------------------------------------ */

/*
 * Insert a new complaint: sets c->id, created_at, updated_at, stores its
 * follow-ups and tags, and journals its creation.  fingerprint (may be
 * NULL) identifies the input it came from, for idempotent replays.
 */
int cmp_store_add(struct cmp_store *st, struct cmp_complaint *c,
		  const char *fingerprint, const struct cmp_change *ch,
		  struct cmp_error *e);
/* Load by ref; 66 when none.  *fingerprint (caller owns) may be NULL. */
int cmp_store_load_ref(struct cmp_store *st, const char *ref,
		       struct cmp_complaint *c, char **fingerprint,
		       struct cmp_error *e);
/* The id of an earlier complaint c likely duplicates, or 0. */
int cmp_store_find_duplicate(struct cmp_store *st,
			     const struct cmp_complaint *c, cmp_time window,
			     int64_t *id, struct cmp_error *e);

/* ------------------------------------------------------------------ */
/* shared by the store's files                                         */
/* ------------------------------------------------------------------ */

/* The statements every store keeps prepared (texts: schema.c). */
enum stmt {
	ST_INSERT, ST_BY_ID, ST_BY_REF, ST_FINGERPRINT,
	ST_JOURNAL_ADD, ST_JOURNAL_LIST, ST_FU_LIST, ST_FU_ADD, ST_FU_UPDATE,
	ST_TAG_ADD, ST_TAG_DEL, ST_DUPLICATE, ST_FTS_FLUSH, ST_SAVEPOINT, ST_RELEASE,
	ST_ROLLBACK_TO, ST_BEGIN, ST_COMMIT, ST_ROLLBACK, ST_COUNT
};

struct cmp_store {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *stmt[ST_COUNT];
	int64_t fts_from;	/* first id added in this transaction and not
				   in the full-text index yet; 0: none */
	struct {		/* UPDATEs of the columns in mask, reused */
		uint64_t mask;
		sqlite3_stmt *s;
	} update[8];
	unsigned update_next;	/* the slot to replace next */
	int writer;		/* has begun a transaction (cache grown) */
};

/* A field with a column of its own (the follow-ups have a table). */
static inline int
cmp_stored(const struct cmp_field *f)
{
	return f->type != CMP_F_FOLLOWUPS;
}

/* store.c */
/* Map a failure to a status and a message about the store. */
int cmp_store_error(struct cmp_store *st, int rc, struct cmp_error *e);
int cmp_store_exec(struct cmp_store *st, const char *sql,
		   struct cmp_error *e);
/* Fill c from the current row of a SELECT of cmp_store_stmt_sql(ST_BY_*)
   shape, and load its follow-ups. */
int cmp_store_read_row(struct cmp_store *st, sqlite3_stmt *s,
		       struct cmp_complaint *c, char **fingerprint,
		       struct cmp_error *e);

/* schema.c */
/* The stored columns, comma separated, from field `from` on, each
   followed by suffix. */
void cmp_store_columns(struct cmp_buf *b, int from, const char *suffix);
/* The text of statement k, in b. */
const char *cmp_store_stmt_sql(enum stmt k, struct cmp_buf *b);
/* Bring the schema to CMP_SCHEMA_VERSION. */
int cmp_store_migrate(struct cmp_store *st, struct cmp_error *e);

/* row.c */
void cmp_store_bind_text(sqlite3_stmt *s, int i, const char *v);
void cmp_store_bind_time(sqlite3_stmt *s, int i, cmp_time t);
cmp_time cmp_store_column_time(sqlite3_stmt *s, int i);
char *cmp_store_column_strdup(sqlite3_stmt *s, int i);
void cmp_store_bind_field(sqlite3_stmt *s, int i, const struct cmp_field *f,
			  const struct cmp_complaint *c);
void cmp_store_read_fields(sqlite3_stmt *s, struct cmp_complaint *c,
			   char **fingerprint);

#endif /* CMP_STORE_H */
