/*
 * csv.c - CSV input (RFC 4180) as records.
 *
 * The first row that is not blank is the header.  Without a map each
 * column is named by a field path ("customer.name", "attrs.order") and
 * a row becomes {"customer":{"name":...}}, every value a string: the
 * decoder reads them as text (CMP_DECODE_TEXT), so "2" becomes a
 * quantity and an unknown column an "unknown field" error of its own.
 * With a map (map.c) the map says how each field is made from the row.
 *
 * Rows are read one at a time from the reader's stream (stream.c) and
 * their cells copied out as they are unquoted, so memory is one row,
 * however long the file.  Quoted cells may hold the delimiter, "" for a
 * quote and line breaks; rows end with LF or CRLF, the last one may
 * have neither.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csv.h"
#include "json_alloc.h"
#include "util.h"

/* A template compiled against the header: literal text and columns. */
struct seg {
	char *text;		/* literal text, or NULL: */
	size_t col;		/* this column's cell */
};

/* How each map field gets its value from a row. */
struct plan {
	long col;		/* the column's index, or -1 */
	long when_col;		/* the condition's column, or -1 */
	struct seg *segs;	/* the template, or NULL */
	size_t nsegs;
};

struct cell {
	size_t off, len;	/* in cells: the text, NUL-terminated */
};

struct cmp_csv {
	struct cmp_stream *s;
	const struct cmp_map *map;	/* may be NULL */
	char delim;
	int started, done;
	char **names;		/* the header, trimmed */
	size_t ncols;
	struct plan *plan;	/* one per map field */
	/* the row being read */
	struct cmp_buf cells;
	struct cell *cell;
	size_t ncells, cellcap;
	size_t cell0;		/* where the current cell starts */
	struct cmp_buf val;	/* a map field's value */
};

void
cmp_csv_new(struct cmp_csv **out, struct cmp_stream *s,
	    const struct cmp_map *map)
{
	struct cmp_csv *c = cmp_xcalloc(1, sizeof(*c));

	c->s = s;
	c->map = map;
	c->delim = map && map->delimiter ? map->delimiter : ',';
	*out = c;
}

void
cmp_csv_free(struct cmp_csv *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->ncols; i++)
		free(c->names[i]);
	free(c->names);
	if (c->plan) {
		for (size_t i = 0; i < c->map->nfields; i++) {
			for (size_t k = 0; k < c->plan[i].nsegs; k++)
				free(c->plan[i].segs[k].text);
			free(c->plan[i].segs);
		}
		free(c->plan);
	}
	cmp_buf_release(&c->cells);
	cmp_buf_release(&c->val);
	free(c->cell);
	free(c);
}

static const char *
cell_text(const struct cmp_csv *c, size_t k)
{
	return c->cells.s + c->cell[k].off;
}

/* End the current cell; a CR before the row's LF is not data. */
static void
end_cell(struct cmp_csv *c, int strip_cr)
{
	struct cmp_buf *b = &c->cells;

	if (strip_cr && b->len > c->cell0 && b->s[b->len - 1] == '\r')
		b->len--;
	if (c->ncells == c->cellcap) {
		c->cellcap = c->cellcap ? 2 * c->cellcap : 16;
		c->cell = cmp_xrealloc(c->cell, c->cellcap * sizeof(*c->cell));
	}
	c->cell[c->ncells].off = c->cell0;
	c->cell[c->ncells].len = b->len - c->cell0;
	c->ncells++;
	cmp_buf_addc(b, '\0');
	c->cell0 = b->len;
}

enum { F_START, F_PLAIN, F_QUOTED, F_QUOTE, F_QUOTE_CR };

/*
 * Read one row into cells.  1 a row (*line where it starts), 0 the end
 * of the input, -1 a read error, 65 an error that ends the input.
 */
