/*
 * Unit tests: the strict JSON parser (cmp_json_parse, cmp_json_number)
 * and the JSON stream reader (NDJSON, concatenated and pretty objects,
 * streamed arrays, ids, error recovery, slow pipes).
 */
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"
#include "tap.h"

/* ---- the parser ---------------------------------------------------- */

/* Parse s; the compact JSON, or "! line:col: message" on error. */
static char *
parse_n(const char *s, size_t n)
{
	struct cmp_error e;
	cJSON *v;
	char *out;

	cmp_error_clear(&e);
	if (cmp_json_parse(s, n, &v, &e)) {
		if (v || e.code != 65)
			return cmp_xstrdup("! bad contract");
		return cmp_xasprintf("! %ld:%ld: %s", e.line, e.column, e.msg);
	}
	out = cJSON_PrintUnformatted(v);
	cJSON_Delete(v);
	return out;
}

static char *
parse(const char *s)
{
	return parse_n(s, strlen(s));
}

#define PARSE_IS(in, want, ...) do { \
		char *got_ = parse(in); \
		is_str(got_, want, __VA_ARGS__); \
		free(got_); \
	} while (0)

static void
test_numbers(void)
{
	cJSON *v, *item;
	struct cmp_error e;
	double d = 0;

	PARSE_IS("[1e400,-0,12345678901234567890,2.50,0,-1.5E+3,1E-7]",
		 "[1e400,-0,12345678901234567890,2.50,0,-1.5E+3,1E-7]",
		 "numbers are kept as written");
	cmp_error_clear(&e);
	ok(!cmp_json_parse("[1e400, 2.50, -0, \"7\", true]", 28, &v, &e),
	   "an array of numbers parses");
	item = cJSON_GetArrayItem(v, 0);
	ok(cJSON_IsRaw(item) && !strcmp(item->valuestring, "1e400"),
	   "a number is a raw item holding its literal");
	ok(cmp_json_is_number(item), "1e400 is a number");
	ok(!cmp_json_number(item, &d), "1e400 has no finite value");
	ok(cmp_json_number(cJSON_GetArrayItem(v, 1), &d) && d == 2.5,
	   "2.50 reads as 2.5");
	ok(cmp_json_number(cJSON_GetArrayItem(v, 2), &d) && d == 0 &&
	   signbit(d), "-0 reads as negative zero");
	ok(!cmp_json_is_number(cJSON_GetArrayItem(v, 3)),
	   "a string of digits is not a number");
	ok(!cmp_json_is_number(cJSON_GetArrayItem(v, 4)),
	   "true is not a number");
	cJSON_Delete(v);
	item = cJSON_CreateNumber(3);
	ok(cmp_json_is_number(item) && cmp_json_number(item, &d) && d == 3,
	   "a cJSON number is a number too");
	cJSON_Delete(item);
	item = cJSON_CreateRaw("12 ");
	ok(!cmp_json_is_number(item), "a raw item that is not one literal "
	   "is not a number");
	cJSON_Delete(item);
	item = cJSON_CreateRaw("0x10");
	ok(!cmp_json_number(item, &d), "no hex through strtod");
	cJSON_Delete(item);

	PARSE_IS("01", "! 1:2: invalid number (no leading zeros)",
		 "leading zero");
	PARSE_IS("[-]", "! 1:3: invalid number", "a lone minus");
	PARSE_IS("[1.]", "! 1:4: invalid number", "no digits after '.'");
	PARSE_IS("[1e+]", "! 1:5: invalid number", "no exponent digits");
	PARSE_IS("[.5]", "! 1:2: expected a value", "no digits before '.'");
	PARSE_IS("[+1]", "! 1:2: expected a value", "a plus sign");
	PARSE_IS("[1.5x]", "! 1:5: invalid number", "letters after a number");
	PARSE_IS("[NaN]", "! 1:2: expected a value", "NaN");
	PARSE_IS("-Infinity", "! 1:2: invalid number", "-Infinity");
}

