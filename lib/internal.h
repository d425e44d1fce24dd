/*
 * internal.h - every private header of libcomplaint at once, and
 * <cjson/cJSON.h>: for the library's files and its tests, never for
 * programs.  A file may include just the private headers it needs.
 */
#ifndef CMP_INTERNAL_H
#define CMP_INTERNAL_H

#include <cjson/cJSON.h>

#include "complaint.h"

#include "config_load.h"
#include "csv.h"
#include "field.h"
#include "field_set.h"
#include "json_alloc.h"
#include "json_parse.h"
#include "map.h"
#include "record.h"
#include "record_json.h"
#include "stream.h"
#include "util.h"
#include "validate.h"
#include "yaml_tree.h"

/* The store's declarations for the rest of the library. */
#include "store.h"

#endif /* CMP_INTERNAL_H */
