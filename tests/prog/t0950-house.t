#!/bin/sh
# The house's rules (lib/README.md), checked on the source and the
# objects so they stay true: only the backend speaks to SQLite, the
# public header pulls in no third-party header, programs see only the
# public header, no file of the library grows past what a newcomer reads
# at once, and no files call each other in a circle.
. "${0%/*}/../lib.sh"

SRC=$CMP_TOP

t 'only lib/backend_sqlite.c includes sqlite3.h' '
	grep -l "^[[:space:]]*#[[:space:]]*include[[:space:]]*<sqlite3.h>" \
		"$SRC"/lib/*.[ch] "$SRC"/include/*.h "$SRC"/cmd/*.[ch] \
		| sed "s|^$SRC/||" >found || true
	echo lib/backend_sqlite.c >want &&
	test_cmp want found
'

t 'only the backend files call sqlite3_*' '
	grep -l "sqlite3_[a-z_0-9]*[[:space:]]*(" "$SRC"/lib/*.[ch] \
		"$SRC"/include/*.h "$SRC"/cmd/*.[ch] \
		| sed "s|^$SRC/||" >found || true
	echo lib/backend_sqlite.c >want &&
	test_cmp want found
'

t 'the public header includes only the C library' '
	grep "^[[:space:]]*#[[:space:]]*include" "$SRC"/include/complaint.h \
		| grep -v "<\(stdarg\|stddef\|stdint\|stdio\|time\)\.h>" >found || true
	expect_empty found
'

t 'programs include no private header of the library' '
	: >found &&
	for h in "$SRC"/lib/*.h; do
		grep -l "#[[:space:]]*include[[:space:]]*\"${h##*/}\"" \
			"$SRC"/cmd/*.[ch] >>found || true
	done &&
	expect_empty found
'

t 'programs compile against the public header alone (no -Ilib)' '
	command -v cc >/dev/null || { echo "no cc"; false; }
	for f in "$SRC"/cmd/*.c; do
		cc -std=c11 -D_GNU_SOURCE -fsyntax-only -I"$SRC/include" -I"$SRC/cmd" \
			$(pkg-config --cflags libcjson) "$f" || exit 1
	done
'

t 'no file of the library is over 900 lines' '
	wc -l "$SRC"/lib/*.[ch] | awk "\$2 != \"total\" && \$1 > 900" >found
	expect_empty found
'

# Which object file calls which, from the symbols each defines and uses
# (nm): a file that leads back to itself is a circle of files.
t 'no circle of library files calling each other' '
	command -v nm >/dev/null || { echo "no nm"; false; }
	for o in "$CMP_BUILD"/lib/*.o; do
		nm "$o" | sed "s|^|${o##*/} |"
	done >symbols &&
	perl -e '"'"'
		while (<>) {
			my ($file, @f) = split;
			my ($type, $sym) = @f == 3 ? @f[1, 2] : @f[0, 1];
			if ($type eq "U") { push @{$uses{$file}}, $sym }
			elsif ($type =~ /^[TDBR]$/) { $def{$sym} = $file }
		}
		for my $f (keys %uses) {
			for my $s (@{$uses{$f}}) {
				my $g = $def{$s};
				$edge{$f}{$g} = 1 if defined $g && $g ne $f;
			}
		}
		my %state;	# 1 on the path, 2 done
		sub visit {
			my ($f, @path) = @_;
			return if ($state{$f} // 0) == 2;
			if (($state{$f} // 0) == 1) {
				print "circle: ", join(" -> ", @path, $f), "\n";
				exit 1;
			}
			$state{$f} = 1;
			visit($_, @path, $f) for sort keys %{$edge{$f}};
			$state{$f} = 2;
		}
		visit($_) for sort keys %edge;
	'"'"' symbols
'

done_testing
