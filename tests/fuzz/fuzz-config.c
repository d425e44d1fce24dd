/*
 * Fuzz target: the configuration loader.  The input is a configuration
 * file read over the built-in defaults (cmp_config_load_text); what loads
 * is put to work a little (the SLA terms and deadlines of a complaint for
 * some severities and tiers, the routing rules) and freed.
 */
#include <stdlib.h>
#include <string.h>

#include "complaint.h"
#include "internal.h"

/* 2025-11-20T01:15:00Z */
#define NOW ((cmp_time)1763601300)

static void
exercise(const struct cmp_config *cfg)
{
	size_t nsev = cfg->severities.n < 4 ? cfg->severities.n : 4;
	size_t ntier = cfg->tiers.n < 3 ? cfg->tiers.n : 3;

	for (size_t s = 0; s <= nsev; s++)
		for (size_t t = 0; t <= ntier; t++) {
			struct cmp_complaint c;

			cmp_complaint_init(&c);
			c.received_at = NOW;
			c.severity = s < nsev ?
				cmp_xstrdup(cfg->severities.keys[s]) : NULL;
			c.customer.tier = t < ntier ?
				cmp_xstrdup(cfg->tiers.keys[t]) : NULL;
			c.summary = cmp_xstrdup("Counterfeit cigarettes, "
						"late delivery");
			cmp_rules_apply(cfg, &c, 0);
			cmp_deadlines_compute(cfg, &c);
			cmp_complaint_release(&c);
		}
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct cmp_config *cfg = NULL;
	struct cmp_error e;
	char buf[1024];

	cmp_error_clear(&e);
	if (cmp_config_load_text(&cfg, (const char *)data, size, "fuzz.yaml",
				 &e) == 0) {
		if (!cfg)
			abort();
		exercise(cfg);
		cmp_config_free(cfg);
	} else {
		/* A refusal always says something, and leaves nothing. */
		if (cfg || e.code != CMP_EX_CONFIG)
			abort();
		cmp_error_format(&e, buf, sizeof(buf));
	}
	return 0;
}
