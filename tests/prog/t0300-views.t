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

done_testing
