/*
 * where.h - a cmp-list --where condition as parsed (where.c), for the
 * query builder (query.c), which writes it as SQL, and for the tests.
 * Private to libcomplaint.
 */
#ifndef CMP_WHERE_H
#define CMP_WHERE_H

#include <stddef.h>

#include "complaint.h"

/*
 * The comparisons.  "in" is CMP_WHERE_EQ with several values, "not in"
 * CMP_WHERE_NE with several; "~" with several holds when any is
 * contained.  An enumeration's "<" and the like are made "in" the keys
 * that come before or after in the configuration, when parsed.
 */
/* The longest value "~" looks for, in bytes. */
#define CMP_CONTAINS_MAX 10000

enum cmp_where_op {
	CMP_WHERE_EQ,
	CMP_WHERE_NE,		/* also holds for null */
	CMP_WHERE_LT,
	CMP_WHERE_LE,
	CMP_WHERE_GT,
	CMP_WHERE_GE,
	CMP_WHERE_CONTAINS,	/* LIKE '%v%', case-insensitive for ASCII;
				   v of at most CMP_CONTAINS_MAX bytes */
	CMP_WHERE_NULL,
	CMP_WHERE_NOT_NULL
};

struct cmp_where {
	const struct cmp_field *f;	/* NULL: a member of attrs */
	char *key;			/* attrs.KEY: KEY */
	enum cmp_where_op op;
	/* The values as the store holds them: times as
	   "2026-11-20T01:15:00Z", dates "YYYY-MM-DD", booleans "1" or "0",
	   numbers as written (checked).  May be none: an enumeration's
	   "<" of its first key selects nothing. */
	char **values;
	size_t nvalues;
	/* attrs.KEY: every value is a number, compared with members that
	   are numbers (and, for = and !=, with the text of the others). */
	int numeric;
};

/* The condition as text, values quoted: "severity in 'high', 'critical'"
   (caller owns: free()).  For the tests and the fuzz target. */
char *cmp_where_describe(const struct cmp_where *w);

#endif /* CMP_WHERE_H */
