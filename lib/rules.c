/*
 * rules.c - the routing decision list.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "complaint.h"
#include "rules.h"
#include "util.h"

static int
value_matches(const struct cmp_rule_cond *cond, const char *v)
{
	for (size_t i = 0; i < cond->nvalues; i++) {
		const char *want = cond->values[i];

		if (strpbrk(want, "*?[") ? !fnmatch(want, v, 0) :
		    !strcmp(want, v))
			return 1;
	}
	return 0;
}

static int
cond_holds(const struct cmp_rule_cond *cond, const struct cmp_complaint *c)
{
	const struct cmp_field *f = cmp_field_find(cond->field);
	char *v;
	int ok;

	if (!f)
		return 0;
	if (f->type == CMP_F_TAGS) {
		for (size_t i = 0; i < c->ntags; i++)
			if (value_matches(cond, c->tags[i]))
				return 1;
		return 0;
	}
	v = cmp_field_text(f, c);
	ok = v && value_matches(cond, v);
	free(v);
	return ok;
}

int
cmp_rule_match(const struct cmp_rule *r, const struct cmp_complaint *c)
{
	for (size_t i = 0; i < r->nconds; i++)
		if (!cond_holds(&r->conds[i], c))
			return 0;
	if (!r->nkeywords)
		return 1;
	for (size_t i = 0; i < r->nkeywords; i++) {
		const char *k = r->keywords[i];

		if ((c->summary && cmp_strcasestr(c->summary, k)) ||
		    (c->description && cmp_strcasestr(c->description, k)))
			return 1;
	}
	return 0;
}

/* Set *slot to v unless an earlier rule (or, without overwrite, anyone)
   gave it a value. */
static void
route(char **slot, const char *v, unsigned bit, unsigned *taken,
      unsigned flags)
{
	if (!v || (*taken & bit))
		return;
	if (*slot && !(flags & CMP_RULES_OVERWRITE))
		return;
	*taken |= bit;
	if (*slot && !strcmp(*slot, v))
		return;
	free(*slot);
	*slot = cmp_xstrdup(v);
}

int
cmp_rules_apply(const struct cmp_config *cfg, struct cmp_complaint *c,
		unsigned flags)
{
	unsigned taken = 0;
	int matched = 0;

	for (size_t i = 0; i < cfg->nrules; i++) {
		const struct cmp_rule *r = &cfg->rules[i];

		if (!cmp_rule_match(r, c))
			continue;
		matched++;
		route(&c->category, r->category, 1, &taken, flags);
		route(&c->severity, r->severity, 2, &taken, flags);
		route(&c->department, r->department, 4, &taken, flags);
		route(&c->owner, r->owner, 8, &taken, flags);
		for (size_t k = 0; k < r->ntags; k++)
			cmp_complaint_tag(c, r->tags[k]);
		if (r->stop)
			break;
	}
	return matched;
}
