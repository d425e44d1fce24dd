#!/usr/bin/perl
# tests/pg/oracle.pl - a test's SQL oracle, written for the sqlite3
# shell, as PostgreSQL takes it (tests/lib.sh's `sql` on a PostgreSQL
# store): the query on stdin, PostgreSQL's on stdout.  Only what the
# tests write: "strings" in double quotes (outside 'strings'), the
# journal view in the order of its rows (SQLite's rowid: the entry's
# id), PRAGMA table_info of a table or view, "WHERE 1 AND", strftime()
# of '%s' and '%Y-%m', json_extract() of a member, CAST(x AS REAL).
# tests/lib.sh shows a boolean as 1 or 0, as SQLite has them.
use strict;
use warnings;

local $/;
my $q = <STDIN>;
$q =~ s/('[^']*')|"([^"]*)"/defined $1 ? $1 : "'$2'"/ge;
if ($q =~ /\bORDER BY rowid\b/) {
	$q =~ s/\bFROM journal\b(?!_)/FROM journal_entry/g;
	$q =~ s/\bORDER BY rowid\b/ORDER BY id/g;
}
$q =~ s/^\s*PRAGMA table_info\((\w+)\)\s*;?\s*$/SELECT ordinal_position - 1, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '$1' ORDER BY ordinal_position/;
$q =~ s/\bWHERE 1 AND\b/WHERE true AND/g;
# SQLite's functions of times and JSON, as far as the tests use them.
$q =~ s/strftime\('%s', ([\w.\$]+)\)/CAST(extract(epoch FROM CAST($1 AS timestamptz)) AS bigint)/g;
$q =~ s/strftime\('%Y-%m', ([\w.]+), '\+(\d+) hours'\)/to_char(CAST($1 AS timestamptz) AT TIME ZONE 'UTC' + interval '$2 hours', 'YYYY-MM')/g;
$q =~ s/json_extract\((\w+), '\$\.(\w+)'\)/(CAST($1 AS jsonb) ->> '$2')/g;
# A REAL as the sqlite3 shell shows it: 120.0, not 120.
$q =~ s/CAST\((\w+) AS REAL\)/regexp_replace(CAST(CAST($1 AS double precision) AS text), '^(-?[0-9]+)\$', '\\1.0')/g;
print $q;