static void
test_strings(void)
{
	cJSON *v;
	struct cmp_error e;
	const char *in = "\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u4E2D\"";

	cmp_error_clear(&e);
	ok(!cmp_json_parse(in, strlen(in), &v, &e), "every escape parses");
	is_str(cJSON_GetStringValue(v), "q\" b\\ s/ \b\f\n\r\t \xc3\xa9\xe4\xb8\xad",
	       "escapes decode to their characters");
	cJSON_Delete(v);
	PARSE_IS("\"\\ud83d\\ude00\"", "\"\xf0\x9f\x98\x80\"",
		 "a surrogate pair is one character");
	PARSE_IS("\"\\uD834\\uDD1E x\"", "\"\xf0\x9d\x84\x9e x\"",
		 "surrogates in upper case");
	PARSE_IS("\"\"", "\"\"", "the empty string");
	PARSE_IS("\"王先生 ✓\"", "\"王先生 ✓\"", "UTF-8 passes through");
	PARSE_IS("[\"a\",\"\\ud800\"]",
		 "! 1:7: lone surrogate \\uD800 (a high surrogate must be "
		 "followed by a low one)", "a lone high surrogate");
	PARSE_IS("\"\\udc00\"",
		 "! 1:2: lone surrogate \\uDC00 (a low surrogate must follow "
		 "a high one)", "a lone low surrogate");
	PARSE_IS("\"\\ud800\\u0041\"",
		 "! 1:2: lone surrogate \\uD800 (a high surrogate must be "
		 "followed by a low one)", "a high surrogate before a non-low");
	PARSE_IS("\"ab\\u0000\"", "! 1:4: \\u0000 is not allowed in strings",
		 "\\u0000 is refused");
	PARSE_IS("{\"k\\u0000\":1}", "! 1:4: \\u0000 is not allowed in strings",
		 "\\u0000 in a key is refused");
	PARSE_IS("\"\xc0\xaf\"", "! 1:2: invalid UTF-8", "overlong UTF-8");
	PARSE_IS("\"ok \xed\xa0\x80\"", "! 1:5: invalid UTF-8",
		 "a surrogate encoded in UTF-8");
	PARSE_IS("\"\xe4\xb8\"", "! 1:2: invalid UTF-8", "truncated UTF-8");
	PARSE_IS("\"\xff\"", "! 1:2: invalid UTF-8", "a byte never in UTF-8");
	PARSE_IS("\"a\tb\"", "! 1:3: control character U+0009 in a string "
		 "(write it as an escape)", "a raw tab");
	PARSE_IS("\"a\nb\"", "! 1:3: control character U+000A in a string "
		 "(write it as an escape)", "a raw newline");
	{
		char *got = parse_n("\"a\0b\"", 5);

		is_str(got, "! 1:3: control character U+0000 in a string "
		       "(write it as an escape)", "a raw NUL byte");
		free(got);
	}
	PARSE_IS("\"\\x41\"", "! 1:2: invalid escape '\\x'", "\\x");
	PARSE_IS("\"\\u12g4\"", "! 1:2: invalid \\u escape (four hex digits "
		 "expected)", "bad \\u digits");
	PARSE_IS("\"abc", "! 1:5: unexpected end of input in a string",
		 "an unterminated string");
	PARSE_IS("'a'", "! 1:1: expected a value", "single quotes");
}

