#!/bin/sh
# A bulk import on PostgreSQL shares its round trips (issue 24): a
# record's tags and journal rows go to the server with the next
# statement that waits for an answer (CMP_DB_DEFER, libpq's pipeline
# mode), counted by the backend for $CMP_PG_TRACE; the complaint's row
# too, its id the store's; and what a record's adding reads (is its ref
# known, which complaint may it duplicate) is read for its whole batch
# at once (cmp_add_ahead).  Sent one round trip each, a record took one
# per statement (ten or so); now a batch takes a few, however many its
# records.  Many rows go with COPY instead, a table at a time, each row
# counted as the statement it stands for.  A deferred write the server
# refuses, in a COPY or not, still fails its batch: nothing of it
# printed or stored.
. "${0%/*}/../lib.sh"

if [ -z "${CMP_TEST_PG:-}" ]; then
	skip 'PostgreSQL round trips' 'no server: run by make check-pg'
	done_testing
	exit 0
fi

# N records with refs, tags and a history (a closed complaint journals
# each step of its past): several writes a record.
records() {
	awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++)
		printf "{\"ref\":\"R-%d\",\"summary\":\"s%d\",\"customer\":" \
		"{\"name\":\"c\",\"phone\":\"1390000%04d\"},\"category\":" \
		"\"billing\",\"received_at\":\"2026-10-01T08:00:00Z\"," \
		"\"status\":\"closed\",\"acknowledged_at\":" \
		"\"2026-10-01T09:00:00Z\",\"replied_at\":" \
		"\"2026-10-02T09:00:00Z\",\"resolution\":{\"type\":\"refund\"," \
		"\"resolved_at\":\"2026-10-03T09:00:00Z\"},\"tags\":[\"t%d\"]}\n",
		i, i, i % 50, i % 3 }'
}

t 'an import of 300 records: not one round trip a record (at most 1 in 5)' '
	rm -f "$CMP_DB" &&
	cmp-add </dev/null &&
	records 300 >in &&
	CMP_PG_TRACE=$PWD/trace run cmp-add in &&
	expect_status 0 && expect_empty err &&
	[ $(wc -l <out) = 300 ] &&
	read trips _ _ statements _ <trace &&
	echo "$trips round trips, $statements statements" &&
	[ $(sql "SELECT count(*) FROM journal_entry") -ge 1500 ] &&
	[ "$statements" -ge 2100 ] &&
	[ "$trips" -le 60 ]
'

t 'a replay of the same input: the same lines, nothing more stored' '
	cp out first &&
	run cmp-add in && expect_status 0 &&
	test_cmp first out &&
	[ "$(sql "SELECT count(*) FROM complaint")" = 300 ]
'

# A record without received_at is received now: its duplicates are read
# ahead for that time too, not looked up one by one.
t 'an import of 300 records without a time or a ref: still at most 1 round trip in 5' '
	rm -f "$CMP_DB" &&
	cmp-add </dev/null &&
	records 300 | jq -c "del(.ref, .received_at, .status, .acknowledged_at,
		.replied_at, .resolution)" >bare &&
	! grep -q received_at bare &&
	rm -f trace &&
	CMP_PG_TRACE=$PWD/trace run cmp-add bare &&
	expect_status 0 && expect_empty err &&
	[ $(wc -l <out) = 300 ] &&
	[ $(jq -r "select(.possible_duplicate_of) | .id" out | wc -l) -ge 200 ] &&
	read trips _ <trace &&
	[ "$trips" -le 60 ]
'

# refuse_rows TABLE: a trigger on TABLE refuses the rows of complaint
# R-2500 (the first record of the second batch of 2000).
refuse_rows() {
	pg_psql -d "$pg_db" -c "CREATE FUNCTION refuse_$1() RETURNS trigger
		LANGUAGE plpgsql AS \$\$ BEGIN IF (SELECT ref FROM complaint
		WHERE id = NEW.complaint_id) = 'R-2500' THEN RAISE EXCEPTION
		'refused'; END IF; RETURN NEW; END \$\$" \
		-c "CREATE TRIGGER refuse_$1 BEFORE INSERT ON $1 FOR EACH ROW
		EXECUTE FUNCTION refuse_$1()" >/dev/null
}

t 'a deferred write refused: 70, its batch neither printed nor stored, the one before kept' '
	rm -f "$CMP_DB" &&
	cmp-add </dev/null &&
	refuse_rows tag &&
	records 3000 >in &&
	run cmp-add in &&
	expect_status 70 && grep -q "refused" err &&
	[ $(wc -l <out) = 2000 ] &&
	[ "$(sql "SELECT count(*) FROM complaint")" = 2000 ] &&
	jq -r .ref out | sort >want &&
	sql "SELECT ref FROM complaint" | sort >got &&
	test_cmp want got
'

t 'a row COPY carries refused: 70, its batch neither printed nor stored, the one before kept' '
	rm -f "$CMP_DB" &&
	cmp-add </dev/null &&
	refuse_rows journal_entry &&
	records 3000 >in &&
	run cmp-add in &&
	expect_status 70 && grep -q "refused" err &&
	[ $(wc -l <out) = 2000 ] &&
	[ "$(sql "SELECT count(*) FROM complaint")" = 2000 ] &&
	[ "$(sql "SELECT count(*) FROM tag")" = 2000 ]
'

