/*
 * report_field.c - a field's value as the report shows it: the label of
 * an enumeration's or a department's key, and values masked when the
 * report is redacted.  Used by the figures and by the renderers.
 */
#include <stdlib.h>
#include <string.h>

#include "complaint.h"
#include "config_load.h"
#include "field.h"
#include "report.h"

const char *
cmp_report_label(const struct cmp_config *cfg, const char *path,
		 const char *key)
{
	const struct cmp_field *f = cmp_field_find(path);
	const struct cmp_enum *en;

	if (!key)
		return "(none)";
	if (!f)
		return key;
	if (f->en == CMP_EN_DEPARTMENT) {
		const struct cmp_department *d =
			cmp_config_department(cfg, key);

		return d && d->label ? d->label : key;
	}
	en = cmp_field_enum(cfg, f);
	return en ? cmp_enum_label(en, key) : key;
}

char *
cmp_report_shown(const struct cmp_report *r, const char *path, const char *v)
{
	const struct cmp_field *f = cmp_field_find(path);

	if (!v)
		return NULL;
	if (r->redact && f && (f->flags & CMP_FF_PERSONAL))
		return cmp_redact_text(f->flags, v);
	if (r->redact && f && f->type == CMP_F_TEXT) {
		struct cmp_complaint none;

		/* Free text (a root cause, a summary): phones, e-mails. */
		cmp_complaint_init(&none);
		return cmp_redact_free_text(&none, v);
	}
	return cmp_xstrdup(v);
}
