/*
 * Unit tests: the lifecycle state machine and what each operation does,
 * paused clocks in the business calendar, escalation, closing rules.
 */
#include <math.h>

#include "internal.h"
#include "tap.h"
#include "times.h"

static struct cmp_ctx ctx;

/* A new complaint received Friday 2026-11-20 09:15 in Shanghai. */
static void
fresh(struct cmp_complaint *c)
{
	struct cmp_error e;

	cmp_complaint_init(c);
	c->id = 1;
	c->summary = cmp_xstrdup("s");
	c->customer.name = cmp_xstrdup("n");
	c->received_at = at("2026-11-20T01:15:00Z");
	cmp_error_clear(&e);
	cmp_intake_prepare(ctx.cfg, c, "clerk", c->received_at, &e);
}

/*
 * complaint(7) states the lifecycle as a table (".It from Ta event Ta
 * to") beside its diagram: the table holds exactly the state table's
 * transitions.
 */
static void
test_man_table(void)
{
	static const char *const events[] = {"assign", "wait", "resume",
					     "resolve", "close", "reject",
					     "reopen", "duplicate"};
	static const char *const st[] = {"new", "assigned", "waiting",
					 "resolved", "closed", "rejected"};
	const char *top = getenv("CMP_TOP");
	char path[4096], line[256], from[32], ev[32], to[32];
	int rows = 0, allowed = 0, right = 1, in_table = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/man/complaint.7", top ? top : ".");
	if (!(f = fopen(path, "r"))) {
		ok(0, "complaint(7) opens: %s", path);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "as a table (from, event, to)"))
			in_table = 1;
		else if (in_table && !strncmp(line, ".El", 3))
			break;
		if (!in_table || strncmp(line, ".It ", 4) ||
		    strstr(line, ".It Em"))
			continue;
		if (sscanf(line, ".It %31s Ta %31s Ta %31s", from, ev, to) != 3) {
			diag("not a row: %s", line);
			right = 0;
			continue;
		}
		rows++;
		for (size_t k = 0; k < CMP_ARRAY_LEN(events); k++) {
			const char *got;

			if (strcmp(events[k], ev))
				continue;
			got = cmp_transition(from, (enum cmp_event)k);
			if (!got || strcmp(got, to)) {
				diag("complaint(7): %s --%s--> %s, the table: %s",
				     from, ev, to, got ? got : "refused");
				right = 0;
			}
			break;
		}
	}
	fclose(f);
	for (size_t s = 0; s < CMP_ARRAY_LEN(st); s++)
		for (size_t k = 0; k < CMP_ARRAY_LEN(events); k++)
			allowed += cmp_transition(st[s], (enum cmp_event)k) != NULL;
	ok(right && rows == allowed,
	   "complaint(7)'s table of transitions is the state table "
	   "(%d rows, %d transitions)", rows, allowed);
}

static void
test_transitions(void)
{
	static const char *const st[] = {"new", "assigned", "waiting",
					 "resolved", "closed", "rejected"};
	/* allowed[status] = the events it accepts, as bits. */
	static const unsigned allowed[] = {
		1 << CMP_EV_ASSIGN | 1 << CMP_EV_REJECT | 1 << CMP_EV_DUPLICATE,
		1 << CMP_EV_WAIT | 1 << CMP_EV_RESOLVE | 1 << CMP_EV_REJECT |
			1 << CMP_EV_DUPLICATE,
		1 << CMP_EV_RESUME | 1 << CMP_EV_REJECT | 1 << CMP_EV_DUPLICATE,
		1 << CMP_EV_CLOSE | 1 << CMP_EV_REOPEN,
		1 << CMP_EV_REOPEN,
		1 << CMP_EV_CLOSE | 1 << CMP_EV_REOPEN | 1 << CMP_EV_DUPLICATE,
	};
	int right = 1;

	for (int s = 0; s < 6; s++)
		for (int ev = 0; ev <= CMP_EV_DUPLICATE; ev++) {
			int yes = cmp_transition(st[s], ev) != NULL;

			if (yes != !!(allowed[s] & (1u << ev))) {
				diag("%s + event %d: %d", st[s], ev, yes);
				right = 0;
			}
		}
	ok(right, "exactly the design's transitions are allowed");
	is_str(cmp_transition("waiting", CMP_EV_RESUME), "assigned",
	       "resume goes back to assigned");
	is_str(cmp_transition("closed", CMP_EV_REOPEN), "assigned",
	       "reopen goes back to assigned");
}

