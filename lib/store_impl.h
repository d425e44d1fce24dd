/*
 * store_impl.h - what store.c gives the store's other files above the
 * backend (schema.c, query.c, the report's files...): the store's
 * structure and its statement helpers.  Only the store's files include
 * it.
 */
#ifndef CMP_STORE_IMPL_H
#define CMP_STORE_IMPL_H

#include <stdlib.h>

#include "store.h"
#include "backend.h"
#include "row.h"
#include "schema.h"

/* ------------------------------------------------------------------ */
/* store.c: for query.c and store_report.c                            */
/* ------------------------------------------------------------------ */

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
	/* The id the next row this transaction adds to a table of
	   new_id_table[] gets; 0: its greatest not read yet. */
	int64_t next_id[2];
	struct cmp_ahead *ahead;	/* store_ahead.c's; NULL: none yet */
	struct cmp_read_ahead *read_ahead;	/* store_read.c's; NULL: none
						   yet */
	struct cmp_status_changes *changes;	/* store_changes.c's; NULL:
						   none held */
};

/* rc (< 0), of the backend, as a status and a message in e.  Inline
   here, and the next, for the files below store.c (store_ahead.c,
   store_read.c), which must not call up into it. */
static inline int
cmp_store_error(struct cmp_store *st, int rc, struct cmp_error *e)
{
	return st->be->error(st->db, rc, st->path, e);
}

/* The statement kept in *s: reset and unbound (a place left unused is
   null), or prepared from sql (no dialect markers: the backend's
   prepare) the first time.  NULL with e set when that fails. */
static inline struct cmp_db_stmt *
cmp_store_kept(struct cmp_store *st, struct cmp_db_stmt **s,
	       const char *sql, struct cmp_error *e)
{
	int rc;

	if (*s) {
		st->be->reset(*s, 1);
		return *s;
	}
	if ((rc = st->be->prepare(st->db, sql, CMP_DB_PERSISTENT, s))) {
		*s = NULL;
		cmp_store_error(st, rc, e);
	}
	return *s;
}

/* store.c */
int cmp_store_exec(struct cmp_store *st, const char *sql,
		   struct cmp_error *e);
/* Prepare sql, its dialect markers (backend.h) expanded. */
int cmp_store_prepare(struct cmp_store *st, const char *sql, unsigned flags,
		      struct cmp_db_stmt **s, struct cmp_error *e);
/* What a step's rc means: 0 (a row, the end), or the status of the
   failure with e set. */
int cmp_store_finish(struct cmp_store *st, int rc, struct cmp_error *e);
/* store_ahead.c: what a batch read ahead, for store.c's lookups. */
/* 1: the store holds no complaint of ref (read ahead); 0: not known. */
int cmp_ahead_absent(struct cmp_store *st, const char *ref);
/* 1: *id is cmp_store_find_duplicate's answer for c, read ahead; 0: not
   known (look it up). */
int cmp_ahead_duplicate(struct cmp_store *st, const struct cmp_complaint *c,
			cmp_time window, int64_t *id);
/* c was added: its ref is held now, and later records may duplicate it. */
void cmp_ahead_added(struct cmp_store *st, const struct cmp_complaint *c);
/* Anything else was written, or the transaction ended: nothing read
   ahead is known true any more. */
void cmp_ahead_forget(struct cmp_store *st);
/* At the store's close. */
void cmp_ahead_free(struct cmp_store *st);

/* store_read.c: complaints read a page at a time. */
/* The follow-up in the current row of s, from column col on, added to
   c's. */
void cmp_read_followup(struct cmp_store *st, struct cmp_db_stmt *s, int col,
		       struct cmp_complaint *c);
/*
 * Load the follow-ups of the n complaints of page (at most
 * CMP_STORE_PAGE, distinct ids) in one query: a backend on the network
 * runs one statement at a time, and one round trip per complaint
 * would be the cost of a listing.
 */
int cmp_store_load_followups(struct cmp_store *st,
			     struct cmp_complaint *page, size_t n,
			     struct cmp_error *e);

/* 1: complaint id, read ahead (cmp_store_read_ahead) and still as
   stored, moved into c (released first); 0: not read ahead (load it). */
int cmp_read_ahead_take(struct cmp_store *st, int64_t id,
			struct cmp_complaint *c);
/* Complaint id is written: what was read ahead of it is no longer true. */
void cmp_read_ahead_changed(struct cmp_store *st, int64_t id);
/* The transaction ended or rolled back: nothing read ahead holds. */
void cmp_read_ahead_forget(struct cmp_store *st);
/* At the store's close. */
void cmp_read_ahead_free(struct cmp_store *st);

/* The reports' statements (store_report.c, store_backlog.c). */
#define CMP_REPORT_OPEN "('new', 'assigned', 'waiting')"
/* (cmp_status_open, record.c, is the same list for a status in C;
   schema.h's CMP_OPEN_WHERE, as the WHERE of the index of them.) */
