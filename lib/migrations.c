/*
 * migrations.c - the migrations of each backend's schema: SQLite's list
 * and PostgreSQL's (schemas[]), each entry taking a version to the
 * next; what stands in the way of one (PostgreSQL's objects that
 * depend on the complaints view a migration makes anew), and the SQL
 * that gives the views it makes anew their owner, privileges, comments
 * and options back; the indexes a bulk load builds at its end rather
 * than row by row, with the migrations' own definitions.
 * The texts' %PLACEHOLDERS% (the table, the view, the new columns,
 * generated from the field table) are expanded by schema.c.
 */
#include <string.h>

#include "complaint.h"
#include "schema.h"
#include "util.h"

/* customer_phone without a leading "00", from customer_phone_plain
   (migration 7: never change it; a new rule is a new migration). */
#define PHONE_NO00 \
	"(CASE WHEN substr(customer_phone_plain, 1, 2) = '00'" \
	" THEN substr(customer_phone_plain, 3) ELSE customer_phone_plain END)"

/* The index of what the reports count by time received (SQLite's
   migration 3, the first PostgreSQL migration). */
#define RECEIVED_INDEX(exists) \
	"CREATE INDEX " exists "complaint_received ON complaint(received_at," \
	" category, channel, department, severity, customer_tier," \
	" product_name, root_cause);"

/*
 * The indexes a person's lookups read (cmp-list --customer, --serial,
 * --batch, --root-cause, --accountable, --reopened; the likely
 * duplicates): SQLite's migration 7 and the first PostgreSQL migration
 * make the same ones.
 */
#define PHONE_DIGITS_INDEX(exists) \
	"CREATE INDEX " exists "complaint_phone_digits ON" \
	" complaint(customer_phone_digits, received_at)" \
	" WHERE customer_phone_digits IS NOT NULL;"
#define LOOKUP_INDEXES \
	PHONE_DIGITS_INDEX("") \
	"CREATE INDEX complaint_name ON complaint(customer_name)" \
	" WHERE customer_name IS NOT NULL;" \
	"CREATE INDEX complaint_contact ON complaint(customer_contact)" \
	" WHERE customer_contact IS NOT NULL;" \
	"CREATE INDEX complaint_serial ON complaint(product_serial)" \
	" WHERE product_serial IS NOT NULL;" \
	"CREATE INDEX complaint_batch ON complaint(product_batch)" \
	" WHERE product_batch IS NOT NULL;" \
	"CREATE INDEX complaint_root_cause ON complaint(root_cause)" \
	" WHERE root_cause IS NOT NULL;" \
	"CREATE INDEX complaint_accountable ON complaint(accountable)" \
	" WHERE accountable IS NOT NULL;" \
	"CREATE INDEX complaint_reopened ON complaint(reopened)" \
	" WHERE reopened > 0;" \
	"CREATE INDEX complaint_duplicate ON complaint(possible_duplicate_of)" \
	" WHERE possible_duplicate_of IS NOT NULL;"

/*
 * Migrations both stores run, the same SQL but for the new columns'
 * types (%NEW_COLUMNS% or %PG_NEW_COLUMNS%).
 *
 * 7 -> 8: a complaint closed as a duplicate of another names it
 * (duplicate_of, cmp-close --duplicate-of): the view shows the new
 * column.  A caller's e-mail address is looked up without case
 * (query.c).
 */
#define MIGRATION_8(new_columns) new_columns \
	"CREATE INDEX complaint_duplicate_of ON complaint(duplicate_of)" \
	" WHERE duplicate_of IS NOT NULL;" \
	"CREATE INDEX complaint_email_folded ON complaint(lower(customer_email))" \
	" WHERE customer_email IS NOT NULL;" \
	"DROP VIEW complaints;" \
	"%COMPLAINTS_VIEW%;"

/* 8 -> 9: the record carries its whole lifecycle: when it was
   closed, when and why it was rejected.  A store kept them in the
   journal only: the last change of status to closed or rejected
   says when, and a rejected complaint's reason was its
   resolution.note. */
#define MIGRATION_9(new_columns) new_columns \
	"UPDATE complaint SET closed_at = (SELECT max(j.at) FROM journal_entry j" \
	" WHERE j.complaint_id = complaint.id AND j.field = 'status'" \
	" AND j.new = 'closed') WHERE status = 'closed';" \
	"UPDATE complaint SET rejected_at = (SELECT max(j.at)" \
	" FROM journal_entry j WHERE j.complaint_id = complaint.id" \
	" AND j.field = 'status' AND j.new = 'rejected')," \
	" rejection_reason = resolution_note" \
	" WHERE status = 'rejected' OR (status = 'closed' AND EXISTS" \
	" (SELECT 1 FROM journal_entry j WHERE j.complaint_id = complaint.id" \
	" AND j.field = 'status' AND j.new = 'rejected' AND j.id >" \
	" coalesce((SELECT max(k.id) FROM journal_entry k" \
	" WHERE k.complaint_id = complaint.id AND k.field = 'status'" \
	" AND k.new = 'assigned' AND k.old IN ('closed', 'rejected')), 0)));" \
	"DROP VIEW complaints;" \
	"%COMPLAINTS_VIEW%;"

