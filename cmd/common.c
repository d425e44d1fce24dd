/*
 * common.c - the programs' shared frame: options, context, messages,
 * exit status, the terminal.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
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
prog_note(const struct prog *p, const struct cmp_error *e)
{
	char buf[2048];

	fprintf(stderr, "%s: %s\n", p->name,
		cmp_error_format(e, buf, sizeof(buf)));
}

void
prog_error(struct prog *p, const struct cmp_error *e)
{
	prog_note(p, e);
	prog_status(p, e->code ? e->code : CMP_EX_SOFTWARE);
}

void
prog_error_at(struct prog *p, struct cmp_error *e, const char *where)
{
	if (where && !e->input[0])
		snprintf(e->input, sizeof(e->input), "%s", where);
	prog_error(p, e);
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

int
prog_parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end || errno || v <= 0)
		return -1;
	*id = v;
	return 0;
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

int
prog_term_width(int fallback)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return fallback;
}

int
prog_color(void)
{
	return isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
}
