/*
 * config_sla.c - the configuration's sla section: deadlines by default,
 * severity and tier, and the business calendars they count in.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_load.h"
#include "clock.h"
#include "config_yaml.h"
#include "sla.h"

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
get_hours(struct cmp_cfgload *l, const struct cmp_ynode *n, const char *path,
	  struct cmp_calendar *cal)
{
	char **spans;
	size_t count;

	if (cmp_cfg_list(l, n, path, &spans, &count))
		return CMP_EX_CONFIG;
	if (count < 1 || count > CMP_CAL_MAXSPANS) {
		cmp_cfg_free_list(spans, count);
		return cmp_cfg_bad(l, n, path,
				   "between 1 and %d spans of hours",
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
			int ret = cmp_cfg_bad(l, n, path,
					      "'%s' is not a span of hours "
					      "like 09:00-18:00 (spans in "
					      "order, not overlapping)",
					      spans[i]);

			cmp_cfg_free_list(spans, count);
			return ret;
		}
		cal->spans[i].open = open;
		cal->spans[i].close = close;
		cal->nspans++;
	}
	cmp_cfg_free_list(spans, count);
	return 0;
}

static int
cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
get_calendar(struct cmp_cfgload *l, const struct cmp_ynode *n, const char *path,
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
			return cmp_cfg_bad(l, n, path,
					   "expected 24x7 or a mapping of "
					   "days, hours, holidays and zone");
		cal.always = 1;
		goto done;
	}
	if (cmp_cfg_check_keys(l, n, path, keys))
		return CMP_EX_CONFIG;
	cal.days = 0x3e;	/* Monday to Friday */
	cal.nspans = 1;
	cal.spans[0].open = 9 * 60;
	cal.spans[0].close = 18 * 60;
	if ((v = cmp_ymap_get(n, "days"))) {
		char **days;
		size_t nd;

		p = cmp_cfg_join(path, "days");
		if ((ret = cmp_cfg_list(l, v, p, &days, &nd)))
			goto out;
		cal.days = 0;
		for (size_t i = 0; i < nd; i++) {
			int b = day_bit(days[i]);

			if (b < 0) {
				ret = cmp_cfg_bad(l, v, p,
						  "'%s' is not a day (mon, "
						  "tue, ... sun)", days[i]);
				break;
			}
			cal.days |= 1u << b;
		}
		cmp_cfg_free_list(days, nd);
		if (ret)
			goto out;
		free(p);
		p = NULL;
	}
	if ((v = cmp_ymap_get(n, "hours"))) {
		p = cmp_cfg_join(path, "hours");
		if ((ret = get_hours(l, v, p, &cal)))
			goto out;
		free(p);
		p = NULL;
	}
	if ((v = cmp_ymap_get(n, "holidays")) && !cmp_ynode_is_null(v)) {
		p = cmp_cfg_join(path, "holidays");
		if ((ret = cmp_cfg_list(l, v, p, &cal.holidays,
					&cal.nholidays)))
			goto out;
		for (size_t i = 0; i < cal.nholidays; i++) {
			struct cmp_error e2;

			cmp_error_clear(&e2);
			if (cmp_date_check(cal.holidays[i], &e2)) {
				ret = cmp_cfg_bad(l, v, p, "%s", e2.msg);
				goto out;
			}
		}
		qsort(cal.holidays, cal.nholidays, sizeof(char *), cmp_strp);
		free(p);
		p = NULL;
	}
	if ((v = cmp_ymap_get(n, "zone"))) {
		struct cmp_error e2;

		p = cmp_cfg_join(path, "zone");
		if ((ret = cmp_cfg_text(l, v, p, &cal.zone)))
			goto out;
		cmp_error_clear(&e2);
		if (cal.zone && cmp_zone_check(cal.zone, &e2)) {
			ret = cmp_cfg_bad(l, v, p, "%s", e2.msg);
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
get_level(struct cmp_cfgload *l, const struct cmp_ynode *n, const char *path,
	  struct cmp_sla_level *level)
{
	static const char *const keys[] = {"ack", "reply", "resolve",
					   "calendar", NULL};

	if (cmp_cfg_check_keys(l, n, path, keys))
		return CMP_EX_CONFIG;
	for (int k = 0; k < CMP_DL_COUNT; k++) {
		const struct cmp_ynode *v = cmp_ymap_get(n,
							 cmp_deadline_names[k]);
		char *p;
		int ret;

		if (!v)
			continue;
		p = cmp_cfg_join(path, cmp_deadline_names[k]);
		ret = cmp_cfg_duration(l, v, p, &level->d[k]);
		free(p);
		if (ret)
			return ret;
		if (level->d[k].unit)
			level->has |= 1u << k;
		else
			level->has &= ~(1u << k);
	}
	if (cmp_ymap_get(n, "calendar")) {
		char *p = cmp_cfg_join(path, "calendar");
		int ret = get_calendar(l, cmp_ymap_get(n, "calendar"), p,
				       &level->cal);

		free(p);
		if (ret)
			return ret;
		level->has |= CMP_SLA_HAS_CALENDAR;
	}
	return 0;
}

void
cmp_cfg_levels_release(struct cmp_sla_level *levels, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cmp_sla_level_release(&levels[i]);
	free(levels);
}

/* sla.severity or sla.tier: {key: level}, keys from en. */
static int
get_levels(struct cmp_cfgload *l, const struct cmp_ynode *n, const char *path,
	   const struct cmp_enum *en, const char *what,
	   struct cmp_sla_level **out, size_t *nout)
{
	struct cmp_sla_level *levels;

	if (cmp_cfg_want_type(l, n, path, CMP_Y_MAP))
		return CMP_EX_CONFIG;
	levels = n->n ? cmp_xcalloc(n->n, sizeof(*levels)) : NULL;
	for (size_t i = 0; i < n->n; i++) {
		const char *key = n->keys[i]->text;
		char *p = cmp_cfg_join(path, key);
		int ret = 0;

		if (!cmp_enum_has(en, key))
			ret = cmp_cfg_bad(l, n->keys[i], p, "'%s' is not %s",
					  key, what);
		else
			ret = get_level(l, n->items[i], p, &levels[i]);
		levels[i].key = cmp_xstrdup(key);
		free(p);
		if (ret) {
			cmp_cfg_levels_release(levels, i + 1);
			return ret;
		}
	}
	cmp_cfg_levels_release(*out, *nout);
	*out = levels;
	*nout = n->n;
	return 0;
}

int
cmp_cfg_sla(struct cmp_cfgload *l, const struct cmp_ynode *n)
{
	static const char *const keys[] = {"calendar", "default", "severity",
					   "tier", NULL};
	struct cmp_config *cfg = l->cfg;
	const struct cmp_ynode *v;

	if (cmp_cfg_check_keys(l, n, "sla", keys))
		return CMP_EX_CONFIG;
	if ((v = cmp_ymap_get(n, "calendar")) &&
	    get_calendar(l, v, "sla.calendar", &cfg->sla_default.cal))
		return CMP_EX_CONFIG;
	if ((v = cmp_ymap_get(n, "default"))) {
		struct cmp_sla_level level = {0};

		if (cmp_ymap_get(v, "calendar"))
			return cmp_cfg_bad(l, cmp_ymap_get(v, "calendar"),
					   "sla.default.calendar",
					   "the default calendar is "
					   "sla.calendar");
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
