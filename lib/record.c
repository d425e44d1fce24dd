/*
 * record.c - the complaint type and the table of its fields.
 *
 * The table drives everything that walks a record field by field: the
 * JSON codec, the store's columns, the journal's diff, --set, CSV and
 * table output, redaction.  Add a field here and they all know it.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define OFF(m) offsetof(struct cmp_complaint, m)
#define PERS CMP_FF_PERSONAL
#define SET CMP_FF_SETTABLE

const struct cmp_field cmp_fields[] = {
	{"id", "id", CMP_F_ID, CMP_EN_NONE, CMP_FF_MANAGED, OFF(id)},
	{"ref", "ref", CMP_F_TEXT, CMP_EN_NONE, SET, OFF(ref)},
	{"status", "status", CMP_F_ENUM, CMP_EN_STATUS, 0, OFF(status)},
	{"received_at", "received_at", CMP_F_TIME, CMP_EN_NONE,
	 SET | CMP_FF_DEADLINE, OFF(received_at)},
	{"channel", "channel", CMP_F_ENUM, CMP_EN_CHANNEL, SET, OFF(channel)},
	{"recorded_by", "recorded_by", CMP_F_TEXT, CMP_EN_NONE, 0,
	 OFF(recorded_by)},
	{"accountable", "accountable", CMP_F_TEXT, CMP_EN_NONE, 0,
	 OFF(accountable)},
	{"customer.name", "customer_name", CMP_F_TEXT, CMP_EN_NONE,
	 SET | PERS | CMP_FF_NAME, OFF(customer.name)},
	{"customer.contact", "customer_contact", CMP_F_TEXT, CMP_EN_NONE,
	 SET | PERS | CMP_FF_NAME, OFF(customer.contact)},
	{"customer.phone", "customer_phone", CMP_F_TEXT, CMP_EN_NONE,
	 SET | PERS | CMP_FF_PHONE, OFF(customer.phone)},
	{"customer.email", "customer_email", CMP_F_TEXT, CMP_EN_NONE,
	 SET | PERS | CMP_FF_EMAIL, OFF(customer.email)},
	{"customer.address", "customer_address", CMP_F_TEXT, CMP_EN_NONE,
	 SET | PERS | CMP_FF_ADDRESS, OFF(customer.address)},
	{"customer.tier", "customer_tier", CMP_F_ENUM, CMP_EN_TIER,
	 SET | CMP_FF_DEADLINE, OFF(customer.tier)},
	{"customer.id", "customer_id", CMP_F_TEXT, CMP_EN_NONE, SET,
	 OFF(customer.id)},
	{"product.name", "product_name", CMP_F_TEXT, CMP_EN_NONE, SET,
	 OFF(product.name)},
	{"product.model", "product_model", CMP_F_TEXT, CMP_EN_NONE, SET,
	 OFF(product.model)},
	{"product.serial", "product_serial", CMP_F_TEXT, CMP_EN_NONE, SET,
	 OFF(product.serial)},
	{"product.batch", "product_batch", CMP_F_TEXT, CMP_EN_NONE, SET,
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
	{"owner", "owner", CMP_F_TEXT, CMP_EN_NONE, 0, OFF(owner)},
	{"escalation", "escalation", CMP_F_COUNT, CMP_EN_NONE, 0,
	 OFF(escalation)},
	{"root_cause", "root_cause", CMP_F_TEXT, CMP_EN_NONE, SET,
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
	{"satisfaction", "satisfaction", CMP_F_SCORE, CMP_EN_NONE, 0,
	 OFF(satisfaction)},
	{"followups", "followups", CMP_F_FOLLOWUPS, CMP_EN_NONE, 0,
	 OFF(followups)},
	{"tags", "tags", CMP_F_TAGS, CMP_EN_NONE, 0, OFF(tags)},
	{"attrs", "attrs", CMP_F_JSON, CMP_EN_NONE, 0, OFF(attrs)},
	{"possible_duplicate_of", "possible_duplicate_of", CMP_F_ID,
	 CMP_EN_NONE, 0, OFF(possible_duplicate_of)},
	{"reopened", "reopened", CMP_F_COUNT, CMP_EN_NONE, 0, OFF(reopened)},
	{"waiting_since", "waiting_since", CMP_F_TIME, CMP_EN_NONE, 0,
	 OFF(waiting_since)},
	{"wait_reason", "wait_reason", CMP_F_TEXT, CMP_EN_NONE, 0,
	 OFF(wait_reason)},
	{"created_at", "created_at", CMP_F_TIME, CMP_EN_NONE, CMP_FF_MANAGED,
	 OFF(created_at)},
	{"updated_at", "updated_at", CMP_F_TIME, CMP_EN_NONE, CMP_FF_MANAGED,
	 OFF(updated_at)},
};
const size_t cmp_nfields = CMP_ARRAY_LEN(cmp_fields);

#undef OFF
#undef PERS
#undef SET

/* Typed access to a field's storage. */
#define FPTR(type, f, c) ((type *)((char *)(c) + (f)->offset))
#define CFPTR(type, f, c) ((const type *)((const char *)(c) + (f)->offset))

