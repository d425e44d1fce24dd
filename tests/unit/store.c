/*
 * Unit tests: the SQLite store — creation, round trips, the journal,
 * migrations and refusals, queries on indexes.
 */
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "schema.h"
#include "store.h"
#include "tap.h"

static char dir[] = "/tmp/cmp-store-test.XXXXXX";
static struct cmp_config *cfg;

static char *
path(const char *name)
{
	return cmp_xasprintf("%s/%s", dir, name);
}

static struct cmp_change change = {"tester", "unit", NULL, 1763601300};

static void
sample(struct cmp_complaint *c, const char *summary)
{
	struct cmp_error e;

	cmp_complaint_init(c);
	c->summary = cmp_xstrdup(summary);
	c->customer.name = cmp_xstrdup("王先生");
	c->customer.phone = cmp_xstrdup("13800138000");
	c->product.name = cmp_xstrdup("CF-200");
	c->attrs = cmp_xstrdup("{\"n\":1e400}");
	cmp_complaint_tag(c, "vip");
	cmp_error_clear(&e);
	cmp_intake_prepare(cfg, c, "tester", change.at, &e);
}

static long long
scalar(const char *db, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	long long v = -1;

	sqlite3_open(db, &h);
	if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(h);
	return v;
}

/* The tables a statement makes for itself (EXPLAIN's OpenEphemeral). */
static int
temp_tables(const char *db, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	char *explain = cmp_xasprintf("EXPLAIN %s", sql);
	int n = -1;

	sqlite3_open(db, &h);
	if (sqlite3_prepare_v2(h, explain, -1, &s, NULL) == SQLITE_OK) {
		n = 0;
		while (sqlite3_step(s) == SQLITE_ROW)
			n += !strcmp((const char *)sqlite3_column_text(s, 1),
				     "OpenEphemeral");
		sqlite3_finalize(s);
	}
	sqlite3_close(h);
	free(explain);
	return n;
}

static void
test_create(void)
{
	char *db = path("a.db");
	struct cmp_store *st;
	struct cmp_error e;
	struct stat sb;
	int ret;

	cmp_error_clear(&e);
	umask(022);
	ret = cmp_store_open(&st, db, &e);
	is_int(ret, 0, "a new store opens");
	ok(stat(db, &sb) == 0 && (sb.st_mode & 0777) == 0600,
	   "created 0600 whatever the umask");
	cmp_store_close(st);
	is_int(scalar(db, "PRAGMA user_version"), CMP_SCHEMA_VERSION,
	       "schema version recorded");
	is_int(scalar(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'view'"
		      " AND name IN ('complaints', 'journal', 'followups')"), 3,
	       "the three views exist");
	/* A partial index's WHERE is tested at each row written: an IN of
	   more than two values would make a table each time (schema 15). */
	is_int(temp_tables(db, "INSERT INTO journal_entry (complaint_id, at,"
			   " field, new) VALUES (1, 'x', 'status', 'new')"), 0,
	       "a journal row written makes no table of its own");
	is_int(temp_tables(db, "INSERT INTO complaint (status, received_at,"
			   " created_at, updated_at) VALUES ('new', 'x', 'x',"
			   " 'x')"), 0,
	       "nor does a complaint added");
	is_int(temp_tables(db, "UPDATE complaint SET status = 'closed',"
			   " updated_at = 'y' WHERE id = 1"), 0,
	       "nor a change of its status");
	free(db);
}

static int
count(void *arg, struct cmp_complaint *c)
{
	(void)c;
	++*(int *)arg;
	return 0;
}

static int
query_count(struct cmp_store *st, struct cmp_query *q)
{
	struct cmp_error e;
	int n = 0;

	cmp_error_clear(&e);
	if (cmp_store_query(st, q, count, &n, &e))
		return -1;
	return n;
}

