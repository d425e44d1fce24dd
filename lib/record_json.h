/*
 * record_json.h - the record's JSON codec (record_json.c), the
 * library's side.  Private to libcomplaint.
 */
#ifndef CMP_RECORD_JSON_H
#define CMP_RECORD_JSON_H

#include <cjson/cJSON.h>

#include "complaint.h"

/* One field of c as a JSON value (caller owns: cJSON_Delete). */
cJSON *cmp_json_field(const struct cmp_field *f, const struct cmp_complaint *c,
		      unsigned flags);

/* Fingerprint of the fields given on input, for replay checks: a hash
   of their canonical text, 32 hex digits (caller owns). */
char *cmp_json_fingerprint(const struct cmp_complaint *c);
/* Whether fp is a stored fingerprint, hashed or (before the hash) the
   canonical text itself. */
int cmp_json_fingerprint_match(const char *fp, const char *stored);

#endif /* CMP_RECORD_JSON_H */