void
cmp_complaint_init(struct cmp_complaint *c)
{
	memset(c, 0, sizeof(*c));
	c->out_of_warranty = -1;
	c->resolution.amount = NAN;
}

void
cmp_followup_release(struct cmp_followup *f)
{
	free(f->channel);
	free(f->outcome);
	free(f->note);
	memset(f, 0, sizeof(*f));
}

static void
free_tags(struct cmp_complaint *c)
{
	for (size_t i = 0; i < c->ntags; i++)
		free(c->tags[i]);
	free(c->tags);
	c->tags = NULL;
	c->ntags = 0;
}

static void
free_followups(struct cmp_complaint *c)
{
	for (size_t i = 0; i < c->nfollowups; i++)
		cmp_followup_release(&c->followups[i]);
	free(c->followups);
	c->followups = NULL;
	c->nfollowups = 0;
}

static int
is_string_type(enum cmp_ftype t)
{
	return t == CMP_F_TEXT || t == CMP_F_ENUM || t == CMP_F_DATE ||
	       t == CMP_F_JSON;
}

void
cmp_complaint_release(struct cmp_complaint *c)
{
	for (size_t i = 0; i < cmp_nfields; i++) {
		const struct cmp_field *f = &cmp_fields[i];

		if (is_string_type(f->type))
			free(*FPTR(char *, f, c));
	}
	free_tags(c);
	free_followups(c);
	cmp_complaint_init(c);
}

static void
copy_followup(struct cmp_followup *dst, const struct cmp_followup *src)
{
	*dst = *src;
	dst->channel = cmp_xstrdup(src->channel);
	dst->outcome = cmp_xstrdup(src->outcome);
	dst->note = cmp_xstrdup(src->note);
}

void
cmp_field_copy(const struct cmp_field *f, struct cmp_complaint *dst,
	       const struct cmp_complaint *src)
{
	switch (f->type) {
	case CMP_F_TEXT:
	case CMP_F_ENUM:
	case CMP_F_DATE:
	case CMP_F_JSON: {
		char **d = FPTR(char *, f, dst);
		char *s = cmp_xstrdup(*CFPTR(char *, f, src));

		free(*d);
		*d = s;
		break;
	}
	case CMP_F_ID:
	case CMP_F_INT:
	case CMP_F_COUNT:
	case CMP_F_SCORE:
		*FPTR(int64_t, f, dst) = *CFPTR(int64_t, f, src);
		break;
	case CMP_F_TIME:
		*FPTR(cmp_time, f, dst) = *CFPTR(cmp_time, f, src);
		break;
	case CMP_F_BOOL:
		*FPTR(int, f, dst) = *CFPTR(int, f, src);
		break;
	case CMP_F_MONEY:
		*FPTR(double, f, dst) = *CFPTR(double, f, src);
		break;
	case CMP_F_TAGS:
		if (dst == src)
			break;
		free_tags(dst);
		dst->tags = cmp_xcalloc(src->ntags, sizeof(char *));
		for (size_t i = 0; i < src->ntags; i++)
			dst->tags[i] = cmp_xstrdup(src->tags[i]);
		dst->ntags = src->ntags;
		break;
	case CMP_F_FOLLOWUPS:
		if (dst == src)
			break;
		free_followups(dst);
		dst->followups = cmp_xcalloc(src->nfollowups,
					     sizeof(struct cmp_followup));
		for (size_t i = 0; i < src->nfollowups; i++)
			copy_followup(&dst->followups[i], &src->followups[i]);
		dst->nfollowups = src->nfollowups;
		break;
	}
}

