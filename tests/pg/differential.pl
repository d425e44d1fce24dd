#!/usr/bin/perl
# tests/pg/differential.pl - a randomized differential test of the two
# stores (issue 24: the same behaviour, byte for byte): a seeded
# sequence of operations of all eight programs (adds single, bulk, CSV,
# with a map, replays and --update; assignments, updates, closes,
# follow-ups; listings, shows and reports in every format; failures),
# the clock moving between them, each run on a SQLite store and on a
# PostgreSQL database; stdout, stderr (the store's name replaced by
# <STORE>) and the exit status compared.
#
#   differential.pl --dir DIR --seed N [--ops M] [--avoid LIST]
#   differential.pl --dir DIR --replay DIR/ops.jsonl
#
# $CMP_BUILD/bin holds the programs, $CMP_TEST_PG the server's socket
# (tests/pg/cluster.sh; the database cmp_template).  DIR gets the
# operations (ops.jsonl: --replay runs them again) and each difference
# (diffs.txt, d*.{sq,pg}.{out,err}).  --avoid leaves out inputs of
# differences once known, all since fixed, to tell a build that has
# them apart: fold (case beyond ASCII in searches), bigint (attrs
# integers past 2^53), email, ref, dupkey, long, byorder.  Exit 1 on
# any difference.
use strict;
use warnings;
use JSON::PP;
use File::Path qw(make_path remove_tree);
use Getopt::Long;
use POSIX qw(strftime floor);
use Time::Local qw(timegm);