static void
test_assign(void)
{
	struct cmp_complaint c;
	struct cmp_error e;

	fresh(&c);
	cmp_error_clear(&e);
	ctx.now = at("2026-11-20T02:00:00Z");
	is_int(cmp_wf_assign(&ctx, &c, NULL, "quality", 0, &e), 0,
	       "assign to a department");
	is_str(c.status, "assigned", "new -> assigned");
	is_str(c.owner, "li.gang", "the ladder's first holder");
	is_str(fmt(c.acknowledged_at), "2026-11-20T02:00:00Z", "acknowledged");
	is_str(c.accountable, "clerk", "the recorder stays accountable");
	is_int(cmp_wf_escalate(&ctx, &c, &e), 0, "escalate");
	is_str(c.owner, "wang.lead", "next level");
	is_int(c.escalation, 1, "level 1");
	cmp_wf_escalate(&ctx, &c, &e);
	cmp_wf_escalate(&ctx, &c, &e);
	is_str(c.owner, "ceo", "the top");
	is_int(cmp_wf_escalate(&ctx, &c, &e), 65, "nothing above the top");
	is_str(c.owner, "ceo", "unchanged");
	is_int(cmp_wf_assign(&ctx, &c, "zhao.min", NULL, 0, &e), 0,
	       "reassign to a person");
	is_str(c.status, "assigned", "still assigned");
	is_int(cmp_wf_assign(&ctx, &c, NULL, "nowhere", 0, &e), 65,
	       "an unknown department");
	cmp_complaint_release(&c);
}

static void
test_wait_resume(void)
{
	struct cmp_complaint c;
	struct cmp_error e;

	fresh(&c);
	cmp_error_clear(&e);
	is_str(fmt(c.due[CMP_DL_ACK]), "2026-11-20T05:15:00Z",
	       "ack due Friday 13:15 local (4 working hours)");
	ctx.now = at("2026-11-20T02:00:00Z");
	is_int(cmp_wf_wait(&ctx, &c, "photos", &e), 65, "new cannot wait");
	cmp_wf_assign(&ctx, &c, "li.gang", NULL, 0, &e);
	ctx.now = at("2026-11-20T02:15:00Z");	/* Friday 10:15 */
	is_int(cmp_wf_wait(&ctx, &c, "photos of the leak", &e), 0, "wait");
	is_str(c.status, "waiting", "waiting");
	ctx.now = at("2026-11-23T02:15:00Z");	/* Monday 10:15 */
	is_int(cmp_wf_resume(&ctx, &c, &e), 0, "resume");
	is_str(c.status, "assigned", "assigned again");
	/* Paused: Friday 10:15-18:00 and Monday 09:00-10:15: 9 working hours. */
	is_str(fmt(c.due[CMP_DL_REPLY]), "2026-11-24T01:15:00Z",
	       "reply (1 working day) shifts by 9 working hours");
	is_str(fmt(c.due[CMP_DL_ACK]), "2026-11-20T05:15:00Z",
	       "a met deadline does not move");
	ok(c.waiting_since == 0 && c.wait_reason == NULL, "no longer waiting");
	cmp_complaint_release(&c);
}

