/*
 * query.c - the query builder: a struct cmp_query as one SELECT of
 * complaints, its values bound as parameters, streamed to a callback.
 */
#include <stdlib.h>
#include <string.h>

#include "complaint.h"
#include "store_impl.h"
#include "where.h"

/* Collected parameters of a generated statement, bound in order. */
struct params {
	const struct cmp_dialect *d;
	struct cmp_buf sql;
	char **text;
	size_t n;
};

/* The value of the parameter the statement text names next. */
static void
param_value(struct params *pa, const char *v)
{
	pa->text = cmp_xrealloc(pa->text, (pa->n + 1) * sizeof(char *));
	pa->text[pa->n++] = cmp_xstrdup(v);
}

static void
param(struct params *pa, const char *v)
{
	param_value(pa, v);
	cmp_buf_adds(&pa->sql, "?");
}

static void
param_time(struct params *pa, cmp_time t)
{
	char buf[CMP_TIME_BUFSZ];

	param(pa, cmp_time_format(t, buf));
}

static void
params_release(struct params *pa)
{
	for (size_t i = 0; i < pa->n; i++)
		free(pa->text[i]);
	free(pa->text);
	cmp_buf_release(&pa->sql);
}

static void
and(struct params *pa, int *first)
{
	cmp_buf_adds(&pa->sql, *first ? " WHERE " : " AND ");
	*first = 0;
}

/* The values of a comma-separated list, as parameters, and ")". */
static void
where_values(struct params *pa, const char *p)
{
	for (int n = 0;; n++) {
		const char *comma = strchr(p, ',');
		char *v = cmp_xstrndup(p, comma ? (size_t)(comma - p) :
				       strlen(p));

		if (n)
			cmp_buf_adds(&pa->sql, ", ");
		param(pa, v);
		free(v);
		if (!comma)
			break;
		p = comma + 1;
	}
	cmp_buf_adds(&pa->sql, ")");
}

/* column IN (?, ...) for a comma list. */
static void
where_in(struct params *pa, int *first, const char *column, const char *list)
{
	if (!list)
		return;
	and(pa, first);
	cmp_buf_addf(&pa->sql, "%s IN (", column);
	where_values(pa, list);
}

/*
 * The filters on fields of few values (a sixth of the store each, say):
 * SQLite reads one index and then every row it names to test the rest,
 * most of them to be dropped.  From the second on they are written as
 * sets of ids, which it tests on the index entries before reading a
 * row (cmp-list --category billing --severity critical, say).  A
 * database that combines indexes itself takes plain terms (the
 * dialect's few_as_ids).
 */
static void
where_few(struct params *pa, int *first, int *nfew, const char *column,
	  const char *list)
{
	if (!list)
		return;
	if (!(*nfew)++ || !pa->d->few_as_ids) {
		where_in(pa, first, column, list);
		return;
	}
	and(pa, first);
	cmp_buf_addf(&pa->sql, "id IN (SELECT id FROM complaint WHERE %s IN (",
		     column);
	where_values(pa, list);
	cmp_buf_adds(&pa->sql, ")");
}

static const char *const deadline_columns[CMP_DL_COUNT][2] = {
	{"due_ack", "acknowledged_at"},
	{"due_reply", "replied_at"},
	{"due_resolve", "resolution_resolved_at"},
};

/* {+} (SQLite's unary +) keeps the planner off the status index: the
   deadline indexes (partial, on what is not met yet) select far fewer
   rows. */
#define OPEN_STATUSES "{+}status IN ('new', 'assigned', 'waiting')"
/* A rejected complaint's customer is still answered: its reply deadline
   runs until then, its others stopped with the rejection. */
#define REPLY_STATUSES "{+}status IN ('new', 'assigned', 'waiting', " \
	"'rejected')"

