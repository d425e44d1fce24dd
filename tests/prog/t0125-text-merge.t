#!/bin/sh
# The text index after a bulk load: no single add merges the segments
# the load wrote (schema 16).  FTS5 merges a level of its segments at
# once when the level holds `crisismerge` of them; at its default, 16,
# the single adds' segments soon filled the level of the load's, and
# one add rewrote the whole index in its transaction, holding the write
# lock for seconds on a large store.  The measure is the bytes each add
# writes, not its time: Linux's /proc/PID/io counts them, and adds a
# child's to its parent's when the child is reaped.
. "${0%/*}/../lib.sh"

# The bytes the command writes (write(2) and pwrite(2)), its stdout to
# /dev/null included.
wrote() {
	sh -c '"$@" >/dev/null; awk "/^wchar:/ { print \$2 }" /proc/$$/io' \
		sh "$@"
}

if on_pg; then
	skip 'a bulk load, then single adds' 'SQLite only: FTS5'
elif [ -z "$(sh -c 'awk "/^wchar:/ { print \$2 }" /proc/$$/io' 2>/dev/null)" ]; then
	skip 'a bulk load, then single adds' 'no /proc/PID/io to read here'
else
t 'a bulk load, then single adds' '
	awk -v n=4000 -f "$CMP_TOP/tests/bench/gen.awk" | cmp-add >/dev/null &&
	[ "$(sql "SELECT count(*) FROM complaint")" = 4000 ] &&
	sql "SELECT sum(length(block)) FROM complaint_text_data" >size &&
	[ "$(cat size)" -gt 1000000 ] &&
	i=0 && : >wrote &&
	while [ $i -lt 200 ]; do
		i=$((i + 1))
		wrote cmp-add --customer "caller $i" -m "merge probe $i: the valve leaks" >>wrote
	done &&
	[ "$(wc -l <wrote)" = 200 ]
'

t 'no add wrote as much as the index' '
	max=$(sort -n wrote | tail -1) &&
	echo "the most one add wrote: $max bytes; the text index after the load: $(cat size)" &&
	[ "$max" -lt "$(cat size)" ]
'

t 'every add found by its text, the index whole' '
	cmp-list --text "merge probe" --limit 1000 >found &&
	[ "$(wc -l <found)" = 200 ] &&
	sql "INSERT INTO complaint_text(complaint_text) VALUES ('"'"'integrity-check'"'"')"
'
fi

done_testing
