#!/bin/sh
# cmp-list --where: any field by its dotted path, attrs.KEY included,
# as a table of expressions, each with the ids it selects, checked
# against the same condition written in SQL in the sqlite3 shell; bad
# expressions as a table of the usage errors they give.
. "${0%/*}/../lib.sh"

ids() {	# the ids of ./out (NDJSON), on one line
	jq -r .id out | tr '\n' ' ' | sed 's/ $//'
}
# The ids a WHERE of the complaints view selects, in the sqlite3 shell.
where() {
	sql "SELECT id FROM complaints WHERE $1 ORDER BY id" | tr '\n' ' ' | sed 's/ $//'
}

# Six complaints with known values, received 5 to 20 November 2026
# (the clock: 2026-11-20T01:15:00Z, 09:15 in Asia/Shanghai).
t 'a store of six complaints: numbers, times, tags, attrs, Chinese text, nulls' '
	cat >in.ndjson <<-\EOF &&
	{"customer":{"name":"王建国","phone":"13800138000"},"product":{"name":"CF-200 heat exchanger","serial":"A1709","quantity":2,"failed_on":"2026-11-01"},"category":"product-quality","severity":"high","summary":"冷凝器漏水","received_at":"2026-11-10T02:00:00Z","tags":["vip","leak"],"attrs":{"plant":"徐州","weight":2.5,"code":"007","vip":true}}
	{"customer":{"name":"Li Na","email":"li.na@example.cn"},"product":{"name":"Order 88213","quantity":10},"category":"delivery","severity":"normal","summary":"Parcel LATE by two weeks","received_at":"2026-11-15T06:00:00Z","attrs":{"plant":"Suzhou","weight":12,"code":7,"vip":false}}
	{"customer":{"name":"O'"'"'Brien","phone":"021-5555-0101"},"category":"billing","severity":"low","summary":"Charged 100% twice, ref A_1","received_at":"2026-11-18T23:30:00Z","tags":["billing-error"],"attrs":{"weight":"heavy","code":"7"}}
	{"customer":{"name":"钱女士","phone":"+86 138 0013 8000"},"category":"service","severity":"critical","summary":"服务态度差 rude","received_at":"2026-11-19T16:30:00Z","attrs":{"nested":{"a":1},"list":[1,2],"weight":null}}
	{"customer":{"name":"Wang Lei","email":"WANG@example.cn"},"channel":"web","product":{"quantity":1},"category":"product-quality","severity":"normal","summary":"Leaking pipe","received_at":"2026-11-05T00:00:00Z","tags":["Leak-old"]}
	{"customer":{"name":"Émile Zola"},"category":"other","summary":"émail cassé","received_at":"2026-11-12T12:00:00Z","attrs":{"weight":0}}
	EOF
	cmp-add <in.ndjson >/dev/null &&
	cmp-assign --to li.gang 1 2 >/dev/null &&
	cmp-update --set root_cause=seal 1 >/dev/null &&
	[ "$(where "1")" = "1 2 3 4 5 6" ] &&
	[ "$(where "owner = '"'"'li.gang'"'"'")" = "1 2" ]
'

# EXPR | the ids it selects | the same in SQL over the complaints view.
cat >valid.txt <<\EOF
status = new | 3 4 5 6 | status = 'new'
status=assigned | 1 2 | status = 'assigned'
status != new | 1 2 | status IS NOT 'new'
status in new, assigned | 1 2 3 4 5 6 | status IN ('new', 'assigned')
status = new,assigned | 1 2 3 4 5 6 | status IN ('new', 'assigned')
status not in assigned,closed | 3 4 5 6 | status NOT IN ('assigned', 'closed')
severity >= high | 1 4 | severity IN ('high', 'critical')
severity < normal | 3 | severity = 'low'
severity <= normal | 2 3 5 6 | severity IN ('low', 'normal')
severity > critical |  | 0
category ~ QUAL | 1 5 | category LIKE '%qual%'
customer.name ~ WANG | 5 | customer_name LIKE '%wang%'
customer.name ~ 王 | 1 | instr(customer_name, '王') > 0
customer.name = "O'Brien" | 3 | customer_name = 'O''Brien'
customer.name in 'Li Na', 钱女士 | 2 4 | customer_name IN ('Li Na', '钱女士')
customer.name < M | 2 | customer_name < 'M'
summary ~ late | 2 | summary LIKE '%late%'
summary ~ 漏水,rude | 1 4 | instr(summary, '漏水') OR instr(summary, 'rude')
summary ~ % | 3 | instr(summary, '%') > 0
summary ~ _ | 3 | instr(summary, '_') > 0
summary ~ '100%, ref' | | instr(summary, '100%, ref') > 0
summary ~ '100% twice, ref' | 3 | instr(summary, '100% twice, ref') > 0
summary ~ émail | 6 | instr(summary, 'émail') > 0
customer.phone is null | 2 5 6 | customer_phone IS NULL
customer.phone is not null | 1 3 4 | customer_phone IS NOT NULL
customer.email = null | 1 3 4 6 | customer_email IS NULL
owner is not null | 1 2 | owner IS NOT NULL
owner != li.gang | 3 4 5 6 | owner IS NOT 'li.gang'
root_cause = seal | 1 | root_cause = 'seal'
received_at >= 2026-11-15 | 2 3 4 | received_at >= '2026-11-14T16:00:00Z'
received_at < 2026-11-19 12:00 | 1 2 3 5 6 | received_at < '2026-11-19T04:00:00Z'
received_at > -1d | 4 | received_at > '2026-11-19T01:15:00Z'
received_at >= yesterday | 3 4 | received_at >= '2026-11-18T16:00:00Z'
received_at <= 2026-11-10T10:00:00+08:00 | 1 5 | received_at <= '2026-11-10T02:00:00Z'
received_at = 2026-11-15T06:00:00Z | 2 | received_at = '2026-11-15T06:00:00Z'
product.quantity > 1 | 1 2 | product_quantity > 1
product.quantity >= 10 | 2 | product_quantity >= 10
product.quantity < 10 | 1 5 | product_quantity < 10
product.quantity is null | 3 4 6 | product_quantity IS NULL
product.failed_on < 2026-11-02 | 1 | product_failed_on < '2026-11-02'
product.serial = A1709 | 1 | product_serial = 'A1709'
id in 1,3,5 | 1 3 5 | id IN (1, 3, 5)
id > 4 | 5 6 | id > 4
escalation = 0 | 1 2 3 4 5 6 | escalation = 0
tags = vip | 1 | id IN (SELECT complaint_id FROM tag WHERE tag = 'vip')
tags ~ leak | 1 5 | id IN (SELECT complaint_id FROM tag WHERE tag LIKE '%leak%')
tags in vip,billing-error | 1 3 | id IN (SELECT complaint_id FROM tag WHERE tag IN ('vip', 'billing-error'))
tags != vip | 2 3 4 5 6 | id NOT IN (SELECT complaint_id FROM tag WHERE tag = 'vip')
tags is null | 2 4 6 | tags = '[]'
attrs is null | 5 | attrs IS NULL
attrs is not null | 1 2 3 4 6 | attrs IS NOT NULL
attrs.plant = 徐州 | 1 | json_extract(attrs, '$.plant') = '徐州'
attrs.plant ~ SU | 2 | json_extract(attrs, '$.plant') LIKE '%su%'
attrs.plant is null | 3 4 5 6 | json_extract(attrs, '$.plant') IS NULL
attrs.weight > 2 | 1 2 | json_type(attrs, '$.weight') IN ('integer', 'real') AND json_extract(attrs, '$.weight') > 2
attrs.weight < 3 | 1 6 | json_type(attrs, '$.weight') IN ('integer', 'real') AND json_extract(attrs, '$.weight') < 3
attrs.weight = 12.0 | 2 | json_type(attrs, '$.weight') IN ('integer', 'real') AND json_extract(attrs, '$.weight') = 12
attrs.weight is null | 4 5 | json_extract(attrs, '$.weight') IS NULL
attrs.weight = heavy | 3 | json_extract(attrs, '$.weight') = 'heavy'
attrs.weight > h | 3 | json_type(attrs, '$.weight') = 'text' AND json_extract(attrs, '$.weight') > 'h'
attrs.code = 7 | 2 3 | json_extract(attrs, '$.code') IN (7, '7')
attrs.code = '7' | 2 3 | CAST(json_extract(attrs, '$.code') AS TEXT) = '7'
attrs.code = 007 | 1 2 | json_extract(attrs, '$.code') IN (7, '007')
attrs.code != 7 | 1 4 5 6 | json_extract(attrs, '$.code') IS NULL OR json_extract(attrs, '$.code') NOT IN (7, '7')
attrs.vip = true | 1 | json_type(attrs, '$.vip') = 'true'
attrs.vip = false | 2 | json_type(attrs, '$.vip') = 'false'
attrs.nested ~ '"a":1' | 4 | json_extract(attrs, '$.nested') LIKE '%"a":1%'
attrs.list > 0 | | 0
EOF

t '--where: each expression of the table selects its ids, as the sqlite3 shell does' '
	sampled <valid.txt >cases &&
	n=0
	while IFS="|" read -r expr want cond; do
		expr=$(echo "$expr" | sed "s/ *$//") want=$(echo $want)
		run cmp-list --where "$expr" && expect_status 0 && expect_empty err &&
		got=$(ids) && shell=$(where "$cond") &&
		[ "$got" = "$want" ] && [ "$shell" = "$want" ] ||
			{ echo "$expr: got \"$got\", want \"$want\", the shell \"$shell\""; exit 1; }
		n=$((n + 1))
	done <cases &&
	[ $(wc -l <valid.txt) = 68 ] && [ $n = $(wc -l <cases) ]
'

t '--where is repeatable: all must hold, with the other filters too' '
	run cmp-list --where "severity >= high" --where "tags = vip" &&
	expect_status 0 && [ "$(ids)" = 1 ] &&
	run cmp-list --where "received_at >= 2026-11-10" --where "owner is null" \
		--where "summary ~ 100%,rude,émail" && expect_status 0 &&
	[ "$(ids)" = "3 4 6" ] &&
	[ "$(where "received_at >= '"'"'2026-11-09T16:00:00Z'"'"' AND owner IS NULL AND (instr(summary, '"'"'100%'"'"') OR instr(summary, '"'"'rude'"'"') OR instr(summary, '"'"'émail'"'"'))")" = "3 4 6" ] &&
	run cmp-list --status new --category product-quality,billing \
		--where "attrs.weight is not null" && expect_status 0 &&
	[ "$(ids)" = 3 ] &&
	run cmp-list --where "id > 1" --sort -received_at --limit 2 &&
	expect_status 0 && [ "$(ids)" = "4 3" ] &&
	run cmp-list --where "product.quantity >= 1" --fields id,product.quantity \
		--format tsv && expect_status 0 &&
	printf "id\tproduct.quantity\n1\t2\n2\t10\n5\t1\n" >want && test_cmp want out
'

# A member as text is what SQLite's json_extract() shows, on both
# stores: true and false 1 and 0, 2.5 a REAL, an object as stored.
t 'attrs.KEY as text: the same on both stores, in --where ~ and --by' '
	run cmp-list --where "attrs.vip ~ 1" && expect_status 0 &&
	[ "$(ids)" = 1 ] &&
	run cmp-list --where "attrs.vip ~ e" && expect_status 0 && expect_empty out &&
	run cmp-list --where "attrs.weight ~ .5" && expect_status 0 &&
	[ "$(ids)" = 1 ] &&
	run cmp-list --where "attrs.nested ~ {\"a\":1}" && expect_status 0 &&
	[ "$(ids)" = 4 ] &&
	run cmp-report --by attrs.vip --format csv --since 2026-11-01 &&
	expect_status 0 && printf "attrs.vip,count\r\n,4\r\n0,1\r\n1,1\r\n" >want &&
	test_cmp want out &&
	run cmp-report --by attrs.weight --format csv --since 2026-11-01 &&
	expect_status 0 && tr -d "\r" <out >got &&
	grep -qx "2.5,1" got && grep -qx "12,1" got && grep -qx "0,1" got
'

t '--explain: a --where on an indexed field reads the index' '
	prefer_indexes &&
	run cmp-list --explain --where "product.serial = A1709" && expect_status 0 &&
	if on_pg; then plan_uses complaint_serial
	else grep -q "USING INDEX complaint_serial" out; fi &&
	run cmp-list --explain --where "customer.email in a@b,c@d" &&
	expect_status 0 &&
	if on_pg; then plan_uses complaint_email
	else grep -q "USING INDEX complaint_email" out; fi
'

# EXPR | the message after "cmp-list: --where 'EXPR': ".
cat >invalid.txt <<\EOF
foo.bar = 1 | no field 'foo.bar'
customer_name = x | no field 'customer_name'
= new | no field before '=' (a field's dotted path, or attrs.KEY)
followups = 1 | 'followups' cannot be compared (the followups view has them)
followups is not null | 'followups' cannot be compared (the followups view has them)
attrs ~ x | 'attrs' cannot be compared but with null (a member: attrs.KEY)
status == new | no operator '=='
status <> new | no operator '<>'
status like new | no operator 'like'
status | no operator after 'status' (=, !=, <, <=, >, >=, ~, in, not in, is null, is not null)
status is empty | 'is' takes null or not null
received_at ~ 2026 | '~' does not apply to 'received_at' (a time)
tags >= a | '>=' does not apply to 'tags' (a set of tags)
status = | no value after '='
status not in | no value after 'not in'
status in new,,closed | an empty value (quote it: '')
summary = 'open | no closing '
product.quantity < 1,2 | '<' takes one value
status = open | status: 'open' is not a status
severity >= urgent | severity: 'urgent' is not a severity
received_at > last week | received_at: 'last week' is not a time (try 2026-11-20, 2026-11-20 14:30, 2026-11-20T06:30:00Z, +3d or yesterday)
product.quantity > two | product.quantity: 'two' is not a whole number
resolution.amount > 1e | resolution.amount: '1e' is not a number
out_of_warranty = perhaps | out_of_warranty: 'perhaps' is not true or false
EOF

t '--where: bad expressions are usage errors (64) naming what is wrong' '
	sampled <invalid.txt >cases &&
	n=0
	while IFS="|" read -r expr msg; do
		expr=$(echo "$expr" | sed "s/ *$//") msg=${msg# }
		run cmp-list --where "severity = high" --where "$expr" &&
		expect_status 64 && expect_empty out &&
		[ "$(head -1 err)" = "cmp-list: --where '"'"'$expr'"'"': $msg" ] &&
		[ "$(sed -n 3p err)" = "Try '"'"'cmp-list --help'"'"' for more information." ] ||
			{ echo "$expr:"; cat err; exit 1; }
		n=$((n + 1))
	done <cases &&
	[ $(wc -l <invalid.txt) = 24 ] && [ $n = $(wc -l <cases) ]
'

t 'the completions offer every path of the record (but followups) after --where, and each parses' '
	cmp-list --id 1 | jq -r "to_entries[] | if .key == \"attrs\" then \"attrs.\"
		elif (.value | type) == \"object\" then .key as \$k |
			(.value | keys_unsorted[] | \"\(\$k).\(.)\") else .key end" |
		grep -v "^followups\$" | sort >record &&
	sed -n "s/^_cmp_where_paths=\"\(.*\)\"\$/\1/p" \
		"$CMP_TOP/share/bash-completion/completions/cmp-add" | tr " " "\n" |
		sort >bash && test_cmp record bash &&
	sed -n "s/^.*--where) compadd -S .. -- \(.*\); return ;;\$/\1/p" \
		"$CMP_TOP/share/zsh/site-functions/_complaint" | tr " " "\n" |
		sort >zsh && test_cmp record zsh &&
	for p in $(grep -v "^attrs.\$" record | sampled); do
		run cmp-list --where "$p is null" && expect_status 0 ||
			{ echo "$p:"; cat err; exit 1; }
	done
'

# Numbers at a double's edges, each as written in attrs: a subnormal,
# one past the largest double and its negative, one below the least
# (0), the largest, one of an exponent of 20 digits.  A member as text
# is what SQLite prints of the REAL it reads ("%!.15g": 15 digits, Inf,
# 0.0), on both stores; as a number it compares as that REAL.
t 'attrs numbers at the edges of a double: printed as SQLite does, compared without failure' '
	rm -f "$CMP_DB" &&
	for v in 5e-324 1e-310 1e400 -1e400 1e-400 1.7976931348623157e308 \
		2.5e-5 1e99999999999999999999 123456789012345678901234567890; do
		printf "{\"customer\":{\"name\":\"a\"},\"summary\":\"%s\",\"attrs\":{\"edge\":%s}}\n" "$v" "$v"
	done | cmp-add >/dev/null &&
	run cmp-list --id 1 --id 3 --id 8 && expect_status 0 &&
	grep -o "\"attrs\":{[^}]*}" out >got &&
	printf "\"attrs\":{\"edge\":%s}\n" 5e-324 1e400 \
		1e99999999999999999999 >want &&
	test_cmp want got &&
	run cmp-report --by attrs.edge --format csv --period 2026-11 &&
	expect_status 0 && tr -d "\r" <out | sort >got &&
	printf "%s\n" -Inf,1 0.0,1 1.23456789012346e+29,1 \
		1.79769313486232e+308,1 2.5e-05,1 4.94065645841247e-324,1 \
		9.99999999999997e-311,1 Inf,2 attrs.edge,count | sort >want &&
	test_cmp want got &&
	run cmp-list --where "attrs.edge > 1e308" && expect_status 0 &&
	[ "$(ids)" = "3 6 8" ] &&
	run cmp-list --where "attrs.edge = 1e999" && expect_status 0 &&
	[ "$(ids)" = "3 8" ] &&
	run cmp-list --where "attrs.edge < -1.7976931348623159e308" &&
	expect_status 0 && expect_empty out &&
	run cmp-list --where "attrs.edge <= -1e400" && expect_status 0 &&
	[ "$(ids)" = 4 ] &&
	run cmp-list --where "attrs.edge = 4.9e-324" && expect_status 0 &&
	[ "$(ids)" = 1 ] &&
	run cmp-list --where "attrs.edge = 0" && expect_status 0 &&
	[ "$(ids)" = 5 ] &&
	run cmp-list --where "attrs.edge in 1e-400,2.5e-5" && expect_status 0 &&
	[ "$(ids)" = "5 7" ] &&
	run cmp-list --where "attrs.edge ~ Inf" && expect_status 0 &&
	[ "$(ids)" = "3 4 8" ] &&
	run cmp-list --where "attrs.edge ~ e-3" && expect_status 0 &&
	[ "$(ids)" = "1 2" ] &&
	expect_empty err
'

# Integers past 2^53, which a double does not hold: a member that is an
# INTEGER compares with the number given, a REAL (9007199254740993 is
# read as 2^53), exactly, as SQLite compares them, on both stores; past
# 64 bits a member is a REAL itself.  Each set is checked against the
# sqlite3 shell on SQLite.  -0.09999999999999999 is not -0.1, but its
# text, as SQLite prints a REAL, is: "in" finds it as text.  SQLite
# compares an INTEGER with a REAL in long double, which valgrind
# computes as a double.
under_valgrind 'attrs integers past 2^53: compared with a number exactly, as SQLite does' \
	'valgrind rounds long double to double' ||
t 'attrs integers past 2^53: compared with a number exactly, as SQLite does' '
	rm -f "$CMP_DB" &&
	for v in 9007199254740993 9007199254740992 9223372036854775807 \
		-9223372036854775808 18446744073709551616 1.5 -0.5 true \
		9007199254740992.5 4503599627370497.5 -9007199254740993 \
		-1e-20 -0.09999999999999999 -0.1; do
		printf "{\"customer\":{\"name\":\"a\"},\"summary\":\"%s\",\"attrs\":{\"n\":%s}}\n" "$v" "$v"
	done | cmp-add >/dev/null &&
	while IFS="|" read -r op v want; do
		run cmp-list --where "attrs.n $op $v" && expect_status 0 &&
		expect_empty err && got=$(ids) && [ "$got" = "$want" ] ||
			{ echo "attrs.n $op $v: got \"$got\", want \"$want\""; exit 1; }
		on_pg && continue
		shell=$(where "json_type(attrs, '"'"'\$.n'"'"') IN ('"'"'integer'"'"', '"'"'real'"'"', '"'"'true'"'"') AND (SELECT atom FROM json_each(attrs, '"'"'\$.n'"'"')) $op CAST('"'"'$v'"'"' AS REAL)") &&
		[ "$shell" = "$want" ] ||
			{ echo "attrs.n $op $v: the shell \"$shell\", want \"$want\""; exit 1; }
	done <<-\EOF &&
	>|9007199254740992|1 3 5
	=|9007199254740992|2 9
	>=|9007199254740993|1 2 3 5 9
	<|9007199254740993|4 6 7 8 10 11 12 13 14
	<=|-9007199254740992|4 11
	>|9223372036854775807|5
	>=|9223372036854775808|5
	<|-9223372036854775808|
	>|4503599627370497|1 2 3 5 9 10
	<|4503599627370498|4 6 7 8 11 12 13 14
	>|1|1 2 3 5 6 9 10
	<|-1e-30|4 7 11 12 13 14
	=|-1e-30|
	>|-0.1|1 2 3 5 6 8 9 10 12 13
	<|-0.09999999999999999|4 7 11 14
	<=|-0.1|4 7 11 14
	EOF
	run cmp-list --where "attrs.n in -0.1,1.5,9007199254740992" &&
	expect_status 0 && [ "$(ids)" = "2 6 9 13 14" ] &&
	if ! on_pg; then
		[ "$(where "json_type(attrs, '"'"'\$.n'"'"') IN ('"'"'integer'"'"', '"'"'real'"'"', '"'"'true'"'"') AND (SELECT atom FROM json_each(attrs, '"'"'\$.n'"'"')) IN (CAST('"'"'-0.1'"'"' AS REAL), CAST('"'"'1.5'"'"' AS REAL), CAST('"'"'9007199254740992'"'"' AS REAL)) OR CAST(json_extract(attrs, '"'"'\$.n'"'"') AS TEXT) IN ('"'"'-0.1'"'"', '"'"'1.5'"'"', '"'"'9007199254740992'"'"')")" = "2 6 9 13 14" ]
	fi
'

done_testing
