/*
 * store.c - the store: transactions and bulk mode, complaints in and
 * out, and the journal (store_open.c opens, migrates and closes it).
 * It speaks to the database only through the backend (backend.h); the
 * statement texts are schema.c's, generated from the field table.
 *
 * The statements run again and again are prepared once and kept (the
 * cache st->stmt[] and the UPDATEs of the last few masks), and bound;
 * no user text is ever pasted into SQL.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "complaint.h"
#include "history.h"
#include "store_impl.h"
#include "util.h"

int
cmp_store_exec(struct cmp_store *st, const char *sql, struct cmp_error *e)
{
	int rc = st->be->exec(st->db, sql);

	return rc ? cmp_store_error(st, rc, e) : 0;
}

/* The indexes sql names (an {INDEXED BY}) that a bulk load builds at
   its end (store_bulk.c) and that the database, in the transaction that
   will run sql, is without, in absent (NULL-terminated): during such a
   load, or after one that was killed. */
static int
deferred_absent(struct cmp_store *st, const char *sql,
		const char *absent[CMP_DEFERRED_MAX + 1], struct cmp_error *e)
{
	const struct cmp_deferred_index *di =
		cmp_schema_deferred_indexes(st->be->name);
	size_t k = 0;
	int ret = 0;

	for (; di && di->name && !ret; di++) {
		char marker[64];
		struct cmp_db_stmt *s;
		int rc;

		snprintf(marker, sizeof(marker), "{INDEXED BY %s}", di->name);
		if (!strstr(sql, marker))
			continue;
		if ((rc = st->be->prepare(st->db, cmp_schema_index_exists(
				st->be->name), 0, &s)))
			return cmp_store_error(st, rc, e);
		st->be->bind_text(s, 1, di->name);
		if ((rc = st->be->step(s)) == CMP_DB_DONE)
			absent[k++] = di->name;
		st->be->finalize(s);
		ret = cmp_store_finish(st, rc, e);
	}
	absent[k] = NULL;
	return ret;
}

int
cmp_store_prepare(struct cmp_store *st, const char *sql, unsigned flags,
		  struct cmp_db_stmt **s, struct cmp_error *e)
{
	struct cmp_buf b = CMP_BUF_INIT;
	const char *absent[CMP_DEFERRED_MAX + 1];
	int rc, ret;

	if (strchr(sql, '{')) {
		if ((ret = deferred_absent(st, sql, absent, e))) {
			*s = NULL;
			return ret;
		}
		cmp_schema_dialect_sql(st->be->dialect, &b, sql, absent);
		sql = cmp_buf_str(&b);
	}
	rc = st->be->prepare(st->db, sql, flags, s);
	cmp_buf_release(&b);
	if (rc) {
		*s = NULL;
		return cmp_store_error(st, rc, e);
	}
	return 0;
}

int
cmp_store_finish(struct cmp_store *st, int rc, struct cmp_error *e)
{
	return rc < 0 ? cmp_store_error(st, rc, e) : 0;
}

/* The prepared statement k, reset and unbound, ready to bind. */
static struct cmp_db_stmt *
stmt(struct cmp_store *st, enum stmt k, struct cmp_error *e)
{
	struct cmp_buf b = CMP_BUF_INIT;
	int ret, later = k == ST_JOURNAL_LATER || k == ST_TAG_LATER ||
			 k == ST_INSERT || k == ST_FU_ADD;

	if (st->stmt[k]) {
		st->be->reset(st->stmt[k], 1);
		return st->stmt[k];
	}
	ret = cmp_store_prepare(st, cmp_schema_stmt_sql(k, &b),
				CMP_DB_PERSISTENT | (later ? CMP_DB_DEFER : 0),
				&st->stmt[k], e);
	cmp_buf_release(&b);
	return ret ? NULL : st->stmt[k];
}

/* Run a statement that returns no rows. */
static int
run(struct cmp_store *st, struct cmp_db_stmt *s, struct cmp_error *e)
{
	int rc = st->be->step(s);

	st->be->reset(s, 0);
	return cmp_store_finish(st, rc, e);
}

/* The tables whose rows the store gives their ids (new_id). */
enum { ID_COMPLAINT, ID_FOLLOWUP };
static const char *const new_id_table[] = {"complaint", "followup"};

