/*
 * store.h - the store's private header: what the rest of the library
 * asks of the store, and what the store's own files (store.c, schema.c,
 * row.c, query.c, store_report.c) share.  Not part of the public API.
 */
#ifndef CMP_STORE_H
#define CMP_STORE_H

#include "complaint.h"
#include "backend.h"

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
	ST_JOURNAL_ADD, ST_JOURNAL_LIST, ST_FU_LIST, ST_FU_PAGE, ST_FU_ADD,
	ST_FU_UPDATE, ST_TAG_ADD, ST_TAG_DEL, ST_DUPLICATE, ST_COUNT
};

/* The follow-ups of this many complaints are read at once (ST_FU_PAGE). */
#define CMP_STORE_PAGE 256

struct cmp_store {
	const struct cmp_backend *be;
	struct cmp_db *db;
	char *path;
	struct cmp_db_stmt *stmt[ST_COUNT];
	int64_t fts_from;	/* first id added in this transaction and not
				   in the full-text index yet; 0: none */
	struct {		/* UPDATEs of the columns in mask, reused */
		uint64_t mask;
		struct cmp_db_stmt *s;
	} update[8];
	unsigned update_next;	/* the slot to replace next */
};

/* A field with a column of its own (the follow-ups have a table). */
static inline int
cmp_stored(const struct cmp_field *f)
{
	return f->type != CMP_F_FOLLOWUPS;
}

/* store.c */
/* rc (< 0), of the backend, as a status and a message in e. */
int cmp_store_error(struct cmp_store *st, int rc, struct cmp_error *e);
int cmp_store_exec(struct cmp_store *st, const char *sql,
		   struct cmp_error *e);
/* Prepare sql, its dialect markers (backend.h) expanded. */
int cmp_store_prepare(struct cmp_store *st, const char *sql, unsigned flags,
		      struct cmp_db_stmt **s, struct cmp_error *e);
/* What a step's rc means: 0 (a row, the end), or the status of the
   failure with e set. */
int cmp_store_finish(struct cmp_store *st, int rc, struct cmp_error *e);
/*
 * Load the follow-ups of the n complaints of page (at most
 * CMP_STORE_PAGE, distinct ids) in one query: a backend on the network
 * runs one statement at a time, and one round trip per complaint
 * would be the cost of a listing.
 */
int cmp_store_load_followups(struct cmp_store *st,
			     struct cmp_complaint *page, size_t n,
			     struct cmp_error *e);

/* schema.c */
/* The stored columns, comma separated, from field `from` on, each
   followed by suffix. */
void cmp_store_columns(struct cmp_buf *b, int from, const char *suffix);
/* The text of statement k, in b. */
const char *cmp_store_stmt_sql(enum stmt k, struct cmp_buf *b);
/* sql with the dialect's markers expanded, appended to b. */
void cmp_store_dialect_sql(const struct cmp_dialect *d, struct cmp_buf *b,
			   const char *sql);
/* Bring the schema to CMP_SCHEMA_VERSION. */
int cmp_store_migrate(struct cmp_store *st, struct cmp_error *e);

/* row.c */
void cmp_store_bind_time(const struct cmp_store *st, struct cmp_db_stmt *s,
			 int i, cmp_time t);
cmp_time cmp_store_column_time(const struct cmp_store *st,
			       struct cmp_db_stmt *s, int i);
char *cmp_store_column_strdup(const struct cmp_store *st,
			      struct cmp_db_stmt *s, int i);
void cmp_store_bind_field(const struct cmp_store *st, struct cmp_db_stmt *s,
			  int i, const struct cmp_field *f,
			  const struct cmp_complaint *c);
/* Fill c's stored fields from the current row of a SELECT of
   cmp_store_stmt_sql(ST_BY_*)'s shape; not its follow-ups. */
void cmp_store_read_fields(const struct cmp_store *st, struct cmp_db_stmt *s,
			   struct cmp_complaint *c, char **fingerprint);

#endif /* CMP_STORE_H */