/* 9 -> 10: a report counts a deadline in the period in which it fell
   due, met or not (issue 21).  The partial indexes of migration 1 hold
   the unmet ones; these hold the met ones, so that a deadline met
   before the period it falls due in is found without reading the
   table. */
#define MIGRATION_10 \
	"CREATE INDEX complaint_due_ack_met ON complaint(due_ack)" \
	" WHERE acknowledged_at IS NOT NULL;" \
	"CREATE INDEX complaint_due_reply_met ON complaint(due_reply)" \
	" WHERE replied_at IS NOT NULL;" \
	"CREATE INDEX complaint_due_resolve_met ON complaint(due_resolve)" \
	" WHERE resolution_resolved_at IS NOT NULL;"

/* 11 -> 12: the index of fields by time holds what a report reads of
   an entry (its complaint, new and old values), so that a period's
   changes of state and its resolutions are read from the index alone,
   not each entry from the table (a random page each: most of a month's
   report on a large store).  It replaces the index of migration 3, so
   a journal row is written to as many indexes as before (to one fewer
   for a field no report reads), and holds only the fields the reports
   count whose values are short (a status, a time, an id, an
   enumeration, a number): a value of any length in an index would fail
   PostgreSQL's limit on the size of an index entry (a changed
   description, a currency's free text).  Migration 15 made it again
   with the same columns and its WHERE as equalities (FIELD_AT_INDEX,
   schema.h's CMP_REPORT_FIELDS, which the statements hold word for
   word); this text is the one migration 12 and PostgreSQL's 14
   shipped with. */
#define JOURNAL_FIELD_AT(exists, id) \
	"CREATE INDEX " exists "journal_field_at ON journal_entry(field, at," \
	" complaint_id, new, old" id ") WHERE field IN ('status'," \
	" 'acknowledged_at', 'replied_at', 'duplicate_of'," \
	" 'resolution.resolved_at', 'resolution.type'," \
	" 'resolution.amount');"
#define MIGRATION_12 "DROP INDEX journal_field_at;" JOURNAL_FIELD_AT("", "")

/* 12 -> 13: the backlog finds the complaints that left an open status
   after a moment in the index of fields by time (migration 12 gave it
   the old value): a status change is written to one index fewer, a
   third of the journal's rows in an import of history.  IF EXISTS: an
   index is what a DBA may have dropped already. */
#define MIGRATION_13 "DROP INDEX IF EXISTS journal_status_from;"

/* 13 -> 14: a report's deadlines read the complaints with a deadline in
   the period from an index of what it counts, by time received, a range
   of it, not row by row from the table (a random page each where the
   ids are not in the order of time, as after an import); the range is
   found from the due dates' indexes, which carry the time received.
   IF EXISTS: an index is what a DBA may have dropped.  `id`: empty for
   SQLite, whose index holds the row's id anyway (MIGRATION_14_IDS). */
#define DUE_INDEX(exists, due, met, which, is) \
	"CREATE INDEX " exists "complaint_" due which " ON complaint(" due \
	", received_at) WHERE " met is ";"
#define DEADLINES_INDEX(exists, id) \
	"CREATE INDEX " exists "complaint_deadlines ON complaint(received_at," \
	" created_at, due_ack, acknowledged_at, due_reply, replied_at," \
	" due_resolve, resolution_resolved_at, status" id ");"
#define MIGRATION_14_DUE(due, met) \
	"DROP INDEX IF EXISTS complaint_" due ";" \
	DUE_INDEX("", due, met, "", " IS NULL") \
	"DROP INDEX IF EXISTS complaint_" due "_met;" \
	DUE_INDEX("", due, met, "_met", " IS NOT NULL")
#define MIGRATION_14(id) \
	MIGRATION_14_DUE("due_ack", "acknowledged_at") \
	MIGRATION_14_DUE("due_reply", "replied_at") \
	MIGRATION_14_DUE("due_resolve", "resolution_resolved_at") \
	DEADLINES_INDEX("", id)
/* And PostgreSQL's: an index holds a row's id only as a column of its
   own, so the backlog's open complaints (complaint_open) and the status
   changes since a moment (journal_field_at) were each read from the
   heap, a random block a row; with the id, from the index alone. */
#define MIGRATION_14_IDS \
	"DROP INDEX IF EXISTS complaint_open;" \
	"CREATE INDEX complaint_open ON complaint(received_at, created_at," \
	" due_ack, acknowledged_at, due_reply, replied_at, due_resolve," \
	" resolution_resolved_at, waiting_since, status, id)" \
	" WHERE status IN ('new', 'assigned', 'waiting');" \
	"DROP INDEX IF EXISTS journal_field_at;" \
	JOURNAL_FIELD_AT("", ", id")

