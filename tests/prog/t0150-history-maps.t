#!/bin/sh
# The shipped maps of exports that bring their history (cfpb.map.yaml,
# baltimore311.map.yaml, uci-incidents.map.yaml) on the real data in
# ../shared/data (each skipped when its data is absent): imported, then
# counted per month by cmp-report against counts made over the source
# CSV itself (the sqlite3 shell's .import, awk), never through our code.
. "${0%/*}/../lib.sh"

EX=$CMP_TOP/share/complaint/examples

# raw CSV: the export as a table "raw" of a database of its own.
raw() {
	rm -f raw.db && sqlite3 -batch raw.db ".import --csv \"$1\" raw"
}

# monthly: "month|received|acknowledged|resolved|closed" of cmp-report
# --period for each month on stdin.
monthly() {
	while read -r m; do
		printf "%s|" "$m"
		cmp-report --period "$m" | jq -r '.counts |
			"\(.received)|\(.acknowledged)|\(.resolved)|\(.closed)"'
	done
}

CFPB=cfpb-ccdb-sample-2015-2020/complaints_sample.csv
if have_data $CFPB; then
t 'CFPB: the sample imports, closed or still with the company' '
	run cmp-add --map "$EX/cfpb.map.yaml" "$DATA/$CFPB" &&
	expect_status 0 && expect_empty err &&
	raw "$DATA/$CFPB" &&
	sqlite3 -batch raw.db "SELECT CASE WHEN \"Company response to consumer\" LIKE
		\"Closed%\" THEN \"closed\" ELSE \"assigned\" END, count(*) FROM raw
		GROUP BY 1 ORDER BY 1" >want &&
	sql "SELECT status, count(*) FROM complaints GROUP BY 1 ORDER BY 1" >got &&
	test_cmp want got &&
	sqlite3 -batch raw.db "SELECT \"Company response to consumer\", count(*) FROM raw
		GROUP BY 1 ORDER BY 1" >want &&
	sql "SELECT json_extract(attrs, \"$.company_response\"), count(*) FROM complaints
		GROUP BY 1 ORDER BY 1" >got &&
	test_cmp want got &&
	sqlite3 -batch raw.db "SELECT count(*) FROM raw WHERE \"Company response to consumer\"
		= \"Closed with monetary relief\"" >want &&
	sql "SELECT count(*) FROM complaints WHERE resolution_type = \"compensation\"" >got &&
	test_cmp want got
'

