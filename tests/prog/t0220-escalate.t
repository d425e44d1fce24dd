#!/bin/sh
# Escalation that never drops a complaint (issue 22): escalation.ladder
# for complaints without a department or a department's ladder; one
# level per escalation.after_overdue, not per missed deadline; the top of
# the ladder is no error; NDJSON out, the journal kept; a rejected
# complaint's reply deadline; the accountable person unchanged.
. "${0%/*}/../lib.sh"

# Friday 2026-11-20 14:00 in Shanghai: the ack is due at 18:00 (4
# working hours), the reply on Monday 14:00.
export CMP_NOW=2026-11-20T06:00:00Z

add() {
	cmp-add --customer "王先生" --phone 13800138000 -m "${1:-leak}" >/dev/null
}

# at EPOCH: the RFC 3339 time of a Unix time.
at() {
	date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ
}

# epoch TIME: the Unix time of an RFC 3339 time.
epoch() {
	date -u -d "$1" +%s
}

level_of() {
	sql "SELECT escalation FROM complaints WHERE id = $1"
}

t 'no department: escalation.ladder, accountable unchanged, journalled' '
	add &&
	CMP_NOW=2026-11-20T14:00:00Z run cmp-assign --auto-escalate &&
	expect_status 0 && expect_empty err && [ $(wc -l <out) = 1 ] &&
	jq -e ".id == 1 and .escalation == 1 and .owner == \"wang.lead\"
	       and .department == null and .accountable == \"tester\"
	       and .status == \"assigned\" and .acknowledged_at == null" out &&
	[ "$(sql "SELECT accountable || \"|\" || recorded_by FROM complaints WHERE id = 1")" = "tester|tester" ] &&
	sql "SELECT at, program, field, coalesce(old, \"null\"), new FROM journal WHERE complaint_id = 1 AND program = \"cmp-assign\" ORDER BY rowid" >got &&
	cat >want <<-EOF &&
	2026-11-20T14:00:00Z|cmp-assign|status|new|assigned
	2026-11-20T14:00:00Z|cmp-assign|owner|null|wang.lead
	2026-11-20T14:00:00Z|cmp-assign|escalation|0|1
	EOF
	sort want >w && sort got >g && test_cmp w g
'

# The worked example of cmp-assign(1) and complaint.yaml(5):
# after_overdue 4h, overdue since Friday 18:00 (Shanghai), cron every
# half hour: level 1 at 22:00, 2 at Saturday 02:00, 3 (the top, ceo) at
# 06:00, and there it stays.
t 'the worked example: half-hourly from Friday 18:00 to Saturday 08:00' '
	rm -f "$CMP_DB" && add &&
	start=$(epoch 2026-11-20T10:00:00Z) && now=$start && : >levels &&
	while [ $now -le $((start + 14 * 3600)) ]; do
		CMP_NOW=$(at $now) run cmp-assign --auto-escalate &&
		expect_status 0 && expect_empty err &&
		if [ -s out ]; then
			jq -e -c "{id, escalation, owner}" out >>printed
		fi &&
		# a second run at the same moment does nothing
		CMP_NOW=$(at $now) run cmp-assign --auto-escalate &&
		expect_status 0 && expect_empty out && expect_empty err &&
		echo "$(TZ=Asia/Shanghai date -d @$now "+%a %H:%M") $(level_of 1)" >>levels &&
		now=$((now + 1800))
	done &&
	grep -E " (17|18|21|22|01|02|05|06|07):[03]0 " levels >got &&
	cat >want <<-EOF &&
	Fri 18:00 0
	Fri 18:30 0
	Fri 21:00 0
	Fri 21:30 0
	Fri 22:00 1
	Fri 22:30 1
	Sat 01:00 1
	Sat 01:30 1
	Sat 02:00 2
	Sat 02:30 2
	Sat 05:00 2
	Sat 05:30 2
	Sat 06:00 3
	Sat 06:30 3
	Sat 07:00 3
	Sat 07:30 3
	EOF
	test_cmp want got &&
	[ $(wc -l <levels) = 29 ] &&
	cat >want <<-EOF &&
	{"id":1,"escalation":1,"owner":"wang.lead"}
	{"id":1,"escalation":2,"owner":"chen.manager"}
	{"id":1,"escalation":3,"owner":"ceo"}
	EOF
	test_cmp want printed &&
	sql "SELECT at, old, new FROM journal WHERE complaint_id = 1 AND field = \"escalation\" ORDER BY rowid" >got &&
	printf "%s\n" "2026-11-20T14:00:00Z|0|1" "2026-11-20T18:00:00Z|1|2" "2026-11-20T22:00:00Z|2|3" >want &&
	test_cmp want got
