/*
 * Unit tests: CSV input through cmp_reader (CMP_IN_CSV): RFC 4180
 * quoting, line numbers, bad rows, field-path headers, and column maps
 * (built here by hand; map.c loads them from YAML).
 */
#include <stdint.h>

#include "internal.h"
#include "tap.h"

/* A read-only memory stream without a file descriptor (stdio path). */
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

/* Everything the reader makes of s: "LINE JSON" or "! CODE message". */
static char *
read_csv_n(const char *s, size_t n, const struct cmp_map *map, int stdio,
	   uint64_t *offset)
{
	struct cmp_buf out = CMP_BUF_INIT;
	FILE *fp = stream(s, n, stdio);
	struct cmp_reader *r;
	struct cmp_error e;
	int calls = 0;

	cmp_error_clear(&e);
	if (cmp_reader_new(&r, fp, "in.csv", CMP_IN_CSV, map, 0, &e))
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
			if (ret != 65)
				break;
			continue;
		}
		if (!obj)
			break;
		{
			char *t = cJSON_PrintUnformatted(obj);

			cmp_buf_addf(&out, "%ld %s\n", line, t);
			free(t);
		}
		cJSON_Delete(obj);
	}
	{
		cJSON *obj = NULL;
		long line;

		if (cmp_reader_next(r, &obj, &line, &e) || obj)
			cmp_buf_adds(&out, "! more after the end\n");
	}
	if (offset)
		*offset = cmp_reader_offset(r);
	cmp_reader_free(r);
	fclose(fp);
	return cmp_buf_detach(&out);
}

#define CSV_IS(in, map, want, what) do { \
		char *a_ = read_csv_n(in, strlen(in), map, 0, NULL); \
		char *b_ = read_csv_n(in, strlen(in), map, 1, NULL); \
		is_str(a_, want, "%s", what); \
		is_str(b_, want, "%s (stdio)", what); \
		free(a_); \
		free(b_); \
	} while (0)

