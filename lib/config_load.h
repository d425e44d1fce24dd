/*
 * config_load.h - loading the configuration and looking things up in it
 * (config.c), the library's side.  Private to libcomplaint.
 */
#ifndef CMP_CONFIG_LOAD_H
#define CMP_CONFIG_LOAD_H

#include "complaint.h"

/* share/complaint/config.yaml, embedded by make (build/lib/defaults.c). */
extern const char cmp_default_config[];

#endif /* CMP_CONFIG_LOAD_H */
