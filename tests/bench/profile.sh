#!/bin/sh
# tests/bench/profile.sh - where the time of a bulk import goes, per
# stage: perf's call graphs of `cmp-add --db NEW <N.ndjson` (run.sh's
# scenario 1), each sample given to one stage by the functions on its
# stack, as a Markdown table (tests/bench/PROFILE.md says how to read it).
#
#   sh tests/bench/profile.sh 100000         generate, import, profile
#   N=1000000 FREQ=499 sh tests/bench/profile.sh
#   DATA=/tmp/x.perf sh tests/bench/profile.sh   re-read a recorded profile
#   STACKS='other under' DATA=...   also the stacks of the stages so named
#                                   (on stderr, root first)
#   sh tests/bench/profile.sh switch 100000   the experiments: each stage
#       switched off alone, timed against the unchanged import
#       (RUNS=K rounds; ROUND=K goes on from round K, ONLY=REGEX runs only
#       the variants so named)
#   sh tests/bench/profile.sh summary TIMES   their table again, from the
#       times file a run left ($W/switch.times)
#
# The experiments need a build with the switches of PROFILE.md's patch
# (environment variables CMP_PROF_*, never in the library): the script
# copies the checkout to $W/src, applies the patch there and builds it
# (or CMP_PROF_BUILD=DIR names such a build).  RUNS rounds (default 3),
# each round every variant once in turn, the unchanged import first and
# again halfway; each variant's figure is the median of its rounds'
# ratios to the unchanged runs of the same round, so that a load that
# drifts over minutes cancels out.
#
# Build first with frame pointers and symbols, so that the stacks reach
# our functions (the system's libsqlite3 has no symbols: its time is
# given to our function that called it):
#   make CFLAGS='-O2 -g -fno-omit-frame-pointer'
# Needs perf (linux-perf) and awk.  Percentages hold on a loaded machine;
# the seconds beside them are the share of this run's CPU time, not a
# timing to compare with another run.
set -eu

TOP=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${CMP_BUILD:-$TOP/build}/bin
W=${BENCH_DIR:-${TMPDIR:-/tmp}/cmp-profile}
N=${1:-${N:-100000}}
FREQ=${FREQ:-499}
DATA=${DATA:-}

command -v perf >/dev/null || { echo "profile: perf is needed" >&2; exit 69; }
mkdir -p "$W"
export CMP_CONFIG= XDG_CONFIG_HOME="$W/no-config" CMP_ACTOR=bench LC_ALL=C.UTF-8
export CMP_NOW=2026-11-20T01:15:00Z

