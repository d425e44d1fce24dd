#!/bin/sh
# An import writes the past (issue 21): closed complaints imported with
# their times (store A) and the same work done with the programs under
# CMP_NOW (store B) give the same reports, the month and --as-of past
# moments (the money too: an import journals the resolution's fields as
# cmp-close does); the journal of A is dated at the imported times, marked
# imported; a missing closed_at is assumed and noted; a waiting import
# keeps its clocks stopped, a duplicate is journalled as one.
. "${0%/*}/../lib.sh"

A=$TEST_ROOT/a.db
B=$TEST_ROOT/b.db

# work N RECV ACK REPLY RES DONE CLOSE: complaint N's life in store B.
work() {
	CMP_NOW=$2 cmp-add --db "$B" --customer "客户$1" --phone 1380013800$1 -m "leak $1" >/dev/null &&
	CMP_NOW=$3 cmp-assign --db "$B" --to li.gang "$1" >/dev/null &&
	CMP_NOW=$4 cmp-followup --db "$B" --log "called back" "$1" >/dev/null &&
	CMP_NOW=$5 cmp-close --db "$B" --resolve repair --amount "$1.5" "$1" >/dev/null &&
	CMP_NOW=$6 cmp-followup --db "$B" --done --satisfaction 5 "$1" >/dev/null &&
	CMP_NOW=$7 cmp-close --db "$B" --close "$1" >/dev/null
}

# report DB ARGS: the report's JSON without the moment it was made.
report() {
	db=$1; shift
	CMP_NOW=2027-01-10T00:00:00Z cmp-report --db "$db" --format json "$@" | jq -S 'del(.generated_at)'
}

t 'the same work done here (B) and imported with its times (A)' '
	work 1 2026-11-02T01:00:00Z 2026-11-02T02:00:00Z 2026-11-03T01:00:00Z 2026-11-05T01:00:00Z 2026-11-08T02:00:00Z 2026-11-09T01:00:00Z &&
	work 2 2026-11-03T01:00:00Z 2026-11-04T06:00:00Z 2026-11-09T01:00:00Z 2026-11-20T01:00:00Z 2026-11-23T02:00:00Z 2026-11-24T01:00:00Z &&
	work 3 2026-11-10T01:00:00Z 2026-11-10T01:30:00Z 2026-11-10T03:00:00Z 2026-11-12T01:00:00Z 2026-12-02T02:00:00Z 2026-12-03T01:00:00Z &&
	CMP_NOW=2027-01-10T00:00:00Z cmp-list --db "$B" |
	jq -c "del(.id, .due, .created_at, .updated_at, .possible_duplicate_of) | .followups |= map(del(.id))" >records &&
	[ $(wc -l <records) = 3 ] &&
	CMP_NOW=2027-01-10T00:00:00Z run cmp-add --db "$A" <records &&
	expect_status 0 && expect_empty err && [ $(wc -l <out) = 3 ]
'

