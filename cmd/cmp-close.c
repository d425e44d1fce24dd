/*
 * cmp-close - resolve (with a resolution), close, reject, reopen, close as
 * a duplicate.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static const char usage_text[] =
"usage: cmp-close (--resolve TYPE [--amount N] [--currency C] [--approved-by NAME]\n"
"                 | --close [--force] | --reject REASON | --reopen REASON\n"
"                 | --duplicate-of ID) [options] [id ...]\n"
"\n"
"Resolve, close, reject, reopen or close as duplicates complaints (ids as\n"
"arguments, or NDJSON records or bare ids on stdin); prints each after it\n"
"is committed.\n"
"\n"
"      --resolve TYPE       resolve with a resolution type (refund, repair...)\n"
"      --amount N           money paid or credited\n"
"      --currency C         its currency (default: the configured one)\n"
"      --approved-by NAME   approver, needed above approval.threshold\n"
"      --close              close a resolved or rejected complaint\n"
"      --force              close without the satisfaction the policy asks\n"
"                           (needs --note)\n"
"      --reject REASON      reject a new, assigned or waiting complaint, with\n"
"                           the reason (the customer is still answered)\n"
"      --reopen REASON      back to assigned; the reopen count grows\n"
"      --duplicate-of ID    close a new, assigned, waiting or rejected\n"
"                           complaint as a duplicate of complaint ID\n"
"      --note TEXT          note for the journal (and the resolution)\n"
"      --dry-run            show what would change, change nothing\n"
"      --actor NAME         who acts (default: $CMP_ACTOR, login)\n"
COMMON_USAGE;

enum {
	OPT_RESOLVE = OPT_PROGRAM, OPT_AMOUNT, OPT_CURRENCY, OPT_APPROVED_BY,
	OPT_CLOSE, OPT_FORCE, OPT_REJECT, OPT_REOPEN, OPT_DUPLICATE_OF
};

static const struct option options[] = {
	COMMON_OPTIONS,
	CHANGE_OPTIONS,
	{"resolve", required_argument, NULL, OPT_RESOLVE},
	{"amount", required_argument, NULL, OPT_AMOUNT},
	{"currency", required_argument, NULL, OPT_CURRENCY},
	{"approved-by", required_argument, NULL, OPT_APPROVED_BY},
	{"close", no_argument, NULL, OPT_CLOSE},
	{"force", no_argument, NULL, OPT_FORCE},
	{"reject", required_argument, NULL, OPT_REJECT},
	{"reopen", required_argument, NULL, OPT_REOPEN},
	{"duplicate-of", required_argument, NULL, OPT_DUPLICATE_OF},
	{NULL, 0, NULL, 0}
};

struct closing {
	const char *resolve, *currency, *approved_by, *reject, *reopen;
	double amount;
	int64_t duplicate_of;
	int close, force;
};

/* c closed as a duplicate of `of`, read in the same transaction, whose
   journal says so too. */
static int
duplicate(struct prog *p, struct cmp_complaint *c, int64_t of,
	  struct cmp_error *e)
{
	struct cmp_complaint orig;
	struct cmp_change ch = cmp_ctx_change(&p->ctx, NULL);
	char *note;
	int ret;

	cmp_complaint_init(&orig);
	if (!(ret = cmp_store_load(p->ctx.store, of, &orig, e)) &&
	    !(ret = cmp_wf_duplicate(&p->ctx, c, &orig, e))) {
		ch.note = note = cmp_xasprintf("complaint %lld closed as a "
					       "duplicate of this one",
					       (long long)c->id);
		ret = cmp_store_note(p->ctx.store, of, &ch, e);
		free(note);
	}
	cmp_complaint_release(&orig);
	return ret;
}

static int
change(struct prog *p, struct cmp_complaint *c, void *arg,
       struct cmp_error *e)
{
	struct closing *k = arg;

	if (k->resolve)
		return cmp_wf_resolve(&p->ctx, c, k->resolve, k->amount,
				      k->currency, k->approved_by, p->note, e);
	if (k->close)
		return cmp_wf_close(&p->ctx, c, k->force ? CMP_CLOSE_FORCE : 0,
				    e);
	if (k->reject)
		return cmp_wf_reject(&p->ctx, c, k->reject, e);
	if (k->duplicate_of)
		return duplicate(p, c, k->duplicate_of, e);
	return cmp_wf_reopen(&p->ctx, c, k->reopen, e);
}

int
main(int argc, char **argv)
{
	struct prog p;
	struct closing k;
	char *end;
	char *note = NULL;
	int opt, modes, status;

	memset(&k, 0, sizeof(k));
	k.amount = NAN;
	prog_init(&p, "cmp-close", usage_text);
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (prog_option(&p, opt, optarg))
			continue;
		switch (opt) {
		case OPT_RESOLVE: k.resolve = optarg; break;
		case OPT_AMOUNT:
			errno = 0;
			k.amount = strtod(optarg, &end);
			if (*end || end == optarg || errno || k.amount < 0 ||
			    !isfinite(k.amount))
				prog_usage_error(&p, "--amount: '%s' is not an "
						 "amount", optarg);
			break;
		case OPT_CURRENCY: k.currency = optarg; break;
		case OPT_APPROVED_BY: k.approved_by = optarg; break;
		case OPT_CLOSE: k.close = 1; break;
		case OPT_FORCE: k.force = 1; break;
		case OPT_REJECT: k.reject = optarg; break;
		case OPT_REOPEN: k.reopen = optarg; break;
		case OPT_DUPLICATE_OF:
			if (prog_parse_id(optarg, &k.duplicate_of))
				prog_usage_error(&p, "--duplicate-of: '%s' is "
						 "not a complaint id", optarg);
			break;
		}
	}
	modes = !!k.resolve + k.close + !!k.reject + !!k.reopen +
		!!k.duplicate_of;
	if (modes != 1)
		prog_usage_error(&p, "say one of --resolve, --close, --reject, "
				 "--reopen, --duplicate-of");
	if (!k.resolve && (!isnan(k.amount) || k.currency || k.approved_by))
		prog_usage_error(&p, "--amount, --currency and --approved-by go "
				 "with --resolve");
	if (k.force && !k.close)
		prog_usage_error(&p, "--force goes with --close");
	if (k.force && !p.note)
		prog_usage_error(&p, "--force needs a --note saying why");
	/* The reason of a rejection or reopening is the journal's note,
	   followed by --note when both are given. */
	if (k.reject || k.reopen) {
		const char *reason = k.reject ? k.reject : k.reopen;

		if (p.note)
			p.note = note = cmp_xasprintf("%s; %s", reason, p.note);
		else
			p.note = reason;
	}
	prog_open(&p);
	prog_change_each(&p, argc - optind, argv + optind, change, &k);
	status = prog_finish(&p);
	free(note);
	return status;
}
