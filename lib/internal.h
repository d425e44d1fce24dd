/*
 * internal.h - the private headers of libcomplaint at once (all but the
 * store's own and the backend's), and <cjson/cJSON.h>: for the unit
 * tests and the fuzz targets, never for programs.  The library's own
 * files include just the headers they use (lib/README.md).
 */
#ifndef CMP_INTERNAL_H
#define CMP_INTERNAL_H

#include <cjson/cJSON.h>

#include "complaint.h"

#include "clock.h"
#include "config_load.h"
#include "context.h"
#include "csv.h"
#include "field.h"
#include "field_set.h"
#include "intake.h"
#include "json_alloc.h"
#include "json_parse.h"
#include "map.h"
#include "period.h"
#include "record.h"
#include "record_json.h"
#include "rules.h"
#include "sla.h"
#include "stream.h"
#include "util.h"
#include "validate.h"
#include "workflow.h"
#include "yaml_tree.h"

#include "store.h"

#endif /* CMP_INTERNAL_H */
