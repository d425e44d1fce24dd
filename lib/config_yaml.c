/*
 * config_yaml.c - reading the configuration's values out of the YAML
 * tree: text, numbers, booleans, durations, lists, and mappings with a
 * known set of keys, each error naming the file, the line and the key
 * path (status 78).  Shared by config.c and config_sla.c.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config_yaml.h"

int
cmp_cfg_bad(struct cmp_cfgload *l, const struct cmp_ynode *n, const char *path,
	    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cmp_error_vset(l->e, CMP_EX_CONFIG, path, fmt, ap);
	va_end(ap);
	cmp_error_at(l->e, l->name, n ? n->line : 0, n ? n->column : 0);
	return CMP_EX_CONFIG;
}

char *
cmp_cfg_join(const char *a, const char *b)
{
	return cmp_xasprintf("%s.%s", a, b);
}

/* ------------------------------------------------------------------ */
/* Scalars                                                             */
/* ------------------------------------------------------------------ */

int
cmp_cfg_want_type(struct cmp_cfgload *l, const struct cmp_ynode *n,
		  const char *path, enum cmp_ytype type)
{
	static const char *const names[] = {"a value", "a list", "a mapping"};

	if (n->type == type)
		return 0;
	return cmp_cfg_bad(l, n, path, "expected %s, got %s", names[type],
			   names[n->type]);
}

int
cmp_cfg_text(struct cmp_cfgload *l, const struct cmp_ynode *n, const char *path,
	     char **out)
{
	if (cmp_cfg_want_type(l, n, path, CMP_Y_SCALAR))
		return CMP_EX_CONFIG;
	free(*out);
	*out = cmp_ynode_is_null(n) ? NULL : cmp_xstrdup(n->text);
	return 0;
}

int
cmp_cfg_number(struct cmp_cfgload *l, const struct cmp_ynode *n,
	       const char *path, double min, double max, double *out)
{
	char *end;
	double v;

	if (cmp_cfg_want_type(l, n, path, CMP_Y_SCALAR))
		return CMP_EX_CONFIG;
	v = strtod(n->text, &end);
	if (!*n->text || *end || isspace((unsigned char)*n->text) ||
	    !isfinite(v))
		return cmp_cfg_bad(l, n, path, "'%s' is not a number", n->text);
	if (v < min || v > max)
		return cmp_cfg_bad(l, n, path, "%s is out of range (%g to %g)",
				   n->text, min, max);
	*out = v;
	return 0;
}

int
cmp_cfg_int(struct cmp_cfgload *l, const struct cmp_ynode *n, const char *path,
	    int min, int max, int *out)
{
	double v;

	if (cmp_cfg_number(l, n, path, min, max, &v))
		return CMP_EX_CONFIG;
	if (v != floor(v))
		return cmp_cfg_bad(l, n, path, "'%s' is not a whole number",
				   n->text);
	*out = (int)v;
	return 0;
}

int
cmp_cfg_bool(struct cmp_cfgload *l, const struct cmp_ynode *n, const char *path,
	     int *out)
{
	if (cmp_cfg_want_type(l, n, path, CMP_Y_SCALAR))
		return CMP_EX_CONFIG;
	if (!strcmp(n->text, "true") || !strcmp(n->text, "True") ||
	    !strcmp(n->text, "TRUE"))
		*out = 1;
	else if (!strcmp(n->text, "false") || !strcmp(n->text, "False") ||
		 !strcmp(n->text, "FALSE"))
		*out = 0;
	else
		return cmp_cfg_bad(l, n, path,
				   "expected true or false, got '%s'", n->text);
	return 0;
}

/* A duration, or null/"none"/"off" for none (unit 0). */
int
cmp_cfg_duration(struct cmp_cfgload *l, const struct cmp_ynode *n,
		 const char *path, struct cmp_duration *out)
{
	struct cmp_error e2;

	if (cmp_cfg_want_type(l, n, path, CMP_Y_SCALAR))
		return CMP_EX_CONFIG;
	if (cmp_ynode_is_null(n) || !strcmp(n->text, "none") ||
	    !strcmp(n->text, "off")) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	cmp_error_clear(&e2);
	if (cmp_duration_parse(n->text, out, &e2))
		return cmp_cfg_bad(l, n, path, "%s", e2.msg);
	return 0;
}

int
cmp_cfg_valid_key(const char *s)
{
	if (!isalnum((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
			return 0;
	return 1;
}

/* A list of strings (a single value counts as a list of one). */
int
cmp_cfg_list(struct cmp_cfgload *l, const struct cmp_ynode *n, const char *path,
	     char ***out, size_t *nout)
{
	char **v;
	size_t count;

	if (n->type == CMP_Y_MAP)
		return cmp_cfg_bad(l, n, path,
				   "expected a list, got a mapping");
	count = n->type == CMP_Y_SEQ ? n->n : 1;
	v = cmp_xcalloc(count + 1, sizeof(char *));
	for (size_t i = 0; i < count; i++) {
		const struct cmp_ynode *item = n->type == CMP_Y_SEQ ?
			n->items[i] : n;

		if (item->type != CMP_Y_SCALAR || cmp_ynode_is_null(item)) {
			for (size_t k = 0; k < i; k++)
				free(v[k]);
			free(v);
			return cmp_cfg_bad(l, item, path,
					   "expected a list of values");
		}
		v[i] = cmp_xstrdup(item->text);
	}
	*out = v;
	*nout = count;
	return 0;
}

void
cmp_cfg_free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Check that n is a mapping whose keys are all among allowed. */
int
cmp_cfg_check_keys(struct cmp_cfgload *l, const struct cmp_ynode *n,
		   const char *path, const char *const *allowed)
{
	if (cmp_cfg_want_type(l, n, path, CMP_Y_MAP))
		return CMP_EX_CONFIG;
	for (size_t i = 0; i < n->n; i++) {
		const char *k = n->keys[i]->text;
		size_t j;

		for (j = 0; allowed[j]; j++)
			if (!strcmp(k, allowed[j]))
				break;
		if (!allowed[j]) {
			char *p = path ? cmp_cfg_join(path, k) : cmp_xstrdup(k);
			int ret = cmp_cfg_bad(l, n->keys[i], p, "unknown key");

			free(p);
			return ret;
		}
		for (size_t m = 0; m < i; m++)
			if (!strcmp(k, n->keys[m]->text)) {
				char *p = path ? cmp_cfg_join(path, k) :
					cmp_xstrdup(k);
				int ret = cmp_cfg_bad(l, n->keys[i], p,
						      "given twice (first at "
						      "line %ld)",
						      n->keys[m]->line);

				free(p);
				return ret;
			}
	}
	return 0;
}
