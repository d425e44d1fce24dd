#!/bin/sh
# Hostile input: what people and other systems really send.  Each is
# either stored verbatim or refused with its line, never a crash, never
# a half-stored record, never raw escapes on a terminal.
. "${0%/*}/../lib.sh"

count() {
	sql "SELECT count(*) FROM complaints"
}

t 'SQL text in every text field is stored verbatim' '
	evil="x'"'"'); DROP TABLE complaint; --" &&
	jq -nc --arg s "$evil" "{ref: \$s, summary: \$s, description: \$s, root_cause: \$s,
		customer: {name: \$s, contact: \$s, phone: \$s, address: \$s, id: \$s},
		product: {name: \$s, model: \$s, serial: \$s, batch: \$s},
		tags: [\$s], attrs: {(\$s): \$s}}" >in &&
	run cmp-add <in && expect_status 0 &&
	jq -e --arg s "$evil" ".summary == \$s and .customer.address == \$s and .tags == [\$s]
		and .attrs[\$s] == \$s" out &&
	[ "$(sql "SELECT summary FROM complaints")" = "$evil" ] &&
	run cmp-list --text "DROP TABLE" && jq -e ".id == 1" out
'

t 'escape sequences are stored, and escaped in a table' '
	rm -f "$CMP_DB" &&
	printf "{\"summary\":\"\\\\u001b[31mred\\\\u001b]0;title\\\\u0007\",\"customer\":{\"name\":\"n\"}}\n" >in &&
	run cmp-add <in && expect_status 0 &&
	jq -e ".summary == \"\u001b[31mred\u001b]0;title\u0007\"" out &&
	run cmp-list --format table && expect_status 0 &&
	! grep -q "$(printf "\033")" out && ! grep -q "$(printf "\007")" out &&
	grep -q "\\\\x1b\[31mred" out &&
	run cmp-show 1 --format text && ! grep -q "$(printf "\033")" out
'

t 'NUL in a string is refused with its line; nothing stored' '
	rm -f "$CMP_DB" &&
	printf "{\"summary\":\"a\\\\u0000b\",\"customer\":{\"name\":\"n\"}}\n" | run cmp-add &&
	expect_status 65 && grep -q "^cmp-add: -:1:" err && [ "$(count)" = 0 ]
'

t 'a 4 MB description is stored whole' '
	rm -f "$CMP_DB" &&
	awk "BEGIN { printf \"{\\\"summary\\\":\\\"big\\\",\\\"customer\\\":{\\\"name\\\":\\\"n\\\"},\\\"description\\\":\\\"\"; for (i = 0; i < 65536; i++) printf \"%s\", \"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"; print \"\\\"}\" }" >in &&
	[ $(wc -c <in) -gt 4000000 ] &&
	run cmp-add <in && expect_status 0 &&
	[ "$(sql "SELECT length(description) FROM complaints")" = 4194304 ]
'

