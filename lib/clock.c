/*
 * clock.c - the clock, time zones, parsing and formatting of times and
 * durations.
 *
 * Times are int64 seconds since the epoch in UTC.  Local times go
 * through the C library's zone support: the TZ variable is set to the
 * zone asked for (and only changed when the zone changes), then
 * localtime_r/mktime do the work, daylight-saving rules included.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "complaint.h"
#include "clock.h"

static cmp_time frozen;		/* $CMP_NOW, 0 when the clock runs */

int
cmp_clock_init(struct cmp_error *e)
{
	const char *s = getenv("CMP_NOW");

	frozen = 0;
	if (!s || !*s)
		return 0;
	if (cmp_time_parse(s, NULL, (cmp_time)time(NULL), &frozen, e)) {
		cmp_error_set(e, CMP_EX_USAGE, "CMP_NOW",
			      "'%s' is not an RFC 3339 time", s);
		frozen = 0;
		return CMP_EX_USAGE;
	}
	return 0;
}

cmp_time
cmp_now(void)
{
	return frozen ? frozen : (cmp_time)time(NULL);
}

static int
is_utc(const char *zone)
{
	return !zone || !*zone || !strcmp(zone, "UTC") ||
	       !strcmp(zone, "Etc/UTC") || !strcmp(zone, "Z");
}

/* Point the C library at zone, unless it already is. */
static void
use_zone(const char *zone)
{
	static char *current;

	if (current && !strcmp(current, zone))
		return;
	free(current);
	current = cmp_xstrdup(zone);
	setenv("TZ", zone, 1);
	tzset();
}

void
cmp_localtime(cmp_time t, const char *zone, struct tm *tm)
{
	time_t tt = (time_t)t;

	if (is_utc(zone)) {
		gmtime_r(&tt, tm);
		return;
	}
	use_zone(zone);
	localtime_r(&tt, tm);
}

cmp_time
cmp_mktime(struct tm *tm, const char *zone)
{
	if (is_utc(zone))
		return (cmp_time)timegm(tm);
	use_zone(zone);
	tm->tm_isdst = -1;
	return (cmp_time)mktime(tm);
}

/* The seconds of 1000-01-01 and 10000-01-01: years of four digits. */
#define FOUR_DIGITS_FROM INT64_C(-30610224000)
#define FOUR_DIGITS_UNTIL INT64_C(253402300800)

/*
 * Every stored and printed time passes here (a record printed has a
 * dozen), and gmtime_r and strftime take the zone's lock and read the
 * locale each time: the four-digit years, all a store holds, are
 * written from civil days (Howard Hinnant's algorithm, the inverse of
 * row.c's), the rest as strftime writes them.
 */
char *
cmp_time_format(cmp_time t, char *buf)
{
	struct tm tm;
	time_t tt = (time_t)t;
	int64_t days, secs, era, doe, yoe, doy, mp, y, m, d;

	if (t < FOUR_DIGITS_FROM || t >= FOUR_DIGITS_UNTIL) {
		gmtime_r(&tt, &tm);
		strftime(buf, CMP_TIME_BUFSZ, "%Y-%m-%dT%H:%M:%SZ", &tm);
		return buf;
	}
	days = (t >= 0 ? t : t - 86399) / 86400;
	secs = t - days * 86400;
	days += 719468;
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y = yoe + era * 400 + (m <= 2);
#define PUT2(o, v) (buf[o] = (char)('0' + (v) / 10), \
		    buf[(o) + 1] = (char)('0' + (v) % 10))
	PUT2(0, y / 100);
	PUT2(2, y % 100);
	buf[4] = '-';
	PUT2(5, m);
	buf[7] = '-';
	PUT2(8, d);
	buf[10] = 'T';
	PUT2(11, secs / 3600);
	buf[13] = ':';
	PUT2(14, secs / 60 % 60);
	buf[16] = ':';
	PUT2(17, secs % 60);
#undef PUT2
	buf[19] = 'Z';
	buf[20] = '\0';
	return buf;
}

