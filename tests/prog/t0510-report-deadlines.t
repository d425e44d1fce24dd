#!/bin/sh
# cmp-report's deadlines count each deadline in the period in which it
# fell due (cmp-report(1)): a week's late work on older complaints is not
# that week's.  Figures against SQL in the store's shell and awk; every
# format says what is counted.
. "${0%/*}/../lib.sh"

cat >config.yaml <<'EOF'
sla:
  calendar: 24x7
  default: {ack: 4h, reply: 1d, resolve: 5d}
EOF
CMP_CONFIG=$TEST_ROOT/config.yaml
export CMP_CONFIG

# The week of Monday 16 November 2026 in Asia/Shanghai, the one before
# it, and the moment the reports are made.
S=2026-11-15T16:00:00Z
U=2026-11-22T16:00:00Z
S0=2026-11-08T16:00:00Z
NOW=2026-11-25T02:00:00Z

# at LOCAL-TIME CMD...: run CMD with the clock at that Shanghai time.
at() {
	when=$1
	shift
	CMP_NOW="$when:00+08:00" "$@" >/dev/null
}

# add LOCAL-TIME: a complaint received then; its id.
add() {
	CMP_NOW="$1:00+08:00" cmp-add --received "${1%T*} ${1#*T}" \
		--customer "张三丰" --phone 13800138000 -m "leak: $1" | jq -r .id
}

report() {
	CMP_NOW=$NOW cmp-report "$@"
}

# The week before: three complaints nobody acknowledges for days.  The
# week: two acknowledged within half an hour, the three old ones at last
# (days late), and one received the Friday before, resolved at once,
# whose resolve deadline falls in the week.
t 'a week: two complaints acknowledged within 30 minutes, three old ones days late' '
	for d in 09 10 11; do add 2026-11-${d}T10:00 >/dev/null; done &&
	X=$(add 2026-11-13T10:00) && at 2026-11-13T11:00 cmp-assign --to li.gang $X &&
	at 2026-11-14T09:00 cmp-close --resolve apology $X &&
	A=$(add 2026-11-16T10:00) && at 2026-11-16T10:20 cmp-assign --to li.gang $A &&
	B=$(add 2026-11-18T14:00) && at 2026-11-18T14:30 cmp-assign --to li.gang $B &&
	at 2026-11-19T09:00 cmp-assign --to li.gang 1 2 3 &&
	[ "$(sql "SELECT count(*) FROM complaints WHERE acknowledged_at IS NOT NULL")" = 6 ]
'

