#!/bin/sh
# README.md's tour, run as written in a scratch store: the commands the
# README shows are the commands that work.
. "${0%/*}/../lib.sh"

t 'the tour of README.md runs, every command succeeding' '
	awk "/^## A tour/ { on = 1; next } on && /^\`\`\`sh/ { code = 1; next }
	     code && /^\`\`\`/ { exit } code" "$CMP_TOP/README.md" |
		grep -v "^export CMP_DB=" >tour.sh &&
	[ $(grep -c "^cmp-" tour.sh) -ge 8 ] &&
	( cd "$CMP_TOP" && sh -e "$TEST_ROOT/tour.sh" ) >out 2>err &&
	[ "$(sql "SELECT status FROM complaints WHERE id = 1")" = closed ]
'

done_testing
