/*
 * store_ahead.c - reading ahead for a batch of complaints to add: which
 * of their refs the store does not hold, and the complaints each one
 * may duplicate, each read for the whole batch in a statement or a few
 * (cmp_store_ahead), instead of two lookups a record.  On a server a
 * lookup is a round trip, and a bulk import was two a record.
 *
 * What is read ahead answers cmp_store_load_ref and
 * cmp_store_find_duplicate only while it stays true: the complaints the
 * batch adds are kept beside it (cmp_ahead_added), and anything else
 * that writes (an update of a stored complaint, the transaction's end,
 * a rollback) forgets it all (cmp_ahead_forget).  A record whose
 * lookup was not read ahead, or whose fields changed since (a default
 * or a rule), is looked up as before.  Nobody else writes meanwhile:
 * the batch runs inside a writer's transaction.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "complaint.h"
#include "store_impl.h"
#include "util.h"

/* The columns that name a customer, as cmp_store_find_duplicate's. */
static const char *const key_column[] = {
	"customer_phone", "customer_email", "customer_id"
};
#define NKEYS 3

/* The sizes of the read-ahead statements: 2^0 .. 2^8 = CMP_STORE_PAGE. */
#define NSIZES 9

/* A complaint of the batch, as it was read ahead. */
struct rec {
	const struct cmp_complaint *c;
	char *ref;
	char *key[NKEYS];
	cmp_time received;
	int asked;		/* its duplicates were read ahead */
};

/* A complaint one of the batch may duplicate: a stored one (rec its
   record's place) or one the batch added (rec: none). */
struct cand {
	size_t rec;
	int64_t id;
	cmp_time received;
	char *key[NKEYS];	/* the batch's own only */
	size_t next[NKEYS];	/* the batch's own: the next of its key's chain */
	char *product, *category;
};

struct ref {
	const char *ref;	/* a rec's */
	int absent;		/* the store has no complaint of this ref */
};

struct cmp_ahead {
	/* Kept for the store's life, one of each size: 1, 2, 4 ... places
	   up to CMP_STORE_PAGE, so that one record does not pay for
	   preparing 256 places (most of one cmp-add call, else). */
	struct cmp_db_stmt *refs[NSIZES], *dups[NSIZES];
	int valid;
	cmp_time window;
	struct rec *rec;
	size_t nrec, next;	/* next: where the next lookup likely is */
	struct ref *ref;	/* sorted by ref */
	size_t nref;
	struct cand *cand;	/* the stored ones by rec, then the added */
	size_t ncand, nstored, cap;
	/* The added ones by customer key, a chain a bucket: scanning them
	   all for each record made a batch quadratic. */
	size_t *head[NKEYS], nbucket;
};

#define NO_REC ((size_t)-1)

static const char *
key_of(const struct cmp_complaint *c, int k)
{
	return k == 0 ? c->customer.phone : k == 1 ? c->customer.email :
	       c->customer.id;
}

static char *
dup_or_null(const char *s)
{
	return s ? cmp_xstrdup(s) : NULL;
}

static int
same(const char *a, const char *b)
{
	return a ? b && !strcmp(a, b) : !b;
}

/* Equal as SQL's = is: neither null. */
static int
equal(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

void
cmp_ahead_forget(struct cmp_store *st)
{
	struct cmp_ahead *a = st->ahead;

	if (!a || !a->valid)
		return;
	for (size_t i = 0; i < a->nrec; i++) {
		free(a->rec[i].ref);
		for (int k = 0; k < NKEYS; k++)
			free(a->rec[i].key[k]);
	}
	for (size_t i = 0; i < a->ncand; i++) {
		for (int k = 0; k < NKEYS; k++)
			free(a->cand[i].key[k]);
		free(a->cand[i].product);
		free(a->cand[i].category);
	}
	free(a->rec);
	free(a->ref);
	free(a->cand);
	for (int k = 0; k < NKEYS; k++) {
		free(a->head[k]);
		a->head[k] = NULL;
	}
	a->rec = NULL;
	a->ref = NULL;
	a->cand = NULL;
	a->nrec = a->nref = a->ncand = a->nstored = a->cap = a->next = 0;
	a->nbucket = 0;
	a->valid = 0;
}

void
cmp_ahead_free(struct cmp_store *st)
{
	if (!st->ahead)
		return;
	cmp_ahead_forget(st);
	for (int k = 0; k < NSIZES; k++) {
		if (st->ahead->refs[k])
			st->be->finalize(st->ahead->refs[k]);
		if (st->ahead->dups[k])
			st->be->finalize(st->ahead->dups[k]);
	}
	free(st->ahead);
	st->ahead = NULL;
}

static struct cand *
new_cand(struct cmp_ahead *a)
{
	if (a->ncand == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 256;
		a->cand = cmp_xrealloc(a->cand, a->cap * sizeof(*a->cand));
	}
	memset(&a->cand[a->ncand], 0, sizeof(*a->cand));
	return &a->cand[a->ncand++];
}

/* FNV-1a, for the buckets of the added candidates' keys. */
static size_t
bucket(const struct cmp_ahead *a, const char *key)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h & (a->nbucket - 1);
}

