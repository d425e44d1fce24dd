#!/bin/sh
# cmp-list: every filter, the sort, the fields, the formats; cmp-show.
. "${0%/*}/../lib.sh"

ids() {	# the ids of ./out (NDJSON), on one line
	jq -r .id out | tr '\n' ' ' | sed 's/ $//'
}
list() {
	run cmp-list "$@" && expect_status 0 && ids
}

t 'a store with the eight sample complaints, one handed on, one tagged' '
	cmp-add <"$CMP_TOP/share/complaint/examples/complaints.ndjson" >/dev/null &&
	cmp-assign --to sun.li 2 >/dev/null && cmp-update --tag vip 4 >/dev/null &&
	[ "$(list)" = "1 2 3 4 5 6 7 8" ]
'

t 'each filter selects what it says' '
	[ "$(list --status new)" = "1 3 4 5 6 7 8" ] &&
	[ "$(list --status assigned,closed)" = "2" ] &&
	[ "$(list --category product-quality)" = "3 6 8" ] &&
	[ "$(list --channel phone,fax)" = "1 5 8" ] &&
	[ "$(list --severity critical)" = "3 8" ] &&
	[ "$(list --tier key)" = "1 7" ] &&
	[ "$(list --owner sun.li)" = "2" ] &&
	[ "$(list --dept quality)" = "3 8" ] &&
	[ "$(list --tag key-account)" = "1 7" ] &&
	[ "$(list --tag vip)" = "4" ] &&
	[ "$(list --id 5 --id 2)" = "2 5" ] &&
	[ "$(list --ref DEMO-0004)" = "4" ]
'

t '--since and --until take any time form, naive ones in the configured zone' '
	[ "$(list --since 2026-11-19)" = "6 7 8" ] &&
	[ "$(list --until 2026-11-17)" = "1 2" ] &&
	[ "$(list --since "2026-11-17 10:30" --until 2026-11-17T08:45:00Z)" = "3" ] &&
	[ "$(list --since yesterday)" = "6 7 8" ] &&
	[ "$(list --since -1d)" = "6 7 8" ] &&
	run cmp-list --since "last tuesday" && expect_status 64 && grep -q "is not a time" err
'

t 'filters combine: all must hold' '
	[ "$(list --category product-quality --severity critical --channel fax)" = "8" ] &&
	[ "$(list --status new --tier key --since 2026-11-18)" = "7" ]
'

