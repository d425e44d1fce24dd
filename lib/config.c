/*
 * config.c - the configuration: the built-in defaults
 * (share/complaint/config.yaml, embedded by make as its YAML tree), then
 * the user's file over them.
 *
 * A section the file gives replaces the built-in one, except the
 * settings sections (defaults, sla, approval, warranty, followup,
 * escalation, duplicates, intake, report), whose keys replace the
 * built-in keys one by one.  Every error names the file, the line and
 * the key path, and is status 78.
 *
 * The sla section is read in config_sla.c, every value through the
 * readers of config_yaml.c; config_lookup.c looks things up in the
 * result.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config_load.h"
#include "clock.h"
#include "config_yaml.h"
#include "sla.h"
#include "util.h"

static const char *const status_keys[] = {
	"new", "assigned", "waiting", "resolved", "closed", "rejected"
};

/* ------------------------------------------------------------------ */
/* Enumerations and departments                                        */
/* ------------------------------------------------------------------ */

static void
enum_release(struct cmp_enum *en)
{
	for (size_t i = 0; i < en->n; i++) {
		free(en->keys[i]);
		free(en->labels[i]);
	}
	free(en->keys);
	free(en->labels);
	memset(en, 0, sizeof(*en));
}

static void
enum_add(struct cmp_enum *en, const char *key, const char *label)
{
	en->keys = cmp_xrealloc(en->keys, (en->n + 1) * sizeof(char *));
	en->labels = cmp_xrealloc(en->labels, (en->n + 1) * sizeof(char *));
	en->keys[en->n] = cmp_xstrdup(key);
	en->labels[en->n] = cmp_xstrdup(label);
	en->n++;
}

/* {key: label, ...} or [key, ...]. */
static int
get_enum(struct cmp_cfgload *l, const struct cmp_ynode *n, const char *path,
	 struct cmp_enum *out)
{
	struct cmp_enum en = {0};

	if (n->type == CMP_Y_SCALAR)
		return cmp_cfg_bad(l, n, path,
				   "expected a list or a mapping of keys");
	for (size_t i = 0; i < n->n; i++) {
		const struct cmp_ynode *k = n->type == CMP_Y_MAP ? n->keys[i] :
			n->items[i];
		const struct cmp_ynode *v = n->type == CMP_Y_MAP ?
			n->items[i] : NULL;
		char *p = cmp_xasprintf("%s.%s", path,
					k->type == CMP_Y_SCALAR ? k->text : "?");
		int ret = 0;

		if (k->type != CMP_Y_SCALAR || !cmp_cfg_valid_key(k->text))
			ret = cmp_cfg_bad(l, k, p,
					  "a key is a letter or digit followed "
					  "by letters, digits, '_', '.' or "
					  "'-'");
		else if (cmp_enum_has(&en, k->text))
			ret = cmp_cfg_bad(l, k, p, "given twice");
		else if (v && v->type != CMP_Y_SCALAR)
			ret = cmp_cfg_bad(l, v, p, "a label is a single value");
		free(p);
		if (ret) {
			enum_release(&en);
			return ret;
		}
		enum_add(&en, k->text, v && !cmp_ynode_is_null(v) ?
			 v->text : NULL);
	}
	enum_release(out);
	*out = en;
	return 0;
}

/* statuses: labels for the six fixed states. */
static int
get_statuses(struct cmp_cfgload *l, const struct cmp_ynode *n)
{
	static const char *const keys[] = {"new", "assigned", "waiting",
		"resolved", "closed", "rejected", NULL};
	struct cmp_config *cfg = l->cfg;

	if (cmp_cfg_check_keys(l, n, "statuses", keys))
		return CMP_EX_CONFIG;
	for (size_t i = 0; i < n->n; i++) {
		char *p = cmp_cfg_join("statuses", n->keys[i]->text);
		int ret = cmp_cfg_want_type(l, n->items[i], p, CMP_Y_SCALAR);

		free(p);
		if (ret)
			return ret;
		for (size_t k = 0; k < cfg->statuses.n; k++)
			if (!strcmp(cfg->statuses.keys[k], n->keys[i]->text)) {
				free(cfg->statuses.labels[k]);
				cfg->statuses.labels[k] =
					cmp_ynode_is_null(n->items[i]) ? NULL :
					cmp_xstrdup(n->items[i]->text);
			}
	}
	return 0;
}

