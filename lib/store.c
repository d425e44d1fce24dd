/*
 * store.c - the SQLite store: the only file that speaks SQL.
 *
 * The complaint table's columns are the record's fields (cmp_fields[],
 * named by their view column), so the INSERT, UPDATE and SELECT texts
 * are generated from the field table once per process.  Every statement
 * is prepared once and bound; no user text is ever pasted into SQL.
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

#define APPLICATION_ID 0x434d5031	/* "CMP1" */

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

/*
 * Schema migrations: migrations[i] takes user_version i to i + 1.  Never
 * edit one that has shipped; add the next.
 */
static const char *const migrations[] = {
	/* 0 -> 1: the first schema.  Column list of complaint: see
	   column_defs(), generated from the field table. */
	"%COMPLAINT_TABLE%;"
	"CREATE UNIQUE INDEX complaint_ref ON complaint(ref) WHERE ref IS NOT NULL;"
	"CREATE INDEX complaint_status ON complaint(status);"
	"CREATE INDEX complaint_category ON complaint(category);"
	/* Time ranges; reports count categories from the index alone. */
	"CREATE INDEX complaint_received_category ON complaint(received_at, category);"
	"CREATE INDEX complaint_channel ON complaint(channel);"
	"CREATE INDEX complaint_severity ON complaint(severity);"
	"CREATE INDEX complaint_tier ON complaint(customer_tier);"
	"CREATE INDEX complaint_owner ON complaint(owner);"
	"CREATE INDEX complaint_department ON complaint(department);"
	"CREATE INDEX complaint_product ON complaint(product_name);"
	"CREATE INDEX complaint_phone ON complaint(customer_phone) WHERE customer_phone IS NOT NULL;"
	"CREATE INDEX complaint_email ON complaint(customer_email) WHERE customer_email IS NOT NULL;"
	"CREATE INDEX complaint_customer ON complaint(customer_id) WHERE customer_id IS NOT NULL;"
	"CREATE INDEX complaint_due_ack ON complaint(due_ack) WHERE acknowledged_at IS NULL;"
	"CREATE INDEX complaint_due_reply ON complaint(due_reply) WHERE replied_at IS NULL;"
	"CREATE INDEX complaint_due_resolve ON complaint(due_resolve) WHERE resolution_resolved_at IS NULL;"
	"CREATE TABLE tag (complaint_id INTEGER NOT NULL REFERENCES complaint(id),"
	" tag TEXT NOT NULL, PRIMARY KEY (tag, complaint_id)) WITHOUT ROWID;"
	"CREATE INDEX tag_complaint ON tag(complaint_id);"
	"CREATE TABLE followup (id INTEGER PRIMARY KEY,"
	" complaint_id INTEGER NOT NULL REFERENCES complaint(id),"
	" due_at TEXT, done_at TEXT, channel TEXT, outcome TEXT,"
	" satisfaction INTEGER, note TEXT);"
	"CREATE INDEX followup_complaint ON followup(complaint_id);"
	"CREATE INDEX followup_due ON followup(due_at) WHERE done_at IS NULL;"
	"CREATE TABLE journal_entry (id INTEGER PRIMARY KEY,"
	" complaint_id INTEGER NOT NULL REFERENCES complaint(id),"
	" at TEXT NOT NULL, actor TEXT, program TEXT, field TEXT,"
	" old TEXT, new TEXT, note TEXT);"
	"CREATE INDEX journal_complaint ON journal_entry(complaint_id, id);"
	"CREATE INDEX journal_at ON journal_entry(at);"
	/* The journal is never rewritten, not even by a mistaken tool. */
	"CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal_entry"
	" BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;"
	"CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal_entry"
	" BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;"
	/* Full text: trigrams find Chinese and Latin substrings of three
	   characters or more; shorter queries fall back to LIKE. */
	/* New rows are indexed by the store, one statement per transaction
	   (fts_flush): per-row triggers made bulk loads several times
	   slower, each row's statement flushing the index. */
	"CREATE VIRTUAL TABLE complaint_text USING fts5(summary, description,"
	" content='complaint', content_rowid='id', tokenize='trigram');"
	"CREATE TRIGGER complaint_text_au AFTER UPDATE OF summary, description"
	" ON complaint BEGIN"
	" INSERT INTO complaint_text(complaint_text, rowid, summary, description)"
	" VALUES ('delete', old.id, old.summary, old.description);"
	" INSERT INTO complaint_text(rowid, summary, description)"
	" VALUES (new.id, new.summary, new.description); END;"
	"CREATE TRIGGER complaint_text_ad AFTER DELETE ON complaint BEGIN"
	" INSERT INTO complaint_text(complaint_text, rowid, summary, description)"
	" VALUES ('delete', old.id, old.summary, old.description); END;"
	/* The stable interface for analysts (complaint(7)). */
	"%COMPLAINTS_VIEW%;"
	"CREATE VIEW journal AS SELECT complaint_id, at, actor, program, field,"
	" old, new, note FROM journal_entry;"
	"CREATE VIEW followups AS SELECT complaint_id, due_at, done_at, channel,"
	" outcome, satisfaction, note FROM followup;",

	/* 1 -> 2: reindex the text only when it changed.  Every update
	   sets every column, so the trigger fired on every change and
	   reindexed two texts for a tag (44x slower through a pipe).
	   And an index of status changes by the status left. */
	"DROP TRIGGER complaint_text_au;"
	"CREATE TRIGGER complaint_text_au AFTER UPDATE OF summary, description"
	" ON complaint WHEN old.summary IS NOT new.summary"
	" OR old.description IS NOT new.description BEGIN"
	" INSERT INTO complaint_text(complaint_text, rowid, summary, description)"
	" VALUES ('delete', old.id, old.summary, old.description);"
	" INSERT INTO complaint_text(rowid, summary, description)"
	" VALUES (new.id, new.summary, new.description); END;"
	/* Reports find the complaints that left an open status after a
	   moment without reading the rest of the journal (an import's
	   million creation entries, say). */
	"CREATE INDEX journal_status_from ON journal_entry"
	"(coalesce(old, new), at) WHERE field = 'status';",

	/* 2 -> 3: the customer indexes carry the time received, so the
	   likely-duplicate check of each new complaint reads the window
	   from the index, not every complaint of the customer from the
	   table (20 rows each at a million: a third of a bulk load).
	   Reports read a period's breakdowns from the index of times
	   received, a complaint's status changes from an index of them,
	   and the changes of a field in a period from an index of
	   fields and times (an import's million status entries are
	   skipped there, not read from the table). */
	"DROP INDEX complaint_phone;"
	"CREATE INDEX complaint_phone ON complaint(customer_phone, received_at)"
	" WHERE customer_phone IS NOT NULL;"
	"DROP INDEX complaint_email;"
	"CREATE INDEX complaint_email ON complaint(customer_email, received_at)"
	" WHERE customer_email IS NOT NULL;"
	"DROP INDEX complaint_customer;"
	"CREATE INDEX complaint_customer ON complaint(customer_id, received_at)"
	" WHERE customer_id IS NOT NULL;"
	"DROP INDEX complaint_received_category;"
	"CREATE INDEX complaint_received ON complaint(received_at, category,"
	" channel, department, severity, customer_tier, product_name,"
	" root_cause);"
	"CREATE INDEX journal_status ON journal_entry(complaint_id, field, at,"
	" old, new) WHERE field = 'status';"
	"DROP INDEX journal_at;"
	"CREATE INDEX journal_field_at ON journal_entry(field, at,"
	" complaint_id);",

	/* 3 -> 4: the open complaints, with what a report's backlog and
	   overdue list count them by, read from an index of them alone
	   (a few percent of the store), not row by row from the table. */
	"CREATE INDEX complaint_open ON complaint(received_at, created_at,"
	" due_ack, acknowledged_at, due_reply, replied_at, due_resolve,"
	" resolution_resolved_at, waiting_since, status)"
	" WHERE status IN ('new', 'assigned', 'waiting');",

	/* 4 -> 5: the text index gathers 8 MiB of new entries before it
	   writes a segment, not 1 MiB (100,000 complaints loaded onto
	   900,000 in 51 MB, not 92); how a bulk load merges is
	   cmp_store_bulk's. */
	"INSERT INTO complaint_text(complaint_text, rank)"
	" VALUES ('hashsize', 8388608);",

	/* 5 -> 6: the index of status changes by the status left carries
	   the complaint: the report's backlog reads the complaints that
	   left an open status from it alone, not each change's row from
	   the journal (50,000 rows on a million, after an import's
	   creation entries).  A complaint's status changes are indexed
	   in the order they were made: its first change after a moment
	   is the first found, not sorted out of all those after it (the
	   status of the 25,000 open complaints of a million at a moment
	   in 0.14-0.19 s, not 0.25-0.34). */
	"DROP INDEX journal_status_from;"
	"CREATE INDEX journal_status_from ON journal_entry"
	"(coalesce(old, new), at, complaint_id) WHERE field = 'status';"
	"DROP INDEX journal_status;"
	"CREATE INDEX journal_status ON journal_entry(complaint_id, field, id,"
	" at, old, new) WHERE field = 'status';",
};