/*
 * A deadline still running passed unmet before `limit`.  A waiting
 * complaint's clocks stopped when it began to wait, so only what was
 * late then counts.  Each term of the OR names its deadline's column,
 * so each can use that deadline's index.
 */
static void
where_late(struct params *pa, int *first, cmp_time limit, int pauses)
{
	and(pa, first);
	cmp_buf_adds(&pa->sql, "(");
	for (int k = 0; k < CMP_DL_COUNT; k++) {
		cmp_buf_addf(&pa->sql, "%s(%s AND %s IS NULL AND %s < ",
			     k ? " OR " : "",
			     k == CMP_DL_REPLY ? REPLY_STATUSES :
			     OPEN_STATUSES, deadline_columns[k][1],
			     deadline_columns[k][0]);
		param_time(pa, limit);
		if (pauses)
			cmp_buf_addf(&pa->sql, " AND (status != 'waiting' OR"
				     " %s < waiting_since)",
				     deadline_columns[k][0]);
		cmp_buf_adds(&pa->sql, ")");
	}
	cmp_buf_adds(&pa->sql, ")");
}

/* LIKE pattern matching s anywhere, with % _ \ escaped. */
static char *
like_pattern(const char *s, size_t n)
{
	struct cmp_buf b = CMP_BUF_INIT;

	cmp_buf_addc(&b, '%');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' || s[i] == '_' || s[i] == '\\')
			cmp_buf_addc(&b, '\\');
		cmp_buf_addc(&b, s[i]);
	}
	cmp_buf_addc(&b, '%');
	return cmp_buf_detach(&b);
}

/*
 * The LIKE pattern as the next parameter, its reference ("?N") in ref:
 * numbered, since a dialect's like may name it more than once.
 */
static void
like_param(struct params *pa, const char *pattern, char ref[static 24])
{
	param_value(pa, pattern);
	snprintf(ref, 24, "?%zu", pa->n);
}

/* The columns the text index reads (the dialect's like_text). */
static int
text_column(const struct cmp_field *f)
{
	return f && (!strcmp(f->column, "summary") ||
		     !strcmp(f->column, "description"));
}

/*
 * --where (where.c has parsed and checked it).  The operand, written to
 * sql: a column, or a member of attrs as text (what --fields shows of
 * it) or, for numbers, as a number (null when it is none).  Written once
 * per use, its path a parameter each time.
 */
static void
where_operand(struct params *pa, struct cmp_buf *sql,
	      const struct cmp_where *w, int number)
{
	char *path;

	if (w->f) {
		/* Tags: each a row of the tag table (where_cond). */
		cmp_buf_adds(sql, w->f->type == CMP_F_TAGS ? "tag" :
			     w->f->column);
		return;
	}
	path = cmp_schema_json_path(pa->d, w->key);
	if (number) {
		cmp_buf_addf(sql, pa->d->json_number, "attrs");
	} else {
		cmp_buf_adds(sql, "CAST(");
		cmp_buf_addf(sql, pa->d->json_text, "attrs");
		cmp_buf_adds(sql, " AS TEXT)");
	}
	param_value(pa, path);
	free(path);
}

/* One of w's values, as a number when number. */
static void
where_value(struct params *pa, const char *v, int number)
{
	if (!number) {
		param(pa, v);
		return;
	}
	cmp_buf_addf(&pa->sql, pa->d->number, "?");
	param_value(pa, v);
}

/* operand IN (values): the text's, or the numbers' (the dialect's
   number_in). */
static void
where_any(struct params *pa, const struct cmp_where *w, int number)
{
	where_operand(pa, &pa->sql, w, number);
	cmp_buf_adds(&pa->sql, number ? pa->d->number_in : " IN (");
	for (size_t i = 0; i < w->nvalues; i++) {
		if (i)
			cmp_buf_adds(&pa->sql, ", ");
		where_value(pa, w->values[i], number);
	}
	cmp_buf_adds(&pa->sql, number ? pa->d->number_in_end : ")");
}

