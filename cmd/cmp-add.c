/*
 * cmp-add - register complaints: one from flags, or many from stdin or
 * files, through the batch engine (batch.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "batch.h"
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
	/* Why the record could not be read or decoded, reported in its
	   place among the others' diagnostics (NULL: a record). */
	struct cmp_error *bad;
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
	struct pending *pending;	/* the batch's records */
	struct batch b;
	unsigned long records;
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

/*
 * Store record i of the batch inside the open transaction.  A rejected
 * record wrote nothing (see cmp_add), so it needs no savepoint to be
 * skipped: it is reported and the others go on (all stop with
 * --atomic).
 */
static enum batch_step
add_one(struct batch *b, size_t i, int safe, char **line)
{
	struct add *a = b->arg;
	struct pending *pe = &a->pending[i];
	enum cmp_add_result res;
	struct cmp_error e;
	int ret;

	cmp_error_clear(&e);
	if (pe->bad) {
		report(a, pe->bad, pe->input, pe->line);
		if (a->b.atomic)
			batch_fail(b, pe->bad);
		return BATCH_SKIP;
	}
	ret = cmp_add(&a->p.ctx, &pe->c, a->flags, a->p.note, &res, &e);
	if (ret) {
		if (ret != CMP_EX_DATAERR)
			batch_fail(b, &e);
		report(a, &e, pe->input, pe->line);
		if (a->b.atomic)
			batch_fail(b, &e);
		return BATCH_SKIP;
	}
	if (res == CMP_SKIPPED) {
		/* An update older than the store's: no error, the stored
		   record printed as a replay prints it. */
		if (!e.input[0] && pe->input)
			cmp_error_at(&e, pe->input, pe->line, 0);
		prog_note(&a->p, &e);
	}
	*line = cmp_json_print(&pe->c, 0);
	return BATCH_NEXT;
}

/* The batch's records, read ahead (cmp_add_ahead). */
static int
add_ahead(struct batch *b, struct cmp_error *e)
{
	struct add *a = b->arg;
	struct cmp_complaint **cs = cmp_xcalloc(b->n, sizeof(*cs));
	size_t n = 0;
	int ret;

	for (size_t i = 0; i < b->n; i++)
		if (!a->pending[i].bad && !b->skip[i])
			cs[n++] = &a->pending[i].c;
	ret = cmp_add_ahead(&a->p.ctx, cs, n, e);
	free(cs);
	return ret;
}

static void
release_one(struct batch *b, size_t i)
{
	struct add *a = b->arg;

	cmp_complaint_release(&a->pending[i].c);
	free(a->pending[i].input);
	free(a->pending[i].bad);
	a->pending[i].bad = NULL;
}

/* Queue what was read at input's line: a record, or (e set) why it is
   not one. */
static void
queue_at(struct add *a, const char *input, long line, size_t bytes,
	 const struct cmp_error *e)
{
	struct pending *pe = &a->pending[a->b.n];

	pe->input = cmp_xstrdup(input);	/* NULL for flags */
	pe->line = line;
	pe->bad = NULL;
	if (e) {
		pe->bad = cmp_xmalloc(sizeof(*pe->bad));
		*pe->bad = *e;
	}
	batch_add(&a->b, bytes);
}

/* Decode one record and queue it, or why it could not be. */
static void
queue(struct add *a, cJSON *rec, const char *input, long line, size_t bytes)
{
	struct pending *pe = &a->pending[a->b.n];
	struct cmp_error e;
	int bad;

	a->records++;
	cmp_error_clear(&e);
	if (a->defaults)
		merge_defaults(rec, a->defaults);
	cmp_complaint_init(&pe->c);
	bad = cmp_json_decode(a->p.ctx.cfg, rec,
			      a->format == CMP_IN_CSV || a->one ?
			      CMP_DECODE_TEXT : 0, a->p.ctx.now, &pe->c, &e);
	queue_at(a, input, line, bytes, bad ? &e : NULL);
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
		batch_fail(&a->b, &e);
	for (;;) {
		cJSON *rec = NULL;
		long line = 0;
		uint64_t offset;

		cmp_error_clear(&e);
		ret = cmp_reader_next(r, &rec, &line, &e);
		if (ret == CMP_EX_DATAERR) {
			a->records++;
			cmp_complaint_init(&a->pending[a->b.n].c);
			queue_at(a, name, line, 0, &e);
			continue;
		}
		if (ret) {
			cmp_reader_free(r);
			batch_run(&a->b, 0);
			batch_fail(&a->b, &e);
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
			a->b.atomic = 1;
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
	a.pending = cmp_xcalloc(BATCH_RECORDS, sizeof(struct pending));
	a.b.p = &a.p;
	a.b.max = BATCH_RECORDS;
	a.b.max_bytes = BATCH_BYTES;
	a.b.bulk = 1;
	a.b.item = add_one;
	a.b.release = release_one;
	a.b.ahead = add_ahead;
	a.b.arg = &a;
	batch_start(&a.b);
	a.progress = isatty(STDERR_FILENO) && !a.one;
	clock_gettime(CLOCK_MONOTONIC, &a.start);
	a.last_progress = a.start;
	/* --atomic holds the output until the end (batch_end), after the
	   commit: one record from flags too, whose writes a server may
	   not have answered before it (CMP_DB_DEFER). */
	if (a.b.atomic && !(a.b.spool = tmpfile())) {
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
	batch_end(&a.b);
	progress(&a, 1);
	free(a.pending);
	cJSON_Delete(a.defaults);
	cmp_map_free(a.map);
	return prog_finish(&a.p);
}
