#!/bin/sh
# The PostgreSQL store's own faults (issue 24), run by make check-pg: a
# writer's lock held past the busy timeout (75), a read-only role (74),
# a server that cannot be reached (73), a database with a C ctype or
# of ICU's locale provider (refused at open), a newer schema (78), no
# password in a message.
. "${0%/*}/../lib.sh"

if [ -z "${CMP_TEST_PG:-}" ]; then
	skip 'PostgreSQL faults' 'no server: run by make check-pg'
	done_testing
	exit 0
fi

# The schema version of this build (include/complaint.h).
version=$(sed -n 's/^#define CMP_SCHEMA_VERSION \([0-9]*\)$/\1/p' \
	"$CMP_TOP/include/complaint.h")

add() {
	cmp-add --customer a -m "$1"
}

t 'a writer lock held past the busy timeout: 75, nothing printed, nothing stored' '
	rm -f "$CMP_DB" &&
	add one >/dev/null &&
	{ psql -X -q -d "$CMP_DB" -c "BEGIN" \
		-c "SELECT pg_advisory_xact_lock(1129140273)" \
		-c "SELECT pg_sleep(3)" -c "COMMIT" >/dev/null & } &&
	sleep 1 &&
	CMP_BUSY_TIMEOUT=300 run add two &&
	wait &&
	expect_status 75 && expect_empty out &&
	grep -q "busy" err &&
	[ "$(sql "SELECT count(*) FROM complaints")" = 1 ]
'

# reader_role: the role cmp_reader, made afresh, that may only read the
# store; drop_reader_role: gone again (roles are the cluster's).
reader_role() {
	pg_psql -d postgres -c "DROP ROLE IF EXISTS cmp_reader" \
		-c "CREATE ROLE cmp_reader LOGIN" >/dev/null &&
	pg_psql -d "$pg_db" -c "GRANT SELECT ON ALL TABLES IN SCHEMA public TO cmp_reader" >/dev/null
}
drop_reader_role() {
	pg_psql -d "$pg_db" -c "DROP OWNED BY cmp_reader" >/dev/null &&
	pg_psql -d postgres -c "DROP ROLE cmp_reader" >/dev/null
}

t 'a read-only role: a clear refusal, 74, nothing changed' '
	rm -f "$CMP_DB" &&
	add one >/dev/null &&
	reader_role &&
	ro="postgresql:///$pg_db?host=$CMP_TEST_PG&user=cmp_reader" &&
	CMP_DB=$ro run cmp-list --fields id --format tsv && expect_status 0 &&
	CMP_DB=$ro run cmp-update --tag x 1 && expect_status 74 &&
	grep -q "read-only" err && expect_empty out &&
	[ "$(sql "SELECT count(*) FROM tag")" = 0 ] &&
	drop_reader_role
'

# Enough records that their rows go with COPY (backend_pg_defer.c).
t 'a read-only role, a bulk import: 74, nothing printed, nothing stored' '
	rm -f "$CMP_DB" &&
	add one >/dev/null &&
	reader_role &&
	awk "BEGIN { for (i = 1; i <= 500; i++)
		printf \"{\\\"ref\\\":\\\"B-%d\\\",\\\"summary\\\":\\\"s%d\\\",\\\"customer\\\":{\\\"name\\\":\\\"c\\\"}}\n\", i, i }" >in &&
	CMP_DB="postgresql:///$pg_db?host=$CMP_TEST_PG&user=cmp_reader" \
		run cmp-add in &&
	expect_status 74 && grep -q "read-only" err && expect_empty out &&
	[ "$(sql "SELECT count(*) FROM complaint")" = 1 ] &&
	drop_reader_role
'

t 'a server that cannot be reached: 73, and the password is never shown' '
	run cmp-list --db "postgresql://cmp:s3cret@/nodb?host=$TEST_ROOT/none" &&
	expect_status 73 &&
	grep -q "cannot open store" err &&
	! grep -q s3cret err &&
	run cmp-list --db "host=$TEST_ROOT/none dbname=nodb password=s3cret" &&
	expect_status 73 && ! grep -q s3cret err
'

t 'a database whose LC_CTYPE is C: refused at open, saying what to run' '
	pg_psql -d postgres -c "DROP DATABASE IF EXISTS ${pg_db}_c" \
		-c "CREATE DATABASE ${pg_db}_c TEMPLATE template0 LOCALE '"'C'"'" >/dev/null &&
	run cmp-list --db "postgresql:///${pg_db}_c?host=$CMP_TEST_PG&user=cmp" &&
	pg_psql -d postgres -c "DROP DATABASE ${pg_db}_c" >/dev/null &&
	expect_status 78 && grep -q "not UTF-8" err && grep -q "CREATE DATABASE" err
'