void
cmp_complaint_copy(struct cmp_complaint *dst, const struct cmp_complaint *src)
{
	if (dst == src)
		return;
	cmp_complaint_release(dst);
	for (size_t i = 0; i < cmp_nfields; i++)
		cmp_field_copy(&cmp_fields[i], dst, src);
	dst->escalated_for = src->escalated_for;
	memcpy(dst->present, src->present, sizeof(dst->present));
}

int
cmp_complaint_equal(const struct cmp_complaint *a,
		    const struct cmp_complaint *b)
{
	for (size_t i = 0; i < cmp_nfields; i++)
		if (!cmp_field_equal(&cmp_fields[i], a, b))
			return 0;
	return 1;
}

int
cmp_complaint_tag(struct cmp_complaint *c, const char *tag)
{
	for (size_t i = 0; i < c->ntags; i++)
		if (!strcmp(c->tags[i], tag))
			return 0;
	c->tags = cmp_xrealloc(c->tags, (c->ntags + 1) * sizeof(char *));
	c->tags[c->ntags++] = cmp_xstrdup(tag);
	return 1;
}

int
cmp_complaint_untag(struct cmp_complaint *c, const char *tag)
{
	for (size_t i = 0; i < c->ntags; i++) {
		if (strcmp(c->tags[i], tag))
			continue;
		free(c->tags[i]);
		memmove(&c->tags[i], &c->tags[i + 1],
			(c->ntags - i - 1) * sizeof(char *));
		c->ntags--;
		return 1;
	}
	return 0;
}

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

/* "a severity": for messages. */
static const char *
enum_noun(enum cmp_enum_kind en)
{
	switch (en) {
	case CMP_EN_STATUS: return "a status";
	case CMP_EN_CHANNEL: return "a channel";
	case CMP_EN_CATEGORY: return "a category";
	case CMP_EN_SEVERITY: return "a severity";
	case CMP_EN_TIER: return "a customer tier";
	case CMP_EN_REMEDY: return "a remedy";
	case CMP_EN_RESOLUTION: return "a resolution type";
	case CMP_EN_COMPLAINANT: return "a complainant type";
	case CMP_EN_DEPARTMENT: return "a department";
	case CMP_EN_NONE: break;
	}
	return "a value";
}

static int
enum_valid(const struct cmp_config *cfg, const struct cmp_field *f,
	   const char *v)
{
	const struct cmp_enum *en;

	if (f->en == CMP_EN_DEPARTMENT)
		return cmp_config_department(cfg, v) != NULL;
	en = cmp_field_enum(cfg, f);
	return !en || cmp_enum_has(en, v);
}

static int
str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

static int
followup_eq(const struct cmp_followup *a, const struct cmp_followup *b)
{
	return a->id == b->id && a->due_at == b->due_at &&
	       a->done_at == b->done_at && a->satisfaction == b->satisfaction &&
	       str_eq(a->channel, b->channel) &&
	       str_eq(a->outcome, b->outcome) && str_eq(a->note, b->note);
}

int
cmp_field_equal(const struct cmp_field *f, const struct cmp_complaint *a,
		const struct cmp_complaint *b)
{
	switch (f->type) {
	case CMP_F_TEXT:
	case CMP_F_ENUM:
	case CMP_F_DATE:
	case CMP_F_JSON:
		return str_eq(*CFPTR(char *, f, a), *CFPTR(char *, f, b));
	case CMP_F_ID:
	case CMP_F_INT:
	case CMP_F_COUNT:
	case CMP_F_SCORE:
		return *CFPTR(int64_t, f, a) == *CFPTR(int64_t, f, b);
	case CMP_F_TIME:
		return *CFPTR(cmp_time, f, a) == *CFPTR(cmp_time, f, b);
	case CMP_F_BOOL:
		return *CFPTR(int, f, a) == *CFPTR(int, f, b);
	case CMP_F_MONEY: {
		double x = *CFPTR(double, f, a), y = *CFPTR(double, f, b);

		return (isnan(x) && isnan(y)) || x == y;
	}
	case CMP_F_TAGS:
		if (a->ntags != b->ntags)
			return 0;
		for (size_t i = 0; i < a->ntags; i++)
			if (strcmp(a->tags[i], b->tags[i]))
				return 0;
		return 1;
	case CMP_F_FOLLOWUPS:
		if (a->nfollowups != b->nfollowups)
			return 0;
		for (size_t i = 0; i < a->nfollowups; i++)
			if (!followup_eq(&a->followups[i], &b->followups[i]))
				return 0;
		return 1;
	}
	return 1;
}