# A field an index holds takes at most 1000 bytes, on either store:
# PostgreSQL cannot index an entry of more than 2,704 bytes, and failed
# the whole batch (70) where SQLite stored it.
t 'a field an index holds over 1000 bytes: refused with its line and field, the rest kept' '
	rm -f "$CMP_DB" &&
	long=$(printf "%02800d" 7) && edge=$(printf "%01000d" 8) &&
	{ echo "{\"summary\":\"a\",\"customer\":{\"name\":\"A\"}}" &&
	  echo "{\"summary\":\"b\",\"customer\":{\"name\":\"$long\"}}" &&
	  echo "{\"summary\":\"c\",\"customer\":{\"name\":\"$edge\"},\"product\":{\"name\":\"$edge\"},\"root_cause\":\"$edge\",\"tags\":[\"$edge\"]}"; } >in &&
	run cmp-add <in && expect_status 65 &&
	[ "$(cat err)" = "cmp-add: -:2: customer.name: a value of 2800 bytes: at most 1000" ] &&
	[ "$(jq -r .summary out | tr -d "\n")" = ac ] &&
	[ "$(count)" = 2 ] &&
	run cmp-update --tag "$long" 1 && expect_status 65 &&
	grep -q "^cmp-update: .*tags: a tag of 2800 bytes: at most 1000$" err && expect_empty out &&
	run cmp-update --root-cause "$long" 1 && expect_status 65 &&
	grep -q "root_cause: a value of 2800 bytes" err &&
	run cmp-update --set "product.serial=$long" 1 && expect_status 65 &&
	grep -q "product.serial: a value of 2800 bytes" err &&
	[ "$(sql "SELECT count(*) FROM tag")" = 1 ] &&
	[ "$(sql "SELECT count(*) FROM complaints WHERE root_cause IS NOT NULL OR product_serial IS NOT NULL")" = 1 ] &&
	run cmp-update --root-cause "$edge" 1 && expect_status 0 &&
	# A longer tag a store took before the limit blocks no other change
	# of the tags.
	old=$(printf "%01500d" 9) &&
	sql "UPDATE complaint SET tags = '"'"'[\"$old\"]'"'"' WHERE id = 1" &&
	sql "INSERT INTO tag (complaint_id, tag) VALUES (1, '"'"'$old'"'"')" &&
	[ "$(cmp-show 1 | jq -c "[.tags[] | length]")" = "[1500]" ] &&
	run cmp-update --tag short 1 && expect_status 0 && expect_empty err &&
	run cmp-update --untag short 1 && expect_status 0 && expect_empty err
'

# SQLite's JSON functions read the first of two members of one name,
# PostgreSQL's the last: a filter or a report would differ by store.
t 'a member given twice in attrs, at any depth: refused with its line, the rest kept' '
	rm -f "$CMP_DB" &&
	{ echo "{\"summary\":\"a\",\"customer\":{\"name\":\"A\"},\"attrs\":{\"code\":1,\"code\":\"七\"}}" &&
	  echo "{\"summary\":\"b\",\"customer\":{\"name\":\"B\"},\"attrs\":{\"code\":1,\"n\":[{\"x\":1,\"y\":2,\"x\":3}]}}" &&
	  echo "{\"summary\":\"c\",\"customer\":{\"name\":\"C\"},\"attrs\":{\"code\":1,\"n\":[{\"x\":1},{\"x\":3}]}}"; } >in &&
	run cmp-add <in && expect_status 65 &&
	printf "%s\n" "cmp-add: -:1: attrs: the member \"code\" given twice" \
		"cmp-add: -:2: attrs: the member \"x\" given twice" >want &&
	test_cmp want err &&
	[ "$(jq -r .summary out)" = c ] && [ "$(count)" = 1 ] &&
	printf "summary,customer.name,attrs\nd,D,\"{\"\"k\"\":1,\"\"k\"\":2}\"\n" >in.csv &&
	run cmp-add --input-format csv in.csv && expect_status 65 &&
	[ "$(cat err)" = "cmp-add: in.csv:2: attrs: the member \"k\" given twice" ]
'

t 'the time received cleared: refused in the same words on either store' '
	rm -f "$CMP_DB" &&
	cmp-add --customer A -m a >/dev/null &&
	run cmp-update --set received_at= 1 && expect_status 65 &&
	[ "$(cat err)" = "cmp-update: received_at: the time received is required" ] &&
	[ "$(sql "SELECT count(*) FROM complaints WHERE received_at IS NOT NULL")" = 1 ]
'

# PostgreSQL's text query separates its terms with U+001F, and dropped
# one inside a term; SQLite's index searched it as written.
t 'a control character in --text separates words, on either store' '
	rm -f "$CMP_DB" &&
	printf "%s\n" "{\"summary\":\"ab\\u001fcd\",\"customer\":{\"name\":\"A\"}}" \
		"{\"summary\":\"abcd\",\"customer\":{\"name\":\"B\"}}" \
		"{\"summary\":\"bx\",\"customer\":{\"name\":\"C\"}}" | cmp-add >/dev/null &&
	run cmp-list --text "$(printf "b\037c")" --fields id && expect_status 0 &&
	[ "$(jq -r .id out | tr "\n" " ")" = "1 2 " ] &&
	run cmp-list --text "$(printf "\"ab\037cd\"")" --fields id && expect_status 0 &&
	[ "$(jq -r .id out | tr "\n" " ")" = "" ] &&
	# In a phrase, a tab is searched as written.
	cmp-add --customer D -m s --description "$(printf "alpha\tbravo charlie")" >/dev/null &&
	cmp-add --customer E -m s --description "alpha bravo charlie" >/dev/null &&
	run cmp-list --text "$(printf "\"alpha\tbravo\"")" --fields id && expect_status 0 &&
	[ "$(jq -r .id out | tr "\n" " ")" = "4 " ] &&
	run cmp-list --text "$(printf "alpha\tbravo")" --fields id && expect_status 0 &&
	[ "$(jq -r .id out | tr "\n" " ")" = "4 5 " ]
