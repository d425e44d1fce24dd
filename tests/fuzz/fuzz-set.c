/*
 * Fuzz target: "--set FIELD=VALUE" parsing and applying, over every field
 * type, against the built-in configuration.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static struct cmp_config *cfg;

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct cmp_complaint c;
	struct cmp_error e;
	char *s;

	if (!cfg) {
		cmp_error_clear(&e);
		if (cmp_config_load(&cfg, NULL, &e))
			abort();
	}
	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	cmp_complaint_init(&c);
	cmp_error_clear(&e);
	/* Several assignments, separated by newlines, applied in turn. */
	for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n"))
		if (cmp_complaint_set(cfg, &c, line, 1763601300, &e) == 0) {
			char *text = cmp_json_print(&c, 0);

			free(text);
		}
	cmp_complaint_release(&c);
	free(s);
	return 0;
}
