/*
 * yaml_tree.h - a YAML document as a tree with positions (yaml_tree.c), for the
 * configuration (config*.c) and CSV column maps (map.c); and reading a
 * whole file.  Private to libcomplaint.
 */
#ifndef CMP_YAML_TREE_H
#define CMP_YAML_TREE_H

#include <stddef.h>

#include "complaint.h"

enum cmp_ytype { CMP_Y_SCALAR, CMP_Y_SEQ, CMP_Y_MAP };

struct cmp_ynode {
	enum cmp_ytype type;
	long line, column;	/* 1-based, where the node starts */
	char *text;		/* scalar: its value (UTF-8) */
	int plain;		/* scalar: written without quotes */
	size_t n;		/* seq: items; map: pairs */
	struct cmp_ynode **items;	/* seq items, or map values */
	struct cmp_ynode **keys;	/* map keys (scalars) */
};

/*
 * Parse one YAML document (anchors and aliases resolved, merge keys not
 * supported) into a tree; the caller owns *root (cmp_ynode_free).  An
 * empty document gives *root == NULL.  Returns 0 or 78 with name, line,
 * column set in e.
 */
int cmp_yaml_load(const char *text, size_t len, const char *name,
		  struct cmp_ynode **root, struct cmp_error *e);
void cmp_ynode_free(struct cmp_ynode *n);
/* The value of key in a mapping, or NULL (borrowed). */
struct cmp_ynode *cmp_ymap_get(const struct cmp_ynode *map, const char *key);
/* A plain scalar null, ~ or empty. */
int cmp_ynode_is_null(const struct cmp_ynode *n);
/* Read a whole file into memory (caller owns *text); 0, 66 or 74. */
int cmp_read_file(const char *path, char **text, size_t *len,
		  struct cmp_error *e);

#endif /* CMP_YAML_TREE_H */
