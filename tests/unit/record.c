/*
 * Unit tests: the field table, text values, --set, validation, redaction,
 * the JSON codec and the routing rules.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "tap.h"

static struct cmp_config *cfg;
static const cmp_time now = 1763601300;	/* 2025-11-20T01:15:00Z */

static void
test_table(void)
{
	int unique = 1, columns = 1;

	for (size_t i = 0; i < cmp_nfields; i++) {
		char col[64];
		size_t k;

		for (k = 0; cmp_fields[i].path[k]; k++)
			col[k] = cmp_fields[i].path[k] == '.' ? '_' :
				cmp_fields[i].path[k];
		col[k] = '\0';
		if (strcmp(col, cmp_fields[i].column))
			columns = 0;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(cmp_fields[i].path, cmp_fields[j].path))
				unique = 0;
	}
	ok(unique, "field paths are unique");
	ok(columns, "view columns are the paths with _ for .");
	ok(cmp_nfields <= 128, "fields fit the present[] bits");
	ok(cmp_field_find("customer.phone") &&
	   cmp_field_find("customer.phone")->type == CMP_F_TEXT,
	   "customer.phone is found");
	ok(!cmp_field_find("customer_phone"), "columns are not paths");
	ok(!cmp_field_find("nope"), "unknown path: NULL");
}

static int
set(struct cmp_complaint *c, const char *path, const char *text,
    struct cmp_error *e)
{
	cmp_error_clear(e);
	return cmp_field_set_text(cfg, c, cmp_field_find(path), text, now, e);
}

static void
test_text(void)
{
	struct cmp_complaint c;
	struct cmp_error e;
	char *s;

	cmp_complaint_init(&c);
	is_int(set(&c, "severity", "high", &e), 0, "an enum value");
	is_int(set(&c, "severity", "apocalyptic", &e), 65, "a bad enum value");
	is_str(e.msg, "'apocalyptic' is not a severity", "its message");
	is_str(e.field, "severity", "names the field");
	is_int(set(&c, "product.quantity", "3", &e), 0, "a quantity");
	is_int(c.product.quantity, 3, "is 3");
	is_int(set(&c, "product.quantity", "0", &e), 65, "quantity 0 refused");
	is_int(set(&c, "product.quantity", "2.5", &e), 65, "2.5 refused");
	is_int(set(&c, "product.delivered_on", "2025-02-29", &e), 65,
	       "a date that does not exist");
	is_str(e.field, "product.delivered_on", "names the date field");
	is_int(set(&c, "received_at", "2026-11-20 09:15", &e), 0, "a naive time");
	s = cmp_field_text(cmp_field_find("received_at"), &c);
	is_str(s, "2026-11-20T01:15:00Z", "in the configured zone");
	free(s);
	is_int(set(&c, "out_of_warranty", "yes", &e), 0, "a boolean");
	is_int(c.out_of_warranty, 1, "true");
	is_int(set(&c, "out_of_warranty", "maybe", &e), 65, "not a boolean");
	is_int(set(&c, "resolution.amount", "1999.50", &e), 0, "an amount");
	s = cmp_field_text(cmp_field_find("resolution.amount"), &c);
	is_str(s, "1999.5", "shortest form");
	free(s);
	is_int(set(&c, "resolution.amount", "1e400", &e), 65, "1e400 refused");
	is_int(set(&c, "resolution.amount", "-3", &e), 65, "negative refused");
	is_int(set(&c, "tags", "vip, repeat,,vip", &e), 0, "a tag list");
	s = cmp_field_text(cmp_field_find("tags"), &c);
	is_str(s, "[\"vip\",\"repeat\"]", "split, trimmed, unique");
	free(s);
	is_int(set(&c, "summary", "bad \xc0\x80 utf8", &e), 65,
	       "overlong UTF-8 refused");
	is_int(set(&c, "severity", "", &e), 0, "empty clears");
	ok(c.severity == NULL, "severity is null");
	cmp_complaint_release(&c);
}

