/*
 * cmp-followup - schedule a follow-up, record a contact or its outcome and
 * the customer's satisfaction, list what is due.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static const char usage_text[] =
"usage: cmp-followup (--in DURATION | --at WHEN | --log TEXT [--channel C]\n"
"                    | --done [--satisfaction 1-5]) [options] [id ...]\n"
"       cmp-followup --due [WHEN]\n"
"\n"
"Follow complaints up (ids as arguments, or NDJSON records or bare ids on\n"
"stdin); prints each after the change is committed.  --due lists, as\n"
"NDJSON, the complaints with a follow-up due by WHEN (default: now).\n"
"\n"
"      --in DURATION        schedule a follow-up in DURATION (90m, 4h, 1d, 2w)\n"
"      --at WHEN            schedule a follow-up at WHEN\n"
"      --log TEXT           record a contact with the customer (meets reply)\n"
"      --channel C          channel of the contact or follow-up\n"
"      --done               complete the earliest follow-up due\n"
"      --satisfaction N     the customer's score, 1-5 (below the bar reopens)\n"
"      --due                list complaints with a follow-up due\n"
"      --note TEXT          note for the journal and the follow-up\n"
"      --dry-run            show what would change, change nothing\n"
"      --actor NAME         who acts (default: $CMP_ACTOR, login)\n"
COMMON_USAGE;

enum {
	OPT_IN = OPT_PROGRAM, OPT_AT, OPT_LOG, OPT_CHANNEL, OPT_DONE,
	OPT_SATISFACTION, OPT_DUE
};

static const struct option options[] = {
	COMMON_OPTIONS,
	CHANGE_OPTIONS,
	{"in", required_argument, NULL, OPT_IN},
	{"at", required_argument, NULL, OPT_AT},
	{"log", required_argument, NULL, OPT_LOG},
	{"channel", required_argument, NULL, OPT_CHANNEL},
	{"done", no_argument, NULL, OPT_DONE},
	{"satisfaction", required_argument, NULL, OPT_SATISFACTION},
	{"due", no_argument, NULL, OPT_DUE},
	{NULL, 0, NULL, 0}
};

struct followup {
	const char *in, *at, *log, *channel;
	int done, score, due;
	cmp_time when;
};

static int
change(struct prog *p, struct cmp_complaint *c, void *arg,
       struct cmp_error *e)
{
	struct followup *f = arg;

	if (f->log)
		return cmp_wf_log(&p->ctx, c, f->log, f->channel, e);
	if (f->done)
		return cmp_wf_done(&p->ctx, c, f->score, p->note, e);
	return cmp_wf_schedule(&p->ctx, c, f->when, f->channel, e);
}

static int
emit(void *arg, struct cmp_complaint *c)
{
	return cmp_writer_add(arg, c);
}

/* --due [WHEN]: the complaints with a follow-up due, as NDJSON. */
static int
list_due(struct prog *p, int argc, char **argv)
{
	struct cmp_query q = {.now = p->ctx.now};
	struct cmp_writer *w;
	struct cmp_error e;

	cmp_error_clear(&e);
	if (argc > 1)
		prog_usage_error(p, "--due takes at most one WHEN");
	q.followup_due = p->ctx.now;
	if (argc == 1 && cmp_time_parse(argv[0], p->ctx.cfg->timezone,
					p->ctx.now, &q.followup_due, &e))
		prog_usage_error(p, "--due: %s", e.msg);
	cmp_writer_new(&w, stdout, CMP_FMT_NDJSON, NULL, 0, 0, &e);
	if (cmp_store_query(p->ctx.store, &q, emit, w, &e))
		prog_error(p, &e);
	if (cmp_writer_finish(w))
		prog_status(p, CMP_EX_IOERR);
	cmp_writer_free(w);
	return prog_finish(p);
}

int
main(int argc, char **argv)
{
	struct prog p;
	struct followup f;
	struct cmp_error e;
	char *end;
	int opt, modes;

	memset(&f, 0, sizeof(f));
	prog_init(&p, "cmp-followup", usage_text);
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (prog_option(&p, opt, optarg))
			continue;
		switch (opt) {
		case OPT_IN: f.in = optarg; break;
		case OPT_AT: f.at = optarg; break;
		case OPT_LOG: f.log = optarg; break;
		case OPT_CHANNEL: f.channel = optarg; break;
		case OPT_DONE: f.done = 1; break;
		case OPT_SATISFACTION:
			f.score = (int)strtol(optarg, &end, 10);
			if (*end || f.score < 1 || f.score > 5)
				prog_usage_error(&p, "--satisfaction: '%s' is "
						 "not a score from 1 to 5",
						 optarg);
			break;
		case OPT_DUE: f.due = 1; break;
		}
	}
	modes = !!f.in + !!f.at + !!f.log + f.done + f.due;
	if (modes != 1)
		prog_usage_error(&p, "say one of --in, --at, --log, --done, "
				 "--due");
	if (f.score && !f.done)
		prog_usage_error(&p, "--satisfaction goes with --done");
	if (f.channel && (f.done || f.due))
		prog_usage_error(&p, "--channel goes with --in, --at or --log");
	prog_open(&p);
	if (f.due)
		return list_due(&p, argc - optind, argv + optind);
	cmp_error_clear(&e);
	if (f.in) {
		struct cmp_duration d;

		if (cmp_duration_parse(f.in, &d, &e))
			prog_usage_error(&p, "--in: %s", e.msg);
		f.when = cmp_time_add(p.ctx.now, &d, 1, p.ctx.cfg->timezone);
	}
	if (f.at && cmp_time_parse(f.at, p.ctx.cfg->timezone, p.ctx.now,
				   &f.when, &e))
		prog_usage_error(&p, "--at: %s", e.msg);
	prog_change_each(&p, argc - optind, argv + optind, change, &f);
	return prog_finish(&p);
}