t 'CFPB: received, sent (acknowledged) and closed per month, as the CSV says' '
	raw "$DATA/$CFPB" &&
	sqlite3 -batch raw.db "SELECT m, sum(r), sum(a), sum(c), sum(c) FROM (
		SELECT substr(\"Date received\", 1, 7) AS m, 1 AS r, 0 AS a, 0 AS c FROM raw
		UNION ALL SELECT substr(\"Date sent to company\", 1, 7), 0, 1,
			\"Company response to consumer\" LIKE \"Closed%\" FROM raw)
		GROUP BY m ORDER BY m" >want &&
	[ $(wc -l <want) -gt 50 ] &&
	cut -d"|" -f1 want | monthly >got &&
	test_cmp want got
'

t 'CFPB: the times the export does not give are assumed, and the journal says so' '
	want=$(sqlite3 -batch raw.db "SELECT count(*) FROM raw WHERE \"Company response to consumer\" LIKE \"Closed%\"") &&
	[ "$(sql "SELECT count(*) FROM journal WHERE field = \"status\" AND new = \"closed\"
		AND note LIKE \"closed_at not given: assumed%\"")" = "$want" ] &&
	[ "$(sql "SELECT count(*) FROM complaints WHERE status = \"closed\"
		AND closed_at = acknowledged_at")" = "$want" ] &&
	[ "$(sql "SELECT count(*) FROM complaints c JOIN journal j ON j.complaint_id = c.id
		WHERE j.field = '\''status'\'' AND j.new = '\''resolved'\'' AND j.at = c.acknowledged_at
		AND j.note LIKE \"resolution.resolved_at not given: assumed%\"")" = "$want" ]
'
else
	skip 'the CFPB sample' "no $DATA/$CFPB"
fi

BAL=baltimore-311-sample/311_sample.csv
if have_data $BAL; then
# The CSV's times as sortable local text: "04/12/2018 01:05:09 PM" is
# "2018-04-12 13:05:09".
iso() {
	printf "substr(%s, 7, 4) || \"-\" || substr(%s, 1, 2) || \"-\" || substr(%s, 4, 2)
		|| \" \" || printf(\"%%02d\", substr(%s, 12, 2) %% 12
		+ CASE substr(%s, 21, 2) WHEN \"PM\" THEN 12 ELSE 0 END) || substr(%s, 14, 6)" \
		"$1" "$1" "$1" "$1" "$1" "$1"
}

t 'Baltimore 311: ten thousand requests, each status as SRStatus says' '
	rm -f "$CMP_DB" &&
	printf "timezone: America/New_York\nsla:\n  calendar: 24x7\n  default: {ack: 4h, reply: 1d, resolve: 5d}\n" >ny.yaml &&
	CMP_CONFIG=ny.yaml run cmp-add --map "$EX/baltimore311.map.yaml" "$DATA/$BAL" &&
	expect_status 0 && expect_empty err &&
	raw "$DATA/$BAL" &&
	sqlite3 -batch raw.db "SELECT CASE WHEN SRStatus LIKE \"Closed%\" THEN \"closed\"
		WHEN SRStatus LIKE \"New%\" THEN \"new\" WHEN SRStatus = \"Pending\" THEN \"waiting\"
		ELSE \"assigned\" END, count(*) FROM raw GROUP BY 1 ORDER BY 1" >want &&
	sql "SELECT status, count(*) FROM complaints GROUP BY 1 ORDER BY 1" >got &&
	test_cmp want got &&
	[ "$(sql "SELECT count(*) FROM complaints WHERE resolution_note = \"closed as a duplicate of another request\"")" = \
	  "$(sqlite3 -batch raw.db "SELECT count(*) FROM raw WHERE SRStatus = \"Closed (Duplicate)\"")" ]
'

t 'Baltimore 311: received and closed per month by CreatedDate and CloseDate' '
	sqlite3 -batch raw.db "SELECT m, sum(r), 0, sum(c), sum(c) FROM (
		SELECT substr(CreatedDate, 7, 4) || \"-\" || substr(CreatedDate, 1, 2) AS m,
			1 AS r, 0 AS c FROM raw
		UNION ALL SELECT substr(CloseDate, 7, 4) || \"-\" || substr(CloseDate, 1, 2), 0, 1
			FROM raw WHERE SRStatus LIKE \"Closed%\")
		GROUP BY m ORDER BY m" >want &&
	[ $(wc -l <want) -gt 50 ] &&
	cut -d"|" -f1 want | CMP_CONFIG=ny.yaml monthly >got &&
	test_cmp want got
'

# The resolve deadline: the city's DueDate, else (a few rows) five days
# from CreatedDate (the configuration's, round the clock); met when the
# request was closed by then.
t 'Baltimore 311: the resolve deadlines of 2018, the city'"'"'s own, met when closed by them' '
	CMP_CONFIG=ny.yaml cmp-report --period 2018 >y.json &&
	sqlite3 -batch raw.db "SELECT count(*) FROM (SELECT CASE WHEN DueDate = \"\"
		THEN datetime($(iso CreatedDate), \"+5 days\") ELSE $(iso DueDate) END AS due,
		$(iso CloseDate) AS closed, SRStatus FROM raw)
		WHERE due LIKE \"2018-%\" AND SRStatus LIKE \"Closed%\" AND closed <= due" >want &&
	[ "$(cat want)" -gt 1000 ] &&
	jq .deadlines.resolve.met y.json >got &&
	test_cmp want got
'
else
	skip 'the Baltimore 311 sample' "no $DATA/$BAL"
fi

UCI=uci-incident-event-log-subset/incident_event_log_subset.csv
if have_data $UCI; then
# uci_oracle: what the import must do with each row, by awk over the CSV
# (cmp-add(1), --update): a row updated before its incident was opened
# is refused; the first other one adds the incident; one with the same
# content is a replay (true later: the incident's time moves on); one
# older than the incident's time is skipped; else it updates, dated at
# its sys_updated_at.  Leaves rows (LINE refused, LINE skipped NUMBER),
# prio (REF|priority at the end) and sev (NUMBER|sys_updated_at of each
# change of priority).
uci_oracle() {
	tr -d "\r" <"$DATA/$UCI" | awk -F, '
	function key(t) { return substr(t, 7, 4) substr(t, 4, 2) substr(t, 1, 2) substr(t, 12, 2) substr(t, 15, 2) }
	NR > 1 {
		t = key($14)
		if (t < key($10)) { print NR " refused" >"rows"; next }
		sig = $5 FS $7 FS $8 FS $10 FS $15 FS $17 FS $18 FS $19 FS $21 FS $22 FS $23 FS $24 FS $25 FS $33 FS $34 FS $35 FS $36
		if (!($1 in at)) { at[$1] = t; s[$1] = sig; p[$1] = $23; next }
		if (sig == s[$1]) { if (t > at[$1]) at[$1] = t; next }
		if (t < at[$1]) { print NR " skipped " $1 >"rows"; next }
		if ($23 != p[$1]) print $1 "|" $14 >"sev"
		at[$1] = t; s[$1] = sig; p[$1] = $23
	}
	END { for (k in p) print "UCI-" k "|" p[k] >"prio" }'
	touch rows sev
}

t 'UCI incidents: an event log of 5998 rows is 890 incidents, each closed' '
	rm -f "$CMP_DB" &&
	run cmp-add --update --map "$EX/uci-incidents.map.yaml" "$DATA/$UCI" &&
	expect_status 65 &&
	uci_oracle && [ $(grep -c refused rows) = 5 ] &&
	grep refused rows | while read -r n _; do
		grep -q "^cmp-add: $DATA/$UCI:$n: updated_at: .* is before received_at " err ||
			{ echo "line $n not refused"; exit 1; }
	done &&
	sed -n "s/^cmp-add: [^:]*:\([0-9]*\): updated_at: skipped: .* (ref .UCI-\(.*\).), updated at .*/\1 skipped \2/p" err >got &&
	{ grep skipped rows || true; } >want &&
	test_cmp want got &&
	[ $(wc -l <err) = $(wc -l <rows) ] &&
	want=$(tr -d "\r" <"$DATA/$UCI" | awk -F, "NR > 1 { n[\$1] = 1 } END { print length(n) }") &&
	[ "$want" = 890 ] &&
	[ "$(sql "SELECT count(*) FROM complaints WHERE status = \"closed\"")" = "$want" ]
'

# An incident without resolved_at is resolved at the last time it gives
# before its closing: when it was opened (cmp-add(1), Importing history).
t 'UCI incidents: resolved and closed per month by resolved_at and closed_at' '
	tr -d "\r" <"$DATA/$UCI" | awk -F, "NR > 1 && !seen[\$1]++ {
		r = \$35 == \"?\" ? \$10 : \$35
		split(r, a, /[- ]/); res[a[3] \"-\" a[2]]++
		split(\$36, b, /[- ]/); cl[b[3] \"-\" b[2]]++
		split(\$10, c, /[- ]/); rec[c[3] \"-\" c[2]]++
		m[a[3] \"-\" a[2]]; m[b[3] \"-\" b[2]]; m[c[3] \"-\" c[2]] }
		END { for (k in m) printf \"%s|%d|0|%d|%d\n\", k, rec[k], res[k], cl[k] }" |
		sort >want &&
	[ $(wc -l <want) -ge 2 ] &&
	cut -d"|" -f1 want | monthly >got &&
	test_cmp want got
'

t 'UCI incidents: the latest row of an incident gives its priority' '
	uci_oracle &&
	sed -e "s/1 - Critical/critical/; s/2 - High/high/; s/3 - Moderate/normal/; s/4 - Low/low/" prio |
		sort >want &&
	sql "SELECT ref, severity FROM complaints ORDER BY ref" >got &&
	test_cmp want got
'

# The journal in UTC, the log in the configuration's zone (Shanghai, +8).
t 'UCI incidents: each change of priority journalled at its sys_updated_at' '
	uci_oracle && [ $(wc -l <sev) -gt 10 ] && sort sev >want &&
	sql "SELECT substr(c.ref, 5) || \"|\" || j.at FROM journal j
		JOIN complaints c ON c.id = j.complaint_id WHERE j.field = '\''severity'\''" |
		jq -rR "split(\"|\") | .[0] + \"|\" +
			(.[1] | fromdateiso8601 + 8 * 3600 | strftime(\"%d-%m-%Y %H:%M\"))" |
		sort >got &&
	test_cmp want got
'

# The log as it is against its last states: for each incident the row the
# import keeps last (the latest sys_updated_at not before opened_at, the
# later row on a tie), which carries the times it was opened, resolved
# and closed.  Every month's report, and --as-of moments inside them, in
# every format, byte for byte; the stores row for row but created_at.
uci_reports() {
	for m in $(cat months); do
		for f in json table csv markdown; do
			cmp-report --period "$m" --format $f || return 1
			cmp-report --period "$m" --as-of "$m-15T12:00:00Z" --format $f || return 1
		done
	done
	sql "SELECT * FROM complaints ORDER BY ref" | cut -d"|" -f1-55,57-
}

t 'UCI incidents: the log row by row and its last states, the same reports and store' '
	tr -d "\r" <"$DATA/$UCI" | awk -F, '"'"'
	function key(t) { return substr(t, 7, 4) substr(t, 4, 2) substr(t, 1, 2) substr(t, 12, 2) substr(t, 15, 2) }
	NR == 1 { print; next }
	key($14) < key($10) { next }
	!($1 in at) { n[++k] = $1 }
	!($1 in at) || key($14) >= at[$1] { at[$1] = key($14); row[$1] = $0 }
	{ split($10, d, /[- ]/); m[d[3] "-" d[2]]
	  if ($36 != "?") { split($36, d, /[- ]/); m[d[3] "-" d[2]] } }
	END { for (i = 1; i <= k; i++) print row[n[i]] >"/dev/stderr"
	      for (x in m) print x >"months" }'"'"' 2>last.body >last.head &&
	cat last.head last.body >last.csv && sort -o months months &&
	[ $(wc -l <last.body) = 890 ] && [ $(wc -l <months) -ge 2 ] &&
	rm -f "$CMP_DB" &&
	run cmp-add --update --map "$EX/uci-incidents.map.yaml" "$DATA/$UCI" && expect_status 65 &&
	uci_reports >row-by-row &&
	rm -f "$CMP_DB" &&
	run cmp-add --update --map "$EX/uci-incidents.map.yaml" last.csv &&
	expect_status 0 && expect_empty err && [ $(wc -l <out) = 890 ] &&
	uci_reports >last-states &&
	[ $(wc -l <row-by-row) -gt 1000 ] &&
	test_cmp row-by-row last-states
'
else
	skip 'the UCI incident log' "no $DATA/$UCI"
fi

done_testing