static void
test_set(void)
{
	struct cmp_complaint c;
	struct cmp_error e;

	cmp_complaint_init(&c);
	cmp_error_clear(&e);
	is_int(cmp_complaint_set(cfg, &c, "customer.phone=13800138000", now, &e),
	       0, "--set customer.phone");
	is_str(c.customer.phone, "13800138000", "set");
	is_int(cmp_complaint_set(cfg, &c, "status=closed", now, &e), 64,
	       "--set status refused");
	ok(strstr(e.msg, "cmp-close") != NULL, "says what to use instead");
	is_int(cmp_complaint_set(cfg, &c, "bogus=1", now, &e), 64,
	       "--set of no field");
	is_int(cmp_complaint_set(cfg, &c, "noequals", now, &e), 64,
	       "--set without =");
	is_int(cmp_complaint_set(cfg, &c, "attrs.order=A-1", now, &e), 0,
	       "--set attrs.KEY");
	is_str(c.attrs, "{\"order\":\"A-1\"}", "attrs member");
	is_int(cmp_complaint_set(cfg, &c, "attrs.order=", now, &e), 0,
	       "--set attrs.KEY= removes");
	ok(c.attrs == NULL, "attrs now empty");
	is_int(cmp_complaint_set(cfg, &c, "category=billing", now, &e), 0,
	       "--set category");
	cmp_complaint_release(&c);
}

static void
test_validate(void)
{
	struct cmp_complaint c;
	struct cmp_error e;

	cmp_complaint_init(&c);
	cmp_error_clear(&e);
	is_int(cmp_complaint_validate(cfg, &c, &e), 65, "empty: refused");
	c.description = cmp_xstrdup("d");
	is_int(cmp_complaint_validate(cfg, &c, &e), 65, "no customer: refused");
	is_str(e.field, "customer", "names customer");
	c.customer.email = cmp_xstrdup("nobody");
	is_int(cmp_complaint_validate(cfg, &c, &e), 65, "bad e-mail refused");
	free(c.customer.email);
	c.customer.email = cmp_xstrdup("a@b.cn");
	is_int(cmp_complaint_validate(cfg, &c, &e), 65,
	       "no time received: refused");
	is_str(e.field, "received_at", "names received_at");
	c.received_at = now;
	is_int(cmp_complaint_validate(cfg, &c, &e), 0, "complete: valid");
	cmp_complaint_release(&c);
}

static void
test_redact(void)
{
	struct cmp_complaint c;
	char *s;

	s = cmp_redact_text(CMP_FF_PHONE, "13800138000");
	is_str(s, "138****8000", "phone");
	free(s);
	s = cmp_redact_text(CMP_FF_EMAIL, "wang@example.cn");
	is_str(s, "w***@example.cn", "e-mail");
	free(s);
	s = cmp_redact_text(CMP_FF_NAME, "王先生");
	is_str(s, "王**", "Chinese name");
	free(s);
	s = cmp_redact_text(CMP_FF_NAME, "Li");
	is_str(s, "L*", "short name");
	free(s);
	s = cmp_redact_text(CMP_FF_ADDRESS, "江苏省睢宁县人民路18号");
	is_str(s, "江苏****", "address");
	free(s);

	cmp_complaint_init(&c);
	c.customer.name = cmp_xstrdup("王建国");
	c.customer.phone = cmp_xstrdup("13800138000");
	c.summary = cmp_xstrdup("王建国 called from 13800138000");
	c.description = cmp_xstrdup("mail me: jg.wang@example.cn or 13912345678");
	c.attrs = cmp_xstrdup("{\"caller\":\"王建国\",\"n\":13800138000}");
	cmp_complaint_redact(&c);
	is_str(c.customer.name, "王**", "name masked");
	is_str(c.customer.phone, "138****8000", "phone masked");
	is_str(c.summary, "王** called from 138****8000", "summary masked");
	is_str(c.description, "mail me: j***@example.cn or 139****5678",
	       "patterns masked in free text");
	is_str(c.attrs, "{\"caller\":\"王**\",\"n\":13800138000}",
	       "attrs strings masked, numbers kept, still JSON");
	cmp_complaint_release(&c);
}

static int
decode(const char *json, struct cmp_complaint *c, struct cmp_error *e)
{
	cJSON *obj = NULL;
	int ret;

	cmp_error_clear(e);
	cmp_complaint_init(c);
	if ((ret = cmp_json_parse(json, strlen(json), &obj, e)))
		return ret;
	ret = cmp_json_decode(cfg, obj, 0, now, c, e);
	cJSON_Delete(obj);
	return ret;
}

