/*
 * Fuzz target: cmp-list --where expressions, against the built-in
 * configuration.  What parses is described back (every value walked),
 * and must name a field or a key of attrs; what does not is a usage
 * error (64) with a message, nothing made.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "where.h"

static struct cmp_config *cfg;

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct cmp_where *w;
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
	cmp_error_clear(&e);
	/* 2025-11-20T01:15:00Z */
	if (cmp_where_parse(s, cfg, 1763601300, &w, &e) == 0) {
		char *text = cmp_where_describe(w);

		if (!w || (!w->f == !w->key) || !text)
			abort();
		if (w->op >= CMP_WHERE_LT && w->op <= CMP_WHERE_GE &&
		    w->nvalues != 1 && !(w->f && w->f->type == CMP_F_ENUM))
			abort();
		free(text);
		cmp_where_free(w);
	} else if (e.code != CMP_EX_USAGE || !e.msg[0] || w) {
		abort();
	}
	free(s);
	return 0;
}
