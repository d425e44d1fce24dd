/*
 * Unit tests: the --where grammar (where.c), as a table of expressions,
 * each with the condition it parses to (cmp_where_describe: values as
 * the store holds them) or the usage error it gives.  What each
 * condition selects from a store is tests/prog/t0420-where.t's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "tap.h"
#include "where.h"

/* 2025-11-20T01:15:00Z, 09:15 in the configured zone, Asia/Shanghai. */
static const cmp_time now = 1763601300;

static const struct {
	const char *expr;
	const char *want;	/* the condition, or NULL: ... */
	const char *msg;	/* ... this usage error after "--where 'EXPR': " */
} cases[] = {
	/* Operators, with and without blanks. */
	{"status = new", "status = 'new'", NULL},
	{"status=new", "status = 'new'", NULL},
	{"  status\t=  new  ", "status = 'new'", NULL},
	{"status != closed", "status != 'closed'", NULL},
	{"customer.name ~ wang", "customer.name ~ 'wang'", NULL},
	{"customer.name~王", "customer.name ~ '王'", NULL},
	{"product.quantity < 3", "product.quantity < '3'", NULL},
	{"product.quantity<=3", "product.quantity <= '3'", NULL},
	{"product.quantity >3", "product.quantity > '3'", NULL},
	{"product.quantity>= -3", "product.quantity >= '-3'", NULL},
	{"summary < M", "summary < 'M'", NULL},
	/* Sets: S[,S...] and in / not in. */
	{"status = new,assigned", "status in 'new', 'assigned'", NULL},
	{"status in new, assigned ,waiting",
	 "status in 'new', 'assigned', 'waiting'", NULL},
	{"status IN new", "status = 'new'", NULL},
	{"status not in closed,rejected", "status not in 'closed', 'rejected'",
	 NULL},
	{"status != closed,rejected", "status not in 'closed', 'rejected'",
	 NULL},
	{"summary ~ leak,漏水", "summary ~ 'leak', '漏水'", NULL},
	/* Quoting: blanks, commas, operators, quotes. */
	{"summary = 'a, b'", "summary = 'a, b'", NULL},
	{"summary = \"it's < 5\"", "summary = 'it''s < 5'", NULL},
	{"summary = 'it''s'", "summary = 'it''s'", NULL},
	{"summary in 'a,b', c", "summary in 'a,b', 'c'", NULL},
	{"summary = ''", "summary = ''", NULL},
	{"summary = it's", "summary = 'it''s'", NULL},
	{"summary = 'null'", "summary = 'null'", NULL},
	/* Null. */
	{"owner is null", "owner is null", NULL},
	{"owner IS NOT NULL", "owner is not null", NULL},
	{"owner = null", "owner is null", NULL},
	{"owner != NULL", "owner is not null", NULL},
	{"tags is null", "tags is null", NULL},
	{"attrs is not null", "attrs is not null", NULL},
	{"attrs.plant is null", "attrs.plant is null", NULL},
	/* Times as --since reads them, in the configured zone. */
	{"received_at >= 2025-11-01", "received_at >= '2025-10-31T16:00:00Z'",
	 NULL},
	{"received_at < 2025-11-20 09:15",
	 "received_at < '2025-11-20T01:15:00Z'", NULL},
	{"received_at > -2d", "received_at > '2025-11-18T01:15:00Z'", NULL},
	{"due.resolve < today", "due.resolve < '2025-11-19T16:00:00Z'", NULL},
	{"updated_at >= 2025-11-20T00:00:00Z",
	 "updated_at >= '2025-11-20T00:00:00Z'", NULL},
	{"replied_at = 2025-11-20T08:00:00+08:00",
	 "replied_at = '2025-11-20T00:00:00Z'", NULL},
	/* Dates: a date, or a time's date in the zone. */
	{"product.failed_on >= 2025-10-01", "product.failed_on >= '2025-10-01'",
	 NULL},
	{"product.failed_on < today", "product.failed_on < '2025-11-20'", NULL},
	{"product.failed_on ~ 2025-10", "product.failed_on ~ '2025-10'", NULL},
	/* Numbers. */
	{"id = 7", "id = '7'", NULL},
	{"id in 1,2,3", "id in '1', '2', '3'", NULL},
	{"resolution.amount > 99.5", "resolution.amount > '99.5'", NULL},
	{"resolution.amount >= 1e3", "resolution.amount >= '1e3'", NULL},
	{"escalation >= 0", "escalation >= '0'", NULL},
	{"satisfaction <= 2", "satisfaction <= '2'", NULL},
	/* Booleans as --set reads them. */
	{"out_of_warranty = yes", "out_of_warranty = '1'", NULL},
	{"out_of_warranty != false", "out_of_warranty != '0'", NULL},
	/* Enumerations: keys checked; ordered as configured. */
	{"severity >= high", "severity in 'high', 'critical'", NULL},
	{"severity > high", "severity = 'critical'", NULL},
	{"severity < normal", "severity = 'low'", NULL},
	{"severity <= normal", "severity in 'low', 'normal'", NULL},
	{"severity < low", "severity in", NULL},
	{"severity > critical", "severity in", NULL},
	{"department >= logistics", "department in 'logistics', 'service'",
	 NULL},
	{"department = quality", "department = 'quality'", NULL},
	{"category ~ deliv", "category ~ 'deliv'", NULL},
	{"customer.tier in key,new", "customer.tier in 'key', 'new'", NULL},
	/* Tags. */
	{"tags = vip", "tags = 'vip'", NULL},
	{"tags ~ acc", "tags ~ 'acc'", NULL},
	{"tags not in a,b", "tags not in 'a', 'b'", NULL},
	/* attrs.KEY: numbers compared as numbers, the rest as text. */
	{"attrs.plant = 徐州", "attrs.plant = '徐州'", NULL},
	{"attrs.weight > 2.5", "attrs.weight > '2.5' (numbers)", NULL},
	{"attrs.code = 7", "attrs.code = '7' (numbers)", NULL},
	{"attrs.code in 7,x", "attrs.code in '7', 'x'", NULL},
	{"attrs.code ~ 7", "attrs.code ~ '7'", NULL},
	{"attrs.line-no < B", "attrs.line-no < 'B'", NULL},
	{"attrs.a.b = 1", "attrs.a.b = '1' (numbers)", NULL},
	{"attrs.code = '7'", "attrs.code = '7'", NULL},
	{"attrs.code in 7,'8'", "attrs.code in '7', '8'", NULL},
	{"attrs.vip = true", "attrs.vip = '1' (numbers)", NULL},
	{"attrs.vip != false", "attrs.vip != '0' (numbers)", NULL},
	{"attrs.vip in true,x", "attrs.vip in 'true', 'x'", NULL},
	{"attrs.vip = TRUE", "attrs.vip = 'TRUE'", NULL},

	/* Bad paths. */
	{"foo.bar = 1", NULL, "no field 'foo.bar'"},
	{"customer_phone = 1", NULL, "no field 'customer_phone'"},
	{"attrs. = 1", NULL, "no field 'attrs.'"},
	{"attrs.a\"b = 1", NULL,
	 "no field 'attrs.a\"b' (a key of attrs may not hold \" or \\ here)"},
	{"= new", NULL,
	 "no field before '=' (a field's dotted path, or attrs.KEY)"},
	{"", NULL, "no field before '' (a field's dotted path, or attrs.KEY)"},
	{"followups = 1", NULL,
	 "'followups' cannot be compared (the followups view has them)"},
	{"followups is null", NULL,
	 "'followups' cannot be compared (the followups view has them)"},
	{"attrs = 1", NULL,
	 "'attrs' cannot be compared but with null (a member: attrs.KEY)"},
	/* Bad operators. */
	{"status == new", NULL, "no operator '=='"},
	{"status <> new", NULL, "no operator '<>'"},
	{"status =~ new", NULL, "no operator '=~'"},
	{"status like new", NULL, "no operator 'like'"},
	{"status", NULL, "no operator after 'status' (=, !=, <, <=, >, >=, ~, "
	 "in, not in, is null, is not null)"},
	{"status not new", NULL, "no operator 'not'"},
	{"status is new", NULL, "'is' takes null or not null"},
	{"status is null x", NULL, "'x' after 'is null'"},
	{"received_at ~ 2025", NULL,
	 "'~' does not apply to 'received_at' (a time)"},
	{"id ~ 1", NULL, "'~' does not apply to 'id' (a number)"},
	{"out_of_warranty ~ t", NULL,
	 "'~' does not apply to 'out_of_warranty' (true or false)"},
	{"tags < a", NULL, "'<' does not apply to 'tags' (a set of tags)"},
	{"out_of_warranty >= 1", NULL,
	 "'>=' does not apply to 'out_of_warranty' (true or false)"},
	/* Bad values. */
	{"status =", NULL, "no value after '='"},
	{"status in  ", NULL, "no value after 'in'"},
	{"status in new,,closed", NULL, "an empty value (quote it: '')"},
	{"status in new,", NULL, "an empty value (quote it: '')"},
	{"summary = 'abc", NULL, "no closing '"},
	{"summary = 'a' b", NULL, "'b' after a quoted value"},
	{"product.quantity < 3,4", NULL, "'<' takes one value"},
	{"status = nw", NULL, "status: 'nw' is not a status"},
	{"status in new,opened", NULL, "status: 'opened' is not a status"},
	{"severity > urgent", NULL, "severity: 'urgent' is not a severity"},
	{"department = sales", NULL, "department: 'sales' is not a department"},
	{"received_at > last week", NULL, "received_at: 'last week' is not a "
	 "time (try 2026-11-20, 2026-11-20 14:30, 2026-11-20T06:30:00Z, +3d "
	 "or yesterday)"},
	{"product.failed_on = 2025-02-30", NULL, "product.failed_on: "
	 "'2025-02-30' is not a date (YYYY-MM-DD, or a time: today, -30d)"},
	{"id = seven", NULL, "id: 'seven' is not a whole number"},
	{"product.quantity > 2.5", NULL,
	 "product.quantity: '2.5' is not a whole number"},
	{"resolution.amount > 0x10", NULL,
	 "resolution.amount: '0x10' is not a number"},
	{"resolution.amount > inf", NULL,
	 "resolution.amount: 'inf' is not a number"},
	{"out_of_warranty = maybe", NULL,
	 "out_of_warranty: 'maybe' is not true or false"},
	{"out_of_warranty = ''", NULL, "out_of_warranty: an empty value"},
};

