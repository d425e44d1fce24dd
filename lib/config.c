/*
 * config.c - the configuration: the built-in defaults
 * (share/complaint/config.yaml, embedded), then the user's file over them.
 *
 * A section the file gives replaces the built-in one, except the
 * settings sections (defaults, sla, approval, warranty, followup,
 * escalation, duplicates, report), whose keys replace the built-in keys
 * one by one.  Every error names the file, the line and the key path,
 * and is status 78.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const status_keys[] = {
	"new", "assigned", "waiting", "resolved", "closed", "rejected"
};

/* What interpreting one file needs at hand. */
struct load {
	struct cmp_config *cfg;
	const char *name;
	struct cmp_error *e;
};

static int
bad(struct load *l, const struct cmp_ynode *n, const char *path,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
bad(struct load *l, const struct cmp_ynode *n, const char *path,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cmp_error_vset(l->e, CMP_EX_CONFIG, path, fmt, ap);
	va_end(ap);
	cmp_error_at(l->e, l->name, n ? n->line : 0, n ? n->column : 0);
	return CMP_EX_CONFIG;
}

static char *
join(const char *a, const char *b)
{
	return cmp_xasprintf("%s.%s", a, b);
}

/* ------------------------------------------------------------------ */
/* Scalars                                                             */
/* ------------------------------------------------------------------ */

static int
want_type(struct load *l, const struct cmp_ynode *n, const char *path,
	  enum cmp_ytype type)
{
	static const char *const names[] = {"a value", "a list", "a mapping"};

	if (n->type == type)
		return 0;
	return bad(l, n, path, "expected %s, got %s", names[type],
		   names[n->type]);
}

static int
get_text(struct load *l, const struct cmp_ynode *n, const char *path,
	 char **out)
{
	if (want_type(l, n, path, CMP_Y_SCALAR))
		return CMP_EX_CONFIG;
	free(*out);
	*out = cmp_ynode_is_null(n) ? NULL : cmp_xstrdup(n->text);
	return 0;
}

static int
get_number(struct load *l, const struct cmp_ynode *n, const char *path,
	   double min, double max, double *out)
{
	char *end;
	double v;

	if (want_type(l, n, path, CMP_Y_SCALAR))
		return CMP_EX_CONFIG;
	v = strtod(n->text, &end);
	if (!*n->text || *end || isspace((unsigned char)*n->text) ||
	    !isfinite(v))
		return bad(l, n, path, "'%s' is not a number", n->text);
	if (v < min || v > max)
		return bad(l, n, path, "%s is out of range (%g to %g)",
			   n->text, min, max);
	*out = v;
	return 0;
}

static int
get_int(struct load *l, const struct cmp_ynode *n, const char *path, int min,
	int max, int *out)
{
	double v;

	if (get_number(l, n, path, min, max, &v))
		return CMP_EX_CONFIG;
	if (v != floor(v))
		return bad(l, n, path, "'%s' is not a whole number", n->text);
	*out = (int)v;
	return 0;
}

static int
get_bool(struct load *l, const struct cmp_ynode *n, const char *path,
	 int *out)
{
	if (want_type(l, n, path, CMP_Y_SCALAR))
		return CMP_EX_CONFIG;
	if (!strcmp(n->text, "true") || !strcmp(n->text, "True") ||
	    !strcmp(n->text, "TRUE"))
		*out = 1;
	else if (!strcmp(n->text, "false") || !strcmp(n->text, "False") ||
		 !strcmp(n->text, "FALSE"))
		*out = 0;
	else
		return bad(l, n, path, "expected true or false, got '%s'",
			   n->text);
	return 0;
}

/* A duration, or null/"none"/"off" for none (unit 0). */
static int
get_duration(struct load *l, const struct cmp_ynode *n, const char *path,
	     struct cmp_duration *out)
{
	struct cmp_error e2;

	if (want_type(l, n, path, CMP_Y_SCALAR))
		return CMP_EX_CONFIG;
	if (cmp_ynode_is_null(n) || !strcmp(n->text, "none") ||
	    !strcmp(n->text, "off")) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	cmp_error_clear(&e2);
	if (cmp_duration_parse(n->text, out, &e2))
		return bad(l, n, path, "%s", e2.msg);
	return 0;
}

static int
valid_key(const char *s)
{
	if (!isalnum((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
			return 0;
	return 1;
}

/* A list of strings (a single value counts as a list of one). */
static int
get_list(struct load *l, const struct cmp_ynode *n, const char *path,
	 char ***out, size_t *nout)
{
	char **v;
	size_t count;

	if (n->type == CMP_Y_MAP)
		return bad(l, n, path, "expected a list, got a mapping");
	count = n->type == CMP_Y_SEQ ? n->n : 1;
	v = cmp_xcalloc(count + 1, sizeof(char *));
	for (size_t i = 0; i < count; i++) {
		const struct cmp_ynode *item = n->type == CMP_Y_SEQ ?
			n->items[i] : n;

		if (item->type != CMP_Y_SCALAR || cmp_ynode_is_null(item)) {
			for (size_t k = 0; k < i; k++)
				free(v[k]);
			free(v);
			return bad(l, item, path, "expected a list of values");
		}
		v[i] = cmp_xstrdup(item->text);
	}
	*out = v;
	*nout = count;
	return 0;
}

static void
free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Check that n is a mapping whose keys are all among allowed. */
static int
check_keys(struct load *l, const struct cmp_ynode *n, const char *path,
	   const char *const *allowed)
{
	if (want_type(l, n, path, CMP_Y_MAP))
		return CMP_EX_CONFIG;
	for (size_t i = 0; i < n->n; i++) {
		const char *k = n->keys[i]->text;
		size_t j;

		for (j = 0; allowed[j]; j++)
			if (!strcmp(k, allowed[j]))
				break;
		if (!allowed[j]) {
			char *p = path ? join(path, k) : cmp_xstrdup(k);
			int ret = bad(l, n->keys[i], p, "unknown key");

			free(p);
			return ret;
		}
		for (size_t m = 0; m < i; m++)
			if (!strcmp(k, n->keys[m]->text)) {
				char *p = path ? join(path, k) : cmp_xstrdup(k);
				int ret = bad(l, n->keys[i], p,
					      "given twice (first at line %ld)",
					      n->keys[m]->line);

				free(p);
				return ret;
			}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Enumerations and departments                                        */
/* ------------------------------------------------------------------ */

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
get_enum(struct load *l, const struct cmp_ynode *n, const char *path,
	 struct cmp_enum *out)
{
	struct cmp_enum en = {0};

	if (n->type == CMP_Y_SCALAR)
		return bad(l, n, path, "expected a list or a mapping of keys");
	for (size_t i = 0; i < n->n; i++) {
		const struct cmp_ynode *k = n->type == CMP_Y_MAP ? n->keys[i] :
			n->items[i];
		const struct cmp_ynode *v = n->type == CMP_Y_MAP ?
			n->items[i] : NULL;
		char *p = cmp_xasprintf("%s.%s", path,
					k->type == CMP_Y_SCALAR ? k->text : "?");
		int ret = 0;

		if (k->type != CMP_Y_SCALAR || !valid_key(k->text))
			ret = bad(l, k, p, "a key is a letter or digit "
				  "followed by letters, digits, '_', '.' or "
				  "'-'");
		else if (cmp_enum_has(&en, k->text))
			ret = bad(l, k, p, "given twice");
		else if (v && v->type != CMP_Y_SCALAR)
			ret = bad(l, v, p, "a label is a single value");
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
get_statuses(struct load *l, const struct cmp_ynode *n)
{
	static const char *const keys[] = {"new", "assigned", "waiting",
		"resolved", "closed", "rejected", NULL};
	struct cmp_config *cfg = l->cfg;

	if (check_keys(l, n, "statuses", keys))
		return CMP_EX_CONFIG;
	for (size_t i = 0; i < n->n; i++) {
		char *p = join("statuses", n->keys[i]->text);
		int ret = want_type(l, n->items[i], p, CMP_Y_SCALAR);

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
	free_list(d->members, d->nmembers);
	free_list(d->ladder, d->nladder);
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
get_department(struct load *l, const char *key, const struct cmp_ynode *n,
	       struct cmp_department *d)
{
	static const char *const keys[] = {"label", "members", "ladder", NULL};
	char *path = join("departments", key);
	const struct cmp_ynode *v;
	int ret = 0;

	d->key = cmp_xstrdup(key);
	if (!valid_key(key)) {
		ret = bad(l, n, path, "a key is a letter or digit followed by "
			  "letters, digits, '_', '.' or '-'");
		goto out;
	}
	if (n->type == CMP_Y_SCALAR) {	/* just a label */
		d->label = cmp_ynode_is_null(n) ? NULL : cmp_xstrdup(n->text);
		goto out;
	}
	if ((ret = check_keys(l, n, path, keys)))
		goto out;
	if ((v = cmp_ymap_get(n, "label"))) {
		char *p = join(path, "label");

		ret = get_text(l, v, p, &d->label);
		free(p);
		if (ret)
			goto out;
	}
	if ((v = cmp_ymap_get(n, "members")) && !cmp_ynode_is_null(v)) {
		char *p = join(path, "members");

		ret = get_list(l, v, p, &d->members, &d->nmembers);
		free(p);
		if (ret)
			goto out;
	}
	if ((v = cmp_ymap_get(n, "ladder")) && !cmp_ynode_is_null(v)) {
		char *p = join(path, "ladder");

		ret = get_list(l, v, p, &d->ladder, &d->nladder);
		free(p);
	}
out:
	free(path);
	return ret;
}

static int
get_departments(struct load *l, const struct cmp_ynode *n)
{
	struct cmp_config *cfg = l->cfg;

	if (want_type(l, n, "departments", CMP_Y_MAP))
		return CMP_EX_CONFIG;
	departments_release(cfg);
	cfg->departments = n->n ? cmp_xcalloc(n->n, sizeof(*cfg->departments))
				: NULL;
	for (size_t i = 0; i < n->n; i++) {
		const char *key = n->keys[i]->text;

		for (size_t k = 0; k < i; k++)
			if (!strcmp(cfg->departments[k].key, key)) {
				char *p = join("departments", key);
				int ret = bad(l, n->keys[i], p, "given twice");

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

const struct cmp_department *
cmp_config_department(const struct cmp_config *cfg, const char *key)
{
	for (size_t i = 0; i < cfg->ndepartments; i++)
		if (!strcmp(cfg->departments[i].key, key))
			return &cfg->departments[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* SLA                                                                 */
/* ------------------------------------------------------------------ */

static int
day_bit(const char *s)
{
	static const char *const names[] = {"sun", "mon", "tue", "wed", "thu",
					    "fri", "sat"};
	static const char *const full[] = {"sunday", "monday", "tuesday",
		"wednesday", "thursday", "friday", "saturday"};

	for (int i = 0; i < 7; i++)
		if (!strcasecmp(s, names[i]) || !strcasecmp(s, full[i]))
			return i;
	return -1;
}

/* "HH:MM" into minutes; close may be "24:00". */
static int
minutes(const char *s, size_t len, int *out)
{
	int h, m;

	if (len != 5 || !isdigit((unsigned char)s[0]) ||
	    !isdigit((unsigned char)s[1]) || s[2] != ':' ||
	    !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
		return -1;
	h = (s[0] - '0') * 10 + s[1] - '0';
	m = (s[3] - '0') * 10 + s[4] - '0';
	if (m > 59 || h > 24 || (h == 24 && m))
		return -1;
	*out = h * 60 + m;
	return 0;
}

static int
get_hours(struct load *l, const struct cmp_ynode *n, const char *path,
	  struct cmp_calendar *cal)
{
	char **spans;
	size_t count;

	if (get_list(l, n, path, &spans, &count))
		return CMP_EX_CONFIG;
	if (count < 1 || count > CMP_CAL_MAXSPANS) {
		free_list(spans, count);
		return bad(l, n, path, "between 1 and %d spans of hours",
			   CMP_CAL_MAXSPANS);
	}
	cal->nspans = 0;
	for (size_t i = 0; i < count; i++) {
		const char *dash = strchr(spans[i], '-');
		int open, close;

		if (!dash || minutes(spans[i], (size_t)(dash - spans[i]),
				     &open) ||
		    minutes(dash + 1, strlen(dash + 1), &close) ||
		    open >= close ||
		    (i && open < cal->spans[i - 1].close)) {
			int ret = bad(l, n, path, "'%s' is not a span of hours "
				      "like 09:00-18:00 (spans in order, not "
				      "overlapping)", spans[i]);

			free_list(spans, count);
			return ret;
		}
		cal->spans[i].open = open;
		cal->spans[i].close = close;
		cal->nspans++;
	}
	free_list(spans, count);
	return 0;
}

static int
cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
get_calendar(struct load *l, const struct cmp_ynode *n, const char *path,
	     struct cmp_calendar *out)
{
	static const char *const keys[] = {"days", "hours", "holidays", "zone",
					   NULL};
	struct cmp_calendar cal = {0};
	const struct cmp_ynode *v;
	char *p = NULL;
	int ret = 0;

	if (n->type == CMP_Y_SCALAR) {
		if (strcmp(n->text, "24x7"))
			return bad(l, n, path, "expected 24x7 or a mapping of "
				   "days, hours, holidays and zone");
		cal.always = 1;
		goto done;
	}
	if (check_keys(l, n, path, keys))
		return CMP_EX_CONFIG;
	cal.days = 0x3e;	/* Monday to Friday */
	cal.nspans = 1;
	cal.spans[0].open = 9 * 60;
	cal.spans[0].close = 18 * 60;
	if ((v = cmp_ymap_get(n, "days"))) {
		char **days;
		size_t nd;

		p = join(path, "days");
		if ((ret = get_list(l, v, p, &days, &nd)))
			goto out;
		cal.days = 0;
		for (size_t i = 0; i < nd; i++) {
			int b = day_bit(days[i]);

			if (b < 0) {
				ret = bad(l, v, p, "'%s' is not a day (mon, "
					  "tue, ... sun)", days[i]);
				break;
			}
			cal.days |= 1u << b;
		}
		free_list(days, nd);
		if (ret)
			goto out;
		free(p);
		p = NULL;
	}
	if ((v = cmp_ymap_get(n, "hours"))) {
		p = join(path, "hours");
		if ((ret = get_hours(l, v, p, &cal)))
			goto out;
		free(p);
		p = NULL;
	}
	if ((v = cmp_ymap_get(n, "holidays")) && !cmp_ynode_is_null(v)) {
		p = join(path, "holidays");
		if ((ret = get_list(l, v, p, &cal.holidays, &cal.nholidays)))
			goto out;
		for (size_t i = 0; i < cal.nholidays; i++) {
			struct cmp_error e2;

			cmp_error_clear(&e2);
			if (cmp_date_check(cal.holidays[i], &e2)) {
				ret = bad(l, v, p, "%s", e2.msg);
				goto out;
			}
		}
		qsort(cal.holidays, cal.nholidays, sizeof(char *), cmp_strp);
		free(p);
		p = NULL;
	}
	if ((v = cmp_ymap_get(n, "zone"))) {
		struct cmp_error e2;

		p = join(path, "zone");
		if ((ret = get_text(l, v, p, &cal.zone)))
			goto out;
		cmp_error_clear(&e2);
		if (cal.zone && cmp_zone_check(cal.zone, &e2)) {
			ret = bad(l, v, p, "%s", e2.msg);
			goto out;
		}
	}
done:
	cmp_calendar_release(out);
	*out = cal;
	free(p);
	return 0;
out:
	free(p);
	cmp_calendar_release(&cal);
	return ret;
}

/* {ack, reply, resolve, calendar} over level (keys given replace). */
static int
get_level(struct load *l, const struct cmp_ynode *n, const char *path,
	  struct cmp_sla_level *level)
{
	static const char *const keys[] = {"ack", "reply", "resolve",
					   "calendar", NULL};

	if (check_keys(l, n, path, keys))
		return CMP_EX_CONFIG;
	for (int k = 0; k < CMP_DL_COUNT; k++) {
		const struct cmp_ynode *v = cmp_ymap_get(n,
							 cmp_deadline_names[k]);
		char *p;
		int ret;

		if (!v)
			continue;
		p = join(path, cmp_deadline_names[k]);
		ret = get_duration(l, v, p, &level->d[k]);
		free(p);
		if (ret)
			return ret;
		if (level->d[k].unit)
			level->has |= 1u << k;
		else
			level->has &= ~(1u << k);
	}
	if (cmp_ymap_get(n, "calendar")) {
		char *p = join(path, "calendar");
		int ret = get_calendar(l, cmp_ymap_get(n, "calendar"), p,
				       &level->cal);

		free(p);
		if (ret)
			return ret;
		level->has |= CMP_SLA_HAS_CALENDAR;
	}
	return 0;
}

static void
levels_release(struct cmp_sla_level *levels, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cmp_sla_level_release(&levels[i]);
	free(levels);
}

/* sla.severity or sla.tier: {key: level}, keys from en. */
static int
get_levels(struct load *l, const struct cmp_ynode *n, const char *path,
	   const struct cmp_enum *en, const char *what,
	   struct cmp_sla_level **out, size_t *nout)
{
	struct cmp_sla_level *levels;

	if (want_type(l, n, path, CMP_Y_MAP))
		return CMP_EX_CONFIG;
	levels = n->n ? cmp_xcalloc(n->n, sizeof(*levels)) : NULL;
	for (size_t i = 0; i < n->n; i++) {
		const char *key = n->keys[i]->text;
		char *p = join(path, key);
		int ret = 0;

		if (!cmp_enum_has(en, key))
			ret = bad(l, n->keys[i], p, "'%s' is not %s", key,
				  what);
		else
			ret = get_level(l, n->items[i], p, &levels[i]);
		levels[i].key = cmp_xstrdup(key);
		free(p);
		if (ret) {
			levels_release(levels, i + 1);
			return ret;
		}
	}
	levels_release(*out, *nout);
	*out = levels;
	*nout = n->n;
	return 0;
}

static int
get_sla(struct load *l, const struct cmp_ynode *n)
{
	static const char *const keys[] = {"calendar", "default", "severity",
					   "tier", NULL};
	struct cmp_config *cfg = l->cfg;
	const struct cmp_ynode *v;

	if (check_keys(l, n, "sla", keys))
		return CMP_EX_CONFIG;
	if ((v = cmp_ymap_get(n, "calendar")) &&
	    get_calendar(l, v, "sla.calendar", &cfg->sla_default.cal))
		return CMP_EX_CONFIG;
	if ((v = cmp_ymap_get(n, "default"))) {
		struct cmp_sla_level level = {0};

		if (cmp_ymap_get(v, "calendar"))
			return bad(l, cmp_ymap_get(v, "calendar"),
				   "sla.default.calendar",
				   "the default calendar is sla.calendar");
		if (get_level(l, v, "sla.default", &level))
			return CMP_EX_CONFIG;
		cfg->sla_default.has = level.has |
			(cfg->sla_default.has & CMP_SLA_HAS_CALENDAR);
		memcpy(cfg->sla_default.d, level.d, sizeof(level.d));
		cmp_sla_level_release(&level);
	}
	if ((v = cmp_ymap_get(n, "severity")) &&
	    get_levels(l, v, "sla.severity", &cfg->severities, "a severity",
		       &cfg->sla_severity, &cfg->nsla_severity))
		return CMP_EX_CONFIG;
	if ((v = cmp_ymap_get(n, "tier")) &&
	    get_levels(l, v, "sla.tier", &cfg->tiers, "a tier", &cfg->sla_tier,
		       &cfg->nsla_tier))
		return CMP_EX_CONFIG;
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
		free_list(r->conds[i].values, r->conds[i].nvalues);
	}
	free(r->conds);
	free_list(r->keywords, r->nkeywords);
	free(r->category);
	free(r->severity);
	free(r->department);
	free(r->owner);
	free_list(r->tags, r->ntags);
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
get_when(struct load *l, const struct cmp_ynode *n, const char *path,
	 struct cmp_rule *r)
{
	if (want_type(l, n, path, CMP_Y_MAP))
		return CMP_EX_CONFIG;
	r->conds = n->n ? cmp_xcalloc(n->n, sizeof(*r->conds)) : NULL;
	for (size_t i = 0; i < n->n; i++) {
		const char *key = n->keys[i]->text;
		const struct cmp_field *f;
		char *p = join(path, key);
		int ret;

		if (!strcmp(key, "keywords")) {
			free_list(r->keywords, r->nkeywords);
			ret = get_list(l, n->items[i], p, &r->keywords,
				       &r->nkeywords);
		} else if (!(f = cmp_field_find(key)) ||
			   f->type == CMP_F_JSON ||
			   f->type == CMP_F_FOLLOWUPS) {
			ret = bad(l, n->keys[i], p, "not a field a rule can "
				  "test");
		} else {
			struct cmp_rule_cond *c = &r->conds[r->nconds++];

			c->field = cmp_xstrdup(key);
			ret = get_list(l, n->items[i], p, &c->values,
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
check_value(struct load *l, const struct cmp_ynode *n, const char *path,
	    const char *v, const struct cmp_enum *en, const char *what)
{
	int ok = en ? cmp_enum_has(en, v) :
		cmp_config_department(l->cfg, v) != NULL;

	return ok ? 0 : bad(l, n, path, "'%s' is not %s", v, what);
}

static int
get_then(struct load *l, const struct cmp_ynode *n, const char *path,
	 struct cmp_rule *r)
{
	static const char *const keys[] = {"category", "severity",
		"department", "owner", "tags", NULL};
	struct cmp_config *cfg = l->cfg;
	const struct cmp_ynode *v;
	char *p = NULL;
	int ret = 0;

	if (check_keys(l, n, path, keys))
		return CMP_EX_CONFIG;
#define THEN(key, slot, en, what) \
	if ((v = cmp_ymap_get(n, key))) { \
		p = join(path, key); \
		if ((ret = get_text(l, v, p, &r->slot)) || \
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
		p = join(path, "owner");
		if ((ret = get_text(l, v, p, &r->owner)))
			goto out;
		free(p);
		p = NULL;
	}
	if ((v = cmp_ymap_get(n, "tags")) && !cmp_ynode_is_null(v)) {
		p = join(path, "tags");
		ret = get_list(l, v, p, &r->tags, &r->ntags);
	}
out:
	free(p);
	return ret;
}

static int
get_rules(struct load *l, const struct cmp_ynode *n)
{
	static const char *const keys[] = {"when", "then", "stop", NULL};
	struct cmp_config *cfg = l->cfg;

	if (want_type(l, n, "rules", CMP_Y_SEQ))
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
		ret = check_keys(l, item, p, keys);
		if (!ret && (v = cmp_ymap_get(item, "when"))) {
			q = join(p, "when");
			ret = get_when(l, v, q, r);
			free(q);
		}
		if (!ret && (v = cmp_ymap_get(item, "then"))) {
			q = join(p, "then");
			ret = get_then(l, v, q, r);
			free(q);
		}
		if (!ret && (v = cmp_ymap_get(item, "stop"))) {
			q = join(p, "stop");
			ret = get_bool(l, v, q, &r->stop);
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
get_defaults(struct load *l, const struct cmp_ynode *n)
{
	static const char *const keys[] = {"channel", "severity", "tier", NULL};
	struct cmp_config *cfg = l->cfg;
	const struct cmp_ynode *v;

	if (check_keys(l, n, "defaults", keys))
		return CMP_EX_CONFIG;
	if ((v = cmp_ymap_get(n, "channel")) &&
	    get_text(l, v, "defaults.channel", &cfg->default_channel))
		return CMP_EX_CONFIG;
	if ((v = cmp_ymap_get(n, "severity")) &&
	    get_text(l, v, "defaults.severity", &cfg->default_severity))
		return CMP_EX_CONFIG;
	if ((v = cmp_ymap_get(n, "tier")) &&
	    get_text(l, v, "defaults.tier", &cfg->default_tier))
		return CMP_EX_CONFIG;
	return 0;
}

static int
get_settings(struct load *l, const char *section, const struct cmp_ynode *n)
{
	struct cmp_config *cfg = l->cfg;
	const struct cmp_ynode *v;
	double d;

	if (!strcmp(section, "approval")) {
		static const char *const keys[] = {"threshold", NULL};

		if (check_keys(l, n, section, keys))
			return CMP_EX_CONFIG;
		if ((v = cmp_ymap_get(n, "threshold")) &&
		    get_number(l, v, "approval.threshold", 0, 1e15,
			       &cfg->approval_threshold))
			return CMP_EX_CONFIG;
	} else if (!strcmp(section, "warranty")) {
		static const char *const keys[] = {"months", NULL};

		if (check_keys(l, n, section, keys))
			return CMP_EX_CONFIG;
		if ((v = cmp_ymap_get(n, "months")) &&
		    get_int(l, v, "warranty.months", 0, 1200,
			    &cfg->warranty_months))
			return CMP_EX_CONFIG;
	} else if (!strcmp(section, "followup")) {
		static const char *const keys[] = {"after_resolve",
			"satisfied_at", "max", NULL};

		if (check_keys(l, n, section, keys))
			return CMP_EX_CONFIG;
		if ((v = cmp_ymap_get(n, "after_resolve")) &&
		    get_duration(l, v, "followup.after_resolve",
				 &cfg->followup_after))
			return CMP_EX_CONFIG;
		if ((v = cmp_ymap_get(n, "satisfied_at")) &&
		    get_int(l, v, "followup.satisfied_at", 0, 5,
			    &cfg->followup_satisfied_at))
			return CMP_EX_CONFIG;
		if ((v = cmp_ymap_get(n, "max")) &&
		    get_int(l, v, "followup.max", 0, 1000,
			    &cfg->followup_max))
			return CMP_EX_CONFIG;
	} else if (!strcmp(section, "escalation")) {
		static const char *const keys[] = {"after_overdue", NULL};

		if (check_keys(l, n, section, keys))
			return CMP_EX_CONFIG;
		if ((v = cmp_ymap_get(n, "after_overdue")) &&
		    get_duration(l, v, "escalation.after_overdue",
				 &cfg->escalation_after))
			return CMP_EX_CONFIG;
	} else if (!strcmp(section, "duplicates")) {
		static const char *const keys[] = {"window", NULL};

		if (check_keys(l, n, section, keys))
			return CMP_EX_CONFIG;
		if ((v = cmp_ymap_get(n, "window")) &&
		    get_duration(l, v, "duplicates.window",
				 &cfg->duplicates_window))
			return CMP_EX_CONFIG;
	} else if (!strcmp(section, "report")) {
		static const char *const keys[] = {"baseline", "sigma",
						   "redact", NULL};

		if (check_keys(l, n, section, keys))
			return CMP_EX_CONFIG;
		if ((v = cmp_ymap_get(n, "baseline")) &&
		    get_int(l, v, "report.baseline", 1, 1000,
			    &cfg->report_baseline))
			return CMP_EX_CONFIG;
		if ((v = cmp_ymap_get(n, "sigma"))) {
			if (get_number(l, v, "report.sigma", 0.1, 100, &d))
				return CMP_EX_CONFIG;
			cfg->report_sigma = d;
		}
		if ((v = cmp_ymap_get(n, "redact")) &&
		    get_bool(l, v, "report.redact", &cfg->report_redact))
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
	"warranty", "followup", "escalation", "duplicates", "report", NULL
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
interpret(struct load *l, const struct cmp_ynode *root)
{
	struct cmp_config *cfg = l->cfg;

	if (!root || cmp_ynode_is_null(root))
		return 0;
	if (check_keys(l, root, NULL, sections))
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

			if ((ret = get_text(l, n, name, &zone)))
				return ret;
			cmp_error_clear(&e2);
			if (!zone || cmp_zone_check(zone, &e2)) {
				free(zone);
				return bad(l, n, name, "%s", zone ? e2.msg :
					   "a time zone is required");
			}
			free(cfg->timezone);
			cfg->timezone = zone;
		} else if (!strcmp(name, "currency")) {
			ret = get_text(l, n, name, &cfg->currency);
		} else if ((en = enum_section(cfg, name))) {
			ret = get_enum(l, n, name, en);
		} else if (!strcmp(name, "statuses")) {
			ret = get_statuses(l, n);
		} else if (!strcmp(name, "departments")) {
			ret = get_departments(l, n);
		} else if (!strcmp(name, "defaults")) {
			ret = get_defaults(l, n);
		} else if (!strcmp(name, "sla")) {
			ret = get_sla(l, n);
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
check_references(struct load *l)
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
			return bad(l, NULL, refs[i].path, "'%s' is not %s "
				   "(give defaults that match the enumerations)",
				   refs[i].v, refs[i].what);
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
			bad(l, NULL, "rules", "the built-in rule at line %ld "
			    "of share/complaint/config.yaml sets '%s', which "
			    "is not %s here: give rules of your own",
			    r->line, v, what);
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
	free(cfg->default_channel);
	free(cfg->default_severity);
	free(cfg->default_tier);
	cmp_sla_level_release(&cfg->sla_default);
	levels_release(cfg->sla_severity, cfg->nsla_severity);
	levels_release(cfg->sla_tier, cfg->nsla_tier);
	rules_release(cfg);
	free(cfg);
}

/* Interpret text over cfg; then check what refers to what. */
static int
load_over(struct cmp_config *cfg, const char *text, size_t len,
	  const char *name, struct cmp_error *e)
{
	struct load l = {cfg, name, e};
	struct cmp_ynode *root;
	int ret;

	if ((ret = cmp_yaml_load(text, len, name, &root, e)))
		return ret;
	ret = interpret(&l, root);
	cmp_ynode_free(root);
	if (!ret)
		ret = check_references(&l);
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
	ret = load_over(cfg, cmp_default_config, strlen(cmp_default_config),
			"built-in configuration", e);
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
