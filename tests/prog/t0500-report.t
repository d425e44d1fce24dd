#!/bin/sh
# cmp-report: every figure against an independent computation (SQL in the
# sqlite3 shell over the documented views, awk for percentiles and
# limits), the alert and the calm case, --as-of, paused clocks, each
# format, the HTML page in a real browser, the CFPB sample, and the cron
# script share/complaint/examples/daily-report.sh.
. "${0%/*}/../lib.sh"

EXAMPLES=$CMP_TOP/share/complaint/examples

# Clocks that run round the clock, so deadlines are easy to reason about;
# four baseline periods for the control chart.
cat >config.yaml <<'EOF'
sla:
  calendar: 24x7
  default: {ack: 4h, reply: 1d, resolve: 5d}
report: {baseline: 4, sigma: 3, redact: false}
EOF
CMP_CONFIG=$TEST_ROOT/config.yaml
export CMP_CONFIG

# November 2026 in Asia/Shanghai, and the moment the report is made.
S=2026-10-31T16:00:00Z
U=2026-11-30T16:00:00Z
NOW=2026-12-01T02:00:00Z

# at LOCAL-TIME CMD...: run CMD with the clock at that Shanghai time.
at() {
	when=$1
	shift
	CMP_NOW="$when:00+08:00" "$@" >/dev/null
}

# add LOCAL-TIME CATEGORY [flags]: a complaint received then; its id.
add() {
	when=$1 cat=$2
	shift 2
	CMP_NOW="$when:00+08:00" cmp-add --received "${when%T*} ${when#*T}" \
		--category "$cat" --customer "张三丰" --phone 13800138000 \
		-m "$cat: $when" "$@" | jq -r .id
}

report() {
	CMP_NOW=$NOW cmp-report "$@"
}

# q SQL: a query on the store; :S, :U and :NOW stand for the period's
# bounds and the moment of the report, and "text" is a string (made
# 'text', so that it can never be taken for a column).
q() {
	sql "$(printf '%s' "$1" | sed -e "s/\"/'/g" \
		-e "s/:S/'$S'/g" -e "s/:U/'$U'/g" -e "s/:NOW/'$NOW'/g")"
}

# The history: July to October, ten complaints a month (billing 2,
# delivery 3, service 1, product quality 4), each month's rejected and
# closed before it ends.
baseline() {
	for m in 07 08 09 10; do
		d=2
		for c in billing billing delivery delivery delivery service \
			 product-quality product-quality product-quality \
			 product-quality; do
			printf '{"received_at":"2026-%s-%02dT10:00:00+08:00","category":"%s","summary":"old %s","customer":{"name":"李四"}}\n' \
				"$m" "$d" "$c" "$c"
			d=$((d + 2))
		done | CMP_NOW="2026-$m-25T12:00:00+08:00" cmp-add >/dev/null
		CMP_NOW="2026-$m-26T12:00:00+08:00" sh -c \
			'cmp-list --status new | cmp-close --reject "history" >/dev/null'
		CMP_NOW="2026-$m-27T12:00:00+08:00" sh -c \
			'cmp-list --status rejected | cmp-close --close >/dev/null'
	done
}

t 'the history: forty complaints, July to October, all closed' '
	baseline &&
	[ "$(q "SELECT count(*) FROM complaints WHERE status = \"closed\"")" = 40 ]
'

# November.  A: acknowledged, replied and resolved in time, followed up
# (satisfied), closed.  B: acknowledged late, never replied nor resolved.
# C: waits three days on the customer; its reply and resolution are in
# time only because the paused time counts.  D: rejected before its
# deadlines, closed.  E: resolved with a refund, a low score reopens it,
# resolved again, satisfied, closed.  F: untouched.  G: waiting on the
# customer while its deadlines pass (its clocks stand still).  Then
# fifteen billing complaints: the alert.
t 'November: seven complaints through their lifecycles, fifteen more' '
	A=$(add 2026-11-02T10:00 product-quality) && [ "$A" = 41 ] &&
	at 2026-11-02T11:00 cmp-assign --to li.gang $A &&
	at 2026-11-02T15:00 cmp-followup --log "called the customer" $A &&
	at 2026-11-04T14:00 cmp-close --resolve compensation --amount 500 $A &&
	at 2026-11-08T10:00 cmp-followup --done --satisfaction 5 $A &&
	at 2026-11-08T11:00 cmp-close --close $A &&
	B=$(add 2026-11-03T09:00 delivery) &&
	at 2026-11-03T15:00 cmp-assign --to sun.li $B &&
	C=$(add 2026-11-05T09:00 service) &&
	at 2026-11-05T10:00 cmp-assign --to zhang.wei $C &&
	at 2026-11-05T12:00 cmp-update --wait "documents" $C &&
	at 2026-11-08T12:00 cmp-update --resume $C &&
	at 2026-11-08T15:00 cmp-followup --log "called back" $C &&
	at 2026-11-12T10:00 cmp-close --resolve explanation $C &&
	D=$(add 2026-11-06T09:00 billing) &&
	at 2026-11-06T10:00 cmp-close --reject "not our product" $D &&
	at 2026-11-07T10:00 cmp-close --close $D &&
	E=$(add 2026-11-10T09:00 product-quality) &&
	at 2026-11-10T09:30 cmp-assign --to li.gang $E &&
	at 2026-11-11T08:00 cmp-close --resolve refund --amount 120 $E &&
	at 2026-11-14T10:00 cmp-followup --done --satisfaction 2 $E &&
	at 2026-11-15T10:00 cmp-close --resolve repair $E &&
	at 2026-11-18T11:00 cmp-followup --done --satisfaction 4 $E &&
	at 2026-11-18T12:00 cmp-close --close $E &&
	F=$(add 2026-11-20T09:00 delivery) &&
	G=$(add 2026-11-24T09:00 service) &&
	at 2026-11-24T09:30 cmp-assign --to zhang.wei $G &&
	at 2026-11-24T10:00 cmp-update --wait "a site visit" $G &&
	at 2026-11-25T10:00 cmp-update --root-cause "gasket batch 2026-09" $A $C $E $G &&
	at 2026-11-25T10:00 cmp-update --root-cause "courier" $B &&
	i=0 && while [ $i -lt 15 ]; do
		printf "{\"received_at\":\"2026-11-%02dT%02d:00:00+08:00\",\"category\":\"billing\",\"summary\":\"charged twice\",\"customer\":{\"name\":\"王五\",\"phone\":\"1390000%04d\"},\"attrs\":{\"shop\":\"S%d\"}}\n" \
			$((21 + i / 4)) $((9 + i % 4)) $i $((i % 3 + 1))
		i=$((i + 1))
	done | CMP_NOW=2026-11-25T18:00:00+08:00 cmp-add >/dev/null &&
	[ "$(q "SELECT status || reopened FROM complaints WHERE id = $E")" = closed1 ] &&
	[ "$(q "SELECT status FROM complaints WHERE id = $G")" = waiting ] &&
	[ "$(q "SELECT due_reply FROM complaints WHERE id = $C")" = 2026-11-09T01:00:00Z ]
