#!/bin/sh
# Consistency on the way in (issue 21): cmp-add refuses a record whose
# lifecycle times are out of order or in the future, whose status
# disagrees with its resolution, whose compensation lacks the approver
# cmp-close would ask for, or whose owner or department the
# configuration does not know: 65, one message naming the field, the
# input's other records stored.
. "${0%/*}/../lib.sh"

# Friday 2026-11-20 09:15 in Shanghai.
export CMP_NOW=2026-11-20T01:15:00Z

# One record per row: what it gives (besides a summary and a customer),
# the status cmp-add exits with, and its message (empty: none).  Times
# are before the clock unless a row is about the future.
cat >cases <<'EOF'
ack before received	"received_at":"2026-11-18T00:00:00Z","acknowledged_at":"2026-11-17T23:59:59Z"	65	acknowledged_at: 2026-11-17T23:59:59Z is before received_at 2026-11-18T00:00:00Z
ack at received	"received_at":"2026-11-18T00:00:00Z","acknowledged_at":"2026-11-18T00:00:00Z"	0	
resolved before ack	"status":"resolved","received_at":"2026-11-18T00:00:00Z","acknowledged_at":"2026-11-18T02:00:00Z","resolution":{"type":"repair","resolved_at":"2026-11-18T01:00:00Z"}	65	resolution.resolved_at: 2026-11-18T01:00:00Z is before acknowledged_at 2026-11-18T02:00:00Z
resolved before received, no ack	"status":"resolved","received_at":"2026-11-18T00:00:00Z","resolution":{"type":"repair","resolved_at":"2026-11-17T00:00:00Z"}	65	resolution.resolved_at: 2026-11-17T00:00:00Z is before received_at 2026-11-18T00:00:00Z
resolved before a defaulted received_at	"status":"resolved","resolution":{"type":"repair","resolved_at":"2026-11-19T00:00:00Z"}	65	resolution.resolved_at: 2026-11-19T00:00:00Z is before received_at 2026-11-20T01:15:00Z
times in order	"status":"resolved","received_at":"2026-11-18T00:00:00Z","acknowledged_at":"2026-11-18T01:00:00Z","replied_at":"2026-11-19T00:00:00Z","resolution":{"type":"repair","resolved_at":"2026-11-18T12:00:00Z"}	0	
replied before received	"received_at":"2026-11-18T00:00:00Z","replied_at":"2026-11-17T00:00:00Z"	65	replied_at: 2026-11-17T00:00:00Z is before received_at 2026-11-18T00:00:00Z
waiting before received	"status":"waiting","received_at":"2026-11-18T00:00:00Z","waiting_since":"2026-11-17T00:00:00Z"	65	waiting_since: 2026-11-17T00:00:00Z is before received_at 2026-11-18T00:00:00Z
received in 2099	"received_at":"2099-01-01T00:00:00Z"	65	received_at: 2099-01-01T00:00:00Z is in the future (now is 2026-11-20T01:15:00Z, intake.future_tolerance 1d)
received a day ahead: within the tolerance	"received_at":"2026-11-21T01:15:00Z"	0	
received a day and a second ahead	"received_at":"2026-11-21T01:15:01Z"	65	received_at: 2026-11-21T01:15:01Z is in the future (now is 2026-11-20T01:15:00Z, intake.future_tolerance 1d)
acknowledged in the future	"received_at":"2026-11-18T00:00:00Z","acknowledged_at":"2026-12-01T00:00:00Z"	65	acknowledged_at: 2026-12-01T00:00:00Z is in the future (now is 2026-11-20T01:15:00Z, intake.future_tolerance 1d)
new with a resolution type	"status":"new","resolution":{"type":"refund"}	65	resolution.type: a complaint that is new has no resolution
new with a resolution time	"received_at":"2026-11-18T00:00:00Z","resolution":{"resolved_at":"2026-11-19T00:00:00Z"}	65	resolution.resolved_at: a complaint that is new has no resolution
assigned with an amount	"status":"assigned","resolution":{"amount":10}	65	resolution.amount: a complaint that is assigned has no resolution
waiting with a resolution	"status":"waiting","resolution":{"type":"repair"}	65	resolution.type: a complaint that is waiting has no resolution
rejected with a resolution	"status":"rejected","resolution":{"type":"refund","note":"no"}	65	resolution.type: a complaint that is rejected has no resolution
rejected with its reason	"status":"rejected","resolution":{"note":"not our product"}	0	
resolved with nothing	"status":"resolved"	65	status: a complaint that is resolved says how or when: it needs resolution.type, resolution.resolved_at or resolution.note
resolved with a type	"status":"resolved","resolution":{"type":"apology"}	0	
closed with nothing	"status":"closed"	65	status: a complaint that is closed was resolved or rejected: it needs resolution.type, resolution.resolved_at or resolution.note
closed, resolved	"status":"closed","received_at":"2026-11-18T00:00:00Z","resolution":{"type":"repair","resolved_at":"2026-11-19T00:00:00Z"}	0	
closed, rejected with a reason	"status":"closed","resolution":{"note":"duplicate of a call"}	0	
closed as a duplicate	"status":"closed","duplicate_of":1	0	
over the threshold, no approver	"status":"resolved","resolution":{"type":"compensation","amount":99999}	65	resolution.approved_by: 99999 is above the approval threshold 1000: an approver is required
over the threshold, approved	"status":"resolved","resolution":{"type":"compensation","amount":99999,"approved_by":"chen.manager"}	0	
at the threshold	"status":"resolved","resolution":{"type":"compensation","amount":1000}	0	
unknown owner	"owner":"nobody"	65	owner: 'nobody' is not a member of a department or on its ladder
a member as owner	"owner":"zhao.min"	0	
a ladder holder as owner	"owner":"ceo","department":"service"	0	
unknown department	"department":"nowhere"	65	department: 'nowhere' is not a department
EOF

