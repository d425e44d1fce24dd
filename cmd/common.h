/*
 * common.h - what the programs share: common options, the context, error
 * reporting, the exit status, checking stdout, the terminal (common.c);
 * changing complaints given by id (change.c).  The library never prints;
 * this is where printing happens.
 */
#ifndef CMP_COMMON_H
#define CMP_COMMON_H

#include <getopt.h>

#include "complaint.h"

enum {
	OPT_DB = 256, OPT_CONFIG, OPT_ACTOR, OPT_DRY_RUN, OPT_NOTE,
	OPT_VERSION, OPT_PROGRAM	/* first option id of a program's own */
};

/* The --help lines of the options every program has. */
#define COMMON_USAGE \
"      --db PATH            store (default: $CMP_DB, ~/.local/share/...)\n" \
"      --config PATH        configuration (default: $CMP_CONFIG, ...)\n" \
"  -h, --help               this help\n" \
"      --version            version\n"

/* Options every program has, and those of programs that change things. */
#define COMMON_OPTIONS \
	{"db", required_argument, NULL, OPT_DB}, \
	{"config", required_argument, NULL, OPT_CONFIG}, \
	{"help", no_argument, NULL, 'h'}, \
	{"version", no_argument, NULL, OPT_VERSION}
#define CHANGE_OPTIONS \
	{"actor", required_argument, NULL, OPT_ACTOR}, \
	{"dry-run", no_argument, NULL, OPT_DRY_RUN}, \
	{"note", required_argument, NULL, OPT_NOTE}

struct prog {
	const char *name;
	const char *usage;	/* --help text */
	struct cmp_ctx_opts opts;
	struct cmp_ctx ctx;
	const char *note;	/* --note */
	int dry_run;		/* --dry-run */
	int status;		/* exit status so far */
};

void prog_init(struct prog *p, const char *name, const char *usage);
/* Handle a common option: 1 if it was one (--help and --version exit). */
int prog_option(struct prog *p, int opt, const char *arg);
/* "cmp-x: message" and the usage line on stderr, exit 64. */
void prog_usage_error(struct prog *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
/* Open clock, configuration and store, or report and exit. */
void prog_open(struct prog *p);
/* Report an error ("cmp-x: -:17: field: message") and keep its status. */
void prog_error(struct prog *p, const struct cmp_error *e);
/* A note on stderr, as an error is written, that leaves the exit status
   as it is (something skipped on purpose). */
void prog_note(const struct prog *p, const struct cmp_error *e);
/* The same, naming where (such as "-:3") when e names no input. */
void prog_error_at(struct prog *p, struct cmp_error *e, const char *where);
/* Report and exit with e's status (after closing the context). */
void prog_fatal(struct prog *p, const struct cmp_error *e)
	__attribute__((noreturn));
/* Keep the status of a failure: the first wins, but a status other than
   65 or 66 (a failure of the whole run) overrides those. */
void prog_status(struct prog *p, int status);
/* Close the context, check stdout was written; the exit status. */
int prog_finish(struct prog *p);

/*
 * change.c: change complaints one by one: fn gets each (loaded from the
 * store) and changes it or returns a status with e set; the change is
 * saved (the store journals it), and one the store refuses is undone
 * alone.  Ids come from the operands or, with none and stdin not a
 * terminal, from stdin (NDJSON records, their "id", or bare ids).  Ids
 * are handled in batches, one transaction each (batch.h); a complaint
 * is printed (NDJSON) after its batch commits.  With --dry-run nothing
 * is kept.
 */
typedef int (*prog_change_fn)(struct prog *p, struct cmp_complaint *c,
			      void *arg, struct cmp_error *e);
void prog_change_each(struct prog *p, int argc, char **argv,
		      prog_change_fn fn, void *arg);
/* The same over ids already known. */
void prog_change_ids(struct prog *p, const int64_t *ids, size_t n,
		     prog_change_fn fn, void *arg);

/*
 * The ids a program acts on, in input order: the operands or, with none
 * and stdin not a terminal, stdin (NDJSON records, their "id", or bare
 * ids, one a line); with neither, a usage error.
 * prog_ids_next: 1 with *id and *where ("-:3" for stdin's line 3, NULL
 * for an operand; borrowed until the next call); 2 with e set for an
 * entry that is not an id (an operand: 64, a line: 65), for the caller
 * to report in its place among the others' diagnostics and skip; 0 at
 * the end; -1 with e set when stdin cannot be read on (the caller ends
 * with prog_fatal).
 * Caller owns the iterator: prog_ids_close.
 */
struct prog_ids;
struct prog_ids *prog_ids_open(struct prog *p, int argc, char **argv);
int prog_ids_next(struct prog_ids *it, int64_t *id, const char **where,
		  struct cmp_error *e);
void prog_ids_close(struct prog_ids *it);

/* s as a complaint id (a whole number from 1, nothing after it, not
   past int64_t): 0, or -1 if it is none. */
int prog_parse_id(const char *s, int64_t *id);

/* Write s and a newline to stdout. */
void prog_print_line(const char *s);

/* The columns of the terminal stdout is, or fallback when it is none. */
int prog_term_width(int fallback);
/* Colour only for a terminal, and never when NO_COLOR is set (to
   anything: https://no-color.org). */
int prog_color(void);

#endif
