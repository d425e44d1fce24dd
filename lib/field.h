/*
 * field.h - the record's field table (field.c), the library's side:
 * typed access to a field's storage, the bits saying which fields were
 * given on input, the enumeration a field draws from.  Private to
 * libcomplaint.
 */
#ifndef CMP_FIELD_H
#define CMP_FIELD_H

#include <stddef.h>

#include "complaint.h"

/* Typed access to a field's storage in a struct cmp_complaint. */
#define CMP_FPTR(type, f, c) ((type *)((char *)(c) + (f)->offset))
#define CMP_CFPTR(type, f, c) \
	((const type *)((const char *)(c) + (f)->offset))

/* Index of f in cmp_fields (its bit in present[]). */
size_t cmp_field_index(const struct cmp_field *f);
/* Whether f was given on input (see present[]); mark it given, or not
   (a value the toolkit assumed in its place). */
int cmp_field_present(const struct cmp_complaint *c,
		      const struct cmp_field *f);
void cmp_field_mark(struct cmp_complaint *c, const struct cmp_field *f);
void cmp_field_unmark(struct cmp_complaint *c, const struct cmp_field *f);
/* The enumeration f draws from (borrowed), NULL if none. */
const struct cmp_enum *cmp_field_enum(const struct cmp_config *cfg,
				      const struct cmp_field *f);

#endif /* CMP_FIELD_H */
