#!/bin/sh
# A store of schema version 11 (journal_field_at on the field, the time
# and the complaint) migrated to this version gives the same reports,
# byte for byte: migration 12 widens the index to what the reports read
# of an entry, for the fields they count, and changes no figure.
. "${0%/*}/../lib.sh"

# This build's schema version, as the header says.
V=$(sed -n "s/^#define CMP_SCHEMA_VERSION \([0-9]*\)$/\1/p" "$CMP_TOP/include/complaint.h")

# The definition of journal_field_at, as the database keeps it.
index_sql() {
	if on_pg; then
		sql "SELECT indexdef FROM pg_indexes WHERE indexname = 'journal_field_at'"
	else
		sql "SELECT sql FROM sqlite_schema WHERE name = 'journal_field_at'"
	fi
}

# The reports compared: a month and a week, two years (the whole
# journal), a month as of a moment, in each format that shows every
# figure.
reports() {
	for a in "--period 2026-10" "--period 2026-11 --format json" \
		 "--since 2026-11-16 --until 2026-11-23 --format csv" \
		 "--since 2024-11-20 --until 2026-11-21 --format json" \
		 "--period 2026-11 --as-of 2026-11-19 --format csv"; do
		echo "== $a"
		CMP_NOW=2026-11-25T02:00:00Z cmp-report $a || echo "status $?"
	done
}

