/*
 * util.h - util.c's helpers used only inside libcomplaint (UTF-8,
 * searching, hashing) and CMP_ARRAY_LEN.  Private to libcomplaint.
 */
#ifndef CMP_UTIL_H
#define CMP_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "complaint.h"

#define CMP_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif /* CMP_UTIL_H */
