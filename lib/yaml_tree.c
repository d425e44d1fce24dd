/*
 * yaml_tree.c - one YAML document as a tree of nodes with their positions,
 * built from libyaml's event stream, and small file helpers.
 *
 * Aliases are resolved by copying the anchored node, with a budget on
 * the nodes made so that a "billion laughs" document is refused rather
 * than expanded.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "util.h"
#include "yaml_tree.h"

#define YAML_MAX_NODES 1000000
#define YAML_MAX_DEPTH 256

struct anchor {
	char *name;
	struct cmp_ynode *node;
};

struct loader {
	yaml_parser_t parser;
	const char *name;
	struct anchor *anchors;
	size_t nanchors;
	size_t nodes;		/* made so far, aliases' copies included */
	struct cmp_error *e;
};

void
cmp_ynode_free(struct cmp_ynode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++) {
		cmp_ynode_free(n->items[i]);
		if (n->keys)
			cmp_ynode_free(n->keys[i]);
	}
	free(n->items);
	free(n->keys);
	free(n->text);
	free(n);
}

static struct cmp_ynode *
node_new(struct loader *l, enum cmp_ytype type, const yaml_mark_t *mark)
{
	struct cmp_ynode *n = cmp_xcalloc(1, sizeof(*n));

	n->type = type;
	n->line = (long)mark->line + 1;
	n->column = (long)mark->column + 1;
	l->nodes++;
	return n;
}

static struct cmp_ynode *
node_copy(struct loader *l, const struct cmp_ynode *src)
{
	struct cmp_ynode *n;

	if (++l->nodes > YAML_MAX_NODES)
		return NULL;
	n = cmp_xcalloc(1, sizeof(*n));
	*n = *src;
	n->text = cmp_xstrdup(src->text);
	if (src->n) {
		n->items = cmp_xcalloc(src->n, sizeof(*n->items));
		if (src->keys)
			n->keys = cmp_xcalloc(src->n, sizeof(*n->keys));
	}
	for (size_t i = 0; i < src->n; i++) {
		n->items[i] = node_copy(l, src->items[i]);
		if (src->keys)
			n->keys[i] = node_copy(l, src->keys[i]);
		if (!n->items[i] || (src->keys && !n->keys[i])) {
			n->n = i + 1;
			cmp_ynode_free(n);
			return NULL;
		}
	}
	return n;
}

static int
fail(struct loader *l, const yaml_mark_t *mark, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
fail(struct loader *l, const yaml_mark_t *mark, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cmp_error_vset(l->e, CMP_EX_CONFIG, NULL, fmt, ap);
	va_end(ap);
	cmp_error_at(l->e, l->name, mark ? (long)mark->line + 1 : 0,
		     mark ? (long)mark->column + 1 : 0);
	return CMP_EX_CONFIG;
}

static int
next_event(struct loader *l, yaml_event_t *ev)
{
	if (yaml_parser_parse(&l->parser, ev))
		return 0;
	return fail(l, &l->parser.problem_mark, "%s%s%s",
		    l->parser.problem ? l->parser.problem : "YAML error",
		    l->parser.context ? " " : "",
		    l->parser.context ? l->parser.context : "");
}

static void
remember(struct loader *l, const yaml_char_t *anchor, struct cmp_ynode *n)
{
	if (!anchor)
		return;
	l->anchors = cmp_xrealloc(l->anchors,
				  (l->nanchors + 1) * sizeof(*l->anchors));
	l->anchors[l->nanchors].name = cmp_xstrdup((const char *)anchor);
	l->anchors[l->nanchors].node = n;
	l->nanchors++;
}

/* Append item (and key, for maps) to parent. */
static void
append(struct cmp_ynode *parent, struct cmp_ynode *key,
       struct cmp_ynode *item)
{
	parent->items = cmp_xrealloc(parent->items,
				     (parent->n + 1) * sizeof(*parent->items));
	parent->items[parent->n] = item;
	if (parent->type == CMP_Y_MAP) {
		parent->keys = cmp_xrealloc(parent->keys, (parent->n + 1) *
					    sizeof(*parent->keys));
		parent->keys[parent->n] = key;
	}
	parent->n++;
}

/* Build the node that ev starts; *out NULL for the end of a collection. */
static int
load_node(struct loader *l, yaml_event_t *ev, int depth,
	  struct cmp_ynode **out)
{
	struct cmp_ynode *n = NULL;
	int ret = 0;

	*out = NULL;
	if (depth > YAML_MAX_DEPTH)
		return fail(l, &ev->start_mark, "nesting deeper than %d levels",
			    YAML_MAX_DEPTH);
	if (l->nodes > YAML_MAX_NODES)
		return fail(l, &ev->start_mark, "too many nodes");
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n = node_new(l, CMP_Y_SCALAR, &ev->start_mark);
		n->text = cmp_xstrndup((const char *)ev->data.scalar.value,
				       ev->data.scalar.length);
		if (strlen(n->text) != ev->data.scalar.length) {
			cmp_ynode_free(n);
			return fail(l, &ev->start_mark,
				    "NUL characters are not allowed");
		}
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		remember(l, ev->data.scalar.anchor, n);
		break;
	case YAML_ALIAS_EVENT:
		for (size_t i = l->nanchors; i-- > 0;)
			if (!strcmp(l->anchors[i].name,
				    (const char *)ev->data.alias.anchor)) {
				n = node_copy(l, l->anchors[i].node);
				if (!n)
					return fail(l, &ev->start_mark,
						    "aliases expand to too "
						    "many nodes");
				n->line = (long)ev->start_mark.line + 1;
				n->column = (long)ev->start_mark.column + 1;
				break;
			}
		if (!n)
			return fail(l, &ev->start_mark, "unknown alias '%s'",
				    (const char *)ev->data.alias.anchor);
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		int map = ev->type == YAML_MAPPING_START_EVENT;
		const yaml_char_t *anchor = map ?
			ev->data.mapping_start.anchor :
			ev->data.sequence_start.anchor;
		char *aname = cmp_xstrdup((const char *)anchor);

		n = node_new(l, map ? CMP_Y_MAP : CMP_Y_SEQ, &ev->start_mark);
		for (;;) {
			yaml_event_t child;
			struct cmp_ynode *key = NULL, *item = NULL;

			if ((ret = next_event(l, &child)))
				break;
			ret = load_node(l, &child, depth + 1, map ? &key :
					&item);
			yaml_event_delete(&child);
			if (ret || !(map ? key : item))
				break;
			if (map) {
				if (key->type != CMP_Y_SCALAR) {
					cmp_error_set(l->e, CMP_EX_CONFIG, NULL,
						      "a key must be a "
						      "plain value");
					cmp_error_at(l->e, l->name, key->line,
						     key->column);
					ret = CMP_EX_CONFIG;
					cmp_ynode_free(key);
					break;
				}
				if ((ret = next_event(l, &child))) {
					cmp_ynode_free(key);
					break;
				}
				ret = load_node(l, &child, depth + 1, &item);
				yaml_event_delete(&child);
				if (ret) {
					cmp_ynode_free(key);
					break;
				}
			}
			append(n, key, item);
		}
		if (ret) {
			free(aname);
			cmp_ynode_free(n);
			return ret;
		}
		remember(l, (const yaml_char_t *)aname, n);
		free(aname);
		break;
	}
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return 0;
	default:
		return fail(l, &ev->start_mark, "unexpected YAML event");
	}
	*out = n;
	return 0;
}

