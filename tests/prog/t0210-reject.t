#!/bin/sh
# Rejecting after investigation (new, assigned, waiting), the reply
# deadline of a rejected complaint, an unknown id: 66 from every program
# that takes ids, cmp-show reading ids from stdin, and an owner checked
# against the department's members (issue 22).
. "${0%/*}/../lib.sh"

# Friday 2026-11-20 09:15 in Shanghai.
export CMP_NOW=2026-11-20T01:15:00Z

add() {
	cmp-add --customer "王先生" --phone 13800138000 -m "${1:-leak}" >/dev/null
}

status_of() {
	sql "SELECT status FROM complaints WHERE id = $1"
}

# journal ID PROGRAM: field|old|new|note of PROGRAM's entries on ID.
journal() {
	sql "SELECT field, coalesce(old, 'null'), coalesce(new, 'null'), note FROM journal WHERE complaint_id = $1 AND program = '$2' ORDER BY rowid"
}

t 'reject a new complaint: as before' '
	add &&
	run cmp-close --reject "not valid" 1 && expect_status 0 && expect_empty err &&
	jq -e ".id == 1 and .status == \"rejected\" and .resolution.note == \"not valid\"" out
'

t 'reject an assigned complaint after investigating: 0, the reason kept, journalled' '
	add &&
	CMP_NOW=2026-11-20T02:00:00Z cmp-assign --to li.gang 2 >/dev/null &&
	CMP_NOW=2026-11-20T03:00:00Z run cmp-close --reject "not our product after investigation" 2 &&
	expect_status 0 && expect_empty err &&
	jq -e ".id == 2 and .status == \"rejected\" and .owner == \"li.gang\"
	       and .resolution.note == \"not our product after investigation\"
	       and .due.reply == \"2026-11-23T01:15:00Z\" and .replied_at == null" out &&
	[ $(wc -l <out) = 1 ] &&
	journal 2 cmp-close >got &&
	cat >want <<-EOF &&
	status|assigned|rejected|not our product after investigation
	resolution.note|null|not our product after investigation|not our product after investigation
	rejected_at|null|2026-11-20T03:00:00Z|not our product after investigation
	rejection_reason|null|not our product after investigation|not our product after investigation
	EOF
	test_cmp want got
'

t 'reject a waiting complaint: the wait ends, deadlines move by the pause' '
	add &&
	CMP_NOW=2026-11-20T02:00:00Z cmp-assign --to li.gang 3 >/dev/null &&
	CMP_NOW=2026-11-20T02:15:00Z cmp-update --wait "photos of the leak" 3 >/dev/null &&
	CMP_NOW=2026-11-23T02:15:00Z run cmp-close --reject "out of warranty" --note "serial checked" 3 &&
	expect_status 0 && expect_empty err &&
	jq -e ".status == \"rejected\" and .waiting_since == null and .wait_reason == null
	       and .resolution.note == \"out of warranty\"
	       and .due.reply == \"2026-11-24T01:15:00Z\"" out &&
	journal 3 cmp-close >got &&
	cat >want <<-EOF &&
	status|waiting|rejected|out of warranty; serial checked
	due.reply|2026-11-23T01:15:00Z|2026-11-24T01:15:00Z|out of warranty; serial checked
	due.resolve|2026-11-27T01:15:00Z|2026-11-30T01:15:00Z|out of warranty; serial checked
	resolution.note|null|out of warranty|out of warranty; serial checked
	rejected_at|null|2026-11-23T02:15:00Z|out of warranty; serial checked
	rejection_reason|null|out of warranty|out of warranty; serial checked
	waiting_since|2026-11-20T02:15:00Z|null|out of warranty; serial checked
	wait_reason|photos of the leak|null|out of warranty; serial checked
	EOF
	test_cmp want got &&
	CMP_NOW=2026-11-23T02:15:00Z cmp-show 3 >shown &&
	jq -e ".deadlines.reply.paused_seconds == 32400 and .deadlines.reply.stopped == false" shown
'

t 'a rejected complaint keeps its reply deadline until the customer is answered' '
	CMP_NOW=2026-11-23T03:00:00Z cmp-show 2 >shown &&
	jq -e ".deadlines.reply.met == null and .deadlines.reply.late_seconds > 0" shown &&
	CMP_NOW=2026-11-23T03:00:00Z run cmp-followup --log "told him why" 2 &&
	expect_status 0 && expect_empty err &&
	jq -e ".status == \"rejected\" and .replied_at == \"2026-11-23T03:00:00Z\"" out &&
	CMP_NOW=2026-11-23T03:00:00Z cmp-show 2 >shown &&
	jq -e ".deadlines.reply.met == \"2026-11-23T03:00:00Z\"" shown &&
	[ "$(journal 2 cmp-followup | grep "^replied_at")" = "replied_at|null|2026-11-23T03:00:00Z|" ]
'

t 'then it closes without a score' '
	run cmp-close --close 2 && expect_status 0 && jq -e ".status == \"closed\"" out
'

t 'a resolved complaint cannot be rejected: 65, nothing changes' '
	add &&
	cmp-assign --to li.gang 4 >/dev/null && cmp-close --resolve repair 4 >/dev/null &&
	before=$(sql "SELECT count(*) FROM journal") &&
	run cmp-close --reject "too late" 4 && expect_status 65 && expect_empty out &&
	expect_err "cmp-close: complaint 4 is resolved: it cannot be rejected" &&
	[ "$(status_of 4)" = resolved ] &&
	[ "$(sql "SELECT count(*) FROM journal")" = "$before" ]
