/*
 * cmp-show - complaints whole: the record, its follow-ups, its journal,
 * how each deadline stands, the customer's other complaints, the likely
 * duplicates and those closed as its duplicates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "common.h"

static const char usage_text[] =
"usage: cmp-show [--format json|text] [--redact] [id ...]\n"
"\n"
"Show complaints whole (ids as arguments, or NDJSON records or bare ids on\n"
"stdin): the record with its follow-ups, its journal (every change,\n"
"oldest first) and, for each deadline, when its clock started, how long\n"
"it was paused, how much is left or how late it is; then the customer's\n"
"other complaints, the likely duplicates and those closed as its\n"
"duplicates.\n"
"\n"
"      --format F           json (default; one line per complaint) or text\n"
"      --redact             mask names, phones, e-mails, addresses\n"
COMMON_USAGE;

enum { OPT_FORMAT = OPT_PROGRAM, OPT_REDACT };

static const struct option options[] = {
	COMMON_OPTIONS,
	{"format", required_argument, NULL, OPT_FORMAT},
	{"redact", no_argument, NULL, OPT_REDACT},
	{NULL, 0, NULL, 0}
};

struct show {
	struct prog p;
	int text;
	int redact;
	const struct cmp_complaint *c;	/* the one being shown, unmasked */
	const char *where;	/* its id's stdin line ("-:3"), or NULL */
	cJSON *journal;
	struct cmp_buf out;
};

/* A journal value as the output may show it. */
static char *
shown(struct show *s, const char *field, const char *v)
{
	const struct cmp_field *f = field ? cmp_field_find(field) : NULL;

	if (!v)
		return NULL;
	if (!s->redact)
		return cmp_xstrdup(v);
	if (f && (f->flags & CMP_FF_PERSONAL))
		return cmp_redact_text(f->flags, v);
	return cmp_redact_free_text(s->c, v);
}

static cJSON *
json_str(char *v)
{
	cJSON *j = v ? cJSON_CreateString(v) : cJSON_CreateNull();

	free(v);
	return j;
}

static int
journal_json(void *arg, const struct cmp_journal_entry *j)
{
	struct show *s = arg;
	cJSON *o = cJSON_CreateObject();
	char at[CMP_TIME_BUFSZ];

	cJSON_AddStringToObject(o, "at", cmp_time_format(j->at, at));
	cJSON_AddItemToObject(o, "actor", json_str(cmp_xstrdup(j->actor)));
	cJSON_AddItemToObject(o, "program", json_str(cmp_xstrdup(j->program)));
	cJSON_AddItemToObject(o, "field", json_str(cmp_xstrdup(j->field)));
	cJSON_AddItemToObject(o, "old", json_str(shown(s, j->field, j->old)));
	cJSON_AddItemToObject(o, "new", json_str(shown(s, j->field,
						       j->new_value)));
	cJSON_AddItemToObject(o, "note", json_str(shown(s, NULL, j->note)));
	cJSON_AddItemToArray(s->journal, o);
	return 0;
}

/* A time for a person: in the configured zone, to the minute. */
static const char *
local(struct show *s, cmp_time t, char *buf)
{
	struct tm tm;

	if (!t)
		return "-";
	cmp_localtime(t, s->p.ctx.cfg->timezone, &tm);
	strftime(buf, CMP_TIME_BUFSZ, "%Y-%m-%d %H:%M", &tm);
	return buf;
}

/* Text made safe for a terminal. */
static void
safe(struct cmp_buf *b, const char *v)
{
	cmp_term_cell(b, v ? v : "-", (size_t)-1 / 2);
}