static void
test_json(void)
{
	static const char fox[] = "The quick brown fox jumps over the lazy dog";
	struct cmp_complaint a, b;
	struct cmp_error e;
	const char *legacy;
	char *fa, *fb, *s, hex[33];
	uint64_t h[2];

	/* The hash is MurmurHash3 x64 128: its published vector. */
	cmp_hash128(fox, strlen(fox), 0x9747b28c, h);
	ok(h[0] == 0x738a7f3bd2633121ULL && h[1] == 0xf94573727ec016e5ULL,
	   "MurmurHash3 x64 128 of the fox, seed 0x9747b28c");
	cmp_hash128("", 0, 0x9747b28c, h);
	ok(h[0] == 0x392b208a1daabbb3ULL && h[1] == 0x93b0608fe302957aULL,
	   "and of nothing");

	is_int(decode("{\"summary\":\"s\",\"customer\":{\"phone\":138}}", &a, &e),
	       65, "a number for a phone");
	is_str(e.field, "customer.phone", "path");
	is_str(e.msg, "expected a string, got number", "message");
	cmp_complaint_release(&a);
	is_int(decode("{\"summary\":\"s\",\"customer\":{\"fax\":\"1\"}}", &a, &e),
	       65, "unknown nested key");
	is_str(e.field, "customer.fax", "its path");
	cmp_complaint_release(&a);
	is_int(decode("{\"summary\":\"s\",\"summary\":\"t\"}", &a, &e), 65,
	       "a key given twice");
	cmp_complaint_release(&a);
	is_int(decode("{\"id\":7,\"created_at\":\"x\",\"summary\":\"s\"}", &a, &e),
	       0, "store-managed keys are ignored");
	is_int(a.id, 0, "id not taken from input");
	cmp_complaint_release(&a);
	is_int(decode("{\"summary\":\"s\",\"product\":{\"quantity\":\"2\"}}", &a,
		      &e), 65, "a string for a number (JSON)");
	cmp_complaint_release(&a);

	decode("{\"summary\":\"s\",\"customer\":{\"name\":\"n\",\"tier\":\"key\"},"
	       "\"tags\":[\"a\"],\"attrs\":{\"x\":[1,2.50,1e400]}}", &a, &e);
	decode("{\"attrs\":{\"x\":[1,2.50,1e400]},\"tags\":[\"a\"],"
	       "\"customer\":{\"tier\":\"key\",\"name\":\"n\"},\"summary\":\"s\"}",
	       &b, &e);
	fa = cmp_json_fingerprint(&a);
	fb = cmp_json_fingerprint(&b);
	is_str(fa, fb, "fingerprint ignores key order");
	/* The hash of the canonical text of what was given, attrs verbatim;
	   a store of before the hash kept that text itself. */
	legacy = "{\"customer\":{\"name\":\"n\",\"tier\":\"key\"},"
		 "\"summary\":\"s\",\"tags\":[\"a\"],\"attrs\":{\"x\":[1,2.50,1e400]}}";
	cmp_hash128(legacy, strlen(legacy), 0, h);
	snprintf(hex, sizeof(hex), "%016llx%016llx", (unsigned long long)h[0],
		 (unsigned long long)h[1]);
	is_str(fa, hex, "fingerprint: the hash of what was given, attrs verbatim");
	ok(cmp_json_fingerprint_match(fa, hex), "a fingerprint matches itself");
	ok(cmp_json_fingerprint_match(fa, legacy),
	   "and the canonical text a store of before the hash kept");
	ok(!cmp_json_fingerprint_match(fa, "{\"summary\":\"s\"}"),
	   "but not another text");
	ok(!cmp_json_fingerprint_match(fa, "00000000000000000000000000000000"),
	   "nor another hash");
	free(fa);
	free(fb);
	a.id = 5;
	s = cmp_json_print(&a, 0);
	ok(strncmp(s, "{\"id\":5,\"ref\":null,\"status\":null,", 32) == 0,
	   "output follows the design's order");
	ok(strstr(s, "\"due\":{\"ack\":null,\"reply\":null,\"resolve\":null}") != NULL,
	   "due nested");
	free(s);
	s = cmp_json_print(&a, CMP_JSON_REDACT);
	ok(strstr(s, "\"name\":\"n*\"") != NULL, "encode can redact");
	free(s);
	cmp_complaint_release(&a);
	cmp_complaint_release(&b);
}

