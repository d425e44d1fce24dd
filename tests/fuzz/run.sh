#!/bin/sh
# tests/fuzz/run.sh SECONDS FUZZER... - run each libFuzzer target for
# SECONDS on a corpus seeded, at run time, from the tests and from
# ../shared/data (never committed).  A crash fails the run and leaves its
# input in build-fuzz/crashes/.
set -u
secs=$1; shift
top=$(cd "$(dirname "$0")/../.." && pwd)
data=${CMP_DATA:-$top/../shared/data}
work=$top/build-fuzz
mkdir -p "$work/crashes"
failed=0

seed() {
	corpus=$1; shift
	mkdir -p "$corpus"
	for f in "$@"; do
		[ -f "$f" ] && cp "$f" "$corpus/$(echo "$f" | cksum | cut -d' ' -f1)" 2>/dev/null
	done
	return 0
}

# Words of complaint.yaml(5) and of map files, for the YAML fuzzers.
yaml_dict() {
	for w in timezone currency channels categories severities tiers \
		 remedies resolution_types complainant_types statuses \
		 departments label members ladder defaults channel severity \
		 tier sla calendar default days hours holidays zone ack reply \
		 resolve 24x7 rules when then stop keywords category \
		 department owner tags approval threshold warranty months \
		 followup after_resolve satisfied_at max escalation \
		 after_overdue duplicates window report baseline sigma redact \
		 fields delimiter name column template value values otherwise \
		 time_format attrs. customer.tier product.model received_at \
		 summary Asia/Shanghai America/New_York UTC mon sat \
		 09:00-18:00 00:00-24:00 2026-10-01 4h 1d 2w 90m null true \
		 false none "{Id}" "{{" "}}" "[a-z]" ": " "- " "&a " "*a"; do
		printf '"%s"\n' "$w"
	done
	printf '"\\x0a  "\n'
}

for fuzzer in "$@"; do
	name=${fuzzer##*/}
	corpus=$work/corpus-$name
	opts=
	case $name in
	fuzz-json|fuzz-reader)
		seed "$corpus" "$data"/JSONTestSuite/test_parsing/*.json \
			"$top"/share/complaint/examples/*.ndjson ;;
	fuzz-csv)
		seed "$corpus" "$top"/tests/fuzz/seeds/*.csv
		[ -d "$data" ] && for f in "$data"/*/*.csv; do
			head -c 4096 "$f" >"$corpus/$(echo "$f" | cksum | cut -d' ' -f1)"
		done ;;
	fuzz-config|fuzz-map)
		# The built-in configuration, the sample maps, and every case
		# of the YAML test suite (sub-cases 2G84/00/ ... included).
		seed "$corpus" "$top"/share/complaint/config.yaml \
			"$top"/share/complaint/examples/*.yaml \
			"$data"/yaml-test-suite/data/*/in.yaml \
			"$data"/yaml-test-suite/data/*/*/in.yaml
		yaml_dict >"$work/yaml.dict"
		opts=-dict=$work/yaml.dict ;;
	fuzz-time)
		mkdir -p "$corpus"
		for s in 2026-11-20T01:15:00Z "2026-11-20 09:15" today +3d -2h 90m 1w \
			 2024-02-29 "2026-11-20T09:15:00.5+08:00" now yesterday \
			 tomorrow "2026-03-08 02:30" "2026-11-01 01:30" \
			 2016-12-31T23:59:60Z 9999-12-31T23:59:59-23:59 \
			 +1000000w -1000000w 0m 2026-02-29; do
			printf '%s' "$s" >"$corpus/$(printf '%s' "$s" | cksum | cut -d' ' -f1)"
		done ;;
	fuzz-set)
		mkdir -p "$corpus"
		for s in customer.phone=13800138000 severity=high product.quantity=2 \
			 received_at=yesterday tags=a,b attrs.x=1 resolution.amount=1e400; do
			printf '%s' "$s" >"$corpus/$(printf '%s' "$s" | cksum | cut -d' ' -f1)"
		done ;;
	fuzz-where)
		mkdir -p "$corpus"
		for s in "status = new" "severity>=high" "status not in closed,rejected" \
			 "owner is not null" "received_at > -2d" "attrs.weight > 2.5" \
			 "attrs.code in 7,'8'" "summary ~ 'it''s, \"x\"'" "tags = vip" \
			 "product.failed_on < today" "out_of_warranty = yes" \
			 "resolution.amount >= 1e3" "customer.name = null"; do
			printf '%s' "$s" >"$corpus/$(printf '%s' "$s" | cksum | cut -d' ' -f1)"
		done ;;
	*)
		mkdir -p "$corpus" ;;
	esac
	echo "== $name: $secs s"
	# $opts is one word or none.
	# shellcheck disable=SC2086
	if ! "$fuzzer" $opts -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$work/crashes/$name-" -print_final_stats=1 \
		"$corpus" 2>"$work/$name.log"; then
		echo "$name: FAILED (see $work/$name.log and $work/crashes/)"
		tail -40 "$work/$name.log"
		failed=1
	else
		grep -E 'stat::number_of_executed_units|Done [0-9]+ runs' "$work/$name.log" | tail -2
	fi
done
exit $failed
