/*
 * map.c - CSV column maps: a YAML file saying how each field of the
 * record is made from a row of someone else's export.
 *
 *   delimiter: ","                  # or ";" or "\t"
 *   fields:
 *     summary: Issue                # a column
 *     ref: {template: "CFPB-{Complaint ID}"}
 *     channel: {column: Via, values: {Phone: phone}, otherwise: other}
 *     category: {value: service}    # a constant
 *     received_at: {column: Opened, time_format: "%m/%d/%Y"}
 *     closed_at: {column: Closed, when: {Status: Closed}}  # some rows
 *     attrs.team: Team              # free data
 *
 * The rows themselves are read by csv.c.
 */
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "util.h"
#include "yaml_tree.h"

static int
bad(struct cmp_error *e, const char *name, const struct cmp_ynode *n,
    const char *field, const char *msg)
{
	cmp_error_set(e, CMP_EX_CONFIG, field, "%s", msg);
	cmp_error_at(e, name, n ? n->line : 0, n ? n->column : 0);
	return CMP_EX_CONFIG;
}

void
cmp_map_free(struct cmp_map *map)
{
	if (!map)
		return;
	for (size_t i = 0; i < map->nfields; i++) {
		struct cmp_map_field *f = &map->fields[i];

		free(f->path);
		free(f->column);
		free(f->template);
		free(f->value);
		free(f->time_format);
		for (size_t k = 0; k < f->nvalues; k++) {
			free(f->from[k]);
			free(f->to[k]);
		}
		free(f->from);
		free(f->to);
		free(f->otherwise);
		free(f->when_column);
		free(f->when_value);
	}
	free(map->fields);
	free(map->name);
	free(map);
}

/* A target the map may fill: an input field of the record, or attrs.KEY. */
static int
valid_target(const char *path)
{
	const struct cmp_field *f;

	if (!strncmp(path, "attrs.", 6))
		return path[6] && !strchr(path + 6, '.');
	f = cmp_field_find(path);
	return f && (!(f->flags & CMP_FF_MANAGED) ||
		     (f->flags & CMP_FF_AS_OF)) && f->type != CMP_F_JSON &&
	       f->type != CMP_F_FOLLOWUPS;
}

static int
scalar(const struct cmp_ynode *n)
{
	return n && n->type == CMP_Y_SCALAR;
}

static int
load_field(struct cmp_map *map, const char *path, const struct cmp_ynode *n,
	   struct cmp_map_field *f, struct cmp_error *e)
{
	static const char *const keys[] = {"column", "template", "value",
		"values", "otherwise", "time_format", "when", NULL};
	const struct cmp_ynode *v;
	int sources = 0;

	f->path = cmp_xstrdup(path);
	f->line = n->line;
	if (n->type == CMP_Y_SCALAR) {
		if (cmp_ynode_is_null(n))
			return bad(e, map->name, n, path, "a column name is "
				   "required");
		f->column = cmp_xstrdup(n->text);
		return 0;
	}
	if (n->type != CMP_Y_MAP)
		return bad(e, map->name, n, path, "expected a column name or "
			   "a mapping of column, template, value, values, "
			   "otherwise, time_format, when");
	for (size_t i = 0; i < n->n; i++) {
		size_t k;

		for (k = 0; keys[k]; k++)
			if (!strcmp(n->keys[i]->text, keys[k]))
				break;
		if (!keys[k]) {
			char *p = cmp_xasprintf("%s.%s", path,
						n->keys[i]->text);
			int ret = bad(e, map->name, n->keys[i], p,
				      "unknown key");

			free(p);
			return ret;
		}
		if (strcmp(keys[k], "values") && strcmp(keys[k], "when") &&
		    !scalar(n->items[i]))
			return bad(e, map->name, n->items[i], path,
				   "expected a single value");
	}
#define TEXT(key, slot) \
	if ((v = cmp_ymap_get(n, key)) && !cmp_ynode_is_null(v)) { \
		f->slot = cmp_xstrdup(v->text); \
	}
	TEXT("column", column)
	TEXT("template", template)
	TEXT("value", value)
	TEXT("otherwise", otherwise)
	TEXT("time_format", time_format)
#undef TEXT
	/* "otherwise: null" leaves the field out: an empty value does. */
	if ((v = cmp_ymap_get(n, "otherwise")) && cmp_ynode_is_null(v))
		f->otherwise = cmp_xstrdup("");
	sources = !!f->column + !!f->template + !!f->value;
	if (sources != 1)
		return bad(e, map->name, n, path, "give exactly one of column, "
			   "template or value");
	if ((v = cmp_ymap_get(n, "values")) && !cmp_ynode_is_null(v)) {
		if (v->type != CMP_Y_MAP)
			return bad(e, map->name, v, path, "values: expected a "
				   "mapping of value: replacement");
		f->from = cmp_xcalloc(v->n + 1, sizeof(char *));
		f->to = cmp_xcalloc(v->n + 1, sizeof(char *));
		for (size_t i = 0; i < v->n; i++) {
			if (!scalar(v->items[i]))
				return bad(e, map->name, v->items[i], path,
					   "values: a replacement is a single "
					   "value (null: leave the field out)");
			f->from[i] = cmp_xstrdup(v->keys[i]->text);
			f->to[i] = cmp_ynode_is_null(v->items[i]) ? NULL :
				cmp_xstrdup(v->items[i]->text);
			f->nvalues = i + 1;
		}
	}
	/* when: {Column: value}, one pair: the row must hold it. */
	if ((v = cmp_ymap_get(n, "when"))) {
		if (v->type != CMP_Y_MAP || v->n != 1 || !scalar(v->items[0]) ||
		    cmp_ynode_is_null(v->items[0]))
			return bad(e, map->name, v, path, "when: expected one "
				   "column and its value, {Column: value}");
		f->when_column = cmp_xstrdup(v->keys[0]->text);
		f->when_value = cmp_xstrdup(v->items[0]->text);
	}
	if (f->template) {
		/* Every '{' opens a column name closed by '}'. */
		for (const char *p = f->template; *p; p++) {
			if (p[0] == '{' && p[1] == '{') {
				p++;
			} else if (p[0] == '}' && p[1] == '}') {
				p++;
			} else if (*p == '{') {
				const char *close = strchr(p, '}');

				if (!close || close == p + 1)
					return bad(e, map->name, n, path,
						   "template: '{' without a "
						   "column name and '}'");
				p = close;
			} else if (*p == '}') {
				return bad(e, map->name, n, path, "template: "
					   "'}' without '{' (write '}}')");
			}
		}
	}
	return 0;
}

