#!/bin/sh
# tests/bench/run.sh - benchmarks against the tools people would use
# instead, written to tests/bench/RESULTS.md.
#
#   make bench                         100,000 and 1,000,000 complaints
#   SIZES=100000 RUNS=3 make bench     other sizes, runs per figure
#
# Every figure is the median (min-max) of RUNS runs, with the baseline
# measured in the same run on the same data, its runs alternating with
# ours: the sqlite3 shell on a table with the same columns and indexes
# (the full-text index too).
# Peak memory is the maximum resident set size (GNU time).  Nothing here
# asserts a time: `make check` never times anything.
#
# Two baselines of our own, in C (make bench builds them into
# build/bench): the raw yardstick of a bulk import (yardstick.c: cJSON,
# validation, one prepared INSERT into a table of three indexes and no
# full-text index) and the floor of one call (floor.c: a configuration
# read, the store opened as ours is, one row and its full-text entry
# inserted into the baseline's table).
#
# Where Taskwarrior (`task`, Debian package taskwarrior) is installed,
# a second table compares it on the same complaints, up to TASK_MAX
# complaints (default 100000: it holds its whole data set in memory)
# and TASK_RUNS runs per figure (default 1).
#
# With CMP_BENCH_PG, a third table runs the scenarios again on a
# PostgreSQL store, against psql on a table with the same columns and
# indexes (pg_trgm's GIN indexes of the text, as the store has):
#   CMP_BENCH_PG=DIR     the cluster tests/pg/cluster.sh started in DIR
#   CMP_BENCH_PG=start   one of our own, in BENCH_DIR, stopped at the end
#
# ONLY="pg" (or any of "sqlite pg task") runs those tables alone: with
# RESULTS=FILE, to measure one store without rewriting RESULTS.md.
set -eu

TOP=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${CMP_BUILD:-$TOP/build}/bin
BENCH_BIN=${CMP_BUILD:-$TOP/build}/bench
W=${BENCH_DIR:-${TMPDIR:-/tmp}/cmp-bench}
SIZES=${SIZES:-100000 1000000}
RUNS=${RUNS:-3}
TASK_MAX=${TASK_MAX:-100000}
TASK_RUNS=${TASK_RUNS:-1}
OUT=${RESULTS:-$TOP/tests/bench/RESULTS.md}
TIME=/usr/bin/time

for tool in sqlite3 awk; do
	command -v $tool >/dev/null || { echo "bench: $tool is needed" >&2; exit 69; }
done
[ -x $TIME ] || { echo "bench: GNU time is needed (apt-get install time)" >&2; exit 69; }
for prog in yardstick floor; do
	[ -x "$BENCH_BIN/$prog" ] || { echo "bench: $BENCH_BIN/$prog is needed (make bench builds it)" >&2; exit 69; }
done
mkdir -p "$W"
export CMP_CONFIG= XDG_CONFIG_HOME="$W/no-config" CMP_ACTOR=bench LC_ALL=C.UTF-8
export CMP_NOW=2026-11-20T01:15:00Z
unset NO_COLOR 2>/dev/null || true

# want TABLE: the tables ONLY names ("sqlite pg task"; all by default).
want() {
	case " ${ONLY:-sqlite pg task} " in *" $1 "*) return 0 ;; esac
	return 1
}

# timed PREP CMD FILE: run PREP (not timed), then CMD; append "seconds
# peak_kib" to FILE.
timed() {
	( eval "$1" )
	$TIME -f "%e %M" -o "$W/t1" sh -c "$2" >/dev/null
	tail -1 "$W/t1" >>"$3"
}

# figures FILE: "median min max peak_kib" of the seconds in FILE.
figures() {
	sort -n "$1" | awk '{ t[NR] = $1; if ($2 > m) m = $2 }
		END { printf "%.3f %.3f %.3f %d\n", t[int((NR + 1) / 2)], t[1], t[NR], m }'
}