static void
test_roundtrip(void)
{
	char *db = path("b.db");
	struct cmp_store *st;
	struct cmp_complaint c, back, changed, changed2;
	struct cmp_error e;
	char *fp = NULL;

	cmp_error_clear(&e);
	cmp_store_open(&st, db, &e);
	sample(&c, "leak");
	cmp_store_begin(st, &e);
	is_int(cmp_store_add(st, &c, "FP", &change, &e), 0, "add");
	is_int(c.id, 1, "first id is 1");
	cmp_store_commit(st, &e);
	cmp_complaint_init(&back);
	is_int(cmp_store_load(st, 1, &back, &e), 0, "load");
	ok(cmp_complaint_equal(&c, &back), "what is loaded is what was added");
	is_str(back.attrs, "{\"n\":1e400}", "attrs verbatim");
	is_int(cmp_store_load(st, 99, &back, &e), 66, "no such complaint: 66");
	is_str(e.msg, "no complaint 99", "says which");

	c.ref = cmp_xstrdup("R-1");
	cmp_store_begin(st, &e);
	cmp_complaint_init(&changed);
	cmp_complaint_copy(&changed, &back);
	free(changed.summary);
	changed.summary = cmp_xstrdup("big leak");
	changed.ref = cmp_xstrdup("R-1");
	cmp_complaint_untag(&changed, "vip");
	is_int(cmp_store_save(st, &back, &changed, NULL, &change, &e), 0, "save");
	cmp_store_commit(st, &e);
	is_int(scalar(db, "SELECT count(*) FROM journal"), 4,
	       "journal: creation + summary + ref + tags");
	is_int(scalar(db, "SELECT count(*) FROM tag"), 0, "tag rows follow tags");
	cmp_complaint_release(&back);
	cmp_complaint_init(&back);
	is_int(cmp_store_load_ref(st, "R-1", &back, &fp, &e), 0, "load by ref");
	is_str(back.summary, "big leak", "the change is stored");
	is_str(fp, "FP", "the fingerprint is kept");
	free(fp);
	{
		struct cmp_query q = {.text = "big leak"};

		is_int(query_count(st, &q), 1, "the new summary is searchable");
	}
	cmp_complaint_init(&changed2);
	cmp_complaint_copy(&changed2, &back);
	cmp_complaint_tag(&changed2, "a");
	cmp_complaint_tag(&changed2, "b");
	cmp_store_begin(st, &e);
	is_int(cmp_store_save(st, &back, &changed2, NULL, &change, &e), 0,
	       "save two tags");
	cmp_store_commit(st, &e);
	cmp_complaint_release(&back);
	cmp_complaint_init(&back);
	cmp_complaint_copy(&back, &changed2);
	cmp_complaint_untag(&changed2, "a");
	cmp_complaint_tag(&changed2, "c");
	cmp_store_begin(st, &e);
	is_int(cmp_store_save(st, &back, &changed2, NULL, &change, &e), 0,
	       "untag one, tag another");
	cmp_store_commit(st, &e);
	is_int(scalar(db, "SELECT count(*) FROM tag WHERE complaint_id = 1"
		      " AND tag IN ('b', 'c')"), 2, "tag rows: b and c");
	is_int(scalar(db, "SELECT count(*) FROM tag"), 2, "and nothing else");
	{
		struct cmp_query q = {.text = "big leak"};

		is_int(query_count(st, &q), 1,
		       "a tag change leaves the text indexed");
		q.text = NULL;
		q.tag = "c";
		is_int(query_count(st, &q), 1, "found by the new tag");
	}
	cmp_store_begin(st, &e);
	is_int(cmp_store_save(st, &back, &back, NULL, &change, &e), 0,
	       "saving no change");
	cmp_store_commit(st, &e);
	is_int(scalar(db, "SELECT count(*) FROM journal"), 6,
	       "no change, no journal entry");
	cmp_store_close(st);
	{
		sqlite3 *h;
		int rc;

		sqlite3_open(db, &h);
		rc = sqlite3_exec(h, "UPDATE journal_entry SET note = 'x'", NULL,
				  NULL, NULL);
		ok(rc != SQLITE_OK, "the journal cannot be rewritten");
		rc = sqlite3_exec(h, "DELETE FROM journal_entry", NULL, NULL, NULL);
		ok(rc != SQLITE_OK, "nor deleted");
		sqlite3_close(h);
	}
	cmp_complaint_release(&c);
	cmp_complaint_release(&back);
	cmp_complaint_release(&changed);
	cmp_complaint_release(&changed2);
	free(db);
}