'

t 'the report is one JSON object with the documented sections' '
	run report --period 2026-11 && expect_status 0 && expect_empty err &&
	[ $(wc -l <out) = 1 ] && cp out nov.json &&
	jq -e "keys == [\"breakdowns\",\"control\",\"counts\",\"deadlines\",\"followup\",\"money\",\"overdue\",\"pareto\",\"period\",\"redacted\",\"trend\"]" nov.json &&
	jq -e ".period == {name: \"2026-11\", unit: \"month\", since: \"$S\", until: \"$U\",
	       timezone: \"Asia/Shanghai\", as_of: null, generated_at: \"$NOW\"}" nov.json &&
	jq -e ".breakdowns | keys == [\"category\",\"channel\",\"customer.tier\",\"department\",\"product.name\",\"severity\"]" nov.json
'

t 'received: the count of an independent query, and by hand' '
	want=$(q "SELECT count(*) FROM complaints WHERE received_at >= :S AND received_at < :U") &&
	[ "$want" = 22 ] && [ "$(jq .counts.received nov.json)" = "$want" ]
'

t 'acknowledged, replied, resolved, closed, rejected, reopened: from the journal' '
	for f in acknowledged_at:acknowledged replied_at:replied; do
		want=$(q "SELECT count(DISTINCT complaint_id) FROM journal WHERE field = \"${f%:*}\" AND new IS NOT NULL AND at >= :S AND at < :U")
		[ "$(jq .counts.${f#*:} nov.json)" = "$want" ] || { echo "$f: want $want"; false; }
	done &&
	for s in resolved closed rejected; do
		want=$(q "SELECT count(DISTINCT complaint_id) FROM journal WHERE field = \"status\" AND old IS NOT NULL AND new = \"$s\" AND at >= :S AND at < :U")
		[ "$(jq .counts.$s nov.json)" = "$want" ] || { echo "$s: want $want"; false; }
	done &&
	want=$(q "SELECT count(DISTINCT complaint_id) FROM journal WHERE field = \"reopened\" AND at >= :S AND at < :U") &&
	[ "$(jq .counts.reopened nov.json)" = "$want" ] &&
	jq -e ".counts | [.acknowledged, .replied, .resolved, .closed, .rejected, .reopened] == [5, 3, 3, 3, 1, 1]" nov.json
'

