/*
 * Unit tests: the configuration (built-in defaults, a file over them,
 * errors with file, line and key) and CSV map files.
 */
#include <stdlib.h>
#include <string.h>

#include "complaint.h"
#include "internal.h"
#include "tap.h"

static struct cmp_error e;

/* Load text over the defaults; NULL on error (e holds it). */
static struct cmp_config *
load(const char *text)
{
	struct cmp_config *cfg;

	cmp_error_clear(&e);
	if (cmp_config_load_text(&cfg, text, strlen(text), "my.yaml", &e))
		return NULL;
	return cfg;
}

static const char *
err(void)
{
	static char buf[1024];

	return cmp_error_format(&e, buf, sizeof(buf));
}

/* The error loading text, formatted. */
static const char *
load_err(const char *text)
{
	struct cmp_config *cfg = load(text);

	if (cfg) {
		cmp_config_free(cfg);
		return "(loaded)";
	}
	return err();
}

static void
test_defaults(void)
{
	struct cmp_config *cfg = load("");
	const struct cmp_department *d;

	if (!ok(cfg != NULL, "the built-in configuration loads: %s", err()))
		return;
	is_str(cfg->timezone, "Asia/Shanghai", "timezone");
	is_str(cfg->currency, "CNY", "currency");
	ok(cmp_enum_has(&cfg->channels, "phone") &&
	   !cmp_enum_has(&cfg->channels, "pigeon"), "channels");
	is_str(cmp_enum_label(&cfg->categories, "delivery"), "货物运输",
	       "a label");
	is_str(cmp_enum_label(&cfg->severities, "high"), "high",
	       "a key without a label is its own label");
	is_int(cfg->statuses.n, 6, "six statuses");
	is_str(cmp_enum_label(&cfg->statuses, "waiting"), "等待客户",
	       "status labels");
	d = cmp_config_department(cfg, "quality");
	ok(d && d->nladder == 4 && !strcmp(d->ladder[1], "wang.lead") &&
	   d->nmembers == 2, "department quality with its ladder");
	is_str(cfg->default_channel, "other", "default channel");
	is_str(cfg->default_severity, "normal", "default severity");
	is_str(cfg->default_tier, "regular", "default tier");
	ok(cfg->sla_default.cal.days == 0x3e &&
	   cfg->sla_default.cal.nspans == 1 &&
	   cfg->sla_default.cal.spans[0].open == 540 &&
	   cfg->sla_default.cal.nholidays == 1, "the business calendar");
	is_int(cfg->nsla_severity, 2, "two severity levels");
	is_int(cfg->nrules, 3, "three rules");
	ok(cfg->rules[0].nkeywords == 3 && cfg->rules[0].stop &&
	   !strcmp(cfg->rules[0].severity, "critical"), "the first rule");
	ok(cfg->rules[2].nconds == 1 &&
	   !strcmp(cfg->rules[2].conds[0].field, "customer.tier"),
	   "a rule on customer.tier");
	ok(cfg->approval_threshold == 1000 && cfg->warranty_months == 18 &&
	   cfg->followup_after.n == 3 && cfg->followup_satisfied_at == 4 &&
	   cfg->followup_max == 3 && cfg->escalation_after.n == 4 &&
	   cfg->duplicates_window.n == 14 && cfg->report_baseline == 8 &&
	   cfg->report_sigma == 3 && !cfg->report_redact, "the settings");
	ok(strstr(cmp_config_default_text(), "timezone: Asia/Shanghai") != NULL,
	   "the default text is share/complaint/config.yaml");
	cmp_config_free(cfg);
}

/* Do two trees hold the same nodes, at the same places? */
static int
same_tree(const struct cmp_ynode *a, const struct cmp_ynode *b)
{
	if (!a || !b)
		return a == b;
	if (a->type != b->type || a->line != b->line ||
	    a->column != b->column || a->plain != b->plain || a->n != b->n ||
	    !a->text != !b->text || (a->text && strcmp(a->text, b->text)) ||
	    !a->keys != !b->keys)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (!same_tree(a->items[i], b->items[i]) ||
		    (a->keys && !same_tree(a->keys[i], b->keys[i])))
			return 0;
	return 1;
}

