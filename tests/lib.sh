# tests/lib.sh - the TAP helper of the program tests (POSIX sh).
#
# A test file sources this, then states cases:
#
#	. "${0%/*}/../lib.sh"
#	t 'adds one complaint from flags' '
#		run cmp-add --customer 王 -m "leak" &&
#		[ $status = 0 ] &&
#		jq -e ".id == 1" out
#	'
#	done_testing
#
# Each case runs in a subshell with set -e, in a scratch directory that
# holds the store ($CMP_DB); `run CMD...` leaves stdout in ./out, stderr
# in ./err and the exit status in $status without stopping the case.

set -u
CMP_TOP=${CMP_TOP:-$(cd "${0%/*}/../.." && pwd)}
CMP_BUILD=${CMP_BUILD:-$CMP_TOP/build}
DATA=${CMP_DATA:-$CMP_TOP/../shared/data}
PATH=$CMP_BUILD/bin:$PATH
LC_ALL=C.UTF-8
export PATH LC_ALL CMP_TOP CMP_BUILD DATA

TEST_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/cmp-test.XXXXXX")
trap 'rm -rf "$TEST_ROOT"' EXIT
cd "$TEST_ROOT" || exit 1

# Nothing of the user's: a scratch store, no config file, a frozen clock.
XDG_DATA_HOME=$TEST_ROOT/xdg-data
XDG_CONFIG_HOME=$TEST_ROOT/xdg-config
CMP_DB=$TEST_ROOT/store.db
CMP_NOW=2026-11-20T01:15:00Z
CMP_ACTOR=tester
export XDG_DATA_HOME XDG_CONFIG_HOME CMP_DB CMP_NOW CMP_ACTOR
unset CMP_CONFIG NO_COLOR 2>/dev/null || true

# CMP_TEST_PG=SOCKETDIR (make check-pg, tests/pg/cluster.sh): the store
# is a PostgreSQL database of its own for this file, made from the
# cluster's template (pg_trgm in it), dropped at the end.  `rm -f
# "$CMP_DB"`, the tests' way to start from an empty store, makes it
# afresh; `sql` speaks to it through psql.
if [ -n "${CMP_TEST_PG:-}" ]; then
	pg_db=$(printf 'cmp_%s_%s' "${0##*/}" $$ | tr -c 'a-z0-9_\n' '_')
	pg_psql() {
		psql -X -q -v ON_ERROR_STOP=1 -h "$CMP_TEST_PG" -U cmp "$@"
	}
	PGOPTIONS="-c client_min_messages=warning"; export PGOPTIONS
	pg_fresh() {
		pg_psql -d postgres \
			-c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" \
			-c "CREATE DATABASE $pg_db TEMPLATE cmp_template" \
			>/dev/null
	}
	pg_fresh || exit 1
	CMP_DB="postgresql:///$pg_db?host=$CMP_TEST_PG&user=cmp"
	trap 'pg_psql -d postgres -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1; rm -rf "$TEST_ROOT"' EXIT
	rm() {
		for a; do
			# "$CMP_DB"* too: the file and its WAL files on SQLite.
			case $a in
			"$CMP_DB" | "$CMP_DB"\*) pg_fresh || return 1 ;;
			esac
		done
		command rm "$@"
	}
fi

# CMP_VALGRIND=1 (make check-valgrind): every program runs under
# valgrind memcheck; an error or a leak fails the file.
if [ -n "${CMP_VALGRIND:-}" ]; then
	mkdir -p "$TEST_ROOT/.vg-bin" "$TEST_ROOT/.vg-log"
	for p in "$CMP_BUILD"/bin/cmp-*; do
		cat >"$TEST_ROOT/.vg-bin/${p##*/}" <<-EOF
		#!/bin/sh
		exec valgrind -q --error-exitcode=99 --leak-check=full \\
			--show-leak-kinds=definite,indirect \\
			--errors-for-leak-kinds=definite,indirect \\
			--log-file="$TEST_ROOT/.vg-log/%p.log" "$p" "\$@"
		EOF
		chmod +x "$TEST_ROOT/.vg-bin/${p##*/}"
	done
	PATH=$TEST_ROOT/.vg-bin:$PATH