static void
test_structure(void)
{
	struct cmp_buf b = CMP_BUF_INIT;
	cJSON *v;
	struct cmp_error e;
	char *got;

	PARSE_IS(" {\"a\" : [true, false, null, {}, []], \"b\": {\"c\": \"d\"}} ",
		 "{\"a\":[true,false,null,{},[]],\"b\":{\"c\":\"d\"}}",
		 "nested values");
	cmp_error_clear(&e);
	ok(!cmp_json_parse("{\"a\":1,\"a\":2}", 13, &v, &e) &&
	   cJSON_GetArraySize(v) == 2, "duplicate keys are kept");
	cJSON_Delete(v);
	PARSE_IS("", "! 1:1: unexpected end of input", "empty input");
	PARSE_IS(" \n ", "! 2:2: unexpected end of input", "only whitespace");
	PARSE_IS("{\"a\":1} x", "! 1:9: unexpected data after the JSON value",
		 "trailing garbage, with its column");
	PARSE_IS("{\"a\":1}{}", "! 1:8: unexpected data after the JSON value",
		 "a second value");
	PARSE_IS("{\"a\":1 \"b\":2}",
		 "! 1:8: expected ',' or '}' after an object member",
		 "a missing comma in an object");
	PARSE_IS("[1 2]", "! 1:4: expected ',' or ']' after an array element",
		 "a missing comma in an array");
	PARSE_IS("{\"a\" 1}", "! 1:6: expected ':' after an object key",
		 "a missing colon");
	PARSE_IS("{a:1}", "! 1:2: expected a string (an object key)",
		 "an unquoted key");
	PARSE_IS("{\"a\":1,}", "! 1:8: expected a string (an object key)",
		 "a trailing comma in an object");
	PARSE_IS("[1,]", "! 1:4: expected a value",
		 "a trailing comma in an array");
	PARSE_IS("{\n  \"a\": tru\n}", "! 2:8: invalid literal (expected "
		 "'true')", "line and column on a later line");
	PARSE_IS("[\r\n1,\r\n\xe2\x81\xa0]", "! 3:1: expected a value",
		 "CRLF counts one line");
	PARSE_IS("[\xff]", "! 1:2: invalid UTF-8", "bad UTF-8 between values");
	PARSE_IS("[1", "! 1:3: unexpected end of input", "an unclosed array");
	PARSE_IS("{\"a\":", "! 1:6: unexpected end of input",
		 "an object cut short");

	/* Depth: 512 nested arrays pass, 513 do not. */
	for (int i = 0; i < 512; i++)
		cmp_buf_addc(&b, '[');
	for (int i = 0; i < 512; i++)
		cmp_buf_addc(&b, ']');
	got = parse(b.s);
	ok(got[0] == '[', "512 levels of nesting are fine");
	free(got);
	cmp_buf_reset(&b);
	for (int i = 0; i < 513; i++)
		cmp_buf_addc(&b, '[');
	for (int i = 0; i < 513; i++)
		cmp_buf_addc(&b, ']');
	got = parse(b.s);
	is_str(got, "! 1:513: nesting deeper than 512 levels",
	       "513 levels are refused at the 513th bracket");
	free(got);
	cmp_buf_reset(&b);
	for (int i = 0; i < 100000; i++)
		cmp_buf_adds(&b, "{\"a\":[");
	got = parse(b.s);
	is_str(got, "! 1:1537: nesting deeper than 512 levels",
	       "100000 levels are refused without a crash");
	free(got);
	cmp_buf_reset(&b);
	for (int i = 0; i < 100000; i++)
		cmp_buf_addc(&b, '[');
	got = parse(b.s);
	is_str(got, "! 1:513: nesting deeper than 512 levels",
	       "100000 '[' are refused without a crash");
	free(got);
	/* A long string, longer than any internal buffer. */
	cmp_buf_reset(&b);
	cmp_buf_addc(&b, '"');
	for (int i = 0; i < 100000; i++)
		cmp_buf_adds(&b, "ab\\n");
	cmp_buf_addc(&b, '"');
	cmp_error_clear(&e);
	ok(!cmp_json_parse(b.s, b.len, &v, &e) &&
	   strlen(v->valuestring) == 300000, "a 300 KB string");
	cJSON_Delete(v);
	cmp_buf_release(&b);
}

/* ---- the reader ---------------------------------------------------- */

/* A read-only memory stream without a file descriptor. */
struct mem {
	const char *s;
	size_t n, off;
};

static ssize_t
mem_read(void *cookie, char *buf, size_t size)
{
	struct mem *m = cookie;
	size_t k = m->n - m->off < size ? m->n - m->off : size;

	memcpy(buf, m->s + m->off, k);
	m->off += k;
	return (ssize_t)k;
}

static int
mem_close(void *cookie)
{
	free(cookie);
	return 0;
}