static void
test_query(void)
{
	char *db = path("q.db");
	struct cmp_store *st;
	struct cmp_error e;
	const char *texts[] = {"冷凝器进口漏水", "Parcel arrived late",
			       "门店疑似销售假烟", "Charged twice"};

	cmp_error_clear(&e);
	cmp_store_open(&st, db, &e);
	cmp_store_begin(st, &e);
	for (size_t i = 0; i < 4; i++) {
		struct cmp_complaint c;

		sample(&c, texts[i]);
		cmp_store_add(st, &c, NULL, &change, &e);
		cmp_complaint_release(&c);
	}
	cmp_store_commit(st, &e);
	{
		struct cmp_query q = {.text = "漏水"};

		is_int(query_count(st, &q), 1, "two Chinese characters");
		q.text = "进口漏水";
		is_int(query_count(st, &q), 1, "four Chinese characters");
		q.text = "假";
		is_int(query_count(st, &q), 1, "one character");
		q.text = "\"arrived late\"";
		is_int(query_count(st, &q), 1, "a phrase");
		q.text = "PARCEL twice";
		is_int(query_count(st, &q), 0, "all words must occur");
		q.text = "charged";
		is_int(query_count(st, &q), 1, "case-insensitive");
		q.text = "50%";
		is_int(query_count(st, &q), 0, "LIKE metacharacters are literal");
	}
	{
		struct cmp_query q = {.status = "new,assigned", .limit = 2,
				      .sort = "-id"};

		is_int(query_count(st, &q), 2, "status list and limit");
		q.sort = "nope";
		is_int(cmp_store_query(st, &q, count, &(int){0}, &e), 64,
		       "a bad sort field is a usage error");
	}
	{
		struct cmp_query q = {.category = "billing"};
		char *plan = cmp_store_query_plan(st, &q, &e);

		ok(plan && strstr(plan, "USING INDEX complaint_category"),
		   "category filter uses its index");
		free(plan);
		q.category = NULL;
		q.overdue = 1;
		q.now = change.at + 86400 * 30;
		plan = cmp_store_query_plan(st, &q, &e);
		diag("%s", plan ? plan : e.msg);
		ok(plan && strstr(plan, "complaint_due_ack") &&
		   strstr(plan, "complaint_due_resolve"),
		   "overdue uses the deadline indexes");
		free(plan);
		is_int(query_count(st, &q), 4, "all four are overdue a month on");
	}
	cmp_store_close(st);
	free(db);
}

/* Likely duplicates: the same customer (phone, e-mail or customer id)
   and the same product or category, within the window either side;
   the latest such complaint is named. */