static void
test_resolve_close(void)
{
	struct cmp_complaint c;
	struct cmp_error e;

	fresh(&c);
	cmp_error_clear(&e);
	ctx.now = at("2026-11-21T02:00:00Z");
	is_int(cmp_wf_resolve(&ctx, &c, "refund", 10, NULL, NULL, NULL, &e), 65,
	       "new cannot be resolved");
	cmp_wf_assign(&ctx, &c, "li.gang", NULL, 0, &e);
	is_int(cmp_wf_resolve(&ctx, &c, "refund", 5000, NULL, NULL, NULL, &e),
	       77, "above the threshold without approver: 77");
	is_str(c.status, "assigned", "and nothing changed");
	is_int(cmp_wf_resolve(&ctx, &c, "bribe", NAN, NULL, NULL, NULL, &e), 65,
	       "unknown resolution type");
	is_int(cmp_wf_resolve(&ctx, &c, "refund", 5000, NULL, "chen.manager",
			      "paid", &e), 0, "with an approver");
	is_str(c.status, "resolved", "resolved");
	is_str(c.resolution.currency, "CNY", "default currency");
	is_int(c.nfollowups, 1, "a call-back is scheduled");
	is_str(fmt(c.followups[0].due_at), "2026-11-24T02:00:00Z", "in 3 days");
	is_int(cmp_wf_close(&ctx, &c, 0, &e), 65,
	       "closing needs a satisfaction at the bar");
	is_int(cmp_wf_done(&ctx, &c, 2, NULL, &e), 0, "a low score");
	is_str(c.status, "assigned", "reopens");
	is_int(c.reopened, 1, "reopen count");
	ok(c.resolution.type == NULL, "resolution cleared");
	is_str(fmt(c.due[CMP_DL_RESOLVE]), "2026-11-27T10:00:00Z",
	       "the resolve clock starts again (5 working days)");
	cmp_wf_resolve(&ctx, &c, "repair", NAN, NULL, NULL, NULL, &e);
	ctx.now += 3600;
	cmp_wf_done(&ctx, &c, 4, NULL, &e);
	is_int(cmp_wf_close(&ctx, &c, 0, &e), 0, "score 4: closes");
	is_str(c.status, "closed", "closed");
	is_int(cmp_wf_reopen(&ctx, &c, "again", &e), 0, "reopen a closed one");
	is_int(c.reopened, 2, "twice reopened");
	cmp_complaint_release(&c);

	fresh(&c);
	cmp_wf_assign(&ctx, &c, "li.gang", NULL, 0, &e);
	cmp_wf_resolve(&ctx, &c, "apology", NAN, NULL, NULL, NULL, &e);
	for (int i = 0; i < 3; i++) {
		cmp_wf_schedule(&ctx, &c, ctx.now, NULL, &e);
		cmp_wf_done(&ctx, &c, 0, "no answer", &e);
	}
	is_int(cmp_wf_close(&ctx, &c, 0, &e), 0,
	       "after followup.max follow-ups it may close anyway");
	cmp_complaint_release(&c);

	fresh(&c);
	is_int(cmp_wf_reject(&ctx, &c, "out of warranty", &e), 0, "reject new");
	is_str(c.resolution.note, "out of warranty", "the reason is kept");
	is_int(cmp_wf_close(&ctx, &c, 0, &e), 0, "close a rejected one");
	cmp_complaint_release(&c);

	/* Judged after investigating: assigned, then waiting. */
	fresh(&c);
	cmp_wf_assign(&ctx, &c, "li.gang", NULL, 0, &e);
	is_int(cmp_wf_reject(&ctx, &c, "not our product", &e), 0,
	       "reject an assigned one");
	is_str(c.status, "rejected", "rejected");
	ok(c.due[CMP_DL_REPLY] != 0 && !c.replied_at,
	   "the reply deadline stays, not met yet");
	cmp_complaint_release(&c);

	fresh(&c);
	{
		cmp_time reply;

		ctx.now = at("2026-11-20T02:15:00Z");	/* Friday 10:15 */
		cmp_wf_assign(&ctx, &c, "li.gang", NULL, 0, &e);
		cmp_wf_wait(&ctx, &c, "photos", &e);
		reply = c.due[CMP_DL_REPLY];
		ctx.now = at("2026-11-23T02:15:00Z");	/* Monday 10:15 */
		is_int(cmp_wf_reject(&ctx, &c, "not our product", &e), 0,
		       "reject a waiting one");
		ok(!c.waiting_since && !c.wait_reason,
		   "the wait ends with the rejection");
		ok(c.due[CMP_DL_REPLY] > reply,
		   "the reply deadline moved by the pause");
		is_int(cmp_wf_log(&ctx, &c, "told the customer", NULL, &e), 0,
		       "a contact logged on a rejected complaint");
		ok(c.replied_at == ctx.now, "meets the reply deadline");
	}
	cmp_complaint_release(&c);
}

