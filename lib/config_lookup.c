/*
 * config_lookup.c - looking things up in a loaded configuration: the
 * keys and labels of its enumerations, its departments.
 */
#include <string.h>

#include "config_load.h"

int
cmp_enum_has(const struct cmp_enum *en, const char *key)
{
	for (size_t i = 0; i < en->n; i++)
		if (!strcmp(en->keys[i], key))
			return 1;
	return 0;
}

const char *
cmp_enum_label(const struct cmp_enum *en, const char *key)
{
	for (size_t i = 0; i < en->n; i++)
		if (!strcmp(en->keys[i], key))
			return en->labels[i] ? en->labels[i] : en->keys[i];
	return key;
}

const struct cmp_department *
cmp_config_department(const struct cmp_config *cfg, const char *key)
{
	for (size_t i = 0; i < cfg->ndepartments; i++)
		if (!strcmp(cfg->departments[i].key, key))
			return &cfg->departments[i];
	return NULL;
}