/* A stream holding s[0..n): a real file (read(2)) or stdio only. */
static FILE *
stream(const char *s, size_t n, int stdio)
{
	FILE *fp;

	if (stdio) {
		struct mem *m = cmp_xcalloc(1, sizeof(*m));
		cookie_io_functions_t io = { .read = mem_read,
					     .close = mem_close };

		m->s = s;
		m->n = n;
		return fopencookie(m, "r", io);
	}
	fp = tmpfile();
	if (n)
		fwrite(s, 1, n, fp);
	rewind(fp);
	return fp;
}

/*
 * Everything the reader makes of fp: a line per call, "LINE JSON" for a
 * record, "! CODE where: message" for an error, until the end.
 */
static char *
read_fp(FILE *fp, unsigned flags, uint64_t *offset)
{
	struct cmp_buf out = CMP_BUF_INIT;
	struct cmp_reader *r;
	struct cmp_error e;
	int calls = 0;

	cmp_error_clear(&e);
	if (cmp_reader_new(&r, fp, "in", CMP_IN_JSON, NULL, flags, &e))
		return cmp_xasprintf("! new %d", e.code);
	for (;;) {
		cJSON *obj = NULL;
		long line = -1;
		char buf[1024];
		int ret;

		cmp_error_clear(&e);
		ret = cmp_reader_next(r, &obj, &line, &e);
		if (++calls > 100000) {
			cmp_buf_adds(&out, "! looping\n");
			break;
		}
		if (ret) {
			cmp_buf_addf(&out, "! %d %s\n", ret,
				     cmp_error_format(&e, buf, sizeof(buf)));
			if (obj)
				cmp_buf_adds(&out, "! obj set on error\n");
			if (ret != 65)
				break;
			continue;
		}
		if (!obj)
			break;
		{
			char *s = cJSON_PrintUnformatted(obj);

			cmp_buf_addf(&out, "%ld %s\n", line, s);
			free(s);
		}
		cJSON_Delete(obj);
	}
	/* The end stays the end. */
	{
		cJSON *obj = NULL;
		long line;

		if (cmp_reader_next(r, &obj, &line, &e) || obj)
			cmp_buf_adds(&out, "! more after the end\n");
	}
	if (offset)
		*offset = cmp_reader_offset(r);
	cmp_reader_free(r);
	return cmp_buf_detach(&out);
}

static char *
read_json(const char *s, size_t n, unsigned flags, int stdio)
{
	FILE *fp = stream(s, n, stdio);
	char *out = read_fp(fp, flags, NULL);

	fclose(fp);
	return out;
}

/* Through read(2) and through stdio: the same answer both ways. */
#define READ_IS(in, flags, want, what) do { \
		char *a_ = read_json(in, strlen(in), flags, 0); \
		char *b_ = read_json(in, strlen(in), flags, 1); \
		is_str(a_, want, "%s", what); \
		is_str(b_, want, "%s (stdio)", what); \
		free(a_); \
		free(b_); \
	} while (0)