int
cmp_field_is_null(const struct cmp_field *f, const struct cmp_complaint *c)
{
	switch (f->type) {
	case CMP_F_TEXT:
	case CMP_F_ENUM:
	case CMP_F_DATE:
	case CMP_F_JSON:
		return *CFPTR(char *, f, c) == NULL;
	case CMP_F_ID:
	case CMP_F_INT:
	case CMP_F_SCORE:
		return *CFPTR(int64_t, f, c) == 0;
	case CMP_F_COUNT:
		return 0;
	case CMP_F_TIME:
		return *CFPTR(cmp_time, f, c) == 0;
	case CMP_F_BOOL:
		return *CFPTR(int, f, c) < 0;
	case CMP_F_MONEY:
		return isnan(*CFPTR(double, f, c));
	case CMP_F_TAGS:
		return 0;
	case CMP_F_FOLLOWUPS:
		return 0;
	}
	return 1;
}

/* Shortest decimal that reads back as the same double. */
static char *
money_text(double v)
{
	char buf[64];
	size_t n;

	/* Amounts of money: to the cent, no exponent, no trailing zeros
	   ("500", "12.5", "0.3"). */
	if (fabs(v) >= 1e15) {
		snprintf(buf, sizeof(buf), "%.17g", v);
		return cmp_xstrdup(buf);
	}
	snprintf(buf, sizeof(buf), "%.2f", v);
	n = strlen(buf);
	while (buf[n - 1] == '0')
		buf[--n] = '\0';
	if (buf[n - 1] == '.')
		buf[--n] = '\0';
	if (!strcmp(buf, "-0"))
		strcpy(buf, "0");
	return cmp_xstrdup(buf);
}

char *
cmp_field_text(const struct cmp_field *f, const struct cmp_complaint *c)
{
	char buf[CMP_TIME_BUFSZ];

	if (cmp_field_is_null(f, c))
		return NULL;
	switch (f->type) {
	case CMP_F_TEXT:
	case CMP_F_ENUM:
	case CMP_F_DATE:
	case CMP_F_JSON:
		return cmp_xstrdup(*CFPTR(char *, f, c));
	case CMP_F_ID:
	case CMP_F_INT:
	case CMP_F_COUNT:
	case CMP_F_SCORE:
		return cmp_xasprintf("%lld",
				     (long long)*CFPTR(int64_t, f, c));
	case CMP_F_TIME:
		return cmp_xstrdup(cmp_time_format(*CFPTR(cmp_time, f, c),
						   buf));
	case CMP_F_BOOL:
		return cmp_xstrdup(*CFPTR(int, f, c) ? "true" : "false");
	case CMP_F_MONEY:
		return money_text(*CFPTR(double, f, c));
	case CMP_F_TAGS:
	case CMP_F_FOLLOWUPS: {
		/* As the record's JSON shows it. */
		cJSON *item = cmp_json_field(f, c, 0);
		char *s = cJSON_PrintUnformatted(item);
		char *r = cmp_xstrdup(s);

		cJSON_free(s);
		cJSON_Delete(item);
		return r;
	}
	}
	return NULL;
}

/* Parse a decimal integer within [min, max]; 1 if it is one. */
static int
parse_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;

	if (!*s || *s == '+' || *s == ' ')
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return 0;
	*out = v;
	return 1;
}

