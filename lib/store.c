/*
 * store.c - the store: open and close, transactions and bulk mode,
 * complaints in and out, and the journal.
 *
 * Every statement is prepared once and bound; no user text is ever
 * pasted into SQL.  The statement texts are schema.c's, generated from
 * the field table.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "internal.h"
#include "store.h"

/* Map an SQLite failure to a status and a message about the store. */
int
cmp_store_error(struct cmp_store *st, int rc, struct cmp_error *e)
{
	const char *msg = st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
	const char *p = st->path;

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

int
cmp_store_exec(struct cmp_store *st, const char *sql, struct cmp_error *e)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : cmp_store_error(st, rc, e);
}

/* The prepared statement k, reset and unbound, ready to bind. */
static sqlite3_stmt *
stmt(struct cmp_store *st, enum stmt k, struct cmp_error *e)
{
	struct cmp_buf b = CMP_BUF_INIT;
	int rc;

	if (st->stmt[k]) {
		sqlite3_reset(st->stmt[k]);
		sqlite3_clear_bindings(st->stmt[k]);
		return st->stmt[k];
	}
	rc = sqlite3_prepare_v3(st->db, cmp_store_stmt_sql(k, &b), -1,
				SQLITE_PREPARE_PERSISTENT, &st->stmt[k], NULL);
	cmp_buf_release(&b);
	if (rc != SQLITE_OK) {
		cmp_store_error(st, rc, e);
		return NULL;
	}
	return st->stmt[k];
}

/* Run a statement that returns no rows. */
static int
run(struct cmp_store *st, sqlite3_stmt *s, struct cmp_error *e)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 :
		cmp_store_error(st, rc, e);
}

static int
run_simple(struct cmp_store *st, enum stmt k, struct cmp_error *e)
{
	sqlite3_stmt *s = stmt(st, k, e);

	return s ? run(st, s, e) : e->code;
}

static int
load_followups(struct cmp_store *st, struct cmp_complaint *c,
	       struct cmp_error *e)
{
	sqlite3_stmt *s = stmt(st, ST_FU_LIST, e);
	int rc;

	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, c->id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct cmp_followup *fu;

		c->followups = cmp_xrealloc(c->followups,
					    (c->nfollowups + 1) * sizeof(*fu));
		fu = &c->followups[c->nfollowups++];
		memset(fu, 0, sizeof(*fu));
		fu->id = sqlite3_column_int64(s, 0);
		fu->due_at = cmp_store_column_time(s, 1);
		fu->done_at = cmp_store_column_time(s, 2);
		fu->channel = cmp_store_column_strdup(s, 3);
		fu->outcome = cmp_store_column_strdup(s, 4);
		fu->satisfaction = sqlite3_column_int(s, 5);
		fu->note = cmp_store_column_strdup(s, 6);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : cmp_store_error(st, rc, e);
}

/* Fill c from the current row of a SELECT made by cmp_store_stmt_sql(ST_BY_*). */
int
cmp_store_read_row(struct cmp_store *st, sqlite3_stmt *s, struct cmp_complaint *c,
	 char **fingerprint, struct cmp_error *e)
{
	cmp_store_read_fields(s, c, fingerprint);
	return load_followups(st, c, e);
}

static int
load_one(struct cmp_store *st, enum stmt k, sqlite3_stmt *s,
	 struct cmp_complaint *c, char **fingerprint, const char *what,
	 struct cmp_error *e)
{
	int rc = sqlite3_step(s);
	int ret;

	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return cmp_error_set(e, CMP_EX_NOINPUT, NULL,
				     "no complaint %s", what);
	}
	if (rc != SQLITE_ROW) {
		ret = cmp_store_error(st, rc, e);
		sqlite3_reset(s);
		return ret;
	}
	(void)k;
	cmp_complaint_release(c);
	ret = cmp_store_read_row(st, s, c, fingerprint, e);
	sqlite3_reset(s);
	return ret;
}

int
cmp_store_load(struct cmp_store *st, int64_t id, struct cmp_complaint *c,
	       struct cmp_error *e)
{
	sqlite3_stmt *s = stmt(st, ST_BY_ID, e);
	char what[32];

	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	snprintf(what, sizeof(what), "%lld", (long long)id);
	return load_one(st, ST_BY_ID, s, c, NULL, what, e);
}

int
cmp_store_load_ref(struct cmp_store *st, const char *ref,
		   struct cmp_complaint *c, char **fingerprint,
		   struct cmp_error *e)
{
	sqlite3_stmt *s = stmt(st, ST_BY_REF, e);
	char *what;
	int ret;