static int
read_row(struct cmp_csv *c, long *line, struct cmp_error *e)
{
	struct cmp_stream *s = c->s;
	const char d = c->delim;
	int st = F_START, started = 0;

	cmp_buf_reset(&c->cells);
	c->ncells = 0;
	c->cell0 = 0;
	for (;;) {
		const char *b;
		size_t i = 0, n;

		if (s->pos == s->len) {
			int got = cmp_stream_fill(s, e);

			if (got < 0)
				return -1;
			if (!got) {
				if (!started)
					return 0;
				if (st == F_QUOTED) {
					cmp_error_set(e, CMP_EX_DATAERR, NULL,
						      "a quoted field is not "
						      "closed before the end "
						      "of the input");
					cmp_error_at(e, s->name, *line, 0);
					return CMP_EX_DATAERR;
				}
				end_cell(c, st == F_PLAIN);
				return 1;
			}
		}
		if (!started) {
			if (s->buf[s->pos] == '\n') {	/* an empty line */
				cmp_stream_advance(s, 1);
				continue;
			}
			started = 1;
			*line = s->line;
		}
		b = s->buf + s->pos;
		n = s->len - s->pos;
		while (i < n) {
			const char ch = b[i];

			switch (st) {
			case F_QUOTED: {
				const char *q = memchr(b + i, '"', n - i);
				size_t k = q ? (size_t)(q - b) : n;

				cmp_buf_add(&c->cells, b + i, k - i);
				i = k;
				if (q) {
					i++;
					st = F_QUOTE;
				}
				continue;
			}
			case F_QUOTE:	/* after a quote in a quoted cell */
				if (ch == '"') {
					cmp_buf_addc(&c->cells, '"');
					st = F_QUOTED;
					i++;
				} else if (ch == '\r') {
					st = F_QUOTE_CR;
					i++;
				} else if (ch == d) {
					end_cell(c, 0);
					st = F_START;
					i++;
				} else if (ch == '\n') {
					end_cell(c, 0);
					i++;
					goto row;
				} else {
					/* "ab"c: kept as text, as most do */
					st = F_PLAIN;
				}
				continue;
			case F_QUOTE_CR:
				if (ch == '\n') {
					end_cell(c, 0);
					i++;
					goto row;
				}
				cmp_buf_addc(&c->cells, '\r');
				st = F_PLAIN;
				continue;
			case F_START:
				if (ch == '"') {
					st = F_QUOTED;
					i++;
					continue;
				}
				st = F_PLAIN;
				/* fall through */
			default: {
				/* Unquoted: a quote inside is just a quote. */
				size_t k = i;

				while (k < n && b[k] != d && b[k] != '\n')
					k++;
				cmp_buf_add(&c->cells, b + i, k - i);
				i = k;
				if (i == n)
					continue;
				if (b[i] == d) {
					end_cell(c, 0);
					st = F_START;
					i++;
					continue;
				}
				end_cell(c, 1);
				i++;
				goto row;
			}
			}
		}
		cmp_stream_advance(s, i);
		if (c->cells.len > CMP_RECORD_MAX) {
			cmp_error_set(e, CMP_EX_DATAERR, NULL, "a row larger "
				      "than %d MiB (a quoted field not "
				      "closed?)", CMP_RECORD_MAX >> 20);
			cmp_error_at(e, s->name, *line, 0);
			return CMP_EX_DATAERR;
		}
		continue;
row:
		cmp_stream_advance(s, i);
		return 1;
	}
}

static int
blank_row(const struct cmp_csv *c)
{
	for (size_t k = 0; k < c->ncells; k++)
		if (c->cell[k].len)
			return 0;
	return 1;
}

/* 1 if cell k is UTF-8 text without NUL bytes. */
static int
cell_ok(const struct cmp_csv *c, size_t k)
{
	const char *t = cell_text(c, k);
	size_t n = c->cell[k].len;

	return !memchr(t, '\0', n) && !cmp_utf8_check(t, n);
}

static long
find_column(const struct cmp_csv *c, const char *name)
{
	for (size_t k = 0; k < c->ncols; k++)
		if (!strcmp(c->names[k], name))
			return (long)k;
	return -1;
}

/* A column the map names is not in the header. */
static int
missing(struct cmp_csv *c, const struct cmp_map_field *f, const char *name,
	long header_line, struct cmp_error *e)
{
	cmp_error_set(e, CMP_EX_DATAERR, NULL, "no column '%s' in the header",
		      name);
	if (c->map->name)
		cmp_error_at(e, c->map->name, f->line, 0);
	else
		cmp_error_at(e, c->s->name, header_line, 0);
	return CMP_EX_DATAERR;
}

