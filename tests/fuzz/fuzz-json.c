/*
 * Fuzz target: cmp_json_parse on arbitrary bytes.  Besides not crashing,
 * it checks what the parser promises: an error is 65 with a location and
 * no tree; a tree prints, and its printed form parses back to the same
 * text (numbers are raw literals, so nothing is rounded on the way).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct cmp_error e;
	cJSON *v = NULL, *again = NULL;
	char *text, *text2;

	cmp_error_clear(&e);
	if (cmp_json_parse((const char *)data, size, &v, &e)) {
		if (v || e.code != CMP_EX_DATAERR || e.line < 1 ||
		    e.column < 1 || !e.msg[0])
			abort();
		return 0;
	}
	if (!v)
		abort();
	text = cJSON_PrintUnformatted(v);
	if (!text)
		abort();
	/* Printed JSON is valid UTF-8 and parses to the same print. */
	if (cmp_utf8_check(text, strlen(text)))
		abort();
	if (cmp_json_parse(text, strlen(text), &again, &e))
		abort();
	text2 = cJSON_PrintUnformatted(again);
	if (!text2 || strcmp(text, text2))
		abort();
	free(text);
	free(text2);
	cJSON_Delete(again);
	cJSON_Delete(v);
	return 0;
}
