/*
 * store_changes.c - the status changes from a moment on, held in memory,
 * each complaint's in the order they were journalled: a complaint's
 * status at a later moment is then found here, as a report's
 * REPORT_STATUS_AT finds it, not by a lookup per row in journal_status
 * (a random page of it each, most of a month's deadlines and backlog
 * on a large store).  They are read from a range of the index of
 * fields by time, which holds every column read, and chained by
 * complaint from a hash of the complaint's id.
 */
#include <stdlib.h>
#include <string.h>

#include "complaint.h"
#include "record.h"
#include "store_impl.h"

/* The index of status in ch->statuses, added if new; -1: no room. */
static int
status_name(struct cmp_status_changes *ch, const char *status)
{
	for (int i = 0; i < ch->nstatuses; i++)
		if (!strcmp(ch->statuses[i], status))
			return i;
	if ((size_t)ch->nstatuses == sizeof(ch->statuses) /
	    sizeof(ch->statuses[0]) || strlen(status) >= sizeof(ch->statuses[0]))
		return -1;
	strcpy(ch->statuses[ch->nstatuses], status);
	return ch->nstatuses++;
}

/* The slot of head[] for complaint id: its, or the free one where it
   goes.  The id is in the slot: a probe reads no change. */
static struct cmp_changes_slot *
changes_slot(const struct cmp_status_changes *ch, int64_t id)
{
	size_t i = (size_t)((uint64_t)id * 0x9e3779b97f4a7c15ULL >> 32) &
		(ch->cap - 1);

	while (ch->head[i].first && ch->head[i].complaint_id != id)
		i = (i + 1) & (ch->cap - 1);
	return &ch->head[i];
}

/* Chain every change read to its complaint's, in the order of the ids
   of the changes (the index gave them in the order of time). */
static void
changes_chain(struct cmp_status_changes *ch)
{
	for (ch->cap = 16; ch->cap < 2 * ch->n; ch->cap *= 2)
		;
	ch->head = cmp_xcalloc(ch->cap, sizeof(*ch->head));
	for (size_t i = 0; i < ch->n; i++) {
		struct cmp_changes_slot *slot =
			changes_slot(ch, ch->v[i].complaint_id);
		uint32_t *p = &slot->first;

		slot->complaint_id = ch->v[i].complaint_id;
		while (*p && ch->v[*p - 1].id < ch->v[i].id)
			p = &ch->v[*p - 1].next;
		ch->v[i].next = *p;
		*p = (uint32_t)i + 1;
	}
}

struct cmp_status_changes *
cmp_changes_held(struct cmp_store *st, cmp_time from)
{
	return st->changes && st->changes->from <= from ? st->changes : NULL;
}

/* The index of a status column's value in ch->statuses (CMP_NO_STATUS:
   null); -1: no room. */
static int
status_column(struct cmp_store *st, struct cmp_db_stmt *s, int i,
	      struct cmp_status_changes *ch)
{
	const char *status = st->be->column_text(s, i, NULL);

	return status ? status_name(ch, status) : CMP_NO_STATUS;
}

int
cmp_changes_hold(struct cmp_store *st, cmp_time from, int64_t rows,
		 struct cmp_status_changes **out, struct cmp_error *e)
{
	static const char sql[] =
		"SELECT complaint_id, id, at, old, new"
		" FROM journal_entry{INDEXED BY journal_field_at}"
		" WHERE field = 'status' AND " CMP_REPORT_FIELDS("")
		" AND at >= ?1";
	/* Reading a change costs a small part of what a lookup does (a
	   random page): up to eight a row are read, and no more than
	   CMP_CHANGES_MAX. */
	size_t max = rows >= 0 && (uint64_t)rows < CMP_CHANGES_MAX / 8 - 1 ?
		((size_t)rows + 1) * 8 : CMP_CHANGES_MAX;
	struct cmp_status_changes *ch;
	struct cmp_db_stmt *s;
	size_t cap = 0;
	int rc, ret, held = 1;