static int
parse_bool(const char *s, int *out)
{
	static const char *const yes[] = {"true", "yes", "y", "1"};
	static const char *const no[] = {"false", "no", "n", "0"};

	for (size_t i = 0; i < CMP_ARRAY_LEN(yes); i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = 1;
			return 1;
		}
		if (!strcasecmp(s, no[i])) {
			*out = 0;
			return 1;
		}
	}
	return 0;
}

/* Split "a, b,c" into tags; 0 or 65. */
static int
set_tags_text(struct cmp_complaint *c, const char *text, struct cmp_error *e)
{
	const char *p = text;

	free_tags(c);
	while (*p) {
		const char *q = strchr(p, ',');
		size_t n = q ? (size_t)(q - p) : strlen(p);
		char *tag;

		while (n && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n) {
			tag = cmp_xstrndup(p, n);
			cmp_complaint_tag(c, tag);
			free(tag);
		}
		if (!q)
			break;
		p = q + 1;
	}
	(void)e;
	return 0;
}

int
cmp_field_set_text(const struct cmp_config *cfg, struct cmp_complaint *c,
		   const struct cmp_field *f, const char *text, cmp_time now,
		   struct cmp_error *e)
{
	const char *bad;

	if (text && (bad = cmp_utf8_check(text, strlen(text))))
		return cmp_error_set(e, CMP_EX_DATAERR, f->path,
				     "invalid UTF-8 (byte 0x%02x)",
				     (unsigned char)*bad);
	cmp_field_mark(c, f);
	if (text && !*text && f->type != CMP_F_TEXT)
		text = NULL;
	switch (f->type) {
	case CMP_F_TEXT:
	case CMP_F_ENUM:
	case CMP_F_DATE: {
		char **p = FPTR(char *, f, c);

		if (text && f->type == CMP_F_ENUM && !enum_valid(cfg, f, text))
			return cmp_error_set(e, CMP_EX_DATAERR, f->path,
					     "'%s' is not %s", text,
					     enum_noun(f->en));
		if (text && f->type == CMP_F_DATE &&
		    cmp_date_check(text, e)) {
			snprintf(e->field, sizeof(e->field), "%s", f->path);
			return CMP_EX_DATAERR;
		}
		free(*p);
		*p = text && *text ? cmp_xstrdup(text) : NULL;
		return 0;
	}
	case CMP_F_JSON: {
		char **p = FPTR(char *, f, c);
		cJSON *v = NULL;
		char *s;

		if (!text) {
			free(*p);
			*p = NULL;
			return 0;
		}
		if (cmp_json_parse(text, strlen(text), &v, e)) {
			snprintf(e->field, sizeof(e->field), "%s", f->path);
			return CMP_EX_DATAERR;
		}
		if (!cJSON_IsObject(v)) {
			cJSON_Delete(v);
			return cmp_error_set(e, CMP_EX_DATAERR, f->path,
					     "expected a JSON object");
		}
		s = cJSON_PrintUnformatted(v);
		cJSON_Delete(v);
		free(*p);
		*p = cmp_xstrdup(s);
		cJSON_free(s);
		return 0;
	}
	case CMP_F_ID:
	case CMP_F_INT:
	case CMP_F_COUNT:
	case CMP_F_SCORE: {
		int64_t v = 0;
		int64_t min = f->type == CMP_F_COUNT ? 0 : 1;
		int64_t max = f->type == CMP_F_SCORE ? 5 : INT64_MAX;

		if (!text) {
			if (f->type == CMP_F_COUNT)
				return cmp_error_set(e, CMP_EX_DATAERR,
						     f->path,
						     "may not be null");
			*FPTR(int64_t, f, c) = 0;
			return 0;
		}
		if (!parse_int(text, min, max, &v))
			return cmp_error_set(e, CMP_EX_DATAERR, f->path,
					     "'%s' is not %s", text,
					     f->type == CMP_F_SCORE ?
					     "a score from 1 to 5" :
					     min ? "a positive integer" :
					     "a count");
		*FPTR(int64_t, f, c) = v;
		return 0;
	}
	case CMP_F_TIME: {
		cmp_time t = 0;

		if (text && cmp_time_parse(text, cfg->timezone, now, &t, e)) {
			snprintf(e->field, sizeof(e->field), "%s", f->path);
			return CMP_EX_DATAERR;
		}
		*FPTR(cmp_time, f, c) = t;
		return 0;
	}
	case CMP_F_BOOL: {
		int v = -1;

		if (text && !parse_bool(text, &v))
			return cmp_error_set(e, CMP_EX_DATAERR, f->path,
					     "'%s' is not true or false",
					     text);
		*FPTR(int, f, c) = v;
		return 0;
	}
	case CMP_F_MONEY: {
		double v = NAN;
		char *end;

		if (text) {
			errno = 0;
			v = strtod(text, &end);
			if (*end || end == text || errno || !isfinite(v) ||
			    v < 0 || strpbrk(text, "xXnN"))
				return cmp_error_set(e, CMP_EX_DATAERR,
						     f->path,
						     "'%s' is not an amount",
						     text);
		}
		*FPTR(double, f, c) = v;
		return 0;
	}
	case CMP_F_TAGS:
		free_tags(c);
		return text ? set_tags_text(c, text, e) : 0;
	case CMP_F_FOLLOWUPS:
		break;
	}
	return cmp_error_set(e, CMP_EX_USAGE, f->path,
			     "cannot be set from text");
}