/*
 * Terms lo..hi-1 joined by op ("OR", "AND") in balanced parentheses:
 * SQLite refuses an expression nested more than 1000 deep, and a flat
 * chain of terms nests as deep as it is long.  term(pa, i, arg) writes
 * the i-th, its parameters in order.
 */
static void
chain(struct params *pa, const char *op, size_t lo, size_t hi,
      void (*term)(struct params *, size_t, const void *), const void *arg)
{
	size_t mid = lo + (hi - lo) / 2;

	if (hi - lo == 1) {
		term(pa, lo, arg);
		return;
	}
	cmp_buf_addc(&pa->sql, '(');
	chain(pa, op, lo, mid, term, arg);
	cmp_buf_addf(&pa->sql, ") %s (", op);
	chain(pa, op, mid, hi, term, arg);
	cmp_buf_addc(&pa->sql, ')');
}

/*
 * The i-th value of a "~" condition: its field contains it, whatever the
 * case of the letters A to Z (the dialect's like).  The operand is
 * written once, before the pattern: an attrs member's holds a parameter
 * of its own.
 */
static void
contains_term(struct params *pa, size_t i, const void *arg)
{
	const struct cmp_where *w = arg;
	int tags = w->f && w->f->type == CMP_F_TAGS;
	char *like = like_pattern(w->values[i], strlen(w->values[i]));
	struct cmp_buf operand = CMP_BUF_INIT;
	char ref[24];

	if (tags)
		cmp_buf_adds(&pa->sql, "id IN (SELECT complaint_id FROM tag"
			     " WHERE ");
	where_operand(pa, &operand, w, 0);
	like_param(pa, like, ref);
	cmp_buf_addf(&pa->sql, text_column(w->f) && pa->d->like_text ?
		     pa->d->like_text : pa->d->like, cmp_buf_str(&operand),
		     ref);
	if (tags)
		cmp_buf_adds(&pa->sql, ")");
	cmp_buf_release(&operand);
	free(like);
}

static void
where_cond(struct params *pa, int *first, const struct cmp_where *w)
{
	static const char *const sql_op[] = {
		[CMP_WHERE_LT] = "<", [CMP_WHERE_LE] = "<=",
		[CMP_WHERE_GT] = ">", [CMP_WHERE_GE] = ">=",
	};
	const struct cmp_field *f = w->f;
	int tags = f && f->type == CMP_F_TAGS, null = w->op == CMP_WHERE_NULL;

	and(pa, first);
	switch (w->op) {
	case CMP_WHERE_NULL:
	case CMP_WHERE_NOT_NULL:
		/* No tags, no attrs: none given, or an empty set. */
		if (tags) {
			cmp_buf_addf(&pa->sql, "id %sIN (SELECT complaint_id"
				     " FROM tag)", null ? "NOT " : "");
		} else if (f && f->type == CMP_F_JSON) {
			cmp_buf_addf(&pa->sql, "%s(attrs IS NULL OR attrs ="
				     " '{}')", null ? "" : "NOT ");
		} else {
			where_operand(pa, &pa->sql, w, 0);
			cmp_buf_addf(&pa->sql, " IS %sNULL", null ? "" : "NOT ");
		}
		return;
	case CMP_WHERE_EQ:
	case CMP_WHERE_NE:
		/* != holds for null too: "IS NOT TRUE" of the =. */
		if (w->op == CMP_WHERE_NE)
			cmp_buf_adds(&pa->sql, "(");
		if (!w->nvalues) {
			cmp_buf_adds(&pa->sql, "1 = 0");
		} else if (tags) {
			cmp_buf_adds(&pa->sql, "id IN (SELECT complaint_id FROM"
				     " tag WHERE ");
			where_any(pa, w, 0);
			cmp_buf_adds(&pa->sql, ")");
		} else if (w->numeric) {
			/* 5 is 5.0 and, as written, the text "5". */
			cmp_buf_adds(&pa->sql, "(");
			where_any(pa, w, 1);
			cmp_buf_adds(&pa->sql, " OR ");
			where_any(pa, w, 0);
			cmp_buf_adds(&pa->sql, ")");
		} else {
			where_any(pa, w, 0);
		}
		if (w->op == CMP_WHERE_NE)
			cmp_buf_adds(&pa->sql, ") IS NOT TRUE");
		return;
	case CMP_WHERE_CONTAINS:
		cmp_buf_adds(&pa->sql, "(");
		chain(pa, "OR", 0, w->nvalues, contains_term, w);
		cmp_buf_adds(&pa->sql, ")");
		return;
	case CMP_WHERE_LT:
	case CMP_WHERE_LE:
	case CMP_WHERE_GT:
	case CMP_WHERE_GE:
		where_operand(pa, &pa->sql, w, w->numeric);
		cmp_buf_addf(&pa->sql, " %s ", sql_op[w->op]);
		where_value(pa, w->values[0], w->numeric);
		return;
	}
}

