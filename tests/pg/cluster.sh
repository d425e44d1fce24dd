#!/bin/sh
# tests/pg/cluster.sh - a throwaway PostgreSQL cluster for the tests.
#
#   tests/pg/cluster.sh start DIR   initdb in DIR (made if need be), start
#                                   the server on a Unix socket in DIR only,
#                                   create the template database cmp_template
#                                   (pg_trgm in it); print DIR
#   tests/pg/cluster.sh stop DIR    stop it and remove DIR
#   tests/pg/cluster.sh halt DIR    stop it at once, as a crash would
#   tests/pg/cluster.sh resume DIR  start it again after a halt
#
# The server runs as a user other than root (initdb refuses root): as
# ourselves when we are not root, else as `nobody`.  The superuser of the
# cluster is `cmp`, trusted on the socket; nothing listens on TCP.
# Where no server binaries are installed (/usr/lib/postgresql/*/bin),
# start prints why on stderr and exits 77 (skip).
set -eu

bindir=
for d in /usr/lib/postgresql/*/bin; do
	[ -x "$d/initdb" ] && bindir=$d
done

usage() {
	echo "usage: tests/pg/cluster.sh start|stop|halt|resume DIR" >&2
	exit 64
}
[ $# = 2 ] || usage
dir=$2

as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u nobody -- "$@"
	else
		"$@"
	fi
}

case $1 in
start)
	if [ -z "$bindir" ]; then
		echo "cluster.sh: no PostgreSQL server installed" \
		     "(/usr/lib/postgresql/*/bin/initdb): .ci/setup --pg" >&2
		exit 77
	fi
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	[ "$(id -u)" = 0 ] && chown nobody "$dir" && chmod 700 "$dir"
	as_owner "$bindir/initdb" -D "$dir/data" -U cmp -A trust -E UTF8 \
		--locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		exit 1
	}
	cat >>"$dir/data/postgresql.conf" <<-EOF
	listen_addresses = ''
	unix_socket_directories = '$dir'
	fsync = off
	synchronous_commit = off
	full_page_writes = off
	max_connections = 100
	EOF
	as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
		start >/dev/null || {
		cat "$dir/server.log" >&2
		exit 1
	}
	"$bindir/psql" -X -q -h "$dir" -U cmp -d postgres -v ON_ERROR_STOP=1 \
		-c "CREATE DATABASE cmp_template" >/dev/null
	"$bindir/psql" -X -q -h "$dir" -U cmp -d cmp_template \
		-v ON_ERROR_STOP=1 -c "CREATE EXTENSION pg_trgm" >/dev/null
	echo "$dir"
	;;
halt)
	as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w \
		stop >/dev/null
	;;
resume)
	as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
		start >/dev/null
	;;
stop)
	if [ -n "$bindir" ] && [ -d "$dir/data" ]; then
		as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w \
			stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	;;
*)
	usage
	;;
esac