/* The tree make embeds is what the YAML reader makes of the file. */
static void
test_embedded_tree(void)
{
	struct cmp_ynode *root = NULL;
	char *text = NULL;
	size_t len;

	cmp_error_clear(&e);
	ok(!cmp_read_file("share/complaint/config.yaml", &text, &len, &e) &&
	   !cmp_yaml_load(text, len, "config.yaml", &root, &e),
	   "share/complaint/config.yaml reads");
	ok(same_tree(cmp_default_tree, root),
	   "the built-in tree is share/complaint/config.yaml's, positions "
	   "and all");
	ok(len == strlen(cmp_default_config) &&
	   !memcmp(text, cmp_default_config, len),
	   "the built-in text is share/complaint/config.yaml's");
	cmp_ynode_free(root);
	free(text);
}

static void
test_overlay(void)
{
	struct cmp_config *cfg;

	cfg = load("channels: [phone, web]\n"
		   "defaults: {channel: web}\n"
		   "followup: {satisfied_at: 5}\n"
		   "sla:\n  default: {ack: 2h}\n");
	if (!ok(cfg != NULL, "a file over the defaults: %s", err()))
		return;
	is_int(cfg->channels.n, 2, "a list section replaces the built-in");
	is_str(cfg->default_channel, "web", "defaults: the key given");
	is_str(cfg->default_severity, "normal", "defaults: the others kept");
	ok(cfg->followup_satisfied_at == 5 && cfg->followup_max == 3,
	   "followup merged key by key");
	ok((cfg->sla_default.has & CMP_SLA_HAS_ACK) &&
	   !(cfg->sla_default.has & CMP_SLA_HAS_RESOLVE),
	   "sla.default given replaces the default level");
	ok(cfg->sla_default.cal.nspans == 1 && cfg->nsla_severity == 2,
	   "sla.calendar and sla.severity kept");
	cmp_config_free(cfg);

	cfg = load("sla:\n  calendar: {days: [mon, sat], hours: [\"08:00-12:00\", "
		   "\"14:00-24:00\"], holidays: [2026-12-25, 2026-01-01], "
		   "zone: Europe/Paris}\n");
	if (ok(cfg != NULL, "a calendar: %s", err())) {
		const struct cmp_calendar *c = &cfg->sla_default.cal;

		ok(c->days == ((1 << 1) | (1 << 6)) && c->nspans == 2 &&
		   c->spans[1].close == 1440 && !strcmp(c->holidays[0],
							"2026-01-01") &&
		   !strcmp(c->zone, "Europe/Paris"), "days, spans, sorted "
		   "holidays, zone");
		cmp_config_free(cfg);
	}
	cfg = load("rules: []\ncategories: {a: A}\n");
	ok(cfg && cfg->nrules == 0 && cfg->categories.n == 1,
	   "new categories with no rules: %s", cfg ? "" : err());
	cmp_config_free(cfg);
}

