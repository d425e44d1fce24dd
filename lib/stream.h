/*
 * stream.h - the byte stream under the record reader (stream.c): the
 * JSON side (reader.c) and the CSV side (csv.c) both read from it.
 * Private to libcomplaint.
 */
#ifndef CMP_STREAM_H
#define CMP_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "complaint.h"

/* The largest record (JSON) or row (CSV) a reader accepts. */
#define CMP_RECORD_MAX (64 << 20)

/*
 * A stream read in chunks: buf[pos..len) is read but not consumed yet;
 * consuming with cmp_stream_advance() keeps the line count.  Owned by
 * the reader (reader.c); csv.c reads rows from it.
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
/* Start reading fp (borrowed), named name (borrowed) in messages. */
void cmp_stream_init(struct cmp_stream *s, FILE *fp, const char *name);
/* Free the buffer. */
void cmp_stream_release(struct cmp_stream *s);
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

#endif /* CMP_STREAM_H */