char *
cmp_date_format(cmp_time t, const char *zone, char *buf)
{
	struct tm tm;

	cmp_localtime(t, zone, &tm);
	strftime(buf, CMP_TIME_BUFSZ, "%Y-%m-%d", &tm);
	return buf;
}

static int
days_in_month(int y, int m)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				    30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : mdays[m - 1];
}

/* Exactly n digits at *p, as a number; advances *p.  -1 if not. */
static int
digits(const char **p, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + (*p)[i] - '0';
	}
	*p += n;
	return v;
}

/*
 * Parse the date and time forms.  Returns 1 when s is one of them, with
 * tm filled, *has_off set when an offset was given (then *off is its
 * seconds east of UTC).
 */
static int
parse_stamp(const char *s, struct tm *tm, int *has_off, long *off)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0;

	*has_off = 0;
	*off = 0;
	if ((y = digits(&p, 4)) < 1 || *p++ != '-' ||
	    (mo = digits(&p, 2)) < 1 || mo > 12 || *p++ != '-' ||
	    (d = digits(&p, 2)) < 1 || d > days_in_month(y, mo))
		return 0;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if ((h = digits(&p, 2)) < 0 || h > 23 || *p++ != ':' ||
		    (mi = digits(&p, 2)) < 0 || mi > 59)
			return 0;
		if (*p == ':') {
			p++;
			if ((sec = digits(&p, 2)) < 0 || sec > 60)
				return 0;
			if (sec == 60)	/* a leap second: the next moment */
				sec = 59;
			if (*p == '.' || *p == ',') {
				p++;
				if (!isdigit((unsigned char)*p))
					return 0;
				while (isdigit((unsigned char)*p))
					p++;
			}
		}
		if (*p == 'Z' || *p == 'z') {
			*has_off = 1;
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p++ == '-' ? -1 : 1;
			int oh, om;

			if ((oh = digits(&p, 2)) < 0 || oh > 23)
				return 0;
			if (*p == ':')
				p++;
			if ((om = digits(&p, 2)) < 0 || om > 59)
				return 0;
			*has_off = 1;
			*off = sign * (oh * 3600L + om * 60L);
		}
	}
	if (*p)
		return 0;
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = y - 1900;
	tm->tm_mon = mo - 1;
	tm->tm_mday = d;
	tm->tm_hour = h;
	tm->tm_min = mi;
	tm->tm_sec = sec;
	return 1;
}

/* Midnight (in zone) of the day days after the local date of now. */
static cmp_time
midnight(cmp_time now, int days, const char *zone)
{
	struct tm tm;

	cmp_localtime(now, zone, &tm);
	tm.tm_mday += days;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	return cmp_mktime(&tm, zone);
}

int
cmp_time_parse(const char *s, const char *zone, cmp_time now,
	       cmp_time *out, struct cmp_error *e)
{
	struct tm tm;
	int has_off;
	long off;

	if (!s || !*s)
		goto bad;
	if (!strcmp(s, "now")) {
		*out = now;
		return 0;
	}
	if (!strcmp(s, "today") || !strcmp(s, "yesterday") ||
	    !strcmp(s, "tomorrow")) {
		*out = midnight(now, s[0] == 'y' ? -1 : s[2] == 'm' ? 1 : 0,
				zone);
		return 0;
	}
	if (s[0] == '+' || s[0] == '-' || isdigit((unsigned char)s[0])) {
		struct cmp_duration d;
		struct cmp_error ignore;
		const char *body = s[0] == '+' || s[0] == '-' ? s + 1 : s;

		cmp_error_clear(&ignore);
		if (isdigit((unsigned char)body[0]) &&
		    !cmp_duration_parse(body, &d, &ignore)) {
			*out = cmp_time_add(now, &d, s[0] == '-' ? -1 : 1,
					    zone);
			return 0;
		}
	}
	if (parse_stamp(s, &tm, &has_off, &off)) {
		if (has_off)
			*out = (cmp_time)timegm(&tm) - off;
		else
			*out = cmp_mktime(&tm, zone);
		return 0;
	}
bad:
	return cmp_error_set(e, CMP_EX_DATAERR, NULL,
			     "'%s' is not a time (try 2026-11-20, "
			     "2026-11-20 14:30, 2026-11-20T06:30:00Z, "
			     "+3d or yesterday)", s ? s : "");
}