static void
test_errors(void)
{
	is_str(load_err("timezone: Asia/Shanghai\ncolour: red\n"),
	       "my.yaml:2:1: colour: unknown key", "an unknown section");
	is_str(load_err("sla:\n  default:\n    ack: 4 hours\n"),
	       "my.yaml:3:10: sla.default.ack: '4 hours' is not a duration "
	       "(like 90m, 4h, 1d, 2w)", "a bad duration, its line and key");
	is_str(load_err("sla:\n  severity:\n    urgent: {ack: 1h}\n"),
	       "my.yaml:3:5: sla.severity.urgent: 'urgent' is not a severity",
	       "an SLA for an unknown severity");
	is_str(load_err("timezone: Mars/Olympus\n"),
	       "my.yaml:1:11: timezone: 'Mars/Olympus' is not a time zone this "
	       "machine knows (an IANA name like Asia/Shanghai)",
	       "an unknown zone");
	is_str(load_err("rules:\n  - when: {category: delivery}\n"
			"    then: {department: nowhere}\n"),
	       "my.yaml:3:24: rules[1].then.department: 'nowhere' is not a "
	       "department", "a rule naming an unknown department");
	is_str(load_err("rules:\n  - when: {colour: red}\n"),
	       "my.yaml:2:12: rules[1].when.colour: not a field a rule can "
	       "test", "a rule on an unknown field");
	is_str(load_err("approval: {threshold: lots}\n"),
	       "my.yaml:1:23: approval.threshold: 'lots' is not a number",
	       "not a number");
	is_str(load_err("followup: {satisfied_at: 9}\n"),
	       "my.yaml:1:26: followup.satisfied_at: 9 is out of range (0 to 5)",
	       "out of range");
	is_str(load_err("report: {redact: maybe}\n"),
	       "my.yaml:1:18: report.redact: expected true or false, got 'maybe'",
	       "not a boolean");
	is_str(load_err("channels: {phone: a, phone: b}\n"),
	       "my.yaml:1:22: channels.phone: given twice", "a key twice");
	is_str(load_err("channels: [\"bad key\"]\n"),
	       "my.yaml:1:12: channels.bad key: a key is a letter or digit "
	       "followed by letters, digits, '_', '.' or '-'", "a bad key");
	is_str(load_err("sla:\n  calendar: {hours: \"18:00-09:00\"}\n"),
	       "my.yaml:2:21: sla.calendar.hours: '18:00-09:00' is not a span "
	       "of hours like 09:00-18:00 (spans in order, not overlapping)",
	       "hours backwards");
	is_str(load_err("statuses: {open: Open}\n"),
	       "my.yaml:1:12: statuses.open: unknown key", "statuses are fixed");
	ok(strstr(load_err("timezone: [unclosed\n"), "my.yaml:2:") != NULL,
	   "a YAML syntax error has its line: %s", err());
	ok(strstr(load_err("a: &x [*x]\n"), "my.yaml:1:") != NULL,
	   "an alias of an unfinished node: %s", err());
	ok(strstr(load_err("categories: {a: A}\n"), "rules: the built-in rule "
		  "at line ") && strstr(err(), "sets 'product-quality', which "
		  "is not a category here: give rules of your own"),
	   "built-in rules left stale by new categories: %s", err());
	ok(strstr(load_err("defaults: {severity: dire}\n"),
		  "defaults.severity: 'dire' is not a severity") != NULL,
	   "a default outside its enumeration: %s", err());
	is_str(load_err("\xff: x\n"), "my.yaml:1: invalid UTF-8",
	       "invalid UTF-8");
	{
		struct cmp_config *cfg;

		cmp_error_clear(&e);
		ok(cmp_config_load(&cfg, "/nonexistent/config.yaml", &e) == 66,
		   "a missing file is 66: %s", err());
	}
}

static void
test_maps(void)
{
	struct cmp_map *map;
	const char *good =
		"delimiter: \";\"\n"
		"fields:\n"
		"  summary: Issue\n"
		"  ref: {template: \"X-{Id}\"}\n"
		"  channel: {column: Via, values: {Tel: phone, Spam: null},"
		" otherwise: other}\n"
		"  attrs.team: Team\n";

	cmp_error_clear(&e);
	if (!ok(!cmp_map_load_text(&map, good, strlen(good), "m.yaml", &e),
		"a map loads: %s", err()))
		return;
	ok(map->delimiter == ';' && map->nfields == 4, "delimiter and fields");
	ok(!strcmp(map->fields[1].template, "X-{Id}") &&
	   map->fields[2].nvalues == 2 && map->fields[2].to[1] == NULL &&
	   !strcmp(map->fields[2].otherwise, "other") &&
	   map->fields[2].line == 5, "templates, values, otherwise, lines");
	cmp_map_free(map);

#define MAP_ERR(text, want, what) do { \
	cmp_error_clear(&e); \
	ok(cmp_map_load_text(&map, text, strlen(text), "m.yaml", &e) == 78 && \
	   strstr(err(), want), what ": %s", err()); \
} while (0)
	MAP_ERR("fields:\n  id: Id\n", "m.yaml:2:3: id: not a field",
		"a managed field cannot be mapped");
	MAP_ERR("fields:\n  summary: {column: a, value: b}\n",
		"m.yaml:2:12: summary: give exactly one",
		"two sources");
	MAP_ERR("fields:\n  summary: {template: \"{open\"}\n",
		"template: '{' without", "a broken template");
	MAP_ERR("fields:\n  summary: {colum: a}\n",
		"m.yaml:2:13: summary.colum: unknown key", "a typo");
	MAP_ERR("field:\n  summary: a\n", "m.yaml:1:1: field: unknown key",
		"not a map");
	MAP_ERR("fields:\n  closed_at: {column: C, when: Closed}\n",
		"m.yaml:2:32: closed_at: when: expected one column and its "
		"value", "when is a pair");
	MAP_ERR("fields:\n  closed_at: {column: C, when: {S: a, T: b}}\n",
		"closed_at: when: expected one column", "when has one pair");
#undef MAP_ERR
}

int
main(void)
{
	test_defaults();
	test_embedded_tree();
	test_overlay();
	test_errors();
	test_maps();
	return done_testing();
}
