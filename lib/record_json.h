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

#endif /* CMP_RECORD_JSON_H */
