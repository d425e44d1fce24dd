/*
 * format.c - complaints out: NDJSON, a JSON array, CSV, TSV, a table.
 *
 * One writer, many modes (as the sqlite3 shell's output modes).  Cells
 * for a terminal are made safe: data never drives the terminal.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "complaint.h"
#include "json_parse.h"
#include "record_json.h"
#include "util.h"

/* Rows a table looks at before it fixes its column widths. */
#define TABLE_MEASURE_ROWS 50

struct column {
	const struct cmp_field *f;	/* NULL for an attrs member */
	char *path;			/* header: "customer.name" */
	const char *attr;		/* "KEY" of "attrs.KEY" */
	size_t width;
};

struct cmp_writer {
	FILE *fp;
	enum cmp_format fmt;
	unsigned flags;
	size_t width;
	struct column *cols;
	size_t ncols;
	int all_fields;		/* no --fields: the whole record */
	unsigned long rows;
	char ***held;		/* table: rows held while measuring */
	size_t nheld;
	int measured;
};

int
cmp_format_parse(const char *name, enum cmp_format *out, struct cmp_error *e)
{
	static const char *const names[] = {"ndjson", "json", "csv", "tsv",
					    "table"};

	for (size_t i = 0; i < CMP_ARRAY_LEN(names); i++) {
		if (!strcmp(name, names[i])) {
			*out = (enum cmp_format)i;
			return 0;
		}
	}
	return cmp_error_set(e, CMP_EX_USAGE, NULL,
			     "--format: '%s' is not ndjson, json, csv, tsv "
			     "or table", name);
}

static void
add_column(struct cmp_writer *w, const struct cmp_field *f, const char *path)
{
	struct column *c;

	w->cols = cmp_xrealloc(w->cols, (w->ncols + 1) * sizeof(*w->cols));
	c = &w->cols[w->ncols++];
	memset(c, 0, sizeof(*c));
	c->f = f;
	c->path = cmp_xstrdup(path);
	if (!f)
		c->attr = c->path + strlen("attrs.");
}

