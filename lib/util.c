/*
 * util.c - errors, allocation, growable strings, UTF-8.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void
cmp_error_clear(struct cmp_error *e)
{
	if (!e)
		return;
	memset(e, 0, sizeof(*e));
}

int
cmp_error_vset(struct cmp_error *e, int code, const char *field,
	       const char *fmt, va_list ap)
{
	if (!e)
		return code;
	e->code = code;
	snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
	if (vsnprintf(e->msg, sizeof(e->msg), fmt, ap) >= (int)sizeof(e->msg))
		e->msg[cmp_utf8_whole(e->msg, sizeof(e->msg) - 1)] = '\0';
	return code;
}

int
cmp_error_set(struct cmp_error *e, int code, const char *field,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cmp_error_vset(e, code, field, fmt, ap);
	va_end(ap);
	return code;
}

void
cmp_error_at(struct cmp_error *e, const char *input, long line, long column)
{
	if (!e)
		return;
	if (input)
		snprintf(e->input, sizeof(e->input), "%s", input);
	e->line = line;
	e->column = column;
}

void
cmp_error_field_prefix(struct cmp_error *e, const char *prefix)
{
	char tmp[2 * sizeof(e->field)];

	if (!e || !prefix || !*prefix)
		return;
	if (e->field[0])
		snprintf(tmp, sizeof(tmp), "%s.%s", prefix, e->field);
	else
		snprintf(tmp, sizeof(tmp), "%s", prefix);
	snprintf(e->field, sizeof(e->field), "%.*s",
		 (int)sizeof(e->field) - 1, tmp);
}

char *
cmp_error_format(const struct cmp_error *e, char *buf, size_t size)
{
	size_t off = 0;
	int n;

	if (!size)
		return buf;
	buf[0] = '\0';
#define APPEND(...) do { \
		n = snprintf(buf + off, size - off, __VA_ARGS__); \
		if (n < 0 || (size_t)n >= size - off) \
			return buf; \
		off += (size_t)n; \
	} while (0)
	if (e->input[0]) {
		APPEND("%s:", e->input);
		if (e->line > 0)
			APPEND("%ld:", e->line);
		if (e->line > 0 && e->column > 0)
			APPEND("%ld:", e->column);
		APPEND(" ");
	}
	if (e->field[0])
		APPEND("%s: ", e->field);
	APPEND("%s", e->msg[0] ? e->msg : "error");
#undef APPEND
	return buf;
}

static void
oom(void)
{
	/* The one place the library gives up: nothing sensible remains. */
	fputs("libcomplaint: out of memory\n", stderr);
	abort();
}

void *
cmp_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom();
	return p;
}

void *
cmp_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *
cmp_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *
cmp_xstrdup(const char *s)
{
	return s ? cmp_xstrndup(s, strlen(s)) : NULL;
}