/*
 * The id of a new row of table t: one past the greatest, read once a
 * transaction (a writer holds the write lock: nobody else adds rows
 * meanwhile), as SQLite would give it.  Given here rather than by the
 * database, an INSERT has no answer to wait for: on a server it goes
 * with the next statement that waits, as the journal's rows do.
 */
static int
new_id(struct cmp_store *st, int t, int64_t *id, struct cmp_error *e)
{
	if (!st->next_id[t]) {
		struct cmp_db_stmt *s;
		char sql[48];
		int rc, ret;

		snprintf(sql, sizeof(sql), "SELECT max(id) FROM %s",
			 new_id_table[t]);
		if ((ret = cmp_store_prepare(st, sql, 0, &s, e)))
			return ret;
		if ((rc = st->be->step(s)) == CMP_DB_ROW)
			st->next_id[t] = st->be->column_int64(s, 0) + 1;
		st->be->finalize(s);
		if ((ret = cmp_store_finish(st, rc, e)))
			return ret;
	}
	*id = st->next_id[t]++;
	return 0;
}

/* Before a commit: a database whose ids come from a sequence has it
   moved past the ids given (for writers that take its ids), deferred
   to go with the commit. */
static int
sync_ids(struct cmp_store *st, struct cmp_error *e)
{
	const char *fmt = st->be->dialect->id_sequence;

	for (int t = 0; t < (int)CMP_ARRAY_LEN(new_id_table); t++) {
		struct cmp_db_stmt *s;
		char sql[128];
		int ret, rc;

		if (!fmt || !st->next_id[t])
			continue;
		snprintf(sql, sizeof(sql), fmt, new_id_table[t]);
		if ((ret = cmp_store_prepare(st, sql, CMP_DB_DEFER, &s, e)))
			return ret;
		st->be->bind_int64(s, 1, st->next_id[t] - 1);
		rc = st->be->step(s);
		st->be->finalize(s);
		if ((ret = cmp_store_finish(st, rc, e)))
			return ret;
	}
	return 0;
}

/* The transaction ends (or rolls back to its savepoint): the greatest
   ids are read again by the next, and what a batch read ahead, or a
   report held, is gone. */
static void
forget_ids(struct cmp_store *st)
{
	memset(st->next_id, 0, sizeof(st->next_id));
	cmp_ahead_forget(st);
	cmp_read_ahead_forget(st);
	cmp_changes_forget(st);
}

static int
load_followups(struct cmp_store *st, struct cmp_complaint *c,
	       struct cmp_error *e)
{
	struct cmp_db_stmt *s = stmt(st, ST_FU_LIST, e);
	int rc;

	if (!s)
		return e->code;
	st->be->bind_int64(s, 1, c->id);
	while ((rc = st->be->step(s)) == CMP_DB_ROW)
		cmp_read_followup(st, s, 0, c);
	st->be->reset(s, 0);
	return cmp_store_finish(st, rc, e);
}

/* Step s, a SELECT of one complaint, into c, and load its follow-ups. */
static int
load_one(struct cmp_store *st, struct cmp_db_stmt *s,
	 struct cmp_complaint *c, char **fingerprint, const char *what,
	 struct cmp_error *e)
{
	int rc = st->be->step(s);
	int ret;

	if (rc == CMP_DB_DONE) {
		st->be->reset(s, 0);
		return cmp_error_set(e, CMP_EX_NOINPUT, NULL,
				     "no complaint %s", what);
	}
	if (rc != CMP_DB_ROW) {
		ret = cmp_store_error(st, rc, e);
		st->be->reset(s, 0);
		return ret;
	}
	cmp_complaint_release(c);
	cmp_row_read_fields(st->be, s, c, fingerprint);
	st->be->reset(s, 0);
	return load_followups(st, c, e);
}

int
cmp_store_load(struct cmp_store *st, int64_t id, struct cmp_complaint *c,
	       struct cmp_error *e)
{
	struct cmp_db_stmt *s;
	char what[32];

	if (cmp_read_ahead_take(st, id, c))
		return 0;
	if (!(s = stmt(st, ST_BY_ID, e)))
		return e->code;
	st->be->bind_int64(s, 1, id);
	snprintf(what, sizeof(what), "%lld", (long long)id);
	return load_one(st, s, c, NULL, what, e);
}