/*
 * Full text: each word or "quoted phrase" must occur in the summary or
 * the description, whatever the case of the letters A to Z, every other
 * character as written (as "~").  Terms long enough go through the text
 * index (*match: a query of the dialect's, empty when there are none),
 * which narrows the rows; every term is then matched with the dialect's
 * like (*likes), which decides: the index folds more than A to Z (FTS5
 * by its Unicode table, PostgreSQL's ILIKE by the database's ctype), a
 * superset.  Shorter terms (two Chinese characters, say, for trigrams)
 * have the like only.  0, or 64 for a term over CMP_CONTAINS_MAX bytes
 * (its pattern is a LIKE's, which SQLite takes of at most 50,000 bytes,
 * and escaping may double it).
 */
static int
text_terms(const struct cmp_dialect *d, const char *text,
	   struct cmp_buf *match, char ***likes_out, size_t *nlikes_out,
	   struct cmp_error *e)
{
	/* A control character separates words as a space does; in a
	   phrase only the unit separator is a space (PostgreSQL's query
	   separates its terms with one), the others are searched as
	   written. */
	char *copy = cmp_xstrdup(text), *p = copy;
	char **likes = NULL;
	size_t nlikes = 0;

	while (*p) {
		const char *start, *end;
		size_t chars = 0;

		while (*p && (*p == ' ' || (unsigned char)*p < 0x20))
			p++;
		if (!*p)
			break;
		if (*p == '"') {
			start = ++p;
			for (; *p && *p != '"'; p++)
				if (*p == '\x1f')
					*p = ' ';
			end = p;
			if (*p)
				p++;
		} else {
			start = p;
			while ((unsigned char)*p >= 0x20 && *p != ' ')
				p++;
			end = p;
		}
		if (end == start)
			continue;
		if ((size_t)(end - start) > CMP_CONTAINS_MAX) {
			int ret = cmp_error_set(e, CMP_EX_USAGE, NULL, "--text:"
						" a word to look for of %zu bytes:"
						" at most %d",
						(size_t)(end - start),
						CMP_CONTAINS_MAX);

			for (size_t i = 0; i < nlikes; i++)
				free(likes[i]);
			free(likes);
			free(copy);
			return ret;
		}
		for (const char *q = start; q < end; q++)
			chars += ((unsigned char)*q & 0xc0) != 0x80;
		likes = cmp_xrealloc(likes, (nlikes + 1) * sizeof(char *));
		likes[nlikes++] = like_pattern(start, (size_t)(end - start));
		if (chars >= d->text_min_chars)
			d->text_term(match, start, (size_t)(end - start));
	}
	free(copy);
	*likes_out = likes;
	*nlikes_out = nlikes;
	return 0;
}