/* 14 -> 15: the WHERE of the partial indexes of open complaints and of
   the reported fields' changes as equalities joined by OR (schema.h:
   CMP_OPEN_WHERE).  Both indexes are built again, by the first program
   that opens the store after the upgrade: seconds on a store of a
   million complaints. */
#define FIELD_AT_INDEX(exists) \
	"CREATE INDEX " exists "journal_field_at ON journal_entry(field, at," \
	" complaint_id, new, old) WHERE " CMP_REPORT_FIELDS("") ";"
#define MIGRATION_15 \
	"DROP INDEX IF EXISTS complaint_open;" \
	"CREATE INDEX complaint_open ON complaint(received_at, created_at," \
	" due_ack, acknowledged_at, due_reply, replied_at, due_resolve," \
	" resolution_resolved_at, waiting_since, status)" \
	" WHERE " CMP_OPEN_WHERE("") ";" \
	"DROP INDEX IF EXISTS journal_field_at;" FIELD_AT_INDEX("")

/* 16 -> 17: a report's money finds the currency each resolution
   journalled in an index of those entries by complaint and moment, not
   among every entry of the complaint in the table.  The currency, free
   text of any length, is not in the index: PostgreSQL refuses a key
   past a third of a page. */
#define MIGRATION_17 \
	"CREATE INDEX IF NOT EXISTS journal_currency ON journal_entry" \
	"(complaint_id, at) WHERE field = 'resolution.currency';"

/*
 * Schema migrations of the SQLite store: sqlite_migrations[i] takes
 * schema version i to i + 1.  Never edit one that has shipped; add the
 * next.  Another backend has a list of its own (schemas[], below).
 */
static const char *const sqlite_migrations[] = {
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
	   reindexed two texts for a tag, many times the cost of the
	   change through a pipe.
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
	   creation entries, say). */
	"CREATE INDEX journal_status_from ON journal_entry"
	"(coalesce(old, new), at) WHERE field = 'status';",

	/* 2 -> 3: the customer indexes carry the time received, so the
	   likely-duplicate check of each new complaint reads the window
	   from the index, not every complaint of the customer from the
	   table (a large part of a bulk load on a large store).
	   Reports read a period's breakdowns from the index of times
	   received, a complaint's status changes from an index of them,
	   and the changes of a field in a period from an index of
	   fields and times (an import's status entries are skipped
	   there, not read from the table). */
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
	RECEIVED_INDEX("")
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
	   writes a segment, not 1 MiB: fewer, larger segments, and a
	   smaller store after a load; how a bulk load merges is the
	   backend's bulk(). */
	"INSERT INTO complaint_text(complaint_text, rank)"
	" VALUES ('hashsize', 8388608);",

	/* 5 -> 6: the index of status changes by the status left carries
	   the complaint: the report's backlog reads the complaints that
	   left an open status from it alone, not each change's row from
	   the journal.  A complaint's status changes are indexed in the
	   order they were made: its first change after a moment is the
	   first found, not sorted out of all those after it. */
	"DROP INDEX journal_status_from;"
	"CREATE INDEX journal_status_from ON journal_entry"
	"(coalesce(old, new), at, complaint_id) WHERE field = 'status';"
	"DROP INDEX journal_status;"
	"CREATE INDEX journal_status ON journal_entry(complaint_id, field, id,"
	" at, old, new) WHERE field = 'status';",

	/* 6 -> 7: a caller's history (cmp-list --customer and the other
	   filters of issue 22, cmp-show's other complaints).  The phone
	   number as its digits, a virtual column computed by the database
	   from customer_phone, so the sqlite3 shell's writes keep it and
	   the index right (query.c's phone_key is the same rule in C):
	   the separators " -+()./" dropped, then an international
	   prefix "00", then China's country code 86 before an 11-digit
	   mobile number ("861..." of 13 digits), or before an area code
	   and a number (9 to 11 digits: the trunk prefix 0 put back).
	   The separators are dropped in a column of their own,
	   customer_phone_plain, that the digits' rule reads: SQLite
	   computes a table's generated columns on every insert, once
	   each, and the rule written over customer_phone alone repeated
	   the seven replace()s 21 times a row.  The fields a person looks
	   a complaint up by are indexed; a complaint's likely duplicates
	   are found from it. */
	"ALTER TABLE complaint ADD COLUMN customer_phone_plain TEXT"
	" GENERATED ALWAYS AS (replace(replace(replace(replace(replace("
	"replace(replace(customer_phone, ' ', ''), '-', ''), '+', ''),"
	" '(', ''), ')', ''), '.', ''), '/', '')) VIRTUAL;"
	"ALTER TABLE complaint ADD COLUMN customer_phone_digits TEXT"
	" GENERATED ALWAYS AS (CASE"
	" WHEN length(" PHONE_NO00 ") = 13 AND substr(" PHONE_NO00
	", 1, 3) = '861' THEN substr(" PHONE_NO00 ", 3)"
	" WHEN length(" PHONE_NO00 ") BETWEEN 11 AND 13 AND substr("
	PHONE_NO00 ", 1, 2) = '86' THEN '0' || substr(" PHONE_NO00 ", 3)"
	" ELSE " PHONE_NO00 " END) VIRTUAL;"
	LOOKUP_INDEXES,

	MIGRATION_8("%NEW_COLUMNS%"),
	MIGRATION_9("%NEW_COLUMNS%"),
	MIGRATION_10,
	/* 10 -> 11: PostgreSQL's alone (below); SQLite computes its
	   generated columns itself. */
	"",
	MIGRATION_12,
	MIGRATION_13,
	MIGRATION_14(""),
	MIGRATION_15,

	/* 15 -> 16: the text index merges a level of its segments all at
	   once ("crisis") at 1000 segments, not 16.  A bulk load leaves
	   its large segments on a low level, where the segments of single
	   adds soon arrive: its incremental merges (automerge, a few pages
	   for each page written) had not finished with the large ones
	   when the level held 16, and one add then merged the whole index
	   in its transaction, holding the write lock for seconds.  At
	   1000, the incremental merges finish first; meanwhile the new
	   segments wait on their level, small ones, and a search reads
	   each of them (hundreds, for a while after a load).  FTS5
	   refuses a write past 2000 segments in all: 1000 on one level
	   leaves room for the others.  What waits on a level above the
	   first has no such bound but the time its merge takes, which
	   grows with the index: on stores many times a million it could
	   come near 2000 (not measured). */
	"INSERT INTO complaint_text(complaint_text, rank)"
	" VALUES ('crisismerge', 1000);",
	MIGRATION_17,
};

