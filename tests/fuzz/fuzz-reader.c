/*
 * Fuzz target: a whole stream through cmp_reader (CMP_IN_JSON), from a
 * memfd so the reader takes its read(2) path.  The first byte picks
 * CMP_READ_IDS.  Checks: records are objects (or, with ids, numbers),
 * errors are 65 with the input named, the reader always ends (each call
 * consumes input or ends it), and the offset never passes the input.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct cmp_reader *r;
	struct cmp_error e;
	unsigned flags = 0;
	size_t calls = 0;
	FILE *fp;
	int fd;

	if (size && data[0] == '#') {
		flags = CMP_READ_IDS;
		data++;
		size--;
	}
	fd = memfd_create("fuzz-reader", 0);
	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	lseek(fd, 0, SEEK_SET);
	fp = fdopen(fd, "r");
	cmp_error_clear(&e);
	if (cmp_reader_new(&r, fp, "fuzz", CMP_IN_JSON, NULL, flags, &e))
		abort();
	for (;;) {
		cJSON *obj = NULL;
		long line = 0;
		int ret;

		cmp_error_clear(&e);
		ret = cmp_reader_next(r, &obj, &line, &e);
		/* At most two calls per byte: an error, then a skip. */
		if (++calls > 2 * size + 8)
			abort();
		if (cmp_reader_offset(r) > size)
			abort();
		if (ret) {
			if (ret != CMP_EX_DATAERR || obj ||
			    strcmp(e.input, "fuzz") || !e.msg[0])
				abort();
			continue;
		}
		if (!obj)
			break;
		if (!cJSON_IsObject(obj) &&
		    !((flags & CMP_READ_IDS) && cmp_json_is_number(obj)))
			abort();
		if (line < 1)
			abort();
		cJSON_Delete(obj);
	}
	cmp_reader_free(r);
	fclose(fp);
	return 0;
}
