/*
 * yardstick.c - the raw yardstick of a bulk import (issue 25): what a
 * person would write in an afternoon to load the bench's complaints
 * (tests/bench/gen.awk) into SQLite, and nothing more.
 *
 *   yardstick DB <import.ndjson
 *
 * Each line is parsed with cJSON, validated (a summary or a description,
 * a customer's name, phone or e-mail, an e-mail with an '@', every
 * enumeration one of the default configuration's keys), and inserted by
 * one prepared statement into table c: the columns of run.sh's baseline,
 * three indexes (status, time received, category), no full-text index.
 * Transactions of 2000 records (cmp-add's batch), WAL and synchronous
 * FULL as the store.  What it leaves out is what cmp-add does beyond
 * that: the other indexes, the text index, the journal, rules,
 * deadlines, the duplicate lookup, the printed record.
 *
 * A record that fails validation is reported on stderr and skipped;
 * the exit status is 65 if any was, 0 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#define BATCH 2000

static const char *const channels[] = { "phone", "email", "web", "letter",
	"fax", "visit", "social", "other", NULL };
static const char *const categories[] = { "product-quality", "contract",
	"delivery", "service", "billing", "other", NULL };
static const char *const severities[] = { "low", "normal", "high",
	"critical", NULL };
static const char *const tiers[] = { "key", "regular", "new", NULL };
static const char *const remedies[] = { "refund", "exchange", "repair",
	"discount", "compensation", "apology", "explanation", "none", NULL };
static const char *const resolution_types[] = { "refund", "exchange",
	"repair", "discount", "compensation", "apology", "explanation",
	"no-action", NULL };
static const char *const complainant_types[] = { "remedy", "venting",
	"explanation", "suggestion", NULL };
static const char *const statuses[] = { "new", "assigned", "waiting",
	"resolved", "closed", "rejected", NULL };
static const char *const departments[] = { "quality", "logistics",
	"service", NULL };

static const char schema[] =
	"PRAGMA journal_mode = WAL;"
	"PRAGMA synchronous = FULL;"
	"CREATE TABLE IF NOT EXISTS c(id INTEGER PRIMARY KEY, ref TEXT UNIQUE,"
	" received_at TEXT, channel TEXT, customer_name TEXT,"
	" customer_phone TEXT, customer_email TEXT, customer_address TEXT,"
	" customer_tier TEXT, customer_id TEXT, product_name TEXT,"
	" product_model TEXT, product_serial TEXT, product_batch TEXT,"
	" product_quantity INTEGER, product_delivered_on TEXT, category TEXT,"
	" severity TEXT, summary TEXT, description TEXT,"
	" requested_remedy TEXT, complainant_type TEXT, department TEXT,"
	" owner TEXT, tags TEXT, status TEXT, acknowledged_at TEXT,"
	" replied_at TEXT, resolution_type TEXT, resolution_amount REAL,"
	" resolved_at TEXT, satisfaction INTEGER, closed_at TEXT);"
	"CREATE INDEX IF NOT EXISTS c_status ON c(status);"
	"CREATE INDEX IF NOT EXISTS c_received ON c(received_at);"
	"CREATE INDEX IF NOT EXISTS c_category ON c(category);";

static const char insert_sql[] =
	"INSERT INTO c(ref, received_at, channel, customer_name,"
	" customer_phone, customer_email, customer_address, customer_tier,"
	" customer_id, product_name, product_model, product_serial,"
	" product_batch, product_quantity, product_delivered_on, category,"
	" severity, summary, description, requested_remedy, complainant_type,"
	" department, owner, tags, status, acknowledged_at, replied_at,"
	" resolution_type, resolution_amount, resolved_at, satisfaction,"
	" closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	" ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/* The text of member name of o, NULL if absent or null. */
static const char *
text(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *
member(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsNull(v) ? NULL : v;
}

static int
known(const char *const *list, const char *v)
{
	if (!v)
		return 1;
	for (; *list; list++)
		if (!strcmp(*list, v))
			return 1;
	return 0;
}

/* Why record r is refused, or NULL. */
static const char *
invalid(const cJSON *r)
{
	const cJSON *cu, *pr, *res, *tags;
	const char *email, *at;

	if (!cJSON_IsObject(r))
		return "not an object";
	cu = member(r, "customer");
	pr = member(r, "product");
	res = member(r, "resolution");
	tags = member(r, "tags");
	email = text(cu, "email");
	if ((cu && !cJSON_IsObject(cu)) || (pr && !cJSON_IsObject(pr)) ||
	    (res && !cJSON_IsObject(res)) || (tags && !cJSON_IsArray(tags)))
		return "customer, product or resolution not an object, or "
		       "tags not an array";
	if (!text(r, "summary") && !text(r, "description"))
		return "a summary or a description is required";
	if (!text(cu, "name") && !text(cu, "phone") && !email)
		return "a customer name, phone or email is required";
	if (email && (!(at = strchr(email, '@')) || at == email || !at[1]))
		return "customer.email is not an e-mail address";
	if (!known(channels, text(r, "channel")) ||
	    !known(categories, text(r, "category")) ||
	    !known(severities, text(r, "severity")) ||
	    !known(tiers, text(cu, "tier")) ||
	    !known(remedies, text(r, "requested_remedy")) ||
	    !known(complainant_types, text(r, "complainant_type")) ||
	    !known(departments, text(r, "department")) ||
	    !known(statuses, text(r, "status")) ||
	    !known(resolution_types, text(res, "type")))
		return "an enumeration's value is unknown";
	return NULL;
}

static void
bind_text(sqlite3_stmt *s, int *i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, ++*i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, ++*i);
}