static int
journal_text(void *arg, const struct cmp_journal_entry *j)
{
	struct show *s = arg;
	char at[CMP_TIME_BUFSZ];
	char *old = shown(s, j->field, j->old);
	char *new_value = shown(s, j->field, j->new_value);
	char *note = shown(s, NULL, j->note);

	cmp_buf_addf(&s->out, "    %s  ", local(s, j->at, at));
	safe(&s->out, j->actor);
	cmp_buf_adds(&s->out, "  ");
	safe(&s->out, j->program);
	if (j->field) {
		cmp_buf_adds(&s->out, "  ");
		safe(&s->out, j->field);
		cmp_buf_adds(&s->out, ": ");
		safe(&s->out, old ? old : "null");
		cmp_buf_adds(&s->out, " -> ");
		safe(&s->out, new_value ? new_value : "null");
	}
	if (note) {
		cmp_buf_adds(&s->out, "  # ");
		safe(&s->out, note);
	}
	cmp_buf_addc(&s->out, '\n');
	free(old);
	free(new_value);
	free(note);
	return 0;
}

static cJSON *
deadlines_json(const struct cmp_deadline_state *d)
{
	cJSON *all = cJSON_CreateObject();
	char buf[CMP_TIME_BUFSZ];

	for (int k = 0; k < CMP_DL_COUNT; k++) {
		cJSON *o;

		if (!d[k].due) {
			cJSON_AddNullToObject(all, cmp_deadline_names[k]);
			continue;
		}
		o = cJSON_AddObjectToObject(all, cmp_deadline_names[k]);
		cJSON_AddStringToObject(o, "started",
					cmp_time_format(d[k].started, buf));
		cJSON_AddStringToObject(o, "due",
					cmp_time_format(d[k].due, buf));
		if (d[k].met)
			cJSON_AddStringToObject(o, "met",
						cmp_time_format(d[k].met, buf));
		else
			cJSON_AddNullToObject(o, "met");
		cJSON_AddNumberToObject(o, "paused_seconds",
					(double)d[k].paused);
		if (d[k].left >= 0) {
			cJSON_AddNumberToObject(o, "left_seconds",
						(double)d[k].left);
			cJSON_AddNullToObject(o, "late_seconds");
		} else {
			cJSON_AddNullToObject(o, "left_seconds");
			cJSON_AddNumberToObject(o, "late_seconds",
						(double)-d[k].left);
		}
		cJSON_AddBoolToObject(o, "stopped", d[k].stopped);
	}
	return all;
}

static void
deadlines_text(struct show *s, const struct cmp_deadline_state *d)
{
	char at[CMP_TIME_BUFSZ], span[32], paused[32];

	cmp_buf_adds(&s->out, "Deadlines:\n");
	for (int k = 0; k < CMP_DL_COUNT; k++) {
		cmp_buf_addf(&s->out, "    %-8s", cmp_deadline_names[k]);
		if (!d[k].due) {
			cmp_buf_adds(&s->out, "none\n");
			continue;
		}
		cmp_buf_addf(&s->out, "due %s", local(s, d[k].due, at));
		cmp_seconds_format(d[k].left < 0 ? -d[k].left : d[k].left,
				   span);
		if (d[k].met)
			cmp_buf_addf(&s->out, ", met %s (%s %s)",
				     local(s, d[k].met, at), span,
				     d[k].left < 0 ? "late" : "early");
		else
			cmp_buf_addf(&s->out, ", %s %s%s", span,
				     d[k].left < 0 ? "late" : "left",
				     d[k].stopped ? ", clock stopped" : "");
		cmp_buf_addf(&s->out, "; started %s",
			     local(s, d[k].started, at));
		if (d[k].paused)
			cmp_buf_addf(&s->out, ", paused %s",
				     cmp_seconds_format(d[k].paused, paused));
		cmp_buf_addc(&s->out, '\n');
	}
}

/* "Label:     value" when there is a value. */
static void
line(struct cmp_buf *b, const char *label, const char *v)
{
	if (!v)
		return;
	cmp_buf_addf(b, "%-12s", label);
	safe(b, v);
	cmp_buf_addc(b, '\n');
}