int
cmp_yaml_load(const char *text, size_t len, const char *name,
	      struct cmp_ynode **root, struct cmp_error *e)
{
	struct loader l;
	yaml_event_t ev;
	int ret = 0, done = 0;

	*root = NULL;
	memset(&l, 0, sizeof(l));
	l.name = name;
	l.e = e;
	if (cmp_utf8_check(text, len)) {
		long line = 1;
		const char *bad = cmp_utf8_check(text, len);

		for (const char *p = text; p < bad; p++)
			line += *p == '\n';
		cmp_error_set(e, CMP_EX_CONFIG, NULL, "invalid UTF-8");
		cmp_error_at(e, name, line, 0);
		return CMP_EX_CONFIG;
	}
	if (!yaml_parser_initialize(&l.parser))
		abort();
	yaml_parser_set_input_string(&l.parser, (const unsigned char *)text,
				     len);
	while (!ret && !done) {
		if ((ret = next_event(&l, &ev)))
			break;
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			break;
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (*root)
				ret = fail(&l, &ev.start_mark, "only one "
					   "document is allowed");
			break;
		default:
			ret = load_node(&l, &ev, 0, root);
			break;
		}
		yaml_event_delete(&ev);
	}
	for (size_t i = 0; i < l.nanchors; i++)
		free(l.anchors[i].name);
	free(l.anchors);
	yaml_parser_delete(&l.parser);
	if (ret) {
		cmp_ynode_free(*root);
		*root = NULL;
	}
	return ret;
}

struct cmp_ynode *
cmp_ymap_get(const struct cmp_ynode *map, const char *key)
{
	if (!map || map->type != CMP_Y_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->keys[i]->text, key))
			return map->items[i];
	return NULL;
}

int
cmp_ynode_is_null(const struct cmp_ynode *n)
{
	return !n || (n->type == CMP_Y_SCALAR && n->plain &&
		      (!*n->text || !strcmp(n->text, "~") ||
		       !strcmp(n->text, "null") || !strcmp(n->text, "Null") ||
		       !strcmp(n->text, "NULL")));
}

int
cmp_read_file(const char *path, char **text, size_t *len,
	      struct cmp_error *e)
{
	struct cmp_buf b = CMP_BUF_INIT;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		cmp_error_set(e, errno == ENOENT ? CMP_EX_NOINPUT :
			      CMP_EX_IOERR, NULL, "cannot open '%s': %s", path,
			      strerror(errno));
		return e->code;
	}
	for (;;) {
		ssize_t n;

		cmp_buf_grow(&b, 65536);
		n = read(fd, b.s + b.len, b.cap - b.len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			cmp_error_set(e, CMP_EX_IOERR, NULL, "cannot read "
				      "'%s': %s", path, strerror(errno));
			close(fd);
			cmp_buf_release(&b);
			return CMP_EX_IOERR;
		}
		if (!n)
			break;
		b.len += (size_t)n;
		b.s[b.len] = 0;
	}
	close(fd);
	*len = b.len;
	*text = cmp_buf_detach(&b);
	return 0;
}