my $BIN = ($ENV{CMP_BUILD} // die "differential.pl: CMP_BUILD is needed\n") . '/bin';
my $PGHOST = $ENV{CMP_TEST_PG} // die "differential.pl: CMP_TEST_PG is needed\n";
my ($seed, $nops, $maxdiffs, $dir, $pgdb, $replay, $quiet) =
   (1, 300, 3, undef, undef, undef, 0);
my $keep_going = 0;
my $avoid = '';
GetOptions('avoid=s' => \$avoid, 'seed=i' => \$seed, 'ops=i' => \$nops,
	   'max-diffs=i' => \$maxdiffs, 'dir=s' => \$dir, 'pgdb=s' => \$pgdb,
	   'replay=s' => \$replay, 'quiet' => \$quiet,
	   'keep-going' => \$keep_going) or die;
defined $dir or die "differential.pl: --dir is needed\n";
$pgdb //= "cmp_diff_$$";
srand($seed);

my $JS = JSON::PP->new->canonical(1);
my $JSU = JSON::PP->new->canonical(1)->utf8(0);

remove_tree($dir);
make_path("$dir/run");
my $sqlite = "$dir/store.db";
my $pguri = "postgresql:///$pgdb?host=$PGHOST&user=cmp";
system("psql -X -q -h $PGHOST -U cmp -d postgres -c 'DROP DATABASE IF EXISTS $pgdb WITH (FORCE)' -c 'CREATE DATABASE $pgdb TEMPLATE cmp_template' >/dev/null 2>&1") == 0
	or die "cannot create database $pgdb";

open(my $LOG, '>', "$dir/ops.jsonl") or die;
open(my $DIFFS, '>', "$dir/diffs.txt") or die;
my $ndiffs = 0;
my $nrun = 0;

# ---------------------------------------------------------------- time
my $now;	# epoch seconds
sub iso { strftime('%Y-%m-%dT%H:%M:%SZ', gmtime($_[0])) }

# ---------------------------------------------------------------- running
sub slurp { my ($f) = @_; local $/; open(my $h, '<:raw', $f) or return ''; my $s = <$h>; close $h; $s }

sub run_one {
	my ($store, $argv, $stdin, $nowiso, $tag) = @_;
	my $base = "$dir/run/$tag";
	open(my $in, '>:raw', "$base.in") or die; print $in ($stdin // ''); close $in;
	my $pid = fork();
	die unless defined $pid;
	if (!$pid) {
		%ENV = (PATH => "$BIN:/usr/bin:/bin", CMP_NOW => $nowiso,
			CMP_CONFIG => '', XDG_CONFIG_HOME => "$dir/nocfg",
			XDG_DATA_HOME => "$dir/nodata",
			CMP_ACTOR => 'diff', LC_ALL => 'C.UTF-8', HOME => "$dir/nohome",
			CMP_DB => $store);
		open(STDIN, '<', "$base.in"); open(STDOUT, '>', "$base.out");
		open(STDERR, '>', "$base.err");
		my @a = map { $_ eq '@DB' ? $store : $_ } @$argv;
		exec { "$BIN/$a[0]" } @a;
		exit 127;
	}
	waitpid($pid, 0);
	my $rc = $? >> 8;
	$rc = 128 + ($? & 127) if $? & 127;
	my ($o, $e) = (slurp("$base.out"), slurp("$base.err"));
	return ($o, $e, $rc);
}

sub norm {
	my ($s) = @_;
	$s =~ s/\Q$sqlite\E/<STORE>/g;
	$s =~ s/\Q$pguri\E/<STORE>/g;
	return $s;
}

my $last_out = '';
sub op {
	my ($argv, $stdin) = @_;
	$nrun++;
	my $nowiso = iso($now);
	print $LOG $JS->encode({now => $nowiso, argv => $argv, stdin => $stdin // ''}), "\n";
	my ($o1, $e1, $r1) = run_one($sqlite, $argv, $stdin, $nowiso, 'sq');
	my ($o2, $e2, $r2) = run_one($pguri, $argv, $stdin, $nowiso, 'pg');
	($o1, $e1, $o2, $e2) = map { norm($_) } ($o1, $e1, $o2, $e2);
	if ($o1 ne $o2 || $e1 ne $e2 || $r1 != $r2) {
		$ndiffs++;
		open(my $h, '>:raw', "$dir/d$ndiffs.sq.out"); print $h $o1; close $h;
		open($h, '>:raw', "$dir/d$ndiffs.pg.out"); print $h $o2; close $h;
		open($h, '>:raw', "$dir/d$ndiffs.sq.err"); print $h $e1; close $h;
		open($h, '>:raw', "$dir/d$ndiffs.pg.err"); print $h $e2; close $h;
		open($h, '>:raw', "$dir/d$ndiffs.in"); print $h ($stdin // ''); close $h;
		my $what = join(' ', map { shq($_) } @$argv);
		print $DIFFS "=== diff $ndiffs at op $nrun (CMP_NOW=$nowiso): $what\n";
		print $DIFFS "    status sqlite=$r1 pg=$r2\n";
		print $DIFFS `cd $dir && diff -u --label sqlite.out --label pg.out d$ndiffs.sq.out d$ndiffs.pg.out | head -40`;
		print $DIFFS `cd $dir && diff -u --label sqlite.err --label pg.err d$ndiffs.sq.err d$ndiffs.pg.err | head -20`;
		print STDERR "seed $seed: DIFF $ndiffs at op $nrun: $what (rc $r1/$r2)\n" unless $quiet;
		if (!$keep_going && $ndiffs >= $maxdiffs) {
			finish();
		}
	}
	$last_out = $o1;
	learn($o1, $argv);
	return ($o1, $e1, $r1);
}

sub shq { my ($s) = @_; return $s if $s =~ /^[\w.,:\/=+@%-]+$/; $s =~ s/'/'\\''/g; "'$s'" }

sub finish {
	print $DIFFS "ops run: $nrun\n";
	close $DIFFS; close $LOG;
	system("psql -X -q -h $PGHOST -U cmp -d postgres -c 'DROP DATABASE IF EXISTS $pgdb WITH (FORCE)' >/dev/null 2>&1");
	print "seed $seed: $nrun ops, $ndiffs diffs\n";
	exit($ndiffs ? 1 : 0);
}

# ---------------------------------------------------------------- model
my %status;	# id -> status
my @ids;
my @refs;
sub learn {
	my ($out, $argv) = @_;
	return if grep { $_ eq '--dry-run' } @$argv;
	return unless $argv->[0] =~ /^cmp-(add|assign|update|close|followup)$/;
	for my $line (split /\n/, $out) {
		my $r = eval { JSON::PP->new->utf8->decode($line) } or next;
		next unless ref $r eq 'HASH' && $r->{id};
		push @ids, $r->{id} unless exists $status{$r->{id}};
		$status{$r->{id}} = $r->{status};
		push @refs, $r->{ref} if defined $r->{ref} && !grep { $_ eq $r->{ref} } @refs;
	}
}

# ---------------------------------------------------------------- random
sub pick { $_[int(rand(@_))] }
sub chance { rand() < $_[0] }
sub rint { my ($a, $b) = @_; $a + int(rand($b - $a + 1)) }

my @cn_words = qw(冷凝器 进口 漏水 包装 破损 送货 延误 客服 态度 差 假烟 发票 重复 扣款 退货 质量 问题 维修 师傅 没有 上门 电话 打不通 产品 异味 屏幕 裂了 快递 丢件 价格 不符 空调 不制冷 冰箱 噪音 大 洗衣机 漏电 中华 王 李 张 经理);
my @lat_words = ('Leak', 'leak', 'LEAK', 'condenser', 'Condenser', 'INLET', 'inlet',
	'parcel', 'Parcel', 'late', 'LATE', 'invoice', 'Invoice', 'charged', 'twice',
	'rude', 'agent', 'Agent', 'refund', 'Refund', 'broken', 'screen', 'Screen',
	'café', 'CAFÉ', 'Café', 'Élodie', 'élodie', 'ÉLODIE', 'müller', 'MÜLLER', 'Müller',
	'straße', 'STRASSE', 'İstanbul', 'istanbul', 'ǅemal', 'ǆemal', 'Ω', 'ω', 'ΣΟΦΙΑ', 'σοφια',
	'K-type', 'k-type', 'ＡＢＣ', 'ａｂｃ', '100%', 'a_b', 'back\\slash', 'fake', 'FAKE', 'counterfeit',
	'"quoted"', 'O\'Brien', 'comma,here', 'tab	here', 'x', 'é', 'É', 'ß', 'ẞ', 'ı', 'I');
sub lat_pick { my $w; do { $w = pick(@lat_words) } while ($avoid =~ /fold/ && $w =~ /stanbul/); $w }
sub cn_text { join('', map { pick(@cn_words) } 1 .. rint(1, 6)) }
sub lat_text { join(' ', map { lat_pick() } 1 .. rint(1, 7)) }
sub long_text { my $t = ''; $t .= pick(@cn_words, 'abc', 'XYZ', '0123456789') . rint(0, 99999) while length($t) < 2900; $t }
sub any_text {
	my $r = rand();
	my $t = $r < 0.35 ? cn_text() : $r < 0.7 ? lat_text() : cn_text() . ' ' . lat_text();
	$t .= "\nsecond line, with \"quotes\"" if chance(0.1);
	$t .= ' 13800138000' if chance(0.05);
	$t .= ' li.na@example.cn' if chance(0.05);
	$t = "  $t " if chance(0.03);
	return $t;
}

# customers: name, phone forms, email forms, id
my @customers = (
	{name => '王先生', phones => ['13800138000', '138-0013-8000', '+86 138 0013 8000', '0086 13800138000', '8613800138000'], id => 'R-0931'},
	{name => 'Li Na', emails => ['li.na@example.cn', 'Li.Na@Example.CN', 'LI.NA@EXAMPLE.CN']},
	{name => '赵女士', phones => ['13912345678', '139 1234 5678']},
	{name => 'Zhou Wei', emails => ['zhou.wei@example.com'], phones => ['(021) 5555-0101', '+86 21 5555 0101', '021-55550101', '862155550101']},
	{name => 'O\'Brien, Pat', phones => ['+1 415 555 0100', '001 415 555 0100', '415.555.0100']},
	{name => 'Zhang "Tiger" Wei', emails => ['tiger@Example.com', 'TIGER@example.COM']},
	{name => 'ÉLODIE Dupont', emails => ['elodie@exemple.fr', 'Élodie@exemple.fr', 'ÉLODIE@EXEMPLE.FR'], id => 'FR-1'},
	{name => 'élodie dupont', phones => ['5555 0101', '55550101']},
	{name => '孙先生', phones => ['13700001111'], id => 'R-1000'},
	{name => 'Müller GmbH', emails => ['info@mueller.de'], id => 'DE-7'},
);
sub has_nonascii_case { my ($x) = @_; return $x =~ /\xc3[\x80-\xbf]|\xc4|\xc5|\xc7|\xce|\xcf|\xef\xbc|\xef\xbd|\xe1\xba/ }
sub a_customer {
	my $c = pick(@customers);
	if ($avoid =~ /email/) { my %c2 = %$c; $c2{emails} = [grep { !has_nonascii_case($_) } @{$c->{emails} || []}]; delete $c2{emails} unless @{$c2{emails}}; $c = \%c2 }
	my %r;
	$r{name} = $c->{name} if chance(0.85) || !($c->{phones} || $c->{emails});
	$r{phone} = pick(@{$c->{phones}}) if $c->{phones} && chance(0.8);
	$r{email} = pick(@{$c->{emails}}) if $c->{emails} && chance(0.8);
	$r{id} = $c->{id} if $c->{id} && chance(0.5);
	$r{name} //= $c->{name} unless $r{phone} || $r{email};
	$r{name} = long_text() if $avoid !~ /long/ && chance(0.01);
	$r{tier} = pick(qw(key regular new)) if chance(0.4);
	$r{contact} = pick('王建国', 'Ms. Li', 'Jean-Luc') if chance(0.2);
	$r{address} = pick('江苏省睢宁县人民路18号', '1 Main St, Apt "B"', "Line1\nLine2") if chance(0.2);
	return \%r;
}
sub customer_query {
	my $c = pick(@customers);
	my @q = ($c->{name});
	push @q, @{$c->{phones}} if $c->{phones};
	push @q, grep { $avoid !~ /email/ || !has_nonascii_case($_) } @{$c->{emails}} if $c->{emails};
	push @q, $c->{id} if $c->{id};
	push @q, lc($c->{name}), uc($c->{name});
	return pick(@q);
}

my @channels = qw(phone email web letter fax visit social other);
my @categories = qw(product-quality contract delivery service billing other);
my @severities = qw(low normal high critical);
my @tiers = qw(key regular new);
my @remedies = qw(refund exchange repair discount compensation apology explanation none);
my @restypes = qw(refund exchange repair discount compensation apology explanation no-action);
my @depts = qw(quality logistics service);
my @people = qw(li.gang zhao.min sun.li zhang.wei wang.lead chen.manager ceo bob);
my @tags = ('vip', 'VIP', 'repeat', 'key-account', '紧急', 'gasket', 'a b', 'x_y');
my @products = ('CF-200', 'CF-200 heat exchanger', '中华(硬)', 'Order 88213', 'cf-200', 'Widget, large');

sub rel_time {
	pick('-2h', '-3d', '-90m', '-1w', 'today', 'yesterday', 'now', '-30m', '-1d',
	     iso_local($now - rint(0, 40 * 86400)), iso($now - rint(0, 60 * 86400)),
	     strftime('%Y-%m-%dT%H:%M:%S+08:00', gmtime($now - rint(0, 30 * 86400) + 8 * 3600)),
	     strftime('%Y-%m-%d', gmtime($now + 8 * 3600 - rint(0, 50) * 86400)));
}
sub iso_local { strftime('%Y-%m-%d %H:%M', gmtime($_[0] + 8 * 3600)) }
sub any_when {
	pick('-2h', '-3d', '+1d', '+3d', 'today', 'yesterday', 'tomorrow', 'now', '-7d', '90m', '1w', '-1w',
	     iso_local($now + rint(-40, 10) * 86400), iso($now + rint(-60, 5) * 86400),
	     strftime('%Y-%m-%d', gmtime($now + 8 * 3600 + rint(-60, 10) * 86400)),
	     'tomorrowish', '2026-13-01');
}

sub an_id {
	return pick(9999, 0, 'x1', -3) if chance(0.04);
	return 1 unless @ids;
	return pick(@ids);
}
sub ids_with {
	my @want = @_;
	my @c = grep { my $s = $status{$_} // ''; grep { $_ eq $s } @want } @ids;
	return @c ? pick(@c) : an_id();
}
sub some_ids {
	my $n = rint(1, 3);
	my %seen; my @r = grep { !$seen{$_}++ } map { an_id() } 1 .. $n;
	return @r;
}

# --- attrs values
my @attr_vals = (1, 7, '7', '007', 0, '0', -0.0, 2.5, '2.50', 'true', 'false', 'null',
	'1e3', '1E3', '0.1', '2.384185791015625e-07', '1234567890123465.0', '1e20', '1e400',
	'9007199254740993', '18446744073709551616', '-5', '3.0', '"七"', '"a,b"', '{"x":1}', '[1,2]',
	'"Text"', '"text"', '0.30000000000000004', '100', '99.5');
sub attr_json {
	my @keys = qw(code weight crm n k);
	my @m; my %seenk;
	for (1 .. rint(1, 3)) {
		my $k = pick(@keys);
		next if $avoid =~ /dupkey/ && $seenk{$k}++;
		my $v; do { $v = pick(@attr_vals) } while ($avoid =~ /bigint/ && $v =~ /^(9007199254740993|18446744073709551616)$/);
		$v = $JS->encode($v) unless $v =~ /^(-?[\d.eE+-]+|true|false|null|".*"|\{.*\}|\[.*\])$/;
		push @m, "\"$k\":$v";
	}
	return '{' . join(',', @m) . '}';
}

# ---------------------------------------------------------------- records
sub jstr { my $s = $JSU->encode($_[0]); utf8::downgrade($s) or die "wide"; $s }

sub a_record {
	my %r;
	my $r = rand();
	$r{summary} = any_text() if chance(0.9);
	$r{description} = any_text() if chance(0.5) || !$r{summary};
	$r{customer} = a_customer();
	$r{channel} = pick(@channels) if chance(0.5);
	$r{category} = pick(@categories) if chance(0.4);
	$r{severity} = pick(@severities) if chance(0.3);
	$r{requested_remedy} = pick(@remedies) if chance(0.3);
	$r{product} = {name => pick(@products)} if chance(0.5);
	$r{product}{quantity} = rint(1, 5) if $r{product} && chance(0.3);
	$r{product}{serial} = pick('A1709', 'a1709', 'SN-1') if $r{product} && chance(0.3);
	$r{product}{batch} = pick('2026-09-B', 'B7') if $r{product} && chance(0.3);
	if ($r{product} && chance(0.3)) {
		$r{product}{delivered_on} = strftime('%Y-%m-%d', gmtime($now - rint(100, 900) * 86400));
		$r{product}{failed_on} = strftime('%Y-%m-%d', gmtime($now - rint(0, 50) * 86400));
	}
	$r{tags} = [map { pick(@tags) } 1 .. rint(1, 2)] if chance(0.3);
	$r{ref} = (chance(0.3) && @refs) ? pick(@refs) : 'R-' . rint(1, 400) if chance(0.5);
	$r{received_at} = iso($now - rint(0, 20 * 86400)) if chance(0.4);
	$r{received_at} = strftime('%Y-%m-%dT%H:%M:%S+08:00', gmtime($now - rint(0, 86400 * 3) + 8 * 3600)) if chance(0.1);
	$r{complainant_type} = pick(qw(remedy venting explanation suggestion)) if chance(0.2);
	my $attrs = chance(0.35) ? attr_json() : undef;
	# history
	our $hist; $hist //= ($seed % 2) ? 0.15 : 0.35;
	if (chance($hist) && $r{received_at}) {
		my $rec = $r{received_at};
		my $st = pick(qw(assigned resolved closed rejected waiting));
		$r{status} = $st;
		my $t0 = $now - rint(0, 3) * 3600;
		$r{received_at} = iso($t0 - rint(2, 20) * 86400);
		$r{acknowledged_at} = iso($t0 - rint(1, 2) * 86400) if chance(0.7);
		if ($st eq 'resolved' || $st eq 'closed') {
			$r{resolution} = {type => pick(@restypes)};
			$r{resolution}{resolved_at} = iso($t0 - 3600) if chance(0.7);
			$r{resolution}{amount} = pick(100, 0.1, 0.2, 12.5, 999.99, 1000, '__NUM_0.30000000000000004__', 33.335, '__NUM_1.10000000000000009__') if chance(0.4);
			$r{closed_at} = iso($t0) if $st eq 'closed' && chance(0.6);
			$r{satisfaction} = rint(1, 5) if chance(0.3);
		}
		if ($st eq 'rejected') {
			$r{resolution} = {note => 'not valid'} if chance(0.5);
			$r{rejection_reason} = 'out of warranty' if chance(0.5);
		}
		if ($st eq 'waiting') { $r{waiting_since} = iso($t0 - 3600) if chance(0.6); $r{wait_reason} = 'photos' }
		$r{department} = pick(@depts) if chance(0.5);
		$r{owner} = pick(@people) if chance(0.3);
		$r{followups} = [{due_at => iso($t0 + 86400), done_at => undef}] if chance(0.2);
		$r{followups} = [{due_at => iso($t0 - 7200), done_at => iso($t0 - 3600), satisfaction => rint(1, 5), channel => 'phone', outcome => 'called'}] if chance(0.15) && $st =~ /resolved|closed/;
		$r{replied_at} = iso($t0 - 86400) if chance(0.3) && $r{acknowledged_at};
		if ($st eq 'closed' && chance(0.15) && @ids) { delete $r{resolution}; delete $r{satisfaction}; $r{duplicate_of} = pick(@ids) }
		$r{escalation} = 1 if chance(0.1);
	}
	my $j = jstr(\%r);
	$j =~ s/"__NUM_(.*?)__"/$1/g;
	if ($attrs) { $j =~ s/\}$/,"attrs":$attrs}/ }
	# defects
	my $d = rand();
	if ($d < 0.03) { $j =~ s/\}$/,"colour":"red"}/ }
	elsif ($d < 0.05) { $j = substr($j, 0, length($j) - 3) }
	elsif ($d < 0.07) { $j =~ s/"customer":\{/"customer":{"phone":13800138000,/ }
	elsif ($d < 0.09) { $j =~ s/\}$/,"severity":"apocalyptic"}/ unless $r{severity} }
	elsif ($d < 0.10) { $j = '{"summary":"x"}' }
	elsif ($d < 0.11) { $j =~ s/\}$/,"customer":{"name":"dup"}}/ }
	elsif ($d < 0.12) { $j = "\xff\xfe" . $j }
	return $j;
}

