#!/bin/sh
# Many writers at once over the same complaints (issue 24): 16 processes
# add, tag, follow up, assign and close, each change a program of its
# own.  Nothing is lost, nobody deadlocks or gives up, each change has
# its one journal entry (a resolution schedules a follow-up: one more
# each); the counts are checked with the store's own
# shell (sqlite3, or psql under make check-pg).  CMP_CONCURRENCY_ROUNDS
# (default 10) scales it: a writer's round is one program, or every
# fourth a complaint's life of four, 1.75 programs on average; 360
# rounds make the issue's 10,000 (16 x 360 x 1.75 = 10,080).
. "${0%/*}/../lib.sh"

WRITERS=16
ROUNDS=${CMP_CONCURRENCY_ROUNDS:-10}
SHARED=8	# the complaints everybody changes

# writer I: ROUNDS rounds; what it did, one word a line, in did.I; the
# command and status of anything that failed in failed.I.
writer() {
	i=$1 k=0
	: >did.$i
	: >failed.$i
	while [ $k -lt "$ROUNDS" ]; do
		k=$((k + 1))
		id=$(( (i + k) % SHARED + 1 ))
		case $(( (i + k) % 4 )) in
		0)	if cmp-update --tag "t$i-$k" "$id" >/dev/null 2>>err.$i
			then echo tag >>did.$i
			else echo "update $id: $?" >>failed.$i; fi ;;
		1)	if cmp-followup --log "call $i-$k" --channel phone "$id" \
				>/dev/null 2>>err.$i
			then echo followup >>did.$i
			else echo "followup $id: $?" >>failed.$i; fi ;;
		2)	if cmp-assign --to "o$i" "$id" >/dev/null 2>>err.$i
			then echo assign >>did.$i
			else echo "assign $id: $?" >>failed.$i; fi ;;
		3)	# A complaint of its own, through its life.
			own=$(cmp-add --customer "c$i" -m "leak $i-$k" 2>>err.$i |
			      jq -r .id) &&
			[ -n "$own" ] &&
			cmp-assign --to "o$i" "$own" >/dev/null 2>>err.$i &&
			cmp-close --resolve repair "$own" >/dev/null 2>>err.$i &&
			cmp-close --close --force --note done "$own" >/dev/null 2>>err.$i &&
			echo lifecycle >>did.$i ||
			echo "lifecycle $own: failed" >>failed.$i ;;
		esac
	done
}

# count_is SQL N: the query's one value is N (else both are shown).
count_is() {
	got=$(sql "$1")
	[ "$got" = "$2" ] && return 0
	echo "$1: $got, want $2"
	return 1
}

# did WORD: how many times the writers did it.
did() {
	cat did.* | grep -c "^$1\$" || true
}

if under_valgrind '16 writers at once: nothing lost, no deadlock'; then
	:
else
t "16 writers at once, $ROUNDS rounds each: nothing lost, no deadlock, one journal entry per change" '
	n=0 && while [ $n -lt $SHARED ]; do
		n=$((n + 1))
		cmp-add --customer "shared $n" -m "shared $n" >/dev/null
	done &&
	CMP_BUSY_TIMEOUT=60000 && export CMP_BUSY_TIMEOUT &&
	w=0 && while [ $w -lt $WRITERS ]; do
		w=$((w + 1))
		writer $w &
	done &&
	wait &&
	cat failed.* >failed && expect_empty failed &&
	tags=$(did tag) && fus=$(did followup) && lives=$(did lifecycle) &&
	[ $((tags + fus + lives + $(did assign))) = $((WRITERS * ROUNDS)) ] &&
	echo "# $tags tags, $fus follow-ups, $(did assign) assignments, $lives lifecycles" &&
	count_is "SELECT count(*) FROM complaints" $((SHARED + lives)) &&
	count_is "SELECT count(*) FROM complaints WHERE status = '"'closed'"'" "$lives" &&
	count_is "SELECT count(*) FROM tag" "$tags" &&
	sql "SELECT tags FROM complaints" | jq -s "map(length) | add" >got &&
	[ "$(cat got)" = "$tags" ] &&
	count_is "SELECT count(*) FROM journal WHERE field = '"'tags'"'" "$tags" &&
	count_is "SELECT count(*) FROM followups" $((fus + lives)) &&
	count_is "SELECT count(*) FROM journal WHERE field = '"'followups'"'" $((fus + lives)) &&
	count_is "SELECT count(*) FROM journal WHERE field = '"'status'"' AND old IS NULL" $((SHARED + lives)) &&
	count_is "SELECT count(*) FROM journal WHERE field = '"'status'"' AND new = '"'closed'"'" "$lives"
'
fi

done_testing