t 'each row: its exit status and its one message naming the field' '
	cmp-add --customer c -m "the store made" >/dev/null &&
	n=0
	while IFS="	" read -r name given want_status want_err; do
		n=$((n + 1))
		printf "{\"summary\":\"%s\",\"customer\":{\"name\":\"c\"},%s}\n" "$name" "$given" >in
		before=$(sql "SELECT count(*) FROM complaints")
		run cmp-add in
		[ "$status" = "$want_status" ] ||
			{ echo "$name: status $status, want $want_status"; cat err; exit 1; }
		after=$(sql "SELECT count(*) FROM complaints")
		if [ "$want_status" = 0 ]; then
			[ ! -s err ] || { echo "$name: stderr"; cat err; exit 1; }
			[ $after = $((before + 1)) ] || { echo "$name: not stored"; exit 1; }
		else
			printf "cmp-add: in:1: %s\n" "$want_err" >want
			test_cmp want err || { echo "$name"; exit 1; }
			[ ! -s out ] && [ $after = $before ] ||
				{ echo "$name: stored"; exit 1; }
		fi
	done <cases &&
	[ $n = 31 ]
'

t 'a mixed input: the good records stored, the bad ones reported in order' '
	rm -f "$CMP_DB" &&
	cat >in <<-EOF &&
	{"ref":"M-1","summary":"good","customer":{"name":"a"}}
	{"ref":"M-2","summary":"bad times","customer":{"name":"b"},"received_at":"2026-11-18T00:00:00Z","acknowledged_at":"2026-11-17T00:00:00Z"}
	{"ref":"M-3","summary":"good, closed","customer":{"name":"c"},"status":"closed","received_at":"2026-11-18T00:00:00Z","resolution":{"type":"repair","resolved_at":"2026-11-19T00:00:00Z"}}
	{"ref":"M-4","summary":"no approver","customer":{"name":"d"},"status":"resolved","resolution":{"type":"compensation","amount":5000}}
	{"ref":"M-5","summary":"stranger","customer":{"name":"e"},"owner":"stranger"}
	{"ref":"M-6","summary":"good, rejected","customer":{"name":"f"},"status":"rejected","resolution":{"note":"spam"}}
	EOF
	run cmp-add in && expect_status 65 &&
	cat >want <<-EOF &&
	cmp-add: in:2: acknowledged_at: 2026-11-17T00:00:00Z is before received_at 2026-11-18T00:00:00Z
	cmp-add: in:4: resolution.approved_by: 5000 is above the approval threshold 1000: an approver is required
	cmp-add: in:5: owner: '"'"'stranger'"'"' is not a member of a department or on its ladder
	EOF
	test_cmp want err &&
	[ "$(jq -r .ref out | tr "\n" " ")" = "M-1 M-3 M-6 " ] &&
	sql "SELECT ref, status, coalesce(resolution_type, \"-\") FROM complaints ORDER BY id" >got &&
	printf "M-1|new|-\nM-3|closed|repair\nM-6|rejected|-\n" >want && test_cmp want got
'

