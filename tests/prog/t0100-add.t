#!/bin/sh
# cmp-add: flags mode, stdin mode, errors, batches, --atomic, --dry-run,
# replays by ref.
. "${0%/*}/../lib.sh"

t 'one complaint from flags, printed as stored' '
	run cmp-add --customer "王先生" --phone 13800138000 -m "Leak at the inlet" &&
	expect_status 0 && expect_empty err &&
	[ $(wc -l <out) = 1 ] &&
	jq -e ".id == 1 and .status == \"new\" and .customer.name == \"王先生\"
	       and .summary == \"Leak at the inlet\" and .received_at == \"2026-11-20T01:15:00Z\"
	       and .recorded_by == \"tester\" and .accountable == \"tester\"
	       and .channel == \"other\" and .severity == \"normal\"
	       and .customer.tier == \"regular\" and .escalation == 0" out
'

t 'deadlines come from the SLA in the business calendar' '
	run cmp-add --customer A -m x &&
	jq -e ".due.ack == \"2026-11-20T05:15:00Z\"
	       and .due.reply == \"2026-11-23T01:15:00Z\"
	       and .due.resolve == \"2026-11-27T01:15:00Z\"" out
'

t 'a key account gets the tier SLA and the rule tag' '
	run cmp-add --customer B --tier key -m x &&
	jq -e ".due.ack == \"2026-11-20T02:15:00Z\" and .tags == [\"key-account\"]" out
'

t 'routing rules classify by keyword (Chinese too)' '
	run cmp-add --customer C --description "门店卖假烟，要求退货" &&
	jq -e ".category == \"product-quality\" and .severity == \"critical\"
	       and .department == \"quality\"" out &&
	run cmp-add --customer C --description "It is a FAKE product" &&
	jq -e ".severity == \"critical\"" out
'

t 'flags given as input win over rules' '
	run cmp-add --customer C --severity low -m "counterfeit goods" &&
	jq -e ".severity == \"low\" and .category == \"product-quality\"" out
'

t 'stdin: NDJSON, arrays and pretty objects, one line out per record' '
	printf "%s\n" "{\"summary\":\"a\",\"customer\":{\"name\":\"x\"}}" \
		"[{\"summary\":\"b\",\"customer\":{\"email\":\"b@example.cn\"}}," \
		" {\"summary\":\"c\",\"customer\":{\"phone\":\"123\"}}]" \
		"{" "  \"summary\": \"d\"," "  \"customer\": {\"name\": \"y\"}" "}" >in &&
	run cmp-add <in && expect_status 0 &&
	[ $(wc -l <out) = 4 ] &&
	jq -r .summary out | tr -d "\n" >got && [ "$(cat got)" = abcd ]
'