# variant NAME ENV SQL: a run switched off by ENV (assignments), on a
# store whose schema was made first and given SQL (DROP INDEX ...).
variants() {
	cat <<-'EOF'
	unchanged||
	no duplicate lookup|CMP_PROF_NODUP=1|
	no duplicate lookup nor its 3 customer indexes|CMP_PROF_NODUP=1|DROP INDEX complaint_phone; DROP INDEX complaint_email; DROP INDEX complaint_customer;
	no journal rows|CMP_PROF_NOJOURNAL=1|
	journal: only its index by complaint (2 dropped)||DROP INDEX journal_field_at; DROP INDEX journal_status;
	no trigram index flush|CMP_PROF_NOFTS=1|
	no printed record (not encoded nor written)|CMP_PROF_NOPRINT=1|
	8 one-column equality indexes dropped||DROP INDEX complaint_status; DROP INDEX complaint_category; DROP INDEX complaint_channel; DROP INDEX complaint_severity; DROP INDEX complaint_tier; DROP INDEX complaint_owner; DROP INDEX complaint_department; DROP INDEX complaint_product;
	6 deadline indexes dropped (due_*, due_*_met)||DROP INDEX complaint_due_ack; DROP INDEX complaint_due_reply; DROP INDEX complaint_due_resolve; DROP INDEX complaint_due_ack_met; DROP INDEX complaint_due_reply_met; DROP INDEX complaint_due_resolve_met;
	3 wide time indexes dropped (received, open, phone_digits)||DROP INDEX complaint_received; DROP INDEX complaint_open; DROP INDEX complaint_phone_digits;
	10 partial indexes of rare or other values dropped||DROP INDEX complaint_name; DROP INDEX complaint_contact; DROP INDEX complaint_serial; DROP INDEX complaint_batch; DROP INDEX complaint_root_cause; DROP INDEX complaint_accountable; DROP INDEX complaint_reopened; DROP INDEX complaint_duplicate; DROP INDEX complaint_duplicate_of; DROP INDEX complaint_email_folded;
	all 30 secondary indexes of complaint dropped, no duplicate lookup|CMP_PROF_NODUP=1|DROP INDEX complaint_phone; DROP INDEX complaint_email; DROP INDEX complaint_customer; DROP INDEX complaint_status; DROP INDEX complaint_category; DROP INDEX complaint_channel; DROP INDEX complaint_severity; DROP INDEX complaint_tier; DROP INDEX complaint_owner; DROP INDEX complaint_department; DROP INDEX complaint_product; DROP INDEX complaint_due_ack; DROP INDEX complaint_due_reply; DROP INDEX complaint_due_resolve; DROP INDEX complaint_due_ack_met; DROP INDEX complaint_due_reply_met; DROP INDEX complaint_due_resolve_met; DROP INDEX complaint_received; DROP INDEX complaint_open; DROP INDEX complaint_phone_digits; DROP INDEX complaint_name; DROP INDEX complaint_contact; DROP INDEX complaint_serial; DROP INDEX complaint_batch; DROP INDEX complaint_root_cause; DROP INDEX complaint_accountable; DROP INDEX complaint_reopened; DROP INDEX complaint_duplicate; DROP INDEX complaint_duplicate_of; DROP INDEX complaint_email_folded;
	10,000 records a commit, not 2,000|CMP_PROF_BATCH=10000|
	no WAL autocheckpoint during the load|CMP_PROF_NOCKPT=1|
	output to a file, not /dev/null|CMP_PROF_OUTFILE=1|
	EOF
}

# summary FILE: per round, the mean of its unchanged runs; per variant,
# the median of its ratios to it, wall clock and CPU (user + system)
# apart: the stage's cost is 1 - ratio, its seconds that share of the
# unchanged run's median.
summary() {
	awk -F'|' '
	function median(a, n,   i, j, t) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	{ split($3, t, " "); wall[NR] = t[1]; cpu[NR] = t[2] + t[3]
	  round[NR] = $1; name[NR] = $2
	  if ($2 == "unchanged") { bs[$1] += t[1]; bc[$1] += t[2] + t[3]; bn[$1]++ }
	  if (!($2 in seen)) { seen[$2] = 1; order[++nn] = $2 } }
	END {
		for (i = 1; i <= NR; i++) {
			if (!bn[round[i]])
				continue
			k = name[i]
			m = ++cnt[k]
			rw[k, m] = wall[i] / (bs[round[i]] / bn[round[i]])
			rc[k, m] = cpu[i] / (bc[round[i]] / bn[round[i]])
			sw[k, m] = wall[i]
			sc[k, m] = cpu[i]
		}
		printf "| variant | runs | wall s, median (min-max) | wall ratio | CPU s (user+sys) | CPU ratio | stage cost: wall share, s | CPU share, s |\n"
		printf "|---|---:|---:|---:|---:|---:|---:|---:|\n"
		for (o = 1; o <= nn; o++) {
			k = order[o]
			m = cnt[k]
			min = max = sw[k, 1]
			for (i = 1; i <= m; i++) {
				a[i] = rw[k, i]; b[i] = rc[k, i]; c[i] = sw[k, i]; d[i] = sc[k, i]
				if (c[i] < min) min = c[i]
				if (c[i] > max) max = c[i]
			}
			mw = median(a, m); mc = median(b, m); ms = median(c, m); mcs = median(d, m)
			if (k == "unchanged") { uw = ms; uc = mcs }
			printf "| %s | %d | %.1f (%.1f-%.1f) | %.3f | %.1f | %.3f | %.1f%%, %.1f | %.1f%%, %.1f |\n",
				k, m, ms, min, max, mw, mcs, mc,
				100 * (1 - mw), (1 - mw) * uw, 100 * (1 - mc), (1 - mc) * uc
		}
	}' "$1"
}