/*
 * The PostgreSQL store's schema, at version 7 at once (there never was
 * an older one): the same tables, columns, indexes and views as SQLite's
 * after its seven migrations.  Text columns compare and sort byte by
 * byte (COLLATE "C", as SQLite does) whatever the database's locale,
 * but summary and description, which the text index and ILIKE read
 * with the database's UTF-8 ctype.  Entries 1 to 6 are empty: the list
 * is indexed by version, and a PostgreSQL store starts at 7; from 8 on
 * it migrates as SQLite's does.
 */
static const char *const pg_migrations[] = {
	/* The phone number as its digits: the rule of SQLite's migration 7
	   (and query.c's phone_key), as functions, since a generated
	   column of PostgreSQL cannot read another. */
	"CREATE FUNCTION cmp_phone_plain(p text) RETURNS text"
	" LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT"
	" replace(replace(replace(replace(replace(replace(replace(p, ' ', ''),"
	" '-', ''), '+', ''), '(', ''), ')', ''), '.', ''), '/', '') $$;"
	"CREATE FUNCTION cmp_phone_digits(p text) RETURNS text"
	" LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT CASE"
	" WHEN length(n) = 13 AND substr(n, 1, 3) = '861' THEN substr(n, 3)"
	" WHEN length(n) BETWEEN 11 AND 13 AND substr(n, 1, 2) = '86'"
	" THEN '0' || substr(n, 3) ELSE n END FROM (SELECT CASE"
	" WHEN substr(q, 1, 2) = '00' THEN substr(q, 3) ELSE q END AS n"
	" FROM (SELECT cmp_phone_plain(p) AS q) a) b $$;"
	"%PG_COMPLAINT_TABLE%;"
	"CREATE UNIQUE INDEX complaint_ref ON complaint(ref) WHERE ref IS NOT NULL;"
	"CREATE INDEX complaint_status ON complaint(status);"
	"CREATE INDEX complaint_category ON complaint(category);"
	RECEIVED_INDEX("")
	"CREATE INDEX complaint_channel ON complaint(channel);"
	"CREATE INDEX complaint_severity ON complaint(severity);"
	"CREATE INDEX complaint_tier ON complaint(customer_tier);"
	"CREATE INDEX complaint_owner ON complaint(owner);"
	"CREATE INDEX complaint_department ON complaint(department);"
	"CREATE INDEX complaint_product ON complaint(product_name);"
	"CREATE INDEX complaint_phone ON complaint(customer_phone, received_at)"
	" WHERE customer_phone IS NOT NULL;"
	"CREATE INDEX complaint_email ON complaint(customer_email, received_at)"
	" WHERE customer_email IS NOT NULL;"
	"CREATE INDEX complaint_customer ON complaint(customer_id, received_at)"
	" WHERE customer_id IS NOT NULL;"
	"CREATE INDEX complaint_due_ack ON complaint(due_ack) WHERE acknowledged_at IS NULL;"
	"CREATE INDEX complaint_due_reply ON complaint(due_reply) WHERE replied_at IS NULL;"
	"CREATE INDEX complaint_due_resolve ON complaint(due_resolve) WHERE resolution_resolved_at IS NULL;"
	"CREATE INDEX complaint_open ON complaint(received_at, created_at,"
	" due_ack, acknowledged_at, due_reply, replied_at, due_resolve,"
	" resolution_resolved_at, waiting_since, status)"
	" WHERE status IN ('new', 'assigned', 'waiting');"
	LOOKUP_INDEXES
	"CREATE TABLE tag (complaint_id bigint NOT NULL REFERENCES complaint(id),"
	" tag text COLLATE \"C\" NOT NULL, PRIMARY KEY (tag, complaint_id));"
	"CREATE INDEX tag_complaint ON tag(complaint_id);"
	"CREATE TABLE followup (id bigint GENERATED BY DEFAULT AS IDENTITY"
	" PRIMARY KEY, complaint_id bigint NOT NULL REFERENCES complaint(id),"
	" due_at text COLLATE \"C\", done_at text COLLATE \"C\","
	" channel text COLLATE \"C\", outcome text COLLATE \"C\","
	" satisfaction bigint, note text COLLATE \"C\");"
	"CREATE INDEX followup_complaint ON followup(complaint_id);"
	"CREATE INDEX followup_due ON followup(due_at) WHERE done_at IS NULL;"
	"CREATE TABLE journal_entry (id bigint GENERATED BY DEFAULT AS IDENTITY"
	" PRIMARY KEY, complaint_id bigint NOT NULL REFERENCES complaint(id),"
	" at text COLLATE \"C\" NOT NULL, actor text COLLATE \"C\","
	" program text COLLATE \"C\", field text COLLATE \"C\","
	" old text COLLATE \"C\", new text COLLATE \"C\","
	" note text COLLATE \"C\");"
	"CREATE INDEX journal_complaint ON journal_entry(complaint_id, id);"
	"CREATE INDEX journal_status_from ON journal_entry"
	"((coalesce(old, new)), at, complaint_id) WHERE field = 'status';"
	"CREATE INDEX journal_status ON journal_entry(complaint_id, field, id,"
	" at, old, new) WHERE field = 'status';"
	"CREATE INDEX journal_field_at ON journal_entry(field, at,"
	" complaint_id);"
	/* The journal is never rewritten, not even by a mistaken tool. */
	"CREATE FUNCTION cmp_journal_append_only() RETURNS trigger"
	" LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION"
	" 'the journal is append-only' USING ERRCODE = 'restrict_violation';"
	" END $$;"
	"CREATE TRIGGER journal_no_update BEFORE UPDATE OR DELETE"
	" ON journal_entry FOR EACH ROW"
	" EXECUTE FUNCTION cmp_journal_append_only();"
	"CREATE TRIGGER journal_no_truncate BEFORE TRUNCATE ON journal_entry"
	" FOR EACH STATEMENT EXECUTE FUNCTION cmp_journal_append_only();"
	/* Full text: pg_trgm's GIN indexes find substrings of three
	   characters or more (the store opens no database without it);
	   shorter terms fall back to ILIKE, as on SQLite. */
	"CREATE INDEX complaint_summary_trgm ON complaint"
	" USING gin (summary gin_trgm_ops);"
	"CREATE INDEX complaint_description_trgm ON complaint"
	" USING gin (description gin_trgm_ops);"
	/* The ids whose summary or description holds every term of q
	   (LIKE patterns separated by U+001F, the dialect's text_term),
	   each term a condition of its own, so that the planner ANDs the
	   index scans of all. */
	"CREATE FUNCTION cmp_text_ids(q text) RETURNS SETOF bigint"
	" LANGUAGE plpgsql STABLE AS $$ DECLARE w text := ''; p text;"
	" BEGIN FOREACH p IN ARRAY string_to_array(q, chr(31)) LOOP"
	" w := w || CASE WHEN w = '' THEN '' ELSE ' AND ' END"
	" || format('(summary ILIKE %L OR description ILIKE %L)', p, p);"
	" END LOOP; IF w = '' THEN RETURN; END IF;"
	" RETURN QUERY EXECUTE 'SELECT id FROM complaint WHERE ' || w;"
	" END $$;"
	/* The report's buckets of time (SQLite's is a function of the
	   program's, report_bucket in store_report.c): the index i of
	   [a[i], a[i+1]), else -1. */
	"CREATE FUNCTION cmp_report_bucket(t text, a text[]) RETURNS integer"
	" LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT CASE"
	" WHEN t IS NULL THEN -1 ELSE (SELECT CASE WHEN b = 0"
	" OR b >= cardinality(a) THEN -1 ELSE b - 1 END"
	" FROM width_bucket(t COLLATE \"C\", a) AS b) END $$;"
	/* The stable interface for analysts (complaint(7)). */
	"%COMPLAINTS_VIEW%;"
	"CREATE VIEW journal AS SELECT complaint_id, at, actor, program, field,"
	" old, new, note FROM journal_entry;"
	"CREATE VIEW followups AS SELECT complaint_id, due_at, done_at, channel,"
	" outcome, satisfaction, note FROM followup;",
	"", "", "", "", "", "",
	MIGRATION_8("%PG_NEW_COLUMNS%"),
	MIGRATION_9("%PG_NEW_COLUMNS%"),
	MIGRATION_10,
	/* 10 -> 11: the rule of the phone number's digits, unchanged, in
	   PL/pgSQL.  The server cannot inline a SQL function with a FROM
	   in its body, and plans it again in every statement that calls
	   it: each complaint inserted, or whose phone changed, paid the
	   planning of its generated column.  PL/pgSQL keeps its plans for
	   the session. */
	"CREATE OR REPLACE FUNCTION cmp_phone_digits(p text) RETURNS text"
	" LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$"
	" DECLARE n text := cmp_phone_plain(p); BEGIN"
	" IF substr(n, 1, 2) = '00' THEN n := substr(n, 3); END IF;"
	" RETURN CASE WHEN length(n) = 13 AND substr(n, 1, 3) = '861'"
	" THEN substr(n, 3) WHEN length(n) BETWEEN 11 AND 13"
	" AND substr(n, 1, 2) = '86' THEN '0' || substr(n, 3) ELSE n END;"
	" END $$;",
	MIGRATION_12,
	MIGRATION_13,
	MIGRATION_14(", id") MIGRATION_14_IDS,
	/* 14 -> 15: nothing; PostgreSQL tests the IN of a partial index's
	   WHERE against its list, not a table made for it (SQLite's
	   MIGRATION_15). */
	"",
	/* 15 -> 16: nothing; pg_trgm's GIN indexes gather new entries in
	   a pending list of a bounded size (gin_pending_list_limit). */
	"",
	MIGRATION_17,
};
_Static_assert(sizeof(pg_migrations) / sizeof(*pg_migrations) ==
	       CMP_SCHEMA_VERSION, "a migration of the PostgreSQL schema for"
	       " each of SQLite's");