int
cmp_date_check(const char *s, struct cmp_error *e)
{
	const char *p = s;
	int y, m, d;

	if ((y = digits(&p, 4)) < 1 || *p++ != '-' ||
	    (m = digits(&p, 2)) < 1 || m > 12 || *p++ != '-' ||
	    (d = digits(&p, 2)) < 1 || d > days_in_month(y, m) || *p)
		return cmp_error_set(e, CMP_EX_DATAERR, NULL,
				     "'%s' is not a date (YYYY-MM-DD)", s);
	return 0;
}

int
cmp_zone_check(const char *zone, struct cmp_error *e)
{
	const char *dir = getenv("TZDIR");
	char *path, magic[4];
	int fd, ok = 0;

	if (is_utc(zone))
		return 0;
	/* A zone is a relative path under the zone directory, no more. */
	if (zone[0] == '/' || strstr(zone, "..") || strspn(zone,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789/_+-") != strlen(zone))
		goto bad;
	path = cmp_xasprintf("%s/%s", dir && *dir ? dir :
			     "/usr/share/zoneinfo", zone);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd >= 0) {
		ok = read(fd, magic, 4) == 4 && !memcmp(magic, "TZif", 4);
		close(fd);
	}
	if (ok)
		return 0;
bad:
	return cmp_error_set(e, CMP_EX_CONFIG, NULL,
			     "'%s' is not a time zone this machine knows "
			     "(an IANA name like Asia/Shanghai)", zone);
}

int
cmp_duration_parse(const char *s, struct cmp_duration *d,
		   struct cmp_error *e)
{
	const char *p = s;
	long n = 0;

	if (!s || !isdigit((unsigned char)*p))
		goto bad;
	while (isdigit((unsigned char)*p)) {
		n = n * 10 + (*p++ - '0');
		if (n > 1000000)
			goto bad;
	}
	if (!strchr("mhdw", *p) || !*p || p[1])
		goto bad;
	d->n = n;
	d->unit = *p;
	return 0;
bad:
	return cmp_error_set(e, CMP_EX_DATAERR, NULL,
			     "'%s' is not a duration (like 90m, 4h, 1d, 2w)",
			     s ? s : "");
}

char *
cmp_duration_format(const struct cmp_duration *d, char *buf)
{
	snprintf(buf, 24, "%ld%c", d->n, d->unit ? d->unit : 'm');
	return buf;
}

int64_t
cmp_duration_seconds(const struct cmp_duration *d)
{
	switch (d->unit) {
	case 'm': return (int64_t)d->n * 60;
	case 'h': return (int64_t)d->n * 3600;
	case 'd': return (int64_t)d->n * 86400;
	case 'w': return (int64_t)d->n * 604800;
	default: return 0;
	}
}

cmp_time
cmp_time_add(cmp_time t, const struct cmp_duration *d, int sign,
	     const char *zone)
{
	struct tm tm;

	if (d->unit != 'd' && d->unit != 'w')
		return t + sign * cmp_duration_seconds(d);
	cmp_localtime(t, zone, &tm);
	tm.tm_mday += sign * (int)d->n * (d->unit == 'w' ? 7 : 1);
	return cmp_mktime(&tm, zone);
}

char *
cmp_seconds_format(int64_t secs, char *buf)
{
	const char *sign = secs < 0 ? "-" : "";
	int64_t s = secs < 0 ? -secs : secs;
	int64_t d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60;

	if (d && h)
		snprintf(buf, 32, "%s%" PRId64 "d %" PRId64 "h", sign, d, h);
	else if (d)
		snprintf(buf, 32, "%s%" PRId64 "d", sign, d);
	else if (h && m)
		snprintf(buf, 32, "%s%" PRId64 "h %" PRId64 "m", sign, h, m);
	else if (h)
		snprintf(buf, 32, "%s%" PRId64 "h", sign, h);
	else if (m)
		snprintf(buf, 32, "%s%" PRId64 "m", sign, m);
	else
		snprintf(buf, 32, "%s%" PRId64 "s", sign, s % 60);
	return buf;
}