char *
cmp_xstrndup(const char *s, size_t n)
{
	char *p;

	if (!s)
		return NULL;
	p = cmp_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
cmp_xasprintf(const char *fmt, ...)
{
	struct cmp_buf b = CMP_BUF_INIT;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	cmp_buf_grow(&b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b.s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b.len = (size_t)n;
	return cmp_buf_detach(&b);
}

void
cmp_buf_init(struct cmp_buf *b)
{
	b->s = NULL;
	b->len = b->cap = 0;
}

void
cmp_buf_release(struct cmp_buf *b)
{
	free(b->s);
	cmp_buf_init(b);
}

void
cmp_buf_reset(struct cmp_buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void
cmp_buf_grow(struct cmp_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need < b->len)
		oom();
	if (need <= b->cap)
		return;
	if (b->cap * 2 > need)
		need = b->cap * 2;
	if (need < 64)
		need = 64;
	b->s = cmp_xrealloc(b->s, need);
	b->cap = need;
}

void
cmp_buf_add(struct cmp_buf *b, const void *p, size_t n)
{
	cmp_buf_grow(b, n);
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
cmp_buf_adds(struct cmp_buf *b, const char *s)
{
	cmp_buf_add(b, s, strlen(s));
}

void
cmp_buf_addc(struct cmp_buf *b, int c)
{
	cmp_buf_grow(b, 1);
	b->s[b->len++] = (char)c;
	b->s[b->len] = '\0';
}

void
cmp_buf_addf(struct cmp_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	cmp_buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *
cmp_buf_detach(struct cmp_buf *b)
{
	char *s = b->s ? b->s : cmp_xstrdup("");

	cmp_buf_init(b);
	return s;
}

const char *
cmp_buf_str(const struct cmp_buf *b)
{
	return b->s ? b->s : "";
}

const char *
cmp_utf8_check(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];
		size_t len;
		uint32_t cp, min;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2; cp = c & 0x1f; min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3; cp = c & 0x0f; min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4; cp = c & 0x07; min = 0x10000;
		} else {
			return str + i;		/* 0x80-0xc1, 0xf5-0xff */
		}
		if (n - i < len)
			return str + i;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return str + i;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return str + i;
		i += len;
	}
	return NULL;
}

int
cmp_utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	int len;

	if (!n) {
		*cp = 0;
		return 0;
	}
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if (s[0] < 0xe0) {
		len = 2;
		*cp = s[0] & 0x1f;
	} else if (s[0] < 0xf0) {
		len = 3;
		*cp = s[0] & 0x0f;
	} else {
		len = 4;
		*cp = s[0] & 0x07;
	}
	if ((size_t)len > n) {
		*cp = 0xfffd;
		return (int)n;
	}
	for (int k = 1; k < len; k++)
		*cp = *cp << 6 | (s[k] & 0x3f);
	return len;
}

struct range {
	uint32_t lo, hi;
};

/* Combining marks and other zero-width characters (common blocks). */
static const struct range zero_width[] = {
	{0x0300, 0x036f}, {0x0483, 0x0489}, {0x0591, 0x05bd},
	{0x0610, 0x061a}, {0x064b, 0x065f}, {0x0e31, 0x0e31},
	{0x0e34, 0x0e3a}, {0x0e47, 0x0e4e}, {0x1ab0, 0x1aff},
	{0x1dc0, 0x1dff}, {0x200b, 0x200f}, {0x202a, 0x202e},
	{0x2060, 0x2064}, {0x20d0, 0x20ff}, {0x302a, 0x302d},
	{0x3099, 0x309a}, {0xfe00, 0xfe0f}, {0xfe20, 0xfe2f},
	{0xfeff, 0xfeff}, {0xe0100, 0xe01ef},
};

