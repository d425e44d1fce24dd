/*
 * intake.c - what cmp-add derives for a new complaint: defaults, routing,
 * deadlines, the warranty flag.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "complaint.h"
#include "field.h"
#include "intake.h"
#include "record.h"
#include "record_json.h"
#include "rules.h"
#include "sla.h"
#include "store.h"

static void
default_str(char **slot, const char *v)
{
	if (!*slot && v)
		*slot = cmp_xstrdup(v);
}

int
cmp_intake_prepare(const struct cmp_config *cfg, struct cmp_complaint *c,
		   const char *actor, cmp_time now, struct cmp_error *e)
{
	cmp_time given[CMP_DL_COUNT];
	int ret;

	default_str(&c->status, "new");
	if (!c->received_at)
		c->received_at = now;
	default_str(&c->channel, cfg->default_channel);
	default_str(&c->customer.tier, cfg->default_tier);
	default_str(&c->recorded_by, actor);
	default_str(&c->accountable, c->recorded_by);
	if (!isnan(c->resolution.amount))
		default_str(&c->resolution.currency, cfg->currency);

	/* Validate what was given before deriving from it. */
	if ((ret = cmp_complaint_validate(cfg, c, e)))
		return ret;
	cmp_rules_apply(cfg, c, 0);
	default_str(&c->severity, cfg->default_severity);

	/* Deadlines given on input (an import) are kept as they are. */
	memcpy(given, c->due, sizeof(given));
	cmp_deadlines_compute(cfg, c);
	for (int k = 0; k < CMP_DL_COUNT; k++) {
		char path[16];

		snprintf(path, sizeof(path), "due.%s", cmp_deadline_names[k]);
		if (cmp_field_present(c, cmp_field_find(path)))
			c->due[k] = given[k];
	}
	if (!cmp_field_present(c, cmp_field_find("out_of_warranty")))
		cmp_warranty_check(cfg, c);
	return cmp_complaint_validate(cfg, c, e);
}

/* Apply the fields given in `in` over `c` (a stored complaint). */
static void
apply_given(const struct cmp_ctx *ctx, struct cmp_complaint *c,
	    const struct cmp_complaint *in)
{
	int deadlines = 0;
	struct cmp_complaint before;

	cmp_complaint_init(&before);
	cmp_complaint_copy(&before, c);
	for (size_t i = 0; i < cmp_nfields; i++) {
		const struct cmp_field *f = &cmp_fields[i];

		if (!cmp_field_present(in, f) || (f->flags & CMP_FF_MANAGED))
			continue;
		if ((f->flags & CMP_FF_DEADLINE) && !cmp_field_equal(f, c, in))
			deadlines = 1;
		cmp_field_copy(f, c, in);
	}
	if (deadlines)
		cmp_wf_recompute(ctx, c, &before);
	cmp_complaint_release(&before);
}

/*
 * A data error means nothing was written, so a batch needs no savepoint
 * per record (each one would make the full-text index flush a segment).
 * The store refusing a write after validation passed is not the input's
 * fault: it ends the batch.
 */
static int
stored_write(int ret, struct cmp_error *e)
{
	if (ret == CMP_EX_DATAERR)
		ret = e->code = CMP_EX_SOFTWARE;
	return ret;
}

int
cmp_add(struct cmp_ctx *ctx, struct cmp_complaint *c, unsigned flags,
	const char *note, enum cmp_add_result *result, struct cmp_error *e)
{
	const struct cmp_config *cfg = ctx->cfg;
	struct cmp_change ch = cmp_ctx_change(ctx, note);
	struct cmp_complaint stored;
	char *fp = cmp_json_fingerprint(c), *stored_fp = NULL;
	int ret;

	*result = CMP_ADDED;
	cmp_complaint_init(&stored);
	if (c->ref) {
		ret = cmp_store_load_ref(ctx->store, c->ref, &stored,
					 &stored_fp, e);
		if (ret && ret != CMP_EX_NOINPUT)
			goto out;
		if (ret)
			cmp_error_clear(e);
		if (!ret && stored_fp &&
		    cmp_json_fingerprint_match(fp, stored_fp)) {
			*result = CMP_UNCHANGED;
			cmp_complaint_copy(c, &stored);
			goto out;
		}
		if (!ret && !(flags & CMP_ADD_UPDATE)) {
			ret = cmp_error_set(e, CMP_EX_DATAERR, "ref",
					    "'%s' is already complaint %lld "
					    "with different content (use "
					    "--update to change it)", c->ref,
					    (long long)stored.id);
			goto out;
		}
		if (!ret) {
			struct cmp_complaint updated;

			*result = CMP_UPDATED;
			cmp_complaint_init(&updated);
			cmp_complaint_copy(&updated, &stored);
			apply_given(ctx, &updated, c);
			if (!(ret = cmp_complaint_validate(cfg, &updated, e)))
				ret = stored_write(cmp_store_save(ctx->store,
						   &stored, &updated, fp, &ch,
						   e), e);
			cmp_complaint_copy(c, &updated);
			cmp_complaint_release(&updated);
			goto out;
		}
	}
	if ((ret = cmp_intake_prepare(cfg, c, ctx->actor, ctx->now, e)))
		goto out;
	if (cfg->duplicates_window.unit && !c->possible_duplicate_of &&
	    (ret = cmp_store_find_duplicate(ctx->store, c,
			cmp_duration_seconds(&cfg->duplicates_window),
			&c->possible_duplicate_of, e)))
		goto out;
	ret = stored_write(cmp_store_add(ctx->store, c, fp, &ch, e), e);
out:
	free(fp);
	free(stored_fp);
	cmp_complaint_release(&stored);
	return ret;
}
