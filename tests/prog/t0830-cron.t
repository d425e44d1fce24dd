#!/bin/sh
# The example crontab as installed, for a week of simulated time (issue
# 22): CMP_NOW steps every 30 minutes from Friday to the next Friday and
# each line whose schedule matches the moment runs, as cron would run it
# (sh -c in $HOME, with the crontab's variables), the installed examples'
# path replaced by the tree's and CONTACT by a stub that records its
# calls.  Every line exits 0 and prints nothing all week (cron mails
# nothing), complaints climb one level per escalation.after_overdue,
# those without a department too, and the reports land in the report
# directory, where old ones are cleaned.
. "${0%/*}/../lib.sh"

EX=$CMP_TOP/share/complaint/examples
# cron's clock is the machine's; the business calendar's is Shanghai
CRON_TZ=Asia/Shanghai

# cron_match FIELD VALUE LO HI: VALUE matches the crontab FIELD (*, */N,
# N, A-B, A-B/N, lists of them).
cron_match() {
	awk -v f="$1" -v v="$2" -v lo="$3" -v hi="$4" 'BEGIN {
		n = split(f, items, ",")
		for (i = 1; i <= n; i++) {
			item = items[i]; step = 1
			if (split(item, sp, "/") == 2) { item = sp[1]; step = sp[2] + 0 }
			if (item == "*") { a = lo; b = hi }
			else if (split(item, r, "-") == 2) { a = r[1] + 0; b = r[2] + 0 }
			else { a = item + 0; b = (step > 1 ? hi : a) }
			if (v >= a && v <= b && (v - a) % step == 0) exit 0
		}
		exit 1
	}'
}

# cron_due MIN HOUR DOM MON DOW M H D MO W: the schedule's five fields
# match the moment (day of month or of week, as cron does when both are
# given; Sunday is 0 or 7).
cron_due() {
	cron_match "$1" "$6" 0 59 && cron_match "$2" "$7" 0 23 &&
		cron_match "$4" "$9" 1 12 || return 1
	if [ "$3" != "*" ] && [ "$5" != "*" ]; then
		cron_match "$3" "$8" 1 31 || cron_match "$5" "${10}" 0 7 ||
			{ [ "${10}" = 0 ] && cron_match "$5" 7 0 7; }
	else
		cron_match "$3" "$8" 1 31 && { cron_match "$5" "${10}" 0 7 ||
			{ [ "${10}" = 0 ] && cron_match "$5" 7 0 7; }; }
	fi
}

t 'the schedule matcher reads the five fields as cron does' '
	cron_due "*/30" "*" "*" "*" "*" 30 4 21 11 6 &&
	! cron_due "*/30" "*" "*" "*" "*" 15 4 21 11 6 &&
	cron_due 0 7 "*" "*" "*" 0 7 1 1 0 &&
	cron_due 0 9 "*" "*" 1-5 0 9 23 11 1 &&
	! cron_due 0 9 "*" "*" 1-5 0 9 21 11 6 &&
	cron_due 0 9 "*" "*" 0 0 9 22 11 0 && cron_due 0 9 "*" "*" 7 0 9 22 11 0 &&
	cron_due "5,10-20/5" "*" "*" "*" "*" 15 3 1 1 1 &&
	! cron_due "5,10-20/5" "*" "*" "*" "*" 12 3 1 1 1 &&
	cron_due 0 0 1 "*" 1 0 0 2 3 1 && ! cron_due 0 0 1 "*" 1 0 0 2 3 2
'

# The crontab as installed: its jobs (five fields and the command, with
# cron's \% unescaped) and its variable lines, the paths made the tree's.
sed -e "s|/usr/local/share/complaint/examples|$EX|g" \
    -e "s|/usr/local/bin/call-customer|$TEST_ROOT/contact|g" \
    "$EX/crontab" >crontab.tree
grep -v '^[[:space:]]*#' crontab.tree | grep . |
	grep -v '^[A-Za-z_][A-Za-z0-9_]*=' | sed 's/\\%/%/g' >jobs
grep '^[A-Za-z_][A-Za-z0-9_]*=' crontab.tree >vars || :

# The CONTACT stub: records the complaint called about, says how it went.
cat >contact <<EOF
#!/bin/sh
jq -r '"#\(.id)"' >>"$TEST_ROOT/calls" && echo "called, all well"
EOF
chmod +x contact

# step EPOCH: run every job due at that moment, as cron would; a job that
# exits non-zero or prints anything is logged in ./failures.
step() {
	set -- "$1" $(TZ=$CRON_TZ date -d "@$1" "+%M %H %d %m %w" |
		sed 's/\b0\([0-9]\)/\1/g')
	job_now=$(date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ)
	while read -r m h dom mon dow cmd; do
		cron_due "$m" "$h" "$dom" "$mon" "$dow" "$2" "$3" "$4" "$5" "$6" ||
			continue
		( cd "$HOME" && set -a && . "$TEST_ROOT/vars" && set +a &&
		  CMP_NOW=$job_now exec sh -c "$cmd" ) >job.out 2>job.err </dev/null
		rc=$?
		echo "$job_now $rc ${cmd%% *}" >>ran
		if [ $rc != 0 ] || [ -s job.out ] || [ -s job.err ]; then
			{ echo "$job_now: $cmd: exit $rc"; cat job.out job.err; } >>failures
		fi
	done <jobs
}

