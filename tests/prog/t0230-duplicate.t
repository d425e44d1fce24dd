#!/bin/sh
# Merging duplicates (issue 22): cmp-close --duplicate-of closes a
# complaint as a duplicate of another, the journal of both says so, its
# deadlines and follow-ups stop, cmp-show of the original lists it,
# cmp-list --duplicates-of selects it, cmp-report counts it apart from
# the rejections.
. "${0%/*}/../lib.sh"

# Friday 2026-11-20 09:15 in Shanghai.
export CMP_NOW=2026-11-20T01:15:00Z

add() {
	cmp-add --customer "王先生" --phone 13800138000 --product CF-200 -m "${1:-leak}" >/dev/null
}

# journal ID PROGRAM: field|old|new|note of PROGRAM's entries on ID.
journal() {
	sql "SELECT coalesce(field, 'null'), coalesce(old, 'null'), coalesce(new, 'null'), coalesce(note, 'null') FROM journal WHERE complaint_id = $1 AND program = '$2' ORDER BY rowid"
}

t 'five complaints of one caller, each flagged a likely duplicate of the one before' '
	for m in "冷凝器漏水" "漏水 again" "still leaking" "another leak" "fifth"; do add "$m"; done &&
	[ "$(sql "SELECT group_concat(coalesce(possible_duplicate_of, 0)) FROM complaints")" = "0,1,2,3,4" ]
'

t 'a new complaint closed as a duplicate: closed at once, duplicate_of, the journal of both' '
	CMP_NOW=2026-11-20T02:00:00Z run cmp-close --duplicate-of 1 --note "same leak, called twice" 2 &&
	expect_status 0 && expect_empty err &&
	jq -e ".id == 2 and .status == \"closed\" and .duplicate_of == 1
	       and .possible_duplicate_of == 1" out && [ $(wc -l <out) = 1 ] &&
	journal 2 cmp-close >got &&
	cat >want <<-EOF &&
	status|new|closed|same leak, called twice
	closed_at|null|2026-11-20T02:00:00Z|same leak, called twice
	duplicate_of|null|1|same leak, called twice
	EOF
	test_cmp want got &&
	journal 1 cmp-close >got &&
	echo "null|null|null|complaint 2 closed as a duplicate of this one" >want &&
	test_cmp want got &&
	[ "$(sql "SELECT duplicate_of FROM complaints WHERE id = 2")" = 1 ]
'

t 'an assigned and a waiting one too; the waiting one stops waiting' '
	cmp-assign --to li.gang 3 4 >/dev/null &&
	cmp-update --wait "photos" 4 >/dev/null &&
	CMP_NOW=2026-11-20T03:00:00Z run cmp-close --duplicate-of 1 3 4 &&
	expect_status 0 && expect_empty err &&
	jq -s -e "map(.status) == [\"closed\", \"closed\"] and map(.duplicate_of) == [1, 1]
	          and .[1].waiting_since == null and .[1].wait_reason == null" out
'

t 'refused: itself, a duplicate of a duplicate (names the original), an original, a resolved one; unknown: 66' '
	run cmp-close --duplicate-of 5 5 && expect_status 65 &&
	expect_err "cmp-close: duplicate_of: complaint 5 cannot be a duplicate of itself" &&
	run cmp-close --duplicate-of 2 5 && expect_status 65 &&
	expect_err "cmp-close: duplicate_of: complaint 2 is itself a duplicate of 1: name 1" &&
	run cmp-close --duplicate-of 1 2 && expect_status 65 &&
	expect_err "cmp-close: complaint 2 is closed: it cannot be closed as a duplicate" &&
	run cmp-close --duplicate-of 5 1 && expect_status 65 &&
	expect_err "cmp-close: duplicate_of: complaint 2 is closed as a duplicate of 1: close it as a duplicate of 5 first" &&
	[ "$(sql "SELECT status FROM complaints WHERE id = 1")" != closed ] &&
	run cmp-close --duplicate-of 999 5 && expect_status 66 &&
	expect_err "cmp-close: no complaint 999" &&
	[ "$(sql "SELECT status || coalesce(duplicate_of, 0) FROM complaints WHERE id = 5")" = new0 ] &&
	[ "$(sql "SELECT count(*) FROM journal WHERE complaint_id IN (5, 999) AND program = \"cmp-close\"")" = 0 ] &&
	run cmp-close --duplicate-of 1x 5 && expect_status 64 &&
	grep -q "^cmp-close: --duplicate-of: .1x. is not a complaint id" err &&
	run cmp-close --duplicate-of 99999999999999999999 5 && expect_status 64 &&
	grep -q "^cmp-close: --duplicate-of: .99999999999999999999. is not a complaint id" err &&
	run cmp-close --duplicate-of 1 99999999999999999999 && expect_status 64 &&
	expect_err "cmp-close: '"'"'99999999999999999999'"'"' is not a complaint id" &&
	run cmp-list --duplicates-of 99999999999999999999 && expect_status 64 &&
	grep -q "^cmp-list: --duplicates-of: .99999999999999999999. is not a complaint id" err &&
	run cmp-close --duplicate-of 1 --reject "no" 5 && expect_status 64 &&
	grep -q "^cmp-close: say one of --resolve, --close, --reject, --reopen, --duplicate-of" err