/* Columns from a comma list: paths, groups ("customer"), attrs.KEY. */
static int
parse_fields(struct cmp_writer *w, const char *list, struct cmp_error *e)
{
	const char *p = list;

	for (;;) {
		const char *comma = strchr(p, ',');
		char *name = cmp_xstrndup(p, comma ? (size_t)(comma - p) :
					  strlen(p));
		const struct cmp_field *f = cmp_field_find(name);
		size_t n = strlen(name), found = 0;

		if (f) {
			add_column(w, f, name);
			found = 1;
		} else if (!strncmp(name, "attrs.", 6) && name[6]) {
			add_column(w, NULL, name);
			found = 1;
		} else {
			for (size_t i = 0; n && i < cmp_nfields; i++) {
				if (strncmp(cmp_fields[i].path, name, n) ||
				    cmp_fields[i].path[n] != '.')
					continue;
				add_column(w, &cmp_fields[i],
					   cmp_fields[i].path);
				found = 1;
			}
		}
		if (!found) {
			cmp_error_set(e, CMP_EX_USAGE, NULL,
				      "--fields: no field '%s'", name);
			free(name);
			return CMP_EX_USAGE;
		}
		free(name);
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

static const char *const table_default =
	"id,status,received_at,severity,category,customer.name,owner,summary";

int
cmp_writer_new(struct cmp_writer **out, FILE *fp, enum cmp_format fmt,
	       const char *fields, unsigned flags, int width,
	       struct cmp_error *e)
{
	struct cmp_writer *w = cmp_xcalloc(1, sizeof(*w));

	*out = NULL;
	w->fp = fp;
	w->fmt = fmt;
	w->flags = flags;
	w->width = width > 20 ? (size_t)width : 20;
	if (!fields && fmt == CMP_FMT_TABLE)
		fields = table_default;
	if (fields) {
		if (parse_fields(w, fields, e)) {
			cmp_writer_free(w);
			return CMP_EX_USAGE;
		}
	} else {
		w->all_fields = 1;
		/* CSV and TSV: every field but the nested follow-ups. */
		for (size_t i = 0; i < cmp_nfields; i++)
			if (cmp_fields[i].type != CMP_F_FOLLOWUPS)
				add_column(w, &cmp_fields[i],
					   cmp_fields[i].path);
	}
	*out = w;
	return 0;
}

void
cmp_writer_free(struct cmp_writer *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->ncols; i++)
		free(w->cols[i].path);
	free(w->cols);
	for (size_t r = 0; r < w->nheld; r++) {
		for (size_t i = 0; i < w->ncols; i++)
			free(w->held[r][i]);
		free(w->held[r]);
	}
	free(w->held);
	free(w);
}

/* The value of an attrs member: a string as is, other JSON as text. */
static char *
attr_text(const struct cmp_complaint *c, const char *key)
{
	cJSON *attrs = NULL, *v;
	struct cmp_error e;
	char *s = NULL, *r;

	if (!c->attrs || cmp_json_parse(c->attrs, strlen(c->attrs), &attrs, &e))
		return NULL;
	v = cJSON_GetObjectItemCaseSensitive(attrs, key);
	if (cJSON_IsString(v)) {
		s = cmp_xstrdup(v->valuestring);
	} else if (v && !cJSON_IsNull(v)) {
		r = cJSON_PrintUnformatted(v);
		s = cmp_xstrdup(r);
		cJSON_free(r);
	}
	cJSON_Delete(attrs);
	return s;
}

static cJSON *
attr_json(const struct cmp_complaint *c, const char *key)
{
	cJSON *attrs = NULL, *v;
	struct cmp_error e;

	if (!c->attrs || cmp_json_parse(c->attrs, strlen(c->attrs), &attrs, &e))
		return cJSON_CreateNull();
	v = cJSON_DetachItemFromObjectCaseSensitive(attrs, key);
	cJSON_Delete(attrs);
	return v ? v : cJSON_CreateNull();
}

/* A cell's text (caller owns; NULL for null). Tags join with commas. */
static char *
cell_text(const struct column *col, const struct cmp_complaint *c)
{
	if (!col->f)
		return attr_text(c, col->attr);
	if (col->f->type == CMP_F_TAGS) {
		struct cmp_buf b = CMP_BUF_INIT;

		for (size_t i = 0; i < c->ntags; i++) {
			if (i)
				cmp_buf_addc(&b, ',');
			cmp_buf_adds(&b, c->tags[i]);
		}
		return cmp_buf_detach(&b);
	}
	return cmp_field_text(col->f, c);
}

/* Put v at the dotted path of obj, making the nested objects. */
static void
put_path(cJSON *obj, const char *path, cJSON *v)
{
	const char *dot = strchr(path, '.');
	cJSON *sub;
	char *head;

	if (!dot) {
		cJSON_AddItemToObject(obj, path, v);
		return;
	}
	head = cmp_xstrndup(path, (size_t)(dot - path));
	sub = cJSON_GetObjectItemCaseSensitive(obj, head);
	if (!sub)
		sub = cJSON_AddObjectToObject(obj, head);
	free(head);
	put_path(sub, dot + 1, v);
}

static char *
json_text(const struct cmp_writer *w, const struct cmp_complaint *c)
{
	cJSON *o;
	char *s;

	if (w->all_fields)
		return cmp_json_print(c, 0);
	o = cJSON_CreateObject();
	for (size_t i = 0; i < w->ncols; i++) {
		const struct column *col = &w->cols[i];

		put_path(o, col->path, col->f ? cmp_json_field(col->f, c, 0) :
			 attr_json(c, col->attr));
	}
	s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

void
cmp_csv_cell(struct cmp_buf *b, const char *s, char delimiter)
{
	if (!s)
		return;
	if (!strchr(s, delimiter) && !strpbrk(s, "\"\r\n")) {
		cmp_buf_adds(b, s);
		return;
	}
	cmp_buf_addc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			cmp_buf_addc(b, '"');
		cmp_buf_addc(b, *s);
	}
	cmp_buf_addc(b, '"');
}

/* TSV cannot quote: tabs, newlines and backslashes are escaped. */
static void
tsv_cell(struct cmp_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '\t': cmp_buf_adds(b, "\\t"); break;
		case '\n': cmp_buf_adds(b, "\\n"); break;
		case '\r': cmp_buf_adds(b, "\\r"); break;
		case '\\': cmp_buf_adds(b, "\\\\"); break;
		default: cmp_buf_addc(b, *s);
		}
	}
}