'

# expect_ids "IDS" ARGS...: cmp-list ARGS lists those ids, exit 0 (the
# mismatch said, and noted in $wrong: every query is tried).
expect_ids() {
	want=$1
	shift
	run cmp-list "$@" --fields id
	got=$(jq -r .id out | tr "\n" " ")
	[ "$(cat .status) $got" = "0 $want" ] && [ ! -s err ] && return 0
	echo "cmp-list $*: status $(cat .status), ids '$got' ($(cat err)); want 0, '$want'"
	wrong=1
}

# Case beyond ASCII: SQLite's text index folded it by its own table (σας
# found ΣΑΣ, kelvin the Kelvin sign's KELVIN) where its LIKE, for words
# of two characters and "~", folded A to Z only; PostgreSQL's ILIKE on
# summary, description and attrs folded all of Unicode by its ctype.  On
# both stores now the letters A to Z are folded, every other character
# matches as written.
t '--text and ~ fold the letters A to Z only, on either store' '
	rm -f "$CMP_DB" &&
	printf "%s\n" "{\"summary\":\"ΣΑΣ\",\"customer\":{\"name\":\"A\"}}" \
		"{\"summary\":\"Élodie called\",\"customer\":{\"name\":\"B\"},\"tags\":[\"Ωmega\"]}" \
		"{\"summary\":\"\\u212aELVIN scale\",\"customer\":{\"name\":\"C\"}}" \
		"{\"summary\":\"Straße\",\"customer\":{\"name\":\"D\"},\"attrs\":{\"k\":\"Élan\"}}" \
		"{\"summary\":\"x\",\"description\":\"élodie wrote\",\"customer\":{\"name\":\"E\"},\"tags\":[\"ωmega\"]}" \
		"{\"summary\":\"Kelvin\",\"customer\":{\"name\":\"F\"}}" \
		"{\"summary\":\"İstanbul office\",\"customer\":{\"name\":\"G\"}}" |
		cmp-add >/dev/null &&
	wrong= &&
	expect_ids "" --text σας;
	expect_ids "1 " --text ΣΑΣ;
	expect_ids "5 " --text élodie;
	expect_ids "2 " --text Élodie;
	expect_ids "2 " --text ÉLODIE;
	expect_ids "2 5 " --text lodie;
	expect_ids "2 5 " --text LODIE;
	expect_ids "2 " --text "\"ÉLODIE CALLED\"";
	expect_ids "" --text "\"éLODIE CALLED\"";
	expect_ids "2 " --text "\"Élodie CALLED\"";
	expect_ids "2 " --text Él;
	expect_ids "5 " --text él;
	expect_ids "6 " --text kelvin;
	expect_ids "3 " --text "$(printf "\342\204\252elvin")";
	expect_ids "" --text STRASSE;
	expect_ids "4 " --text STRAßE;
	expect_ids "" --text istanbul;
	expect_ids "7 " --text İSTANBUL;
	expect_ids "" --where "summary ~ élo";
	expect_ids "5 " --where "description ~ élo";
	expect_ids "2 " --where "summary ~ ÉLO";
	expect_ids "" --where "summary ~ σας";
	expect_ids "6 " --where "summary ~ kelvin";
	expect_ids "5 " --where "tags ~ ωmega";
	expect_ids "2 " --where "tags ~ ΩMEGA";
	expect_ids "1 7 " --where "customer.name ~ a,g";
	expect_ids "" --where "attrs.k ~ éLAN";
	expect_ids "4 " --where "attrs.k ~ ÉLAN";
	expect_ids "" --text "ÉLODIE x";
	expect_ids "5 " --text "lodie x";
	[ -z "$wrong" ]