static void
record_text(struct show *s, const struct cmp_complaint *c)
{
	struct cmp_buf *b = &s->out;
	char at[CMP_TIME_BUFSZ], *v;

	cmp_buf_addf(b, "complaint %lld", (long long)c->id);
	if (c->ref) {
		cmp_buf_adds(b, "  ");
		safe(b, c->ref);
	}
	cmp_buf_adds(b, "\n");
	cmp_buf_addf(b, "%-12s%s (escalation %lld, reopened %lld)\n", "Status:",
		     c->status, (long long)c->escalation,
		     (long long)c->reopened);
	cmp_buf_addf(b, "%-12s%s via %s, recorded by ", "Received:",
		     local(s, c->received_at, at), c->channel ? c->channel : "-");
	safe(b, c->recorded_by);
	cmp_buf_adds(b, ", accountable ");
	safe(b, c->accountable);
	cmp_buf_addc(b, '\n');
	for (size_t i = 0; i < cmp_nfields; i++) {
		const struct cmp_field *f = &cmp_fields[i];

		if (strncmp(f->path, "customer.", 9) &&
		    strncmp(f->path, "product.", 8) &&
		    strcmp(f->path, "category") && strcmp(f->path, "severity") &&
		    strcmp(f->path, "department") && strcmp(f->path, "owner") &&
		    strcmp(f->path, "requested_remedy") &&
		    strcmp(f->path, "root_cause") && strcmp(f->path, "tags") &&
		    strncmp(f->path, "resolution.", 11) &&
		    strcmp(f->path, "satisfaction") &&
		    strcmp(f->path, "wait_reason") &&
		    strcmp(f->path, "possible_duplicate_of") &&
		    strcmp(f->path, "out_of_warranty"))
			continue;
		if (cmp_field_is_null(f, c) ||
		    (f->type == CMP_F_TAGS && !c->ntags))
			continue;
		v = cmp_field_text(f, c);
		cmp_buf_addf(b, "%s:", f->path);
		cmp_buf_addf(b, "%*s", (int)(f->path[0] && strlen(f->path) < 22 ?
					    22 - strlen(f->path) : 1), "");
		safe(b, v);
		cmp_buf_addc(b, '\n');
		free(v);
	}
	cmp_buf_addc(b, '\n');
	if (c->summary) {
		cmp_buf_adds(b, "    ");
		safe(b, c->summary);
		cmp_buf_adds(b, "\n\n");
	}
	if (c->description) {
		/* Paragraphs indented, as git show indents a message. */
		const char *p = c->description;

		while (*p) {
			const char *nl = strchr(p, '\n');
			char *one = cmp_xstrndup(p, nl ? (size_t)(nl - p) :
						 strlen(p));

			cmp_buf_adds(b, "    ");
			safe(b, one);
			cmp_buf_addc(b, '\n');
			free(one);
			if (!nl)
				break;
			p = nl + 1;
		}
		cmp_buf_addc(b, '\n');
	}
	line(b, "Attrs:", c->attrs);
	if (c->nfollowups) {
		cmp_buf_adds(b, "Follow-ups:\n");
		for (size_t i = 0; i < c->nfollowups; i++) {
			const struct cmp_followup *fu = &c->followups[i];

			cmp_buf_addf(b, "    due %s", local(s, fu->due_at, at));
			cmp_buf_addf(b, ", %s", fu->done_at ? "done " : "open");
			if (fu->done_at)
				cmp_buf_adds(b, local(s, fu->done_at, at));
			if (fu->channel)
				cmp_buf_addf(b, " by %s", fu->channel);
			if (fu->satisfaction)
				cmp_buf_addf(b, ", satisfaction %d",
					     fu->satisfaction);
			if (fu->outcome) {
				cmp_buf_adds(b, ": ");
				safe(b, fu->outcome);
			}
			if (fu->note) {
				cmp_buf_adds(b, " # ");
				safe(b, fu->note);
			}
			cmp_buf_addc(b, '\n');
		}
	}
}

/* Another complaint as cmp-show lists it: the customer's others, the
   likely duplicates. */
struct brief {
	int64_t id;
	char *status;
	cmp_time received_at;
	char *summary;
};
struct briefs {
	struct show *s;
	struct brief *v;
	size_t n;
};

