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

#endif /* CMP_FIELD_H */