static void
add_seg(struct plan *p, char *text, size_t col)
{
	p->segs = cmp_xrealloc(p->segs, (p->nsegs + 1) * sizeof(*p->segs));
	p->segs[p->nsegs].text = text;
	p->segs[p->nsegs].col = col;
	p->nsegs++;
}

/* "{Col} text {Other}", "{{" and "}}" for braces, against the header. */
static int
compile_template(struct cmp_csv *c, const struct cmp_map_field *f,
		 struct plan *p, long header_line, struct cmp_error *e)
{
	struct cmp_buf lit = CMP_BUF_INIT;
	const char *t = f->template;

	while (*t) {
		const char *close;
		char *name;
		long col;

		if ((t[0] == '{' && t[1] == '{') ||
		    (t[0] == '}' && t[1] == '}')) {
			cmp_buf_addc(&lit, t[0]);
			t += 2;
			continue;
		}
		if (*t != '{' || !(close = strchr(t, '}'))) {
			/* map.c refuses a lone brace; keep it as text */
			cmp_buf_addc(&lit, *t++);
			continue;
		}
		name = cmp_xstrndup(t + 1, (size_t)(close - t - 1));
		col = find_column(c, name);
		if (col < 0) {
			missing(c, f, name, header_line, e);
			free(name);
			cmp_buf_release(&lit);
			return CMP_EX_DATAERR;
		}
		free(name);
		if (lit.len)
			add_seg(p, cmp_buf_detach(&lit), 0);
		add_seg(p, NULL, (size_t)col);
		t = close + 1;
	}
	if (lit.len)
		add_seg(p, cmp_buf_detach(&lit), 0);
	cmp_buf_release(&lit);
	/* A template of text only still makes a (constant) value. */
	if (!p->nsegs)
		add_seg(p, cmp_xstrdup(""), 0);
	return 0;
}

static char *
trimmed(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return cmp_xstrndup(s, n);
}

/*
 * The header: names, and with a map, each field's columns.  Returns 0
 * (c->done set when the input has no header), 65 or 74.
 */
static int
read_header(struct cmp_csv *c, long *line, struct cmp_error *e)
{
	const struct cmp_map *map = c->map;
	int ret;

	if (cmp_stream_bom(c->s, e) < 0)
		return CMP_EX_IOERR;
	do {
		ret = read_row(c, line, e);
		if (ret == 0) {
			c->done = 1;	/* empty input: no records */
			return 0;
		}
		if (ret < 0)
			return CMP_EX_IOERR;
		if (ret != 1)
			return ret;
	} while (blank_row(c));
	for (size_t k = 0; k < c->ncells; k++) {
		if (!cell_ok(c, k)) {
			cmp_error_set(e, CMP_EX_DATAERR, NULL, "invalid UTF-8 "
				      "(not a UTF-8 file?)");
			cmp_error_at(e, c->s->name, *line, 0);
			return CMP_EX_DATAERR;
		}
	}
	c->ncols = c->ncells;
	c->names = cmp_xcalloc(c->ncols, sizeof(char *));
	for (size_t k = 0; k < c->ncols; k++)
		c->names[k] = trimmed(cell_text(c, k), c->cell[k].len);
	if (!map)
		return 0;
	/* Every column the map names must be there before a row is read. */
	c->plan = cmp_xcalloc(map->nfields ? map->nfields : 1,
			      sizeof(*c->plan));
	for (size_t i = 0; i < map->nfields; i++) {
		const struct cmp_map_field *f = &map->fields[i];
		struct plan *p = &c->plan[i];

		p->col = p->when_col = -1;
		if (f->when_column &&
		    (p->when_col = find_column(c, f->when_column)) < 0)
			return missing(c, f, f->when_column, *line, e);
		if (f->column) {
			if ((p->col = find_column(c, f->column)) < 0)
				return missing(c, f, f->column, *line, e);
		} else if (f->template) {
			if ((ret = compile_template(c, f, p, *line, e)))
				return ret;
		}
	}
	return 0;
}