/* The i-th term of a text search: in the summary or the description. */
static void
text_like(struct params *pa, size_t i, const void *arg)
{
	char *const *likes = arg;
	char ref[24];

	like_param(pa, likes[i], ref);
	cmp_buf_adds(&pa->sql, "(");
	cmp_buf_addf(&pa->sql, pa->d->like, "summary", ref);
	cmp_buf_adds(&pa->sql, " OR ");
	cmp_buf_addf(&pa->sql, pa->d->like, "description", ref);
	cmp_buf_adds(&pa->sql, ")");
}

/*
 * The text's conditions: the text index's query match (unless it drives
 * the query, see query_sql) and the like of each term, which it frees.
 */
static void
where_text(struct params *pa, int *first, const char *match, char **likes,
	   size_t nlikes)
{
	if (match) {
		and(pa, first);
		cmp_buf_addf(&pa->sql, "id IN (SELECT %s%s)", pa->d->text_id,
			     pa->d->text_match);
		param_value(pa, match);
	}
	if (nlikes) {
		and(pa, first);
		cmp_buf_adds(&pa->sql, "(");
		chain(pa, "AND", 0, nlikes, text_like, likes);
		cmp_buf_adds(&pa->sql, ")");
	}
	for (size_t i = 0; i < nlikes; i++)
		free(likes[i]);
	free(likes);
}

/*
 * A phone number as its digits, the rule of customer_phone_digits
 * (migrations.c, migration 7) in C: the separators " -+()./" dropped, then
 * a leading "00", then China's 86 before a mobile number (13 left,
 * "861...") or before an area code and number (11 to 13 left: the
 * trunk prefix 0 put back).  Lengths in characters, as SQL counts.
 * NULL when nothing is left (caller owns: free()).
 */
static char *
phone_key(const char *s)
{
	struct cmp_buf b = CMP_BUF_INIT;
	const char *p;
	size_t n = 0;
	char *key;

	for (; *s; s++)
		if (!strchr(" -+()./", *s))
			cmp_buf_addc(&b, *s);
	p = cmp_buf_str(&b);
	if (!strncmp(p, "00", 2))
		p += 2;
	for (const char *q = p; *q; q++)
		n += ((unsigned char)*q & 0xc0) != 0x80;
	if (n == 13 && !strncmp(p, "861", 3))
		key = cmp_xstrdup(p + 2);
	else if (n >= 11 && n <= 13 && !strncmp(p, "86", 2))
		key = cmp_xasprintf("0%s", p + 2);
	else
		key = *p ? cmp_xstrdup(p) : NULL;
	cmp_buf_release(&b);
	return key;
}

/* One "SELECT id ... WHERE column = ?" of a customer's union. */
static void
customer_term(struct params *pa, int *n, const char *column, const char *v)
{
	if (!v)
		return;
	cmp_buf_addf(&pa->sql, "%sSELECT id FROM complaint WHERE %s = ",
		     (*n)++ ? " UNION ALL " : "", column);
	param(pa, v);
}

/* The e-mail address's term: compared without case (Wang@Example.com
   is wang@example.com to anyone who writes one), on the index of the
   folded address (migration 8). */
static void
email_term(struct params *pa, int *n, const char *v)
{
	if (!v)
		return;
	cmp_buf_addf(&pa->sql, "%sSELECT id FROM complaint WHERE"
		     " customer_email IS NOT NULL AND lower(customer_email) ="
		     " lower(", (*n)++ ? " UNION ALL " : "");
	param(pa, v);
	/* Folded as the column is: ASCII letters only. */
	cmp_buf_adds(&pa->sql, "{COLLATE C})");
}

/*
 * The complaints of a customer: a union of lookups, one index each (an
 * OR of them would read the table).  text (--customer) is compared
 * with the name, contact, e-mail and customer id, and as a phone
 * number; c (customer_of) by its phone, e-mail and customer id, the
 * name being no one's alone ("王先生").
 */