t 'CSV: the refused rows are named by their lines, the others stored' '
	rm -f "$CMP_DB" &&
	printf "summary,customer.name,status,resolution.type\na,b,new,\nc,d,closed,\ne,f,resolved,repair\ng,h,new,refund\n" >in.csv &&
	run cmp-add --input-format csv in.csv && expect_status 65 &&
	cat >want <<-EOF &&
	cmp-add: in.csv:3: status: a complaint that is closed was resolved or rejected: it needs resolution.type, resolution.resolved_at or resolution.note
	cmp-add: in.csv:5: resolution.type: a complaint that is new has no resolution
	EOF
	test_cmp want err &&
	[ "$(sql "SELECT group_concat(summary, \" \") FROM complaints")" = "a e" ]
'

t '--atomic: one inconsistent record and nothing is stored' '
	rm -f "$CMP_DB" &&
	printf "%s\n" "{\"summary\":\"a\",\"customer\":{\"name\":\"b\"}}" \
		"{\"summary\":\"c\",\"customer\":{\"name\":\"d\"},\"status\":\"closed\"}" >in &&
	run cmp-add --atomic in && expect_status 65 && expect_empty out &&
	grep -q "^cmp-add: in:2: status: " err &&
	[ "$(sql "SELECT count(*) FROM complaints")" = 0 ]
'

t '--update: the record as it would be stored is checked, the stored one kept' '
	rm -f "$CMP_DB" &&
	echo "{\"ref\":\"U-1\",\"summary\":\"s\",\"customer\":{\"name\":\"c\"},\"received_at\":\"2026-11-18T00:00:00Z\"}" | cmp-add >/dev/null &&
	echo "{\"ref\":\"U-1\",\"status\":\"closed\"}" | run cmp-add --update &&
	expect_status 65 && expect_empty out &&
	expect_err "cmp-add: -:1: status: a complaint that is closed was resolved or rejected: it needs resolution.type, resolution.resolved_at or resolution.note" &&
	echo "{\"ref\":\"U-1\",\"acknowledged_at\":\"2026-11-17T00:00:00Z\"}" | run cmp-add --update &&
	expect_status 65 &&
	expect_err "cmp-add: -:1: acknowledged_at: 2026-11-17T00:00:00Z is before received_at 2026-11-18T00:00:00Z" &&
	[ "$(sql "SELECT status || \" \" || coalesce(acknowledged_at, \"-\") FROM complaints")" = "new -" ] &&
	echo "{\"ref\":\"U-1\",\"status\":\"closed\",\"resolution\":{\"type\":\"repair\",\"resolved_at\":\"2026-11-19T00:00:00Z\"}}" | run cmp-add --update &&
	expect_status 0 && expect_empty err &&
	[ "$(sql "SELECT status || \" \" || resolution_type FROM complaints")" = "closed repair" ]
'

t '--update: an owner cmp-assign gave is not refused later; one given on input is' '
	rm -f "$CMP_DB" &&
	echo "{\"ref\":\"O-1\",\"summary\":\"s\",\"customer\":{\"name\":\"c\"}}" | cmp-add >/dev/null &&
	cmp-assign --to temp.worker 1 >/dev/null &&
	echo "{\"ref\":\"O-1\",\"summary\":\"s2\"}" | run cmp-add --update &&
	expect_status 0 && expect_empty err &&
	echo "{\"ref\":\"O-1\",\"owner\":\"another.stranger\"}" | run cmp-add --update &&
	expect_status 65 &&
	expect_err "cmp-add: -:1: owner: '"'"'another.stranger'"'"' is not a member of a department or on its ladder" &&
	[ "$(sql "SELECT summary || \" \" || owner FROM complaints")" = "s2 temp.worker" ]
'

t '--update: a complaint stored before the checks (closed, no resolution) takes a new summary' '
	rm -f "$CMP_DB" &&
	echo "{\"ref\":\"L-1\",\"summary\":\"s\",\"customer\":{\"name\":\"c\"},\"status\":\"closed\",\"resolution\":{\"type\":\"repair\"}}" | cmp-add >/dev/null &&
	sql "UPDATE complaint SET resolution_type = NULL, resolution_resolved_at = NULL" &&
	echo "{\"ref\":\"L-1\",\"summary\":\"s2\"}" | run cmp-add --update &&
	expect_status 0 && expect_empty err &&
	echo "{\"ref\":\"L-1\",\"status\":\"closed\",\"summary\":\"s3\"}" | run cmp-add --update &&
	expect_status 65 &&
	expect_err "cmp-add: -:1: status: a complaint that is closed was resolved or rejected: it needs resolution.type, resolution.resolved_at or resolution.note" &&
	[ "$(sql "SELECT summary FROM complaints")" = "s2" ]
'

t 'owners: a configuration that names no members or ladders knows no one to refuse' '
	rm -f "$CMP_DB" &&
	printf "departments:\n  quality: {label: Q}\nrules: []\n" >nomembers.yaml &&
	echo "{\"summary\":\"s\",\"customer\":{\"name\":\"c\"},\"owner\":\"anyone\",\"department\":\"quality\"}" >in &&
	CMP_CONFIG=nomembers.yaml run cmp-add in &&
	expect_status 0 && expect_empty err &&
	[ "$(sql "SELECT owner || \" \" || department FROM complaints")" = "anyone quality" ] &&
	echo "{\"summary\":\"s\",\"customer\":{\"name\":\"c\"},\"department\":\"logistics\"}" >in &&
	CMP_CONFIG=nomembers.yaml run cmp-add in && expect_status 65 &&
	expect_err "cmp-add: in:1: department: '"'"'logistics'"'"' is not a department"
'

t 'owners: who holds a level of escalation.ladder is known, though in no department' '
	rm -f "$CMP_DB" &&
	printf "departments:\n  quality: {label: Q, members: [li.gang]}\nescalation: {ladder: [li.gang, boss]}\nrules: []\n" >esc.yaml &&
	echo "{\"summary\":\"s\",\"customer\":{\"name\":\"c\"},\"owner\":\"boss\"}" >in &&
	CMP_CONFIG=esc.yaml run cmp-add in &&
	expect_status 0 && expect_empty err &&
	echo "{\"summary\":\"s\",\"customer\":{\"name\":\"c\"},\"owner\":\"nobody\"}" >in &&
	CMP_CONFIG=esc.yaml run cmp-add in && expect_status 65 &&
	expect_err "cmp-add: in:1: owner: '"'"'nobody'"'"' is not a member of a department or on its ladder"
'

t 'intake.future_tolerance: set in a configuration, null for no check, a bad one is 78' '
	rm -f "$CMP_DB" &&
	printf "intake: {future_tolerance: 2h}\n" >two.yaml &&
	echo "{\"summary\":\"s\",\"customer\":{\"name\":\"c\"},\"received_at\":\"2026-11-20T03:15:00Z\"}" >in &&
	CMP_CONFIG=two.yaml run cmp-add in && expect_status 0 &&
	echo "{\"summary\":\"s\",\"customer\":{\"name\":\"c\"},\"received_at\":\"2026-11-20T03:16:00Z\"}" >in &&
	CMP_CONFIG=two.yaml run cmp-add in && expect_status 65 &&
	expect_err "cmp-add: in:1: received_at: 2026-11-20T03:16:00Z is in the future (now is 2026-11-20T01:15:00Z, intake.future_tolerance 2h)" &&
	printf "intake: {future_tolerance: null}\n" >off.yaml &&
	echo "{\"summary\":\"s\",\"customer\":{\"name\":\"c\"},\"received_at\":\"2099-01-01T00:00:00Z\"}" >in &&
	CMP_CONFIG=off.yaml run cmp-add in && expect_status 0 &&
	[ "$(sql "SELECT group_concat(received_at, \" \") FROM complaints")" = "2026-11-20T03:15:00Z 2099-01-01T00:00:00Z" ] &&
	printf "timezone: UTC\nintake:\n  future_tolerance: soon\n" >bad.yaml &&
	CMP_CONFIG=bad.yaml run cmp-add in && expect_status 78 &&
	expect_err "cmp-add: bad.yaml:3:21: intake.future_tolerance: '"'"'soon'"'"' is not a duration (like 90m, 4h, 1d, 2w)" &&
	printf "intake: {tolerance: 1h}\n" >typo.yaml &&
	CMP_CONFIG=typo.yaml run cmp-add in && expect_status 78 &&
	grep -q "^cmp-add: typo.yaml:1:[0-9]*: intake.tolerance: " err
'

t 'the approval rule is the one cmp-close applies: 77 there, 65 on input' '
	rm -f "$CMP_DB" &&
	cmp-add --customer c -m s >/dev/null && cmp-assign --to li.gang 1 >/dev/null &&
	run cmp-close --resolve compensation --amount 99999 1 && expect_status 77 &&
	expect_err "cmp-close: resolution.amount: 99999 is above the approval threshold 1000: an approver is required (--approved-by)" &&
	printf "approval: {threshold: 100000}\n" >high.yaml &&
	echo "{\"summary\":\"s\",\"customer\":{\"name\":\"c\"},\"status\":\"resolved\",\"resolution\":{\"type\":\"compensation\",\"amount\":99999}}" >in &&
	CMP_CONFIG=high.yaml run cmp-add in && expect_status 0 && expect_empty err
'

done_testing