'

t 'a rejected complaint may still be closed as a duplicate' '
	cmp-close --reject "not valid" 5 >/dev/null &&
	run cmp-close --duplicate-of 1 5 && expect_status 0 && expect_empty err &&
	jq -e ".status == \"closed\" and .duplicate_of == 1" out
'

t 'the duplicates are neither overdue nor escalated, their follow-ups not due' '
	add "sixth, its own" &&
	cmp-followup --in 1h 1 2 6 >/dev/null &&
	CMP_NOW=2026-11-30T01:15:00Z run cmp-followup --due && expect_status 0 &&
	[ "$(jq -s -c "map(.id)" out)" = "[1,6]" ] &&
	CMP_NOW=2026-11-30T01:15:00Z run cmp-list --overdue && expect_status 0 &&
	[ "$(jq -s -c "map(.id)" out)" = "[1,6]" ] &&
	[ "$(sql "SELECT group_concat(id) FROM complaints WHERE status IN (\"new\", \"assigned\", \"waiting\") AND due_ack < \"2026-11-30\"")" = "1,6" ]
'

t 'cmp-show of the original lists its duplicates apart from the likely ones' '
	run cmp-show 1 && expect_status 0 &&
	[ "$(jq -c "[.duplicates[].id]" out)" = "[2,3,4,5]" ] &&
	[ "$(jq -c "[.likely_duplicates[].id]" out)" = "[]" ] &&
	[ "$(sql "SELECT count(*) FROM complaints WHERE possible_duplicate_of = 1 AND duplicate_of IS NULL")" = 0 ] &&
	[ "$(sql "SELECT group_concat(id) FROM (SELECT id FROM complaints WHERE duplicate_of = 1 ORDER BY id)")" = "2,3,4,5" ] &&
	run cmp-show --format text 1 && sed -n "/^Closed as its duplicates:\$/,\$p" out >got &&
	[ "$(sed -n "2p" got | awk "{print \$1, \$2}")" = "2 closed" ] && [ $(wc -l <got) = 5 ] &&
	run cmp-show 2 && jq -e ".duplicate_of == 1 and [.likely_duplicates[].id] == [1] and .duplicates == []" out
'

t 'cmp-list --duplicates-of: flagged and closed as such, as the sqlite3 shell finds them' '
	run cmp-list --duplicates-of 1 && expect_status 0 &&
	jq -r .id out >got &&
	sql "SELECT id FROM complaints WHERE possible_duplicate_of = 1 ORDER BY id" >want &&
	test_cmp want got && [ "$(cat got | tr "\n" " ")" = "2 3 4 5 " ] &&
	run cmp-list --duplicates-of 1 --explain && grep -q "complaint_duplicate" out &&
	run cmp-list --duplicates-of 0 && expect_status 64
'

t 'cmp-report counts the duplicates apart, among the closed, not among the rejected' '
	run cmp-report --period 2026-11-20 --format json && expect_status 0 &&
	jq -e ".counts.duplicates == 4 and .counts.rejected == 1 and .counts.closed == 4" out &&
	[ "$(sql "SELECT count(DISTINCT complaint_id) FROM journal WHERE field = \"duplicate_of\" AND new IS NOT NULL AND at >= \"2026-11-19T16:00:00Z\" AND at < \"2026-11-20T16:00:00Z\"")" = 4 ] &&
	run cmp-report --period 2026-11-20 --format csv && grep -q "duplicates" out &&
	run cmp-report --period 2026-11-20 --format table && grep -q "^  duplicates  *4$" out
'

t 'reopening a duplicate: it stands on its own again' '
	run cmp-close --reopen "a different leak after all" 3 && expect_status 0 &&
	jq -e ".status == \"assigned\" and .duplicate_of == null and .possible_duplicate_of == 1" out &&
	run cmp-show 1 && [ "$(jq -c "[.duplicates[].id]" out)" = "[2,4,5]" ]
'

t '--dry-run writes nothing, on either complaint' '
	n=$(sql "SELECT count(*) FROM journal") &&
	run cmp-close --dry-run --duplicate-of 1 6 && expect_status 0 &&
	jq -e ".duplicate_of == 1" out &&
	[ "$(sql "SELECT count(*) FROM journal")" = "$n" ] &&
	[ "$(sql "SELECT coalesce(duplicate_of, 0) FROM complaints WHERE id = 6")" = 0 ]
'

done_testing
