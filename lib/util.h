/*
 * util.h - util.c's helpers used only inside libcomplaint (UTF-8,
 * searching, hashing) and CMP_ARRAY_LEN.  Private to libcomplaint.
 */
#ifndef CMP_UTIL_H
#define CMP_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "complaint.h"

#define CMP_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Prefix the field path: "phone" becomes "customer.phone". */
void cmp_error_field_prefix(struct cmp_error *e, const char *prefix);

/*
 * UTF-8.  cmp_utf8_check returns NULL when s[0..n) is valid UTF-8
 * (no overlong forms, no surrogates, nothing above U+10FFFF), else a
 * pointer to the first byte of the first bad sequence.
 */
const char *cmp_utf8_check(const char *s, size_t n);
/* Decode one code point at s (valid UTF-8 assumed); returns its length. */
int cmp_utf8_decode(const char *s, size_t n, uint32_t *cp);
/* The length of s[0..n) without a character its end cuts in two (valid
   UTF-8 assumed): a prefix cut to fit stays UTF-8. */
size_t cmp_utf8_whole(const char *s, size_t n);
/* Display width of a code point: 0 (combining), 1, or 2 (East Asian wide). */
int cmp_char_width(uint32_t cp);
/* Display width of valid UTF-8 text; control characters count as 0. */
size_t cmp_utf8_width(const char *s, size_t n);

/* ASCII case-insensitive substring search; works for any UTF-8 text. */
const char *cmp_strcasestr(const char *hay, const char *needle);

/* MurmurHash3 x64 128 of data[0..len): h[0], h[1] as the reference's
   two halves; the same on every machine. */
void cmp_hash128(const void *data, size_t len, uint32_t seed, uint64_t h[2]);

#endif /* CMP_UTIL_H */
