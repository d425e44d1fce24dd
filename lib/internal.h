/*
 * internal.h - structures shared by libcomplaint's files, not part of the
 * public API.
 */
#ifndef CMP_INTERNAL_H
#define CMP_INTERNAL_H

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

#endif /* CMP_INTERNAL_H */