static void
test_rfc4180(void)
{
	CSV_IS("", NULL, "", "empty input: no records");
	CSV_IS("\xef\xbb\xbf", NULL, "", "only a BOM: no records");
	CSV_IS("summary,customer.name\n", NULL, "", "only a header");
	CSV_IS("summary,customer.name\r\n", NULL, "", "only a header, CRLF");
	CSV_IS("a,b\n1,2\n", NULL, "2 {\"a\":\"1\",\"b\":\"2\"}\n",
	       "a header and a row");
	CSV_IS("a,b\n1,2", NULL, "2 {\"a\":\"1\",\"b\":\"2\"}\n",
	       "no newline after the last row");
	CSV_IS("a,b\r\n1,2\r\n3,4", NULL,
	       "2 {\"a\":\"1\",\"b\":\"2\"}\n3 {\"a\":\"3\",\"b\":\"4\"}\n",
	       "CRLF rows");
	CSV_IS("\xef\xbb\xbf" "a,b\n1,2\n", NULL,
	       "2 {\"a\":\"1\",\"b\":\"2\"}\n", "a BOM before the header");
	CSV_IS("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n", NULL,
	       "2 {\"a\":\"x, y\",\"b\":\"say \\\"hi\\\"\"}\n",
	       "quoted delimiters and doubled quotes");
	CSV_IS("a,b\n\"two\nlines\",1\n\"three\r\nmore\nlines\",2\n3,4\n",
	       NULL,
	       "2 {\"a\":\"two\\nlines\",\"b\":\"1\"}\n"
	       "4 {\"a\":\"three\\r\\nmore\\nlines\",\"b\":\"2\"}\n"
	       "7 {\"a\":\"3\",\"b\":\"4\"}\n",
	       "quoted line breaks: rows keep the line they start on");
	CSV_IS("a,b\n\"x\",\"y\"\r\n\"\r\",\"z\"\"\"\r\n", NULL,
	       "2 {\"a\":\"x\",\"b\":\"y\"}\n"
	       "3 {\"a\":\"\\r\",\"b\":\"z\\\"\"}\n",
	       "quoted last cells before CRLF; a quoted CR is data");
	CSV_IS("a,b\n\"\",\"\"\n1,\"\"\n", NULL,
	       "3 {\"a\":\"1\"}\n",
	       "empty quoted cells are empty; a row of them is skipped");
	CSV_IS("a,b\n\n1,2\n\r\n\n3,4\n,\n", NULL,
	       "3 {\"a\":\"1\",\"b\":\"2\"}\n6 {\"a\":\"3\",\"b\":\"4\"}\n",
	       "empty lines and blank rows are skipped");
	CSV_IS("\n\na,b\n1,2\n", NULL, "4 {\"a\":\"1\",\"b\":\"2\"}\n",
	       "empty lines before the header");
	CSV_IS("a,b\nab\"c,\"d\"e\n", NULL,
	       "2 {\"a\":\"ab\\\"c\",\"b\":\"de\"}\n",
	       "stray quotes are kept, as most readers do");
	CSV_IS("a,b\n1,2\n3\n4,5,6\n7,8\n", NULL,
	       "2 {\"a\":\"1\",\"b\":\"2\"}\n"
	       "! 65 in.csv:3: 1 field, but the header has 2\n"
	       "! 65 in.csv:4: 3 fields, but the header has 2\n"
	       "5 {\"a\":\"7\",\"b\":\"8\"}\n",
	       "a row with the wrong number of fields is an error, skipped");
	CSV_IS("a,b\n\"multi\nline\",1,x\n2,3\n", NULL,
	       "! 65 in.csv:2: 3 fields, but the header has 2\n"
	       "4 {\"a\":\"2\",\"b\":\"3\"}\n",
	       "the error is at the line the row starts on");
	CSV_IS("a,b\n1,2\n\"open,3\n4,5\n", NULL,
	       "2 {\"a\":\"1\",\"b\":\"2\"}\n"
	       "! 65 in.csv:3: a quoted field is not closed before the end "
	       "of the input\n",
	       "an unclosed quote ends the input");
	CSV_IS("a,b\n1,\xff\xfe\n3,4\n", NULL,
	       "! 65 in.csv:2: invalid UTF-8 in column 'b' (not a UTF-8 "
	       "file?)\n3 {\"a\":\"3\",\"b\":\"4\"}\n",
	       "bad UTF-8 in a row: that row is an error");
	CSV_IS("\xd6\xd0\xce\xc4,b\n1,2\n", NULL,
	       "! 65 in.csv:1: invalid UTF-8 (not a UTF-8 file?)\n",
	       "bad UTF-8 in the header: nothing is read");
	{
		char *got = read_csv_n("a,b\n1,x\0y\n2,3\n", 14, NULL, 0,
				       NULL);

		is_str(got, "! 65 in.csv:2: invalid UTF-8 in column 'b' (not a "
		       "UTF-8 file?)\n3 {\"a\":\"2\",\"b\":\"3\"}\n",
		       "a NUL byte in a cell");
		free(got);
	}
}

static void
test_paths(void)
{
	CSV_IS("summary,customer.name,product.quantity,tags,attrs.order\r\n"
	       "\"Leak, at inlet\",王先生,2,\"vip, repeat\",A-1\r\n"
	       "\"two\nlines\",Li,,,\r\n", NULL,
	       "2 {\"summary\":\"Leak, at inlet\",\"customer\":{\"name\":"
	       "\"王先生\"},\"product\":{\"quantity\":\"2\"},\"tags\":"
	       "\"vip, repeat\",\"attrs\":{\"order\":\"A-1\"}}\n"
	       "3 {\"summary\":\"two\\nlines\",\"customer\":{\"name\":\"Li\"}}\n",
	       "header paths nest; empty cells are left out");
	CSV_IS("customer.name,customer.phone,colour\nA,123,red\n", NULL,
	       "2 {\"customer\":{\"name\":\"A\",\"phone\":\"123\"},"
	       "\"colour\":\"red\"}\n",
	       "paths share their objects; unknown names go in as they are");
	CSV_IS(" a , b\t\n1,2\n", NULL, "2 {\"a\":\"1\",\"b\":\"2\"}\n",
	       "header names are trimmed");
	CSV_IS("a,,b\n1,,2\n3,4,5\n", NULL,
	       "2 {\"a\":\"1\",\"b\":\"2\"}\n"
	       "! 65 in.csv:3: a value in column 2, which has no name in the "
	       "header\n",
	       "a value under a column without a name is an error");
}