# ---------------------------------------------------------------- operations
sub op_add_single {
	my @a = ('cmp-add', '--db', '@DB');
	my $c = a_customer();
	push @a, '--customer', $c->{name} if $c->{name};
	push @a, '--phone', $c->{phone} if $c->{phone};
	push @a, '--email', $c->{email} if $c->{email};
	push @a, '--tier', $c->{tier} if $c->{tier};
	push @a, '-m', any_text() if chance(0.9);
	push @a, '--description', any_text() if chance(0.4);
	push @a, '--channel', pick(@channels, 'pigeon') if chance(0.5);
	push @a, '--product', pick(@products) if chance(0.4);
	push @a, '--category', pick(@categories) if chance(0.3);
	push @a, '--severity', pick(@severities) if chance(0.3);
	push @a, '--remedy', pick(@remedies) if chance(0.2);
	push @a, '--tag', pick(@tags) if chance(0.3);
	push @a, '--ref', (chance(0.3) && @refs ? pick(@refs) : 'S-' . rint(1, 300)) if chance(0.3);
	push @a, '--received', rel_time() if chance(0.3);
	push @a, '--note', any_text() if chance(0.1);
	push @a, '--dry-run' if chance(0.05);
	op(\@a);
}

sub op_add_bulk {
	my @a = ('cmp-add', '--db', '@DB');
	my $n = rint(1, 8);
	my @recs = map { a_record() } 1 .. $n;
	my $in;
	if (chance(0.2)) { $in = '[' . join(",\n", @recs) . "]\n" }
	else { $in = join("\n", @recs) . "\n" }
	push @a, '--atomic' if chance(0.1);
	push @a, '--update' if chance(0.2);
	push @a, '--dry-run' if chance(0.05);
	push @a, '--note', 'import' if chance(0.1);
	push @a, '--channel', pick(@channels) if chance(0.1);
	op(\@a, $in);
}

