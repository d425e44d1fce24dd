/*
 * change.c - what the programs that change complaints share: the ids
 * (operands or stdin; cmp-show reads them the same way), each complaint
 * loaded, changed by the program's function and saved, through the batch
 * engine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "batch.h"
#include "common.h"

/* Ids handled in one transaction. */
#define ID_BATCH 1000

struct changes {
	struct batch b;
	int64_t ids[ID_BATCH];
	char *where[ID_BATCH];	/* "-:3" for a stdin line, NULL for argv */
	/* What was wrong with an entry that is not an id, reported in its
	   place among the others' diagnostics (NULL for an id). */
	struct cmp_error *bad[ID_BATCH];
	prog_change_fn fn;
	void *arg;
};

static int
report_at(struct prog *p, struct cmp_error *e, const char *where)
{
	prog_error_at(p, e, where);
	return e->code;
}

/* A refusal: the complaint is left as it was, the run goes on. */
static int
refusal(int code)
{
	return code == CMP_EX_DATAERR || code == CMP_EX_NOINPUT ||
	       code == CMP_EX_NOPERM || code == CMP_EX_USAGE;
}

/*
 * Change complaint i of the batch inside the open transaction, *line
 * its NDJSON.  A refusal before anything is written (an unknown id, a
 * transition the workflow refuses) is reported, changes nothing and is
 * skipped if the batch runs again.  The store refusing a write (a
 * constraint) may leave part of the change behind: with safe, the
 * write has a savepoint of its own, rolled back to; without, nothing
 * is reported and the batch must be run again safely.
 */
static enum batch_step
change_one(struct batch *b, size_t i, int safe, char **line)
{
	struct changes *ch = b->arg;
	struct prog *p = b->p;
	struct cmp_ctx *ctx = &p->ctx;
	struct cmp_change change = cmp_ctx_change(ctx, p->note);
	struct cmp_complaint before, c;
	struct cmp_error e;
	enum batch_step step = BATCH_NEXT;
	int ret, changed;

	cmp_error_clear(&e);
	cmp_complaint_init(&before);
	cmp_complaint_init(&c);
	if (ch->bad[i]) {
		prog_error(p, ch->bad[i]);
		return BATCH_SKIP;
	}
	if ((ret = cmp_store_load(ctx->store, ch->ids[i], &before, &e)))
		goto refused;
	cmp_complaint_copy(&c, &before);
	/* The savepoint holds what fn writes too (cmp-close --duplicate-of
	   journals the original). */
	if (safe && (ret = cmp_store_savepoint(ctx->store, &e)))
		prog_fatal(p, &e);
	if ((ret = ch->fn(p, &c, ch->arg, &e)) ||
	    (ret = cmp_complaint_check_keys(&before, &c, &e))) {
		if (safe)
			cmp_store_rollback_to(ctx->store);
		goto refused;
	}
	changed = !cmp_complaint_equal(&before, &c);
	/* A note alone is a change the journal keeps. */
	if (!changed && !p->note) {
		if (safe && (ret = cmp_store_release(ctx->store, &e)))
			goto fail;
		goto out;
	}
	if (changed)
		ret = cmp_store_save(ctx->store, &before, &c, NULL, &change,
				     &e);
	else
		ret = cmp_store_note(ctx->store, ch->ids[i], &change, &e);
	if (safe && !ret)
		ret = cmp_store_release(ctx->store, &e);
	if (ret && !safe && refusal(ret)) {
		step = BATCH_REDO;
		goto out;
	}
	if (ret) {
		if (safe)
			cmp_store_rollback_to(ctx->store);
		goto fail;
	}
	/* Only what changed goes on down the pipe. */
	*line = cmp_json_print(&c, 0);
	goto out;
refused:
	step = BATCH_SKIP;
fail:
	/* The store failing is the end of the run; a refusal is not. */
	if (!refusal(ret)) {
		cmp_store_rollback(ctx->store);
		report_at(p, &e, ch->where[i]);
		prog_fatal(p, &e);
	}
	report_at(p, &e, ch->where[i]);
out:
	cmp_complaint_release(&before);
	cmp_complaint_release(&c);
	return step;
}

/* The batch's complaints, read a page at a time rather than one by one
   as each is changed. */
static int
read_ahead(struct batch *b, struct cmp_error *e)
{
	struct changes *ch = b->arg;

	return cmp_store_read_ahead(b->p->ctx.store, ch->ids, b->n, e);
}

static void
release_one(struct batch *b, size_t i)
{
	struct changes *ch = b->arg;

	free(ch->where[i]);
	ch->where[i] = NULL;
	free(ch->bad[i]);
	ch->bad[i] = NULL;
}