/* East Asian Wide and Fullwidth (Unicode 15, merged ranges). */
static const struct range wide[] = {
	{0x1100, 0x115f}, {0x231a, 0x231b}, {0x2329, 0x232a},
	{0x23e9, 0x23ec}, {0x23f0, 0x23f0}, {0x23f3, 0x23f3},
	{0x25fd, 0x25fe}, {0x2614, 0x2615}, {0x2648, 0x2653},
	{0x267f, 0x267f}, {0x2693, 0x2693}, {0x26a1, 0x26a1},
	{0x26aa, 0x26ab}, {0x26bd, 0x26be}, {0x26c4, 0x26c5},
	{0x26ce, 0x26ce}, {0x26d4, 0x26d4}, {0x26ea, 0x26ea},
	{0x26f2, 0x26f3}, {0x26f5, 0x26f5}, {0x26fa, 0x26fa},
	{0x26fd, 0x26fd}, {0x2705, 0x2705}, {0x270a, 0x270b},
	{0x2728, 0x2728}, {0x274c, 0x274c}, {0x274e, 0x274e},
	{0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
	{0x27b0, 0x27b0}, {0x27bf, 0x27bf}, {0x2b1b, 0x2b1c},
	{0x2b50, 0x2b50}, {0x2b55, 0x2b55}, {0x2e80, 0x303e},
	{0x3041, 0x33ff}, {0x3400, 0x4dbf}, {0x4e00, 0x9fff},
	{0xa000, 0xa4cf}, {0xa960, 0xa97f}, {0xac00, 0xd7a3},
	{0xf900, 0xfaff}, {0xfe10, 0xfe19}, {0xfe30, 0xfe6f},
	{0xff00, 0xff60}, {0xffe0, 0xffe6}, {0x16fe0, 0x16fe4},
	{0x17000, 0x18cff}, {0x1b000, 0x1b2ff}, {0x1f004, 0x1f004},
	{0x1f0cf, 0x1f0cf}, {0x1f18e, 0x1f18e}, {0x1f191, 0x1f19a},
	{0x1f200, 0x1f251}, {0x1f300, 0x1f64f}, {0x1f680, 0x1f6ff},
	{0x1f900, 0x1f9ff}, {0x1fa70, 0x1faff}, {0x20000, 0x2fffd},
	{0x30000, 0x3fffd},
};

static int
in_ranges(uint32_t cp, const struct range *r, size_t n)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cp < r[mid].lo)
			hi = mid;
		else if (cp > r[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

int
cmp_char_width(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return 0;
	if (cp < 0x300)
		return 1;
	if (in_ranges(cp, zero_width, CMP_ARRAY_LEN(zero_width)))
		return 0;
	if (in_ranges(cp, wide, CMP_ARRAY_LEN(wide)))
		return 2;
	return 1;
}

size_t
cmp_utf8_whole(const char *s, size_t n)
{
	size_t i = n, need;
	unsigned char lead;

	while (i && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (!i)
		return n;
	lead = (unsigned char)s[i - 1];
	need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
	return n - (i - 1) < need ? i - 1 : n;
}

size_t
cmp_utf8_width(const char *s, size_t n)
{
	size_t w = 0, i = 0;

	while (i < n) {
		uint32_t cp;
		int len = cmp_utf8_decode(s + i, n - i, &cp);

		if (len <= 0)
			break;
		w += (size_t)cmp_char_width(cp);
		i += (size_t)len;
	}
	return w;
}

const char *
cmp_strcasestr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (!n)
		return hay;
	for (; *hay; hay++) {
		size_t i;

		for (i = 0; i < n; i++) {
			unsigned char a = (unsigned char)hay[i];
			unsigned char b = (unsigned char)needle[i];

			/* ASCII only: other bytes compare exactly */
			if (a >= 'A' && a <= 'Z')
				a += 'a' - 'A';
			if (b >= 'A' && b <= 'Z')
				b += 'a' - 'A';
			if (!a || a != b)
				break;
		}
		if (i == n)
			return hay;
	}
	return NULL;
}

/* MurmurHash3's x64 128-bit variant (Austin Appleby, public domain). */
static uint64_t
rotl64(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static uint64_t
fmix64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return k;
}

/* Bytes p[0..n) as a little-endian number, whatever the machine. */
static uint64_t
le64(const unsigned char *p, size_t n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 8) | p[n];
	return v;
}

void
cmp_hash128(const void *data, size_t len, uint32_t seed, uint64_t h[2])
{
	const uint64_t c1 = 0x87c37b91114253d5ULL, c2 = 0x4cf5ad432745937fULL;
	const unsigned char *p = data;
	uint64_t h1 = seed, h2 = seed, k1, k2;
	size_t i, tail = len & 15;

	for (i = 0; i + 16 <= len; i += 16) {
		k1 = le64(p + i, 8) * c1;
		h1 ^= rotl64(k1, 31) * c2;
		h1 = (rotl64(h1, 27) + h2) * 5 + 0x52dce729;
		k2 = le64(p + i + 8, 8) * c2;
		h2 ^= rotl64(k2, 33) * c1;
		h2 = (rotl64(h2, 31) + h1) * 5 + 0x38495ab5;
	}
	if (tail > 8) {
		k2 = le64(p + i + 8, tail - 8) * c2;
		h2 ^= rotl64(k2, 33) * c1;
	}
	if (tail) {
		k1 = le64(p + i, tail < 8 ? tail : 8) * c1;
		h1 ^= rotl64(k1, 31) * c2;
	}
	h1 ^= len;
	h2 ^= len;
	h1 += h2;
	h2 += h1;
	h1 = fmix64(h1);
	h2 = fmix64(h2);
	h1 += h2;
	h2 += h1;
	h[0] = h1;
	h[1] = h2;
}