static void
test_reader_basic(void)
{
	READ_IS("", 0, "", "empty input: no records, no error");
	READ_IS(" \n\t\r\n", 0, "", "only whitespace: no records");
	READ_IS("{\"a\":1}\n{\"b\":2}\n{\"c\":[3]}\n", 0,
		"1 {\"a\":1}\n2 {\"b\":2}\n3 {\"c\":[3]}\n", "NDJSON");
	READ_IS("{\"a\":1}\r\n{\"b\":2}\r\n", 0,
		"1 {\"a\":1}\n2 {\"b\":2}\n", "CRLF line ends");
	READ_IS("{\"a\":1}\n{\"b\":2}", 0, "1 {\"a\":1}\n2 {\"b\":2}\n",
		"no newline after the last line");
	READ_IS("\xef\xbb\xbf{\"a\":1}\n", 0, "1 {\"a\":1}\n",
		"a UTF-8 BOM is skipped");
	READ_IS("\xef\xbb\xbf{\"a\" 1}\n", 0,
		"! 65 in:1:6: expected ':' after an object key\n",
		"columns count from after the BOM");
	READ_IS("\xef\xbb\xbf", 0,
		"! 65 in:1:1: a byte order mark but no JSON text\n",
		"a BOM and nothing else is an error");
	READ_IS("\xef\xbb{}", 0,
		"! 65 in:1:1: invalid UTF-8 (not a UTF-8 file?)\n",
		"half a BOM is not UTF-8");
	READ_IS("{\"a\":1}{\"b\":2} {\"c\":3}", 0,
		"1 {\"a\":1}\n1 {\"b\":2}\n1 {\"c\":3}\n",
		"concatenated objects");
	READ_IS("\n\n{\n  \"summary\": \"d\",\n  \"customer\": {\"name\": \"y\"}\n}\n"
		"{\"e\":5}\n", 0,
		"3 {\"summary\":\"d\",\"customer\":{\"name\":\"y\"}}\n7 {\"e\":5}\n",
		"a pretty-printed object: the line it starts on");
	READ_IS("[{\"a\":1},\n {\"b\":2},\n\n {\"c\":3}]\n", 0,
		"1 {\"a\":1}\n2 {\"b\":2}\n4 {\"c\":3}\n",
		"a top-level array, element by element");
	READ_IS("[]", 0, "", "an empty array: no records");
	READ_IS(" [ ] \n", 0, "", "an empty array with spaces");
	READ_IS("{\"n\":[1e400,-0,12345678901234567890]}", 0,
		"1 {\"n\":[1e400,-0,12345678901234567890]}\n",
		"numbers in records are kept as written");
}

static void
test_reader_errors(void)
{
	READ_IS("{\"a\":1}\n{\"b\":tru}\n{\"c\":3}\n", 0,
		"1 {\"a\":1}\n! 65 in:2:6: invalid literal (expected 'true')\n"
		"3 {\"c\":3}\n", "NDJSON with a bad line in the middle");
	READ_IS("{\"summary\":\"s\",\n \"customer\": {\"name\": tru}}\n"
		"{\"ok\":1}\n", 0,
		"! 65 in:2:23: invalid literal (expected 'true')\n3 {\"ok\":1}\n",
		"an error in a multi-line record: its own line and column");
	READ_IS("{\"a\":1\n{\"b\":2}\n{\"c\":3}\n", 0,
		"! 65 in:2:1: expected ',' or '}' after an object member\n"
		"2 {\"b\":2}\n3 {\"c\":3}\n",
		"an unclosed record does not swallow the lines after it");
	READ_IS("{\"a\":\"x\n{\"b\":2}\n", 0,
		"! 65 in:1:8: control character U+000A in a string (write it "
		"as an escape)\n2 {\"b\":2}\n",
		"an unclosed string ends at its line");
	READ_IS("{\"a\":\"\xff\"} {\"b\":1}\n{\"c\":2}\n", 0,
		"! 65 in:1:7: invalid UTF-8\n1 {\"b\":1}\n2 {\"c\":2}\n",
		"bad UTF-8 in a string: the record is skipped, not the line");
	READ_IS("{\"a\":\"\\u0000\"}\n{\"b\":1}\n", 0,
		"! 65 in:1:7: \\u0000 is not allowed in strings\n2 {\"b\":1}\n",
		"\\u0000 in a record");
	READ_IS("{\"a\":1} x\n{\"b\":2}\n", 0,
		"1 {\"a\":1}\n! 65 in:1:9: expected a JSON object\n2 {\"b\":2}\n",
		"trailing garbage after a record, with its column");
	READ_IS("{\"a\":1}\n\"str\"\n42\n[{\"b\":2}]\nnull\n{\"c\":3}\n", 0,
		"1 {\"a\":1}\n! 65 in:2:1: expected a JSON object\n"
		"4 {\"b\":2}\n! 65 in:5:1: expected a JSON object\n"
		"6 {\"c\":3}\n",
		"a value other than an object is an error; the next line "
		"starting with '{' or '[' is read");
	READ_IS("{\"a\":1}\n\xff\xfe{\"b\":2}\n{\"c\":3}\n", 0,
		"1 {\"a\":1}\n! 65 in:2:1: invalid UTF-8 (not a UTF-8 file?)\n",
		"bad UTF-8 between records ends the input");
	READ_IS("{\"a\":[1}\n{\"b\":2}\n", 0,
		"! 65 in:1:8: expected ',' or ']' after an array element\n"
		"2 {\"b\":2}\n", "a mismatched bracket");
	READ_IS("{\"a\":1}\n{\"b\":", 0,
		"1 {\"a\":1}\n! 65 in:2:6: unexpected end of input\n",
		"the input ends inside a record");
	READ_IS("}\n{\"b\":1}", 0,
		"! 65 in:1:1: expected a JSON object\n2 {\"b\":1}\n",
		"a stray closing brace");
}