/*
 * What depends on the complaints view in a PostgreSQL store: views
 * (an analyst's own, on the stable interface), materialized views,
 * functions of its row type, and what depends on those views in turn;
 * in the order to drop them, each as named and as dropped.  PostgreSQL
 * drops no view another object needs, and a migration that adds
 * columns to the view makes it anew: CREATE OR REPLACE VIEW may add
 * columns at the end only, and ours take their place among the others
 * (the field table's order, which a new store has too).
 */
static const char pg_view_dependents[] =
	"WITH RECURSIVE dep(classid, objid, depth) AS ("
	" SELECT 'pg_class'::regclass, c.oid, 0 FROM pg_class c"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" WHERE n.nspname = current_schema() AND c.relname = 'complaints'"
	" UNION SELECT CASE WHEN r.oid IS NULL THEN d.classid"
	" ELSE 'pg_class'::regclass END, coalesce(r.ev_class, d.objid),"
	" dep.depth + 1 FROM dep JOIN pg_class c"
	" ON dep.classid = 'pg_class'::regclass AND c.oid = dep.objid"
	" JOIN pg_depend d ON d.deptype = 'n' AND ((d.refclassid ="
	" 'pg_class'::regclass AND d.refobjid = c.oid) OR (d.refclassid ="
	" 'pg_type'::regclass AND d.refobjid IN (SELECT t.oid FROM pg_type t"
	" WHERE t.oid = c.reltype OR t.typelem = c.reltype)))"
	" LEFT JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass"
	" AND r.oid = d.objid WHERE r.ev_class IS DISTINCT FROM c.oid)"
	" SELECT pg_describe_object(dep.classid, dep.objid, 0), 'DROP ' ||"
	" CASE WHEN dep.classid = 'pg_proc'::regclass"
	" THEN 'FUNCTION ' || dep.objid::regprocedure"
	" WHEN dep.classid <> 'pg_class'::regclass"
	" THEN pg_describe_object(dep.classid, dep.objid, 0)"
	" WHEN c.relkind = 'm' THEN 'MATERIALIZED VIEW ' || dep.objid::regclass"
	" ELSE 'VIEW ' || dep.objid::regclass END || ';'"
	" FROM dep LEFT JOIN pg_class c ON dep.classid = 'pg_class'::regclass"
	" AND c.oid = dep.objid WHERE dep.depth > 0"
	" GROUP BY dep.classid, dep.objid, c.relkind"
	" ORDER BY max(dep.depth) DESC, 1";

