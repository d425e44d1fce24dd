#!/bin/sh
# The same behaviour on both stores (issue 24), by a randomized
# differential test (tests/pg/differential.pl): two seeded sequences of
# a few hundred operations of every program, each run on a SQLite store
# and on a PostgreSQL database, every stdout, stderr and exit status
# compared byte for byte; the same sequence on every run (perl's
# generator seeded, its hashes in a fixed order).  On the build of
# c3c2e4e these seeds found 10 and 3 differences (case folding beyond
# ASCII and attrs integers past 2^53 left out); on that of 131fc2d,
# whose stores still folded case beyond ASCII each its own way in --text
# and "~", 2 and 0.
. "${0%/*}/../lib.sh"

if [ -z "${CMP_TEST_PG:-}" ]; then
	skip 'the differential test of the two stores' 'no server: run by make check-pg'
	done_testing
	exit 0
fi

for seed in 202 203; do
	t "seed $seed: 300 operations and their queries, the same on SQLite and PostgreSQL" '
		PERL_HASH_SEED=0 PERL_PERTURB_KEYS=0 perl "$CMP_TOP/tests/pg/differential.pl" \
			--dir "$TEST_ROOT/s'$seed'" --seed '$seed' --ops 300 \
			--keep-going --quiet >out ||
		{ cat out "$TEST_ROOT/s'$seed'/diffs.txt"; exit 1; }
		cat out
	'
done

done_testing