static int
brief_add(void *arg, struct cmp_complaint *c)
{
	struct briefs *b = arg;
	struct brief *one;

	b->v = cmp_xrealloc(b->v, (b->n + 1) * sizeof(*b->v));
	one = &b->v[b->n++];
	one->id = c->id;
	one->status = cmp_xstrdup(c->status);
	one->received_at = c->received_at;
	one->summary = b->s->redact && c->summary ?
		cmp_redact_free_text(c, c->summary) : cmp_xstrdup(c->summary);
	return 0;
}

static void
briefs_release(struct briefs *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->v[i].status);
		free(b->v[i].summary);
	}
	free(b->v);
	b->v = NULL;
	b->n = 0;
}

/* Those flagged duplicates of a complaint: closed as its duplicates, or
   likely ones. */
struct split {
	int64_t of;
	struct briefs *confirmed, *likely;
};

static int
dup_add(void *arg, struct cmp_complaint *c)
{
	struct split *sp = arg;

	return brief_add(c->duplicate_of == sp->of ? sp->confirmed :
			 sp->likely, c);
}

/*
 * The customer's other complaints, most recent first (*others); the
 * likely duplicates: the complaint c is flagged a duplicate of, then
 * those flagged duplicates of c (*dups); and those closed as c's
 * duplicates (*closed).
 */
static int
related(struct show *s, const struct cmp_complaint *c, struct briefs *others,
	struct briefs *dups, struct briefs *closed, struct cmp_error *e)
{
	struct cmp_store *st = s->p.ctx.store;
	struct split split = {c->id, closed, dups};
	struct cmp_query q;
	int ret;

	memset(&q, 0, sizeof(q));
	q.customer_of = c;
	q.sort = "-received_at";
	if ((ret = cmp_store_query(st, &q, brief_add, others, e)))
		return ret;
	if (c->possible_duplicate_of) {
		memset(&q, 0, sizeof(q));
		q.ids = &c->possible_duplicate_of;
		q.nids = 1;
		if ((ret = cmp_store_query(st, &q, brief_add, dups, e)))
			return ret;
	}
	memset(&q, 0, sizeof(q));
	q.duplicates_of = c->id;
	return cmp_store_query(st, &q, dup_add, &split, e);
}

static cJSON *
briefs_json(const struct briefs *b)
{
	cJSON *all = cJSON_CreateArray();
	char at[CMP_TIME_BUFSZ];

	for (size_t i = 0; i < b->n; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddNumberToObject(o, "id", (double)b->v[i].id);
		cJSON_AddStringToObject(o, "status", b->v[i].status);
		cJSON_AddStringToObject(o, "received_at",
					cmp_time_format(b->v[i].received_at,
							at));
		cJSON_AddItemToObject(o, "summary",
				      json_str(cmp_xstrdup(b->v[i].summary)));
		cJSON_AddItemToArray(all, o);
	}
	return all;
}

static void
briefs_text(struct show *s, const char *heading, const struct briefs *b)
{
	char at[CMP_TIME_BUFSZ];

	cmp_buf_addf(&s->out, "%s\n", heading);
	if (!b->n)
		cmp_buf_adds(&s->out, "    none\n");
	for (size_t i = 0; i < b->n; i++) {
		cmp_buf_addf(&s->out, "    %-6lld  %-8s  %s  ",
			     (long long)b->v[i].id, b->v[i].status,
			     local(s, b->v[i].received_at, at));
		safe(&s->out, b->v[i].summary);
		cmp_buf_addc(&s->out, '\n');
	}
}