t 'the imported journal: each step at its time, in order, cmp-add, imported' '
	sqlite3 -batch "$A" "SELECT at, field, coalesce(old, \"null\"), new, program, note FROM journal_entry WHERE complaint_id = 2 ORDER BY id" >got &&
	cat >want <<-EOF &&
	2026-11-03T01:00:00Z|status|null|new|cmp-add|imported
	2026-11-04T06:00:00Z|status|new|assigned|cmp-add|imported
	2026-11-04T06:00:00Z|acknowledged_at|null|2026-11-04T06:00:00Z|cmp-add|imported
	2026-11-09T01:00:00Z|replied_at|null|2026-11-09T01:00:00Z|cmp-add|imported
	2026-11-09T01:00:00Z|followups|null|[{"due_at":"2026-11-09T01:00:00Z","done_at":"2026-11-09T01:00:00Z","channel":null,"outcome":"called back","satisfaction":null,"note":null}]|cmp-add|imported
	2026-11-20T01:00:00Z|status|assigned|resolved|cmp-add|imported
	2026-11-20T01:00:00Z|resolution.type|null|repair|cmp-add|imported
	2026-11-20T01:00:00Z|resolution.amount|null|2.5|cmp-add|imported
	2026-11-20T01:00:00Z|resolution.currency|null|CNY|cmp-add|imported
	2026-11-20T01:00:00Z|resolution.resolved_at|null|2026-11-20T01:00:00Z|cmp-add|imported
	2026-11-23T02:00:00Z|satisfaction|null|5|cmp-add|imported
	2026-11-23T02:00:00Z|followups|null|[{"due_at":"2026-11-23T01:00:00Z","done_at":"2026-11-23T02:00:00Z","channel":null,"outcome":null,"satisfaction":5,"note":null}]|cmp-add|imported
	2026-11-24T01:00:00Z|status|resolved|closed|cmp-add|imported
	EOF
	test_cmp want got &&
	# Each follow-up done, and the score, when and as B journalled them.
	q="SELECT complaint_id, at, field, new FROM journal_entry WHERE field = \"satisfaction\"
		OR (field = \"followups\" AND new NOT LIKE \"%\"\"done_at\"\":null%\") ORDER BY id" &&
	sqlite3 -batch "$B" "$q" >want && sqlite3 -batch "$A" "$q" >got &&
	[ $(wc -l <want) = 9 ] && test_cmp want got
'

t 'deadlines computed from received_at, as in B' '
	for db in "$A" "$B"; do
		sqlite3 -batch "$db" "SELECT id, due_ack, due_reply, due_resolve, closed_at FROM complaint ORDER BY id"
	done >both &&
	[ $(sort -u both | wc -l) = 3 ] &&
	sqlite3 -batch "$A" "SELECT count(*) FROM complaint WHERE due_resolve IS NULL OR due_ack IS NULL OR closed_at IS NULL" >got &&
	echo 0 >want && test_cmp want got
'

t 'cmp-report --period 2026-11: identical, and closed as the journal of B says' '
	report "$A" --period 2026-11 >ra && report "$B" --period 2026-11 >rb &&
	test_cmp rb ra &&
	jq .counts.closed ra >got &&
	sqlite3 -batch "$B" "SELECT count(DISTINCT complaint_id) FROM journal_entry WHERE field = \"status\" AND new = \"closed\" AND at >= \"2026-10-31T16:00:00Z\" AND at < \"2026-11-30T16:00:00Z\"" >want &&
	test_cmp want got && [ "$(cat got)" = 2 ] &&
	jq .counts.resolved ra >got && echo 3 >want && test_cmp want got &&
	# The money, from the resolutions the import journalled.
	jq -c .money ra >got &&
	echo "[{\"amount\":7.5,\"count\":3,\"currency\":\"CNY\",\"type\":\"repair\"}]" >want &&
	test_cmp want got
'

t 'cmp-report --as-of past moments: identical' '
	for at in 2026-11-02T12:00:00Z 2026-11-10T02:00:00Z 2026-11-21T00:00:00Z 2026-12-02T00:00:00Z; do
		report "$A" --period 2026-11 --as-of $at >ra &&
		report "$B" --period 2026-11 --as-of $at >rb &&
		test_cmp rb ra || return 1
	done
'

t 'a closed record without closed_at: assumed at the last time given, noted' '
	echo "{\"summary\":\"old\",\"customer\":{\"phone\":\"13800138009\"},\"status\":\"closed\",\"received_at\":\"2026-10-01T00:00:00Z\",\"resolution\":{\"type\":\"repair\",\"resolved_at\":\"2026-10-03T00:00:00Z\"}}" |
	CMP_NOW=2027-01-10T00:00:00Z run cmp-add --db "$A" && expect_status 0 && expect_empty err &&
	jq -e ".closed_at == \"2026-10-03T00:00:00Z\" and .due.resolve != null" out &&
	sqlite3 -batch "$A" "SELECT at, new, note FROM journal_entry WHERE complaint_id = 4 AND field = \"status\" ORDER BY id" >got &&
	cat >want <<-EOF &&
	2026-10-01T00:00:00Z|new|imported
	2026-10-03T00:00:00Z|resolved|imported
	2026-10-03T00:00:00Z|closed|closed_at not given: assumed at the last time given
	EOF
	test_cmp want got
'

t 'a waiting complaint imported: its clocks stop where they stopped here' '
	C=$TEST_ROOT/c.db D=$TEST_ROOT/d.db &&
	CMP_NOW=2026-11-02T01:00:00Z cmp-add --db "$C" --phone 13800138011 -m "waits" >/dev/null &&
	CMP_NOW=2026-11-02T02:00:00Z cmp-assign --db "$C" --to li.gang 1 >/dev/null &&
	CMP_NOW=2026-11-02T03:00:00Z cmp-update --db "$C" --wait "photos asked" 1 >/dev/null &&
	CMP_NOW=2027-01-10T00:00:00Z cmp-list --db "$C" |
	jq -c "del(.id, .due, .created_at, .updated_at)" |
	CMP_NOW=2027-01-10T00:00:00Z run cmp-add --db "$D" &&
	expect_status 0 && expect_empty err &&
	for db in "$C" "$D"; do
		CMP_NOW=2027-01-10T00:00:00Z cmp-show --db "$db" 1 |
		jq -c ".status, .deadlines" || exit 1
	done >both &&
	sed -n 1,2p both >here && sed -n 3,4p both >imported &&
	test_cmp here imported &&
	grep -q "\"stopped\":true" here &&
	sqlite3 -batch "$D" "SELECT at, coalesce(old, \"-\"), new FROM journal_entry WHERE complaint_id = 1 AND field = \"status\" ORDER BY id" >got &&
	cat >want <<-EOF &&
	2026-11-02T01:00:00Z|-|new
	2026-11-02T02:00:00Z|new|assigned
	2026-11-02T03:00:00Z|assigned|waiting
	EOF
	test_cmp want got
'

# import_one RECORD [ARGS]: RECORD imported into A by cmp-add ARGS, with
# no complaint; id its id.
import_one() {
	rec=$1; shift
	echo "$rec" | CMP_NOW=2027-01-10T00:00:00Z run cmp-add --db "$A" "$@" &&
	expect_status 0 && expect_empty err && id=$(jq .id out)
}

t 'an assigned record without acknowledged_at: assigned at the last time given, noted' '
	import_one "{\"summary\":\"a\",\"customer\":{\"phone\":\"13800138012\"},\"status\":\"assigned\",\"received_at\":\"2026-10-01T00:00:00Z\",\"replied_at\":\"2026-10-02T00:00:00Z\"}" --note "from the old desk" &&
	sqlite3 -batch "$A" "SELECT at, field, new, note FROM journal_entry WHERE complaint_id = $id ORDER BY id" >got &&
	cat >want <<-EOF &&
	2026-10-01T00:00:00Z|status|new|imported; from the old desk
	2026-10-02T00:00:00Z|status|assigned|assigned: its time not given: assumed at the last time given
	2026-10-02T00:00:00Z|replied_at|2026-10-02T00:00:00Z|imported; from the old desk
	EOF
	test_cmp want got
'

t 'escalated, a follow-up still due, a score without a follow-up: journalled, the times assumed and noted' '
	import_one "{\"summary\":\"b\",\"customer\":{\"phone\":\"13800138013\"},\"status\":\"assigned\",\"received_at\":\"2026-10-01T00:00:00Z\",\"acknowledged_at\":\"2026-10-01T02:00:00Z\",\"escalation\":2,\"satisfaction\":2,\"followups\":[{\"due_at\":\"2026-10-09T00:00:00Z\"}]}" &&
	sqlite3 -batch "$A" "SELECT at, field, coalesce(old, \"null\"), new, note FROM journal_entry WHERE complaint_id = $id ORDER BY id" >got &&
	cat >want <<-EOF &&
	2026-10-01T00:00:00Z|status|null|new|imported
	2026-10-01T02:00:00Z|status|new|assigned|imported
	2026-10-01T02:00:00Z|acknowledged_at|null|2026-10-01T02:00:00Z|imported
	2026-10-01T02:00:00Z|escalation|0|2|escalation: its time not given: assumed at the last time given
	2026-10-01T02:00:00Z|followups|null|[{"due_at":"2026-10-09T00:00:00Z","done_at":null,"channel":null,"outcome":null,"satisfaction":null,"note":null}]|followups: scheduled at a time not given: assumed at the last time given
	2026-10-01T02:00:00Z|satisfaction|null|2|satisfaction: its time not given: assumed at the last time given
	EOF
	test_cmp want got
'

t 'two follow-ups scored: each score journalled when given, from the one before' '
	import_one "{\"summary\":\"c\",\"customer\":{\"phone\":\"13800138014\"},\"status\":\"resolved\",\"received_at\":\"2026-10-01T00:00:00Z\",\"resolution\":{\"type\":\"repair\",\"resolved_at\":\"2026-10-02T00:00:00Z\"},\"satisfaction\":4,\"followups\":[{\"due_at\":\"2026-10-03T00:00:00Z\",\"done_at\":\"2026-10-03T01:00:00Z\",\"satisfaction\":2},{\"due_at\":\"2026-10-05T00:00:00Z\",\"done_at\":\"2026-10-05T01:00:00Z\",\"satisfaction\":4}]}" &&
	sqlite3 -batch "$A" "SELECT at, coalesce(old, \"null\"), new, note FROM journal_entry WHERE complaint_id = $id AND field = \"satisfaction\" ORDER BY id" >got &&
	printf "%s\n" "2026-10-03T01:00:00Z|null|2|imported" "2026-10-05T01:00:00Z|2|4|imported" >want &&
	test_cmp want got &&
	[ "$(sqlite3 -batch "$A" "SELECT count(*) FROM journal_entry WHERE complaint_id = $id AND field = \"followups\"")" = 2 ]
'

t 'steps put in time order keep their numbers: an escalation and scores moved past earlier steps' '
	import_one "{\"summary\":\"d\",\"customer\":{\"phone\":\"13800138015\"},\"status\":\"resolved\",\"received_at\":\"2026-10-01T00:00:00Z\",\"acknowledged_at\":\"2026-10-01T02:00:00Z\",\"replied_at\":\"2026-10-02T00:00:00Z\",\"escalation\":2,\"satisfaction\":4,\"resolution\":{\"type\":\"repair\",\"resolved_at\":\"2026-10-05T00:00:00Z\"},\"followups\":[{\"due_at\":\"2026-10-01T03:00:00Z\",\"done_at\":\"2026-10-01T03:00:00Z\",\"satisfaction\":3}]}" &&
	sqlite3 -batch "$A" "SELECT at, field, coalesce(old, \"null\"), new FROM journal_entry WHERE complaint_id = $id AND field IN (\"escalation\", \"satisfaction\") ORDER BY id" >got &&
	cat >want <<-EOF &&
	2026-10-01T03:00:00Z|satisfaction|null|3
	2026-10-05T00:00:00Z|escalation|0|2
	2026-10-05T00:00:00Z|satisfaction|3|4
	EOF
	test_cmp want got
'

t 'a record closed as a duplicate: journalled so, counted so, listed with its original' '
	E=$TEST_ROOT/e.db &&
	cat >in <<-EOF &&
	{"summary":"leak","customer":{"phone":"13800138013"},"status":"closed","received_at":"2026-10-01T00:00:00Z","closed_at":"2026-10-02T00:00:00Z","resolution":{"type":"repair"}}
	{"summary":"leak again","customer":{"phone":"13800138013"},"status":"closed","received_at":"2026-10-01T05:00:00Z","closed_at":"2026-10-01T06:00:00Z","duplicate_of":1}
	{"summary":"x","customer":{"phone":"13800138014"},"status":"assigned","duplicate_of":1}
	{"summary":"x","customer":{"phone":"13800138014"},"status":"closed","duplicate_of":42}
	{"summary":"x","customer":{"phone":"13800138014"},"status":"closed","duplicate_of":2}
	EOF
	CMP_NOW=2027-01-10T00:00:00Z run cmp-add --db "$E" in &&
	expect_status 65 && [ $(wc -l <out) = 2 ] &&
	cat >want <<-EOF &&
	cmp-add: in:3: duplicate_of: a complaint that is assigned was not closed as a duplicate
	cmp-add: in:4: duplicate_of: no complaint 42
	cmp-add: in:5: duplicate_of: complaint 2 is itself a duplicate of 1: name 1
	EOF
	test_cmp want err &&
	sqlite3 -batch "$E" "SELECT at, field, new FROM journal_entry WHERE complaint_id = 2 ORDER BY id" >got &&
	cat >want <<-EOF &&
	2026-10-01T05:00:00Z|status|new
	2026-10-01T06:00:00Z|duplicate_of|1
	2026-10-01T06:00:00Z|status|closed
	EOF
	test_cmp want got &&
	[ "$(cmp-list --db "$E" --duplicates-of 1 --fields id)" = "{\"id\":2}" ] &&
	[ "$(cmp-show --db "$E" 1 | jq -c "[.duplicates[].id]")" = "[2]" ] &&
	CMP_NOW=2027-01-10T00:00:00Z cmp-report --db "$E" --period 2026-10 --format json >rep &&
	[ "$(sqlite3 -batch "$E" "SELECT count(*) FROM journal WHERE field = \"duplicate_of\" AND at LIKE \"2026-10%\"")" = 1 ] &&
	jq -e "(.. | objects | select(has(\"duplicates\")) | .duplicates) == 1" rep >/dev/null
'

t 'reject, close, reopen: rejected_at, the reason and closed_at set, then cleared' '
	CMP_NOW=2026-11-02T01:00:00Z cmp-add --phone 13800138000 -m x >/dev/null &&
	CMP_NOW=2026-11-02T02:00:00Z cmp-close --reject "not ours" 1 >/dev/null &&
	CMP_NOW=2026-11-02T03:00:00Z cmp-close --close 1 >/dev/null &&
	sql "SELECT closed_at, rejected_at, rejection_reason FROM complaints WHERE id = 1" >got &&
	echo "2026-11-02T03:00:00Z|2026-11-02T02:00:00Z|not ours" >want && test_cmp want got &&
	CMP_NOW=2026-11-02T04:00:00Z run cmp-close --reopen again 1 && expect_status 0 &&
	jq -e ".status == \"assigned\" and .closed_at == null and .rejected_at == null and .rejection_reason == null" out
'

# The indexes a load into a small store builds at its end, not row by
# row (lib/store_bulk.c; their list, lib/migrations.c): the journal's by
# field and time, the complaints' by time received, by due dates, by the
# phone's digits.

# closed N PREFIX: N closed complaints with their past, received in
# October 2026 (Beijing time), as another system exports them.
closed() {
	awk -v n="$1" -v p="$2" 'BEGIN { for (i = 1; i <= n; i++) {
		d = 1 + i % 28; h = i % 20
		printf "{\"ref\":\"%s-%d\",\"received_at\":\"2026-10-%02dT%02d:00:00Z\",\"customer\":{\"name\":\"c%d\",\"phone\":\"1390000%04d\"},\"summary\":\"leak %d\",\"status\":\"closed\",\"acknowledged_at\":\"2026-10-%02dT%02d:30:00Z\",\"replied_at\":\"2026-10-%02dT%02d:00:00Z\",\"resolution\":{\"type\":\"repair\",\"resolved_at\":\"2026-11-%02dT01:00:00Z\"},\"closed_at\":\"2026-11-%02dT02:00:00Z\"}\n",
			p, i, d, h, i, i, i, d, h, d, h + 2, d, d } }'
}

