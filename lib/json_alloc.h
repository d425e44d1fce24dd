/*
 * json_alloc.h - cJSON allocation that gives up on exhaustion, for the
 * files that build cJSON trees from input (json_parse.c, csv.c) and
 * schema.c's attrs paths.
 * Private to libcomplaint.
 */
#ifndef CMP_JSON_ALLOC_H
#define CMP_JSON_ALLOC_H

#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

/*
 * cJSON reports exhaustion with NULL; like cmp_xmalloc, we give up.
 * Inline: it wraps every item the parser and the CSV reader create.
 */
static inline cJSON *
cmp_json_must(cJSON *item)
{
	if (!item) {
		fputs("libcomplaint: out of memory\n", stderr);
		abort();
	}
	return item;
}

#endif /* CMP_JSON_ALLOC_H */