/*
 * The SQL that gives the views named in ?1 (an array) back their owner
 * and privileges once a migration has made them anew (a new view is the
 * migrating role's, with its default privileges: analysts are refused),
 * and a DBA's comments on them and their columns and their options
 * (security_barrier, check_option), which a new view has none of, read
 * before it drops them.  The comments and options come first, while the
 * migrating role still owns the new view (it may not have the rights of
 * the owner it is given back); then what the new view's grants may hold
 * is revoked, and the old granted, as the owner's; NULL: no such view.
 * A column's grants and comment are given back by its name: a migration
 * adds columns to a view and never drops or renames one (complaint(7)),
 * and one that did would fail here, rolled back, until this learns it.
 */
static const char pg_view_keep[] =
	"WITH v AS (SELECT c.oid, c.oid::regclass AS name, c.relowner,"
	" c.reloptions, coalesce(c.relacl, acldefault('r', c.relowner)) AS acl"
	" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	" WHERE n.nspname = current_schema() AND c.relkind = 'v'"
	" AND c.relname = ANY (?1::text[])), r AS (SELECT oid FROM pg_roles"
	" WHERE rolname = current_user UNION SELECT a.grantee FROM pg_roles u"
	" JOIN pg_default_acl d ON d.defaclrole = u.oid, aclexplode(d.defaclacl)"
	" a WHERE u.rolname = current_user AND d.defaclobjtype = 'r'"
	" AND a.grantee <> 0), g AS (SELECT v.name, NULL::name AS col, a.*"
	" FROM v, aclexplode(v.acl) WITH ORDINALITY a UNION ALL SELECT v.name,"
	" t.attname, a.* FROM v JOIN pg_attribute t ON t.attrelid = v.oid,"
	" aclexplode(t.attacl) WITH ORDINALITY a) SELECT string_agg(s, ' '"
	" ORDER BY name, k, o) FROM (SELECT name, 0, 0, format('COMMENT ON"
	" VIEW %s IS %L;', name, obj_description(oid, 'pg_class')) FROM v"
	" WHERE obj_description(oid, 'pg_class') IS NOT NULL UNION ALL"
	" SELECT v.name, 0, t.attnum, format('COMMENT ON COLUMN %s.%I IS %L;',"
	" v.name, t.attname, col_description(v.oid, t.attnum)) FROM v"
	" JOIN pg_attribute t ON t.attrelid = v.oid AND t.attnum > 0"
	" WHERE col_description(v.oid, t.attnum) IS NOT NULL UNION ALL"
	" SELECT v.name, 0, 32767, format('ALTER VIEW %s SET (%s);', v.name,"
	" string_agg(format('%I = %L', split_part(o, '=', 1),"
	" substr(o, strpos(o, '=') + 1)), ', ')) FROM v,"
	" unnest(v.reloptions) AS o GROUP BY v.name UNION ALL"
	" SELECT name, 1, 0, format('ALTER VIEW %s"
	" OWNER TO %s;', name, relowner::regrole) FROM v UNION ALL SELECT name,"
	" 2, 0, format('REVOKE ALL ON %s FROM PUBLIC, %s;', name, (SELECT"
	" string_agg(x::regrole::text, ', ') FROM (SELECT oid FROM r UNION"
	" SELECT v.relowner) AS x(x))) FROM v UNION ALL SELECT name, 3,"
	" min(ordinality), format('GRANT %s%s ON %s TO %s%s;',"
	" string_agg(privilege_type, ', ' ORDER BY ordinality), ' (' ||"
	" quote_ident(col) || ')', name, CASE grantee WHEN 0 THEN 'PUBLIC'"
	" ELSE grantee::regrole::text END, CASE WHEN is_grantable"
	" THEN ' WITH GRANT OPTION' END) FROM g"
	" GROUP BY name, col, grantee, is_grantable) AS s(name, k, o, s)";

