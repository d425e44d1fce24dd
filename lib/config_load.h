/*
 * config_load.h - loading the configuration and looking things up in it
 * (config.c, config_lookup.c), the library's side.  Private to
 * libcomplaint.
 */
#ifndef CMP_CONFIG_LOAD_H
#define CMP_CONFIG_LOAD_H

#include "complaint.h"

/* share/complaint/config.yaml, embedded by make (build/lib/defaults.c,
   written by lib/gen/embed-config.c): its text, and the tree
   yaml_tree.c makes of it, which the programs start from. */
struct cmp_ynode;
extern const char cmp_default_config[];
extern const struct cmp_ynode *const cmp_default_tree;

/*
 * Load the configuration: the built-in defaults, then, when path is not
 * NULL, the file over them (a section given in the file replaces the
 * built-in one; see complaint.yaml(5)).  Errors name file, line and key;
 * returns 0, 66 (no such file) or 78.  *out is the caller's: free it
 * with cmp_config_free().  (Programs get theirs from cmp_ctx_open.)
 */
int cmp_config_load(struct cmp_config **out, const char *path,
		    struct cmp_error *e);
/* Load from text in memory; name is used in messages. */
int cmp_config_load_text(struct cmp_config **out, const char *text,
			 size_t len, const char *name, struct cmp_error *e);
void cmp_config_free(struct cmp_config *cfg);
/* The built-in defaults: share/complaint/config.yaml (borrowed). */
const char *cmp_config_default_text(void);

/* config_lookup.c: 1 if key is one of en's keys. */
int cmp_enum_has(const struct cmp_enum *en, const char *key);
/* The label of key, or key itself when it has none (borrowed). */
const char *cmp_enum_label(const struct cmp_enum *en, const char *key);
/* Department by key, or NULL (borrowed). */
const struct cmp_department *cmp_config_department(
	const struct cmp_config *cfg, const char *key);

#endif /* CMP_CONFIG_LOAD_H */