static void
where_customer(struct params *pa, int *first, const char *text,
	       const struct cmp_complaint *c)
{
	const char *phone = text ? text : c ? c->customer.phone : NULL;
	char *key = phone ? phone_key(phone) : NULL;
	int n = 0;

	and(pa, first);
	cmp_buf_adds(&pa->sql, "id IN (");
	if (text) {
		customer_term(pa, &n, "customer_name", text);
		customer_term(pa, &n, "customer_contact", text);
		email_term(pa, &n, text);
		customer_term(pa, &n, "customer_id", text);
	} else {
		email_term(pa, &n, c->customer.email);
		customer_term(pa, &n, "customer_id", c->customer.id);
	}
	customer_term(pa, &n, "customer_phone_digits", key);
	free(key);
	cmp_buf_adds(&pa->sql, n ? ")" : "NULL)");
	if (c && !text)
		cmp_buf_addf(&pa->sql, " AND id != %lld", (long long)c->id);
}

/* SELECT ... for q; 0 or 64 (bad sort field). */
static int
query_sql(const struct cmp_query *q, struct params *pa, struct cmp_error *e)
{
	struct cmp_buf match = CMP_BUF_INIT;
	char **likes = NULL;
	size_t nlikes = 0;
	int first = 1, nfew = 0, driven, ret;

	if (q->text && (ret = text_terms(pa->d, q->text, &match, &likes,
					 &nlikes, e))) {
		cmp_buf_release(&match);
		return ret;
	}
	/*
	 * Ordered by id, a text query is driven by the index, which yields
	 * ids in order: the first rows come out at once and --limit stops
	 * it early, where "id IN (matches)" finds every match first.
	 */
	driven = match.len && (!q->sort || !strcmp(q->sort, "id") ||
			       !strcmp(q->sort, "-id"));
	cmp_buf_adds(&pa->sql, "SELECT ");
	cmp_schema_columns(&pa->sql, 0, "");
	cmp_buf_adds(&pa->sql, ", NULL FROM ");
	if (driven) {
		cmp_buf_addf(&pa->sql, "(SELECT %s AS text_id%s) AS matched",
			     pa->d->text_id, pa->d->text_match);
		param_value(pa, match.s);
		cmp_buf_adds(&pa->sql, " JOIN complaint ON id = text_id");
	} else {
		cmp_buf_adds(&pa->sql, "complaint");
	}
	if (q->nids) {
		and(pa, &first);
		cmp_buf_adds(&pa->sql, "id IN (");
		for (size_t i = 0; i < q->nids; i++)
			cmp_buf_addf(&pa->sql, "%s%lld", i ? ", " : "",
				     (long long)q->ids[i]);
		cmp_buf_adds(&pa->sql, ")");
	}
	if (q->ref) {
		and(pa, &first);
		cmp_buf_adds(&pa->sql, "ref = ");
		param(pa, q->ref);
	}
	where_in(pa, &first, "status", q->status);
	where_few(pa, &first, &nfew, "category", q->category);
	where_few(pa, &first, &nfew, "channel", q->channel);
	where_few(pa, &first, &nfew, "severity", q->severity);
	where_few(pa, &first, &nfew, "customer_tier", q->tier);
	where_in(pa, &first, "owner", q->owner);
	where_few(pa, &first, &nfew, "department", q->department);
	if (q->tag) {
		and(pa, &first);
		cmp_buf_adds(&pa->sql, "id IN (SELECT complaint_id FROM tag"
			     " WHERE tag = ");
		param(pa, q->tag);
		cmp_buf_adds(&pa->sql, ")");
	}
	if (q->customer)
		where_customer(pa, &first, q->customer, NULL);
	if (q->customer_of)
		where_customer(pa, &first, NULL, q->customer_of);
	where_in(pa, &first, "product_name", q->product);
	where_in(pa, &first, "product_serial", q->serial);
	where_in(pa, &first, "product_batch", q->batch);
	where_in(pa, &first, "root_cause", q->root_cause);
	where_in(pa, &first, "accountable", q->accountable);
	if (q->reopened) {
		and(pa, &first);
		/* As a set of ids: ordered by id, the planner would
		   rather scan the table than read the partial index and
		   sort the few rows it gives. */
		cmp_buf_adds(&pa->sql, "id IN (SELECT id FROM complaint"
			     " WHERE reopened > 0)");
	}
	if (q->duplicates_of) {
		and(pa, &first);
		cmp_buf_addf(&pa->sql, "possible_duplicate_of = %lld",
			     (long long)q->duplicates_of);
	}
	if (q->since) {
		and(pa, &first);
		cmp_buf_adds(&pa->sql, "received_at >= ");
		param_time(pa, q->since);
	}
	if (q->until) {
		and(pa, &first);
		cmp_buf_adds(&pa->sql, "received_at < ");
		param_time(pa, q->until);
	}
	if (q->overdue)
		where_late(pa, &first, q->now - q->overdue_by, 1);
	if (q->due_before)
		where_late(pa, &first, q->due_before, 0);
	if (q->followup_due) {
		/* A duplicate's follow-ups stopped when it was closed as
		   one: the customer is called about the original. */
		and(pa, &first);
		cmp_buf_adds(&pa->sql, "id IN (SELECT complaint_id FROM followup"
			     " WHERE done_at IS NULL AND due_at <= ");
		param_time(pa, q->followup_due);
		cmp_buf_adds(&pa->sql, ") AND duplicate_of IS NULL");
	}
	for (size_t i = 0; i < q->nwhere; i++)
		where_cond(pa, &first, q->where[i]);
	where_text(pa, &first, match.len && !driven ? match.s : NULL, likes,
		   nlikes);
	cmp_buf_release(&match);
	if (driven) {
		cmp_buf_adds(&pa->sql, q->sort && q->sort[0] == '-' ?
			     " ORDER BY text_id DESC" : " ORDER BY text_id");
	} else if (q->sort) {
		int desc = q->sort[0] == '-';
		const struct cmp_field *f = cmp_field_find(q->sort + desc);

		if (!f || !cmp_stored(f))
			return cmp_error_set(e, CMP_EX_USAGE, NULL,
					     "--sort: no field '%s'",
					     q->sort + desc);
		cmp_buf_addf(&pa->sql, " ORDER BY %s%s, id%s", f->column,
			     desc ? " DESC{NULLS LAST}" : "{NULLS FIRST}",
			     desc ? " DESC" : "");
	} else if (q->overdue || q->due_before || q->since || q->until) {
		/* Ordered by id, the planner would rather scan the table in
		   rowid order than search the range indexes and sort the few
		   rows they give: "+id" takes that option away. */
		cmp_buf_adds(&pa->sql, " ORDER BY {+}id");
	} else {
		cmp_buf_adds(&pa->sql, " ORDER BY id");
	}
	if (q->limit > 0)
		cmp_buf_addf(&pa->sql, " LIMIT %ld", q->limit);
	return 0;
}

