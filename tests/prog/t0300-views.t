#!/bin/sh
# complaint(7): the three views are as documented, and the example SQL of
# the page runs against a store.
. "${0%/*}/../lib.sh"

PAGE=$CMP_TOP/man/complaint.7

t 'a store with the sample complaints, worked on' '
	cmp-add <"$CMP_TOP/share/complaint/examples/complaints.ndjson" >/dev/null &&
	cmp-assign --dept quality 1 3 6 8 >/dev/null &&
	cmp-assign --dept logistics --ack 2 >/dev/null &&
	cmp-followup --log "called back" --channel phone 1 >/dev/null &&
	cmp-close --resolve exchange --amount 800 1 >/dev/null &&
	cmp-close --resolve refund --amount 120 --currency USD 2 >/dev/null &&
	CMP_NOW=2026-11-24T02:00:00Z cmp-followup --done --satisfaction 5 1 >/dev/null &&
	cmp-update --tag vip --tag repeat 3 >/dev/null &&
	[ "$(sql "SELECT count(*) FROM complaints")" = 8 ]
'

t 'the complaints view has exactly the documented columns' '
	sed -n "/^\.It Sy complaints/,/^\.It Sy journal/p" "$PAGE" |
	grep "^\.Li" | sed "s/^\.Li //; s/ *[,.]\$//; s/ , /\n/g; s/ ,\$//" |
	tr -d " ," | grep -v "^\$" | grep -v "^(" >documented &&
	sql "PRAGMA table_info(complaints)" | cut -d"|" -f2 >actual &&
	test_cmp documented actual
'

t 'the journal and followups views have the documented columns' '
	sql "PRAGMA table_info(journal)" | cut -d"|" -f2 | tr "\n" " " >got &&
	[ "$(cat got)" = "complaint_id at actor program field old new note " ] &&
	sql "PRAGMA table_info(followups)" | cut -d"|" -f2 | tr "\n" " " >got &&
	[ "$(cat got)" = "complaint_id due_at done_at channel outcome satisfaction note " ]
'

# Each block after a ".\" sql-example" comment, mdoc escapes undone.
awk '/^\.\\" sql-example/ { grab = 1; next }
     grab && /^\.Bd/ { inside = 1; next }
     inside && /^\.Ed/ { print "-- end"; grab = inside = 0; next }
     inside { gsub(/\\e/, "\\"); print }' "$PAGE" >"$TEST_ROOT/examples.sql"
n=$(grep -c -- '^-- end' "$TEST_ROOT/examples.sql")

t "complaint(7) has example queries ($n)" '[ "$n" -ge 5 ]'

i=1
# The page's examples are SQLite's SQL, for the sqlite3 shell; the page
# says PostgreSQL needs its own functions there.
examples='complaint(7)'"'"'s examples are written for the sqlite3 shell'
while [ $i -le "$n" ]; do
	sqlite_only "complaint(7) example $i runs" "$examples" ||
	t "complaint(7) example $i runs" '
		awk -v want=$i "/^-- end/ { k++; next } k + 1 == want" "$TEST_ROOT/examples.sql" >q.sql &&
		sqlite3 -batch -bail "$CMP_DB" <q.sql >result 2>err && expect_empty err
	'
	i=$((i + 1))
done

# Example 1 is SQL that PostgreSQL takes too.
t 'example 1 counts what is there' '
	awk "/^-- end/ { k++; next } k == 0" "$TEST_ROOT/examples.sql" >q.sql &&
	sql "$(cat q.sql)" | awk -F"|" "{ n += \$3 } END { print n }" >got &&
	[ "$(cat got)" = 8 ]
'

# This build's schema version, as the header says.
V=$(sed -n "s/^#define CMP_SCHEMA_VERSION \([0-9]*\)$/\1/p" "$CMP_TOP/include/complaint.h")