# check K MET DUE SINCE UNTIL FILE: the deadline K of the report in FILE
# against the store: met, missed (with the complaint open, new or
# assigned, when it fell due: the status the journal last set before),
# measured, median and p90 of the deadlines that fell due in [SINCE,
# UNTIL).
check() {
	k=$1 met=$2 due=$3 s=$4 u=$5 f=$6
	in="$due >= '$s' AND $due < '$u'"
	want_met=$(sql "SELECT count(*) FROM complaints WHERE $in AND $met <= $due")
	want_missed=$(sql "SELECT count(*) FROM complaints c WHERE $in
		AND ($met > $due OR ($met IS NULL AND $due < '$NOW'))
		AND coalesce((SELECT new FROM journal j WHERE j.complaint_id = c.id
		              AND j.field = 'status' AND j.at < c.$due ORDER BY j.at DESC LIMIT 1),
		             (SELECT new FROM journal j WHERE j.complaint_id = c.id
		              AND j.field = 'status' ORDER BY j.at LIMIT 1))
		    IN ('new', 'assigned')")
	sql "SELECT strftime('%s', $met) - strftime('%s', received_at)
	     FROM complaints WHERE $in AND $met IS NOT NULL" >secs
	n=$(wc -l <secs)
	median=$(nearest_rank 50 <secs) p90=$(nearest_rank 90 <secs)
	jq -e --argjson met "$want_met" --argjson missed "$want_missed" \
		--argjson n "$n" --argjson median "$median" --argjson p90 "$p90" \
		".deadlines.$k | .met == \$met and .missed == \$missed
		 and .measured == \$n and .median_seconds == \$median
		 and .p90_seconds == \$p90" "$f" >/dev/null ||
	{ echo "$k: want met $want_met missed $want_missed measured $n median $median p90 $p90"
	  jq -c ".deadlines.$k" "$f"; return 1; }
}

# check_all SINCE UNTIL FILE: check every deadline.
check_all() {
	check ack acknowledged_at due_ack "$1" "$2" "$3" &&
	check reply replied_at due_reply "$1" "$2" "$3" &&
	check resolve resolution_resolved_at due_resolve "$1" "$2" "$3"
}

t 'the week: the median of its own acknowledgements, not days from older ones' '
	run report --since 2026-11-16 --until 2026-11-23 && expect_status 0 &&
	cp out week.json &&
	jq -e ".period.since == \"$S\" and .period.until == \"$U\"" week.json &&
	jq -e ".deadlines.ack | .met == 2 and .missed == 0 and .measured == 2
	       and .median_seconds <= 1800 and .p90_seconds == 1800" week.json &&
	jq -e ".counts.acknowledged == 5" week.json &&
	check_all $S $U week.json
'

t 'the week before: the late acknowledgements count there, missed, days long' '
	run report --since 2026-11-09 --until 2026-11-16 && expect_status 0 &&
	cp out before.json &&
	jq -e ".deadlines.ack | .missed == 3 and .met == 1 and .measured == 4
	       and .median_seconds > 86400" before.json &&
	check_all $S0 $S before.json
'

t 'a deadline met before the period it falls due in counts there, met' '
	[ "$(sql "SELECT count(*) FROM complaints WHERE due_resolve >= '\''$S'\''
		AND due_resolve < '\''$U'\'' AND resolution_resolved_at < '\''$S'\''")" = 1 ] &&
	jq -e ".deadlines.resolve.met == 1" week.json
'

t '--as-of: a deadline met after the moment is not met yet' '
	run report --since 2026-11-09 --until 2026-11-16 --as-of "2026-11-15 12:00" &&
	expect_status 0 &&
	jq -e ".deadlines.ack | .missed == 3 and .met == 1 and .measured == 1" out
'

t 'every format says which complaints each deadline counts' '
	for k in ack:acknowledgement reply:"first reply" resolve:resolution; do
		jq -e ".deadlines.${k%%:*}.counted ==
		       \"complaints whose ${k#*:} fell due in the period\"" week.json >/dev/null ||
			{ echo "json: $k"; false; }
	done &&
	report --since 2026-11-16 --until 2026-11-23 --format table >table &&
	grep -qx "  acknowledge counts complaints whose acknowledgement fell due in the period" table &&
	grep -qx "  first reply counts complaints whose first reply fell due in the period" table &&
	grep -qx "  resolve counts complaints whose resolution fell due in the period" table &&
	report --since 2026-11-16 --until 2026-11-23 --format csv >csv &&
	grep -q "^deadlines.ack,counted,complaints whose acknowledgement fell due in the period,$(printf "\r")\$" csv &&
	grep -q "^deadlines.resolve,counted,complaints whose resolution fell due in the period," csv &&
	report --since 2026-11-16 --until 2026-11-23 --format markdown >md &&
	grep -q "^| acknowledge | 2 | 2 | 0 | 0 | 100.0% | .* | complaints whose acknowledgement fell due in the period |\$" md &&
	grep -q "^Each deadline counts in the period in which it fell due" md &&
	report --since 2026-11-16 --until 2026-11-23 --format html >html &&
	grep -q "<td>complaints whose first reply fell due in the period</td>" html &&
	grep -q "<th>counted</th>" html
'

# A store with a long past: three complaints of the first week of
# January, then forty more in October, each assigned the next day.  A week is then
# a small part of the time the store's complaints were received over,
# and the pass reads the deadlines' rows from the index of them by time
# received (store_report.c).  The status each deadline found is taken
# from the status changes since the period began, held in memory, when
# there are at most eight of them a deadline of the period (and eight
# more); else it is looked up for each.  One case of each, shown by counting them here,
# both against the journal as check() reads it.
J=2026-01-04T16:00:00Z
JU=2026-01-11T16:00:00Z
# changes_since WHEN: the status changes journalled at or after it.
changes_since() {
	sql "SELECT count(*) FROM journal WHERE field = 'status' AND at >= '$1'"
}
# due_in SINCE UNTIL: the deadlines that fall due in [SINCE, UNTIL).
due_in() {
	sql "SELECT (SELECT count(*) FROM complaints WHERE due_ack >= '$1' AND due_ack < '$2')
		+ (SELECT count(*) FROM complaints WHERE due_reply >= '$1' AND due_reply < '$2')
		+ (SELECT count(*) FROM complaints WHERE due_resolve >= '$1' AND due_resolve < '$2')"
}

t 'a long past: January, and forty complaints in October, assigned' '
	J1=$(add 2026-01-05T10:00) && J2=$(add 2026-01-05T11:00) &&
	J3=$(add 2026-01-06T09:00) && L=$(add 2026-11-17T09:00) &&
	Q=$(add 2026-11-17T14:00) && at 2026-11-17T14:10 cmp-assign --to li.gang $Q &&
	at 2026-11-19T09:00 cmp-update --wait "a photo" $Q &&
	at 2026-11-19T09:00 cmp-close --reject "not ours" $Q &&
	at 2026-11-24T09:00 cmp-assign --to li.gang $L &&
	at 2026-11-24T10:00 cmp-close --resolve apology $L &&
	at 2026-01-06T10:00 cmp-assign --to li.gang $J2 &&
	at 2026-01-06T09:30 cmp-assign --to li.gang $J3 &&
	at 2026-01-06T09:40 cmp-update --wait "photos of the leak" $J3 &&
	at 2026-01-05T12:00 cmp-update --note "called back" $J1 &&
	for i in $(seq 10 49); do
		printf "{\"received_at\":\"2026-10-05T%02d:00:00+08:00\",\"summary\":\"noise $i\",\"customer\":{\"name\":\"王五\"}}\n" $((i % 24))
	done | CMP_NOW=2026-10-05T23:30:00+08:00 cmp-add >added &&
	jq -r .id added | at 2026-10-06T09:00 cmp-assign --to li.gang &&
	[ "$(wc -l <added)" = 40 ]
'

# Two more in the week.  L: its deadlines all missed while it was new,
# then resolved: the status when each fell due is not the status now.
# Q: its reply missed while assigned, then in one second made to wait
# and rejected: the index gives those two changes in the order of their
# values (rejected before waiting), the journal in the order made.
t 'a week near now: the statuses from the changes held' '
	n=$(due_in $S $U) && c=$(changes_since $S) &&
	[ "$c" -le $((8 * n)) ] &&
	run report --since 2026-11-16 --until 2026-11-23 && expect_status 0 &&
	check_all $S $U out &&
	jq -e ".deadlines.ack | .missed == 1 and .met == 3" out &&
	jq -e ".deadlines.reply | .missed == 4 and .pending == 0" out
'

t 'a week of January: the statuses looked up, more changes since than eight a deadline' '
	n=$(due_in $J $JU) && c=$(changes_since $J) &&
	[ "$n" = 9 ] && [ "$c" -gt $((8 * (n + 1))) ] &&
	run report --since 2026-01-05 --until 2026-01-12 && expect_status 0 &&
	check_all $J $JU out &&
	jq -e ".deadlines.ack | .missed == 2 and .met == 1" out &&
	jq -e ".deadlines.resolve | .pending == 1" out
'

# The backlog and the overdue list at the end of a period read the
# status each complaint had then the same two ways: from the changes
# since, held, or looked up.  open_at WHEN: the complaints open then, by
# the journal (its last status before, else its first; of two in one
# second, the one made last).
open_at() {
	sql "SELECT count(*) FROM complaints c WHERE received_at < '$1' AND
	   coalesce((SELECT new FROM journal_entry j WHERE j.complaint_id = c.id
	              AND j.field = 'status' AND j.at < '$1' ORDER BY j.at DESC, j.id DESC LIMIT 1),
	            (SELECT new FROM journal_entry j WHERE j.complaint_id = c.id
	              AND j.field = 'status' ORDER BY j.at, j.id LIMIT 1))
	   IN ('new', 'assigned', 'waiting')"
}
# open_now_before WHEN: open now and received before it.
open_now_before() {
	sql "SELECT count(*) FROM complaints WHERE received_at < '$1'
	     AND status IN ('new', 'assigned', 'waiting')"
}

# W waits on the customer from the day after it came, an hour before
# its reply fell due, and is rejected after the week: at the week's end
# it was waiting, its clocks stopped, so its reply is not overdue then.
# Leaving the wait moved its reply's deadline past the week; it is put
# back where it was, as a store whose deadlines another system set may
# have it, so that when W began to wait (looked up: it does not wait
# now) decides.
t 'the backlog of a week near now: the statuses held, one waiting then and rejected since' '
	W=$(add 2026-11-18T10:00) &&
	at 2026-11-18T10:30 cmp-assign --to li.gang $W &&
	at 2026-11-19T09:00 cmp-update --wait "the invoice" $W &&
	at 2026-11-24T11:00 cmp-close --reject "not ours" $W &&
	sql "UPDATE complaint SET due_reply = '"'2026-11-19T02:00:00Z'"' WHERE id = $W" &&
	c=$(changes_since $U) && o=$(open_now_before $U) &&
	[ "$c" -le $((8 * o)) ] &&
	run report --since 2026-11-16 --until 2026-11-23 && expect_status 0 &&
	jq -e ".counts.backlog == $(open_at $U)" out &&
	jq -e --argjson w $W ".overdue.complaints | map(.id) | index(\$w) == null" out &&
	[ "$(sql "SELECT waiting_since IS NULL FROM complaints WHERE id = $W")" = 1 ]
'

# X came in the week and was assigned after it: open then and open now,
# with a change since.  It counts once (read with the open ones, not
# again with those closed since).
t 'the backlog of a week near now: open then and now, changed since, counted once' '
	X=$(add 2026-11-18T12:00) &&
	at 2026-11-24T12:00 cmp-assign --to li.gang $X &&
	c=$(changes_since $U) && o=$(open_now_before $U) &&
	[ "$c" -le $((8 * o)) ] &&
	run report --since 2026-11-16 --until 2026-11-23 && expect_status 0 &&
	jq -e ".counts.backlog == $(open_at $U)" out &&
	jq -e "[.overdue.complaints[].id] | length == (unique | length)" out &&
	jq -e --argjson x $X "[.overdue.complaints[].id | select(. == \$x)] | length == 1" out
'

t 'the backlog of January: the statuses looked up, more changes since than eight an open complaint' '
	c=$(changes_since $JU) && o=$(open_now_before $JU) &&
	[ "$c" -gt $((8 * (o + 1))) ] &&
	run report --since 2026-01-05 --until 2026-01-12 && expect_status 0 &&
	jq -e ".counts.backlog == $(open_at $JU) and .counts.backlog == 3" out &&
	jq -e ".overdue.count == 2" out
'

done_testing
