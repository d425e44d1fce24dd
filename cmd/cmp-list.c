/*
 * cmp-list - find complaints by filters; NDJSON, JSON, CSV, TSV or a table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static const char usage_text[] =
"usage: cmp-list [filters] [--sort FIELD] [--limit N] [--fields F,F...]\n"
"                [--format ndjson|json|csv|tsv|table] [--redact]\n"
"\n"
"Find complaints.  Filters combine (all must hold); S[,S...] means any of.\n"
"\n"
"      --id ID              this complaint (repeatable)\n"
"      --ref REF            external reference\n"
"      --status S[,S...]    new, assigned, waiting, resolved, closed, rejected\n"
"      --category C[,C...]  category\n"
"      --channel C[,C...]   channel\n"
"      --severity S[,S...]  severity\n"
"      --tier T[,T...]      customer tier\n"
"      --owner P[,P...]     handler\n"
"      --dept D[,D...]      department\n"
"      --tag T              tag\n"
"      --customer TEXT      the customer's name, contact, phone (by its\n"
"                           digits), e-mail or customer id\n"
"      --product P[,P...]   product name\n"
"      --serial S[,S...]    product serial number\n"
"      --batch B[,B...]     product batch\n"
"      --root-cause R[,R...] root cause\n"
"      --accountable P[,P...] the person accountable\n"
"      --reopened           reopened at least once\n"
"      --duplicates-of ID   flagged or closed as duplicates of complaint ID\n"
"      --since WHEN         received at or after WHEN\n"
"      --until WHEN         received before WHEN\n"
"      --overdue            a deadline passed and not met\n"
"      --due-before WHEN    a deadline not met falls before WHEN\n"
"      --text WORDS         words or \"phrases\" in summary or description\n"
"      --where EXPR         any field: PATH OP VALUE, OP one of = != < <= >\n"
"                           >= ~ (contains), PATH [not] in V,V..., PATH is\n"
"                           [not] null (repeatable; cmp-list(1) has more)\n"
"      --sort [-]FIELD      order by a field (- for descending; default id)\n"
"      --limit N            at most N complaints\n"
"      --fields F,F...      fields to show (dotted paths, attrs.KEY)\n"
"      --format F           ndjson (default), json, csv, tsv, table\n"
"      --redact             mask names, phones, e-mails, addresses\n"
"      --explain            print the store's query plan, not complaints\n"
COMMON_USAGE;

enum {
	OPT_ID = OPT_PROGRAM, OPT_REF, OPT_STATUS, OPT_CATEGORY, OPT_CHANNEL,
	OPT_SEVERITY, OPT_TIER, OPT_OWNER, OPT_DEPT, OPT_TAG, OPT_SINCE,
	OPT_UNTIL, OPT_OVERDUE, OPT_DUE_BEFORE, OPT_TEXT, OPT_SORT,
	OPT_LIMIT, OPT_FIELDS, OPT_FORMAT, OPT_REDACT, OPT_EXPLAIN,
	OPT_CUSTOMER, OPT_PRODUCT, OPT_SERIAL, OPT_BATCH, OPT_ROOT_CAUSE,
	OPT_ACCOUNTABLE, OPT_REOPENED, OPT_DUPLICATES_OF, OPT_WHERE
};

static const struct option options[] = {
	COMMON_OPTIONS,
	{"id", required_argument, NULL, OPT_ID},
	{"ref", required_argument, NULL, OPT_REF},
	{"status", required_argument, NULL, OPT_STATUS},
	{"category", required_argument, NULL, OPT_CATEGORY},
	{"channel", required_argument, NULL, OPT_CHANNEL},
	{"severity", required_argument, NULL, OPT_SEVERITY},
	{"tier", required_argument, NULL, OPT_TIER},
	{"owner", required_argument, NULL, OPT_OWNER},
	{"dept", required_argument, NULL, OPT_DEPT},
	{"tag", required_argument, NULL, OPT_TAG},
	{"customer", required_argument, NULL, OPT_CUSTOMER},
	{"product", required_argument, NULL, OPT_PRODUCT},
	{"serial", required_argument, NULL, OPT_SERIAL},
	{"batch", required_argument, NULL, OPT_BATCH},
	{"root-cause", required_argument, NULL, OPT_ROOT_CAUSE},
	{"accountable", required_argument, NULL, OPT_ACCOUNTABLE},
	{"reopened", no_argument, NULL, OPT_REOPENED},
	{"duplicates-of", required_argument, NULL, OPT_DUPLICATES_OF},
	{"since", required_argument, NULL, OPT_SINCE},
	{"until", required_argument, NULL, OPT_UNTIL},
	{"overdue", no_argument, NULL, OPT_OVERDUE},
	{"due-before", required_argument, NULL, OPT_DUE_BEFORE},
	{"text", required_argument, NULL, OPT_TEXT},
	{"where", required_argument, NULL, OPT_WHERE},
	{"sort", required_argument, NULL, OPT_SORT},
	{"limit", required_argument, NULL, OPT_LIMIT},
	{"fields", required_argument, NULL, OPT_FIELDS},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"redact", no_argument, NULL, OPT_REDACT},
	{"explain", no_argument, NULL, OPT_EXPLAIN},
	{NULL, 0, NULL, 0}
};

struct list {
	struct prog p;
	struct cmp_query q;
	int64_t *ids;
	const char *since, *until, *due_before;
	const char **where;	/* --where as given, parsed once open */
	struct cmp_where **conds;
	size_t nwhere;
	const char *fields;
	enum cmp_format format;
	unsigned flags;
	int explain;
	struct cmp_writer *w;
};

