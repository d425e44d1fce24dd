#!/bin/sh
# A bulk import reads its batch's lookups ahead (cmp_add_ahead: which
# refs the store holds, which complaints each record may duplicate) and
# must come to what one lookup a record came to.  The input is made to
# meet every case: few customers (phone, e-mail, customer id, any may be
# missing), few products and categories, times in any order across two
# months (the window is 14 days), some at the same second, refs given
# again (replays) and again with other content (refused), records
# without a time (received now, read ahead as such), batches of 2,000
# (a record may duplicate one of its own batch or of the batch before).  The oracle is jq and awk
# over what was printed, the duplicate rule written out again: the
# latest (received_at, then id) of the complaints added before it, of
# the same customer by any key, received within 14 days of it, of the
# same product or category.
. "${0%/*}/../lib.sh"

export CMP_NOW=2026-11-20T01:15:00Z

# Record i of n: its ref's number k decides its content, so a ref given
# again is the same record (a replay) but for the last few, changed.
records() {
	awk -v n="$1" 'function opt(name, v, last) {
		return v == "" ? "" : sprintf("\"%s\":\"%s\"%s", name, v, last)
	}
	BEGIN {
		split("billing service product-quality", cat, " ")
		for (i = 1; i <= n; i++) {
			k = i <= n - 400 ? i : int((i - n + 400) * 6.5)
			phone = k % 7 == 0 ? "" : sprintf("1390000%04d", (k * 7919) % 30)
			email = k % 3 == 0 ? sprintf("u%d@x.cn", (k * 31) % 20) : ""
			cid = k % 5 == 0 ? "" : sprintf("C-%d", (k * 13) % 25)
			product = k % 4 == 0 ? "" : sprintf("P%d", k % 4)
			category = k % 6 == 0 ? "" : cat[k % 3 + 1]
			s = (k * 7777) % (60 * 86400)	# from 2026-09-01
			d = int(s / 86400); s %= 86400
			t = sprintf("2026-%02d-%02dT%02d:%02d:%02dZ", (d < 30 ? 9 : 10),
				(d < 30 ? d + 1 : d - 29), s / 3600, s % 3600 / 60, s % 60)
			if (k % 11 == 0)	# ties, ordered by id
				t = "2026-09-15T12:00:00Z"
			summary = i > n - 10 ? "changed " i : "s" k
			cust = opt("phone", phone, ",") opt("email", email, ",") \
				"\"name\":\"c" k "\""
			if (cid != "")
				cust = cust ",\"id\":\"" cid "\""
			rest = opt("category", category, ",")
			if (product != "")
				rest = rest "\"product\":{\"name\":\"" product "\"},"
			if (k % 50)
				rest = rest opt("received_at", t, ",")
			printf "{\"ref\":\"D-%d\",\"summary\":\"%s\",", k, summary
			printf "\"customer\":{%s},%s\"channel\":\"phone\"}\n", cust, rest
		}
	}'
}

# The oracle: "id possible_duplicate_of" of each complaint added, by the
# rule above, from the first line printed for each id.
oracle() {
	jq -r '[.id, (.customer.phone // "-"), (.customer.email // "-"),
		(.customer.id // "-"), (.product.name // "-"), (.category // "-"),
		(.received_at | fromdateiso8601)] | @tsv' "$1" |
	awk -F '\t' -v w=$((14 * 86400)) '!seen[$1]++ {
		best = 0; bt = 0
		for (j = 1; j < n; j++) {
			if (!(($2 != "-" && $2 == ph[j]) || ($3 != "-" && $3 == em[j]) ||
			      ($4 != "-" && $4 == cu[j])))
				continue
			if (!(($5 != "-" && $5 == pr[j]) || ($6 != "-" && $6 == ca[j])))
				continue
			if (at[j] < $7 - w || at[j] > $7 + w)
				continue
			if (!best || at[j] > bt || (at[j] == bt && id[j] > best)) {
				best = id[j]; bt = at[j]
			}
		}
		id[n] = $1; ph[n] = $2; em[n] = $3; cu[n] = $4; pr[n] = $5
		ca[n] = $6; at[n] = $7; n++
		print $1, best
	} BEGIN { n = 1 }' | sort -n
}