/* Chain added candidate i by each of its keys. */
static void
chain(struct cmp_ahead *a, size_t i)
{
	struct cand *x = &a->cand[i];

	for (int k = 0; k < NKEYS; k++) {
		size_t *h;

		x->next[k] = NO_REC;
		if (!x->key[k])
			continue;
		h = &a->head[k][bucket(a, x->key[k])];
		x->next[k] = *h;
		*h = i;
	}
}

/* Chain the added candidate that is the last: at most one a bucket on
   average, every chain made again when the buckets double. */
static void
chain_last(struct cmp_ahead *a)
{
	size_t added = a->ncand - a->nstored;

	if (added <= a->nbucket) {
		chain(a, a->ncand - 1);
		return;
	}
	a->nbucket = a->nbucket ? 2 * a->nbucket : 1024;
	for (int k = 0; k < NKEYS; k++) {
		free(a->head[k]);
		a->head[k] = cmp_xcalloc(a->nbucket, sizeof(size_t));
		for (size_t b = 0; b < a->nbucket; b++)
			a->head[k][b] = NO_REC;
	}
	for (size_t i = a->nstored; i < a->ncand; i++)
		chain(a, i);
}

static int
by_ref(const void *x, const void *y)
{
	return strcmp(((const struct ref *)x)->ref,
		      ((const struct ref *)y)->ref);
}

static int
by_rec(const void *x, const void *y)
{
	const struct cand *p = x, *q = y;

	return p->rec < q->rec ? -1 : p->rec > q->rec;
}

/* The statement of refs or dups with room for n (1 .. CMP_STORE_PAGE)
   places: the smallest size that holds them, made once; the places
   left over are null, and null matches nothing. */
static struct cmp_db_stmt *
page_stmt(struct cmp_store *st, int dups, size_t n, struct cmp_error *e)
{
	int size = 0, places;
	struct cmp_db_stmt **s, *kept;
	struct cmp_buf b = CMP_BUF_INIT;

	while ((size_t)1 << size < n)
		size++;
	places = 1 << size;
	s = dups ? &st->ahead->dups[size] : &st->ahead->refs[size];
	if (*s)
		return cmp_store_kept(st, s, NULL, e);
	if (!dups) {
		cmp_buf_adds(&b, "SELECT ref FROM complaint WHERE ref IN (");
		for (int i = 0; i < places; i++)
			cmp_buf_adds(&b, i ? ", ?" : "?");
		cmp_buf_adds(&b, ")");
	} else {
		/* Each record's customer keys and window as a row of k;
		   the store's customer indexes (key, received_at) find
		   their complaints, k read first (CROSS JOIN: SQLite
		   keeps that order). */
		cmp_buf_adds(&b, "WITH k(n, phone, email, customer, lo, hi)"
			     " AS (VALUES ");
		for (int i = 0; i < places; i++)
			cmp_buf_adds(&b, i ? ", (?, ?, ?, ?, ?, ?)" :
				     "(?, ?, ?, ?, ?, ?)");
		cmp_buf_adds(&b, ") ");
		for (int k = 0; k < NKEYS; k++)
			cmp_buf_addf(&b, "%sSELECT k.n, c.id, c.received_at,"
				     " c.product_name, c.category FROM k CROSS"
				     " JOIN complaint AS c WHERE c.%s = k.%s"
				     " AND c.received_at BETWEEN k.lo AND k.hi",
				     k ? " UNION ALL " : "", key_column[k],
				     k == 0 ? "phone" : k == 1 ? "email" :
				     "customer");
	}
	kept = cmp_store_kept(st, s, cmp_buf_str(&b), e);
	cmp_buf_release(&b);
	return kept;
}

