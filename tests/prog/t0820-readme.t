#!/bin/sh
# README.md's tour, run as written in a scratch store: the commands the
# README shows are the commands that work.
. "${0%/*}/../lib.sh"

# readme_block HEADING: the first sh block of README.md's section HEADING.
readme_block() {
	awk -v h="## $1" '$0 == h { on = 1; next } on && /^```sh/ { code = 1; next }
		code && /^```/ { exit } code' "$CMP_TOP/README.md"
}

t 'the tour of README.md runs, every command succeeding' '
	readme_block "A tour" | grep -v "^export CMP_DB=" >tour.sh &&
	[ $(grep -c "^cmp-" tour.sh) -ge 8 ] &&
	( cd "$CMP_TOP" && sh -e "$TEST_ROOT/tour.sh" ) >out 2>err &&
	[ "$(sql "SELECT status FROM complaints WHERE id = 1")" = closed ]
'

NYC=nyc-311-sample/311_sample.csv
if have_data $NYC; then
# Its figures against the CSV itself, read by the sqlite3 shell.
t 'the migration of README.md runs on the NYC 311 sample, its figures as the CSV says' '
	rm -f "$CMP_DB" &&
	readme_block "Migrating from another system" >migrate.sh &&
	grep -q "^cmp-add --map" migrate.sh &&
	mkdir mig && ln -s "$CMP_TOP/share" mig/share && ln -s "$DATA/$NYC" mig/311_sample.csv &&
	( cd mig && sh -e ../migrate.sh ) >out 2>err && expect_empty err &&
	sqlite3 -batch raw.db ".import --csv $DATA/$NYC r" &&
	closed=$(sqlite3 -batch raw.db "SELECT count(*) FROM r WHERE Status = \"Closed\"") &&
	received=$(sqlite3 -batch raw.db "SELECT count(*) FROM r") &&
	grep -q "^  received *$received\$" out && grep -q "^  closed *$closed\$" out &&
	# Received at or before noon on the 21st (H:MM, 24 hours).
	noon=$(sqlite3 -batch raw.db "SELECT count(*) FROM r WHERE \"Created Date\" LIKE \"10/21/18 _:%\"
		OR \"Created Date\" LIKE \"10/21/18 10:%\" OR \"Created Date\" LIKE \"10/21/18 11:%\"
		OR \"Created Date\" = \"10/21/18 12:00\"") &&
	[ "$noon" -gt 1000 ] &&
	grep "^{" out | jq -e ".received == $noon" >/dev/null &&
	[ $(grep -c "^NYC311-" out) = 2 ]
'
else
	skip 'the migration of README.md' "no $DATA/$NYC"
fi

done_testing