# An analyst's views on complaints, in a store of schema version 7,
# made from a store of this version: migrations 8 and 9 add columns to
# complaint and make the view anew, 8 to 10 add indexes.
t 'a store of schema version 7, with an analyst'"'"'s view on complaints' '
	rm -f "$CMP_DB" &&
	cmp-add <"$CMP_TOP/share/complaint/examples/complaints.ndjson" >/dev/null &&
	cmp-close --reject "not ours" 4 >/dev/null &&
	sql "PRAGMA table_info(complaints)" | cut -d"|" -f2 >"$TEST_ROOT/cols10" &&
	cols=$(grep -vx -e duplicate_of -e closed_at -e rejected_at \
		-e rejection_reason "$TEST_ROOT/cols10" | paste -sd, -) &&
	sql "DROP INDEX complaint_duplicate_of; DROP INDEX complaint_email_folded;
		DROP INDEX complaint_due_ack_met; DROP INDEX complaint_due_reply_met;
		DROP INDEX complaint_due_resolve_met; DROP VIEW complaints;
		ALTER TABLE complaint DROP COLUMN duplicate_of;
		ALTER TABLE complaint DROP COLUMN closed_at;
		ALTER TABLE complaint DROP COLUMN rejected_at;
		ALTER TABLE complaint DROP COLUMN rejection_reason;
		CREATE VIEW complaints AS SELECT $cols FROM complaint;
		CREATE VIEW mine AS SELECT id, status FROM complaints;" &&
	if on_pg; then sql "UPDATE complaint_schema SET version = 7"
	else sql "PRAGMA user_version = 7"; fi &&
	sql "SELECT id, status FROM mine ORDER BY id" >"$TEST_ROOT/mine7" &&
	[ "$(wc -l <"$TEST_ROOT/mine7")" = 8 ] &&
	grep -qx "4|rejected" "$TEST_ROOT/mine7"
'

if on_pg; then
# PostgreSQL drops no view another depends on, and the new columns go
# in the middle of complaints: the migration cannot keep it.
t 'PostgreSQL: the migration refuses, naming the view and what to run (78)' '
	run cmp-list && expect_status 78 && expect_empty out &&
	grep -q "(schema version 7) cannot be migrated to version $V while view mine depends on the view complaints" err &&
	grep -q "to drop it: DROP VIEW mine;\$" err &&
	[ "$(wc -l <err)" = 1 ] &&
	[ "$(sql "SELECT version FROM complaint_schema")" = 7 ] &&
	sql "SELECT id, status FROM mine ORDER BY id" >got &&
	test_cmp "$TEST_ROOT/mine7" got
'

t 'PostgreSQL: as the message says, the view dropped, migrated, made again' '
	sql "$(sed -n "s/.*to drop it: //p" err)" &&
	run cmp-list && expect_status 0 && [ "$(wc -l <out)" = 8 ] &&
	sql "CREATE VIEW mine AS SELECT id, status FROM complaints" &&
	sql "SELECT id, status FROM mine ORDER BY id" >got &&
	test_cmp "$TEST_ROOT/mine7" got &&
	[ "$(sql "SELECT version FROM complaint_schema")" = "$V" ]
'
else
# SQLite reads a view'"'"'s names when it is used: the analyst'"'"'s view
# works again on the complaints view made anew.
t 'SQLite: the migration keeps the analyst'"'"'s view working' '
	run cmp-list && expect_status 0 && expect_empty err &&
	[ "$(wc -l <out)" = 8 ] &&
	[ "$(sql "PRAGMA user_version")" = "$V" ] &&
	sql "SELECT id, status FROM mine ORDER BY id" >got &&
	test_cmp "$TEST_ROOT/mine7" got
'
fi

t 'after the migration: the complaints view of this version, the closed times filled' '
	sql "PRAGMA table_info(complaints)" | cut -d"|" -f2 >got &&
	test_cmp "$TEST_ROOT/cols10" got &&
	[ "$(sql "SELECT rejection_reason FROM complaints WHERE id = 4")" = "not ours" ]
'

done_testing