	if (!s)
		return e->code;
	cmp_store_bind_text(s, 1, ref);
	what = cmp_xasprintf("with ref '%s'", ref);
	ret = load_one(st, ST_BY_REF, s, c, fingerprint, what, e);
	free(what);
	return ret;
}

static int
journal_add(struct cmp_store *st, int64_t id, const struct cmp_change *ch,
	    const char *field, const char *old, const char *new_value,
	    struct cmp_error *e)
{
	sqlite3_stmt *s = stmt(st, ST_JOURNAL_ADD, e);

	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	cmp_store_bind_time(s, 2, ch->at);
	cmp_store_bind_text(s, 3, ch->actor);
	cmp_store_bind_text(s, 4, ch->program);
	cmp_store_bind_text(s, 5, field);
	cmp_store_bind_text(s, 6, old);
	cmp_store_bind_text(s, 7, new_value);
	cmp_store_bind_text(s, 8, ch->note);
	return run(st, s, e);
}

static int
has_tag(const struct cmp_complaint *c, const char *tag)
{
	for (size_t i = 0; i < c->ntags; i++)
		if (!strcmp(c->tags[i], tag))
			return 1;
	return 0;
}

static int
tag_row(struct cmp_store *st, enum stmt k, int64_t id, const char *tag,
	struct cmp_error *e)
{
	sqlite3_stmt *s = stmt(st, k, e);

	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	cmp_store_bind_text(s, 2, tag);
	return run(st, s, e);
}

static int
write_tags(struct cmp_store *st, const struct cmp_complaint *old,
	   const struct cmp_complaint *c, struct cmp_error *e)
{
	int ret;

	/* Only the difference: a tag added to a pipe of complaints is one
	   row each, whatever tags they had. */
	for (size_t i = 0; old && i < old->ntags; i++)
		if (!has_tag(c, old->tags[i]) &&
		    (ret = tag_row(st, ST_TAG_DEL, c->id, old->tags[i], e)))
			return ret;
	for (size_t i = 0; i < c->ntags; i++)
		if ((!old || !has_tag(old, c->tags[i])) &&
		    (ret = tag_row(st, ST_TAG_ADD, c->id, c->tags[i], e)))
			return ret;
	return 0;
}

static char *
followup_text(const struct cmp_followup *fu)
{
	struct cmp_complaint one;
	const struct cmp_field *f = cmp_field_find("followups");
	char *s;

	/* The follow-up as the record's JSON shows it, as an array of one. */
	cmp_complaint_init(&one);
	one.followups = (struct cmp_followup *)fu;
	one.nfollowups = 1;
	s = cmp_field_text(f, &one);
	return s;
}

/* Insert or update follow-up fu of complaint id. */
static int
write_followup(struct cmp_store *st, int64_t id, struct cmp_followup *fu,
	       struct cmp_error *e)
{
	sqlite3_stmt *s = stmt(st, fu->id ? ST_FU_UPDATE : ST_FU_ADD, e);
	int i = 1, ret;

	if (!s)
		return e->code;
	if (!fu->id)
		sqlite3_bind_int64(s, i++, id);
	cmp_store_bind_time(s, i++, fu->due_at);
	cmp_store_bind_time(s, i++, fu->done_at);
	cmp_store_bind_text(s, i++, fu->channel);
	cmp_store_bind_text(s, i++, fu->outcome);
	if (fu->satisfaction)
		sqlite3_bind_int(s, i, fu->satisfaction);
	i++;
	cmp_store_bind_text(s, i++, fu->note);
	if (fu->id)
		sqlite3_bind_int64(s, i++, fu->id);
	if ((ret = run(st, s, e)))
		return ret;
	if (!fu->id)
		fu->id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int
cmp_store_add(struct cmp_store *st, struct cmp_complaint *c,
	      const char *fingerprint, const struct cmp_change *ch,
	      struct cmp_error *e)
{
	sqlite3_stmt *s = stmt(st, ST_INSERT, e);
	int i = 1, ret;

