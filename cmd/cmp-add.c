/*
 * cmp-add - register complaints: one from flags, or many from stdin.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "common.h"

static const char usage_text[] =
"usage: cmp-add [options] (-m SUMMARY | --description TEXT) [field flags]\n"
"       cmp-add [options] [--input-format json|csv] [--map FILE] [file ...]\n"
"\n"
"Register complaints: one from flags, or many from stdin or files (JSON\n"
"objects, arrays of objects, NDJSON; or CSV).  Prints each stored\n"
"complaint as one NDJSON line, after it is committed.\n"
"\n"
"  -m, --summary TEXT       summary (with --description: adds one complaint)\n"
"      --description TEXT   description\n"
"      --ref REF            external reference (unique; replays are no-ops)\n"
"      --received WHEN      when it was received (default: now)\n"
"      --channel C          channel (phone, email, web...)\n"
"      --customer NAME      customer name\n"
"      --phone P            customer phone\n"
"      --email E            customer e-mail\n"
"      --tier T             customer tier\n"
"      --product NAME       product name\n"
"      --category C         category\n"
"      --severity S         severity\n"
"      --remedy R           requested remedy\n"
"      --tag T              tag (repeatable)\n"
"      --input-format F     json (default) or csv\n"
"      --map FILE           YAML map of CSV columns to fields\n"
"      --atomic             all records or none\n"
"      --update             a known ref with new content updates it\n"
"      --dry-run            validate and print, store nothing\n"
"      --note TEXT          note for the journal\n"
"      --actor NAME         who records (default: $CMP_ACTOR, login)\n"
COMMON_USAGE
"\n"
"In stdin mode the field flags are defaults for fields a record leaves out.\n";

enum {
	OPT_REF = OPT_PROGRAM, OPT_RECEIVED, OPT_CHANNEL, OPT_CUSTOMER,
	OPT_PHONE, OPT_EMAIL, OPT_TIER, OPT_PRODUCT, OPT_CATEGORY,
	OPT_SEVERITY, OPT_REMEDY, OPT_TAG, OPT_DESCRIPTION, OPT_FORMAT,
	OPT_MAP, OPT_ATOMIC, OPT_UPDATE
};

static const struct option options[] = {
	COMMON_OPTIONS,
	CHANGE_OPTIONS,
	{"summary", required_argument, NULL, 'm'},
	{"description", required_argument, NULL, OPT_DESCRIPTION},
	{"ref", required_argument, NULL, OPT_REF},
	{"received", required_argument, NULL, OPT_RECEIVED},
	{"channel", required_argument, NULL, OPT_CHANNEL},
	{"customer", required_argument, NULL, OPT_CUSTOMER},
	{"phone", required_argument, NULL, OPT_PHONE},
	{"email", required_argument, NULL, OPT_EMAIL},
	{"tier", required_argument, NULL, OPT_TIER},
	{"product", required_argument, NULL, OPT_PRODUCT},
	{"category", required_argument, NULL, OPT_CATEGORY},
	{"severity", required_argument, NULL, OPT_SEVERITY},
	{"remedy", required_argument, NULL, OPT_REMEDY},
	{"tag", required_argument, NULL, OPT_TAG},
	{"input-format", required_argument, NULL, OPT_FORMAT},
	{"map", required_argument, NULL, OPT_MAP},
	{"atomic", no_argument, NULL, OPT_ATOMIC},
	{"update", no_argument, NULL, OPT_UPDATE},
	{NULL, 0, NULL, 0}
};

/* The field each flag fills. */
static const struct {
	int opt;
	const char *path;
} flag_fields[] = {
	{'m', "summary"}, {OPT_DESCRIPTION, "description"}, {OPT_REF, "ref"},
	{OPT_RECEIVED, "received_at"}, {OPT_CHANNEL, "channel"},
	{OPT_CUSTOMER, "customer.name"}, {OPT_PHONE, "customer.phone"},
	{OPT_EMAIL, "customer.email"}, {OPT_TIER, "customer.tier"},
	{OPT_PRODUCT, "product.name"}, {OPT_CATEGORY, "category"},
	{OPT_SEVERITY, "severity"}, {OPT_REMEDY, "requested_remedy"},
};

