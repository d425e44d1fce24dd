/*
 * row.h - a complaint as a row (row.c): private to the store's files.
 */
#ifndef CMP_ROW_H
#define CMP_ROW_H

#include "complaint.h"
#include "backend.h"

/* Parameter i of s: the time as the canonical text we store, or null. */
void cmp_row_bind_time(const struct cmp_backend *be, struct cmp_db_stmt *s,
		       int i, cmp_time t);
/* Column i of the current row as a time (0: null or not canonical). */
cmp_time cmp_row_column_time(const struct cmp_backend *be,
			     struct cmp_db_stmt *s, int i);
/* Column i as a string the caller owns, or NULL. */
char *cmp_row_column_strdup(const struct cmp_backend *be,
			    struct cmp_db_stmt *s, int i);
/* Field f of c as parameter i of s. */
void cmp_row_bind_field(const struct cmp_backend *be, struct cmp_db_stmt *s,
			int i, const struct cmp_field *f,
			const struct cmp_complaint *c);
/* Fill c's stored fields from the current row of a SELECT of
   cmp_schema_stmt_sql(ST_BY_*)'s shape; not its follow-ups. */
void cmp_row_read_fields(const struct cmp_backend *be, struct cmp_db_stmt *s,
			 struct cmp_complaint *c, char **fingerprint);

#endif /* CMP_ROW_H */