static void
test_duplicates(void)
{
	char *db = path("dup.db");
	struct cmp_store *st;
	struct cmp_complaint c;
	struct cmp_error e;
	const cmp_time day = 86400, t0 = 1763601300;
	/* phone, email, customer id, product, days after t0 */
	static const struct {
		const char *phone, *email, *cid, *product;
		int days;
	} rows[] = {
		{"111", NULL, NULL, "CF-200", 0},	/* 1 */
		{NULL, "a@x", NULL, "CF-200", 0},	/* 2 */
		{NULL, NULL, "C-7", "CF-200", 0},	/* 3 */
		{NULL, NULL, "C-7", "CF-200", 5},	/* 4: C-7's latest */
		{NULL, NULL, "C-7", "CF-200", 60},	/* 5: far later */
	};
	static const struct {
		const char *phone, *email, *cid, *product;
		int days;
		int64_t want;
		const char *what;
	} probes[] = {
		{"111", NULL, NULL, "CF-200", 3, 1, "by phone"},
		{NULL, "a@x", NULL, "CF-200", -14, 2, "by e-mail, window's edge"},
		{NULL, "a@x", NULL, "CF-200", -15, 0, "outside the window"},
		{NULL, NULL, "C-7", "CF-200", 6, 4, "by customer id, the latest"},
		{NULL, NULL, "C-7", "CF-200", 70, 5, "the one in the window"},
		{"111", NULL, NULL, "XX-1", 0, 0, "another product"},
		{"222", "b@x", "C-8", "CF-200", 0, 0, "another customer"},
	};
	int64_t id;

	cmp_error_clear(&e);
	cmp_store_open(&st, db, &e);
	cmp_store_begin(st, &e);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		cmp_complaint_init(&c);
		c.summary = cmp_xstrdup("s");
		c.customer.phone = rows[i].phone ? cmp_xstrdup(rows[i].phone) : NULL;
		c.customer.email = rows[i].email ? cmp_xstrdup(rows[i].email) : NULL;
		c.customer.id = rows[i].cid ? cmp_xstrdup(rows[i].cid) : NULL;
		c.product.name = cmp_xstrdup(rows[i].product);
		cmp_intake_prepare(cfg, &c, "tester", change.at, &e);
		c.received_at = t0 + rows[i].days * day;
		cmp_store_add(st, &c, NULL, &change, &e);
		cmp_complaint_release(&c);
	}
	is_int(cmp_store_commit(st, &e), 0, "five complaints stored");
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		cmp_complaint_init(&c);
		c.customer.phone = probes[i].phone ? cmp_xstrdup(probes[i].phone) : NULL;
		c.customer.email = probes[i].email ? cmp_xstrdup(probes[i].email) : NULL;
		c.customer.id = probes[i].cid ? cmp_xstrdup(probes[i].cid) : NULL;
		c.product.name = cmp_xstrdup(probes[i].product);
		c.received_at = t0 + probes[i].days * day;
		c.id = 99;
		id = -1;
		is_int(cmp_store_find_duplicate(st, &c, 14 * day, &id, &e), 0,
		       "looked up: %s", probes[i].what);
		is_int(id, probes[i].want, "%s", probes[i].what);
		cmp_complaint_release(&c);
	}
	/* Not itself. */
	cmp_complaint_init(&c);
	c.customer.phone = cmp_xstrdup("111");
	c.product.name = cmp_xstrdup("CF-200");
	c.received_at = t0;
	c.id = 1;
	cmp_store_find_duplicate(st, &c, 14 * day, &id, &e);
	is_int(id, 0, "a complaint is not its own duplicate");
	cmp_complaint_release(&c);
	cmp_store_close(st);
	free(db);
}

static int
has_id(void *arg, struct cmp_complaint *c)
{
	int64_t *want = arg;

	if (c->id == want[0])
		want[1] = 1;
	return 0;
}

/*
 * Phone numbers compared by their digits (cmp-list --customer): the
 * number as stored, as looked up, and whether they are one number.
 * Both sides go through the rule: the column's (SQL, migrations.c) and the
 * lookup's (C, query.c).
 */
