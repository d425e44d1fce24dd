/*
 * internal.h - structures shared by libcomplaint's files, not part of the
 * public API.
 */
#ifndef CMP_INTERNAL_H
#define CMP_INTERNAL_H

#include "complaint.h"

#define CMP_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* share/complaint/config.yaml, embedded by make (build/lib/defaults.c). */
extern const char cmp_default_config[];

/* One field of c as a JSON value (json.c; caller owns). */
cJSON *cmp_json_field(const struct cmp_field *f, const struct cmp_complaint *c,
		      unsigned flags);

#include "csv.h"
#include "json_alloc.h"
#include "json_parse.h"
#include "map.h"
#include "stream.h"
#include "yaml_tree.h"

#endif /* CMP_INTERNAL_H */