static int
show_one(struct show *s, int64_t id)
{
	struct cmp_ctx *ctx = &s->p.ctx;
	struct cmp_complaint c, masked;
	struct cmp_deadline_state d[CMP_DL_COUNT];
	struct cmp_pause *pauses = NULL;
	struct cmp_error e;
	struct briefs others = {s, NULL, 0}, dups = {s, NULL, 0};
	struct briefs closed = {s, NULL, 0};
	size_t npauses = 0;
	cmp_time reopened;
	char *text = NULL;
	int began, ret;

	cmp_error_clear(&e);
	cmp_complaint_init(&c);
	cmp_complaint_init(&masked);
	/* The complaint, its journal and its relations from one snapshot:
	   on a server, one transaction rather than one a query. */
	if ((ret = cmp_store_read(ctx->store, &began, &e))) {
		prog_error_at(&s->p, &e, s->where);
		return ret;
	}
	if ((ret = cmp_store_load(ctx->store, id, &c, &e)) ||
	    (ret = cmp_store_pauses(ctx->store, id, &pauses, &npauses,
				    &reopened, &e))) {
		cmp_store_read_end(ctx->store, began, 1, NULL);
		prog_error_at(&s->p, &e, s->where);
		goto out;
	}
	cmp_deadlines_explain(ctx, &c, pauses, npauses, reopened, d);
	cmp_complaint_copy(&masked, &c);
	if (s->redact)
		cmp_complaint_redact(&masked);
	s->c = &c;
	cmp_buf_reset(&s->out);
	if (s->text) {
		record_text(s, &masked);
		deadlines_text(s, d);
		cmp_buf_adds(&s->out, "Journal:\n");
		ret = cmp_store_journal(ctx->store, id, journal_text, s, &e);
		if (!ret && !(ret = related(s, &c, &others, &dups, &closed,
					    &e))) {
			briefs_text(s, "Other complaints of the customer:",
				    &others);
			briefs_text(s, "Likely duplicates:", &dups);
			briefs_text(s, "Closed as its duplicates:", &closed);
		}
	} else {
		cJSON *o = cmp_json_encode(&masked, 0);

		s->journal = cJSON_AddArrayToObject(o, "journal");
		ret = cmp_store_journal(ctx->store, id, journal_json, s, &e);
		cJSON_AddItemToObject(o, "deadlines", deadlines_json(d));
		if (!ret)
			ret = related(s, &c, &others, &dups, &closed, &e);
		cJSON_AddItemToObject(o, "other_complaints",
				      briefs_json(&others));
		cJSON_AddItemToObject(o, "likely_duplicates",
				      briefs_json(&dups));
		cJSON_AddItemToObject(o, "duplicates", briefs_json(&closed));
		text = cJSON_PrintUnformatted(o);
		cJSON_Delete(o);
	}
	/* Ended before printing: a reader that stops reading holds no
	   transaction open. */
	if (ret)
		cmp_store_read_end(ctx->store, began, 1, NULL);
	else
		ret = cmp_store_read_end(ctx->store, began, 0, &e);
	if (s->text) {
		fputs(cmp_buf_str(&s->out), stdout);
	} else {
		prog_print_line(text);
		cJSON_free(text);
	}
	if (ret)
		prog_error(&s->p, &e);
out:
	briefs_release(&others);
	briefs_release(&dups);
	briefs_release(&closed);
	free(pauses);
	cmp_complaint_release(&c);
	cmp_complaint_release(&masked);
	return ret;
}

int
main(int argc, char **argv)
{
	struct show s;
	struct prog_ids *ids;
	struct cmp_error e;
	int64_t id;
	int opt, ret, shown_one = 0;

	memset(&s, 0, sizeof(s));
	prog_init(&s.p, "cmp-show", usage_text);
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (prog_option(&s.p, opt, optarg))
			continue;
		switch (opt) {
		case OPT_FORMAT:
			if (!strcmp(optarg, "text"))
				s.text = 1;
			else if (strcmp(optarg, "json"))
				prog_usage_error(&s.p, "--format: '%s' is not "
						 "json or text", optarg);
			break;
		case OPT_REDACT:
			s.redact = 1;
			break;
		}
	}
	/* The ids as the changing programs take them: operands, or NDJSON
	   records or bare ids on stdin. */
	ids = prog_ids_open(&s.p, argc - optind, argv + optind);
	prog_open(&s.p);
	cmp_error_clear(&e);
	while ((ret = prog_ids_next(ids, &id, &s.where, &e)) > 0) {
		if (ret == 2) {
			prog_error(&s.p, &e);
			continue;
		}
		if (s.text && shown_one++)
			putchar('\n');
		show_one(&s, id);
	}
	prog_ids_close(ids);
	cmp_buf_release(&s.out);
	if (ret < 0)
		prog_fatal(&s.p, &e);
	return prog_finish(&s.p);
}