static int
query_prepare(struct cmp_store *st, const struct cmp_query *q, int explain,
	      struct cmp_db_stmt **s, struct cmp_error *e)
{
	struct params pa;
	struct cmp_buf sql = CMP_BUF_INIT;
	int ret;

	memset(&pa, 0, sizeof(pa));
	pa.d = st->be->dialect;
	if ((ret = query_sql(q, &pa, e))) {
		params_release(&pa);
		return ret;
	}
	cmp_buf_adds(&sql, explain ? pa.d->explain : "");
	cmp_buf_adds(&sql, pa.sql.s);
	ret = cmp_store_prepare(st, sql.s, explain ? 0 : CMP_DB_STREAM, s, e);
	cmp_buf_release(&sql);
	if (ret) {
		params_release(&pa);
		return ret;
	}
	for (size_t i = 0; i < pa.n; i++)
		st->be->bind_text(*s, (int)i + 1, pa.text[i]);
	params_release(&pa);
	return 0;
}

/*
 * The complaints are read a page at a time, then the follow-ups of the
 * page in one query, then handed to fn: a backend on the network runs
 * one statement at a time on a connection, and a query per complaint
 * would be a round trip each.  Memory holds a page, whatever the rows.
 */
static int
query_pages(struct cmp_store *st, const struct cmp_query *q,
	    cmp_complaint_fn fn, void *arg, struct cmp_error *e)
{
	struct cmp_complaint *page;
	struct cmp_db_stmt *s;
	size_t n = 0;
	int rc = CMP_DB_DONE, ret, failed;

	if ((ret = query_prepare(st, q, 0, &s, e)))
		return ret;
	page = cmp_xcalloc(CMP_STORE_PAGE, sizeof(*page));
	do {
		n = 0;
		while (n < CMP_STORE_PAGE &&
		       (rc = st->be->step(s)) == CMP_DB_ROW) {
			cmp_complaint_init(&page[n]);
			cmp_row_read_fields(st->be, s, &page[n++], NULL);
		}
		/* A failure: the rows before it first, as they come, if
		   their follow-ups can still be read (on PostgreSQL the
		   failure ended the transaction: they are not printed);
		   the failure's status either way. */
		failed = rc < 0 ? cmp_store_error(st, rc, e) : 0;
		if (failed) {
			struct cmp_error later;

			cmp_error_clear(&later);
			ret = cmp_store_load_followups(st, page, n, &later) ?
				failed : 0;
		} else {
			ret = cmp_store_load_followups(st, page, n, e);
		}
		for (size_t i = 0; !ret && i < n; i++)
			ret = fn(arg, &page[i]);
		if (!ret)
			ret = failed;
		for (size_t i = 0; i < n; i++)
			cmp_complaint_release(&page[i]);
	} while (!ret && rc == CMP_DB_ROW);
	free(page);
	st->be->finalize(s);
	return ret;
}

