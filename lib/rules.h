/*
 * rules.h - the routing rules (rules.c): a decision list run over a
 * complaint by intake and by cmp-assign --route.  Not part of the
 * public API.
 */
#ifndef CMP_RULES_H
#define CMP_RULES_H

#include "complaint.h"

enum {
	CMP_RULES_OVERWRITE = 1 << 0	/* rules replace values already set */
};
/*
 * Run the decision list over c.  A field a rule sets is left alone when
 * it already has a value (given on input, or by an earlier rule) unless
 * CMP_RULES_OVERWRITE, in which case only earlier rules take precedence.
 * Tags add up.  A rule with stop ends the list.  Returns the number of
 * rules that matched.
 */
int cmp_rules_apply(const struct cmp_config *cfg, struct cmp_complaint *c,
		    unsigned flags);
/* 1 if rule r's conditions hold for c. */
int cmp_rule_match(const struct cmp_rule *r, const struct cmp_complaint *c);

#endif /* CMP_RULES_H */