/* The map of tests/prog/t0110-add-csv.t, by hand. */
static char *via_from[] = {"Phone", "Mail", "Spam"};
static char *via_to[] = {"phone", "email", NULL};

static struct cmp_map_field export_fields[] = {
	{ .path = "ref", .template = "T-{Ticket}", .line = 3 },
	{ .path = "received_at", .column = "Opened",
	  .time_format = "%m/%d/%Y %H:%M", .line = 4 },
	{ .path = "summary", .column = "Subject", .line = 5 },
	{ .path = "customer.name", .column = "Who", .line = 6 },
	{ .path = "channel", .column = "Via", .from = via_from,
	  .to = via_to, .nvalues = 3, .otherwise = "other", .line = 7 },
	{ .path = "category", .value = "service", .line = 8 },
	{ .path = "attrs.team", .column = "Team", .line = 9 },
};

static struct cmp_map export_map = {
	.name = "map.yaml", .delimiter = ',', .fields = export_fields,
	.nfields = CMP_ARRAY_LEN(export_fields),
};

static void
test_map(void)
{
	CSV_IS("Ticket,Opened,Subject,Who,Via,Team,Ignored\n"
	       "7,11/19/2026 09:30,Rude agent,Wu,Phone,B,x\n"
	       "8,11/19/2026 10:00,Late,Ma,Fax,C,y\n"
	       ",,Quiet,Li,,,z\n"
	       "9,02/29/2024 23:59,Spam,Zh,Spam,,\n",
	       &export_map,
	       "2 {\"ref\":\"T-7\",\"received_at\":\"2026-11-19 09:30:00\","
	       "\"summary\":\"Rude agent\",\"customer\":{\"name\":\"Wu\"},"
	       "\"channel\":\"phone\",\"category\":\"service\","
	       "\"attrs\":{\"team\":\"B\"}}\n"
	       "3 {\"ref\":\"T-8\",\"received_at\":\"2026-11-19 10:00:00\","
	       "\"summary\":\"Late\",\"customer\":{\"name\":\"Ma\"},"
	       "\"channel\":\"other\",\"category\":\"service\","
	       "\"attrs\":{\"team\":\"C\"}}\n"
	       "4 {\"summary\":\"Quiet\",\"customer\":{\"name\":\"Li\"},"
	       "\"category\":\"service\"}\n"
	       "5 {\"ref\":\"T-9\",\"received_at\":\"2024-02-29 23:59:00\","
	       "\"summary\":\"Spam\",\"customer\":{\"name\":\"Zh\"},"
	       "\"category\":\"service\"}\n",
	       "columns, templates, translations, otherwise, constants, "
	       "times, attrs; unnamed columns ignored");
	CSV_IS("Ticket,Opened,Subject,Who,Via,Team\n"
	       "7,13/45/2026 09:30,a,b,Phone,B\n"
	       "8,02/30/2026 09:30,a,b,Phone,B\n"
	       "9,11/19/2026 09:30 x,a,b,Phone,B\n"
	       "10,11/19/2026 09:30,a,b,Mail,B\n",
	       &export_map,
	       "! 65 in.csv:2: received_at: '13/45/2026 09:30' does not match "
	       "the time format '%m/%d/%Y %H:%M'\n"
	       "! 65 in.csv:3: received_at: '02/30/2026 09:30' does not match "
	       "the time format '%m/%d/%Y %H:%M'\n"
	       "! 65 in.csv:4: received_at: '11/19/2026 09:30 x' does not "
	       "match the time format '%m/%d/%Y %H:%M'\n"
	       "5 {\"ref\":\"T-10\",\"received_at\":\"2026-11-19 09:30:00\","
	       "\"summary\":\"a\",\"customer\":{\"name\":\"b\"},"
	       "\"channel\":\"email\",\"category\":\"service\","
	       "\"attrs\":{\"team\":\"B\"}}\n",
	       "a value not in the time format is an error naming the field");
	CSV_IS("Ticket,Opened,Subject,Team,Via\n7,x,y,z,w\n", &export_map,
	       "! 65 map.yaml:6: no column 'Who' in the header\n",
	       "a missing column stops before any row is read");
	CSV_IS("", &export_map, "", "empty input with a map: no records");
}