# Two years of complaints with their past (gen.awk), then November's
# work: acknowledged, resolved with amounts in two currencies, closed,
# one closed as a duplicate, one rejected, one reopened.
t 'a store with two years of history and a month of work' '
	awk -v n=1200 -f "$CMP_TOP/tests/bench/gen.awk" | cmp-add >/dev/null &&
	ids=$(cmp-list --status new --format tsv | cut -f1 | grep -v "^id" | head -8) &&
	set -- $ids && [ $# = 8 ] &&
	CMP_NOW=2026-11-20T03:00:00Z cmp-assign --to li.gang "$@" >/dev/null &&
	CMP_NOW=2026-11-20T05:00:00Z cmp-close --resolve refund --amount 120 $1 $2 >/dev/null &&
	CMP_NOW=2026-11-20T06:00:00Z cmp-close --resolve refund --amount 80 --currency USD $3 >/dev/null &&
	CMP_NOW=2026-11-21T06:00:00Z cmp-close --close --force --note "no answer" $1 >/dev/null &&
	CMP_NOW=2026-11-21T07:00:00Z cmp-close --duplicate-of $5 $4 >/dev/null &&
	CMP_NOW=2026-11-21T08:00:00Z cmp-close --reject "not ours" $6 >/dev/null &&
	CMP_NOW=2026-11-22T08:00:00Z cmp-close --reopen "customer insists" $2 >/dev/null &&
	[ "$(sql "SELECT count(*) FROM journal WHERE field = '"'"'resolution.amount'"'"' AND new IS NOT NULL AND program = '"'"'cmp-close'"'"'")" = 3 ]
'

t 'the reports of this version' '
	reports >"$TEST_ROOT/new.txt" && ! grep -q "^status" "$TEST_ROOT/new.txt" &&
	grep -q "USD" "$TEST_ROOT/new.txt" &&
	index_sql | grep -q "WHERE" &&
	index_sql | grep -q "complaint_id, new, old"
'

t 'the store as schema version 11 had it' '
	sql "DROP INDEX journal_field_at" &&
	sql "CREATE INDEX journal_field_at ON journal_entry(field, at, complaint_id)" &&
	sql "DROP INDEX complaint_deadlines" &&
	if on_pg; then sql "UPDATE complaint_schema SET version = 11"
	else sql "PRAGMA user_version = 11"; fi &&
	index_sql >got && ! grep -q "new" got
'

t 'migrated by the first report: the same reports, byte for byte' '
	reports >got && test_cmp "$TEST_ROOT/new.txt" got &&
	if on_pg; then [ "$(sql "SELECT version FROM complaint_schema")" = "$V" ]
	else [ "$(sql "PRAGMA user_version")" = "$V" ]; fi &&
	index_sql | grep -q "complaint_id, new, old"
'

# Schema 15 wrote the WHERE of the indexes of open complaints and of
# the reported fields as equalities joined by OR (SQLite tested an IN
# against a table made for it at each row written).  A store of
# version 14, its indexes as that version made them, migrates to the
# same reports; a report that named an index its statement did not
# match would fail (INDEXED BY).
t 'the store as schema version 14 had it' '
	if on_pg; then sql "UPDATE complaint_schema SET version = 14"
	else
		sql "DROP INDEX complaint_open" &&
		sql "CREATE INDEX complaint_open ON complaint(received_at, created_at, due_ack, acknowledged_at, due_reply, replied_at, due_resolve, resolution_resolved_at, waiting_since, status) WHERE status IN ('"'"'new'"'"', '"'"'assigned'"'"', '"'"'waiting'"'"')" &&
		sql "DROP INDEX journal_field_at" &&
		sql "CREATE INDEX journal_field_at ON journal_entry(field, at, complaint_id, new, old) WHERE field IN ('"'"'status'"'"', '"'"'acknowledged_at'"'"', '"'"'replied_at'"'"', '"'"'duplicate_of'"'"', '"'"'resolution.resolved_at'"'"', '"'"'resolution.type'"'"', '"'"'resolution.amount'"'"')" &&
		sql "PRAGMA user_version = 14" &&
		index_sql | grep -q "WHERE field IN"
	fi
'

t 'migrated to this version: the same reports, byte for byte' '
	reports >got && test_cmp "$TEST_ROOT/new.txt" got &&
	if on_pg; then [ "$(sql "SELECT version FROM complaint_schema")" = "$V" ]
	else
		[ "$(sql "PRAGMA user_version")" = "$V" ] &&
		index_sql | grep -q "WHERE (field = '"'"'status'"'"' OR field = " &&
		sql "SELECT sql FROM sqlite_schema WHERE name = '"'"'complaint_open'"'"'" |
			grep -q "WHERE (status = '"'"'new'"'"' OR status = '"'"'assigned'"'"' OR status = '"'"'waiting'"'"')"
	fi
'

# SQLite uses a partial index only for a statement that holds its WHERE
# (schema.h, CMP_REPORT_FIELDS): then a period's changes are read from
# the index alone.
sqlite_only 'the events of a period read from the index alone' 'its query plan' ||
t 'the events of a period read from the index alone' '
	sql "EXPLAIN QUERY PLAN SELECT complaint_id, new, old FROM journal_entry
		WHERE at >= '"'"'2026-10-01'"'"' AND at < '"'"'2026-11-01'"'"'
		AND field IN ('"'"'status'"'"', '"'"'acknowledged_at'"'"')
		AND (field = '"'"'status'"'"' OR field = '"'"'acknowledged_at'"'"'
		OR field = '"'"'replied_at'"'"' OR field = '"'"'duplicate_of'"'"'
		OR field = '"'"'resolution.resolved_at'"'"'
		OR field = '"'"'resolution.type'"'"'
		OR field = '"'"'resolution.amount'"'"')" >plan &&
	grep -q "USING COVERING INDEX journal_field_at" plan
'

# Schema 17 indexes the currencies resolutions journal (journal_currency):
# a report's money looked each one up among every entry of its
# complaint.  A store of version 16 migrates to the same reports, the
# second currency among them.
t 'the store as schema version 16 had it' '
	sql "DROP INDEX journal_currency" &&
	if on_pg; then sql "UPDATE complaint_schema SET version = 16"
	else sql "PRAGMA user_version = 16"; fi
'

t 'migrated to schema 17: the same reports, the currencies indexed' '
	reports >got && test_cmp "$TEST_ROOT/new.txt" got &&
	if on_pg; then
		[ "$(sql "SELECT version FROM complaint_schema")" = "$V" ] &&
		[ "$(sql "SELECT count(*) FROM pg_indexes WHERE indexname = '"'"'journal_currency'"'"'")" = 1 ]
	else
		[ "$(sql "PRAGMA user_version")" = "$V" ] &&
		sql "EXPLAIN QUERY PLAN SELECT new FROM journal_entry
			WHERE complaint_id = 1 AND at = '"'"'2026-11-20T06:00:00Z'"'"'
			AND field = '"'"'resolution.currency'"'"'" >plan &&
		grep -q "USING INDEX journal_currency (complaint_id=? AND at=?)" plan
	fi
'

done_testing