# paused DB FILE [N]: cmp-add loads FILE's records into DB from a pipe
# that stays open: once N (2,000, a batch) are committed and printed, it
# waits for more.  $pid the loader's; fd 3 the pipe.
paused() {
	rm -f fifo && mkfifo fifo && : >loaded || return
	CMP_NOW=2027-01-10T00:00:00Z cmp-add --db "$1" <fifo >loaded 2>load.err &
	pid=$!
	exec 3>fifo && cat "$2" >&3 &&
	n=0 && while [ $(wc -l <loaded) -lt ${3:-2000} ] && [ $n -lt 3000 ]; do
		sleep 0.1; n=$((n + 1))
	done &&
	[ $(wc -l <loaded) = ${3:-2000} ]
}

# indexes DB: each index of DB, its name and definition.
indexes() {
	sqlite3 -batch -cmd '.timeout 5000' "$1" "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL" | LC_ALL=C sort
}

C=$TEST_ROOT/c.db
t 'a large import into a small store: ten indexes built at its end; a report meanwhile, or after a kill, reads without them, the same' '
	rm -f new.db && cmp-add --db new.db --customer a -m one >/dev/null &&
	indexes new.db >all && [ $(wc -l <all) -ge 30 ] &&
	closed 2500 L >load && paused "$C" load &&
	indexes "$C" >during.idx &&
	LC_ALL=C comm -23 all during.idx | cut -d"|" -f1 >deferred &&
	[ $(wc -l <deferred) = 10 ] &&
	grep -qx journal_field_at deferred && grep -qx complaint_deadlines deferred &&
	grep -qx complaint_phone_digits deferred && grep -qx complaint_due_reply_met deferred &&
	[ -z "$(LC_ALL=C comm -13 all during.idx)" ] &&
	report "$C" --period 2026-10 >during &&
	cmp-list --db "$C" --customer 13900000007 --fields ref --format tsv >caller &&
	printf "ref\nL-7\n" >want && test_cmp want caller &&
	kill -9 $pid && { wait $pid || true; } && exec 3>&- &&
	report "$C" --period 2026-10 >killed && test_cmp during killed &&
	# The counts from SQL: the 2,000 stored, all received, acknowledged
	# and replied to in October, Beijing time.
	[ "$(sqlite3 -batch "$C" "SELECT count(*) FROM complaint WHERE received_at >= \"2026-09-30T16:00:00Z\" AND received_at < \"2026-10-31T16:00:00Z\" AND acknowledged_at < \"2026-10-31T16:00:00Z\" AND replied_at < \"2026-10-31T16:00:00Z\"")" = 2000 ] &&
	jq -e ".counts.received == 2000 and .counts.acknowledged == 2000 and .counts.replied == 2000 and .counts.resolved == 0" during &&
	# The same store with the indexes made as a new store has them:
	# the same report.
	sqlite3 -batch "$C" ".backup copy.db" &&
	sqlite3 -batch new.db "SELECT sql || \";\" FROM sqlite_schema WHERE type = \"index\" AND name IN ($(sed "s/.*/\"&\"/" deferred | paste -sd,))" >make.sql &&
	sqlite3 -batch copy.db <make.sql && indexes copy.db >copy.idx && test_cmp all copy.idx &&
	report copy.db --period 2026-10 >indexed && test_cmp during indexed