'

t 'runs missed: one level per after_overdue passed, then 4h from that run' '
	rm -f "$CMP_DB" && add &&
	# first run Saturday 05:00: 11h overdue, two periods of 4h
	CMP_NOW=2026-11-20T21:00:00Z run cmp-assign --auto-escalate &&
	expect_status 0 && jq -e ".escalation == 2 and .owner == \"chen.manager\"" out &&
	CMP_NOW=2026-11-21T00:59:59Z run cmp-assign --auto-escalate &&
	expect_status 0 && expect_empty out && [ "$(level_of 1)" = 2 ] &&
	CMP_NOW=2026-11-21T01:00:00Z run cmp-assign --auto-escalate &&
	expect_status 0 && jq -e ".escalation == 3 and .owner == \"ceo\"" out
'

cat >long.yaml <<'EOF'
escalation:
  after_overdue: 1d
  ladder: [l0, l1, l2, l3, l4, l5, l6, l7, l8, l9]
EOF

t 'a week late, three deadlines missed: levels by the time, not the deadlines' '
	rm -f "$CMP_DB" &&
	export CMP_CONFIG=long.yaml CMP_NOW=2026-11-16T01:15:00Z && add &&
	export CMP_NOW=2026-11-24T05:15:00Z &&
	# independently: whole days since the earliest unmet deadline
	want=$(sql "SELECT CAST((julianday(\"$CMP_NOW\") - julianday(min(due_ack, due_reply, due_resolve))) AS INTEGER) FROM complaints WHERE id = 1") &&
	[ "$want" = 8 ] &&
	[ "$(sql "SELECT count(*) FROM complaints WHERE due_ack < \"$CMP_NOW\" AND due_reply < \"$CMP_NOW\" AND due_resolve < \"$CMP_NOW\"")" = 1 ] &&
	run cmp-assign --auto-escalate && expect_status 0 && expect_empty err &&
	jq -e ".escalation == $want and .owner == \"l$want\"" out
'

t 'at the top of the ladder: exit 0, nothing printed; --escalate by hand is 65' '
	rm -f "$CMP_DB" && add && cmp-assign --dept service --ack 1 >/dev/null &&
	CMP_NOW=2026-11-30T06:00:00Z run cmp-assign --auto-escalate &&
	expect_status 0 && expect_empty err && jq -e ".owner == \"ceo\" and .escalation == 3 and .department == \"service\"" out &&
	CMP_NOW=2026-12-03T06:00:00Z run cmp-assign --auto-escalate &&
	expect_status 0 && expect_empty err && expect_empty out &&
	CMP_NOW=2026-12-03T06:00:00Z run cmp-assign --escalate 1 &&
	expect_status 65 && expect_empty out &&
	expect_err "cmp-assign: complaint 1 is at the top of the ladder of '"'"'service'"'"' with ceo"
'

cat >legal.yaml <<'EOF'
departments:
  legal: {members: [qian.fa]}
rules: []
escalation: {ladder: [desk, boss]}
EOF

t 'a department without a ladder climbs escalation.ladder' '
	rm -f "$CMP_DB" && export CMP_CONFIG=legal.yaml && add &&
	cmp-assign --dept legal 1 >/dev/null &&
	[ "$(sql "SELECT owner FROM complaints")" = qian.fa ] &&
	CMP_NOW=2026-11-23T10:00:00Z run cmp-assign --auto-escalate &&
	expect_status 0 && expect_empty err &&
	jq -e ".department == \"legal\" and .owner == \"boss\" and .escalation == 1" out
'

t 'no ladder at all: 65 naming escalation.ladder, the others still escalated' '
	rm -f "$CMP_DB" && add && add &&
	cmp-assign --dept quality 2 >/dev/null &&
	printf "escalation: {ladder: null}\n" >none.yaml &&
	# Monday 18:00: both replies 4h late
	CMP_CONFIG=none.yaml CMP_NOW=2026-11-23T10:00:00Z run cmp-assign --auto-escalate &&
	expect_status 65 &&
	expect_err "cmp-assign: complaint 1 has no ladder to escalate along (no department and escalation.ladder is empty)" &&
	jq -e ".id == 2 and .owner == \"wang.lead\"" out && [ $(wc -l <out) = 1 ]
'

t 'escalation.ladder must be a list of names' '
	printf "escalation: {ladder: {a: b}}\n" >bad.yaml &&
	CMP_CONFIG=bad.yaml run cmp-assign --auto-escalate &&
	expect_status 78 && grep -q "escalation.ladder: expected a list" err
'