size_t
cmp_term_cell(struct cmp_buf *b, const char *s, size_t width)
{
	struct cmp_buf safe = CMP_BUF_INIT;
	size_t w = 0, n, i = 0;

	/* First make it safe: no byte reaches the terminal as control. */
	for (n = s ? strlen(s) : 0; i < n;) {
		uint32_t cp;
		int len = cmp_utf8_decode(s + i, n - i, &cp);

		if (cp == '\n')
			cmp_buf_adds(&safe, "\\n");
		else if (cp == '\t')
			cmp_buf_adds(&safe, "\\t");
		else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			cmp_buf_addf(&safe, "\\x%02x", (unsigned)cp);
		else if (cp == 0x2028 || cp == 0x2029 ||
			 (cp >= 0x202a && cp <= 0x202e) ||
			 (cp >= 0x2066 && cp <= 0x2069))
			cmp_buf_addf(&safe, "\\u%04x", (unsigned)cp);
		else
			cmp_buf_add(&safe, s + i, (size_t)len);
		i += (size_t)len;
	}
	/* Then fit it: cut at width - 1 and add an ellipsis. */
	n = safe.len;
	if (cmp_utf8_width(cmp_buf_str(&safe), n) <= width) {
		cmp_buf_add(b, cmp_buf_str(&safe), n);
		w = cmp_utf8_width(cmp_buf_str(&safe), n);
	} else {
		for (i = 0; i < n;) {
			uint32_t cp;
			int len = cmp_utf8_decode(safe.s + i, n - i, &cp);
			size_t cw = (size_t)cmp_char_width(cp);

			if (w + cw > width - 1)
				break;
			cmp_buf_add(b, safe.s + i, (size_t)len);
			w += cw;
			i += (size_t)len;
		}
		if (width) {
			cmp_buf_adds(b, "\xe2\x80\xa6");	/* … */
			w++;
		}
	}
	cmp_buf_release(&safe);
	return w;
}

static void
pad(struct cmp_buf *b, size_t n)
{
	while (n--)
		cmp_buf_addc(b, ' ');
}

static int
put(struct cmp_writer *w, struct cmp_buf *b)
{
	fwrite(b->s, 1, b->len, w->fp);
	return ferror(w->fp) ? CMP_EX_IOERR : 0;
}

size_t
cmp_term_width(const char *s)
{
	struct cmp_buf b = CMP_BUF_INIT;
	size_t n = cmp_term_cell(&b, s ? s : "", (size_t)-1 / 2);

	cmp_buf_release(&b);
	return n;
}

/* Fix the widths from the header and held rows, to fit w->width. */
static void
measure(struct cmp_writer *w)
{
	size_t total;

	for (size_t i = 0; i < w->ncols; i++) {
		w->cols[i].width = cmp_utf8_width(w->cols[i].path,
						  strlen(w->cols[i].path));
		for (size_t r = 0; r < w->nheld; r++) {
			size_t cw = cmp_term_width(w->held[r][i]);

			if (cw > w->cols[i].width)
				w->cols[i].width = cw;
		}
	}
	/* Shrink the widest column until the row fits (2 between). */
	for (;;) {
		size_t widest = 0;

		total = 0;
		for (size_t i = 0; i < w->ncols; i++) {
			total += w->cols[i].width + (i ? 2 : 0);
			if (w->cols[i].width > w->cols[widest].width)
				widest = i;
		}
		if (total <= w->width || w->cols[widest].width <= 4)
			break;
		w->cols[widest].width--;
	}
	w->measured = 1;
}

static int
table_row(struct cmp_writer *w, char **cells, int header)
{
	struct cmp_buf b = CMP_BUF_INIT;
	int ret;

	for (size_t i = 0; i < w->ncols; i++) {
		const char *s = header ? w->cols[i].path : cells[i];
		size_t cw;

		if (i)
			cmp_buf_adds(&b, "  ");
		if (header && (w->flags & CMP_OUT_COLOR))
			cmp_buf_adds(&b, "\033[1m");
		cw = cmp_term_cell(&b, s ? s : "", w->cols[i].width);
		if (header && (w->flags & CMP_OUT_COLOR))
			cmp_buf_adds(&b, "\033[0m");
		if (i + 1 < w->ncols)
			pad(&b, w->cols[i].width - cw);
	}
	cmp_buf_addc(&b, '\n');
	ret = put(w, &b);
	cmp_buf_release(&b);
	return ret;
}