/* Internal columns of the complaint table, after the fields. */
static const char internal_columns[] =
	", escalated_for INTEGER NOT NULL DEFAULT 0, fingerprint TEXT";

static int
stored(const struct cmp_field *f)
{
	return f->type != CMP_F_FOLLOWUPS;
}

static const char *
sql_type(const struct cmp_field *f)
{
	switch (f->type) {
	case CMP_F_ID:
	case CMP_F_INT:
	case CMP_F_COUNT:
	case CMP_F_SCORE:
	case CMP_F_BOOL:
		return "INTEGER";
	case CMP_F_MONEY:
		return "REAL";
	default:
		return "TEXT";
	}
}

/* CREATE TABLE complaint (...), from the field table. */
static void
complaint_table(struct cmp_buf *b)
{
	cmp_buf_adds(b, "CREATE TABLE complaint (id INTEGER PRIMARY KEY");
	for (size_t i = 1; i < cmp_nfields; i++) {
		const struct cmp_field *f = &cmp_fields[i];

		if (!stored(f))
			continue;
		cmp_buf_addf(b, ", %s %s", f->column, sql_type(f));
		if (f->type == CMP_F_COUNT)
			cmp_buf_adds(b, " NOT NULL DEFAULT 0");
		else if (f->type == CMP_F_TAGS)
			cmp_buf_adds(b, " NOT NULL DEFAULT '[]'");
		else if (!strcmp(f->path, "status") ||
			 !strcmp(f->path, "received_at") ||
			 !strcmp(f->path, "created_at") ||
			 !strcmp(f->path, "updated_at"))
			cmp_buf_adds(b, " NOT NULL");
	}
	cmp_buf_adds(b, internal_columns);
	cmp_buf_adds(b, ")");
}

static void
complaints_view(struct cmp_buf *b)
{
	cmp_buf_adds(b, "CREATE VIEW complaints AS SELECT ");
	for (size_t i = 0, n = 0; i < cmp_nfields; i++) {
		if (!stored(&cmp_fields[i]))
			continue;
		cmp_buf_addf(b, "%s%s", n++ ? ", " : "", cmp_fields[i].column);
	}
	cmp_buf_adds(b, " FROM complaint");
}

/* The stored columns, comma separated, optionally with "=?" each. */
static void
column_list(struct cmp_buf *b, int from, const char *suffix)
{
	for (size_t i = (size_t)from, n = 0; i < cmp_nfields; i++) {
		if (!stored(&cmp_fields[i]))
			continue;
		cmp_buf_addf(b, "%s%s%s", n++ ? ", " : "",
			     cmp_fields[i].column, suffix);
	}
}

/* Map an SQLite failure to a status and a message about the store. */
static int
db_error(struct cmp_store *st, int rc, struct cmp_error *e)
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

static int
exec(struct cmp_store *st, const char *sql, struct cmp_error *e)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : db_error(st, rc, e);
}