static void
department_release(struct cmp_department *d)
{
	free(d->key);
	free(d->label);
	cmp_cfg_free_list(d->members, d->nmembers);
	cmp_cfg_free_list(d->ladder, d->nladder);
}

static void
departments_release(struct cmp_config *cfg)
{
	for (size_t i = 0; i < cfg->ndepartments; i++)
		department_release(&cfg->departments[i]);
	free(cfg->departments);
	cfg->departments = NULL;
	cfg->ndepartments = 0;
}

static int
get_department(struct cmp_cfgload *l, const char *key,
	       const struct cmp_ynode *n, struct cmp_department *d)
{
	static const char *const keys[] = {"label", "members", "ladder", NULL};
	char *path = cmp_cfg_join("departments", key);
	const struct cmp_ynode *v;
	int ret = 0;

	d->key = cmp_xstrdup(key);
	if (!cmp_cfg_valid_key(key)) {
		ret = cmp_cfg_bad(l, n, path,
				  "a key is a letter or digit followed by "
				  "letters, digits, '_', '.' or '-'");
		goto out;
	}
	if (n->type == CMP_Y_SCALAR) {	/* just a label */
		d->label = cmp_ynode_is_null(n) ? NULL : cmp_xstrdup(n->text);
		goto out;
	}
	if ((ret = cmp_cfg_check_keys(l, n, path, keys)))
		goto out;
	if ((v = cmp_ymap_get(n, "label"))) {
		char *p = cmp_cfg_join(path, "label");

		ret = cmp_cfg_text(l, v, p, &d->label);
		free(p);
		if (ret)
			goto out;
	}
	if ((v = cmp_ymap_get(n, "members")) && !cmp_ynode_is_null(v)) {
		char *p = cmp_cfg_join(path, "members");

		ret = cmp_cfg_list(l, v, p, &d->members, &d->nmembers);
		free(p);
		if (ret)
			goto out;
	}
	if ((v = cmp_ymap_get(n, "ladder")) && !cmp_ynode_is_null(v)) {
		char *p = cmp_cfg_join(path, "ladder");

		ret = cmp_cfg_list(l, v, p, &d->ladder, &d->nladder);
		free(p);
	}
out:
	free(path);
	return ret;
}