if [ "${1:-}" = summary ]; then
	summary "$2"
	exit 0
fi

if [ "${1:-}" = switch ]; then
	N=${2:-100000}
	RUNS=${RUNS:-3}
	PB=${CMP_PROF_BUILD:-}
	if [ -z "$PB" ]; then
		rm -rf "$W/src"
		mkdir -p "$W/src"
		(cd "$TOP" && git ls-files | tar -cf - -T -) | tar -xf - -C "$W/src"
		sed -n '/^```diff$/,/^```$/p' "$TOP/tests/bench/PROFILE.md" |
			sed '1d;$d' | (cd "$W/src" && patch -s -p0)
		make -s -C "$W/src" -j2 CFLAGS='-O2 -g' build/bin/cmp-add build/bin/cmp-list >/dev/null
		PB=$W/src/build
	fi
	[ -s "$W/import-$N.ndjson" ] ||
		awk -v n="$N" -f "$TOP/tests/bench/gen.awk" >"$W/import-$N.ndjson"
	# ROUND=K: go on from round K (appending to the times file);
	# ONLY=REGEX: only the variants whose names match (and unchanged)
	r=$((${ROUND:-1} - 1))
	[ "$r" -gt 0 ] || : >"$W/switch.times"
	pick() { variants | grep -E "^unchanged\||${ONLY:-.}"; }
	nv=$(pick | wc -l)
	while [ $r -lt "$RUNS" ]; do
		r=$((r + 1))
		# the unchanged run first and again halfway through
		pick | awk -v h=$((nv / 2)) '{ print } NR == h { print "unchanged||" }' |
		while IFS='|' read -r name envs sql; do
			DB=$W/switch.db
			rm -f "$DB" "$DB-wal" "$DB-shm"
			"$PB/bin/cmp-list" --db "$DB" </dev/null >/dev/null
			[ -z "$sql" ] || sqlite3 "$DB" "$sql" </dev/null
			out=/dev/null
			case $envs in *OUTFILE*) out=$W/switch.out ;; esac
			/usr/bin/time -f "%e %U %S" -o "$W/t1" \
				env $envs "$PB/bin/cmp-add" --db "$DB" <"$W/import-$N.ndjson" >"$out"
			printf '%s|%s|%s\n' "$r" "$name" "$(tail -1 "$W/t1")" >>"$W/switch.times"
			echo "profile: round $r: $name: $(tail -1 "$W/t1")" >&2
		done
	done
	rm -f "$W/switch.db" "$W/switch.db-wal" "$W/switch.db-shm" "$W/switch.out"
	summary "$W/switch.times"
	exit 0
fi

if [ -z "$DATA" ]; then
	DATA=$W/import-$N.perf
	[ -s "$W/import-$N.ndjson" ] ||
		awk -v n="$N" -f "$TOP/tests/bench/gen.awk" >"$W/import-$N.ndjson"
	rm -f "$W/store.db" "$W/store.db-wal" "$W/store.db-shm"
	perf record -q -F "$FREQ" -g --call-graph dwarf -o "$DATA" \
		"$BIN/cmp-add" --db "$W/store.db" <"$W/import-$N.ndjson" >/dev/null
	rm -f "$W/store.db" "$W/store.db-wal" "$W/store.db-shm"
fi