/* The record as text is what cJSON prints of the record's tree. */
static void
test_print(void)
{
	static const double amounts[] = {
		0, 12.5, 0.1, -3, 1.0 / 3, 3e9, 1e20, 123456789.125, NAN,
	};
	struct cmp_complaint a;
	struct cmp_followup fu = {0};
	struct cmp_error e;

	is_int(decode("{\"ref\":\"R\\\"1\\\\\",\"summary\":\"tab\\there\\u0001\\u001f\\n\","
		      "\"description\":\"热交换器 leaks / 漏水\\r\\b\\f\","
		      "\"customer\":{\"name\":\"王先生\",\"phone\":\"13800138000\","
		      "\"email\":\"a@b.cn\",\"tier\":\"key\"},"
		      "\"product\":{\"name\":\"CF-200\",\"quantity\":3,"
		      "\"delivered_on\":\"2025-04-10\"},"
		      "\"tags\":[\"a\",\"b\\\"c\"],\"attrs\":{\"x\":[1,2.50,1e400]}}",
		      &a, &e), 0, "a full record decodes");
	a.id = 3000000000;
	a.received_at = 1763601300;
	a.escalation = 2;
	a.satisfaction = 4;
	a.out_of_warranty = 1;
	fu.due_at = 1763601300;
	fu.channel = cmp_xstrdup("phone");
	fu.note = cmp_xstrdup("said \"ok\"");
	fu.satisfaction = 5;
	a.followups = cmp_xcalloc(2, sizeof(fu));
	a.followups[0] = fu;
	a.nfollowups = 2;	/* and an empty one */
	for (size_t i = 0; i < sizeof(amounts) / sizeof(amounts[0]); i++) {
		for (unsigned flags = 0; flags <= CMP_JSON_REDACT;
		     flags += CMP_JSON_REDACT) {
			cJSON *tree;
			char *want, *got;

			a.resolution.amount = amounts[i];
			tree = cmp_json_encode(&a, flags);
			want = cJSON_PrintUnformatted(tree);
			got = cmp_json_print(&a, flags);
			is_str(got, want, "text = tree printed (amount %g%s)",
			       amounts[i], flags ? ", redacted" : "");
			free(want);
			free(got);
			cJSON_Delete(tree);
		}
	}
	cmp_complaint_release(&a);
	cmp_complaint_init(&a);
	{
		cJSON *tree = cmp_json_encode(&a, 0);
		char *want = cJSON_PrintUnformatted(tree), *got;

		got = cmp_json_print(&a, 0);
		is_str(got, want, "an empty record too");
		free(want);
		free(got);
		cJSON_Delete(tree);
	}
	cmp_complaint_release(&a);
}

static void
test_rules(void)
{
	struct cmp_complaint c;

	cmp_complaint_init(&c);
	c.description = cmp_xstrdup("门店卖假烟");
	is_int(cmp_rules_apply(cfg, &c, 0), 1, "Chinese keyword matches");
	is_str(c.severity, "critical", "sets severity");
	is_str(c.department, "quality", "sets department");
	cmp_complaint_release(&c);

	cmp_complaint_init(&c);
	c.summary = cmp_xstrdup("A FaKe product");
	c.severity = cmp_xstrdup("low");
	cmp_rules_apply(cfg, &c, 0);
	is_str(c.severity, "low", "a value given is kept");
	is_str(c.category, "product-quality", "case-insensitive Latin keyword");
	cmp_rules_apply(cfg, &c, CMP_RULES_OVERWRITE);
	is_str(c.severity, "critical", "overwrite replaces it");
	cmp_complaint_release(&c);

	cmp_complaint_init(&c);
	c.summary = cmp_xstrdup("late");
	c.category = cmp_xstrdup("delivery");
	c.customer.tier = cmp_xstrdup("key");
	is_int(cmp_rules_apply(cfg, &c, 0), 2, "two rules match");
	is_str(c.department, "logistics", "category rule");
	ok(c.ntags == 1 && !strcmp(c.tags[0], "key-account"), "tier rule tags");
	cmp_complaint_release(&c);

	{
		struct cmp_rule_cond cond = {"product.name", (char *[]){"CF-*"}, 1};
		struct cmp_rule r = {.conds = &cond, .nconds = 1};

		cmp_complaint_init(&c);
		c.product.name = cmp_xstrdup("CF-200");
		ok(cmp_rule_match(&r, &c), "product glob matches");
		free(c.product.name);
		c.product.name = cmp_xstrdup("XF-200");
		ok(!cmp_rule_match(&r, &c), "product glob does not");
		cmp_complaint_release(&c);
	}
}

int
main(void)
{
	struct cmp_error e;

	setenv("TZ", "UTC", 1);
	cmp_error_clear(&e);
	if (cmp_config_load(&cfg, NULL, &e)) {
		char buf[1024];

		ok(0, "built-in configuration loads: %s",
		   cmp_error_format(&e, buf, sizeof(buf)));
		return done_testing();
	}
	test_table();
	test_text();
	test_set();
	test_validate();
	test_redact();
	test_json();
	test_print();
	test_rules();
	cmp_config_free(cfg);
	return done_testing();
}