'

t 'the next load makes them again, as a new store has them; the store intact' '
	closed 2100 M | CMP_NOW=2027-01-10T00:00:00Z run cmp-add --db "$C" &&
	expect_status 0 && [ $(wc -l <out) = 2100 ] &&
	indexes "$C" >got && test_cmp all got &&
	[ "$(sqlite3 -batch "$C" "PRAGMA integrity_check")" = ok ] &&
	report "$C" --period 2026-10 >after &&
	jq -e ".counts.received == 4100" after
'

t 'a load into a store with a long journal keeps every index throughout' '
	rm -f "$C" && cmp-add --db "$C" --customer a -m one >/dev/null &&
	sqlite3 -batch "$C" "INSERT INTO journal_entry(complaint_id, at, field, new)
		WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 131072)
		SELECT 1, \"2026-01-01T00:00:00Z\", \"tags\", \"x\" FROM k" &&
	closed 2500 K >load && paused "$C" load &&
	indexes "$C" >got && test_cmp all got &&
	kill -9 $pid && { wait $pid || true; } && exec 3>&-
'

t 'the end of a load past the busy timeout: a warning, every record stored and printed, exit 0; the next load ends it' '
	rm -f "$C" && closed 4000 E >load &&
	export CMP_BUSY_TIMEOUT=300 && paused "$C" load 4000
	# The lock holder without the pipe: cmp-add reads its end when
	# this shell closes it, not when the holder exits.  The lock of SQLite,
	# under make check-pg too: this store is a file.
	{ exec 3>&-; CMP_TEST_PG= CMP_DB=$C hold_write_lock 3; } &
	wait_locked && exec 3>&- &&
	wait $pid && wait &&
	grep -q "warning: every record is stored, but the end of the load failed: .*busy" load.err &&
	[ $(wc -l <loaded) = 4000 ] &&
	[ "$(sqlite3 -batch "$C" "SELECT count(*) FROM complaint")" = 4000 ] &&
	indexes "$C" >got && ! test_cmp all got >/dev/null &&
	closed 2001 F | CMP_NOW=2027-01-10T00:00:00Z run cmp-add --db "$C" &&
	expect_status 0 && expect_empty err &&
	indexes "$C" >got && test_cmp all got
'

done_testing