t 'field flags are defaults for stdin records' '
	echo "{\"summary\":\"s\",\"customer\":{\"name\":\"z\"}}
{\"summary\":\"t\",\"channel\":\"email\",\"customer\":{\"name\":\"z\"}}" |
	run cmp-add --channel phone --tag import &&
	jq -s -e ".[0].channel == \"phone\" and .[1].channel == \"email\"
	          and .[0].tags == [\"import\"]" out
'

t 'a bad record is reported with its line and skipped, the rest stored' '
	rm -f "$CMP_DB" &&
	printf "%s\n" "{\"summary\":\"ok1\",\"customer\":{\"name\":\"a\"}}" \
		"{\"summary\":\"bad\",\"customer\":{\"name\":\"a\"},\"severity\":\"apocalyptic\"}" \
		"{\"summary\":\"ok2\",\"customer\":{\"name\":\"a\"}}" >in &&
	run cmp-add <in && expect_status 65 &&
	expect_err "cmp-add: -:2: severity: '"'"'apocalyptic'"'"' is not a severity" &&
	jq -r .summary out >got && printf "ok1\nok2\n" >want && test_cmp want got &&
	[ "$(sql "SELECT count(*) FROM complaints")" = 2 ]
'

t 'type errors name the field path' '
	echo "{\"summary\":\"s\",\"customer\":{\"phone\":13800138000}}" | run cmp-add &&
	expect_status 65 &&
	expect_err "cmp-add: -:1: customer.phone: expected a string, got number"
'

t 'unknown keys are errors; free data goes under attrs' '
	echo "{\"summary\":\"s\",\"customer\":{\"name\":\"n\"},\"colour\":\"red\"}" | run cmp-add &&
	expect_status 65 && grep -q "colour: unknown field" err &&
	echo "{\"summary\":\"s\",\"customer\":{\"name\":\"n\"},\"attrs\":{\"colour\":\"red\",\"n\":[1,2.50,1e400]}}" |
	run cmp-add && expect_status 0 &&
	grep -q "\"attrs\":{\"colour\":\"red\",\"n\":\[1,2.50,1e400\]}" out
'

t 'required fields: a summary or description, a customer name, phone or email' '
	echo "{\"customer\":{\"name\":\"n\"}}" | run cmp-add && expect_status 65 &&
	grep -q "summary: a summary or a description is required" err &&
	echo "{\"summary\":\"s\"}" | run cmp-add && expect_status 65 &&
	grep -q "customer: a customer name, phone or email is required" err
'

t 'invalid UTF-8 is a data error, never stored' '
	rm -f "$CMP_DB" &&
	printf "{\"summary\":\"\\377bad\",\"customer\":{\"name\":\"n\"}}\n" | run cmp-add &&
	expect_status 65 && grep -q "^cmp-add: -:1:" err &&
	[ "$(sql "SELECT count(*) FROM complaints")" = 0 ]
'

t 'a syntax error says line and column' '
	printf "{\"summary\":\"s\",\n \"customer\": {\"name\": tru}}\n" | run cmp-add &&
	expect_status 65 && grep -q "^cmp-add: -:2:" err
'

t '--atomic: one bad record and nothing is stored or printed' '
	rm -f "$CMP_DB" &&
	printf "%s\n" "{\"summary\":\"ok\",\"customer\":{\"name\":\"a\"}}" \
		"{\"summary\":\"bad\",\"customer\":{\"name\":\"a\"},\"tier\":1}" >in &&
	run cmp-add --atomic <in && expect_status 65 && expect_empty out &&
	[ "$(sql "SELECT count(*) FROM complaints")" = 0 ] &&
	grep -q "nothing stored" err
'

t '--atomic: all good, all stored and printed' '
	rm -f "$CMP_DB" &&
	printf "%s\n" "{\"summary\":\"a\",\"customer\":{\"name\":\"a\"}}" \
		"{\"summary\":\"b\",\"customer\":{\"name\":\"a\"}}" | run cmp-add --atomic &&
	expect_status 0 && [ $(wc -l <out) = 2 ] &&
	[ "$(sql "SELECT count(*) FROM complaints")" = 2 ]
'

t '--dry-run validates and prints, storing nothing' '
	rm -f "$CMP_DB" &&
	run cmp-add --dry-run --customer a -m s && expect_status 0 &&
	jq -e ".id == 1" out &&
	[ "$(sql "SELECT count(*) FROM complaints")" = 0 ]
'

t 'a replay with the same ref and content is a no-op printing the stored record' '
	rm -f "$CMP_DB" &&
	echo "{\"ref\":\"CC-1\",\"summary\":\"s\",\"customer\":{\"name\":\"n\"}}" >in &&
	run cmp-add <in && cp out first &&
	CMP_NOW=2026-11-21T00:00:00Z run cmp-add <in && expect_status 0 &&
	test_cmp first out &&
	[ "$(sql "SELECT count(*) FROM complaints")" = 1 ] &&
	[ "$(sql "SELECT count(*) FROM journal")" = 1 ]
'

t 'the same ref with other content is refused unless --update' '
	echo "{\"ref\":\"CC-1\",\"summary\":\"changed\",\"customer\":{\"name\":\"n\"}}" >in2 &&
	run cmp-add <in2 && expect_status 65 &&
	grep -q "ref: .CC-1. is already complaint 1 with different content" err &&
	[ "$(sql "SELECT summary FROM complaints")" = s ] &&
	run cmp-add --update --note "corrected" <in2 && expect_status 0 &&
	jq -e ".id == 1 and .summary == \"changed\"" out &&
	[ "$(sql "SELECT field || \"|\" || old || \"|\" || new || \"|\" || note FROM journal WHERE field = \"summary\"")" = "summary|s|changed|corrected" ] &&
	run cmp-add --update <in2 && expect_status 0 &&
	[ "$(sql "SELECT count(*) FROM journal")" = 2 ]
'

t 'the stored fingerprint is a 32-digit hash; a store that kept the canonical text still knows a replay' '
	rm -f "$CMP_DB" &&
	echo "{\"ref\":\"L-1\",\"summary\":\"s\",\"customer\":{\"name\":\"n\"},\"attrs\":{\"x\":1.50}}" >in &&
	run cmp-add <in && cp out first &&
	sql "SELECT fingerprint FROM complaint" | grep -qx "[0-9a-f]\{32\}" &&
	sql "UPDATE complaint SET fingerprint = '"'"'{\"ref\":\"L-1\",\"customer\":{\"name\":\"n\"},\"summary\":\"s\",\"attrs\":{\"x\":1.50}}'"'"'" &&
	CMP_NOW=2026-11-21T00:00:00Z run cmp-add <in && expect_status 0 &&
	test_cmp first out &&
	sed "s/1.50/1.5/" in >in2 && run cmp-add <in2 && expect_status 65 &&
	grep -q "different content" err &&
	[ "$(sql "SELECT count(*) FROM journal")" = 1 ]
'

under_valgrind 'records are printed only after they are committed (busy store: nothing out)' ||
t 'records are printed only after they are committed (busy store: nothing out)' '
	rm -f "$CMP_DB" && cmp-add --customer a -m s >/dev/null &&
	{ hold_write_lock 2 & } &&
	wait_locked &&
	CMP_BUSY_TIMEOUT=200 run cmp-add --customer b -m t &&
	wait && expect_status 75 && expect_empty out &&
	grep -q "is busy" err
'

t 'files as operands, named in messages' '
	echo "{\"summary\":\"s\"}" >one.json &&
	run cmp-add one.json && expect_status 65 &&
	grep -q "^cmp-add: one.json:1: customer:" err &&
	run cmp-add missing.json && expect_status 66 &&
	grep -q "cannot open .missing.json." err
'

t 'empty input: no records, exit 0' '
	run cmp-add </dev/null && expect_status 0 && expect_empty out && expect_empty err
'

t 'usage: --help, --version, bad options' '
	run cmp-add --help && expect_status 0 && grep -q "^usage: cmp-add" out &&
	run cmp-add --version && expect_status 0 && grep -q "^cmp-add (complaint) " out &&
	run cmp-add --bogus && expect_status 64 && grep -q "usage: cmp-add" err &&
	run cmp-add --input-format xml && expect_status 64
'

sqlite_only 'the store is created 0600, in WAL mode' 'a file and its journal mode' ||
t 'the store is created 0600, in WAL mode' '
	rm -f "$CMP_DB" && cmp-add --customer a -m s >/dev/null &&
	[ "$(stat -c %a "$CMP_DB")" = 600 ] &&
	[ "$(sql "PRAGMA journal_mode")" = wal ]
'

t 'a new store has the views' '
	rm -f "$CMP_DB" && cmp-add --customer a -m s >/dev/null &&
	sql "SELECT customer_name, due_resolve, resolution_amount, tags FROM complaints" >got &&
	[ "$(cat got)" = "a|2026-11-27T01:15:00Z||[]" ] &&
	sql "SELECT complaint_id, actor, program, field, old, new FROM journal" >got &&
	[ "$(cat got)" = "1|tester|cmp-add|status||new" ]
'

t 'the default store lives under XDG_DATA_HOME' '
	unset CMP_DB && run cmp-add --customer a -m s && expect_status 0 &&
	[ -f "$XDG_DATA_HOME/complaint/complaints.db" ] &&
	[ "$(stat -c %a "$XDG_DATA_HOME/complaint")" = 700 ]
'

t 'out of warranty and likely duplicates are flagged, not refused' '
	rm -f "$CMP_DB" &&
	echo "{\"summary\":\"s\",\"customer\":{\"phone\":\"13800138000\"},\"product\":{\"name\":\"CF-200\",\"delivered_on\":\"2025-04-10\",\"failed_on\":\"2026-11-18\"}}" >in &&
	run cmp-add <in && jq -e ".out_of_warranty == true and .possible_duplicate_of == null" out &&
	run cmp-add <in && jq -e ".id == 2 and .possible_duplicate_of == 1" out &&
	echo "{\"summary\":\"s\",\"customer\":{\"phone\":\"13800138000\"},\"product\":{\"name\":\"CF-200\",\"delivered_on\":\"2026-04-10\"}}" |
	run cmp-add && jq -e ".out_of_warranty == false" out
'

t 'a long import is committed in batches, each printed after its commit' '
	rm -f "$CMP_DB" &&
	i=0; while [ $i -lt 5000 ]; do
		echo "{\"summary\":\"n$i\",\"customer\":{\"name\":\"c$i\"}}"; i=$((i+1));
	done >big &&
	run cmp-add <big && expect_status 0 &&
	[ $(wc -l <out) = 5000 ] &&
	[ "$(sql "SELECT count(*) FROM complaints")" = 5000 ] &&
	[ "$(jq -r .id out | sort -n | uniq | wc -l)" = 5000 ]
'

t 'a bulk load: its text index finds what it loaded' '
	rm -f "$CMP_DB" &&
	jq -nc "range(9000) | {summary: \"热水器漏水 \(.)\",
		description: \"tank \(.) leaks\", customer: {name: \"c\(.)\"}}" >bulk &&
	run cmp-add <bulk && expect_status 0 && [ $(wc -l <out) = 9000 ] &&
	run cmp-list --text "\"tank 17 leaks\"" && jq -e ".id == 18" out &&
	run cmp-list --text "\"tank 8999 leaks\"" && jq -e ".id == 9000" out
'

# The store of the bulk load above: on PostgreSQL, vacuumed and analyzed
# at its end (the dialect's after_load), as autovacuum would do only a
# minute or so later.
if on_pg; then
t 'a bulk load ends by vacuuming and analyzing its tables (PostgreSQL)' '
	[ "$(sql "SELECT count(*) FROM pg_stat_user_tables WHERE relname IN
		('"'complaint', 'journal_entry', 'tag', 'followup'"')
		AND last_vacuum IS NOT NULL AND last_analyze IS NOT NULL")" = 4 ] &&
	[ "$(sql "SELECT reltuples FROM pg_class WHERE relname = '"'complaint'"'")" = 9000 ]
'
else
	skip 'a bulk load ends by vacuuming and analyzing its tables (PostgreSQL)' 'PostgreSQL only: its statistics'
fi

sqlite_only 'a bulk load leaves its text index merged, as single adds keep it' 'the FTS5 index'"'"'s segments' ||
t 'a bulk load leaves its text index merged, as single adds keep it' '
	[ "$(sql "SELECT v FROM complaint_text_config WHERE k = '"'automerge'"'")" = 4 ] &&
	segs=$(sql "SELECT count(DISTINCT segid) FROM complaint_text_idx") &&
	echo "segments: $segs" && [ "$segs" -lt 4 ] &&
	sql "INSERT INTO complaint_text(complaint_text, rank)
		VALUES ('"'integrity-check'"', 1)"
'

# The text index takes a long transaction's complaints 2,000 at a time
# (an --atomic load's): each once.
t 'an --atomic load: its text index holds each complaint once' '
	rm -f "$CMP_DB" &&
	head -n 4500 bulk >atomic &&
	run cmp-add --atomic <atomic && expect_status 0 && [ $(wc -l <out) = 4500 ] &&
	for k in 1999 2000 2001 4001 4499; do
		run cmp-list --text "\"tank $k leaks\"" &&
		[ $(wc -l <out) = 1 ] && jq -e ".id == $((k + 1))" out || exit 1
	done &&
	# rank 1: checked against the complaints too, not only itself
	{ on_pg || sql "INSERT INTO complaint_text(complaint_text, rank)
		VALUES ('"'integrity-check'"', 1)"; }
'

if command -v strace >/dev/null 2>&1; then
t 'batches: 5000 records take a handful of commits, not 5000' '
	rm -f "$CMP_DB" && cmp-add --customer a -m s >/dev/null &&
	ASAN_OPTIONS=detect_leaks=0 strace -f -c -o trace -e trace=fsync,fdatasync cmp-add <big >out 2>err &&
	syncs=$(awk "/fsync|fdatasync/ { n += \$4 } END { print n + 0 }" trace) &&
	echo "syncs: $syncs" && [ "$syncs" -lt 50 ] && [ $(wc -l <out) = 5000 ]
'
else
	skip 'batches: 5000 records take a handful of commits' 'strace not installed'
fi

done_testing