t 'a bulk import: text with a tab, a newline, a carriage return and backslashes stored as given' '
	rm -f "$CMP_DB" &&
	cmp-add </dev/null &&
	cat >one <<-\EOF &&
	{"ref":"T-0","summary":"a\tb\nc\rd\\N\\.\\","customer":{"name":"c"},"category":"billing","description":"\\","tags":["x\\y"]}
	EOF
	for i in $(seq 100); do sed "s/T-0/T-$i/" one; done >in &&
	run cmp-add in && expect_status 0 && [ $(wc -l <out) = 100 ] &&
	[ "$(sql "SELECT count(*) FROM complaint WHERE summary = concat(chr(97),
		chr(9), chr(98), chr(10), chr(99), chr(13), chr(100), chr(92),
		chr(78), chr(92), chr(46), chr(92)) AND description = chr(92)
		AND product_serial IS NULL")" = 100 ] &&
	[ "$(sql "SELECT count(*) FROM tag WHERE tag = concat(chr(120),
		chr(92), chr(121))")" = 100 ]
'

# COPY is what INSERT would be only where a DBA has added no rule on
# INSERT, no row-level security and no statement-level INSERT trigger:
# elsewhere the rows go as INSERTs.
t 'a bulk import where a DBA added a rule, row-level security, a statement trigger: as with INSERT' '
	rm -f "$CMP_DB" &&
	cmp-add </dev/null &&
	pg_psql -d "$pg_db" -c "CREATE TABLE audit (ref text)" \
		-c "CREATE RULE audit_add AS ON INSERT TO complaint DO ALSO
			INSERT INTO audit VALUES (NEW.ref)" \
		-c "ALTER TABLE journal_entry ENABLE ROW LEVEL SECURITY" \
		-c "ALTER TABLE journal_entry FORCE ROW LEVEL SECURITY" \
		-c "CREATE POLICY everyone ON journal_entry USING (true) WITH CHECK (true)" \
		>/dev/null &&
	records 200 >in &&
	run cmp-add in && expect_status 0 && [ $(wc -l <out) = 200 ] &&
	[ "$(sql "SELECT count(*) FROM audit")" = 200 ] &&
	[ "$(sql "SELECT count(DISTINCT complaint_id) FROM journal_entry")" = 200 ] &&
	rm -f "$CMP_DB" &&
	cmp-add </dev/null &&
	pg_psql -d "$pg_db" -c "CREATE TABLE loads (n int)" \
		-c "CREATE FUNCTION count_load() RETURNS trigger LANGUAGE plpgsql AS
			\$\$ BEGIN INSERT INTO loads VALUES (1); RETURN NULL; END \$\$" \
		-c "CREATE TRIGGER count_load AFTER INSERT ON journal_entry
			FOR EACH STATEMENT EXECUTE FUNCTION count_load()" >/dev/null &&
	run cmp-add in && expect_status 0 && [ $(wc -l <out) = 200 ] &&
	[ "$(sql "SELECT count(*) FROM loads")" = "$(sql "SELECT count(*) FROM journal_entry")" ]
'

t 'one record from flags, --atomic, its deferred journal row refused: 70, nothing printed or stored' '
	rm -f "$CMP_DB" &&
	cmp-add </dev/null &&
	pg_psql -d "$pg_db" -c "CREATE FUNCTION refuse_note() RETURNS trigger LANGUAGE plpgsql AS
		\$\$ BEGIN IF NEW.note = '"'bad'"' THEN RAISE EXCEPTION
		'"'refused'"'; END IF; RETURN NEW; END \$\$" >/dev/null &&
	pg_psql -d "$pg_db" -c "CREATE TRIGGER refuse_note BEFORE INSERT ON journal_entry
		FOR EACH ROW EXECUTE FUNCTION refuse_note()" >/dev/null &&
	run cmp-add --atomic --customer w -m leak --note bad &&
	expect_status 70 && grep -q "refused" err && expect_empty out &&
	[ "$(sql "SELECT count(*) FROM complaint")" = 0 ] &&
	run cmp-add --atomic --customer w -m leak --note fine &&
	expect_status 0 && [ $(wc -l <out) = 1 ] &&
	[ "$(sql "SELECT count(*) FROM complaint")" = 1 ]
'

# cmp-show reads a complaint, its journal and its relations from one
# snapshot: one read transaction an id, nothing read outside it, as the
# server logs the statements of this database.
t 'cmp-show: each complaint read in one transaction of its own' '
	rm -f "$CMP_DB" &&
	for i in 1 2 3; do
		cmp-add --customer c --phone 13900000001 -m "m $i" >/dev/null || return 1
	done &&
	pg_psql -d postgres -c "ALTER DATABASE $pg_db SET log_statement = '"'all'"'" &&
	log=$CMP_TEST_PG/server.log &&
	before=$(wc -l <"$log") &&
	run cmp-show 1 2 3 && expect_status 0 && expect_empty err &&
	[ $(wc -l <out) = 3 ] &&
	pg_psql -d postgres -c "ALTER DATABASE $pg_db RESET log_statement" &&
	tail -n +$((before + 1)) "$log" | awk "
		/LOG:  (statement|execute [^:]*): BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY/ { tx = 1; begun++; next }
		/LOG:  (statement|execute [^:]*): COMMIT/ { tx = 0; next }
		/LOG:  (statement|execute [^:]*): .*(complaint_id|FROM complaint |cmpc)/ { if (!tx) out++ }
		END { print begun + 0, out + 0 }" >counts &&
	cat counts && [ "$(cat counts)" = "3 0" ]
'

done_testing
