/*
 * config_yaml.h - what the files that load the configuration share
 * (config.c, config_sla.c): reading its values out of the YAML tree
 * (config_yaml.c), each error naming the file, the line and the key path
 * (status 78), and the sections read in files of their own.  Private to
 * those files.
 */
#ifndef CMP_CONFIG_YAML_H
#define CMP_CONFIG_YAML_H

#include <stddef.h>

#include "complaint.h"
#include "yaml_tree.h"

/* What interpreting one file needs at hand. */
struct cmp_cfgload {
	struct cmp_config *cfg;
	const char *name;
	struct cmp_error *e;
};

/* Set the error at node n (may be NULL), key path path; returns 78. */
int cmp_cfg_bad(struct cmp_cfgload *l, const struct cmp_ynode *n,
		const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* "a.b" (caller owns). */
char *cmp_cfg_join(const char *a, const char *b);

/* Each reads n into *out, or returns 78 saying what n should be. */
int cmp_cfg_want_type(struct cmp_cfgload *l, const struct cmp_ynode *n,
		      const char *path, enum cmp_ytype type);
int cmp_cfg_text(struct cmp_cfgload *l, const struct cmp_ynode *n,
		 const char *path, char **out);
int cmp_cfg_number(struct cmp_cfgload *l, const struct cmp_ynode *n,
		   const char *path, double min, double max, double *out);
int cmp_cfg_int(struct cmp_cfgload *l, const struct cmp_ynode *n,
		const char *path, int min, int max, int *out);
int cmp_cfg_bool(struct cmp_cfgload *l, const struct cmp_ynode *n,
		 const char *path, int *out);
/* A duration, or null/"none"/"off" for none (unit 0). */
int cmp_cfg_duration(struct cmp_cfgload *l, const struct cmp_ynode *n,
		     const char *path, struct cmp_duration *out);
/* A list of strings (a single value counts as a list of one). */
int cmp_cfg_list(struct cmp_cfgload *l, const struct cmp_ynode *n,
		 const char *path, char ***out, size_t *nout);
void cmp_cfg_free_list(char **v, size_t n);
/* Check that n is a mapping whose keys are all among allowed. */
int cmp_cfg_check_keys(struct cmp_cfgload *l, const struct cmp_ynode *n,
		       const char *path, const char *const *allowed);
/* 1 if s can be a key: a letter or digit, then letters, digits, "_.-". */
int cmp_cfg_valid_key(const char *s);

/* config_sla.c: the sla section over l->cfg; 0 or 78. */
int cmp_cfg_sla(struct cmp_cfgload *l, const struct cmp_ynode *n);
void cmp_cfg_levels_release(struct cmp_sla_level *levels, size_t n);

#endif /* CMP_CONFIG_YAML_H */
