#!/bin/sh
# A caller's history: cmp-list --customer (phone numbers by their
# digits), --product, --serial, --batch, --root-cause, --accountable,
# --reopened, each against the sqlite3 shell; cmp-show's other
# complaints of the customer and likely duplicates.
. "${0%/*}/../lib.sh"

ids() {	# the ids of ./out (NDJSON), on one line
	jq -r .id out | tr '\n' ' ' | sed 's/ $//'
}
list() {
	run cmp-list "$@" && expect_status 0 && ids
}
# The ids a WHERE of the complaints view selects, in the sqlite3 shell.
where() {
	sql "SELECT id FROM complaints WHERE $1 ORDER BY id" | tr '\n' ' ' | sed 's/ $//'
}
# A phone number's digits by cmp-list(1)'s rule, computed apart from
# the store's (SQL) and the lookup's (C): separators out, then "00",
# then 86 before a mobile number, or before an area code (0 back).
digits() {
	printf '%s\n' "$1" | sed -e 's#[ ()./+-]##g' -e 's/^00//' -e 't a' -e ':a' \
		-e 's/^86\(1.\{10\}\)$/\1/' -e 't' -e 's/^86\(.\{9,11\}\)$/0\1/'
}
# What --customer TEXT must select: the text fields equal to it (the
# e-mail address without case), or a phone number with the same digits.
want_customer() {
	q=$(printf '%s' "$1" | sed "s/'/''/g")
	k=$(digits "$1")
	{
		sql "SELECT id FROM complaints WHERE '$q' IN (customer_name,
		     customer_contact, customer_id)
		     OR lower(customer_email) = lower('$q')"
		sql -separator ' ' "SELECT id, customer_phone FROM complaints
		     WHERE customer_phone IS NOT NULL" |
		while read -r id phone; do
			[ -n "$k" ] && [ "$(digits "$phone")" = "$k" ] && echo "$id"
		done
	} | sort -nu | tr '\n' ' ' | sed 's/ $//'
}

t 'a store: the eight samples, five more complaints by phone, e-mail and id' '
	cmp-add <"$CMP_TOP/share/complaint/examples/complaints.ndjson" >/dev/null &&
	cat >more.ndjson <<-\EOF &&
	{"customer":{"name":"王建国","phone":"13800138000"},"product":{"name":"CF-200 heat exchanger","serial":"A1709","batch":"2026-09-B"},"category":"product-quality","summary":"又漏水了","received_at":"2026-11-19T02:00:00Z"}
	{"customer":{"name":"王太太","phone":"0086 138 0013 8000","email":"WANG@example.cn"},"product":{"name":"CF-300","serial":"B2001","batch":"2026-10-A"},"summary":"噪音大","received_at":"2026-11-18T02:00:00Z"}
	{"customer":{"name":"Other","phone":"13800138001","id":"R-0931"},"summary":"另一个号码","received_at":"2026-11-18T03:00:00Z"}
	{"customer":{"name":"Wu Gang","phone":"021-5555-0101"},"summary":"again","received_at":"2026-11-19T04:00:00Z"}
	{"customer":{"name":"钱女士","phone":"+86 138 0013 8000"},"summary":"第三次","received_at":"2026-11-19T05:00:00Z"}
	EOF
	cmp-add --actor zhang.wei <more.ndjson >/dev/null &&
	cmp-update --set root_cause=seal 1 9 >/dev/null &&
	cmp-update --set root_cause=transport 6 >/dev/null &&
	cmp-assign --to sun.li 3 >/dev/null &&
	cmp-close --resolve repair 3 >/dev/null &&
	cmp-close --reopen "still leaks" 3 >/dev/null &&
	[ "$(list)" = "1 2 3 4 5 6 7 8 9 10 11 12 13" ] &&
	[ "$(sql "SELECT possible_duplicate_of FROM complaints WHERE id = 9")" = 1 ]
'

t '--customer: one number however it is written, against the sqlite3 shell' '
	[ "$(list --customer 13800138000)" = "1 9 10 13" ] &&
	for c in 13800138000 "+86 138 0013 8000" 138-0013-8000 "0086 138 0013 8000" \
		 "(+86) 138.0013.8000" 8613800138000 13800138001 3800138000 "138 0013" \
		 "021 5555 0101" "+86 21 5555 0101" 02155550101 "5555 0101" \
		 13912345678 "+86 139 1234 5678" 86; do
		want=$(want_customer "$c") && got=$(list --customer "$c") &&
		[ "$got" = "$want" ] || { echo "$c: got \"$got\", want \"$want\""; exit 1; }
	done &&
	[ "$(list --customer "+86 21 5555 0101")" = "8 12" ]