/* Put value at path ("customer.name") in obj, making the objects between. */
static void
set_path(cJSON *obj, const char *path, cJSON *value)
{
	char *copy = cmp_xstrdup(path), *seg = copy, *dot;

	while ((dot = strchr(seg, '.'))) {
		cJSON *sub;

		*dot = '\0';
		sub = cJSON_GetObjectItemCaseSensitive(obj, seg);
		if (!cJSON_IsObject(sub)) {
			/* A clash ("customer" and "customer.name") stays
			 * visible: the decoder sees the key twice. */
			sub = cmp_json_must(cJSON_CreateObject());
			cJSON_AddItemToObject(obj, seg, sub);
		}
		obj = sub;
		seg = dot + 1;
	}
	cJSON_AddItemToObject(obj, seg, value);
	free(copy);
}

static int
days_in_month(int year, int mon)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31};

	if (mon == 1 && ((year % 4 == 0 && year % 100) || year % 400 == 0))
		return 29;
	return days[mon];
}

/* 1 if the strptime(3) format has a conversion from set. */
static int
format_has(const char *fmt, const char *set)
{
	for (const char *p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		if (!*++p)
			break;
		if (*p == 'E' || *p == 'O')
			if (!*++p)
				break;
		if (*p != '%' && strchr(set, *p))
			return 1;
	}
	return 0;
}

/*
 * value in the map's time format, as the decoder reads times: a date
 * "YYYY-MM-DD", or "YYYY-MM-DD HH:MM:SS" when the format has a time of
 * day (local to the configured zone), with the offset when it has %z.
 */
static int
convert_time(const char *value, const char *fmt, char *out, size_t size)
{
	struct tm tm;
	const char *end;
	int year;

	memset(&tm, 0, sizeof(tm));
	tm.tm_mday = 1;
	end = strptime(value, fmt, &tm);
	if (!end || *end)
		return -1;
	year = tm.tm_year + 1900;
	/* strptime takes 02/31 as well: the calendar does not. */
	if (year < 1 || year > 9999 || tm.tm_mon < 0 || tm.tm_mon > 11 ||
	    tm.tm_mday < 1 || tm.tm_mday > days_in_month(year, tm.tm_mon))
		return -1;
	if (format_has(fmt, "z")) {
		long off = tm.tm_gmtoff;
		char sign = off < 0 ? '-' : '+';

		if (off < 0)
			off = -off;
		snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld",
			 year, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
			 tm.tm_min, tm.tm_sec, sign, off / 3600,
			 off / 60 % 60);
	} else if (format_has(fmt, "HIMSTRrpcXkl")) {
		snprintf(out, size, "%04d-%02d-%02d %02d:%02d:%02d", year,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			 tm.tm_sec);
	} else {
		snprintf(out, size, "%04d-%02d-%02d", year, tm.tm_mon + 1,
			 tm.tm_mday);
	}
	return 0;
}

static const char *
column_name(const struct cmp_csv *c, size_t k, char *buf, size_t size)
{
	if (k < c->ncols && c->names[k][0])
		snprintf(buf, size, "'%s'", c->names[k]);
	else
		snprintf(buf, size, "%zu", k + 1);
	return buf;
}

/* A row of a CSV without a map: each column a field path. */
static int
plain_record(struct cmp_csv *c, cJSON *obj, long line, struct cmp_error *e)
{
	for (size_t k = 0; k < c->ncells; k++) {
		if (!c->cell[k].len)
			continue;	/* empty: not given */
		if (!c->names[k][0]) {
			cmp_error_set(e, CMP_EX_DATAERR, NULL, "a value in "
				      "column %zu, which has no name in the "
				      "header", k + 1);
			cmp_error_at(e, c->s->name, line, 0);
			return CMP_EX_DATAERR;
		}
		set_path(obj, c->names[k],
			 cmp_json_must(cJSON_CreateString(cell_text(c, k))));
	}
	return 0;
}