t 'an import of 5,000: every possible duplicate as the rule says, replays the same, changed refs refused' '
	records 5000 >in &&
	run cmp-add in &&
	expect_status 65 &&
	[ $(grep -c "is already complaint .* with different content" err) = 10 ] &&
	[ $(wc -l <err) = 10 ] &&
	[ $(wc -l <out) = 4990 ] &&
	oracle out >want &&
	jq -r "[.id, (.possible_duplicate_of // 0)] | @tsv" out | tr "\t" " " |
		sort -n | uniq >got &&
	test_cmp want got &&
	[ $(awk "\$2 != 0" want | wc -l) -gt 1000 ] &&
	[ "$(sql "SELECT count(*) FROM complaint")" = $(wc -l <want) ] &&
	sql "SELECT id, coalesce(possible_duplicate_of, 0) FROM complaint ORDER BY id" |
		tr "|" " " >stored &&
	test_cmp want stored
'

t 'each replay printed as its first line; the same input again stores nothing new' '
	jq -c "{ref, id}" out | sort -u >pairs &&
	[ $(cut -d, -f1 pairs | sort -u | wc -l) = $(wc -l <pairs) ] &&
	cp out first &&
	head -4990 in >again &&
	run cmp-add again && expect_status 0 && expect_empty err &&
	test_cmp first out &&
	[ "$(sql "SELECT count(*) FROM complaint")" = $(wc -l <want) ]
'

t 'the same records one per batch of one (--atomic off, a process each) agree' '
	rm -f "$CMP_DB" &&
	head -300 in | sampled >few && [ $(wc -l <few) -ge 75 ] &&
	while read -r line; do printf "%s\n" "$line" | cmp-add; done <few >one 2>/dev/null &&
	rm -f "$CMP_DB" &&
	cmp-add few >bulk &&
	test_cmp one bulk
'

# A batch whose lookups fill part of the read-ahead statement, after
# a batch that filled more of it: the places it leaves must not ask the
# earlier batch's questions again (they came back as the duplicates of
# another record of the same place in the batch).
t 'a batch after another: no record takes the duplicates the batch before asked for' '
	rm -f "$CMP_DB" &&
	echo "{\"summary\":\"S\",\"customer\":{\"name\":\"s\",\"phone\":\"13900000002\"},\"product\":{\"name\":\"P\"},\"received_at\":\"2026-09-10T00:00:00Z\"}" >s.json &&
	cmp-add s.json >stored &&
	awk "BEGIN {
		print \"{\\\"summary\\\":\\\"a\\\",\\\"customer\\\":{\\\"name\\\":\\\"a\\\",\\\"phone\\\":\\\"13900000001\\\"},\\\"received_at\\\":\\\"2026-09-11T00:00:00Z\\\"}\"
		print \"{\\\"summary\\\":\\\"b\\\",\\\"customer\\\":{\\\"name\\\":\\\"b\\\",\\\"phone\\\":\\\"13900000002\\\"},\\\"product\\\":{\\\"name\\\":\\\"P\\\"},\\\"received_at\\\":\\\"2026-09-11T00:00:00Z\\\"}\"
		for (i = 3; i <= 2001; i++)
			print \"{\\\"summary\\\":\\\"n\\\",\\\"customer\\\":{\\\"name\\\":\\\"n\\\"},\\\"received_at\\\":\\\"2026-09-11T00:00:00Z\\\"}\"
		print \"{\\\"summary\\\":\\\"c\\\",\\\"customer\\\":{\\\"name\\\":\\\"c\\\",\\\"phone\\\":\\\"13900000003\\\"},\\\"product\\\":{\\\"name\\\":\\\"P\\\"},\\\"received_at\\\":\\\"2026-09-11T00:00:00Z\\\"}\"
	}" >in2 &&
	[ $(wc -l <in2) = 2002 ] &&
	run cmp-add in2 && expect_status 0 &&
	cat stored out >all &&
	oracle all >want &&
	jq -r "[.id, (.possible_duplicate_of // 0)] | @tsv" all | tr "\t" " " |
		sort -n >got &&
	test_cmp want got &&
	[ "$(jq -r "select(.summary == \"b\") | .possible_duplicate_of" out)" = 1 ] &&
	[ "$(jq -r "select(.summary == \"c\") | .possible_duplicate_of" out)" = null ]
'

done_testing