/* attrs.KEY=VALUE: a string member of the attrs object (empty: removed). */
static int
set_attr(struct cmp_complaint *c, const char *key, const char *value,
	 struct cmp_error *e)
{
	cJSON *attrs = NULL;
	char *s;

	if (!*key)
		return cmp_error_set(e, CMP_EX_USAGE, "attrs",
				     "an attribute name is required");
	if (cmp_utf8_check(value, strlen(value)) ||
	    cmp_utf8_check(key, strlen(key)))
		return cmp_error_set(e, CMP_EX_DATAERR, "attrs",
				     "invalid UTF-8");
	if (c->attrs && cmp_json_parse(c->attrs, strlen(c->attrs), &attrs, e))
		return CMP_EX_DATAERR;
	if (!attrs)
		attrs = cJSON_CreateObject();
	cJSON_DeleteItemFromObjectCaseSensitive(attrs, key);
	if (*value)
		cJSON_AddItemToObject(attrs, key, cJSON_CreateString(value));
	free(c->attrs);
	c->attrs = NULL;
	if (cJSON_GetArraySize(attrs)) {
		s = cJSON_PrintUnformatted(attrs);
		c->attrs = cmp_xstrdup(s);
		cJSON_free(s);
	}
	cJSON_Delete(attrs);
	cmp_field_mark(c, cmp_field_find("attrs"));
	return 0;
}

int
cmp_complaint_set(const struct cmp_config *cfg, struct cmp_complaint *c,
		  const char *assignment, cmp_time now, struct cmp_error *e)
{
	const char *eq = strchr(assignment, '=');
	const struct cmp_field *f;
	char *name;
	int ret;

	if (!eq || eq == assignment)
		return cmp_error_set(e, CMP_EX_USAGE, NULL,
				     "'%s' is not FIELD=VALUE", assignment);
	name = cmp_xstrndup(assignment, (size_t)(eq - assignment));
	if (!strncmp(name, "attrs.", 6)) {
		ret = set_attr(c, name + 6, eq + 1, e);
		free(name);
		return ret;
	}
	f = cmp_field_find(name);
	if (!f) {
		ret = cmp_error_set(e, CMP_EX_USAGE, name, "no such field");
	} else if (!(f->flags & CMP_FF_SETTABLE)) {
		ret = cmp_error_set(e, CMP_EX_USAGE, name,
				    "cannot be set with --set%s",
				    !strcmp(name, "status") ?
				    " (use cmp-assign or cmp-close)" : "");
	} else {
		ret = cmp_field_set_text(cfg, c, f, eq + 1, now, e);
	}
	free(name);
	return ret;
}

