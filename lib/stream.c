/*
 * stream.c - the byte stream under the record reader: an input read in
 * chunks, with the line count kept as bytes are consumed.  The JSON
 * side (reader.c) and the CSV side (csv.c) read their records from it.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stream.h"

#define CHUNK 65536

void
cmp_stream_init(struct cmp_stream *s, FILE *fp, const char *name)
{
	memset(s, 0, sizeof(*s));
	s->fp = fp;
	s->fd = fileno(fp);
	s->name = name;
	s->line = 1;
	s->cap = CHUNK;
	s->buf = cmp_xmalloc(s->cap);
}

void
cmp_stream_release(struct cmp_stream *s)
{
	free(s->buf);
	s->buf = NULL;
}

int
cmp_stream_fill(struct cmp_stream *s, struct cmp_error *e)
{
	ssize_t n;

	if (s->eof)
		return 0;
	/* Keep only what is not consumed; move it down when space runs out. */
	if (s->pos && s->cap - s->len < CHUNK) {
		memmove(s->buf, s->buf + s->pos, s->len - s->pos);
		s->base += s->pos;
		s->len -= s->pos;
		s->pos = 0;
	}
	if (s->cap - s->len < CHUNK) {
		size_t cap = s->cap * 2;

		if (cap < s->len + CHUNK)
			cap = s->len + CHUNK;
		s->buf = cmp_xrealloc(s->buf, cap);
		s->cap = cap;
	}
	for (;;) {
		/*
		 * read(2), not fread(3): it returns what a pipe holds now
		 * instead of waiting to fill the chunk, so each record is
		 * served as soon as it is complete.  Streams without a file
		 * descriptor (fmemopen) are read through stdio.
		 */
		if (s->fd >= 0) {
			n = read(s->fd, s->buf + s->len, CHUNK);
		} else {
			n = (ssize_t)fread(s->buf + s->len, 1, CHUNK, s->fp);
			if (!n && ferror(s->fp))
				n = -1;
		}
		if (n >= 0)
			break;
		if (errno == EINTR)
			continue;
		if (s->fd >= 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd pfd = { .fd = s->fd, .events = POLLIN };

			poll(&pfd, 1, -1);
			continue;
		}
		cmp_error_set(e, CMP_EX_IOERR, NULL, "read error: %s",
			      strerror(errno));
		cmp_error_at(e, s->name, 0, 0);
		return -1;
	}
	if (!n) {
		s->eof = 1;
		return 0;
	}
	s->len += (size_t)n;
	return 1;
}

void
cmp_stream_advance(struct cmp_stream *s, size_t n)
{
	const char *p = s->buf + s->pos, *end = p + n, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
		s->line++;
		s->line_off = s->base + (uint64_t)(nl + 1 - s->buf);
		p = nl + 1;
	}
	s->pos += n;
}

int
cmp_stream_ensure(struct cmp_stream *s, size_t n, struct cmp_error *e)
{
	while (s->len - s->pos < n) {
		int ret = cmp_stream_fill(s, e);

		if (ret <= 0)
			return ret;
	}
	return 1;
}

int
cmp_stream_bom(struct cmp_stream *s, struct cmp_error *e)
{
	static const char bom[] = "\xef\xbb\xbf";

	/* Wait for more bytes only while they can still be a BOM. */
	for (size_t k = 1; k <= 3; k++) {
		if (cmp_stream_ensure(s, k, e) < 0)
			return -1;
		if (s->len - s->pos < k || s->buf[s->pos + k - 1] != bom[k - 1])
			return 0;
	}
	s->pos += 3;
	s->line_off = s->base + s->pos;	/* columns count after it */
	return 1;
}

void
cmp_stream_locate(const struct cmp_stream *s, size_t i, long *line,
		  long *column)
{
	const char *p = s->buf + s->pos, *end = p + i, *nl;
	uint64_t off = s->line_off;
	long l = s->line;

	while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
		l++;
		off = s->base + (uint64_t)(nl + 1 - s->buf);
		p = nl + 1;
	}
	*line = l;
	*column = (long)(s->base + s->pos + i - off) + 1;
}
