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
		DROP INDEX complaint_due_resolve_met; DROP INDEX complaint_deadlines;
		DROP VIEW complaints;
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
# A DBA's grants on the views, and a view owned by a role of the DBA's: a
# migration makes complaints anew, and keeps both, and no more (the
# default privileges the migrating role gives a new view are not the
# view's).  Roles are the cluster's, not the test database's: named for
# this file, dropped at its end.
analyst=cmp_t0300_analyst owner=cmp_t0300_owner
# The views' owners and privileges, the views' and their columns', as
# the catalog holds them (a view never granted has its owner's).
view_acl() {
	pg_psql -d "$pg_db" -A -t -c "WITH c AS (SELECT * FROM pg_class
		WHERE relname IN ('complaints', 'journal', 'followups')
		AND relnamespace = 'public'::regnamespace),
		g AS (SELECT c.relname AS name, a.* FROM c, aclexplode(
		coalesce(c.relacl, acldefault('r', c.relowner))) a
		UNION ALL SELECT c.relname || ' (' || t.attname || ')', a.*
		FROM c JOIN pg_attribute t ON t.attrelid = c.oid,
		aclexplode(t.attacl) a)
		SELECT relname || ' owned by ' || relowner::regrole FROM c
		UNION ALL SELECT name || ': ' || CASE grantee WHEN 0 THEN
		'PUBLIC' ELSE grantee::regrole::text END || ' ' ||
		privilege_type || CASE WHEN is_grantable THEN ' grantable'
		ELSE '' END || ' from ' || grantor::regrole FROM g ORDER BY 1"
}
# A DBA's comments on the views and their columns, and the views'
# options, as the catalog holds them: a migration keeps them too.  The
# comments hold a quote.  complaints has one of each, since the
# migration from schema 7 makes only complaints anew; journal's and
# followups' must merely survive it.
view_notes() {
	pg_psql -d "$pg_db" -A -t -c "WITH c AS (SELECT * FROM pg_class
		WHERE relname IN ('complaints', 'journal', 'followups')
		AND relnamespace = 'public'::regnamespace)
		SELECT relname || ': ' || obj_description(oid, 'pg_class')
		FROM c WHERE obj_description(oid, 'pg_class') IS NOT NULL
		UNION ALL SELECT c.relname || ' (' || t.attname || '): ' ||
		col_description(c.oid, t.attnum) FROM c JOIN pg_attribute t
		ON t.attrelid = c.oid AND t.attnum > 0
		WHERE col_description(c.oid, t.attnum) IS NOT NULL
		UNION ALL SELECT relname || ' with ' ||
		array_to_string(reloptions, ', ') FROM c
		WHERE reloptions IS NOT NULL ORDER BY 1"
}
notes="COMMENT ON VIEW complaints IS 'the DBA''s complaints';
	COMMENT ON COLUMN complaints.status IS 'where it''s at';
	COMMENT ON COLUMN journal.note IS 'the note''s text';
	ALTER VIEW complaints SET (security_barrier = true,
		security_invoker = 'off');
	ALTER VIEW followups SET (security_barrier = true);"
# analyst QUERY: QUERY as the analysts' role.
analyst() {
	pg_psql -d "$pg_db" -A -t -c "SET ROLE $analyst" -c "$1"
}

t 'PostgreSQL: the views granted to an analysts'"'"' role, complaints owned by another' '
	pg_psql -d postgres -c "DROP ROLE IF EXISTS $analyst, $owner" \
		-c "CREATE ROLE $analyst" -c "CREATE ROLE $owner" &&
	pg_psql -d "$pg_db" -c "GRANT SELECT ON complaint TO $owner" \
		-c "ALTER VIEW complaints OWNER TO $owner" \
		-c "GRANT SELECT ON complaints, journal, followups TO $analyst" \
		-c "GRANT SELECT ON journal TO $owner WITH GRANT OPTION" \
		-c "GRANT SELECT (id, status) ON complaints TO PUBLIC" \
		-c "ALTER DEFAULT PRIVILEGES IN SCHEMA public
			GRANT UPDATE ON TABLES TO $analyst" &&
	pg_psql -d "$pg_db" -c "$notes" &&
	view_acl >"$TEST_ROOT/acl7" &&
	view_notes >"$TEST_ROOT/notes7" &&
	grep -qx "complaints: the DBA'"'"'s complaints" "$TEST_ROOT/notes7" &&
	grep -qx "complaints (status): where it'"'"'s at" "$TEST_ROOT/notes7" &&
	grep -qx "journal (note): the note'"'"'s text" "$TEST_ROOT/notes7" &&
	grep -qx "complaints with security_barrier=true, security_invoker=off" "$TEST_ROOT/notes7" &&
	grep -qx "followups with security_barrier=true" "$TEST_ROOT/notes7" &&
	[ "$(wc -l <"$TEST_ROOT/notes7")" = 5 ] &&
	grep -qx "complaints owned by $owner" "$TEST_ROOT/acl7" &&
	grep -qx "complaints (status): PUBLIC SELECT from $owner" "$TEST_ROOT/acl7" &&
	grep -qx "followups: $analyst SELECT from cmp" "$TEST_ROOT/acl7" &&
	[ "$(analyst "SELECT count(*) FROM complaints")" = 8 ]
'

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

t 'PostgreSQL: the migration kept the views'"'"' owner and privileges; the analysts read them' '
	[ "$(analyst "SELECT rejection_reason FROM complaints WHERE id = 4")" = "not ours" ] &&
	[ "$(analyst "SELECT count(*) FROM journal WHERE complaint_id = 4")" -gt 0 ] &&
	analyst "SELECT count(*) FROM followups" >got &&
	[ "$(cat got)" = "$(sql "SELECT count(*) FROM followups")" ] &&
	view_acl >got && test_cmp "$TEST_ROOT/acl7" got
'

t 'PostgreSQL: the migration kept the views'"'"' comments, their columns'"'"', and their options' '
	view_notes >got && test_cmp "$TEST_ROOT/notes7" got
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

if on_pg; then
t 'PostgreSQL: the test'"'"'s roles dropped' '
	pg_psql -d "$pg_db" -c "REASSIGN OWNED BY $owner TO cmp" \
		-c "DROP OWNED BY $analyst, $owner" &&
	pg_psql -d postgres -c "DROP ROLE $analyst, $owner"
'
fi

done_testing
