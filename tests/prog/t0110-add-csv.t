#!/bin/sh
# cmp-add --input-format csv: RFC 4180, headers of field paths, --map files.
. "${0%/*}/../lib.sh"

t 'CSV with field-path headers, quoted commas and newlines, CRLF' '
	printf "summary,customer.name,product.quantity,tags,attrs.order\r\n" >in.csv &&
	printf "\"Leak, at inlet\",王先生,2,\"vip, repeat\",A-1\r\n" >>in.csv &&
	printf "\"two\nlines\",Li,,,\r\n" >>in.csv &&
	run cmp-add --input-format csv in.csv && expect_status 0 &&
	jq -s -e ".[0].summary == \"Leak, at inlet\" and .[0].product.quantity == 2
	          and .[0].tags == [\"vip\",\"repeat\"] and .[0].attrs.order == \"A-1\"
	          and .[1].summary == \"two\nlines\" and .[1].product.quantity == null" out
'

t 'a UTF-8 BOM before the header is skipped' '
	printf "\357\273\277summary,customer.name\nx,y\n" | run cmp-add --input-format csv &&
	expect_status 0 && jq -e ".summary == \"x\"" out
'

t 'a bad row is reported with the line it starts on and skipped' '
	rm -f "$CMP_DB" &&
	printf "summary,customer.name,severity\n\"multi\nline\",a,low\nb,c,apocalyptic\nd,e,high\n" >in.csv &&
	run cmp-add --input-format csv in.csv && expect_status 65 &&
	expect_err "cmp-add: in.csv:4: severity: '"'"'apocalyptic'"'"' is not a severity" &&
	[ "$(sql "SELECT count(*) FROM complaints")" = 2 ]
'

t 'a row with the wrong number of fields is skipped' '
	printf "summary,customer.name\na,b\nc\nd,e\n" | run cmp-add --input-format csv &&
	expect_status 65 && grep -q "^cmp-add: -:3" err && [ $(wc -l <out) = 2 ]
'

t 'an unknown column is a field error' '
	printf "summary,customer.name,colour\na,b,red\n" | run cmp-add --input-format csv &&
	expect_status 65 && grep -q "colour: unknown field" err
'

t 'a map file renames columns, translates values and fills constants' '
	cat >map.yaml <<-MAP &&
	# a small export
	fields:
	  ref: {template: "T-{Ticket}"}
	  received_at: {column: Opened, time_format: "%m/%d/%Y %H:%M"}
	  summary: Subject
	  customer.name: Who
	  channel: {column: Via, values: {Phone: phone, Mail: email}, otherwise: other}
	  category: {value: service}
	  attrs.team: Team
	MAP
	printf "Ticket,Opened,Subject,Who,Via,Team,Ignored\n7,11/19/2026 09:30,Rude agent,Wu,Phone,B,x\n8,11/19/2026 10:00,Late,Ma,Fax,C,y\n" >in.csv &&
	run cmp-add --map map.yaml in.csv && expect_status 0 &&
	jq -s -e ".[0].ref == \"T-7\" and .[0].received_at == \"2026-11-19T01:30:00Z\"
	          and .[0].channel == \"phone\" and .[1].channel == \"other\"
	          and .[0].category == \"service\" and .[0].attrs == {\"team\":\"B\"}" out
'

t 'a map naming a missing column stops before reading rows' '
	printf "fields:\n  summary: Nope\n  customer.name: Who\n" >bad.yaml &&
	printf "Who\nx\n" | run cmp-add --map bad.yaml && expect_status 65 &&
	grep -q "bad.yaml:2: no column .Nope. in the header" err && expect_empty out
'

t 'a broken map file is a configuration error with its line' '
	printf "fields:\n  summary: [unclosed\n" >broken.yaml &&
	printf "a\n" | run cmp-add --map broken.yaml && expect_status 78 &&
	grep -q "^cmp-add: broken.yaml:" err
'

done_testing
