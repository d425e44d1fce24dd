/*
 * field.c - the table of the record's fields, and finding a field in it.
 *
 * The table drives everything that walks a record field by field: the
 * JSON codec, the store's columns, the journal's diff, --set, CSV and
 * table output, redaction.  Add a field here and they all know it.
 */
#include <stddef.h>
#include <string.h>

#include "field.h"
#include "util.h"

/* A field of the first schema; SINCE(m, v) one whose column version v
   added (schema.c). */
#define OFF(m) offsetof(struct cmp_complaint, m), 0
#define SINCE(m, v) offsetof(struct cmp_complaint, m), v
#define PERS CMP_FF_PERSONAL
#define SET CMP_FF_SETTABLE
#define KEY CMP_FF_KEY

const struct cmp_field cmp_fields[] = {
	{"id", "id", CMP_F_ID, CMP_EN_NONE, CMP_FF_MANAGED, OFF(id)},
	{"ref", "ref", CMP_F_TEXT, CMP_EN_NONE, SET | KEY, OFF(ref)},
	{"status", "status", CMP_F_ENUM, CMP_EN_STATUS, 0, OFF(status)},
	{"received_at", "received_at", CMP_F_TIME, CMP_EN_NONE,
	 SET | CMP_FF_DEADLINE, OFF(received_at)},
	{"channel", "channel", CMP_F_ENUM, CMP_EN_CHANNEL, SET, OFF(channel)},
	{"recorded_by", "recorded_by", CMP_F_TEXT, CMP_EN_NONE, 0,
	 OFF(recorded_by)},
	{"accountable", "accountable", CMP_F_TEXT, CMP_EN_NONE, KEY,
	 OFF(accountable)},
	{"customer.name", "customer_name", CMP_F_TEXT, CMP_EN_NONE,
	 SET | PERS | KEY | CMP_FF_NAME, OFF(customer.name)},
	{"customer.contact", "customer_contact", CMP_F_TEXT, CMP_EN_NONE,
	 SET | PERS | KEY | CMP_FF_NAME, OFF(customer.contact)},
	{"customer.phone", "customer_phone", CMP_F_TEXT, CMP_EN_NONE,
	 SET | PERS | KEY | CMP_FF_PHONE, OFF(customer.phone)},
	{"customer.email", "customer_email", CMP_F_TEXT, CMP_EN_NONE,
	 SET | PERS | KEY | CMP_FF_EMAIL, OFF(customer.email)},
	{"customer.address", "customer_address", CMP_F_TEXT, CMP_EN_NONE,
	 SET | PERS | CMP_FF_ADDRESS, OFF(customer.address)},
	{"customer.tier", "customer_tier", CMP_F_ENUM, CMP_EN_TIER,
	 SET | CMP_FF_DEADLINE, OFF(customer.tier)},
	{"customer.id", "customer_id", CMP_F_TEXT, CMP_EN_NONE, SET | KEY,
	 OFF(customer.id)},
	{"product.name", "product_name", CMP_F_TEXT, CMP_EN_NONE, SET | KEY,
	 OFF(product.name)},
	{"product.model", "product_model", CMP_F_TEXT, CMP_EN_NONE, SET,
	 OFF(product.model)},
	{"product.serial", "product_serial", CMP_F_TEXT, CMP_EN_NONE, SET | KEY,
	 OFF(product.serial)},
	{"product.batch", "product_batch", CMP_F_TEXT, CMP_EN_NONE, SET | KEY,
	 OFF(product.batch)},
	{"product.quantity", "product_quantity", CMP_F_INT, CMP_EN_NONE, SET,
	 OFF(product.quantity)},
	{"product.produced_on", "product_produced_on", CMP_F_DATE,
	 CMP_EN_NONE, SET, OFF(product.produced_on)},
	{"product.delivered_on", "product_delivered_on", CMP_F_DATE,
	 CMP_EN_NONE, SET, OFF(product.delivered_on)},
	{"product.failed_on", "product_failed_on", CMP_F_DATE, CMP_EN_NONE,
	 SET, OFF(product.failed_on)},
	{"category", "category", CMP_F_ENUM, CMP_EN_CATEGORY, SET,
	 OFF(category)},
	{"severity", "severity", CMP_F_ENUM, CMP_EN_SEVERITY,
	 SET | CMP_FF_DEADLINE, OFF(severity)},
	{"summary", "summary", CMP_F_TEXT, CMP_EN_NONE, SET, OFF(summary)},
	{"description", "description", CMP_F_TEXT, CMP_EN_NONE, SET,
	 OFF(description)},
	{"requested_remedy", "requested_remedy", CMP_F_ENUM, CMP_EN_REMEDY,
	 SET, OFF(requested_remedy)},
	{"complainant_type", "complainant_type", CMP_F_ENUM,
	 CMP_EN_COMPLAINANT, SET, OFF(complainant_type)},
	{"out_of_warranty", "out_of_warranty", CMP_F_BOOL, CMP_EN_NONE, 0,
	 OFF(out_of_warranty)},
	{"department", "department", CMP_F_ENUM, CMP_EN_DEPARTMENT, 0,
	 OFF(department)},
	{"owner", "owner", CMP_F_TEXT, CMP_EN_NONE, KEY, OFF(owner)},
	{"escalation", "escalation", CMP_F_COUNT, CMP_EN_NONE, 0,
	 OFF(escalation)},
	{"root_cause", "root_cause", CMP_F_TEXT, CMP_EN_NONE, SET | KEY,
	 OFF(root_cause)},
	{"due.ack", "due_ack", CMP_F_TIME, CMP_EN_NONE, 0,
	 OFF(due[CMP_DL_ACK])},
	{"due.reply", "due_reply", CMP_F_TIME, CMP_EN_NONE, 0,
	 OFF(due[CMP_DL_REPLY])},
	{"due.resolve", "due_resolve", CMP_F_TIME, CMP_EN_NONE, 0,
	 OFF(due[CMP_DL_RESOLVE])},
	{"acknowledged_at", "acknowledged_at", CMP_F_TIME, CMP_EN_NONE, 0,
	 OFF(acknowledged_at)},
	{"replied_at", "replied_at", CMP_F_TIME, CMP_EN_NONE, 0,
	 OFF(replied_at)},
	{"resolution.type", "resolution_type", CMP_F_ENUM, CMP_EN_RESOLUTION,
	 0, OFF(resolution.type)},
	{"resolution.amount", "resolution_amount", CMP_F_MONEY, CMP_EN_NONE,
	 0, OFF(resolution.amount)},
	{"resolution.currency", "resolution_currency", CMP_F_TEXT,
	 CMP_EN_NONE, 0, OFF(resolution.currency)},
	{"resolution.note", "resolution_note", CMP_F_TEXT, CMP_EN_NONE, 0,
	 OFF(resolution.note)},
	{"resolution.approved_by", "resolution_approved_by", CMP_F_TEXT,
	 CMP_EN_NONE, 0, OFF(resolution.approved_by)},
	{"resolution.resolved_at", "resolution_resolved_at", CMP_F_TIME,
	 CMP_EN_NONE, 0, OFF(resolution.resolved_at)},
	{"closed_at", "closed_at", CMP_F_TIME, CMP_EN_NONE, 0,
	 SINCE(closed_at, 9)},
	{"rejected_at", "rejected_at", CMP_F_TIME, CMP_EN_NONE, 0,
	 SINCE(rejected_at, 9)},
	{"rejection_reason", "rejection_reason", CMP_F_TEXT, CMP_EN_NONE, 0,
	 SINCE(rejection_reason, 9)},
	{"satisfaction", "satisfaction", CMP_F_SCORE, CMP_EN_NONE, 0,
	 OFF(satisfaction)},
	{"followups", "followups", CMP_F_FOLLOWUPS, CMP_EN_NONE, 0,
	 OFF(followups)},
	{"tags", "tags", CMP_F_TAGS, CMP_EN_NONE, KEY, OFF(tags)},
	{"attrs", "attrs", CMP_F_JSON, CMP_EN_NONE, 0, OFF(attrs)},
	{"possible_duplicate_of", "possible_duplicate_of", CMP_F_ID,
	 CMP_EN_NONE, 0, OFF(possible_duplicate_of)},
	{"duplicate_of", "duplicate_of", CMP_F_ID, CMP_EN_NONE, 0,
	 SINCE(duplicate_of, 8)},
	{"reopened", "reopened", CMP_F_COUNT, CMP_EN_NONE, 0, OFF(reopened)},
	{"waiting_since", "waiting_since", CMP_F_TIME, CMP_EN_NONE, 0,
	 OFF(waiting_since)},
	{"wait_reason", "wait_reason", CMP_F_TEXT, CMP_EN_NONE, 0,
	 OFF(wait_reason)},
	{"created_at", "created_at", CMP_F_TIME, CMP_EN_NONE, CMP_FF_MANAGED,
	 OFF(created_at)},
	{"updated_at", "updated_at", CMP_F_TIME, CMP_EN_NONE,
	 CMP_FF_MANAGED | CMP_FF_AS_OF, OFF(updated_at)},
};
const size_t cmp_nfields = CMP_ARRAY_LEN(cmp_fields);

