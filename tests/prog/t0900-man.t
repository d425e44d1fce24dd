#!/bin/sh
# The man pages: lint clean, and every option of --help documented.
. "${0%/*}/../lib.sh"

for page in "$CMP_TOP"/man/*.[157]; do
	name=${page##*/}
	t "$name: mandoc -Tlint and groff -ww are clean" '
		if command -v mandoc >/dev/null; then
			mandoc -Tlint -W warning "$page" >lint 2>&1 || true
			expect_empty lint
		fi &&
		groff -k -mandoc -ww -z "$page" 2>lint && expect_empty lint
	'
done

for src in "$CMP_TOP"/cmd/cmp-*.c; do
	prog=${src##*/}; prog=${prog%.c}
	page=$CMP_TOP/man/$prog.1
	t "$prog: every option of --help is in $prog(1)" '
		[ -f "$page" ] && $prog --help >help &&
		grep -o -- "--[a-z][a-z-]*" help | sort -u >opts &&
		missing= &&
		for o in $(cat opts); do
			grep -q -- "Fl Fl ${o#--}\\b" "$page" || missing="$missing $o"
		done &&
		{ [ -z "$missing" ] || { echo "undocumented:$missing"; false; }; }
	'
	t "$prog(1) has the sections a page must have" '
		for s in NAME SYNOPSIS DESCRIPTION ENVIRONMENT "EXIT STATUS" EXAMPLES "SEE ALSO"; do
			grep -q "^\.Sh $s\$" "$page" || { echo "no $s"; false; }
		done
	'
done

done_testing