static void
test_reader_arrays(void)
{
	READ_IS("[{\"a\":1},\n {\"b\" 2},\n {\"c\":3}]", 0,
		"1 {\"a\":1}\n! 65 in:2:7: expected ':' after an object key\n"
		"3 {\"c\":3}\n", "a bad element: the next element is read");
	READ_IS("[{\"a\":[1}, {\"b\":2}]", 0,
		"! 65 in:1:9: expected ',' or ']' after an array element\n",
		"a mismatched bracket in an element: no telling where the "
		"next one starts");
	READ_IS("[{\"a\":\"x\ny\"}, {\"b\":2}]", 0,
		"! 65 in:1:9: control character U+000A in a string (write it "
		"as an escape)\n2 {\"b\":2}\n",
		"a raw newline in an element's string");
	READ_IS("[{\"a\":\"\xff\"}, {\"b\":2}]", 0,
		"! 65 in:1:8: invalid UTF-8\n1 {\"b\":2}\n",
		"bad UTF-8 in an element");
	READ_IS("[1, {\"a\":1}, \"x\", [2, {}], {\"b\":2}]", 0,
		"! 65 in:1:2: expected a JSON object\n1 {\"a\":1}\n"
		"! 65 in:1:14: expected a JSON object\n"
		"! 65 in:1:19: expected a JSON object\n1 {\"b\":2}\n",
		"elements that are not objects are skipped one by one");
	READ_IS("{\"a\":1}\n[{\"b\":2},\n {\"c\":3}]\n{\n\"d\":4}\n[]\n"
		"[{\"e\":5}]", 0,
		"1 {\"a\":1}\n2 {\"b\":2}\n3 {\"c\":3}\n4 {\"d\":4}\n"
		"7 {\"e\":5}\n", "arrays among records");
	READ_IS("[][]\n{\"a\":1}", 0,
		"! 65 in:1:3: unexpected data after the array on its line\n"
		"2 {\"a\":1}\n", "a value after an array on its line");
	READ_IS("[{\"a\":1}] x", 0,
		"1 {\"a\":1}\n! 65 in:1:11: unexpected data after the "
		"array on its line\n", "garbage after the array");
	READ_IS("[{\"a\":1}] \r\n[{\"b\":2}]\r\n", 0,
		"1 {\"a\":1}\n2 {\"b\":2}\n", "arrays on CRLF lines");
	READ_IS("[{\"a\":1},", 0,
		"1 {\"a\":1}\n! 65 in:1:10: unexpected end of input\n",
		"an unclosed array");
	READ_IS("[{\"a\":1}, ]", 0,
		"1 {\"a\":1}\n! 65 in:1:11: expected a value after ','\n",
		"a trailing comma");
	READ_IS("[{\"a\":1} {\"b\":2}]", 0,
		"1 {\"a\":1}\n! 65 in:1:10: expected ',' or ']' after an array "
		"element\n", "a broken array ends the input");
	READ_IS("[{\"a\":1},{\"b\":", 0,
		"1 {\"a\":1}\n! 65 in:1:15: unexpected end of input\n",
		"the input ends inside an element");
	READ_IS("[", 0, "! 65 in:1:2: unexpected end of input\n",
		"a lone '['");
}

