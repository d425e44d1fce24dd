/*
 * Unit tests: consistency on the way in (cmp_intake_prepare), the
 * approval rule cmp-close and intake share (cmp_wf_approval), and that
 * whatever the lifecycle leaves a complaint as passes the checks when
 * it comes back as a record (cmp-list's NDJSON into cmp-add --update).
 */
#include <math.h>

#include "internal.h"
#include "tap.h"
#include "times.h"

static struct cmp_ctx ctx;

/* The record text decoded as cmp-add decodes it, then prepared:
   the status, and the field the error names in *field. */
static int
intake(const char *json, char *field, size_t size)
{
	struct cmp_complaint c;
	struct cmp_error e;
	cJSON *obj = NULL;
	int ret;

	cmp_error_clear(&e);
	cmp_complaint_init(&c);
	if (!(ret = cmp_json_parse(json, strlen(json), &obj, &e)) &&
	    !(ret = cmp_json_decode(ctx.cfg, obj, 0, ctx.now, &c, &e)))
		ret = cmp_intake_prepare(ctx.cfg, &c, "clerk", ctx.now, &e);
	snprintf(field, size, "%s", ret ? e.field : "");
	if (ret && ret != CMP_EX_DATAERR)
		diag("%s: %s", json, e.msg);
	cJSON_Delete(obj);
	cmp_complaint_release(&c);
	return ret;
}

static void
test_refusals(void)
{
	/* Each: what a record gives besides a summary and a customer, and
	   the field a refusal names ("" when it is taken). */
	static const struct {
		const char *given, *field;
	} rows[] = {
		{"\"received_at\":\"2026-11-18T00:00:00Z\","
		 "\"acknowledged_at\":\"2026-11-17T00:00:00Z\"",
		 "acknowledged_at"},
		{"\"received_at\":\"2026-11-18T00:00:00Z\","
		 "\"acknowledged_at\":\"2026-11-18T00:00:00Z\"", ""},
		{"\"status\":\"resolved\",\"received_at\":\"2026-11-18T00:00:00Z\","
		 "\"acknowledged_at\":\"2026-11-18T05:00:00Z\","
		 "\"resolution\":{\"type\":\"repair\","
		 "\"resolved_at\":\"2026-11-18T04:00:00Z\"}",
		 "resolution.resolved_at"},
		{"\"received_at\":\"2026-11-18T00:00:00Z\","
		 "\"replied_at\":\"2026-11-17T00:00:00Z\"", "replied_at"},
		{"\"received_at\":\"2099-01-01T00:00:00Z\"", "received_at"},
		{"\"received_at\":\"2026-11-21T01:15:00Z\"", ""},
		{"\"received_at\":\"2026-11-21T01:15:01Z\"", "received_at"},
		{"\"status\":\"new\",\"resolution\":{\"type\":\"refund\"}",
		 "resolution.type"},
		{"\"status\":\"assigned\",\"resolution\":{\"amount\":1}",
		 "resolution.amount"},
		{"\"status\":\"rejected\",\"resolution\":{\"note\":\"no\"}", ""},
		{"\"status\":\"resolved\"", "status"},
		{"\"status\":\"closed\"", "status"},
		{"\"status\":\"closed\",\"resolution\":{\"note\":\"spam\"}", ""},
		{"\"status\":\"resolved\",\"resolution\":{\"type\":\"refund\","
		 "\"amount\":1000.01}", "resolution.approved_by"},
		{"\"status\":\"resolved\",\"resolution\":{\"type\":\"refund\","
		 "\"amount\":1000}", ""},
		{"\"owner\":\"nobody\"", "owner"},
		{"\"owner\":\"wang.lead\"", ""},
		{"\"department\":\"nowhere\"", "department"},
	};
	char json[1024], field[128];

	ctx.now = at("2026-11-20T01:15:00Z");
	for (size_t i = 0; i < CMP_ARRAY_LEN(rows); i++) {
		int ret;

		snprintf(json, sizeof(json), "{\"summary\":\"s\",\"customer\":"
			 "{\"name\":\"n\"},%s}", rows[i].given);
		ret = intake(json, field, sizeof(field));
		is_int(ret, *rows[i].field ? CMP_EX_DATAERR : 0, "%s",
		       rows[i].given);
		is_str(field, rows[i].field, "  names %s",
		       *rows[i].field ? rows[i].field : "nothing");
	}
}