	if (!s)
		return e->code;
	c->created_at = c->updated_at = ch->at;
	for (size_t k = 1; k < cmp_nfields; k++) {
		if (!cmp_stored(&cmp_fields[k]))
			continue;
		cmp_store_bind_field(s, i++, &cmp_fields[k], c);
	}
	sqlite3_bind_int64(s, i++, c->escalated_for);
	cmp_store_bind_text(s, i++, fingerprint);
	if ((ret = run(st, s, e)))
		return ret;
	c->id = sqlite3_last_insert_rowid(st->db);
	if (!st->fts_from)
		st->fts_from = c->id;
	if ((ret = write_tags(st, NULL, c, e)))
		return ret;
	for (size_t k = 0; k < c->nfollowups; k++) {
		c->followups[k].id = 0;
		if ((ret = write_followup(st, c->id, &c->followups[k], e)))
			return ret;
	}
	return journal_add(st, c->id, ch, "status", NULL, c->status, e);
}

/* Journal and write the follow-ups that are new or changed. */
static int
save_followups(struct cmp_store *st, const struct cmp_complaint *old,
	       struct cmp_complaint *c, const struct cmp_change *ch,
	       struct cmp_error *e)
{
	for (size_t i = 0; i < c->nfollowups; i++) {
		struct cmp_followup *fu = &c->followups[i];
		const struct cmp_followup *was = NULL;
		char *before, *after;
		int ret;

		for (size_t k = 0; fu->id && k < old->nfollowups; k++)
			if (old->followups[k].id == fu->id)
				was = &old->followups[k];
		before = was ? followup_text(was) : NULL;
		after = followup_text(fu);
		if (before && !strcmp(before, after)) {
			free(before);
			free(after);
			continue;
		}
		if (!(ret = write_followup(st, c->id, fu, e)))
			ret = journal_add(st, c->id, ch, "followups", before,
					  after, e);
		free(before);
		free(after);
		if (ret)
			return ret;
	}
	return 0;
}

static int fts_flush(struct cmp_store *st, struct cmp_error *e);

/*
 * An UPDATE sets only the columns that changed: SQLite rewrites every
 * index on a column named in SET, changed or not, so setting them all
 * cost fourteen index updates for a tag.  mask has bit k for field k
 * (fields from UPDATE_FINGERPRINT on, if there ever are so many, are
 * always set) and bit UPDATE_FINGERPRINT for the fingerprint.  The statements
 * of the last few masks are kept: a pipe makes the same change to each.
 */
#define UPDATE_FINGERPRINT 63

static int
update_sets(uint64_t mask, size_t k)
{
	if (!cmp_stored(&cmp_fields[k]))
		return 0;
	if (k >= UPDATE_FINGERPRINT)
		return 1;
	return (mask >> k) & 1;
}

static sqlite3_stmt *
update_stmt(struct cmp_store *st, uint64_t mask, struct cmp_error *e)
{
	struct cmp_buf b = CMP_BUF_INIT;
	size_t slot;
	int rc;

	for (slot = 0; slot < CMP_ARRAY_LEN(st->update); slot++) {
		sqlite3_stmt *s = st->update[slot].s;

		if (s && st->update[slot].mask == mask) {
			sqlite3_reset(s);
			sqlite3_clear_bindings(s);
			return s;
		}
	}
	slot = st->update_next++ % CMP_ARRAY_LEN(st->update);
	sqlite3_finalize(st->update[slot].s);
	st->update[slot].s = NULL;
	cmp_buf_adds(&b, "UPDATE complaint SET ");
	for (size_t k = 1; k < cmp_nfields; k++)
		if (update_sets(mask, k))
			cmp_buf_addf(&b, "%s = ?, ", cmp_fields[k].column);
	cmp_buf_adds(&b, "escalated_for = ?");
	if ((mask >> UPDATE_FINGERPRINT) & 1)
		cmp_buf_adds(&b, ", fingerprint = ?");
	cmp_buf_adds(&b, " WHERE id = ?");
	rc = sqlite3_prepare_v3(st->db, b.s, -1, SQLITE_PREPARE_PERSISTENT,
				&st->update[slot].s, NULL);
	cmp_buf_release(&b);
	if (rc != SQLITE_OK) {
		cmp_store_error(st, rc, e);
		return NULL;
	}
	st->update[slot].mask = mask;
	return st->update[slot].s;
}

int
cmp_store_save(struct cmp_store *st, const struct cmp_complaint *old,
	       struct cmp_complaint *c, const char *fingerprint,
	       const struct cmp_change *ch, struct cmp_error *e)
{
	sqlite3_stmt *s;
	uint64_t mask = 0;
	int changed = 0, tags_changed = 0, i = 1, ret;

	if ((ret = fts_flush(st, e)))
		return ret;

	/* One comparison a field: the journal, and the columns to set. */
	for (size_t k = 0; k < cmp_nfields; k++) {
		const struct cmp_field *f = &cmp_fields[k];
		char *before, *after;

		if (cmp_field_equal(f, old, c))
			continue;
		if (k < UPDATE_FINGERPRINT)
			mask |= (uint64_t)1 << k;
		if (f->flags & CMP_FF_MANAGED)
			continue;
		if (f->type == CMP_F_FOLLOWUPS) {
			changed = 1;
			continue;
		}
		if (f->type == CMP_F_TAGS)
			tags_changed = 1;
		changed = 1;
		before = cmp_field_text(f, old);
		after = cmp_field_text(f, c);
		ret = journal_add(st, c->id, ch, f->path, before, after, e);
		free(before);
		free(after);
		if (ret)
			return ret;
	}
	if (!changed && old->escalated_for == c->escalated_for && !fingerprint)
		return 0;
	if (c->updated_at != ch->at) {
		static size_t k;	/* updated_at's place, found once */

		if (!k)
			k = (size_t)(cmp_field_find("updated_at") - cmp_fields);
		c->updated_at = ch->at;
		if (k < UPDATE_FINGERPRINT)
			mask |= (uint64_t)1 << k;
	}
	if (fingerprint)
		mask |= (uint64_t)1 << UPDATE_FINGERPRINT;
	if (!(s = update_stmt(st, mask, e)))
		return e->code;
	for (size_t k = 1; k < cmp_nfields; k++)
		if (update_sets(mask, k))
			cmp_store_bind_field(s, i++, &cmp_fields[k], c);
	sqlite3_bind_int64(s, i++, c->escalated_for);
	if (fingerprint)
		cmp_store_bind_text(s, i++, fingerprint);
	sqlite3_bind_int64(s, i++, c->id);
	if ((ret = run(st, s, e)))
		return ret;
	if (tags_changed && (ret = write_tags(st, old, c, e)))
		return ret;
	return save_followups(st, old, c, ch, e);
}

int
cmp_store_note(struct cmp_store *st, int64_t id, const struct cmp_change *ch,
	       struct cmp_error *e)
{
	return journal_add(st, id, ch, NULL, NULL, NULL, e);
}

int
cmp_store_find_duplicate(struct cmp_store *st, const struct cmp_complaint *c,
			 cmp_time window, int64_t *id, struct cmp_error *e)
{
	sqlite3_stmt *s;
	int rc;

	*id = 0;
	if (!c->customer.phone && !c->customer.email && !c->customer.id)
		return 0;
	if (!c->product.name && !c->category)
		return 0;
	if (!(s = stmt(st, ST_DUPLICATE, e)))
		return e->code;
	sqlite3_bind_int64(s, 1, c->id);
	cmp_store_bind_text(s, 2, c->customer.phone);
	cmp_store_bind_text(s, 3, c->customer.email);
	cmp_store_bind_text(s, 4, c->customer.id);
	cmp_store_bind_text(s, 5, c->product.name);
	cmp_store_bind_text(s, 6, c->category);
	cmp_store_bind_time(s, 7, c->received_at - window);
	cmp_store_bind_time(s, 8, c->received_at + window);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : cmp_store_error(st, rc, e);
}

int
cmp_store_journal(struct cmp_store *st, int64_t id, cmp_journal_fn fn,
		  void *arg, struct cmp_error *e)
{
	sqlite3_stmt *s = stmt(st, ST_JOURNAL_LIST, e);
	int rc, ret = 0;

	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct cmp_journal_entry j = {
			.complaint_id = sqlite3_column_int64(s, 0),
			.at = cmp_store_column_time(s, 1),
			.actor = (const char *)sqlite3_column_text(s, 2),
			.program = (const char *)sqlite3_column_text(s, 3),
			.field = (const char *)sqlite3_column_text(s, 4),
			.old = (const char *)sqlite3_column_text(s, 5),
			.new_value = (const char *)sqlite3_column_text(s, 6),
			.note = (const char *)sqlite3_column_text(s, 7),
		};

		if ((ret = fn(arg, &j)))
			break;
	}
	sqlite3_reset(s);
	if (ret)
		return ret;
	return rc == SQLITE_DONE ? 0 : cmp_store_error(st, rc, e);
}