/* Records are committed in batches this large (or this many bytes). */
#define BATCH_RECORDS 2000
#define BATCH_BYTES (8u << 20)

struct pending {
	struct cmp_complaint c;
	char *input;
	long line;
};

struct add {
	struct prog p;
	unsigned flags;		/* CMP_ADD_* */
	int atomic;
	enum cmp_input_format format;
	const char *map_path;
	struct cmp_map *map;
	cJSON *defaults;	/* the field flags, as a partial record */
	int one;		/* flags mode: -m or --description given */
	struct pending *batch;
	size_t nbatch;
	size_t batch_bytes;
	FILE *spool;		/* --atomic: output held until the end */
	int in_tx;
	int bulk;		/* past a full batch: cmp_store_bulk */
	unsigned long records, stored;
	struct timespec start, last_progress;
	int progress;
};

/* Put value at a dotted path of obj, making the nested objects. */
static void
set_path(cJSON *obj, const char *path, cJSON *value)
{
	const char *dot = strchr(path, '.');
	cJSON *sub;
	char *head;

	if (!dot) {
		cJSON_DeleteItemFromObjectCaseSensitive(obj, path);
		cJSON_AddItemToObject(obj, path, value);
		return;
	}
	head = cmp_xstrndup(path, (size_t)(dot - path));
	sub = cJSON_GetObjectItemCaseSensitive(obj, head);
	if (!cJSON_IsObject(sub)) {
		cJSON_DeleteItemFromObjectCaseSensitive(obj, head);
		sub = cJSON_AddObjectToObject(obj, head);
	}
	free(head);
	set_path(sub, dot + 1, value);
}

/* Copy into rec each default it leaves out. */
static void
merge_defaults(cJSON *rec, const cJSON *defaults)
{
	const cJSON *d;

	cJSON_ArrayForEach(d, defaults) {
		cJSON *have = cJSON_GetObjectItemCaseSensitive(rec, d->string);

		if (!have) {
			cJSON_AddItemToObject(rec, d->string,
					      cJSON_Duplicate(d, 1));
		} else if (cJSON_IsObject(have) && cJSON_IsObject(d)) {
			merge_defaults(have, d);
		}
	}
}

