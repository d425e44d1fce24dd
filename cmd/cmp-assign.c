/*
 * cmp-assign - set handler and department, acknowledge, escalate, route.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static const char usage_text[] =
"usage: cmp-assign [--to PERSON] [--dept DEPT] [--force] [--ack] [--escalate]\n"
"                  [--auto] [--auto-escalate] [options] [id ...]\n"
"\n"
"Assign complaints (ids as arguments, or NDJSON records or bare ids on\n"
"stdin); prints each changed complaint after it is committed.\n"
"\n"
"      --to PERSON          hand to PERSON (acknowledges)\n"
"      --dept DEPT          to department DEPT (its ladder's holder unless --to)\n"
"      --force              with --to and --dept: a person who is not one of\n"
"                           the department's members all the same\n"
"      --ack                acknowledge (meets the ack deadline)\n"
"      --escalate           one level up the department's ladder\n"
"      --auto               apply the routing rules\n"
"      --auto-escalate      escalate by the policy, one level per\n"
"                           escalation.after_overdue overdue: every complaint\n"
"                           when no id is given (stdin is not read; '-' reads\n"
"                           ids from it); exit 0 at the top of a ladder\n"
"      --dry-run            show what would change, change nothing\n"
"      --note TEXT          note for the journal\n"
"      --actor NAME         who acts (default: $CMP_ACTOR, login)\n"
COMMON_USAGE;

enum {
	OPT_TO = OPT_PROGRAM, OPT_DEPT, OPT_ACK, OPT_ESCALATE, OPT_AUTO,
	OPT_AUTO_ESCALATE, OPT_FORCE
};

static const struct option options[] = {
	COMMON_OPTIONS,
	CHANGE_OPTIONS,
	{"to", required_argument, NULL, OPT_TO},
	{"dept", required_argument, NULL, OPT_DEPT},
	{"ack", no_argument, NULL, OPT_ACK},
	{"escalate", no_argument, NULL, OPT_ESCALATE},
	{"auto", no_argument, NULL, OPT_AUTO},
	{"auto-escalate", no_argument, NULL, OPT_AUTO_ESCALATE},
	{"force", no_argument, NULL, OPT_FORCE},
	{NULL, 0, NULL, 0}
};

struct assign {
	const char *to, *dept;
	int ack, escalate, route, auto_escalate, force;
};

static int
change(struct prog *p, struct cmp_complaint *c, void *arg,
       struct cmp_error *e)
{
	struct assign *a = arg;

	if (a->auto_escalate) {
		cmp_time last;
		int ret = cmp_store_last_change(p->ctx.store, c->id,
						"escalation", &last, e);

		return ret ? ret : cmp_wf_auto_escalate(&p->ctx, c, last, e);
	}
	if (a->route)
		return cmp_wf_route(&p->ctx, c, e);
	if (a->escalate)
		return cmp_wf_escalate(&p->ctx, c, e);
	return cmp_wf_assign(&p->ctx, c, a->to, a->dept,
			     (a->ack ? CMP_ASSIGN_ACK : 0) |
			     (a->force ? CMP_ASSIGN_FORCE : 0), e);
}

/* --auto-escalate over every complaint overdue past the policy. */
static int
collect(void *arg, struct cmp_complaint *c)
{
	struct cmp_buf *ids = arg;

	cmp_buf_add(ids, &c->id, sizeof(c->id));
	return 0;
}

int
main(int argc, char **argv)
{
	struct prog p;
	struct assign a;
	int opt, modes;

	memset(&a, 0, sizeof(a));
	prog_init(&p, "cmp-assign", usage_text);
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (prog_option(&p, opt, optarg))
			continue;
		switch (opt) {
		case OPT_TO: a.to = optarg; break;
		case OPT_DEPT: a.dept = optarg; break;
		case OPT_ACK: a.ack = 1; break;
		case OPT_ESCALATE: a.escalate = 1; break;
		case OPT_AUTO: a.route = 1; break;
		case OPT_AUTO_ESCALATE: a.auto_escalate = 1; break;
		case OPT_FORCE: a.force = 1; break;
		}
	}
	modes = (a.to || a.dept || a.ack) + a.escalate + a.route +
		a.auto_escalate;
	if (modes == 0)
		prog_usage_error(&p, "say what to do: --to, --dept, --ack, "
				 "--escalate, --auto or --auto-escalate");
	if (modes > 1)
		prog_usage_error(&p, "--escalate, --auto and --auto-escalate "
				 "go alone (not with --to, --dept, --ack)");
	if (a.force && (!a.to || !a.dept))
		prog_usage_error(&p, "--force goes with --to and --dept");
	prog_open(&p);
	/* Cron's stdin is empty or closed: without operands, the policy
	   looks at the whole store and never waits on stdin. */
	if (a.auto_escalate && optind == argc) {
		/* Overdue at or before now - after_overdue (the query's
		   bound is strict, in whole seconds). */
		struct cmp_query q = {
			.overdue = 1,
			.now = p.ctx.now,
			.overdue_by = cmp_duration_seconds(
				&p.ctx.cfg->escalation_after) - 1,
		};
		struct cmp_buf ids = CMP_BUF_INIT;
		struct cmp_error e;

		cmp_error_clear(&e);
		if (q.overdue_by < 0)
			return prog_finish(&p);
		if (cmp_store_query(p.ctx.store, &q, collect, &ids, &e))
			prog_fatal(&p, &e);
		prog_change_ids(&p, (const int64_t *)(void *)ids.s,
				ids.len / sizeof(int64_t), change, &a);
		cmp_buf_release(&ids);
		return prog_finish(&p);
	}
	/* "-" alone: the ids (or NDJSON records) on stdin. */
	if (optind == argc - 1 && !strcmp(argv[optind], "-"))
		optind = argc;
	prog_change_each(&p, argc - optind, argv + optind, change, &a);
	return prog_finish(&p);
}