int
cmp_store_begin(struct cmp_store *st, struct cmp_error *e)
{
	/*
	 * Every connection keeps SQLite's 2 MiB page cache, which recycles
	 * its pages: a larger one allocates (and the kernel zeroes) a page
	 * for each page read.  It made a list of 2,800 rows 2.7x slower,
	 * and 10,000 ids through cmp-assign on a million 1.05-1.29 s
	 * against 0.87-0.97 s.  A bulk load alone takes 48 MiB
	 * (cmp_store_bulk).  A writer's statement journals stay in memory
	 * (on disk they cost 50 writes per updated complaint); a reader's
	 * sorts may still spill to a file, so a long sorted list needs no
	 * memory.  The WAL is copied back after 256 MiB rather than 4: a
	 * bulk load dirties the same index pages batch after batch (a
	 * batch of 2,000 writes 14,000 to 28,000 pages on a million: the
	 * indexes by time received, phone and customer take their keys in
	 * any order), and each copy wrote them again.  64 MiB made a load
	 * 15% faster than 4; 256 MiB another 10% (a million in 294 s
	 * against 341 s); 1 GiB no more with the cache of the time, and
	 * a larger WAL is slower to search for every page read, so only a
	 * bulk load takes 1 GiB (cmp_store_bulk).  The last connection to
	 * close still empties it.
	 */
	if (!st->writer) {
		int ret = cmp_store_exec(st, "PRAGMA temp_store = MEMORY;"
			       " PRAGMA wal_autocheckpoint = 65536", e);

		if (ret)
			return ret;
		st->writer = 1;
	}
	return run_simple(st, ST_BEGIN, e);
}