static void
bind_number(sqlite3_stmt *s, int *i, const cJSON *v, int integer)
{
	if (!cJSON_IsNumber(v))
		sqlite3_bind_null(s, ++*i);
	else if (integer)
		sqlite3_bind_int64(s, ++*i, (sqlite3_int64)v->valuedouble);
	else
		sqlite3_bind_double(s, ++*i, v->valuedouble);
}

/* The tags, comma-separated, in buf. */
static const char *
tag_list(const cJSON *tags, char *buf, size_t size)
{
	const cJSON *t;
	size_t n = 0;

	if (!tags || !cJSON_GetArraySize(tags))
		return NULL;
	buf[0] = '\0';
	cJSON_ArrayForEach(t, tags) {
		if (!cJSON_IsString(t))
			continue;
		n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s%s",
				      n ? "," : "", t->valuestring);
	}
	return n < size ? buf : NULL;
}

static void
bind_record(sqlite3_stmt *s, const cJSON *r)
{
	const cJSON *cu = member(r, "customer"), *pr = member(r, "product");
	const cJSON *res = member(r, "resolution");
	char tags[1024];
	int i = 0;

	bind_text(s, &i, text(r, "ref"));
	bind_text(s, &i, text(r, "received_at"));
	bind_text(s, &i, text(r, "channel"));
	bind_text(s, &i, text(cu, "name"));
	bind_text(s, &i, text(cu, "phone"));
	bind_text(s, &i, text(cu, "email"));
	bind_text(s, &i, text(cu, "address"));
	bind_text(s, &i, text(cu, "tier"));
	bind_text(s, &i, text(cu, "id"));
	bind_text(s, &i, text(pr, "name"));
	bind_text(s, &i, text(pr, "model"));
	bind_text(s, &i, text(pr, "serial"));
	bind_text(s, &i, text(pr, "batch"));
	bind_number(s, &i, member(pr, "quantity"), 1);
	bind_text(s, &i, text(pr, "delivered_on"));
	bind_text(s, &i, text(r, "category"));
	bind_text(s, &i, text(r, "severity"));
	bind_text(s, &i, text(r, "summary"));
	bind_text(s, &i, text(r, "description"));
	bind_text(s, &i, text(r, "requested_remedy"));
	bind_text(s, &i, text(r, "complainant_type"));
	bind_text(s, &i, text(r, "department"));
	bind_text(s, &i, text(r, "owner"));
	/* SQLITE_STATIC: tags[] lives until the step, in this frame. */
	bind_text(s, &i, tag_list(member(r, "tags"), tags, sizeof(tags)));
	bind_text(s, &i, text(r, "status") ? text(r, "status") : "new");
	bind_text(s, &i, text(r, "acknowledged_at"));
	bind_text(s, &i, text(r, "replied_at"));
	bind_text(s, &i, text(res, "type"));
	bind_number(s, &i, member(res, "amount"), 0);
	bind_text(s, &i, text(res, "resolved_at"));
	bind_number(s, &i, member(r, "satisfaction"), 1);
	bind_text(s, &i, text(r, "closed_at"));
}

static int
step_done(sqlite3 *db, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return 0;
	fprintf(stderr, "yardstick: %s\n", sqlite3_errmsg(db));
	return -1;
}

static int
insert_one(sqlite3 *db, sqlite3_stmt *ins, const cJSON *r)
{
	int rc;

	bind_record(ins, r);
	rc = step_done(db, ins);
	sqlite3_clear_bindings(ins);
	return rc;
}

int
main(int argc, char **argv)
{
	sqlite3 *db;
	sqlite3_stmt *ins, *begin, *commit;
	char *line = NULL;
	size_t cap = 0;
	long lineno = 0, stored = 0, refused = 0, in_batch = 0;
	ssize_t len;

	if (argc != 2) {
		fprintf(stderr, "usage: yardstick DB <records.ndjson\n");
		return 64;
	}
	if (sqlite3_open(argv[1], &db) != SQLITE_OK ||
	    sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, insert_sql, -1, &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL) != SQLITE_OK) {
		fprintf(stderr, "yardstick: %s: %s\n", argv[1],
			sqlite3_errmsg(db));
		return 74;
	}
	while ((len = getline(&line, &cap, stdin)) > 0) {
		cJSON *r;
		const char *why;

		lineno++;
		if (len == 1 && line[0] == '\n')
			continue;
		if (!(r = cJSON_ParseWithLength(line, (size_t)len)))
			why = "not JSON";
		else
			why = invalid(r);
		if (why) {
			fprintf(stderr, "yardstick: line %ld: %s\n", lineno,
				why);
			refused++;
			cJSON_Delete(r);
			continue;
		}
		if ((!in_batch && step_done(db, begin)) ||
		    insert_one(db, ins, r)) {
			cJSON_Delete(r);
			return 74;
		}
		cJSON_Delete(r);
		stored++;
		if (++in_batch == BATCH) {
			if (step_done(db, commit))
				return 74;
			in_batch = 0;
		}
	}
	if (in_batch && step_done(db, commit))
		return 74;
	free(line);
	sqlite3_finalize(ins);
	sqlite3_finalize(begin);
	sqlite3_finalize(commit);
	if (sqlite3_close(db) != SQLITE_OK)
		return 74;
	printf("yardstick: %ld stored, %ld refused\n", stored,
	       refused);
	return refused ? 65 : 0;
}
