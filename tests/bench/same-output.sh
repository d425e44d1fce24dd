#!/bin/sh
# tests/bench/same-output.sh - do two builds of the programs print the
# same bytes?  For a change that must not change behaviour (a
# restructuring): build the commit before into one directory, the change
# into another, and compare them on the bench's complaints.
#
#   sh tests/bench/same-output.sh OLD_BIN NEW_BIN [N]
#
# OLD_BIN and NEW_BIN hold cmp-add ... cmp-report (e.g. build/bin of two
# checkouts).  N complaints (default 100000) come from tests/bench/gen.awk;
# each build imports them into a store of its own, then runs the same
# changes (assign, wait, resume, tag, resolve, close, reject, follow-up)
# and the same reads: cmp-report for several periods, --as-of and --by in
# every format, cmp-list in every format with several filters, cmp-show
# of a sample of complaints in both formats.  Every command's stdout,
# stderr and exit status are compared; the first differences are shown.
# Exit 0 when all are the same, 1 otherwise.
set -eu

[ $# -ge 2 ] || { echo "usage: same-output.sh OLD_BIN NEW_BIN [N]" >&2; exit 64; }
OLD=$(cd "$1" && pwd)
NEW=$(cd "$2" && pwd)
N=${3:-100000}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
W=${SAME_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/cmp-same.XXXXXX")}
mkdir -p "$W/old" "$W/new"

export CMP_CONFIG= XDG_CONFIG_HOME="$W/no-config" CMP_ACTOR=same LC_ALL=C.UTF-8
export CMP_NOW=2026-11-20T01:15:00Z
unset NO_COLOR 2>/dev/null || true

echo "same-output: $N complaints in $W" >&2
[ -s "$W/import.ndjson" ] ||
	awk -v n="$N" -f "$TOP/tests/bench/gen.awk" >"$W/import.ndjson"

# Ids to work on: a spread over the store, every 97th.
awk -v n="$N" 'BEGIN { for (i = 1; i <= n; i += 97) print i }' >"$W/ids"

count=0
# run NAME STDIN COMMAND...: run COMMAND with each build's programs on
# its store, keep stdout, stderr and status for the comparison.
run() {
	name=$1 input=$2
	shift 2
	count=$((count + 1))
	for side in old new; do
		if [ $side = old ]; then bin=$OLD; else bin=$NEW; fi
		prog=$1
		shift
		set -- "$bin/$prog" "$@"
		rc=0
		CMP_DB="$W/$side/store.db" "$@" <"$input" \
			>"$W/$side/$count.out" 2>"$W/$side/$count.err" || rc=$?
		echo "$rc" >"$W/$side/$count.rc"
		# The error text names the program's path: compare the name.
		sed -i "s|$bin/||g" "$W/$side/$count.err"
		shift
		set -- "$prog" "$@"
	done
	echo "$count $name" >>"$W/commands"
}

: >"$W/commands"
run "import" "$W/import.ndjson" cmp-add
# A sample of the complaints still open, as the store says (the sqlite3
# shell, not our programs): every 13th.
sqlite3 "$W/old/store.db" "SELECT id FROM complaints
	WHERE status IN ('new', 'assigned') AND id % 13 = 0" >"$W/few"
run "assign" "$W/ids" cmp-assign --dept quality --to zhao.min
run "assign few" "$W/few" cmp-assign --dept service
run "wait" "$W/few" cmp-update --wait "asked for the invoice"
run "tag" "$W/ids" cmp-update --tag checked
run "resume" "$W/few" cmp-update --resume
run "resolve" "$W/few" cmp-close --resolve exchange --amount 300 --note same
run "followup" "$W/few" cmp-followup --in 2d
run "close" "$W/few" cmp-close --close
run "reject" /dev/null cmp-close --reject "not ours" 7 8 9
run "escalate" /dev/null cmp-assign --auto-escalate

for period in 2026-10 2026-11 2025 2026-11-19 last-month this-week; do
	for fmt in json table csv markdown html; do
		run "report $period $fmt" /dev/null cmp-report --period $period --format $fmt
	done
done
for fmt in json table csv markdown html; do
	run "report as-of $fmt" /dev/null cmp-report --period 2026-10 \
		--as-of 2026-10-15T12:00:00Z --format $fmt
	run "report by $fmt" /dev/null cmp-report --period 2026 \
		--by category,channel --format $fmt
	run "report redact $fmt" /dev/null cmp-report --period 2026-11 \
		--redact --overdue 0 --format $fmt
done
run "report by month" /dev/null cmp-report --since 2024-11-20 --until 2026-11-20 --by month
for fmt in ndjson json csv tsv table; do
	run "list all $fmt" /dev/null cmp-list --format $fmt
	run "list filter $fmt" /dev/null cmp-list --category product-quality \
		--severity high --sort -received_at --format $fmt
	run "list fields $fmt" /dev/null cmp-list --status new,assigned \
		--fields id,status,customer.name,due.ack,attrs.batch --redact --format $fmt
done
run "list overdue" /dev/null cmp-list --overdue
run "list due-before" /dev/null cmp-list --due-before 2026-11-25
run "list text zh" /dev/null cmp-list --text 换热器 --limit 100
run "list text en" /dev/null cmp-list --text leak --limit 100
run "list tag" /dev/null cmp-list --tag checked --limit 500
run "list explain" /dev/null cmp-list --category billing --severity low --explain
for fmt in json text; do
	run "show few $fmt" /dev/null cmp-show --format $fmt $(cat "$W/few")
done

fail=0
i=1
while [ $i -le $count ]; do
	name=$(sed -n "${i}p" "$W/commands" | cut -d' ' -f2-)
	for part in out err rc; do
		if ! cmp -s "$W/old/$i.$part" "$W/new/$i.$part"; then
			echo "DIFFER: $name ($part)"
			diff "$W/old/$i.$part" "$W/new/$i.$part" | head -10
			fail=1
		fi
	done
	i=$((i + 1))
done
if [ $fail = 0 ]; then
	echo "same-output: all $count commands print the same bytes" \
		"(stdout, stderr, status) on $N complaints"
fi
exit $fail