static struct changes *
changes_start(struct prog *p, prog_change_fn fn, void *arg)
{
	struct changes *ch = cmp_xcalloc(1, sizeof(*ch));

	ch->fn = fn;
	ch->arg = arg;
	ch->b.p = p;
	ch->b.max = ID_BATCH;
	ch->b.item = change_one;
	ch->b.ahead = read_ahead;
	ch->b.release = release_one;
	ch->b.arg = ch;
	batch_start(&ch->b);
	return ch;
}

static void
queue_id(struct changes *ch, int64_t id, char *where, struct cmp_error *bad)
{
	ch->ids[ch->b.n] = id;
	ch->where[ch->b.n] = where;
	ch->bad[ch->b.n] = bad;
	batch_add(&ch->b, 0);
}

void
prog_change_ids(struct prog *p, const int64_t *ids, size_t n,
		prog_change_fn fn, void *arg)
{
	struct changes *ch = changes_start(p, fn, arg);

	for (size_t i = 0; i < n; i++)
		queue_id(ch, ids[i], NULL, NULL);
	batch_end(&ch->b);
	free(ch);
}

/* The id of a record from stdin: an object's "id", or a bare number. */
static int
record_id(const cJSON *rec, int64_t *id)
{
	const cJSON *v = cJSON_IsObject(rec) ?
		cJSON_GetObjectItemCaseSensitive(rec, "id") : rec;

	if (!v)
		return 0;
	if (cJSON_IsRaw(v))
		return !prog_parse_id(v->valuestring, id);
	if (cJSON_IsNumber(v) && v->valuedouble >= 1 &&
	    v->valuedouble < 9e15 &&
	    v->valuedouble == (double)(long long)v->valuedouble) {
		*id = (int64_t)v->valuedouble;
		return 1;
	}
	return 0;
}

struct prog_ids {
	struct prog *p;
	char **argv;		/* the operands, or NULL: stdin */
	int argc, next;
	struct cmp_reader *r;
	char where[32];		/* "-:3" */
};

struct prog_ids *
prog_ids_open(struct prog *p, int argc, char **argv)
{
	struct prog_ids *it;
	struct cmp_error e;

	if (argc <= 0 && isatty(STDIN_FILENO))
		prog_usage_error(p, "no complaint ids: give them as arguments "
				 "or on stdin");
	it = cmp_xcalloc(1, sizeof(*it));
	it->p = p;
	if (argc > 0) {
		it->argv = argv;
		it->argc = argc;
		return it;
	}
	cmp_error_clear(&e);
	if (cmp_reader_new(&it->r, stdin, "-", CMP_IN_JSON, NULL,
			   CMP_READ_IDS, &e)) {
		free(it);
		prog_fatal(p, &e);
	}
	return it;
}

int
prog_ids_next(struct prog_ids *it, int64_t *id, const char **where,
	      struct cmp_error *e)
{

	*where = NULL;
	while (it->argv && it->next < it->argc) {
		const char *arg = it->argv[it->next++];

		if (prog_parse_id(arg, id)) {
			cmp_error_set(e, CMP_EX_USAGE, NULL,
				      "'%s' is not a complaint id", arg);
			return 2;
		}
		return 1;
	}
	while (it->r) {
		cJSON *rec = NULL;
		long line = 0;
		int ret, got;

		cmp_error_clear(e);
		ret = cmp_reader_next(it->r, &rec, &line, e);
		if (ret == CMP_EX_DATAERR)
			return 2;
		if (ret)
			return -1;
		if (!rec)
			break;
		got = record_id(rec, id);
		cJSON_Delete(rec);
		if (!got) {
			cmp_error_set(e, CMP_EX_DATAERR, "id",
				      "expected a complaint id");
			cmp_error_at(e, "-", line, 0);
			return 2;
		}
		snprintf(it->where, sizeof(it->where), "-:%ld", line);
		*where = it->where;
		return 1;
	}
	return 0;
}

void
prog_ids_close(struct prog_ids *it)
{
	if (!it)
		return;
	if (it->r)
		cmp_reader_free(it->r);
	free(it);
}

void
prog_change_each(struct prog *p, int argc, char **argv, prog_change_fn fn,
		 void *arg)
{
	struct prog_ids *it = prog_ids_open(p, argc, argv);
	struct changes *ch = changes_start(p, fn, arg);
	struct cmp_error e;
	const char *where;
	int64_t id;
	int ret;

	cmp_error_clear(&e);
	while ((ret = prog_ids_next(it, &id, &where, &e)) > 0) {
		struct cmp_error *bad = NULL;

		if (ret == 2) {
			bad = cmp_xmalloc(sizeof(*bad));
			*bad = e;
		}
		queue_id(ch, ret == 2 ? 0 : id, where ? cmp_xstrdup(where) :
			 NULL, bad);
	}
	/* What was read before a failure to read on is still done. */
	batch_end(&ch->b);
	prog_ids_close(it);
	free(ch);
	if (ret < 0)
		prog_fatal(p, &e);
}
