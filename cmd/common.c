/*
 * common.c - the programs' shared frame: options, context, messages,
 * exit status.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "common.h"

void
prog_init(struct prog *p, const char *name, const char *usage)
{
	memset(p, 0, sizeof(*p));
	p->name = name;
	p->usage = usage;
}

int
prog_option(struct prog *p, int opt, const char *arg)
{
	switch (opt) {
	case OPT_DB:
		p->opts.db = arg;
		return 1;
	case OPT_CONFIG:
		p->opts.config = arg;
		return 1;
	case OPT_ACTOR:
		p->opts.actor = arg;
		return 1;
	case OPT_DRY_RUN:
		p->dry_run = 1;
		return 1;
	case OPT_NOTE:
		p->note = arg;
		return 1;
	case 'h':
		fputs(p->usage, stdout);
		exit(fflush(stdout) || ferror(stdout) ? CMP_EX_IOERR : 0);
	case OPT_VERSION:
		printf("%s (complaint) %s\n", p->name, CMP_VERSION);
		exit(fflush(stdout) || ferror(stdout) ? CMP_EX_IOERR : 0);
	case '?':
		/* getopt_long has said what was wrong. */
		prog_usage_error(p, NULL);
	}
	return 0;
}

void
prog_usage_error(struct prog *p, const char *fmt, ...)
{
	const char *nl;
	va_list ap;

	if (fmt) {
		fprintf(stderr, "%s: ", p->name);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	/* The first line of the help: the synopsis. */
	nl = strchr(p->usage, '\n');
	fprintf(stderr, "%.*s\n", nl ? (int)(nl - p->usage) : -1, p->usage);
	fprintf(stderr, "Try '%s --help' for more information.\n", p->name);
	exit(CMP_EX_USAGE);
}

void
prog_open(struct prog *p)
{
	struct cmp_error e;

	cmp_error_clear(&e);
	if (cmp_ctx_open(&p->ctx, p->name, &p->opts, &e))
		prog_fatal(p, &e);
}

void
prog_error(struct prog *p, const struct cmp_error *e)
{
	char buf[2048];

	fprintf(stderr, "%s: %s\n", p->name,
		cmp_error_format(e, buf, sizeof(buf)));
	prog_status(p, e->code ? e->code : CMP_EX_SOFTWARE);
}

void
prog_fatal(struct prog *p, const struct cmp_error *e)
{
	prog_error(p, e);
	cmp_ctx_close(&p->ctx);
	fflush(stdout);
	exit(e->code ? e->code : CMP_EX_SOFTWARE);
}

void
prog_status(struct prog *p, int status)
{
	int soft = status == CMP_EX_DATAERR || status == CMP_EX_NOINPUT;
	int was_soft = p->status == CMP_EX_DATAERR ||
		       p->status == CMP_EX_NOINPUT;

	if (!status)
		return;
	if (!p->status || (was_soft && !soft))
		p->status = status;
}

void
prog_print_line(const char *s)
{
	fputs(s, stdout);
	putchar('\n');
}

int
prog_finish(struct prog *p)
{
	cmp_ctx_close(&p->ctx);
	/* A full disk or a closed pipe is an error, not silent loss. */
	if (fflush(stdout) || ferror(stdout) || fclose(stdout)) {
		if (errno != EPIPE)
			fprintf(stderr, "%s: cannot write output: %s\n",
				p->name, strerror(errno));
		prog_status(p, CMP_EX_IOERR);
	}
	return p->status;
}

/* Ids handled in one transaction. */
#define ID_BATCH 1000

struct batch {
	int64_t ids[ID_BATCH];
	char *where[ID_BATCH];	/* "-:3" for a stdin line, NULL for argv */
	unsigned char refused[ID_BATCH];	/* reported, left as it was */
	size_t n;
};

static int
report_at(struct prog *p, struct cmp_error *e, const char *where)
{
	char buf[2048];

	if (where && !e->input[0])
		snprintf(e->input, sizeof(e->input), "%s", where);
	fprintf(stderr, "%s: %s\n", p->name,
		cmp_error_format(e, buf, sizeof(buf)));
	prog_status(p, e->code);
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
 * Change complaint i of the batch inside the open transaction; its
 * NDJSON or NULL.  A refusal before anything is written (an unknown id,
 * a transition the workflow refuses) is reported and marked, and
 * changes nothing.  The store refusing a write (a constraint) may leave
 * part of the change behind: with safe, the write has a savepoint of
 * its own, rolled back to; without, *redo is set, nothing reported,
 * and the batch must be rolled back and run again safely.
 */
static char *
change_one(struct prog *p, struct batch *b, size_t i, int safe,
	   prog_change_fn fn, void *arg, int *redo)
{
	struct cmp_ctx *ctx = &p->ctx;
	struct cmp_change ch = cmp_ctx_change(ctx, p->note);
	struct cmp_complaint before, c;
	struct cmp_error e;
	char *line = NULL;
	int ret, changed;

	cmp_error_clear(&e);
	cmp_complaint_init(&before);
	cmp_complaint_init(&c);
	if ((ret = cmp_store_load(ctx->store, b->ids[i], &before, &e)))
		goto refused;
	cmp_complaint_copy(&c, &before);
	if ((ret = fn(p, &c, arg, &e)))
		goto refused;
	changed = !cmp_complaint_equal(&before, &c) ||
		  before.escalated_for != c.escalated_for;
	/* A note alone is a change the journal keeps. */
	if (!changed && !p->note)
		goto out;
	if (safe && (ret = cmp_store_savepoint(ctx->store, &e)))
		prog_fatal(p, &e);
	if (changed)
		ret = cmp_store_save(ctx->store, &before, &c, NULL, &ch, &e);
	else
		ret = cmp_store_note(ctx->store, b->ids[i], &ch, &e);
	if (safe && !ret)
		ret = cmp_store_release(ctx->store, &e);
	if (ret && !safe && refusal(ret)) {
		*redo = 1;
		goto out;
	}
	if (ret) {
		if (safe)
			cmp_store_rollback_to(ctx->store);
		goto fail;
	}
	/* Only what changed goes on down the pipe. */
	line = cmp_json_print(&c, 0);
	goto out;
refused:
	b->refused[i] = 1;
fail:
	/* The store failing is the end of the run; a refusal is not. */
	if (!refusal(ret)) {
		cmp_store_rollback(ctx->store);
		report_at(p, &e, b->where[i]);
		prog_fatal(p, &e);
	}
	report_at(p, &e, b->where[i]);
out:
	cmp_complaint_release(&before);
	cmp_complaint_release(&c);
	return line;
}

/*
 * A batch in one transaction, its lines printed after the commit.  It
 * runs first without a savepoint for each complaint (they cost 7-10%:
 * 4,643 assignments on 100,000 in 0.31 s against 0.29, 10,000 tags in
 * 0.49 against 0.45); if the store refuses a write midway, it is rolled
 * back and run again with them, past the complaints already refused.
 */
static void
run_batch(struct prog *p, struct batch *b, prog_change_fn fn, void *arg)
{
	struct cmp_error e;
	char **lines;
	int safe = 0, redo;

	if (!b->n)
		return;
	cmp_error_clear(&e);
	lines = cmp_xcalloc(b->n, sizeof(char *));
	memset(b->refused, 0, b->n);
again:
	if (cmp_store_begin(p->ctx.store, &e))
		prog_fatal(p, &e);
	redo = 0;
	for (size_t i = 0; i < b->n && !redo; i++)
		if (!b->refused[i])
			lines[i] = change_one(p, b, i, safe, fn, arg, &redo);
	if (redo) {
		cmp_store_rollback(p->ctx.store);
		for (size_t i = 0; i < b->n; i++) {
			free(lines[i]);
			lines[i] = NULL;
		}
		safe = 1;
		goto again;
	}
	if (p->dry_run)
		cmp_store_rollback(p->ctx.store);
	else if (cmp_store_commit(p->ctx.store, &e))
		prog_fatal(p, &e);
	for (size_t i = 0; i < b->n; i++) {
		if (lines[i])
			prog_print_line(lines[i]);
		free(lines[i]);
		free(b->where[i]);
	}
	free(lines);
	fflush(stdout);
	b->n = 0;
}

static void
queue_id(struct prog *p, struct batch *b, int64_t id, char *where,
	 prog_change_fn fn, void *arg)
{
	b->ids[b->n] = id;
	b->where[b->n++] = where;
	if (b->n == ID_BATCH)
		run_batch(p, b, fn, arg);
}

void
prog_change_ids(struct prog *p, const int64_t *ids, size_t n,
		prog_change_fn fn, void *arg)
{
	struct batch *b = cmp_xcalloc(1, sizeof(*b));

	for (size_t i = 0; i < n; i++)
		queue_id(p, b, ids[i], NULL, fn, arg);
	run_batch(p, b, fn, arg);
	free(b);
}

/* The id of a record from stdin: an object's "id", or a bare number. */
static int
record_id(const cJSON *rec, int64_t *id)
{
	const cJSON *v = cJSON_IsObject(rec) ?
		cJSON_GetObjectItemCaseSensitive(rec, "id") : rec;
	char *end;
	long long n;

	if (!v)
		return 0;
	if (cJSON_IsRaw(v)) {
		n = strtoll(v->valuestring, &end, 10);
		if (*end || n <= 0)
			return 0;
	} else if (cJSON_IsNumber(v) && v->valuedouble >= 1 &&
		   v->valuedouble < 9e15 &&
		   v->valuedouble == (double)(long long)v->valuedouble) {
		n = (long long)v->valuedouble;
	} else {
		return 0;
	}
	*id = n;
	return 1;
}

void
prog_change_each(struct prog *p, int argc, char **argv, prog_change_fn fn,
		 void *arg)
{
	struct batch *b;
	struct cmp_reader *r;
	struct cmp_error e;

	if (argc > 0) {
		int64_t *ids = cmp_xcalloc((size_t)argc, sizeof(int64_t));
		size_t n = 0;

		for (int i = 0; i < argc; i++) {
			char *end;
			long long v = strtoll(argv[i], &end, 10);

			if (*end || v <= 0 || !*argv[i]) {
				fprintf(stderr, "%s: '%s' is not a complaint "
					"id\n", p->name, argv[i]);
				prog_status(p, CMP_EX_USAGE);
				continue;
			}
			ids[n++] = v;
		}
		prog_change_ids(p, ids, n, fn, arg);
		free(ids);
		return;
	}
	if (isatty(STDIN_FILENO))
		prog_usage_error(p, "no complaint ids: give them as arguments "
				 "or on stdin");
	cmp_error_clear(&e);
	if (cmp_reader_new(&r, stdin, "-", CMP_IN_JSON, NULL, CMP_READ_IDS,
			   &e))
		prog_fatal(p, &e);
	b = cmp_xcalloc(1, sizeof(*b));
	for (;;) {
		cJSON *rec = NULL;
		long line = 0;
		int64_t id;
		int ret;

		cmp_error_clear(&e);
		ret = cmp_reader_next(r, &rec, &line, &e);
		if (ret == CMP_EX_DATAERR) {
			report_at(p, &e, NULL);
			continue;
		}
		if (ret) {
			run_batch(p, b, fn, arg);
			cmp_reader_free(r);
			free(b);
			prog_fatal(p, &e);
		}
		if (!rec)
			break;
		if (!record_id(rec, &id)) {
			cmp_error_set(&e, CMP_EX_DATAERR, "id",
				      "expected a complaint id");
			cmp_error_at(&e, "-", line, 0);
			report_at(p, &e, NULL);
		} else {
			queue_id(p, b, id, cmp_xasprintf("-:%ld", line), fn,
				 arg);
		}
		cJSON_Delete(rec);
	}
	run_batch(p, b, fn, arg);
	cmp_reader_free(r);
	free(b);
}