/*
 * Index the complaints added in this transaction (every id from
 * fts_from up: ids grow, and nobody else writes while we hold the lock).
 * Before a commit, and before an update whose trigger would otherwise
 * delete from the index a row that is not in it yet.
 */
static int
fts_flush(struct cmp_store *st, struct cmp_error *e)
{
	sqlite3_stmt *s;
	int ret;

	if (!st->fts_from)
		return 0;
	if (!(s = stmt(st, ST_FTS_FLUSH, e)))
		return e->code;
	sqlite3_bind_int64(s, 1, st->fts_from);
	if (!(ret = run(st, s, e)))
		st->fts_from = 0;
	return ret;
}

int
cmp_store_commit(struct cmp_store *st, struct cmp_error *e)
{
	int ret = fts_flush(st, e);

	if (!ret)
		ret = run_simple(st, ST_COMMIT, e);
	st->fts_from = 0;

	if (ret && sqlite3_get_autocommit(st->db) == 0)
		cmp_store_rollback(st);
	return ret;
}

void
cmp_store_rollback(struct cmp_store *st)
{
	struct cmp_error ignored;

	st->fts_from = 0;
	if (sqlite3_get_autocommit(st->db))
		return;		/* SQLite already rolled back */
	run_simple(st, ST_ROLLBACK, &ignored);
}

/*
 * A bulk load: while it runs, the text index merges its segments 16 at
 * a time, not 4, and so merges the text it has already indexed less
 * often (100,000 complaints onto 900,000 in 53 s, not 75).  That
 * leaves up to 15 segments a level, and the one add that makes a level
 * 16 merges the whole level at once: after a million, the 12th single
 * add took 13.7 s and 42 MB (15 segments of 8,400 pages).  So the end
 * of the load, in a transaction of its own, goes back to 4 and merges
 * every level of 4 segments or more (FTS5's 'merge' command with no
 * limit of pages, its usermerge 4): 17.6 s after that million, and
 * then 100 single adds took at most 0.15 s.  A load that dies before
 * its end (cmp-add merges on its errors) leaves 16 until the next.
 */
int
cmp_store_bulk(struct cmp_store *st, int on, struct cmp_error *e)
{
	int ret;

	/* A larger cache keeps more of the index pages a load's batches
	   touch (see cmp_store_begin): fewer are read back, fewer spilled
	   to the WAL before the commit.  48 MiB holds most of a batch's
	   pages on a million, and a bigger WAL lets the same index pages
	   be rewritten in it four times as long before each copy back:
	   20,000 complaints onto a million spilled 165,521 WAL frames
	   with 32 MiB, 110,248 with 48 MiB (64 and 128 MiB no fewer); a
	   million into an empty store took 160-162 s against 173-179 s
	   (on a slower day 232 s against 279, 48 MiB alone 248), peak
	   73 MB against 54. */
	if (on)
		return cmp_store_exec(st, "PRAGMA cache_size = -49152;"
			    " PRAGMA wal_autocheckpoint = 262144;"
			    " INSERT INTO complaint_text(complaint_text,"
			    " rank) VALUES ('automerge', 16)", e);
	if ((ret = cmp_store_begin(st, e)))
		return ret;
	ret = cmp_store_exec(st, "INSERT INTO complaint_text(complaint_text, rank)"
		   " VALUES ('automerge', 4);"
		   "INSERT INTO complaint_text(complaint_text, rank)"
		   " VALUES ('merge', 2147483647)", e);
	if (ret)
		cmp_store_rollback(st);
	else
		ret = cmp_store_commit(st, e);
	return ret;
}

