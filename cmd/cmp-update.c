/*
 * cmp-update - change fields, tag, set the root cause, add a note; put a
 * complaint on hold waiting for the customer, and resume it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static const char usage_text[] =
"usage: cmp-update [--set FIELD=VALUE]... [--tag T]... [--untag T]...\n"
"                  [--root-cause TEXT] [--wait REASON | --resume] [options]\n"
"                  [id ...]\n"
"\n"
"Change complaints (ids as arguments, or NDJSON records or bare ids on\n"
"stdin); prints each complaint after the change is committed.\n"
"\n"
"      --set FIELD=VALUE    set a field (dotted path: customer.phone=...;\n"
"                           attrs.KEY=...; an empty VALUE clears it)\n"
"      --tag T              add tag T (repeatable)\n"
"      --untag T            remove tag T (repeatable)\n"
"      --root-cause TEXT    the root cause found\n"
"      --wait REASON        wait on the customer: the deadlines' clocks stop\n"
"      --resume             stop waiting: the clocks run again, deadlines shift\n"
"      --note TEXT          note for the journal (alone: just the note)\n"
"      --dry-run            show what would change, change nothing\n"
"      --actor NAME         who acts (default: $CMP_ACTOR, login)\n"
COMMON_USAGE;

enum {
	OPT_SET = OPT_PROGRAM, OPT_TAG, OPT_UNTAG, OPT_ROOT_CAUSE, OPT_WAIT,
	OPT_RESUME
};

static const struct option options[] = {
	COMMON_OPTIONS,
	CHANGE_OPTIONS,
	{"set", required_argument, NULL, OPT_SET},
	{"tag", required_argument, NULL, OPT_TAG},
	{"untag", required_argument, NULL, OPT_UNTAG},
	{"root-cause", required_argument, NULL, OPT_ROOT_CAUSE},
	{"wait", required_argument, NULL, OPT_WAIT},
	{"resume", no_argument, NULL, OPT_RESUME},
	{NULL, 0, NULL, 0}
};

struct update {
	const char **sets, **tags, **untags;
	size_t nsets, ntags, nuntags;
	const char *root_cause, *wait;
	int resume;
};

static void
push(const char ***list, size_t *n, const char *v)
{
	*list = cmp_xrealloc(*list, (*n + 1) * sizeof(char *));
	(*list)[(*n)++] = v;
}

static int
change(struct prog *p, struct cmp_complaint *c, void *arg,
       struct cmp_error *e)
{
	struct update *u = arg;
	struct cmp_complaint before;
	int ret = 0, deadlines = 0;

	cmp_complaint_init(&before);
	/* Only --set reaches the fields deadlines hang on: without it
	   there is nothing to compare, and no copy to make per complaint. */
	if (u->nsets)
		cmp_complaint_copy(&before, c);
	for (size_t i = 0; i < u->nsets && !ret; i++)
		ret = cmp_complaint_set(p->ctx.cfg, c, u->sets[i], p->ctx.now,
					e);
	if (!ret && u->root_cause) {
		free(c->root_cause);
		c->root_cause = cmp_xstrdup(u->root_cause);
	}
	for (size_t i = 0; i < u->ntags; i++)
		cmp_complaint_tag(c, u->tags[i]);
	for (size_t i = 0; i < u->nuntags; i++)
		cmp_complaint_untag(c, u->untags[i]);
	for (size_t i = 0; u->nsets && i < cmp_nfields && !ret; i++)
		if ((cmp_fields[i].flags & CMP_FF_DEADLINE) &&
		    !cmp_field_equal(&cmp_fields[i], &before, c))
			deadlines = 1;
	if (!ret && deadlines)
		cmp_wf_recompute(&p->ctx, c, &before, 0);
	if (!ret)
		ret = cmp_complaint_validate(p->ctx.cfg, c, e);
	if (!ret && u->wait)
		ret = cmp_wf_wait(&p->ctx, c, u->wait, e);
	if (!ret && u->resume)
		ret = cmp_wf_resume(&p->ctx, c, e);
	cmp_complaint_release(&before);
	return ret;
}

int
main(int argc, char **argv)
{
	struct prog p;
	struct update u;
	int opt;

	memset(&u, 0, sizeof(u));
	prog_init(&p, "cmp-update", usage_text);
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (prog_option(&p, opt, optarg))
			continue;
		switch (opt) {
		case OPT_SET: push(&u.sets, &u.nsets, optarg); break;
		case OPT_TAG: push(&u.tags, &u.ntags, optarg); break;
		case OPT_UNTAG: push(&u.untags, &u.nuntags, optarg); break;
		case OPT_ROOT_CAUSE: u.root_cause = optarg; break;
		case OPT_WAIT: u.wait = optarg; break;
		case OPT_RESUME: u.resume = 1; break;
		}
	}
	if (u.wait && u.resume)
		prog_usage_error(&p, "--wait and --resume go alone");
	if (!u.nsets && !u.ntags && !u.nuntags && !u.root_cause && !u.wait &&
	    !u.resume && !p.note)
		prog_usage_error(&p, "say what to change: --set, --tag, "
				 "--untag, --root-cause, --wait, --resume "
				 "or --note");
	for (size_t i = 0; i < u.ntags + u.nuntags; i++) {
		const char *t = i < u.ntags ? u.tags[i] : u.untags[i - u.ntags];

		if (!*t || strchr(t, ','))
			prog_usage_error(&p, "'%s' is not a tag (not empty, "
					 "no commas)", t);
	}
	prog_open(&p);
	prog_change_each(&p, argc - optind, argv + optind, change, &u);
	free(u.sets);
	free(u.tags);
	free(u.untags);
	return prog_finish(&p);
}