/* A created_at bound that lets everything through (as_of 0). */
#define CMP_REPORT_NO_LIMIT "9999-12-31T23:59:59Z"
/* A time bound, 0 as CMP_REPORT_NO_LIMIT. */
static inline void
cmp_report_bind_time(struct cmp_store *st, struct cmp_db_stmt *s, int i,
		     cmp_time t)
{
	if (t)
		cmp_row_bind_time(st->be, s, i, t);
	else
		st->be->bind_text(s, i, CMP_REPORT_NO_LIMIT);
}

static inline int
cmp_report_prepare(struct cmp_store *st, const char *sql,
		   struct cmp_db_stmt **s, struct cmp_error *e)
{
	/* The backend's own cache, no mmap: a mapped store with a larger
	   cache made a month's report slower, faulting in and zeroing
	   pages read once. */
	return cmp_store_prepare(st, sql, CMP_DB_STREAM, s, e);
}

/* Step s to its end, finalize it; rc of the last step mapped. */
static inline int
cmp_report_finish(struct cmp_store *st, struct cmp_db_stmt *s, int rc,
		  int ret, struct cmp_error *e)
{
	if (!ret)
		ret = cmp_store_finish(st, rc, e);
	st->be->finalize(s);
	return ret;
}

/* "status at the moment ?N": the state the first change at or after it
   left, else the status now.  For complaint alias c. */
#define CMP_REPORT_STATUS_AT(t) \
	"coalesce((SELECT coalesce(j.old, j.new) FROM journal_entry j" \
	"{INDEXED BY journal_status}" \
	" WHERE j.complaint_id = c.id AND j.field = 'status'" \
	" AND j.at >= " t " ORDER BY j.id LIMIT 1), c.status)"

/* store_changes.c: the status changes from a moment on, held in memory,
   each complaint's in the order they were journalled (the reports'
   status of a complaint at a moment, without a lookup per row). */
struct cmp_status_change {
	int64_t complaint_id, id;
	cmp_time at;
	uint32_t next;		/* the complaint's next change + 1; 0: none */
	uint8_t old, new;	/* indexes in statuses[]; CMP_NO_STATUS: null */
};
#define CMP_NO_STATUS 0xff
struct cmp_status_changes {
	cmp_time from;		/* the changes at or after it */
	struct cmp_status_change *v;
	size_t n;
	struct cmp_changes_slot {	/* by a hash of the complaint */
		int64_t complaint_id;
		uint32_t first;	/* its first change + 1; 0: a free slot */
		uint32_t mark;	/* marked: mark (cmp_changes_mark) */
	} *head;
	size_t cap;		/* of head: a power of two, or 0 */
	uint32_t mark;
	char statuses[16][16];
	int nstatuses;
};
/* The changes held at most: 32 MiB of them, and as much for their hash. */
#define CMP_CHANGES_MAX ((size_t)1 << 20)
/*
 * The status changes at or after `from`, held by the store, for a pass
 * that would otherwise look a status up for each of about `rows` rows:
 * read now, at most eight changes a row (and CMP_CHANGES_MAX), or held
 * already from `from` or before (a report's passes read them once).
 * *ch NULL when there are more (or more kinds of status than
 * statuses[] holds): the caller looks each status up instead.  Held
 * until the store's transaction ends or it closes (cmp_changes_forget).
 */
int cmp_changes_hold(struct cmp_store *st, cmp_time from, int64_t rows,
		     struct cmp_status_changes **ch, struct cmp_error *e);
/* Those held already from `from` or before; NULL: none. */
struct cmp_status_changes *cmp_changes_held(struct cmp_store *st,
					    cmp_time from);
static inline void
cmp_changes_release(struct cmp_status_changes *ch)
{
	if (ch) {
		free(ch->v);
		free(ch->head);
		free(ch);
	}
}
/* Inline: store.c forgets them when a transaction ends, and store.c is
   below store_changes.c (which prepares its statement there). */
static inline void
cmp_changes_forget(struct cmp_store *st)
{
	cmp_changes_release(st->changes);
	st->changes = NULL;
}
/* The status of complaint id at t (at or after ch->from), whose status
   is now `now`: what its first change at or after t left, else `now`
   (CMP_REPORT_STATUS_AT in SQL). */
const char *cmp_changes_status_at(const struct cmp_status_changes *ch,
				  int64_t id, cmp_time t, const char *now);
/* A pass that marks complaints begins: none is marked. */
void cmp_changes_unmark(struct cmp_status_changes *ch);
/* Complaint id is accounted for: cmp_changes_open_at leaves it out. */
void cmp_changes_mark(struct cmp_status_changes *ch, int64_t id);
/* The complaints of ch but those marked whose status at t was open, as
   their first change at or after t says (one with none is taken to be
   closed: the caller marked every complaint open now): their ids in
   order, *n of them (to be freed). */
int64_t *cmp_changes_open_at(const struct cmp_status_changes *ch,
			     cmp_time t, size_t *n);

#endif /* CMP_STORE_IMPL_H */