/* A row through the map: each map field, in order. */
static int
mapped_record(struct cmp_csv *c, cJSON *obj, long line, struct cmp_error *e)
{
	const struct cmp_map *map = c->map;

	for (size_t i = 0; i < map->nfields; i++) {
		const struct cmp_map_field *f = &map->fields[i];
		const struct plan *p = &c->plan[i];
		const char *v;
		char when[64];

		if (p->when_col >= 0 &&
		    strcmp(cell_text(c, (size_t)p->when_col), f->when_value))
			continue;
		cmp_buf_reset(&c->val);
		if (p->col >= 0) {
			cmp_buf_adds(&c->val, cell_text(c, (size_t)p->col));
		} else if (p->segs) {
			int refs = 0, given = 0;

			for (size_t k = 0; k < p->nsegs; k++) {
				const struct seg *sg = &p->segs[k];

				if (sg->text) {
					cmp_buf_adds(&c->val, sg->text);
					continue;
				}
				refs++;
				if (c->cell[sg->col].len)
					given = 1;
				cmp_buf_adds(&c->val, cell_text(c, sg->col));
			}
			/* "T-{Ticket}" with no ticket is no ref at all. */
			if (refs && !given)
				cmp_buf_reset(&c->val);
		} else if (f->value) {
			cmp_buf_adds(&c->val, f->value);
		}
		v = cmp_buf_str(&c->val);
		if (f->nvalues) {
			size_t k;

			for (k = 0; k < f->nvalues; k++)
				if (!strcmp(v, f->from[k]))
					break;
			if (k < f->nvalues) {
				if (!f->to[k])
					continue;	/* null: left out */
				v = f->to[k];
			} else if (f->otherwise && *v) {
				/* An empty cell stays "not given". */
				v = f->otherwise;
			}
		}
		if (!*v)
			continue;
		if (f->time_format) {
			if (convert_time(v, f->time_format, when,
					 sizeof(when))) {
				cmp_error_set(e, CMP_EX_DATAERR, f->path,
					      "'%s' does not match the time "
					      "format '%s'", v,
					      f->time_format);
				cmp_error_at(e, c->s->name, line, 0);
				return CMP_EX_DATAERR;
			}
			v = when;
		}
		set_path(obj, f->path, cmp_json_must(cJSON_CreateString(v)));
	}
	return 0;
}

static int
make_record(struct cmp_csv *c, cJSON **obj, long line, struct cmp_error *e)
{
	cJSON *o;
	char col[160];
	int ret;

	if (c->ncells != c->ncols) {
		cmp_error_set(e, CMP_EX_DATAERR, NULL, "%zu field%s, but the "
			      "header has %zu", c->ncells,
			      c->ncells == 1 ? "" : "s", c->ncols);
		cmp_error_at(e, c->s->name, line, 0);
		return CMP_EX_DATAERR;
	}
	for (size_t k = 0; k < c->ncells; k++) {
		if (!cell_ok(c, k)) {
			cmp_error_set(e, CMP_EX_DATAERR, NULL, "invalid UTF-8 "
				      "in column %s (not a UTF-8 file?)",
				      column_name(c, k, col, sizeof(col)));
			cmp_error_at(e, c->s->name, line, 0);
			return CMP_EX_DATAERR;
		}
	}
	o = cmp_json_must(cJSON_CreateObject());
	ret = c->map ? mapped_record(c, o, line, e) :
		plain_record(c, o, line, e);
	if (ret) {
		cJSON_Delete(o);
		return ret;
	}
	*obj = o;
	return 0;
}

int
cmp_csv_next(struct cmp_csv *c, cJSON **obj, long *line, struct cmp_error *e)
{
	int ret;

	*obj = NULL;
	if (c->done)
		return 0;
	if (!c->started) {
		c->started = 1;
		if ((ret = read_header(c, line, e))) {
			c->done = 1;	/* no header, no rows */
			return ret;
		}
		if (c->done)
			return 0;
	}
	for (;;) {
		ret = read_row(c, line, e);
		if (ret == 1 && blank_row(c))
			continue;
		if (ret == 1)
			return make_record(c, obj, *line, e);
		c->done = 1;
		return ret < 0 ? CMP_EX_IOERR : ret;
	}
}
