/*
 * Fuzz target: CSV map files (cmp_map_load_text).  What loads is walked
 * and freed; a refusal must be a configuration error and leave nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "complaint.h"
#include "internal.h"

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct cmp_map *map = NULL;
	struct cmp_error e;
	char buf[1024];

	cmp_error_clear(&e);
	if (cmp_map_load_text(&map, (const char *)data, size, "fuzz.map.yaml",
			      &e) == 0) {
		size_t n = 0;

		if (!map || !map->nfields)
			abort();
		/* Touch what the loader made: a field has exactly one
		   source, and its translations are whole. */
		for (size_t i = 0; i < map->nfields; i++) {
			const struct cmp_map_field *f = &map->fields[i];

			if (!!f->column + !!f->template + !!f->value != 1)
				abort();
			n += strlen(f->path);
			for (size_t k = 0; k < f->nvalues; k++)
				n += strlen(f->from[k]) +
				     (f->to[k] ? strlen(f->to[k]) : 0);
		}
		(void)n;
		cmp_map_free(map);
	} else {
		if (map || e.code != CMP_EX_CONFIG)
			abort();
		cmp_error_format(&e, buf, sizeof(buf));
	}
	return 0;
}
