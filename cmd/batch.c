/*
 * batch.c - the programs' batch engine: begin, each item, commit (or
 * roll back for --dry-run), print after the commit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"

void
batch_start(struct batch *b)
{
	b->n = 0;
	b->bytes = 0;
	b->in_tx = 0;
	b->in_bulk = 0;
	b->skip = cmp_xcalloc(b->max, 1);
}

/* The end of a bulk load (cmp_store_bulk), after its last commit.  A
   dry run has nothing to end: its first transaction, where the load
   began, was rolled back. */
static int
end_bulk(struct batch *b, struct cmp_error *e)
{
	if (!b->in_bulk || b->p->dry_run)
		return 0;
	b->in_bulk = 0;
	return cmp_store_bulk(b->p->ctx.store, 0, e);
}

void
batch_fail(struct batch *b, struct cmp_error *e)
{
	struct cmp_error ignored;

	if (b->in_tx)
		cmp_store_rollback(b->p->ctx.store);
	b->in_tx = 0;
	if (b->atomic) {
		fprintf(stderr, "%s: nothing stored (--atomic)\n", b->p->name);
	} else {
		cmp_error_clear(&ignored);
		end_bulk(b, &ignored);
	}
	prog_fatal(b->p, e);
}

/* Commit, or roll back a dry run. */
static void
commit(struct batch *b)
{
	struct cmp_error e;

	cmp_error_clear(&e);
	if (b->p->dry_run)
		cmp_store_rollback(b->p->ctx.store);
	else if (cmp_store_commit(b->p->ctx.store, &e))
		batch_fail(b, &e);
	b->in_tx = 0;
}

static void
out_line(struct batch *b, const char *s)
{
	if (b->spool) {
		fputs(s, b->spool);
		fputc('\n', b->spool);
	} else {
		prog_print_line(s);
	}
}

/*
 * The batch in one transaction (an atomic run's stays open), its lines
 * printed after the commit.  It runs first without a savepoint for
 * each item: one per item is a cost every batch pays, for a write the
 * store refuses midway, which is rare.  When that happens (BATCH_REDO),
 * the batch is rolled back and run again with a savepoint for each
 * item, past the items already refused.  A redo rolls back the whole
 * transaction, so an atomic run's items must never ask for one
 * (cmp-add's rejected records write nothing).
 */
void
batch_run(struct batch *b, int full)
{
	struct cmp_store *st = b->p->ctx.store;
	struct cmp_error e;
	char **lines;
	int safe = 0, redo;

	if (!b->n)
		return;
	cmp_error_clear(&e);
	lines = cmp_xcalloc(b->n, sizeof(char *));
	memset(b->skip, 0, b->n);
again:
	if (!b->in_tx) {
		if (cmp_store_begin(st, &e))
			batch_fail(b, &e);
		b->in_tx = 1;
	}
	if (full && b->bulk && !b->in_bulk) {
		if (cmp_store_bulk(st, 1, &e))
			batch_fail(b, &e);
		b->in_bulk = 1;
	}
	if (b->ahead && b->ahead(b, &e))
		batch_fail(b, &e);
	redo = 0;
	for (size_t i = 0; i < b->n && !redo; i++) {
		if (b->skip[i])
			continue;
		switch (b->item(b, i, safe, &lines[i])) {
		case BATCH_NEXT:
			break;
		case BATCH_SKIP:
			b->skip[i] = 1;
			break;
		case BATCH_REDO:
			redo = 1;
			break;
		}
	}
	if (redo) {
		cmp_store_rollback(st);
		b->in_tx = 0;
		for (size_t i = 0; i < b->n; i++) {
			free(lines[i]);
			lines[i] = NULL;
		}
		safe = 1;
		goto again;
	}
	if (!b->atomic)
		commit(b);
	for (size_t i = 0; i < b->n; i++) {
		if (lines[i])
			out_line(b, lines[i]);
		free(lines[i]);
		if (b->release)
			b->release(b, i);
	}
	free(lines);
	if (!b->spool)
		fflush(stdout);
	b->n = 0;
	b->bytes = 0;
}

void
batch_add(struct batch *b, size_t bytes)
{
	b->n++;
	b->bytes += bytes;
	if (b->n == b->max || (b->max_bytes && b->bytes >= b->max_bytes))
		batch_run(b, 1);
}

void
batch_end(struct batch *b)
{
	struct cmp_error e;

	batch_run(b, 0);
	if (b->atomic && b->in_tx)
		commit(b);
	/*
	 * Every record is committed by now.  The end of a bulk load is
	 * upkeep (the text index merged, indexes built, the database's
	 * statistics); when it fails, as git's gc after a commit, it is
	 * said and the status stays: the work asked for is done, and the
	 * next load's end does it again (batch_fail would say "nothing
	 * stored" of an --atomic load that was).
	 */
	cmp_error_clear(&e);
	if (end_bulk(b, &e)) {
		char buf[2048];

		fprintf(stderr, "%s: warning: every record is stored, but the"
			" end of the load failed: %s; the next load of more"
			" than one batch ends it again\n", b->p->name,
			cmp_error_format(&e, buf, sizeof(buf)));
	}
	if (b->spool) {
		char buf[65536];
		size_t n;

		rewind(b->spool);
		while ((n = fread(buf, 1, sizeof(buf), b->spool)))
			fwrite(buf, 1, n, stdout);
		fclose(b->spool);
		b->spool = NULL;
	}
	free(b->skip);
	b->skip = NULL;
}
