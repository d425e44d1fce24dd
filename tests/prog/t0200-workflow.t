#!/bin/sh
# The lifecycle through cmp-assign, cmp-update, cmp-close, cmp-followup.
. "${0%/*}/../lib.sh"

# Friday 2026-11-20 09:15 in Shanghai.
export CMP_NOW=2026-11-20T01:15:00Z

add() {
	cmp-add --customer "王先生" --phone 13800138000 -m "${1:-leak}" "$@" >/dev/null
}

status_of() {
	sql "SELECT status FROM complaints WHERE id = $1"
}

t 'assign: to a department, new -> assigned, acknowledged, printed' '
	add && add &&
	CMP_NOW=2026-11-20T02:00:00Z run cmp-assign --dept quality 1 &&
	expect_status 0 && expect_empty err &&
	jq -e ".id == 1 and .status == \"assigned\" and .owner == \"li.gang\"
	       and .department == \"quality\" and .accountable == \"tester\"
	       and .acknowledged_at == \"2026-11-20T02:00:00Z\"" out &&
	[ "$(status_of 2)" = new ]
'

t 'the journal records each change: who, which program, old, new, note' '
	sql "SELECT actor, program, field, coalesce(old, \"null\"), new FROM journal WHERE complaint_id = 1 ORDER BY rowid" >got &&
	cat >want <<-EOF &&
	tester|cmp-add|status|null|new
	tester|cmp-assign|status|new|assigned
	tester|cmp-assign|department|null|quality
	tester|cmp-assign|owner|null|li.gang
	tester|cmp-assign|acknowledged_at|null|2026-11-20T02:00:00Z
	EOF
	test_cmp want got
'

t '--actor and CMP_ACTOR name who acts; --note is kept' '
	CMP_ACTOR=zhang.wei run cmp-assign --to zhao.min --note "she knows CF-200" 1 &&
	[ "$(sql "SELECT actor || \"|\" || note FROM journal WHERE field = \"owner\" AND new = \"zhao.min\"")" = "zhang.wei|she knows CF-200" ] &&
	run cmp-assign --actor boss --to li.gang 1 &&
	[ "$(sql "SELECT count(*) FROM journal WHERE new = \"li.gang\" AND actor = \"boss\"")" = 1 ]
'

t 'ids on stdin: bare lines and NDJSON records' '
	add && add &&
	printf "3\n4\n" | run cmp-assign --to sun.li && expect_status 0 &&
	[ $(wc -l <out) = 2 ] &&
	cmp-list --id 3 | run cmp-assign --to zhao.min && jq -e ".owner == \"zhao.min\"" out
'

t 'an unknown id: 66, the others still handled' '
	run cmp-assign --to sun.li 2 999 && expect_status 66 &&
	grep -q "no complaint 999" err && jq -e ".id == 2" out &&
	[ "$(sql "SELECT owner FROM complaints WHERE id = 2")" = sun.li ]
'

t 'escalate climbs the department ladder; the top is an error' '
	run cmp-assign --escalate 1 && jq -e ".escalation == 1 and .owner == \"wang.lead\"" out &&
	cmp-assign --escalate 1 >/dev/null && cmp-assign --escalate 1 >/dev/null &&
	run cmp-assign --escalate 1 && expect_status 65 && expect_empty out &&
	grep -q "at the top of the ladder" err &&
	[ "$(sql "SELECT owner FROM complaints WHERE id = 1")" = ceo ]
'

t '--auto applies the routing rules' '
	cmp-add --customer x -m "counterfeit valves" >/dev/null &&
	run cmp-assign --auto 5 && expect_status 0 &&
	jq -e ".department == \"quality\" and .owner == \"li.gang\" and .status == \"assigned\"" out
'

t 'usage errors: no action, modes mixed, no ids' '
	run cmp-assign 1 && expect_status 64 &&
	run cmp-assign --to a --escalate 1 && expect_status 64 &&
	run cmp-assign --to a </dev/null; true
'