'

# A word is also matched with LIKE, whose pattern SQLite takes up to
# 50,000 bytes (a word escaped may double): at most 10000 bytes, as a
# value to look for with "~".
t '--text: a word of more than 10000 bytes is refused, on either store' '
	run cmp-list --text "ab $(printf "%010001d" 0)" && expect_status 64 && expect_empty out &&
	grep -q "^cmp-list: --text: a word to look for of 10001 bytes: at most 10000$" err &&
	run cmp-list --text "\"$(printf "%%%.0s" $(seq 10000))\"" && expect_status 0 && expect_empty out &&
	run cmp-list --text "$(printf "%010000d" 0)" && expect_status 0 && expect_empty out
'

t 'a ref already another complaint'"'"'s: refused in the same words on either store' '
	rm -f "$CMP_DB" &&
	cmp-add --customer A -m one --ref T-1 >/dev/null &&
	cmp-add --customer B -m two >/dev/null &&
	run cmp-update --set ref=T-1 2 && expect_status 65 && expect_empty out &&
	[ "$(cat err)" = "cmp-update: ref: '"'"'T-1'"'"' is complaint 1'"'"'s" ] &&
	[ "$(sql "SELECT count(*) FROM complaints WHERE ref IS NULL")" = 1 ] &&
	run cmp-update --set ref=T-2 2 && expect_status 0 &&
	run cmp-update --set ref=T-2 2 && expect_status 0 && expect_empty err
'

# SQLite 3.40 matches a path's quoted label with the key as the stored
# JSON writes it, escapes and all: --by found no member whose key held
# a backslash or a tab, where PostgreSQL did.
t '--by attrs.KEY of a key with a backslash or a tab: grouped on either store' '
	rm -f "$CMP_DB" &&
	printf "%s\n" "{\"summary\":\"x\",\"customer\":{\"name\":\"A\"},\"attrs\":{\"a\\\\b\":\"v\",\"t\\tk\":\"w\"}}" |
		cmp-add >/dev/null &&
	run cmp-report --period 2026-11 --by "attrs.a\\b" && expect_status 0 &&
	[ "$(jq -c "[.groups[][\"attrs.a\\\\b\"]]" out)" = "[\"v\"]" ] &&
	run cmp-report --period 2026-11 --by "$(printf "attrs.t\tk")" && expect_status 0 &&
	[ "$(jq -c "[.groups[][\"attrs.t\\tk\"]]" out)" = "[\"w\"]" ]
'

# SQLite nests a chain of conditions as deep as it is long, and refuses
# more than 1000 levels: many values of "~", or many short words of
# --text, exited 70 on SQLite and ran on PostgreSQL.
t 'many values to look for, many short words, a long value: the same on either store' '
	rm -f "$CMP_DB" &&
	cmp-add --customer A -m "x 550 y" >/dev/null &&
	run cmp-list --where "summary ~ $(seq -s, 1100)" --fields id && expect_status 0 &&
	[ "$(cat out)" = "{\"id\":1}" ] &&
	run cmp-list --text "$(yes x | head -1100 | tr "\n" " ")" --fields id && expect_status 0 &&
	[ "$(cat out)" = "{\"id\":1}" ] &&
	run cmp-list --where "summary ~ $(printf "%010001d" 0)" && expect_status 64 &&
	grep -q "a value to look for of 10001 bytes: at most 10000$" err &&
	run cmp-list --where "summary ~ $(printf "%010000d" 0)" && expect_status 0 && expect_empty out &&
	# A long path quoted in the reason: the message cut between
	# characters, stderr still UTF-8.
	run cmp-list --where "$(printf "中%.0s" $(seq 1 400))a = 1" && expect_status 64 &&
	head -1 err | iconv -f UTF-8 -t UTF-8 >/dev/null
'

t '100,000 levels of nesting in attrs: refused, no crash' '
	rm -f "$CMP_DB" &&
	awk "BEGIN { printf \"{\\\"summary\\\":\\\"s\\\",\\\"customer\\\":{\\\"name\\\":\\\"n\\\"},\\\"attrs\\\":{\\\"a\\\":\"; for (i = 0; i < 100000; i++) printf \"[\"; for (i = 0; i < 100000; i++) printf \"]\"; print \"}}\"; print \"{\\\"summary\\\":\\\"next\\\",\\\"customer\\\":{\\\"name\\\":\\\"n\\\"}}\" }" >in &&
	run cmp-add <in && expect_status 65 && grep -q "^cmp-add: -:1:.*nesting" err &&
	[ "$(count)" = 1 ] && jq -e ".summary == \"next\"" out
'

t 'numbers like 1e400 in attrs are kept as written; as a quantity they are refused' '
	rm -f "$CMP_DB" &&
	echo "{\"summary\":\"s\",\"customer\":{\"name\":\"n\"},\"attrs\":{\"x\":1e400,\"y\":-0.0}}" | run cmp-add &&
	expect_status 0 && grep -q "\"x\":1e400,\"y\":-0.0" out &&
	echo "{\"summary\":\"s\",\"customer\":{\"name\":\"n\"},\"product\":{\"quantity\":1e400}}" | run cmp-add &&
	expect_status 65 && grep -q "product.quantity" err
'

t 'invalid UTF-8 and overlong encodings are refused with their line' '
	rm -f "$CMP_DB" &&
	printf "{\"summary\":\"ok\",\"customer\":{\"name\":\"n\"}}\n{\"summary\":\"\\300\\257\",\"customer\":{\"name\":\"n\"}}\n{\"summary\":\"\\355\\240\\200\",\"customer\":{\"name\":\"n\"}}\n" | run cmp-add &&
	expect_status 65 && grep -q "^cmp-add: -:2:" err && grep -q "^cmp-add: -:3:" err &&
	[ "$(count)" = 1 ]
'

t 'a BOM, CRLF line ends and no final newline' '
	rm -f "$CMP_DB" &&
	printf "\357\273\277{\"summary\":\"a\",\"customer\":{\"name\":\"n\"}}\r\n{\"summary\":\"b\",\"customer\":{\"name\":\"n\"}}" | run cmp-add &&
	expect_status 0 && [ "$(count)" = 2 ] && expect_empty err
'

t 'an empty input: 0 records, exit 0' '
	rm -f "$CMP_DB" &&
	run cmp-add </dev/null && expect_status 0 && expect_empty out && expect_empty err &&
	printf "\n  \n" | run cmp-add && expect_status 0 && expect_empty out
'

t 'a truncated last record is refused with its line; the rest kept' '
	rm -f "$CMP_DB" &&
	printf "{\"summary\":\"a\",\"customer\":{\"name\":\"n\"}}\n{\"summary\":\"b\",\"cust" | run cmp-add &&
	expect_status 65 && grep -q "^cmp-add: -:2:" err && [ "$(count)" = 1 ]
'

t '--redact leaves no phone, e-mail, address or full name in any format' '
	rm -f "$CMP_DB" &&
	cmp-add --customer "王建国" --phone 13800138000 --email wang@example.cn \
		-m "call me on 13800138000 or wang@example.cn" >/dev/null &&
	cmp-update --set customer.address="睢宁县人民路1号" 1 >/dev/null &&
	for f in ndjson json csv tsv table; do
		cmp-list --redact --format $f
	done >all &&
	cmp-show --redact 1 >>all && cmp-show --redact --format text 1 >>all &&
	! grep -q "13800138000" all && ! grep -q "wang@example.cn" all &&
	! grep -q "人民路" all && ! grep -q "王建国" all &&
	grep -q "138\*\*\*\*8000" all && grep -q "王\*\*" all
'

done_testing