static int
release_held(struct cmp_writer *w)
{
	int ret = table_row(w, NULL, 1);

	for (size_t r = 0; r < w->nheld; r++) {
		if (!ret)
			ret = table_row(w, w->held[r], 0);
		for (size_t i = 0; i < w->ncols; i++)
			free(w->held[r][i]);
		free(w->held[r]);
	}
	w->nheld = 0;
	return ret;
}

static int
table_add(struct cmp_writer *w, const struct cmp_complaint *c)
{
	char **cells = cmp_xcalloc(w->ncols, sizeof(char *));
	int ret = 0;

	for (size_t i = 0; i < w->ncols; i++)
		cells[i] = cell_text(&w->cols[i], c);
	if (!w->measured) {
		w->held = cmp_xrealloc(w->held,
				       (w->nheld + 1) * sizeof(char **));
		w->held[w->nheld++] = cells;
		if (w->nheld == TABLE_MEASURE_ROWS) {
			measure(w);
			ret = release_held(w);
		}
		return ret;
	}
	ret = table_row(w, cells, 0);
	for (size_t i = 0; i < w->ncols; i++)
		free(cells[i]);
	free(cells);
	return ret;
}

static int
delimited_add(struct cmp_writer *w, const struct cmp_complaint *c, int header)
{
	struct cmp_buf b = CMP_BUF_INIT;
	int ret;

	for (size_t i = 0; i < w->ncols; i++) {
		char *s = header ? cmp_xstrdup(w->cols[i].path) :
			cell_text(&w->cols[i], c);

		if (i)
			cmp_buf_addc(&b, w->fmt == CMP_FMT_CSV ? ',' : '\t');
		if (w->fmt == CMP_FMT_CSV)
			cmp_csv_cell(&b, s, ',');
		else
			tsv_cell(&b, s);
		free(s);
	}
	cmp_buf_adds(&b, w->fmt == CMP_FMT_CSV ? "\r\n" : "\n");
	ret = put(w, &b);
	cmp_buf_release(&b);
	return ret;
}

int
cmp_writer_add(struct cmp_writer *w, const struct cmp_complaint *c)
{
	struct cmp_complaint masked;
	int ret = 0;
	char *s;

	if (w->flags & CMP_OUT_REDACT) {
		cmp_complaint_init(&masked);
		cmp_complaint_copy(&masked, c);
		cmp_complaint_redact(&masked);
		c = &masked;
	}
	switch (w->fmt) {
	case CMP_FMT_NDJSON:
	case CMP_FMT_JSON:
		s = json_text(w, c);
		if (w->fmt == CMP_FMT_JSON)
			fputs(w->rows ? ",\n" : "[\n", w->fp);
		fputs(s, w->fp);
		if (w->fmt == CMP_FMT_NDJSON)
			fputc('\n', w->fp);
		free(s);
		ret = ferror(w->fp) ? CMP_EX_IOERR : 0;
		break;
	case CMP_FMT_CSV:
	case CMP_FMT_TSV:
		if (!w->rows)
			ret = delimited_add(w, c, 1);
		if (!ret)
			ret = delimited_add(w, c, 0);
		break;
	case CMP_FMT_TABLE:
		ret = table_add(w, c);
		break;
	}
	w->rows++;
	if (c == &masked)
		cmp_complaint_release(&masked);
	return ret;
}

int
cmp_writer_finish(struct cmp_writer *w)
{
	int ret = 0;

	switch (w->fmt) {
	case CMP_FMT_JSON:
		fputs(w->rows ? "\n]\n" : "[]\n", w->fp);
		break;
	case CMP_FMT_CSV:
	case CMP_FMT_TSV:
		/* An empty result still says what its columns are. */
		if (!w->rows)
			ret = delimited_add(w, NULL, 1);
		break;
	case CMP_FMT_TABLE:
		if (!w->measured) {
			measure(w);
			ret = release_held(w);
		}
		break;
	case CMP_FMT_NDJSON:
		break;
	}
	if (fflush(w->fp) || ferror(w->fp))
		ret = CMP_EX_IOERR;
	return ret;
}