'

t 'rejected and closed complaints are refused, the others rejected' '
	add && add &&
	cmp-assign --to li.gang 6 >/dev/null &&
	run cmp-close --reject "duplicate of 1" 5 1 6 && expect_status 65 &&
	expect_err "cmp-close: complaint 1 is rejected: it cannot be rejected" &&
	jq -s -e "map(.id) == [5, 6] and all(.status == \"rejected\")" out
'

# An unknown id: 66 and the same message from every program taking ids,
# as an operand or on stdin, and the others still handled.
for prog in "cmp-assign --to sun.li" "cmp-update --set severity=high" \
	    "cmp-close --reject dup" "cmp-followup --log called" "cmp-show"; do
	name=${prog%% *}
	t "$name: an unknown id is 66, the others handled" "
		add && id=\$(sql 'SELECT max(id) FROM complaints') &&
		run $prog 999 \$id && expect_status 66 &&
		expect_err '$name: no complaint 999' &&
		jq -s -e \"length == 1 and .[0].id == \$id\" out &&
		add && id=\$(sql 'SELECT max(id) FROM complaints') &&
		printf '%s\n' \$id 999 | run $prog && expect_status 66 &&
		expect_err '$name: -:2: no complaint 999' &&
		jq -s -e \"length == 1 and .[0].id == \$id\" out
	"
done

t 'cmp-show reads NDJSON records from stdin, in input order' '
	cmp-list --status rejected --fields id >ids &&
	[ $(wc -l <ids) -ge 3 ] &&
	tac ids | run cmp-show && expect_status 0 && expect_empty err &&
	jq -r .id out >got && tac ids | jq -r .id >want && test_cmp want got &&
	jq -s -e "all(has(\"journal\") and has(\"deadlines\"))" out
'

t 'cmp-show reads bare ids from stdin, --format text' '
	printf "2\n3\n" | run cmp-show --format text && expect_status 0 &&
	expect_empty err && [ $(grep -c "^Deadlines:" out) = 2 ]
'

t 'cmp-show: a stdin line that is no id is 65 with its line, the others shown' '
	printf "2\n{\"summary\": \"x\"}\n3\n" | run cmp-show && expect_status 65 &&
	expect_err "cmp-show: -:2: id: expected a complaint id" &&
	jq -s -e "map(.id) == [2, 3]" out
'

t 'cmp-show: no ids and stdin a terminal is a usage error' '
	command -v script >/dev/null || exit 0
	script -qec "cmp-show" /dev/null >tty.out 2>&1 || :
	grep -q "cmp-show: no complaint ids: give them as arguments or on stdin" tty.out
'

t 'cmp-assign --dept with --to a non-member: 65 naming the field, nothing changes' '
	add && id=$(sql "SELECT max(id) FROM complaints") &&
	before=$(sql "SELECT count(*) FROM journal") &&
	run cmp-assign --dept service --to sun.li $id && expect_status 65 && expect_empty out &&
	expect_err "cmp-assign: owner: '"'"'sun.li'"'"' is not a member of department '"'"'service'"'"' (--force to assign anyway)" &&
	[ "$(status_of $id)" = new ] &&
	[ "$(sql "SELECT count(*) FROM journal")" = "$before" ]
'

t 'cmp-assign --dept with --to a member, or a holder of its ladder: 0' '
	id=$(sql "SELECT max(id) FROM complaints") &&
	run cmp-assign --dept service --to zhang.wei $id && expect_status 0 && expect_empty err &&
	jq -e ".department == \"service\" and .owner == \"zhang.wei\" and .status == \"assigned\"" out &&
	run cmp-assign --dept service --to wang.lead $id && expect_status 0 &&
	jq -e ".owner == \"wang.lead\"" out
'

t 'cmp-assign --force lends a complaint outside the department, journalled' '
	id=$(sql "SELECT max(id) FROM complaints") &&
	run cmp-assign --dept service --to sun.li --force --note "knows the customer" $id &&
	expect_status 0 && expect_empty err &&
	jq -e ".department == \"service\" and .owner == \"sun.li\"" out &&
	[ "$(sql "SELECT old || \"|\" || new || \"|\" || note FROM journal WHERE complaint_id = $id AND field = \"owner\" AND new = \"sun.li\"")" = "wang.lead|sun.li|knows the customer" ]
'

t 'cmp-assign: --to alone is not checked; --force needs --to and --dept' '
	id=$(sql "SELECT max(id) FROM complaints") &&
	run cmp-assign --to li.gang $id && expect_status 0 && jq -e ".owner == \"li.gang\"" out &&
	run cmp-assign --to li.gang --force $id && expect_status 64 && expect_empty out &&
	grep -q "^cmp-assign: --force goes with --to and --dept" err
'

t 'cmp-assign: a department without members listed takes anyone' '
	mkdir -p "$XDG_CONFIG_HOME/complaint" &&
	printf "departments:\n  field:\n    ladder: [ma.jun, ceo]\nrules: []\n" >"$XDG_CONFIG_HOME/complaint/config.yaml" &&
	id=$(sql "SELECT max(id) FROM complaints") &&
	run cmp-assign --dept field --to anyone $id && expect_status 0 && expect_empty err &&
	jq -e ".department == \"field\" and .owner == \"anyone\"" out &&
	rm "$XDG_CONFIG_HOME/complaint/config.yaml"
'

done_testing