# local DATE-TIME in Shanghai -> epoch
epoch() {
	TZ=$CRON_TZ date -d "$1" +%s
}

# at LOCAL-TIME CMD...: CMD with the clock at that moment (the week's
# events happen between two cron runs).
at() {
	when=$1; shift
	CMP_NOW=$(date -u -d "@$(epoch "$when")" +%Y-%m-%dT%H:%M:%SZ) "$@" >/dev/null
}

# The week's events, by local time: what the front line does between the
# cron runs.
events() {
	case $1 in
	"Fri 14:00")
		# 1: no rule gives it a department; 2: counterfeit, quality,
		# critical; 3: delivery, logistics
		at "2026-11-20 14:00" cmp-add --customer "王先生" --phone 13800138000 -m "发票抬头错误"
		at "2026-11-20 14:00" cmp-add --customer "赵女士" -m "疑似假烟 counterfeit"
		at "2026-11-20 14:00" cmp-add --customer "Li Na" --category delivery -m "parcel late" ;;
	"Fri 15:00")
		# 4: handled and resolved: a call-back in 3 days
		at "2026-11-20 15:00" cmp-add --customer "孙先生" -m "noise"
		at "2026-11-20 15:10" cmp-assign --to zhang.wei 4
		at "2026-11-20 15:20" cmp-close --resolve repair 4
		# 5: rejected; its reply is due Monday 15:00
		at "2026-11-20 15:00" cmp-add --customer "钱女士" -m "not our product"
		at "2026-11-20 15:10" cmp-close --reject "not ours" 5 ;;
	"Mon 10:00")
		# 6: taken by a person, no department; reply due Tuesday 10:00
		at "2026-11-23 10:00" cmp-add --customer "周先生" -m "manual missing"
		at "2026-11-23 10:10" cmp-assign --to zhang.wei 6 ;;
	"Mon 21:00")
		# 5's customer is told why: its reply deadline is met
		at "2026-11-23 21:10" cmp-followup --log "told her why" 5 ;;
	esac
}

export HOME="$TEST_ROOT/home"
mkdir -p "$HOME"
REPORTS=$TEST_ROOT/reports
export CMP_REPORT_DIR="$REPORTS"

# Old reports and logs (by their files' times) and a recent one.
mkdir -p "$REPORTS"
touch -d "100 days ago" "$REPORTS/complaints-2026-08-01.html" \
	"$REPORTS/escalated-2026-08-01.ndjson"
touch -d "10 days ago" "$REPORTS/complaints-2026-11-10.html"
touch "$REPORTS/notes.txt"

if [ -n "${CMP_VALGRIND:-}" ]; then
	# valgrind runs each program twenty times slower: the weekend only
	first="2026-11-20 14:00" last="2026-11-21 08:00"
else
	first="2026-11-20 00:00" last="2026-11-27 00:00"
fi
now=$(epoch "$first") end=$(epoch "$last")
: >ran; : >levels
while [ "$now" -le "$end" ]; do
	events "$(TZ=$CRON_TZ date -d "@$now" "+%a %H:%M")"
	step "$now"
	echo "$(TZ=$CRON_TZ date -d "@$now" "+%a %H:%M") $(sql "SELECT group_concat(id || ':' || escalation, ' ') FROM (SELECT id, escalation FROM complaints ORDER BY id)")" >>levels
	now=$((now + 1800))
done

t 'every line of the crontab ran, exited 0 and printed nothing' '
	[ ! -e failures ] || { cat failures; false; } &&
	[ "$(grep -c " 0 d=" ran)" -ge 37 ] &&
	if [ -z "${CMP_VALGRIND:-}" ]; then
		[ "$(grep -c " 0 d=" ran)" = 337 ] &&
		[ "$(grep -c " 0 sh" ran)" = 7 ] &&
		[ "$(grep -c " 0 CONTACT=" ran)" = 5 ]
	fi
'

t 'without a department: escalated along escalation.ladder, one level per 4h' '
	grep -E "^(Fri 21:30|Fri 22:00|Sat 01:30|Sat 02:00|Sat 05:30|Sat 06:00|Sat 08:00) " levels |
		cut -d" " -f1,2,3 >got &&
	cat >want <<-EOF &&
	Fri 21:30 1:0
	Fri 22:00 1:1
	Sat 01:30 1:1
	Sat 02:00 1:2
	Sat 05:30 1:2
	Sat 06:00 1:3
	Sat 08:00 1:3
	EOF
	test_cmp want got &&
	[ "$(sql "SELECT coalesce(department, \"-\") || \"|\" || owner || \"|\" || accountable FROM complaints WHERE id = 1")" = "-|ceo|tester" ]
'

t 'no complaint rose more than one level between two runs' '
	awk "{ for (i = 3; i <= NF; i++) { split(\$i, a, \":\");
		if (a[1] in was && a[2] > was[a[1]] + 1) { print; bad = 1 }
		was[a[1]] = a[2] } } END { exit bad }" levels
