/*
 * redact.c - masking personal data (--redact): the customer's own
 * values wherever they appear, and anything shaped like a phone number
 * or an e-mail address in free text and in attrs.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "field.h"
#include "util.h"
#include "json_parse.h"

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

/* Append the first `keep` code points of s to b. */
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
		if (!(v = *CMP_CFPTR(char *, f, c)))
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
			      &c->resolution.note, &c->wait_reason,
			      &c->rejection_reason};

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
			char **p = CMP_FPTR(char *, f, c);

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