/* The refs of the batch the store holds, read a page at a time. */
static int
read_refs(struct cmp_store *st, struct cmp_error *e)
{
	struct cmp_ahead *a = st->ahead;

	for (size_t from = 0; from < a->nref; from += CMP_STORE_PAGE) {
		size_t n = a->nref - from < CMP_STORE_PAGE ?
			   a->nref - from : CMP_STORE_PAGE;
		struct cmp_db_stmt *s = page_stmt(st, 0, n, e);
		int rc;

		if (!s)
			return e->code;
		for (size_t i = 0; i < n; i++)
			st->be->bind_text(s, (int)i + 1, a->ref[from + i].ref);
		while ((rc = st->be->step(s)) == CMP_DB_ROW) {
			struct ref key = {st->be->column_text(s, 0, NULL), 0};
			struct ref *r = bsearch(&key, a->ref, a->nref,
						sizeof(*r), by_ref);

			/* The same ref twice in the batch: each place. */
			for (; r && r > a->ref && !by_ref(r - 1, &key); r--)
				;
			for (; r && r < a->ref + a->nref && !by_ref(r, &key);
			     r++)
				r->absent = 0;
		}
		st->be->reset(s, 0);
		if (rc < 0)
			return cmp_store_error(st, rc, e);
	}
	return 0;
}

/* The stored complaints each record of the batch may duplicate: its
   customer's, received within the window of its own time. */
static int
read_dups(struct cmp_store *st, struct cmp_error *e)
{
	struct cmp_ahead *a = st->ahead;
	size_t i = 0;

	while (i < a->nrec) {
		struct cmp_db_stmt *s;
		size_t asked = 0;
		int p = 0, rc;

		for (size_t j = i; j < a->nrec && asked < CMP_STORE_PAGE; j++)
			asked += a->rec[j].asked;
		if (!asked)
			break;
		if (!(s = page_stmt(st, 1, asked, e)))
			return e->code;
		for (; i < a->nrec && p < CMP_STORE_PAGE; i++) {
			struct rec *r = &a->rec[i];

			if (!r->asked)
				continue;
			st->be->bind_int64(s, 6 * p + 1, (int64_t)i);
			for (int k = 0; k < NKEYS; k++)
				st->be->bind_text(s, 6 * p + 2 + k, r->key[k]);
			cmp_row_bind_time(st->be, s, 6 * p + 5,
					  r->received - a->window);
			cmp_row_bind_time(st->be, s, 6 * p + 6,
					  r->received + a->window);
			p++;
		}
		while ((rc = st->be->step(s)) == CMP_DB_ROW) {
			struct cand *c = new_cand(a);

			c->rec = (size_t)st->be->column_int64(s, 0);
			c->id = st->be->column_int64(s, 1);
			c->received = cmp_row_column_time(st->be, s, 2);
			c->product = cmp_row_column_strdup(st->be, s, 3);
			c->category = cmp_row_column_strdup(st->be, s, 4);
		}
		st->be->reset(s, 0);
		if (rc < 0)
			return cmp_store_error(st, rc, e);
	}
	if (a->ncand)	/* qsort of no array: a null pointer, undefined */
		qsort(a->cand, a->ncand, sizeof(*a->cand), by_rec);
	a->nstored = a->ncand;
	return 0;
}

int
cmp_store_ahead(struct cmp_store *st, struct cmp_complaint *const *cs,
		size_t n, cmp_time window, cmp_time now, struct cmp_error *e)
{
	struct cmp_ahead *a;
	int ret;

	if (!st->ahead)
		st->ahead = cmp_xcalloc(1, sizeof(*st->ahead));
	cmp_ahead_forget(st);
	a = st->ahead;
	a->window = window;
	a->rec = cmp_xcalloc(n ? n : 1, sizeof(*a->rec));
	a->ref = cmp_xcalloc(n ? n : 1, sizeof(*a->ref));
	a->nrec = n;
	for (size_t i = 0; i < n; i++) {
		struct rec *r = &a->rec[i];
		int keys = 0;

		r->c = cs[i];
		r->ref = dup_or_null(cs[i]->ref);
		/* Received now if not said: read ahead as it will be added
		   (else an input without times was looked up one by one). */
		r->received = cs[i]->received_at ? cs[i]->received_at : now;
		for (int k = 0; k < NKEYS; k++)
			keys |= !!(r->key[k] = dup_or_null(key_of(cs[i], k)));
		r->asked = window && keys && r->received;
		if (r->ref)
			a->ref[a->nref++] = (struct ref){r->ref, 1};
	}
	qsort(a->ref, a->nref, sizeof(*a->ref), by_ref);
	a->valid = 1;
	if ((ret = read_refs(st, e)) || (ret = read_dups(st, e)))
		cmp_ahead_forget(st);
	return ret;
}