static int
emit(void *arg, struct cmp_complaint *c)
{
	struct list *l = arg;

	return cmp_writer_add(l->w, c);
}

/* The --where conditions, parsed against the configuration; exits 64
   if one is bad. */
static void
where(struct list *l)
{
	struct cmp_error e;

	l->conds = cmp_xcalloc(l->nwhere + 1, sizeof(*l->conds));
	for (size_t i = 0; i < l->nwhere; i++) {
		cmp_error_clear(&e);
		if (cmp_where_parse(l->where[i], l->p.ctx.cfg, l->p.ctx.now,
				    &l->conds[i], &e))
			prog_usage_error(&l->p, "%s", e.msg);
	}
	l->q.where = l->conds;
	l->q.nwhere = l->nwhere;
}

static void
list_free(struct list *l)
{
	for (size_t i = 0; i < l->nwhere; i++)
		cmp_where_free(l->conds[i]);
	free(l->conds);
	free(l->where);
	free(l->ids);
}

/* A WHEN option, parsed in the configured zone; exits 64 if bad. */
static cmp_time
when(struct list *l, const char *opt, const char *s)
{
	struct cmp_error e;
	cmp_time t;

	cmp_error_clear(&e);
	if (cmp_time_parse(s, l->p.ctx.cfg->timezone, l->p.ctx.now, &t, &e))
		prog_usage_error(&l->p, "%s: %s", opt, e.msg);
	return t;
}

