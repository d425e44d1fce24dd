/*
 * backend_pg_text.h - what backend_pg_text.c (the PostgreSQL backend's
 * text: statements, statuses) gives backend_pg.c (its connection,
 * libpq's).  Private to the two.
 */
#ifndef CMP_BACKEND_PG_TEXT_H
#define CMP_BACKEND_PG_TEXT_H

struct cmp_error;

/* Failures of the backend: its negative codes. */
enum pg_fail {
	PG_BUSY = -1,		/* a lock not had within the busy timeout */
	PG_GONE = -2,		/* the connection or server went away */
	PG_READONLY = -3,	/* read-only transaction, or no privilege */
	PG_CONSTRAINT = -4,
	PG_CONNECT = -5,	/* cannot connect */
	PG_FULL = -6,		/* disk full */
	PG_ABORTED = -7,	/* COMMIT of a transaction already failed */
	PG_OTHER = -8,
	PG_UNSUPPORTED = -9,
};

/* rc as a status and message in e, msg the server's (path the store's
   name). */
int cmp_pg_status(int rc, const char *msg, const char *path,
		  struct cmp_error *e);
/* sql's parameters as $N (caller owns: free()); *nparams the largest N. */
char *cmp_pg_params(const char *sql, int *nparams);

#endif /* CMP_BACKEND_PG_TEXT_H */
