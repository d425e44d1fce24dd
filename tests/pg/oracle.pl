#!/usr/bin/perl
# tests/pg/oracle.pl - a test's SQL oracle, written for the sqlite3
# shell, as PostgreSQL takes it (tests/lib.sh's `sql` on a PostgreSQL
# store): the query on stdin, PostgreSQL's on stdout.  Only what the
# tests write: "strings" in double quotes (outside 'strings'), the
# journal view in the order of its rows (SQLite's rowid: the entry's
# id), PRAGMA table_info of a table or view, WHERE 1 and WHERE 0,
# strftime() of '%s' and '%Y-%m', julianday(), json_extract() and
# json_type() of a member, CAST(x AS REAL) and CAST(x AS INTEGER),
# min() and max() of several values, instr(), group_concat(), a
# subquery in FROM without a name, IS NOT 'value', LIKE.
# tests/lib.sh shows a boolean as 1 or 0, as SQLite has them.
use strict;
use warnings;

local $/;
my $q = <STDIN>;

# Parentheses and what they hold, nested, 'strings' taken whole.
my $bal;
$bal = qr/\((?:[^()']++|'[^']*'|(??{$bal}))*\)/;

# The arguments of a call, "(a, f(b, c), 'd')": split at the commas
# outside parentheses and strings.
sub args {
	my ($s) = @_;
	$s = substr($s, 1, -1);
	my @a;
	my ($depth, $cur, $in) = (0, '', 0);
	for my $c (split //, $s) {
		if ($in) {
			$in = 0 if $c eq "'";
		} elsif ($c eq "'") {
			$in = 1;
		} elsif ($c eq '(') {
			$depth++;
		} elsif ($c eq ')') {
			$depth--;
		} elsif ($c eq ',' && $depth == 0) {
			push @a, $cur;
			$cur = '';
			next;
		}
		$cur .= $c;
	}
	push @a, $cur;
	s/^\s+|\s+$//g for @a;
	return @a;
}

$q =~ s/('[^']*')|"([^"]*)"/defined $1 ? $1 : "'$2'"/ge;
if ($q =~ /\bORDER BY rowid\b/) {
	$q =~ s/\bFROM journal\b(?!_)/FROM journal_entry/g;
	$q =~ s/\bORDER BY rowid\b/ORDER BY id/g;
}
$q =~ s/^\s*PRAGMA table_info\((\w+)\)\s*;?\s*$/SELECT ordinal_position - 1, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '$1' ORDER BY ordinal_position/;
# SQLite's true and false are 1 and 0.
$q =~ s/\bWHERE\s+1(?=\s+(?:AND|ORDER)\b|\s*$)/WHERE true/g;
$q =~ s/\bWHERE\s+0(?=\s+(?:AND|ORDER)\b|\s*$)/WHERE false/g;

# SQLite's functions of times, as far as the tests use them.
$q =~ s/strftime\('%s', ([\w.\$]+)\)/CAST(extract(epoch FROM CAST($1 AS timestamptz)) AS bigint)/g;
$q =~ s/strftime\('%Y-%m', ([\w.]+), '\+(\d+) hours'\)/to_char(CAST($1 AS timestamptz) AT TIME ZONE 'UTC' + interval '$2 hours', 'YYYY-MM')/g;

# A JSON member.  As text, it is as the stored text has it (json, not
# jsonb: an object's member keeps its spelling).  Compared with a
# value, it keeps its type as SQLite's json_extract() does: 7 is not
# '7', 12 is 12.0; JSON null is SQL's NULL.
my $member = qr/json_extract\((\w+), '\$\.(\w+)'\)/;
my $lit = qr/-?\d+(?:\.\d+)?|'[^']*'/;
sub jsonb_lit {
	my ($v) = @_;
	return $v =~ /^'/ ? "to_jsonb(CAST($v AS text))" : "CAST('$v' AS jsonb)";
}
sub jsonb_member {
	my ($col, $key) = @_;
	return "NULLIF(CAST($col AS jsonb) -> '$key', 'null')";
}
$q =~ s/CAST\($member AS TEXT\)/(CAST($1 AS json) ->> '$2')/g;
$q =~ s{$member\s*(=|!=|<>|<=|>=|<|>)\s*($lit)}
	{jsonb_member($1, $2) . " $3 " . jsonb_lit($4)}ge;
$q =~ s{$member\s+((?:NOT\s+)?IN)\s*\(\s*($lit(?:\s*,\s*$lit)*)\s*\)}
	{jsonb_member($1, $2) . " $3 (" .
	 join(', ', map { jsonb_lit($_) } args("($4)")) . ")"}ge;
$q =~ s/$member/(CAST($1 AS json) ->> '$2')/g;
# json_type() by SQLite's names: integer, real, text, true, false...
$q =~ s{json_type\((\w+), '\$\.(\w+)'\)}{
	my $j = "(CAST($1 AS jsonb) -> '$2')";
	"(CASE jsonb_typeof($j) WHEN 'number' THEN CASE WHEN ($j #>> '{}') ~ '^-?[0-9]+\$' THEN 'integer' ELSE 'real' END WHEN 'string' THEN 'text' WHEN 'boolean' THEN $j #>> '{}' ELSE jsonb_typeof($j) END)"
}ge;

# A REAL as the sqlite3 shell shows it: 120.0, not 120.
$q =~ s/CAST\((\w+) AS REAL\)/regexp_replace(CAST(CAST($1 AS double precision) AS text), '^(-?[0-9]+)\$', '\\1.0')/g;
# SQLite's CAST to INTEGER cuts the fraction off; PostgreSQL's rounds.
$q =~ s{\bCAST($bal)}{
	my $in = $1;
	$in =~ /^\((.*)\s+AS\s+INTEGER\)$/s ? "CAST(trunc($1) AS bigint)" : "CAST$in"
}ge;
# Days since noon in Greenwich, 24 November 4714 BC: only differences
# of them mean anything, so the Unix epoch's days do.
$q =~ s{\bjulianday($bal)}{(extract(epoch FROM CAST(@{[substr($1, 1, -1)]} AS timestamptz)) / 86400.0)}g;
# min() and max() of several values are least() and greatest().
$q =~ s{\b(min|max)($bal)}{
	my ($f, $p) = ($1, $2);
	my @a = args($p);
	@a > 1 ? ($f eq 'min' ? 'least' : 'greatest') . $p : "$f$p"
}ge;
# instr() is a position, true when not 0.
$q =~ s{\binstr($bal)(\s*>\s*0)}{strpos$1$2}g;
$q =~ s{\binstr($bal)}{(strpos$1 > 0)}g;
# group_concat(x[, separator]): its values as text, in the order of
# the rows' ids, as SQLite's scan of these views gives them.
$q =~ s{\bgroup_concat($bal)}{
	my @a = args($1);
	my $sep = @a > 1 ? $a[1] : "','";
	"string_agg(CAST($a[0] AS text), $sep ORDER BY id)"
}ge;
# A subquery in FROM needs a name.
$q =~ s{\bFROM\s*(\(\s*SELECT\b(?:[^()']++|'[^']*'|(??{$bal}))*\))(?!\s*(?:AS\b|\w))}{FROM $1 AS sub}g;
# IS and IS NOT compare with NULL too.
$q =~ s/\bIS NOT(?=\s*')/IS DISTINCT FROM/g;
$q =~ s/\bIS(?=\s*')/IS NOT DISTINCT FROM/g;
# SQLite's LIKE ignores the case of ASCII letters.
$q =~ s/\bLIKE\b/ILIKE/g;
print $q;