int
cmp_store_load_ref(struct cmp_store *st, const char *ref,
		   struct cmp_complaint *c, char **fingerprint,
		   struct cmp_error *e)
{
	struct cmp_db_stmt *s = stmt(st, ST_BY_REF, e);
	char *what;
	int ret;

	if (!s)
		return e->code;
	what = cmp_xasprintf("with ref '%s'", ref);
	if (cmp_ahead_absent(st, ref)) {
		ret = cmp_error_set(e, CMP_EX_NOINPUT, NULL, "no complaint %s",
				    what);
		free(what);
		return ret;
	}
	st->be->bind_text(s, 1, ref);
	ret = load_one(st, s, c, fingerprint, what, e);
	free(what);
	return ret;
}

/* later: for a complaint being added (ST_JOURNAL_LATER). */
static int
journal_row(struct cmp_store *st, int later, int64_t id,
	    const struct cmp_change *ch, const char *field, const char *old,
	    const char *new_value, struct cmp_error *e)
{
	struct cmp_db_stmt *s = stmt(st, later ? ST_JOURNAL_LATER :
				     ST_JOURNAL_ADD, e);

	if (!s)
		return e->code;
	st->be->bind_int64(s, 1, id);
	cmp_row_bind_time(st->be, s, 2, ch->at);
	st->be->bind_text(s, 3, ch->actor);
	st->be->bind_text(s, 4, ch->program);
	st->be->bind_text(s, 5, field);
	st->be->bind_text(s, 6, old);
	st->be->bind_text(s, 7, new_value);
	st->be->bind_text(s, 8, ch->note);
	return run(st, s, e);
}

static int
journal_add(struct cmp_store *st, int64_t id, const struct cmp_change *ch,
	    const char *field, const char *old, const char *new_value,
	    struct cmp_error *e)
{
	return journal_row(st, 0, id, ch, field, old, new_value, e);
}

static int
tag_row(struct cmp_store *st, enum stmt k, int64_t id, const char *tag,
	struct cmp_error *e)
{
	struct cmp_db_stmt *s = stmt(st, k, e);

	if (!s)
		return e->code;
	st->be->bind_int64(s, 1, id);
	st->be->bind_text(s, 2, tag);
	return run(st, s, e);
}

static int
write_tags(struct cmp_store *st, const struct cmp_complaint *old,
	   const struct cmp_complaint *c, struct cmp_error *e)
{
	int ret;

	/* Only the difference: a tag added to a pipe of complaints is one
	   row each, whatever tags they had.  A complaint being added (no
	   old) has its rows deferred, as its journal's. */
	for (size_t i = 0; old && i < old->ntags; i++)
		if (!cmp_complaint_has_tag(c, old->tags[i]) &&
		    (ret = tag_row(st, ST_TAG_DEL, c->id, old->tags[i], e)))
			return ret;
	for (size_t i = 0; i < c->ntags; i++)
		if ((!old || !cmp_complaint_has_tag(old, c->tags[i])) &&
		    (ret = tag_row(st, old ? ST_TAG_ADD : ST_TAG_LATER, c->id,
				   c->tags[i], e)))
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
	enum stmt k = fu->id ? ST_FU_UPDATE : ST_FU_ADD;
	struct cmp_db_stmt *s = stmt(st, k, e);
	int i = 1, ret;

	if (!s)
		return e->code;
	if (!fu->id) {
		if ((ret = new_id(st, ID_FOLLOWUP, &fu->id, e)))
			return ret;
		st->be->bind_int64(s, i++, fu->id);
		st->be->bind_int64(s, i++, id);
	}
	cmp_row_bind_time(st->be, s, i++, fu->due_at);
	cmp_row_bind_time(st->be, s, i++, fu->done_at);
	st->be->bind_text(s, i++, fu->channel);
	st->be->bind_text(s, i++, fu->outcome);
	if (fu->satisfaction)
		st->be->bind_int64(s, i, fu->satisfaction);
	i++;
	st->be->bind_text(s, i++, fu->note);
	if (k == ST_FU_UPDATE)
		st->be->bind_int64(s, i++, fu->id);
	return run(st, s, e);
}

/* An import past `new` journals its past at its times (history.c),
   each entry cmp-add's, noted "imported" (with the change's own note)
   or with what was assumed. */