static int
get_departments(struct cmp_cfgload *l, const struct cmp_ynode *n)
{
	struct cmp_config *cfg = l->cfg;

	if (cmp_cfg_want_type(l, n, "departments", CMP_Y_MAP))
		return CMP_EX_CONFIG;
	departments_release(cfg);
	cfg->departments = n->n ? cmp_xcalloc(n->n, sizeof(*cfg->departments))
				: NULL;
	for (size_t i = 0; i < n->n; i++) {
		const char *key = n->keys[i]->text;

		for (size_t k = 0; k < i; k++)
			if (!strcmp(cfg->departments[k].key, key)) {
				char *p = cmp_cfg_join("departments", key);
				int ret = cmp_cfg_bad(l, n->keys[i], p,
						      "given twice");

				free(p);
				cfg->ndepartments = i;
				return ret;
			}
		cfg->ndepartments = i + 1;
		if (get_department(l, key, n->items[i], &cfg->departments[i]))
			return CMP_EX_CONFIG;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Rules                                                               */
/* ------------------------------------------------------------------ */

static void
rule_release(struct cmp_rule *r)
{
	for (size_t i = 0; i < r->nconds; i++) {
		free(r->conds[i].field);
		cmp_cfg_free_list(r->conds[i].values, r->conds[i].nvalues);
	}
	free(r->conds);
	cmp_cfg_free_list(r->keywords, r->nkeywords);
	free(r->category);
	free(r->severity);
	free(r->department);
	free(r->owner);
	cmp_cfg_free_list(r->tags, r->ntags);
}

static void
rules_release(struct cmp_config *cfg)
{
	for (size_t i = 0; i < cfg->nrules; i++)
		rule_release(&cfg->rules[i]);
	free(cfg->rules);
	cfg->rules = NULL;
	cfg->nrules = 0;
}

static int
get_when(struct cmp_cfgload *l, const struct cmp_ynode *n, const char *path,
	 struct cmp_rule *r)
{
	if (cmp_cfg_want_type(l, n, path, CMP_Y_MAP))
		return CMP_EX_CONFIG;
	r->conds = n->n ? cmp_xcalloc(n->n, sizeof(*r->conds)) : NULL;
	for (size_t i = 0; i < n->n; i++) {
		const char *key = n->keys[i]->text;
		const struct cmp_field *f;
		char *p = cmp_cfg_join(path, key);
		int ret;

		if (!strcmp(key, "keywords")) {
			cmp_cfg_free_list(r->keywords, r->nkeywords);
			ret = cmp_cfg_list(l, n->items[i], p, &r->keywords,
					   &r->nkeywords);
		} else if (!(f = cmp_field_find(key)) ||
			   f->type == CMP_F_JSON ||
			   f->type == CMP_F_FOLLOWUPS) {
			ret = cmp_cfg_bad(l, n->keys[i], p,
					  "not a field a rule can test");
		} else {
			struct cmp_rule_cond *c = &r->conds[r->nconds++];

			c->field = cmp_xstrdup(key);
			ret = cmp_cfg_list(l, n->items[i], p, &c->values,
					   &c->nvalues);
		}
		free(p);
		if (ret)
			return ret;
	}
	return 0;
}

/* A value a rule sets must be a key of en (en NULL: departments). */
static int
check_value(struct cmp_cfgload *l, const struct cmp_ynode *n, const char *path,
	    const char *v, const struct cmp_enum *en, const char *what)
{
	int ok = en ? cmp_enum_has(en, v) :
		cmp_config_department(l->cfg, v) != NULL;

	return ok ? 0 : cmp_cfg_bad(l, n, path, "'%s' is not %s", v, what);
}

static int
get_then(struct cmp_cfgload *l, const struct cmp_ynode *n, const char *path,
	 struct cmp_rule *r)
{
	static const char *const keys[] = {"category", "severity",
		"department", "owner", "tags", NULL};
	struct cmp_config *cfg = l->cfg;
	const struct cmp_ynode *v;
	char *p = NULL;
	int ret = 0;

	if (cmp_cfg_check_keys(l, n, path, keys))
		return CMP_EX_CONFIG;
#define THEN(key, slot, en, what) \
	if ((v = cmp_ymap_get(n, key))) { \
		p = cmp_cfg_join(path, key); \
		if ((ret = cmp_cfg_text(l, v, p, &r->slot)) || \
		    (r->slot && (ret = check_value(l, v, p, r->slot, en, \
						   what)))) \
			goto out; \
		free(p); \
		p = NULL; \
	}
	THEN("category", category, &cfg->categories, "a category")
	THEN("severity", severity, &cfg->severities, "a severity")
	THEN("department", department, NULL, "a department")
#undef THEN
	if ((v = cmp_ymap_get(n, "owner"))) {
		p = cmp_cfg_join(path, "owner");
		if ((ret = cmp_cfg_text(l, v, p, &r->owner)))
			goto out;
		free(p);
		p = NULL;
	}
	if ((v = cmp_ymap_get(n, "tags")) && !cmp_ynode_is_null(v)) {
		p = cmp_cfg_join(path, "tags");
		ret = cmp_cfg_list(l, v, p, &r->tags, &r->ntags);
	}
out:
	free(p);
	return ret;
}

static int
get_rules(struct cmp_cfgload *l, const struct cmp_ynode *n)
{
	static const char *const keys[] = {"when", "then", "stop", NULL};
	struct cmp_config *cfg = l->cfg;

	if (cmp_cfg_want_type(l, n, "rules", CMP_Y_SEQ))
		return CMP_EX_CONFIG;
	rules_release(cfg);
	cfg->rules = n->n ? cmp_xcalloc(n->n, sizeof(*cfg->rules)) : NULL;
	for (size_t i = 0; i < n->n; i++) {
		const struct cmp_ynode *item = n->items[i], *v;
		struct cmp_rule *r = &cfg->rules[i];
		char *p = cmp_xasprintf("rules[%zu]", i + 1);
		char *q = NULL;
		int ret;

		cfg->nrules = i + 1;
		r->line = item->line;
		ret = cmp_cfg_check_keys(l, item, p, keys);
		if (!ret && (v = cmp_ymap_get(item, "when"))) {
			q = cmp_cfg_join(p, "when");
			ret = get_when(l, v, q, r);
			free(q);
		}
		if (!ret && (v = cmp_ymap_get(item, "then"))) {
			q = cmp_cfg_join(p, "then");
			ret = get_then(l, v, q, r);
			free(q);
		}
		if (!ret && (v = cmp_ymap_get(item, "stop"))) {
			q = cmp_cfg_join(p, "stop");
			ret = cmp_cfg_bool(l, v, q, &r->stop);
			free(q);
		}
		free(p);
		if (ret)
			return ret;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Settings sections                                                   */
/* ------------------------------------------------------------------ */

static int
get_defaults(struct cmp_cfgload *l, const struct cmp_ynode *n)
{
	static const char *const keys[] = {"channel", "severity", "tier", NULL};
	struct cmp_config *cfg = l->cfg;
	const struct cmp_ynode *v;

	if (cmp_cfg_check_keys(l, n, "defaults", keys))
		return CMP_EX_CONFIG;
	if ((v = cmp_ymap_get(n, "channel")) &&
	    cmp_cfg_text(l, v, "defaults.channel", &cfg->default_channel))
		return CMP_EX_CONFIG;
	if ((v = cmp_ymap_get(n, "severity")) &&
	    cmp_cfg_text(l, v, "defaults.severity", &cfg->default_severity))
		return CMP_EX_CONFIG;
	if ((v = cmp_ymap_get(n, "tier")) &&
	    cmp_cfg_text(l, v, "defaults.tier", &cfg->default_tier))
		return CMP_EX_CONFIG;
	return 0;
}

static int
get_settings(struct cmp_cfgload *l, const char *section,
	     const struct cmp_ynode *n)
{
	struct cmp_config *cfg = l->cfg;
	const struct cmp_ynode *v;
	double d;

	if (!strcmp(section, "approval")) {
		static const char *const keys[] = {"threshold", NULL};

		if (cmp_cfg_check_keys(l, n, section, keys))
			return CMP_EX_CONFIG;
		if ((v = cmp_ymap_get(n, "threshold")) &&
		    cmp_cfg_number(l, v, "approval.threshold", 0, 1e15,
				   &cfg->approval_threshold))
			return CMP_EX_CONFIG;
	} else if (!strcmp(section, "warranty")) {
		static const char *const keys[] = {"months", NULL};

		if (cmp_cfg_check_keys(l, n, section, keys))
			return CMP_EX_CONFIG;
		if ((v = cmp_ymap_get(n, "months")) &&
		    cmp_cfg_int(l, v, "warranty.months", 0, 1200,
				&cfg->warranty_months))
			return CMP_EX_CONFIG;
	} else if (!strcmp(section, "followup")) {
		static const char *const keys[] = {"after_resolve",
			"satisfied_at", "max", NULL};

		if (cmp_cfg_check_keys(l, n, section, keys))
			return CMP_EX_CONFIG;
		if ((v = cmp_ymap_get(n, "after_resolve")) &&
		    cmp_cfg_duration(l, v, "followup.after_resolve",
				     &cfg->followup_after))
			return CMP_EX_CONFIG;
		if ((v = cmp_ymap_get(n, "satisfied_at")) &&
		    cmp_cfg_int(l, v, "followup.satisfied_at", 0, 5,
				&cfg->followup_satisfied_at))
			return CMP_EX_CONFIG;
		if ((v = cmp_ymap_get(n, "max")) &&
		    cmp_cfg_int(l, v, "followup.max", 0, 1000,
				&cfg->followup_max))
			return CMP_EX_CONFIG;
	} else if (!strcmp(section, "escalation")) {
		static const char *const keys[] = {"after_overdue", "ladder",
						   NULL};

		if (cmp_cfg_check_keys(l, n, section, keys))
			return CMP_EX_CONFIG;
		if ((v = cmp_ymap_get(n, "after_overdue")) &&
		    cmp_cfg_duration(l, v, "escalation.after_overdue",
				     &cfg->escalation_after))
			return CMP_EX_CONFIG;
		/* The ladder of the complaints no department's ladder holds;
		   null empties it. */
		if ((v = cmp_ymap_get(n, "ladder"))) {
			cmp_cfg_free_list(cfg->escalation_ladder,
					  cfg->nescalation_ladder);
			cfg->escalation_ladder = NULL;
			cfg->nescalation_ladder = 0;
			if (!cmp_ynode_is_null(v) &&
			    cmp_cfg_list(l, v, "escalation.ladder",
					 &cfg->escalation_ladder,
					 &cfg->nescalation_ladder))
				return CMP_EX_CONFIG;
		}
	} else if (!strcmp(section, "duplicates")) {
		static const char *const keys[] = {"window", NULL};

		if (cmp_cfg_check_keys(l, n, section, keys))
			return CMP_EX_CONFIG;
		if ((v = cmp_ymap_get(n, "window")) &&
		    cmp_cfg_duration(l, v, "duplicates.window",
				     &cfg->duplicates_window))
			return CMP_EX_CONFIG;
	} else if (!strcmp(section, "intake")) {
		static const char *const keys[] = {"future_tolerance", NULL};

		if (cmp_cfg_check_keys(l, n, section, keys))
			return CMP_EX_CONFIG;
		if ((v = cmp_ymap_get(n, "future_tolerance")) &&
		    cmp_cfg_duration(l, v, "intake.future_tolerance",
				     &cfg->future_tolerance))
			return CMP_EX_CONFIG;
	} else if (!strcmp(section, "report")) {
		static const char *const keys[] = {"baseline", "sigma",
						   "redact", NULL};

		if (cmp_cfg_check_keys(l, n, section, keys))
			return CMP_EX_CONFIG;
		if ((v = cmp_ymap_get(n, "baseline")) &&
		    cmp_cfg_int(l, v, "report.baseline", 1, 1000,
				&cfg->report_baseline))
			return CMP_EX_CONFIG;
		if ((v = cmp_ymap_get(n, "sigma"))) {
			if (cmp_cfg_number(l, v, "report.sigma", 0.1, 100, &d))
				return CMP_EX_CONFIG;
			cfg->report_sigma = d;
		}
		if ((v = cmp_ymap_get(n, "redact")) &&
		    cmp_cfg_bool(l, v, "report.redact", &cfg->report_redact))
			return CMP_EX_CONFIG;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The whole file                                                      */
/* ------------------------------------------------------------------ */

/* The sections, in the order they are interpreted (what a later one
   refers to comes first). */
static const char *const sections[] = {
	"timezone", "currency", "channels", "categories", "severities",
	"tiers", "remedies", "resolution_types", "complainant_types",
	"statuses", "departments", "defaults", "sla", "rules", "approval",
	"warranty", "followup", "escalation", "duplicates", "intake",
	"report", NULL
};

static struct cmp_enum *
enum_section(struct cmp_config *cfg, const char *name)
{
	if (!strcmp(name, "channels")) return &cfg->channels;
	if (!strcmp(name, "categories")) return &cfg->categories;
	if (!strcmp(name, "severities")) return &cfg->severities;
	if (!strcmp(name, "tiers")) return &cfg->tiers;
	if (!strcmp(name, "remedies")) return &cfg->remedies;
	if (!strcmp(name, "resolution_types")) return &cfg->resolution_types;
	if (!strcmp(name, "complainant_types"))
		return &cfg->complainant_types;
	return NULL;
}

static int
interpret(struct cmp_cfgload *l, const struct cmp_ynode *root)
{
	struct cmp_config *cfg = l->cfg;

	if (!root || cmp_ynode_is_null(root))
		return 0;
	if (cmp_cfg_check_keys(l, root, NULL, sections))
		return CMP_EX_CONFIG;
	for (int s = 0; sections[s]; s++) {
		const char *name = sections[s];
		const struct cmp_ynode *n = cmp_ymap_get(root, name);
		struct cmp_enum *en;
		int ret = 0;

		if (!n)
			continue;
		if (!strcmp(name, "timezone")) {
			struct cmp_error e2;
			char *zone = NULL;

			if ((ret = cmp_cfg_text(l, n, name, &zone)))
				return ret;
			cmp_error_clear(&e2);
			if (!zone || cmp_zone_check(zone, &e2)) {
				free(zone);
				return cmp_cfg_bad(l, n, name, "%s", zone ?
						   e2.msg :
						   "a time zone is required");
			}
			free(cfg->timezone);
			cfg->timezone = zone;
		} else if (!strcmp(name, "currency")) {
			ret = cmp_cfg_text(l, n, name, &cfg->currency);
		} else if ((en = enum_section(cfg, name))) {
			ret = get_enum(l, n, name, en);
		} else if (!strcmp(name, "statuses")) {
			ret = get_statuses(l, n);
		} else if (!strcmp(name, "departments")) {
			ret = get_departments(l, n);
		} else if (!strcmp(name, "defaults")) {
			ret = get_defaults(l, n);
		} else if (!strcmp(name, "sla")) {
			ret = cmp_cfg_sla(l, n);
		} else if (!strcmp(name, "rules")) {
			ret = get_rules(l, n);
		} else {
			ret = get_settings(l, name, n);
		}
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * What the sections refer to must exist once every file is in: a file
 * that replaces the categories must not leave the built-in rules
 * setting a category it no longer has.
 */
static int
check_references(struct cmp_cfgload *l)
{
	struct cmp_config *cfg = l->cfg;
	struct {
		const char *v, *path;
		const struct cmp_enum *en;
		const char *what;
	} refs[] = {
		{cfg->default_channel, "defaults.channel", &cfg->channels,
		 "a channel"},
		{cfg->default_severity, "defaults.severity", &cfg->severities,
		 "a severity"},
		{cfg->default_tier, "defaults.tier", &cfg->tiers, "a tier"},
	};

	for (size_t i = 0; i < CMP_ARRAY_LEN(refs); i++)
		if (refs[i].v && !cmp_enum_has(refs[i].en, refs[i].v))
			return cmp_cfg_bad(l, NULL, refs[i].path,
					   "'%s' is not %s (give defaults that "
					   "match the enumerations)", refs[i].v,
					   refs[i].what);
	for (size_t i = 0; i < cfg->nrules; i++) {
		const struct cmp_rule *r = &cfg->rules[i];
		const char *what = NULL, *v = NULL;

		if (r->category && !cmp_enum_has(&cfg->categories, r->category))
			what = "a category", v = r->category;
		else if (r->severity &&
			 !cmp_enum_has(&cfg->severities, r->severity))
			what = "a severity", v = r->severity;
		else if (r->department &&
			 !cmp_config_department(cfg, r->department))
			what = "a department", v = r->department;
		if (what) {
			cmp_cfg_bad(l, NULL, "rules",
				    "the built-in rule at line %ld of "
				    "share/complaint/config.yaml sets '%s', "
				    "which is not %s here: give rules of your "
				    "own", r->line, v, what);
			return CMP_EX_CONFIG;
		}
	}
	return 0;
}

static void
config_init(struct cmp_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->timezone = cmp_xstrdup("UTC");
	for (size_t i = 0; i < CMP_ARRAY_LEN(status_keys); i++)
		enum_add(&cfg->statuses, status_keys[i], NULL);
	cfg->report_baseline = 8;
	cfg->report_sigma = 3;
}

void
cmp_config_free(struct cmp_config *cfg)
{
	if (!cfg)
		return;
	free(cfg->path);
	free(cfg->timezone);
	free(cfg->currency);
	enum_release(&cfg->channels);
	enum_release(&cfg->categories);
	enum_release(&cfg->severities);
	enum_release(&cfg->tiers);
	enum_release(&cfg->remedies);
	enum_release(&cfg->resolution_types);
	enum_release(&cfg->complainant_types);
	enum_release(&cfg->statuses);
	departments_release(cfg);
	cmp_cfg_free_list(cfg->escalation_ladder, cfg->nescalation_ladder);
	free(cfg->default_channel);
	free(cfg->default_severity);
	free(cfg->default_tier);
	cmp_sla_level_release(&cfg->sla_default);
	cmp_cfg_levels_release(cfg->sla_severity, cfg->nsla_severity);
	cmp_cfg_levels_release(cfg->sla_tier, cfg->nsla_tier);
	rules_release(cfg);
	free(cfg);
}

/* Interpret the tree root over cfg; then check what refers to what. */
static int
tree_over(struct cmp_config *cfg, const struct cmp_ynode *root,
	  const char *name, struct cmp_error *e)
{
	struct cmp_cfgload l = {cfg, name, e};
	int ret;

	if (!(ret = interpret(&l, root)))
		ret = check_references(&l);
	return ret;
}

/* The same for text. */
static int
load_over(struct cmp_config *cfg, const char *text, size_t len,
	  const char *name, struct cmp_error *e)
{
	struct cmp_ynode *root;
	int ret;

	if ((ret = cmp_yaml_load(text, len, name, &root, e)))
		return ret;
	ret = tree_over(cfg, root, name, e);
	cmp_ynode_free(root);
	return ret;
}

const char *
cmp_config_default_text(void)
{
	return cmp_default_config;
}

static int
load(struct cmp_config **out, const char *text, size_t len, const char *name,
     const char *path, struct cmp_error *e)
{
	struct cmp_config *cfg = cmp_xcalloc(1, sizeof(*cfg));
	int ret;

	config_init(cfg);
	ret = tree_over(cfg, cmp_default_tree, "built-in configuration", e);
	if (!ret && text)
		ret = load_over(cfg, text, len, name, e);
	if (ret) {
		cmp_config_free(cfg);
		*out = NULL;
		return ret;
	}
	cfg->path = cmp_xstrdup(path);
	*out = cfg;
	return 0;
}

int
cmp_config_load_text(struct cmp_config **out, const char *text, size_t len,
		     const char *name, struct cmp_error *e)
{
	return load(out, text, len, name, NULL, e);
}

int
cmp_config_load(struct cmp_config **out, const char *path,
		struct cmp_error *e)
{
	char *text = NULL;
	size_t len = 0;
	int ret;

	*out = NULL;
	if (path && (ret = cmp_read_file(path, &text, &len, e))) {
		if (ret == CMP_EX_IOERR)
			ret = e->code = CMP_EX_CONFIG;
		return ret;
	}
	ret = load(out, text, len, path, path, e);
	free(text);
	return ret;
}