sub csvq { my ($s) = @_; return $s unless $s =~ /[",\r\n]/; $s =~ s/"/""/g; "\"$s\"" }
sub op_add_csv {
	my @cols = ('summary', 'customer.name', 'customer.phone', 'customer.email', 'severity',
		    'product.quantity', 'tags', 'attrs.order', 'description', 'ref', 'channel', 'received_at',
		    'resolution.amount');
	my @h = ('summary', 'customer.name', grep { chance(0.4) } @cols[2 .. $#cols]);
	my $eol = chance(0.5) ? "\r\n" : "\n";
	my $csv = join(',', @h) . $eol;
	for (1 .. rint(1, 5)) {
		my $c = a_customer();
		my %v = (summary => any_text(), 'customer.name' => $c->{name} // 'anon',
			 'customer.phone' => $c->{phone} // '', 'customer.email' => $c->{email} // '',
			 severity => chance(0.9) ? pick(@severities) : 'apocalyptic',
			 'product.quantity' => pick('', 1, 2, 'two'), tags => pick('', 'vip', 'vip, repeat', 'a,b'),
			 'attrs.order' => pick('A-1', '', '7', 'x"y'), description => any_text(),
			 ref => 'C-' . rint(1, 100), channel => pick(@channels), received_at => iso($now - rint(0, 86400 * 5)),
			 'resolution.amount' => '');
		$csv .= join(',', map { csvq($v{$_}) } @h) . $eol;
	}
	op(['cmp-add', '--db', '@DB', '--input-format', 'csv', (chance(0.2) ? ('--update') : ())], $csv);
}

sub op_add_map {
	my $map = "$dir/map.yaml";
	unless (-e $map) {
		open(my $h, '>', $map) or die;
		print $h "fields:\n  ref: {template: \"M-{Ticket}\"}\n  received_at: {column: Opened, time_format: \"%m/%d/%Y %H:%M\"}\n  summary: Subject\n  customer.name: Who\n  customer.phone: Phone\n  channel: {column: Via, values: {Phone: phone, Mail: email}, otherwise: other}\n  category: {value: service}\n  attrs.team: Team\n";
		close $h;
	}
	my $csv = "Ticket,Opened,Subject,Who,Phone,Via,Team\n";
	for (1 .. rint(1, 4)) {
		my $c = a_customer();
		$csv .= join(',', rint(1, 60), strftime('%m/%d/%Y %H:%M', gmtime($now + 8 * 3600 - rint(0, 5 * 86400))),
			csvq(any_text()), csvq($c->{name} // 'anon'), csvq($c->{phone} // ''), pick('Phone', 'Mail', 'Fax'), pick('B', 'C', '7')) . "\n";
	}
	op(['cmp-add', '--db', '@DB', '--map', $map, (chance(0.3) ? '--update' : ())], $csv);
}

sub op_assign {
	my @a = ('cmp-assign', '--db', '@DB');
	my $r = rand();
	my @ids = (ids_with('new', 'assigned', 'waiting'));
	if ($r < 0.25) { push @a, '--dept', pick(@depts, 'nowhere') }
	elsif ($r < 0.45) { push @a, '--to', pick(@people) }
	elsif ($r < 0.55) { push @a, '--to', pick(@people), '--dept', pick(@depts); push @a, '--force', '--note', 'lent' if chance(0.3) }
	elsif ($r < 0.65) { push @a, '--ack' }
	elsif ($r < 0.75) { push @a, '--escalate' }
	elsif ($r < 0.85) { push @a, '--auto' }
	else { push @a, '--auto-escalate'; @ids = () if chance(0.7) }
	push @ids, an_id() if chance(0.3);
	push @a, '--note', any_text() if chance(0.1);
	push @a, '--dry-run' if chance(0.05);
	if (@ids && chance(0.2)) { op(\@a, join("\n", @ids) . "\n") } else { op([@a, @ids]) }
}

my @settable = ('ref', 'received_at', 'channel', 'customer.name', 'customer.contact', 'customer.phone',
	'customer.email', 'customer.address', 'customer.tier', 'customer.id', 'product.name', 'product.model',
	'product.serial', 'product.batch', 'product.quantity', 'product.produced_on', 'product.delivered_on',
	'product.failed_on', 'category', 'severity', 'summary', 'description', 'requested_remedy',
	'complainant_type', 'root_cause', 'attrs.crm', 'attrs.code', 'status', 'owner', 'nosuch');
sub set_value {
	my ($f) = @_;
	return '' if chance(0.1) && !($avoid =~ /ref/ && $f =~ /^(received_at|summary)$/);
	return pick(@channels) if $f eq 'channel';
	return pick(@tiers, 'gold') if $f eq 'customer.tier';
	return pick(@categories) if $f eq 'category';
	return pick(@severities) if $f eq 'severity';
	return pick(@remedies) if $f eq 'requested_remedy';
	return pick(qw(remedy venting explanation)) if $f eq 'complainant_type';
	return pick(1, 3, 'x', 0) if $f eq 'product.quantity';
	return pick(strftime('%Y-%m-%d', gmtime($now - rint(0, 900) * 86400)), 'yesterday', '2026-02-30') if $f =~ /_on$/;
	return rel_time() if $f eq 'received_at';
	return pick(a_customer()->{phone} // '13800138000') if $f eq 'customer.phone';
	return pick('a@b.cn', 'Li.Na@Example.CN', 'bad-email') if $f eq 'customer.email';
	our $uref; return 'U-' . (++$uref) . "-$seed" if $f eq 'ref' && $avoid =~ /ref/;
	return 'U-' . rint(1, 50) if $f eq 'ref';
	return pick('7', 'T-88213', '007') if $f =~ /^attrs/;
	return any_text();
}
sub op_update {
	my @a = ('cmp-update', '--db', '@DB');
	my $did = 0;
	for (1 .. rint(0, 3)) { my $f = pick(@settable); push @a, '--set', "$f=" . set_value($f); $did++ }
	if (chance(0.25)) { push @a, '--tag', pick(@tags, 'a,b', ''); $did++ }
	if (chance(0.15)) { push @a, '--untag', pick(@tags); $did++ }
	if (chance(0.15)) { push @a, '--root-cause', pick('gasket batch 2026-09-B', '包装', 'Operator error', any_text(), ($avoid =~ /long/ ? () : (long_text()))); $did++ }
	my @ids;
	if (chance(0.2)) { push @a, '--wait', pick('photos', '等待客户资料'); @ids = (ids_with('assigned')) }
	elsif (chance(0.2)) { push @a, '--resume'; @ids = (ids_with('waiting')) }
	elsif (!$did || chance(0.2)) { push @a, '--note', any_text() }
	@ids = some_ids() unless @ids;
	@ids = ($ids[0]) if $avoid =~ /ref/ && grep { /^ref=/ } @a;
	push @a, '--dry-run' if chance(0.05);
	op([@a, @ids]);
}

sub op_close {
	my @a = ('cmp-close', '--db', '@DB');
	my $r = rand();
	my @ids;
	if ($r < 0.35) {
		push @a, '--resolve', pick(@restypes, @restypes, 'magic');
		if (chance(0.5)) {
			push @a, '--amount', pick(100, '0.1', '0.2', '0.3', '12.5', '999.99', '1000', '1500', '-1', 'abc', '1e3', '0.125', '33.335');
			push @a, '--currency', pick('CNY', 'USD', 'eur') if chance(0.3);
			push @a, '--approved-by', pick('chen.manager', 'ceo') if chance(0.4);
		}
		push @a, '--note', any_text() if chance(0.3);
		@ids = (ids_with('assigned'));
	} elsif ($r < 0.55) {
		push @a, '--close';
		push @a, '--force', '--note', 'unreachable' if chance(0.4);
		@ids = (ids_with('resolved', 'rejected'));
	} elsif ($r < 0.7) {
		push @a, '--reject', pick('not valid', 'out of warranty', '重复投诉');
		@ids = (ids_with('new', 'assigned', 'waiting'));
	} elsif ($r < 0.85) {
		push @a, '--reopen', pick('leak again', '客户不满意');
		@ids = (ids_with('resolved', 'closed', 'rejected'));
	} else {
		push @a, '--duplicate-of', an_id();
		@ids = (ids_with('new', 'assigned', 'waiting', 'rejected'));
	}
	push @ids, an_id() if chance(0.2);
	push @a, '--dry-run' if chance(0.05);
	op([@a, @ids]);
}

sub op_followup {
	my @a = ('cmp-followup', '--db', '@DB');
	my $r = rand();
	if ($r < 0.2) { push @a, '--in', pick('90m', '4h', '1d', '2w', '3d', 'soon', '0m') }
	elsif ($r < 0.35) { push @a, '--at', any_when() }
	elsif ($r < 0.55) { push @a, '--log', any_text(); push @a, '--channel', pick(@channels, 'pigeon') if chance(0.3) }
	elsif ($r < 0.85) { push @a, '--done'; push @a, '--satisfaction', pick(1, 2, 3, 4, 5, 5, 4, 0, 6) if chance(0.8); push @a, '--note', any_text() if chance(0.2) }
	else { push @a, '--due'; push @a, any_when() if chance(0.6); op(\@a); return }
	push @a, '--dry-run' if chance(0.05);
	my @ids = ($r >= 0.55 && $r < 0.85) ? (ids_with('resolved', 'closed', 'assigned')) : some_ids();
	op([@a, @ids]);
}

# ---------------------------------------------------------------- queries
my @list_fields = ('id', 'status', 'summary', 'customer', 'customer.name', 'customer.phone', 'due', 'resolution',
	'tags', 'attrs', 'attrs.code', 'attrs.weight', 'attrs.n', 'attrs.k', 'product', 'received_at', 'owner',
	'description', 'satisfaction', 'followups', 'escalation', 'reopened', 'possible_duplicate_of');
my @sort_fields = ('id', 'received_at', 'due.resolve', 'customer.name', 'summary', 'description', 'severity',
	'status', 'resolution.amount', 'satisfaction', 'owner', 'updated_at', 'attrs', 'tags', 'customer.phone',
	'product.quantity', 'ref', 'due.ack', 'category', 'root_cause');
sub text_query {
	my $q;
	do { $q = text_query1() } while ($avoid =~ /fold/ && has_nonascii_case($q));
	return $q;
}
sub text_query1 {
	my $r = rand();
	if ($r < 0.4) {
		# a substring of a Chinese word of 1, 2 or 3+ characters
		my $w = pick(@cn_words) . pick(@cn_words);
		my @ch = split //, do { my $x = $w; utf8::decode($x); $x };
		my $len = pick(1, 2, 3, 4);
		$len = @ch if $len > @ch;
		my $st = rint(0, @ch - $len);
		my $s = join('', @ch[$st .. $st + $len - 1]);
		utf8::encode($s);
		return $s;
	}
	if ($r < 0.8) {
		my $w = pick(@lat_words);
		my $x = $w; utf8::decode($x);
		my $v = rand();
		$x = $v < 0.3 ? lc($x) : $v < 0.6 ? uc($x) : $x;
		if (chance(0.4) && length($x) > 1) { my $l = rint(1, length($x)); $x = substr($x, rint(0, length($x) - $l), $l) }
		utf8::encode($x);
		return $x;
	}
	return pick('"condenser inlet" leak', 'leak 漏水', '"at the"', 'é', 'É', 'ü', 'Ü', 'ẞ', 'SS', 'σ', 'Σ', 'ı', 'İ', 'ǅ', 'ǆ',
		'ａ', 'Ａ', '%', '_', '\\', 'a_b', '100%', 'k', 'K', "\"O'Brien\"", 'CAFÉ', 'café', 'STRASSE', 'straße');
}
my @where_exprs = (
	'severity >= high', 'status = new', 'status != closed', 'customer.name ~ li', 'customer.name ~ É',
	'summary ~ leak', 'summary ~ é', 'summary ~ É', 'summary ~ café', 'summary ~ CAFÉ', 'description ~ müller',
	'description ~ Ü', 'summary ~ 漏', 'tags = vip', 'tags ~ ip', 'tags != vip', 'tags is null',
	'attrs.code = 7', "attrs.code = '7'", 'attrs.code ~ 0', 'attrs.weight > 2.5', 'attrs.n > 9007199254740992',
	'attrs.n = 9007199254740993', 'attrs.n >= 1e20', 'attrs.k < 1', 'attrs.code is null', 'attrs is null',
	'attrs.n ~ 563', 'attrs.n ~ e', 'attrs.k = true', 'attrs.code in 7,007', 'attrs.code not in 7',
	'resolution.amount > 500', 'resolution.amount = 0.3', 'resolution.amount >= 0.1', 'product.quantity > 1',
	'received_at >= -7d', 'due.resolve < now', 'out_of_warranty = true', 'customer.phone ~ 138',
	'summary < M', 'summary >= 冷', 'customer.name > Z', 'owner is not null', 'escalation > 0',
	'satisfaction >= 4', 'reopened > 0', 'product.failed_on >= 2026-01-01', 'root_cause ~ GASKET',
	"customer.name = 'O''Brien, Pat'", 'nosuch = 1', 'status == new', 'severity >= urgent',
	'attrs.weight ~ .5', 'attrs.k ~ x', 'attrs.k = 1', 'attrs.crm ~ t-');
my %wtypes = (
	'received_at' => 'time', 'due.ack' => 'time', 'due.reply' => 'time', 'due.resolve' => 'time',
	'acknowledged_at' => 'time', 'replied_at' => 'time', 'updated_at' => 'time', 'created_at' => 'time',
	'resolution.resolved_at' => 'time', 'closed_at' => 'time', 'rejected_at' => 'time', 'waiting_since' => 'time',
	'product.failed_on' => 'date', 'product.delivered_on' => 'date', 'product.produced_on' => 'date',
	'id' => 'num', 'product.quantity' => 'num', 'escalation' => 'num', 'satisfaction' => 'num', 'reopened' => 'num',
	'resolution.amount' => 'money', 'possible_duplicate_of' => 'num', 'duplicate_of' => 'num',
	'out_of_warranty' => 'bool',
	'status' => 'enum:new,assigned,waiting,resolved,closed,rejected', 'severity' => 'enum:low,normal,high,critical',
	'category' => 'enum:product-quality,contract,delivery,service,billing,other', 'channel' => 'enum:phone,email,web,other,visit',
	'customer.tier' => 'enum:key,regular,new', 'department' => 'enum:quality,logistics,service',
	'requested_remedy' => 'enum:refund,exchange,none', 'resolution.type' => 'enum:refund,no-action,repair',
	'customer.name' => 'text', 'customer.phone' => 'text', 'customer.email' => 'text', 'owner' => 'text', 'ref' => 'text',
	'product.name' => 'text', 'root_cause' => 'text', 'resolution.note' => 'text', 'wait_reason' => 'text',
	'rejection_reason' => 'text', 'recorded_by' => 'text', 'resolution.currency' => 'text', 'customer.id' => 'text',
	'tags' => 'tags', 'attrs.code' => 'attr', 'attrs.weight' => 'attr', 'attrs.crm' => 'attr', 'attrs.k' => 'attr');
sub gen_where {
	my @f = sort keys %wtypes;
	my $f = pick(@f);
	my $t = $wtypes{$f};
	return "$f is " . pick('null', 'not null', 'NOT NULL') if chance(0.15);
	my ($op, $v);
	if ($t eq 'time') { $op = pick('<', '<=', '>', '>=', '=', '!='); $v = pick('-7d', 'today', 'now', '-2h', iso($now - rint(0, 40) * 86400), iso_local($now - rint(0, 20) * 86400)) }
	elsif ($t eq 'date') { $op = pick('<', '>=', '='); $v = strftime('%Y-%m-%d', gmtime($now - rint(0, 900) * 86400)) }
	elsif ($t eq 'num') { $op = pick('<', '<=', '>', '>=', '=', '!=', 'in', 'not in'); $v = $op =~ /in/ ? join(',', rint(0, 5), rint(0, 30)) : pick(0, 1, 2, 3, 5, 10, 1.5) }
	elsif ($t eq 'money') { $op = pick('<', '>', '=', '>=', '!='); $v = pick(0, 0.1, 0.3, 100, 500, '1e3', 999.99) }
	elsif ($t eq 'bool') { $op = pick('=', '!='); $v = pick('true', 'false', 'yes', '0') }
	elsif ($t =~ /^enum:(.*)/) { my @e = split /,/, $1; $op = pick('=', '!=', '<', '>=', 'in', 'not in', '~'); $v = $op =~ /in/ ? join(',', pick(@e), pick(@e)) : pick(@e) }
	elsif ($t eq 'tags') { $op = pick('=', '!=', '~', 'in'); $v = pick(@tags[0..3], 'ip') }
	elsif ($t eq 'attr') { $op = pick('=', '!=', '<', '>', '~', 'in'); $v = pick(7, '7', "'7'", '007', 2.5, 'T-88213', 'x', 0, '1e3', 'true', 'A-1') }
	else { $op = pick('=', '!=', '<', '>', '~', 'in', 'not in'); $v = pick('li', 'Li Na', "'O''Brien, Pat'", 'diff', 'zhang.wei', 'CF-200', '138', 'A', 'z', '王先生', 'CNY', 'photos') }
	$op = uc($op) if $op =~ /in/ && chance(0.2);
	my $sp = chance(0.2) ? '' : ' ';
	$sp = ' ' if $op =~ /[a-z]/i;
	return "$f$sp$op$sp$v";
}
sub op_list {
	my @a = ('cmp-list', '--db', '@DB');
	push @a, '--status', join(',', map { pick(qw(new assigned waiting resolved closed rejected)) } 1 .. rint(1, 2)) if chance(0.2);
	push @a, '--category', pick(@categories) if chance(0.1);
	push @a, '--channel', pick(@channels) if chance(0.07);
	push @a, '--severity', join(',', pick(@severities), pick(@severities)) if chance(0.07);
	push @a, '--tier', pick(@tiers) if chance(0.05);
	push @a, '--owner', pick(@people) if chance(0.05);
	push @a, '--dept', pick(@depts) if chance(0.05);
	push @a, '--tag', pick(@tags) if chance(0.07);
	push @a, '--customer', customer_query() if chance(0.2);
	push @a, '--product', pick(@products) if chance(0.05);
	push @a, '--serial', pick('A1709', 'a1709') if chance(0.03);
	push @a, '--root-cause', pick('包装', 'gasket batch 2026-09-B') if chance(0.03);
	push @a, '--accountable', 'diff' if chance(0.02);
	push @a, '--reopened' if chance(0.04);
	push @a, '--duplicates-of', an_id() if chance(0.04);
	push @a, '--since', any_when() if chance(0.12);
	push @a, '--until', any_when() if chance(0.08);
	push @a, '--overdue' if chance(0.08);
	push @a, '--due-before', any_when() if chance(0.05);
	push @a, '--id', an_id() if chance(0.05);
	push @a, '--ref', (@refs ? pick(@refs) : 'R-1') if chance(0.04);
	if (chance(0.35)) { my $t = text_query(); $t .= ' ' . text_query() if chance(0.3); push @a, '--text', $t }
	for (1 .. (chance(0.3) ? rint(1, 2) : 0)) { push @a, '--where', gen_where() }
	for (1 .. (chance(0.15) ? rint(1, 2) : 0)) { my $w; do { $w = pick(@where_exprs) } while ($avoid =~ /fold/ && $w =~ /^(summary|description)/ && has_nonascii_case($w)); push @a, '--where', $w }
	push @a, '--sort', (chance(0.3) ? '-' : '') . pick(@sort_fields) if chance(0.3);
	push @a, '--limit', rint(0, 5) if chance(0.15);
	push @a, '--fields', join(',', map { pick(@list_fields) } 1 .. rint(1, 4)) if chance(0.3);
	push @a, '--format', pick(qw(ndjson json csv tsv table table)) if chance(0.6);
	push @a, '--redact' if chance(0.1);
	op(\@a);
}
sub op_show {
	my @a = ('cmp-show', '--db', '@DB');
	push @a, '--format', pick(qw(json text text)) if chance(0.7);
	push @a, '--redact' if chance(0.15);
	my @ids = some_ids();
	if (chance(0.2)) { op(\@a, join("\n", @ids) . "\n") } else { op([@a, @ids]) }
}
my @by = ('category', 'channel', 'customer.tier', 'owner', 'status', 'tags', 'attrs.code', 'attrs.n', 'attrs.k',
	'attrs.weight', 'month', 'week', 'day', 'hour', 'year', 'category,month', 'severity,week', 'customer.name',
	'customer.phone', 'product.name', 'resolution.amount', 'department,tags', 'nosuch', 'attrs.code,day', 'summary');
sub op_report {
	my @a = ('cmp-report', '--db', '@DB');
	my $r = rand();
	my $lt = $now + 8 * 3600;
	if ($r < 0.45) {
		push @a, '--period', pick('today', 'yesterday', 'this-week', 'last-week', 'this-month', 'last-month', 'this-year',
			strftime('%Y-%m', gmtime($lt - rint(0, 2) * 28 * 86400)), strftime('%Y', gmtime($lt)),
			strftime('%Y-%m-%d', gmtime($lt - rint(0, 20) * 86400)), 'someday');
	} elsif ($r < 0.75) {
		push @a, '--since', pick(iso_local($now - rint(1, 60) * 86400), '-7d', '-30d', strftime('%Y-%m-%d', gmtime($lt - rint(1, 60) * 86400)), iso($now - rint(1, 40) * 86400));
		push @a, '--until', pick(iso_local($now - rint(0, 5) * 86400), 'now', 'tomorrow', iso($now + 86400)) if chance(0.6);
	}
	push @a, '--as-of', pick('-1d', '-3h', iso($now - rint(0, 10) * 86400)) if chance(0.15);
	if (chance(0.25)) { my $b; do { $b = pick(@by) } while ($avoid =~ /byorder/ && $b =~ /phone/); push @a, '--by', $b }
	push @a, '--format', pick(qw(json table csv markdown html)) if chance(0.8);
	push @a, '--redact' if chance(0.1);
	push @a, '--overdue', pick(0, 1, 3) if chance(0.1);
	push @a, '--fail-on-alert' if chance(0.1);
	op(\@a);
}

sub op_misc {
	my $p = pick(qw(cmp-add cmp-assign cmp-update cmp-close cmp-followup cmp-list cmp-show cmp-report));
	my $r = rand();
	if ($r < 0.2) { op([$p, '--help']) }
	elsif ($r < 0.3) { op([$p, '--version']) }
	elsif ($r < 0.4) { op([$p, '--db', '@DB', '--bogus']) }
	elsif ($r < 0.6) { op(['cmp-show', '--db', '@DB', pick('99999999999999999999', '9223372036854775807', '-1', '0', '1x', '')]) }
	elsif ($r < 0.7) { op(['cmp-list', '--db', '@DB', '--id', pick('9223372036854775807', '99999999999999999999', '1'), '--limit', pick('99999999999999999999', '1', '-1', 'x')]) }
	elsif ($r < 0.8) { op(['cmp-close', '--db', '@DB', '--duplicate-of', pick('9223372036854775807', '0', '1'), an_id()]) }
	else {
		# replay an earlier ref with changes, --update
		return unless @refs;
		my $ref = pick(@refs);
		my %r = (ref => $ref, summary => any_text(), customer => a_customer());
		$r{severity} = pick(@severities) if chance(0.5);
		$r{updated_at} = iso($now - rint(-3600, 86400 * 3)) if chance(0.5);
		op(['cmp-add', '--db', '@DB', (chance(0.7) ? '--update' : ())], jstr(\%r) . "\n");
	}
}

sub queries {
	op_list() for 1 .. rint(2, 5);
	op_show() for 1 .. rint(1, 2);
	op_report() for 1 .. rint(1, 3);
	op(['cmp-followup', '--db', '@DB', '--due', (chance(0.5) ? any_when() : ())]) if chance(0.5);
}

sub advance {
	my $r = rand();
	my $d = $r < 0.4 ? rint(1, 90) * 60 : $r < 0.7 ? rint(1, 24) * 3600 : $r < 0.9 ? rint(1, 7) * 86400 : rint(7, 35) * 86400;
	$now += $d;
}

# ---------------------------------------------------------------- replay
if ($replay) {
	open(my $h, '<', $replay) or die;
	while (my $l = <$h>) {
		my $o = JSON::PP->new->decode($l);
		my $t = $o->{now};
		my ($Y, $M, $D, $hh, $mm, $ss) = $t =~ /^(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)Z$/;
		$now = timegm($ss, $mm, $hh, $D, $M - 1, $Y);
		my $stdin = $o->{stdin};
		utf8::downgrade($stdin) or die;
		my @argv = map { my $x = $_; utf8::downgrade($x) or die; $x } @{$o->{argv}};
		op(\@argv, $stdin);
	}
	finish();
}

# ---------------------------------------------------------------- main
$now = timegm(0, 0, 0, 1, 0, 2026) + rint(0, 330) * 86400 + rint(0, 86399);
for my $i (1 .. $nops) {
	my $r = rand();
	if ($i < 8 || $r < 0.16) { chance(0.5) ? op_add_single() : op_add_bulk() }
	elsif ($r < 0.18) { op_add_csv() }
	elsif ($r < 0.20) { op_add_map() }
	elsif ($r < 0.32) { op_assign() }
	elsif ($r < 0.42) { op_update() }
	elsif ($r < 0.54) { op_close() }
	elsif ($r < 0.66) { op_followup() }
	elsif ($r < 0.80) { op_list() }
	elsif ($r < 0.86) { op_show() }
	elsif ($r < 0.91) { op_report() }
	elsif ($r < 0.93) { op_misc() }
	else { queries() }
	advance() if chance(0.6);
}
queries() for 1 .. 3;
finish();