'

if [ -n "${CMP_VALGRIND:-}" ]; then
	skip 'the rest of the week' 'the weekend only under valgrind'
	done_testing
	exit $?
fi

t 'the week: the rejected and the handed complaints climb while their reply is due' '
	grep -E "^(Mon 18:30|Mon 19:00|Mon 23:00|Tue 10:00|Tue 14:00|Tue 18:00|Thu 23:30) " levels |
		awk "{ print \$1, \$2, \$7, \$8 }" >got &&
	cat >want <<-EOF &&
	Mon 18:30 5:0 6:0
	Mon 19:00 5:1 6:0
	Mon 23:00 5:1 6:0
	Tue 10:00 5:1 6:0
	Tue 14:00 5:1 6:1
	Tue 18:00 5:1 6:2
	Thu 23:30 5:1 6:3
	EOF
	test_cmp want got &&
	sql "SELECT id, status, coalesce(department, \"-\"), owner FROM complaints WHERE id IN (5, 6) ORDER BY id" >got &&
	printf "5|rejected|-|wang.lead\n6|assigned|-|ceo\n" >want && test_cmp want got
'

t 'the escalation logs: one NDJSON record per escalation the journal holds' '
	cat "$REPORTS"/escalated-*.ndjson >all.ndjson &&
	jq -e -s "length > 0 and all(.[]; .id >= 1 and (.escalation | type) == \"number\")" all.ndjson &&
	[ "$(wc -l <all.ndjson)" = "$(sql "SELECT count(*) FROM journal WHERE field = \"escalation\" AND program = \"cmp-assign\"")" ] &&
	jq -r "[.id, .escalation] | @tsv" all.ndjson | sort -n -k1 -k2 >got &&
	sql -separator "	" "SELECT complaint_id, new FROM journal WHERE field = \"escalation\" ORDER BY 1, 2" >want &&
	test_cmp want got &&
	[ "$(sql "SELECT count(*) FROM complaints WHERE department IS NULL AND escalation > 0")" = 3 ]
'

t 'the daily reports land in CMP_REPORT_DIR; old ones are cleaned' '
	ls "$REPORTS" | grep -v "^escalated-" >got &&
	cat >want <<-EOF &&
	complaints-2026-11-10.html
	complaints-2026-11-19.html
	complaints-2026-11-20.html
	complaints-2026-11-21.html
	complaints-2026-11-22.html
	complaints-2026-11-23.html
	complaints-2026-11-24.html
	complaints-2026-11-25.html
	notes.txt
	EOF
	test_cmp want got &&
	[ ! -e "$REPORTS/escalated-2026-08-01.ndjson" ] &&
	grep -q "<title>Complaints: 2026-11-20</title>" "$REPORTS/complaints-2026-11-20.html" &&
	# the report counts the complaints received that day (Shanghai)
	n=$(sql "SELECT count(*) FROM complaints WHERE received_at >= \"2026-11-19T16:00:00Z\" AND received_at < \"2026-11-20T16:00:00Z\"") &&
	[ "$n" = 5 ] &&
	grep -q "^<tr><td class=\"n big\">$n</td>" "$REPORTS/complaints-2026-11-20.html" &&
	[ -z "$(ls "$HOME")" ]
'

t 'the morning rounds called the customers due, on working days only' '
	[ "$(cat calls)" = "#4" ] &&
	grep " 0 CONTACT=" ran | cut -c1-10 >got &&
	printf "%s\n" 2026-11-20 2026-11-23 2026-11-24 2026-11-25 2026-11-26 >want &&
	test_cmp want got &&
	[ "$(sql "SELECT done_at || \"|\" || note FROM followups WHERE complaint_id = 4")" = "2026-11-23T01:00:00Z|called, all well" ]
'

t 'the defaults: reports and logs under $XDG_DATA_HOME/complaint/reports' '
	unset CMP_REPORT_DIR && : >vars && rm -f failures &&
	step "$(epoch "2026-11-27 07:00")" &&
	[ ! -e failures ] &&
	ls "$XDG_DATA_HOME/complaint/reports" | grep -q "^complaints-2026-11-26.html$" &&
	ls "$XDG_DATA_HOME/complaint/reports" | grep -q "^escalated-.*\.ndjson$"
'

t 'a CONTACT that does not exist is said plainly: 78' '
	CONTACT=/usr/local/bin/call-customer-not-here run sh "$EX/morning-followup.sh" &&
	expect_status 78 && expect_err "morning-followup: CONTACT: no command '"'"'/usr/local/bin/call-customer-not-here'"'"'"
'

done_testing
