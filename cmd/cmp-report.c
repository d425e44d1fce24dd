/*
 * cmp-report - the figures of a period: volumes, backlog, deadlines,
 * follow-up, money, Pareto, control-chart alerts; JSON, a table, CSV,
 * Markdown or one self-contained HTML page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static const char usage_text[] =
"usage: cmp-report [--period P | --since WHEN [--until WHEN]]\n"
"                  [--as-of WHEN] [--by FIELD[,FIELD]] [--overdue N]\n"
"                  [--redact]\n"
"                  [--format json|table|csv|markdown|html] [--fail-on-alert]\n"
"\n"
"The figures of a period, from the store: counts, breakdowns, deadlines,\n"
"what is overdue, follow-up, money, Pareto and control-chart alerts.\n"
"\n"
"      --period P           today, yesterday, this-week, last-week,\n"
"                           this-month (default), last-month, YYYY,\n"
"                           YYYY-MM or YYYY-MM-DD (in the configured zone)\n"
"      --since WHEN         the period begins (with --until; default now)\n"
"      --until WHEN         the period ends (not included)\n"
"      --as-of WHEN         the data as it stood then (from the journal)\n"
"      --by FIELD[,FIELD]   complaints received, grouped by fields; hour,\n"
"                           day, week, month, year, tags, attrs.KEY too\n"
"      --format F           json (default), table, csv, markdown, html\n"
"      --overdue N          list the N most overdue (default 100; 0: all)\n"
"      --redact             mask names, phones, e-mails, addresses\n"
"      --fail-on-alert      exit 1 when a category is above its limit\n"
COMMON_USAGE;

enum {
	OPT_PERIOD = OPT_PROGRAM, OPT_SINCE, OPT_UNTIL, OPT_AS_OF, OPT_BY,
	OPT_FORMAT, OPT_REDACT, OPT_FAIL_ON_ALERT, OPT_OVERDUE
};

static const struct option options[] = {
	COMMON_OPTIONS,
	{"period", required_argument, NULL, OPT_PERIOD},
	{"since", required_argument, NULL, OPT_SINCE},
	{"until", required_argument, NULL, OPT_UNTIL},
	{"as-of", required_argument, NULL, OPT_AS_OF},
	{"by", required_argument, NULL, OPT_BY},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"redact", no_argument, NULL, OPT_REDACT},
	{"fail-on-alert", no_argument, NULL, OPT_FAIL_ON_ALERT},
	{"overdue", required_argument, NULL, OPT_OVERDUE},
	{NULL, 0, NULL, 0}
};

int
main(int argc, char **argv)
{
	struct prog p;
	struct cmp_report_opts o;
	struct cmp_report *r = NULL;
	enum cmp_report_format format = CMP_REPORT_JSON;
	struct cmp_error e;
	int fail_on_alert = 0, opt, ret;
	char *end;

	memset(&o, 0, sizeof(o));
	o.overdue_max = 100;
	prog_init(&p, "cmp-report", usage_text);
	cmp_error_clear(&e);
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (prog_option(&p, opt, optarg))
			continue;
		switch (opt) {
		case OPT_PERIOD: o.period = optarg; break;
		case OPT_SINCE: o.since = optarg; break;
		case OPT_UNTIL: o.until = optarg; break;
		case OPT_AS_OF: o.as_of = optarg; break;
		case OPT_BY: o.by = optarg; break;
		case OPT_FORMAT:
			if (cmp_report_format_parse(optarg, &format, &e))
				prog_usage_error(&p, "%s", e.msg);
			break;
		case OPT_REDACT: o.flags |= CMP_REPORT_REDACT; break;
		case OPT_FAIL_ON_ALERT: fail_on_alert = 1; break;
		case OPT_OVERDUE:
			o.overdue_max = strtol(optarg, &end, 10);
			if (!*optarg || *end || o.overdue_max < 0)
				prog_usage_error(&p, "--overdue: '%s' is not "
						 "a number", optarg);
			break;
		}
	}
	if (optind < argc)
		prog_usage_error(&p, "unexpected argument '%s'", argv[optind]);
	if (fail_on_alert)
		o.flags |= CMP_REPORT_CONTROL;
	if (format == CMP_REPORT_TABLE && prog_color())
		o.flags |= CMP_REPORT_COLOR;
	prog_open(&p);
	ret = cmp_report_run(&r, &p.ctx, &o, &e);
	if (ret == CMP_EX_USAGE)
		prog_usage_error(&p, "%s", e.msg);
	if (ret)
		prog_fatal(&p, &e);
	if (cmp_report_write(r, stdout, format, prog_term_width(100), &e))
		prog_error(&p, &e);
	else if (fail_on_alert && cmp_report_alerts(r))
		prog_status(&p, 1);
	cmp_report_free(r);
	return prog_finish(&p);
}