static void
test_followups(void)
{
	struct cmp_complaint c;
	struct cmp_error e;

	fresh(&c);
	cmp_error_clear(&e);
	ctx.now = at("2026-11-20T03:00:00Z");
	is_int(cmp_wf_done(&ctx, &c, 5, NULL, &e), 65, "nothing to complete");
	is_int(cmp_wf_log(&ctx, &c, "called", "telegraph", &e), 65,
	       "an unknown channel");
	is_int(cmp_wf_log(&ctx, &c, "called", "phone", &e), 0, "log a contact");
	is_str(fmt(c.replied_at), "2026-11-20T03:00:00Z", "meets reply");
	ok(c.nfollowups == 1 && c.followups[0].done_at == ctx.now,
	   "kept as a follow-up done now");
	cmp_complaint_release(&c);
}

static void
test_auto_escalate(void)
{
	struct cmp_complaint c;
	struct cmp_error e;
	struct cmp_config *cfg = (struct cmp_config *)ctx.cfg;
	size_t n;

	fresh(&c);
	cmp_error_clear(&e);
	free(c.department);
	c.department = cmp_xstrdup("service");
	ctx.now = at("2026-11-20T09:00:00Z");	/* ack 3h45m late */
	is_int(cmp_wf_auto_escalate(&ctx, &c, 0, &e), 0, "not yet");
	is_int(c.escalation, 0, "within the policy's 4h");
	ctx.now = at("2026-11-20T09:15:00Z");	/* 4h late to the second */
	is_int(cmp_wf_auto_escalate(&ctx, &c, 0, &e), 0, "escalates");
	is_int(c.escalation, 1, "one level");
	is_str(c.owner, "wang.lead", "the department's next holder");
	is_str(c.accountable, "clerk", "the recorder stays accountable");
	is_int(cmp_wf_auto_escalate(&ctx, &c, ctx.now, &e), 0, "again");
	is_int(c.escalation, 1, "nothing more at the same moment");
	ctx.now = at("2026-11-20T13:00:00Z");
	cmp_wf_auto_escalate(&ctx, &c, at("2026-11-20T09:15:00Z"), &e);
	is_int(c.escalation, 1, "3h45m after the last escalation: not yet");
	ctx.now = at("2026-11-20T13:15:00Z");
	cmp_wf_auto_escalate(&ctx, &c, at("2026-11-20T09:15:00Z"), &e);
	is_int(c.escalation, 2, "4h after the last escalation: one more");
	ctx.now = at("2026-11-24T06:00:00Z");	/* reply missed too */
	cmp_wf_auto_escalate(&ctx, &c, at("2026-11-20T13:15:00Z"), &e);
	is_str(c.owner, "ceo", "days later: as far as the top");
	is_int(cmp_wf_auto_escalate(&ctx, &c, at("2026-11-20T13:15:00Z"), &e),
	       0, "the top is not an error");
	is_int(c.escalation, 3, "and stays there");
	cmp_complaint_release(&c);

	/* No department: escalation.ladder; a missed run catches up by the
	   time passed, not by the deadlines missed (one here). */
	fresh(&c);
	ctx.now = at("2026-11-20T13:15:00Z");	/* ack 8h late */
	is_int(cmp_wf_auto_escalate(&ctx, &c, 0, &e), 0,
	       "no department escalates");
	is_int(c.escalation, 2, "two after_overdue passed: two levels");
	is_str(c.owner, "chen.manager", "escalation.ladder's holder");
	is_str(c.status, "assigned", "new -> assigned");
	is_str(c.accountable, "clerk", "accountable unchanged");
	ok(c.department == NULL, "still no department");
	ok(!c.acknowledged_at, "the policy acknowledges nothing: ack stays missed");
	cmp_complaint_release(&c);

	/* No ladder at all: refused, naming why. */
	fresh(&c);
	n = cfg->nescalation_ladder;
	cfg->nescalation_ladder = 0;
	is_int(cmp_wf_auto_escalate(&ctx, &c, 0, &e), 65, "no ladder: 65");
	ok(strstr(e.msg, "escalation.ladder is empty") != NULL,
	   "says so: %s", e.msg);
	cfg->nescalation_ladder = n;
	cmp_complaint_release(&c);

	/* Rejected: the reply deadline alone runs, until answered. */
	fresh(&c);
	cmp_error_clear(&e);
	ctx.now = at("2026-11-20T02:00:00Z");
	is_int(cmp_wf_reject(&ctx, &c, "not ours", &e), 0, "reject");
	ctx.now = at("2026-11-23T01:00:00Z");	/* ack 68h late */
	cmp_wf_auto_escalate(&ctx, &c, 0, &e);
	is_int(c.escalation, 0, "a rejected complaint's ack stopped");
	ctx.now = at("2026-11-23T05:15:00Z");	/* reply 4h late */
	is_int(cmp_wf_auto_escalate(&ctx, &c, 0, &e), 0, "rejected, unanswered");
	is_int(c.escalation, 1, "escalated by its reply deadline");
	is_str(c.status, "rejected", "still rejected");
	cmp_wf_log(&ctx, &c, "told them", "phone", &e);
	ctx.now = at("2026-11-24T05:15:00Z");
	cmp_wf_auto_escalate(&ctx, &c, at("2026-11-23T05:15:00Z"), &e);
	is_int(c.escalation, 1, "answered: no more");
	cmp_complaint_release(&c);
}