	if ((*out = cmp_changes_held(st, from)))
		return 0;
	cmp_changes_forget(st);
	if ((ret = cmp_store_prepare(st, sql, CMP_DB_STREAM, &s, e)))
		return ret;
	ch = cmp_xcalloc(1, sizeof(*ch));
	ch->from = from;
	ch->mark = 1;		/* none marked */
	cmp_row_bind_time(st->be, s, 1, from);
	while ((rc = st->be->step(s)) == CMP_DB_ROW) {
		struct cmp_status_change *c;
		int old = status_column(st, s, 3, ch);
		int new = status_column(st, s, 4, ch);

		if (old < 0 || new < 0 || (old == CMP_NO_STATUS &&
		    new == CMP_NO_STATUS) || ch->n == max) {
			held = 0;
			break;
		}
		if (ch->n == cap) {
			cap = cap ? 2 * cap : 1024;
			if (cap > max)
				cap = max;
			ch->v = cmp_xrealloc(ch->v, cap * sizeof(*ch->v));
		}
		c = &ch->v[ch->n++];
		c->complaint_id = st->be->column_int64(s, 0);
		c->id = st->be->column_int64(s, 1);
		c->at = cmp_row_column_time(st->be, s, 2);
		c->old = (uint8_t)old;
		c->new = (uint8_t)new;
	}
	if (rc == CMP_DB_ROW)
		rc = CMP_DB_DONE;	/* left early, not failed */
	ret = cmp_store_finish(st, rc, e);
	st->be->finalize(s);
	if (ret || !held) {
		cmp_changes_release(ch);
		return ret;
	}
	changes_chain(ch);
	*out = st->changes = ch;
	return 0;
}

/* What a complaint's status was before change c: its old, or its new
   when it was made (old null). */
static const char *
status_before(const struct cmp_status_changes *ch,
	      const struct cmp_status_change *c)
{
	return ch->statuses[c->old != CMP_NO_STATUS ? c->old : c->new];
}

/* The first change of a complaint at or after t, from its first held;
   NULL: none. */
static const struct cmp_status_change *
change_after(const struct cmp_status_changes *ch, uint32_t i, cmp_time t)
{
	for (; i; i = ch->v[i - 1].next)
		if (ch->v[i - 1].at >= t)
			return &ch->v[i - 1];
	return NULL;
}

const char *
cmp_changes_status_at(const struct cmp_status_changes *ch, int64_t id,
		      cmp_time t, const char *now)
{
	const struct cmp_status_change *c =
		change_after(ch, changes_slot(ch, id)->first, t);

	return c ? status_before(ch, c) : now;
}

void
cmp_changes_unmark(struct cmp_status_changes *ch)
{
	ch->mark++;
}

void
cmp_changes_mark(struct cmp_status_changes *ch, int64_t id)
{
	struct cmp_changes_slot *slot = changes_slot(ch, id);

	if (slot->first)
		slot->mark = ch->mark;
}

static int
id_order(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int64_t *
cmp_changes_open_at(const struct cmp_status_changes *ch, cmp_time t,
		    size_t *n)
{
	int64_t *ids = NULL;
	size_t cap = 0;

	*n = 0;
	for (size_t i = 0; i < ch->cap; i++) {
		const struct cmp_changes_slot *slot = &ch->head[i];
		const struct cmp_status_change *c;

		if (!slot->first || slot->mark == ch->mark ||
		    !(c = change_after(ch, slot->first, t)) ||
		    !cmp_status_open(status_before(ch, c)))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 256;
			ids = cmp_xrealloc(ids, cap * sizeof(*ids));
		}
		ids[(*n)++] = slot->complaint_id;
	}
	if (*n)
		qsort(ids, *n, sizeof(*ids), id_order);
	return ids;
}