# ICU lowers a letter by its context: ILIKE, which the text index's
# search narrows the rows with, finds no "Σ" in "ΟΔΟΣ" there.
t 'a database of the ICU locale provider: refused at open, saying what to run' '
	pg_psql -d postgres -c "DROP DATABASE IF EXISTS ${pg_db}_icu" \
		-c "CREATE DATABASE ${pg_db}_icu TEMPLATE template0 ENCODING '"'UTF8'"' LOCALE_PROVIDER icu ICU_LOCALE '"'en-US'"' LOCALE '"'C.UTF-8'"'" >/dev/null &&
	run cmp-list --db "postgresql:///${pg_db}_icu?host=$CMP_TEST_PG&user=cmp" &&
	pg_psql -d postgres -c "DROP DATABASE ${pg_db}_icu" >/dev/null &&
	expect_status 78 && grep -q "provider is ICU" err &&
	grep -q "LOCALE_PROVIDER libc" err
'

# A listing reads in a transaction (one snapshot): held by its reader
# past the server's idle_in_transaction_session_timeout, it is ended by
# the server, as a connection lost (74), and prints no partial page.
t 'a listing held by its reader past the idle-in-transaction timeout: 74' '
	rm -f "$CMP_DB" &&
	long_records 600 | cmp-add >/dev/null &&
	{ rc=0; PGOPTIONS="$PGOPTIONS -c idle_in_transaction_session_timeout=1000" \
		cmp-list 2>err || rc=$?; echo $rc >status; } |
		{ sleep 3; cat >listed; } &&
	[ "$(cat status)" = 74 ] && grep -q "idle" err &&
	[ $(wc -l <listed) -lt 600 ] && jq -e .id listed >/dev/null
'

t 'a store of a newer schema version: 78' '
	rm -f "$CMP_DB" &&
	add one >/dev/null &&
	sql "UPDATE complaint_schema SET version = 99" &&
	run cmp-list && expect_status 78 && grep -q "newer" err
'

t 'the journal is append-only: UPDATE, DELETE and TRUNCATE refused' '
	rm -f "$CMP_DB" &&
	add one >/dev/null &&
	! sql "UPDATE journal_entry SET actor = '"'x'"'" 2>err1 &&
	grep -q "append-only" err1 &&
	! sql "DELETE FROM journal_entry" 2>err2 && grep -q "append-only" err2 &&
	! sql "TRUNCATE journal_entry" 2>err3 && grep -q "append-only" err3 &&
	[ "$(sql "SELECT count(*) FROM journal")" = 1 ]
'

# The import commits every 2,000 records; the server is halted once
# the first are printed, and started again.  The server is one of the
# case's own: the other test files run at the same time on the shared
# one (make check-pg runs two at once).
t 'the server stopped in the middle of an import: 74, what was printed is stored, a replay completes it' '
	own=$(mktemp -d "${TMPDIR:-/tmp}/cmp-pg.XXXXXX") &&
	trap "cd / && sh \"$CMP_TOP/tests/pg/cluster.sh\" stop \"$own\"" EXIT &&
	(cd / && sh "$CMP_TOP/tests/pg/cluster.sh" start "$own" >/dev/null) &&
	psql -X -q -h "$own" -U cmp -d postgres \
		-c "CREATE DATABASE halted TEMPLATE cmp_template" &&
	CMP_DB="postgresql:///halted?host=$own&user=cmp" && export CMP_DB || exit 1
	# (Not joined to what follows by &&: the list that ends in & runs
	# in the background, and own is needed in this shell.)
	awk "BEGIN { for (i = 1; i <= 10000; i++)
		printf \"{\\\"ref\\\":\\\"S-%d\\\",\\\"summary\\\":\\\"s%d\\\",\\\"customer\\\":{\\\"name\\\":\\\"c\\\"}}\n\", i, i }" >in &&
	{ cmp-add <in >out 2>err && echo 0 >status || echo $? >status; } &
	n=0 && while [ ! -s out ] && [ $n -lt 600 ]; do sleep 0.1; n=$((n + 1)); done &&
	(cd / && sh "$CMP_TOP/tests/pg/cluster.sh" halt "$own") &&
	wait &&
	(cd / && sh "$CMP_TOP/tests/pg/cluster.sh" resume "$own") &&
	[ "$(cat status)" = 74 ] && [ -s err ] &&
	printed=$(wc -l <out) && [ "$printed" -gt 0 ] && [ "$printed" -lt 10000 ] &&
	jq -r .ref out | sort >want &&
	sql "SELECT ref FROM complaints ORDER BY ref" | sort >got &&
	test_cmp want got &&
	run cmp-add in && expect_status 0 && expect_empty err &&
	[ $(wc -l <out) = 10000 ] &&
	[ "$(sql "SELECT count(*) || \" \" || count(DISTINCT ref) FROM complaints")" = "10000 10000" ]
'

t 'several programs opening a fresh database at once: migrated once' '
	rm -f "$CMP_DB" &&
	for i in 1 2 3 4 5 6; do add "m$i" >/dev/null 2>err.$i & done &&
	wait &&
	cat err.* >errs && expect_empty errs &&
	[ "$(sql "SELECT count(*) FROM complaints")" = 6 ] &&
	[ "$(sql "SELECT version FROM complaint_schema")" = "$version" ]
'

done_testing
