#!/bin/sh
# daily-report.sh - yesterday's complaint report as one HTML page, for cron.
#
#   daily-report.sh [DIR]
#
# Writes DIR/complaints-PERIOD.html (PERIOD as cmp-report names it,
# e.g. 2026-11-19) and, when $REPORT_MAILTO is set and sendmail(8)
# exists, mails the page to it.  DIR: the argument, else $CMP_REPORT_DIR,
# else $XDG_DATA_HOME/complaint/reports (~/.local/share/complaint/reports),
# created when missing.  First it removes the reports (complaints-*.html)
# and escalation logs (escalated-*.ndjson, see the crontab) in DIR older
# than $CMP_REPORT_KEEP_DAYS days (default 90; 0 keeps everything).
# Quiet when all is calm.  When a category is above its control limit
# it says so on stderr (cron mails that) and exits 1; another failure
# exits with cmp-report's status (see cmp-report(1)).
#
# Environment: REPORT_PERIOD (default yesterday: any cmp-report
# --period), REPORT_MAILTO (addresses, comma separated), REPORT_REDACT=1
# (mask personal data), CMP_REPORT_DIR, CMP_REPORT_KEEP_DAYS, and
# cmp-report's own CMP_DB, CMP_CONFIG, CMP_NOW.
#
# A crontab line: every morning at 06:15, kept and mailed:
#
#   15 6 * * * REPORT_MAILTO=quality@example.cn /usr/local/share/complaint/examples/daily-report.sh /var/lib/complaint/reports
set -u

prog=daily-report.sh
period=${REPORT_PERIOD:-yesterday}
dir=${1:-${CMP_REPORT_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/complaint/reports}}
keep=${CMP_REPORT_KEEP_DAYS:-90}

case $keep in
''|*[!0-9]*)
	echo "$prog: CMP_REPORT_KEEP_DAYS: '$keep' is not a number of days" >&2
	exit 78 ;;
esac
if ! mkdir -p "$dir" 2>/dev/null || [ ! -d "$dir" ]; then
	echo "$prog: cannot create directory '$dir'" >&2
	exit 73
fi
# Older than keep days by the files' times (find counts whole days).
if [ "$keep" != 0 ]; then
	find "$dir" -maxdepth 1 -type f \( -name 'complaints-*.html' -o \
		-name 'escalated-*.ndjson' \) -mtime +"$keep" -exec rm -f {} + ||
		exit 74
fi
redact=
[ "${REPORT_REDACT:-0}" = 1 ] && redact=--redact

# Write beside the final name, then rename: a reader never sees half.
tmp=$(mktemp "$dir/.complaints.XXXXXX") || exit 73
trap 'rm -f "$tmp"' EXIT
cmp-report --period "$period" --format html --fail-on-alert $redact >"$tmp"
status=$?
case $status in
0|1) ;;
*) exit $status ;;
esac

name=$(sed -n 's|^<title>Complaints: \(.*\)</title>$|\1|p' "$tmp" | head -n 1)
out=$dir/complaints-${name:-$period}.html
chmod 0640 "$tmp" && mv "$tmp" "$out" || exit 74
trap - EXIT

subject="complaints $name"
if [ $status = 1 ]; then
	subject="ALERT: $subject"
	# The banner lines of the page, as text.
	sed -n 's|^<div class="alert-banner">\(.*\)</div>$|\1|p' "$out" |
		sed -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&quot;/"/g' \
		    -e "s/&#39;/'/g" -e 's/&amp;/\&/g' -e "s|^|$prog: |" >&2
	echo "$prog: report: $out" >&2
fi

if [ -n "${REPORT_MAILTO:-}" ]; then
	sendmail=$(command -v sendmail 2>/dev/null)
	for s in /usr/sbin/sendmail /usr/lib/sendmail; do
		[ -n "$sendmail" ] && break
		[ -x "$s" ] && sendmail=$s
	done
	if [ -z "$sendmail" ]; then
		echo "$prog: no sendmail: $out not mailed" >&2
	else
		{
			printf 'To: %s\n' "$REPORT_MAILTO"
			printf 'Subject: %s\n' "$subject"
			printf 'MIME-Version: 1.0\n'
			printf 'Content-Type: text/html; charset=utf-8\n'
			printf 'Content-Transfer-Encoding: 8bit\n\n'
			cat "$out"
		} | "$sendmail" -oi -t || {
			echo "$prog: sendmail failed: $out not mailed" >&2
			exit 75
		}
	fi
fi
exit $status
