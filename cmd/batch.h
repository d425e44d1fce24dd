/*
 * batch.h - the programs' batch engine, for cmp-add's records and the
 * ids the changing programs take: items are handled a batch at a time,
 * each batch in one transaction (rolled back for --dry-run), and what an
 * item prints is printed only after its batch commits, so a line on
 * stdout is a change that is stored.
 */
#ifndef CMP_BATCH_H
#define CMP_BATCH_H

#include <stddef.h>
#include <stdio.h>

#include "common.h"

/* What one item came to. */
enum batch_step {
	BATCH_NEXT,	/* done, or refused and reported: go on */
	BATCH_SKIP,	/* refused and reported before anything was written:
			   a batch run again leaves it out */
	BATCH_REDO	/* the store refused a write midway, nothing reported:
			   roll the batch back and run it again safely */
};

struct batch;

/*
 * Do item i of the batch inside the open transaction.  With safe (the
 * batch runs again after a BATCH_REDO) each write takes a savepoint of
 * its own.  *line (NULL on entry) may be set to what to print after the
 * commit, malloc'd.  A failure of the whole run ends it: batch_fail.
 */
typedef enum batch_step (*batch_item_fn)(struct batch *b, size_t i,
					  int safe, char **line);
/* Let go of item i, once its batch is done. */
typedef void (*batch_release_fn)(struct batch *b, size_t i);
/* Before the items of a batch, in its transaction: read what they will
   ask the store (0, or a failure of the whole run, e set). */
typedef int (*batch_ahead_fn)(struct batch *b, struct cmp_error *e);

struct batch {
	/* Set by the caller before batch_start. */
	struct prog *p;
	size_t max;		/* items in a batch */
	size_t max_bytes;	/* or this much input (0: no limit) */
	int bulk;		/* a full batch makes the run a bulk load */
	int atomic;		/* all or nothing: one transaction to the end */
	FILE *spool;		/* lines held here until batch_end (or NULL) */
	batch_item_fn item;
	batch_release_fn release;	/* or NULL */
	batch_ahead_fn ahead;		/* or NULL */
	void *arg;		/* the caller's, for item and release */

	/* The engine's. */
	size_t n;		/* items queued: the caller's 0 .. n-1 */
	size_t bytes;		/* their input */
	unsigned char *skip;	/* BATCH_SKIP, per item */
	int in_tx;		/* a transaction is open */
	int in_bulk;		/* cmp_store_bulk is on */
};

void batch_start(struct batch *b);
/* The caller has filled its item b->n (from bytes of input): count it,
   and run the batch when it is full. */
void batch_add(struct batch *b, size_t bytes);
/* Run the items queued, if any; full: more may follow (see bulk). */
void batch_run(struct batch *b, int full);
/* The last batch, then the commit of an atomic run, the end of a bulk
   load, the spooled lines. */
void batch_end(struct batch *b);
/* Leave with e: the open transaction rolled back ("nothing stored" when
   atomic); what was committed of a bulk load is merged as at its end. */
void batch_fail(struct batch *b, struct cmp_error *e)
	__attribute__((noreturn));

#endif