static double
seconds_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) +
	       (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* A progress line, once a second, only for a person watching. */
static void
progress(struct add *a, int last)
{
	double total;

	if (!a->progress)
		return;
	if (!last && seconds_since(&a->last_progress) < 1.0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &a->last_progress);
	total = seconds_since(&a->start);
	if (total < 1.0)
		return;
	fprintf(stderr, "\r%s: %lu records, %.0f/s%s", a->p.name, a->records,
		a->records / total, last ? "\n" : "");
}

static void
report(struct add *a, struct cmp_error *e, const char *input, long line)
{
	if (!e->input[0] && input)
		cmp_error_at(e, input, line, 0);
	if (a->progress)
		fputc('\n', stderr);
	prog_error(&a->p, e);
}

/* The end of a bulk load (cmp_store_bulk), after its last commit. */
static int
end_bulk(struct add *a, struct cmp_error *e)
{
	if (!a->bulk || a->p.dry_run)
		return 0;
	a->bulk = 0;
	return cmp_store_bulk(a->p.ctx.store, 0, e);
}

/* Leave with the error: roll back the open transaction first; what was
   committed of a bulk load is merged as at its end. */
static void
fail(struct add *a, struct cmp_error *e)
{
	struct cmp_error ignored;

	if (a->in_tx)
		cmp_store_rollback(a->p.ctx.store);
	if (a->atomic) {
		fprintf(stderr, "%s: nothing stored (--atomic)\n", a->p.name);
	} else {
		cmp_error_clear(&ignored);
		end_bulk(a, &ignored);
	}
	prog_fatal(&a->p, e);
}

static void
out_line(struct add *a, const char *s)
{
	if (a->spool) {
		fputs(s, a->spool);
		fputc('\n', a->spool);
	} else {
		prog_print_line(s);
	}
}

/*
 * Store the batch in one transaction, each record under a savepoint so a
 * bad one is undone alone; print only after the commit.  A full batch
 * (more may follow) makes the run a bulk load.
 */
static void
flush_batch(struct add *a, int full)
{
	struct cmp_ctx *ctx = &a->p.ctx;
	struct cmp_error e;
	char **lines;
	size_t nlines = 0;

	if (!a->nbatch)
		return;
	cmp_error_clear(&e);
	if (!a->in_tx) {
		if (cmp_store_begin(ctx->store, &e))
			fail(a, &e);
		a->in_tx = 1;
	}
	if (full && !a->bulk) {
		if (cmp_store_bulk(ctx->store, 1, &e))
			fail(a, &e);
		a->bulk = 1;
	}
	lines = cmp_xcalloc(a->nbatch, sizeof(char *));
	for (size_t i = 0; i < a->nbatch; i++) {
		struct pending *pe = &a->batch[i];
		enum cmp_add_result res;
		int ret;

		/* A rejected record wrote nothing (see cmp_add): no savepoint
		   needed to skip it. */
		cmp_error_clear(&e);
		ret = cmp_add(ctx, &pe->c, a->flags, a->p.note, &res, &e);
		if (ret) {
			if (ret != CMP_EX_DATAERR)
				fail(a, &e);
			report(a, &e, pe->input, pe->line);
			if (a->atomic)
				fail(a, &e);
			continue;
		}
		lines[nlines++] = cmp_json_print(&pe->c, 0);
		a->stored++;
	}
	if (!a->atomic) {
		cmp_error_clear(&e);
		if (a->p.dry_run)
			cmp_store_rollback(ctx->store);
		else if (cmp_store_commit(ctx->store, &e))
			fail(a, &e);
		a->in_tx = 0;
	}
	for (size_t i = 0; i < nlines; i++) {
		out_line(a, lines[i]);
		free(lines[i]);
	}
	free(lines);
	if (!a->spool)
		fflush(stdout);
	for (size_t i = 0; i < a->nbatch; i++) {
		cmp_complaint_release(&a->batch[i].c);
		free(a->batch[i].input);
	}
	a->nbatch = 0;
	a->batch_bytes = 0;
}

/* Decode one record and queue it; a bad one is reported and skipped. */
static void
queue(struct add *a, cJSON *rec, const char *input, long line, size_t bytes)
{
	struct pending *pe = &a->batch[a->nbatch];
	struct cmp_error e;

	a->records++;
	cmp_error_clear(&e);
	if (a->defaults)
		merge_defaults(rec, a->defaults);
	cmp_complaint_init(&pe->c);
	if (cmp_json_decode(a->p.ctx.cfg, rec,
			    a->format == CMP_IN_CSV || a->one ?
			    CMP_DECODE_TEXT : 0,
			    a->p.ctx.now, &pe->c, &e)) {
		cmp_complaint_release(&pe->c);
		report(a, &e, input, line);
		if (a->atomic)
			fail(a, &e);
		return;
	}
	pe->input = cmp_xstrdup(input);	/* NULL for flags */
	pe->line = line;
	a->nbatch++;
	a->batch_bytes += bytes;
	if (a->nbatch == BATCH_RECORDS || a->batch_bytes >= BATCH_BYTES)
		flush_batch(a, 1);
	progress(a, 0);
}

static void
read_input(struct add *a, FILE *fp, const char *name)
{
	struct cmp_reader *r;
	struct cmp_error e;
	uint64_t before = 0;
	int ret;

	cmp_error_clear(&e);
	if (cmp_reader_new(&r, fp, name, a->format, a->map, 0, &e))
		fail(a, &e);
	for (;;) {
		cJSON *rec = NULL;
		long line = 0;
		uint64_t offset;

		cmp_error_clear(&e);
		ret = cmp_reader_next(r, &rec, &line, &e);
		if (ret == CMP_EX_DATAERR) {
			a->records++;
			report(a, &e, name, line);
			if (a->atomic) {
				cmp_reader_free(r);
				fail(a, &e);
			}
			continue;
		}
		if (ret) {
			cmp_reader_free(r);
			flush_batch(a, 0);
			fail(a, &e);
		}
		if (!rec)
			break;
		offset = cmp_reader_offset(r);
		queue(a, rec, name, line, (size_t)(offset - before));
		before = offset;
		cJSON_Delete(rec);
	}
	cmp_reader_free(r);
}

static void
parse_options(struct add *a, int argc, char **argv)
{
	int opt;

	while ((opt = getopt_long(argc, argv, "hm:", options, NULL)) != -1) {
		if (prog_option(&a->p, opt, optarg))
			continue;
		switch (opt) {
		case OPT_FORMAT:
			if (!strcmp(optarg, "json"))
				a->format = CMP_IN_JSON;
			else if (!strcmp(optarg, "csv"))
				a->format = CMP_IN_CSV;
			else
				prog_usage_error(&a->p, "--input-format: "
						 "'%s' is not json or csv",
						 optarg);
			continue;
		case OPT_MAP:
			a->map_path = optarg;
			a->format = CMP_IN_CSV;
			continue;
		case OPT_ATOMIC:
			a->atomic = 1;
			continue;
		case OPT_UPDATE:
			a->flags |= CMP_ADD_UPDATE;
			continue;
		case OPT_TAG: {
			cJSON *tags = cJSON_GetObjectItemCaseSensitive(
				a->defaults, "tags");

			if (!tags)
				tags = cJSON_AddArrayToObject(a->defaults,
							      "tags");
			cJSON_AddItemToArray(tags, cJSON_CreateString(optarg));
			continue;
		}
		}
		for (size_t i = 0; i < sizeof(flag_fields) /
				     sizeof(flag_fields[0]); i++) {
			if (flag_fields[i].opt != opt)
				continue;
			set_path(a->defaults, flag_fields[i].path,
				 cJSON_CreateString(optarg));
			if (opt == 'm' || opt == OPT_DESCRIPTION)
				a->one = 1;
		}
	}
}

int
main(int argc, char **argv)
{
	struct add a;
	struct cmp_error e;

	memset(&a, 0, sizeof(a));
	prog_init(&a.p, "cmp-add", usage_text);
	a.defaults = cJSON_CreateObject();
	parse_options(&a, argc, argv);
	if (a.one && optind < argc)
		prog_usage_error(&a.p, "a complaint from flags takes no "
				 "input files");
	if (a.one && a.map_path)
		prog_usage_error(&a.p, "--map reads CSV input, not flags");
	prog_open(&a.p);
	cmp_error_clear(&e);
	if (a.map_path && cmp_map_load(&a.map, a.map_path, &e))
		prog_fatal(&a.p, &e);
	a.batch = cmp_xcalloc(BATCH_RECORDS, sizeof(struct pending));
	a.progress = isatty(STDERR_FILENO) && !a.one;
	clock_gettime(CLOCK_MONOTONIC, &a.start);
	a.last_progress = a.start;
	if (a.atomic && !a.one && !(a.spool = tmpfile())) {
		cmp_error_set(&e, CMP_EX_IOERR, NULL,
			      "cannot make a temporary file for --atomic");
		prog_fatal(&a.p, &e);
	}

	if (a.one) {
		cJSON *rec = a.defaults;

		a.defaults = NULL;
		queue(&a, rec, NULL, 0, 0);
		cJSON_Delete(rec);
	} else if (optind == argc) {
		read_input(&a, stdin, "-");
	} else {
		for (int i = optind; i < argc; i++) {
			FILE *fp = strcmp(argv[i], "-") ?
				fopen(argv[i], "r") : stdin;

			if (!fp) {
				cmp_error_set(&e, CMP_EX_NOINPUT, NULL,
					      "cannot open '%s': %s", argv[i],
					      strerror(errno));
				prog_error(&a.p, &e);
				continue;
			}
			read_input(&a, fp, argv[i]);
			if (fp != stdin)
				fclose(fp);
		}
	}
	flush_batch(&a, 0);
	if (a.atomic && a.in_tx) {
		cmp_error_clear(&e);
		if (a.p.dry_run)
			cmp_store_rollback(a.p.ctx.store);
		else if (cmp_store_commit(a.p.ctx.store, &e))
			fail(&a, &e);
		a.in_tx = 0;
	}
	if (end_bulk(&a, &e))
		fail(&a, &e);
	if (a.spool) {
		char buf[65536];
		size_t n;

		rewind(a.spool);
		while ((n = fread(buf, 1, sizeof(buf), a.spool)))
			fwrite(buf, 1, n, stdout);
		fclose(a.spool);
	}
	progress(&a, 1);
	free(a.batch);
	cJSON_Delete(a.defaults);
	cmp_map_free(a.map);
	return prog_finish(&a.p);
}
