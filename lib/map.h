/*
 * map.h - CSV column maps (map.c): how each field of a record is made
 * from a row of someone else's export; read by csv.c.  Private to
 * libcomplaint.
 */
#ifndef CMP_MAP_H
#define CMP_MAP_H

#include <stddef.h>

#include "complaint.h"

/* How one field of the record is made from a CSV row. */
struct cmp_map_field {
	char *path;		/* target: "customer.name", "attrs.company" */
	char *column;		/* take this column's value, or */
	char *template;		/* expand "{Column} text {Other}", or */
	char *value;		/* this constant */
	char *time_format;	/* strptime(3) format of the value, or NULL */
	char **from;		/* value translation: from[i] -> to[i] */
	char **to;		/* (to[i] NULL: leave the field out) */
	size_t nvalues;
	char *otherwise;	/* value when no from[] matches; NULL: as is,
				   "": leave the field out */
	char *when_column;	/* the field only for rows whose cell of */
	char *when_value;	/* when_column is when_value (NULL: all) */
	long line;		/* line in the map file */
};

struct cmp_map {
	char *name;		/* map file name, for messages */
	char delimiter;		/* ',' unless the map says "\t" or ';' */
	struct cmp_map_field *fields;
	size_t nfields;
};

/* cmp_map_load() from text in memory; name is used in messages. */
int cmp_map_load_text(struct cmp_map **out, const char *text, size_t len,
		      const char *name, struct cmp_error *e);

#endif /* CMP_MAP_H */