static int
journal_history(struct cmp_store *st, const struct cmp_complaint *c,
		const struct cmp_change *ch, struct cmp_error *e)
{
	int n, ret = 0;
	struct cmp_history_step *step = cmp_history_steps(c, &n);
	const char *status = NULL;
	char tb[CMP_TIME_BUFSZ];
	char *imported = ch->note ? cmp_xasprintf("imported; %s", ch->note) :
			 NULL;

	for (int i = 0; i < n && !ret; i++) {
		struct cmp_change at = *ch;
		int is_status = !strcmp(step[i].field, "status");
		char *fu = step[i].followup ? followup_text(step[i].followup) :
			   NULL;

		at.at = step[i].at;
		at.note = step[i].note ? step[i].note :
			  imported ? imported : "imported";
		ret = journal_row(st, 1, c->id, &at, step[i].field,
				  is_status ? status : step[i].old_value,
				  fu ? fu : step[i].new_value ?
				  step[i].new_value :
				  cmp_time_format(step[i].at, tb), e);
		if (is_status)
			status = step[i].new_value;
		free(fu);
	}
	free(step);
	free(imported);
	return ret;
}

/* The text index takes a transaction's new complaints at its commit,
   or this many at a time: indexing many more in one statement (an
   --atomic load's) holds them all in memory. */
#define TEXT_INDEX_ROWS 2000

static int fts_flush(struct cmp_store *st, struct cmp_error *e);

/*
 * The complaint's row (its id the store's: new_id), its tags, follow-ups
 * and journal rows are deferred (CMP_DB_DEFER): on a server they go with
 * the next statement that waits, a record's writes sharing the round
 * trip of the next record's first read.  Their failure, should the server refuse them,
 * is that statement's, or the commit's, and fails the run as any write
 * the store refuses after validation does (cmp_add).
 */
int
cmp_store_add(struct cmp_store *st, struct cmp_complaint *c,
	      const char *fingerprint, const struct cmp_change *ch,
	      struct cmp_error *e)
{
	struct cmp_db_stmt *s = stmt(st, ST_INSERT, e);
	struct cmp_change recorded;
	int i = 1, ret;