static struct cmp_map_field when_fields[] = {
	{ .path = "summary", .column = "S", .line = 2 },
	{ .path = "closed_at", .column = "C", .when_column = "Status",
	  .when_value = "Closed", .line = 3 },
};

static struct cmp_map when_map = {
	.name = "w.yaml", .delimiter = ',', .fields = when_fields,
	.nfields = CMP_ARRAY_LEN(when_fields),
};

static void
test_map_when(void)
{
	CSV_IS("S,C,Status\na,2026-11-01,Closed\nb,2026-11-02,Open\n"
	       "c,2026-11-03,closed\n", &when_map,
	       "2 {\"summary\":\"a\",\"closed_at\":\"2026-11-01\"}\n"
	       "3 {\"summary\":\"b\"}\n"
	       "4 {\"summary\":\"c\"}\n",
	       "when: the field only where the column holds the value, "
	       "exactly");
	CSV_IS("S,C\na,b\n", &when_map,
	       "! 65 w.yaml:3: no column 'Status' in the header\n",
	       "when: its column must be in the header");
}

static void
test_map_more(void)
{
	struct cmp_map_field tf[] = {
		{ .path = "summary", .template = "{{{A}}} {B}-{A} 100%", .line = 2 },
		{ .path = "description", .template = "just text", .line = 3 },
		{ .path = "product.name", .template = "{Brand} {Model}",
		  .line = 4 },
		{ .path = "attrs.x", .template = "{Nope}", .line = 5 },
	};
	struct cmp_map tmap = { .name = "t.yaml", .delimiter = ',',
				.fields = tf, .nfields = 3 };
	struct cmp_map_field df[] = {
		{ .path = "product.delivered_on", .column = "D",
		  .time_format = "%d.%m.%Y", .line = 2 },
		{ .path = "received_at", .column = "T",
		  .time_format = "%Y-%m-%dT%H:%M:%S%z", .line = 3 },
		{ .path = "product.failed_on", .column = "Y",
		  .time_format = "%Y%m%d", .line = 4 },
	};
	struct cmp_map dmap = { .name = "d.yaml", .delimiter = ';',
				.fields = df, .nfields = 3 };
	char *from[] = {"", "x"};
	char *to[] = {"none", NULL};
	struct cmp_map_field vf[] = {
		{ .path = "summary", .column = "S", .from = from, .to = to,
		  .nvalues = 2, .line = 2 },
		{ .path = "severity", .column = "V", .from = from + 1,
		  .to = to + 1, .nvalues = 1, .otherwise = "", .line = 3 },
		{ .path = "customer.tier", .value = "key", .line = 4 },
	};
	struct cmp_map_field sf[] = {
		{ .path = "summary", .column = "a" },
		{ .path = "description", .column = "b" },
	};
	struct cmp_map smap = { .delimiter = ';', .fields = sf, .nfields = 2 };
	struct cmp_map vmap = { .name = NULL, .delimiter = '\t',
				.fields = vf, .nfields = 3 };

	CSV_IS("A,B,Brand,Model\n1,2,VW,Golf\n3,,,Polo\n,,,\n5,,,\n",
	       &tmap,
	       "2 {\"summary\":\"{1} 2-1 100%\",\"description\":\"just text\","
	       "\"product\":{\"name\":\"VW Golf\"}}\n"
	       "3 {\"summary\":\"{3} -3 100%\",\"description\":\"just text\","
	       "\"product\":{\"name\":\" Polo\"}}\n"
	       "5 {\"summary\":\"{5} -5 100%\",\"description\":\"just text\"}\n",
	       "templates: braces, text only, left out when every column is "
	       "empty");
	tmap.nfields = 4;
	CSV_IS("A,B,Brand,Model\n1,2,VW,Golf\n", &tmap,
	       "! 65 t.yaml:5: no column 'Nope' in the header\n",
	       "a template naming a missing column");
	CSV_IS("D;T;Y\n"
	       "01.02.2026;2026-11-19T09:30:00+0800;20261231\n"
	       "\"31.12.2025\";;\n"
	       "29.02.2025;;\n", &dmap,
	       "2 {\"product\":{\"delivered_on\":\"2026-02-01\","
	       "\"failed_on\":\"2026-12-31\"},"
	       "\"received_at\":\"2026-11-19T09:30:00+08:00\"}\n"
	       "3 {\"product\":{\"delivered_on\":\"2025-12-31\"}}\n"
	       "! 65 in.csv:4: product.delivered_on: '29.02.2025' does not "
	       "match the time format '%d.%m.%Y'\n",
	       "dates, a zone offset, a semicolon delimiter");
	CSV_IS("a;b\n\"x;y\";\"z\"\"\"\n", &smap,
	       "2 {\"summary\":\"x;y\",\"description\":\"z\\\"\"}\n",
	       "quoted semicolons with a ';' map");
	CSV_IS("S\tV\tW\n\tx\t1\nx\thigh\t2\ny\t\t3\n", &vmap,
	       "2 {\"summary\":\"none\",\"customer\":{\"tier\":\"key\"}}\n"
	       "3 {\"customer\":{\"tier\":\"key\"}}\n"
	       "4 {\"summary\":\"y\",\"customer\":{\"tier\":\"key\"}}\n",
	       "values: an empty cell can be translated; null and "
	       "\"otherwise: null\" leave the field out; tabs");
	CSV_IS("S\tW\nx\t1\n", &vmap,
	       "! 65 in.csv:1: no column 'V' in the header\n",
	       "a map without a name: the error is in the input's header");
}

