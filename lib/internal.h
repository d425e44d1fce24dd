/*
 * internal.h - structures shared by libcomplaint's files, not part of the
 * public API.
 */
#ifndef CMP_INTERNAL_H
#define CMP_INTERNAL_H

#include "complaint.h"

#define CMP_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* share/complaint/config.yaml, embedded by make (build/lib/defaults.c). */
extern const char cmp_default_config[];

/* ------------------------------------------------------------------ */
/* yaml.c: a YAML document as a tree with positions                    */
/* ------------------------------------------------------------------ */

enum cmp_ytype { CMP_Y_SCALAR, CMP_Y_SEQ, CMP_Y_MAP };

struct cmp_ynode {
	enum cmp_ytype type;
	long line, column;	/* 1-based, where the node starts */
	char *text;		/* scalar: its value (UTF-8) */
	int plain;		/* scalar: written without quotes */
	size_t n;		/* seq: items; map: pairs */
	struct cmp_ynode **items;	/* seq items, or map values */
	struct cmp_ynode **keys;	/* map keys (scalars) */
};

/*
 * Parse one YAML document (anchors and aliases resolved, merge keys not
 * supported) into a tree; the caller owns *root (cmp_ynode_free).  An
 * empty document gives *root == NULL.  Returns 0 or 78 with name, line,
 * column set in e.
 */
int cmp_yaml_load(const char *text, size_t len, const char *name,
		  struct cmp_ynode **root, struct cmp_error *e);
void cmp_ynode_free(struct cmp_ynode *n);
/* The value of key in a mapping, or NULL (borrowed). */
struct cmp_ynode *cmp_ymap_get(const struct cmp_ynode *map, const char *key);
/* A plain scalar null, ~ or empty. */
int cmp_ynode_is_null(const struct cmp_ynode *n);
/* Read a whole file into memory (caller owns *text); 0, 66 or 74. */
int cmp_read_file(const char *path, char **text, size_t *len,
		  struct cmp_error *e);

/* ------------------------------------------------------------------ */
/* map.c: CSV column maps                                              */
/* ------------------------------------------------------------------ */

/* How one field of the record is made from a CSV row. */
struct cmp_map_field {
	char *path;		/* target: "customer.name", "attrs.company" */
	char *column;		/* take this column's value, or */
	char *template;		/* expand "{Column} text {Other}", or */
	char *value;		/* this constant */
	char *time_format;	/* strptime(3) format of the value, or NULL */
	char **from;		/* value translation: from[i] -> to[i] */
	char **to;		/* (to[i] NULL: leave the field out) */
	size_t nvalues;
	char *otherwise;	/* value when no from[] matches; NULL: as is,
				   "": leave the field out */
	long line;		/* line in the map file */
};

struct cmp_map {
	char *name;		/* map file name, for messages */
	char delimiter;		/* ',' unless the map says "\t" or ';' */
	struct cmp_map_field *fields;
	size_t nfields;
};

/* ------------------------------------------------------------------ */
/* json parser helpers (input.c)                                       */
/* ------------------------------------------------------------------ */

/*
 * The parser returns numbers as cJSON raw items holding the literal
 * ("1e400", "12345678901234567890"), so free data is kept as written.
 * cmp_json_number() reads a number from a raw literal or a cJSON number:
 * 1 and *out set when item is a finite number, 0 otherwise.
 */
int cmp_json_number(const cJSON *item, double *out);
/* 1 if item is a number (raw literal or cJSON number). */
int cmp_json_is_number(const cJSON *item);

/* One field of c as a JSON value (json.c; caller owns). */
cJSON *cmp_json_field(const struct cmp_field *f, const struct cmp_complaint *c,
		      unsigned flags);

/* ------------------------------------------------------------------ */
/* input.c, csv.c: the byte stream under a reader (internal)           */
/* ------------------------------------------------------------------ */

/* The largest record (JSON) or row (CSV) a reader accepts. */
#define CMP_RECORD_MAX (64 << 20)

/*
 * A stream read in chunks: buf[pos..len) is read but not consumed yet;
 * consuming with cmp_stream_advance() keeps the line count.  Owned by
 * the reader (input.c); csv.c reads rows from it.
 */
struct cmp_stream {
	FILE *fp;		/* borrowed */
	int fd;			/* fileno(fp), or -1: read through stdio */
	const char *name;	/* input name for messages (borrowed) */
	char *buf;
	size_t pos, len, cap;
	int eof;
	uint64_t base;		/* stream offset of buf[0] */
	long line;		/* 1-based line of buf[pos] */
	uint64_t line_off;	/* stream offset where that line starts */
};
/*
 * Read more (at most 64 KiB, what is there now), moving the unconsumed
 * bytes down first when space runs out: indexes relative to pos stay
 * valid, pointers into buf do not.  1 read, 0 end of input, -1 read
 * error (74 in e).
 */
int cmp_stream_fill(struct cmp_stream *s, struct cmp_error *e);
/* Fill until n bytes are unconsumed: 1, 0 (the input ends first), -1. */
int cmp_stream_ensure(struct cmp_stream *s, size_t n, struct cmp_error *e);
/* Consume n bytes, counting lines. */
void cmp_stream_advance(struct cmp_stream *s, size_t n);
/* Skip a UTF-8 byte order mark at pos: 1 skipped, 0 none, -1 error. */
int cmp_stream_bom(struct cmp_stream *s, struct cmp_error *e);
/* Line and column (1-based, in bytes) of buf[pos + i]. */
void cmp_stream_locate(const struct cmp_stream *s, size_t i, long *line,
		       long *column);

/* The CSV side of a reader (csv.c): rows of s as records. */
struct cmp_csv;
void cmp_csv_new(struct cmp_csv **out, struct cmp_stream *s,
		 const struct cmp_map *map);
/* As cmp_reader_next(). */
int cmp_csv_next(struct cmp_csv *c, cJSON **obj, long *line,
		 struct cmp_error *e);
void cmp_csv_free(struct cmp_csv *c);

/* The store's declarations for the rest of the library. */
#include "store.h"

#endif /* CMP_INTERNAL_H */