static void
test_table(const struct cmp_config *cfg)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cmp_where *w = (struct cmp_where *)1;
		struct cmp_error e;
		int ret;

		cmp_error_clear(&e);
		ret = cmp_where_parse(cases[i].expr, cfg, now, &w, &e);
		if (cases[i].want) {
			char *got = ret ? NULL : cmp_where_describe(w);

			if (!is_str(got, cases[i].want, "%s", cases[i].expr))
				diag("error: %s", e.msg);
			free(got);
		} else {
			char *want = cmp_xasprintf("--where '%s': %s",
						   cases[i].expr,
						   cases[i].msg);

			ok(ret == CMP_EX_USAGE && !w, "%s: 64, nothing made",
			   cases[i].expr);
			is_str(e.msg, want, "%s: the message", cases[i].expr);
			free(want);
		}
		cmp_where_free(w);
	}
}

/* What the parse keeps: the field, the key, the op, the values. */
static void
test_struct(const struct cmp_config *cfg)
{
	struct cmp_where *w;
	struct cmp_error e;

	cmp_error_clear(&e);
	ok(!cmp_where_parse("customer.phone in '138 0013 8000',x", cfg, now,
			    &w, &e) && w->f == cmp_field_find("customer.phone")
	   && !w->key && w->op == CMP_WHERE_EQ && w->nvalues == 2 &&
	   !strcmp(w->values[0], "138 0013 8000") && !w->numeric,
	   "a field: its table entry, the values as given");
	cmp_where_free(w);
	cmp_error_clear(&e);
	is_int(cmp_where_parse("severity > critical", cfg, now, &w, &e), 0,
	       "an enumeration's > of its last key parses");
	is_int(w->nvalues, 0, "... to no value: nothing is selected");
	cmp_where_free(w);
	ok(!cmp_where_parse("attrs.批次 >= 10", cfg, now, &w, &e) && !w->f &&
	   !strcmp(w->key, "批次") && w->op == CMP_WHERE_GE && w->numeric,
	   "attrs.KEY: no field, the key, numeric");
	cmp_where_free(w);
	ok(!cmp_where_parse("owner is not null", cfg, now, &w, &e) &&
	   w->op == CMP_WHERE_NOT_NULL && !w->nvalues && !w->values,
	   "is not null: no values");
	cmp_where_free(w);
	cmp_error_clear(&e);
	ok(cmp_where_parse("summary = \xff", cfg, now, &w, &e) ==
	   CMP_EX_USAGE && !strcmp(e.msg, "--where: invalid UTF-8 (byte 0xff)"),
	   "invalid UTF-8: 64");
	cmp_where_free(NULL);
}

int
main(void)
{
	struct cmp_config *cfg;
	struct cmp_error e;

	setenv("TZ", "UTC", 1);
	cmp_error_clear(&e);
	if (cmp_config_load(&cfg, NULL, &e)) {
		ok(0, "built-in configuration loads: %s", e.msg);
		return done_testing();
	}
	test_table(cfg);
	test_struct(cfg);
	cmp_config_free(cfg);
	return done_testing();
}