int
cmp_store_savepoint(struct cmp_store *st, struct cmp_error *e)
{
	return run_simple(st, ST_SAVEPOINT, e);
}

int
cmp_store_release(struct cmp_store *st, struct cmp_error *e)
{
	return run_simple(st, ST_RELEASE, e);
}

void
cmp_store_rollback_to(struct cmp_store *st)
{
	struct cmp_error ignored;

	if (sqlite3_get_autocommit(st->db))
		return;
	run_simple(st, ST_ROLLBACK_TO, &ignored);
	run_simple(st, ST_RELEASE, &ignored);
}

const char *
cmp_store_path(const struct cmp_store *st)
{
	return st->path;
}

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
busy_timeout(void)
{
	const char *s = getenv("CMP_BUSY_TIMEOUT");
	long v;
	char *end;

	if (!s || !*s)
		return 5000;
	v = strtol(s, &end, 10);
	return *end || v < 0 || v > 3600000 ? 5000 : (int)v;
}

int
cmp_store_open(struct cmp_store **out, const char *path, struct cmp_error *e)
{
	struct cmp_store *st;
	struct stat sb;
	int rc, ret;

	*out = NULL;
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return cmp_error_set(e, CMP_EX_CANTCREAT, NULL,
				     "cannot open store '%s': is a directory",
				     path);
	if ((ret = create_file(path, e)))
		return ret;
	st = cmp_xcalloc(1, sizeof(*st));
	st->path = cmp_xstrdup(path);
	rc = sqlite3_open_v2(path, &st->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		ret = cmp_store_error(st, rc, e);
		cmp_store_close(st);
		return ret;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, busy_timeout());
	/*
	 * WAL: readers never block the writer; synchronous FULL: a commit
	 * is on disk before anything downstream sees the record.
	 */
	if ((ret = cmp_store_exec(st, "PRAGMA journal_mode = WAL", e)) &&
	    ret != CMP_EX_IOERR) {
		cmp_store_close(st);
		return ret;
	}
	if ((ret = cmp_store_exec(st, "PRAGMA synchronous = FULL;"
			" PRAGMA foreign_keys = ON", e)) ||
	    (ret = cmp_store_migrate(st, e))) {
		cmp_store_close(st);
		return ret;
	}
	*out = st;
	return 0;
}

void
cmp_store_close(struct cmp_store *st)
{
	if (!st)
		return;
	for (int k = 0; k < ST_COUNT; k++)
		sqlite3_finalize(st->stmt[k]);
	for (size_t k = 0; k < CMP_ARRAY_LEN(st->update); k++)
		sqlite3_finalize(st->update[k].s);
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

struct pauses {
	struct cmp_pause *p;
	size_t n;
	cmp_time reopened;
};

static int
collect_pause(void *arg, const struct cmp_journal_entry *j)
{
	struct pauses *ps = arg;

	if (!j->field || strcmp(j->field, "status"))
		return 0;
	if (j->new_value && !strcmp(j->new_value, "waiting")) {
		ps->p = cmp_xrealloc(ps->p, (ps->n + 1) * sizeof(*ps->p));
		ps->p[ps->n].from = j->at;
		ps->p[ps->n++].to = 0;
	} else if (j->old && !strcmp(j->old, "waiting") && ps->n &&
		   !ps->p[ps->n - 1].to) {
		ps->p[ps->n - 1].to = j->at;
	}
	if (j->old && j->new_value && !strcmp(j->new_value, "assigned") &&
	    (!strcmp(j->old, "resolved") || !strcmp(j->old, "closed") ||
	     !strcmp(j->old, "rejected")))
		ps->reopened = j->at;
	return 0;
}

int
cmp_store_pauses(struct cmp_store *st, int64_t id, struct cmp_pause **out,
		 size_t *n, cmp_time *reopened_at, struct cmp_error *e)
{
	struct pauses ps = {NULL, 0, 0};
	int ret = cmp_store_journal(st, id, collect_pause, &ps, e);

	*out = ps.p;
	*n = ps.n;
	*reopened_at = ps.reopened;
	return ret;
}
