#!/bin/sh
# cmp-add with a record that says when it was true (updated_at, or the
# column a map names): its changes journalled then; with --update, a
# record older than the stored complaint skipped with a note, no error.
. "${0%/*}/../lib.sh"

# rec SEVERITY UPDATED_AT: ticket T-1 as another system had it then.
rec() {
	printf '{"ref":"T-1","received_at":"2026-11-02T10:00:00Z","summary":"leak","customer":{"name":"Li"},"severity":"%s","updated_at":"%s"}\n' "$1" "$2"
}

t 'an added record true at a moment: updated then, recorded when received' '
	rec normal 2026-11-02T11:00:00Z | run cmp-add && expect_status 0 && expect_empty err &&
	jq -e ".id == 1 and .updated_at == \"2026-11-02T11:00:00Z\" and .created_at == \"2026-11-02T10:00:00Z\"" out &&
	[ "$(sql "SELECT at || \"|\" || field || \"|\" || new FROM journal")" = "2026-11-02T10:00:00Z|status|new" ]
'

t '--update: the change journalled at the record'"'"'s updated_at, not now' '
	rec high 2026-11-05T09:00:00Z | run cmp-add --update && expect_status 0 && expect_empty err &&
	jq -e ".severity == \"high\" and .updated_at == \"2026-11-05T09:00:00Z\"" out &&
	[ "$(sql "SELECT at FROM journal WHERE field = \"severity\" AND old = \"normal\" AND new = \"high\"")" = 2026-11-05T09:00:00Z ] &&
	[ "$(sql "SELECT count(*) FROM journal WHERE at = \"$CMP_NOW\"")" = 0 ] &&
	[ "$(sql "SELECT updated_at FROM complaints WHERE id = 1")" = 2026-11-05T09:00:00Z ]
'

t 'an older record is skipped: a note, the stored complaint printed, exit 0' '
	before=$(sql "SELECT count(*) FROM journal") &&
	rec low 2026-11-04T09:00:00Z | run cmp-add --update && expect_status 0 &&
	expect_err "cmp-add: -:1: updated_at: skipped: 2026-11-04T09:00:00Z is older than complaint 1 (ref '\''T-1'\''), updated at 2026-11-05T09:00:00Z" &&
	jq -e ".id == 1 and .severity == \"high\"" out &&
	[ "$(sql "SELECT count(*) FROM journal")" = "$before" ] &&
	[ "$(sql "SELECT severity FROM complaints WHERE id = 1")" = high ]
'

t 'the same content true later: updated_at moves on, nothing journalled; then an update between is older' '
	before=$(sql "SELECT count(*) FROM journal") &&
	rec high 2026-11-07T09:00:00Z | run cmp-add --update && expect_status 0 && expect_empty err &&
	[ "$(sql "SELECT updated_at FROM complaints WHERE id = 1")" = 2026-11-07T09:00:00Z ] &&
	[ "$(sql "SELECT count(*) FROM journal")" = "$before" ] &&
	rec low 2026-11-06T09:00:00Z | run cmp-add --update && expect_status 0 &&
	grep -q "skipped: 2026-11-06T09:00:00Z is older than complaint 1" err
'

t 'a batch in any order: each row applied or skipped by its time, the latest wins' '
	{ rec critical 2026-11-09T09:00:00Z; rec low 2026-11-08T09:00:00Z; rec normal 2026-11-10T09:00:00Z; } |
		run cmp-add --update && expect_status 0 &&
	[ $(wc -l <err) = 1 ] && grep -q "^cmp-add: -:2: updated_at: skipped: 2026-11-08T09:00:00Z" err &&
	[ $(wc -l <out) = 3 ] &&
	sql "SELECT at || \" \" || old || \" \" || new FROM journal WHERE field = \"severity\" ORDER BY at" >got &&
	printf "%s\n" "2026-11-05T09:00:00Z normal high" "2026-11-09T09:00:00Z high critical" \
		"2026-11-10T09:00:00Z critical normal" >want &&
	test_cmp want got
'

t 'an updated_at in the future or before the receipt is refused (65)' '
	rec low 2026-12-01T00:00:00Z | run cmp-add --update && expect_status 65 &&
	expect_err "cmp-add: -:1: updated_at: 2026-12-01T00:00:00Z is in the future (now is $CMP_NOW): a record is true at a moment past" &&
	rec low 2026-11-01T00:00:00Z | run cmp-add --update && expect_status 65 &&
	expect_err "cmp-add: -:1: updated_at: 2026-11-01T00:00:00Z is before received_at 2026-11-02T10:00:00Z" &&
	[ "$(sql "SELECT severity FROM complaints WHERE id = 1")" = normal ]
'

t 'a record edited from cmp-list: its updated_at dates the change; removed, the change is now' '
	stored=$(sql "SELECT updated_at FROM complaints WHERE id = 1") &&
	[ "$stored" = 2026-11-10T09:00:00Z ] &&
	cmp-list --id 1 | jq -c ".severity = \"high\"" | run cmp-add --update &&
	expect_status 0 && expect_empty err &&
	[ "$(sql "SELECT max(at) FROM journal WHERE field = \"severity\" AND old = \"normal\" AND new = \"high\"")" = "$stored" ] &&
	cmp-list --id 1 | jq -c ".severity = \"critical\" | del(.updated_at)" | run cmp-add --update &&
	expect_status 0 && expect_empty err &&
	[ "$(sql "SELECT at FROM journal WHERE field = \"severity\" AND new = \"critical\" ORDER BY at DESC LIMIT 1")" = "$CMP_NOW" ]