int
cmp_complaint_validate(const struct cmp_config *cfg,
		       const struct cmp_complaint *c, struct cmp_error *e)
{
	const char *at;

	if (!c->summary && !c->description)
		return cmp_error_set(e, CMP_EX_DATAERR, "summary",
				     "a summary or a description is required");
	if (!c->customer.name && !c->customer.phone && !c->customer.email)
		return cmp_error_set(e, CMP_EX_DATAERR, "customer",
				     "a customer name, phone or email is "
				     "required");
	if (c->customer.email &&
	    (!(at = strchr(c->customer.email, '@')) ||
	     at == c->customer.email || !at[1]))
		return cmp_error_set(e, CMP_EX_DATAERR, "customer.email",
				     "'%s' is not an e-mail address",
				     c->customer.email);
	for (size_t i = 0; i < cmp_nfields; i++) {
		const struct cmp_field *f = &cmp_fields[i];
		const char *v;

		if (f->type != CMP_F_ENUM)
			continue;
		v = *CFPTR(char *, f, c);
		if (v && !enum_valid(cfg, f, v))
			return cmp_error_set(e, CMP_EX_DATAERR, f->path,
					     "'%s' is not %s", v,
					     enum_noun(f->en));
	}
	for (size_t i = 0; i < c->nfollowups; i++)
		if (c->followups[i].channel &&
		    !cmp_enum_has(&cfg->channels, c->followups[i].channel))
			return cmp_error_set(e, CMP_EX_DATAERR,
					     "followups.channel",
					     "'%s' is not a channel",
					     c->followups[i].channel);
	return 0;
}

/* Count the code points of valid UTF-8 text. */
static size_t
utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* Keep the first `keep` code points of s, then `stars` stars. */
static void
keep_prefix(struct cmp_buf *b, const char *s, size_t keep)
{
	while (*s && keep) {
		uint32_t cp;
		int len = cmp_utf8_decode(s, strlen(s), &cp);

		cmp_buf_add(b, s, (size_t)len);
		s += len;
		keep--;
	}
}

static void
stars(struct cmp_buf *b, size_t n)
{
	while (n--)
		cmp_buf_addc(b, '*');
}

char *
cmp_redact_text(unsigned flags, const char *s)
{
	struct cmp_buf b = CMP_BUF_INIT;
	size_t n;

	if (!s)
		return NULL;
	n = utf8_len(s);
	if (flags & CMP_FF_PHONE) {
		size_t len = strlen(s);

		if (len >= 8) {
			cmp_buf_add(&b, s, 3);
			stars(&b, len - 7);
			cmp_buf_adds(&b, s + len - 4);
		} else {
			stars(&b, len > 2 ? len - 2 : len);
			if (len > 2)
				cmp_buf_adds(&b, s + len - 2);
		}
	} else if (flags & CMP_FF_EMAIL) {
		const char *at = strrchr(s, '@');

		keep_prefix(&b, s, 1);
		cmp_buf_adds(&b, "***");
		if (at)
			cmp_buf_adds(&b, at);
	} else if (flags & CMP_FF_ADDRESS) {
		keep_prefix(&b, s, n > 4 ? 2 : 0);
		cmp_buf_adds(&b, "****");
	} else {
		/* A name: its first character, a star for each other one. */
		keep_prefix(&b, s, 1);
		stars(&b, n > 1 ? n - 1 : 1);
	}
	return cmp_buf_detach(&b);
}

/* Replace every occurrence of needle in *text by with. */
static void
replace_all(char **text, const char *needle, const char *with)
{
	struct cmp_buf b = CMP_BUF_INIT;
	size_t n = strlen(needle);
	const char *p, *q;

	if (!*text || n < 2 || !strstr(*text, needle))
		return;
	for (p = *text; (q = strstr(p, needle)); p = q + n) {
		cmp_buf_add(&b, p, (size_t)(q - p));
		cmp_buf_adds(&b, with);
	}
	cmp_buf_adds(&b, p);
	free(*text);
	*text = cmp_buf_detach(&b);
}

static int
is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static int
is_mail_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       is_digit(ch) || (ch && strchr("._%+-", ch));
}

/*
 * Mask what looks personal in free text: runs of seven digits or more
 * (phone numbers) and e-mail addresses.
 */
