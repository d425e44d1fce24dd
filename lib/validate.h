/*
 * validate.h - checking values against the configuration (validate.c),
 * for setting fields (field_set.c).  Private to libcomplaint.
 */
#ifndef CMP_VALIDATE_H
#define CMP_VALIDATE_H

#include "complaint.h"

/* 1 if v is a key of the enumeration (or department) f draws from, or
   f draws from none. */
int cmp_field_enum_valid(const struct cmp_config *cfg,
			 const struct cmp_field *f, const char *v);
/* What a value of the enumeration is, for messages: "a severity". */
const char *cmp_enum_noun(enum cmp_enum_kind en);

#endif /* CMP_VALIDATE_H */