static void
test_phone(void)
{
	static const struct {
		const char *stored, *asked;
		int same;
	} cases[] = {
		{"13800138000", "13800138000", 1},
		{"13800138000", "138-0013-8000", 1},
		{"13800138000", "+86 138 0013 8000", 1},
		{"+86 138 0013 8000", "13800138000", 1},
		{"138-0013-8000", "+86 138 0013 8000", 1},
		{"0086 13800138000", "138 0013 8000", 1},
		{"8613800138000", "13800138000", 1},
		{"(+86) 138.0013.8000", "+86-138-0013-8000", 1},
		{"+86/138/0013/8000", "13800138000", 1},
		{"13800138000", "13800138001", 0},
		{"13800138000", "3800138000", 0},	/* no suffixes */
		{"13800138000", "138 0013", 0},
		{"13800138000", "86", 0},
		/* Landlines: +86 stands for the trunk prefix 0. */
		{"+86 21 5555 0101", "021 5555 0101", 1},
		{"+86 10 6552 8888", "010-6552-8888", 1},	/* Beijing */
		{"+86 755 8888 8888", "0755 8888 8888", 1},
		{"021 5555 0101", "+86 21 5555 0101", 1},
		{"5555 0101", "021 5555 0101", 0},	/* not its area's */
		{"021 5555 0101", "5555 0101", 0},
		/* Other countries keep their code. */
		{"+1 415 555 0100", "001 415 555 0100", 1},
		{"+1 415 555 0100", "415 555 0100", 0},
		{"+44 20 7946 0958", "+44 (20) 7946-0958", 1},
		{"+44 20 7946 0958", "020 7946 0958", 0},
	};
	char *db = path("phone.db");
	struct cmp_store *st;
	struct cmp_error e;
	int64_t ids[CMP_ARRAY_LEN(cases)];

	cmp_error_clear(&e);
	cmp_store_open(&st, db, &e);
	cmp_store_begin(st, &e);
	for (size_t i = 0; i < CMP_ARRAY_LEN(cases); i++) {
		struct cmp_complaint c;

		sample(&c, "phone");
		free(c.customer.phone);
		c.customer.phone = cmp_xstrdup(cases[i].stored);
		free(c.customer.name);
		c.customer.name = cmp_xasprintf("customer %zu", i);
		cmp_store_add(st, &c, NULL, &change, &e);
		ids[i] = c.id;
		cmp_complaint_release(&c);
	}
	cmp_store_commit(st, &e);
	for (size_t i = 0; i < CMP_ARRAY_LEN(cases); i++) {
		struct cmp_query q = {0};
		int64_t want[2] = {ids[i], 0};

		q.customer = cases[i].asked;
		is_int(cmp_store_query(st, &q, has_id, want, &e), 0,
		       "looked up %s", cases[i].asked);
		is_int(want[1], cases[i].same, "stored \"%s\", asked \"%s\": %s",
		       cases[i].stored, cases[i].asked,
		       cases[i].same ? "one number" : "not the same");
	}
	cmp_store_close(st);
	free(db);
}