int
cmp_ahead_absent(struct cmp_store *st, const char *ref)
{
	struct cmp_ahead *a = st->ahead;
	struct ref key = {ref, 0}, *r;

	if (!a || !a->valid)
		return 0;
	r = bsearch(&key, a->ref, a->nref, sizeof(*r), by_ref);
	return r && r->absent;
}

/* The place of c in the batch, if its customer and time are still what
   was read ahead; else NO_REC. */
static size_t
find_rec(struct cmp_ahead *a, const struct cmp_complaint *c)
{
	size_t i;

	for (i = 0; i < a->nrec; i++) {
		size_t j = (a->next + i) % a->nrec;

		if (a->rec[j].c == c) {
			i = j;
			break;
		}
	}
	if (i >= a->nrec || !a->rec[i].asked ||
	    a->rec[i].received != c->received_at)
		return NO_REC;
	for (int k = 0; k < NKEYS; k++)
		if (!same(a->rec[i].key[k], key_of(c, k)))
			return NO_REC;
	a->next = i + 1;
	return i;
}

/* Whether cand may be a duplicate of c: a product or category alike. */
static int
alike(const struct cand *x, const struct cmp_complaint *c)
{
	if (x->id == c->id)
		return 0;
	return equal(x->product, c->product.name) ||
	       equal(x->category, c->category);
}

/* The later of x and best, as the duplicate query orders them. */
static const struct cand *
later(const struct cand *x, const struct cand *best)
{
	if (!best || x->received > best->received ||
	    (x->received == best->received && x->id > best->id))
		return x;
	return best;
}

int
cmp_ahead_duplicate(struct cmp_store *st, const struct cmp_complaint *c,
		    cmp_time window, int64_t *id)
{
	struct cmp_ahead *a = st->ahead;
	const struct cand *best = NULL;
	struct cand key;
	size_t i, lo;

	if (!a || !a->valid || window != a->window ||
	    (i = find_rec(a, c)) == NO_REC)
		return 0;
	/* Its stored candidates, then those the batch added since. */
	key.rec = i;
	lo = 0;
	for (size_t hi = a->nstored; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;

		if (by_rec(&a->cand[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < a->nstored && a->cand[lo].rec == i; lo++)
		if (alike(&a->cand[lo], c))
			best = later(&a->cand[lo], best);
	/* A candidate that shares two keys is met twice: later() keeps
	   the same one either way. */
	for (int j = 0; j < NKEYS && a->nbucket; j++) {
		const char *v = key_of(c, j);

		if (!v)
			continue;
		for (size_t k = a->head[j][bucket(a, v)]; k != NO_REC;
		     k = a->cand[k].next[j]) {
			const struct cand *x = &a->cand[k];

			if (equal(x->key[j], v) &&
			    x->received >= c->received_at - window &&
			    x->received <= c->received_at + window &&
			    alike(x, c))
				best = later(x, best);
		}
	}
	*id = best ? best->id : 0;
	return 1;
}

void
cmp_ahead_added(struct cmp_store *st, const struct cmp_complaint *c)
{
	struct cmp_ahead *a = st->ahead;
	struct ref key = {c->ref, 0}, *r;
	struct cand *x;

	if (!a || !a->valid)
		return;
	if (c->ref && (r = bsearch(&key, a->ref, a->nref, sizeof(*r),
				   by_ref))) {
		for (; r > a->ref && !by_ref(r - 1, &key); r--)
			;
		for (; r < a->ref + a->nref && !by_ref(r, &key); r++)
			r->absent = 0;
	}
	x = new_cand(a);
	x->rec = NO_REC;
	x->id = c->id;
	x->received = c->received_at;
	for (int k = 0; k < NKEYS; k++)
		x->key[k] = dup_or_null(key_of(c, k));
	x->product = dup_or_null(c->product.name);
	x->category = dup_or_null(c->category);
	chain_last(a);
}
