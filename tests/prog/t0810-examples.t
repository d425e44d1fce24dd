#!/bin/sh
# The scripts, maps and queries of share/complaint/examples/ do what
# their comments say.
. "${0%/*}/../lib.sh"

EX=$CMP_TOP/share/complaint/examples

t 'morning-followup.sh: contacts each due follow-up and records it' '
	cmp-add --customer "王先生" --phone 13800138000 -m "leak" >/dev/null &&
	cmp-add --customer "Li" -m "late delivery" >/dev/null &&
	cmp-assign --to li.gang 1 2 >/dev/null &&
	cmp-close --resolve repair 1 >/dev/null &&
	cmp-followup --in 1d 2 >/dev/null &&
	export CMP_NOW=2026-11-24T01:00:00Z &&
	run sh "$EX/morning-followup.sh" && expect_status 0 &&
	grep -q "would contact 王先生 about #1: leak" out && [ $(wc -l <out) = 2 ] &&
	printf "#!/bin/sh\njq -r \"\\\\\"called about #\\\\(.id)\\\\\"\"\n" >contact && chmod +x contact &&
	CONTACT=./contact run sh "$EX/morning-followup.sh" && expect_status 0 && expect_empty err &&
	[ "$(sql "SELECT count(*) FROM followups WHERE done_at IS NOT NULL AND note LIKE \"called about #%\"")" = 2 ] &&
	run sh "$EX/morning-followup.sh" && expect_empty out
'

t 'morning-followup.sh: a failing contact leaves the follow-up due, exit 1' '
	rm -f "$CMP_DB" && cmp-add --customer a -m b >/dev/null &&
	cmp-followup --in 1h 1 >/dev/null &&
	CMP_NOW=2026-11-21T01:00:00Z CONTACT=false run sh "$EX/morning-followup.sh" &&
	expect_status 1 && grep -q "complaint 1: false failed" err &&
	[ "$(sql "SELECT count(*) FROM followups WHERE done_at IS NULL")" = 1 ]
'

t 'the crontab runs programs and scripts that exist' '
	grep -v "^#" "$EX/crontab" | grep . | while read -r m h dom mon dow cmd; do
		set -- $cmd
		while case $1 in *=*) true ;; *) false ;; esac; do shift; done
		case $1 in
		sh) [ -f "$EX/${2##*/}" ] || { echo "no ${2##*/}"; exit 1; } ;;
		*) command -v "$1" >/dev/null || { echo "no $1"; exit 1; } ;;
		esac
	done
'

sqlite_only 'analysts.sql runs on a store and answers' 'analysts.sql is written for the sqlite3 shell' ||
t 'analysts.sql runs on a store and answers' '
	rm -f "$CMP_DB" && cmp-add <"$EX/complaints.ndjson" >/dev/null &&
	cmp-assign --to li.gang 1 2 >/dev/null && cmp-close --resolve repair 1 >/dev/null &&
	sqlite3 -batch -bail "$CMP_DB" <"$EX/analysts.sql" >got 2>err &&
	expect_empty err && [ -s got ]
'

NYC=nyc-311-sample/311_sample.csv
if have_data $NYC; then
# Every row stored; a closed request resolved and closed at its Closed
# Date, or, the two without one, at its Created Date (assumed, noted);
# the other rows with a Closed Date are not closed (attrs only).
# The oracle is the CSV itself, read by the sqlite3 shell.
t 'the NYC 311 map imports the 311 sample (BOM, CRLF, M/D/YY dates)' '
	rm -f "$CMP_DB" &&
	printf "timezone: America/New_York\n" >ny.yaml &&
	CMP_CONFIG=ny.yaml run cmp-add --map "$EX/nyc311.map.yaml" "$DATA/$NYC" &&
	expect_status 0 && expect_empty err &&
	sqlite3 -batch nyc.db ".import --csv $DATA/$NYC r" &&
	[ "$(sql "SELECT count(*) FROM complaints")" = "$(sqlite3 -batch nyc.db "SELECT count(*) FROM r")" ] &&
	sql "SELECT status, count(*) FROM complaints GROUP BY 1 ORDER BY 1" >got &&
	printf "assigned|678\nclosed|2326\nnew|3658\nwaiting|103\n" >want && test_cmp want got &&
	[ "$(sql "SELECT received_at FROM complaints WHERE ref = \"NYC311-40611598\"")" = 2018-10-21T04:00:00Z ] &&
	sqlite3 -batch nyc.db "SELECT \"NYC311-\" || \"Unique Key\", \"Closed Date\" FROM r WHERE Status = \"Closed\" AND \"Closed Date\" != \"\" ORDER BY 1" >want &&
	sql "SELECT ref, closed_at, resolution_resolved_at FROM complaints WHERE status = \"closed\" ORDER BY 1" >got &&
	[ $(wc -l <want) = 2324 ] && [ $(wc -l <got) = 2326 ] &&
	[ "$(sql "SELECT count(*) FROM complaints c JOIN journal j ON j.complaint_id = c.id
		WHERE j.note = \"closed_at not given: assumed at the last time given\"
		AND c.closed_at = c.received_at")" = 2 ] &&
	awk -F"|" "\$2 != \$3 { bad++ } END { exit bad }" got &&
	[ "$(sql "SELECT count(*) FROM complaints WHERE status != \"closed\" AND closed_at IS NOT NULL")" = 0 ]
'

t 'the NYC 311 sample: cmp-report counts its closed requests in October 2018' '
	closed=$(sqlite3 -batch nyc.db "SELECT count(*) FROM r WHERE Status = \"Closed\" AND (\"Closed Date\" LIKE \"10/%/18 %\" OR \"Closed Date\" = \"\")") &&
	CMP_CONFIG=ny.yaml CMP_NOW=2019-01-01T00:00:00Z cmp-report --period 2018-10 --format json >rep &&
	[ "$(jq .counts.closed rep)" = "$closed" ] &&
	[ "$(jq .counts.resolved rep)" = "$closed" ] &&
	[ "$(sql "SELECT count(*) FROM journal WHERE field = \"status\" AND new = \"closed\" AND at >= \"2018-10-01T04:00:00Z\" AND at < \"2018-11-01T04:00:00Z\"")" = "$closed" ]
'
else
	skip 'the NYC 311 map' "no $DATA/$NYC"
	skip 'the NYC 311 report' "no $DATA/$NYC"
fi

done_testing