fi

tap_n=0
tap_failed=0

# t TITLE BODY: one case.
t() {
	tap_n=$((tap_n + 1))
	( set -e; eval "$2" ) >"$TEST_ROOT/.log" 2>&1
	if [ $? = 0 ]; then
		echo "ok $tap_n - $1"
	else
		echo "not ok $tap_n - $1"
		tap_failed=$((tap_failed + 1))
		# Why, on stderr: prove shows it without -v (CI's logs).
		{
			sed 's/^/#   /' "$TEST_ROOT/.log"
			for f in out err; do
				[ -s "$f" ] || continue
				echo "#   --- $f:"
				head -c 2000 "$f" | sed 's/^/#   | /'
				echo
			done
		} >&2
	fi
}

# skip TITLE REASON
skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # skip $2"
}

done_testing() {
	if [ -n "${CMP_VALGRIND:-}" ]; then
		tap_n=$((tap_n + 1))
		if cat "$TEST_ROOT"/.vg-log/*.log 2>/dev/null | grep -q .; then
			echo "not ok $tap_n - valgrind: no memory error, no leak"
			cat "$TEST_ROOT"/.vg-log/*.log | head -100 | sed 's/^/#   /' >&2
			tap_failed=$((tap_failed + 1))
		else
			echo "ok $tap_n - valgrind: no memory error, no leak"
		fi
	fi
	echo "1..$tap_n"
	[ "$tap_failed" = 0 ]
}

# run CMD...: stdout to ./out, stderr to ./err, status in $status.
# The status is also left in ./.status, for `... | run CMD`, where run is
# in a subshell of the pipeline and $status cannot reach the case.
run() {
	"$@" >out 2>err
	status=$?
	echo $status >.status
	return 0
}

# long_records N: N complaints as NDJSON, each over a kilobyte (a
# description of 1,000 characters): a page of them fills a pipe, so a
# listing can be held by its reader in the middle.
long_records() {
	awk -v n="$1" 'BEGIN { pad = sprintf("%01000d", 0)
		for (i = 1; i <= n; i++)
			printf "{\"summary\":\"s%d\",\"description\":\"%s\"," \
			"\"customer\":{\"name\":\"c\"}}\n", i, pad }'
}

# The case fails, showing why, unless the status is as expected.
expect_status() {
	status=$(cat .status)
	[ "$status" = "$1" ] && return 0
	echo "expected exit status $1, got $status"
	return 1
}

# test_cmp EXPECTED ACTUAL: the files are equal (diff shown otherwise).
test_cmp() {
	diff -u "$1" "$2"
}

# Expect stderr (./err) to be exactly the text given.
expect_err() {
	printf '%s\n' "$1" >err.expected
	diff -u err.expected err
}

# expect_empty FILE
expect_empty() {
	[ ! -s "$1" ] && return 0
	echo "expected $1 to be empty, it holds:"
	cat "$1"
	return 1
}

# nearest_rank P: the P-th percentile (nearest rank) of numbers on stdin.
nearest_rank() {
	sort -n | awk -v p="$1" '{ v[NR] = $1 }
		END { if (!NR) { print "null"; exit }
		      r = p / 100 * NR; k = int(r); if (k < r) k++; if (k < 1) k = 1
		      print v[k] }'
}

# sql QUERY: a query against the test store, through the sqlite3 shell.
# It waits for a lock as our programs do (the last connection to close
# a store takes it for a moment to empty the WAL).
sql() {
	case $CMP_DB in
	postgresql:*)
		# The query as PostgreSQL takes it, psql printing as the
		# sqlite3 shell does.
		sep='|'
		[ "$1" = -separator ] && { sep=$2; shift 2; }
		pg_out=$(psql -X -q -A -t -F "$sep" -v ON_ERROR_STOP=1 \
			-d "$CMP_DB" -c "$(printf '%s' "$1" |
			perl "$CMP_TOP/tests/pg/oracle.pl")") || return
		[ -z "$pg_out" ] || printf '%s\n' "$pg_out" |
			sed 's/^t$/1/; s/^f$/0/'
		;;
	*)
		sqlite3 -batch -cmd '.timeout 5000' "$CMP_DB" "$@"
		;;
	esac
}

# on_pg: the tests run on a PostgreSQL store (make check-pg).
on_pg() {
	[ -n "${CMP_TEST_PG:-}" ]
}

# sqlite_only TITLE REASON: on a PostgreSQL store, skip a case about
# what only SQLite has (its file, its WAL, its shell, its SQL), saying
# why; as under_valgrind, in front of the case:
#	sqlite_only 'TITLE' 'REASON' || t 'TITLE' '...'
sqlite_only() {
	on_pg || return 1
	skip "$1" "SQLite only: $2"
}

# hold_write_lock SECONDS: hold the store's write lock as another
# writer would, for SECONDS (run it in the background): SQLite's
# reserved lock, or PostgreSQL's advisory lock of the writers
# (lib/backend_pg.c, WRITER_LOCK).  ./locked exists while it is held:
# wait_locked waits for it (a fixed sleep was too short on a loaded
# machine, psql not yet started).
hold_write_lock() {
	rm -f locked
	if on_pg; then
		psql -X -q -d "$CMP_DB" -c "BEGIN" \
			-c "SELECT pg_advisory_xact_lock(1129140273)" \
			-c '\! touch locked' \
			-c "SELECT pg_sleep($1)" -c "COMMIT" >/dev/null
	else
		sqlite3 "$CMP_DB" "BEGIN IMMEDIATE; SELECT 1;" \
			".shell touch locked" ".shell sleep $1" "COMMIT;" >/dev/null
	fi
	rm -f locked
}

# wait_locked: until hold_write_lock holds the lock (at most 10 s).
wait_locked() {
	i=0
	while [ ! -e locked ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -e locked ]
}

# prefer_indexes: on PostgreSQL, sequential scans priced out of the
# plans of the case's programs (libpq's PGOPTIONS).  Its planner rightly
# reads a table of a few dozen rows whole; a case of --explain asks
# whether an index serves the query, as it will on a large store.
prefer_indexes() {
	on_pg || return 0
	PGOPTIONS="${PGOPTIONS:-} -c enable_seqscan=off"
	export PGOPTIONS
}

# plan_uses INDEX: PostgreSQL's plan in ./out (cmp-list --explain)
# reads the index INDEX.  SQLite's plans are checked by their own words.
plan_uses() {
	grep -Eq "Index (Only )?Scan (using|on) $1( |\$)" out && return 0
	echo "the plan reads no index $1"
	return 1
}

# under_valgrind TITLE [REASON]: with CMP_VALGRIND, skip a case that
# races the clock (busy timeouts, concurrent writers: valgrind slows
# every call twenty-fold), or that REASON says valgrind cannot run as
# the machine does.  They run in `make check` and `make check SANITIZE=1`.
under_valgrind() {
	[ -n "${CMP_VALGRIND:-}" ] || return 1
	skip "$1" "${2:-timing-dependent}, not run under valgrind"
}

# sampled: stdin to stdout, but under valgrind only every fourth line:
# for a table of cases that each run one program over the same code.
# Valgrind takes most of a second to start a program, and CI runs the
# suite under it within a time limit; every line still runs in `make
# check` and under ASan and UBSan.
sampled() {
	if [ -n "${CMP_VALGRIND:-}" ]; then
		awk 'NR % 4 == 1'
	else
		cat
	fi
}

# have_data PATH: the shared data file exists (else the case is skipped).
have_data() {
	[ -e "$DATA/$1" ]
}