/*
 * Outside a transaction the pages are read in one of their own, read
 * only: a page's follow-ups come from the snapshot its complaints came
 * from, and on PostgreSQL the cursor runs as it is fetched.  In
 * autocommit the implicit commit of its DECLARE made the whole result
 * at once, a copy of every row on the server before the first page
 * (tests/bench/RESULTS.md: a filtered list of 100,000 took several
 * times the query's own work).  psql's FETCH_COUNT reads the same
 * way.  Inside the caller's transaction (a report's, a writer's) the
 * pages are read in it.
 */
int
cmp_store_query(struct cmp_store *st, const struct cmp_query *q,
		cmp_complaint_fn fn, void *arg, struct cmp_error *e)
{
	int began = 0, ret;

	if (!st->be->in_transaction(st->db) &&
	    (ret = cmp_store_read(st, &began, e)))
		return ret;
	ret = query_pages(st, q, fn, arg, e);
	if (began) {
		if (ret)
			cmp_store_read_end(st, began, 1, e);
		else
			ret = cmp_store_read_end(st, began, 0, e);
	}
	return ret;
}

char *
cmp_store_query_plan(struct cmp_store *st, const struct cmp_query *q,
		     struct cmp_error *e)
{
	struct cmp_buf b = CMP_BUF_INIT;
	struct cmp_db_stmt *s;
	int col = st->be->dialect->explain_column;

	if (query_prepare(st, q, 1, &s, e))
		return NULL;
	while (st->be->step(s) == CMP_DB_ROW) {
		cmp_buf_adds(&b, st->be->column_text(s, col, NULL));
		cmp_buf_addc(&b, '\n');
	}
	st->be->finalize(s);
	return cmp_buf_detach(&b);
}