/* A store of schema version 1 is brought to the current version. */
static void
test_migrate(void)
{
	char *db = path("v1.db");
	struct cmp_store *st;
	struct cmp_complaint c;
	struct cmp_error e;
	sqlite3 *h;
	char *view1;

	cmp_error_clear(&e);
	cmp_store_open(&st, db, &e);
	sample(&c, "heat exchanger leaks");
	cmp_store_begin(st, &e);
	cmp_store_add(st, &c, NULL, &change, &e);
	cmp_store_commit(st, &e);
	cmp_store_close(st);
	cmp_complaint_release(&c);
	/* Version 1 as it shipped: the trigger without its WHEN, no index
	   of status changes, customer indexes without the time, the
	   indexes of times before the report's, no index of the open. */
	sqlite3_open(db, &h);
	/* The complaints view of version 1, as its migration makes it. */
	view1 = cmp_schema_migration_sql("%COMPLAINTS_VIEW%", 1);
	is_int(sqlite3_exec(h, "DROP INDEX complaint_duplicate_of;"
			    "DROP INDEX complaint_email_folded;"
			    "DROP VIEW complaints;"
			    "ALTER TABLE complaint DROP COLUMN duplicate_of;"
			    "ALTER TABLE complaint DROP COLUMN closed_at;"
			    "ALTER TABLE complaint DROP COLUMN rejected_at;"
			    "ALTER TABLE complaint DROP COLUMN rejection_reason;",
			    NULL, NULL, NULL), SQLITE_OK,
	       "without duplicate_of and the lifecycle's times");
	/* Rejected, then closed, as the journal of an old store says;
	   the record of then kept the reason in resolution_note only. */
	is_int(sqlite3_exec(h, "INSERT INTO journal_entry (complaint_id, at,"
			    " program, field, old, new) VALUES"
			    " (1, '2026-11-21T00:00:00Z', 'cmp-close', 'status',"
			    " 'new', 'rejected'),"
			    " (1, '2026-11-22T00:00:00Z', 'cmp-close', 'status',"
			    " 'rejected', 'closed');"
			    "UPDATE complaint SET status = 'closed',"
			    " resolution_note = 'not ours'", NULL, NULL, NULL),
	       SQLITE_OK, "rejected then closed, in the journal");
	is_int(sqlite3_exec(h, view1, NULL, NULL, NULL), SQLITE_OK,
	       "the view of version 1");
	/* An analyst's view on it: SQLite resolves its names when it is
	   used, so the view made anew serves it. */
	is_int(sqlite3_exec(h, "CREATE VIEW mine AS SELECT id, status"
			    " FROM complaints", NULL, NULL, NULL), SQLITE_OK,
	       "an analyst's view on complaints");
	free(view1);
	is_int(sqlite3_exec(h, "DROP INDEX complaint_phone; CREATE INDEX complaint_phone"
		" ON complaint(customer_phone) WHERE customer_phone IS NOT NULL;"
		"DROP INDEX complaint_email; CREATE INDEX complaint_email"
		" ON complaint(customer_email) WHERE customer_email IS NOT NULL;"
		"DROP INDEX complaint_customer; CREATE INDEX complaint_customer"
		" ON complaint(customer_id) WHERE customer_id IS NOT NULL;"
		"DROP INDEX complaint_received; CREATE INDEX"
		" complaint_received_category ON complaint(received_at, category);"
		"DROP INDEX journal_status; DROP INDEX journal_field_at;"
		"CREATE INDEX journal_at ON journal_entry(at);"
		"DROP INDEX complaint_open;"
		"DROP INDEX complaint_phone_digits; DROP INDEX complaint_name;"
		"DROP INDEX complaint_contact; DROP INDEX complaint_serial;"
		"DROP INDEX complaint_batch; DROP INDEX complaint_root_cause;"
		"DROP INDEX complaint_accountable; DROP INDEX complaint_reopened;"
		"DROP INDEX complaint_duplicate;"
		"DROP INDEX complaint_due_ack_met;"
		"DROP INDEX complaint_due_reply_met;"
		"DROP INDEX complaint_due_resolve_met;"
		"DROP INDEX complaint_deadlines;"
		"ALTER TABLE complaint DROP COLUMN customer_phone_digits;"
		"ALTER TABLE complaint DROP COLUMN customer_phone_plain;"
		"DROP TRIGGER complaint_text_au;"
		"CREATE TRIGGER complaint_text_au AFTER UPDATE OF summary,"
		" description ON complaint BEGIN"
		" INSERT INTO complaint_text(complaint_text, rowid, summary,"
		" description) VALUES ('delete', old.id, old.summary,"
		" old.description); INSERT INTO complaint_text(rowid, summary,"
		" description) VALUES (new.id, new.summary, new.description);"
		" END; PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK,
	       "a version 1 store");
	sqlite3_close(h);
	is_int(cmp_store_open(&st, db, &e), 0, "opens");
	cmp_store_close(st);
	is_int(scalar(db, "PRAGMA user_version"), CMP_SCHEMA_VERSION,
	       "migrated to the current version");
	is_int(scalar(db, "SELECT count(*) FROM mine WHERE status ="
		      " 'closed'"), 1, "the analyst's view still reads it");
	is_int(scalar(db, "SELECT count(*) FROM sqlite_schema WHERE name ="
		      " 'complaint_text_au' AND sql LIKE '%WHEN old.summary%'"),
	       1, "the text trigger fires only on a change of text");
	is_int(scalar(db, "SELECT count(*) FROM sqlite_schema WHERE name ="
		      " 'journal_status_from'"), 0,
	       "no index of status changes by the status left (13)");
	is_int(scalar(db, "SELECT count(*) FROM complaint_text WHERE"
		      " complaint_text MATCH 'exchanger'"), 1,
	       "the text index kept");
	is_int(scalar(db, "SELECT count(*) FROM sqlite_schema WHERE name IN"
		      " ('complaint_phone', 'complaint_email',"
		      " 'complaint_customer') AND sql LIKE '%, received_at)%'"),
	       3, "customer indexes carry the time received");
	is_int(scalar(db, "SELECT count(*) FROM sqlite_schema WHERE name ="
		      " 'journal_status' AND sql LIKE"
		      " '%(complaint_id, field, id, at, old, new)%'"), 1,
	       "a complaint's status changes indexed in their order");
	is_int(scalar(db, "SELECT count(*) FROM sqlite_schema WHERE name ="
		      " 'journal_field_at' AND sql LIKE"
		      " '%(field, at, complaint_id, new, old) WHERE (field ="
		      " ''status'' OR %'"),
	       1, "the reported fields' changes indexed with their values,"
	       " the fields as equalities (schema 15)");
	is_int(scalar(db, "SELECT count(*) FROM sqlite_schema WHERE name ="
		      " 'complaint_open' AND sql LIKE '%waiting_since, status)"
		      " WHERE (status = ''new'' OR status = ''assigned'' OR"
		      " status = ''waiting'')'"), 1,
	       "the open complaints indexed, the statuses as equalities"
	       " (schema 15)");
	is_int(scalar(db, "SELECT count(*) FROM sqlite_schema WHERE name IN"
		      " ('complaint_received', 'journal_status',"
		      " 'journal_field_at', 'complaint_open')"), 4,
	       "the report indexes made");
	is_int(scalar(db, "SELECT count(*) FROM sqlite_schema WHERE name IN"
		      " ('complaint_received_category', 'journal_at')"), 0,
	       "the indexes they replace dropped");
	is_int(scalar(db, "SELECT count(*) FROM complaint_text_config"
		      " WHERE k = 'automerge'"), 0,
	       "the text index merges as FTS5 does (bulk loads aside)");
	is_int(scalar(db, "SELECT v FROM complaint_text_config"
		      " WHERE k = 'hashsize'"), 8388608,
	       "and gathers 8 MiB of entries before writing one");
	is_int(scalar(db, "SELECT v FROM complaint_text_config"
		      " WHERE k = 'crisismerge'"), 1000,
	       "and merges a level at once only at 1000 segments (schema 16)");
	is_int(scalar(db, "SELECT count(*) FROM complaint WHERE"
		      " customer_phone = '13800138000' AND received_at > ''"), 1,
	       "and find the complaint");
	is_int(scalar(db, "SELECT count(*) FROM sqlite_schema WHERE name IN"
		      " ('complaint_phone_digits', 'complaint_name',"
		      " 'complaint_contact', 'complaint_serial',"
		      " 'complaint_batch', 'complaint_root_cause',"
		      " 'complaint_accountable', 'complaint_reopened',"
		      " 'complaint_duplicate')"), 9,
	       "the indexes of a caller's history made");
	is_int(scalar(db, "SELECT count(*) FROM complaint INDEXED BY"
		      " complaint_phone_digits WHERE customer_phone_digits ="
		      " '13800138000'"), 1,
	       "the phone number's digits computed for the complaint stored"
	       " before, and indexed");
	is_int(scalar(db, "SELECT count(*) FROM complaints WHERE"
		      " duplicate_of IS NULL"), 1,
	       "the view shows duplicate_of, of the complaint stored before");
	is_int(scalar(db, "SELECT count(*) FROM sqlite_schema WHERE name IN"
		      " ('complaint_duplicate_of', 'complaint_email_folded')"),
	       2, "it is indexed, and so is the e-mail address without case");
	is_int(scalar(db, "SELECT count(*) FROM complaints WHERE"
		      " closed_at = '2026-11-22T00:00:00Z' AND rejected_at ="
		      " '2026-11-21T00:00:00Z' AND rejection_reason = 'not ours'"),
	       1, "closed_at, rejected_at and the reason taken from the"
	       " journal of the complaint stored before");
	is_int(scalar(db, "SELECT count(*) FROM sqlite_schema WHERE name IN"
		      " ('complaint_due_ack_met', 'complaint_due_reply_met',"
		      " 'complaint_due_resolve_met')"), 3,
	       "the met deadlines indexed by their due time (schema 10)");
	is_int(scalar(db, "SELECT count(*) FROM sqlite_schema WHERE name IN"
		      " ('complaint_due_ack', 'complaint_due_reply',"
		      " 'complaint_due_resolve', 'complaint_due_ack_met',"
		      " 'complaint_due_reply_met', 'complaint_due_resolve_met')"
		      " AND sql LIKE '%, received_at) WHERE%'"), 6,
	       "the due times' indexes carry the time received (schema 14)");
	is_int(scalar(db, "SELECT count(*) FROM sqlite_schema WHERE name ="
		      " 'complaint_deadlines'"), 1,
	       "the index of the deadlines by time received made (schema 14)");
	is_int(scalar(db, "SELECT count(*) FROM sqlite_schema WHERE name ="
		      " 'journal_currency' AND sql LIKE '%(complaint_id, at)"
		      " WHERE field = ''resolution.currency'''"), 1,
	       "the currencies journalled indexed by complaint and moment"
	       " (schema 17)");
	free(db);

}

static void
test_refusals(void)
{
	char *db = path("junk.db");
	struct cmp_store *st;
	struct cmp_error e;
	int fd;

	cmp_error_clear(&e);
	fd = open(db, O_WRONLY | O_CREAT, 0600);
	write(fd, "this is not a database, not at all; it is text.....", 50);
	for (int i = 0; i < 100; i++)
		write(fd, "garbage garbage garbage garbage garbage garbage", 40);
	close(fd);
	is_int(cmp_store_open(&st, db, &e), 74, "random bytes: 74");
	ok(strstr(e.msg, "not a complaint store") != NULL, "says so: %s", e.msg);
	free(db);

	db = path("newer.db");
	{
		sqlite3 *h;

		sqlite3_open(db, &h);
		sqlite3_exec(h, "PRAGMA user_version = 99", NULL, NULL, NULL);
		sqlite3_close(h);
	}
	is_int(cmp_store_open(&st, db, &e), 78, "a newer schema: 78");
	ok(strstr(e.msg, "newer") != NULL, "says so: %s", e.msg);
	free(db);

	db = path("other.db");
	{
		sqlite3 *h;

		sqlite3_open(db, &h);
		sqlite3_exec(h, "CREATE TABLE t(x)", NULL, NULL, NULL);
		sqlite3_close(h);
	}
	is_int(cmp_store_open(&st, db, &e), 74, "another program's database");
	free(db);

	db = path("no/such/dir/x.db");
	is_int(cmp_store_open(&st, db, &e), 73, "a missing directory: 73");
	free(db);
}

int
main(void)
{
	struct cmp_error e;
	char cmd[64];

	setenv("TZ", "UTC", 1);
	if (!mkdtemp(dir))
		return 1;
	cmp_error_clear(&e);
	if (cmp_config_load(&cfg, NULL, &e)) {
		ok(0, "built-in configuration loads: %s", e.msg);
		return done_testing();
	}
	test_create();
	test_roundtrip();
	test_query();
	test_duplicates();
	test_phone();
	test_migrate();
	test_refusals();
	cmp_config_free(cfg);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		diag("cannot remove %s", dir);
	return done_testing();
}
