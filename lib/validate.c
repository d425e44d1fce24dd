/*
 * validate.c - checking a record against the configuration: the values
 * of enumerations (also for field_set.c, value by value), the required
 * fields, e-mail addresses, the length of what an index holds.
 */
#include <string.h>

#include "config_load.h"
#include "field.h"
#include "validate.h"

const char *
cmp_enum_noun(enum cmp_enum_kind en)
{
	switch (en) {
	case CMP_EN_STATUS: return "a status";
	case CMP_EN_CHANNEL: return "a channel";
	case CMP_EN_CATEGORY: return "a category";
	case CMP_EN_SEVERITY: return "a severity";
	case CMP_EN_TIER: return "a customer tier";
	case CMP_EN_REMEDY: return "a remedy";
	case CMP_EN_RESOLUTION: return "a resolution type";
	case CMP_EN_COMPLAINANT: return "a complainant type";
	case CMP_EN_DEPARTMENT: return "a department";
	case CMP_EN_NONE: break;
	}
	return "a value";
}

int
cmp_field_enum_valid(const struct cmp_config *cfg, const struct cmp_field *f,
	   const char *v)
{
	const struct cmp_enum *en;

	if (f->en == CMP_EN_DEPARTMENT)
		return cmp_config_department(cfg, v) != NULL;
	en = cmp_field_enum(cfg, f);
	return !en || cmp_enum_has(en, v);
}

int
cmp_complaint_validate(const struct cmp_config *cfg,
		       const struct cmp_complaint *c, struct cmp_error *e)
{
	const char *at;

	if (!c->summary && !c->description)
		return cmp_error_set(e, CMP_EX_DATAERR, "summary",
				     "a summary or a description is required");
	if (!c->customer.name && !c->customer.phone && !c->customer.email)
		return cmp_error_set(e, CMP_EX_DATAERR, "customer",
				     "a customer name, phone or email is "
				     "required");
	if (c->customer.email &&
	    (!(at = strchr(c->customer.email, '@')) ||
	     at == c->customer.email || !at[1]))
		return cmp_error_set(e, CMP_EX_DATAERR, "customer.email",
				     "'%s' is not an e-mail address",
				     c->customer.email);
	/* Given on input or now: only a change can clear it, which the
	   store's NOT NULL would refuse in its own words. */
	if (!c->received_at)
		return cmp_error_set(e, CMP_EX_DATAERR, "received_at",
				     "the time received is required");
	for (size_t i = 0; i < cmp_nfields; i++) {
		const struct cmp_field *f = &cmp_fields[i];
		const char *v;

		if (f->type != CMP_F_ENUM)
			continue;
		v = *CMP_CFPTR(char *, f, c);
		if (v && !cmp_field_enum_valid(cfg, f, v))
			return cmp_error_set(e, CMP_EX_DATAERR, f->path,
					     "'%s' is not %s", v,
					     cmp_enum_noun(f->en));
	}
	for (size_t i = 0; i < c->nfollowups; i++)
		if (c->followups[i].channel &&
		    !cmp_enum_has(&cfg->channels, c->followups[i].channel))
			return cmp_error_set(e, CMP_EX_DATAERR,
					     "followups.channel",
					     "'%s' is not a channel",
					     c->followups[i].channel);
	return 0;
}

/* 65 when v is longer than an index takes. */
static int
key_fits(const char *path, const char *what, const char *v,
	 struct cmp_error *e)
{
	size_t n = v ? strlen(v) : 0;

	if (n <= CMP_KEY_MAX)
		return 0;
	return cmp_error_set(e, CMP_EX_DATAERR, path, "%s of %zu bytes: at "
			     "most %d", what, n, CMP_KEY_MAX);
}

int
cmp_complaint_check_keys(const struct cmp_complaint *before,
			 const struct cmp_complaint *c, struct cmp_error *e)
{
	int ret = 0;

	for (size_t i = 0; i < cmp_nfields && !ret; i++) {
		const struct cmp_field *f = &cmp_fields[i];

		if (!(f->flags & CMP_FF_KEY) ||
		    (before && cmp_field_equal(f, before, c)))
			continue;
		if (f->type != CMP_F_TAGS) {
			ret = key_fits(f->path, "a value",
				       *CMP_CFPTR(char *, f, c), e);
			continue;
		}
		/* Only the tags added: one a store took earlier blocks no
		   other change of them. */
		for (size_t k = 0; k < c->ntags && !ret; k++)
			if (!before ||
			    !cmp_complaint_has_tag(before, c->tags[k]))
				ret = key_fits(f->path, "a tag", c->tags[k], e);
	}
	return ret;
}