# One stack a paragraph, leaf first; each frame "ADDR SYMBOL".  The rules
# run in order on the stack from the root down ("a>b>c"), the first that
# matches takes the sample: an inner stage before the one around it (the
# text index's flush and the checkpoints before the commit that runs
# them; the journal before the complaint's other writes).
perf script -i "$DATA" -F comm,period,ip,sym 2>/dev/null | awk -v debug="${STACKS:-}" '
function stage(s) {
	if (s !~ />main>|>main$|^main>/ && s ~ /_dl_start|_dl_init|_dl_fini/)
		return "process start and exit (loader)"
	if (s ~ /fts_flush|sq_text_index/)
		return "trigram index: rows flushed to FTS5 at each commit"
	if (s ~ /cmp_store_close|cmp_ctx_close/)
		return "close: the final checkpoint"
	if (s ~ /cmp_store_bulk|end_bulk/)
		return "end of the load: FTS5 segments merged, deferred indexes built"
	if (s ~ /cmp_store_commit/ && s ~ /[Cc]heckpoint/)
		return "commit: WAL autocheckpoints"
	if (s ~ /cmp_store_commit/ && s ~ /fdatasync|fsync/)
		return "commit: fsync"
	if (s ~ /cmp_store_commit/)
		return "commit: dirty pages written to the WAL"
	if (s ~ /journal_history|journal_row|journal_add/)
		return "journal rows (and their indexes: 3, 2 while deferred)"
	if (s ~ /write_tags|tag_row/)
		return "tag rows"
	if (s ~ /write_followup/)
		return "follow-up rows"
	if (s ~ /run_insert|cmp_store_add>run(>|$)/)
		return "complaint row and its indexes (INSERT: 31, 22 while deferred)"
	if (s ~ /cmp_store_add>new_id/)
		return "complaint row: its id (new_id)"
	if (s ~ /cmp_ahead_added/)
		return "read ahead: the batch'"'"'s own complaints kept"
	if (s ~ /cmp_store_add/)
		return "complaint row: binding the fields"
	if (s ~ /cmp_store_ahead/)
		return "read ahead: a batch'"'"'s refs and duplicates (cmp_store_ahead)"
	if (s ~ /cmp_store_find_duplicate/)
		return "duplicate lookup (ST_DUPLICATE)"
	if (s ~ /cmp_store_load_ref/)
		return "ref lookup (replay check)"
	if (s ~ /cmp_json_fingerprint/)
		return "fingerprint of the input"
	if (s ~ /cmp_rules_apply/)
		return "rules (routing)"
	if (s ~ /cmp_deadlines_compute|cmp_warranty_check|cmp_wf_|cmp_history_/)
		return "deadlines, warranty, history steps"
	if (s ~ /cmp_intake_prepare|check_original|as_of/)
		return "intake: validation and derived fields"
	if (s ~ /add_one>(.*>)?(cmp_json_print|print)(>|$)/)
		return "encoding the printed record (cmp_json_print)"
	if (s ~ /out_line|prog_print_line/)
		return "writing stdout"
	if (s ~ /release_one|cmp_complaint_release/)
		return "freeing records"
	if (s ~ /cmp_store_begin/)
		return "begin"
	if (s ~ /cmp_add>|>stmt>|cmp_store_prepare/)
		return "cmp_add, other (statements, errors, copies)"
	if (s ~ /cmp_json_decode/)
		return "decoding the record and its fields (cmp_json_decode)"
	if (s ~ /cmp_reader_next|cmp_reader_new/)
		return "JSON parse (reader)"
	if (s ~ /cJSON_Delete/)
		return "freeing the JSON tree"
	if (s ~ /prog_open|cmp_ctx_open|cmp_store_open|prog_init/)
		return "open: configuration, store, schema"
	if (s ~ /main/)
		return "other under main"
	return "no stack back to main (unwinding stopped)"
}
function flush(   s, i, st) {
	if (!nf)
		return
	s = f[nf]
	for (i = nf - 1; i >= 1; i--)
		s = s ">" f[i]
	st = stage(s)
	if (debug != "" && index(st, debug))
		print s >"/dev/stderr"
	n[st]++
	if (kernel)
		k[st]++
	total++
	nf = 0
	kernel = 0
}
/^[^ \t]/ { flush(); next }
/^[ \t]*$/ { flush(); next }
{
	if (nf == 0 && $1 ~ /^ffffffff/)
		kernel = 1
	f[++nf] = $2
}
END {
	flush()
	printf "| stage | samples | share | of which in the kernel |\n"
	printf "|---|---:|---:|---:|\n"
	for (st in n)
		printf "%d\t| %s | %d | %.1f%% | %.0f%% |\n", n[st], st, n[st],
			100 * n[st] / total, 100 * k[st] / n[st] | "sort -rn | cut -f2-"
	close("sort -rn | cut -f2-")
	printf "| **all** | %d | 100%% | |\n", total
}'