static void
test_approval(void)
{
	struct cmp_error e;

	cmp_error_clear(&e);
	is_int(cmp_wf_approval(ctx.cfg, NAN, NULL, 77, "f", "", &e), 0,
	       "no amount: no approver needed");
	is_int(cmp_wf_approval(ctx.cfg, ctx.cfg->approval_threshold, NULL, 77,
			       "f", "", &e), 0, "at the threshold: none needed");
	is_int(cmp_wf_approval(ctx.cfg, ctx.cfg->approval_threshold + 0.01,
			       "boss", 77, "f", "", &e), 0, "above, approved");
	is_int(cmp_wf_approval(ctx.cfg, 99999, NULL, 65,
			       "resolution.approved_by", "", &e), 65,
	       "above, no approver: the code asked for");
	is_str(e.field, "resolution.approved_by", "the field asked for");
	is_str(e.msg, "99999 is above the approval threshold 1000: an "
	       "approver is required", "the message");
}

/* c printed as cmp-list prints it, read back as cmp-add reads it. */
static int
round_trip(const struct cmp_complaint *c, const char *what)
{
	char *line = cmp_json_print(c, 0), field[128];
	int ret = intake(line, field, sizeof(field));

	if (ret)
		diag("%s: %s refused", what, field);
	free(line);
	return ret;
}

static void
test_lifecycle_reimports(void)
{
	struct cmp_complaint c;
	struct cmp_error e;

	cmp_error_clear(&e);
	cmp_complaint_init(&c);
	c.summary = cmp_xstrdup("s");
	c.customer.name = cmp_xstrdup("n");
	ctx.now = at("2026-11-20T01:15:00Z");
	cmp_intake_prepare(ctx.cfg, &c, "clerk", ctx.now, &e);
	ctx.now += 3600;
	is_int(round_trip(&c, "new"), 0, "a new complaint re-imports");
	cmp_wf_assign(&ctx, &c, "li.gang", "quality", 0, &e);
	is_int(round_trip(&c, "assigned"), 0, "assigned");
	ctx.now += 3600;
	cmp_wf_wait(&ctx, &c, "photos", &e);
	is_int(round_trip(&c, "waiting"), 0, "waiting");
	ctx.now += 3600;
	cmp_wf_resume(&ctx, &c, &e);
	cmp_wf_log(&ctx, &c, "called", "phone", &e);
	is_int(cmp_wf_resolve(&ctx, &c, "compensation", 5000, NULL,
			      "chen.manager", "paid", &e), 0, "resolved");
	is_int(round_trip(&c, "resolved"), 0, "resolved, approved");
	ctx.now += 3600;
	cmp_wf_close(&ctx, &c, CMP_CLOSE_FORCE, &e);
	is_int(round_trip(&c, "closed"), 0, "closed");
	ctx.now += 3600;
	cmp_wf_reopen(&ctx, &c, "again", &e);
	is_int(round_trip(&c, "reopened"), 0, "reopened");
	cmp_wf_reject(&ctx, &c, "not ours", &e);
	is_int(round_trip(&c, "rejected"), 0, "rejected");
	is_int(cmp_wf_close(&ctx, &c, 0, &e), 0, "closed after rejection");
	is_int(round_trip(&c, "closed, rejected"), 0,
	       "closed after rejection, by its reason");
	cmp_complaint_release(&c);
}

int
main(void)
{
	struct cmp_error e;

	setenv("TZ", "UTC", 1);
	cmp_error_clear(&e);
	memset(&ctx, 0, sizeof(ctx));
	ctx.program = "unit";
	ctx.actor = "tester";
	if (cmp_config_load(&ctx.cfg, NULL, &e)) {
		ok(0, "built-in configuration loads: %s", e.msg);
		return done_testing();
	}
	test_refusals();
	test_approval();
	test_lifecycle_reimports();
	cmp_config_free(ctx.cfg);
	return done_testing();
}