static void
test_reader_ids(void)
{
	READ_IS("1\n2 3\n{\"id\":4}\n-5\n", CMP_READ_IDS,
		"1 1\n2 2\n2 3\n3 {\"id\":4}\n4 -5\n",
		"ids: bare numbers and objects");
	READ_IS("[7, {\"id\":8}, 9]", CMP_READ_IDS,
		"1 7\n1 {\"id\":8}\n1 9\n", "ids in an array");
	READ_IS("12\n\"x\"\n13\n1x\n14", CMP_READ_IDS,
		"1 12\n! 65 in:2:1: expected a JSON object or a number\n3 13\n"
		"! 65 in:4:2: invalid number\n5 14\n",
		"bad ids are errors, the next line is read");
	READ_IS("1\n2\n", 0,
		"! 65 in:1:1: expected a JSON object\n",
		"without CMP_READ_IDS numbers are errors");
	{
		FILE *fp = stream("12345678901234567890", 20, 0);
		struct cmp_reader *r;
		struct cmp_error e;
		cJSON *obj = NULL;
		long line = 0;

		cmp_error_clear(&e);
		cmp_reader_new(&r, fp, "-", CMP_IN_JSON, NULL, CMP_READ_IDS,
			       &e);
		ok(!cmp_reader_next(r, &obj, &line, &e) && cJSON_IsRaw(obj) &&
		   !strcmp(obj->valuestring, "12345678901234567890"),
		   "an id is a raw item, even at the very end of the input");
		cJSON_Delete(obj);
		cmp_reader_free(r);
		fclose(fp);
	}
}

static void
test_reader_big(void)
{
	struct cmp_buf b = CMP_BUF_INIT, want = CMP_BUF_INIT;
	uint64_t off = 0;
	FILE *fp;
	char *got;

	/* 20000 records: many 64 KiB reads, records across their edges. */
	for (int i = 1; i <= 20000; i++) {
		cmp_buf_addf(&b, "{\"n\":%d,\"pad\":\"%0*d\"}\n", i,
			     i % 97, 0);
		cmp_buf_addf(&want, "%d {\"n\":%d,\"pad\":\"%0*d\"}\n", i, i,
			     i % 97, 0);
	}
	fp = stream(b.s, b.len, 0);
	got = read_fp(fp, 0, &off);
	ok(!strcmp(got, want.s), "20000 NDJSON records across many reads");
	is_int(off, b.len, "the offset is every byte at the end");
	free(got);
	fclose(fp);

	/* A 1 MB pretty record over many lines and reads. */
	cmp_buf_reset(&b);
	cmp_buf_adds(&b, "{\"a\":1}\n{\n");
	for (int i = 0; i < 20000; i++)
		cmp_buf_addf(&b, "  \"k%d\": [\"%050d\"],\n", i, i);
	cmp_buf_adds(&b, "  \"last\": true\n}\n{\"z\":1}\n");
	fp = stream(b.s, b.len, 0);
	got = read_fp(fp, 0, NULL);
	ok(!strncmp(got, "1 {\"a\":1}\n2 {\"k0\":", 18) &&
	   strstr(got, "\"last\":true}\n20005 {\"z\":1}\n"),
	   "a large pretty record, and the line after it");
	free(got);
	fclose(fp);

	/* Over the 64 MiB limit: an error, then the next record. */
	cmp_buf_reset(&b);
	cmp_buf_adds(&b, "{\"a\":\"");
	cmp_buf_grow(&b, CMP_RECORD_MAX + 1024);
	memset(b.s + b.len, 'x', CMP_RECORD_MAX + 100);
	b.len += CMP_RECORD_MAX + 100;
	cmp_buf_adds(&b, "\"}\n{\"b\":2}\n");
	fp = stream(b.s, b.len, 0);
	got = read_fp(fp, 0, NULL);
	is_str(got, "! 65 in:1:1: a record larger than 64 MiB\n2 {\"b\":2}\n",
	       "a record over 64 MiB is an error, the next one is read");
	free(got);
	fclose(fp);
	cmp_buf_release(&b);
	cmp_buf_release(&want);

	/* 100000 '[' in a record: refused, no crash, next line read. */
	cmp_buf_init(&b);
	cmp_buf_adds(&b, "{\"a\":");
	for (int i = 0; i < 100000; i++)
		cmp_buf_addc(&b, '[');
	cmp_buf_adds(&b, "\n{\"b\":1}\n");
	fp = stream(b.s, b.len, 0);
	got = read_fp(fp, 0, NULL);
	is_str(got, "! 65 in:1:517: nesting deeper than 512 levels\n"
	       "2 {\"b\":1}\n", "deep nesting in a record");
	free(got);
	fclose(fp);
	cmp_buf_reset(&b);
	for (int i = 0; i < 100000; i++)
		cmp_buf_addc(&b, '[');
	fp = stream(b.s, b.len, 0);
	got = read_fp(fp, 0, NULL);
	is_str(got, "! 65 in:1:2: expected a JSON object\n",
	       "100000 '[' as the input");
	free(got);
	fclose(fp);
	cmp_buf_release(&b);
}