	if (!s)
		return e->code;
	c->created_at = c->updated_at = ch->at;
	/* A complaint received before it is added (an import from another
	   system, or one written down late) entered the store when it was
	   received, as if recorded here then: --as-of sees it from that
	   moment, open until its history (if any) says otherwise. */
	if (c->received_at && c->received_at < ch->at)
		c->created_at = c->received_at;
	if ((ret = new_id(st, ID_COMPLAINT, &c->id, e)))
		return ret;
	for (size_t k = 0; k < cmp_nfields; k++) {
		if (!cmp_stored(&cmp_fields[k]))
			continue;
		cmp_row_bind_field(st->be, s, i++, &cmp_fields[k], c);
	}
	st->be->bind_text(s, i++, fingerprint);
	if ((ret = run(st, s, e)))
		return ret;
	cmp_ahead_added(st, c);
	if (!st->fts_from)
		st->fts_from = c->id;
	else if (c->id - st->fts_from + 1 >= TEXT_INDEX_ROWS &&
		 (ret = fts_flush(st, e)))
		return ret;
	if ((ret = write_tags(st, NULL, c, e)))
		return ret;
	for (size_t k = 0; k < c->nfollowups; k++) {
		c->followups[k].id = 0;
		if ((ret = write_followup(st, c->id, &c->followups[k], e)))
			return ret;
	}
	if (strcmp(c->status, "new"))
		return journal_history(st, c, ch, e);
	recorded = *ch;
	recorded.at = c->created_at;
	return journal_row(st, 1, c->id, &recorded, "status", NULL, c->status,
			   e);
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

static struct cmp_db_stmt *
update_stmt(struct cmp_store *st, uint64_t mask, struct cmp_error *e)
{
	struct cmp_buf b = CMP_BUF_INIT;
	size_t slot, n = 0;
	int ret;

	for (slot = 0; slot < CMP_ARRAY_LEN(st->update); slot++) {
		struct cmp_db_stmt *s = st->update[slot].s;

		if (s && st->update[slot].mask == mask) {
			st->be->reset(s, 1);
			return s;
		}
	}
	slot = st->update_next++ % CMP_ARRAY_LEN(st->update);
	if (st->update[slot].s)
		st->be->finalize(st->update[slot].s);
	st->update[slot].s = NULL;
	cmp_buf_adds(&b, "UPDATE complaint SET ");
	for (size_t k = 1; k < cmp_nfields; k++)
		if (update_sets(mask, k))
			cmp_buf_addf(&b, "%s%s = ?", n++ ? ", " : "",
				     cmp_fields[k].column);
	if ((mask >> UPDATE_FINGERPRINT) & 1)
		cmp_buf_addf(&b, "%sfingerprint = ?", n ? ", " : "");
	cmp_buf_adds(&b, " WHERE id = ?");
	ret = cmp_store_prepare(st, b.s, CMP_DB_PERSISTENT,
				&st->update[slot].s, e);
	cmp_buf_release(&b);
	if (ret)
		return NULL;
	st->update[slot].mask = mask;
	return st->update[slot].s;
}

/* UPDATE the columns of mask in c's row; none (only its follow-ups
   changed, within the second it was last updated): no statement. */
static int
update_row(struct cmp_store *st, const struct cmp_complaint *c,
	   uint64_t mask, const char *fingerprint, struct cmp_error *e)
{
	struct cmp_db_stmt *s;
	int i = 1, sets = fingerprint != NULL;

	for (size_t k = 1; k < cmp_nfields && !sets; k++)
		sets = update_sets(mask, k);
	if (!sets)
		return 0;
	if (!(s = update_stmt(st, mask, e)))
		return e->code;
	for (size_t k = 1; k < cmp_nfields; k++)
		if (update_sets(mask, k))
			cmp_row_bind_field(st->be, s, i++, &cmp_fields[k], c);
	if (fingerprint)
		st->be->bind_text(s, i++, fingerprint);
	st->be->bind_int64(s, i, c->id);
	return run(st, s, e);
}

/* A ref changed to one another complaint holds: 65 in the toolkit's
   words, the same on every store, not in the unique index's. */
static int
ref_taken(struct cmp_store *st, const struct cmp_complaint *old,
	  const struct cmp_complaint *c, struct cmp_error *e)
{
	struct cmp_complaint other;
	int ret;

	if (!c->ref || (old->ref && !strcmp(old->ref, c->ref)))
		return 0;
	cmp_complaint_init(&other);
	ret = cmp_store_load_ref(st, c->ref, &other, NULL, e);
	if (ret == CMP_EX_NOINPUT) {
		cmp_error_clear(e);
		ret = 0;
	} else if (!ret && other.id != c->id) {
		ret = cmp_error_set(e, CMP_EX_DATAERR, "ref", "'%s' is "
				    "complaint %lld's", c->ref,
				    (long long)other.id);
	}
	cmp_complaint_release(&other);
	return ret;
}

int
cmp_store_save(struct cmp_store *st, const struct cmp_complaint *old,
	       struct cmp_complaint *c, const char *fingerprint,
	       const struct cmp_change *ch, struct cmp_error *e)
{
	uint64_t mask = 0;
	int changed = 0, tags_changed = 0, ret;

	cmp_ahead_forget(st);
	cmp_read_ahead_changed(st, c->id);
	if ((ret = fts_flush(st, e)) || (ret = ref_taken(st, old, c, e)))
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
	if (!changed && !fingerprint)
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
	if ((ret = update_row(st, c, mask, fingerprint, e)))
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
	struct cmp_db_stmt *s;
	int rc;

	*id = 0;
	if (!c->customer.phone && !c->customer.email && !c->customer.id)
		return 0;
	if (!c->product.name && !c->category)
		return 0;
	if (cmp_ahead_duplicate(st, c, window, id))
		return 0;
	if (!(s = stmt(st, ST_DUPLICATE, e)))
		return e->code;
	st->be->bind_int64(s, 1, c->id);
	st->be->bind_text(s, 2, c->customer.phone);
	st->be->bind_text(s, 3, c->customer.email);
	st->be->bind_text(s, 4, c->customer.id);
	st->be->bind_text(s, 5, c->product.name);
	st->be->bind_text(s, 6, c->category);
	cmp_row_bind_time(st->be, s, 7, c->received_at - window);
	cmp_row_bind_time(st->be, s, 8, c->received_at + window);
	rc = st->be->step(s);
	if (rc == CMP_DB_ROW)
		*id = st->be->column_int64(s, 0);
	st->be->reset(s, 0);
	return cmp_store_finish(st, rc, e);
}

int
cmp_store_journal(struct cmp_store *st, int64_t id, cmp_journal_fn fn,
		  void *arg, struct cmp_error *e)
{
	struct cmp_db_stmt *s = stmt(st, ST_JOURNAL_LIST, e);
	int rc, ret = 0;

	if (!s)
		return e->code;
	st->be->bind_int64(s, 1, id);
	while ((rc = st->be->step(s)) == CMP_DB_ROW) {
		struct cmp_journal_entry j = {
			.complaint_id = st->be->column_int64(s, 0),
			.at = cmp_row_column_time(st->be, s, 1),
			.actor = st->be->column_text(s, 2, NULL),
			.program = st->be->column_text(s, 3, NULL),
			.field = st->be->column_text(s, 4, NULL),
			.old = st->be->column_text(s, 5, NULL),
			.new_value = st->be->column_text(s, 6, NULL),
			.note = st->be->column_text(s, 7, NULL),
		};

		if ((ret = fn(arg, &j)))
			break;
	}
	st->be->reset(s, 0);
	if (ret)
		return ret;
	return cmp_store_finish(st, rc, e);
}

/* The writer's transaction (its settings: the backend's begin). */
int
cmp_store_begin(struct cmp_store *st, struct cmp_error *e)
{
	int rc = st->be->begin(st->db);

	forget_ids(st);
	return rc ? cmp_store_error(st, rc, e) : 0;
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
	int rc;

	if (!st->fts_from)
		return 0;
	if ((rc = st->be->text_index(st->db, st->fts_from)))
		return cmp_store_error(st, rc, e);
	st->fts_from = 0;
	return 0;
}

int
cmp_store_read(struct cmp_store *st, int *began, struct cmp_error *e)
{
	int rc;

	*began = 0;
	if (st->be->in_transaction(st->db)) {
		/* The caller's serves; it may have written since a report
		   held changes in it. */
		cmp_changes_forget(st);
		return 0;
	}
	if ((rc = st->be->read(st->db)))
		return cmp_store_error(st, rc, e);
	forget_ids(st);
	*began = 1;
	return 0;
}

int
cmp_store_read_end(struct cmp_store *st, int began, int failed,
		   struct cmp_error *e)
{
	if (!began) {
		/* The caller's transaction goes on, and may write next:
		   what was held for the reader is forgotten now. */
		cmp_changes_forget(st);
		return 0;
	}
	if (failed) {
		cmp_store_rollback(st);
		return 0;
	}
	return cmp_store_commit(st, e);
}

int
cmp_store_commit(struct cmp_store *st, struct cmp_error *e)
{
	int ret = fts_flush(st, e), rc;

	if (!ret)
		ret = sync_ids(st, e);
	if (!ret && (rc = st->be->commit(st->db)))
		ret = cmp_store_error(st, rc, e);
	st->fts_from = 0;
	forget_ids(st);

	if (ret && st->be->in_transaction(st->db))
		cmp_store_rollback(st);
	return ret;
}

void
cmp_store_rollback(struct cmp_store *st)
{
	st->fts_from = 0;
	forget_ids(st);
	if (!st->be->in_transaction(st->db))
		return;		/* the database already rolled back */
	st->be->rollback(st->db);
}

int
cmp_store_savepoint(struct cmp_store *st, struct cmp_error *e)
{
	int rc = st->be->savepoint(st->db);

	return rc ? cmp_store_error(st, rc, e) : 0;
}

int
cmp_store_release(struct cmp_store *st, struct cmp_error *e)
{
	int rc = st->be->release(st->db);

	return rc ? cmp_store_error(st, rc, e) : 0;
}

/* fts_from stays: a savepoint holds changes of complaints (cmd/change.c),
   never adds.  One that held adds would undo a flush of the text index
   (fts_flush) for complaints added before it, which stay. */
void
cmp_store_rollback_to(struct cmp_store *st)
{
	forget_ids(st);
	if (!st->be->in_transaction(st->db))
		return;
	st->be->rollback_to(st->db);
	st->be->release(st->db);
}

const char *
cmp_store_path(const struct cmp_store *st)
{
	return st->path;
}