'

t '--customer: the name, contact, e-mail or customer id as stored' '
	for c in 王建国 王先生 "Li Na" li.na@example.cn WANG@example.cn wang@example.cn \
		 R-0931 R-0932 "Wu Gang" "O'"'"'Brien"; do
		want=$(want_customer "$c") && got=$(list --customer "$c") &&
		[ "$got" = "$want" ] || { echo "$c: got \"$got\", want \"$want\""; exit 1; }
	done &&
	[ "$(list --customer R-0931)" = "1 11" ] &&
	[ "$(list --customer 王建国)" = "1 9" ] &&
	[ "$(list --customer WANG@example.cn)" = "10" ] &&
	[ "$(list --customer wang@EXAMPLE.cn)" = "10" ] &&
	[ "$(list --customer 13800138000 --status assigned)" = "" ] &&
	[ "$(list --customer 13800138000 --since 2026-11-19)" = "9 13" ]
'

# Only ASCII letters are folded, on either store: PostgreSQL's lower() of
# a parameter in the database's collation folded É too, where the index
# of the column folds as SQLite does, and found nothing.
t '--customer: an e-mail with a capital beyond ASCII, as stored, and cmp-show'"'"'s others' '
	a=$(cmp-add --customer Élodie --email Élodie@Exemple.fr -m first | jq .id) &&
	b=$(cmp-add --customer Élodie --email Élodie@exemple.FR -m second | jq .id) &&
	[ "$(list --customer Élodie@exemple.fr)" = "$a $b" ] &&
	[ "$(list --customer élodie@exemple.fr)" = "" ] &&
	run cmp-show "$b" && expect_status 0 &&
	[ "$(jq -c "[.other_complaints[].id]" out)" = "[$a]" ]
'

t '--customer with nothing to look for is a usage error' '
	run cmp-list --customer "" && expect_status 64 &&
	grep -q "^cmp-list: --customer: empty" err
'