int
cmp_map_load_text(struct cmp_map **out, const char *text, size_t len,
		  const char *name, struct cmp_error *e)
{
	struct cmp_ynode *root, *fields, *v;
	struct cmp_map *map;
	int ret;

	*out = NULL;
	if ((ret = cmp_yaml_load(text, len, name, &root, e)))
		return ret;
	map = cmp_xcalloc(1, sizeof(*map));
	map->name = cmp_xstrdup(name);
	map->delimiter = ',';
	if (!root || root->type != CMP_Y_MAP) {
		ret = bad(e, name, root, NULL, "a map file is a mapping with "
			  "a 'fields' key");
		goto out;
	}
	for (size_t i = 0; i < root->n; i++) {
		const char *k = root->keys[i]->text;

		if (strcmp(k, "fields") && strcmp(k, "delimiter") &&
		    strcmp(k, "name")) {
			ret = bad(e, name, root->keys[i], k, "unknown key "
				  "(a map has name, delimiter and fields)");
			goto out;
		}
	}
	if ((v = cmp_ymap_get(root, "delimiter"))) {
		if (!scalar(v) || (strcmp(v->text, ",") &&
		    strcmp(v->text, ";") && strcmp(v->text, "\t") &&
		    strcmp(v->text, "|"))) {
			ret = bad(e, name, v, "delimiter", "one of \",\", "
				  "\";\", \"|\" or \"\\t\"");
			goto out;
		}
		map->delimiter = v->text[0];
	}
	fields = cmp_ymap_get(root, "fields");
	if (!fields || fields->type != CMP_Y_MAP || !fields->n) {
		ret = bad(e, name, fields ? fields : root, "fields",
			  "a mapping of field paths to columns is required");
		goto out;
	}
	map->fields = cmp_xcalloc(fields->n, sizeof(*map->fields));
	for (size_t i = 0; i < fields->n; i++) {
		const char *path = fields->keys[i]->text;

		map->nfields = i + 1;
		if (!valid_target(path)) {
			ret = bad(e, name, fields->keys[i], path, "not a field "
				  "a map can fill (see complaint(7); free "
				  "data goes to attrs.KEY)");
			goto out;
		}
		for (size_t k = 0; k < i; k++)
			if (!strcmp(map->fields[k].path, path)) {
				ret = bad(e, name, fields->keys[i], path,
					  "given twice");
				goto out;
			}
		if ((ret = load_field(map, path, fields->items[i],
				      &map->fields[i], e)))
			goto out;
	}
out:
	cmp_ynode_free(root);
	if (ret) {
		cmp_map_free(map);
		return ret;
	}
	*out = map;
	return 0;
}

int
cmp_map_load(struct cmp_map **out, const char *path, struct cmp_error *e)
{
	char *text;
	size_t len;
	int ret;

	*out = NULL;
	if ((ret = cmp_read_file(path, &text, &len, e)))
		return ret;
	ret = cmp_map_load_text(out, text, len, path, e);
	free(text);
	return ret;
}
