/*
 * record.c - the complaint type: initialising, releasing, copying and
 * comparing records and their fields one by one (by the field table,
 * field.c), and their tags.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "record.h"

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

void
cmp_complaint_tags_clear(struct cmp_complaint *c)
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
			free(*CMP_FPTR(char *, f, c));
	}
	cmp_complaint_tags_clear(c);
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
		char **d = CMP_FPTR(char *, f, dst);
		char *s = cmp_xstrdup(*CMP_CFPTR(char *, f, src));

		free(*d);
		*d = s;
		break;
	}
	case CMP_F_ID:
	case CMP_F_INT:
	case CMP_F_COUNT:
	case CMP_F_SCORE:
		*CMP_FPTR(int64_t, f, dst) = *CMP_CFPTR(int64_t, f, src);
		break;
	case CMP_F_TIME:
		*CMP_FPTR(cmp_time, f, dst) = *CMP_CFPTR(cmp_time, f, src);
		break;
	case CMP_F_BOOL:
		*CMP_FPTR(int, f, dst) = *CMP_CFPTR(int, f, src);
		break;
	case CMP_F_MONEY:
		*CMP_FPTR(double, f, dst) = *CMP_CFPTR(double, f, src);
		break;
	case CMP_F_TAGS:
		if (dst == src)
			break;
		cmp_complaint_tags_clear(dst);
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
cmp_complaint_has_tag(const struct cmp_complaint *c, const char *tag)
{
	for (size_t i = 0; i < c->ntags; i++)
		if (!strcmp(c->tags[i], tag))
			return 1;
	return 0;
}

int
cmp_complaint_tag(struct cmp_complaint *c, const char *tag)
{
	if (cmp_complaint_has_tag(c, tag))
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
		return str_eq(*CMP_CFPTR(char *, f, a),
			      *CMP_CFPTR(char *, f, b));
	case CMP_F_ID:
	case CMP_F_INT:
	case CMP_F_COUNT:
	case CMP_F_SCORE:
		return *CMP_CFPTR(int64_t, f, a) == *CMP_CFPTR(int64_t, f, b);
	case CMP_F_TIME:
		return *CMP_CFPTR(cmp_time, f, a) == *CMP_CFPTR(cmp_time, f, b);
	case CMP_F_BOOL:
		return *CMP_CFPTR(int, f, a) == *CMP_CFPTR(int, f, b);
	case CMP_F_MONEY: {
		double x = *CMP_CFPTR(double, f, a);
		double y = *CMP_CFPTR(double, f, b);

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
		return *CMP_CFPTR(char *, f, c) == NULL;
	case CMP_F_ID:
	case CMP_F_INT:
	case CMP_F_SCORE:
		return *CMP_CFPTR(int64_t, f, c) == 0;
	case CMP_F_COUNT:
		return 0;
	case CMP_F_TIME:
		return *CMP_CFPTR(cmp_time, f, c) == 0;
	case CMP_F_BOOL:
		return *CMP_CFPTR(int, f, c) < 0;
	case CMP_F_MONEY:
		return isnan(*CMP_CFPTR(double, f, c));
	case CMP_F_TAGS:
		return 0;
	case CMP_F_FOLLOWUPS:
		return 0;
	}
	return 1;
}

int
cmp_status_open(const char *status)
{
	return status && (!strcmp(status, "new") ||
			  !strcmp(status, "assigned") ||
			  !strcmp(status, "waiting"));
}