static void
test_reader_ioerror(void)
{
	FILE *fp = fopen(".", "r");	/* read(2) fails: EISDIR */
	char *got;

	if (!fp) {
		ok(1, "# SKIP cannot open a directory as a stream");
		return;
	}
	got = read_fp(fp, 0, NULL);
	ok(!strncmp(got, "! 74 in: read error: ", 21),
	   "a read error is 74 with the reason");
	free(got);
	fclose(fp);
}

/*
 * A slow pipe: the writer sends one record and waits for the reader to
 * have it before sending the next.  A reader that waited to fill its
 * buffer would hang here (alarm: the test fails instead).
 */
static void
slow_pipe(const char *part1, const char *part2, const char *what)
{
	int data[2], ack[2];
	struct cmp_reader *r;
	struct cmp_error e;
	cJSON *obj = NULL;
	long line = 0;
	pid_t pid;
	FILE *fp;
	int status, ret;
	char c;

	if (pipe(data) || pipe(ack))
		abort();
	fflush(stdout);
	if (!(pid = fork())) {
		close(data[0]);
		close(ack[1]);
		if (write(data[1], part1, strlen(part1)) < 0 ||
		    read(ack[0], &c, 1) != 1 ||
		    write(data[1], part2, strlen(part2)) < 0)
			_exit(1);
		_exit(0);
	}
	close(data[1]);
	close(ack[0]);
	fp = fdopen(data[0], "r");
	alarm(10);
	cmp_error_clear(&e);
	cmp_reader_new(&r, fp, "-", CMP_IN_JSON, NULL, 0, &e);
	ret = cmp_reader_next(r, &obj, &line, &e);
	ok(!ret && obj && cJSON_GetObjectItem(obj, "a"),
	   "%s: the first record before the rest is written", what);
	cJSON_Delete(obj);
	if (write(ack[1], "k", 1) != 1)
		abort();
	close(ack[1]);
	ret = cmp_reader_next(r, &obj, &line, &e);
	ok(!ret && obj && cJSON_GetObjectItem(obj, "b"), "%s: the second",
	   what);
	cJSON_Delete(obj);
	ret = cmp_reader_next(r, &obj, &line, &e);
	ok(!ret && !obj, "%s: then the end", what);
	alarm(0);
	cmp_reader_free(r);
	fclose(fp);
	waitpid(pid, &status, 0);
}

int
main(void)
{
	diag("cmp_json_parse");
	test_numbers();
	test_strings();
	test_structure();
	diag("the JSON reader, through read(2) and through stdio");
	test_reader_basic();
	test_reader_errors();
	test_reader_arrays();
	test_reader_ids();
	test_reader_big();
	test_reader_ioerror();
	slow_pipe("{\"a\":1}\n", "{\"b\":2}\n", "NDJSON");
	slow_pipe("[{\"a\":1},", " {\"b\":2}]", "an array");
	slow_pipe("{\n \"a\": 1\n}", "\n{\"b\":2}", "pretty objects");
	return done_testing();
}