'

t 'without updated_at an update is journalled now, as before' '
	printf "{\"ref\":\"T-1\",\"summary\":\"leak\",\"customer\":{\"name\":\"Li\"},\"severity\":\"low\"}\n" |
		run cmp-add --update && expect_status 0 && expect_empty err &&
	[ "$(sql "SELECT at FROM journal WHERE field = \"severity\" AND new = \"low\"")" = "$CMP_NOW" ]
'

# A map names the column: the rows of another system's change log.
t 'a map names the column that says when a row was true' '
	rm -f "$CMP_DB" &&
	cat >log.map.yaml <<-EOF &&
	fields:
	  ref: Ticket
	  received_at: Opened
	  summary: Subject
	  customer.name: {value: caller}
	  severity: Priority
	  updated_at: Changed
	EOF
	printf "%s\r\n" "Ticket,Opened,Subject,Priority,Changed" \
		"A-1,2026-11-02 09:00,no heating,normal,2026-11-02 09:05" \
		"A-1,2026-11-02 09:00,no heating,critical,2026-11-03 08:00" \
		"A-1,2026-11-02 09:00,no heating,high,2026-11-02 17:00" >log.csv &&
	run cmp-add --update --map log.map.yaml log.csv && expect_status 0 &&
	expect_err "cmp-add: log.csv:4: updated_at: skipped: 2026-11-02T09:00:00Z is older than complaint 1 (ref '\''A-1'\''), updated at 2026-11-03T00:00:00Z" &&
	sql "SELECT at || \" \" || field || \" \" || coalesce(old, \"-\") || \" \" || new FROM journal WHERE field IN (\"status\", \"severity\") ORDER BY at" >got &&
	printf "%s\n" "2026-11-02T01:00:00Z status - new" "2026-11-03T00:00:00Z severity normal critical" >want &&
	test_cmp want got &&
	[ "$(sql "SELECT severity || \" \" || updated_at FROM complaints")" = "critical 2026-11-03T00:00:00Z" ]
'

# A closed ticket whose log says its severity changed while it was open
# and again after it was resolved: the change while open moves the
# resolve deadline (as cmp-update would have then); the one after keeps
# the met deadline.  critical: resolve in 1d, 24x7 (config.yaml).
closed() {
	printf '{"ref":"T-2","received_at":"2026-11-02T10:00:00Z","summary":"leak","customer":{"name":"Li"},"status":"closed","resolution":{"type":"repair","resolved_at":"2026-11-06T10:00:00Z"},"closed_at":"2026-11-07T10:00:00Z","severity":"%s","updated_at":"%s"}\n' "$1" "$2"
}

t 'a dated change of severity before the resolution moves the deadline, one after does not' '
	rm -f "$CMP_DB" &&
	closed normal 2026-11-02T11:00:00Z | run cmp-add && expect_status 0 && expect_empty err &&
	normal=$(jq -r .due.resolve out) && [ "$normal" != 2026-11-03T10:00:00Z ] &&
	closed critical 2026-11-03T09:00:00Z | run cmp-add --update && expect_status 0 && expect_empty err &&
	jq -e ".severity == \"critical\" and .due.resolve == \"2026-11-03T10:00:00Z\"" out &&
	closed low 2026-11-08T09:00:00Z | run cmp-add --update && expect_status 0 && expect_empty err &&
	jq -e ".severity == \"low\" and .due.resolve == \"2026-11-03T10:00:00Z\"" out &&
	printf "{\"ref\":\"T-2\",\"summary\":\"leak\",\"customer\":{\"name\":\"Li\"},\"severity\":\"high\"}\n" |
		run cmp-add --update && expect_status 0 &&
	jq -e ".due.resolve == \"2026-11-03T10:00:00Z\"" out
'

# An imported history dates its steps after the row that brought it: a
# later row may change other fields at its time, but a change of status
# before the last step would put the journal's statuses out of time.
t 'a dated change of status before the imported history'"'"'s last step is refused (65)' '
	rm -f "$CMP_DB" &&
	closed normal 2026-11-02T11:00:00Z | cmp-add >/dev/null &&
	printf "{\"ref\":\"T-2\",\"summary\":\"leak\",\"customer\":{\"name\":\"Li\"},\"status\":\"resolved\",\"closed_at\":null,\"updated_at\":\"%s\"}\n" \
		2026-11-04T09:00:00Z 2026-11-08T09:00:00Z >rows &&
	run cmp-add --update rows && expect_status 65 &&
	expect_err "cmp-add: rows:1: status: a change to resolved at 2026-11-04T09:00:00Z is before complaint 1'"'"'s last step, at 2026-11-07T10:00:00Z" &&
	[ $(wc -l <out) = 1 ] &&
	sql "SELECT at || \" \" || coalesce(old, \"-\") || \" \" || new FROM journal WHERE field = \"status\" ORDER BY rowid" >got &&
	printf "%s\n" "2026-11-02T10:00:00Z - new" "2026-11-06T10:00:00Z new resolved" \
		"2026-11-07T10:00:00Z resolved closed" "2026-11-08T09:00:00Z closed resolved" >want &&
	test_cmp want got
'

done_testing