static void
mask_patterns(char **text)
{
	struct cmp_buf b = CMP_BUF_INIT;
	const char *s = *text;
	size_t i = 0, n;

	if (!s)
		return;
	n = strlen(s);
	while (i < n) {
		size_t j = i;

		if (is_digit(s[i])) {
			while (j < n && is_digit(s[j]))
				j++;
			if (j - i >= 7) {
				char *d = cmp_xstrndup(s + i, j - i);
				char *m = cmp_redact_text(CMP_FF_PHONE, d);

				cmp_buf_adds(&b, m);
				free(d);
				free(m);
			} else {
				cmp_buf_add(&b, s + i, j - i);
			}
			i = j;
			continue;
		}
		if (s[i] == '@' && i > 0 && is_mail_char(s[i - 1])) {
			size_t start = b.len, k = i + 1;

			while (start > 0 && is_mail_char(b.s[start - 1]))
				start--;
			while (k < n && (is_mail_char(s[k]) && s[k] != '_'))
				k++;
			if (memchr(s + i, '.', k - i)) {
				b.len = start + 1 < b.len ? start + 1 : b.len;
				b.s[b.len] = '\0';
				cmp_buf_adds(&b, "***");
				cmp_buf_add(&b, s + i, k - i);
				i = k;
				continue;
			}
		}
		cmp_buf_addc(&b, s[i++]);
	}
	free(*text);
	*text = cmp_buf_detach(&b);
}

struct mask {
	const char *value;
	char *masked;
};

static void
mask_text(char **text, const struct mask *masks, size_t n)
{
	for (size_t i = 0; i < n; i++)
		replace_all(text, masks[i].value, masks[i].masked);
	mask_patterns(text);
}

/* The strings inside attrs, masked; the JSON structure kept. */
static void
mask_json(cJSON *v, const struct mask *masks, size_t n)
{
	cJSON *item;

	if (cJSON_IsString(v)) {
		char *s = cmp_xstrdup(v->valuestring);

		mask_text(&s, masks, n);
		cJSON_SetValuestring(v, s);
		free(s);
		return;
	}
	cJSON_ArrayForEach(item, v)
		mask_json(item, masks, n);
}

/* The customer's own values and their masks (masks[8]); how many. */
static size_t
personal_masks(const struct cmp_complaint *c, struct mask *masks)
{
	size_t n = 0;

	for (size_t i = 0; i < cmp_nfields && n < 8; i++) {
		const struct cmp_field *f = &cmp_fields[i];
		const char *v;

		if (!(f->flags & CMP_FF_PERSONAL))
			continue;
		if (!(v = *CFPTR(char *, f, c)))
			continue;
		masks[n].value = v;
		masks[n].masked = cmp_redact_text(f->flags, v);
		n++;
	}
	return n;
}

char *
cmp_redact_free_text(const struct cmp_complaint *c, const char *text)
{
	struct mask masks[8];
	size_t n = personal_masks(c, masks);
	char *s = cmp_xstrdup(text);

	mask_text(&s, masks, n);
	for (size_t i = 0; i < n; i++)
		free(masks[i].masked);
	return s;
}

void
cmp_complaint_redact(struct cmp_complaint *c)
{
	struct mask masks[8];
	size_t n = personal_masks(c, masks);
	char **free_text[] = {&c->summary, &c->description, &c->root_cause,
			      &c->resolution.note, &c->wait_reason};

	for (size_t i = 0; i < CMP_ARRAY_LEN(free_text); i++)
		mask_text(free_text[i], masks, n);
	for (size_t i = 0; i < c->nfollowups; i++) {
		mask_text(&c->followups[i].note, masks, n);
		mask_text(&c->followups[i].outcome, masks, n);
	}
	if (c->attrs) {
		cJSON *attrs = NULL;
		struct cmp_error e;

		if (!cmp_json_parse(c->attrs, strlen(c->attrs), &attrs, &e)) {
			char *s;

			mask_json(attrs, masks, n);
			s = cJSON_PrintUnformatted(attrs);
			free(c->attrs);
			c->attrs = cmp_xstrdup(s);
			cJSON_free(s);
		}
		cJSON_Delete(attrs);
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < cmp_nfields; k++) {
			const struct cmp_field *f = &cmp_fields[k];
			char **p = FPTR(char *, f, c);

			if ((f->flags & CMP_FF_PERSONAL) && *p == masks[i].value) {
				*p = masks[i].masked;
				masks[i].masked = NULL;
				free((char *)masks[i].value);
				break;
			}
		}
		free(masks[i].masked);
	}
}