static void
test_big(void)
{
	struct cmp_buf b = CMP_BUF_INIT, want = CMP_BUF_INIT;
	uint64_t off = 0;
	char *got;
	long line = 2;

	/* Rows across many 64 KiB reads, some spanning lines. */
	cmp_buf_adds(&b, "n,text\n");
	for (int i = 0; i < 20000; i++) {
		if (i % 7) {
			cmp_buf_addf(&b, "%d,plain %d\n", i, i);
			cmp_buf_addf(&want, "%ld {\"n\":\"%d\",\"text\":"
				     "\"plain %d\"}\n", line, i, i);
			line++;
		} else {
			cmp_buf_addf(&b, "%d,\"quoted, \"\"%d\"\"\nand more\"\r\n",
				     i, i);
			cmp_buf_addf(&want, "%ld {\"n\":\"%d\",\"text\":"
				     "\"quoted, \\\"%d\\\"\\nand more\"}\n",
				     line, i, i);
			line += 2;
		}
	}
	got = read_csv_n(b.s, b.len, NULL, 0, &off);
	ok(!strcmp(got, want.s), "20000 rows across many reads");
	is_int(off, b.len, "the offset is every byte at the end");
	free(got);
	/* A cell of 1 MB. */
	cmp_buf_reset(&b);
	cmp_buf_adds(&b, "a,b\n\"");
	for (int i = 0; i < 100000; i++)
		cmp_buf_adds(&b, "0123456789");
	cmp_buf_adds(&b, "\",2\n3,4\n");
	got = read_csv_n(b.s, b.len, NULL, 0, NULL);
	ok(strlen(got) > 1000000 && strstr(got, "\"b\":\"2\"}\n3 {\"a\":\"3\""),
	   "a 1 MB cell");
	free(got);
	cmp_buf_release(&b);
	cmp_buf_release(&want);
}

int
main(void)
{
	diag("RFC 4180, through read(2) and through stdio");
	test_rfc4180();
	diag("headers of field paths");
	test_paths();
	diag("column maps");
	test_map();
	test_map_more();
	test_map_when();
	test_big();
	return done_testing();
}
