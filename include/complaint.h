/*
 * complaint.h - the public API of libcomplaint: what the programs in
 * cmd/ and third parties use.  What only the library's own files share
 * is in its private headers (the .h files in lib/; lib/README.md is the
 * map).  This header includes no third-party header: cJSON's tree
 * appears as struct cJSON, and a caller that builds or reads one
 * includes <cjson/cJSON.h>.
 *
 * Grouped by the file that implements each part, bottom floor first.
 * Conventions:
 *
 * - Functions that can fail return an int status: 0 on success, otherwise
 *   a sysexits(3) code (CMP_EX_*), and fill the struct cmp_error they are
 *   given.  The library never prints and never exits; the program decides
 *   what to print and which exit status follows.  Running out of memory
 *   is the one exception: the allocation wrappers abort().
 * - "Caller owns" means the caller frees what is returned (with free(),
 *   or the _free/_release function named); "borrowed" means it stays
 *   owned by the object it came from and lives as long as that object.
 * - Times are seconds since the epoch, UTC (cmp_time); 0 means "none".
 *   They are printed and stored as RFC 3339 in UTC ("2026-11-20T01:15:00Z").
 * - Text is UTF-8 throughout.
 */
#ifndef COMPLAINT_H
#define COMPLAINT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

/* cJSON's tree (<cjson/cJSON.h>): what the JSON functions take and give. */
struct cJSON;

#define CMP_VERSION "0.1.0"

/* ------------------------------------------------------------------ */
/* util.c: errors, allocation, buffers                                 */
/* ------------------------------------------------------------------ */

/* Status codes: sysexits(3) values, so a program can exit with them. */
enum cmp_status {
	CMP_OK = 0,
	CMP_EX_USAGE = 64,	/* bad command line */
	CMP_EX_DATAERR = 65,	/* input rejected, refused transition */
	CMP_EX_NOINPUT = 66,	/* no such complaint or input file */
	CMP_EX_SOFTWARE = 70,	/* internal error */
	CMP_EX_CANTCREAT = 73,	/* cannot create the store */
	CMP_EX_IOERR = 74,	/* I/O error, disk full */
	CMP_EX_TEMPFAIL = 75,	/* store busy past the timeout */
	CMP_EX_NOPERM = 77,	/* not permitted (approval missing) */
	CMP_EX_CONFIG = 78	/* configuration error */
};

/*
 * An error: what failed and where.  Formatted by cmp_error_format() as
 * "input:line:column: field: message", leaving out the parts not set.
 */
struct cmp_error {
	int code;		/* enum cmp_status; 0 when no error */
	char input[256];	/* input or file name, "" if none */
	long line;		/* 1-based, 0 if none */
	long column;		/* 1-based, 0 if none */
	char field[128];	/* field path ("customer.phone"), "" if none */
	char msg[768];
};