static const char *
stmt_sql(enum stmt k, struct cmp_buf *b)
{
	switch (k) {
	case ST_INSERT:
		cmp_buf_adds(b, "INSERT INTO complaint (");
		column_list(b, 1, "");
		cmp_buf_adds(b, ", escalated_for, fingerprint) VALUES (");
		for (size_t i = 1, n = 0; i < cmp_nfields; i++)
			if (stored(&cmp_fields[i]))
				cmp_buf_adds(b, n++ ? ", ?" : "?");
		cmp_buf_adds(b, ", ?, ?)");
		break;
	case ST_BY_ID:
	case ST_BY_REF:
	case ST_FINGERPRINT:
		cmp_buf_adds(b, "SELECT ");
		column_list(b, 0, "");
		cmp_buf_adds(b, ", escalated_for, fingerprint FROM complaint"
			     " WHERE ");
		cmp_buf_adds(b, k == ST_BY_ID ? "id = ?" : "ref = ?");
		break;
	case ST_JOURNAL_ADD:
		cmp_buf_adds(b, "INSERT INTO journal_entry (complaint_id, at,"
			     " actor, program, field, old, new, note)"
			     " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
		break;
	case ST_JOURNAL_LIST:
		cmp_buf_adds(b, "SELECT complaint_id, at, actor, program,"
			     " field, old, new, note FROM journal_entry"
			     " WHERE complaint_id = ? ORDER BY id");
		break;
	case ST_FU_LIST:
		cmp_buf_adds(b, "SELECT id, due_at, done_at, channel, outcome,"
			     " satisfaction, note FROM followup"
			     " WHERE complaint_id = ? ORDER BY id");
		break;
	case ST_FU_ADD:
		cmp_buf_adds(b, "INSERT INTO followup (complaint_id, due_at,"
			     " done_at, channel, outcome, satisfaction, note)"
			     " VALUES (?, ?, ?, ?, ?, ?, ?)");
		break;
	case ST_FU_UPDATE:
		cmp_buf_adds(b, "UPDATE followup SET due_at = ?, done_at = ?,"
			     " channel = ?, outcome = ?, satisfaction = ?,"
			     " note = ? WHERE id = ?");
		break;
	case ST_TAG_ADD:
		cmp_buf_adds(b, "INSERT OR IGNORE INTO tag (complaint_id, tag)"
			     " VALUES (?, ?)");
		break;
	case ST_TAG_DEL:
		cmp_buf_adds(b, "DELETE FROM tag WHERE complaint_id = ?"
			     " AND tag = ?");
		break;
	case ST_DUPLICATE:
		/* The customer's complaints in the window, from the
		   customer indexes alone (customer, received_at); only
		   those are read from the table.  An OR of the three
		   would read all the customer's complaints. */
		cmp_buf_adds(b, "SELECT id FROM complaint WHERE id IN"
			     " (SELECT id FROM complaint WHERE customer_phone = ?2"
			     " AND received_at BETWEEN ?7 AND ?8 UNION ALL"
			     " SELECT id FROM complaint WHERE customer_email = ?3"
			     " AND received_at BETWEEN ?7 AND ?8 UNION ALL"
			     " SELECT id FROM complaint WHERE customer_id = ?4"
			     " AND received_at BETWEEN ?7 AND ?8)"
			     " AND id != ?1"
			     " AND (+product_name = ?5 OR +category = ?6)"
			     " ORDER BY received_at DESC, id DESC LIMIT 1");
		break;
	case ST_FTS_FLUSH:
		cmp_buf_adds(b, "INSERT INTO complaint_text(rowid, summary,"
			     " description) SELECT id, summary, description"
			     " FROM complaint WHERE id >= ?");
		break;
	case ST_SAVEPOINT:
		cmp_buf_adds(b, "SAVEPOINT record");
		break;
	case ST_RELEASE:
		cmp_buf_adds(b, "RELEASE record");
		break;
	case ST_ROLLBACK_TO:
		cmp_buf_adds(b, "ROLLBACK TO record");
		break;
	case ST_BEGIN:
		cmp_buf_adds(b, "BEGIN IMMEDIATE");
		break;
	case ST_COMMIT:
		cmp_buf_adds(b, "COMMIT");
		break;
	case ST_ROLLBACK:
		cmp_buf_adds(b, "ROLLBACK");
		break;
	case ST_COUNT:
		break;
	}
	return cmp_buf_str(b);
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
	rc = sqlite3_prepare_v3(st->db, stmt_sql(k, &b), -1,
				SQLITE_PREPARE_PERSISTENT, &st->stmt[k], NULL);
	cmp_buf_release(&b);
	if (rc != SQLITE_OK) {
		db_error(st, rc, e);
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
		db_error(st, rc, e);
}

static int
run_simple(struct cmp_store *st, enum stmt k, struct cmp_error *e)
{
	sqlite3_stmt *s = stmt(st, k, e);

	return s ? run(st, s, e) : e->code;
}

static void
bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

static void
bind_time(sqlite3_stmt *s, int i, cmp_time t)
{
	char buf[CMP_TIME_BUFSZ];

	if (t)
		sqlite3_bind_text(s, i, cmp_time_format(t, buf), -1,
				  SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

/* The canonical "YYYY-MM-DDTHH:MM:SSZ" we store, read back fast. */
static cmp_time
column_time(sqlite3_stmt *s, int i)
{
	const unsigned char *p = sqlite3_column_text(s, i);
	int y, mo, d, h, mi, sec;
	int64_t days;

	if (!p || sqlite3_column_bytes(s, i) != 20)
		return 0;
#define D2(o) ((p[o] - '0') * 10 + (p[o + 1] - '0'))
	y = D2(0) * 100 + D2(2);
	mo = D2(5);
	d = D2(8);
	h = D2(11);
	mi = D2(14);
	sec = D2(17);
#undef D2
	/* Days from civil (Howard Hinnant's algorithm). */
	y -= mo <= 2;
	{
		int64_t era = (y >= 0 ? y : y - 399) / 400;
		int64_t yoe = y - era * 400;
		int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
		int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

		days = era * 146097 + doe - 719468;
	}
	return days * 86400 + h * 3600 + mi * 60 + sec;
}

static char *
column_strdup(sqlite3_stmt *s, int i)
{
	const unsigned char *p = sqlite3_column_text(s, i);

	return p ? cmp_xstrndup((const char *)p,
				(size_t)sqlite3_column_bytes(s, i)) : NULL;
}

#define FPTR(type, f, c) ((type *)((char *)(c) + (f)->offset))
#define CFPTR(type, f, c) ((const type *)((const char *)(c) + (f)->offset))

/* Bind field f of c at parameter i. */
static void
bind_field(sqlite3_stmt *s, int i, const struct cmp_field *f,
	   const struct cmp_complaint *c)
{
	char *text;

	if (cmp_field_is_null(f, c) && f->type != CMP_F_TAGS) {
		sqlite3_bind_null(s, i);
		return;
	}
	switch (f->type) {
	case CMP_F_TEXT:
	case CMP_F_ENUM:
	case CMP_F_DATE:
	case CMP_F_JSON:
		bind_text(s, i, *CFPTR(char *, f, c));
		break;
	case CMP_F_ID:
	case CMP_F_INT:
	case CMP_F_COUNT:
	case CMP_F_SCORE:
		sqlite3_bind_int64(s, i, *CFPTR(int64_t, f, c));
		break;
	case CMP_F_TIME:
		bind_time(s, i, *CFPTR(cmp_time, f, c));
		break;
	case CMP_F_BOOL:
		sqlite3_bind_int(s, i, *CFPTR(int, f, c));
		break;
	case CMP_F_MONEY:
		sqlite3_bind_double(s, i, *CFPTR(double, f, c));
		break;
	case CMP_F_TAGS:
		text = cmp_field_text(f, c);
		sqlite3_bind_text(s, i, text, -1, free);
		break;
	case CMP_F_FOLLOWUPS:
		break;
	}
}

/* Read column i into field f of c. */
static void
read_field(sqlite3_stmt *s, int i, const struct cmp_field *f,
	   struct cmp_complaint *c)
{
	int null = sqlite3_column_type(s, i) == SQLITE_NULL;

	switch (f->type) {
	case CMP_F_TEXT:
	case CMP_F_ENUM:
	case CMP_F_DATE:
	case CMP_F_JSON:
		free(*FPTR(char *, f, c));
		*FPTR(char *, f, c) = column_strdup(s, i);
		break;
	case CMP_F_ID:
	case CMP_F_INT:
	case CMP_F_COUNT:
	case CMP_F_SCORE:
		*FPTR(int64_t, f, c) = sqlite3_column_int64(s, i);
		break;
	case CMP_F_TIME:
		*FPTR(cmp_time, f, c) = column_time(s, i);
		break;
	case CMP_F_BOOL:
		*FPTR(int, f, c) = null ? -1 : sqlite3_column_int(s, i) != 0;
		break;
	case CMP_F_MONEY:
		*FPTR(double, f, c) = null ? NAN : sqlite3_column_double(s, i);
		break;
	case CMP_F_TAGS: {
		const char *text = (const char *)sqlite3_column_text(s, i);
		cJSON *arr = text ? cJSON_Parse(text) : NULL;
		const cJSON *t;

		cJSON_ArrayForEach(t, arr)
			if (cJSON_IsString(t))
				cmp_complaint_tag(c, t->valuestring);
		cJSON_Delete(arr);
		break;
	}
	case CMP_F_FOLLOWUPS:
		break;
	}
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
		fu->due_at = column_time(s, 1);
		fu->done_at = column_time(s, 2);
		fu->channel = column_strdup(s, 3);
		fu->outcome = column_strdup(s, 4);
		fu->satisfaction = sqlite3_column_int(s, 5);
		fu->note = column_strdup(s, 6);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : db_error(st, rc, e);
}

/* Fill c from the current row of a SELECT made by stmt_sql(ST_BY_*). */
static int
read_row(struct cmp_store *st, sqlite3_stmt *s, struct cmp_complaint *c,
	 char **fingerprint, struct cmp_error *e)
{
	int col = 0;

	for (size_t i = 0; i < cmp_nfields; i++) {
		if (!stored(&cmp_fields[i]))
			continue;
		read_field(s, col++, &cmp_fields[i], c);
	}
	c->escalated_for = sqlite3_column_int64(s, col++);
	if (fingerprint)
		*fingerprint = column_strdup(s, col);
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
		ret = db_error(st, rc, e);
		sqlite3_reset(s);
		return ret;
	}
	(void)k;
	cmp_complaint_release(c);
	ret = read_row(st, s, c, fingerprint, e);
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
	bind_text(s, 1, ref);
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
	bind_time(s, 2, ch->at);
	bind_text(s, 3, ch->actor);
	bind_text(s, 4, ch->program);
	bind_text(s, 5, field);
	bind_text(s, 6, old);
	bind_text(s, 7, new_value);
	bind_text(s, 8, ch->note);
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
	bind_text(s, 2, tag);
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
	bind_time(s, i++, fu->due_at);
	bind_time(s, i++, fu->done_at);
	bind_text(s, i++, fu->channel);
	bind_text(s, i++, fu->outcome);
	if (fu->satisfaction)
		sqlite3_bind_int(s, i, fu->satisfaction);
	i++;
	bind_text(s, i++, fu->note);
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
		if (!stored(&cmp_fields[k]))
			continue;
		bind_field(s, i++, &cmp_fields[k], c);
	}
	sqlite3_bind_int64(s, i++, c->escalated_for);
	bind_text(s, i++, fingerprint);
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
	if (!stored(&cmp_fields[k]))
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
		db_error(st, rc, e);
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
			bind_field(s, i++, &cmp_fields[k], c);
	sqlite3_bind_int64(s, i++, c->escalated_for);
	if (fingerprint)
		bind_text(s, i++, fingerprint);
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
	bind_text(s, 2, c->customer.phone);
	bind_text(s, 3, c->customer.email);
	bind_text(s, 4, c->customer.id);
	bind_text(s, 5, c->product.name);
	bind_text(s, 6, c->category);
	bind_time(s, 7, c->received_at - window);
	bind_time(s, 8, c->received_at + window);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_error(st, rc, e);
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
			.at = column_time(s, 1),
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
	return rc == SQLITE_DONE ? 0 : db_error(st, rc, e);
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
		int ret = exec(st, "PRAGMA temp_store = MEMORY;"
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
		return exec(st, "PRAGMA cache_size = -49152;"
			    " PRAGMA wal_autocheckpoint = 262144;"
			    " INSERT INTO complaint_text(complaint_text,"
			    " rank) VALUES ('automerge', 16)", e);
	if ((ret = cmp_store_begin(st, e)))
		return ret;
	ret = exec(st, "INSERT INTO complaint_text(complaint_text, rank)"
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

/* Expand the %PLACEHOLDERS% of a migration. */
static char *
migration_sql(const char *text)
{
	struct cmp_buf b = CMP_BUF_INIT;
	const char *p = text;

	while (*p) {
		if (!strncmp(p, "%COMPLAINT_TABLE%", 17)) {
			complaint_table(&b);
			p += 17;
		} else if (!strncmp(p, "%COMPLAINTS_VIEW%", 17)) {
			complaints_view(&b);
			p += 17;
		} else {
			cmp_buf_addc(&b, *p++);
		}
	}
	return cmp_buf_detach(&b);
}

static int
pragma_int(struct cmp_store *st, const char *sql, int64_t *out,
	   struct cmp_error *e)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);

	if (rc != SQLITE_OK)
		return db_error(st, rc, e);
	rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_error(st, rc, e);
}

/* Bring the schema to CMP_SCHEMA_VERSION. */
static int
migrate(struct cmp_store *st, struct cmp_error *e)
{
	int64_t version, app, tables;
	int ret;

	if ((ret = pragma_int(st, "PRAGMA user_version", &version, e)))
		return ret;
	if (version == CMP_SCHEMA_VERSION)
		return 0;
	if (version > CMP_SCHEMA_VERSION)
		return cmp_error_set(e, CMP_EX_CONFIG, NULL,
				     "store '%s' has schema version %lld, "
				     "newer than this program's %d; use a "
				     "newer complaint", st->path,
				     (long long)version, CMP_SCHEMA_VERSION);
	if ((ret = exec(st, "BEGIN IMMEDIATE", e)))
		return ret;
	/* Another process may have migrated while we waited. */
	if ((ret = pragma_int(st, "PRAGMA user_version", &version, e)) ||
	    (ret = pragma_int(st, "PRAGMA application_id", &app, e)) ||
	    (ret = pragma_int(st, "SELECT count(*) FROM sqlite_schema",
			      &tables, e)))
		goto fail;
	if (version == 0 && (tables > 0 || (app && app != APPLICATION_ID))) {
		ret = cmp_error_set(e, CMP_EX_IOERR, NULL,
				    "'%s' is an SQLite database, but not a "
				    "complaint store", st->path);
		goto fail;
	}
	for (; version < CMP_SCHEMA_VERSION; version++) {
		char *sql = migration_sql(migrations[version]);

		ret = exec(st, sql, e);
		free(sql);
		if (ret)
			goto fail;
	}
	{
		char sql[96];

		snprintf(sql, sizeof(sql),
			 "PRAGMA user_version = %d; PRAGMA application_id = %d",
			 CMP_SCHEMA_VERSION, APPLICATION_ID);
		if ((ret = exec(st, sql, e)))
			goto fail;
	}
	return exec(st, "COMMIT", e);
fail:
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return ret;
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
		ret = db_error(st, rc, e);
		cmp_store_close(st);
		return ret;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, busy_timeout());
	/*
	 * WAL: readers never block the writer; synchronous FULL: a commit
	 * is on disk before anything downstream sees the record.
	 */
	if ((ret = exec(st, "PRAGMA journal_mode = WAL", e)) &&
	    ret != CMP_EX_IOERR) {
		cmp_store_close(st);
		return ret;
	}
	if ((ret = exec(st, "PRAGMA synchronous = FULL;"
			" PRAGMA foreign_keys = ON", e)) ||
	    (ret = migrate(st, e))) {
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

/* ---- queries ---- */

/* Collected parameters of a generated statement, bound in order. */
struct params {
	struct cmp_buf sql;
	char **text;
	size_t n;
};

static void
param(struct params *pa, const char *v)
{
	pa->text = cmp_xrealloc(pa->text, (pa->n + 1) * sizeof(char *));
	pa->text[pa->n++] = cmp_xstrdup(v);
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
 * SQLite reads one index and then every row it names to test the rest
 * (166,000 rows read for 27,000 kept on a million).  From the second on
 * they are written as sets of ids, which it tests on the index entries
 * before reading a row: cmp-list --category billing --severity critical
 * on a million, 0.70-0.77 s -> 0.48-0.51 s.
 */
static void
where_few(struct params *pa, int *first, int *nfew, const char *column,
	  const char *list)
{
	if (!list)
		return;
	if (!(*nfew)++) {
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

/* Unary + keeps the planner off the status index: the deadline indexes
   (partial, on what is not met yet) select far fewer rows. */
#define OPEN_STATUSES "+status IN ('new', 'assigned', 'waiting')"

/*
 * A deadline passed unmet before `limit`.  A waiting complaint's clocks
 * stopped when it began to wait, so only what was late then counts.
 */
static void
where_late(struct params *pa, int *first, cmp_time limit, int pauses)
{
	and(pa, first);
	cmp_buf_adds(&pa->sql, OPEN_STATUSES " AND (");
	for (int k = 0; k < CMP_DL_COUNT; k++) {
		cmp_buf_addf(&pa->sql, "%s(%s IS NULL AND %s < ", k ? " OR " : "",
			     deadline_columns[k][1], deadline_columns[k][0]);
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
 * Full text: each word or "quoted phrase" must occur in the summary or
 * the description.  Terms of three characters or more go through the
 * trigram index (*match: an FTS5 query, empty when there are none);
 * shorter ones (two Chinese characters, say) fall back to LIKE
 * (*shorts), applied after the index has narrowed the rows when it can.
 */
static void
text_terms(const char *text, struct cmp_buf *match, char ***shorts_out,
	   size_t *nshorts_out)
{
	const char *p = text;
	char **shorts = NULL;
	size_t nshorts = 0;

	while (*p) {
		const char *start, *end;
		size_t chars = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (*p == '"') {
			start = ++p;
			while (*p && *p != '"')
				p++;
			end = p;
			if (*p)
				p++;
		} else {
			start = p;
			while (*p && *p != ' ' && *p != '\t')
				p++;
			end = p;
		}
		if (end == start)
			continue;
		for (const char *q = start; q < end; q++)
			chars += ((unsigned char)*q & 0xc0) != 0x80;
		if (chars < 3) {
			shorts = cmp_xrealloc(shorts, (nshorts + 1) *
					      sizeof(char *));
			shorts[nshorts++] = like_pattern(start,
							 (size_t)(end - start));
			continue;
		}
		/* An FTS5 string: double quotes doubled inside. */
		if (match->len)
			cmp_buf_adds(match, " AND ");
		cmp_buf_addc(match, '"');
		for (const char *q = start; q < end; q++) {
			if (*q == '"')
				cmp_buf_addc(match, '"');
			cmp_buf_addc(match, *q);
		}
		cmp_buf_addc(match, '"');
	}
	*shorts_out = shorts;
	*nshorts_out = nshorts;
}

/*
 * The text's conditions: the FTS5 query match (unless it drives the
 * query, see query_sql) and a LIKE for each short term, which it frees.
 */
static void
where_text(struct params *pa, int *first, const char *match, char **shorts,
	   size_t nshorts)
{
	if (match) {
		and(pa, first);
		cmp_buf_adds(&pa->sql, "id IN (SELECT rowid FROM complaint_text"
			     " WHERE complaint_text MATCH ");
		param(pa, match);
		cmp_buf_adds(&pa->sql, ")");
	}
	for (size_t i = 0; i < nshorts; i++) {
		and(pa, first);
		cmp_buf_adds(&pa->sql, "(summary LIKE ");
		param(pa, shorts[i]);
		cmp_buf_adds(&pa->sql, " ESCAPE '\\' OR description LIKE ");
		param(pa, shorts[i]);
		cmp_buf_adds(&pa->sql, " ESCAPE '\\')");
		free(shorts[i]);
	}
	free(shorts);
}

/* SELECT ... for q; 0 or 64 (bad sort field). */
static int
query_sql(const struct cmp_query *q, struct params *pa, struct cmp_error *e)
{
	struct cmp_buf match = CMP_BUF_INIT;
	char **shorts = NULL;
	size_t nshorts = 0;
	int first = 1, nfew = 0, driven;

	if (q->text)
		text_terms(q->text, &match, &shorts, &nshorts);
	/*
	 * Ordered by id, a text query is driven by the index, which yields
	 * ids in order: the first rows come out at once and --limit stops
	 * it early (a common word on 1,000,000 complaints: 77 ms for the
	 * first 100 with "id IN (matches)", 11 ms this way).
	 */
	driven = match.len && (!q->sort || !strcmp(q->sort, "id") ||
			       !strcmp(q->sort, "-id"));
	cmp_buf_adds(&pa->sql, "SELECT ");
	column_list(&pa->sql, 0, "");
	cmp_buf_adds(&pa->sql, ", escalated_for, NULL FROM ");
	if (driven) {
		cmp_buf_adds(&pa->sql, "(SELECT rowid AS text_id FROM"
			     " complaint_text WHERE complaint_text MATCH ");
		param(pa, match.s);
		cmp_buf_adds(&pa->sql, ") JOIN complaint ON id = text_id");
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
		and(pa, &first);
		cmp_buf_adds(&pa->sql, "id IN (SELECT complaint_id FROM followup"
			     " WHERE done_at IS NULL AND due_at <= ");
		param_time(pa, q->followup_due);
		cmp_buf_adds(&pa->sql, ")");
	}
	where_text(pa, &first, match.len && !driven ? match.s : NULL, shorts,
		   nshorts);
	cmp_buf_release(&match);
	if (driven) {
		cmp_buf_adds(&pa->sql, q->sort && q->sort[0] == '-' ?
			     " ORDER BY text_id DESC" : " ORDER BY text_id");
	} else if (q->sort) {
		int desc = q->sort[0] == '-';
		const struct cmp_field *f = cmp_field_find(q->sort + desc);

		if (!f || !stored(f))
			return cmp_error_set(e, CMP_EX_USAGE, NULL,
					     "--sort: no field '%s'",
					     q->sort + desc);
		cmp_buf_addf(&pa->sql, " ORDER BY %s%s, id%s", f->column,
			     desc ? " DESC" : "", desc ? " DESC" : "");
	} else if (q->overdue || q->due_before || q->since || q->until) {
		/* Ordered by id, the planner would rather scan the table in
		   rowid order than search the range indexes and sort the few
		   rows they give: "+id" takes that option away. */
		cmp_buf_adds(&pa->sql, " ORDER BY +id");
	} else {
		cmp_buf_adds(&pa->sql, " ORDER BY id");
	}
	if (q->limit > 0)
		cmp_buf_addf(&pa->sql, " LIMIT %ld", q->limit);
	return 0;
}

static int
query_prepare(struct cmp_store *st, const struct cmp_query *q,
	      const char *prefix, sqlite3_stmt **s, struct cmp_error *e)
{
	struct params pa;
	struct cmp_buf sql = CMP_BUF_INIT;
	int rc, ret;

	memset(&pa, 0, sizeof(pa));
	if ((ret = query_sql(q, &pa, e))) {
		params_release(&pa);
		return ret;
	}
	cmp_buf_adds(&sql, prefix);
	cmp_buf_adds(&sql, pa.sql.s);
	rc = sqlite3_prepare_v2(st->db, sql.s, -1, s, NULL);
	cmp_buf_release(&sql);
	if (rc != SQLITE_OK) {
		params_release(&pa);
		return db_error(st, rc, e);
	}
	for (size_t i = 0; i < pa.n; i++)
		sqlite3_bind_text(*s, (int)i + 1, pa.text[i], -1,
				  SQLITE_TRANSIENT);
	params_release(&pa);
	return 0;
}

int
cmp_store_query(struct cmp_store *st, const struct cmp_query *q,
		cmp_complaint_fn fn, void *arg, struct cmp_error *e)
{
	struct cmp_complaint c;
	sqlite3_stmt *s;
	int rc, ret;

	if ((ret = query_prepare(st, q, "", &s, e)))
		return ret;
	cmp_complaint_init(&c);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		cmp_complaint_release(&c);
		if ((ret = read_row(st, s, &c, NULL, e)) ||
		    (ret = fn(arg, &c)))
			break;
	}
	cmp_complaint_release(&c);
	if (!ret && rc != SQLITE_DONE)
		ret = db_error(st, rc, e);
	sqlite3_finalize(s);
	return ret;
}

char *
cmp_store_query_plan(struct cmp_store *st, const struct cmp_query *q,
		     struct cmp_error *e)
{
	struct cmp_buf b = CMP_BUF_INIT;
	sqlite3_stmt *s;

	if (query_prepare(st, q, "EXPLAIN QUERY PLAN ", &s, e))
		return NULL;
	while (sqlite3_step(s) == SQLITE_ROW) {
		cmp_buf_adds(&b, (const char *)sqlite3_column_text(s, 3));
		cmp_buf_addc(&b, '\n');
	}
	sqlite3_finalize(s);
	return cmp_buf_detach(&b);
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

/* ---- reports (cmp-report) ---- */

/*
 * The aggregates of cmp-report.  Each reads one range of an index
 * (received_at, journal_entry.at, the partial deadline indexes, status)
 * and aggregates in SQL where it can; what needs a time zone or a
 * percentile is left to report.c, which gets rows or groups streamed.
 * Times are bound as the canonical RFC 3339 text we store, so that text
 * comparison is time order.
 */

#define REPORT_OPEN "('new', 'assigned', 'waiting')"
#define REPORT_MET_FIELDS \
	"('acknowledged_at', 'replied_at', 'resolution.resolved_at')"
/* A created_at bound that lets everything through (as_of 0). */
#define REPORT_NO_LIMIT "9999-12-31T23:59:59Z"

static void
report_bind_time(sqlite3_stmt *s, int i, cmp_time t)
{
	if (t)
		bind_time(s, i, t);
	else
		sqlite3_bind_text(s, i, REPORT_NO_LIMIT, -1, SQLITE_STATIC);
}

static int
report_prepare(struct cmp_store *st, const char *sql, sqlite3_stmt **s,
	       struct cmp_error *e)
{
	/* SQLite's own 2 MiB cache, no mmap: on a million complaints a
	   mapped store with a 64 MiB cache made a month's report slower
	   (2.2 s against 1.75 s), faulting in and zeroing pages read once. */
	int rc = sqlite3_prepare_v2(st->db, sql, -1, s, NULL);

	return rc == SQLITE_OK ? 0 : db_error(st, rc, e);
}

/* Step s to its end, finalize it; rc of the last step mapped. */
static int
report_finish(struct cmp_store *st, sqlite3_stmt *s, int rc, int ret,
	      struct cmp_error *e)
{
	if (!ret && rc != SQLITE_DONE && rc != SQLITE_ROW)
		ret = db_error(st, rc, e);
	sqlite3_finalize(s);
	return ret;
}

/* The buckets of received_at: the index i of [bounds[i], bounds[i+1]). */
struct report_buckets {
	char (*text)[CMP_TIME_BUFSZ];
	size_t n;
};

static long
report_bucket(const struct report_buckets *b, const char *t)
{
	size_t lo = 0, hi;

	if (!t || b->n < 2 || strcmp(t, b->text[0]) < 0 ||
	    strcmp(t, b->text[b->n - 1]) >= 0)
		return -1;
	/* The last bound at or before t. */
	hi = b->n - 1;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(b->text[mid], t) <= 0)
			lo = mid;
		else
			hi = mid;
	}
	return (long)lo;
}

static void
report_bucket_sql(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	sqlite3_result_int64(cx, report_bucket(sqlite3_user_data(cx),
			     (const char *)sqlite3_value_text(argv[0])));
}

int
cmp_store_report_groups(struct cmp_store *st,
			const struct cmp_report_query *q,
			cmp_report_group_fn fn, void *arg, struct cmp_error *e)
{
	struct cmp_buf sql = CMP_BUF_INIT;
	struct report_buckets b = {NULL, 0};
	char **paths = cmp_xcalloc(q->nfields + 1, sizeof(char *));
	const char **values = cmp_xcalloc(q->nfields + 1, sizeof(char *));
	int tags = 0, rc = SQLITE_DONE, ret = 0, np = 0;
	sqlite3_stmt *s = NULL;

	cmp_buf_adds(&sql, "SELECT ");
	for (size_t i = 0; i < q->nfields; i++) {
		const char *name = q->fields[i];
		const struct cmp_field *f = cmp_field_find(name);

		if (!strcmp(name, "tags") || !strcmp(name, "tag")) {
			/* One group per tag: a complaint counts in each. */
			cmp_buf_adds(&sql, "t.tag, ");
			tags = 1;
		} else if (!strncmp(name, "attrs.", 6) && name[6] &&
			   !strchr(name + 6, '"')) {
			cmp_buf_adds(&sql, "json_extract(c.attrs, ?), ");
			paths[np++] = cmp_xasprintf("$.\"%s\"", name + 6);
		} else if (f && stored(f) && f->type != CMP_F_JSON) {
			cmp_buf_addf(&sql, "c.%s, ", f->column);
		} else {
			ret = cmp_error_set(e, CMP_EX_USAGE, NULL,
					    "--by: no field '%s' to group by",
					    name);
			goto out;
		}
	}
	if (q->bounds && q->nbounds >= 2) {
		b.n = q->nbounds;
		b.text = cmp_xcalloc(b.n, sizeof(*b.text));
		for (size_t i = 0; i < b.n; i++)
			cmp_time_format(q->bounds[i], b.text[i]);
	}
	if (q->rows) {
		/* No grouping: the caller aggregates, the bucket is found
		   here (a sorter costs more than a hash over many rows). */
		cmp_buf_adds(&sql, "c.received_at, 1 FROM complaint c");
	} else if (b.n) {
		sqlite3_create_function_v2(st->db, "cmp_report_bucket", 1,
					   SQLITE_UTF8 | SQLITE_DETERMINISTIC,
					   &b, report_bucket_sql, NULL, NULL,
					   NULL);
		cmp_buf_adds(&sql, "cmp_report_bucket(c.received_at), "
			     "count(*) FROM complaint c");
	} else {
		cmp_buf_adds(&sql, "-1, count(*) FROM complaint c");
	}
	if (tags)
		cmp_buf_adds(&sql, " LEFT JOIN tag t ON t.complaint_id = c.id");
	cmp_buf_adds(&sql, " WHERE c.received_at >= ? AND c.received_at < ?");
	if (q->as_of)
		cmp_buf_adds(&sql, " AND c.created_at <= ?");
	if (!q->rows && (q->nfields || b.n)) {
		cmp_buf_adds(&sql, " GROUP BY ");
		for (size_t i = 0; i < q->nfields + (b.n ? 1 : 0); i++)
			cmp_buf_addf(&sql, "%s%zu", i ? ", " : "", i + 1);
	}
	if ((ret = report_prepare(st, sql.s, &s, e)))
		goto out;
	for (int i = 0; i < np; i++)
		sqlite3_bind_text(s, i + 1, paths[i], -1, SQLITE_TRANSIENT);
	bind_time(s, np + 1, q->since);
	bind_time(s, np + 2, q->until);
	if (q->as_of)
		bind_time(s, np + 3, q->as_of);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int col = 0;
		int64_t n;
		long bucket;

		for (size_t i = 0; i < q->nfields; i++, col++)
			values[i] = (const char *)sqlite3_column_text(s, col);
		if (q->rows)
			bucket = b.n ? report_bucket(&b, (const char *)
				sqlite3_column_text(s, col)) : -1;
		else
			bucket = (long)sqlite3_column_int64(s, col);
		col++;
		n = sqlite3_column_int64(s, col);
		if (!n)
			continue;	/* the empty aggregate of no rows */
		if ((ret = fn(arg, values, bucket, n)))
			break;
	}
	ret = report_finish(st, s, rc, ret, e);
out:
	if (b.n && !q->rows)
		sqlite3_create_function_v2(st->db, "cmp_report_bucket", 1,
					   SQLITE_UTF8, NULL, NULL, NULL,
					   NULL, NULL);
	free(b.text);
	for (int i = 0; i < np; i++)
		free(paths[i]);
	free(paths);
	free(values);
	cmp_buf_release(&sql);
	return ret;
}

int
cmp_store_report_events(struct cmp_store *st, cmp_time since, cmp_time until,
			struct cmp_report_events *out, struct cmp_error *e)
{
	/* Changes of state, from the journal; a complaint recorded in a
	   state (old NULL: an import) made no change.  Each complaint
	   counts once per kind of change. */
	static const char sql[] =
		"SELECT ev, count(DISTINCT complaint_id) FROM (SELECT"
		" complaint_id, CASE WHEN field = 'status' THEN CASE"
		" WHEN new = 'assigned' AND old IN ('resolved', 'closed',"
		" 'rejected') THEN 'reopened' WHEN old IS NOT NULL AND new IN"
		" ('resolved', 'closed', 'rejected') THEN new END"
		" WHEN new IS NOT NULL THEN field END AS ev"
		" FROM journal_entry INDEXED BY journal_field_at"
		" WHERE at >= ?1 AND at < ?2"
		" AND field IN ('status', 'acknowledged_at', 'replied_at'))"
		" WHERE ev IS NOT NULL GROUP BY ev";
	sqlite3_stmt *s;
	int rc, ret;

	memset(out, 0, sizeof(*out));
	if ((ret = report_prepare(st, sql, &s, e)))
		return ret;
	bind_time(s, 1, since);
	bind_time(s, 2, until);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *ev = (const char *)sqlite3_column_text(s, 0);
		int64_t n = sqlite3_column_int64(s, 1);

		if (!strcmp(ev, "acknowledged_at"))
			out->acknowledged = n;
		else if (!strcmp(ev, "replied_at"))
			out->replied = n;
		else if (!strcmp(ev, "resolved"))
			out->resolved = n;
		else if (!strcmp(ev, "closed"))
			out->closed = n;
		else if (!strcmp(ev, "rejected"))
			out->rejected = n;
		else if (!strcmp(ev, "reopened"))
			out->reopened = n;
	}
	return report_finish(st, s, rc, 0, e);
}

/* "status at the moment ?N": the state the first change at or after it
   left, else the status now.  For complaint alias c. */
#define REPORT_STATUS_AT(t) \
	"coalesce((SELECT coalesce(j.old, j.new) FROM journal_entry j" \
	" INDEXED BY journal_status" \
	" WHERE j.complaint_id = c.id AND j.field = 'status'" \
	" AND j.at >= " t " ORDER BY j.id LIMIT 1), c.status)"

static const char *const report_met_columns[CMP_DL_COUNT] = {
	"acknowledged_at", "replied_at", "resolution_resolved_at"
};
static const char *const report_due_columns[CMP_DL_COUNT] = {
	"due_ack", "due_reply", "due_resolve"
};

int
cmp_store_report_deadlines(struct cmp_store *st, cmp_time since,
			   cmp_time until, cmp_report_deadline_fn fn,
			   void *arg, struct cmp_error *e)
{
	struct cmp_buf sql = CMP_BUF_INIT;
	sqlite3_stmt *s;
	int rc, ret;

	/*
	 * The complaints received in the period (imports carry their
	 * times: no journal entry says when they were met), from the index
	 * of times received; then the others with a deadline met since
	 * `since` (the journal) or unmet and falling due in the period
	 * (the partial indexes).  The period's are read in the order of
	 * their ids (the list of them from the index sorted first): the
	 * rows, and their status changes in journal_status, are then read
	 * page after page, not one random page each (a month of a
	 * million: 0.74-0.99 s against 0.96-1.36 s for the report).
	 */
	cmp_buf_adds(&sql, "WITH cand(id) AS (SELECT complaint_id"
		     " FROM journal_entry INDEXED BY journal_field_at"
		     " WHERE at >= ?1 AND field IN " REPORT_MET_FIELDS);
	for (int k = 0; k < CMP_DL_COUNT; k++)
		cmp_buf_addf(&sql, " UNION SELECT id FROM complaint WHERE %s IS"
			     " NULL AND %s >= ?1 AND %s < ?2",
			     report_met_columns[k], report_due_columns[k],
			     report_due_columns[k]);
	cmp_buf_adds(&sql, ") ");
	for (int part = 0; part < 2; part++) {
		cmp_buf_adds(&sql, part ? " UNION ALL SELECT" : "SELECT");
		cmp_buf_adds(&sql, " c.id, c.received_at, c.created_at");
		for (int k = 0; k < CMP_DL_COUNT; k++) {
			const char *due = report_due_columns[k];
			const char *met = report_met_columns[k];

			/* The status when a deadline not met in time fell
			   due, if it fell due in the period (a quarter of
			   the lookups of a month fall outside it). */
			cmp_buf_addf(&sql, ", c.%s, c.%s, CASE WHEN c.%s >= ?1"
				     " AND c.%s < ?2 AND (c.%s IS NULL OR"
				     " c.%s > c.%s) THEN ", due, met, due, due,
				     met, met, due);
			cmp_buf_addf(&sql, REPORT_STATUS_AT("c.%s"), due);
			cmp_buf_adds(&sql, " END");
		}
		cmp_buf_adds(&sql, part ?
			     " FROM cand JOIN complaint c ON c.id = cand.id"
			     " WHERE NOT (c.received_at >= ?1"
			     " AND c.received_at < ?2)" :
			     " FROM complaint c WHERE c.id IN (SELECT id"
			     " FROM complaint WHERE received_at >= ?1"
			     " AND received_at < ?2)");
	}
	ret = report_prepare(st, sql.s, &s, e);
	cmp_buf_release(&sql);
	if (ret)
		return ret;
	bind_time(s, 1, since);
	bind_time(s, 2, until);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct cmp_report_deadline_row r;
		int col = 0;

		r.id = sqlite3_column_int64(s, col++);
		r.received_at = column_time(s, col++);
		r.created_at = column_time(s, col++);
		for (int k = 0; k < CMP_DL_COUNT; k++) {
			r.due[k] = column_time(s, col++);
			r.met[k] = column_time(s, col++);
			r.status_at_due[k] =
				(const char *)sqlite3_column_text(s, col++);
		}
		if ((ret = fn(arg, &r)))
			break;
	}
	return report_finish(st, s, rc, ret, e);
}

int
cmp_store_report_open(struct cmp_store *st, cmp_time at, cmp_time as_of,
		      cmp_report_open_fn fn, void *arg, struct cmp_error *e)
{
	static const char cols[] = " c.id, c.status, c.waiting_since,"
		" c.due_ack, c.acknowledged_at, c.due_reply, c.replied_at,"
		" c.due_resolve, c.resolution_resolved_at";
	struct cmp_buf sql = CMP_BUF_INIT;
	sqlite3_stmt *s;
	int rc, ret;

	/*
	 * Open at `at`: open now (read from the index of open complaints
	 * alone), or changed since from an open status and not open now
	 * (the index of status changes by the status left, less the open
	 * ones; only those are read from the table).  For each, the
	 * status at `at` is what its first change at or after `at` left,
	 * else its status now, from the covering index journal_status,
	 * looked up in the order of the ids (those of the open are sorted
	 * first: the lookups then read its pages in order, not one random
	 * page each).  LIMIT -1 keeps SQLite from copying that lookup into
	 * the outer WHERE (it ran twice a row); when it began to wait is
	 * looked up only for a complaint waiting then.
	 */
	cmp_buf_addf(&sql, "WITH oc AS MATERIALIZED (SELECT %s"
		     " FROM complaint c INDEXED BY complaint_open"
		     " WHERE c.status IN " REPORT_OPEN " AND c.received_at < ?1"
		     " AND c.created_at <= ?2 ORDER BY c.id) "
		     "SELECT id, status_then, CASE WHEN status_then ="
		     " 'waiting' THEN CASE WHEN status = 'waiting' AND"
		     " waiting_since < ?1 THEN waiting_since ELSE (SELECT"
		     " max(j.at) FROM journal_entry j INDEXED BY journal_status"
		     " WHERE j.complaint_id = o.id AND j.field = 'status' AND"
		     " j.new = 'waiting' AND j.at < ?1) END END,"
		     " due_ack, acknowledged_at, due_reply, replied_at,"
		     " due_resolve, resolution_resolved_at"
		     " FROM (SELECT c.*, " REPORT_STATUS_AT("?1") " AS status_then"
		     " FROM oc c UNION ALL"
		     " SELECT %s, " REPORT_STATUS_AT("?1") " FROM complaint c"
		     " WHERE c.id IN (SELECT complaint_id FROM journal_entry"
		     " INDEXED BY journal_status_from WHERE at >= ?1 AND"
		     " field = 'status' AND coalesce(old, new) IN " REPORT_OPEN
		     " EXCEPT SELECT id FROM complaint WHERE status IN "
		     REPORT_OPEN ") AND c.received_at < ?1"
		     " AND c.created_at <= ?2 LIMIT -1) o"
		     " WHERE status_then IN " REPORT_OPEN, cols, cols);
	ret = report_prepare(st, sql.s, &s, e);
	cmp_buf_release(&sql);
	if (ret)
		return ret;
	bind_time(s, 1, at);
	report_bind_time(s, 2, as_of);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct cmp_report_open_row r;
		int col = 0;

		r.id = sqlite3_column_int64(s, col++);
		r.status = (const char *)sqlite3_column_text(s, col++);
		r.waiting_since = column_time(s, col++);
		for (int k = 0; k < CMP_DL_COUNT; k++) {
			r.due[k] = column_time(s, col++);
			r.met[k] = column_time(s, col++);
		}
		if ((ret = fn(arg, &r)))
			break;
	}
	return report_finish(st, s, rc, ret, e);
}

int
cmp_store_report_followups(struct cmp_store *st, cmp_time since,
			   cmp_time until, cmp_time as_of, int bar,
			   struct cmp_report_followups *out,
			   struct cmp_error *e)
{
	/* Due: scheduled in the period; done: completed in it (by as_of). */
	static const char sql[] =
		"SELECT count(*) FILTER (WHERE f.due_at >= ?1"
		" AND f.due_at < ?2),"
		" count(*) FILTER (WHERE f.done_at >= ?1 AND f.done_at < ?3),"
		" count(f.satisfaction) FILTER (WHERE f.done_at >= ?1"
		" AND f.done_at < ?3),"
		" count(*) FILTER (WHERE f.done_at >= ?1 AND f.done_at < ?3"
		" AND f.satisfaction >= ?4),"
		" total(f.satisfaction) FILTER (WHERE f.done_at >= ?1"
		" AND f.done_at < ?3)"
		" FROM followup f WHERE ((f.due_at >= ?1 AND f.due_at < ?2)"
		" OR (f.done_at >= ?1 AND f.done_at < ?3))"
		" AND (?5 IS NULL OR (SELECT c.created_at FROM complaint c"
		" WHERE c.id = f.complaint_id) <= ?5)";
	cmp_time done_until = as_of && as_of + 1 < until ? as_of + 1 : until;
	sqlite3_stmt *s;
	int rc, ret;

	memset(out, 0, sizeof(*out));
	if ((ret = report_prepare(st, sql, &s, e)))
		return ret;
	bind_time(s, 1, since);
	bind_time(s, 2, until);
	bind_time(s, 3, done_until);
	sqlite3_bind_int(s, 4, bar);
	bind_time(s, 5, as_of);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out->due = sqlite3_column_int64(s, 0);
		out->done = sqlite3_column_int64(s, 1);
		out->scored = sqlite3_column_int64(s, 2);
		out->satisfied = sqlite3_column_int64(s, 3);
		out->score_sum = sqlite3_column_double(s, 4);
	}
	return report_finish(st, s, rc, 0, e);
}

int
cmp_store_report_money(struct cmp_store *st, cmp_time since, cmp_time until,
		       cmp_report_money_fn fn, void *arg, struct cmp_error *e)
{
	/*
	 * Resolutions with an amount, from the journal: the type, amount
	 * and currency a resolution wrote at the moment it was made, so a
	 * resolution later undone by a reopening still counts.
	 */
	static const char sql[] =
		"SELECT t.new, cur.new, count(*), total(CAST(a.new AS REAL))"
		" FROM journal_entry r"
		" JOIN journal_entry a ON a.complaint_id = r.complaint_id"
		" AND a.at = r.at AND a.field = 'resolution.amount'"
		" AND a.new IS NOT NULL"
		" LEFT JOIN journal_entry t ON t.complaint_id = r.complaint_id"
		" AND t.at = r.at AND t.field = 'resolution.type'"
		" LEFT JOIN journal_entry cur"
		" ON cur.complaint_id = r.complaint_id AND cur.at = r.at"
		" AND cur.field = 'resolution.currency'"
		" WHERE r.field = 'resolution.resolved_at'"
		" AND r.new IS NOT NULL AND r.at >= ?1 AND r.at < ?2"
		" GROUP BY 1, 2 ORDER BY 1, 2";
	sqlite3_stmt *s;
	int rc, ret;

	if ((ret = report_prepare(st, sql, &s, e)))
		return ret;
	bind_time(s, 1, since);
	bind_time(s, 2, until);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((ret = fn(arg, (const char *)sqlite3_column_text(s, 0),
			      (const char *)sqlite3_column_text(s, 1),
			      sqlite3_column_int64(s, 2),
			      sqlite3_column_double(s, 3))))
			break;
	}
	return report_finish(st, s, rc, ret, e);
}

int
cmp_store_report_first(struct cmp_store *st, cmp_time *first,
		       struct cmp_error *e)
{
	sqlite3_stmt *s;
	int rc, ret;

	*first = 0;
	if ((ret = report_prepare(st, "SELECT min(received_at) FROM complaint",
				  &s, e)))
		return ret;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*first = column_time(s, 0);
	return report_finish(st, s, rc, 0, e);
}