/*
 * The migrations of each backend's schema, the query of what depends on
 * the complaints view (NULL: nothing stops the migrations making it
 * anew) and the one that keeps the views' owner, privileges, comments
 * and options (NULL: the database has none of them).  SQLite reads the names in a view when the
 * view is used, not when it is made: an analyst's view on complaints
 * works again once the migration has made complaints anew, with its new
 * columns.
 */
/*
 * The indexes SQLite's bulk loads into a small store build at their
 * end: in an import their keys come in no order (its times received
 * and journalled are its history's, a phone number anyone's), a random
 * page of each for each row.  None is read by the load itself (it
 * finds a replay by ref, a likely duplicate by the customer's phone,
 * e-mail or id), none enforces a constraint.  Their definitions are
 * the migrations' own.  PostgreSQL's loads keep every index: on a
 * shared server, dropping one would hold every reader of its table
 * until the load's first commit, and building it every writer (a load
 * there is paced by its round trips anyway).
 */
#define DEFERRED_DUE(due, met) \
	{"complaint_" due, DUE_INDEX("IF NOT EXISTS ", due, met, "", \
				     " IS NULL")}, \
	{"complaint_" due "_met", DUE_INDEX("IF NOT EXISTS ", due, met, \
					    "_met", " IS NOT NULL")}