void cmp_error_clear(struct cmp_error *e);
/* Set code, field (may be NULL) and message; returns code.  Keeps location. */
int cmp_error_set(struct cmp_error *e, int code, const char *field,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int cmp_error_vset(struct cmp_error *e, int code, const char *field,
		   const char *fmt, va_list ap);
/* Set the location (input may be NULL to keep it; line/column 0 = none). */
void cmp_error_at(struct cmp_error *e, const char *input, long line,
		  long column);
/* Format into buf (NUL-terminated, truncated to size); returns buf. */
char *cmp_error_format(const struct cmp_error *e, char *buf, size_t size);

/* Allocation that aborts on exhaustion; never returns NULL.  Caller owns
   what they return (free()). */
void *cmp_xmalloc(size_t n);
void *cmp_xcalloc(size_t n, size_t size);
void *cmp_xrealloc(void *p, size_t n);
char *cmp_xstrdup(const char *s);		/* NULL in, NULL out */
char *cmp_xstrndup(const char *s, size_t n);
char *cmp_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable string (strbuf.h style): s is always NUL-terminated; the
   buffer owns s until cmp_buf_detach() or cmp_buf_release(). */
struct cmp_buf {
	char *s;
	size_t len;
	size_t cap;
};
#define CMP_BUF_INIT { NULL, 0, 0 }
void cmp_buf_init(struct cmp_buf *b);
void cmp_buf_release(struct cmp_buf *b);
void cmp_buf_reset(struct cmp_buf *b);		/* len = 0, keeps memory */
void cmp_buf_grow(struct cmp_buf *b, size_t extra);
void cmp_buf_add(struct cmp_buf *b, const void *p, size_t n);
void cmp_buf_adds(struct cmp_buf *b, const char *s);
void cmp_buf_addc(struct cmp_buf *b, int c);
void cmp_buf_addf(struct cmp_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Returns the string (caller owns) and leaves b empty. */
char *cmp_buf_detach(struct cmp_buf *b);
/* A NUL-terminated view (borrowed) even when nothing was added. */
const char *cmp_buf_str(const struct cmp_buf *b);

/* ------------------------------------------------------------------ */
/* clock.c: time parsing and formatting, zones, durations              */
/* ------------------------------------------------------------------ */

typedef int64_t cmp_time;	/* seconds since the epoch, UTC; 0 = none */

#define CMP_TIME_BUFSZ 32

/* "2026-11-20T01:15:00Z" into buf (CMP_TIME_BUFSZ bytes); returns buf. */
char *cmp_time_format(cmp_time t, char *buf);
/* "2026-11-20" (the date of t in zone) into buf; returns buf. */
char *cmp_date_format(cmp_time t, const char *zone, char *buf);

/*
 * Parse a time: RFC 3339 with any offset (fraction of a second dropped),
 * "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]", "YYYY-MM-DDTHH:MM[:SS]" (naive
 * times are in zone), "now", "today", "yesterday", "tomorrow" (midnight
 * in zone), and relative "+3d", "-2h", "90m", "1w" from now.  zone is an
 * IANA name ("Asia/Shanghai"); NULL or "" means UTC.  Returns 0 or 65.
 */
int cmp_time_parse(const char *s, const char *zone, cmp_time now,
		   cmp_time *out, struct cmp_error *e);

/* Check a calendar date "YYYY-MM-DD"; returns 0 or 65. */
int cmp_date_check(const char *s, struct cmp_error *e);

/* Broken-down local time of t in zone (NULL/"" = UTC). */
void cmp_localtime(cmp_time t, const char *zone, struct tm *tm);

/* A duration as written: n units of 'm', 'h', 'd' or 'w'. */
struct cmp_duration {
	long n;
	char unit;		/* 'm', 'h', 'd', 'w'; 0 = not set */
};
/* Parse "90m", "4h", "1d", "2w" (an optional sign is refused); 0 or 65. */
int cmp_duration_parse(const char *s, struct cmp_duration *d,
		       struct cmp_error *e);
/* "4h" into buf (at least 24 bytes); returns buf. */
char *cmp_duration_format(const struct cmp_duration *d, char *buf);
/* Wall-clock seconds of d (m=60, h=3600, d=86400, w=604800). */
int64_t cmp_duration_seconds(const struct cmp_duration *d);
/*
 * t plus sign*d on the clock of zone: days and weeks keep the local time
 * of day across daylight-saving changes; minutes and hours are exact.
 */
cmp_time cmp_time_add(cmp_time t, const struct cmp_duration *d, int sign,
		      const char *zone);
/* "3h 20m", "2d 4h", "45s": a human rendering of seconds, into buf (>= 32). */
char *cmp_seconds_format(int64_t secs, char *buf);

/* ------------------------------------------------------------------ */
/* sla.c: business calendars and deadlines (the types; the arithmetic  */
/* on them is the library's own)                                       */
/* ------------------------------------------------------------------ */

#define CMP_CAL_MAXSPANS 4

/* When the clock of a deadline runs. */
struct cmp_calendar {
	int always;		/* 24x7: every second counts */
	unsigned days;		/* bit i set: weekday i works (0 = Sunday) */
	int nspans;		/* working hours of a day, in order */
	struct {
		int open, close;	/* minutes after midnight, open < close */
	} spans[CMP_CAL_MAXSPANS];
	char **holidays;	/* sorted "YYYY-MM-DD", whole days off */
	size_t nholidays;
	char *zone;		/* IANA zone the hours are in */
};


/* The three deadlines of a complaint. */
enum cmp_deadline { CMP_DL_ACK, CMP_DL_REPLY, CMP_DL_RESOLVE, CMP_DL_COUNT };
extern const char *const cmp_deadline_names[CMP_DL_COUNT]; /* "ack"... */

/* ------------------------------------------------------------------ */
/* config.c, config_sla.c: the configuration, as loaded (read it from  */
/* struct cmp_ctx: the context owns it)                                */
/* ------------------------------------------------------------------ */

/* An enumeration: keys (what JSON carries) with optional labels. */
struct cmp_enum {
	size_t n;
	char **keys;
	char **labels;		/* labels[i] NULL when the key has none */
};

struct cmp_department {
	char *key;
	char *label;
	char **members;
	size_t nmembers;
	char **ladder;		/* ladder[level]: who holds each level */
	size_t nladder;
};

/* One level of the SLA policy: the default, a severity or a tier. */
enum {
	CMP_SLA_HAS_ACK = 1 << CMP_DL_ACK,
	CMP_SLA_HAS_REPLY = 1 << CMP_DL_REPLY,
	CMP_SLA_HAS_RESOLVE = 1 << CMP_DL_RESOLVE,
	CMP_SLA_HAS_CALENDAR = 1 << 3
};
struct cmp_sla_level {
	char *key;		/* severity or tier key; NULL for the default */
	unsigned has;		/* CMP_SLA_HAS_* */
	struct cmp_duration d[CMP_DL_COUNT];
	struct cmp_calendar cal;
};

/* A condition of a rule: the field's value equals one of values. */
struct cmp_rule_cond {
	char *field;		/* field path: "category", "customer.tier" */
	char **values;		/* one of; a value with * ? [ is a glob */
	size_t nvalues;
};

struct cmp_rule {
	long line;		/* line of the rule in its file */
	struct cmp_rule_cond *conds;	/* all must hold */
	size_t nconds;
	char **keywords;	/* any of, in summary or description */
	size_t nkeywords;
	char *category, *severity, *department, *owner;	/* then; NULL = - */
	char **tags;
	size_t ntags;
	int stop;
};

struct cmp_config {
	char *path;		/* file loaded, NULL for the built-in defaults */
	char *timezone;
	char *currency;
	struct cmp_enum channels, categories, severities, tiers, remedies,
		resolution_types, complainant_types, statuses;
	struct cmp_department *departments;
	size_t ndepartments;
	/* defaults for fields the input leaves out (NULL: none) */
	char *default_channel, *default_severity, *default_tier;
	struct cmp_sla_level sla_default;	/* its calendar is sla.calendar */
	struct cmp_sla_level *sla_severity;
	size_t nsla_severity;
	struct cmp_sla_level *sla_tier;
	size_t nsla_tier;
	struct cmp_rule *rules;
	size_t nrules;
	double approval_threshold;
	int warranty_months;		/* 0: no warranty check */
	struct cmp_duration followup_after;	/* unit 0: no call-back */
	int followup_satisfied_at;	/* 0: closing needs no score */
	int followup_max;
	struct cmp_duration escalation_after;	/* unit 0: never */
	/* escalation.ladder: the ladder of a complaint whose department
	   has none, or that has no department */
	char **escalation_ladder;
	size_t nescalation_ladder;
	struct cmp_duration duplicates_window;	/* unit 0: no check */
	/* how far past now a received_at on input may be (clocks
	   disagree); unit 0: no check */
	struct cmp_duration future_tolerance;
	int report_baseline;
	double report_sigma;
	int report_redact;
};

/* ------------------------------------------------------------------ */
/* record.c, field.c, field_text.c, field_set.c, validate.c, redact.c: */
/* the complaint type and its fields                                   */
/* ------------------------------------------------------------------ */

struct cmp_followup {
	int64_t id;		/* store's id, 0 when not stored yet */
	cmp_time due_at;
	cmp_time done_at;
	char *channel;
	char *outcome;
	int satisfaction;	/* 1-5, 0 = none */
	char *note;
};

struct cmp_complaint {
	int64_t id;
	char *ref;
	char *status;
	cmp_time received_at;
	char *channel;
	char *recorded_by;
	char *accountable;
	struct {
		char *name, *contact, *phone, *email, *address, *tier, *id;
	} customer;
	struct {
		char *name, *model, *serial, *batch;
		int64_t quantity;	/* >= 1, 0 = none */
		char *produced_on, *delivered_on, *failed_on;	/* dates */
	} product;
	char *category;
	char *severity;
	char *summary;
	char *description;
	char *requested_remedy;
	char *complainant_type;
	int out_of_warranty;	/* -1 none, 0 false, 1 true */
	char *department;
	char *owner;
	int64_t escalation;
	char *root_cause;
	cmp_time due[CMP_DL_COUNT];
	cmp_time acknowledged_at;
	cmp_time replied_at;
	struct {
		char *type;
		double amount;	/* NAN = none */
		char *currency;
		char *note;
		char *approved_by;
		cmp_time resolved_at;
	} resolution;
	cmp_time closed_at;	/* last closed; cleared on reopening */
	cmp_time rejected_at;	/* last rejected; cleared on reopening */
	char *rejection_reason;	/* why it was rejected */
	int64_t satisfaction;	/* 1-5, 0 = none */
	struct cmp_followup *followups;
	size_t nfollowups;
	char **tags;
	size_t ntags;
	char *attrs;		/* compact JSON object text, NULL = none */
	int64_t possible_duplicate_of;	/* 0 = none */
	int64_t duplicate_of;	/* closed as a duplicate of (0 = not) */
	int64_t reopened;	/* how many times reopened */
	cmp_time waiting_since;
	char *wait_reason;
	cmp_time created_at;
	cmp_time updated_at;

	/* not part of the record's JSON */
	uint64_t present[2];	/* fields given on input (bit = field index) */
};

/* A complaint owns every string and array it points to: release frees
   them (the struct itself is the caller's), copy duplicates them. */
void cmp_complaint_init(struct cmp_complaint *c);
void cmp_complaint_release(struct cmp_complaint *c);	/* then init again */
void cmp_complaint_copy(struct cmp_complaint *dst,
			const struct cmp_complaint *src);
/* 1 if a and b hold the same record (every field). */
int cmp_complaint_equal(const struct cmp_complaint *a,
			const struct cmp_complaint *b);
/* 1 if c has the tag. */
int cmp_complaint_has_tag(const struct cmp_complaint *c, const char *tag);
/* Add a tag unless present / remove it; return 1 if c changed. */
int cmp_complaint_tag(struct cmp_complaint *c, const char *tag);
int cmp_complaint_untag(struct cmp_complaint *c, const char *tag);

/* Types of the record's fields. */
enum cmp_ftype {
	CMP_F_ID,		/* int64 complaint id, 0 = null */
	CMP_F_INT,		/* int64 >= 1, 0 = null */
	CMP_F_COUNT,		/* int64 >= 0, never null */
	CMP_F_SCORE,		/* int64 1-5, 0 = null */
	CMP_F_TEXT,		/* char *, NULL = null */
	CMP_F_ENUM,		/* char *, key of a config enumeration */
	CMP_F_DATE,		/* char * "YYYY-MM-DD" */
	CMP_F_TIME,		/* cmp_time */
	CMP_F_BOOL,		/* int: -1 null, 0, 1 */
	CMP_F_MONEY,		/* double, NAN = null */
	CMP_F_TAGS,		/* char **tags + ntags */
	CMP_F_JSON,		/* char * JSON object text */
	CMP_F_FOLLOWUPS		/* the followups array */
};

/* Which configuration enumeration a CMP_F_ENUM field draws from. */
enum cmp_enum_kind {
	CMP_EN_NONE, CMP_EN_STATUS, CMP_EN_CHANNEL, CMP_EN_CATEGORY,
	CMP_EN_SEVERITY, CMP_EN_TIER, CMP_EN_REMEDY, CMP_EN_RESOLUTION,
	CMP_EN_COMPLAINANT, CMP_EN_DEPARTMENT
};

enum {
	CMP_FF_PERSONAL = 1 << 0,	/* masked by --redact */
	CMP_FF_MANAGED = 1 << 1,	/* set by the store, ignored on input */
	CMP_FF_SETTABLE = 1 << 2,	/* cmp-update --set may change it */
	CMP_FF_NAME = 1 << 3,		/* personal: a name */
	CMP_FF_PHONE = 1 << 4,		/* personal: a phone number */
	CMP_FF_EMAIL = 1 << 5,		/* personal: an e-mail address */
	CMP_FF_ADDRESS = 1 << 6,	/* personal: an address */
	CMP_FF_DEADLINE = 1 << 7,	/* changing it recomputes deadlines */
	CMP_FF_AS_OF = 1 << 8,		/* managed, yet read on input: when the
					   record was true (cmp-add --update) */
	CMP_FF_KEY = 1 << 9		/* an index holds it: CMP_KEY_MAX bytes */
};

struct cmp_field {
	const char *path;	/* JSON path: "customer.phone" */
	const char *column;	/* view column: "customer_phone" */
	enum cmp_ftype type;
	enum cmp_enum_kind en;
	unsigned flags;		/* CMP_FF_* */
	size_t offset;		/* in struct cmp_complaint */
	int since;		/* the schema version that added its column
				   (0: the first) */
};

/* The fields, in the order of the record's JSON shape (field.c). */
extern const struct cmp_field cmp_fields[];
extern const size_t cmp_nfields;
/* Field by path ("customer.phone"), or NULL. */
const struct cmp_field *cmp_field_find(const char *path);
/* 1 if a and b hold the same value of f. */
int cmp_field_equal(const struct cmp_field *f,
		    const struct cmp_complaint *a,
		    const struct cmp_complaint *b);
int cmp_field_is_null(const struct cmp_field *f,
		      const struct cmp_complaint *c);
/*
 * f's value as text (caller owns; NULL for null): times RFC 3339,
 * tags and attrs as JSON, booleans "true"/"false", money as "%.2f"-ish
 * shortest form.  Used for the journal, CSV and tables.
 */
char *cmp_field_text(const struct cmp_field *f,
		     const struct cmp_complaint *c);

/*
 * Parse "--set FIELD=VALUE" and apply it: FIELD is a settable field path
 * (or "attrs.KEY"); returns 0, 64 (unknown or read-only field, no '=')
 * or 65 (bad value).
 */
int cmp_complaint_set(const struct cmp_config *cfg, struct cmp_complaint *c,
		      const char *assignment, cmp_time now,
		      struct cmp_error *e);

/* Check the required fields and every enumeration; 0 or 65. */
int cmp_complaint_validate(const struct cmp_config *cfg,
			   const struct cmp_complaint *c,
			   struct cmp_error *e);

/*
 * The longest value, in bytes, of a field an index holds (CMP_FF_KEY),
 * and of a tag.  PostgreSQL refuses an index entry of more than 2,704
 * bytes, and complaint_received holds two such fields (product.name,
 * root_cause) beside the enumerations: within this, every index entry
 * fits, and both stores take and refuse the same values.
 */
#define CMP_KEY_MAX 1000
/* 65 when a field an index holds is longer than CMP_KEY_MAX bytes in c;
   only those changed since before, when before is not NULL. */
int cmp_complaint_check_keys(const struct cmp_complaint *before,
			     const struct cmp_complaint *c,
			     struct cmp_error *e);

/* Mask in free text (caller owns the result) what c's personal fields
   hold, and anything shaped like a phone number or an e-mail address. */
char *cmp_redact_free_text(const struct cmp_complaint *c, const char *text);
/* Mask personal data in place: 王**, 138****8000, w***@example.cn. */
void cmp_complaint_redact(struct cmp_complaint *c);
/* Masked copy of one value of the kind flags say (caller owns). */
char *cmp_redact_text(unsigned flags, const char *s);

/* ------------------------------------------------------------------ */
/* record_json.c: the record's JSON codec                              */
/* ------------------------------------------------------------------ */

enum {
	CMP_DECODE_TEXT = 1 << 0,	/* strings allowed for numbers, bools,
					   tags (comma list): CSV input */
	CMP_JSON_REDACT = 1 << 1	/* encode with personal data masked */
};

/*
 * Decode a JSON object into c (which must be initialised), validating
 * types, UTF-8, dates and enumerations against cfg; marks the fields
 * present.  Unknown top-level keys are errors (free data goes under
 * attrs).  e->field names the path.  Returns 0 or 65.
 */
int cmp_json_decode(const struct cmp_config *cfg, const struct cJSON *obj,
		    unsigned flags, cmp_time now, struct cmp_complaint *c,
		    struct cmp_error *e);
/* The record as a JSON object (caller owns: cJSON_Delete). */
struct cJSON *cmp_json_encode(const struct cmp_complaint *c, unsigned flags);
/* One line of NDJSON, without the newline (caller owns). */
char *cmp_json_print(const struct cmp_complaint *c, unsigned flags);

/* ------------------------------------------------------------------ */
/* reader.c, map.c: reading records                                    */
/* ------------------------------------------------------------------ */

enum cmp_input_format { CMP_IN_JSON, CMP_IN_CSV };

struct cmp_map;		/* a CSV column map (YAML --map file) */
/* Load a map file; *out is the caller's (cmp_map_free).  0, 66 or 78. */
int cmp_map_load(struct cmp_map **out, const char *path,
		 struct cmp_error *e);
void cmp_map_free(struct cmp_map *map);

/*
 * A reader of records from a stream: JSON objects, arrays of objects or
 * NDJSON (CMP_IN_JSON), or CSV with a header row (CMP_IN_CSV), its
 * columns named by field paths or mapped by map (may be NULL).  Memory
 * stays bounded by the largest record, however long the input.
 */
struct cmp_reader;
enum {
	CMP_READ_IDS = 1 << 0	/* also accept bare numbers (ids) */
};
/* fp and map are borrowed; name is copied ("-" for stdin).  *out is the
   caller's (cmp_reader_free). */
int cmp_reader_new(struct cmp_reader **out, FILE *fp, const char *name,
		   enum cmp_input_format fmt, const struct cmp_map *map,
		   unsigned flags, struct cmp_error *e);
/*
 * Next record.  Returns 0 with *obj set (caller owns: cJSON_Delete) and
 * *line its first line; 0 with *obj NULL at the end of the input;
 * 65 when this record is bad (e says where; call again for the next:
 * after an error the reader cannot recover from, the next call ends the
 * input); 74 on a read error.  JSON numbers come as cJSON raw items
 * holding their literal ("1e400" stays as written).
 */
int cmp_reader_next(struct cmp_reader *r, struct cJSON **obj, long *line,
		    struct cmp_error *e);
/* Bytes consumed so far (for progress). */
uint64_t cmp_reader_offset(const struct cmp_reader *r);
void cmp_reader_free(struct cmp_reader *r);

/* ------------------------------------------------------------------ */
/* store.c, query.c: the store, its journal, finding complaints        */
/* ------------------------------------------------------------------ */

#define CMP_SCHEMA_VERSION 17

struct cmp_store;
struct cmp_pause;	/* workflow.c */

/* Who makes a change, for the journal. */
struct cmp_change {
	const char *actor;
	const char *program;
	const char *note;	/* NULL: none */
	cmp_time at;
};

/*
 * Open the store at path, creating it (mode 0600, WAL, the schema) when
 * it does not exist and migrating an older schema forward.  The busy
 * timeout is $CMP_BUSY_TIMEOUT milliseconds (default 5000).  Returns 0,
 * 73 (cannot create), 74 (not a store, damaged, I/O error), 75 (busy) or
 * 78 (made by a newer version).  *out is the caller's: cmp_store_close().
 */
int cmp_store_open(struct cmp_store **out, const char *path,
		   struct cmp_error *e);
void cmp_store_close(struct cmp_store *st);
/* The path the store was opened with (borrowed). */
const char *cmp_store_path(const struct cmp_store *st);

/* BEGIN IMMEDIATE (waits for the busy timeout; 75 past it), COMMIT. */
int cmp_store_begin(struct cmp_store *st, struct cmp_error *e);
int cmp_store_commit(struct cmp_store *st, struct cmp_error *e);
void cmp_store_rollback(struct cmp_store *st);
/* A reader's transaction: what it reads is one snapshot of the store,
   and it waits for no writer.  Inside a transaction already, *began 0:
   that one serves, and its owner ends it. */
int cmp_store_read(struct cmp_store *st, int *began, struct cmp_error *e);
/* The reader's work is done (failed: it failed, and e may be NULL): the
   transaction cmp_store_read began committed, or rolled back; what the
   store held for the reader forgotten. */
int cmp_store_read_end(struct cmp_store *st, int began, int failed,
		       struct cmp_error *e);
/*
 * A bulk load: on (inside its first transaction), the page cache grows
 * to 48 MiB, the WAL is copied back every 1 GiB rather than 256 MiB, and
 * the text index merges lazily, and into a small SQLite store the
 * indexes no load reads are dropped; off (after its last commit, in
 * transactions of its own), the text index is merged back to the shape
 * single writes keep and those indexes built, sorted, one a transaction
 * (made again too where a load killed before its end left them
 * missing).
 */
int cmp_store_bulk(struct cmp_store *st, int on, struct cmp_error *e);
/* A savepoint inside a transaction, to undo one record of a batch. */
int cmp_store_savepoint(struct cmp_store *st, struct cmp_error *e);
int cmp_store_release(struct cmp_store *st, struct cmp_error *e);
void cmp_store_rollback_to(struct cmp_store *st);

/* Load complaint id into c (initialised); 66 when there is none. */
int cmp_store_load(struct cmp_store *st, int64_t id, struct cmp_complaint *c,
		   struct cmp_error *e);
/*
 * Inside a transaction, the complaints of ids (as many as a batch; ids
 * not above 0 and unknown ones left out) read at once, a page of them a
 * statement, for the cmp_store_load calls that follow: each is given
 * out once, while nothing has written it, until the transaction ends.
 */
int cmp_store_read_ahead(struct cmp_store *st, const int64_t *ids, size_t n,
			 struct cmp_error *e);
/*
 * Write c over old (as loaded): one journal entry per changed field, new
 * follow-ups inserted, changed ones updated; updated_at set to ch->at.
 * fingerprint NULL keeps the stored one.  Nothing changed: nothing
 * written, returns 0.
 */
int cmp_store_save(struct cmp_store *st, const struct cmp_complaint *old,
		   struct cmp_complaint *c, const char *fingerprint,
		   const struct cmp_change *ch, struct cmp_error *e);
/*
 * The spans complaint id waited on the customer, from the journal
 * (*out caller owns; the last "to" is 0 while it still waits), then,
 * while it is rejected, the rejection (rejected set), and the last time
 * it was reopened (0: never).
 */
int cmp_store_pauses(struct cmp_store *st, int64_t id, struct cmp_pause **out,
		     size_t *n, cmp_time *reopened_at, struct cmp_error *e);
/* When field of complaint id last changed, from the journal (*at 0:
   never), e.g. "escalation" for cmp_wf_auto_escalate. */
int cmp_store_last_change(struct cmp_store *st, int64_t id,
			  const char *field, cmp_time *at,
			  struct cmp_error *e);
/* A journal entry holding only a note (ch->note) about complaint id. */
int cmp_store_note(struct cmp_store *st, int64_t id,
		   const struct cmp_change *ch, struct cmp_error *e);

/*
 * A selection of complaints.  Text filters hold one value or a comma
 * list (any of); NULL/0 fields do not filter.  Every filter runs on an
 * index.
 */
struct cmp_query {
	const int64_t *ids;	/* any of these ids */
	size_t nids;
	const char *ref;
	const char *status, *category, *channel, *severity, *tier, *owner,
		*department;
	const char *tag;
	/* A caller's history.  customer: the name, contact, e-mail or
	   customer id as stored, or the phone number by its digits
	   (cmp-list(1) says how).  product is the product's name. */
	const char *customer;
	const char *product, *serial, *batch, *root_cause, *accountable;
	int reopened;		/* reopened at least once */
	/* The complaints of c's customer (same phone number by its digits,
	   e-mail or customer id; not the name), c itself left out
	   (borrowed for the call). */
	const struct cmp_complaint *customer_of;
	int64_t duplicates_of;	/* flagged a likely duplicate of this id */
	cmp_time since, until;	/* received in [since, until) */
	int overdue;		/* a deadline passed unmet (pauses counted) */
	int64_t overdue_by;	/* ... by more than this many seconds */
	cmp_time due_before;	/* an unmet deadline falls before this */
	cmp_time followup_due;	/* a follow-up not done is due by this */
	const char *text;	/* words or "phrases", all must occur */
	/* --where conditions, all must hold (borrowed; cmp_where_parse) */
	struct cmp_where *const *where;
	size_t nwhere;
	const char *sort;	/* field path, "-path" descending; NULL: id */
	long limit;		/* 0: no limit */
	cmp_time now;		/* for overdue */
};
/* Called per complaint (borrowed: valid during the call); non-zero stops. */
typedef int (*cmp_complaint_fn)(void *arg, struct cmp_complaint *c);
/*
 * Stream the complaints q selects to fn, a page of them at a time as
 * the query runs (memory does not grow with the rows).  Returns 0, fn's
 * non-zero value, 64 (bad sort field) or a store error.
 */
int cmp_store_query(struct cmp_store *st, const struct cmp_query *q,
		    cmp_complaint_fn fn, void *arg, struct cmp_error *e);
/* The SQL query plan of q, one line per step (caller owns). */
char *cmp_store_query_plan(struct cmp_store *st, const struct cmp_query *q,
			   struct cmp_error *e);

/* ------------------------------------------------------------------ */
/* where.c: a condition on any field (cmp-list --where)                */
/* ------------------------------------------------------------------ */

struct cmp_where;
/*
 * Parse a condition: "PATH OP VALUE[,VALUE...]", "PATH [not] in
 * VALUE[,VALUE...]" or "PATH is [not] null" (cmp-list(1) has the
 * grammar).  Values are checked against the field's type and the
 * configuration: times parsed as --since parses them (cfg's zone, now),
 * enumerations' keys looked up.  Returns 0, or 64 with e naming the
 * expression and what is wrong in it.  *out is the caller's:
 * cmp_where_free().
 */
int cmp_where_parse(const char *expr, const struct cmp_config *cfg,
		    cmp_time now, struct cmp_where **out,
		    struct cmp_error *e);
void cmp_where_free(struct cmp_where *w);

/* One journal entry. */
struct cmp_journal_entry {
	int64_t complaint_id;
	cmp_time at;
	const char *actor, *program, *field, *old, *new_value, *note;
};
typedef int (*cmp_journal_fn)(void *arg, const struct cmp_journal_entry *j);
/* Call fn for each journal entry of complaint id, oldest first. */
int cmp_store_journal(struct cmp_store *st, int64_t id, cmp_journal_fn fn,
		      void *arg, struct cmp_error *e);

/* ------------------------------------------------------------------ */
/* context.c: what a program opens once                                */
/* ------------------------------------------------------------------ */

/* Everything a program works with: clock, configuration, store, actor.
   The context owns cfg, store and actor (cmp_ctx_close frees them). */
struct cmp_ctx {
	const char *program;	/* "cmp-add" (borrowed) */
	struct cmp_config *cfg;
	struct cmp_store *store;
	char *actor;
	cmp_time now;
};

struct cmp_ctx_opts {
	const char *db;		/* --db, or NULL */
	const char *config;	/* --config, or NULL */
	const char *actor;	/* --actor, or NULL */
};

/* Open clock, configuration and store; on error, everything is closed. */
int cmp_ctx_open(struct cmp_ctx *ctx, const char *program,
		 const struct cmp_ctx_opts *opts, struct cmp_error *e);
void cmp_ctx_close(struct cmp_ctx *ctx);

/* The change a program makes now, for the journal (its strings are
   borrowed from ctx and note). */
struct cmp_change cmp_ctx_change(const struct cmp_ctx *ctx, const char *note);

/* ------------------------------------------------------------------ */
/* intake.c: adding complaints                                         */
/* ------------------------------------------------------------------ */

enum cmp_add_result { CMP_ADDED, CMP_UNCHANGED, CMP_UPDATED, CMP_SKIPPED };
enum {
	CMP_ADD_UPDATE = 1 << 0		/* a known ref with new content updates */
};
/*
 * Store decoded complaint c (the fields given marked present): a known
 * ref with the same content is a no-op and c becomes the stored record;
 * with different content it is an error (65) unless CMP_ADD_UPDATE,
 * which applies the given fields and journals them.  Otherwise defaults,
 * rules, deadlines, the warranty and duplicate flags are derived and c
 * is inserted.  Inside the caller's transaction.
 *
 * A c that gives updated_at was true at that moment: what it adds or
 * changes is journalled then, not now, and the stored updated_at is
 * it.  An update older than the stored complaint's updated_at is
 * skipped: CMP_SKIPPED, c the stored record, and e says why (code 0:
 * a note, not an error).
 */
int cmp_add(struct cmp_ctx *ctx, struct cmp_complaint *c, unsigned flags,
	    const char *note, enum cmp_add_result *result,
	    struct cmp_error *e);
/*
 * Before cmp_add of each of the n records cs, in that order, inside the
 * caller's transaction: what their adding asks the store (their refs,
 * the complaints they may duplicate) read for them all at once, a few
 * statements for a batch instead of two a record.  Optional: it only
 * saves lookups; 0 or the store's failure.
 */
int cmp_add_ahead(struct cmp_ctx *ctx, struct cmp_complaint *const *cs,
		  size_t n, struct cmp_error *e);

/* ------------------------------------------------------------------ */
/* format.c: writing complaints                                        */
/* ------------------------------------------------------------------ */

enum cmp_format {
	CMP_FMT_NDJSON, CMP_FMT_JSON, CMP_FMT_CSV, CMP_FMT_TSV, CMP_FMT_TABLE
};
/* "ndjson", "json", "csv", "tsv", "table"; 0 or 64. */
int cmp_format_parse(const char *name, enum cmp_format *out,
		     struct cmp_error *e);

enum {
	CMP_OUT_REDACT = 1 << 0,	/* mask personal data */
	CMP_OUT_COLOR = 1 << 1		/* table: colour (a terminal) */
};

/*
 * A writer of complaints in one format onto out (borrowed).  fields is a
 * comma list of field paths ("id,customer.name,summary") choosing and
 * ordering the columns, or NULL for the format's default.  width is the
 * table's width in columns.  Writers stream: a table measures its
 * columns on its first rows, then cuts longer cells with an ellipsis.
 * Caller owns the writer (cmp_writer_free).  Returns 0 or 64.
 */
struct cmp_writer;
int cmp_writer_new(struct cmp_writer **out, FILE *fp, enum cmp_format fmt,
		   const char *fields, unsigned flags, int width,
		   struct cmp_error *e);
/* Write one complaint; 0 or 74 (output error). */
int cmp_writer_add(struct cmp_writer *w, const struct cmp_complaint *c);
/* Finish (close the JSON array, flush the table); 0 or 74. */
int cmp_writer_finish(struct cmp_writer *w);
void cmp_writer_free(struct cmp_writer *w);

/* One CSV cell (RFC 4180 quoting when needed) appended to b. */
void cmp_csv_cell(struct cmp_buf *b, const char *s, char delimiter);
/*
 * s made safe and fitted for a terminal cell: control characters and
 * escape sequences shown escaped (\x1b, \n), cut to at most width
 * display columns with an ellipsis.  Appended to b; returns its width.
 */
size_t cmp_term_cell(struct cmp_buf *b, const char *s, size_t width);
/* The display width of s once made safe by cmp_term_cell (NULL: 0). */
size_t cmp_term_width(const char *s);

/* ------------------------------------------------------------------ */
/* workflow.c: the lifecycle                                           */
/* ------------------------------------------------------------------ */

/*
 * Each operation changes c in place (the store journals the difference
 * when the program saves it) and returns 0, 65 (a refused transition or
 * bad value: c unchanged), 64 or 77 (approval missing).  now and the
 * configuration come from ctx.
 */
enum cmp_event {
	CMP_EV_ASSIGN, CMP_EV_WAIT, CMP_EV_RESUME, CMP_EV_RESOLVE,
	CMP_EV_CLOSE, CMP_EV_REJECT, CMP_EV_REOPEN, CMP_EV_DUPLICATE
};

enum {
	CMP_ASSIGN_ACK = 1 << 0,	/* acknowledge */
	CMP_ASSIGN_FORCE = 1 << 1	/* an owner from outside the department */
};
/* Hand c to person and/or department; acknowledges (meets ack).  Given
   both, and the department listing members, person is one of them or of
   its ladder (65 naming the field "owner"), unless CMP_ASSIGN_FORCE. */
int cmp_wf_assign(const struct cmp_ctx *ctx, struct cmp_complaint *c,
		  const char *person, const char *department, unsigned flags,
		  struct cmp_error *e);
/*
 * One level up c's ladder, to the holder of that level: its
 * department's ladder, else (no department, or one without a ladder)
 * escalation.ladder.  The owner changes; accountable does not.  65 at
 * the top, with no ladder at all, or for a complaint no longer open (a
 * rejected one is escalated while its reply deadline is unmet).
 */
int cmp_wf_escalate(const struct cmp_ctx *ctx, struct cmp_complaint *c,
		    struct cmp_error *e);
/* The routing rules again (overwriting), assigning when they name an
   owner or department. */
int cmp_wf_route(const struct cmp_ctx *ctx, struct cmp_complaint *c,
		 struct cmp_error *e);
/*
 * The escalation policy, for cron: c goes up its ladder (as
 * cmp_wf_escalate) one level for each escalation.after_overdue that has
 * passed since last_escalated (when c was last escalated, from the
 * journal; 0: never) or, when it was not escalated since, since its
 * earliest deadline still running and unmet passed: not one per
 * deadline missed.  A waiting complaint's clock stands at waiting_since.
 * At the top of the ladder nothing changes and 0 is returned; 65 only
 * when there is no ladder at all.  A rejected complaint counts its reply
 * deadline alone, until the customer is answered.
 */
int cmp_wf_auto_escalate(const struct cmp_ctx *ctx, struct cmp_complaint *c,
			 cmp_time last_escalated, struct cmp_error *e);
/* Wait on the customer (clocks stop) / resume (deadlines shift). */
int cmp_wf_wait(const struct cmp_ctx *ctx, struct cmp_complaint *c,
		const char *reason, struct cmp_error *e);
int cmp_wf_resume(const struct cmp_ctx *ctx, struct cmp_complaint *c,
		  struct cmp_error *e);
/* Resolve: type, amount (NAN: none), currency, approver (77 when the
   amount passes approval.threshold without one); schedules the call-back. */
int cmp_wf_resolve(const struct cmp_ctx *ctx, struct cmp_complaint *c,
		   const char *type, double amount, const char *currency,
		   const char *approved_by, const char *note,
		   struct cmp_error *e);
enum {
	CMP_CLOSE_FORCE = 1 << 0	/* close without the satisfaction bar */
};
int cmp_wf_close(const struct cmp_ctx *ctx, struct cmp_complaint *c,
		 unsigned flags, struct cmp_error *e);
/* Reject a new, assigned or waiting complaint with the reason (kept as
   resolution.note); a waiting one's deadlines shift as on resuming.  The
   deadlines stay: the customer is still answered (reply). */
int cmp_wf_reject(const struct cmp_ctx *ctx, struct cmp_complaint *c,
		  const char *reason, struct cmp_error *e);
int cmp_wf_reopen(const struct cmp_ctx *ctx, struct cmp_complaint *c,
		  const char *reason, struct cmp_error *e);
/* Close a new, assigned, waiting or rejected c as a duplicate of orig:
   duplicate_of and possible_duplicate_of name orig (65 naming the field
   duplicate_of when orig is c or itself a duplicate). */
int cmp_wf_duplicate(const struct cmp_ctx *ctx, struct cmp_complaint *c,
		     const struct cmp_complaint *orig, struct cmp_error *e);
/* Schedule a follow-up at due (channel may be NULL). */
int cmp_wf_schedule(const struct cmp_ctx *ctx, struct cmp_complaint *c,
		    cmp_time due, const char *channel, struct cmp_error *e);
/* A contact with the customer: a follow-up done now; meets reply. */
int cmp_wf_log(const struct cmp_ctx *ctx, struct cmp_complaint *c,
	       const char *text, const char *channel, struct cmp_error *e);
/*
 * Complete the earliest follow-up not done (score 0: none); a score
 * below followup.satisfied_at reopens a resolved or closed complaint.
 */
int cmp_wf_done(const struct cmp_ctx *ctx, struct cmp_complaint *c,
		int score, const char *note, struct cmp_error *e);
/* How a deadline stands, for a person (cmp-show). */
struct cmp_deadline_state {
	cmp_time started;	/* when its clock started */
	cmp_time due;		/* 0: this deadline does not apply */
	cmp_time met;		/* 0: not met yet */
	int64_t paused;		/* counted seconds the clock stood still */
	int64_t left;		/* counted seconds to spare (< 0: late by) */
	int stopped;		/* the clock stands still now (waiting, or
				   rejected: ack and resolve) */
};
/* A span of waiting: [from, to), to 0 while it lasts.  With rejected,
   the complaint was rejected at from and still is (to 0): its ack and
   resolve clocks stopped then, its reply's runs until answered. */
struct cmp_pause {
	cmp_time from, to;
	int rejected;
};
/*
 * Explain c's deadlines, given its pauses (from the journal: see
 * cmp_store_pauses) and the times it was reopened (the resolve clock
 * restarts then).
 */
void cmp_deadlines_explain(const struct cmp_ctx *ctx,
			   const struct cmp_complaint *c,
			   const struct cmp_pause *pauses, size_t npauses,
			   cmp_time reopened_at,
			   struct cmp_deadline_state out[CMP_DL_COUNT]);
/* Recompute the deadlines not met after severity, tier or received_at
   changed (the time already paused still counts).  when: 0, or the time
   a dated change was made (cmp-add --update of a record's updated_at):
   a deadline an imported history says was met at or after it was not
   met yet (the log's row at that minute still carried the change). */
void cmp_wf_recompute(const struct cmp_ctx *ctx, struct cmp_complaint *c,
		      const struct cmp_complaint *before, cmp_time when);

/* ------------------------------------------------------------------ */
/* report_figures.c, render_sections.c: cmp-report                     */
/* ------------------------------------------------------------------ */


/* The report's output formats. */
enum cmp_report_format {
	CMP_REPORT_JSON, CMP_REPORT_TABLE, CMP_REPORT_CSV,
	CMP_REPORT_MARKDOWN, CMP_REPORT_HTML
};
/* "json", "table", "csv", "markdown", "html"; 0 or 64. */
int cmp_report_format_parse(const char *name, enum cmp_report_format *out,
			    struct cmp_error *e);

/* What cmp-report asks for; strings are borrowed. */
struct cmp_report_opts {
	const char *period;	/* NULL: this-month, unless since is set */
	const char *since;	/* with until (default: now) */
	const char *until;
	const char *as_of;	/* the data as it stood then; NULL: all */
	const char *by;		/* "FIELD[,FIELD]": a pivot instead */
	unsigned flags;		/* CMP_REPORT_* */
	long overdue_max;	/* list the N most overdue; 0: all */
};
enum {
	CMP_REPORT_REDACT = 1 << 0,	/* mask personal data */
	CMP_REPORT_COLOR = 1 << 1,	/* table: a terminal's colours */
	CMP_REPORT_CONTROL = 1 << 2	/* with --by: the control chart too */
};

/*
 * A computed report.  cmp_report_run() reads the store through ctx
 * (borrowed: it must outlive the report) and returns 0, 64 (bad --by
 * field), 65 (a bad time or period) or a store error.  *out is the
 * caller's (cmp_report_free).
 */
struct cmp_report;
int cmp_report_run(struct cmp_report **out, const struct cmp_ctx *ctx,
		   const struct cmp_report_opts *opts, struct cmp_error *e);
/* How many categories are above their control limit. */
size_t cmp_report_alerts(const struct cmp_report *r);
/* Write r onto fp in fmt; width: a table's columns.  0 or 74. */
int cmp_report_write(const struct cmp_report *r, FILE *fp,
		     enum cmp_report_format fmt, int width,
		     struct cmp_error *e);
void cmp_report_free(struct cmp_report *r);

#endif /* COMPLAINT_H */
