/*
 * backend_pg_impl.h - the PostgreSQL backend's connection and statement,
 * shared by backend_pg.c (statements, transactions, open and close) and
 * backend_pg_defer.c (the deferred writes: the pipeline and COPY, and
 * the failures they map).  Private to the two.
 */
#ifndef CMP_BACKEND_PG_IMPL_H
#define CMP_BACKEND_PG_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "complaint.h"
#include "pq_load.h"

/* A table the deferred INSERTs of whole rows go to with COPY. */
struct pg_copy_table {
	char *target;		/* "table (columns)", as the INSERT names it */
	int rank;		/* the order of the COPYs: referenced first */
	struct cmp_buf rows;	/* COPY's text format, a line a row */
	size_t nrows;
	int checked, allowed;	/* COPY does what INSERT would (check_tables) */
};

/* A deferred write held back until the rows before it are sent. */
struct pg_held {
	char *name;		/* prepared on the server, or NULL: sql */
	char *sql;
	int nparams;
	char **values;		/* owned, NULL: null */
	int table;		/* its COPY table, or -1: not copyable */
};

struct pg_defer {
	struct pg_copy_table *tables;	/* for the connection's life */
	int ntables;
	struct pg_held *held;		/* in the order they were stepped */
	size_t nheld, held_size;
	size_t held_rows;	/* of held, those a COPY could take */
	int copying;		/* rows go to their table's text */
	size_t bytes;		/* held and buffered, to bound memory */
};

struct cmp_db {
	PGconn *conn;
	char *msg;		/* the last failure's message */
	int64_t changes;
	unsigned next_name;	/* of the statements prepared on the server */
	int queued;		/* deferred writes whose results are unread */
	struct pg_defer defer;	/* deferred writes not sent yet */
	/* Counted for $CMP_PG_TRACE (a file the counts are added to at
	   close): the tests' proof that a batch shares its round trips. */
	unsigned long trips, statements;
};

struct cmp_db_stmt {
	struct cmp_db *db;
	char *sql;		/* parameters as $N */
	char name[16];		/* prepared on the server; "" not */
	char cursor[16];	/* streamed through this cursor; "" not */
	int open;		/* the cursor is open on the server */
	int last;		/* its last page is read */
	int nparams;
	int defer;		/* CMP_DB_DEFER */
	int copy;		/* its COPY table (deferred INSERT), or -1 */
	char **values;		/* owned, NULL: null */
	PGresult *res;
	int row, nrows;
	int fetch_rows;		/* the next FETCH's; 0: FETCH_ROWS */
	int ran;
};

/* The failure's message kept for error(), trailing blanks cut. */
void cmp_pg_set_msg(struct cmp_db *d, const char *msg);
/* The code of a failed result (or of no result: the connection). */
int cmp_pg_fail_of(struct cmp_db *d, PGresult *r);

/* Send s with its parameters in pipeline mode, its result unread. */
int cmp_pg_send(struct cmp_db_stmt *s);
/* One round trip for the deferred writes sent and the statement sent
   after them (if last), whose result is *last. */
int cmp_pg_sync(struct cmp_db *d, PGresult **last);
/* Everything deferred sent and its results read: 0 or a failure. */
int cmp_pg_settle(struct cmp_db *d);

/* s's COPY table if s is a deferred INSERT of a whole row, else -1. */
int cmp_pg_copy_table(struct cmp_db *d, const char *sql, int nparams);
/* Step a deferred statement: held, buffered or sent. */
int cmp_pg_defer(struct cmp_db_stmt *s);
/* What is held and buffered sent to the server (not its results
   read): 0 or a failure, after which nothing is left to send. */
int cmp_pg_flush(struct cmp_db *d);
/* What is held and buffered dropped, never sent (a rollback). */
void cmp_pg_discard(struct cmp_db *d);
/* The connection's COPY tables freed (at close). */
void cmp_pg_defer_free(struct cmp_db *d);

#endif /* CMP_BACKEND_PG_IMPL_H */