# run_pair N PREP_A CMD_A PREP_B CMD_B [PREP_C CMD_C [PREP_D CMD_D]]: N
# rounds of A then B (then C, D), so that ours and the baselines each
# meet the machine as it is that minute (it drifts: a million imported
# in 254 s, then 296 s, in one hour); sets ours, base (base2, base3) to
# their figures.
run_pair() {
	: >"$W/times.a"
	: >"$W/times.b"
	: >"$W/times.c"
	: >"$W/times.d"
	i=0
	while [ $i -lt "$1" ]; do
		i=$((i + 1))
		timed "$2" "$3" "$W/times.a"
		timed "$4" "$5" "$W/times.b"
		[ $# -lt 7 ] || timed "$6" "$7" "$W/times.c"
		[ $# -lt 9 ] || timed "$8" "$9" "$W/times.d"
	done
	ours=$(figures "$W/times.a")
	base=$(figures "$W/times.b")
	[ $# -lt 7 ] || base2=$(figures "$W/times.c")
	[ $# -lt 9 ] || base3=$(figures "$W/times.d")
}

# same_check QUERY_OURS QUERY_BASE: the baseline's store holds the same
# rows as ours (QUERY_...: a command that runs the SQL given it).
same_check() {
	for q in "SELECT count(*) FROM complaint" "SELECT count(*) FROM journal_entry" \
		"SELECT count(*) FROM tag" "SELECT count(*) FROM complaint WHERE customer_phone_digits IS NOT NULL"; do
		if [ "$($1 "$q")" != "$($2 "$q")" ]; then
			echo "bench: the store's own schema: not the same rows ($q)" >&2
			exit 70
		fi
	done
}

# same_rows STORE: the rows cmp-add stored in the SQLite STORE (the
# complaints but their generated columns, the journal, the tags) as CSV
# files with a header, and $W/same-import.sql: the sqlite3 shell loading
# them into an empty store of ours, empty fields made NULLs again and
# the full-text index rebuilt at the end, as the baseline's is.
same_rows() {
	: >"$W/same-import.sql"
	for t in complaint journal_entry tag; do
		cols=$(sqlite3 "$1" "SELECT group_concat(name, ', ') FROM pragma_table_info('$t')")
		vals=$(sqlite3 "$1" "SELECT group_concat('nullif(' || name || ', '''')', ', ') FROM pragma_table_info('$t')")
		sqlite3 -csv -header "$1" "SELECT $cols FROM $t" >"$W/same-$t.csv"
		printf '.import --csv %s same_%s\nINSERT INTO %s(%s) SELECT %s FROM same_%s;\nDROP TABLE same_%s;\n' \
			"$W/same-$t.csv" "$t" "$t" "$cols" "$vals" "$t" "$t" >>"$W/same-import.sql"
	done
	echo "INSERT INTO complaint_text(complaint_text) VALUES ('rebuild');" >>"$W/same-import.sql"
}

# For one-call figures, the per-call time of a loop of K calls.
loop() {
	echo "i=0; while [ \$i -lt $1 ]; do i=\$((i + 1)); $2; done"
}
per_call() {	# figures of a loop of $K calls
	echo "$1" | awk -v k="$K" '{ printf "%.4f %.4f %.4f %d", $1 / k, $2 / k, $3 / k, $4 }'
}

# slowest K CMD: the longest of K runs of CMD one after another, in
# seconds ("seconds 0" for figures): one call that does much more than
# the others (the text index merged whole) shows here, not in the time
# of a loop.
slowest() {
	j=0 max=0
	while [ $j -lt "$1" ]; do
		j=$((j + 1))
		s=$(date +%s%N)
		sh -c "$2" >/dev/null
		e=$(date +%s%N)
		[ $((e - s)) -le $max ] || max=$((e - s))
	done
	awk -v ns="$max" 'BEGIN { printf "%.4f 0\n", ns / 1e9 }'
}

# The target of the pipe scenarios, with the rate reached.
rate() {	# figures ids-file
	echo "$1" | awk -v n="$(wc -l <"$2")" \
		'{ printf ">= 10,000/s: %d/s", ($1 > 0 ? n / $1 : 0) }'
}

row() {	# scenario size ours base target
	set -- "$1" "$2" $3 $4 "$5"
	label=$1 size=$2 om=$3 omin=$4 omax=$5 opk=$6 bm=$7 bmin=$8 bmax=$9
	shift 9
	bpk=$1 target=$2
	ratio=$(awk -v a="$om" -v b="$bm" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	printf '| %s | %s | %s (%s-%s) | %s (%s-%s) | %s | %d / %d MiB | %s |\n' \
		"$label" "$size" "$om" "$omin" "$omax" "$bm" "$bmin" "$bmax" \
		"$ratio" $((opk / 1024)) $((bpk / 1024)) "$target" >>"${TABLE:-$OUT.tmp}"
}

# The baseline: the same columns and indexes, in the sqlite3 shell.
BASE_SCHEMA="CREATE TABLE c(id INTEGER PRIMARY KEY, ref TEXT UNIQUE,
 received_at TEXT, channel TEXT, customer_name TEXT, customer_phone TEXT,
 customer_email TEXT, customer_address TEXT, customer_tier TEXT,
 customer_id TEXT, product_name TEXT, product_model TEXT,
 product_serial TEXT, product_batch TEXT, product_quantity INTEGER,
 product_delivered_on TEXT, category TEXT, severity TEXT, summary TEXT,
 description TEXT, requested_remedy TEXT, complainant_type TEXT,
 department TEXT, owner TEXT, tags TEXT, status TEXT, acknowledged_at TEXT,
 replied_at TEXT, resolution_type TEXT, resolution_amount REAL,
 resolved_at TEXT, satisfaction INTEGER, closed_at TEXT);
CREATE INDEX c_status ON c(status); CREATE INDEX c_received ON c(received_at); CREATE INDEX c_category ON c(category);
CREATE INDEX c_channel ON c(channel); CREATE INDEX c_severity ON c(severity);
CREATE INDEX c_tier ON c(customer_tier); CREATE INDEX c_owner ON c(owner);
CREATE INDEX c_department ON c(department); CREATE INDEX c_product ON c(product_name);
CREATE INDEX c_phone ON c(customer_phone); CREATE INDEX c_email ON c(customer_email);
CREATE VIRTUAL TABLE c_text USING fts5(summary, description, content=c,
 content_rowid=id, tokenize='trigram');
PRAGMA journal_mode=WAL;"
# One complaint, its full-text entry too (what cmp-add does).
ONE_INSERT="INSERT INTO c(summary, customer_name, received_at)
 VALUES ('one more', 'x', datetime('now'));
 INSERT INTO c_text(rowid, summary) VALUES (last_insert_rowid(), 'one more')"

# The header row names the columns of the scratch table; the shell reads
# dot-commands one per line, so the script goes through a file.
cat >"$W/base-import.sql" <<EOF
.import --csv $W/import.csv c_import
INSERT INTO c(ref, received_at, channel, customer_name, customer_phone,
 customer_email, customer_address, customer_tier, customer_id, product_name,
 product_model, product_serial, product_batch, product_quantity,
 product_delivered_on, category, severity, summary, description,
 requested_remedy, complainant_type, department, owner, tags, status,
 acknowledged_at, replied_at, resolution_type, resolution_amount,
 resolved_at, satisfaction)
 SELECT * FROM c_import;
INSERT INTO c_text(c_text) VALUES ('rebuild');
DROP TABLE c_import;
EOF
# The same for the closed complaints and their times.
sed "s|$W/import.csv|$W/history.csv|; s| resolved_at, satisfaction)| resolved_at, satisfaction, closed_at)|" \
	"$W/base-import.sql" >"$W/base-history.sql"

{
	echo "# Benchmarks"
	echo
	echo "Written by \`make bench\` (tests/bench/run.sh) on $(date -u +%Y-%m-%d)."
	echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"
	echo "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM;"
	echo "SQLite $(sqlite3 -version | cut -d' ' -f1); $RUNS runs per figure."
	echo
	echo "Times in seconds, median (min-max).  Baseline: the sqlite3 shell on a"
	echo "table with the same columns and indexes, the trigram full-text index"
	echo "included; each run of ours is followed by one of the baseline.  Ratio:"
	echo "ours / baseline.  Memory: peak RSS, ours / baseline."
	echo
	echo "Two rows have baselines of ours in C (make bench builds them):"
	echo "\"vs raw yardstick\" (tests/bench/yardstick.c: cJSON, validation,"
	echo "one prepared INSERT into a table of three indexes and no full-text"
	echo "index, 2000 records a transaction, WAL) and \"vs the floor program\""
	echo "(tests/bench/floor.c: the default configuration read with libyaml,"
	echo "the store opened with our settings, one row and its full-text entry"
	echo "inserted into the baseline's table), each run in the same rounds."
	echo "\"The slowest of 500 single adds\": the longest one call among 500"
	echo "made one after another, ours on the imported store, the floor's on"
	echo "the baseline's (the text index can merge whole in one of them)."
	echo
	echo "The complaints (tests/bench/gen.awk) have two years of history: of"
	echo "those older than 30 days 96% are closed, 2.5% rejected, 1.5% open."
	echo
	echo "History import: the same number of complaints all closed, each with"
	echo "acknowledged_at, replied_at, a resolution and closed_at (gen.awk"
	echo "life=closed; eight to ten journal entries each, the resolution's"
	echo "fields among them), imported by cmp-add against the same"
	echo "complaints imported new (life=new: the history's cost), and"
	echo "against the shell's .import of the same rows (closed_at included)."
	echo
	echo "How to run: \`make bench\` (SIZES=\"100000 1000000\", RUNS=3 by"
	echo "default); \`CMP_BENCH_PG=start make bench\` adds the PostgreSQL table,"
	echo "on a cluster of tests/pg/cluster.sh it starts and stops"
	echo "(CMP_BENCH_PG=DIR: one started already); \`SIZES=2000 RUNS=1"
	echo "RESULTS=/tmp/bench.md sh tests/bench/run.sh\` runs every scenario in"
	echo "seconds, to check the script, not to measure."
	echo
	echo "| scenario | complaints | complaint | baseline | ratio | memory | target |"
	echo "|---|---|---|---|---|---|---|"
} >"$OUT.tmp"
if command -v task >/dev/null; then
	{
		echo
		echo "## Against Taskwarrior $(task --version)"
		echo
		echo "The same complaints as tasks (summary as description, the"
		echo "description as an annotation, category as project, severity as"
		echo "priority, channel, tier and tags as tags); $TASK_RUNS run(s) per"
		echo "figure.  Ratio: complaint / Taskwarrior (below 1: we are faster)."
		echo
		echo "| scenario | complaints | complaint | taskwarrior | ratio | memory | target |"
		echo "|---|---|---|---|---|---|---|"
	} >"$OUT.task"
	cat >"$W/taskrc" <<-EOF
	data.location=$W/task
	confirmation=off
	verbose=nothing
	gc=off
	hooks=off
	json.array=on
	EOF
	export TASKRC="$W/taskrc"
else
	echo "bench: no Taskwarrior (task): its table is left out" >&2
	: >"$OUT.task"
fi

# PostgreSQL: the store a database of the cluster made afresh from its
# template (pg_trgm in it), the baseline another.
PG=
case ${CMP_BENCH_PG:-} in
'')	echo "bench: no CMP_BENCH_PG: the PostgreSQL table is left out" >&2 ;;
start)
	rc=0
	sh "$TOP/tests/pg/cluster.sh" start "$W/pg" >/dev/null || rc=$?
	if [ $rc = 0 ]; then
		PG=$W/pg
		trap 'sh "$TOP/tests/pg/cluster.sh" stop "$W/pg"' EXIT
	else
		echo "bench: no PostgreSQL cluster: its table is left out" >&2
	fi
	;;
*)	PG=$CMP_BENCH_PG ;;
esac
if [ -n "$PG" ]; then
	PSQL="psql -X -q -v ON_ERROR_STOP=1 -h $PG -U cmp"
	PGDB="postgresql:///cmp_bench?host=$PG&user=cmp"
	# cmp_bench afresh; cmp_bench_base afresh with the baseline's table.
	QUIET="-c 'SET client_min_messages = warning'"
	PG_FRESH="$PSQL -d postgres $QUIET -c 'DROP DATABASE IF EXISTS cmp_bench WITH (FORCE)' -c 'CREATE DATABASE cmp_bench TEMPLATE cmp_template'"
	PG_BASE_FRESH="$PSQL -d postgres $QUIET -c 'DROP DATABASE IF EXISTS cmp_bench_base WITH (FORCE)' -c 'CREATE DATABASE cmp_bench_base TEMPLATE cmp_template' && $PSQL -d cmp_bench_base -f $W/pg-schema.sql"
	# cmp_bench_same afresh: an empty store of ours (cmp-list makes it).
	PGSAME="postgresql:///cmp_bench_same?host=$PG&user=cmp"
	PG_SAME_FRESH="$PSQL -d postgres $QUIET -c 'DROP DATABASE IF EXISTS cmp_bench_same WITH (FORCE)' -c 'CREATE DATABASE cmp_bench_same TEMPLATE cmp_template'"
	# pg_same_rows: the rows cmp-add stored in cmp_bench (the complaints
	# but their generated columns, the journal, the tags) as CSV, and
	# pg-same-import.sql: psql's \copy of them into cmp_bench_same.
	pg_same_rows() {
		: >"$W/pg-same-import.sql"
		for t in complaint journal_entry tag; do
			cols=$($PSQL -d cmp_bench -A -t -c "SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '$t' AND is_generated = 'NEVER'")
			$PSQL -d cmp_bench -c "\\copy (SELECT $cols FROM $t) TO '$W/pg-same-$t.csv' WITH (FORMAT csv)"
			# (printf: dash's echo takes \c for the end of its output.)
			printf '%s\n' "\\copy $t($cols) FROM '$W/pg-same-$t.csv' WITH (FORMAT csv)" >>"$W/pg-same-import.sql"
		done
	}
	cat >"$W/pg-schema.sql" <<-EOF
	CREATE TABLE c(id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	 ref text UNIQUE, received_at text, channel text, customer_name text,
	 customer_phone text, customer_email text, customer_address text,
	 customer_tier text, customer_id text, product_name text,
	 product_model text, product_serial text, product_batch text,
	 product_quantity bigint, product_delivered_on text, category text,
	 severity text, summary text, description text, requested_remedy text,
	 complainant_type text, department text, owner text, tags text,
	 status text, acknowledged_at text, replied_at text,
	 resolution_type text, resolution_amount double precision,
	 resolved_at text, satisfaction bigint, closed_at text);
	CREATE INDEX c_status ON c(status); CREATE INDEX c_received ON c(received_at);
	CREATE INDEX c_category ON c(category); CREATE INDEX c_channel ON c(channel);
	CREATE INDEX c_severity ON c(severity); CREATE INDEX c_tier ON c(customer_tier);
	CREATE INDEX c_owner ON c(owner); CREATE INDEX c_department ON c(department);
	CREATE INDEX c_product ON c(product_name); CREATE INDEX c_phone ON c(customer_phone);
	CREATE INDEX c_email ON c(customer_email);
	CREATE INDEX c_summary ON c USING gin (summary gin_trgm_ops);
	CREATE INDEX c_description ON c USING gin (description gin_trgm_ops);
	EOF
	# psql reads a meta-command to the end of its line.
	cat >"$W/pg-import.sql" <<-EOF
	\\copy c(ref, received_at, channel, customer_name, customer_phone, customer_email, customer_address, customer_tier, customer_id, product_name, product_model, product_serial, product_batch, product_quantity, product_delivered_on, category, severity, summary, description, requested_remedy, complainant_type, department, owner, tags, status, acknowledged_at, replied_at, resolution_type, resolution_amount, resolved_at, satisfaction) FROM '$W/import.csv' WITH (FORMAT csv, HEADER true)
	EOF
	echo "INSERT INTO c(summary, customer_name, received_at) VALUES ('one more', 'x', CAST(now() AS text));" >"$W/pg-insert.sql"
	echo "SELECT row_to_json(c) FROM c WHERE category = 'billing' AND severity = 'critical';" >"$W/pg-list.sql"
	echo "SELECT category, count(*) FROM c WHERE received_at >= '2026-10-01' AND received_at < '2026-11-01' GROUP BY 1;" >"$W/pg-report.sql"
	{
		echo
		echo "## PostgreSQL $($PSQL -d postgres -A -t -c 'SHOW server_version' | cut -d' ' -f1)"
		echo
		echo "The same complaints in a PostgreSQL store (a cluster of"
		echo "tests/pg/cluster.sh: a Unix socket, fsync off); baseline: psql on a"
		echo "table with the same columns and indexes, pg_trgm's GIN indexes of"
		echo "summary and description included, each run of ours followed by one"
		echo "of psql.  Memory: peak RSS of the client, ours / psql."
		echo
		echo "| scenario | complaints | complaint | baseline | ratio | memory | target |"
		echo "|---|---|---|---|---|---|---|"
	} >"$OUT.pg"
else
	: >"$OUT.pg"
fi

for N in $SIZES; do
	echo "bench: $N complaints" >&2
	awk -v n="$N" -f "$TOP/tests/bench/gen.awk" >"$W/import.ndjson"
	awk -v n="$N" -v csv=1 -f "$TOP/tests/bench/gen.awk" >"$W/import.csv"
	DB=$W/store.db BASE=$W/base.db Y=$W/yardstick.db

	# One-call figures: the per-call time of a loop of K calls.
	K=20
	if want sqlite; then
		# 1. Bulk import, against the shell's .import and the yardstick.
		# The fourth: the rows cmp-add stored, .import-ed into an empty
		# store of ours (its indexes, the journal, the tags).
		SB=$W/same.db
		run_pair "$RUNS" "rm -f $DB $DB-wal $DB-shm" \
			"$BIN/cmp-add --db $DB <$W/import.ndjson" \
			"rm -f $BASE $BASE-wal $BASE-shm; sqlite3 $BASE \"$BASE_SCHEMA\" >/dev/null" \
			"sqlite3 -bail $BASE <$W/base-import.sql" \
			"rm -f $Y $Y-wal $Y-shm" "$BENCH_BIN/yardstick $Y <$W/import.ndjson" \
			"same_rows $DB; rm -f $SB $SB-wal $SB-shm; $BIN/cmp-list --db $SB" \
			"sqlite3 -bail $SB <$W/same-import.sql"
		row "bulk import (NDJSON vs .import CSV)" "$N" "$ours" "$base" "<= 2x, < 100 MiB"
		row "bulk import vs raw yardstick" "$N" "$ours" "$base2" "<= 4x"
		row "bulk import vs .import of the rows it stored, into its own schema" "$N" "$ours" "$base3" "<= 1.2x"
		same_check "sqlite3 $DB" "sqlite3 $SB"
		rm -f $Y $Y-wal $Y-shm $SB $SB-wal $SB-shm

		# 1b. An import of history: N complaints closed, with their times
		# (eight to ten journal entries each), against the same N imported new,
		# and against the shell's .import of the same rows.
		awk -v n="$N" -v life=closed -f "$TOP/tests/bench/gen.awk" >"$W/history.ndjson"
		awk -v n="$N" -v life=closed -v csv=1 -f "$TOP/tests/bench/gen.awk" >"$W/history.csv"
		awk -v n="$N" -v life=new -f "$TOP/tests/bench/gen.awk" >"$W/new.ndjson"
		H=$W/history.db HB=$W/history-base.db
		run_pair "$RUNS" "rm -f $H $H-wal $H-shm" \
			"$BIN/cmp-add --db $H <$W/history.ndjson" \
			"rm -f $H $H-wal $H-shm" "$BIN/cmp-add --db $H <$W/new.ndjson" \
			"rm -f $HB $HB-wal $HB-shm; sqlite3 $HB \"$BASE_SCHEMA\" >/dev/null" \
			"sqlite3 -bail $HB <$W/base-history.sql"
		row "history import: closed, with their times, vs the same new (cmp-add)" "$N" "$ours" "$base" "<= 1.3x"
		row "history import: closed, with their times (NDJSON vs .import CSV)" "$N" "$ours" "$base2" "none set"
		rm -f $H $H-wal $H-shm $HB $HB-wal $HB-shm

		# 2. One add per process, on the full store and on an empty one;
		# on the full store against the floor program too (on the
		# baseline's store, the default configuration read).
		run_pair "$RUNS" true "$(loop $K "$BIN/cmp-add --db $DB --customer x -m 'one more' >/dev/null")" \
			true "$(loop $K "sqlite3 $BASE \"$ONE_INSERT\"")" \
			true "$(loop $K "$BENCH_BIN/floor $BASE $TOP/share/complaint/config.yaml >/dev/null")"
		ours=$(per_call "$ours")
		base=$(per_call "$base")
		base2=$(per_call "$base2")
		row "one cmp-add per process (per call)" "$N" "$ours" "$base" "<= 1.2x"
		row "one cmp-add per process vs the floor program (per call)" "$N" "$ours" "$base2" "<= 1.2x"
		# The same on an empty store (schema only), at the first size.
		if [ "$N" = "${SIZES%% *}" ]; then
			E=$W/empty.db EB=$W/empty-base.db
			run_pair "$RUNS" "rm -f $E $E-wal $E-shm; $BIN/cmp-list --db $E" \
				"$(loop $K "$BIN/cmp-add --db $E --customer x -m 'one more' >/dev/null")" \
				"rm -f $EB $EB-wal $EB-shm; sqlite3 $EB \"$BASE_SCHEMA\" >/dev/null" \
				"$(loop $K "sqlite3 $EB \"$ONE_INSERT\"")"
			ours=$(per_call "$ours")
			base=$(per_call "$base")
			row "one cmp-add per process, empty store" 0 "$ours" "$base" "<= 1.2x"
		fi

		# 2b. Single adds one after another on the imported store, the
		# slowest of them, against the floor program's slowest of as
		# many on the baseline's (whose text index keeps FTS5's
		# defaults).  Each round goes on from the store the last left.
		A=500
		: >"$W/times.a"
		: >"$W/times.b"
		r=0
		while [ $r -lt "$RUNS" ]; do
			r=$((r + 1))
			slowest $A "$BIN/cmp-add --db $DB --customer x -m 'one more'" >>"$W/times.a"
			slowest $A "$BENCH_BIN/floor $BASE $TOP/share/complaint/config.yaml" >>"$W/times.b"
		done
		row "the slowest of $A single adds one after another" "$N" \
			"$(figures "$W/times.a")" "$(figures "$W/times.b")" "none set"

		# 3. An indexed filter, every matching row printed.
		run_pair "$RUNS" true "$BIN/cmp-list --db $DB --category billing --severity critical" \
			true "sqlite3 -json $BASE \"SELECT * FROM c WHERE category = 'billing' AND severity = 'critical'\""
		row "cmp-list --category --severity (all rows)" "$N" "$ours" "$base" "<= 1.5x"

		# 4. Full text, a 3-character Chinese query (first 100 matches).
		run_pair "$RUNS" true "$BIN/cmp-list --db $DB --text 换热器 --limit 100" \
			true "sqlite3 -json $BASE \"SELECT * FROM c WHERE id IN (SELECT rowid FROM c_text WHERE c_text MATCH '换热器') ORDER BY id LIMIT 100\""
		row "cmp-list --text 换热器 --limit 100" "$N" "$ours" "$base" "< 0.1 s"

		# 4b. The history of one caller: their phone number as a person
		# gives it (+86, spaces), against the shell's lookup of the number
		# as stored on its index.
		PHONE=$(sqlite3 $DB "SELECT customer_phone FROM complaint WHERE id = $((N / 2))")
		run_pair "$RUNS" true "$BIN/cmp-list --db $DB --customer '+86 $PHONE'" \
			true "sqlite3 -json $BASE \"SELECT * FROM c WHERE customer_phone = '$PHONE' ORDER BY id\""
		row "the history of one caller (cmp-list --customer PHONE)" "$N" "$ours" "$base" "< 0.1 s"

		# 5. A month's report against one GROUP BY (issue 25: at most 2x).
		if [ -x "$BIN/cmp-report" ]; then
			run_pair "$RUNS" true "$BIN/cmp-report --db $DB --period 2026-10" \
				true "sqlite3 $BASE \"SELECT category, count(*) FROM c WHERE received_at >= '2026-10-01' AND received_at < '2026-11-01' GROUP BY 1\""
			row "cmp-report --period 2026-10 vs one GROUP BY" "$N" "$ours" "$base" "< 1 s, <= 2x"
		fi

		# 5b. A report over the two years of history against one GROUP BY
		# of the same rows (the report's bounds: local days of its zone,
		# Asia/Shanghai, in UTC) by category and month.
		if [ -x "$BIN/cmp-report" ]; then
			run_pair "$RUNS" true "$BIN/cmp-report --db $DB --since 2024-11-20 --until 2026-11-20" \
				true "sqlite3 $BASE \"SELECT category, substr(received_at, 1, 7), count(*) FROM c WHERE received_at >= '2024-11-19T16:00:00Z' AND received_at < '2026-11-19T16:00:00Z' GROUP BY 1, 2\""
			row "two-year cmp-report vs one GROUP BY by category and month" "$N" "$ours" "$base" "<= 3x"
		fi

		# 6. 10,000 ids through a pipe (rate = 10000 / time).
		seq 1 $((N < 10000 ? N : 10000)) >"$W/ids"
		run_pair "$RUNS" true "$BIN/cmp-update --db $DB --tag bench-\$\$ <$W/ids" \
			true "sqlite3 $BASE \"UPDATE c SET tags = 'bench-' || random() WHERE id <= 10000\""
		row "10,000 ids piped to cmp-update --tag" "$N" "$ours" "$base" "$(rate "$ours" "$W/ids")"
		# Assignment needs open complaints: up to 10,000 of them.
		$BIN/cmp-list --db $DB --status new,assigned --limit 10000 --fields id \
			--format tsv | tail -n +2 >"$W/open-ids"
		run_pair "$RUNS" true "$BIN/cmp-assign --db $DB --to p\$\$ <$W/open-ids" \
			true "sqlite3 $BASE \"UPDATE c SET owner = 'p' || random() WHERE id IN (SELECT id FROM c WHERE status IN ('new', 'assigned') LIMIT 10000)\""
		row "$(wc -l <"$W/open-ids") open ids piped to cmp-assign --to" "$N" "$ours" "$base" "$(rate "$ours" "$W/open-ids")"
	fi

	# 8. PostgreSQL: a bulk import, one add, a filter, a month's report.
	if [ -n "$PG" ] && want pg; then
		TABLE=$OUT.pg
		run_pair "$RUNS" "$PG_FRESH" \
			"$BIN/cmp-add --db '$PGDB' <$W/import.ndjson" \
			"$PG_BASE_FRESH" "$PSQL -d cmp_bench_base -f $W/pg-import.sql" \
			"pg_same_rows; $PG_SAME_FRESH; $BIN/cmp-list --db '$PGSAME'" \
			"$PSQL -d cmp_bench_same -f $W/pg-same-import.sql"
		row "bulk import (NDJSON vs psql \\copy CSV)" "$N" "$ours" "$base" "<= 2x"
		row "bulk import vs \\copy of the rows it stored, into its own schema" "$N" "$ours" "$base2" "<= 2x"
		same_check "$PSQL -d cmp_bench -A -t -c" "$PSQL -d cmp_bench_same -A -t -c"
		run_pair "$RUNS" true "$(loop $K "$BIN/cmp-add --db '$PGDB' --customer x -m 'one more' >/dev/null")" \
			true "$(loop $K "$PSQL -d cmp_bench_base -f $W/pg-insert.sql")"
		ours=$(per_call "$ours")
		base=$(per_call "$base")
		row "one cmp-add per process vs one psql INSERT (per call)" "$N" "$ours" "$base" "<= 1.2x"
		run_pair "$RUNS" true "$BIN/cmp-list --db '$PGDB' --category billing --severity critical" \
			true "$PSQL -d cmp_bench_base -A -t -f $W/pg-list.sql"
		row "cmp-list --category --severity (all rows)" "$N" "$ours" "$base" "<= 1.5x"
		if [ -x "$BIN/cmp-report" ]; then
			run_pair "$RUNS" true "$BIN/cmp-report --db '$PGDB' --period 2026-10" \
				true "$PSQL -d cmp_bench_base -A -t -f $W/pg-report.sql"
			row "cmp-report --period 2026-10 vs one GROUP BY" "$N" "$ours" "$base" "<= 2x"
		fi
		unset TABLE
	fi

	# 7. Taskwarrior: import, one add per process, a filtered export.
	if command -v task >/dev/null && [ "$N" -le "$TASK_MAX" ] && want task; then
		awk -v n="$N" -v tw=1 -f "$TOP/tests/bench/gen.awk" >"$W/import.tasks"
		TABLE=$OUT.task
		run_pair "$TASK_RUNS" "rm -f $DB $DB-wal $DB-shm" \
			"$BIN/cmp-add --db $DB <$W/import.ndjson" \
			"rm -rf $W/task; mkdir $W/task" "task import $W/import.tasks"
		row "bulk import (cmp-add vs task import)" "$N" "$ours" "$base" "faster"
		run_pair "$TASK_RUNS" true "$(loop $K "$BIN/cmp-add --db $DB --customer x -m 'one more' >/dev/null")" \
			true "$(loop $K "task add 'one more' >/dev/null")"
		ours=$(per_call "$ours")
		base=$(per_call "$base")
		row "one add per process (per call)" "$N" "$ours" "$base" "faster"
		run_pair "$TASK_RUNS" true "$BIN/cmp-list --db $DB --category billing --severity high,critical" \
			true "task project:billing priority:H export"
		row "billing, high or critical (cmp-list vs task export)" "$N" "$ours" "$base" "faster"
		run_pair "$TASK_RUNS" true "$BIN/cmp-list --db $DB --category billing --fields id | wc -l" \
			true "task project:billing count"
		row "count billing (cmp-list, wc -l vs task count)" "$N" "$ours" "$base" "faster"
		unset TABLE
	fi
done

grep -q '^| bulk import (cmp-add' "$OUT.task" && cat "$OUT.task" >>"$OUT.tmp"
grep -q '^| bulk import' "$OUT.pg" && cat "$OUT.pg" >>"$OUT.tmp"
rm -f "$OUT.task" "$OUT.pg"
# What was written by hand below the mark stays, mark included.
MARK='<!-- Written by hand below this line: tests/bench/run.sh keeps it. -->'
if [ -f "$OUT" ] && grep -qxF "$MARK" "$OUT"; then
	echo >>"$OUT.tmp"
	awk -v m="$MARK" 'kept || $0 == m { kept = 1; print }' "$OUT" >>"$OUT.tmp"
fi
mv "$OUT.tmp" "$OUT"
cat "$OUT"