static const struct cmp_deferred_index sqlite_deferred[] = {
	{"journal_field_at", FIELD_AT_INDEX("IF NOT EXISTS ")},
	{"complaint_deadlines", DEADLINES_INDEX("IF NOT EXISTS ", "")},
	{"complaint_received", RECEIVED_INDEX("IF NOT EXISTS ")},
	{"complaint_phone_digits", PHONE_DIGITS_INDEX("IF NOT EXISTS ")},
	DEFERRED_DUE("due_ack", "acknowledged_at"),
	DEFERRED_DUE("due_reply", "replied_at"),
	DEFERRED_DUE("due_resolve", "resolution_resolved_at"),
	{NULL, NULL},
};
_Static_assert(CMP_ARRAY_LEN(sqlite_deferred) <= CMP_DEFERRED_MAX + 1,
	       "CMP_DEFERRED_MAX: room for every deferred index");

static const struct schema {
	const char *backend;
	const char *const *migrations;
	const char *view_dependents, *view_keep;
	const struct cmp_deferred_index *deferred;
	const char *index_exists;
} schemas[] = {
	{"sqlite", sqlite_migrations, NULL, NULL, sqlite_deferred,
	 "SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?"},
	{"postgresql", pg_migrations, pg_view_dependents, pg_view_keep, NULL,
	 NULL},
};

static const struct schema *
schema_of(const char *backend)
{
	static const struct schema none;

	for (size_t i = 0; i < CMP_ARRAY_LEN(schemas); i++)
		if (!strcmp(schemas[i].backend, backend))
			return &schemas[i];
	return &none;
}

const char *const *
cmp_schema_migrations(const char *backend)
{
	return schema_of(backend)->migrations;
}

const struct cmp_deferred_index *
cmp_schema_deferred_indexes(const char *backend)
{
	return schema_of(backend)->deferred;
}

const char *
cmp_schema_index_exists(const char *backend)
{
	return schema_of(backend)->index_exists;
}

int
cmp_schema_migration_check(const struct cmp_backend *be, struct cmp_db *db,
			   const char *path, int64_t from, char **keep,
			   struct cmp_error *e)
{
	const struct schema *schema = schema_of(be->name);
	const char *const *migrations = schema->migrations;
	const char *query = schema->view_dependents;
	const char *keep_query = schema->view_keep;
	struct cmp_buf names = CMP_BUF_INIT, drops = CMP_BUF_INIT;
	struct cmp_buf views = CMP_BUF_INIT;
	struct cmp_db_stmt *s;
	size_t len;
	int rc, n = 0, ret = 0, remade = 0;

	*keep = NULL;
	/* The views the migrations make anew; a new store has none yet. */
	for (int64_t v = from ? from : CMP_SCHEMA_VERSION;
	     v < CMP_SCHEMA_VERSION; v++)
		for (const char *p = migrations[v];
		     (p = strstr(p, "DROP VIEW ")); p += len) {
			p += 10;
			len = strcspn(p, ";");
			remade |= len == 10 && !strncmp(p, "complaints", len);
			cmp_buf_addf(&views, "%s%.*s", views.len ? "," : "{",
				     (int)len, p);
		}
	if (!query || !remade)
		goto keep;
	if ((rc = be->prepare(db, query, 0, &s))) {
		ret = be->error(db, rc, path, e);
		goto done;
	}
	while ((rc = be->step(s)) == CMP_DB_ROW) {
		cmp_buf_addf(&names, "%s%s", n ? ", " : "",
			     be->column_text(s, 0, NULL));
		cmp_buf_addf(&drops, "%s%s", n ? " " : "",
			     be->column_text(s, 1, NULL));
		n++;
	}
	if (rc < 0)
		ret = be->error(db, rc, path, e);
	else if (n)
		ret = cmp_error_set(e, CMP_EX_CONFIG, NULL, "store '%s' "
				    "(schema version %lld) cannot be migrated "
				    "to version %d while %s depend%s on the "
				    "view complaints, which the migration "
				    "makes anew: keep %s, drop %s, run this "
				    "program again, then make %s again; to "
				    "drop %s: %s", path, (long long)from,
				    CMP_SCHEMA_VERSION, cmp_buf_str(&names),
				    n > 1 ? "" : "s", n > 1 ?
				    "their definitions" : "its definition",
				    n > 1 ? "them" : "it", n > 1 ? "them" : "it",
				    n > 1 ? "them" : "it", cmp_buf_str(&drops));
	be->finalize(s);
keep:
	if (ret || !keep_query || !views.len)
		goto done;
	cmp_buf_addc(&views, '}');
	if ((rc = be->prepare(db, keep_query, 0, &s))) {
		ret = be->error(db, rc, path, e);
		goto done;
	}
	be->bind_text(s, 1, cmp_buf_str(&views));
	if ((rc = be->step(s)) == CMP_DB_ROW && !be->column_is_null(s, 0))
		*keep = cmp_xstrdup(be->column_text(s, 0, NULL));
	ret = rc < 0 ? be->error(db, rc, path, e) : 0;
	be->finalize(s);
done:
	cmp_buf_release(&names);
	cmp_buf_release(&drops);
	cmp_buf_release(&views);
	return ret;
}