t '--product, --serial, --batch, --root-cause, --accountable, --reopened: as the sqlite3 shell selects' '
	for f in "--product|CF-200 heat exchanger|product_name IN (\"CF-200 heat exchanger\")" \
		 "--product|CF-300,Order 88213|product_name IN (\"CF-300\", \"Order 88213\")" \
		 "--serial|A1709|product_serial = \"A1709\"" \
		 "--serial|A1709,A1802,B2001|product_serial IN (\"A1709\", \"A1802\", \"B2001\")" \
		 "--batch|2026-09-B|product_batch = \"2026-09-B\"" \
		 "--batch|2026-10-A,none|product_batch IN (\"2026-10-A\", \"none\")" \
		 "--root-cause|seal|root_cause = \"seal\"" \
		 "--root-cause|seal,transport|root_cause IN (\"seal\", \"transport\")" \
		 "--accountable|zhang.wei|accountable = \"zhang.wei\"" \
		 "--accountable|tester,nobody|accountable IN (\"tester\", \"nobody\")"; do
		o=${f%%|*} r=${f#*|} v=${r%%|*} w=${r#*|}
		want=$(where "$w") && got=$(list "$o" "$v") &&
		[ -n "$want" ] && [ "$got" = "$want" ] ||
			{ echo "$o $v: got \"$got\", want \"$want\""; exit 1; }
	done &&
	[ "$(list --reopened)" = "3" ] && [ "$(list --reopened)" = "$(where "reopened > 0")" ] &&
	[ "$(list --serial A1709 --root-cause seal --accountable zhang.wei)" = "9" ] &&
	[ "$(list --batch 2026-09-B --customer 13800138000)" = "1 9" ]
'

t '--explain: each lookup of a caller history runs on an index' '
	prefer_indexes &&
	run cmp-list --customer 13800138000 --explain && expect_status 0 &&
	if on_pg; then
		for i in phone_digits email_folded customer name contact; do
			plan_uses complaint_$i || exit 1
		done
	else
		grep -q "complaint_phone_digits (customer_phone_digits=?)" out &&
		grep -q "complaint_email_folded (<expr>=?)" out &&
		grep -q "complaint_customer (customer_id=?)" out &&
		grep -q "complaint_name (customer_name=?)" out &&
		grep -q "complaint_contact (customer_contact=?)" out
	fi &&
	for f in "--customer 13800138000" "--product CF-300" "--serial A1709" \
		 "--batch 2026-09-B" "--root-cause seal" "--accountable zhang.wei" \
		 "--reopened"; do
		run cmp-list $f --explain && expect_status 0 &&
		if grep -Eq "SCAN complaint\$|Seq Scan on complaint( |\$)" out; then echo "$f: a full scan"; cat out; exit 1; fi
	done &&
	run cmp-list --serial A1709 --explain && grep -q "complaint_serial" out &&
	run cmp-list --batch 2026-09-B --explain && grep -q "complaint_batch" out &&
	run cmp-list --reopened --explain && grep -q "complaint_reopened" out
'

t 'the digits follow the stored number: changed in the shell or by cmp-update' '
	cmp-update --set customer.phone="+86 137 0000 1111" 12 >/dev/null &&
	[ "$(list --customer 13700001111)" = "5 12" ] &&
	sql "UPDATE complaint SET customer_phone = '"'"'021 5555 0101'"'"' WHERE id = 12" &&
	[ "$(list --customer 13700001111)" = "5" ] &&
	[ "$(list --customer +862155550101)" = "8 12" ]
'

# The others of complaint $1 (its customer's id $2, phone $3), as the
# sqlite3 shell finds them, most recent first: id, status, received,
# summary, a line each.
want_others() {
	sql -separator "$(printf '\t')" "SELECT id, status, received_at, summary
	     FROM complaints WHERE id != $1 AND (customer_id = '$2'
	     OR id IN (0 $(want_customer "$3" | sed 's/[0-9][0-9]*/, &/g')))
	     ORDER BY received_at DESC, id DESC"
}

t 'cmp-show: the customer'"'"'s other complaints, most recent first, as the sqlite3 shell finds them' '
	run cmp-show 1 && expect_status 0 &&
	jq -e "(keys_unsorted | .[-5:]) == [\"journal\", \"deadlines\",
	       \"other_complaints\", \"likely_duplicates\", \"duplicates\"]" out &&
	jq -r ".other_complaints[] | [.id, .status, .received_at, .summary] | @tsv" out >got &&
	want_others 1 R-0931 13800138000 >want && test_cmp want got &&
	[ "$(jq -r "[.other_complaints[].id] | join(\" \")" out)" = "13 9 11 10" ] &&
	run cmp-show 13 && jq -r ".other_complaints[] | [.id, .status, .received_at, .summary] | @tsv" out >got &&
	want_others 13 none "+86 138 0013 8000" >want && test_cmp want got &&
	run cmp-show 4 && jq -e ".other_complaints == [] and .likely_duplicates == []" out
'

t 'cmp-show: the likely duplicates, both ways' '
	run cmp-show 9 && expect_status 0 &&
	jq -e "[.likely_duplicates[].id] == [1] and .likely_duplicates[0].status == \"new\"
	       and .likely_duplicates[0].received_at == \"2026-11-16T01:20:00Z\"" out &&
	run cmp-show 1 && jq -e "[.likely_duplicates[].id] == [9]" out &&
	[ "$(sql "SELECT id FROM complaints WHERE possible_duplicate_of = 1")" = 9 ]
'

t 'cmp-show --format text: the three sections after the journal' '
	run cmp-show --format text 9 && expect_status 0 &&
	sed -n "/^Other complaints of the customer:\$/,\$p" out >got &&
	cat >want <<-\EOF &&
	Other complaints of the customer:
	    13      new       2026-11-19 13:00  第三次
	    10      new       2026-11-18 10:00  噪音大
	    1       new       2026-11-16 09:20  冷凝器进口漏水
	Likely duplicates:
	    1       new       2026-11-16 09:20  冷凝器进口漏水
	Closed as its duplicates:
	    none
	EOF
	test_cmp want got &&
	grep -n "^Journal:" out | cut -d: -f1 >j && grep -n "^Other complaints" out | cut -d: -f1 >o &&
	[ "$(cat j)" -lt "$(cat o)" ] &&
	run cmp-show --format text 4 && tail -6 out >got &&
	printf "Other complaints of the customer:\n    none\nLikely duplicates:\n    none\n" >want &&
	printf "Closed as its duplicates:\n    none\n" >>want &&
	test_cmp want got
'

t 'cmp-show --redact masks what the others'"'"' summaries hold' '
	cmp-update --set summary="请回电 13800138000" 13 >/dev/null &&
	run cmp-show --redact 1 && expect_status 0 &&
	jq -e ".other_complaints[0] | .id == 13 and (.summary | contains(\"138****8000\"))" out &&
	! grep -q 13800138000 out
'

done_testing
