/*
 * field_set.h - field_set.c's functions used only inside libcomplaint.
 */
#ifndef CMP_FIELD_SET_H
#define CMP_FIELD_SET_H

#include "complaint.h"

/*
 * Set f from text (NULL or "" = null), validated as input would be:
 * enumerations against cfg, times through cmp_time_parse in cfg's zone.
 * Returns 0 or 65 with e->field set.  Marks f present.
 */
int cmp_field_set_text(const struct cmp_config *cfg, struct cmp_complaint *c,
		       const struct cmp_field *f, const char *text,
		       cmp_time now, struct cmp_error *e);

#endif /* CMP_FIELD_SET_H */