# Every combination of two to five of the few-valued filters, lists of
# values too, against the same WHERE in the sqlite3 shell.
t 'few-valued filters combined: the same rows as one WHERE, tested on index entries' '
	for c in "" "--category product-quality,billing"; do
	for h in "" "--channel phone,fax,web"; do
	for v in "" "--severity critical,high"; do
	for k in "" "--tier key,regular"; do
	for d in "" "--dept quality"; do
		set -- $c $h $v $k $d
		[ $# -ge 4 ] || continue
		w="1"
		[ -n "$c" ] && w="$w AND category IN (\"product-quality\", \"billing\")"
		[ -n "$h" ] && w="$w AND channel IN (\"phone\", \"fax\", \"web\")"
		[ -n "$v" ] && w="$w AND severity IN (\"critical\", \"high\")"
		[ -n "$k" ] && w="$w AND customer_tier IN (\"key\", \"regular\")"
		[ -n "$d" ] && w="$w AND department = \"quality\""
		want=$(sql "SELECT id FROM complaints WHERE $w ORDER BY id" | tr "\n" " " | sed "s/ \$//")
		got=$(list "$@") &&
		[ "$got" = "$want" ] || { echo "$*: got \"$got\", want \"$want\""; exit 1; }
	done; done; done; done; done &&
	prefer_indexes &&
	run cmp-list --category billing --severity critical --explain &&
	if on_pg; then
		# Plain terms (few_as_ids 0): the planner picks one index,
		# or both in a bitmap AND; never the whole table.
		{ plan_uses complaint_severity || plan_uses complaint_category; } &&
		! grep -q "Seq Scan" out
	else
		grep -q "USING COVERING INDEX complaint_severity" out &&
		grep -q "complaint_category (category=? AND rowid=?)" out
	fi
'

t '--overdue and --due-before: unmet deadlines, as of now' '
	# 7 and 8 were received at or after "now"; 2 was acknowledged now.
	[ "$(list --overdue)" = "1 2 3 4 5 6" ] &&
	[ "$(CMP_NOW=2026-11-16T03:00:00Z list --overdue)" = "1" ] &&
	[ "$(list --due-before 2026-11-20T03:00:00Z)" = "1 2 3 4 5 6 7" ] &&
	[ "$(list --due-before 2026-11-17T02:00:00Z)" = "1" ]
'

t '--text: Chinese of two and three characters, Latin words, phrases, any case' '
	[ "$(list --text 假烟)" = "3" ] &&
	[ "$(list --text 漏水)" = "1" ] &&
	[ "$(list --text 态度差)" = "5" ] &&
	[ "$(list --text "客服 热线")" = "5" ] &&
	[ "$(list --text "\"condenser inlet\"")" = "1" ] &&
	[ "$(list --text "\"inlet condenser\"")" = "" ] &&
	[ "$(list --text "INVOICE twice")" = "4" ] &&
	[ "$(list --text "invoice" --category delivery)" = "" ] &&
	[ "$(list --text "50%_")" = "" ]
'

t '--sort, descending, and --limit' '
	[ "$(list --sort -received_at --limit 3)" = "8 7 6" ] &&
	[ "$(list --sort severity --limit 2)" = "3 8" ] &&
	run cmp-list --sort colour && expect_status 64 && grep -q "no field .colour." err
'

t '--fields chooses and orders the columns, dotted paths and attrs keys' '
	run cmp-list --id 1 --fields summary,customer.name,due.ack,attrs.order &&
	expect_status 0 &&
	jq -e ".summary == \"冷凝器进口漏水\" and .customer == {\"name\": \"王先生\"}
	       and (.due | keys) == [\"ack\"] and (has(\"id\") | not)" out &&
	run cmp-list --id 1 --fields id,customer.name,due.ack --format csv &&
	printf "id,customer.name,due.ack\r\n1,王先生,2026-11-16T02:20:00Z\r\n" >want && test_cmp want out
'

t 'json is one array; csv and tsv have a header of field paths; csv is RFC 4180' '
	run cmp-list --format json && jq -e "type == \"array\" and length == 8" out &&
	run cmp-list --format csv --fields id,summary,description &&
	tr -d "\r" <out >lf && head -1 lf | grep -qx "id,summary,description" &&
	grep -q "\"The order was promised for 3 November and arrived on the 16th, with the box crushed.\"" out &&
	run cmp-list --format tsv --fields id,customer.name &&
	[ "$(sed -n 2p out)" = "$(printf "1\t王先生")" ] &&
	run cmp-list --format csv --fields id,tags --id 1 && grep -q "^1,key-account.\$" out
'

t 'a table lines up Chinese and Latin text by display width' '
	run cmp-list --format table --fields id,customer.name,severity,summary &&
	expect_status 0 && [ $(wc -l <out) = 9 ] &&
	perl -CSD -ne "(\$p) = /^(.*?)(?:severity|normal|high|critical)/ or next;
		\$w = length(\$p) + (() = \$p =~ /\p{Han}/g); print \"\$w\n\"" out | sort -u >widths &&
	[ $(wc -l <widths) = 1 ]
'

t 'a table never exceeds 120 columns off a terminal: long cells end in an ellipsis' '
	awk "BEGIN { printf \"{\\\"summary\\\":\\\"long\\\",\\\"customer\\\":{\\\"name\\\":\\\"n\\\"},\\\"description\\\":\\\"\"; for (i = 0; i < 100; i++) printf \"漏水 leak \"; print \"\\\"}\" }" | cmp-add >/dev/null &&
	run cmp-list --format table --fields id,description &&
	perl -CSD -ne "chomp; \$w = length(\$_) + (() = /\p{Han}|\p{Hiragana}|[\x{FF00}-\x{FFEF}]|[\x{3000}-\x{303F}]/g); exit 1 if \$w > 120" out &&
	grep -q "…" out
'

# A one- or two-character --text (假烟) cannot use the trigram index and
# scans (LIKE); every other filter searches an index.
t '--explain: every filter runs on an index' '
	prefer_indexes &&
	for f in "--category billing" "--status new" "--owner sun.li" "--dept quality" \
		 "--severity high" "--channel phone" "--tier key" "--ref DEMO-0001" \
		 "--since 2026-11-19" "--overdue" "--due-before tomorrow" "--tag vip" "--text 态度差" "--id 3"; do
		run cmp-list $f --explain && expect_status 0 &&
		if grep -Eq "SCAN complaint\$|Seq Scan on complaint( |\$)" out; then echo "$f: a full scan"; cat out; exit 1; fi
	done
'

if command -v script >/dev/null 2>&1; then
t 'colour in a table only on a terminal, and never with NO_COLOR' '
	script -qec "cmp-list --format table --limit 1" /dev/null >tty.out </dev/null &&
	grep -q "$(printf "\033")\[1m" tty.out &&
	NO_COLOR=1 script -qec "cmp-list --format table --limit 1" /dev/null >tty.out </dev/null &&
	! grep -q "$(printf "\033")" tty.out &&
	cmp-list --format table --limit 1 >plain.out && ! grep -q "$(printf "\033")" plain.out
'
else
	skip 'colour only on a terminal' "no script(1) to make one"
fi

t 'cmp-show: the record, its journal, its deadlines explained' '
	run cmp-show 2 && expect_status 0 &&
	jq -e ".id == 2 and (.journal | length) == 4 and .journal[0].program == \"cmp-add\"
	       and .journal[1].new == \"assigned\" and .deadlines.ack.met == \"2026-11-20T01:15:00Z\"
	       and .deadlines.resolve.left_seconds > 0 and .deadlines.reply.late_seconds > 0" out &&
	run cmp-show --format text 2 && expect_status 0 &&
	grep -q "^complaint 2  DEMO-0002" out && grep -q "^Journal:" out &&
	grep -q "cmp-assign  owner: null -> sun.li" out && grep -q "resolve due .* left" out
'

t 'cmp-show: an unknown id is 66 with a message, the others still shown' '
	run cmp-show 3 99 4 && expect_status 66 && grep -q "no complaint 99" err &&
	[ "$(jq -r .id out | tr "\n" " ")" = "3 4 " ]
'

t 'output streams: the first rows come before a long query ends' '
	awk "BEGIN { for (i = 0; i < 20000; i++) printf \"{\\\"summary\\\":\\\"s%d\\\",\\\"customer\\\":{\\\"name\\\":\\\"n\\\"}}\n\", i }" |
		cmp-add >/dev/null &&
	cmp-list | head -1 | jq -e ".id == 1"
'

# Past a page of rows (a backend on the network fetches them in pages):
# every row, once, in order, as the store's own shell lists them.
t 'a long listing: every row once and in order, as the store holds them' '
	cmp-list --fields id --format tsv | tail -n +2 >got &&
	sql "SELECT id FROM complaints ORDER BY id" >want &&
	[ $(wc -l <want) -gt 20000 ] && test_cmp want got &&
	cmp-list --status new --sort -id --limit 2500 --fields id --format tsv |
		tail -n +2 >got &&
	sql "SELECT id FROM complaints WHERE status = '\''new'\'' ORDER BY id DESC LIMIT 2500" >want &&
	[ $(wc -l <want) = 2500 ] && test_cmp want got
'

# One snapshot for a whole listing: the pages after the first, and each
# page's follow-ups, as they were when the listing began, whatever is
# committed while it waits on its reader (the pipe full: 600 complaints
# of 1,000 characters, pages of 256).  Read in autocommit, the last
# page's follow-ups came from a snapshot of their own, later.

t 'a listing is one snapshot: a follow-up committed while it waits is not in it' '
	rm -f "$CMP_DB" &&
	long_records 600 | cmp-add >/dev/null &&
	{ cmp-list | { IFS= read -r first; echo "$first" >listed; : >started
		n=0; while [ ! -e go ] && [ $n -lt 300 ]; do
			sleep 0.1; n=$((n + 1)); done
		cat >>listed; }; } >/dev/null 2>&1 &
	n=0; while [ ! -e started ] && [ $n -lt 300 ]; do
		sleep 0.1; n=$((n + 1)); done
	rc=0; cmp-followup --in 2d 600 >/dev/null || rc=$?
	: >go; wait
	[ $rc = 0 ] && [ $(wc -l <listed) = 600 ] &&
	jq -e "select(.id == 600) | .followups == []" listed &&
	cmp-show 600 | jq -e ".followups | length == 1"
'

done_testing