static void
parse_options(struct list *l, int argc, char **argv)
{
	struct cmp_error e;
	char *end;
	int opt;

	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (prog_option(&l->p, opt, optarg))
			continue;
		switch (opt) {
		case OPT_ID:
			l->ids = cmp_xrealloc(l->ids, (l->q.nids + 1) *
					      sizeof(int64_t));
			if (prog_parse_id(optarg, &l->ids[l->q.nids]))
				prog_usage_error(&l->p, "--id: '%s' is not a "
						 "complaint id", optarg);
			l->q.nids++;
			break;
		case OPT_REF: l->q.ref = optarg; break;
		case OPT_STATUS: l->q.status = optarg; break;
		case OPT_CATEGORY: l->q.category = optarg; break;
		case OPT_CHANNEL: l->q.channel = optarg; break;
		case OPT_SEVERITY: l->q.severity = optarg; break;
		case OPT_TIER: l->q.tier = optarg; break;
		case OPT_OWNER: l->q.owner = optarg; break;
		case OPT_DEPT: l->q.department = optarg; break;
		case OPT_TAG: l->q.tag = optarg; break;
		case OPT_CUSTOMER:
			if (!optarg[0])
				prog_usage_error(&l->p, "--customer: empty");
			l->q.customer = optarg;
			break;
		case OPT_PRODUCT: l->q.product = optarg; break;
		case OPT_SERIAL: l->q.serial = optarg; break;
		case OPT_BATCH: l->q.batch = optarg; break;
		case OPT_ROOT_CAUSE: l->q.root_cause = optarg; break;
		case OPT_ACCOUNTABLE: l->q.accountable = optarg; break;
		case OPT_REOPENED: l->q.reopened = 1; break;
		case OPT_DUPLICATES_OF:
			if (prog_parse_id(optarg, &l->q.duplicates_of))
				prog_usage_error(&l->p, "--duplicates-of: '%s' "
						 "is not a complaint id",
						 optarg);
			break;
		case OPT_SINCE: l->since = optarg; break;
		case OPT_UNTIL: l->until = optarg; break;
		case OPT_OVERDUE: l->q.overdue = 1; break;
		case OPT_DUE_BEFORE: l->due_before = optarg; break;
		case OPT_TEXT: l->q.text = optarg; break;
		case OPT_WHERE:
			l->where = cmp_xrealloc(l->where, (l->nwhere + 1) *
						sizeof(char *));
			l->where[l->nwhere++] = optarg;
			break;
		case OPT_SORT: l->q.sort = optarg; break;
		case OPT_LIMIT:
			l->q.limit = strtol(optarg, &end, 10);
			if (*end || l->q.limit <= 0)
				prog_usage_error(&l->p, "--limit: '%s' is not "
						 "a positive number", optarg);
			break;
		case OPT_FIELDS: l->fields = optarg; break;
		case OPT_FORMAT:
			cmp_error_clear(&e);
			if (cmp_format_parse(optarg, &l->format, &e))
				prog_usage_error(&l->p, "%s", e.msg);
			break;
		case OPT_REDACT: l->flags |= CMP_OUT_REDACT; break;
		case OPT_EXPLAIN: l->explain = 1; break;
		}
	}
	if (optind < argc)
		prog_usage_error(&l->p, "unexpected argument '%s'",
				 argv[optind]);
	l->q.ids = l->ids;
}

int
main(int argc, char **argv)
{
	struct list l;
	struct cmp_error e;
	int ret;

	memset(&l, 0, sizeof(l));
	prog_init(&l.p, "cmp-list", usage_text);
	parse_options(&l, argc, argv);
	prog_open(&l.p);
	l.q.now = l.p.ctx.now;
	if (l.since)
		l.q.since = when(&l, "--since", l.since);
	if (l.until)
		l.q.until = when(&l, "--until", l.until);
	if (l.due_before)
		l.q.due_before = when(&l, "--due-before", l.due_before);
	where(&l);
	if (prog_color())
		l.flags |= CMP_OUT_COLOR;
	cmp_error_clear(&e);
	if (l.explain) {
		char *plan = cmp_store_query_plan(l.p.ctx.store, &l.q, &e);

		if (!plan)
			prog_fatal(&l.p, &e);
		fputs(plan, stdout);
		free(plan);
		list_free(&l);
		return prog_finish(&l.p);
	}
	if (cmp_writer_new(&l.w, stdout, l.format, l.fields, l.flags,
			   prog_term_width(120), &e))
		prog_usage_error(&l.p, "%s", e.msg);
	ret = cmp_store_query(l.p.ctx.store, &l.q, emit, &l, &e);
	if (ret == CMP_EX_USAGE)
		prog_usage_error(&l.p, "%s", e.msg);
	if (ret && e.code)
		prog_error(&l.p, &e);
	else if (ret)
		prog_status(&l.p, ret);
	if (cmp_writer_finish(l.w))
		prog_status(&l.p, CMP_EX_IOERR);
	cmp_writer_free(l.w);
	list_free(&l);
	return prog_finish(&l.p);
}
