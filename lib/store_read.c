/*
 * store_read.c - complaints read a page at a time: the follow-ups of a
 * page of complaints (cmp_store_load_followups, for listings), and the
 * complaints a batch of changes is about to load, read ahead
 * (cmp_store_read_ahead) for cmp_store_load to take.
 *
 * Loaded one at a time, a complaint is two statements, itself and its
 * follow-ups: on a server two round trips, and on SQLite two
 * executions, each of which allocates and frees again every text column
 * it reads.  A page of CMP_STORE_PAGE complaints is one statement, and
 * one more for their follow-ups.
 *
 * What was read ahead is given out once (a complaint loaded a second
 * time is read again), and only while it is true: a complaint the store
 * writes meanwhile is dropped (cmp_read_ahead_changed, from
 * cmp_store_save: its row, tags and follow-ups are written nowhere
 * else), and the transaction's end, a rollback or a rollback to a
 * savepoint drop it all.  Nobody else writes meanwhile: the batch runs
 * inside a writer's transaction.
 *
 * Below store.c (which calls it), it speaks to the backend directly.
 */
#include <stdlib.h>
#include <string.h>

#include "complaint.h"
#include "store_impl.h"
#include "util.h"

/* A complaint read ahead; gone: given out, or dropped. */
struct held {
	struct cmp_complaint c;
	int gone;
};

struct cmp_read_ahead {
	struct cmp_db_stmt *page;	/* kept for the store's life */
	struct held *held;		/* sorted by id */
	size_t n;
};

void
cmp_read_followup(struct cmp_store *st, struct cmp_db_stmt *s, int col,
		  struct cmp_complaint *c)
{
	struct cmp_followup *fu;

	c->followups = cmp_xrealloc(c->followups,
				    (c->nfollowups + 1) * sizeof(*fu));
	fu = &c->followups[c->nfollowups++];
	memset(fu, 0, sizeof(*fu));
	fu->id = st->be->column_int64(s, col);
	fu->due_at = cmp_row_column_time(st->be, s, col + 1);
	fu->done_at = cmp_row_column_time(st->be, s, col + 2);
	fu->channel = cmp_row_column_strdup(st->be, s, col + 3);
	fu->outcome = cmp_row_column_strdup(st->be, s, col + 4);
	fu->satisfaction = (int)st->be->column_int64(s, col + 5);
	fu->note = cmp_row_column_strdup(st->be, s, col + 6);
}