static void
test_explain(void)
{
	struct cmp_complaint c;
	struct cmp_error e;
	struct cmp_deadline_state d[CMP_DL_COUNT];
	struct cmp_pause p = {at("2026-11-20T02:15:00Z"),
			      at("2026-11-23T02:15:00Z"), 0};

	fresh(&c);
	cmp_error_clear(&e);
	ctx.now = at("2026-11-20T02:00:00Z");
	cmp_wf_assign(&ctx, &c, "li.gang", NULL, 0, &e);
	ctx.now = p.from;
	cmp_wf_wait(&ctx, &c, "docs", &e);
	ctx.now = p.to;
	cmp_wf_resume(&ctx, &c, &e);
	ctx.now = at("2026-11-23T03:15:00Z");	/* Monday 11:15 */
	cmp_deadlines_explain(&ctx, &c, &p, 1, 0, d);
	is_int(d[CMP_DL_ACK].left, 4 * 3600 - 45 * 60, "ack met 3h15m early");
	is_int(d[CMP_DL_REPLY].paused, 9 * 3600, "reply paused 9 working hours");
	is_int(d[CMP_DL_REPLY].left, 7 * 3600, "7 working hours left");
	is_str(fmt(d[CMP_DL_REPLY].started), "2026-11-20T01:15:00Z",
	       "started when received");
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
	test_transitions();
	test_man_table();
	test_assign();
	test_wait_resume();
	test_resolve_close();
	test_followups();
	test_auto_escalate();
	test_explain();
	cmp_config_free(ctx.cfg);
	return done_testing();
}
