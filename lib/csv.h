/*
 * csv.h - the CSV side of the record reader (csv.c): rows of a stream
 * as records.  Private to libcomplaint.
 */
#ifndef CMP_CSV_H
#define CMP_CSV_H

#include <cjson/cJSON.h>

#include "complaint.h"
#include "map.h"
#include "stream.h"

/* Reads rows of s (borrowed), through map (borrowed, may be NULL). */
struct cmp_csv;
void cmp_csv_new(struct cmp_csv **out, struct cmp_stream *s,
		 const struct cmp_map *map);
/* As cmp_reader_next(). */
int cmp_csv_next(struct cmp_csv *c, cJSON **obj, long *line,
		 struct cmp_error *e);
void cmp_csv_free(struct cmp_csv *c);

#endif /* CMP_CSV_H */