#undef OFF
#undef SINCE
#undef PERS
#undef SET

const struct cmp_field *
cmp_field_find(const char *path)
{
	for (size_t i = 0; i < cmp_nfields; i++)
		if (!strcmp(cmp_fields[i].path, path))
			return &cmp_fields[i];
	return NULL;
}

size_t
cmp_field_index(const struct cmp_field *f)
{
	return (size_t)(f - cmp_fields);
}

int
cmp_field_present(const struct cmp_complaint *c, const struct cmp_field *f)
{
	size_t i = cmp_field_index(f);

	return (c->present[i / 64] >> (i % 64)) & 1;
}

void
cmp_field_mark(struct cmp_complaint *c, const struct cmp_field *f)
{
	size_t i = cmp_field_index(f);

	c->present[i / 64] |= (uint64_t)1 << (i % 64);
}

void
cmp_field_unmark(struct cmp_complaint *c, const struct cmp_field *f)
{
	size_t i = cmp_field_index(f);

	c->present[i / 64] &= ~((uint64_t)1 << (i % 64));
}

const struct cmp_enum *
cmp_field_enum(const struct cmp_config *cfg, const struct cmp_field *f)
{
	switch (f->en) {
	case CMP_EN_STATUS: return &cfg->statuses;
	case CMP_EN_CHANNEL: return &cfg->channels;
	case CMP_EN_CATEGORY: return &cfg->categories;
	case CMP_EN_SEVERITY: return &cfg->severities;
	case CMP_EN_TIER: return &cfg->tiers;
	case CMP_EN_REMEDY: return &cfg->remedies;
	case CMP_EN_RESOLUTION: return &cfg->resolution_types;
	case CMP_EN_COMPLAINANT: return &cfg->complainant_types;
	case CMP_EN_DEPARTMENT:
	case CMP_EN_NONE:
		break;
	}
	return NULL;
}
