#!/bin/sh
# morning-followup.sh - the morning round of follow-ups.
#
#   CONTACT=/usr/local/bin/call-customer morning-followup.sh [WHEN]
#
# Lists every complaint with a follow-up due by WHEN (default: the end of
# today), hands each to the CONTACT command - with the complaint's JSON
# on its stdin - which calls, texts or mails the customer and prints one
# line: what came of it.  That line is recorded as the follow-up done.
# A CONTACT that fails leaves the follow-up due for tomorrow's round.
# Without CONTACT, it only says what it would do.
#
# Exit status: 0, 1 when a contact failed, 78 when CONTACT names no
# command (the crontab's /usr/local/bin/call-customer is yours to write).
set -u
when=${1:-tomorrow}
failed=0
if [ -n "${CONTACT:-}" ]; then
	# shellcheck disable=SC2086 # CONTACT is a command and its arguments
	set -- $CONTACT
	if ! command -v "$1" >/dev/null 2>&1; then
		echo "morning-followup: CONTACT: no command '$1'" >&2
		exit 78
	fi
fi
cmp-followup --due "$when" | while IFS= read -r complaint; do
	id=$(printf '%s\n' "$complaint" | jq -r .id)
	if [ -z "${CONTACT:-}" ]; then
		printf '%s\n' "$complaint" |
			jq -r '"would contact \(.customer.name // .customer.phone) about #\(.id): \(.summary // "")"'
		continue
	fi
	if outcome=$(printf '%s\n' "$complaint" | $CONTACT) && [ -n "$outcome" ]; then
		cmp-followup --done --note "$outcome" "$id" >/dev/null </dev/null
	else
		echo "morning-followup: complaint $id: $CONTACT failed" >&2
		exit 1
	fi
done || failed=1
exit $failed