t 'update: --set validated fields, dotted paths, tags, root cause' '
	run cmp-update --set customer.email=wang@example.cn --set product.name=CF-200 \
		--tag vip --tag repeat --root-cause "gasket batch 2026-09" 1 &&
	expect_status 0 &&
	jq -e ".customer.email == \"wang@example.cn\" and .product.name == \"CF-200\"
	       and .tags == [\"vip\",\"repeat\"] and .root_cause == \"gasket batch 2026-09\"" out &&
	run cmp-update --untag repeat 1 && jq -e ".tags == [\"vip\"]" out &&
	run cmp-update --set severity=apocalyptic 1 && expect_status 65 &&
	grep -q "severity: .apocalyptic. is not a severity" err &&
	run cmp-update --set status=closed 1 && expect_status 64 &&
	run cmp-update --set customer.phone= --set customer.name= --set customer.email= 1 &&
	expect_status 65 && grep -q "customer name, phone or email is required" err
'

t 'changing the severity recomputes the deadlines not met' '
	add && id=$(sql "SELECT max(id) FROM complaints") &&
	run cmp-update --set severity=critical $id &&
	jq -e ".due.ack == \"2026-11-20T02:15:00Z\" and .due.resolve == \"2026-11-21T01:15:00Z\"" out
'

t 'a note alone is journalled' '
	run cmp-update --note "customer called again" 2 && expect_status 0 &&
	[ "$(sql "SELECT count(*) FROM journal WHERE complaint_id = 2 AND field IS NULL AND note = \"customer called again\"")" = 1 ]
'

t 'wait and resume: deadlines shift by the paused working time' '
	add && id=$(sql "SELECT max(id) FROM complaints") &&
	CMP_NOW=2026-11-20T02:00:00Z cmp-assign --to li.gang $id >/dev/null &&
	CMP_NOW=2026-11-20T02:15:00Z run cmp-update --wait "photos of the leak" $id &&
	jq -e ".status == \"waiting\" and .wait_reason == \"photos of the leak\"" out &&
	CMP_NOW=2026-11-23T02:15:00Z run cmp-update --resume $id &&
	jq -e ".status == \"assigned\" and .due.reply == \"2026-11-24T01:15:00Z\" and .waiting_since == null" out
'

t 'a refused transition changes nothing and says why' '
	before=$(sql "SELECT count(*) FROM journal") &&
	run cmp-update --resume 2 && expect_status 65 && expect_empty out &&
	grep -q "complaint 2 is assigned: it cannot be resumed" err &&
	run cmp-close --close 2 && expect_status 65 &&
	run cmp-close --reopen "not valid" 2 && expect_status 65 &&
	[ "$(sql "SELECT count(*) FROM journal")" = "$before" ]
'

t 'resolve: above the approval threshold without an approver is 77' '
	run cmp-close --resolve compensation --amount 5000 1 && expect_status 77 &&
	grep -q "above the approval threshold" err && expect_empty out &&
	[ "$(status_of 1)" = assigned ] &&
	run cmp-close --resolve compensation --amount 5000 --approved-by chen.manager --note "paid" 1 &&
	expect_status 0 &&
	jq -e ".status == \"resolved\" and .resolution.amount == 5000 and .resolution.currency == \"CNY\"
	       and .resolution.approved_by == \"chen.manager\" and (.followups | length) == 1
	       and .followups[0].due_at == \"2026-11-23T01:15:00Z\"" out
'

t 'close needs the satisfaction bar, or --force with a note' '
	run cmp-close --close 1 && expect_status 65 && grep -q "no satisfaction of 4" err &&
	run cmp-close --close --force 1 && expect_status 64 &&
	[ "$(status_of 1)" = resolved ]
'

t 'a follow-up below the bar reopens the complaint' '
	CMP_NOW=2026-11-23T02:00:00Z run cmp-followup --done --satisfaction 2 1 &&
	expect_status 0 &&
	jq -e ".status == \"assigned\" and .reopened == 1 and .satisfaction == 2
	       and .resolution.type == null" out
'

t 'resolved again, satisfied, closed' '
	cmp-close --resolve repair 1 >/dev/null &&
	CMP_NOW=2026-11-24T02:00:00Z cmp-followup --done --satisfaction 5 1 >/dev/null &&
	run cmp-close --close 1 && expect_status 0 && jq -e ".status == \"closed\"" out
'

t 'reject a new complaint, close it, reopen it' '
	add && id=$(sql "SELECT max(id) FROM complaints") &&
	run cmp-close --reject "duplicate of 1" $id && jq -e ".status == \"rejected\" and .resolution.note == \"duplicate of 1\"" out &&
	run cmp-close --close $id && jq -e ".status == \"closed\"" out &&
	run cmp-close --reopen "customer insists" $id &&
	jq -e ".status == \"assigned\" and .reopened == 1" out &&
	[ "$(sql "SELECT note FROM journal WHERE complaint_id = $id AND field = \"reopened\"")" = "customer insists" ]
'

t 'followup: --in and --at schedule, --log meets reply, --due lists' '
	run cmp-followup --in 2d 2 && jq -e ".followups[-1].due_at == \"2026-11-22T01:15:00Z\"" out &&
	run cmp-followup --at "2026-11-21 10:00" --channel phone 2 &&
	jq -e ".followups[-1].due_at == \"2026-11-21T02:00:00Z\" and .followups[-1].channel == \"phone\"" out &&
	CMP_NOW=2026-11-20T03:00:00Z run cmp-followup --log "called: a technician comes Monday" --channel phone 2 &&
	jq -e ".replied_at == \"2026-11-20T03:00:00Z\"" out &&
	run cmp-followup --due && expect_empty out &&
	run cmp-followup --due 2026-11-21T03:00:00Z && [ "$(jq -r .id out)" = 2 ] &&
	run cmp-followup --due 2026-11-23 && [ "$(jq -r .id out | sort -n | tr "\n" " ")" = "2 " ]
'

t 'dry-run changes nothing' '
	before=$(sql "SELECT count(*) FROM journal") &&
	run cmp-assign --dry-run --to someone 2 && jq -e ".owner == \"someone\"" out &&
	[ "$(sql "SELECT owner FROM complaints WHERE id = 2")" != someone ] &&
	[ "$(sql "SELECT count(*) FROM journal")" = "$before" ]
'

t 'the morning pipeline: overdue -> escalate -> follow up tomorrow' '
	rm -f "$CMP_DB" &&
	add && add && add &&
	cmp-assign --dept service 1 2 >/dev/null &&
	CMP_NOW=2026-11-25T01:00:00Z run sh -c "cmp-list --overdue | cmp-assign --escalate | cmp-followup --in 1d" &&
	expect_status 0 && expect_empty err &&
	[ $(wc -l <out) = 3 ] &&
	jq -s -e "map(.owner) == [\"wang.lead\",\"wang.lead\",\"wang.lead\"] and map(.department) == [\"service\",\"service\",null] and map(.followups[-1].due_at) == [\"2026-11-26T01:00:00Z\",\"2026-11-26T01:00:00Z\",\"2026-11-26T01:00:00Z\"]" out
'

t 'cron: --auto-escalate one level per 4h overdue (more in t0220)' '
	# reply was due Monday 09:15 Shanghai: 4h late at 13:15 (05:15Z).
	rm -f "$CMP_DB" && add && cmp-assign --dept service --ack 1 >/dev/null &&
	CMP_NOW=2026-11-23T05:00:00Z run cmp-assign --auto-escalate &&
	expect_status 0 && expect_empty out &&
	CMP_NOW=2026-11-23T06:00:00Z run cmp-assign --auto-escalate &&
	expect_status 0 && [ "$(jq -r .owner out)" = wang.lead ] &&
	CMP_NOW=2026-11-23T07:00:00Z run cmp-assign --auto-escalate &&
	expect_empty out && [ "$(sql "SELECT escalation FROM complaints")" = 1 ] &&
	CMP_NOW=2026-11-28T06:00:00Z run cmp-assign --auto-escalate &&
	[ "$(jq -r .owner out)" = ceo ]
'

under_valgrind 'several processes changing different complaints at once: nothing lost' ||
t 'several processes changing different complaints at once: nothing lost' '
	rm -f "$CMP_DB" &&
	export CMP_BUSY_TIMEOUT=60000 &&	# a slow machine (valgrind) waits
	i=0; while [ $i -lt 40 ]; do echo "{\"summary\":\"c$i\",\"customer\":{\"name\":\"n\"}}"; i=$((i+1)); done | cmp-add >/dev/null &&
	pids= && p=0 &&
	while [ $p -lt 8 ]; do
		( j=1; while [ $j -le 5 ]; do
			id=$((p * 5 + j)); cmp-assign --to "agent$p" $id >/dev/null || exit 1
			cmp-update --tag "t$p" $id >/dev/null || exit 1; j=$((j+1)); done ) &
		pids="$pids $!"; p=$((p+1))
	done &&
	for pid in $pids; do wait $pid; done &&
	[ "$(sql "SELECT count(*) FROM complaints WHERE status = \"assigned\"")" = 40 ] &&
	[ "$(sql "SELECT count(*) FROM journal WHERE field = \"tags\"")" = 40 ] &&
	[ "$(sql "SELECT count(DISTINCT owner) FROM complaints")" = 8 ]
'

t 'a batch read ahead (cmp_store_read_ahead): an id given twice sees its own change' '
	rm -f "$CMP_DB" &&
	i=0; while [ $i -lt 300 ]; do echo "{\"summary\":\"c$i\",\"customer\":{\"name\":\"n\"}}"; i=$((i+1)); done | cmp-add >/dev/null &&
	run cmp-followup --in 2d 2 && expect_status 0 &&
	{ seq 1 300; echo 1; } >ids &&
	run cmp-update --tag x <ids && expect_status 0 && expect_empty err &&
	[ $(wc -l <out) = 300 ] &&
	[ "$(jq -r ".id" out | sort -n | uniq | wc -l)" = 300 ] &&
	[ "$(jq "select(.id == 2) | .followups | length" out)" = 1 ] &&
	[ "$(jq -c "select(.tags != [\"x\"])" out | wc -l)" = 0 ] &&
	[ "$(sql "SELECT count(*) FROM journal WHERE field = \"tags\"")" = 300 ] &&
	printf "2\n2\n" | CMP_NOW=2026-11-20T02:00:00Z run cmp-followup --in 1d &&
	expect_status 0 && [ $(wc -l <out) = 2 ] &&
	[ "$(jq -s ".[0].followups | length" out)" = 2 ] &&
	[ "$(jq -s ".[1].followups | length" out)" = 3 ]
'

done_testing