t 'rejected, reply missed: listed overdue and escalated until answered' '
	rm -f "$CMP_DB" && add && add &&
	CMP_NOW=2026-11-20T07:00:00Z cmp-close --reject "not ours" 1 >/dev/null &&
	# Saturday: the ack is missed but stopped with the rejection
	export CMP_NOW=2026-11-21T02:00:00Z &&
	[ "$(cmp-list --overdue --fields id --format tsv | tail -n +2)" = 2 ] &&
	run cmp-assign --auto-escalate && expect_status 0 &&
	[ "$(jq -r .id out)" = 2 ] &&
	[ "$(level_of 1)" = 0 ] &&
	# Monday 18:00: the reply, due at 14:00, 4h late
	export CMP_NOW=2026-11-23T10:00:00Z &&
	cmp-list --overdue --fields id,status --format tsv >got &&
	printf "id\tstatus\n1\trejected\n2\tassigned\n" >want && test_cmp want got &&
	run cmp-assign --auto-escalate && expect_status 0 && expect_empty err &&
	jq -s -e "map(select(.id == 1))[0] | .status == \"rejected\" and .escalation == 1 and .owner == \"wang.lead\" and .accountable == \"tester\"" out &&
	[ "$(sql "SELECT new FROM journal WHERE complaint_id = 1 AND field = \"escalation\"")" = 1 ] &&
	CMP_NOW=2026-11-23T11:00:00Z cmp-followup --log "told him why" 1 >/dev/null &&
	export CMP_NOW=2026-11-24T10:00:00Z &&
	[ "$(cmp-list --overdue --fields id --format tsv | tail -n +2)" = 2 ] &&
	run cmp-assign --auto-escalate 1 && expect_status 0 && expect_empty out &&
	[ "$(level_of 1)" = 1 ] &&
	run cmp-assign --auto-escalate 1 && expect_status 0 && expect_empty out
'

t 'cmp-show agrees: a rejected complaint'"'"'s ack and resolve stopped, its reply runs' '
	rm -f "$CMP_DB" && add &&
	CMP_NOW=2026-11-20T07:00:00Z cmp-close --reject "not ours" 1 >/dev/null &&
	CMP_NOW=2026-11-23T10:00:00Z run cmp-show 1 && expect_status 0 &&
	jq -c ".deadlines | map_values({left_seconds, late_seconds, stopped})" out >got &&
	# Friday 15:00 (rejected) to 18:00: 3 working hours left of the ack;
	# the reply, due Monday 14:00, is 4h late at 18:00
	echo "{\"ack\":{\"left_seconds\":10800,\"late_seconds\":null,\"stopped\":true},\"reply\":{\"left_seconds\":null,\"late_seconds\":14400,\"stopped\":false},\"resolve\":{\"left_seconds\":158400,\"late_seconds\":null,\"stopped\":true}}" >want &&
	test_cmp want got &&
	CMP_NOW=2026-11-23T10:00:00Z run cmp-show --format text 1 &&
	grep -q "^    ack     due 2026-11-20 18:00, 3h left, clock stopped;" out &&
	grep -q "^    reply   due 2026-11-23 14:00, 4h late; started" out &&
	CMP_NOW=2026-11-23T11:00:00Z cmp-close --reopen "after all" 1 >/dev/null &&
	CMP_NOW=2026-11-23T11:00:00Z run cmp-show 1 &&
	jq -e ".deadlines.ack.stopped == false and .deadlines.ack.late_seconds == 32400" out
'

t 'ids: operands limit it, "-" reads stdin, none looks at the whole store' '
	rm -f "$CMP_DB" && add && add && add &&
	export CMP_NOW=2026-11-20T14:00:00Z &&
	run cmp-assign --auto-escalate 2 && [ "$(jq -r .id out)" = 2 ] &&
	echo "{\"id\": 3}" | run cmp-assign --auto-escalate - &&
	expect_status 0 && [ "$(jq -r .id out)" = 3 ] &&
	echo 3 | run cmp-assign --auto-escalate && expect_status 0 &&
	[ "$(jq -r .id out)" = 1 ] &&
	sql "SELECT id, escalation FROM complaints ORDER BY id" >got &&
	printf "1|1\n2|1\n3|1\n" >want && test_cmp want got
'

t 'a waiting complaint: only what was late when it began to wait counts' '
	rm -f "$CMP_DB" && add && cmp-assign --to li.gang 1 >/dev/null &&
	CMP_NOW=2026-11-20T08:00:00Z cmp-update --wait "photos" 1 >/dev/null &&
	CMP_NOW=2026-11-30T08:00:00Z run cmp-assign --auto-escalate &&
	expect_status 0 && expect_empty out && [ "$(level_of 1)" = 0 ]
'

done_testing