/* The places of a page's complaints in the order of their ids. */
static int
by_id(const void *a, const void *b)
{
	const struct cmp_complaint *x = *(const struct cmp_complaint *const *)a;
	const struct cmp_complaint *y = *(const struct cmp_complaint *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

int
cmp_store_load_followups(struct cmp_store *st, struct cmp_complaint *page,
			 size_t n, struct cmp_error *e)
{
	struct cmp_complaint *order[CMP_STORE_PAGE];
	struct cmp_buf b = CMP_BUF_INIT;
	struct cmp_db_stmt *s;
	size_t k = 0;
	int rc;

	if (!n)
		return 0;
	/* Its text made the first time only: 256 places. */
	s = cmp_store_kept(st, &st->stmt[ST_FU_PAGE],
			   st->stmt[ST_FU_PAGE] ? NULL :
			   cmp_schema_stmt_sql(ST_FU_PAGE, &b), e);
	cmp_buf_release(&b);
	if (!s)
		return e->code;
	for (size_t i = 0; i < n; i++) {
		order[i] = &page[i];
		st->be->bind_int64(s, (int)i + 1, page[i].id);
	}
	qsort(order, n, sizeof(*order), by_id);
	/* Rows come by complaint id, then follow-up id. */
	while ((rc = st->be->step(s)) == CMP_DB_ROW) {
		int64_t id = st->be->column_int64(s, 0);

		while (k < n && order[k]->id < id)
			k++;
		if (k < n && order[k]->id == id)
			cmp_read_followup(st, s, 1, order[k]);
	}
	st->be->reset(s, 0);
	return rc < 0 ? cmp_store_error(st, rc, e) : 0;
}

static int
by_value(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int
by_held(const void *a, const void *b)
{
	const struct held *x = a, *y = b;

	return x->c.id < y->c.id ? -1 : x->c.id > y->c.id;
}

void
cmp_read_ahead_forget(struct cmp_store *st)
{
	struct cmp_read_ahead *a = st->read_ahead;

	if (!a || !a->held)
		return;
	for (size_t i = 0; i < a->n; i++)
		if (!a->held[i].gone)
			cmp_complaint_release(&a->held[i].c);
	free(a->held);
	a->held = NULL;
	a->n = 0;
}

void
cmp_read_ahead_free(struct cmp_store *st)
{
	if (!st->read_ahead)
		return;
	cmp_read_ahead_forget(st);
	if (st->read_ahead->page)
		st->be->finalize(st->read_ahead->page);
	free(st->read_ahead);
	st->read_ahead = NULL;
}

static struct held *
find(struct cmp_store *st, int64_t id)
{
	struct cmp_read_ahead *a = st->read_ahead;
	struct held key, *h;

	if (!a || !a->n)
		return NULL;
	key.c.id = id;
	h = bsearch(&key, a->held, a->n, sizeof(*h), by_held);
	return h && !h->gone ? h : NULL;
}

int
cmp_read_ahead_take(struct cmp_store *st, int64_t id, struct cmp_complaint *c)
{
	struct held *h = find(st, id);

	if (!h)
		return 0;
	cmp_complaint_release(c);
	*c = h->c;
	h->gone = 1;
	return 1;
}

void
cmp_read_ahead_changed(struct cmp_store *st, int64_t id)
{
	struct held *h = find(st, id);

	if (!h)
		return;
	cmp_complaint_release(&h->c);
	h->gone = 1;
}

/* The complaints of the page of distinct ids want[0..n), and their
   follow-ups, added to what is held. */
static int
read_page(struct cmp_store *st, const int64_t *want, size_t n,
	  struct cmp_error *e)
{
	struct cmp_read_ahead *a = st->read_ahead;
	struct cmp_complaint page[CMP_STORE_PAGE];
	struct cmp_buf b = CMP_BUF_INIT;
	struct cmp_db_stmt *s;
	size_t got = 0;
	int rc = 0, ret;

	if (!a->page) {
		/* The columns cmp_row_read_fields reads, as ST_BY_ID's. */
		cmp_buf_adds(&b, "SELECT ");
		cmp_schema_columns(&b, 0, "");
		cmp_buf_adds(&b, " FROM complaint WHERE id IN (");
		for (int i = 0; i < CMP_STORE_PAGE; i++)
			cmp_buf_adds(&b, i ? ", ?" : "?");
		cmp_buf_adds(&b, ")");
	}
	s = cmp_store_kept(st, &a->page, cmp_buf_str(&b), e);
	cmp_buf_release(&b);
	if (!s)
		return e->code;
	for (size_t i = 0; i < n; i++)
		st->be->bind_int64(s, (int)i + 1, want[i]);
	/* All of the page first: a server runs one statement at a time. */
	while ((rc = st->be->step(s)) == CMP_DB_ROW) {
		if (got == n)
			continue;	/* ids are unique: never */
		cmp_complaint_init(&page[got]);
		cmp_row_read_fields(st->be, s, &page[got++], NULL);
	}
	st->be->reset(s, 0);
	ret = rc < 0 ? cmp_store_error(st, rc, e) : 0;
	if (!ret)
		ret = cmp_store_load_followups(st, page, got, e);
	for (size_t i = 0; i < got; i++) {
		if (ret) {
			cmp_complaint_release(&page[i]);
			continue;
		}
		a->held[a->n].c = page[i];
		a->held[a->n++].gone = 0;
	}
	return ret;
}

int
cmp_store_read_ahead(struct cmp_store *st, const int64_t *ids, size_t n,
		     struct cmp_error *e)
{
	struct cmp_read_ahead *a;
	int64_t *want;
	size_t nwant = 0, k = 0;
	int ret = 0;

	cmp_read_ahead_forget(st);
	if (!n)
		return 0;
	if (!st->read_ahead)
		st->read_ahead = cmp_xcalloc(1, sizeof(*st->read_ahead));
	a = st->read_ahead;
	want = cmp_xmalloc(n * sizeof(*want));
	for (size_t i = 0; i < n; i++)
		if (ids[i] > 0)
			want[nwant++] = ids[i];
	qsort(want, nwant, sizeof(*want), by_value);
	/* An id given twice is read once (and given out once). */
	for (size_t i = 0; i < nwant; i++)
		if (!k || want[k - 1] != want[i])
			want[k++] = want[i];
	nwant = k;
	a->held = cmp_xcalloc(nwant ? nwant : 1, sizeof(*a->held));
	for (size_t from = 0; from < nwant && !ret; from += CMP_STORE_PAGE)
		ret = read_page(st, want + from, nwant - from < CMP_STORE_PAGE ?
				nwant - from : CMP_STORE_PAGE, e);
	free(want);
	if (ret) {
		cmp_read_ahead_forget(st);
		return ret;
	}
	/* Rows come in the order the database likes. */
	qsort(a->held, a->n, sizeof(*a->held), by_held);
	return 0;
}