# The status of each complaint at a moment: the last status the journal
# recorded before it (or, recorded later, the status it was recorded in).
open_at() {
	q "SELECT count(*) FROM complaints c WHERE received_at < $1 AND
	   coalesce((SELECT new FROM journal j WHERE j.complaint_id = c.id AND j.field = \"status\" AND j.at < $1 ORDER BY j.at DESC LIMIT 1),
	            (SELECT new FROM journal j WHERE j.complaint_id = c.id AND j.field = \"status\" ORDER BY j.at LIMIT 1))
	   IN (\"new\", \"assigned\", \"waiting\")"
}

t 'backlog at the end of the period, from the journal' '
	[ "$(jq .counts.backlog nov.json)" = "$(open_at :U)" ] &&
	jq -e ".counts.backlog == 18" nov.json &&
	report --period 2026-10 | jq -e ".counts.backlog == $(open_at :S) and .counts.backlog == 0" >/dev/null
'

t 'breakdowns by category, channel, department, severity, tier, product' '
	for f in category:category channel:channel department:department severity:severity \
		 customer_tier:customer.tier product_name:product.name; do
		q "SELECT coalesce(${f%%:*}, \"null\") || \"|\" || count(*) FROM complaints WHERE received_at >= :S AND received_at < :U GROUP BY ${f%%:*}" | sort >want
		jq -r ".breakdowns[\"${f#*:}\"][] | \"\(.key // \"null\")|\(.count)\"" nov.json | sort >got
		test_cmp want got || { echo "by ${f#*:}"; false; }
	done &&
	jq -e ".breakdowns.category[0] == {key: \"billing\", label: \"账务\", count: 16, share: 0.7273}" nov.json
'

# deadline K MET-COLUMN DUE-COLUMN: met and missed, independently.  A
# deadline counts in the period in which it fell due (cmp-report(1)).
deadline_check() {
	k=$1 met=$2 due=$3
	want_met=$(q "SELECT count(*) FROM complaints WHERE $due >= :S AND $due < :U AND $met <= $due")
	want_missed=$(q "SELECT count(*) FROM complaints c WHERE $due >= :S AND $due < :U
		AND ($met > $due OR ($met IS NULL AND $due < :NOW))
		AND coalesce((SELECT new FROM journal j WHERE j.complaint_id = c.id AND j.field = \"status\" AND j.at < c.$due ORDER BY j.at DESC LIMIT 1),
		             (SELECT new FROM journal j WHERE j.complaint_id = c.id AND j.field = \"status\" ORDER BY j.at LIMIT 1))
		    IN (\"new\", \"assigned\")")
	q "SELECT strftime(\"%s\", $met) - strftime(\"%s\", received_at) FROM complaints WHERE $due >= :S AND $due < :U AND $met >= received_at" >secs.$k
	want_median=$(nearest_rank 50 <secs.$k)
	want_p90=$(nearest_rank 90 <secs.$k)
	jq -e --argjson met "$want_met" --argjson missed "$want_missed" \
		--argjson median "$want_median" --argjson p90 "$want_p90" \
		".deadlines.$k | .met == \$met and .missed == \$missed and .due == \$met + \$missed
		 and .share_met == ((\$met / (\$met + \$missed)) * 10000 | round / 10000)
		 and .median_seconds == \$median and .p90_seconds == \$p90" nov.json >/dev/null ||
		{ echo "$k: want met $want_met missed $want_missed median $want_median p90 $want_p90"; jq -c .deadlines.$k nov.json; return 1; }
}

t 'deadline shares, medians and 90th percentiles, computed independently' '
	deadline_check ack acknowledged_at due_ack &&
	deadline_check reply replied_at due_reply &&
	deadline_check resolve resolution_resolved_at due_resolve
'

t 'deadlines by hand: pauses counted, a waiting clock is pending, not missed' '
	jq -e ".deadlines.ack == {counted: \"complaints whose acknowledgement fell due in the period\", due: 21, met: 4, missed: 17, pending: 0, share_met: 0.1905,
	        measured: 5, median_seconds: 3600, p90_seconds: 21600}" nov.json &&
	jq -e ".deadlines.reply == {counted: \"complaints whose first reply fell due in the period\", due: 19, met: 2, missed: 17, pending: 1, share_met: 0.1053,
	        measured: 3, median_seconds: 280800, p90_seconds: 349200}" nov.json &&
	jq -e ".deadlines.resolve == {counted: \"complaints whose resolution fell due in the period\", due: 20, met: 3, missed: 17, pending: 1, share_met: 0.15,
	        measured: 3, median_seconds: 435600, p90_seconds: 608400}" nov.json
'

t 'paused clocks: without the pause, C would have missed reply and resolve' '
	[ "$(q "SELECT replied_at > \"2026-11-06T01:00:00Z\" AND replied_at <= due_reply FROM complaints WHERE id = 43")" = 1 ] &&
	[ "$(q "SELECT resolution_resolved_at > \"2026-11-10T01:00:00Z\" AND resolution_resolved_at <= due_resolve FROM complaints WHERE id = 43")" = 1 ] &&
	jq -e ".overdue.complaints | map(.id) | index(47) == null" nov.json
'

t 'overdue at the end of the period: open, a deadline passed unmet, clock running' '
	want=$(q "SELECT count(*) FROM complaints WHERE received_at < :U
		AND status IN (\"new\", \"assigned\", \"waiting\") AND (
		   (due_ack < :U AND acknowledged_at IS NULL AND NOT (status = \"waiting\" AND due_ack >= waiting_since))
		OR (due_reply < :U AND replied_at IS NULL AND NOT (status = \"waiting\" AND due_reply >= waiting_since))
		OR (due_resolve < :U AND resolution_resolved_at IS NULL AND NOT (status = \"waiting\" AND due_resolve >= waiting_since)))") &&
	[ "$want" = 17 ] &&
	jq -e ".overdue.count == $want and (.overdue.complaints | length) == $want
	       and .overdue.at == \"$U\"" nov.json &&
	jq -e ".overdue.complaints[0] | .id == 42 and .deadlines == [\"reply\",\"resolve\"]
	       and .due == \"2026-11-04T01:00:00Z\" and .overdue_seconds == 2300400" nov.json
'

t '--overdue N lists the N most overdue, the count stays of all' '
	report --period 2026-11 --overdue 5 >five.json &&
	report --period 2026-11 --overdue 0 >all.json &&
	jq -e ".overdue.count == 17 and (.overdue.complaints | length) == 5" five.json &&
	jq -e "(.overdue.complaints | length) == 17" all.json &&
	jq -c ".overdue.complaints" five.json >a && jq -c ".overdue.complaints[0:5]" all.json >b &&
	cmp -s a b &&
	run report --period 2026-11 --overdue -1 && expect_status 64 &&
	grep -q "overdue" err
'

t 'follow-up: due, done, average satisfaction, share satisfied' '
	due=$(q "SELECT count(*) FROM followups WHERE due_at >= :S AND due_at < :U") &&
	done=$(q "SELECT count(*) FROM followups WHERE done_at >= :S AND done_at < :U") &&
	avg=$(q "SELECT round(avg(satisfaction), 2) FROM followups WHERE done_at >= :S AND done_at < :U") &&
	sat=$(q "SELECT count(*) FROM followups WHERE done_at >= :S AND done_at < :U AND satisfaction >= 4") &&
	jq -e ".followup == {due: $due, done: $done, scored: 3, average_satisfaction: $avg,
	        satisfied: $sat, share_satisfied: 0.6667, bar: 4}" nov.json &&
	jq -e ".followup | .due == 6 and .done == 5 and .average_satisfaction == 3.67" nov.json
'

t 'money: paid by resolution type and currency, a refund later undone included' '
	q "SELECT CAST(new AS REAL) FROM journal WHERE field = \"resolution.amount\" AND new IS NOT NULL AND at >= :S AND at < :U ORDER BY 1" >want &&
	printf "120.0\n500.0\n" >expected && test_cmp expected want &&
	jq -e ".money == [{type: \"compensation\", currency: \"CNY\", count: 1, amount: 500},
	                  {type: \"refund\", currency: \"CNY\", count: 1, amount: 120}]" nov.json
'

t 'Pareto: the fewest categories that make up 80%, and the root causes' '
	q "SELECT category, count(*) FROM complaints WHERE received_at >= :S AND received_at < :U GROUP BY 1 ORDER BY 2 DESC, 1" |
		awk -F"|" "{ n[NR] = \$1; c[NR] = \$2; t += \$2 }
		           END { for (i = 1; i <= NR && 5 * s < 4 * t; i++) { s += c[i]; print n[i] } }" >want &&
	jq -r ".pareto.category.vital_few[]" nov.json >got && test_cmp want got &&
	jq -e ".pareto.category.vital_few == [\"billing\", \"delivery\"]" nov.json &&
	jq -e ".pareto.root_cause | .total == 5 and .vital_few == [\"gasket batch 2026-09\"]
	       and .items[1] == {key: \"courier\", label: \"courier\", count: 1, share: 0.2,
	                         cumulative: 1, vital: false}" nov.json
'

t 'control chart: the baseline months, centre and limit, the alert' '
	for c in billing delivery service product-quality; do
		q "SELECT count(*) FROM complaints WHERE category = \"$c\" AND received_at >= \"2026-06-30T16:00:00Z\" AND received_at < :S GROUP BY strftime(\"%Y-%m\", received_at, \"+8 hours\") ORDER BY strftime(\"%Y-%m\", received_at, \"+8 hours\")" |
			tr "\n" " " >base
		now=$(q "SELECT count(*) FROM complaints WHERE category = \"$c\" AND received_at >= :S AND received_at < :U")
		awk -v now="$now" "{ for (i = 1; i <= NF; i++) s += \$i; c = s / NF;
			u = c + 3 * sqrt(c > 1 ? c : 1)
			printf \"%s %.2f %.2f %s\\n\", now, c, u, (now > u) ? \"true\" : \"false\" }" base >want
		jq -r ".control.categories[] | select(.key == \"$c\") |
			\"\(.count) \(.centre * 100 | round / 100 | tostring) \(.ucl) \(.alert)\"" nov.json |
			awk "{ printf \"%s %.2f %.2f %s\\n\", \$1, \$2, \$3, \$4 }" >got
		test_cmp want got || { echo "category $c"; false; }
		[ "$(jq -c ".control.categories[] | select(.key == \"$c\") | .baseline_counts" nov.json)" = "[$(sed "s/ *\$//; s/ /,/g" base)]" ] ||
			{ echo "$c baseline"; false; }
	done &&
	jq -e ".control | .alerts == [\"billing\"] and .baseline == 4 and .baseline_used == 4
	       and (.periods | map(.label)) == [\"2026-07\",\"2026-08\",\"2026-09\",\"2026-10\",\"2026-11\"]" nov.json
'

t '--fail-on-alert: exit 1 on the alert, the report still written' '
	run report --period 2026-11 --fail-on-alert && expect_status 1 &&
	expect_empty err && jq -e ".control.alerts == [\"billing\"]" out
'

t 'the calm case: October against the months before, which the store began in July' '
	run report --period 2026-10 --fail-on-alert && expect_status 0 &&
	jq -e ".control | .alerts == [] and .baseline_used == 3
	       and (.categories[] | select(.key == \"billing\") | .centre == 2 and .count == 2 and .alert == false)" out &&
	run report --period 2026-06 --fail-on-alert && expect_status 0 &&
	jq -e ".control.baseline_used == 0 and .counts.received == 0
	       and all(.control.categories[]; .ucl == null)" out
'

AS_OF="2026-11-04 12:00"
T=2026-11-04T04:00:00Z
t '--as-of: the figures as the data stood then, a later resolution still open' '
	run report --period 2026-11 --as-of "$AS_OF" && expect_status 0 && cp out asof.json &&
	jq -e ".period.as_of == \"$T\"" asof.json &&
	want=$(q "SELECT count(*) FROM complaints WHERE received_at >= :S AND received_at < :U AND created_at <= \"$T\"") &&
	jq -e ".counts.received == $want and $want == 2" asof.json &&
	want=$(q "SELECT count(DISTINCT complaint_id) FROM journal WHERE field = \"acknowledged_at\" AND new IS NOT NULL AND at >= :S AND at <= \"$T\"") &&
	jq -e ".counts.acknowledged == $want" asof.json &&
	jq -e ".counts.resolved == 0 and .counts.closed == 0" asof.json &&
	[ "$(jq .counts.backlog asof.json)" = "$(open_at "\"2026-11-04T04:00:01Z\"")" ] &&
	jq -e ".counts.backlog == 2" asof.json &&
	[ "$(q "SELECT status FROM complaints WHERE id = 41")" = closed ] &&
	jq -e ".overdue | .at == \"$T\" and .count == 1 and .complaints[0].id == 42
	       and .complaints[0].deadlines == [\"reply\"]" asof.json &&
	jq -e ".deadlines.ack | .met == 1 and .missed == 1" asof.json &&
	jq -e ".deadlines.resolve | .met == 0 and .missed == 0 and .pending == 2" asof.json
'

t '--as-of now is the report without it' '
	report --period 2026-11 --as-of "$NOW" | jq -S "del(.period.as_of)" >a &&
	jq -S "del(.period.as_of)" nov.json >b && test_cmp b a
'

t '--by: an ad-hoc pivot, a time field in the configured zone' '
	run report --period 2026 --by category,month && expect_status 0 &&
	q "SELECT coalesce(category, \"null\") || \"|\" || strftime(\"%Y-%m\", received_at, \"+8 hours\") || \"|\" || count(*)
	   FROM complaints WHERE received_at >= \"2025-12-31T16:00:00Z\" AND received_at < \"2026-12-31T16:00:00Z\"
	   GROUP BY category, strftime(\"%Y-%m\", received_at, \"+8 hours\")" >want &&
	jq -r ".groups[] | \"\(.category // \"null\")|\(.month)|\(.count)\"" out | sort >got &&
	sort want >want.s && test_cmp want.s got &&
	jq -e ".by == [\"category\", \"month\"] and .total == 62" out &&
	run report --period 2026-11 --by week && expect_status 0 &&
	jq -e ".groups | map(.week) == [\"2026-W45\",\"2026-W46\",\"2026-W47\",\"2026-W48\"]
	       and map(.count) == [4, 1, 9, 8]" out
'

t '--by tags, attrs.KEY, numbers, and a field that does not exist' '
	run report --period 2026-11 --by tags && expect_status 0 &&
	jq -e ".groups == [{tags: null, count: 22}]" out &&
	run report --period 2026-11 --by attrs.shop && expect_status 0 &&
	jq -e ".groups == [{\"attrs.shop\": null, count: 7}, {\"attrs.shop\": \"S1\", count: 5},
	                   {\"attrs.shop\": \"S2\", count: 5}, {\"attrs.shop\": \"S3\", count: 5}]" out &&
	[ "$(q "SELECT count(*) FROM complaints WHERE json_extract(attrs, \"$.shop\") = \"S2\"")" = 5 ] &&
	run report --period 2026-11 --by escalation,status && expect_status 0 &&
	jq -e ".groups[0] | .escalation == 0 and (.status | type) == \"string\"" out &&
	run report --by nosuchfield && expect_status 64 && expect_empty out &&
	grep -q "cmp-report: --by: no field .nosuchfield." err &&
	run report --by day,week && expect_status 64
'

t '--redact masks personal data everywhere' '
	run report --period 2026-11 --redact && expect_status 0 &&
	jq -e ".redacted == true and (.overdue.complaints | all(.customer | test(\"\\\\*\")))" out &&
	! grep -q "张三丰\|王五\|13900000" out &&
	run report --period 2026-11 --redact --by customer.name,customer.phone &&
	! grep -q "张三丰\|王五\|1390000" out &&
	n=$(q "SELECT count(*) FROM complaints WHERE received_at >= :S AND received_at < :U") &&
	jq -e --argjson n "$n" ".total == \$n and (.groups | map(.count) | add == \$n)" out &&
	run report --period 2026-11 --redact --format html && ! grep -q "张三丰\|王五" out
'

t 'periods: names, weeks from Monday, since/until, the default this-month' '
	CMP_NOW=2026-11-20T01:15:00Z cmp-report | jq -e ".period | .name == \"2026-11\" and .since == \"$S\"" >/dev/null &&
	CMP_NOW=2026-11-20T01:15:00Z cmp-report --period this-week |
		jq -e ".period | .since == \"2026-11-15T16:00:00Z\" and .until == \"2026-11-22T16:00:00Z\" and .name == \"2026-W47\"" >/dev/null &&
	CMP_NOW=2026-11-20T01:15:00Z cmp-report --period last-week |
		jq -e ".period.since == \"2026-11-08T16:00:00Z\"" >/dev/null &&
	CMP_NOW=2026-11-20T01:15:00Z cmp-report --period yesterday |
		jq -e ".period | .since == \"2026-11-18T16:00:00Z\" and .until == \"2026-11-19T16:00:00Z\" and .unit == \"day\"" >/dev/null &&
	CMP_NOW=2026-11-20T01:15:00Z cmp-report --period last-month |
		jq -e ".period.name == \"2026-10\"" >/dev/null &&
	report --since 2026-11-01 --until 2026-11-08 |
		jq -e ".period | .unit == \"span\" and .name == \"2026-11-01 .. 2026-11-08\"" >/dev/null &&
	report --since 2026-11-01 --until 2026-11-08 |
		jq -e ".control.periods | map(.label) == [\"2026-10-04\",\"2026-10-11\",\"2026-10-18\",\"2026-10-25\",\"2026-11-01\"]" >/dev/null
'

t 'usage and time errors: 64 and 65' '
	run report --period 2026-13 && expect_status 65 && grep -q "not a period" err &&
	run report --since tomorrowish && expect_status 65 && grep -q "^cmp-report: --since: " err &&
	run report --since 2026-11-10 --until 2026-11-01 && expect_status 65 &&
	run report --as-of never && expect_status 65 &&
	run report --until 2026-11-01 && expect_status 64 &&
	run report --period 2026-11 --since 2026-11-01 && expect_status 64 &&
	run report --format pdf && expect_status 64 &&
	run report extra && expect_status 64 && expect_empty out
'

t 'a store that cannot be opened: the store error status' '
	mkdir dir.db && run cmp-report --db dir.db && expect_status 73
'

# --- formats -------------------------------------------------------

# The display width of each line's text before the first bar character,
# CJK ideographs counting two columns.
bar_columns() {
	perl -CSD -ne "next unless /\x{2588}|\x{258f}|\x{258e}|\x{258d}|\x{258c}|\x{258b}|\x{258a}|\x{2589}/;
		s/[\x{2581}-\x{2589}\x{258a}-\x{258f}].*//; chomp;
		(\$w = \$_) =~ s/[\x{3000}-\x{9fff}\x{ff00}-\x{ffef}]/xx/g; print length(\$w), \"\n\""
}

t 'table: sections, block-character bars, Chinese labels aligned' '
	run report --period 2026-11 --format table && expect_status 0 && cp out table &&
	grep -q "^Complaints: 2026-11$" table && grep -q "^ALERT: 账务 has 16 complaints" table &&
	grep -q "^By category$" table && grep -q "^Deadlines" table &&
	sed -n "/^By category/,/^\$/p" table >cat.section &&
	grep -q "账务" cat.section && grep -q "商品质量" cat.section &&
	[ "$(bar_columns <cat.section | sort -u | wc -l)" = 1 ] &&
	sed -n "/^By customer tier/,/^\$/p" table | bar_columns | sort -u | wc -l | grep -qx 1 &&
	grep -q "█" cat.section && ! grep -q "$(printf "\033")" table &&
	! grep -q " \$" table
'

t 'csv: one row per group with --by; the figures, one per row, without' '
	run report --period 2026-11 --by category --format csv && expect_status 0 &&
	printf "category,count\r\n" >want &&
	q "SELECT coalesce(category, \"\") || \",\" || count(*) FROM complaints WHERE received_at >= :S AND received_at < :U GROUP BY category ORDER BY category" |
		sed "s/\$/\r/" >>want &&
	test_cmp want out &&
	run report --period 2026-11 --format csv && expect_status 0 &&
	head -1 out | grep -q "^section,key,label,value" &&
	grep -q "^counts,received,,22" out && grep -q "^by.category,billing,账务,16" out &&
	grep -q "^deadlines.ack,share_met,,0.1905" out && grep -q "^control.alert,billing,账务,1" out
'

t 'markdown: headings and tables' '
	run report --period 2026-11 --format markdown && expect_status 0 &&
	grep -q "^# Complaints: 2026-11" out && grep -q "^## Counts" out &&
	grep -q "^| received | 22 |" out && grep -q "^> \*\*ALERT\*\*: 账务 has 16" out &&
	grep -q "^| \*\*账务\*\* | 16 |" out &&
	run report --period 2026-11 --by category,month --format markdown &&
	grep -q "^| 账务 | 2026-11 | 16 |" out
'

t 'html: one self-contained page, no scripts, nothing fetched' '
	run report --period 2026-11 --format html && expect_status 0 && cp out nov.html &&
	head -1 nov.html | grep -q "^<!DOCTYPE html>" && grep -q "</html>" nov.html &&
	! grep -qi "<script" nov.html && ! grep -qi "javascript:" nov.html &&
	! grep -Eqi "(src|href)=.?(https?:)?//" nov.html && ! grep -qi "https\?://" nov.html &&
	! grep -qi "@import\|url(" nov.html &&
	[ $(grep -c "<svg class=\"chart" nov.html) = 8 ] &&
	grep -q "<svg class=\"chart trend\"" nov.html && grep -q "<svg class=\"chart pareto\"" nov.html &&
	[ $(grep -c "<svg class=\"chart control" nov.html) = 6 ] &&
	grep -q "class=\"chart control alert\" data-category=\"billing\"" nov.html &&
	[ $(grep -c "class=\"alert-mark\"" nov.html) = 1 ] &&
	grep -q "<div class=\"alert-banner\">ALERT: 账务 has 16" nov.html
'

if command -v chromium >/dev/null 2>&1; then
t 'html in a real browser (headless Chromium): the charts and the alert render' '
	timeout 120 chromium --headless --disable-gpu --no-sandbox --no-first-run \
		--disable-extensions --dump-dom "file://$TEST_ROOT/nov.html" >dom 2>chromium.log &&
	grep -q "<svg class=\"chart trend\"" dom && grep -q "<svg class=\"chart pareto\"" dom &&
	[ $(grep -o "<svg class=\"chart control" dom | wc -l) = 6 ] &&
	grep -q "<circle class=\"alert-mark\"" dom && grep -q "ALERT: 账务 has 16" dom &&
	grep -q "<rect " dom && grep -q "<polyline " dom &&
	timeout 120 chromium --headless --disable-gpu --no-sandbox --no-first-run \
		--disable-extensions --hide-scrollbars --window-size=1000,3000 \
		--screenshot="$TEST_ROOT/nov.png" "file://$TEST_ROOT/nov.html" >/dev/null 2>>chromium.log &&
	[ "$(head -c 8 nov.png | od -An -tx1 | tr -d " \n")" = 89504e470d0a1a0a ] &&
	[ $(wc -c <nov.png) -gt 20000 ] &&
	if [ -n "${CMP_REPORT_PNG:-}" ]; then cp nov.png "$CMP_REPORT_PNG"; fi
'
t 'html in a real browser: the calm page has no alert mark' '
	report --period 2026-10 --format html >oct.html &&
	timeout 120 chromium --headless --disable-gpu --no-sandbox --no-first-run \
		--disable-extensions --dump-dom "file://$TEST_ROOT/oct.html" >dom 2>/dev/null &&
	grep -q "<svg class=\"chart trend\"" dom && ! grep -q "alert-mark" dom &&
	grep -q "No category is above its control limit" dom
'
else
	skip 'html in a real browser' 'no chromium (installed by .ci/setup --ci)'
	skip 'html in a real browser: the calm page' 'no chromium'
fi

# --- the cron script ------------------------------------------------

DAILY=$EXAMPLES/daily-report.sh

t 'daily-report.sh: writes yesterday'"'"'s page, quiet when calm' '
	mkdir reports &&
	CMP_NOW=2026-11-05T01:00:00Z run sh "$DAILY" reports && expect_status 0 &&
	expect_empty out && expect_empty err &&
	[ -f reports/complaints-2026-11-04.html ] &&
	grep -q "<title>Complaints: 2026-11-04</title>" reports/complaints-2026-11-04.html &&
	[ "$(ls -A reports | wc -l)" = 1 ]
'

t 'daily-report.sh: an alert fails the job and says so' '
	REPORT_PERIOD=2026-11 CMP_NOW=$NOW run sh "$DAILY" reports &&
	expect_status 1 && grep -q "ALERT: 账务 has 16 complaints" err &&
	grep -q "reports/complaints-2026-11.html" err &&
	grep -q "alert-banner" reports/complaints-2026-11.html
'

t 'daily-report.sh: mails the page where sendmail exists' '
	mkdir bin && cat >bin/sendmail <<-EOF &&
	#!/bin/sh
	echo "\$*" >"$TEST_ROOT/sendmail.args"
	cat >"$TEST_ROOT/mail.txt"
	EOF
	chmod +x bin/sendmail &&
	PATH=$TEST_ROOT/bin:$PATH REPORT_MAILTO=quality@example.cn REPORT_PERIOD=2026-11 \
		CMP_NOW=$NOW run sh "$DAILY" reports && expect_status 1 &&
	grep -q -- "-t" sendmail.args &&
	grep -q "^To: quality@example.cn" mail.txt &&
	grep -q "^Subject: ALERT: complaints 2026-11" mail.txt &&
	grep -q "^Content-Type: text/html; charset=utf-8" mail.txt &&
	grep -q "<svg class=\"chart trend\"" mail.txt &&
	PATH=$TEST_ROOT/bin:$PATH REPORT_MAILTO=quality@example.cn REPORT_PERIOD=2026-10 \
		CMP_NOW=$NOW run sh "$DAILY" reports && expect_status 0 &&
	grep -q "^Subject: complaints 2026-10" mail.txt
'

t 'daily-report.sh: a store error is not an alert' '
	CMP_DB=$TEST_ROOT/dir.db run sh "$DAILY" reports && expect_status 73 &&
	grep -q "cmp-report: cannot open store" err
'

# --- the CFPB sample -------------------------------------------------

CFPB=cfpb-ccdb-sample-2015-2020/complaints_sample.csv
if have_data $CFPB; then
t 'CFPB: the sample imports, the report counts it by month like the raw CSV' '
	export CMP_DB=$TEST_ROOT/cfpb.db &&
	cmp-add --map "$EXAMPLES/cfpb.map.yaml" "$DATA/$CFPB" >/dev/null &&
	sqlite3 -batch raw.db ".import --csv \"$DATA/$CFPB\" raw" &&
	sqlite3 -batch raw.db "SELECT substr(\"Date received\", 1, 7) || \",\" || count(*) FROM raw GROUP BY substr(\"Date received\", 1, 7) ORDER BY 1" >want &&
	run cmp-report --since 2015-01-01 --until 2021-01-01 --by month --format csv &&
	expect_status 0 && tail -n +2 out | tr -d "\r" >got && test_cmp want got &&
	[ $(wc -l <want) -gt 50 ]
'

t 'CFPB: by category and by product, a year and the whole sample' '
	export CMP_DB=$TEST_ROOT/cfpb.db &&
	sqlite3 -batch raw.db "SELECT Product || \"|\" || count(*) FROM raw GROUP BY Product" | sort >want &&
	cmp-report --since 2015-01-01 --until 2021-01-01 --by product.name |
		jq -r ".groups[] | \"\(.[\"product.name\"])|\(.count)\"" | sort >got &&
	test_cmp want got &&
	sql "SELECT category || \"|\" || count(*) FROM complaints WHERE received_at >= \"2018-12-31T16:00:00Z\" AND received_at < \"2019-12-31T16:00:00Z\" GROUP BY category" | sort >want &&
	cmp-report --period 2019 | jq -r ".breakdowns.category[] | \"\(.key)|\(.count)\"" | sort >got &&
	test_cmp want got &&
	n=$(sqlite3 -batch raw.db "SELECT count(*) FROM raw WHERE \"Date received\" LIKE \"2019-%\"") &&
	cmp-report --period 2019 >y2019.json &&
	jq -e ".counts.received == $n and .trend.unit == \"month\" and (.trend.buckets | map(.count) | add) == $n" y2019.json &&
	sqlite3 -batch raw.db "SELECT count(*) FROM raw WHERE \"Date received\" < \"2020-01-01\" AND \"Company response to consumer\" IN (\"In progress\", \"Untimely response\")" >want &&
	jq .counts.backlog y2019.json >got && test_cmp want got
'

t 'CFPB: the month report has its control chart and formats in time' '
	export CMP_DB=$TEST_ROOT/cfpb.db &&
	start=$(date +%s) &&
	run cmp-report --period 2019-06 --format html && expect_status 0 &&
	[ $(($(date +%s) - start)) -le 5 ] &&
	[ $(grep -c "<svg class=\"chart control" out) -ge 4 ] &&
	cmp-report --period 2019-06 | jq -e ".control.baseline_used == 4 and (.control.categories | length) >= 4" >/dev/null
'
else
	skip 'CFPB by month' "no $DATA/$CFPB"
	skip 'CFPB by category' "no $DATA/$CFPB"
	skip 'CFPB control chart' "no $DATA/$CFPB"
fi

# Categories configured once, no longer: after the configured ones, by
# name, not in the order the store happens to stream its rows.
t 'control: categories no longer configured follow, by name' '
	rm -f "$CMP_DB" &&
	printf "categories: {billing: B, zz-gone: Z, aa-gone: A, mm-gone: M}\nrules: []\n" >cats.yaml &&
	d=1 && for c in zz-gone mm-gone billing aa-gone zz-gone; do
		echo "{\"summary\":\"$c\",\"category\":\"$c\",\"customer\":{\"name\":\"x\"},\"received_at\":\"2026-11-0${d}T04:00:00Z\"}"
		d=$((d + 1))
	done | CMP_CONFIG=$TEST_ROOT/cats.yaml CMP_NOW=$NOW cmp-add >/dev/null &&
	run report --period 2026-11 --format json && expect_status 0 &&
	jq -c "[.control.categories[] | [.key, .count]]" out >got &&
	echo "[[\"product-quality\",0],[\"contract\",0],[\"delivery\",0],[\"service\",0],[\"billing\",1],[\"other\",0],[\"aa-gone\",1],[\"mm-gone\",1],[\"zz-gone\",2]]" >want &&
	test_cmp want got
'

# Last: it starts from an empty store.
# Grouped by the text printed, on either store: 0 and "0" are one group,
# 0.0 another, whatever SQLite's GROUP BY makes of numbers.
t '--by attrs.KEY: numbers grouped by their text, the total counted once' '
	rm -f "$CMP_DB" &&
	for v in 0 0.0 0.0 "\"0\"" 1e0 2.50 true; do
		echo "{\"summary\":\"n\",\"customer\":{\"name\":\"x\"},\"received_at\":\"2026-11-02T00:00:00Z\",\"attrs\":{\"k\":$v}}"
	done | CMP_NOW=$NOW cmp-add >/dev/null &&
	run report --period 2026-11 --by attrs.k && expect_status 0 &&
	jq -c "[.total, (.groups[] | [.[\"attrs.k\"], .count])]" out >got &&
	echo "[7,[\"0\",2],[\"0.0\",2],[\"1\",1],[\"1.0\",1],[\"2.5\",1]]" >want &&
	test_cmp want got
'

# The groups are sorted after the store returns them, in an order of all
# values: the store's own order (NULL first on SQLite, last on
# PostgreSQL) must not show through a comparison that is not one.
t '--by: NULL first, then numbers by value, then text, on either store' '
	rm -f "$CMP_DB" &&
	for p in "" 13912345678 415.555.0100 55550101; do
		CMP_NOW=2026-11-02T00:00:00Z cmp-add --customer x ${p:+--phone $p} -m n >/dev/null || exit 1
	done &&
	run report --period 2026-11 --by customer.phone && expect_status 0 &&
	jq -c "[.groups[][\"customer.phone\"]]" out >got &&
	echo "[null,\"55550101\",\"13912345678\",\"415.555.0100\"]" >want &&
	test_cmp want got
'

# A resolution journalled without its type (as a store written by
# another tool may hold) is a money row of no type; NULL sorts first on
# PostgreSQL as on SQLite.
t 'money: the rows without a type or currency first, on either store' '
	rm -f "$CMP_DB" &&
	a=$(CMP_NOW=2026-11-18T00:00:00Z cmp-add --customer A -m x | jq .id) &&
	sql "INSERT INTO journal_entry (complaint_id, at, actor, program, field, old, new)
		VALUES ($a, '"'2026-11-19T01:00:00Z'"', '"'t'"', '"'t'"', '"'resolution.resolved_at'"', NULL, '"'2026-11-19T01:00:00Z'"'),
		($a, '"'2026-11-19T01:00:00Z'"', '"'t'"', '"'t'"', '"'resolution.amount'"', NULL, '"'10'"')" &&
	id=$(CMP_NOW=2026-11-21T00:00:00Z cmp-add --customer B -m y | jq .id) &&
	CMP_NOW=2026-11-21T01:00:00Z cmp-assign --to bob "$id" >/dev/null &&
	CMP_NOW=2026-11-21T02:00:00Z cmp-close --resolve refund --amount 50 "$id" >/dev/null &&
	run report --period 2026-11 && expect_status 0 &&
	jq -c ".money | map([.type, .currency, .count, .amount])" out >got &&
	echo "[[null,null,1,10],[\"refund\",\"CNY\",1,50]]" >want &&
	test_cmp want got &&
	run report --period 2026-11 --format csv && expect_status 0 &&
	grep "^money" out | cut -d, -f2,3 | uniq >got &&
	printf ",\nrefund,CNY\n" >want &&
	test_cmp want got
'

done_testing
