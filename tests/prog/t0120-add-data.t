#!/bin/sh
# cmp-add over real data from ../shared/data (each case skipped when the
# data is absent): JSONTestSuite, the CFPB sample, a BOM file, a GBK file.
. "${0%/*}/../lib.sh"

EXAMPLES=$CMP_TOP/share/complaint/examples

if have_data JSONTestSuite/test_parsing; then
t 'every n_ file of JSONTestSuite is a clean data error, nothing stored' '
	for f in "$DATA"/JSONTestSuite/test_parsing/n_*.json; do
		name=${f##*/}
		run cmp-add "$f"
		case $name in
		# Empty (or blank) input is a stream of zero records: exit 0.
		n_single_space.json|n_structure_no_data.json)
			[ $status = 0 ] || { echo "$name: $status"; exit 1; } ;;
		*)
			[ $status = 65 ] || { echo "$name: status $status"; cat err; exit 1; }
			grep -q "^cmp-add: $f:[0-9]" err || grep -q "^cmp-add: $f: " err ||
				{ echo "$name: no location"; cat err; exit 1; } ;;
		esac
		[ $(wc -l <err) -le 200 ] || { echo "$name: too many messages"; exit 1; }
	done &&
	[ "$(sql "SELECT count(*) FROM complaints")" = 0 ]
'
else
	skip 'JSONTestSuite n_ files' "no $DATA/JSONTestSuite"
fi

CFPB=cfpb-ccdb-sample-2015-2020/complaints_sample.csv
if have_data $CFPB; then
t 'the CFPB sample imports through the shipped map' '
	run cmp-add --map "$EXAMPLES/cfpb.map.yaml" "$DATA/$CFPB" &&
	expect_status 0 && expect_empty err &&
	[ $(wc -l <out) = 6623 ] &&
	[ "$(sql "SELECT count(*) FROM complaints")" = 6623 ]
'

t 'a replay of the CFPB sample adds nothing' '
	before=$(sql "SELECT count(*) FROM journal") &&
	run cmp-add --map "$EXAMPLES/cfpb.map.yaml" "$DATA/$CFPB" &&
	expect_status 0 && [ $(wc -l <out) = 6623 ] &&
	[ "$(sql "SELECT count(*) FROM complaints")" = 6623 ] &&
	[ "$(sql "SELECT count(*) FROM journal")" = "$before" ]
'

t 'CFPB counts by product match an independent count' '
	sqlite3 -batch indep.db ".import --csv \"$DATA/$CFPB\" raw" &&
	sqlite3 -batch indep.db "SELECT Product, count(*) FROM raw GROUP BY 1 ORDER BY 1" >want &&
	sql "SELECT product_name, count(*) FROM complaints GROUP BY 1 ORDER BY 1" >got &&
	test_cmp want got &&
	sqlite3 -batch indep.db "SELECT count(*) FROM raw WHERE \"Consumer complaint narrative\" != \"\"" >want &&
	sql "SELECT count(*) FROM complaints WHERE description IS NOT NULL" >got &&
	test_cmp want got
'
else
	skip 'the CFPB sample' "no $DATA/$CFPB"
fi

CAR=china-12365auto-car-complaints
if have_data $CAR/car_complain_utf8.csv; then
t 'a UTF-8 file with a BOM imports (600 Chinese complaints)' '
	rm -f "$CMP_DB" &&
	run cmp-add --map "$EXAMPLES/12365auto.map.yaml" "$DATA/$CAR/car_complain_utf8.csv" &&
	expect_status 0 && expect_empty err && [ $(wc -l <out) = 600 ] &&
	[ "$(sql "SELECT count(*) FROM complaints WHERE status = \"closed\"")" = 52 ] &&
	head -1 out | jq -e ".summary == \"启辰T60多次电瓶亏电无法启动希望处理\""
'
else
	skip 'the BOM file' "no $DATA/$CAR"
fi

if have_data $CAR/car_complain_gbk.csv; then
t 'a GBK file is refused at the line of its first bad byte, nothing stored' '
	rm -f "$CMP_DB" &&
	run cmp-add --input-format csv "$DATA/$CAR/car_complain_gbk.csv" &&
	expect_status 65 && expect_empty out &&
	grep -q "^cmp-add: $DATA/$CAR/car_complain_gbk.csv:1:.*UTF-8" err &&
	[ "$(sql "SELECT count(*) FROM complaints")" = 0 ]
'
else
	skip 'the GBK file' "no $DATA/$CAR"
fi

done_testing
