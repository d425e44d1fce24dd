#!/bin/sh
# libpq is loaded at the first PostgreSQL store, never by a program on a
# SQLite store (issue 25: its 22 libraries were most of one call's cost
# beyond the floor); a PostgreSQL store without a loadable libpq is
# refused with 73 and a message that names what to install, without the
# password.  No server needed: the refusal comes before any connection.
. "${0%/*}/../lib.sh"

# loaded_libpq: the shared objects ld.so loaded for the program of
# ./err's LD_DEBUG=files trace whose name is libpq's.
loaded_libpq() {
	grep -c 'file=libpq\.so' err || true
}

t 'a SQLite store: the programs load no libpq' '
	for p in cmp-add cmp-list; do
		if [ $p = cmp-add ]; then
			LD_DEBUG=files run $p --db "$TEST_ROOT/s.db" --customer a -m b
		else
			LD_DEBUG=files run $p --db "$TEST_ROOT/s.db"
		fi
		expect_status 0
		[ "$(loaded_libpq)" = 0 ] || { echo "$p loaded libpq"; exit 1; }
	done &&
	for p in cmp-add cmp-assign cmp-update cmp-close cmp-followup cmp-list cmp-show cmp-report; do
		! ldd "$CMP_BUILD/bin/$p" | grep -q "libpq" || { echo "$p links libpq"; exit 1; }
	done
'

t 'a PostgreSQL store: libpq loaded, the refused connection is 73, no password shown' '
	LD_DEBUG=files run cmp-list --db "postgresql://u:sekret@/nodb?host=$TEST_ROOT/nosocket" &&
	expect_status 73 &&
	[ "$(loaded_libpq)" -ge 1 ] &&
	grep -q "^cmp-list: cannot open store .postgresql://u@/nodb?host=$TEST_ROOT/nosocket.: connection to server" err &&
	! grep -q sekret err
'

t 'no loadable libpq: 73, what to install, no password shown' '
	mkdir -p "$TEST_ROOT/nopq" &&
	: >"$TEST_ROOT/nopq/libpq.so.5" && : >"$TEST_ROOT/nopq/libpq.so" &&
	LD_LIBRARY_PATH=$TEST_ROOT/nopq run cmp-list --db "postgresql://u:sekret@/nodb?host=$TEST_ROOT/nosocket" &&
	expect_status 73 &&
	grep -q "^cmp-list: store .postgresql://u@/nodb?host=$TEST_ROOT/nosocket.: PostgreSQL.s client library cannot be loaded (.*libpq.so.5.*); install libpq5$" err &&
	! grep -q sekret err &&
	[ ! -s out ]
'

t 'a libpq without pipeline mode (older than 14): 73, the missing function named' '
	command -v cc >/dev/null || { echo "no cc"; exit 1; }
	mkdir -p "$TEST_ROOT/oldpq" &&
	echo "void PQclear(void *r) { (void)r; }" >"$TEST_ROOT/oldpq/stub.c" &&
	cc -shared -fPIC -o "$TEST_ROOT/oldpq/libpq.so.5" "$TEST_ROOT/oldpq/stub.c" &&
	LD_LIBRARY_PATH=$TEST_ROOT/oldpq run cmp-list --db "postgresql://u:sekret@/nodb?host=$TEST_ROOT/nosocket" &&
	expect_status 73 &&
	grep -q "^cmp-list: store .postgresql://u@/nodb?host=$TEST_ROOT/nosocket.: PostgreSQL.s client library is older than this program needs (.*undefined symbol: PQ[A-Za-z]*; libpq 14 or later has pipeline mode)$" err &&
	! grep -q sekret err &&
	[ ! -s out ]
'

done_testing
