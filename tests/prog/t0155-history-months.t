#!/bin/sh
# Imported history counted as if the work had been done here: for the
# NYC 311, Baltimore 311 and UCI exports (each skipped when its data is
# absent), every month from the first complaint received to the last
# one closed, cmp-report's received, resolved, closed, backlog at the end
# and each deadline's met, missed, share met, measured, median and p90
# against SQL over the imported columns (received_at, the times that
# meet each deadline, the due times) and a nearest-rank percentile in
# awk; then the same at a moment in the middle of the month (--as-of),
# the computation cut at that moment.  The oracle reads no journal: the
# journal the import wrote is what the report reads.
. "${0%/*}/../lib.sh"

EX=$CMP_TOP/share/complaint/examples

count() {
	sql "SELECT count(*) FROM complaints WHERE $1"
}

# When a complaint left the open states (new, assigned, waiting): its
# resolution, rejection or closing, the first of them; never, a time
# after every other.
END_="coalesce(resolution_resolved_at, rejected_at, closed_at, '9999')"

# oracle S U A: the figures of the period [S, U) as at moment A (a
# report without --as-of: now; a deadline met late after the period
# still counts as measured), one line: received resolved closed backlog, then for ack, reply, resolve:
# met missed share_met measured median p90.
oracle() {
	S=$1 U=$2 A=$3
	E=$U; [ "$A" \< "$U" ] && E=$A
	printf '%s %s %s %s' \
		"$(count "received_at >= '$S' AND received_at < '$E'")" \
		"$(count "resolution_resolved_at >= '$S' AND resolution_resolved_at < '$E'")" \
		"$(count "closed_at >= '$S' AND closed_at < '$E'")" \
		"$(count "received_at < '$E' AND $END_ >= '$E'")"
	for k in ack:acknowledged_at reply:replied_at resolve:resolution_resolved_at; do
		D=due_${k%%:*} M=${k#*:}
		in="$D >= '$S' AND $D < '$U'"
		met=$(count "$in AND $M <= $D AND $M <= '$A'")
		# Missed: due before the moment, not met by then, the
		# complaint open and its clock running (not waiting) when it
		# fell due.
		missed=$(count "$in AND $D < '$A' AND ($M IS NULL OR $M > $D)
			AND $END_ >= $D AND coalesce(waiting_since, '9999') >= $D")
		sql "SELECT strftime('%s', $M) - strftime('%s', received_at)
			FROM complaints WHERE $in AND $M <= '$A'" >secs
		share=$(awk -v m=$met -v x=$missed 'BEGIN {
			if (m + x == 0) print "null"
			else printf "%.10g\n", int(m / (m + x) * 10000 + 0.5) / 10000 }')
		printf ' %s %s %s %s %s %s' "$met" "$missed" "$share" \
			"$(wc -l <secs | tr -d ' ')" "$(nearest_rank 50 <secs)" \
			"$(nearest_rank 90 <secs)"
	done
	echo
}

# reported: the same line from cmp-report's JSON on stdin.
reported() {
	jq -r '[.counts | .received, .resolved, .closed, .backlog] +
		[.deadlines | .ack, .reply, .resolve | .met, .missed, .share_met,
		 .measured, .median_seconds, .p90_seconds] | map(tostring) | join(" ")'
}

# months ZONE: each month, in ZONE, from the first complaint received to
# the last closed (or received), one before and one after.
months() {
	first=$(sql "SELECT min(received_at) FROM complaints")
	last=$(sql "SELECT max(coalesce(closed_at, received_at)) FROM complaints")
	m=$(TZ=$1 date -d "$first -1 month" +%Y-%m)
	end=$(TZ=$1 date -d "$last +1 month" +%Y-%m)
	while :; do
		echo "$m"
		[ "$m" = "$end" ] && break
		m=$(date -d "$m-01 +1 month" +%Y-%m)
	done
}

# start ZONE MONTH: the start of MONTH in ZONE, as the store writes times.
start() {
	date -u -d "TZ=\"$1\" $2-01 00:00" +%Y-%m-%dT%H:%M:%SZ
}

# check_months ZONE: every month and its middle, against the oracle.
check_months() {
	months "$1" >months && [ $(wc -l <months) -ge 3 ] || return 1
	: >want; : >got
	while read -r m; do
		S=$(start "$1" "$m")
		U=$(start "$1" "$(date -d "$m-01 +1 month" +%Y-%m)")
		A=$(date -u -d "$S +14 days +12 hours +7 seconds" +%Y-%m-%dT%H:%M:%SZ)
		echo "$m $(oracle "$S" "$U" "$CMP_NOW")" >>want
		echo "$m $(cmp-report --period "$m" | reported)" >>got
		echo "$m as of $A $(oracle "$S" "$U" "$A")" >>want
		echo "$m as of $A $(cmp-report --period "$m" --as-of "$A" | reported)" >>got
	done <months
	test_cmp want got &&
	# Not a comparison of nothing: the months hold the data.
	awk '$2 != "as" { r += $2; c += $4 } END { exit !(r > 100 && c > 100) }' want
}

NYC=nyc-311-sample/311_sample.csv
if have_data $NYC; then
t 'NYC 311: every month and its middle, as SQL over the imported columns counts them' '
	rm -f "$CMP_DB" &&
	printf "timezone: America/New_York\n" >ny.yaml &&
	CMP_CONFIG=ny.yaml run cmp-add --map "$EX/nyc311.map.yaml" "$DATA/$NYC" &&
	expect_status 0 && expect_empty err &&
	export CMP_CONFIG=ny.yaml && check_months America/New_York
'
else
	skip 'the NYC 311 sample' "no $DATA/$NYC"
fi

BAL=baltimore-311-sample/311_sample.csv
if have_data $BAL; then
t 'Baltimore 311: every month and its middle, as SQL over the imported columns counts them' '
	rm -f "$CMP_DB" &&
	printf "timezone: America/New_York\nsla:\n  calendar: 24x7\n  default: {ack: 4h, reply: 1d, resolve: 5d}\n" >bal.yaml &&
	CMP_CONFIG=bal.yaml run cmp-add --map "$EX/baltimore311.map.yaml" "$DATA/$BAL" &&
	expect_status 0 && expect_empty err &&
	export CMP_CONFIG=bal.yaml && check_months America/New_York
'
else
	skip 'the Baltimore 311 sample' "no $DATA/$BAL"
fi

UCI=uci-incident-event-log-subset/incident_event_log_subset.csv
if have_data $UCI; then
t 'UCI incidents: every month and its middle, as SQL over the imported columns counts them' '
	rm -f "$CMP_DB" &&
	run cmp-add --update --map "$EX/uci-incidents.map.yaml" "$DATA/$UCI" &&
	expect_status 65 &&
	check_months Asia/Shanghai
'
else
	skip 'the UCI incident log' "no $DATA/$UCI"
fi

done_testing
