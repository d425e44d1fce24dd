/*
 * Fuzz target: a whole CSV stream through cmp_reader (CMP_IN_CSV, no
 * map), from a memfd.  Checks: every record is an object of strings (or
 * objects of them), valid UTF-8; errors are 65 with the input named;
 * the reader always ends.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

static void
check(const cJSON *obj)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, obj) {
		if (cJSON_IsObject(v)) {
			check(v);
			continue;
		}
		if (!cJSON_IsString(v) || !*v->valuestring ||
		    cmp_utf8_check(v->valuestring, strlen(v->valuestring)))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct cmp_reader *r;
	struct cmp_error e;
	size_t calls = 0;
	FILE *fp;
	int fd;

	fd = memfd_create("fuzz-csv", 0);
	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	lseek(fd, 0, SEEK_SET);
	fp = fdopen(fd, "r");
	cmp_error_clear(&e);
	if (cmp_reader_new(&r, fp, "fuzz", CMP_IN_CSV, NULL, 0, &e))
		abort();
	for (;;) {
		cJSON *obj = NULL;
		long line = 0;
		int ret;

		cmp_error_clear(&e);
		ret = cmp_reader_next(r, &obj, &line, &e);
		if (++calls > size + 8)
			abort();
		if (ret) {
			if (ret != CMP_EX_DATAERR || obj ||
			    strcmp(e.input, "fuzz") || !e.msg[0])
				abort();
			continue;
		}
		if (!obj)
			break;
		if (!cJSON_IsObject(obj) || line < 1)
			abort();
		check(obj);
		cJSON_Delete(obj);
	}
	cmp_reader_free(r);
	fclose(fp);
	return 0;
}
