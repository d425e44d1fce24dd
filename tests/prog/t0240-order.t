#!/bin/sh
# Diagnostics in input order (issue 22): a line that cannot be read and
# a record the store refuses are reported in the order of the input,
# whichever stage found them, by cmp-add and by the programs that take
# ids.
. "${0%/*}/../lib.sh"

t 'cmp-add: decode, store and parse refusals in the order of their lines; the good kept' '
	printf "%s\n" \
		"{\"summary\":\"a\",\"customer\":{\"name\":\"A\"}}" \
		"{\"summary\":\"b\",\"channel\":\"zzz\",\"customer\":{\"name\":\"A\"}}" \
		"{\"summary\":\"c\"}" \
		"{bad" \
		"{\"summary\":\"e\",\"customer\":{\"name\":\"A\"}}" >in.ndjson &&
	run cmp-add in.ndjson && expect_status 65 &&
	cat >want <<-\EOF &&
	cmp-add: in.ndjson:2: channel: '"'"'zzz'"'"' is not a channel
	cmp-add: in.ndjson:3: customer: a customer name, phone or email is required
	cmp-add: in.ndjson:4:2: expected a string (an object key)
	EOF
	test_cmp want err &&
	[ "$(jq -s -c "map(.summary)" out)" = "[\"a\",\"e\"]" ] &&
	[ "$(sql "SELECT group_concat(summary) FROM complaints")" = "a,e" ]
'

t 'cmp-add --atomic: the first refusal in input order ends it, nothing stored' '
	printf "%s\n" "{\"summary\":\"f\"}" "{bad" >in2.ndjson &&
	run cmp-add --atomic in2.ndjson && expect_status 65 &&
	head -1 err >got &&
	echo "cmp-add: in2.ndjson:1: customer: a customer name, phone or email is required" >want &&
	test_cmp want got && expect_empty out &&
	[ "$(sql "SELECT count(*) FROM complaints")" = 2 ]
'

# The status is the first refusal's, in input order: 66 for line 2.
t 'cmp-assign from stdin: an unknown id and a bad line, in their order' '
	printf "1\n999\nfoo\n2\n" | run cmp-assign --to li.gang && expect_status 66 &&
	cat >want <<-\EOF &&
	cmp-assign: -:2: no complaint 999
	cmp-assign: -:3:1: expected a JSON object or a number
	EOF
	test_cmp want err && [ "$(jq -s -c "map(.id)" out)" = "[1,2]" ]
'

t 'cmp-close operands: an unknown id and one that is not an id, in their order' '
	run cmp-close --reject no 999 x1 1 && expect_status 64 &&
	cat >want <<-\EOF &&
	cmp-close: no complaint 999
	cmp-close: '"'"'x1'"'"' is not a complaint id
	EOF
	test_cmp want err && [ "$(jq -c .id out)" = 1 ]
'

t 'cmp-show: the same order' '
	printf "999\n{}\n1\n" | run cmp-show && expect_status 66 &&
	cat >want <<-\EOF &&
	cmp-show: -:1: no complaint 999
	cmp-show: -:2: id: expected a complaint id
	EOF
	test_cmp want err && [ "$(jq -c .id out)" = 1 ]
'

done_testing
